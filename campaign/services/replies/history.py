"""One recipient's history in a campaign: letters, replies, notes and follow-ups, with the audit trail behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from campaign.models import (
    AuditEvent,
    Campaign,
    Letter,
    LetterStatus,
    Recipient,
    RecipientAddress,
    Reply,
    StateChange,
    TrackingNote,
    User,
)
from campaign.services.common.dates import days_in_page_notation, german_day
from campaign.services.common.labels import label
from campaign.services.common.translation import in_page_language
from campaign.services.replies.followups import DueFollowUp, due_follow_ups

# What the audit trail's actions mean, in the words of the history page.
ACTIONS = {
    "reply.imported": _l("Antwort importiert"),
    "reply.logged": _l("Antwort von Hand erfasst"),
    "reply.classified": _l("Antwort eingeordnet"),
    "reply.assigned": _l("Antwort zugeordnet"),
    "recipient.address_learned": _l("Absenderadresse gelernt"),
    "recipient.email_failed": _l("E-Mail-Adresse unzustellbar"),
    "recipient.email_failure_cleared": _l("E-Mail-Adresse wieder gültig"),
    "note.added": _l("Notiz"),
}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    title: str
    detail: str = ""
    who: str = ""
    reply: Reply | None = None
    # Only the day is known (a reply logged by hand): shown without a time.
    date_only: bool = False

    @property
    def sort_key(self) -> tuple[date, bool, datetime]:
        """By German day; within a day an entry known only by its day after the timed ones (a reply logged for the
        day its letter went out came after it, whatever the hour the letter left)."""
        return german_day(self.at), self.date_only, self.at


@dataclass
class RecipientHistory:
    campaign: Campaign
    recipient: Recipient
    letters: list[Letter] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    notes: list[TrackingNote] = field(default_factory=list)
    learned_addresses: list[RecipientAddress] = field(default_factory=list)
    due: list[DueFollowUp] = field(default_factory=list)
    entries: list[HistoryEntry] = field(default_factory=list)


def newest_letter(session: Session, campaign: Campaign, recipient: Recipient) -> Letter | None:
    """The recipient's newest letter in this campaign (a recipient without one has no history here)."""
    return session.scalar(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, Letter.recipient_id == recipient.id)
        .order_by(Letter.id.desc())
        .limit(1)
    )


def recipient_history(session: Session, campaign: Campaign, recipient: Recipient) -> RecipientHistory:
    """Everything the campaign did with this person and heard from them, newest first."""
    history = RecipientHistory(campaign, recipient)
    history.letters = list(
        session.scalars(
            select(Letter)
            .where(Letter.campaign_id == campaign.id, Letter.recipient_id == recipient.id)
            .order_by(Letter.id)
        )
    )
    history.replies = list(
        session.scalars(
            select(Reply)
            .where(Reply.campaign_id == campaign.id, Reply.recipient_id == recipient.id)
            .order_by(Reply.received_at.desc())
        )
    )
    history.notes = list(
        session.scalars(
            select(TrackingNote)
            .where(TrackingNote.campaign_id == campaign.id, TrackingNote.recipient_id == recipient.id)
            .order_by(TrackingNote.created_at.desc())
        )
    )
    history.learned_addresses = list(
        session.scalars(select(RecipientAddress).where(RecipientAddress.recipient_id == recipient.id))
    )
    letter_ids = {letter.id for letter in history.letters}
    history.due = [item for item in due_follow_ups(session, campaign) if item.letter.id in letter_ids]
    history.entries = sorted(_entries(session, history), key=lambda entry: entry.sort_key, reverse=True)
    return history


def _entries(session: Session, history: RecipientHistory) -> list[HistoryEntry]:
    users = {user.id: user.email for user in session.scalars(select(User))}
    entries = [
        HistoryEntry(
            reply.received_at,
            f"{label(reply.kind)} ({label(reply.channel)})",
            reply.subject,
            reply=reply,
            date_only=reply.date_only,
        )
        for reply in history.replies
    ]
    entries += [
        HistoryEntry(note.created_at, _("Notiz"), note.text, users.get(note.created_by_id or 0, ""))
        for note in history.notes
    ]
    letter_codes = {letter.id: letter.reference_code for letter in history.letters}
    changes = session.scalars(
        select(StateChange).where(StateChange.object_type == "Letter", StateChange.object_id.in_(letter_codes))
    )
    entries += [
        HistoryEntry(
            change.created_at,
            _(
                "Brief %(code)s: %(status)s",
                code=letter_codes[change.object_id],
                status=label(LetterStatus(change.to_status)),
            ),
            days_in_page_notation(in_page_language(change.note)),
            users.get(change.user_id or 0, ""),
        )
        for change in changes
    ]
    objects = [("Recipient", [history.recipient.id]), ("Letter", list(letter_codes))]
    objects.append(("Reply", [reply.id for reply in history.replies]))
    audit = session.scalars(
        select(AuditEvent)
        .where(or_(*(and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids)) for kind, ids in objects)))
        .order_by(AuditEvent.created_at.desc())
        .limit(500)
    )
    entries += [
        HistoryEntry(
            event.created_at,
            str(ACTIONS.get(event.action, event.action)),
            _describe(event.details),
            users.get(event.user_id or 0, ""),
        )
        for event in audit
    ]
    return entries


def _describe(details: dict) -> str:
    """The audit record's details as one short line."""
    return ", ".join(
        f"{key}: {value}" for key, value in sorted((details or {}).items()) if value not in (None, "", [], {})
    )[:300]
