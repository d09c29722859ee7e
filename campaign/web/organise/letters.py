"""Organiser views of letter templates and letters."""

from __future__ import annotations

from flask import abort, render_template

from campaign.db import db
from campaign.models import LetterTemplate
from campaign.web.organise.blueprint import bp


@bp.get("/templates/<int:template_id>")
def template(template_id: int):
    found = db.session.get(LetterTemplate, template_id) or abort(404)
    return render_template("organise/template.html", template=found)
