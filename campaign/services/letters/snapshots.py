"""Letter snapshots: each recipient's letter kept as a draft row under its reference code, and its PDF's hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Channel, Letter, LetterStatus, Recipient, Target, TemplateVersion, User
from campaign.services.campaigns.targets import target_versions
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.labels import label
from campaign.services.common.states import transition
from campaign.services.common.translation import N_
from campaign.services.letters.compose import ComposedLetter, compose_letter
from campaign.services.letters.references import allocate_reference_codes, reference_prefix
from campaign.services.letters.templates import current_template_version


@dataclass
class PreparedLetter:
    """A letter row and what it was composed from, before its PDF exists."""

    letter: Letter
    composed: ComposedLetter
    changed: bool
    new: bool = False


def sha256(data: bytes) -> str:
    """The hex SHA-256 of a letter's PDF, as stored with the letter."""
    return hashlib.sha256(data).hexdigest()


def _existing_letters(session: Session, campaign: Campaign, recipients: Sequence[Recipient]) -> dict[int, Letter]:
    ids = [recipient.id for recipient in recipients]
    rows = session.scalars(
        select(Letter)
        .where(
            Letter.campaign_id == campaign.id,
            Letter.recipient_id.in_(ids),
            Letter.supporter_id.is_(None),
            Letter.follow_up_of_id.is_(None),  # a follow-up is made from its own template, never refreshed here
        )
        .order_by(Letter.id)
    )
    return {letter.recipient_id: letter for letter in rows}  # the newest letter per recipient wins


def _channels(session: Session, campaign: Campaign, recipients: Sequence[Recipient]) -> dict[int, Channel]:
    """The channel each recipient's letter goes by, as chosen on the campaign's targets."""
    rows = session.execute(
        select(Target.recipient_id, Target.channel).where(
            Target.campaign_id == campaign.id, Target.recipient_id.in_([r.id for r in recipients])
        )
    )
    return dict(rows.all())


def _frozen_notice(letter: Letter) -> str:
    return _(
        "Brief %(code)s an %(name)s ist bereits %(status)s und wird nicht mehr verändert.",
        code=letter.reference_code,
        name=letter.recipient_name,
        status=label(letter.status),
    )


def snapshot_columns(composed: ComposedLetter, version: TemplateVersion, channel: Channel) -> dict[str, Any]:
    """The letter's columns that record what was addressed and written (cut to their column sizes)."""
    return {
        "template_version": version,
        "channel": channel,
        "recipient_name": composed.recipient_name[:300],
        "recipient_email": composed.recipient_email[:254],
        "address_block": "\n".join(composed.address_lines),
        "subject": composed.subject[:300],
        "body_text": composed.full_text,
        "body_html": str(composed.full_html),
    }


def write_snapshot(session: Session, letter: Letter, snapshot: dict[str, Any], *, user: User | None) -> None:
    """Write the snapshot into the letter; an approved letter whose text changed needs approval again."""
    for name, value in snapshot.items():
        setattr(letter, name, value)
    letter.rendered_at = utcnow()
    letter.prepared_by_id = user.id if user else None
    if letter.status is LetterStatus.APPROVED:
        transition(session, letter, LetterStatus.DRAFT, user=user, note=N_("Text neu erzeugt"))


def prepare_letters(
    session: Session,
    campaign: Campaign,
    recipients: Sequence[Recipient],
    *,
    on: date,
    user: User | None = None,
    template_version: TemplateVersion | None = None,
) -> tuple[list[PreparedLetter], list[str]]:
    """Compose each recipient's letter and create or refresh its draft row; frozen letters are skipped.

    Returns the prepared letters and a German message per skipped recipient. New letters get the next
    reference codes; a letter keeps its code when it is refreshed. The PDF hash is set by `store_pdf`,
    once the PDF exists.
    """
    # Without a version given, each target gets the template chosen for it (by hand or by its tags).
    fallback = template_version or current_template_version(campaign)
    existing = _existing_letters(session, campaign, recipients)
    frozen = {r.id for r in recipients if r.id in existing and existing[r.id].is_frozen}
    skipped = [_frozen_notice(existing[r.id]) for r in recipients if r.id in frozen]
    open_recipients = [r for r in recipients if r.id not in frozen]
    new_count = sum(1 for r in open_recipients if r.id not in existing)
    codes = iter(allocate_reference_codes(session, reference_prefix(campaign, on), new_count))
    channels = _channels(session, campaign, open_recipients)
    versions = {} if template_version else target_versions(session, campaign, open_recipients)
    prepared: list[PreparedLetter] = []
    for recipient in open_recipients:
        version = versions.get(recipient.id, fallback)
        letter = existing.get(recipient.id)
        new = letter is None
        if letter is None:
            letter = Letter(campaign=campaign, recipient=recipient, reference_code=next(codes))
            session.add(letter)
        composed = compose_letter(
            campaign, recipient, on=on, reference_code=letter.reference_code, template_version=version
        )
        snapshot = snapshot_columns(composed, version, channels.get(recipient.id, Channel.POST))
        changed = new or any(getattr(letter, name) != value for name, value in snapshot.items())
        if changed:
            write_snapshot(session, letter, snapshot, user=user)
        prepared.append(PreparedLetter(letter=letter, composed=composed, changed=changed, new=new))
    for used in {item.composed.template_version for item in prepared}:
        if used.used_at is None:
            used.used_at = utcnow()  # from now on the version is immutable
    session.flush()
    _record_generation(session, campaign, fallback, prepared, skipped=len(skipped), user=user)
    return prepared, skipped


def _record_generation(
    session: Session,
    campaign: Campaign,
    version: TemplateVersion,
    prepared: Sequence[PreparedLetter],
    *,
    skipped: int,
    user: User | None,
) -> None:
    """One audit record per run that created or refreshed letters (none when nothing changed)."""
    created = [item.letter.reference_code for item in prepared if item.changed and item.new]
    refreshed = [item.letter.reference_code for item in prepared if item.changed and not item.new]
    if created or refreshed:
        record(
            session,
            "letters.generate",
            campaign,
            user=user,
            template_version=version.id,
            template_versions=sorted({item.composed.template_version.id for item in prepared if item.changed}),
            created=created,
            refreshed=refreshed,
            skipped=skipped,
        )


def store_pdf(letter: Letter, digest: str) -> None:
    """Record the SHA-256 of the PDF made from a letter's snapshot (never for a frozen letter)."""
    if letter.is_frozen:
        raise ServiceError(
            _(
                "Brief %(reference_code)s ist bereits versandt und wird nicht mehr verändert.",
                reference_code=letter.reference_code,
            )
        )
    if letter.pdf_sha256 != digest:
        letter.pdf_sha256 = digest
