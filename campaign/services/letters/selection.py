"""Which arguments a campaign's letters use: a chosen list for everyone, plus rules by recipient tag."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Argument, ArgumentRule, Campaign, CampaignArgument, Recipient, Target, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError

MAX_TAG_LENGTH = 80


@dataclass(frozen=True)
class RuleSummary:
    """A rule with what it means in practice: how many targets carry the tag and which arguments it adds."""

    rule: ArgumentRule
    targets: int
    arguments: list[Argument]


def available_arguments(campaign: Campaign) -> list[Argument]:
    """The arguments of the campaign's argument set, in the set's order (empty without a set)."""
    return list(campaign.argument_set.arguments) if campaign.argument_set else []


def chosen_argument_ids(campaign: Campaign) -> list[int]:
    """The ids of the arguments chosen for every letter, in letter order."""
    return [choice.argument_id for choice in campaign.chosen_arguments]


def select_arguments(campaign: Campaign, recipient: Recipient) -> list[Argument]:
    """The campaign's chosen arguments, then those its rules add for this recipient's tags (no duplicates)."""
    chosen = [choice.argument for choice in campaign.chosen_arguments]
    tags = set(recipient.tags or [])
    pool = available_arguments(campaign)
    for rule in campaign.argument_rules:
        if rule.recipient_tag in tags:
            chosen.extend(argument for argument in pool if rule.argument_tag in (argument.tags or []))
    return list(dict.fromkeys(chosen))


def set_chosen_arguments(
    session: Session,
    campaign: Campaign,
    argument_ids: Iterable[int],
    *,
    positions: Mapping[int, int | None] | None = None,
    user: User | None = None,
) -> list[Argument]:
    """Choose the arguments every letter of the campaign gets, replacing the previous choice.

    The order is given by `positions` (argument id → wished place, 1 = first) where set, and otherwise
    follows the argument set (the n-th argument of the set at place n); only arguments of the campaign's own
    set can be chosen.
    """
    by_id = {argument.id: argument for argument in available_arguments(campaign)}
    wanted = list(dict.fromkeys(argument_ids))
    foreign = [argument_id for argument_id in wanted if argument_id not in by_id]
    if foreign:
        raise ServiceError(_("Es können nur Argumente aus dem Argumentationsset dieser Kampagne gewählt werden."))
    positions = positions or {}
    set_order = {argument_id: index for index, argument_id in enumerate(by_id)}

    def place(argument_id: int) -> tuple[int, int, int]:
        wished = positions.get(argument_id)
        # Without a wish an argument keeps its place in the set; at equal places a typed-in number goes first.
        if wished is not None:
            return (wished, 0, set_order[argument_id])
        return (set_order[argument_id] + 1, 1, set_order[argument_id])

    ordered = sorted(wanted, key=place)
    before = chosen_argument_ids(campaign)
    if ordered == before:
        return [by_id[argument_id] for argument_id in ordered]
    campaign.chosen_arguments.clear()
    session.flush()  # delete the old rows first, so re-choosing an argument does not collide with its old row
    campaign.chosen_arguments.extend(
        CampaignArgument(argument_id=argument_id, position=index) for index, argument_id in enumerate(ordered)
    )
    session.flush()
    record(
        session,
        "campaign.arguments.choose",
        campaign,
        user=user,
        before=before,
        after=ordered,
    )
    return [by_id[argument_id] for argument_id in ordered]


def _clean_tag(value: str, what: object, known: Iterable[str]) -> str:
    """The tag without surplus spaces, spelt as an existing tag if one matches regardless of case."""
    tag = " ".join((value or "").split())
    if not tag:
        raise ServiceError(_("Bitte ein Schlagwort für %(what)s angeben.", what=what))
    if len(tag) > MAX_TAG_LENGTH:
        raise ServiceError(
            _("Ein Schlagwort darf höchstens %(MAX_TAG_LENGTH)s Zeichen lang sein.", MAX_TAG_LENGTH=MAX_TAG_LENGTH)
        )
    return next((existing for existing in known if existing.casefold() == tag.casefold()), tag)


def add_rule(
    session: Session, campaign: Campaign, *, recipient_tag: str, argument_tag: str, user: User | None = None
) -> ArgumentRule:
    """Add „recipients tagged X also get the arguments tagged Y“; the argument tag must exist in the set."""
    recipient_tag = _clean_tag(recipient_tag, _l("die Empfänger:innen"), recipient_tags(session))
    known_argument_tags = argument_tags(campaign)
    argument_tag = _clean_tag(argument_tag, _l("die Argumente"), known_argument_tags)
    if argument_tag not in known_argument_tags:
        raise ServiceError(
            _(
                "Kein Argument im Argumentationsset dieser Kampagne trägt das Schlagwort „%(argument_tag)s“.",
                argument_tag=argument_tag,
            )
        )
    if any(
        rule.recipient_tag.casefold() == recipient_tag.casefold() and rule.argument_tag == argument_tag
        for rule in campaign.argument_rules
    ):
        raise ServiceError(
            _(
                "Die Regel „%(recipient_tag)s“ → „%(argument_tag)s“ gibt es schon.",
                recipient_tag=recipient_tag,
                argument_tag=argument_tag,
            )
        )
    position = max((rule.position for rule in campaign.argument_rules), default=-1) + 1
    rule = ArgumentRule(recipient_tag=recipient_tag, argument_tag=argument_tag, position=position)
    campaign.argument_rules.append(rule)
    session.flush()
    record(
        session,
        "campaign.rule.add",
        campaign,
        user=user,
        rule_id=rule.id,
        recipient_tag=recipient_tag,
        argument_tag=argument_tag,
    )
    return rule


def remove_rule(session: Session, campaign: Campaign, rule_id: int, *, user: User | None = None) -> None:
    """Remove one of the campaign's rules (a rule of another campaign is refused)."""
    rule = next((rule for rule in campaign.argument_rules if rule.id == rule_id), None)
    if rule is None:
        raise ServiceError(_("Diese Regel gibt es in dieser Kampagne nicht (mehr)."))
    campaign.argument_rules.remove(rule)
    session.flush()
    record(
        session,
        "campaign.rule.remove",
        campaign,
        user=user,
        rule_id=rule_id,
        recipient_tag=rule.recipient_tag,
        argument_tag=rule.argument_tag,
    )


def argument_tags(campaign: Campaign) -> list[str]:
    """Every tag used by an argument of the campaign's set, sorted."""
    return sorted({tag for argument in available_arguments(campaign) for tag in argument.tags or []})


def recipient_tags(session: Session, campaign: Campaign | None = None) -> list[str]:
    """Every tag on a recipient (only the campaign's targets, if given), sorted."""
    statement = select(Recipient.tags)
    if campaign is not None:
        statement = statement.join(Target, Target.recipient_id == Recipient.id).where(Target.campaign_id == campaign.id)
    return sorted({tag for tags in session.scalars(statement) for tag in tags or []})


def rule_summaries(session: Session, campaign: Campaign) -> list[RuleSummary]:
    """The campaign's rules with the number of targets each reaches and the arguments it adds."""
    target_tags = list(
        session.scalars(
            select(Recipient.tags)
            .join(Target, Target.recipient_id == Recipient.id)
            .where(Target.campaign_id == campaign.id)
        )
    )
    arguments = available_arguments(campaign)
    return [
        RuleSummary(
            rule=rule,
            targets=sum(1 for tags in target_tags if rule.recipient_tag in (tags or [])),
            arguments=[argument for argument in arguments if rule.argument_tag in (argument.tags or [])],
        )
        for rule in campaign.argument_rules
    ]
