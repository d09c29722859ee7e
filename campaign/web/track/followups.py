"""Follow-ups due in a campaign, and after how many days without an answer a letter is due."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.services.replies.followups import due_follow_ups, set_follow_up_days
from campaign.web.boundary import errors_shown_on
from campaign.web.security import acting_user
from campaign.web.track.forms import FollowUpDaysForm
from campaign.web.track.lookup import campaign_or_404

bp = Blueprint("followups", __name__, url_prefix="/campaigns/<slug>/follow-ups")


@bp.route("", methods=["GET", "POST"])
def index(slug: str):
    campaign = campaign_or_404(slug)
    form = FollowUpDaysForm(data={"days": campaign.follow_up_days})
    if form.validate_on_submit():
        with errors_shown_on(form, default="days"):
            set_follow_up_days(db.session, campaign, form.days.data, user=acting_user())
            flash(_("Gespeichert: nachfassen nach %(days)s Tagen ohne Antwort.", days=form.days.data), "success")
            return redirect(url_for(".index", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "track/followups.html", campaign=campaign, form=form, due=due_follow_ups(db.session, campaign)
    ), status
