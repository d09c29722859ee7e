"""A campaign's targets: who gets its letters, by which channel, and with which of its templates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from campaign.models import (
    Campaign,
    CampaignChannels,
    Channel,
    LetterTemplate,
    Recipient,
    Target,
    TemplateVersion,
    User,
)
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from campaign.services.recipients.search import RecipientFilter, filtered_ids, filtered_statement

MAX_TAG_LENGTH = 80


@dataclass(frozen=True)
class TargetRow:
    """A target as the targets page lists it: the recipient, the channel and the template it gets (and why)."""

    target: Target
    template: LetterTemplate | None
    by_hand: bool


def default_channel(campaign: Campaign, recipient: Recipient) -> Channel:
    """E-mail where the campaign sends e-mail and the recipient has an address; post otherwise."""
    if campaign.channels is CampaignChannels.POST or not recipient.email:
        return Channel.POST
    return Channel.EMAIL


def reassign_channels(session: Session, campaign: Campaign) -> int:
    """Give every target the channel the campaign's channels now call for; returns how many changed."""
    changed = 0
    for target in session.scalars(select(Target).where(Target.campaign_id == campaign.id)):
        channel = default_channel(campaign, target.recipient)
        if target.channel is not channel:
            target.channel, changed = channel, changed + 1
    session.flush()
    return changed


def target_ids(session: Session, campaign: Campaign) -> set[int]:
    """The ids of the recipients that are targets of the campaign."""
    return set(session.scalars(select(Target.recipient_id).where(Target.campaign_id == campaign.id)))


def campaign_targets(session: Session, campaign: Campaign) -> list[Target]:
    """The campaign's targets in the order they were added."""
    return list(session.scalars(select(Target).where(Target.campaign_id == campaign.id).order_by(Target.id)))


def count_targets(session: Session, campaign: Campaign) -> int:
    return session.scalar(select(func.count(Target.id)).where(Target.campaign_id == campaign.id)) or 0


def add_targets(
    session: Session, campaign: Campaign, recipient_ids: Iterable[int], *, user: User | None = None, how: str = ""
) -> int:
    """Make these recipients targets (those already chosen stay as they are); returns how many were added."""
    present = target_ids(session, campaign)
    wanted = [rid for rid in dict.fromkeys(recipient_ids) if rid not in present]
    if not wanted:
        return 0
    recipients = list(session.scalars(select(Recipient).where(Recipient.id.in_(wanted)).order_by(Recipient.id)))
    if len(recipients) != len(wanted):
        raise ServiceError(_("Diese Empfänger:in gibt es nicht (mehr)."))
    for recipient in recipients:
        session.add(
            Target(campaign_id=campaign.id, recipient_id=recipient.id, channel=default_channel(campaign, recipient))
        )
    session.flush()
    record(session, "campaign.targets.add", campaign, user=user, how=how, recipient_ids=[r.id for r in recipients])
    return len(recipients)


def add_matching(session: Session, campaign: Campaign, filters: RecipientFilter, *, user: User | None = None) -> int:
    """Add every recipient matching the filter (a list, a tag, a region …); an empty filter adds nothing."""
    if filters.is_empty:
        raise ServiceError(_("Bitte eine Liste, ein Schlagwort oder einen anderen Filter wählen."))
    return add_targets(session, campaign, filtered_ids(session, filters), user=user, how=_describe(filters))


def _describe(filters: RecipientFilter) -> str:
    """The filter in the audit log: only the parts that were set."""
    return ", ".join(f"{name}={value}" for name, value in vars(filters).items() if value not in ("", None))


def remove_target(session: Session, campaign: Campaign, recipient_id: int, *, user: User | None = None) -> None:
    """Take one recipient off the campaign (letters already made for them stay as they are)."""
    target = session.scalar(
        select(Target).where(Target.campaign_id == campaign.id, Target.recipient_id == recipient_id)
    )
    if target is None:
        raise ServiceError(_("Diese Empfänger:in gehört nicht (mehr) zur Kampagne."))
    session.delete(target)
    session.flush()
    record(session, "campaign.targets.remove", campaign, user=user, recipient_ids=[recipient_id])


def remove_all_targets(session: Session, campaign: Campaign, *, user: User | None = None) -> int:
    """Take every recipient off the campaign; returns how many there were."""
    ids = sorted(target_ids(session, campaign))
    if not ids:
        return 0
    session.execute(delete(Target).where(Target.campaign_id == campaign.id))
    session.flush()
    record(session, "campaign.targets.remove", campaign, user=user, recipient_ids=ids)
    return len(ids)


def _campaign_template(campaign: Campaign, template_id: int | None) -> LetterTemplate | None:
    if template_id is None:
        return None
    template = next((t for t in campaign.templates if t.id == template_id), None)
    if template is None:
        raise ServiceError(_("Diese Vorlage gehört nicht zu dieser Kampagne."), "template_id")
    return template


