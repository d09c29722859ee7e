"""What coordinators do with replies: log one by hand, classify it, assign unmatched mail, learn senders, notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import (
    LOGGED_BY_HAND,
    Campaign,
    Letter,
    Recipient,
    RecipientAddress,
    Reply,
    ReplyChannel,
    ReplyKind,
    ReplyQuality,
    ReplyStance,
    TrackingNote,
    User,
)
from campaign.services.common.audit import record
from campaign.services.common.dates import german_day, short_date, today_in_germany
from campaign.services.common.emails import canonical_email
from campaign.services.common.errors import ErrorCollector, ServiceError
from campaign.services.common.search import contains_text
from campaign.services.common.text import collapse_spaces, format_thousands
from campaign.services.common.translation import N_
from campaign.services.replies.attachments import add_attachment
from campaign.services.replies.filing import file_under, mark_answered
from campaign.services.replies.matching import BY_HAND, SENT_STATES, match_sender
from campaign.services.sending.bounces import record_bounce

MAX_TEXT = 100_000
MAX_COMMITMENTS = 5_000
MAX_NOTE = 5_000


@dataclass(frozen=True)
class Classification:
    """A coordinator's reading of a reply; `kind` corrects the import (an auto-reply that was a real answer)."""

    quality: ReplyQuality
    stance: ReplyStance
    commitments: str = ""
    publication_allowed: bool = False
    follow_up_on: date | None = None
    kind: ReplyKind | None = None


@dataclass(frozen=True)
class LoggedReply:
    """A reply that came by post, phone, in person, in public or through a supporter, entered by hand."""

    channel: ReplyChannel
    received_on: date
    text: str
    classification: Classification
    from_name: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class Assignment:
    reply: Reply
    learned: RecipientAddress | None = None
    # Other inbox mail from the same sender that the learned address now matched.
    also_assigned: list[Reply] = field(default_factory=list)


def check_logged_reply(letter: Letter, text: str, received_on: date | None, *, with_files: bool) -> None:
    """FieldErrors naming every wrong field of a reply to log (its text, its day), or nothing; writes nothing (for a
    form that has its own mistakes, so that one answer names all of them). Without a day only the text is checked."""
    _checked_text(letter, text, received_on, with_files=with_files)


def _checked_text(letter: Letter, text: str, received_on: date | None, *, with_files: bool) -> str:
    text = (text or "").strip()
    found = ErrorCollector()
    if not text and not with_files:
        found.add("text", _("Bitte den Text der Antwort eingeben oder eine Datei anhängen."))
    if len(text) > MAX_TEXT:
        found.add("text", _("Der Text ist zu lang (höchstens %(max)s Zeichen).", max=format_thousands(MAX_TEXT)))
    sent_on = letter.delivered_on or (german_day(letter.sent_at) if letter.sent_at else None)
    if received_on is not None and received_on > today_in_germany():
        found.add("received_on", _("Das Datum liegt in der Zukunft."))
    elif received_on is not None and sent_on is not None and received_on < sent_on:
        found.add(
            "received_on",
            _(
                "Der Brief %(reference_code)s ging erst am %(sent_on)s hinaus; die Antwort kann nicht früher "
                "eingegangen sein.",
                reference_code=letter.reference_code,
                sent_on=short_date(sent_on),
            ),
        )
    found.raise_if_any()
    return text


def log_reply(session: Session, letter: Letter, data: LoggedReply, *, user: User | None = None) -> Reply:
    """Record a reply to `letter` with its classification and files; the letter counts as answered."""
    text = _checked_text(letter, data.text, data.received_on, with_files=bool(data.files))
    reply = Reply(
        kind=ReplyKind.REPLY,
        channel=data.channel,
        source=LOGGED_BY_HAND,  # the form asks for the day only: the page shows no time (Reply.date_only)
        match_method=BY_HAND,
        received_at=datetime.combine(data.received_on, time(12, 0)),
        from_name=collapse_spaces(data.from_name)[:200],
        body_text=text,
        original_text=text,
    )
    file_under(reply, letter)
    session.add(reply)
    session.flush()
    for filename, content in data.files:
        add_attachment(session, reply, filename, content, strict=True)
    _apply(reply, data.classification, user)
    _mark_answered(session, reply, user)
    record(session, "reply.logged", reply, user=user, channel=data.channel.value, files=len(data.files))
    return reply


def classify_reply(session: Session, reply: Reply, data: Classification, *, user: User | None = None) -> None:
    """Confirm or change the quality, stance, commitments, publication consent and follow-up date of a reply."""
    before = {"kind": reply.kind.value, "quality": reply.quality.value, "stance": reply.stance.value}
    _apply(reply, data, user)
    _mark_answered(session, reply, user)
    session.flush()
    after = {"kind": reply.kind.value, "quality": reply.quality.value, "stance": reply.stance.value}
    record(session, "reply.classified", reply, user=user, before=before, after=after)


