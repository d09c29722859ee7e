"""Stored texts: made in German whatever the page's language, shown in the viewer's language when they are ours."""

from __future__ import annotations

import pytest
from flask_babel import gettext

from campaign.services.common.translation import N_, in_german, in_page_language
from campaign.services.letters.sandbox import TemplateProblem, check_template

ENGLISH = {"Accept-Language": "en"}


def test_a_stored_message_with_parameters_is_shown_in_english_on_english_pages(app):
    stored = N_("%(done)s von %(total)s Briefen erzeugt") % {"done": 3, "total": 5}
    with app.test_request_context(headers=ENGLISH):
        assert in_page_language(stored) == "3 of 5 letters generated"
        assert in_page_language("Wartet auf einen freien Job-Worker …") == "Waiting for a free job worker …"
    with app.test_request_context():
        assert in_page_language(stored) == stored == "3 von 5 Briefen erzeugt"


def test_numbers_stored_with_german_grouping_are_grouped_as_the_page_language_groups_them(app):
    stored = N_("Briefe erzeugt: %(letters)s (Seiten: %(pages)s).") % {"letters": "1.234", "pages": "12.345.678"}
    with app.test_request_context(headers=ENGLISH):
        assert in_page_language(stored) == "Letters generated: 1,234 (pages: 12,345,678)."
    with app.test_request_context():
        assert in_page_language(stored) == "Briefe erzeugt: 1.234 (Seiten: 12.345.678)."


def test_dates_and_decimals_in_a_stored_text_are_no_thousands(app):
    stored = N_("Briefe erzeugt: %(letters)s (Seiten: %(pages)s).") % {"letters": "02.12.2026", "pages": "1.5"}
    with app.test_request_context(headers=ENGLISH):
        assert in_page_language(stored) == "Letters generated: 02.12.2026 (pages: 1.5)."


def test_parameters_that_are_messages_themselves_are_translated_too(app):
    with app.app_context(), in_german(), pytest.raises(TemplateProblem) as problem:
        check_template("Text\n{{ salutation|safe }}")
    stored = str(problem.value)
    assert stored.startswith("Zeile 2: Den Filter „safe“ gibt es in Briefvorlagen nicht")
    with app.test_request_context(headers=ENGLISH):
        shown = in_page_language(stored)
    assert shown == "Line 2: Letter templates have no filter “safe”: it would put text into the letter as HTML."


def test_texts_that_are_not_ours_stay_as_they_are(app):
    with app.test_request_context(headers=ENGLISH):
        assert in_page_language("550 mailbox unavailable") == "550 mailbox unavailable"
        assert in_page_language("") == ""


def test_in_german_makes_german_texts_inside_an_english_request(app):
    with app.test_request_context(headers=ENGLISH):
        assert gettext("Läuft …") == "Running …"
        with in_german():
            assert gettext("Läuft …") == "Läuft …"
        assert gettext("Läuft …") == "Running …"


def test_messages_are_german_without_an_app():
    """The CLI's checks run outside any app or request: the messages come out in German, nothing breaks."""
    with pytest.raises(TemplateProblem, match="Die Vorlage endet mitten in einem Platzhalter"):
        check_template("{{ salutation ")
