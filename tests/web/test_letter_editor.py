"""The template editor for new organisers: German syntax errors, the closing, empty fields, German names, times."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from campaign.db import db
from campaign.models import LetterTemplate, Motion, Recipient, TemplateVersion
from campaign.services.letters.templates import closing_warning
from tests.factories import make_motion, make_recipient
from tests.factories_letter_ui import make_target
from tests.factories_letters import make_letter_campaign


@dataclass(frozen=True)
class Editor:
    slug: str
    template: int
    version: int
    recipient: int


@pytest.fixture
def editor(app) -> Editor:
    """A campaign with a deadline on a motion without decision date, its template, a target without function."""
    with app.app_context():
        motion = make_motion(db.session, decision_forum="Landesparteitag")
        campaign, version, _ = make_letter_campaign(db.session, motion=motion, deadline=date(2026, 12, 15))
        person = make_recipient(db.session, first_name="Łucja", last_name="Wójcik-Öztürk", function="")
        make_target(db.session, campaign, person)
        db.session.commit()
        return Editor(campaign.slug, version.template_id, version.id, person.id)


def _save(client, editor: Editor, body: str, subject: str = "Betreff"):
    return client.post(
        f"/organise/templates/{editor.template}", data={"name": "Vorlage", "subject": subject, "body": body}
    )


def _body_error(response) -> str:
    found = re.search(r'id="body-error" class="field-error">(.*?)</small>', response.get_data(as_text=True), re.S)
    assert found, response.get_data(as_text=True)[:2000]
    return html.unescape(found[1])


# Syntax errors in German ---------------------------------------------------------------------------------------------

SYNTAX_ERRORS = [
    ("{{ salutation }},\n\n{% if deadline %}Bitte bis {{ deadline }}.", "Zeile 3", "es fehlt {% endif %}"),
    ("Text\n{% for argument in arguments %}{{ argument.paragraph }}", "Zeile 2", "es fehlt {% endfor %}"),
    ("Text\n{% endif %}", "Zeile 2", "{% endif %} ohne passendes {% if %}"),
    ("{% if deadline %}\n{% endfor %}", "Zeile 2", "zuerst muss der Block {% if %} mit {% endif %} geschlossen werden"),
    ("Hallo {% anrede %}", "Zeile 1", "Den Befehl {% anrede %} gibt es nicht"),
    ("Hallo\n\n{{ salutation ", "Zeile 3", "es fehlt „}}“"),
    ("Hallo {{ salutation }", "Zeile 1", "ein Platzhalter wird mit „}}“ geschlossen"),
    ("{% if deadline %%}x{% endif %}", "Zeile 1", "Unerwartet steht hier „%}“"),
    ("{% if deadline %} x {% endif %%}", "Zeile 1", "Hier sollte die Anweisung mit „%}“ enden, aber es folgt „%“"),
    ("Hallo {{ recipient last_name }}", "Zeile 1", "Hier sollte der Platzhalter mit „}}“ enden"),
    ("Hallo {{ }}", "Zeile 1", "Der Platzhalter {{ }} ist leer"),
    ("Hallo {{ salutation|upper( }}", "Zeile 1", "Hier fehlt „)“"),
    ("Hallo {{ 'Frau }}", "Zeile 1", "Ein Text in Anführungszeichen wird nicht geschlossen"),
    ("{% for argument arguments %}{% endfor %}", "Zeile 1", "In der Schleife fehlt „in“"),
    ("Text {# Notiz", "Zeile 1", "Ein Kommentar „{#“ wird nicht mit „#}“ geschlossen"),
    ("Hallo {{ salutation| }}", "Zeile 1", "Hier fehlt ein Name"),
    ("Hallo {{ salutation|gross }}", "Zeile 1", "Den Filter „gross“ gibt es in Briefvorlagen nicht"),
]


@pytest.mark.parametrize(("body", "line", "explanation"), SYNTAX_ERRORS)
def test_syntax_errors_are_explained_in_german_with_their_line(app, client, editor, login, body, line, explanation):
    login()
    response = _save(client, editor, body)
    assert response.status_code == 400
    error = _body_error(response)
    assert line in error and explanation in error
    for english in ("expected token", "Encountered", "unexpected", "Unexpected", "Jinja was looking"):
        assert english not in error


# The closing ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ending",
    [
        "Mit freundlichen Grüßen",
        "Mit solidarischen Grüßen,\nDr. Friederike Lanfermann",
        "Viele Grüße\n{% if sender.name %}{{ sender.name }}{% endif %}",
        "Herzliche Grüße aus Köln",
        "Beste Grüße!",
        "mit freundlichem Gruß",
    ],
)
def test_saving_a_body_that_ends_with_a_closing_warns_but_saves(app, client, editor, login, ending):
    login()
    body = "{{ salutation }},\n\nwir bitten um Ihre Unterstützung.\n\n" + ending
    response = _save(client, editor, body)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    warning = re.search(r'<p class="flash flash-warning"[^>]*>(.*?)</p>', page, re.S)
    assert warning and "Das Layout setzt „Mit freundlichen Grüßen“" in warning[1] and "doppelt" in warning[1]
    with app.app_context():
        assert db.session.get(LetterTemplate, editor.template).current_version.body == body


def test_a_body_without_closing_saves_without_warning(app, client, editor, login):
    login()
    body = "{{ salutation }},\n\nGrüße an die Delegierten richten wir gern aus, wenn Sie uns schreiben.\n"
    response = _save(client, editor, body)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flash-warning" not in page and closing_warning(body) == ""


def test_the_editor_says_the_layout_adds_the_closing(app, client, editor, login):
    login()
    page = client.get(f"/organise/templates/{editor.template}").get_data(as_text=True)
    assert "Die Grußformel „Mit freundlichen Grüßen“ fügt das Layout an" in page
    assert "Bitte keine Grußformel in die Vorlage schreiben, sonst steht sie doppelt im Brief" in page


# Empty merge fields in the preview ----------------------------------------------------------------------------------


def test_the_preview_lists_the_fields_that_came_out_empty(app, client, editor, login):
    with app.app_context():
        version = db.session.get(TemplateVersion, editor.version)
        version.subject = "Antrag {{ motion.title }} vom {{ antrag.vorgelegt_am }}"
        version.body = (
            "{{ salutation }},\n\nder {{ motion.decision_forum }} entscheidet am {{ motion.decision_date }}.\n"
            "Sie sind {{ empfaenger.funktion }}. {{ recipient.first_name }}\n"
            "{% for argument in arguments %}{{ argument.paragraph }}{% endfor %}"
        )
        db.session.get(Motion, version.template.campaign.motion_id).presented_on = None
        db.session.commit()
    login()
    page = client.get(f"/organise/campaigns/{editor.slug}/preview?recipient={editor.recipient}").get_data(True)
    section = re.search(r'<section class="empty-fields".*?</section>', page, re.S)
    assert section, "no list of empty fields"
    listed = html.unescape(section[0])
    assert "für Łucja Wójcik-Öztürk leer" in listed
    for placeholder, label in [
        ("motion.decision_date", "Antrag: Beschlussdatum"),
        ("antrag.vorgelegt_am", "Antrag: Vorgelegt am"),
        ("empfaenger.funktion", "Empfänger:in: Funktion"),
        ("arguments", "Ausgewählte Argumente (Liste)"),
    ]:
        assert f"<code>{placeholder}</code> – {label}" in listed
    for filled in ("motion.decision_forum", "recipient.first_name", "motion.title", "salutation"):
        assert f"<code>{filled}</code>" not in listed


def test_a_preview_without_empty_fields_lists_none(app, client, editor, login):
    login()
    page = client.get(f"/organise/campaigns/{editor.slug}/preview?recipient={editor.recipient}").get_data(True)
    assert "Brief an Łucja Wójcik-Öztürk" in page and "empty-fields" not in page


# German names --------------------------------------------------------------------------------------------------------


def test_the_editor_offers_every_field_with_german_name_label_and_insert_data(app, client, editor, login):
    login()
    page = html.unescape(client.get(f"/organise/templates/{editor.template}").get_data(as_text=True))
    for german, english, label in [
        ("{{ anrede }}", "{{ salutation }}", "Anrede ohne Komma"),
        ("{{ empfaenger.nachname }}", "{{ recipient.last_name }}", "Nachname"),
        ("{{ antrag.beschlussdatum }}", "{{ motion.decision_date }}", "Beschlussdatum"),
        ("{{ argument.absatz }}", "{{ argument.paragraph }}", "Briefabsatz"),
    ]:
        entry = re.search(r'<dt><code class="placeholder" data-insert="' + re.escape(german) + r'".*?</dd>', page, re.S)
        assert entry, german
        assert label in entry[0] and english in entry[0]
    assert 'data-insert="{% for argument in argumente %}' in page
    assert "js/letters.js" in page


def test_german_aliases_fill_in_the_same_letter(app, client, editor, login):
    english = "{{ salutation }},\n\n{{ recipient.first_name }} {{ recipient.last_name }} aus {{ recipient.city }}: {{ motion.title }}.\n"  # noqa: E501
    german = "{{ anrede }},\n\n{{ empfaenger.vorname }} {{ empfaenger.nachname }} aus {{ empfaenger.ort }}: {{ antrag.titel }}.\n"  # noqa: E501
    login()
    letters = []
    for body in (english, german):
        assert _save(client, editor, body).status_code == 302
        text = client.get(f"/organise/campaigns/{editor.slug}/letter.txt?recipient={editor.recipient}")
        letters.append(text.get_data(as_text=True))
    assert letters[0] == letters[1] and "Łucja Wójcik-Öztürk" in letters[0]


def test_an_umlaut_spelling_is_pointed_to_its_alias(app, client, editor, login):
    login()
    error = _body_error(_save(client, editor, "Hallo {{ empfänger.nachname }}"))
    assert "„empfänger“ heißt „empfaenger“" in error


# Local times ---------------------------------------------------------------------------------------------------------


def test_version_times_are_shown_in_berlin_time(app, client, editor, login):
    with app.app_context():
        version = db.session.get(TemplateVersion, editor.version)
        version.created_at = datetime(2026, 1, 15, 23, 30)  # UTC, as stored: already the 16th in Berlin
        version.used_at = datetime(2026, 7, 31, 22, 15)  # summer time: 1 August, 00:15
        db.session.commit()
    login()
    page = client.get(f"/organise/templates/{editor.template}").get_data(as_text=True)
    assert "16.01.2026, 00:30" in page and "verwendet seit 01.08.2026" in page
    assert "UTC" not in page and "15.01.2026" not in page


# Address lines -------------------------------------------------------------------------------------------------------


def test_the_preview_shows_each_line_of_a_multi_line_street_on_its_own(app, client, editor, login):
    with app.app_context():
        db.session.get(Recipient, editor.recipient).street = "c/o Bürogemeinschaft Südstadt\n2. OG"
        db.session.commit()
    login()
    page = client.get(f"/organise/campaigns/{editor.slug}/preview?recipient={editor.recipient}").get_data(True)
    assert "<span>c/o Bürogemeinschaft Südstadt</span><span>2. OG</span>" in page


def test_a_new_template_starts_from_a_working_letter_in_german_names(app, client, editor, login):
    login()
    page = html.unescape(client.get(f"/organise/campaigns/{editor.slug}/letters").get_data(as_text=True))
    starter = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S)[1].strip()
    assert starter.startswith("{{ anrede }},") and "{% for argument in argumente %}" in starter
    response = client.post(
        f"/organise/campaigns/{editor.slug}/templates", data={"name": "Neu", "subject": "Betreff", "body": starter}
    )
    assert response.status_code == 302
    assert "flash-warning" not in client.get(response.headers["Location"]).get_data(as_text=True)
