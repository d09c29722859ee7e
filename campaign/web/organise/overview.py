"""The organiser's start page: campaigns, motions, argument sets, templates and recipients at a glance."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from campaign.db import db
from campaign.models import ArgumentSet, LetterTemplate, Motion, Recipient, RecipientList
from campaign.services.campaigns.records import all_campaigns
from campaign.web.organise.blueprint import bp


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
