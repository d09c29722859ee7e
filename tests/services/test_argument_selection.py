"""Argument selection: arguments chosen for all letters, in order, and rules by recipient tag; all audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.models import ArgumentRule, AuditEvent, Campaign, CampaignArgument
from campaign.services.common.errors import ServiceError
from campaign.services.letters.selection import (
    add_rule,
    argument_tags,
    chosen_argument_ids,
    recipient_tags,
    remove_rule,
    rule_summaries,
    set_chosen_arguments,
)
from tests.factories import make_campaign, make_recipient, make_user
from tests.factories_letter_ui import make_argument_set, make_target


@pytest.fixture
def campaign(db_session) -> Campaign:
    argument_set = make_argument_set(
        db_session,
        ("Kosten", ["kosten", "kommunal"]),
        ("Rechtsstaat", ["rechtsstaat"]),
        ("Teilhabe", ["teilhabe", "wohnen"]),
        ("Sprache", ["bildung"]),
    )
    return make_campaign(db_session, argument_set=argument_set)


def _ids(campaign, *claims):
    by_claim = {argument.claim: argument.id for argument in campaign.argument_set.arguments}
    return [by_claim[claim] for claim in claims]


def test_chosen_arguments_follow_the_set_order_and_are_stored_with_positions(db_session, campaign):
    user = make_user(db_session)
    chosen = set_chosen_arguments(db_session, campaign, _ids(campaign, "Sprache", "Kosten"), user=user)
    assert [argument.claim for argument in chosen] == ["Kosten", "Sprache"]
    rows = db_session.scalars(
        select(CampaignArgument).where(CampaignArgument.campaign_id == campaign.id).order_by(CampaignArgument.position)
    ).all()
    kosten, sprache = _ids(campaign, "Kosten", "Sprache")
    assert [(row.argument_id, row.position) for row in rows] == [(kosten, 0), (sprache, 1)]
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "campaign.arguments.choose"))
    assert event.user_id == user.id and event.details["after"] == _ids(campaign, "Kosten", "Sprache")


def test_wished_positions_reorder_the_choice(db_session, campaign):
    kosten, rechtsstaat, teilhabe = _ids(campaign, "Kosten", "Rechtsstaat", "Teilhabe")
    set_chosen_arguments(
        db_session, campaign, [kosten, rechtsstaat, teilhabe], positions={teilhabe: 1, kosten: 3, rechtsstaat: None}
    )
    db_session.expire_all()
    # Rechtsstaat has no wish and keeps its place in the set (2), between the two numbered ones.
    assert chosen_argument_ids(campaign) == [teilhabe, rechtsstaat, kosten]
    # A typed-in place wins over an argument that merely sits at that place in the set.
    set_chosen_arguments(db_session, campaign, [kosten, teilhabe], positions={teilhabe: 1})
    db_session.expire_all()
    assert chosen_argument_ids(campaign) == [teilhabe, kosten]


def test_choosing_again_replaces_the_previous_choice(db_session, campaign):
    set_chosen_arguments(db_session, campaign, _ids(campaign, "Kosten", "Rechtsstaat"))
    set_chosen_arguments(db_session, campaign, _ids(campaign, "Rechtsstaat", "Teilhabe"))
    db_session.expire_all()
    assert chosen_argument_ids(campaign) == _ids(campaign, "Rechtsstaat", "Teilhabe")
    set_chosen_arguments(db_session, campaign, [])
    db_session.expire_all()
    assert chosen_argument_ids(campaign) == []


def test_an_argument_of_another_set_cannot_be_chosen(db_session, campaign):
    foreign = make_argument_set(db_session, ("Fremd", []))
    with pytest.raises(ServiceError, match="nur Argumente aus dem Argumentationsset"):
        set_chosen_arguments(db_session, campaign, [foreign.arguments[0].id])
    assert chosen_argument_ids(campaign) == []


def test_rules_are_added_audited_and_removed(db_session, campaign):
    user = make_user(db_session)
    make_recipient(db_session, tags=["kommunalpolitik", "delegierte"])
    rule = add_rule(db_session, campaign, recipient_tag=" Kommunalpolitik ", argument_tag="kommunal", user=user)
    # Spelt as the existing recipient tag, so the rule matches those recipients.
    assert (rule.recipient_tag, rule.argument_tag, rule.position) == ("kommunalpolitik", "kommunal", 0)
    second = add_rule(db_session, campaign, recipient_tag="mdl", argument_tag="rechtsstaat", user=user)
    assert second.position == 1
    stored = db_session.scalars(select(ArgumentRule).where(ArgumentRule.campaign_id == campaign.id)).all()
    assert {(r.recipient_tag, r.argument_tag) for r in stored} == {
        ("kommunalpolitik", "kommunal"),
        ("mdl", "rechtsstaat"),
    }
    remove_rule(db_session, campaign, rule.id, user=user)
    assert [r.id for r in campaign.argument_rules] == [second.id]
    actions = db_session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "Campaign").order_by(AuditEvent.id)
    ).all()
    assert actions == ["campaign.rule.add", "campaign.rule.add", "campaign.rule.remove"]


def test_rule_with_an_unknown_argument_tag_or_twice_is_refused(db_session, campaign):
    with pytest.raises(ServiceError, match="trägt das Schlagwort „gibtsnicht“"):
        add_rule(db_session, campaign, recipient_tag="mdl", argument_tag="gibtsnicht")
    add_rule(db_session, campaign, recipient_tag="mdl", argument_tag="kosten")
    with pytest.raises(ServiceError, match="gibt es schon"):
        add_rule(db_session, campaign, recipient_tag="MdL", argument_tag="kosten")
    with pytest.raises(ServiceError, match="Schlagwort"):
        add_rule(db_session, campaign, recipient_tag="   ", argument_tag="kosten")


def test_a_rule_of_another_campaign_cannot_be_removed(db_session, campaign):
    other = make_campaign(db_session, argument_set=campaign.argument_set)
    rule = add_rule(db_session, other, recipient_tag="mdl", argument_tag="kosten")
    with pytest.raises(ServiceError, match="gibt es in dieser Kampagne nicht"):
        remove_rule(db_session, campaign, rule.id)
    assert rule in other.argument_rules


def test_tags_offered_come_from_arguments_and_recipients(db_session, campaign):
    targeted = make_recipient(db_session, tags=["kommunalpolitik", "delegierte"])
    make_recipient(db_session, last_name="Öztürk", tags=["mdl"])
    make_target(db_session, campaign, targeted)
    assert argument_tags(campaign) == ["bildung", "kommunal", "kosten", "rechtsstaat", "teilhabe", "wohnen"]
    assert recipient_tags(db_session) == ["delegierte", "kommunalpolitik", "mdl"]
    assert recipient_tags(db_session, campaign) == ["delegierte", "kommunalpolitik"]


def test_rule_summaries_count_targets_and_list_arguments(db_session, campaign):
    for tags in (["kommunalpolitik"], ["kommunalpolitik", "mdl"], ["mdl"]):
        make_target(db_session, campaign, make_recipient(db_session, tags=tags))
    make_recipient(db_session, tags=["kommunalpolitik"])  # not a target of this campaign
    add_rule(db_session, campaign, recipient_tag="kommunalpolitik", argument_tag="kommunal")
    [summary] = rule_summaries(db_session, campaign)
    assert summary.targets == 2
    assert [argument.claim for argument in summary.arguments] == ["Kosten"]
