"""Letters that leave on paper (posted on, handed over on), and failing addresses corrected and sent again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Channel, Letter, LetterStatus, Recipient, Target, User
from campaign.services.common.audit import record
from campaign.services.common.dates import (
    german_day,
    german_time_to_utc,
    short_date,
    today_in_germany,
)
from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.errors import ErrorCollector, ServiceError
from campaign.services.common.states import transition
from campaign.services.common.translation import N_
from campaign.services.letters.snapshots import prepare_letters
from campaign.services.sending.bounces import clear_failure
from campaign.services.sending.letter_mail import MailSettings
from campaign.services.sending.lifecycle import StepResult, campaign_letters, current_settings, queue_letters

# The note of the state change, stored in German (the day as ISO date, the same in every language) and shown in
# the viewer's language on the recipient's history page.
DELIVERIES = {"post": N_("zur Post gegeben am %(date)s"), "in_person": N_("persönlich übergeben am %(date)s")}
# A letter on paper leaves on a day, at no known hour; the board, the dashboard's letters per day and its reply
# times read sent_at (naive UTC, as the outbox stores an e-mail's). So it gets noon German time of that day: in
# summer and in winter (10:00 or 11:00 UTC) that is the same day in Germany and in UTC, where German midnight would
# be the day before in UTC. The day itself stays in delivered_on, which the follow-ups count their days from.
PAPER_SENT_TIME = time(12, 0)


def paper_sent_at(on: date, now: datetime) -> datetime:
    """The sent_at of a letter posted or handed over on `on`: noon German time that day, as naive UTC.

    Never later than `now`: a letter posted this morning has not been sent in the afternoon to come.
    """
    return min(german_time_to_utc(datetime.combine(on, PAPER_SENT_TIME)), now)


def check_delivery(how: str, on: date | None, codes: Sequence[str] | None = None) -> None:
    """FieldErrors naming every wrong field of letters to mark as posted or handed over, or nothing; writes nothing
    (also for a form that has its own mistakes, so that one answer names all of them: without a date, there is
    nothing to say about it)."""
    found = ErrorCollector()
    if how not in DELIVERIES:
        found.add("how", _("Unbekannter Versandweg „%(how)s“.", how=how))
    if on is not None and on > today_in_germany():
        found.add("on", _("Das Datum liegt in der Zukunft."))
    if how == "in_person" and not codes:
        found.add("letters", _("Bitte die Briefe wählen, die persönlich übergeben wurden."))
    found.raise_if_any()


def mark_delivered(
    session: Session,
    campaign: Campaign,
    *,
    how: str,
    on: date,
    codes: Sequence[str] | None = None,
    user: User | None = None,
) -> StepResult:
    """Approved letters posted (all printed ones, or those named) or handed over in person (those named) on `on`."""
    check_delivery(how, on, codes)
    letters = campaign_letters(session, campaign, [LetterStatus.APPROVED], codes)
    if codes is None:
        letters = [letter for letter in letters if letter.channel is Channel.POST]
    if not letters:
        raise ServiceError(_("Es gibt keine freigegebenen Briefe, die so markiert werden könnten."))
    _check_not_before_made(letters, on)
    result = StepResult()
    sent_at = paper_sent_at(on, utcnow())
    for letter in letters:
        transition(session, letter, LetterStatus.SENT, user=user, note=DELIVERIES[how] % {"date": on.isoformat()})
        letter.delivery, letter.delivered_on, letter.sent_at = how, on, sent_at
        result.done.append(letter.reference_code)
    record(session, f"letters.{how}", campaign, user=user, on=on.isoformat(), letters=result.done)
    return result


def _check_not_before_made(letters: Sequence[Letter], on: date) -> None:
    """A letter cannot have left before it was made: a slip of the date picker would date it (and the dashboard's
    letters per day and reply times) into the past."""
    newest = max(letters, key=lambda letter: letter.created_at)
    made_on = german_day(newest.created_at)
    if on < made_on:
        raise ServiceError(
            _(
                "Der Brief %(reference_code)s wurde erst am %(made_on)s erzeugt; er kann nicht früher versandt worden "
                "sein. Bitte das Datum prüfen.",
                reference_code=newest.reference_code,
                made_on=short_date(made_on),
            ),
            "on",
        )


def _belongs_to(session: Session, campaign: Campaign, recipient: Recipient) -> bool:
    """Whether the recipient is a target of the campaign or has a letter from it."""
    target = select(Target.id).where(Target.campaign_id == campaign.id, Target.recipient_id == recipient.id)
    letter = select(Letter.id).where(Letter.campaign_id == campaign.id, Letter.recipient_id == recipient.id)
    return session.scalar(target.union_all(letter).limit(1)) is not None


def correct_address(
    session: Session,
    campaign: Campaign,
    recipient: Recipient,
    email: str,
    *,
    user: User | None = None,
    resend: MailSettings | None = None,
) -> StepResult:
    """Store the corrected address and make the campaign's bounced letter to it a draft again, with the new address.

    Without four-eyes approval the letter is approved again at once and, with `resend`, queued; otherwise it
    waits for a second person like any draft.
    """
    if not _belongs_to(session, campaign, recipient):
        # The URL names the campaign: a person of another campaign is not corrected (nor logged) under this one.
        raise ServiceError(_("Diese Person gehört nicht zu dieser Kampagne."))
    try:
        address = normalise_email(email)
    except ServiceError as exc:
        raise ServiceError(str(exc), field="email") from exc
    old = recipient.email
    recipient.email, recipient.email_canonical = address, canonical_email(address)
    clear_failure(session, recipient, user=user)
    record(session, "recipient.email_corrected", recipient, user=user, old=old, new=address)
    bounced = session.scalars(
        select(Letter).where(
            Letter.campaign_id == campaign.id,
            Letter.recipient_id == recipient.id,
            Letter.status == LetterStatus.BOUNCED,
        )
    ).all()
    result = StepResult()
    for letter in bounced:
        transition(
            session,
            letter,
            LetterStatus.DRAFT,
            user=user,
            note=N_("Adresse korrigiert: %(address)s") % {"address": address},
        )
        if letter.follow_up_of_id is not None:
            # A follow-up keeps its text (made from the follow-up template); only its address is the new one.
            letter.recipient_email = address
    if bounced:
        if any(letter.follow_up_of_id is None for letter in bounced):
            prepare_letters(session, campaign, [recipient], on=today_in_germany(), user=user)
        if not current_settings(session, campaign).require_second_approver:
            for letter in bounced:
                transition(session, letter, LetterStatus.APPROVED, user=user, note=N_("nach Adresskorrektur"))
                letter.approved_by_id = user.id if user else None
            if resend is not None:
                queue_letters(session, campaign, resend, user=user, codes=[letter.reference_code for letter in bounced])
        result.done = [letter.reference_code for letter in bounced]
    return result