def assign_reply(
    session: Session, reply: Reply, letter: Letter, *, learn_address: bool = False, user: User | None = None
) -> Assignment:
    """Tie an inbox mail to a letter; optionally remember its sender as an address of the letter's recipient."""
    if letter.status not in SENT_STATES:
        raise ServiceError(
            _("Der Brief %(reference_code)s wurde noch nicht verschickt.", reference_code=letter.reference_code),
            "letter",
        )
    _attach(session, reply, letter, user)
    result = Assignment(reply)
    if learn_address and letter.recipient is not None:
        result.learned = learn_sender(session, reply, letter.recipient, user=user)
        if result.learned is not None:
            result.also_assigned = _assign_more_from(session, reply, user)
    record(session, "reply.assigned", reply, user=user, letter=letter.reference_code, learned=bool(result.learned))
    return result


def learn_sender(
    session: Session, reply: Reply, recipient: Recipient, *, user: User | None = None
) -> RecipientAddress | None:
    """Remember the reply's sender as another address of `recipient` (None if there is nothing new to learn)."""
    if "@" not in (reply.from_address or ""):
        return None
    canonical = canonical_email(reply.from_address)
    if canonical == recipient.email_canonical:
        return None
    known = session.scalar(select(RecipientAddress).where(RecipientAddress.email_canonical == canonical))
    if known is not None:
        if known.recipient_id == recipient.id:
            return None
        raise ServiceError(
            _(
                "Die Adresse %(from_address)s ist schon %(full_name)s zugeordnet.",
                from_address=reply.from_address,
                full_name=known.recipient.full_name,
            ),
            "learn_address",
        )
    address = RecipientAddress(
        recipient=recipient,
        email=reply.from_address,
        email_canonical=canonical,
        reply_id=reply.id,
        created_by_id=user.id if user else None,
    )
    session.add(address)
    session.flush()
    record(session, "recipient.address_learned", recipient, user=user, address=reply.from_address, reply=reply.id)
    return address


def add_note(
    session: Session, campaign: Campaign, recipient: Recipient, text: str, *, user: User | None = None
) -> TrackingNote:
    text = (text or "").strip()
    if not text:
        raise ServiceError(_("Bitte einen Text für die Notiz eingeben."), "text")
    if len(text) > MAX_NOTE:
        raise ServiceError(_("Die Notiz ist zu lang (höchstens %(MAX_NOTE)s Zeichen).", MAX_NOTE=MAX_NOTE), "text")
    note = TrackingNote(campaign_id=campaign.id, recipient_id=recipient.id, text=text, created_by=user)
    session.add(note)
    session.flush()
    record(session, "note.added", note, user=user, recipient=recipient.id)
    return note


def find_letters(session: Session, query: str, *, limit: int = 20) -> list[Letter]:
    """Sent letters whose reference code, recipient name or address contains the query (for assigning mail)."""
    words = collapse_spaces(query)[:100]
    if len(words) < 2:
        return []
    statement = (
        select(Letter)
        .where(
            Letter.status.in_(SENT_STATES),
            or_(
                contains_text(Letter.reference_code, words),
                contains_text(Letter.recipient_name, words),
                contains_text(Letter.recipient_email, words),
            ),
        )
        .order_by(func.coalesce(Letter.sent_at, Letter.created_at).desc(), Letter.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def _apply(reply: Reply, data: Classification, user: User | None) -> None:
    commitments = (data.commitments or "").strip()
    if len(commitments) > MAX_COMMITMENTS:
        raise ServiceError(
            _("Die Zusagen sind zu lang (höchstens %(MAX_COMMITMENTS)s Zeichen).", MAX_COMMITMENTS=MAX_COMMITMENTS),
            "commitments",
        )
    if data.kind is not None:
        reply.kind = data.kind
    reply.quality = ReplyQuality.AUTO_REPLY if reply.kind is ReplyKind.AUTO_REPLY else data.quality
    if reply.kind is ReplyKind.REPLY and reply.quality is ReplyQuality.AUTO_REPLY:
        raise ServiceError(
            _("Eine Antwort einer Person kann nicht als automatische Antwort eingeordnet werden."), "quality"
        )
    reply.stance = data.stance
    reply.commitments = commitments
    reply.publication_allowed = data.publication_allowed
    reply.follow_up_on = data.follow_up_on
    reply.classified_at = utcnow()
    reply.handled_by = user


def _mark_answered(session: Session, reply: Reply, user: User | None) -> None:
    mark_answered(session, reply, user=user, note=N_("Antwort erfasst"))


def _attach(session: Session, reply: Reply, letter: Letter, user: User | None) -> None:
    file_under(reply, letter)
    reply.match_method = BY_HAND
    session.flush()
    _mark_answered(session, reply, user)
    if reply.kind is ReplyKind.BOUNCE:
        address = reply.failed_address or letter.recipient_email
        record_bounce(session, address=address, reason=reply.body_text, letter=letter, source="zuordnung", user=user)


def _assign_more_from(session: Session, reply: Reply, user: User | None) -> list[Reply]:
    """Inbox mail from the same sender, matched now through the learned address."""
    others = session.scalars(
        select(Reply).where(
            Reply.campaign_id.is_(None), Reply.id != reply.id, Reply.sender_domain == reply.sender_domain
        )
    )
    assigned = []
    for other in others:
        if canonical_email(other.from_address) != canonical_email(reply.from_address):
            continue
        match = match_sender(session, other.from_address)
        if match.letter is not None:
            _attach(session, other, match.letter, user)
            other.match_method = match.method
            assigned.append(other)
    return assigned
