"""The campaign dashboard: headline figures, segments, answers, signatures against the goal, what needs doing.

Counting rules live in `definitions`; every figure here, in the exports, in `campaign stats` and in the public
tracker is counted with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign
from campaign.services.dashboard.answers import (
    Bucket,
    Commitment,
    commitments,
    letters_sent_per_day,
    reply_time_buckets,
    sent_without_date,
    stance_breakdown,
)
from campaign.services.dashboard.attention import Attention, attention
from campaign.services.dashboard.figures import Headline, days_to_first_reply, headline
from campaign.services.dashboard.segments import Segment, all_segments
from campaign.services.dashboard.signatures import DayCount, refresh_signature_days, signature_days
from campaign.services.dashboard.supporter_letters import SupporterLetterFigures, supporter_letter_figures


@dataclass(frozen=True)
class Dashboard:
    campaign: Campaign
    headline: Headline
    segments: list[Segment]
    stances: list[Bucket]
    commitments: list[Commitment]
    reply_times: list[Bucket]
    signatures: list[DayCount]
    letters_sent: list[DayCount]
    sent_without_date: int
    attention: Attention
    made_at: datetime
    supporter_letters: SupporterLetterFigures | None = None


def campaign_dashboard(session: Session, campaign: Campaign, *, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard page shows for one campaign."""
    now = now or utcnow()
    refresh_signature_days(session, campaign, now=now)
    days = days_to_first_reply(session, campaign)
    return Dashboard(
        campaign=campaign,
        headline=headline(session, campaign, days=days, refresh=False),
        segments=all_segments(session, campaign),
        stances=stance_breakdown(session, campaign),
        commitments=commitments(session, campaign),
        reply_times=reply_time_buckets(days),
        signatures=signature_days(session, campaign, refresh=False),
        letters_sent=letters_sent_per_day(session, campaign),
        sent_without_date=sent_without_date(session, campaign),
        attention=attention(session, campaign, now=now),
        made_at=now,
        supporter_letters=supporter_letter_figures(session, campaign),
    )
