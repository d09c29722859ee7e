"""A hostile world for the URL-map tests: every kind of record exists once, every text column holds an attack.

`build_world` seeds the demo campaign, adds what the demo lacks (accounts, signatures, letters, replies with an
attachment, lists, notes, jobs, a recipient import waiting for review), and then writes markup, Jinja and URLs
pointing at a loopback server into every text column of every table (`poison`). Columns that cannot hold such a
value are listed in NOT_POISONED with the reason; a table the world leaves empty fails test_every_url.py.

tests/security/samples.py gives each URL argument its value from the world.
"""

from __future__ import annotations

import email
import email.policy
import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.models import (
    Argument,
    ArgumentRule,
    ArgumentSet,
    Campaign,
    Channel,
    Citation,
    ConsentText,
    Letter,
    MailboxState,
    Motion,
    Organisation,
    OutboxMessage,
    OutboxStatus,
    Provision,
    Recipient,
    RecipientList,
    Reply,
    ReplyAttachment,
    Role,
    Signature,
    Source,
    SourceQuote,
    SupporterLetter,
    Target,
    TrackingNote,
    User,
)
from campaign.services.demo import seed_demo
from campaign.services.organisations.records import add_signatory
from campaign.services.sending.outbox import mime_bytes
from campaign.services.signing.consent import add_consent_version
from campaign.services.writing.letters import access_token
from tests.conftest import CampaignCliRunner
from tests.factories import PASSWORD, make_user
from tests.factories_recipients import make_list
from tests.factories_replies import make_reply
from tests.factories_signing import links_in, make_signature
from tests.factories_writing import link_in, make_writing_campaign, write_form

# What would run in a visitor's browser if a page printed it raw.
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
UNDERLINE = "<u>Z</u>"
RAW_MARKUP = (SCRIPT, "<img src=x onerror=alert(1)>", UNDERLINE)
# Jinja that must stay text: evaluated, it prints EVALUATED, which the literal text never contains.
JINJA = '{{ "ZQ" ~ "JX" }}'
SHORT_JINJA = '{{"ZQ"~"JX"}}'
EVALUATED = "ZQJX"
JAVASCRIPT_URL = "javascript:alert(1)//"


def long_payload(port: int) -> str:
    """Markup, Jinja, and every way a PDF renderer could be made to fetch from the loopback server or a file."""
    return (
        f"Ä{SCRIPT}{IMAGE}{JINJA}<img src='http://127.0.0.1:{port}/img'>"
        f"<link rel=stylesheet href='http://127.0.0.1:{port}/link'>"
        f"<style>@import url(http://127.0.0.1:{port}/import); b {{background:url(file:///etc/hostname)}}</style>"
        f"<iframe src='file:///etc/passwd'></iframe>![x](http://127.0.0.1:{port}/md)"
    )


MEDIUM = f"ß{IMAGE}{JINJA}"  # 49 characters
CONSENT_VERSION = f"{UNDERLINE}{SHORT_JINJA}"
SHORT = UNDERLINE

