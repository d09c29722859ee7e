"""Letter templates: checked saving with clear messages, sandbox refusals, and versions immutable once used."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.db import utcnow
from campaign.models import AuditEvent, LetterTemplate
from campaign.services.letters.sandbox import TemplateProblem
from campaign.services.letters.templates import (
    TemplateFieldProblem,
    check_letter_template,
    create_template,
    rename_template,
    save_template_version,
)
from tests.factories import make_campaign, make_user
from tests.factories_letter_ui import make_template


def test_create_template_makes_version_one_and_an_audit_record(db_session):
    campaign = make_campaign(db_session)
    user = make_user(db_session)
    template = create_template(
        db_session,
        campaign,
        name="  Brief an Delegierte ",
        subject="Antrag",
        body="{{ salutation }},\r\nText",
        user=user,
    )
    assert template.name == "Brief an Delegierte"
    [version] = template.versions
    assert (version.number, version.subject, version.body, version.created_by_id) == (
        1,
        "Antrag",
        "{{ salutation }},\nText",
        user.id,
    )
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "template.create"))
    assert event.object_id == template.id and event.user_id == user.id


def test_duplicate_name_in_one_campaign_is_refused(db_session):
    campaign = make_campaign(db_session)
    create_template(db_session, campaign, name="Musterbrief", subject="A", body="Text")
    with pytest.raises(TemplateFieldProblem, match="schon eine Vorlage") as caught:
        create_template(db_session, campaign, name="musterbrief", subject="A", body="Text")
    assert caught.value.field == "name"
    other = make_campaign(db_session)
    assert create_template(db_session, other, name="Musterbrief", subject="A", body="Text").id


def test_syntax_error_names_the_line_and_saves_nothing(db_session):
    template = make_template(db_session, make_campaign(db_session), body="Alt")
    broken = "{{ salutation }},\n\nZeile drei\n{% if deadline %}bis {{ deadline }}\n"
    with pytest.raises(TemplateFieldProblem) as caught:
        save_template_version(db_session, template, subject="Betreff", body=broken)
    assert caught.value.field == "body"
    assert "Zeile" in str(caught.value) and "Brieftext" in str(caught.value)
    assert template.current_version.body == "Alt"


def test_syntax_error_in_line_four_is_reported_as_line_four(db_session):
    with pytest.raises(TemplateProblem, match="Zeile 4"):
        check_letter_template("a\nb\nc\n{{ salutation ")


def test_unknown_field_is_named(db_session):
    template = make_template(db_session, make_campaign(db_session))
    with pytest.raises(TemplateFieldProblem, match="Unbekannte Platzhalter: adressat") as caught:
        save_template_version(db_session, template, subject="Betreff", body="Hallo {{ adressat.name }}")
    assert caught.value.field == "body"
    # Listed as the editor writes them, and the follow-up field says where it can be used.
    assert "Erlaubt sind: anrede (salutation), " in str(caught.value)
    assert "erster_brief (original, nur in Nachfragen)" in str(caught.value)


def test_problem_in_the_subject_belongs_to_the_subject_field(db_session):
    template = make_template(db_session, make_campaign(db_session))
    with pytest.raises(TemplateFieldProblem, match="Betreff") as caught:
        save_template_version(db_session, template, subject="Antrag {{ motion.title ", body="Text")
    assert caught.value.field == "subject"


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ recipient.__class__ }}",
        "{{ recipient['__class__'] }}",
        "{{ salutation._internal }}",
        "Hallo\n{% for a in arguments %}{{ a.__dict__ }}{% endfor %}",
    ],
)
def test_reaching_for_python_internals_is_refused_on_save(db_session, source):
    template = make_template(db_session, make_campaign(db_session))
    with pytest.raises(TemplateFieldProblem, match="interne Attribute"):
        save_template_version(db_session, template, subject="Betreff", body=source)


def test_the_template_object_itself_is_refused(db_session):
    template = make_template(db_session, make_campaign(db_session))
    before = template.current_version.body
    for source, line in (("{{ self }}", 1), ("Hallo\n{{ self.blocks }}", 2)):
        with pytest.raises(TemplateFieldProblem) as refused:
            save_template_version(db_session, template, subject="Betreff", body=source)
        assert str(refused.value) == f"Brieftext: Zeile {line}: „self“ ist in Briefvorlagen nicht erlaubt."
        assert refused.value.field == "body"
    with pytest.raises(TemplateFieldProblem, match="Betreff: Zeile 1: „self“") as refused:
        save_template_version(db_session, template, subject="{{ self }}", body="Text")
    assert refused.value.field == "subject"
    assert template.current_version.body == before


def test_config_and_other_globals_are_unknown_fields(db_session):
    template = make_template(db_session, make_campaign(db_session))
    for source in ("{{ config }}", "{% for i in range(10) %}{{ i }}{% endfor %}", "{{ lipsum() }}"):
        with pytest.raises(TemplateFieldProblem, match="Unbekannte Platzhalter"):
            save_template_version(db_session, template, subject="Betreff", body=source)


def test_unused_version_is_updated_in_place(db_session):
    user = make_user(db_session)
    template = make_template(db_session, make_campaign(db_session), body="Alt")
    version = save_template_version(db_session, template, subject="Neu", body="Neuer Text", user=user)
    assert version.number == 1 and len(template.versions) == 1
    assert (version.subject, version.body) == ("Neu", "Neuer Text")
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "template.save"))
    assert event.details["new_version"] is False and event.user_id == user.id


def test_used_version_is_never_changed_saving_makes_a_new_one(db_session):
    template = make_template(db_session, make_campaign(db_session), subject="Alt", body="Alter Text")
    first = template.current_version
    first.used_at = utcnow()
    db_session.flush()
    second = save_template_version(db_session, template, subject="Neu", body="Neuer Text")
    assert second.number == 2 and second.id != first.id
    db_session.expire_all()
    first = template.versions[0]
    assert (first.subject, first.body) == ("Alt", "Alter Text")
    assert template.current_version.body == "Neuer Text"
    # The new version is not used yet, so the next save edits it rather than making a third.
    third = save_template_version(db_session, template, subject="Neu", body="Noch neuer")
    assert third.number == 2 and len(template.versions) == 2


def test_saving_unchanged_text_changes_nothing(db_session):
    template = make_template(db_session, make_campaign(db_session), subject="A", body="Text")
    template.current_version.used_at = utcnow()
    db_session.flush()
    save_template_version(db_session, template, subject="A", body="Text")
    assert len(template.versions) == 1
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.action == "template.save")) is None


def test_german_and_latin_names_survive_saving(db_session):
    template = make_template(db_session, make_campaign(db_session))
    body = "{{ salutation }},\n\nGrüße an Ayşe Doğan, Łukasz Wróbel, Renée Straße.\n"
    assert save_template_version(db_session, template, subject="Größe", body=body).body == body


def test_rename_checks_the_name(db_session):
    campaign = make_campaign(db_session)
    template = make_template(db_session, campaign)
    other = make_template(db_session, campaign)
    with pytest.raises(TemplateFieldProblem, match="schon eine Vorlage"):
        rename_template(db_session, template, other.name)
    rename_template(db_session, template, "Brief an Łódź")
    assert db_session.get(LetterTemplate, template.id).name == "Brief an Łódź"
    # Capitals beyond ASCII clash too (SQLite's lower() would not fold „Ł“), in this campaign only.
    with pytest.raises(TemplateFieldProblem, match="schon eine Vorlage"):
        rename_template(db_session, other, "BRIEF AN ŁÓDŹ")
    rename_template(db_session, make_template(db_session, make_campaign(db_session)), "brief an łódź")
    rename_template(db_session, template, "Brief an ŁÓDŹ")
    assert template.name == "Brief an ŁÓDŹ"


def test_empty_subject_or_body_is_refused(db_session):
    template = make_template(db_session, make_campaign(db_session))
    with pytest.raises(TemplateFieldProblem, match="Betreff") as caught:
        save_template_version(db_session, template, subject="  ", body="Text")
    assert caught.value.field == "subject"
    with pytest.raises(TemplateFieldProblem, match="Brieftext") as caught:
        save_template_version(db_session, template, subject="A", body="\n\n")
    assert caught.value.field == "body"
