"""Text-only mails (every signature's confirmation) with awkward names, subjects and lines arrive intact, with
encoded headers, short lines and no parse defects; a bad recipient address is refused in German."""

from __future__ import annotations

import pytest

from campaign.db import db
from campaign.jobs.outbox import deliver_due
from campaign.services.common.errors import ServiceError
from campaign.services.sending.messages import OutgoingMail
from campaign.services.sending.outbox import queue_mail

LONG_LINE = "Sie möchten den offenen Brief „Gegen die Kürzung“ mitzeichnen; bitte bestätigen Sie das hier: " * 2


@pytest.mark.parametrize(
    ("to_name", "subject", "text"),
    [
        ("Zoë Ñúñez", "Bitte bestätigen: Ihre Mitzeichnung „Gegen die Kürzung der Mittel für Ğüłé“", LONG_LINE),
        ('Eve "Q" <x>, Jr.', "plain subject " * 25, "short\r\nascii\nlines\n"),
        ("Łukasz Ğür ß ć " * 10, "x", "=?utf-8?q?kein-Kodewort?= und Zeile mit Leerzeichen am Ende \n.\nfrom"),
    ],
)
def test_a_text_mail_arrives_with_its_names_subject_and_text(smtp_app, mail_server, to_name, subject, text):
    mail = OutgoingMail(
        to_address="ziel+alias@example.org",
        to_name=to_name,
        subject=subject,
        text=text,
        from_address="kampagne@example.org",
        from_name="Initiative Ğüłé, e.V.",
        automated=True,
    )
    stored = queue_mail(db.session, mail, kind="test")
    db.session.commit()
    assert deliver_due().sent == 1
    [item] = mail_server.received
    message = item.message
    assert item.recipients == ["ziel+alias@example.org"]
    assert not message.defects
    assert message["From"].addresses[0].display_name == "Initiative Ğüłé, e.V."
    assert message["From"].addresses[0].addr_spec == "kampagne@example.org"
    # Long names are cut as before; the words of the name arrive in order.
    assert message["To"].addresses[0].addr_spec == "ziel+alias@example.org"
    assert "".join(str(message["To"].addresses[0].display_name).split()) == "".join(to_name[:120].split())
    assert " ".join(str(message["Subject"]).split()) == " ".join(subject.split())[:300].rstrip()
    assert message["Message-ID"] == stored.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content().replace("\r\n", "\n") == "\n".join(text.splitlines()) + "\n"
    assert all(len(line) <= 78 for line in stored.raw.split(b"\r\n")), "lines stay within RFC 5322's 78"


def test_a_bad_recipient_address_is_refused_at_queue_time(smtp_app):
    mail = OutgoingMail(to_address="kein-at-zeichen", subject="s", text="t", from_address="kampagne@example.org")
    with pytest.raises(ServiceError, match="Ungültige"):
        queue_mail(db.session, mail, kind="test")