# Columns that keep their value, and why. Everything else of type String/Text gets a payload.
NOT_POISONED = {
    "motions.slug": "part of URLs; the form allows only a-z, 0-9 and hyphens",
    "campaigns.slug": "part of URLs; the form allows only a-z, 0-9 and hyphens",
    "users.email": "the login; checked by email-validator in every form and CLI command",
    "users.password_hash": "an argon2 hash, never shown",
    "users.session_token": "random, never shown",
    "recipients.email": "checked by email-validator in the form and the import (the reply tests poison addresses)",
    "recipients.email_canonical": "derived from the checked address",
    "supporters.email": "checked by email-validator in the signing form",
    "supporters.email_canonical": "derived from the checked address",
    "organisations.email": "checked by email-validator in the form; it becomes the letters' From address",
    "recipient_addresses.email": "checked by email-validator when a coordinator adds it",
    "recipient_addresses.email_canonical": "derived from the checked address",
    "signatures.confirm_token_hash": "a SHA-256 digest, never shown",
    "signatures.withdraw_token_hash": "a SHA-256 digest, never shown",
    "handover_lists.fingerprint": "a SHA-256 digest computed by the code",
    "letters.pdf_sha256": "a SHA-256 digest computed by the code",
    "reply_attachments.sha256": "a SHA-256 digest computed by the code",
    "replies.text_fingerprint": "a digest computed by the code",
    "letters.body_html": "the sandbox's own output (autoescaped), never typed; the template it comes from is poisoned",
    "letters.reference_code": "made by the code from the counter's prefix and a number",
    "reference_counters.prefix": "from the configuration (REFERENCE_PREFIX), not from any form",
    "letters.delivery": "one of a fixed set of words written by the code",
    "replies.match_method": "one of a fixed set of words written by the code",
    "replies.source": "one of a fixed set of words written by the code",
    "outbox_messages.kind": "one of a fixed set of words written by the code",
    "jobs.kind": "one of a fixed set of words written by the code",
    "audit_events.action": "one of a fixed set of words written by the code",
    "audit_events.object_type": "a model's class name",
    "state_changes.object_type": "a model's class name",
    "state_changes.from_status": "a state of the model's state machine",
    "state_changes.to_status": "a state of the model's state machine",
    "organisations.logo_type": "the media type set by the image check (image/png or image/svg+xml)",
    "reply_attachments.content_type": "set by the code from the allowed file types",
    "mailbox_states.mailbox": "from the configuration (IMAP_URL)",
    "worker_heartbeats.name": "host:pid of a worker, the primary key",
    "signatures.consent_version": "must name an existing consent text (a foreign key in all but name)",
    "consent_texts.version": "attacked through the service instead (CONSENT_VERSION); signatures name it",
    "outbox_messages.message_id": "unique Message-ID made by the code",
    "jobs.message": "progress and result texts written by the code",
    "template_versions.subject": "sandboxed Jinja by design (test_template_fields.py attacks the sandbox)",
    "template_versions.body": "sandboxed Jinja by design (test_template_fields.py attacks the sandbox)",
    "postcode_areas.postcode": "five digits, checked by the postcode import (tests/writing/test_postcodes.py)",
    "supporter_letters.postcode": "five digits, checked by the write form",
    "supporter_letters.email": "checked by email-validator in the write form",
    "supporter_letters.delivery": "one of a fixed set of words written by the code",
    "supporter_letters.reference_code": "made by the code from the counter's prefix and a number",
    "supporter_letters.consent_version": "must name an existing consent text",
    "supporter_letters.token_seed": "random, never shown",
    "supporter_letters.confirm_token_hash": "a SHA-256 digest, never shown",
    "supporter_letters.access_token_hash": "a SHA-256 digest, never shown",
    "supporter_letters.site_url": "the site's own address at writing time, from the request, for links in mails",
}

# JSON columns that hold lists of typed words; the other JSON columns (audit details, job results, signatories,
# which get a hostile signatory through the service) are written by the code.
LIST_COLUMNS = ((Recipient, "tags"), (Argument, "tags"), (Source, "authors"))


def text_columns() -> list[tuple[sa.Table, sa.Column]]:
    """Every String or Text column (not enums) of every table."""
    return [
        (table, column)
        for table in db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.String) and not isinstance(column.type, sa.Enum)
    ]


def poisoned_columns() -> list[tuple[sa.Table, sa.Column]]:
    return [(t, c) for t, c in text_columns() if f"{t.name}.{c.name}" not in NOT_POISONED and not c.primary_key]


def payload_for(column: sa.Column, port: int, suffix: str) -> str:
    """The longest attack that fits the column, with `suffix` to keep unique columns unique."""
    room = (column.type.length or 100_000) - len(suffix)
    for payload in (long_payload(port), MEDIUM, SHORT):
        if len(payload) <= room:
            return payload + suffix
    raise AssertionError(f"{column.table.name}.{column.name} is too short for any payload: list it in NOT_POISONED")


def _unique_columns(table: sa.Table) -> set[str]:
    """Columns that must differ between rows (a payload for them gets the row's key appended)."""
    groups = [c.columns for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    groups += [index.columns for index in table.indexes if index.unique]
    return {column.name for group in groups for column in group} | {c.name for c in table.columns if c.unique}


def poison(port: int) -> dict[str, int]:
    """Write a payload into every poisoned column of every row; returns the number of rows per table."""
    rows: dict[str, int] = {}
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for t, c in poisoned_columns() if t is table]
            primary = list(table.primary_key.columns)
            found = connection.execute(select(*primary)).all()
            rows[table.name] = len(found)
            if not columns:
                continue
            unique = _unique_columns(table)
            for key in found:
                suffix = " " + "-".join(str(part) for part in key)
                values = {c.name: payload_for(c, port, suffix if c.name in unique else "") for c in columns}
                where = sa.and_(*(column == part for column, part in zip(primary, key, strict=True)))
                connection.execute(sa.update(table).where(where).values(values))
    return rows


@dataclass
class World:
    """The ids the URL-map tests build their URLs from."""

    ids: dict[str, Any] = field(default_factory=dict)
    admin_email: str = ""
    rows: dict[str, int] = field(default_factory=dict)
    mails: list[bytes] = field(default_factory=list)  # every queued mail's MIME


