"""Creating, editing, moving through its states and duplicating a campaign."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import (
    ArgumentRule,
    ArgumentSet,
    Campaign,
    CampaignArgument,
    CampaignChannels,
    CampaignStatus,
    LetterTemplate,
    Motion,
    Organisation,
    TemplateVersion,
    User,
)
from campaign.services.campaigns.targets import reassign_channels
from campaign.services.common.audit import record
from campaign.services.common.dates import today_in_germany
from campaign.services.common.errors import ErrorCollector, ServiceError
from campaign.services.common.states import transition
from campaign.services.common.text import is_slug, unique_slug
from campaign.services.signing.page import open_letter

TITLE_MAX = 300
SLUG_MAX = 120
SUMMARY_MAX = 5000
GOAL_MAX = 10_000_000


@dataclass
class CampaignData:
    """What the campaign form edits; ids of motion, argument set and organisation may be None."""

    title: str
    slug: str = ""
    summary: str = ""
    motion_id: int | None = None
    argument_set_id: int | None = None
    organisation_id: int | None = None
    deadline: date | None = None
    goal_signatures: int = 0
    open_letter: bool = False
    public_responses: bool = False
    channels: CampaignChannels = CampaignChannels.POST


def _slug_taken(session: Session, slug: str, exclude: Campaign | None = None) -> bool:
    found = session.scalar(select(Campaign.id).where(Campaign.slug == slug))
    return found is not None and (exclude is None or found != exclude.id)


def check_slug(value: str) -> str:
    """A well-formed slug (a–z, digits, single hyphens), or a ServiceError naming the field."""
    slug = (value or "").strip()
    if not is_slug(slug, SLUG_MAX):
        raise ServiceError(
            _(
                "Die Kurzadresse darf nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche enthalten "
                "(höchstens %(SLUG_MAX)s Zeichen), zum Beispiel „nrw-gerecht-2026“.",
                SLUG_MAX=SLUG_MAX,
            ),
            "slug",
        )
    return slug


def check_campaign(session: Session, data: CampaignData, exclude: Campaign | None = None) -> None:
    """FieldErrors naming every wrong field of `data`, or nothing; writes nothing (for a form that has its own
    mistakes, so that one answer names all of them)."""
    _clean(session, data, exclude)


def _clean(session: Session, data: CampaignData, exclude: Campaign | None = None) -> CampaignData:
    """Trimmed values, a free slug, and references that exist; FieldErrors naming every wrong field otherwise."""
    found = ErrorCollector()
    title = found.check(_clean_title, data.title, otherwise="")
    slug = found.check(_clean_slug, session, data.slug or "", title, exclude, otherwise="")
    summary = (data.summary or "").replace("\r\n", "\n").strip()
    if len(summary) > SUMMARY_MAX:
        found.add(
            "summary",
            _("Die Zusammenfassung darf höchstens %(SUMMARY_MAX)s Zeichen lang sein.", SUMMARY_MAX=SUMMARY_MAX),
        )
    if not 0 <= (data.goal_signatures or 0) <= GOAL_MAX:
        found.add("goal_signatures", _("Bitte ein Ziel zwischen 0 und 10 Millionen Unterschriften angeben."))
    for model, value, name in (
        (Motion, data.motion_id, "motion_id"),
        (ArgumentSet, data.argument_set_id, "argument_set_id"),
        (Organisation, data.organisation_id, "organisation_id"),
    ):
        if value is not None and session.get(model, value) is None:
            found.add(name, _("Die gewählte Angabe gibt es nicht (mehr)."))
    found.raise_if_any()
    values = {field.name: getattr(data, field.name) for field in fields(data)}
    values.update(title=title, slug=slug, summary=summary, goal_signatures=data.goal_signatures or 0)
    return CampaignData(**values)


def _clean_title(value: str) -> str:
    title = " ".join((value or "").split())
    if not title:
        raise ServiceError(_("Bitte einen Titel angeben."), "title")
    if len(title) > TITLE_MAX:
        raise ServiceError(_("Der Titel darf höchstens %(TITLE_MAX)s Zeichen lang sein.", TITLE_MAX=TITLE_MAX), "title")
    return title


def _clean_slug(session: Session, value: str, title: str, exclude: Campaign | None) -> str:
    """The given slug if well-formed and free; made from the title when left empty (nothing to make without one)."""
    if value.strip():
        slug = check_slug(value)
        if _slug_taken(session, slug, exclude):
            raise ServiceError(_("Die Kurzadresse „%(slug)s“ hat schon eine andere Kampagne.", slug=slug), "slug")
        return slug
    if not title:
        return ""
    return unique_slug(title, lambda s: _slug_taken(session, s, exclude), fallback="kampagne")


def create_campaign(session: Session, data: CampaignData, *, user: User | None = None) -> Campaign:
    """A new campaign in draft; its slug is made from the title when none is given."""
    clean = _clean(session, data)
    campaign = Campaign(status=CampaignStatus.DRAFT, **vars(clean))
    session.add(campaign)
    session.flush()
    record(session, "campaign.create", campaign, user=user, slug=campaign.slug, title=campaign.title)
    return campaign


def update_campaign(session: Session, campaign: Campaign, data: CampaignData, *, user: User | None = None) -> None:
    """Save the form's values; the audit record lists what changed, from what."""
    clean = _clean(session, data, exclude=campaign)
    changes = {}
    for name, value in vars(clean).items():
        before = getattr(campaign, name)
        if before != value:
            changes[name] = [_plain(before), _plain(value)]
            setattr(campaign, name, value)
    if not changes:
        return
    if "open_letter" in changes and campaign.status is CampaignStatus.ACTIVE:
        _check_open_letter_has_text(campaign)
    if "argument_set_id" in changes:
        # Chosen arguments belong to the old set; keep nothing that the new set does not offer.
        campaign.chosen_arguments.clear()
    session.flush()
    if "channels" in changes:
        reassign_channels(session, campaign)
    record(session, "campaign.update", campaign, user=user, changes=changes)


