"""Organiser views of motions and their provisions."""

from __future__ import annotations

from flask import abort, render_template

from campaign.db import db
from campaign.models import Motion
from campaign.services.motions import number_lines
from campaign.web.organise.blueprint import bp


@bp.get("/motions/<int:motion_id>")
def motion(motion_id: int):
    found = db.session.get(Motion, motion_id) or abort(404)
    return render_template("organise/motion.html", motion=found, lines=number_lines(found.full_text))
