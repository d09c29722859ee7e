"""Argument sets and arguments: tags, provision links, citations, duplication, filters and reordering."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from campaign.models import Argument, ArgumentSet, AuditEvent, CampaignArgument, Stance
from campaign.services.common.errors import ServiceError
from campaign.services.evidence import arguments
from tests.factories import make_campaign, make_motion, make_user
from tests.factories_arguments import make_argument, make_argument_set, make_provision, make_source


def _actions(session):
    return [event.action for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kommunen, Finanzen ,kommunen", ["kommunen", "finanzen"]),
        ("  Größe  Ü,, ,ÉTÉ ", ["größe ü", "été"]),
        ("", []),
    ],
)
def test_tags_are_trimmed_lowercased_and_unique(text, expected):
    assert arguments.parse_tags(text) == expected


def test_overlong_tag_is_refused():
    with pytest.raises(ServiceError, match="zu lang"):
        arguments.parse_tags("x" * 81)


def test_set_titles_are_unique_regardless_of_case(db_session):
    arguments.create_set(db_session, "Argumente zum Leitantrag")
    with pytest.raises(ServiceError, match="bereits"):
        arguments.create_set(db_session, "  argumente   zum LEITANTRAG ")
    with pytest.raises(ServiceError, match="Titel"):
        arguments.create_set(db_session, " ")


def test_set_titles_clash_also_in_capitals_beyond_ascii(db_session):
    # SQLite's lower() folds only A–Z: „Ł“ and „Ğ“ must clash with „ł“ and „ğ“ on SQLite as they do on PostgreSQL.
    first = arguments.create_set(db_session, "Łódź-Argumente für Ğazi")
    with pytest.raises(ServiceError, match="bereits") as raised:
        arguments.create_set(db_session, "łódź-argumente  für ğazi")
    assert raised.value.field == "title"
    other = arguments.create_set(db_session, "Straße")
    with pytest.raises(ServiceError, match="bereits"):
        arguments.check_set_title(db_session, "ŁÓDŹ-ARGUMENTE FÜR ĞAZI", own_id=other.id)
    assert arguments.check_set_title(db_session, "łódź-Argumente für Ğazi", own_id=first.id) == (
        "łódź-Argumente für Ğazi"
    )


def test_create_argument_appends_with_links_and_audit(db_session):
    user = make_user(db_session)
    argument_set = make_argument_set(db_session)
    first_motion, second_motion = make_motion(db_session), make_motion(db_session)
    provisions = [make_provision(db_session, first_motion), make_provision(db_session, second_motion)]
    make_argument(db_session, argument_set)
    argument = arguments.create_argument(
        db_session,
        argument_set,
        arguments.ArgumentData(
            claim="  Zentrale Unterbringung   verhindert Ankommen ",
            paragraph="Das ist **wichtig**.\r\n",
            tags=arguments.parse_tags("Unterbringung, Kommunen"),
            stance=Stance.OPPOSE,
            provision_ids=[provisions[1].id, provisions[0].id],
        ),
        user=user,
    )
    assert argument.claim == "Zentrale Unterbringung verhindert Ankommen"
    assert argument.key == "zentrale-unterbringung-verhindert-ankommen"
    assert argument.paragraph == "Das ist **wichtig**."
    assert argument.position == 1
    assert argument.tags == ["unterbringung", "kommunen"]
    # Linked across two motions: an argument set is not tied to one motion.
    assert {provision.motion_id for provision in argument.provisions} == {first_motion.id, second_motion.id}
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "argument.create"))
    assert event.user_id == user.id and event.details["claim"] == argument.claim


def test_unknown_provision_is_refused_and_nothing_is_added(db_session):
    argument_set = make_argument_set(db_session)
    with pytest.raises(ServiceError, match="Kernpunkt"):
        arguments.create_argument(db_session, argument_set, arguments.ArgumentData(claim="X", provision_ids=[999_999]))
    assert db_session.scalar(select(Argument.id)) is None


def test_update_argument_records_the_changes(db_session):
    provision = make_provision(db_session)
    argument = make_argument(db_session, claim="Alt", tags=["a"])
    arguments.update_argument(
        db_session,
        argument,
        arguments.ArgumentData(claim="Neu", tags=["a", "b"], stance=Stance.WELCOME, provision_ids=[provision.id]),
    )
    changes = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "argument.update")).details["changes"]
    assert changes["claim"] == ["Alt", "Neu"]
    assert changes["tags"] == [["a"], ["a", "b"]]
    assert changes["stance"] == ["oppose", "welcome"]
    assert changes["provisions"] == [[], [provision.id]]


def test_citations_are_added_checked_and_removed(db_session):
    source = make_source(db_session, quotes=("Belegsatz.",))
    other = make_source(db_session)
    source.quotes[0].page = "7"
    argument = make_argument(db_session)
    citation = arguments.add_citation(db_session, argument, source, quote=source.quotes[0])
    # The passage's page is taken over when none is given.
    assert citation.page == "7"
    with pytest.raises(ServiceError, match="bereits"):
        arguments.add_citation(db_session, argument, source, quote=source.quotes[0])
    with pytest.raises(ServiceError, match="gehört nicht"):
        arguments.add_citation(db_session, argument, other, quote=source.quotes[0])
    second = arguments.add_citation(db_session, argument, other, page="S. 3")
    assert [c.position for c in argument.citations] == [0, 1]
    arguments.remove_citation(db_session, citation)
    assert argument.citations == [second]
    assert _actions(db_session)[-3:] == ["citation.create", "citation.create", "citation.delete"]


def test_duplicate_copies_arguments_deeply_under_a_new_title(db_session):
    provision = make_provision(db_session)
    source = make_source(db_session, quotes=("Satz.",))
    original = make_argument_set(db_session, title="Argumente", description="Beschreibung")
    argument = make_argument(db_session, original, provisions=[provision], tags=["kommunen"], paragraph="*Absatz*")
    arguments.add_citation(db_session, argument, source, quote=source.quotes[0], page="5")
    make_argument(db_session, original)

    copy = arguments.duplicate_set(db_session, original)
    again = arguments.duplicate_set(db_session, copy)

    assert copy.title == "Argumente (Kopie)"
    assert again.title == "Argumente (Kopie 2)"
    assert copy.description == "Beschreibung"
    assert len(copy.arguments) == 2
    copied = copy.arguments[0]
    assert copied.id != argument.id
    assert (copied.claim, copied.paragraph, copied.tags) == (argument.claim, "*Absatz*", ["kommunen"])
    assert copied.provisions == [provision]
    [cited] = copied.citations
    assert (cited.source, cited.quote, cited.page) == (source, source.quotes[0], "5")
    # Editing the copy leaves the original alone.
    copied.tags.append("neu")
    arguments.remove_citation(db_session, cited)
    assert argument.tags == ["kommunen"] and len(argument.citations) == 1
    assert "argument_set.duplicate" in _actions(db_session)


def test_copy_title_fits_the_column(db_session):
    original = make_argument_set(db_session, title="x" * 300)
    copy = arguments.duplicate_set(db_session, original)
    assert len(copy.title) == 300 and copy.title.endswith(" (Kopie)")


def test_move_swaps_neighbours_and_stops_at_the_ends(db_session):
    argument_set = make_argument_set(db_session)
    first, second, third = (make_argument(db_session, argument_set, claim=name) for name in "ABC")
    assert arguments.move_argument(db_session, third, "up")
    assert [a.claim for a in sorted(argument_set.arguments, key=lambda a: a.position)] == ["A", "C", "B"]
    assert not arguments.move_argument(db_session, first, "up")
    assert arguments.move_argument(db_session, first, "down")
    assert [a.claim for a in argument_set.arguments] == ["C", "A", "B"]
    assert [a.position for a in argument_set.arguments] == [0, 1, 2]
    assert not arguments.move_argument(db_session, second, "down")
    with pytest.raises(ServiceError):
        arguments.move_argument(db_session, second, "sideways")


def test_delete_argument_renumbers_and_is_refused_while_chosen_by_a_campaign(db_session):
    argument_set = make_argument_set(db_session)
    first, second, third = (make_argument(db_session, argument_set) for _ in range(3))
    arguments.delete_argument(db_session, second)
    assert [a.position for a in argument_set.arguments] == [0, 1]
    campaign = make_campaign(db_session, argument_set=argument_set)
    db_session.add(CampaignArgument(campaign_id=campaign.id, argument_id=third.id, position=0))
    db_session.flush()
    with pytest.raises(ServiceError, match="Kampagne"):
        arguments.delete_argument(db_session, third)
    assert first in argument_set.arguments and third in argument_set.arguments


def test_filter_by_tag_provision_and_source(db_session):
    argument_set = make_argument_set(db_session)
    provision, other_provision = make_provision(db_session), make_provision(db_session)
    source = make_source(db_session)
    tagged = make_argument(db_session, argument_set, tags=["kommunen"], provisions=[provision])
    cited = make_argument(db_session, argument_set, tags=["kommunen"], sources=[source], provisions=[other_provision])
    make_argument(db_session, argument_set)

    def claims(**wanted):
        return [a.claim for a in arguments.filter_arguments(argument_set, arguments.ArgumentFilter(**wanted))]

    assert len(claims()) == 3
    assert claims(tag="Kommunen") == [tagged.claim, cited.claim]
    assert claims(provision_id=provision.id) == [tagged.claim]
    assert claims(source_id=source.id) == [cited.claim]
    assert claims(tag="kommunen", provision_id=provision.id, source_id=source.id) == []
    choices = arguments.filter_choices(argument_set)
    assert choices.tags == ["kommunen"] and choices.sources == [source]
    assert set(choices.provisions) == {provision, other_provision}


def test_provisions_are_grouped_by_motion_and_archived_ones_only_when_linked(db_session):
    active = make_motion(db_session)
    archived = make_motion(db_session, archived_at=datetime(2026, 1, 1))
    active.title, archived.title = "B aktiv", "A archiviert"
    kept = make_provision(db_session, archived)
    make_provision(db_session, archived)
    current = make_provision(db_session, active)
    assert arguments.provisions_by_motion(db_session) == [(active, [current])]
    assert arguments.provisions_by_motion(db_session, keep=[kept]) == [(archived, [kept]), (active, [current])]


def test_update_set_and_list_sets(db_session):
    argument_set = make_argument_set(db_session, title="Alt")
    make_argument(db_session, argument_set)
    arguments.update_set(db_session, argument_set, "Neu", "Text")
    assert arguments.list_sets(db_session) == [(argument_set, 1)]
    assert db_session.scalar(select(ArgumentSet.title)) == "Neu"
    assert "argument_set.update" in _actions(db_session)
