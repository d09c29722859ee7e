"""Organisations (fields, PNG check, SVG whitelist, letterhead in the PDF) and account rules (last admin)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from campaign.models import AuditEvent, Role
from campaign.services.accounts import users
from campaign.services.common.errors import ServiceError
from campaign.services.letters.compose import compose_letter
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.organisations import records
from campaign.services.organisations.images import MAX_IMAGE_BYTES, check_image, sanitise_svg
from tests.factories import PASSWORD, make_user
from tests.factories_letters import ON, make_letter_campaign, pdf_text


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"
     onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(https://evil.example/x.css);</style>
  <foreignObject><iframe src="https://evil.example/"></iframe></foreignObject>
  <image xlink:href="https://evil.example/track.png" width="10" height="10"/>
  <use href="https://evil.example/sprite.svg#a"/>
  <a href="javascript:alert(3)"><rect width="5" height="5"/></a>
  <rect width="10" height="10" fill="url(https://evil.example/p)" stroke="url(#ok)" onclick="x()"/>
  <circle cx="5" cy="5" r="4" fill="#c00"/>
</svg>"""


def test_a_hostile_svg_keeps_its_drawing_and_loses_scripts_handlers_and_external_references():
    clean = sanitise_svg(HOSTILE_SVG).decode()
    for gone in ("script", "onload", "onclick", "alert", "evil.example", "foreignObject", "<image", "<style", "<a "):
        assert gone not in clean
    assert "<circle" in clean and 'stroke="url(#ok)"' in clean


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "leer"),
        (b"GIF89a" + b"\0" * 20, "PNG- oder SVG-Datei"),
        (b"\x89PNG\r\n\x1a\n" + b"kaputt" * 10, "beschädigt"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "kein gültiges SVG"),
        (b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><svg>&x;</svg>", "DOCTYPE"),
        (b"<?xml version='1.0'?><html><body/></html>", "kein SVG"),
        (b"<svg>" + b" " * MAX_IMAGE_BYTES + b"</svg>", "zu groß"),
    ],
)
def test_fake_broken_or_oversized_images_are_refused(data, message):
    with pytest.raises(ServiceError, match=message):
        check_image(data, "logo.png")


def test_a_png_named_svg_is_taken_as_png_by_its_content():
    data = png_bytes()
    assert check_image(data, "logo.svg") == (data, "image/png")


def test_organisation_fields_are_checked_and_names_unique_regardless_of_case(db_session):
    created = records.create_organisation(
        db_session, records.OrganisationData(name="Flüchtlingsrat Łódź-Straße ğ é", email="Info@Example.org")
    )
    assert created.email == "info@example.org"
    with pytest.raises(ServiceError, match="schon eine Organisation"):
        records.create_organisation(db_session, records.OrganisationData(name="flüchtlingsrat łódź-straße ğ é"))
    with pytest.raises(ServiceError, match="schon eine Organisation"):
        records.create_organisation(db_session, records.OrganisationData(name="FLÜCHTLINGSRAT  ŁÓDŹ-STRASSE Ğ É"))
    with pytest.raises(ServiceError, match="Webadresse") as raised:
        records.create_organisation(db_session, records.OrganisationData(name="B", website="javascript:alert(1)"))
    assert raised.value.field == "website"
    with pytest.raises(ServiceError, match="Ungültige E-Mail"):
        records.create_organisation(db_session, records.OrganisationData(name="C", email="kein-at"))


def test_logo_signature_and_footer_appear_in_the_letter_pdf(db_session):
    campaign, version, people = make_letter_campaign(db_session, recipients=1)
    sender = campaign.organisation
    sender.footer_lines = "Bank für Sozialwirtschaft · IBAN DE02 3702 0500 0001 2345 67\nVereinsregister Köln VR 1234"
    records.set_logo(db_session, sender, png_bytes(), "logo.png")
    records.add_signatory(db_session, sender, name="Ayşe Łukasiewicz", role="Sprecherin", signature=png_bytes(80, 30))
    composed = compose_letter(campaign, people[0], on=ON, reference_code="T-1", template_version=version)
    printable = composed.printable()
    assert printable.logo_uri.startswith("data:image/png;base64,")
    assert printable.signature_images[-1].startswith("data:image/png;base64,")
    pdf = render_letters_pdf([composed])
    text = pdf_text(pdf)
    assert "Vereinsregister Köln VR 1234" in text and "Ayşe Łukasiewicz" in text
    assert pdf.count(b"/Subtype /Image") >= 2
    actions = set(db_session.scalars(select(AuditEvent.action)))
    assert {"organisation.logo", "organisation.signatory.add"} <= actions


def test_an_organisation_used_by_a_campaign_cannot_be_deleted(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    with pytest.raises(ServiceError, match="Absenderin von 1"):
        records.delete_organisation(db_session, campaign.organisation)


def test_the_last_admin_cannot_be_demoted_or_disabled(db_session):
    admin = make_user(db_session, Role.ADMIN)
    with pytest.raises(ServiceError, match="letzte aktive Admin"):
        users.set_role(db_session, admin, Role.ORGANISER)
    with pytest.raises(ServiceError, match="letzte aktive Admin"):
        users.deactivate(db_session, admin)
    second = make_user(db_session, Role.ADMIN)
    users.deactivate(db_session, admin, by=second)
    assert not admin.active
    with pytest.raises(ServiceError, match="letzte aktive Admin"):
        users.set_role(db_session, second, "coordinator")


def test_disabling_ends_sessions_and_a_reset_password_works_once_shown(db_session):
    admin = make_user(db_session, Role.ADMIN)
    user = make_user(db_session, Role.ORGANISER)
    token = user.session_token
    password = users.reset_password(db_session, user, by=admin)
    assert user.session_token != token
    assert users.authenticate(db_session, user.email, password) is user
    assert users.authenticate(db_session, user.email, PASSWORD) is None
    users.deactivate(db_session, user, by=admin)
    assert users.authenticate(db_session, user.email, password) is None


def test_own_password_change_checks_the_old_password_and_the_repetition(db_session):
    user = make_user(db_session)
    with pytest.raises(ServiceError, match="bisherige Passwort ist falsch"):
        users.change_own_password(db_session, user, current="falsch", new="x" * 12, repeated="x" * 12)
    with pytest.raises(ServiceError, match="stimmen nicht"):
        users.change_own_password(db_session, user, current=PASSWORD, new="x" * 12, repeated="y" * 12)
    with pytest.raises(ServiceError, match="mindestens 12"):
        users.change_own_password(db_session, user, current=PASSWORD, new="kurz", repeated="kurz")
    users.change_own_password(
        db_session, user, current=PASSWORD, new="ein neues ß-Passwort", repeated="ein neues ß-Passwort"
    )
    assert users.authenticate(db_session, user.email, "ein neues ß-Passwort") is user


def test_a_sanitised_svg_logo_is_drawn_in_the_letterhead(db_session):
    campaign, version, people = make_letter_campaign(db_session, recipients=1)
    records.set_logo(db_session, campaign.organisation, HOSTILE_SVG, "logo.svg")
    assert campaign.organisation.logo_type == "image/svg+xml"
    composed = compose_letter(campaign, people[0], on=ON, reference_code="T-2", template_version=version)
    assert composed.printable().logo_uri.startswith("data:image/svg+xml;base64,")
    pdf = render_letters_pdf([composed])
    assert b"evil.example" not in pdf and "Ihr Antrag" in pdf_text(pdf)
