"""Letter screens: template editor, argument selection, preview as HTML and PDF, exports, and access per role."""

from __future__ import annotations

import csv
import html
import io
import re

import docx
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from campaign.db import db, utcnow
from campaign.models import (
    ArgumentRule,
    AuditEvent,
    Campaign,
    CampaignArgument,
    FormOfAddress,
    Letter,
    LetterTemplate,
    Recipient,
    Role,
    Target,
    TemplateVersion,
)
from campaign.services.demo import seed_demo
from tests.factories import make_recipient
from tests.factories_letter_ui import make_argument_set, make_target
from tests.factories_letters import make_letter_campaign


@pytest.fixture
def app(app_factory):
    # One render process: the bulk job here checks the page and the records; the pool has its own CLI tests.
    return app_factory(LETTER_RENDER_WORKERS=1)


def _hostile_target(campaign: Campaign) -> Recipient:
    """A target whose name carries HTML and rare letters."""
    hostile = make_recipient(
        db.session,
        form_of_address=FormOfAddress.FRAU,
        title="Dr.",
        first_name="Ğülşen",
        last_name="<script>alert(1)</script>Weiß",
        organisation="SPD Köln",
        street="Severinstraße 5",
        postcode="50678",
        city="Köln",
        email="guelsen@example.org",
    )
    make_target(db.session, campaign, hostile)
    return hostile


def _ids(campaign: Campaign, hostile: Recipient) -> dict:
    template = campaign.templates[0]
    return {
        "slug": campaign.slug,
        "campaign": campaign.id,
        "template": template.id,
        "version": template.current_version.id,
        "hostile": hostile.id,
        "arguments": [argument.id for argument in campaign.argument_set.arguments],
    }


@pytest.fixture
def ids(app):
    """A campaign made with factories: sender, template, tagged arguments, the hostile target and Dr. Kowalczyk."""
    with app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session)
        campaign.templates[0].name = "Musterbrief an SPD-Mitglieder"
        campaign.argument_set = make_argument_set(
            db.session, ("Kommunen brauchen Geld", ["kommunal"]), ("Sprache öffnet Türen", ["bildung"])
        )
        hostile = _hostile_target(campaign)
        kowalczyk = make_recipient(
            db.session,
            form_of_address=FormOfAddress.HERR,
            title="Dr.",
            first_name="Paweł",
            last_name="Kowalczyk",
            street="Kleikstraße 20",
            postcode="52134",
            city="Herzogenrath",
        )
        make_target(db.session, campaign, kowalczyk)
        db.session.commit()
        return _ids(campaign, hostile)


@pytest.fixture
def demo(app):
    """The whole demo campaign plus the hostile target, for the tests that check the demo's own content."""
    with app.app_context():
        seed_demo(db.session)
        campaign = db.session.scalar(select(Campaign))
        hostile = _hostile_target(campaign)
        db.session.commit()
        return _ids(campaign, hostile)


def _version_texts(app, template_id):
    with app.app_context():
        template = db.session.get(LetterTemplate, template_id)
        return [(v.number, v.subject, v.body, v.used_at is not None) for v in template.versions]


def _actions(app):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# Template editor ----------------------------------------------------------------------------------------------------


def test_editor_lists_the_merge_fields_beside_the_text_and_the_versions(app, client, ids, login):
    login()
    page = client.get(f"/organise/templates/{ids['template']}").get_data(as_text=True)
    assert "Erlaubte Platzhalter" in page
    assert "{{ salutation }}" in page and "Anrede ohne Komma" in page
    assert "{{ reference_code }}" in page and "Unser Zeichen dieses Briefs" in page
    assert re.search(r'<textarea[^>]*class="template-source"[^>]*name="body"', page)
    assert "Version 1" in page and "noch nicht verwendet" in page


