"""Importing mail: one message into a matched, classified reply (or an inbox item), and .eml/.mbox files of them.

The same Message-ID is stored once (a message without one gets an id made from its bytes), so importing a file
or a mailbox twice changes nothing. Bounces go through the sending service's record_bounce, like SMTP refusals.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Reply, ReplyChannel, ReplyKind, ReplyQuality, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.translation import N_
from campaign.services.replies.attachments import add_attachment
from campaign.services.replies.filing import file_under, mark_answered
from campaign.services.replies.kinds import bounce_report, mail_kind
from campaign.services.replies.mail import ParsedMail, parse_mail
from campaign.services.replies.matching import Clues, Match, match_mail
from campaign.services.replies.suggestion import suggest_quality, text_fingerprint
from campaign.services.replies.text import reply_text, unwrap_forward
from campaign.services.sending.bounces import record_bounce
from campaign.services.sending.messages import parse_mailbox

# What the email package or a text library may raise on a broken message; such a message is reported, not stored.
UNREADABLE = (ValueError, LookupError, TypeError, AttributeError, IndexError, UnicodeError, AssertionError)


@dataclass
class ImportReport:
    """What an import did, for the CLI and the upload page."""

    imported: int = 0
    duplicates: int = 0
    replies: int = 0
    auto_replies: int = 0
    bounces: int = 0
    matched: int = 0
    unmatched: int = 0
    errors: list[str] = field(default_factory=list)
    stored: list[Reply] = field(default_factory=list)

    def count(self, reply: Reply | None) -> None:
        if reply is None:
            self.duplicates += 1
            return
        self.imported += 1
        self.stored.append(reply)
        if reply.kind is ReplyKind.BOUNCE:
            self.bounces += 1
        elif reply.kind is ReplyKind.AUTO_REPLY:
            self.auto_replies += 1
        else:
            self.replies += 1
        if reply.is_matched:
            self.matched += 1
        else:
            self.unmatched += 1


def import_message(session: Session, raw: bytes, *, source: str = "file", user: User | None = None) -> Reply | None:
    """Store one message as a reply (None if its Message-ID is already stored); ServiceError if unreadable."""
    try:
        mail = parse_mail(raw)
    except UNREADABLE as exc:
        raise ServiceError(
            _("Die Nachricht ist keine lesbare E-Mail (%(kind)s).", kind=exc.__class__.__name__)
        ) from exc
    if not mail.from_address and mail.sent_at is None:
        raise ServiceError(
            _("Die Nachricht hat weder Absender noch Datum; sie ist keine E-Mail und wurde übersprungen.")
        )
    if session.scalar(select(Reply.id).where(Reply.message_id == mail.message_id)) is not None:
        return None
    try:
        with session.begin_nested():  # a second worker storing the same message at this moment: keep theirs
            return _store(session, mail, source=source, user=user)
    except IntegrityError:
        return None


def import_messages(
    session: Session,
    messages: Iterable[bytes],
    *,
    source: str = "file",
    label: str = "",
    start: int = 1,
    user: User | None = None,
) -> ImportReport:
    """Import each message; an unreadable one is named (by its number from `start`) and the others still imported."""
    report = ImportReport()
    for number, raw in enumerate(messages, start=start):
        try:
            report.count(import_message(session, raw, source=source, user=user))
        except ServiceError as exc:
            report.errors.append(f"{label or 'Nachricht'} Nr. {number}: {exc}")
    return report


def split_mail_file(data: bytes) -> list[bytes]:
    """The messages of an uploaded file: an mbox (starting with a „From “ line) or a single .eml message."""
    if not data.strip():
        raise ServiceError(_("Die Datei ist leer."))
    if data.startswith(b"From "):
        return list(iter_mbox(data.splitlines(keepends=True)))
    head = data[:4096].lower()
    if not any(name in head for name in (b"from:", b"subject:", b"message-id:", b"received:", b"date:")):
        raise ServiceError(_("Die Datei ist weder eine E-Mail (.eml) noch ein Postfach im mbox-Format."))
    return [data]


def iter_mbox(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The messages of an mbox file (mboxo and mboxrd: „>From “ lines lose one „>“), read line by line."""
    message: list[bytes] = []
    started = False
    for line in lines:
        if line.startswith(b"From ") and (not message or message[-1].strip() == b""):
            if started and message:
                yield b"".join(message)
            message, started = [], True
            continue
        if started:
            message.append(line[1:] if line.startswith(b">") and line.lstrip(b">").startswith(b"From ") else line)
    if started and message:
        yield b"".join(message)


