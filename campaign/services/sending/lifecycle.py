"""A campaign's letters from generated to sent: approval (four-eyes), queueing, schedule, pause, retry, cancel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import (
    Campaign,
    CampaignSending,
    Channel,
    Job,
    Letter,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    User,
)
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.jobs import create_job
from campaign.services.common.states import transition
from campaign.services.common.translation import N_
from campaign.services.letters.batch.plan import recipient_order, recipients_in_order
from campaign.services.letters.snapshots import prepare_letters
from campaign.services.sending.letter_mail import MailSettings, letter_mail, letter_pdf, original_message_id
from campaign.services.sending.outbox import cancel, queue_mail, retry

Progress = Callable[[int, int], None]
WAITING = (OutboxStatus.PENDING, OutboxStatus.FAILED)
GENERATE_CHUNK = 100
# The one answer wherever queueing finds nothing to send (the sending screen, `campaign letters queue`, a queue job):
# it says what to do first, since the usual cause is letters still waiting as drafts.
NOTHING_APPROVED = N_("Keine freigegebenen E-Mail-Briefe: Bitte zuerst Briefe freigeben.")


@dataclass
class StepResult:
    """What a bulk step did: the reference codes it changed, and a German line per letter it left alone."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def current_settings(session: Session, campaign: Campaign) -> CampaignSending:
    """The campaign's sending settings to read: its row, or the defaults (not stored) while it has none."""
    settings = session.get(CampaignSending, campaign.id)
    if settings is None:
        settings = CampaignSending(
            campaign_id=campaign.id, require_second_approver=False, attach_pdf=True, paused=False, send_at=None
        )
    return settings


def sending_settings(session: Session, campaign: Campaign) -> CampaignSending:
    """The campaign's sending settings to change: its row, stored with the defaults the first time."""
    settings = current_settings(session, campaign)
    if settings not in session:
        session.add(settings)
        session.flush()
    return settings


def update_settings(
    session: Session, campaign: Campaign, *, require_second_approver: bool, attach_pdf: bool, user: User | None
) -> CampaignSending:
    """Change whether approval needs a second person and whether letters carry their PDF."""
    settings = sending_settings(session, campaign)
    settings.require_second_approver = require_second_approver
    settings.attach_pdf = attach_pdf
    record(session, "sending.settings", campaign, user=user, second_approver=require_second_approver, pdf=attach_pdf)
    return settings


def campaign_letters(
    session: Session, campaign: Campaign, statuses: Sequence[LetterStatus], codes: Sequence[str] | None = None
) -> list[Letter]:
    """The campaign's letters in these states (only those with these reference codes, if given), by code.

    Letters supporters wrote themselves are never among them: they go out in their writer's name (services.writing).
    """
    statement = _campaign_letters_query(campaign, statuses)
    if codes is not None:
        unknown = set(codes) - set(
            session.scalars(
                select(Letter.reference_code).where(Letter.campaign_id == campaign.id, Letter.reference_code.in_(codes))
            )
        )
        if unknown:
            raise ServiceError(
                _("Diese Kampagne hat keinen Brief mit dem Zeichen %(value)s.", value=", ".join(sorted(unknown)))
            )
        statement = statement.where(Letter.reference_code.in_(codes))
    return list(session.scalars(statement.order_by(Letter.reference_code)))


def _campaign_letters_query(campaign: Campaign, statuses: Sequence[LetterStatus]) -> Select:
    """The campaign's own letters in these states; supporters' letters are not among them (see campaign_letters)."""
    return select(Letter).where(
        Letter.campaign_id == campaign.id, Letter.status.in_(statuses), Letter.supporter_id.is_(None)
    )


def generate_letters(
    session: Session, campaign: Campaign, *, on: date, user: User | None = None, progress: Progress | None = None
) -> StepResult:
    """Generate (or refresh) the text of every target's letter as a draft; sent letters stay as they are."""
    ids = recipient_order(session, campaign)
    if not ids:
        raise ServiceError(_("Die Kampagne „%(title)s“ hat noch keine Empfänger:innen.", title=campaign.title))
    result = StepResult()
    for start in range(0, len(ids), GENERATE_CHUNK):
        chunk = recipients_in_order(session, ids[start : start + GENERATE_CHUNK])
        prepared, skipped = prepare_letters(session, campaign, chunk, on=on, user=user)
        result.done.extend(item.letter.reference_code for item in prepared if item.changed)
        result.skipped.extend(skipped)
        if progress:
            progress(min(len(ids), start + GENERATE_CHUNK), len(ids))
    return result


