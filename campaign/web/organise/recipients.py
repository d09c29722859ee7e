"""Organiser views of recipients and recipient lists."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from campaign.db import db
from campaign.models import Recipient
from campaign.web.organise.blueprint import bp


@bp.get("/recipients")
def recipients():
    people = db.session.scalars(select(Recipient).order_by(Recipient.last_name, Recipient.first_name)).all()
    return render_template("organise/recipients.html", recipients=people)
