"""Campaign services: create, edit, status through the transition table, duplicate, targets and templates per target."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.models import (
    AuditEvent,
    CampaignChannels,
    CampaignStatus,
    Channel,
    Letter,
    StateChange,
    Target,
)
from campaign.services.campaigns import editing, targets
from campaign.services.common.errors import ServiceError
from campaign.services.letters.snapshots import prepare_letters
from campaign.services.recipients.search import RecipientFilter
from tests.factories import make_motion, make_recipient, make_user
from tests.factories_letters import ON, add_version, make_letter_campaign, make_organisation, make_template
from tests.factories_recipients import make_list


def test_a_new_campaign_starts_as_draft_with_a_slug_from_its_title_and_is_audited(db_session):
    user = make_user(db_session)
    motion = make_motion(db_session)
    created = editing.create_campaign(
        db_session,
        editing.CampaignData(title="  Gerechtigkeit für Łódź, Ğazi & Straße  ", motion_id=motion.id),
        user=user,
    )
    assert created.status is CampaignStatus.DRAFT
    assert created.slug == "gerechtigkeit-fuer-lodz-gazi-strasse"
    assert created.title == "Gerechtigkeit für Łódź, Ğazi & Straße"
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "campaign.create"))
    assert event.object_id == created.id and event.user_id == user.id


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": "  "}, "title", "Bitte einen Titel"),
        ({"title": "A", "slug": "Groß Buchstaben"}, "slug", "Kleinbuchstaben"),
        ({"title": "A", "slug": "ende-"}, "slug", "Kleinbuchstaben"),
        ({"title": "A", "goal_signatures": -1}, "goal_signatures", "Ziel"),
        ({"title": "A", "motion_id": 999_999}, "motion_id", "gibt es nicht"),
        ({"title": "x" * 301}, "title", "höchstens 300"),
    ],
)
def test_bad_campaign_input_names_the_field(db_session, values, field, message):
    with pytest.raises(ServiceError, match=message) as raised:
        editing.create_campaign(db_session, editing.CampaignData(**values))
    assert raised.value.field == field


def test_a_slug_taken_by_another_campaign_is_refused_but_keeping_ones_own_is_fine(db_session):
    first = editing.create_campaign(db_session, editing.CampaignData(title="Erste", slug="gerecht"))
    with pytest.raises(ServiceError, match="„gerecht“ hat schon"):
        editing.create_campaign(db_session, editing.CampaignData(title="Zweite", slug="gerecht"))
    editing.update_campaign(
        db_session, first, editing.CampaignData(title="Erste, neu", slug="gerecht", channels=CampaignChannels.BOTH)
    )
    assert first.title == "Erste, neu" and first.channels is CampaignChannels.BOTH
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "campaign.update"))
    assert event.details["changes"]["title"] == ["Erste", "Erste, neu"]


def test_status_follows_the_transition_table_and_each_change_is_logged(db_session):
    campaign = editing.create_campaign(db_session, editing.CampaignData(title="Status"))
    with pytest.raises(ServiceError, match="nicht erlaubt"):
        editing.change_status(db_session, campaign, CampaignStatus.ARCHIVED)
    for status in ("active", "closed", "archived"):
        editing.change_status(db_session, campaign, status)
    assert campaign.status is CampaignStatus.ARCHIVED
    changes = db_session.scalars(
        select(StateChange).where(StateChange.object_type == "Campaign").order_by(StateChange.id)
    ).all()
    assert [(c.from_status, c.to_status) for c in changes] == [
        ("draft", "active"),
        ("active", "closed"),
        ("closed", "archived"),
    ]
    with pytest.raises(ServiceError, match="Unbekannter Status"):
        editing.change_status(db_session, campaign, "verschwunden")


def test_a_campaign_with_an_open_letter_starts_only_once_the_letter_has_text(db_session):
    sender = make_organisation(db_session)
    campaign = editing.create_campaign(
        db_session, editing.CampaignData(title="Offen", open_letter=True, organisation_id=sender.id)
    )
    with pytest.raises(ServiceError, match="noch keinen Text") as refused:
        editing.change_status(db_session, campaign, CampaignStatus.ACTIVE)
    assert refused.value.field == "open_letter" and campaign.status is CampaignStatus.DRAFT
    make_template(db_session, campaign)
    db_session.refresh(campaign)
    editing.change_status(db_session, campaign, CampaignStatus.ACTIVE)
    assert campaign.status is CampaignStatus.ACTIVE


def test_a_running_campaign_without_letter_text_cannot_switch_co_signing_on_but_keeps_other_edits(db_session):
    campaign = editing.create_campaign(db_session, editing.CampaignData(title="Läuft"))
    editing.change_status(db_session, campaign, CampaignStatus.ACTIVE)
    with pytest.raises(ServiceError, match="noch keinen Text"), db_session.begin_nested():  # the boundary's rollback
        editing.update_campaign(db_session, campaign, editing.CampaignData(title="Läuft", open_letter=True))
    editing.update_campaign(db_session, campaign, editing.CampaignData(title="Läuft weiter, Łódź"))
    assert campaign.title == "Läuft weiter, Łódź" and not campaign.open_letter


def test_duplicate_copies_settings_templates_and_argument_choice_but_not_targets(db_session):
    source, version, _people = make_letter_campaign(db_session, recipients=2)
    add_version(db_session, version, body="{{ salutation }},\n\nNeuer Text.\n")
    copy = editing.duplicate_campaign(db_session, source, title="Zweite Runde")
    assert copy.status is CampaignStatus.DRAFT and copy.slug == "zweite-runde"
    assert copy.organisation_id == source.organisation_id
    assert [t.name for t in copy.templates] == [t.name for t in source.templates]
    assert copy.templates[0].versions[0].body.endswith("Neuer Text.\n") and len(copy.templates[0].versions) == 1
    assert targets.count_targets(db_session, copy) == 0


def test_targets_come_from_lists_tags_and_single_choices_and_are_kept_as_rows(db_session):
    campaign, _, _ = make_letter_campaign(db_session, channels=CampaignChannels.BOTH)
    with_mail = make_recipient(db_session, last_name="Öztürk", email="oeztuerk@example.org", tags=["mdl"])
    on_paper = make_recipient(db_session, last_name="Weiß", tags=["delegierte"])
    listed = make_list(db_session, "Delegierte", [on_paper])
    assert targets.add_matching(db_session, campaign, RecipientFilter(list_id=listed.id)) == 1
    assert targets.add_matching(db_session, campaign, RecipientFilter(tag="mdl")) == 1
    assert targets.add_matching(db_session, campaign, RecipientFilter(tag="mdl")) == 0  # nothing twice
    channels = dict(db_session.execute(select(Target.recipient_id, Target.channel)).all())
    assert channels == {with_mail.id: Channel.EMAIL, on_paper.id: Channel.POST}
    with pytest.raises(ServiceError, match="Filter wählen"):
        targets.add_matching(db_session, campaign, RecipientFilter())
    targets.remove_target(db_session, campaign, on_paper.id)
    assert targets.target_ids(db_session, campaign) == {with_mail.id}
    with pytest.raises(ServiceError, match="gehört nicht"):
        targets.remove_target(db_session, campaign, on_paper.id)


def test_a_recipient_added_by_hand_gets_a_letter(db_session):
    campaign, _, people = make_letter_campaign(db_session, recipients=2)
    late = make_recipient(db_session, last_name="Nachzüglerin", street="Weg 1", postcode="50667", city="Köln")
    targets.add_targets(db_session, campaign, [late.id], how="einzeln")
    recipients = [*people, late]
    prepared, _ = prepare_letters(db_session, campaign, recipients, on=ON)
    names = {item.letter.recipient_name for item in prepared}
    assert "Erika Nachzüglerin" in names and len(prepared) == 3


def test_each_target_gets_its_template_by_hand_by_tag_or_by_default(db_session):
    motion = make_motion(db_session)
    motion.title = "Leitantrag Gerechtigkeit"
    campaign, default, _ = make_letter_campaign(db_session, motion=motion)
    mdl_template = make_template(db_session, campaign, body="{{ salutation }},\n\nAn MdL: {{ motion.title }}.\n")
    special = make_template(db_session, campaign, body="{{ salutation }},\n\nPersönlich.\n")
    targets.set_template_tag(db_session, mdl_template.template, "mdl")
    mdl = make_recipient(db_session, last_name="Abgeordnete", tags=["mdl"])
    other = make_recipient(db_session, last_name="Delegierte")
    chosen = make_recipient(db_session, last_name="Besonders", tags=["mdl"])
    targets.add_targets(db_session, campaign, [mdl.id, other.id, chosen.id])
    targets.set_target_template(db_session, campaign, chosen.id, special.template.id)
    prepared, _ = prepare_letters(db_session, campaign, [mdl, other, chosen], on=ON)
    by_name = {item.letter.recipient_name: item.letter for item in prepared}
    assert by_name["Erika Abgeordnete"].template_version_id == mdl_template.id
    assert "An MdL: Leitantrag Gerechtigkeit." in by_name["Erika Abgeordnete"].body_text
    assert by_name["Erika Delegierte"].template_version_id == default.id
    assert by_name["Erika Besonders"].template_version_id == special.id
    assert all(v.used_at is not None for v in (default, mdl_template, special))
    assert db_session.scalar(select(Letter.id).where(Letter.campaign_id == campaign.id)) is not None


def test_a_template_of_another_campaign_cannot_be_chosen(db_session):
    campaign, _, people = make_letter_campaign(db_session, recipients=1)
    _other, foreign, _ = make_letter_campaign(db_session)
    with pytest.raises(ServiceError, match="gehört nicht zu dieser Kampagne"):
        targets.set_target_template(db_session, campaign, people[0].id, foreign.template_id)


def test_checklist_names_what_is_missing(db_session, service_app):
    from campaign.services.campaigns.hub import campaign_hub

    campaign = editing.create_campaign(db_session, editing.CampaignData(title="Leer"))
    hub = campaign_hub(db_session, campaign)
    assert not hub.ready
    missing = {str(item.label) for item in hub.checklist if not item.done}
    assert missing >= {"Noch kein Antrag", "Noch kein Absender", "Noch keine Briefvorlage", "Noch keine Briefe erzeugt"}
    full, _, _ = make_letter_campaign(db_session, recipients=1, motion=make_motion(db_session))
    full.organisation = make_organisation(db_session)
    checklist = {str(item.label): item.done for item in campaign_hub(db_session, full).checklist}
    assert checklist["Antrag gewählt"] and checklist["Briefvorlage angelegt"]
    assert checklist["Noch keine Briefe erzeugt"] is False


def test_changing_the_campaigns_channels_moves_its_targets_to_the_fitting_channel(db_session):
    campaign, _, _ = make_letter_campaign(db_session, channels=CampaignChannels.POST)
    person = make_recipient(db_session, email="zoe@example.org")
    targets.add_targets(db_session, campaign, [person.id])
    assert db_session.scalar(select(Target.channel)) is Channel.POST
    data = editing.CampaignData(title=campaign.title, slug=campaign.slug, channels=CampaignChannels.EMAIL)
    editing.update_campaign(db_session, campaign, data)
    assert db_session.scalar(select(Target.channel)) is Channel.EMAIL