def _authors(letter: Letter) -> set[int]:
    """Who may not be the second person: the one who generated the text and the one who wrote its version."""
    authors = {letter.prepared_by_id}
    if letter.template_version is not None:
        authors.add(letter.template_version.created_by_id)
    return {author for author in authors if author is not None}


def approve_letters(
    session: Session, campaign: Campaign, *, user: User | None, codes: Sequence[str] | None = None
) -> StepResult:
    """Approve draft letters; with four-eyes on, only letters someone else generated and wrote."""
    settings = current_settings(session, campaign)
    drafts = campaign_letters(session, campaign, [LetterStatus.DRAFT], codes)
    if not drafts:
        raise ServiceError(_("Es gibt keine Entwürfe, die freigegeben werden könnten."))
    if settings.require_second_approver and user is None:
        raise ServiceError(
            _("Diese Kampagne verlangt eine zweite Person zur Freigabe; bitte ein Benutzerkonto nennen.")
        )
    result = StepResult()
    for letter in drafts:
        if settings.require_second_approver and user.id in _authors(letter):
            result.skipped.append(
                _(
                    "%(code)s: von Ihnen erzeugt oder geschrieben; eine zweite Person muss freigeben.",
                    code=letter.reference_code,
                )
            )
            continue
        transition(session, letter, LetterStatus.APPROVED, user=user, note=N_("freigegeben"))
        letter.approved_by_id = user.id if user else None
        result.done.append(letter.reference_code)
    if not result.done:
        raise ServiceError(
            _(
                "Keinen Brief freigegeben: Diese Kampagne verlangt eine zweite Person, die die Briefe "
                "weder erzeugt noch die Vorlage geschrieben hat."
            )
        )
    record(session, "letters.approve", campaign, user=user, letters=result.done, refused=len(result.skipped))
    return result


def schedule(session: Session, campaign: Campaign, at: datetime | None, *, user: User | None) -> None:
    """Send the campaign's queued mail no earlier than `at` (naive UTC), or as soon as possible (None)."""
    if at is not None and at <= utcnow():
        raise ServiceError(_("Der Versandzeitpunkt liegt in der Vergangenheit."), field="send_at")
    settings = sending_settings(session, campaign)
    settings.send_at = at
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.letter_id.in_(_letter_ids(campaign)))
        .values(next_attempt_at=at or utcnow())
        .execution_options(synchronize_session=False)
    )
    record(session, "sending.schedule", campaign, user=user, send_at=at.isoformat() if at else None)


def queue_letters(
    session: Session,
    campaign: Campaign,
    mail: MailSettings,
    *,
    user: User | None,
    at: datetime | None = None,
    codes: Sequence[str] | None = None,
    progress: Progress | None = None,
    required: bool = True,
) -> StepResult:
    """Turn approved e-mail letters into outbox mail, each in the same transaction as its move to QUEUED.

    Printed letters stay approved (they are posted or handed over); letters without a usable address are listed.
    Without approved e-mail letters it is refused, unless `required` is False (a job resumed after its worker died
    may find that the dead worker had queued them all).
    """
    if at is not None:
        schedule(session, campaign, at, user=user)
    settings = current_settings(session, campaign)
    approved = [
        letter
        for letter in campaign_letters(session, campaign, [LetterStatus.APPROVED], codes)
        if letter.channel is Channel.EMAIL
    ]
    if not approved and not required:
        return StepResult()
    if not approved:
        raise ServiceError(_(NOTHING_APPROVED))
    result = StepResult()
    for number, letter in enumerate(approved, start=1):
        problem = _unsendable(letter)
        if problem:
            result.skipped.append(_("%(code)s: %(problem)s", code=letter.reference_code, problem=problem))
            continue
        pdf = letter_pdf(letter) if settings.attach_pdf else None
        queue_mail(
            session,
            letter_mail(letter, mail, pdf=pdf, in_reply_to=original_message_id(session, letter)),
            kind="letter",
            letter=letter,
            send_after=settings.send_at,
            held=settings.paused,
        )
        transition(session, letter, LetterStatus.QUEUED, user=user, note=N_("zum Versand eingereiht"))
        result.done.append(letter.reference_code)
        if progress:
            progress(number, len(approved))
    record(session, "letters.queue", campaign, user=user, letters=result.done, skipped=len(result.skipped))
    return result


