"""One recipient's history in a campaign (with notes), and logging a reply that came by post, phone or otherwise."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import ReplyChannel
from campaign.services.common.dates import today_in_germany
from campaign.services.replies.history import recipient_history
from campaign.services.replies.records import LoggedReply, add_note, check_logged_reply, log_reply
from campaign.web.boundary import errors_shown_on
from campaign.web.forms import validate_with_service
from campaign.web.lookup import campaign_or_404
from campaign.web.security import acting_user
from campaign.web.track.forms import LogReplyForm, NoteForm
from campaign.web.track.lookup import recipient_letter_or_404

bp = Blueprint("history", __name__, url_prefix="/campaigns/<slug>/recipients/<int:recipient_id>")


@bp.route("", methods=["GET", "POST"])
def show(slug: str, recipient_id: int):
    campaign = campaign_or_404(slug)
    recipient, _letter = recipient_letter_or_404(campaign, recipient_id)
    form = NoteForm()
    if form.validate_on_submit():
        with errors_shown_on(form, default="text"):
            add_note(db.session, campaign, recipient, form.text.data, user=acting_user())
            flash(_("Notiz gespeichert."), "success")
            return redirect(url_for(".show", slug=slug, recipient_id=recipient_id))
    status = 400 if request.method == "POST" else 200
    history = recipient_history(db.session, campaign, recipient)
    return render_template("track/history.html", history=history, form=form), status


@bp.route("/replies/new", methods=["GET", "POST"])
def log(slug: str, recipient_id: int):
    campaign = campaign_or_404(slug)
    recipient, letter = recipient_letter_or_404(campaign, recipient_id)
    form = LogReplyForm()
    if request.method == "GET":
        form.received_on.data = today_in_germany()
    elif validate_with_service(
        form,
        lambda: check_logged_reply(
            letter,
            form.text.data or "",
            form.received_on.data,
            with_files=any(upload.filename for upload in form.attachments.data or []),
        ),
    ):
        files = [(upload.filename or "", upload.read()) for upload in form.attachments.data or [] if upload.filename]
        data = LoggedReply(
            channel=ReplyChannel(form.channel.data),
            received_on=form.received_on.data,
            text=form.text.data or "",
            classification=form.classification(),
            from_name=form.from_name.data or "",
            files=files,
        )
        with errors_shown_on(form, default="text"):
            reply = log_reply(db.session, letter, data, user=acting_user())
            flash(_("Antwort von %(name)s gespeichert.", name=recipient.full_name), "success")
            return redirect(url_for("track.replies.show", reply_id=reply.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "track/reply_new.html", campaign=campaign, recipient=recipient, letter=letter, form=form
    ), status
