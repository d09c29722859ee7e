"""Views of the organise blueprint (read-only overview; editing comes with the feature screens)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import func, select

from campaign.db import db
from campaign.models import ArgumentSet, LetterTemplate, Motion, Recipient, RecipientList
from campaign.services.campaigns import all_campaigns
from campaign.services.citations import format_citation
from campaign.services.motions import number_lines
from campaign.web.security import STAFF, role_required

bp = Blueprint("organise", __name__, url_prefix="/organise")


@bp.before_request
@role_required(*STAFF)
def require_staff():
    """Every organise page needs a staff account; writing views narrow this further."""


@bp.get("/")
def overview():
    return render_template(
        "organise/overview.html",
        campaigns=all_campaigns(db.session),
        motions=db.session.scalars(select(Motion).order_by(Motion.title)).all(),
        argument_sets=db.session.scalars(select(ArgumentSet).order_by(ArgumentSet.title)).all(),
        templates=db.session.scalars(select(LetterTemplate).order_by(LetterTemplate.name)).all(),
        recipient_count=db.session.scalar(select(func.count(Recipient.id))),
        lists=db.session.scalars(select(RecipientList).order_by(RecipientList.name)).all(),
    )


@bp.get("/motions/<int:motion_id>")
def motion(motion_id: int):
    found = db.session.get(Motion, motion_id) or abort(404)
    return render_template("organise/motion.html", motion=found, lines=number_lines(found.full_text))


@bp.get("/argument-sets/<int:set_id>")
def argument_set(set_id: int):
    found = db.session.get(ArgumentSet, set_id) or abort(404)
    return render_template("organise/argument_set.html", argument_set=found, cite=format_citation)


@bp.get("/templates/<int:template_id>")
def template(template_id: int):
    found = db.session.get(LetterTemplate, template_id) or abort(404)
    return render_template("organise/template.html", template=found)


@bp.get("/recipients")
def recipients():
    people = db.session.scalars(select(Recipient).order_by(Recipient.last_name, Recipient.first_name)).all()
    return render_template("organise/recipients.html", recipients=people)
