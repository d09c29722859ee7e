"""Coverage of a motion by an argument set: the gaps an organiser should close before writing letters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from campaign.models import Argument, ArgumentSet, Citation, Motion, Provision, Source
from campaign.services.evidence.sources import title_sort_key


@dataclass(frozen=True)
class ProvisionCoverage:
    """One provision of the motion and the arguments of the set that address it."""

    provision: Provision
    arguments: list[Argument]


@dataclass(frozen=True)
class Coverage:
    """How well an argument set covers a motion, and its gaps."""

    motion: Motion
    argument_set: ArgumentSet
    provisions: list[ProvisionCoverage]
    # The three gaps: provisions no argument addresses, arguments without evidence, and sources within reach
    # of this motion that the set does not cite (see `sources_within_reach`).
    uncovered_provisions: list[Provision]
    unsourced_arguments: list[Argument]
    unused_sources: list[Source]

    @property
    def has_gaps(self) -> bool:
        return bool(self.uncovered_provisions or self.unsourced_arguments or self.unused_sources)

    @property
    def gap_count(self) -> int:
        return len(self.uncovered_provisions) + len(self.unsourced_arguments) + len(self.unused_sources)


def coverage(session: Session, motion: Motion, argument_set: ArgumentSet) -> Coverage:
    """Which provisions lack an argument, which arguments cite nothing, which sources in reach the set leaves unused."""
    arguments = sorted(argument_set.arguments, key=lambda argument: (argument.position, argument.id))
    rows = [
        ProvisionCoverage(
            provision,
            [argument for argument in arguments if any(linked.id == provision.id for linked in argument.provisions)],
        )
        for provision in sorted(motion.provisions, key=lambda provision: (provision.position, provision.id))
    ]
    cited = {citation.source_id for argument in arguments for citation in argument.citations}
    return Coverage(
        motion=motion,
        argument_set=argument_set,
        provisions=rows,
        uncovered_provisions=[row.provision for row in rows if not row.arguments],
        unsourced_arguments=[argument for argument in arguments if not argument.citations],
        unused_sources=[source for source in sources_within_reach(session, motion) if source.id not in cited],
    )


def sources_within_reach(session: Session, motion: Motion) -> list[Source]:
    """The sources a set about `motion` could use, by title: those cited about its provisions in any set, and
    those nobody cites yet (new in the library).

    A source cited only about other motions belongs to their arguments; listing it as unused here would flood
    the coverage of every unrelated motion with the whole library.
    """
    about_motion = (
        select(Citation.source_id)
        .join(Citation.argument)
        .where(Argument.provisions.any(Provision.motion_id == motion.id))
    )
    query = select(Source).where(or_(Source.id.in_(about_motion), Source.id.not_in(select(Citation.source_id))))
    return sorted(session.scalars(query.order_by(Source.id)), key=lambda source: title_sort_key(source.title))
