"""The organiser's start page in figures: campaigns, motions, argument sets, templates, recipients and lists."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import ArgumentSet, Campaign, LetterTemplate, Motion, Recipient, RecipientList
from campaign.services.campaigns.records import all_campaigns
from campaign.services.sending.status import MailServerStatus, mail_server_status


@dataclass(frozen=True)
class OrganiserOverview:
    """Everything the start page lists, each in the order it is shown."""

    campaigns: list[Campaign]
    motions: list[Motion]
    argument_sets: list[ArgumentSet]
    templates: list[LetterTemplate]
    recipient_count: int
    lists: list[RecipientList]
    mail_server: MailServerStatus | None = None  # shown when the outbox's mail server cannot be reached


def organiser_overview(session: Session) -> OrganiserOverview:
    """Campaigns newest first; motions, sets, templates and lists by name; the number of recipients."""
    return OrganiserOverview(
        campaigns=all_campaigns(session),
        motions=list(session.scalars(select(Motion).order_by(Motion.title))),
        argument_sets=list(session.scalars(select(ArgumentSet).order_by(ArgumentSet.title))),
        templates=list(session.scalars(select(LetterTemplate).order_by(LetterTemplate.name))),
        recipient_count=session.scalar(select(func.count(Recipient.id))) or 0,
        lists=list(session.scalars(select(RecipientList).order_by(RecipientList.name))),
        mail_server=mail_server_status(session),
    )
