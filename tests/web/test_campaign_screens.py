"""Campaign, target, organisation and account screens: forms, uploads, bad input, roles and CSRF."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from campaign.db import db
from campaign.models import AuditEvent, Campaign, CampaignStatus, Organisation, Role, Target, User
from tests.factories import PASSWORD, make_campaign, make_recipient
from tests.factories_letters import make_letter_campaign
from tests.factories_signing import make_open_letter
from tests.services.campaigns.test_organisations_and_accounts import HOSTILE_SVG, png_bytes

GOOD_CAMPAIGN = {"title": "Gerechtigkeit für Ğazi & Łódź", "slug": "", "channels": "both", "goal_signatures": "500"}


def test_organiser_creates_edits_and_activates_a_campaign(app, client, organiser):
    response = client.post("/organise/campaigns/new", data=GOOD_CAMPAIGN)
    assert response.status_code == 302
    hub = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Checkliste" in hub and "<strong>Noch keine Briefvorlage</strong>: " in hub
    slug = response.headers["Location"].rsplit("/", 1)[1]
    assert slug == "gerechtigkeit-fuer-gazi-lodz"
    edited = client.post(
        f"/organise/campaigns/{slug}/edit", data={**GOOD_CAMPAIGN, "title": "Neuer Titel", "slug": slug}
    )
    assert edited.status_code == 302
    client.post(f"/organise/campaigns/{slug}/status", data={"status": "active"})
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        assert campaign.title == "Neuer Titel" and campaign.status is CampaignStatus.ACTIVE
    page = client.get(f"/organise/campaigns/{slug}").get_data(as_text=True)
    assert "Kampagne beenden" in page and "Zurück zum Entwurf" in page and "Archivieren" not in page
    refused = client.post(f"/organise/campaigns/{slug}/status", data={"status": "archived"}, follow_redirects=True)
    assert "nicht erlaubt" in refused.get_data(as_text=True)


def test_the_checklist_says_each_steps_state_in_plain_words_in_both_languages(app, client, organiser):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session, recipients=1)
        db.session.commit()
        slug = campaign.slug
    german = client.get(f"/organise/campaigns/{slug}").get_data(as_text=True)
    assert "<strong>Noch kein Antrag</strong>: " in german and "<strong>Briefvorlage angelegt</strong>" in german
    assert "<strong>Noch keine Briefe erzeugt</strong>: " in german
    assert "fehlt</" not in german and " fehlt:" not in german and "erledigt" not in german
    english = client.get(f"/organise/campaigns/{slug}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<strong>No motion yet</strong>: " in english and "<strong>Letter template created</strong>" in english
    assert "<strong>No letters generated yet</strong>: " in english


def test_a_deadline_in_the_past_is_saved_with_a_warning(client, organiser):
    saved = client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, "deadline": "2020-01-01"})
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "angelegt (Entwurf)" in page and "Die Frist liegt in der Vergangenheit." in page
    fine = client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, "slug": "zukunft", "deadline": "2099-01-01"})
    assert "Die Frist liegt" not in client.get(fine.headers["Location"]).get_data(as_text=True)


def test_starting_a_co_signing_campaign_without_letter_text_is_refused_with_the_way_out(app, client, organiser):
    slug = client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, "open_letter": "y"}).headers["Location"]
    slug = slug.rsplit("/", 1)[1]
    refused = client.post(f"/organise/campaigns/{slug}/status", data={"status": "active"}, follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "noch keinen Text" in page and "Briefvorlage" in page and "Kampagne starten" in page
    with app.app_context():
        assert db.session.scalar(select(Campaign.status).where(Campaign.slug == slug)) is CampaignStatus.DRAFT
    preview = client.get(f"/c/{slug}")  # the team sees the draft's public page, without a form to sign
    assert preview.status_code == 200 and "Vorschau für das Team" in preview.get_data(as_text=True)
    assert 'action="/c/' not in preview.get_data(as_text=True) and "Das Mitzeichnen ist beendet" not in preview.text
    assert app.test_client().get(f"/c/{slug}").status_code == 404  # the public does not see a draft


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"slug": "Mit Leerzeichen"}, "slug", "Kleinbuchstaben"),
        ({"title": ""}, "title", "Bitte einen Titel"),
        ({"goal_signatures": "-5"}, "goal_signatures", "Zahl ab 0"),
        ({"deadline": "2026-02-31"}, "deadline", "Datum"),
    ],
)
def test_bad_campaign_input_is_shown_beside_the_field_and_nothing_is_saved(
    app, client, organiser, values, field, message
):
    response = client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, **values})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and f'id="{field}-error"' in page and message in page
    with app.app_context():
        assert db.session.scalar(select(Campaign.id)) is None


def test_every_mistake_of_the_campaign_form_is_named_in_one_answer(client, organiser):
    response = client.post(
        "/organise/campaigns/new", data={**GOOD_CAMPAIGN, "title": "", "slug": "Ä ö/../x", "goal_signatures": "-5"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("title", "slug", "goal_signatures"):
        assert f'id="{field}-error"' in page, field


def test_a_missing_title_and_a_taken_slug_come_in_one_answer(app, client, organiser):
    client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, "slug": "gerecht"})
    response = client.post(
        "/organise/campaigns/new", data={**GOOD_CAMPAIGN, "title": "", "slug": "gerecht", "summary": "Łódź ß é ğ"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bitte einen Titel angeben." in page
    assert 'id="slug-error"' in page and "„gerecht“ hat schon eine andere Kampagne" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Campaign.id))) == 1


def test_a_duplicate_slug_is_refused_with_a_message(app, client, organiser):
    client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, "slug": "gerecht"})
    response = client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, "slug": "gerecht"})
    assert response.status_code == 400 and "„gerecht“ hat schon eine andere Kampagne" in response.get_data(as_text=True)


def test_duplicate_makes_a_draft_copy_with_the_templates(app, client, organiser):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session, recipients=1)
        db.session.commit()
        slug = campaign.slug
    response = client.post(f"/organise/campaigns/{slug}/duplicate", data={"title": "Runde zwei", "slug": ""})
    assert response.headers["Location"].endswith("/organise/campaigns/runde-zwei")
    with app.app_context():
        copy = db.session.scalar(select(Campaign).where(Campaign.slug == "runde-zwei"))
        assert copy.status is CampaignStatus.DRAFT and len(copy.templates) == 1


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Łódź ß", "Die Kurzadresse darf nur Kleinbuchstaben a–z"),
        ("runde-eins", "Die Kurzadresse „runde-eins“ hat schon eine andere Kampagne."),
    ],
)
def test_an_empty_title_and_a_bad_or_taken_slug_of_a_copy_are_named_in_one_answer(
    app, client, organiser, slug, message
):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session, recipients=1)
        db.session.get(Campaign, campaign.id).slug = "runde-eins"
        db.session.commit()
    response = client.post("/organise/campaigns/runde-eins/duplicate", data={"title": " ", "slug": slug})
    assert response.headers["Location"].endswith("/organise/campaigns/runde-eins")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bitte einen Titel angeben." in page and message in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Campaign.id))) == 1


def test_targets_are_added_by_tag_and_one_by_one_and_removed(app, client, organiser):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session)
        tagged = make_recipient(db.session, last_name="Şahin", tags=["mdl"])
        single = make_recipient(db.session, last_name="Grüßner")
        db.session.commit()
        slug, tagged_id, single_id = campaign.slug, tagged.id, single.id
    client.post(f"/organise/campaigns/{slug}/targets/add", data={"tag": "mdl"})
    found = client.get(f"/organise/campaigns/{slug}/targets?q=Grüß").get_data(as_text=True)
    assert "Erika Grüßner hinzufügen" in found
    client.post(f"/organise/campaigns/{slug}/targets/add-one", data={"recipient_id": single_id})
    page = client.get(f"/organise/campaigns/{slug}/targets").get_data(as_text=True)
    assert "2 Empfänger:innen gewählt" in page
    client.post(f"/organise/campaigns/{slug}/targets/{tagged_id}/remove")
    with app.app_context():
        assert list(db.session.scalars(select(Target.recipient_id))) == [single_id]
    empty = client.post(f"/organise/campaigns/{slug}/targets/add", data={}, follow_redirects=True)
    assert "Bitte eine Liste, ein Schlagwort" in empty.get_data(as_text=True)


def test_a_coordinator_may_look_but_not_change(app, client, login):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session)
        db.session.commit()
        slug = campaign.slug
    login(Role.COORDINATOR)
    assert client.get(f"/organise/campaigns/{slug}").status_code == 200
    assert client.post("/organise/campaigns/new", data=GOOD_CAMPAIGN).status_code == 403
    assert client.post(f"/organise/campaigns/{slug}/targets/add", data={"tag": "x"}).status_code == 403
    assert client.post("/organise/organisations/new", data={"name": "X"}).status_code == 403


def test_forms_without_csrf_token_are_refused(protected):
    assert protected.client.post("/organise/campaigns/new", data=GOOD_CAMPAIGN).status_code == 400
    page = protected.client.get("/organise/campaigns/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    response = protected.client.post("/organise/campaigns/new", data={**GOOD_CAMPAIGN, "csrf_token": token})
    assert response.status_code == 302


def _organisation(app, client) -> int:
    response = client.post("/organise/organisations/new", data={"name": "Initiative ß é ł", "city": "Köln"})
    assert response.status_code == 302
    with app.app_context():
        return db.session.scalar(select(Organisation.id))


def test_every_mistake_of_the_organisation_form_is_named_in_one_answer(app, client, organiser):
    data = {"name": "Flüchtlingsrat Łódź", "email": "kein-at-zeichen", "website": "ftp://beispiel.de", "city": "Köln"}
    response = client.post("/organise/organisations/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="email-error"' in page and 'id="website-error"' in page
    assert 'value="Flüchtlingsrat Łódź"' in page  # what was typed stays
    no_name = client.post("/organise/organisations/new", data={**data, "name": ""}).get_data(as_text=True)
    assert 'id="name-error"' in no_name and 'id="email-error"' in no_name  # the form's and the service's mistakes
    with app.app_context():
        assert db.session.scalar(select(Organisation.id)) is None


def test_logo_upload_accepts_png_and_cleans_a_hostile_svg(app, client, organiser):
    organisation_id = _organisation(app, client)
    url = f"/organise/organisations/{organisation_id}/logo"
    response = client.post(url, data={"logo": (io.BytesIO(HOSTILE_SVG), "logo.svg")})
    assert response.status_code == 302
    served = client.get(url)
    assert served.mimetype == "image/svg+xml" and b"script" not in served.data and b"evil" not in served.data
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert client.post(url, data={"logo": (io.BytesIO(png_bytes()), "logo.png")}).status_code == 302
    assert client.get(url).data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7 fake", "logo.png", "PNG- oder SVG-Datei"),
        (b"\x89PNG\r\n\x1a\n" + b"x" * 300 * 1024, "gross.png", "zu groß"),
        (b"\x89PNG\r\n\x1a\nnotreally", "kaputt.png", "beschädigt"),
    ],
)
def test_fake_or_oversized_logos_are_refused_and_the_old_logo_stays(app, client, organiser, data, name, message):
    organisation_id = _organisation(app, client)
    url = f"/organise/organisations/{organisation_id}/logo"
    client.post(url, data={"logo": (io.BytesIO(png_bytes()), "logo.png")})
    response = client.post(url, data={"logo": (io.BytesIO(data), name)})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert client.get(url).data.startswith(b"\x89PNG")


def test_signatories_are_added_with_signature_and_removed(app, client, organiser):
    organisation_id = _organisation(app, client)
    base = f"/organise/organisations/{organisation_id}"
    client.post(
        f"{base}/signatories",
        data={"name": "Zeynep Ğüneş", "role": "Vorstand", "signature": (io.BytesIO(png_bytes()), "u.png")},
    )
    bad = client.post(f"{base}/signatories", data={"name": "Ohne", "signature": (io.BytesIO(b"MZ\x90"), "virus.png")})
    assert bad.status_code == 400 and "Unterschrift" in bad.get_data(as_text=True)
    page = client.get(base).get_data(as_text=True)
    assert "Zeynep Ğüneş" in page and 'src="data:image/png;base64,' in page and "Ohne" not in page
    client.post(f"{base}/signatories/0/delete")
    with app.app_context():
        assert db.session.get(Organisation, organisation_id).signatories == []


def test_admin_manages_accounts_and_a_disabled_user_is_logged_out(app, client, login):
    admin = login(Role.ADMIN)
    response = client.post(
        "/auth/users", data={"email": "Neu.Person@Example.org", "name": "Łucja Wróbel", "role": "organiser"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "wird nur jetzt angezeigt" in page
    password = page.split('<code id="neues-passwort">')[1].split("</code>")[0]
    other = app.test_client()
    assert other.post("/auth/login", data={"email": "neu.person@example.org", "password": password}).status_code == 302
    assert other.get("/organise/").status_code == 200
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "neu.person@example.org"))
    client.post(f"/auth/users/{user_id}/role", data={"role": "coordinator"})
    client.post(f"/auth/users/{user_id}/deactivate")
    assert other.get("/organise/").status_code == 302  # its session ended
    refused = client.post(f"/auth/users/{admin.id}/deactivate", follow_redirects=True)
    assert "letzte aktive Admin-Konto" in refused.get_data(as_text=True)
    duplicate = client.post("/auth/users", data={"email": "neu.person@example.org", "role": "organiser"})
    assert duplicate.status_code == 400 and "bereits ein Konto" in duplicate.get_data(as_text=True)
    invalid = client.post("/auth/users", data={"email": "kein-at-zeichen", "role": "organiser"})
    assert invalid.status_code == 400 and "Ungültige E-Mail-Adresse" in invalid.get_data(as_text=True)
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.create", "user.role", "user.deactivate"} <= actions


def test_a_new_accounts_mistakes_come_in_one_answer(app, client, login):
    login(Role.ADMIN)
    data = {"email": "łucja(at)example.org", "name": "Ğ" * 201, "role": "organiser"}
    response = client.post("/auth/users", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="name-error"' in page
    assert 'id="email-error"' in page and "Ungültige E-Mail-Adresse" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1  # the admin alone


def test_a_missing_current_password_and_new_ones_that_differ_come_in_one_answer(client, organiser):
    response = client.post("/auth/password", data={"current": "", "new": "neues-passwort-ß", "repeated": "neues-é"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bitte das bisherige Passwort angeben." in page
    assert "Die beiden neuen Passwörter stimmen nicht überein." in page


def test_organisers_may_not_manage_accounts_but_change_their_own_password(app, client, organiser):
    assert client.post("/auth/users", data={"email": "x@example.org", "role": "admin"}).status_code == 403
    wrong = client.post("/auth/password", data={"current": "falsch", "new": "n" * 12, "repeated": "n" * 12})
    assert wrong.status_code == 400 and "bisherige Passwort ist falsch" in wrong.get_data(as_text=True)
    changed = client.post(
        "/auth/password", data={"current": PASSWORD, "new": "neues-passwort-ß", "repeated": "neues-passwort-ß"}
    )
    assert changed.status_code == 302
    assert client.get("/organise/").status_code == 200  # this browser stays logged in


def test_preview_shows_the_template_the_recipient_gets_by_tag_and_by_hand(app, client, organiser):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session)
        tagged = make_recipient(db.session, last_name="Mdl", tags=["mdl"], street="Weg 1", postcode="40221", city="D")
        plain = make_recipient(db.session, last_name="Basis", street="Weg 2", postcode="50667", city="Köln")
        db.session.commit()
        slug, tagged_id, plain_id = campaign.slug, tagged.id, plain.id
    for name, body in (("Für MdL", "Text für Abgeordnete."), ("Persönlich", "Ganz persönlicher Text.")):
        client.post(
            f"/organise/campaigns/{slug}/templates",
            data={"name": name, "subject": "Betreff", "body": "{{ anrede }},\n\n" + body + "\n"},
        )
    with app.app_context():
        ids = {t.name: t.id for t in db.session.scalar(select(Campaign).where(Campaign.slug == slug)).templates}
    client.post(f"/organise/campaigns/{slug}/targets/add", data={"q": "Mdl"})
    client.post(f"/organise/campaigns/{slug}/targets/add-one", data={"recipient_id": plain_id})
    client.post(
        f"/organise/campaigns/{slug}/targets/rules", data={"template_id": ids["Für MdL"], "recipient_tag": "mdl"}
    )
    assert "Text für Abgeordnete." in client.get(f"/organise/campaigns/{slug}/preview?recipient={tagged_id}").get_data(
        as_text=True
    )
    assert "Text für Abgeordnete." not in client.get(
        f"/organise/campaigns/{slug}/preview?recipient={plain_id}"
    ).get_data(as_text=True)
    client.post(f"/organise/campaigns/{slug}/targets/{plain_id}/template", data={"template_id": ids["Persönlich"]})
    page = client.get(f"/organise/campaigns/{slug}/preview?recipient={plain_id}").get_data(as_text=True)
    assert "Ganz persönlicher Text." in page
    targets_page = client.get(f"/organise/campaigns/{slug}/targets").get_data(as_text=True)
    assert "(nach Regel)" in targets_page
    foreign = client.post(
        f"/organise/campaigns/{slug}/targets/{plain_id}/template", data={"template_id": 999999}, follow_redirects=True
    )
    assert "gehört nicht zu dieser Kampagne" in foreign.get_data(as_text=True)


def test_the_hub_links_the_sending_screen(app, login, client):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session)
        db.session.commit()
        slug = campaign.slug
    login()
    page = client.get(f"/organise/campaigns/{slug}").get_data(as_text=True)
    assert f'href="/organise/campaigns/{slug}/sending"' in page and "Versand und Freigabe" in page
    assert client.get(f"/organise/campaigns/{slug}/sending").status_code == 200


def test_targets_are_added_by_region_and_address_filters_together(app, client, organiser):
    with app.app_context():
        campaign, _, _ = make_letter_campaign(db.session)
        make_recipient(db.session, last_name="Mitmail", kreis="Köln", email="a@example.org")
        make_recipient(db.session, last_name="Ohnemail", kreis="Köln")
        make_recipient(db.session, last_name="Anderswo", kreis="Bonn", email="b@example.org")
        db.session.commit()
        slug = campaign.slug
    page = client.get(f"/organise/campaigns/{slug}/targets").get_data(as_text=True)
    assert '<option value="Köln">Köln</option>' in page
    client.post(f"/organise/campaigns/{slug}/targets/add", data={"kreis": "Köln", "email": "ja"})
    with app.app_context():
        names = [t.recipient.last_name for t in db.session.scalars(select(Target))]
    assert names == ["Mitmail"]


def test_the_hub_of_an_open_letter_leads_to_its_signatures_and_back(app, client, organiser):
    with app.app_context():
        campaign = make_open_letter(db.session)
        campaign.title = "Offener Brief für Łódź"
        plain = make_campaign(db.session)
        db.session.commit()
        slug, plain_slug = campaign.slug, plain.slug
    hub = client.get(f"/organise/campaigns/{slug}").get_data(as_text=True)
    assert f'<a href="/organise/campaigns/{slug}/signatures">0 Mitzeichnungen</a>' in hub
    assert "/signatures" not in client.get(f"/organise/campaigns/{plain_slug}").get_data(as_text=True)
    signatures = client.get(f"/organise/campaigns/{slug}/signatures").get_data(as_text=True)
    crumbs = signatures.split("</nav>", 2)[1]  # after the main menu, the breadcrumb
    assert f'<a href="/organise/campaigns/{slug}">Offener Brief für Łódź</a>' in crumbs
    assert "<li>Mitzeichnungen</li>" in crumbs