def _store(session: Session, mail: ParsedMail, *, source: str, user: User | None) -> Reply:
    kind = mail_kind(mail)
    reply = Reply(
        kind=kind,
        channel=ReplyChannel.EMAIL,
        source=source,
        message_id=mail.message_id,
        received_at=mail.sent_at or utcnow(),
        subject=mail.subject[:300],
        in_reply_to=(mail.in_reply_to or [""])[0][:255],
        to_address=(mail.delivered_to or [""])[0][:254],
        from_address=mail.from_address,
        from_name=mail.from_name,
        original_text=mail.text,
    )
    bounce = kind is ReplyKind.BOUNCE
    match = _read_bounce(session, reply, mail, user) if bounce else _read_reply(session, reply, mail)
    reply.recipient, reply.match_method, reply.campaign_id = match.recipient, match.method, None
    file_under(reply, match.letter)
    reply.sender_domain = reply.from_address.rpartition("@")[2][:254]
    session.add(reply)
    session.flush()
    if reply.kind is not ReplyKind.BOUNCE:
        reply.suggested_quality = suggest_quality(session, reply)
    if reply.kind is ReplyKind.AUTO_REPLY:
        reply.quality = ReplyQuality.AUTO_REPLY  # never counted as an answer, so nothing to confirm
    mark_answered(session, reply, user=user, note=N_("Antwort eingegangen (%(source)s)") % {"source": source})
    for attachment in mail.attachments:
        add_attachment(session, reply, attachment.filename, attachment.data, strict=False)
    record(session, "reply.imported", reply, user=user, kind=reply.kind.value, match=reply.match_method, source=source)
    return reply


def _read_reply(session: Session, reply: Reply, mail: ParsedMail) -> Match:
    """Text and match of a reply or auto-reply; a forward counts as the forwarded answer of its original sender."""
    forwarded = unwrap_forward(mail.text, mail.subject)
    texts = [mail.subject, mail.text]
    senders = [mail.from_address]
    text = mail.text
    if forwarded is not None and forwarded.from_address:
        reply.forwarded_by = mail.from_address
        reply.from_address, reply.from_name = forwarded.from_address[:254], forwarded.from_name[:200]
        texts = [forwarded.subject, mail.subject, forwarded.text, forwarded.note]
        senders = [forwarded.from_address]
        text = forwarded.text
    reply.body_text = reply_text(text)
    if reply.kind is ReplyKind.REPLY:
        reply.text_fingerprint = text_fingerprint(reply.body_text)
    clues = Clues(
        message_ids=[*mail.in_reply_to, *reversed(mail.references)],
        texts=texts,
        delivered_to=mail.delivered_to,
        senders=senders,
    )
    return match_mail(session, clues, reply_address=str(setting("REPLY_ADDRESS") or ""))


def _read_bounce(session: Session, reply: Reply, mail: ParsedMail, user: User | None) -> Match:
    """Which letter came back and which address failed; the failure is recorded like an SMTP refusal."""
    ours = {parse_mailbox(str(setting("MAIL_FROM") or ""))[1].lower()}
    report = bounce_report(mail, ignore=ours)
    clues = Clues(
        message_ids=report.original_message_ids,
        texts=[report.original_subject, mail.subject, mail.text],
        senders=report.addresses,
    )
    match = match_mail(session, clues, reply_address=str(setting("REPLY_ADDRESS") or ""))
    letter_address = match.letter.recipient_email.lower() if match.letter is not None else ""
    failed = letter_address if letter_address in report.addresses or not report.addresses else report.addresses[0]
    reply.failed_address = failed[:254]
    reply.body_text = report.reason
    if not report.permanent:  # "delayed": the server keeps trying; a notice, not a failure
        reply.kind = ReplyKind.AUTO_REPLY
        return match
    if failed or match.letter is not None:
        source = "dsn" if mail.report_type else "bounce_mail"
        record_bounce(session, address=failed, reason=report.reason, letter=match.letter, source=source, user=user)
    return match