def deadline_warning(campaign: Campaign) -> str:
    """A warning (not a refusal: an old campaign may be recorded afterwards) when the deadline has passed; "" else."""
    if campaign.deadline is None or campaign.deadline >= today_in_germany():
        return ""
    if campaign.status in (CampaignStatus.CLOSED, CampaignStatus.ARCHIVED):
        return ""
    return _("Die Frist liegt in der Vergangenheit. Bitte prüfen, ob das Datum stimmt.")


def _check_open_letter_has_text(campaign: Campaign) -> None:
    """A running campaign that gathers co-signatures must show the letter they sign: refuse while it has no text."""
    if campaign.open_letter and open_letter(campaign) is None:
        raise ServiceError(
            _(
                "Die Kampagne sammelt Mitzeichnungen für einen offenen Brief, der noch keinen Text hat. "
                "Legen Sie zuerst eine Briefvorlage an (oder schalten Sie „Offener Brief“ in den Einstellungen aus)."
            ),
            "open_letter",
        )


def _plain(value: object) -> object:
    """A value as the audit log's JSON can hold it."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, CampaignChannels):
        return value.value
    return value


def change_status(
    session: Session, campaign: Campaign, status: CampaignStatus | str, *, user: User | None = None
) -> None:
    """Move the campaign to `status` if its transition table allows it; recorded as state change and audit event."""
    try:
        new_status = CampaignStatus(status)
    except ValueError as exc:
        raise ServiceError(_("Unbekannter Status „%(status)s“.", status=status)) from exc
    before = campaign.status
    if new_status is CampaignStatus.ACTIVE:
        _check_open_letter_has_text(campaign)
    transition(session, campaign, new_status, user=user)
    record(session, "campaign.status", campaign, user=user, before=before.value, after=new_status.value)


def duplicate_campaign(
    session: Session, source: Campaign, *, title: str, slug: str = "", user: User | None = None
) -> Campaign:
    """A new draft with the source's settings, templates (current text as version 1) and argument choice.

    Targets, letters, signatures and replies stay with the source: the copy is the start of a new campaign.
    """
    copy = create_campaign(session, _copy_data(source, title, slug), user=user)
    copy.follow_up_days = source.follow_up_days
    for template in source.templates:
        current = template.current_version
        if current is None:
            continue
        duplicate = LetterTemplate(name=template.name, recipient_tag=template.recipient_tag)
        duplicate.versions.append(
            TemplateVersion(
                number=1, subject=current.subject, body=current.body, created_by_id=user.id if user else None
            )
        )
        copy.templates.append(duplicate)
    _copy_follow_up_template(session, source, copy, user)
    copy.chosen_arguments.extend(
        CampaignArgument(argument_id=choice.argument_id, position=choice.position) for choice in source.chosen_arguments
    )
    copy.argument_rules.extend(
        ArgumentRule(recipient_tag=rule.recipient_tag, argument_tag=rule.argument_tag, position=rule.position)
        for rule in source.argument_rules
    )
    session.flush()
    record(session, "campaign.duplicate", copy, user=user, source_id=source.id, source_slug=source.slug)
    return copy


def check_duplicate(session: Session, source: Campaign, *, title: str, slug: str = "") -> None:
    """FieldErrors naming every wrong field of a copy's title and slug, or nothing; writes nothing (for a form that
    has its own mistakes, so that one answer names all of them)."""
    check_campaign(session, _copy_data(source, title, slug))


def _copy_data(source: Campaign, title: str, slug: str) -> CampaignData:
    """The source's settings under the copy's title and slug."""
    return CampaignData(
        title=title,
        slug=slug,
        **{
            field.name: getattr(source, field.name)
            for field in fields(CampaignData)
            if field.name not in ("title", "slug")
        },
    )


def suggested_copy_title(source: Campaign) -> str:
    """„Kopie von …“, cut to the title's length."""
    return f"Kopie von {source.title}"[:TITLE_MAX]


@dataclass(frozen=True)
class FormChoices:
    """What the campaign form's selects offer."""

    motions: list[Motion]
    argument_sets: list[ArgumentSet]
    organisations: list[Organisation]


def form_choices(session: Session) -> FormChoices:
    return FormChoices(
        motions=list(session.scalars(select(Motion).order_by(Motion.title))),
        argument_sets=list(session.scalars(select(ArgumentSet).order_by(ArgumentSet.title))),
        organisations=list(session.scalars(select(Organisation).order_by(Organisation.name))),
    )


def _copy_follow_up_template(session: Session, source: Campaign, copy: Campaign, user: User | None) -> None:
    """The source's follow-up template („Nachfrage“), its current text as the copy's first version."""
    template = session.scalar(
        select(LetterTemplate).where(LetterTemplate.campaign_id == source.id, LetterTemplate.is_follow_up.is_(True))
    )
    current = template.current_version if template is not None else None
    if current is None:
        return
    duplicate = LetterTemplate(campaign_id=copy.id, name=template.name, is_follow_up=True)
    duplicate.versions.append(
        TemplateVersion(number=1, subject=current.subject, body=current.body, created_by_id=user.id if user else None)
    )
    session.add(duplicate)
