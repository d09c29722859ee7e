"""One reply: its text, attachments and how it was matched; the coordinator confirms or changes its classification."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import Reply, ReplyAttachment, ReplyKind, ReplyQuality
from campaign.services.replies.records import classify_reply
from campaign.web.boundary import errors_shown_on
from campaign.web.security import acting_user
from campaign.web.track.forms import ClassifyForm

bp = Blueprint("replies", __name__, url_prefix="/replies")


def _form_for(reply: Reply) -> ClassifyForm:
    """The classification form, pre-filled with the confirmed values, else with the rule's suggestion."""
    if request.method == "POST":
        return ClassifyForm()
    quality = reply.quality if reply.quality is not ReplyQuality.UNCLASSIFIED else reply.suggested_quality
    if quality is ReplyQuality.AUTO_REPLY:
        quality = ReplyQuality.UNCLASSIFIED
    return ClassifyForm(
        data={
            "kind": reply.kind.value,
            "quality": quality.value,
            "stance": reply.stance.value,
            "commitments": reply.commitments,
            "publication_allowed": reply.publication_allowed,
            "follow_up_on": reply.follow_up_on,
        }
    )


@bp.route("/<int:reply_id>", methods=["GET", "POST"])
def show(reply_id: int):
    reply = db.get_or_404(Reply, reply_id)
    form = _form_for(reply)
    if form.validate_on_submit():
        with errors_shown_on(form, default="quality"):
            classify_reply(db.session, reply, form.classification(ReplyKind(form.kind.data)), user=acting_user())
            flash(_("Einordnung gespeichert."), "success")
            return redirect(url_for(".show", reply_id=reply.id))
    status = 400 if request.method == "POST" else 200
    return render_template("track/reply.html", reply=reply, form=form), status


@bp.get("/<int:reply_id>/attachments/<int:attachment_id>/download")
def attachment(reply_id: int, attachment_id: int):
    """A stored file, always as a download (never shown inline, whatever it claims to be)."""
    found = db.get_or_404(ReplyAttachment, attachment_id)
    if found.reply_id != reply_id or found.data is None:
        abort(404)
    return Response(
        found.data,
        mimetype=found.content_type,
        headers={"Content-Disposition": _disposition(found.filename), "X-Content-Type-Options": "nosniff"},
    )


def _disposition(filename: str) -> str:
    fallback = filename.encode("ascii", "replace").decode().replace('"', "'")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