def set_target_template(
    session: Session, campaign: Campaign, recipient_id: int, template_id: int | None, *, user: User | None = None
) -> None:
    """Give one target a template by hand (None: back to the campaign's rules)."""
    template = _campaign_template(campaign, template_id)
    target = session.scalar(
        select(Target).where(Target.campaign_id == campaign.id, Target.recipient_id == recipient_id)
    )
    if target is None:
        raise ServiceError(_("Diese Empfänger:in gehört nicht (mehr) zur Kampagne."))
    target.template_id = template.id if template else None
    session.flush()
    record(
        session,
        "campaign.targets.template",
        campaign,
        user=user,
        recipient_id=recipient_id,
        template_id=target.template_id,
    )


def set_template_tag(session: Session, template: LetterTemplate, tag: str, *, user: User | None = None) -> None:
    """The rule „targets tagged `tag` get this template“ (empty: no rule, the template is chosen by hand or default)."""
    tag = " ".join((tag or "").split())
    if len(tag) > MAX_TAG_LENGTH:
        raise ServiceError(
            _("Ein Schlagwort darf höchstens %(MAX_TAG_LENGTH)s Zeichen lang sein.", MAX_TAG_LENGTH=MAX_TAG_LENGTH),
            "recipient_tag",
        )
    if tag == template.recipient_tag:
        return
    before, template.recipient_tag = template.recipient_tag, tag
    session.flush()
    record(session, "template.rule", template, user=user, before=before, after=tag)


def template_for(
    campaign: Campaign, recipient: Recipient, chosen: LetterTemplate | None = None
) -> LetterTemplate | None:
    """The template a target gets: the one chosen by hand, else the first whose tag the recipient carries, else the
    first template without a tag, else the campaign's first template (None without templates)."""
    usable = [template for template in campaign.templates if template.current_version is not None]
    if chosen is not None and chosen in usable:
        return chosen
    tags = set(recipient.tags or [])
    by_rule = next((t for t in usable if t.recipient_tag and t.recipient_tag in tags), None)
    if by_rule is not None:
        return by_rule
    return next((t for t in usable if not t.recipient_tag), usable[0] if usable else None)


def target_versions(
    session: Session, campaign: Campaign, recipients: Sequence[Recipient]
) -> dict[int, TemplateVersion]:
    """Recipient id → the current version of the template each recipient gets (recipients without one are left out)."""
    chosen = dict(
        session.execute(
            select(Target.recipient_id, Target.template_id).where(
                Target.campaign_id == campaign.id, Target.recipient_id.in_([r.id for r in recipients])
            )
        ).all()
    )
    by_id = {template.id: template for template in campaign.templates}
    versions = {}
    for recipient in recipients:
        template = template_for(campaign, recipient, by_id.get(chosen.get(recipient.id)))
        if template is not None:
            versions[recipient.id] = template.current_version
    return versions


def target_page(
    session: Session, campaign: Campaign, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[TargetRow]:
    """One page of the campaign's targets by name, each with the template it gets."""
    statement = (
        select(Target)
        .join(Recipient, Recipient.id == Target.recipient_id)
        .where(Target.campaign_id == campaign.id)
        .options(selectinload(Target.recipient))
        .order_by(Recipient.last_name, Recipient.first_name, Recipient.group_name, Recipient.id)
    )
    found = paginate(session, statement, page=page, per_page=per_page)
    rows = [
        TargetRow(target=t, template=template_for(campaign, t.recipient, t.template), by_hand=t.template_id is not None)
        for t in found.items
    ]
    return Page(items=rows, page=found.page, per_page=found.per_page, total=found.total)


def candidates(session: Session, campaign: Campaign, text: str, *, limit: int = 20) -> list[Recipient]:
    """Recipients matching `text` who are not targets yet (for adding one by hand); nothing for an empty text."""
    if not text.strip():
        return []
    statement = (
        filtered_statement(session, RecipientFilter(text=text))
        .where(Recipient.id.not_in(select(Target.recipient_id).where(Target.campaign_id == campaign.id)))
        .order_by(Recipient.last_name, Recipient.first_name, Recipient.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def template_for_recipient(session: Session, campaign: Campaign, recipient: Recipient) -> LetterTemplate | None:
    """The template this recipient's letter is made from (by hand if chosen on their target, else by the rules)."""
    chosen_id = session.scalar(
        select(Target.template_id).where(Target.campaign_id == campaign.id, Target.recipient_id == recipient.id)
    )
    chosen = next((t for t in campaign.templates if t.id == chosen_id), None) if chosen_id else None
    return template_for(campaign, recipient, chosen)
