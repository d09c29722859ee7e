"""Per-campaign settings of supporters' own letters, and which recipients are open to every supporter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, CampaignStatus, OpenRecipient, Target, User, WritingSettings
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError

MAX_DAYS = 365
MAX_SIMILAR_LIMIT = 1000


@dataclass(frozen=True)
class SettingsChange:
    enabled: bool
    moderated: bool
    block_similar: bool
    similar_limit: int
    questionnaire_days: int


def settings_for(session: Session, campaign: Campaign) -> WritingSettings:
    """The campaign's settings; the defaults (switched off) when none were saved."""
    found = session.get(WritingSettings, campaign.id)
    if found is not None:
        return found
    return WritingSettings(
        campaign_id=campaign.id, enabled=False, moderated=False, block_similar=False, similar_limit=3,
        questionnaire_days=14,
    )  # fmt: skip


def writing_open(session: Session, campaign: Campaign) -> bool:
    """Whether the campaign's supporters may write letters now: it is active and writing is switched on."""
    return campaign.status is CampaignStatus.ACTIVE and settings_for(session, campaign).enabled


def writing_campaign(session: Session, slug: str) -> Campaign | None:
    """The active campaign with this slug if its supporters may write letters now."""
    campaign = session.scalar(select(Campaign).where(Campaign.slug == slug))
    return campaign if campaign is not None and writing_open(session, campaign) else None


def save_settings(session: Session, campaign: Campaign, change: SettingsChange, *, user: User | None = None) -> None:
    """Store the settings; ServiceError for numbers out of range."""
    if not 1 <= change.questionnaire_days <= MAX_DAYS:
        raise ServiceError(_("Bitte eine Zahl von 1 bis %(max)s Tagen angeben.", max=MAX_DAYS), "questionnaire_days")
    if not 1 <= change.similar_limit <= MAX_SIMILAR_LIMIT:
        raise ServiceError(_("Bitte eine Zahl von 1 bis %(max)s angeben.", max=MAX_SIMILAR_LIMIT), "similar_limit")
    settings = session.get(WritingSettings, campaign.id) or WritingSettings(campaign_id=campaign.id)
    settings.enabled, settings.moderated = change.enabled, change.moderated
    settings.block_similar, settings.similar_limit = change.block_similar, change.similar_limit
    settings.questionnaire_days = change.questionnaire_days
    session.add(settings)
    session.flush()
    record(session, "writing.settings", campaign, user=user, **change.__dict__)


def open_recipient_ids(session: Session, campaign: Campaign) -> set[int]:
    return set(session.scalars(select(OpenRecipient.recipient_id).where(OpenRecipient.campaign_id == campaign.id)))


def set_open_recipients(
    session: Session, campaign: Campaign, recipient_ids: Iterable[int], *, user: User | None = None
) -> int:
    """Open exactly these recipients of the campaign to every supporter; ServiceError for others."""
    wanted = set(recipient_ids)
    targets = set(session.scalars(select(Target.recipient_id).where(Target.campaign_id == campaign.id)))
    if wanted - targets:
        raise ServiceError(_("Nur Empfänger:innen dieser Kampagne lassen sich freigeben."), "recipients")
    session.execute(delete(OpenRecipient).where(OpenRecipient.campaign_id == campaign.id))
    session.add_all(OpenRecipient(campaign_id=campaign.id, recipient_id=rid) for rid in sorted(wanted))
    session.flush()
    record(session, "writing.open_recipients", campaign, user=user, recipients=len(wanted))
    return len(wanted)