def start_queue_job(session: Session, campaign: Campaign, kind: str, *, user: User | None) -> Job:
    """The background job (of the queueing task's `kind`) that queues the campaign's approved e-mail letters.

    Refused before any job exists while there is no approved e-mail letter: a job started anyway would only fail
    in the background, after the screen had said the letters were on their way.
    """
    approved = _campaign_letters_query(campaign, [LetterStatus.APPROVED]).where(Letter.channel == Channel.EMAIL)
    if session.scalar(approved.limit(1)) is None:
        raise ServiceError(_(NOTHING_APPROVED))
    return create_job(session, kind, campaign=campaign, user=user)


def _unsendable(letter: Letter) -> str:
    if not letter.recipient_email:
        return _("keine E-Mail-Adresse")
    if letter.recipient is not None and letter.recipient.email_failed_at is not None:
        return _("Adresse %(address)s ist als fehlerhaft markiert", address=letter.recipient_email)
    return ""


def set_paused(session: Session, campaign: Campaign, paused: bool, *, user: User | None) -> int:
    """Hold (or release) the campaign's mail that is not yet sent; returns how many messages that concerned."""
    settings = sending_settings(session, campaign)
    settings.paused = paused
    changed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status.in_(WAITING), OutboxMessage.letter_id.in_(_letter_ids(campaign)))
        .values(held=paused)
        .execution_options(synchronize_session=False)
    ).rowcount
    record(session, "sending.pause" if paused else "sending.resume", campaign, user=user, messages=changed)
    return changed or 0


def retry_failed(session: Session, campaign: Campaign, *, user: User | None) -> StepResult:
    """Send failed letters again (their stored message, byte for byte)."""
    result = StepResult()
    for letter in campaign_letters(session, campaign, [LetterStatus.FAILED]):
        message = _last_message(session, letter)
        if message is None or message.status not in (OutboxStatus.DEAD, OutboxStatus.FAILED):
            result.skipped.append(_("%(code)s: keine gescheiterte Nachricht gefunden", code=letter.reference_code))
            continue
        if message.status is OutboxStatus.FAILED:
            transition(session, message, OutboxStatus.DEAD, user=user, note=N_("für neuen Versuch"))
        retry(session, message, user=user)
        message.held = current_settings(session, campaign).paused
        transition(session, letter, LetterStatus.QUEUED, user=user, note=N_("erneut versenden"))
        result.done.append(letter.reference_code)
    if not result.done and not result.skipped:
        raise ServiceError(_("Es gibt keine fehlgeschlagenen Briefe."))
    record(session, "letters.retry", campaign, user=user, letters=result.done)
    return result


def cancel_queued(session: Session, campaign: Campaign, *, user: User | None) -> StepResult:
    """Take queued letters out of the queue before they are sent; they stay approved."""
    result = StepResult()
    for letter in campaign_letters(session, campaign, [LetterStatus.QUEUED]):
        message = _last_message(session, letter)
        if message is not None and message.status not in WAITING:
            result.skipped.append(_("%(code)s: wird gerade gesendet", code=letter.reference_code))
            continue
        if message is not None:
            cancel(session, message, user=user, note=N_("Versand abgebrochen"))
        transition(session, letter, LetterStatus.APPROVED, user=user, note=N_("aus der Warteschlange genommen"))
        result.done.append(letter.reference_code)
    if not result.done and not result.skipped:
        raise ServiceError(_("Es sind keine Briefe in der Warteschlange."))
    record(session, "letters.cancel", campaign, user=user, letters=result.done)
    return result


def _last_message(session: Session, letter: Letter) -> OutboxMessage | None:
    return session.scalar(
        select(OutboxMessage).where(OutboxMessage.letter_id == letter.id).order_by(OutboxMessage.id.desc()).limit(1)
    )


def _letter_ids(campaign: Campaign):
    return select(Letter.id).where(Letter.campaign_id == campaign.id).scalar_subquery()


def letter_counts(session: Session, campaign: Campaign) -> dict[LetterStatus, int]:
    """How many of the campaign's letters are in each state (zeros included)."""
    rows = session.execute(
        select(Letter.status, func.count()).where(Letter.campaign_id == campaign.id).group_by(Letter.status)
    ).all()
    counts = dict.fromkeys(LetterStatus, 0)
    counts.update(dict(rows))
    return counts
