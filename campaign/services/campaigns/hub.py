"""The campaign page as the organiser's hub: every step with its state, and the checklist of what is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, CampaignChannels, Channel, Letter, Recipient, Target
from campaign.services.campaigns.records import CampaignFigures, campaign_figures
from campaign.services.common.pagination import Page, paginate


@dataclass(frozen=True)
class CheckItem:
    """One step before the campaign can go out: done or not, what is missing, and where to do it."""

    label: object  # lazy translated text: shown in the page's language
    done: bool
    hint: object
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hub:
    """Everything the campaign page shows."""

    campaign: Campaign
    figures: CampaignFigures
    checklist: list[CheckItem]
    letters: Page[Letter]

    @property
    def ready(self) -> bool:
        return all(item.done for item in self.checklist)


def _unreachable_targets(session: Session, campaign: Campaign) -> int:
    """Targets whose channel lacks what it needs: an e-mail address, or a complete postal address."""
    no_postal = or_(Recipient.street == "", Recipient.postcode == "", Recipient.city == "")
    statement = (
        select(func.count(Target.id))
        .join(Recipient, Recipient.id == Target.recipient_id)
        .where(
            Target.campaign_id == campaign.id,
            or_(
                and_(Target.channel == Channel.EMAIL, Recipient.email == ""),
                and_(Target.channel == Channel.POST, no_postal),
            ),
        )
    )
    return session.scalar(statement) or 0


def checklist(session: Session, campaign: Campaign, figures: CampaignFigures) -> list[CheckItem]:
    """The steps in the order an organiser takes them, each with the page where it is done."""
    slug = {"slug": campaign.slug}
    organisation = campaign.organisation
    chosen = len(campaign.chosen_arguments)
    unreachable = _unreachable_targets(session, campaign) if figures.targets else 0
    usable_templates = [t for t in campaign.templates if t.current_version is not None]
    settings = "organise.campaigns.edit"
    items = [
        CheckItem(_l("Antrag"), campaign.motion is not None, _l("Antrag in den Einstellungen wählen."), settings, slug),
        CheckItem(
            _l("Argumente"),
            campaign.argument_set is not None and chosen > 0,
            _l("Argumentationsset wählen und Argumente für die Briefe auswählen."),
            "organise.letter_arguments.index",
            slug,
        ),
        CheckItem(
            _l("Absender"),
            organisation is not None and bool(organisation.signatories),
            _l("Absender-Organisation mit mindestens einer unterzeichnenden Person wählen."),
            settings,
            slug,
        ),
        CheckItem(
            _l("Briefvorlage"),
            bool(usable_templates),
            _l("Eine Briefvorlage anlegen."),
            "organise.letters.campaign",
            slug,
        ),
        CheckItem(
            _l("Empfänger:innen"),
            figures.targets > 0 and unreachable == 0,
            _l("%(num)s Empfänger:innen fehlt die Adresse für ihren Versandweg.", num=unreachable)
            if unreachable
            else _l("Empfänger:innen aus Listen, nach Schlagwort oder einzeln hinzufügen."),
            "organise.campaign_targets.index",
            slug,
        ),
        CheckItem(
            _l("Briefe erzeugt"),
            figures.targets > 0 and figures.letters >= figures.targets,
            _l("Briefe für alle Empfänger:innen erzeugen."),
            "organise.letters.campaign",
            slug,
        ),
    ]
    if campaign.channels is not CampaignChannels.POST and not (campaign.organisation and campaign.organisation.email):
        items.append(
            CheckItem(
                _l("E-Mail-Absender"),
                False,
                _l("Die Absender-Organisation braucht eine E-Mail-Adresse."),
                settings,
                slug,
            )
        )
    return items


def campaign_hub(session: Session, campaign: Campaign, *, page: int = 1) -> Hub:
    """The hub of one campaign: figures, checklist and one page of its letters (newest reference code last)."""
    figures = campaign_figures(session, campaign)
    letters = paginate(
        session,
        select(Letter).where(Letter.campaign_id == campaign.id).order_by(Letter.reference_code),
        page=page,
    )
    return Hub(
        campaign=campaign,
        figures=figures,
        checklist=checklist(session, campaign, figures),
        letters=letters,
    )
