"""Everything the public campaign page shows: the open letter, provisions with arguments and footnoted sources,
deadline, count against goal and the named co-signers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Session

from campaign.models import Argument, Campaign, FormOfAddress, Recipient, Stance
from campaign.services.common.dates import today_in_germany
from campaign.services.common.markdown import render_markdown
from campaign.services.evidence.citations import Citation
from campaign.services.letters.compose import ComposedLetter, compose_letter
from campaign.services.letters.context import endnotes_for
from campaign.services.letters.sandbox import TemplateProblem
from campaign.services.signing.counts import confirmed_count
from campaign.services.signing.signatories import PublicSignatories, public_signatories

STANCE_HEADINGS = {
    Stance.OPPOSE: _l("Was wir ablehnen"),
    Stance.AMEND: _l("Was wir ändern wollen"),
    Stance.WELCOME: _l("Was wir begrüßen"),
}


@dataclass(frozen=True)
class PageArgument:
    claim: str
    paragraph_html: Markup
    notes: list[int]


@dataclass(frozen=True)
class PageProvision:
    title: str
    summary: str
    arguments: list[PageArgument]


@dataclass(frozen=True)
class ProvisionGroup:
    heading: object  # lazy translated text
    provisions: list[PageProvision]


@dataclass(frozen=True)
class CampaignPage:
    campaign: Campaign
    letter: ComposedLetter | None
    groups: list[ProvisionGroup]
    footnotes: list[Citation]
    confirmed: int
    goal: int
    deadline: date | None
    signatories: PublicSignatories
    can_sign: bool

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.confirmed / self.goal)) if self.goal else 0


def open_letter(campaign: Campaign) -> ComposedLetter | None:
    """The campaign's letter as everyone reads it: addressed to no one in particular („Sehr geehrte Damen und
    Herren“), with the arguments every letter gets; None while the campaign has no usable template."""
    anyone = Recipient(
        form_of_address=FormOfAddress.UNBEKANNT,
        **dict.fromkeys(
            ("title", "first_name", "last_name", "group_name", "function", "organisation", "unterbezirk", "kreis",
             "wahlkreis", "kommune", "street", "postcode", "city", "country", "email"),
            "",
        ),
        tags=[],
    )  # fmt: skip
    try:
        return compose_letter(campaign, anyone, on=today_in_germany(), reference_code="")
    except TemplateProblem:
        return None


def _provision_groups(campaign: Campaign) -> tuple[list[ProvisionGroup], list[Citation]]:
    provisions = campaign.motion.provisions if campaign.motion else []
    own_set = campaign.argument_set_id
    arguments: list[Argument] = []
    for provision in provisions:
        arguments += [a for a in provision.arguments if own_set in (None, a.argument_set_id) and a not in arguments]
    notes = endnotes_for(arguments)
    groups = []
    for stance, heading in STANCE_HEADINGS.items():
        items = [
            PageProvision(
                title=provision.title,
                summary=provision.summary,
                arguments=[
                    PageArgument(a.claim, Markup(render_markdown(a.paragraph)), notes.numbers.get(id(a), []))
                    for a in provision.arguments
                    if own_set in (None, a.argument_set_id)
                ],
            )
            for provision in provisions
            if provision.stance is stance
        ]
        if items:
            groups.append(ProvisionGroup(heading, items))
    return groups, notes.citations


def campaign_page(session: Session, campaign: Campaign) -> CampaignPage:
    groups, footnotes = _provision_groups(campaign)
    letter = open_letter(campaign)
    return CampaignPage(
        campaign=campaign,
        letter=letter,
        groups=groups,
        footnotes=footnotes,
        confirmed=confirmed_count(session, campaign.id),
        goal=campaign.goal_signatures,
        deadline=campaign.deadline,
        signatories=public_signatories(session, campaign),
        # Nobody is asked to co-sign a letter the page cannot show (its template may have stopped rendering).
        can_sign=campaign.open_letter and campaign.status.value == "active" and letter is not None,
    )
