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
from campaign.services.dashboard.definitions import CAMPAIGN_LETTER


@dataclass(frozen=True)
class CheckItem:
    """One step before the campaign can go out: done or not, what is missing, and where to do it."""

    label: object  # lazy translated text saying the step's state („Argumente gewählt“, „Noch keine Argumente“)
    done: bool
    hint: object
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)


def _step(done: bool, done_label: object, missing_label: object, hint: object, endpoint: str, slug: dict) -> CheckItem:
    return CheckItem(done_label if done else missing_label, done, hint, endpoint, slug)


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


# The settings page, where the motion and the sender are chosen.
SETTINGS = "organise.campaigns.edit"


def checklist(session: Session, campaign: Campaign, figures: CampaignFigures) -> list[CheckItem]:
    """The steps in the order an organiser takes them, each with the page where it is done."""
    slug = {"slug": campaign.slug}
    items = [*_preparation_steps(campaign, slug), *_letter_steps(session, campaign, figures, slug)]
    if campaign.channels is not CampaignChannels.POST and not (campaign.organisation and campaign.organisation.email):
        items.append(
            CheckItem(
                _l("Keine E-Mail-Adresse des Absenders"),
                False,
                _l("Die Absender-Organisation braucht eine E-Mail-Adresse."),
                SETTINGS,
                slug,
            )
        )
    return items


def _preparation_steps(campaign: Campaign, slug: dict[str, str]) -> list[CheckItem]:
    """What every letter needs: the motion, the arguments, the sender and a template."""
    organisation = campaign.organisation
    return [
        _step(
            campaign.motion is not None,
            _l("Antrag gewählt"),
            _l("Noch kein Antrag"),
            _l("Antrag in den Einstellungen wählen."),
            SETTINGS,
            slug,
        ),
        _step(
            campaign.argument_set is not None and len(campaign.chosen_arguments) > 0,
            _l("Argumente gewählt"),
            _l("Noch keine Argumente"),
            _l("Argumentationsset wählen und Argumente für die Briefe auswählen."),
            "organise.letter_arguments.index",
            slug,
        ),
        _step(
            organisation is not None and bool(organisation.signatories),
            _l("Absender gewählt"),
            _l("Noch kein Absender"),
            _l("Absender-Organisation mit mindestens einer unterzeichnenden Person wählen."),
            SETTINGS,
            slug,
        ),
        _step(
            any(template.current_version is not None for template in campaign.templates),
            _l("Briefvorlage angelegt"),
            _l("Noch keine Briefvorlage"),
            _l("Eine Briefvorlage anlegen."),
            "organise.letters.campaign",
            slug,
        ),
    ]


def _letter_steps(
    session: Session, campaign: Campaign, figures: CampaignFigures, slug: dict[str, str]
) -> list[CheckItem]:
    """Whom the letters go to (each with the address its channel needs), and whether every letter is made."""
    unreachable = _unreachable_targets(session, campaign) if figures.targets else 0
    return [
        _step(
            figures.targets > 0 and unreachable == 0,
            _l("Empfänger:innen hinzugefügt"),
            _l("Adressen unvollständig") if unreachable else _l("Noch keine Empfänger:innen"),
            _l("%(num)s Empfänger:innen fehlt die Adresse für ihren Versandweg.", num=unreachable)
            if unreachable
            else _l("Empfänger:innen aus Listen, nach Schlagwort oder einzeln hinzufügen."),
            "organise.campaign_targets.index",
            slug,
        ),
        _step(
            figures.targets > 0 and figures.letters >= figures.targets,
            _l("Briefe erzeugt"),
            _l("Noch nicht alle Briefe erzeugt") if figures.letters else _l("Noch keine Briefe erzeugt"),
            _l("Briefe für alle Empfänger:innen erzeugen."),
            "organise.letters.campaign",
            slug,
        ),
    ]


def campaign_hub(session: Session, campaign: Campaign, *, page: int = 1) -> Hub:
    """The hub of one campaign: figures, checklist and one page of its letters (newest reference code last)."""
    figures = campaign_figures(session, campaign)
    letters = paginate(
        session,
        select(Letter).where(Letter.campaign_id == campaign.id, CAMPAIGN_LETTER).order_by(Letter.reference_code),
        page=page,
    )
    return Hub(
        campaign=campaign,
        figures=figures,
        checklist=checklist(session, campaign, figures),
        letters=letters,
    )
