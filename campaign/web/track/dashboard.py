"""The dashboard of one campaign: figures, segments, answers, signatures against the goal, what needs doing."""

from __future__ import annotations

from flask import Blueprint, render_template

from campaign.db import db
from campaign.services.common.tabular import FORMATS
from campaign.services.dashboard import campaign_dashboard
from campaign.services.dashboard.definitions import DEFINITIONS, SUPPORTER_DEFINITIONS
from campaign.services.exports import TABLES
from campaign.web.boundary import writes
from campaign.web.charts import bar_chart, line_chart
from campaign.web.datetimes import long_date
from campaign.web.lookup import campaign_or_404

bp = Blueprint("dashboard", __name__, url_prefix="/campaigns/<slug>")


@bp.get("")
@writes  # brings the stored signature days up to date
def show(slug: str):
    campaign = campaign_or_404(slug)
    board = campaign_dashboard(db.session, campaign)
    signatures = [(long_date(day.day), day.total) for day in board.signatures]
    charts = {
        "signatures": line_chart(signatures, goal=campaign.goal_signatures),
        "signatures_daily": bar_chart([(long_date(day.day), day.count) for day in board.signatures]),
        "letters": bar_chart([(long_date(day.day), day.count) for day in board.letters_sent]),
        "reply_times": bar_chart([(bucket.label, bucket.count) for bucket in board.reply_times], height=180),
    }
    return render_template(
        "track/dashboard.html",
        campaign=campaign,
        board=board,
        charts=charts,
        definitions=DEFINITIONS + SUPPORTER_DEFINITIONS,
        # Not rounded here: the percent filter keeps one decimal, so 2 of 500 reads „0,4 %“, not „0 %“.
        goal_share=100 * board.headline.signatures_confirmed / campaign.goal_signatures
        if campaign.goal_signatures
        else None,
        peak=max(board.signatures, key=lambda day: day.count, default=None),
        downloads=[(what, TABLES[what].link, fmt) for what in sorted(TABLES) for fmt in FORMATS],
    )
