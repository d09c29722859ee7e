"""Follow-up letters („Nachfragen“): the campaign's follow-up template, and a second letter to chosen recipients
whose letter went unanswered, made as a draft and then approved, queued and sent like every letter.

A follow-up is a Letter with `follow_up_of` set to the first letter: its own reference code, its subject marked
„Nachfrage: …“, the same channel as the first letter. Each letter gets at most one follow-up (a unique column).
An answer to a follow-up counts for the first letter (campaign.services.replies.filing).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Channel, Letter, LetterStatus, LetterTemplate, TemplateVersion, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.letters.compose import ComposedLetter, compose_letter
from campaign.services.letters.context import original_fields
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.letters.references import allocate_reference_codes, reference_prefix
from campaign.services.letters.snapshots import snapshot_columns, write_snapshot
from campaign.services.letters.templates import clean_texts, save_template_version
from campaign.services.replies.board import due_condition
from campaign.services.sending.lifecycle import StepResult, approve_letters
from campaign.services.sending.offline import mark_delivered

TEMPLATE_NAME = "Nachfrage"
# What the editor offers before the first save (never stored unasked).
STARTER_SUBJECT = "Nachfrage: {{ erster_brief.betreff }}"
STARTER_BODY = (
    "{{ anrede }},\n\n"
    "am {{ erster_brief.versandt_am }} haben wir Ihnen zum Antrag „{{ antrag.titel }}“ geschrieben "
    "(unser Zeichen {{ erster_brief.zeichen }}). Bisher haben wir keine Antwort von Ihnen erhalten.\n\n"
    "{% if frist %}Wir würden uns freuen, bis zum {{ frist }} von Ihnen zu hören.{% else %}"
    "Wir würden uns freuen, von Ihnen zu hören.{% endif %}\n"
)
# At most this many follow-ups per click: each is composed in the request.
MAX_PER_RUN = 500


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up with its first letter, for the follow-up page."""

    letter: Letter
    original: Letter


def follow_up_template(session: Session, campaign: Campaign) -> LetterTemplate | None:
    """The campaign's follow-up template, if one was written."""
    return session.scalar(
        select(LetterTemplate).where(LetterTemplate.campaign_id == campaign.id, LetterTemplate.is_follow_up.is_(True))
    )


def _free_name(session: Session, campaign: Campaign) -> str:
    """„Nachfrage“, or „Nachfrage 2“ … when a letter template of the campaign already has that name."""
    taken = {
        name.lower()
        for name in session.scalars(select(LetterTemplate.name).where(LetterTemplate.campaign_id == campaign.id))
    }
    number = 1
    while (name := TEMPLATE_NAME if number == 1 else f"{TEMPLATE_NAME} {number}").lower() in taken:
        number += 1
    return name


def save_follow_up_template(
    session: Session, campaign: Campaign, *, subject: str, body: str, user: User | None = None
) -> TemplateVersion:
    """Save the follow-up template's subject and body (checked in the sandbox; versions as for letter templates)."""
    template = follow_up_template(session, campaign)
    if template is None:
        subject, body = clean_texts(subject, body, follow_up=True)  # refuse before anything is added
        template = LetterTemplate(campaign_id=campaign.id, name=_free_name(session, campaign), is_follow_up=True)
        session.add(template)
        session.flush()
        record(session, "template.create", template, user=user, campaign_id=campaign.id, follow_up=True)
    return save_template_version(session, template, subject=subject, body=body, user=user)


def _due_letters(session: Session, campaign: Campaign, now: datetime | None) -> dict[int, Letter]:
    statement = select(Letter).where(Letter.campaign_id == campaign.id, due_condition(campaign, now))
    return {letter.id: letter for letter in session.scalars(statement.order_by(Letter.sent_at, Letter.id))}


def _why_not_due(letter: Letter) -> str:
    code = letter.reference_code
    if letter.follow_up_of_id is not None:
        return _("%(code)s: ist selbst eine Nachfrage", code=code)
    if letter.follow_up is not None:
        return _(
            "%(code)s: hat schon eine Nachfrage (%(follow_up)s)", code=code, follow_up=letter.follow_up.reference_code
        )
    if letter.status is LetterStatus.REPLIED:
        return _("%(code)s: ist beantwortet", code=code)
    if letter.status is not LetterStatus.SENT:
        return _("%(code)s: ist nicht versandt", code=code)
    return _("%(code)s: ist noch nicht fällig", code=code)


