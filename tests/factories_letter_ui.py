"""Factories for the letter screens' tests: argument sets with tagged arguments, templates, targets."""

from __future__ import annotations

from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from campaign.models import Argument, ArgumentSet, Campaign, Channel, LetterTemplate, Recipient, Target, TemplateVersion

_sequence = count(1)


def make_argument_set(session: Session, *tagged: tuple[str, list[str]]) -> ArgumentSet:
    """An argument set with one argument per (claim, tags) pair, in that order."""
    argument_set = ArgumentSet(title=f"Set {next(_sequence)}")
    for position, (claim, tags) in enumerate(tagged):
        argument_set.arguments.append(
            Argument(
                key=f"arg-{next(_sequence)}",
                position=position,
                claim=claim,
                paragraph=f"Absatz zu {claim}.",
                tags=list(tags),
            )
        )
    session.add(argument_set)
    session.flush()
    return argument_set


def make_template(
    session: Session, campaign: Campaign, *, subject: str = "Betreff", body: str = "{{ salutation }},\n\nText.\n"
) -> LetterTemplate:
    template = LetterTemplate(campaign_id=campaign.id, name=f"Vorlage {next(_sequence)}")
    template.versions.append(TemplateVersion(number=1, subject=subject, body=body))
    session.add(template)
    session.flush()
    return template


def make_target(session: Session, campaign: Campaign, recipient: Recipient, **values: Any) -> Target:
    values.setdefault("channel", Channel.EMAIL if recipient.email else Channel.POST)
    target = Target(campaign_id=campaign.id, recipient_id=recipient.id, **values)
    session.add(target)
    session.flush()
    return target