def test_saving_a_syntax_error_shows_the_line_and_keeps_the_typed_text(app, client, ids, login):
    login()
    before = _version_texts(app, ids["template"])
    typed = "{{ salutation }},\n\nIhr Engagement für Łódź & Köln <3\n{% if deadline %}Bitte bis {{ deadline }}\n"
    response = client.post(
        f"/organise/templates/{ids['template']}", data={"name": "Musterbrief", "subject": "Neu", "body": typed}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Syntaxfehler in Zeile" in page and "nicht gespeichert" in page
    assert 'aria-invalid="true"' in page
    # The text the user typed is still in the text area (escaped), the subject field too.
    textarea = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(textarea).strip() == typed.strip()
    assert 'value="Neu"' in page
    assert _version_texts(app, ids["template"]) == before


def test_saving_an_unknown_field_names_it(app, client, ids, login):
    login()
    response = client.post(
        f"/organise/templates/{ids['template']}",
        data={"name": "Musterbrief", "subject": "Antrag", "body": "Hallo {{ vorname }}"},
    )
    assert response.status_code == 400
    assert "Unbekannte Platzhalter: vorname" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ ''.__class__.__mro__ }}", "interne Attribute"),
        ("{{ recipient.__class__.__init__.__globals__ }}", "interne Attribute"),
        ("{{ config }}", "Unbekannte Platzhalter: config"),
        ("{{ self }}", "„self“ ist in Briefvorlagen nicht erlaubt"),
        ("{{ request.environ }}", "Unbekannte Platzhalter: request"),
    ],
)
def test_sandbox_escapes_are_refused_on_save_with_a_clear_message(app, client, ids, body, message, login):
    login()
    response = client.post(
        f"/organise/templates/{ids['template']}", data={"name": "Musterbrief", "subject": "Antrag", "body": body}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert html.escape(message, quote=False) in page or message in page
    assert "test-secret-key" not in page


def test_saving_an_unused_version_updates_it(app, client, ids, login):
    login()
    response = client.post(
        f"/organise/templates/{ids['template']}",
        data={"name": "Musterbrief neu", "subject": "Größe zählt", "body": "{{ salutation }},\r\n\r\nKurz.\r\n"},
    )
    assert response.status_code == 302
    assert _version_texts(app, ids["template"]) == [(1, "Größe zählt", "{{ salutation }},\n\nKurz.\n", False)]
    assert "Version 1" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert {"template.save", "template.rename"} <= set(_actions(app))


def test_a_used_version_stays_as_it_was_and_saving_makes_a_new_one(app, client, ids, login):
    login()
    with app.app_context():
        version = db.session.get(TemplateVersion, ids["version"])
        version.used_at = utcnow()
        old_subject, old_body = version.subject, version.body
        db.session.commit()
    response = client.post(
        f"/organise/templates/{ids['template']}",
        data={
            "name": "Musterbrief an SPD-Mitglieder",
            "subject": "Zweite Fassung",
            "body": "{{ salutation }},\n\nNeu.",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "neue Version 2" in page
    versions = _version_texts(app, ids["template"])
    assert versions[0] == (1, old_subject, old_body, True)
    assert versions[1][:3] == (2, "Zweite Fassung", "{{ salutation }},\n\nNeu.")
    # The history shows both, the used one marked as such.
    assert "Version 2" in page and "verwendet seit" in page


def test_create_template_from_the_campaign_page(app, client, ids, login):
    login()
    page = client.get(f"/organise/campaigns/{ids['slug']}/letters").get_data(as_text=True)
    assert "Musterbrief an SPD-Mitglieder" in page and "Neue Vorlage anlegen" in page
    response = client.post(
        f"/organise/campaigns/{ids['slug']}/templates",
        data={"name": "Brief an MdL", "subject": "Ihre Stimme", "body": "{{ salutation }},\n\nText."},
    )
    assert response.status_code == 302
    with app.app_context():
        template = db.session.scalar(select(LetterTemplate).where(LetterTemplate.name == "Brief an MdL"))
        assert template.campaign_id == ids["campaign"] and template.current_version.number == 1
    assert response.headers["Location"].endswith(f"/organise/templates/{template.id}")


def test_a_template_of_an_open_letter_warns_about_fields_that_stay_empty_on_the_public_page(app, client, ids, login):
    login()
    body = {"name": "Offener Brief", "subject": "Ihr Votum – {{ zeichen }}", "body": "{{ anrede }},\n\nText."}
    url = f"/organise/campaigns/{ids['slug']}/templates"
    saved = client.post(url, data=body, follow_redirects=True).get_data(as_text=True)
    assert "dort bleiben" not in saved  # no open letter: every letter has its recipient and code
    with app.app_context():
        db.session.get(Campaign, ids["campaign"]).open_letter = True
        db.session.commit()
    body = {**body, "name": "Offener Brief 2", "body": "Mit Blick auf {{ empfaenger.voller_name }}:\n\nText."}
    saved = client.post(url, data=body, follow_redirects=True).get_data(as_text=True)
    assert "dort bleiben empfaenger, zeichen leer" in saved


def test_create_template_with_an_error_keeps_the_text(app, client, ids, login):
    login()
    response = client.post(
        f"/organise/campaigns/{ids['slug']}/templates",
        data={"name": "Kaputt", "subject": "Betreff", "body": "Zeile 1\n{{ salutation "},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Zeile 2" in page and "Zeile 1\n{{ salutation " in html.unescape(page)
    with app.app_context():
        assert db.session.scalar(select(LetterTemplate).where(LetterTemplate.name == "Kaputt")) is None
    # Without a name as well: the missing name and the syntax error come in the same answer.
    both = client.post(
        f"/organise/campaigns/{ids['slug']}/templates",
        data={"name": "", "subject": "Betreff", "body": "Zeile 1\n{{ salutation "},
    ).get_data(as_text=True)
    assert 'id="name-error"' in both and 'id="body-error"' in both and "Zeile 2" in both


# Argument selection -------------------------------------------------------------------------------------------------


def test_choosing_arguments_and_rules_is_stored_and_audited(app, client, demo, login):
    login()
    first, second, third = demo["arguments"][:3]
    page = client.get(f"/organise/campaigns/{demo['slug']}/arguments").get_data(as_text=True)
    assert f'name="chosen_{first}"' in page and "kommunalpolitik" in page
    response = client.post(
        f"/organise/campaigns/{demo['slug']}/arguments",
        data={f"chosen_{first}": "y", f"chosen_{third}": "y", f"position_{third}": "1"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/organise/campaigns/{demo['slug']}/rules",
        data={"recipient_tag": "kommunalpolitik", "argument_tag": "kommunal"},
    )
    assert response.status_code == 302
    with app.app_context():
        chosen = db.session.scalars(
            select(CampaignArgument)
            .where(CampaignArgument.campaign_id == demo["campaign"])
            .order_by(CampaignArgument.position)
        ).all()
        # The demo's earlier choice is replaced; the typed-in place 1 puts the third argument first.
        assert [(row.argument_id, row.position) for row in chosen] == [(third, 0), (first, 1)]
        rules = db.session.scalars(select(ArgumentRule).order_by(ArgumentRule.position)).all()
        assert (rules[-1].recipient_tag, rules[-1].argument_tag) == ("kommunalpolitik", "kommunal")
        rule_id = rules[-1].id
        rules_before = [rule.id for rule in rules]
    page = client.get(f"/organise/campaigns/{demo['slug']}/arguments").get_data(as_text=True)
    assert f'id="position_{third}" max="999" min="1" name="position_{third}" type="number" value="1"' in page
    assert "Empfänger:innen der Kampagne" in page
    response = client.post(f"/organise/campaigns/{demo['slug']}/rules/{rule_id}/delete")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(ArgumentRule.id).order_by(ArgumentRule.position)).all() == rules_before[:-1]
    assert {"campaign.arguments.choose", "campaign.rule.add", "campaign.rule.remove"} <= set(_actions(app))
    assert second not in [row.argument_id for row in chosen]


def test_rule_with_an_argument_tag_nobody_has_is_refused_next_to_the_field(app, client, ids, login):
    login()
    with app.app_context():
        before = db.session.scalars(select(ArgumentRule.id)).all()
    response = client.post(
        f"/organise/campaigns/{ids['slug']}/rules", data={"recipient_tag": "mdl", "argument_tag": "gibtsnicht"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Kein Argument im Argumentationsset dieser Kampagne trägt das Schlagwort „gibtsnicht“" in page
    assert 'value="mdl"' in page
    with app.app_context():
        assert db.session.scalars(select(ArgumentRule.id)).all() == before


# Preview ----------------------------------------------------------------------------------------------------------


def test_preview_shows_the_letter_for_the_chosen_recipient_with_names_escaped(app, client, ids, login):
    login()
    response = client.get(f"/organise/campaigns/{ids['slug']}/preview?recipient={ids['hostile']}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "Sehr geehrte Frau Dr. &lt;script&gt;alert(1)&lt;/script&gt;Weiß," in page
    assert "Unser Zeichen: (Vorschau)" in page
    assert "Herzogenrath" in page  # other targets can be picked from the list


def test_preview_of_another_recipient_has_their_salutation(app, client, ids, login):
    login()
    with app.app_context():
        kowalczyk = db.session.scalar(select(Recipient).where(Recipient.last_name == "Kowalczyk"))
        ident = kowalczyk.id
    page = client.get(f"/organise/campaigns/{ids['slug']}/preview?recipient={ident}").get_data(as_text=True)
    assert "Sehr geehrter Herr Dr. Kowalczyk," in page
    assert "Herrn Dr. Paweł Kowalczyk" in page


def test_preview_works_for_a_recipient_outside_the_campaign(app, client, ids, login):
    login()
    with app.app_context():
        stranger = make_recipient(db.session, form_of_address=FormOfAddress.DIVERS, first_name="Kim", last_name="Nowak")
        db.session.commit()
        ident = stranger.id
    page = client.get(f"/organise/campaigns/{ids['slug']}/preview?recipient={ident}").get_data(as_text=True)
    assert "Guten Tag Kim Nowak," in page
    assert "Weitere Empfänger:innen" in page


def test_preview_pdf_contains_the_letter(app, client, ids, login):
    login()
    response = client.get(f"/organise/campaigns/{ids['slug']}/preview.pdf?recipient={ids['hostile']}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    text = _pdf_text(response.data)
    assert "Sehr geehrte Frau Dr. <script>alert(1)</script>Weiß," in text
    assert "Severinstraße 5" in text and "50678 Köln" in text
    assert "(Vorschau)" in text
    # A preview generates nothing: no letter, and the template version is still editable.
    with app.app_context():
        assert db.session.scalar(select(func.count(Letter.id))) == 0
        assert db.session.get(TemplateVersion, ids["version"]).used_at is None


def test_preview_of_a_broken_template_is_a_clear_message_not_an_error_page(app, client, ids, login):
    login()
    with app.app_context():
        # As if the text came in before the save check existed: the preview must still refuse it.
        db.session.get(TemplateVersion, ids["version"]).body = "{{ salutation }}\n{{ ''.__class__.__mro__ }}"
        db.session.commit()
    for path in ("preview", "preview.pdf", "letter.txt", "letter.html", "letters.docx"):
        response = client.get(f"/organise/campaigns/{ids['slug']}/{path}?recipient={ids['hostile']}")
        assert response.status_code == 422, path
        page = response.get_data(as_text=True)
        assert "Die Vorlage lässt sich nicht füllen" in page
        assert "interne Attribute" in page


def test_preview_with_unknown_ids_is_not_found(app, client, ids, login):
    login()
    base = f"/organise/campaigns/{ids['slug']}"
    assert client.get(f"{base}/preview?recipient=999999").status_code == 404
    assert client.get(f"{base}/preview?template=999999").status_code == 404
    assert client.get("/organise/campaigns/gibt-es-nicht/preview").status_code == 404


def test_email_text_and_html_versions(app, client, ids, login):
    login()
    base = f"/organise/campaigns/{ids['slug']}"
    text = client.get(f"{base}/letter.txt?recipient={ids['hostile']}")
    assert text.mimetype == "text/plain" and text.mimetype_params["charset"] == "utf-8"
    body = text.get_data(as_text=True)
    assert body.startswith("Sehr geehrte Frau Dr. <script>alert(1)</script>Weiß,")
    assert "Mit freundlichen Grüßen" in body
    download = client.get(f"{base}/letter.txt?recipient={ids['hostile']}&download=1")
    assert download.headers["Content-Disposition"].startswith("attachment")
    page = client.get(f"{base}/letter.html?recipient={ids['hostile']}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;Weiß" in page
    assert "<p>Mit freundlichen Grüßen</p>" in page


# Exports ----------------------------------------------------------------------------------------------------------


def test_docx_export_of_one_letter_and_of_all(app, client, demo, login):
    login()
    base = f"/organise/campaigns/{demo['slug']}"
    one = client.get(f"{base}/letters.docx?recipient={demo['hostile']}")
    assert one.status_code == 200 and one.headers["Content-Disposition"].startswith("attachment")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(one.data)).paragraphs]
    assert "Sehr geehrte Frau Dr. <script>alert(1)</script>Weiß," in paragraphs
    assert "Unser Zeichen: (Vorschau)" in "\n".join(paragraphs)
    every = client.get(f"{base}/letters.docx")
    document = docx.Document(io.BytesIO(every.data))
    with app.app_context():
        targets = db.session.scalar(select(func.count(Target.id)).where(Target.campaign_id == demo["campaign"]))
    salutations = [p.text for p in document.paragraphs if p.text.startswith(("Sehr geehrte", "Guten Tag"))]
    assert len(salutations) == targets > 30
    assert "Guten Tag Kim Brandstätter," in salutations
    assert "Sehr geehrte Frau Dr. <script>alert(1)</script>Weiß," in salutations


def test_mail_merge_csv_download(app, client, ids, login):
    login()
    response = client.get(f"/organise/campaigns/{ids['slug']}/mail-merge.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";"))
    hostile = next(row for row in rows if row["Vorname"] == "Ğülşen")
    assert hostile["Nachname"] == "<script>alert(1)</script>Weiß"
    assert hostile["Briefanrede"] == "Sehr geehrte Frau Dr. <script>alert(1)</script>Weiß"
    assert hostile["Kanal"] == "E-Mail"


# Bulk generation ---------------------------------------------------------------------------------------------------


def test_the_letters_page_starts_the_bulk_job_and_shows_its_progress(app, client, ids, login):
    login()
    page = client.get(f"/organise/campaigns/{ids['slug']}/letters").get_data(as_text=True)
    assert f'action="/organise/campaigns/{ids["slug"]}/letters/generate"' in page
    assert "Briefe erzeugen" in page
    response = client.post(
        f"/organise/campaigns/{ids['slug']}/letters/generate", data={"format": "zip", "sort": "postcode"}
    )
    assert response.status_code == 302
    assert re.fullmatch(r"/organise/jobs/\d+", response.headers["Location"])
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        letters = db.session.scalars(select(Letter).where(Letter.campaign_id == ids["campaign"])).all()
        targets = db.session.scalar(select(func.count(Target.id)).where(Target.campaign_id == ids["campaign"]))
        assert len(letters) == targets
        # From now on the template version is the record of these letters: saving makes a new version.
        assert db.session.get(TemplateVersion, ids["version"]).used_at is not None
    page = client.get(f"/organise/campaigns/{ids['slug']}/letters").get_data(as_text=True)
    assert f"{targets} Briefe erzeugt" in page
    # The exports now carry the letters' own reference codes instead of the placeholder.
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/organise/campaigns/{ids['slug']}/mail-merge.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert {row["Unser Zeichen"] for row in rows} == {letter.reference_code for letter in letters}


# Access -----------------------------------------------------------------------------------------------------------

READ_URLS = [
    "/organise/campaigns/{slug}/letters",
    "/organise/templates/{template}",
    "/organise/campaigns/{slug}/arguments",
    "/organise/campaigns/{slug}/preview",
    "/organise/campaigns/{slug}/preview.pdf",
    "/organise/campaigns/{slug}/letter.txt",
    "/organise/campaigns/{slug}/letter.html",
    "/organise/campaigns/{slug}/letters.docx",
    "/organise/campaigns/{slug}/mail-merge.csv",
]
WRITE_POSTS = [
    ("/organise/templates/{template}", {"name": "X", "subject": "X", "body": "X"}),
    ("/organise/campaigns/{slug}/templates", {"name": "X", "subject": "X", "body": "X"}),
    ("/organise/campaigns/{slug}/arguments", {}),
    ("/organise/campaigns/{slug}/rules", {"recipient_tag": "mdl", "argument_tag": "kommunal"}),
    ("/organise/campaigns/{slug}/rules/1/delete", {}),
    ("/organise/campaigns/{slug}/letters/generate", {"format": "zip", "sort": "postcode"}),
]


@pytest.mark.parametrize("pattern", READ_URLS)
def test_coordinators_can_read_every_letter_page(app, client, ids, pattern, login):
    login(Role.COORDINATOR)
    response = client.get(pattern.format(**ids))
    assert response.status_code == 200


@pytest.mark.parametrize(("pattern", "data"), WRITE_POSTS, ids=[url for url, _ in WRITE_POSTS])
def test_coordinators_may_not_change_anything(app, client, ids, pattern, data, login):
    login(Role.COORDINATOR)
    before = _actions(app)
    response = client.post(pattern.format(**ids), data=data)
    assert response.status_code == 403
    assert _actions(app) == before


def test_coordinators_see_no_editing_forms(app, client, ids, login):
    login(Role.COORDINATOR)
    editor = client.get(f"/organise/templates/{ids['template']}").get_data(as_text=True)
    assert "<textarea" not in editor and "Erlaubte Platzhalter" in editor
    letters = client.get(f"/organise/campaigns/{ids['slug']}/letters").get_data(as_text=True)
    assert "Neue Vorlage anlegen" not in letters


@pytest.mark.parametrize("pattern", READ_URLS[:3])
def test_anonymous_users_are_sent_to_the_login(client, ids, pattern):
    response = client.get(pattern.format(**ids))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_template_save_needs_the_csrf_token(protected):
    app, client = protected.app, protected.client
    with app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session)
        db.session.commit()
        template_id = campaign.templates[0].id
    response = client.post(
        f"/organise/templates/{template_id}", data={"name": "X", "subject": "Ohne Token", "body": "Text"}
    )
    assert response.status_code == 400
    assert _version_texts(app, template_id)[0][1] != "Ohne Token"