def _hostile_records(session) -> dict[str, Any]:
    """What the demo lacks: letters, replies with an attachment, signatures, lists, notes, a consent text."""
    campaign = session.scalar(select(Campaign))
    recipients = list(session.scalars(select(Recipient).order_by(Recipient.id)))
    # Three targets are enough to see every letter view (the demo's 33 would take minutes to render).
    targets = list(session.scalars(select(Target).order_by(Target.id)))
    for target in targets[3:]:
        session.delete(target)
    targets[0].channel, targets[1].channel = Channel.EMAIL, Channel.POST
    admin = make_user(session, Role.ADMIN, name="Admin")
    make_user(session, Role.COORDINATOR, name="Koordination")
    letter = Letter(
        campaign=campaign,
        recipient=recipients[0],
        reference_code="SEC-0001",
        channel=Channel.EMAIL,
        recipient_name=recipients[0].full_name,
        recipient_email=recipients[0].email or "person@example.org",
        subject="Betreff",
        body_text="Text",
        body_html="<p>Text</p>",
        address_block="Adresse",
    )
    session.add(letter)
    session.flush()
    session.add(
        OutboxMessage(
            kind="letter",
            letter_id=letter.id,
            message_id="<sec@example.org>",
            to_address="a@example.org",
            raw=b"",
            status=OutboxStatus.SENT,
            last_error="Fehler",
        )
    )
    reply = make_reply(session, letter, subject="Antwort", from_name="Name", message_id="<reply@example.org>")
    attachment = ReplyAttachment(filename="scan.pdf", content_type="application/pdf", data=b"%PDF-1.4 x", size=10)
    reply.attachments.append(attachment)
    unmatched = make_reply(session, None, subject="Ohne Zuordnung", message_id="<inbox@example.org>")
    members = make_list(session, "Liste", recipients[:2])
    session.add(TrackingNote(campaign_id=campaign.id, recipient_id=recipients[0].id, text="Notiz"))
    session.add(MailboxState(mailbox="imaps://example.org/INBOX", last_error="Fehler"))
    signature = make_signature(session, campaign, organisation="Verein", function="Vorsitz")
    make_signature(session, campaign, organisation="Verein", function="Vorsitz", status=signature.status.PENDING)
    add_consent_version(session, CONSENT_VERSION, "Einwilligung")
    rule = session.scalar(select(ArgumentRule))
    if rule is None:
        rule = ArgumentRule(campaign_id=campaign.id, recipient_tag="tag", argument_tag="tag")
        session.add(rule)
    organisation = session.scalar(select(Organisation))
    add_signatory(session, organisation, name=SCRIPT + SHORT_JINJA, role=IMAGE)
    for model, column in LIST_COLUMNS:
        for row in session.scalars(select(model)):
            setattr(row, column, [MEDIUM, SHORT])
    session.flush()
    argument = session.scalar(select(Argument).join(Citation))
    return {
        "slug": campaign.slug,
        "set_id": session.scalar(select(ArgumentSet.id)),
        "argument_id": argument.id,
        "citation_id": argument.citations[0].id,
        "motion_id": session.scalar(select(Motion.id)),
        "provision_id": session.scalar(select(Provision.id)),
        "organisation_id": organisation.id,
        "index": 0,
        "recipient_id": recipients[0].id,
        "member_id": recipients[0].id,
        "list_id": members.id,
        "rule_id": rule.id,
        "signature_id": signature.id,
        "source_id": session.scalar(select(SourceQuote.source_id)),
        "quote_id": session.scalar(select(SourceQuote.id)),
        "template_id": campaign.templates[0].id,
        "user_id": admin.id,
        "admin_email": admin.email,
        "reply_id": reply.id,
        "attachment_id": attachment.id,
        "inbox_reply_id": unmatched.id,
        "consent": session.scalar(select(ConsentText.id)),
        "source": session.scalar(select(Source.id)),
        "users": session.scalar(select(sa.func.count(User.id))),
        "campaign_id": campaign.id,
        "letter_id": letter.id,
        "received": datetime(2026, 3, 4),
        "signatures": session.scalar(select(sa.func.count(Signature.id))),
        "replies": session.scalar(select(sa.func.count(Reply.id))),
        "lists": session.scalar(select(sa.func.count(RecipientList.id))),
        "now": utcnow(),
    }


def _log_in(client: FlaskClient, email: str) -> None:
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "the world's admin could not log in"


