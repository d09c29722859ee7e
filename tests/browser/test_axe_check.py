"""The accessibility check itself: it finds what axe-core calls serious or critical, in German, and only that."""

from __future__ import annotations

import pytest

from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

CLEAN = "<!doctype html><html lang='de'><title>Seite</title><main><h1>Titel</h1><p>Text</p></main></html>"
# An image without a text alternative (critical) and a field without a label (critical), in an otherwise clean page.
FAULTY = CLEAN.replace("<p>Text</p>", "<p>Text</p><img src='data:,'><form><input name='plz'></form>")


@pytest.fixture
def blank_page(browser):
    context = browser.new_context(locale="de-DE")
    yield context.new_page()
    context.close()


def test_a_page_without_alt_text_and_label_has_two_violations_with_german_help(blank_page):
    blank_page.set_content(FAULTY)
    found = {violation["id"]: violation for violation in axe_violations(blank_page)}
    assert set(found) == {"image-alt", "label"}
    assert found["image-alt"]["nodes"] == [["img"]] and found["label"]["nodes"] == [["input"]]
    assert found["image-alt"]["help"] == "Abbildungen müssen einen Alternativtext besitzen."


def test_a_clean_page_has_none_and_a_second_check_on_the_same_page_agrees(blank_page):
    blank_page.set_content(CLEAN)
    assert axe_violations(blank_page) == []
    assert axe_violations(blank_page) == []
