"""Organiser views of argument sets, arguments and sources."""

from __future__ import annotations

from flask import abort, render_template

from campaign.db import db
from campaign.models import ArgumentSet
from campaign.services.citations import format_citation
from campaign.web.organise.blueprint import bp


@bp.get("/argument-sets/<int:set_id>")
def argument_set(set_id: int):
    found = db.session.get(ArgumentSet, set_id) or abort(404)
    return render_template("organise/argument_set.html", argument_set=found, cite=format_citation)
