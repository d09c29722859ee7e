"""Recipient service: validation, duplicates, create/edit/delete with audit, filters with pages, lists and tags."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign.models import AuditEvent, FormOfAddress, Recipient, RecipientList, Target
from campaign.services import recipients as service
from campaign.services.common.errors import ServiceError
from campaign.services.recipients import postcodes
from tests.factories import make_campaign, make_recipient, make_user
from tests.factories_recipients import add_recipients, make_list

PERSON = {
    "form_of_address": "frau",
    "first_name": "Ayşe",
    "last_name": "Doğan",
    "street": "Fliederhofweg 14",
    "postcode": "50823",
    "city": "Köln",
    "email": "Ayse.Dogan@Example.org",
}


def _events(session, action):
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# ---- single values ----


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Frau", FormOfAddress.FRAU),
        ("frau", FormOfAddress.FRAU),
        ("Herr", FormOfAddress.HERR),
        ("Herrn", FormOfAddress.HERR),
        ("Mr.", FormOfAddress.HERR),
        ("Ms", FormOfAddress.FRAU),
        ("divers", FormOfAddress.DIVERS),
        ("Divers", FormOfAddress.DIVERS),
        ("d", FormOfAddress.DIVERS),
        ("", FormOfAddress.UNBEKANNT),
        (None, FormOfAddress.UNBEKANNT),
        ("keine Angabe", FormOfAddress.UNBEKANNT),
        ("Gruppe", FormOfAddress.GRUPPE),
    ],
)
def test_forms_of_address_from_german_and_english_spellings(raw, expected):
    assert service.parse_form_of_address(raw) is expected


def test_unknown_form_of_address_names_the_allowed_values():
    with pytest.raises(ServiceError, match=r"Unbekannte Anrede „Sir“.*Frau, Herr, divers"):
        service.parse_form_of_address("Sir")


def test_tags_are_split_trimmed_lowercased_and_unique():
    assert service.parse_tags(" Delegierte, kommunalpolitik ,,delegierte; #MdL ,  Landes  Vorstand ") == [
        "delegierte",
        "kommunalpolitik",
        "mdl",
        "landes vorstand",
    ]
    assert service.parse_tags("") == []
    assert service.parse_tags(["A", "a", " b "]) == ["a", "b"]


# ---- validation ----


def test_clean_recipient_normalises_email_and_spaces():
    cleaned = service.clean_recipient({**PERSON, "first_name": "  Ayşe  ", "tags": "A, b"})
    assert cleaned.ok, cleaned.errors
    assert cleaned.values["first_name"] == "Ayşe"
    assert cleaned.values["email"] == "Ayse.Dogan@example.org"
    assert cleaned.values["email_canonical"] == "ayse.dogan@example.org"
    assert cleaned.values["tags"] == ["a", "b"]
    assert cleaned.values["form_of_address"] is FormOfAddress.FRAU


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "ayse(at)example.org"}, "email", "Ungültige E-Mail-Adresse „ayse(at)example.org“"),
        ({"email": "a@@example.org"}, "email", "Ungültige E-Mail-Adresse"),
        ({"postcode": "4021", "city": "Düsseldorf"}, "postcode", "die PLZ „04021“ gibt es nicht"),
        ({"postcode": "1067", "city": "Köln"}, "postcode", "„01067“ gehört nicht zu „Köln“, sondern zu Dresden"),
        ({"postcode": "508234"}, "postcode", "keine deutsche Postleitzahl"),
        ({"postcode": "D-50823"}, "postcode", "keine deutsche Postleitzahl"),
        ({"postcode": "ABCDE", "country": "Deutschland"}, "postcode", "fünf Ziffern"),
        ({"postcode": "1010", "country": "Österreich"}, None, None),
        ({"postcode": "SW1A 1AA", "country": "Vereinigtes Königreich"}, None, None),
        ({"first_name": "", "last_name": ""}, "last_name", "Namen"),
        ({"last_name": ""}, "last_name", "Nachnamen"),
        ({"form_of_address": "gruppe", "first_name": "", "last_name": ""}, "group_name", "Gruppennamen"),
        ({"form_of_address": "Sir"}, "form_of_address", "Unbekannte Anrede"),
        ({"title": "Prof. Dr. " * 10}, "title", "höchstens 60 Zeichen"),
        ({"tags": "x" * 81}, "tags", "länger als 80"),
    ],
    ids=[
        "email-at",
        "email-double-at",
        "plz-4-digits-elsewhere",
        "plz-4-digits-other-city",
        "plz-6-digits",
        "plz-prefix",
        "plz-letters",
        "plz-austria",
        "plz-uk",
        "no-name",
        "no-last-name",
        "group-without-name",
        "unknown-salutation",
        "title-too-long",
        "tag-too-long",
    ],
)
def test_clean_recipient_reports_each_bad_field(changes, field, message):
    cleaned = service.clean_recipient({**PERSON, **changes})
    if field is None:
        assert cleaned.ok, cleaned.errors
    else:
        assert field in cleaned.errors and message in cleaned.errors[field], cleaned.errors


def test_four_digit_german_postcode_gets_its_leading_zero_back_with_a_warning():
    cleaned = service.clean_recipient({**PERSON, "postcode": "1067", "city": "Dresden"})
    assert cleaned.values["postcode"] == "01067"
    assert cleaned.warnings == ["PLZ „1067“ zu „01067“ ergänzt."]


@pytest.mark.parametrize(
    "city", ["Dresden-Loschwitz", "Halle/Saale", "Halle an der Saale", "", "Schönfeld"], ids=str.lower
)
def test_leading_zero_is_restored_where_the_place_fits(city):
    postcode = {"Halle/Saale": "6108", "Halle an der Saale": "6108", "Schönfeld": "1561"}.get(city, "1326")
    cleaned = service.clean_recipient({**PERSON, "postcode": postcode, "city": city})
    assert cleaned.ok, cleaned.errors
    assert cleaned.values["postcode"] == "0" + postcode


def test_a_four_digit_postcode_of_another_place_is_a_fault_not_a_guess():
    cleaned = service.clean_recipient({**PERSON, "postcode": "4021", "city": "Düsseldorf"})
    assert cleaned.values["postcode"] == "4021" and not cleaned.warnings
    assert cleaned.errors["postcode"] == (
        "„4021“ hat nur vier Ziffern, und die PLZ „04021“ gibt es nicht. Bitte die PLZ prüfen."
    )


# ---- postcodes and places ----


def test_places_of_a_postcode_come_from_the_shipped_data():
    assert postcodes.places("01067") == ("Dresden",)
    assert "Lampertswalde" in postcodes.places("01561") and len(postcodes.places("01561")) > 1
    assert postcodes.places("04021") == () and not postcodes.is_known("04021")
    assert postcodes.is_known("40210") and postcodes.places(" 50667 ") == ("Köln",)


@pytest.mark.parametrize(
    ("postcode", "city", "fits"),
    [
        ("40210", "Düsseldorf", True),
        ("40210", "DÜSSELDORF", True),
        ("50823", "Köln-Ehrenfeld", True),
        ("60311", "Frankfurt a.M.", True),
        ("60311", "Frankfurt am Main", True),
        ("15230", "Frankfurt a.M.", False),
        ("53757", "St. Augustin", True),
        ("01067", "Köln", False),
        ("01067", "D", False),
        ("99999", "Nirgendwo", False),
    ],
)
def test_a_city_is_checked_against_its_postcode(postcode, city, fits):
    assert postcodes.matches_city(postcode, city) is fits


# ---- address lines ----


def test_a_multi_line_street_keeps_its_lines_and_loses_only_blank_ones():
    cleaned = service.clean_recipient({**PERSON, "street": "c/o Muñoz  \r\n\r\n 2. OG\nFliederhofweg  14 "})
    assert cleaned.ok, cleaned.errors
    assert cleaned.values["street"] == "c/o Muñoz\n2. OG\nFliederhofweg 14"


def test_a_street_of_more_lines_than_the_address_window_takes_is_refused():
    cleaned = service.clean_recipient({**PERSON, "street": "a\nb\nc\nd"})
    assert "höchstens 3 Zeilen" in cleaned.errors["street"]


def test_other_fields_still_join_their_lines():
    cleaned = service.clean_recipient({**PERSON, "last_name": "Doğan\nKaya", "city": "Köln\n"})
    assert (cleaned.values["last_name"], cleaned.values["city"]) == ("Doğan Kaya", "Köln")


def test_a_stored_multi_line_street_is_still_found_as_a_duplicate(db_session):
    stored = service.create_recipient(db_session, {**PERSON, "email": "", "street": "c/o Muñoz\nFliederhofweg 14"})
    assert stored.street == "c/o Muñoz\nFliederhofweg 14"
    with pytest.raises(ServiceError, match="demselben Namen und derselben Anschrift"):
        service.create_recipient(db_session, {**PERSON, "email": "", "street": "c/o Muñoz  Fliederhofweg 14"})


def test_group_with_organisation_only_is_valid():
    cleaned = service.clean_recipient({"form_of_address": "Gruppe", "organisation": "SPD-Ortsverein Köln-Nippes"})
    assert cleaned.ok and service.display_name(cleaned.values) == "SPD-Ortsverein Köln-Nippes"


# ---- create, edit, delete ----


def test_create_stores_normalised_values_and_writes_the_audit_log(db_session):
    user = make_user(db_session)
    created = service.create_recipient(db_session, {**PERSON, "tags": "Delegierte"}, user=user)
    assert created.id and created.email_canonical == "ayse.dogan@example.org" and created.tags == ["delegierte"]
    [event] = _events(db_session, "recipient.create")
    assert event.object_id == created.id and event.user_id == user.id and event.details["name"] == "Ayşe Doğan"


def test_invalid_input_raises_field_errors_and_stores_nothing(db_session):
    with pytest.raises(service.RecipientInvalid) as caught:
        service.create_recipient(db_session, {**PERSON, "email": "kaputt@", "postcode": "12"})
    assert set(caught.value.errors) == {"email", "postcode"}
    assert "E-Mail:" in str(caught.value)
    assert db_session.scalar(select(func.count(Recipient.id))) == 0


@pytest.mark.parametrize(
    "second",
    [
        {**PERSON, "email": "ayse.dogan+kampagne@example.org", "street": "Anderswo 1"},
        {**PERSON, "first_name": "AYŞE", "last_name": "doğan", "email": "", "street": "Fliederhofweg  14"},
        {**PERSON, "street": "Fliederhofweg 14", "email": ""},
    ],
    ids=["same-canonical-email", "same-name-and-address-other-case", "same-name-address-no-email"],
)
def test_duplicates_are_refused(db_session, second):
    first = service.create_recipient(db_session, PERSON)
    with pytest.raises(ServiceError, match=f"Es gibt bereits eine Empfänger:in.*Nr. {first.id}"):
        service.create_recipient(db_session, second)


def test_strasse_and_str_abbreviation_count_as_the_same_address(db_session):
    service.create_recipient(db_session, {**PERSON, "street": "Hauptstraße 5", "email": ""})
    with pytest.raises(ServiceError, match="demselben Namen und derselben Anschrift"):
        service.create_recipient(db_session, {**PERSON, "street": "Hauptstr. 5", "email": ""})


def test_namesakes_are_not_duplicates(db_session):
    service.create_recipient(db_session, PERSON)
    service.create_recipient(db_session, {**PERSON, "street": "Andere Straße 1", "email": ""})
    # Same name and office address but two different mailboxes: two people.
    service.create_recipient(db_session, {**PERSON, "email": "a.dogan@example.com"})
    assert db_session.scalar(select(func.count(Recipient.id))) == 3


def test_gmail_dot_and_plus_variants_are_one_person(db_session):
    service.create_recipient(db_session, {**PERSON, "email": "ayse.dogan@gmail.com"})
    with pytest.raises(ServiceError, match="derselben E-Mail-Adresse"):
        service.create_recipient(db_session, {**PERSON, "street": "", "email": "AyseDogan+spd@googlemail.com"})


def test_update_reports_changed_fields_lists_and_audits(db_session):
    user = make_user(db_session)
    recipient = service.create_recipient(db_session, PERSON)
    delegates = make_list(db_session, "Delegierte")
    changed = service.update_recipient(
        db_session, recipient, {**PERSON, "title": "Dr.", "tags": "mdl"}, list_ids=[delegates.id], user=user
    )
    assert sorted(changed) == ["lists", "tags", "title"]
    assert recipient.full_name == "Dr. Ayşe Doğan" and recipient.lists == [delegates]
    [event] = _events(db_session, "recipient.update")
    assert event.details["fields"] == ["lists", "tags", "title"]
    assert service.update_recipient(db_session, recipient, {**PERSON, "title": "Dr.", "tags": "mdl"}) == []
    assert len(_events(db_session, "recipient.update")) == 1


def test_update_may_keep_its_own_email_but_not_take_another(db_session):
    first = service.create_recipient(db_session, PERSON)
    second = service.create_recipient(db_session, {**PERSON, "first_name": "Paweł", "email": "pawel@example.org"})
    service.update_recipient(db_session, first, {**PERSON, "city": "Köln-Ehrenfeld"})
    with pytest.raises(ServiceError, match="derselben E-Mail-Adresse"):
        service.update_recipient(db_session, second, {**PERSON, "first_name": "Paweł", "email": PERSON["email"]})
    assert second.email == "pawel@example.org"


def test_update_with_a_vanished_list_is_refused(db_session):
    recipient = service.create_recipient(db_session, PERSON)
    with pytest.raises(ServiceError, match="gibt es nicht mehr"):
        service.update_recipient(db_session, recipient, PERSON, list_ids=[9999])


def test_delete_removes_campaign_targets_and_is_audited(db_session):
    recipient = service.create_recipient(db_session, PERSON)
    campaign = make_campaign(db_session)
    db_session.add(Target(campaign_id=campaign.id, recipient_id=recipient.id))
    make_list(db_session, "Delegierte", [recipient])
    db_session.flush()
    assert service.deletion_impact(db_session, recipient) == service.DeletionImpact(campaigns=1, letters=0)
    recipient_id = recipient.id
    service.delete_recipient(db_session, recipient)
    db_session.expire_all()
    assert db_session.get(Recipient, recipient_id) is None
    assert db_session.scalar(select(func.count(Target.id))) == 0
    assert db_session.scalar(select(RecipientList).where(RecipientList.name == "Delegierte")).recipients == []
    [event] = _events(db_session, "recipient.delete")
    assert event.object_id == recipient_id and event.details["name"] == "Ayşe Doğan"


# ---- filters and pages ----


@pytest.fixture
def people(db_session):
    """Five recipients covering the filters: tags, functions, regions, with and without e-mail or address."""
    delegates = make_list(db_session, "Delegierte")
    rows = [
        make_recipient(db_session, first_name="Ayşe", last_name="Doğan", function="Delegierte", unterbezirk="Köln",
                       kreis="Köln", kommune="Köln", wahlkreis="Köln I", street="Weg 1", postcode="50823", city="Köln",
                       email="ayse@example.org", tags=["delegierte", "kommunalpolitik"]),
        make_recipient(db_session, first_name="Paweł", last_name="Łukasik", function="Landtagsabgeordneter",
                       unterbezirk="Dortmund", kreis="Dortmund", email="pawel@example.org", tags=["mdl"]),
        make_recipient(db_session, first_name="Renée", last_name="Ibáñez", function="Delegierte Ersatz",
                       unterbezirk="Köln", street="Platz 2", postcode="50667", city="Köln",
                       tags=["delegierte-ersatz"]),
        make_recipient(db_session, form_of_address=FormOfAddress.GRUPPE, first_name="", last_name="",
                       group_name="Mitglieder des UB Essen", unterbezirk="Essen", tags=["straße_%"]),
        make_recipient(db_session, first_name="Jörg", last_name="Weiß", function="Ratsmitglied", kommune="Bonn",
                       email="joerg@example.org", street="Allee 3", postcode="53111", city="Bonn"),
    ]  # fmt: skip
    delegates.recipients = [rows[0], rows[2]]
    db_session.flush()
    return {"list": delegates, "rows": rows}


def _names(session, **criteria):
    page = service.search_recipients(session, service.RecipientFilter(**criteria))
    # Order across scripts (Ł after W) is the database's business; the filters decide membership.
    return {recipient.full_name for recipient in page.items}


def test_filters_each_narrow_the_result(db_session, people):
    assert len(_names(db_session)) == 5
    assert _names(db_session, list_id=people["list"].id) == {"Ayşe Doğan", "Renée Ibáñez"}
    assert _names(db_session, tag="delegierte") == {"Ayşe Doğan"}
    assert _names(db_session, tag="Straße_%") == {"Mitglieder des UB Essen"}
    assert _names(db_session, tag="straße") == set()
    assert _names(db_session, tag="%") == set()
    assert _names(db_session, function="delegierte") == {"Ayşe Doğan", "Renée Ibáñez"}
    assert _names(db_session, unterbezirk="Köln") == {"Ayşe Doğan", "Renée Ibáñez"}
    assert _names(db_session, kreis="Dortmund") == {"Paweł Łukasik"}
    assert _names(db_session, wahlkreis="Köln I") == {"Ayşe Doğan"}
    assert _names(db_session, kommune="Bonn") == {"Jörg Weiß"}
    assert _names(db_session, has_email=True) == {"Ayşe Doğan", "Paweł Łukasik", "Jörg Weiß"}
    assert _names(db_session, has_email=False) == {"Mitglieder des UB Essen", "Renée Ibáñez"}
    assert _names(db_session, has_postal_address=True) == {"Ayşe Doğan", "Renée Ibáñez", "Jörg Weiß"}
    assert _names(db_session, has_postal_address=False) == {"Mitglieder des UB Essen", "Paweł Łukasik"}
    assert _names(db_session, unterbezirk="Köln", has_email=True, tag="kommunalpolitik") == {"Ayşe Doğan"}


def test_text_search_treats_wildcards_literally(db_session, people):
    assert _names(db_session, text="doğan") == {"Ayşe Doğan"}
    assert _names(db_session, text="UB Essen") == {"Mitglieder des UB Essen"}
    assert _names(db_session, text="%") == set()
    assert _names(db_session, text="_") == set()
    assert _names(db_session, text="joerg@") == {"Jörg Weiß"}


def test_text_search_ignores_case_beyond_ascii(db_session, people):
    # SQLite's own lower() folds only A–Z: „łukasik“ missed „Łukasik“ there (PostgreSQL found it).
    assert _names(db_session, text="łukasik") == {"Paweł Łukasik"}
    assert _names(db_session, text="JÖRG") == {"Jörg Weiß"}
    assert _names(db_session, text="IBÁÑEZ") == {"Renée Ibáñez"}
    assert _names(db_session, function="LANDTAGSABGEORDNETER") == {"Paweł Łukasik"}


def test_pages_of_thousands_are_counted_and_clamped(db_session):
    add_recipients(db_session, 1203)
    first = service.search_recipients(db_session, service.RecipientFilter(), page=1, per_page=50)
    assert first.total == 1203 and first.pages == 25 and len(first.items) == 50 and not first.has_previous
    assert [r.last_name for r in first.items[:2]] == ["001", "002"]
    last = service.search_recipients(db_session, service.RecipientFilter(), page=999, per_page=50)
    assert last.page == 25 and len(last.items) == 3 and last.first_number == 1201 and last.last_number == 1203
    assert not last.has_next
    assert service.search_recipients(db_session, service.RecipientFilter(), page=-4).page == 1
    assert len(service.filtered_ids(db_session, service.RecipientFilter())) == 1203


def test_filter_choices_offer_the_existing_values(db_session, people):
    choices = service.filter_choices(db_session)
    assert choices.tags == ["delegierte", "delegierte-ersatz", "kommunalpolitik", "mdl", "straße_%"]
    assert choices.unterbezirke == ["Dortmund", "Essen", "Köln"]
    assert choices.kommunen == ["Bonn", "Köln"]
    assert [item.name for item in choices.lists] == ["Delegierte"]


# ---- lists ----


def test_lists_are_created_renamed_and_deleted_with_audit(db_session):
    user = make_user(db_session)
    created = service.create_list(db_session, "  Delegierte   NRW ", "Landesparteitag", user=user)
    assert created.name == "Delegierte NRW"
    with pytest.raises(ServiceError, match="gibt es bereits"):
        service.create_list(db_session, "delegierte nrw")
    with pytest.raises(ServiceError, match="Namen"):
        service.create_list(db_session, "   ")
    other = service.create_list(db_session, "MdL")
    with pytest.raises(ServiceError, match="gibt es bereits"):
        service.rename_list(db_session, other, "Delegierte NRW")
    service.rename_list(db_session, created, "Delegierte LPT", user=user)
    assert created.name == "Delegierte LPT"
    members = add_recipients(db_session, 3)
    service.add_to_list(db_session, created, [member.id for member in members])
    service.delete_list(db_session, created, user=user)
    assert db_session.scalar(select(func.count(Recipient.id))) == 3
    actions = [event.action for event in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("recipient_list.create") == 2
    assert {"recipient_list.update", "recipient_list.add", "recipient_list.delete"} <= set(actions)


def test_get_or_create_list_finds_names_regardless_of_case(db_session):
    first, created = service.get_or_create_list(db_session, "Presse")
    again, created_again = service.get_or_create_list(db_session, " presse ")
    assert created and not created_again and again.id == first.id
    polish, _created = service.get_or_create_list(db_session, "Łódź und Gdańsk")
    assert service.get_or_create_list(db_session, "łódź  UND gdańsk") == (polish, False)
    with pytest.raises(ServiceError, match="gibt es bereits"):
        service.create_list(db_session, "ŁÓDŹ UND GDAŃSK")


def test_adding_members_in_bulk_is_idempotent_and_removal_counts(db_session):
    members = add_recipients(db_session, 30)
    target = make_list(db_session, "Alle")
    ids = [member.id for member in members]
    assert service.add_to_list(db_session, target, ids[:10]) == 10
    assert service.add_to_list(db_session, target, ids) == 20
    assert service.add_to_list(db_session, target, ids) == 0
    assert len(target.recipients) == 30 and members[0].lists == [target]
    assert service.remove_from_list(db_session, target, [*ids[:5], 999999]) == 5
    assert service.list_members(db_session, target).total == 25
    assert [summary.members for summary in service.list_summaries(db_session)] == [25]
    with pytest.raises(ServiceError, match="gibt es nicht mehr"):
        service.add_to_list(db_session, target, [999999])