def _sign_and_confirm(app: Flask, client: FlaskClient, world: World, address: str = "hostile@example.org") -> None:
    """A visitor signs with a hostile name through the form and confirms by the mailed link."""
    slug = world.ids["slug"]
    page = client.get(f"/c/{slug}").get_data(as_text=True)
    sign = {
        "first_name": f"{SCRIPT}{JINJA}",
        "last_name": IMAGE,
        "email": address,
        "postcode": "50667",
        "city": UNDERLINE,
        "organisation": MEDIUM,
        "function": MEDIUM,
        "listing": "full_name",
        "consent": "y",
        "consent_version": html.unescape(re.search(r'name="consent_version" type="hidden" value="([^"]*)"', page)[1]),
    }
    assert client.post(f"/c/{slug}/sign", data=sign).status_code == 302
    with app.app_context():
        raw = mime_bytes(
            db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id.desc())
            ).first()
        )
    message = email.message_from_bytes(raw, policy=email.policy.default)
    links = links_in(message.get_body(preferencelist=("plain",)).get_content())
    world.ids["confirm_token"] = links["confirm"].rsplit("/", 1)[1]
    world.ids["withdraw_token"] = links["withdraw"].rsplit("/", 1)[1]
    assert client.post(links["confirm"]).status_code == 200


def _write_own_letter(app: Flask, client: FlaskClient, world: World) -> None:
    """A visitor writes their own letter with hostile words through the write form and confirms it."""
    with app.app_context():
        written = make_writing_campaign(db.session)
        db.session.commit()
    form = write_form(written, own_text=f"{SCRIPT}{JINJA}", first_name=IMAGE, city=UNDERLINE)
    assert client.post(f"/c/{written.slug}/write", data=form).status_code in (200, 302)
    with app.app_context():
        letter = db.session.scalars(select(SupporterLetter)).one()
        mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        world.ids["write_slug"] = written.slug
        world.ids["write_confirm_token"] = link_in(mime_bytes(mail), "confirm").rsplit("/", 1)[1]
        world.ids["write_access_token"] = access_token(letter)
    confirm = f"/c/{written.slug}/write/confirm/{world.ids['write_confirm_token']}"
    assert client.post(confirm).status_code in (200, 302)


def _uploads(client: FlaskClient, world: World, port: int) -> None:
    """A hostile SVG logo and a recipient import with hostile rows, left waiting for review."""
    logo = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"'
        f' onload="alert(1)"><script>alert(1)</script><image href="http://127.0.0.1:{port}/logo" width="5"'
        f' height="5"/><image xlink:href="file:///etc/hostname"/><rect width="5" height="5"/></svg>'
    ).encode()
    answer = client.post(
        f"/organise/organisations/{world.ids['organisation_id']}/logo",
        data={"logo": (io.BytesIO(logo), f"{SCRIPT}.svg")},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    csv = f"Vorname;Nachname;E-Mail\n{IMAGE};{SCRIPT}{JINJA};import@example.org\n".encode()
    upload = client.post(
        "/organise/recipients/import",
        data={"file": (io.BytesIO(csv), f"{SCRIPT}.csv"), "list_name": MEDIUM},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, upload.get_data(as_text=True)
    world.ids["import_token"] = upload.headers["Location"].rsplit("/", 1)[1]


def _generate_and_queue_letters(app: Flask, client: FlaskClient, world: World) -> None:
    """The letters job renders every target's letter (from the poisoned records) into a ZIP of PDFs; the e-mail
    letters are then approved and queued with the CLI, so the outbox holds them as MIME."""
    job = client.post(
        f"/organise/campaigns/{world.ids['slug']}/letters/generate", data={"format": "zip", "sort": "postcode"}
    )
    assert job.status_code == 302, job.get_data(as_text=True)
    world.ids["job_id"] = int(job.headers["Location"].rsplit("/", 1)[1])
    runner = CampaignCliRunner(app)
    for command in (["letters", "approve", world.ids["slug"], "--all"], ["letters", "queue", world.ids["slug"]]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, result.output


def build_world(app: Flask, client: FlaskClient, port: int, *, letters: bool = True) -> World:
    """The demo campaign plus the records above, every text column poisoned; `client` ends logged in as admin.

    `letters=False` skips rendering and queueing the letters (the slow part) for tests that only look at pages.
    """
    world = World()
    with app.app_context():
        seed_demo(db.session)
        world.ids = _hostile_records(db.session)
        world.admin_email = world.ids["admin_email"]
        db.session.commit()
    _sign_and_confirm(app, app.test_client(), world)
    _write_own_letter(app, app.test_client(), world)
    _log_in(client, world.admin_email)
    _uploads(client, world, port)
    with app.app_context():
        world.rows = poison(port)
        db.session.remove()
    if letters:
        _generate_and_queue_letters(app, client, world)
    # Signed once more now that the campaign's texts are poisoned: the confirmation mail is made from them.
    _sign_and_confirm(app, app.test_client(), world, "hostile2@example.org")
    with app.app_context():
        world.mails = [mime_bytes(mail) for mail in db.session.scalars(select(OutboxMessage)) if mail.raw != b""]
    return world
