"""The coverage view's gaps: provisions without argument, arguments without source, unused sources."""

from __future__ import annotations

from sqlalchemy import select

from campaign.models import ArgumentSet, Motion, Source
from campaign.services.demo import seed_demo
from campaign.services.evidence import arguments
from campaign.services.evidence.coverage import coverage
from tests.factories import make_motion
from tests.factories_arguments import make_argument, make_argument_set, make_provision, make_source


def test_demo_motion_and_set_have_no_gaps(db_session):
    seed_demo(db_session)
    motion = db_session.scalar(select(Motion))
    argument_set = db_session.scalar(select(ArgumentSet))
    result = coverage(db_session, motion, argument_set)
    assert result.uncovered_provisions == []
    assert result.unsourced_arguments == []
    assert result.unused_sources == []
    assert not result.has_gaps and result.gap_count == 0
    assert len(result.provisions) == len(motion.provisions) >= 8
    assert all(row.arguments for row in result.provisions)
    # Every demo provision is linked to its lines.
    assert all(row.provision.line_from and row.provision.line_to for row in result.provisions)


def test_gaps_are_listed_and_close_as_the_organiser_works(db_session):
    motion = make_motion(db_session)
    covered = make_provision(db_session, motion, title="Meldepflichten")
    open_provision = make_provision(db_session, motion, title="Landeseinrichtungen")
    argument_set = make_argument_set(db_session)
    unsourced = make_argument(db_session, argument_set, provisions=[covered])
    source = make_source(db_session, title="Studie")

    result = coverage(db_session, motion, argument_set)
    assert result.uncovered_provisions == [open_provision]
    assert result.unsourced_arguments == [unsourced]
    assert result.unused_sources == [source]
    assert result.gap_count == 3
    assert [len(row.arguments) for row in result.provisions] == [1, 0]

    arguments.add_citation(db_session, unsourced, source)
    make_argument(db_session, argument_set, provisions=[open_provision], sources=[source])
    assert not coverage(db_session, motion, argument_set).has_gaps


def test_other_sets_and_other_motions_do_not_count(db_session):
    motion = make_motion(db_session)
    provision = make_provision(db_session, motion)
    source = make_source(db_session)
    ours, theirs = make_argument_set(db_session), make_argument_set(db_session)
    make_argument(db_session, theirs, provisions=[provision], sources=[source])
    # An argument of our set about another motion's provision covers nothing here, but still needs a source.
    elsewhere = make_argument(db_session, ours, provisions=[make_provision(db_session)])

    result = coverage(db_session, motion, ours)
    assert result.uncovered_provisions == [provision]
    assert result.unsourced_arguments == [elsewhere]
    assert result.unused_sources == [source]


def test_motion_without_provisions_and_empty_set(db_session):
    result = coverage(db_session, make_motion(db_session), make_argument_set(db_session))
    assert result.provisions == [] and not result.has_gaps


def test_sources_of_another_motion_are_not_unused_sources_here(db_session):
    """/organise/coverage?motion=2&set=2 listed every migration source of the demo for an unrelated motion."""
    seed_demo(db_session)
    demo_sources = {source.id for source in db_session.scalars(select(Source))}
    motion = make_motion(db_session, party="Grüne")
    cycle_lanes = make_provision(db_session, motion, title="Radwege")
    ours, theirs = make_argument_set(db_session), make_argument_set(db_session)
    cited_by_us = make_source(db_session, title="Radverkehrsbericht")
    make_argument(db_session, ours, provisions=[cycle_lanes], sources=[cited_by_us])
    # Another set argues about the same provision with a source we do not use yet: worth a look.
    cited_by_them = make_source(db_session, title="Unfallstatistik")
    make_argument(db_session, theirs, provisions=[cycle_lanes], sources=[cited_by_them])
    # A source nobody cites yet belongs to no motion, so it is still offered.
    new_in_library = make_source(db_session, title="Neue Studie")

    result = coverage(db_session, motion, ours)
    assert not demo_sources & {source.id for source in result.unused_sources}
    assert result.unused_sources == [new_in_library, cited_by_them]
    assert result.uncovered_provisions == [] and result.unsourced_arguments == []
    assert result.gap_count == 2
