"""Factories of the web tests: the demo's motion alone, a small evidence library, a campaign ready to print."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from campaign.demo import content
from campaign.models import Campaign, Motion, MotionKind, MotionStatus, Stance
from campaign.services.evidence.numbering import line_range_of
from tests.factories import make_motion
from tests.factories_arguments import make_argument, make_argument_set, make_provision, make_source
from tests.factories_letters import make_letter_campaign

SET_TITLE = "Argumente zum Leitantrag „NRW, jetzt erst gerecht“"


def make_demo_motion(session: Session) -> Motion:
    """The demo's motion with its text and provisions (lines found from their passages), without the rest of the demo.

    One argument is linked to the first provision, as in the demo, so deleting it unlinks something.
    """
    data = content.MOTION
    motion = make_motion(
        session,
        kind=MotionKind(data["kind"]),
        party=data["party"],
        body=data["body"],
        presented_on=data["presented_on"],
        decision_forum=data["decision_forum"],
        decision_date=data["decision_date"],
        status=MotionStatus(data["status"]),
        source_url=data["source_url"] or "",
        full_text=data["full_text"],
    )
    motion.slug, motion.title = data["slug"], data["title"]
    for item in content.PROVISIONS:
        line_from, line_to = line_range_of(motion.full_text, item["anchor"]) or (None, None)
        make_provision(
            session,
            motion,
            key=item["key"],
            title=item["title"],
            summary=item["summary"],
            stance=Stance(item["stance"]),
            line_from=line_from,
            line_to=line_to,
        )
    make_argument(session, provisions=[motion.provisions[0]])
    session.flush()
    return motion


@dataclass(frozen=True)
class Evidence:
    """Ids of a small evidence library: a motion with three provisions, two sources, a set of three arguments."""

    motion: int
    set: int
    argument: int
    citation: int
    provisions: dict[str, int]
    sources: dict[str, int]

    def urls(self) -> dict[str, int]:
        """The values URL patterns in the tests name: {motion}, {set}, {argument}, {citation}."""
        return {"motion": self.motion, "set": self.set, "argument": self.argument, "citation": self.citation}


def make_evidence(session: Session) -> Evidence:
    """Each argument has its own provision, tags and source, so every filter picks some but not all of them."""
    motion = make_motion(session)
    motion.title = "NRW, jetzt erst gerecht"
    provisions = {
        key: make_provision(session, motion, key=key, title=title)
        for key, title in (
            ("innenministerium", "Bündelung im Innenministerium"),
            ("sprachfoerderung", "Ausbau der Sprachförderung"),
            ("kommunen-finanzen", "Mehr Geld für die Kommunen"),
        )
    }
    dezim = make_source(session, key="dezim-chancen-statt-krise", title="Chancen statt Krise", quotes=("Ein Satz.",))
    chemnitz = make_source(session, key="resiliente-kommunen", title="Resiliente Kommunen 2.0", quotes=("Zitat.",))
    argument_set = make_argument_set(session, title=SET_TITLE)
    first = make_argument(
        session,
        argument_set,
        claim="Integration ist eine ressortübergreifende Querschnittsaufgabe",
        tags=["integration", "verwaltung"],
        provisions=[provisions["innenministerium"]],
        sources=[dezim],
    )
    make_argument(
        session,
        argument_set,
        claim="Sprache öffnet Türen",
        tags=["bildung"],
        provisions=[provisions["sprachfoerderung"]],
        sources=[chemnitz],
    )
    make_argument(
        session,
        argument_set,
        claim="Die Kommunen tragen die Hauptlast",
        tags=["kommunal", "finanzen"],
        provisions=[provisions["kommunen-finanzen"]],
        sources=[chemnitz],
    )
    return Evidence(
        motion=motion.id,
        set=argument_set.id,
        argument=first.id,
        citation=first.citations[0].id,
        provisions={key: provision.id for key, provision in provisions.items()},
        sources={source.key: source.id for source in (dezim, chemnitz)},
    )


def make_print_campaign(session: Session, recipients: int = 3) -> Campaign:
    """An active campaign with sender, template and `recipients` targets with postal addresses in two regions."""
    campaign, _version, _people = make_letter_campaign(session, recipients=recipients)
    return campaign
