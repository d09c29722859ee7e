"""The coordinators' overview: each campaign's letters and answers, follow-ups due, and mail waiting in the inbox."""

from __future__ import annotations

from flask import Blueprint, render_template

from campaign.db import db
from campaign.services.campaigns.records import all_campaigns, campaign_figures
from campaign.services.dashboard.figures import headline
from campaign.services.replies.followups import due_counts
from campaign.services.replies.inbox import inbox_count
from campaign.services.replies.mailbox_status import mailbox_status
from campaign.web.boundary import writes

bp = Blueprint("overview", __name__)


@bp.get("/")
@writes  # brings the stored signature days up to date
def index():
    campaigns = all_campaigns(db.session)
    return render_template(
        "track/overview.html",
        campaigns=campaigns,
        figures={campaign.id: campaign_figures(db.session, campaign) for campaign in campaigns},
        headlines={campaign.id: headline(db.session, campaign) for campaign in campaigns},
        due=due_counts(db.session, campaigns),
        inbox=inbox_count(db.session),
        mailbox=mailbox_status(db.session),
    )