def _chosen(
    session: Session, campaign: Campaign, letter_ids: Collection[int] | None, now: datetime | None
) -> tuple[list[Letter], list[str]]:
    """The due letters to follow up (all, or the chosen ones) and a line per chosen letter left out."""
    due = _due_letters(session, campaign, now)
    if letter_ids is None:
        return list(due.values()), []
    wanted = set(letter_ids)
    if not wanted:
        raise ServiceError(_("Bitte mindestens einen Brief auswählen."), "letters")
    found = {
        letter.id: letter
        for letter in session.scalars(select(Letter).where(Letter.id.in_(wanted), Letter.campaign_id == campaign.id))
    }
    if wanted - set(found):
        raise ServiceError(_("Mindestens einer der gewählten Briefe gehört nicht zu dieser Kampagne."), "letters")
    chosen = [letter for letter_id, letter in due.items() if letter_id in wanted]
    skipped = [_why_not_due(found[letter_id]) for letter_id in sorted(wanted - set(due))]
    return chosen, skipped


def generate_follow_ups(
    session: Session,
    campaign: Campaign,
    letter_ids: Collection[int] | None = None,
    *,
    on: date,
    user: User | None = None,
    now: datetime | None = None,
) -> StepResult:
    """Make a follow-up draft for each due letter (or the chosen due letters); running it twice adds nothing."""
    template = follow_up_template(session, campaign)
    version = template.current_version if template is not None else None
    if version is None:
        raise ServiceError(_("Bitte zuerst die Vorlage für Nachfragen schreiben und speichern."), "template")
    chosen, skipped = _chosen(session, campaign, letter_ids, now)
    result = StepResult(skipped=skipped)
    for letter in [letter for letter in chosen if letter.recipient is None]:
        result.skipped.append(_("%(code)s: die Empfänger:in gibt es nicht mehr", code=letter.reference_code))
    chosen = [letter for letter in chosen if letter.recipient is not None]
    if len(chosen) > MAX_PER_RUN:
        result.skipped.append(_("%(count)s weitere: bitte noch einmal erzeugen", count=len(chosen) - MAX_PER_RUN))
        chosen = chosen[:MAX_PER_RUN]
    if not chosen:
        if result.skipped:
            reasons = "; ".join(result.skipped[:5])
            raise ServiceError(_("Keine Nachfrage erzeugt: %(reasons)s.", reasons=reasons), "letters")
        # Agreed follow-ups on an answer are due too, but get no follow-up letter: the message says which are meant.
        raise ServiceError(
            _(
                "Keine Nachfrage erzeugt: Kein Brief ohne Antwort ist fällig. "
                "Vereinbarte Termine zum Nachfassen bekommen keine Nachfrage."
            ),
            "letters",
        )
    codes = allocate_reference_codes(session, reference_prefix(campaign, on), len(chosen))
    for original, code in zip(chosen, codes, strict=True):
        if _make_follow_up(session, campaign, original, code, version=version, on=on, user=user):
            result.done.append(code)
        else:
            result.skipped.append(_("%(code)s: hat inzwischen schon eine Nachfrage", code=original.reference_code))
    if version.used_at is None:
        version.used_at = utcnow()  # from now on the version is immutable
    session.flush()
    record(session, "letters.follow_up", campaign, user=user, template_version=version.id, created=result.done)
    return result


def _columns(original: Letter, code: str, *, version: TemplateVersion, on: date) -> dict[str, Any]:
    """The snapshot of the follow-up to `original`: the follow-up template filled in for its recipient."""
    composed = compose_letter(
        original.campaign,
        original.recipient,
        on=on,
        reference_code=code,
        template_version=version,
        original=original_fields(original),
    )
    return snapshot_columns(composed, version, original.channel)


def _make_follow_up(
    session: Session,
    campaign: Campaign,
    original: Letter,
    code: str,
    *,
    version: TemplateVersion,
    on: date,
    user: User | None,
) -> Letter | None:
    """One follow-up draft; None when another run made one for this letter meanwhile (the unique column says so)."""
    columns = _columns(original, code, version=version, on=on)
    letter = Letter(campaign_id=campaign.id, recipient_id=original.recipient_id, reference_code=code)
    try:
        with session.begin_nested():
            session.add(letter)
            letter.follow_up_of = original
            write_snapshot(session, letter, columns, user=user)
            session.flush()
    except IntegrityError:
        session.expire(original, ["follow_up"])
        if session.scalar(select(Letter.id).where(Letter.follow_up_of_id == original.id)) is None:
            raise  # not the one-follow-up rule: a real fault, not to be reported as a skipped letter
        return None
    return letter


