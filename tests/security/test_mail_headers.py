"""E-mail header injection: line breaks in names, titles, subjects and addresses never add a header or a recipient.

The mails go the whole way: typed into the public signing form (or stored in the records a letter is made from),
queued in the outbox, and delivered over SMTP to a real server (aiosmtpd) whose envelope and message are read.
"""

from __future__ import annotations

import email
from email.policy import default

import pytest
from sqlalchemy import func, select

from campaign.db import db
from campaign.models import OutboxMessage, Recipient
from tests.conftest import CampaignCliRunner
from tests.factories_signing import form_data, make_open_letter
from tests.services.sending.helpers import email_campaign
from tests.support.mailserver import MailServer

INJECTIONS = ("\r\nBcc: opfer@example.org", "\nX-Evil: 1", "\rSubject: gekapert", "\u2028Cc: opfer@example.org")
# The headers our mails carry; anything else would have come from the data.
ALLOWED_HEADERS = {
    "from",
    "to",
    "reply-to",
    "subject",
    "date",
    "message-id",
    "auto-submitted",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
}


@pytest.fixture
def mail_server():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_app(app_factory, mail_server):
    return app_factory(MAIL_URL=mail_server.url, MAIL_FROM="Kampagne <kampagne@example.org>")


def _check_delivery(mail_server, address: str) -> email.message.EmailMessage:
    [item] = mail_server.received
    assert item.recipients == [address]  # no Bcc or Cc reached the envelope
    message = email.message_from_bytes(item.raw, policy=default)
    headers = {name.lower() for part in message.walk() for name in part}
    assert headers <= ALLOWED_HEADERS, headers - ALLOWED_HEADERS
    assert [address] == [a.addr_spec for a in message["To"].addresses]
    return message


@pytest.mark.parametrize("injection", INJECTIONS, ids=["crlf-bcc", "lf-header", "cr-subject", "u2028-cc"])
def test_line_breaks_typed_into_the_signing_form_add_no_header(smtp_app, mail_server, injection):
    with smtp_app.app_context():
        campaign = make_open_letter(db.session)
        campaign.title = f"Offener Brief{injection}"
        db.session.commit()
        slug = campaign.slug
    data = form_data(
        first_name=f"Eve{injection}", last_name=f"Doğan{injection}", organisation=f"Verein{injection}",
        email="eve@example.org",
    )  # fmt: skip
    response = smtp_app.test_client().post(f"/c/{slug}/sign", data=data)
    assert response.status_code == 302
    message = _check_delivery(mail_server, "eve@example.org")
    assert message["Bcc"] is None and message["X-Evil"] is None and message["Cc"] is None
    assert message["Subject"].startswith("Bitte bestätigen") and "gekapert" not in message["Subject"].split("„")[0]


@pytest.mark.parametrize(
    "address",
    ["eve@example.org\r\nBcc: opfer@example.org", "eve@example.org\nX-Evil: 1", "eve@example.org>, opfer@example.org"],
)
def test_an_address_with_a_line_break_or_a_second_address_is_refused_by_the_signing_form(
    smtp_app, mail_server, address
):
    with smtp_app.app_context():
        slug = make_open_letter(db.session).slug
        db.session.commit()
    response = smtp_app.test_client().post(f"/c/{slug}/sign", data=form_data(email=address))
    assert response.status_code == 400 and "E-Mail" in response.get_data(as_text=True)
    assert mail_server.received == []
    with smtp_app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_line_breaks_in_the_records_a_letter_is_made_from_add_no_header(smtp_app, mail_server):
    runner = CampaignCliRunner(smtp_app)
    with smtp_app.app_context():
        campaign, people = email_campaign(1)
        campaign.title = "Brief\r\nBcc: opfer@example.org"
        person = db.session.get(Recipient, people[0].id)
        person.first_name, person.last_name = "Eve\r\nBcc: opfer@example.org", "Muster\nX-Evil: 1"
        person.title = "Dr.\rCc: opfer@example.org"
        campaign.organisation.name = "Verein\r\nReply-To: opfer@example.org"
        campaign.templates[0].versions[-1].subject = "Ihr Antrag, {{ empfaenger.nachname }} {{ anrede }}"
        db.session.commit()
        slug = campaign.slug
    for command in (["letters", "generate", slug], ["letters", "approve", slug, "--all"], ["letters", "queue", slug]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0
    message = _check_delivery(mail_server, "person0@example.org")
    assert message["Bcc"] is None and message["X-Evil"] is None and message["Cc"] is None
    reply_to = message["Reply-To"]
    assert reply_to is None or "opfer@example.org" not in [a.addr_spec for a in reply_to.addresses]
    assert [a.addr_spec for a in message["From"].addresses] == ["kontakt@example.org"]  # the organisation's own address
    assert "Muster X-Evil: 1" in message["Subject"]
