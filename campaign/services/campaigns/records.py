"""Campaign look-ups and the figures shown on public and management pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, CampaignStatus, Letter, Target
from campaign.services.dashboard.definitions import CAMPAIGN_LETTER
from campaign.services.dashboard.figures import letter_counts
from campaign.services.signing.counts import confirmed_count


@dataclass(frozen=True)
class CampaignFigures:
    targets: int
    letters: int
    letters_sent: int
    replies: int
    signatures: int

    @property
    def response_rate(self) -> int:
        """Replies per sent letter, in whole percent."""
        return round(100 * self.replies / self.letters_sent) if self.letters_sent else 0


def active_campaigns(session: Session) -> list[Campaign]:
    return list(
        session.scalars(select(Campaign).where(Campaign.status == CampaignStatus.ACTIVE).order_by(Campaign.title))
    )


def all_campaigns(session: Session) -> list[Campaign]:
    return list(session.scalars(select(Campaign).order_by(Campaign.created_at.desc())))


def public_campaign(session: Session, slug: str, *, with_drafts: bool = False) -> Campaign | None:
    """The campaign the public may see under this slug (active or closed, never drafts); `with_drafts` also finds
    a draft, for the team's preview of its public page before the start."""
    shown = [CampaignStatus.ACTIVE, CampaignStatus.CLOSED, *([CampaignStatus.DRAFT] if with_drafts else [])]
    return session.scalar(select(Campaign).where(Campaign.slug == slug, Campaign.status.in_(shown)))


def campaign_figures(session: Session, campaign: Campaign) -> CampaignFigures:
    def count(statement) -> int:
        return session.scalar(statement) or 0

    # Sent and answered as the dashboard counts them (services.dashboard.definitions), so the campaign page,
    # the JSON API and the dashboard never disagree.
    sent, answered, _substantive = letter_counts(session, campaign)
    return CampaignFigures(
        targets=count(select(func.count(Target.id)).where(Target.campaign_id == campaign.id)),
        # The campaign's own letters: those supporters wrote themselves are counted on their own screen.
        letters=count(select(func.count(Letter.id)).where(Letter.campaign_id == campaign.id, CAMPAIGN_LETTER)),
        letters_sent=sent,
        replies=answered,
        # From the counter shards, not by counting rows (see services.signing.counts).
        signatures=confirmed_count(session, campaign.id),
    )