def refresh_follow_ups(session: Session, campaign: Campaign, *, on: date, user: User | None = None) -> StepResult:
    """Write the follow-ups not yet queued or sent anew from the current template (approved ones need approving
    again)."""
    template = follow_up_template(session, campaign)
    version = template.current_version if template is not None else None
    if version is None:
        raise ServiceError(_("Bitte zuerst die Vorlage für Nachfragen schreiben und speichern."), "template")
    result = StepResult()
    for row in follow_up_rows(session, campaign):
        letter = row.letter
        if letter.is_frozen or letter.recipient is None:
            continue
        columns = _columns(row.original, letter.reference_code, version=version, on=on)
        if any(getattr(letter, name) != value for name, value in columns.items()):
            write_snapshot(session, letter, columns, user=user)
            result.done.append(letter.reference_code)
    if version.used_at is None and result.done:
        version.used_at = utcnow()
    session.flush()
    if result.done:
        record(session, "letters.follow_up_refresh", campaign, user=user, refreshed=result.done)
    return result


def follow_up_rows(session: Session, campaign: Campaign) -> list[FollowUpRow]:
    """The campaign's follow-ups with their first letters, newest first."""
    letters = session.scalars(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, Letter.follow_up_of_id.is_not(None))
        .order_by(Letter.id.desc())
    )
    return [FollowUpRow(letter, letter.follow_up_of) for letter in letters]


def follow_up_codes(session: Session, campaign: Campaign, status: LetterStatus) -> list[str]:
    """The reference codes of the campaign's follow-ups in this state (for approving or queueing just them)."""
    return list(
        session.scalars(
            select(Letter.reference_code)
            .where(Letter.campaign_id == campaign.id, Letter.follow_up_of_id.is_not(None), Letter.status == status)
            .order_by(Letter.reference_code)
        )
    )


def preview_follow_up(session: Session, campaign: Campaign, *, on: date) -> ComposedLetter | None:
    """The saved follow-up template filled in for the longest-waiting due letter (None without either)."""
    template = follow_up_template(session, campaign)
    version = template.current_version if template is not None else None
    sample = next(iter(_due_letters(session, campaign, None).values()), None)
    if version is None or sample is None or sample.recipient is None:
        return None
    return compose_letter(
        campaign,
        sample.recipient,
        on=on,
        reference_code=f"{reference_prefix(campaign, on)}-…",
        template_version=version,
        original=original_fields(sample),
    )


def print_follow_ups(session: Session, campaign: Campaign) -> bytes:
    """One print file of the approved follow-ups that go by post, each dated as generated."""
    letters = [
        letter
        for letter in session.scalars(
            select(Letter)
            .where(
                Letter.campaign_id == campaign.id,
                Letter.follow_up_of_id.is_not(None),
                Letter.status == LetterStatus.APPROVED,
                Letter.channel == Channel.POST,
                Letter.recipient_id.is_not(None),
            )
            .order_by(Letter.reference_code)
            .limit(MAX_PER_RUN)
        )
    ]
    if not letters:
        raise ServiceError(_("Es gibt keine freigegebenen Nachfragen, die per Post gehen."))
    composed = [
        compose_letter(
            campaign,
            letter.recipient,
            on=(letter.rendered_at or letter.created_at).date(),
            reference_code=letter.reference_code,
            template_version=letter.template_version,
            original=original_fields(letter.follow_up_of),
        )
        for letter in letters
    ]
    return render_letters_pdf(composed)


def _follow_ups_in(session: Session, campaign: Campaign, status: LetterStatus, channel: Channel) -> list[str]:
    return [
        row.letter.reference_code
        for row in follow_up_rows(session, campaign)
        if row.letter.status is status and row.letter.channel is channel
    ]


def approve_follow_ups(session: Session, campaign: Campaign, *, user: User | None) -> StepResult:
    """Approve the follow-up drafts (and only them), with the campaign's four-eyes rule."""
    codes = follow_up_codes(session, campaign, LetterStatus.DRAFT)
    if not codes:
        raise ServiceError(_("Es gibt keine Nachfragen im Entwurf."))
    return approve_letters(session, campaign, user=user, codes=codes)


def sendable_follow_ups(session: Session, campaign: Campaign) -> list[str]:
    """The codes of the approved follow-ups that go by e-mail (what the send button queues)."""
    codes = _follow_ups_in(session, campaign, LetterStatus.APPROVED, Channel.EMAIL)
    if not codes:
        raise ServiceError(_("Es gibt keine freigegebenen Nachfragen per E-Mail."))
    return sorted(codes)


def post_follow_ups(session: Session, campaign: Campaign, *, on: date, user: User | None) -> StepResult:
    """The approved follow-ups on paper were posted on `on`."""
    codes = _follow_ups_in(session, campaign, LetterStatus.APPROVED, Channel.POST)
    if not codes:
        raise ServiceError(_("Es gibt keine freigegebenen Nachfragen, die per Post gehen."))
    return mark_delivered(session, campaign, how="post", on=on, codes=codes, user=user)
