"""Forms sent back with errors on a 360 px phone: the German messages are shown, nothing makes the page scroll
sideways, and messages and long typed values wrap or scroll inside their own box; axe on the public ones."""

from __future__ import annotations

from pathlib import Path
from pprint import pformat

import pytest
from playwright.sync_api import expect

from campaign.db import db
from campaign.models import Campaign, Role
from tests.browser.test_phone_width import LONG_WORD, PHONE
from tests.factories import PASSWORD, make_user
from tests.factories_writing import make_writing_campaign
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

# What people type on a phone that a layout must survive: a compound far longer than a line, without a space, and
# names in letters beyond Latin-1.
LONGER = LONG_WORD * 3
NAMES = ("Ğülşen-Łucja", "Weiß-Éluard")

# What is wrong with a page sent back with errors: its width; every element of <main> whose box reaches past the
# screen, and every one whose content is wider than its box (a message or a typed value that did not wrap), except
# inside a box that scrolls on its own (a wide table's) and in form fields, which scroll their value themselves;
# error messages no field points to, or drawn into the text above them; and, for phones, whether the page opens
# with its first message on the screen.
MEASURE = """() => {
    const screen = document.documentElement.clientWidth;
    const FIELDS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
    const name = element => element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
        + [...element.classList].map(css => '.' + css).join('');
    const scrolls = element => {
        for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
            if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(box).overflowX)) return true;
        }
        return false;
    };
    const outside = [];
    for (const element of document.querySelectorAll('main *')) {
        const box = element.getBoundingClientRect();
        if (box.width && (box.right > screen + 0.5 || box.left < -0.5) && !scrolls(element)) {
            outside.push(`${name(element)} ${Math.round(box.left)}–${Math.round(box.right)} px`);
        }
    }
    const spilling = [];
    for (const element of document.querySelectorAll('main *')) {
        const style = getComputedStyle(element);
        // Form controls scroll their value inside themselves; boxes that scroll are measured as a whole above.
        if (FIELDS.has(element.tagName) || style.display === 'inline' || style.overflowX !== 'visible') continue;
        if (element.scrollWidth > element.clientWidth + 1 && !scrolls(element)) {
            spilling.push(`${name(element)} ${element.scrollWidth} px in ${element.clientWidth} px`);
        }
    }
    // An error message that no field names in its aria-describedby is not read out with the field it is about.
    const described = new Set([...document.querySelectorAll('[aria-describedby]')]
        .flatMap(element => element.getAttribute('aria-describedby').split(' ')));
    const unlinked = [...document.querySelectorAll('.field-error')]
        .filter(element => !element.id || !described.has(element.id)).map(element => element.textContent);
    // A message drawn into the text above it (a field's hint): its box starts above that text's last line ends.
    const crowded = [];
    for (const error of document.querySelectorAll('.field-error')) {
        const text = document.createRange();
        text.selectNodeContents(error.previousElementSibling);
        const above = Math.max(...[...text.getClientRects()].map(line => line.bottom));
        const top = error.getBoundingClientRect().top;
        if (top < above - 0.5) crowded.push(`${name(error)} ${Math.round(above - top)} px into the text above`);
    }
    // Where the page opened: the first message must be on the screen, or a phone shows no sign of an error.
    const message = document.querySelector('.field-error, .flash-error');
    const first = message ? message.getBoundingClientRect() : {top: NaN};
    const seen = first.top >= 0 && first.bottom <= window.innerHeight ? '' : `first message at ${first.top} px`;
    return {width: document.documentElement.scrollWidth, outside, spilling, unlinked, crowded, seen};
}"""


def _setup(app) -> dict[str, str]:
    """A campaign open for co-signing and for writing one's own letter, and an admin (who may use every form)."""
    with app.app_context():
        written = make_writing_campaign(db.session)
        db.session.get(Campaign, written.campaign_id).open_letter = True
        admin = make_user(db.session, Role.ADMIN).email
        db.session.commit()
    return {"slug": written.slug, "admin": admin}


class Checker:
    """Measures each error state of the walk and keeps what is wrong, so that one run reports every form at once."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: dict[str, object] = {}
        self.violations: dict[str, object] = {}

    def fits(self, state: str, *messages: str, public: bool = False) -> None:
        """The page shows `messages`, fits the phone and opens where its first message (the summary above the
        form) is on the screen. On a public page (filled in on phones) axe also finds nothing serious."""
        for message in messages:
            expect(self.page.get_by_text(message, exact=False).first).to_be_visible()
        self.page.wait_for_load_state()  # measured with its stylesheets, not while they load
        measured = self.page.evaluate(MEASURE)
        if measured["width"] > PHONE["width"] or any(
            measured[key] for key in ("outside", "spilling", "unlinked", "crowded")
        ):
            self.problems[state] = measured
        if measured["seen"]:
            self.problems[state] = measured
        if not public:
            return
        if found := axe_violations(self.page):  # serious and critical ones
            self.violations[state] = found


def _sign(page, check: Checker, slug: str) -> None:
    page.goto(f"/c/{slug}")
    page.get_by_role("button", name="Mitzeichnen", exact=True).click()
    check.fits(
        "Mitzeichnen, leer",
        "Bitte Ihren Vornamen angeben.",
        "Bitte Ihre E-Mail-Adresse angeben.",
        "Ohne Ihre Einwilligung können wir nicht mitzählen.",
        public=True,
    )
    page.get_by_label("Vorname", exact=True).fill(f"{NAMES[0]} {LONGER}")
    page.get_by_label("Nachname", exact=True).fill(NAMES[1])
    page.get_by_role("textbox", name="E-Mail-Adresse").fill(f"{LONGER}@{LONG_WORD}")
    page.get_by_label("Postleitzahl", exact=True).fill("50667")
    page.get_by_label("Ort", exact=True).fill(LONG_WORD)
    page.get_by_label("Organisation (freiwillig)").fill(LONGER)
    page.get_by_label("Ich unterzeichne diesen offenen Brief mit", exact=False).check()
    page.get_by_role("button", name="Mitzeichnen", exact=True).click()
    # The fields' maxlength cuts what is typed at the service's limits; the address is checked by the service.
    check.fits("Mitzeichnen, lange Wörter", "Ungültige E-Mail-Adresse", public=True)


def _write(page, check: Checker, slug: str) -> None:
    page.goto(f"/c/{slug}/write")
    page.get_by_label("Ihre Postleitzahl").fill(LONGER)
    page.get_by_role("button", name="Empfänger:innen suchen").click()
    check.fits("Brief, Postleitzahl", "Bitte eine fünfstellige Postleitzahl angeben", public=True)
    page.get_by_label("Ihre Postleitzahl").fill("50667")
    page.get_by_role("button", name="Empfänger:innen suchen").click()
    page.get_by_role("button", name="Weiter").click()
    check.fits("Brief, niemand gewählt", "Bitte wählen Sie, an wen Sie schreiben möchten.", public=True)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("button", name="Weiter").click()
    # At least 20 words: a letter without a chosen argument needs them.
    page.get_by_label("Ihr eigener Absatz").fill(
        f"{LONGER} {LONGER} und ich bitte Sie herzlich, den Antrag so nicht zu beschließen, weil er Menschen schadet "
        "und Kommunen überfordert, danke sehr."
    )
    page.get_by_role("button", name="Vorschau ansehen").click()
    page.get_by_role("button", name="Brief abschicken").click()
    check.fits(
        "Brief, Angaben leer",
        "Bitte Straße und Hausnummer angeben.",
        "Ohne Ihre Einwilligung können wir den Brief nicht verschicken.",
        public=True,
    )
    page.get_by_label("Vorname").fill(NAMES[0])
    page.get_by_label("Nachname").fill(f"{NAMES[1]}-{LONG_WORD}")
    page.get_by_role("textbox", name="E-Mail-Adresse").fill(f"{LONGER}@{LONG_WORD}")
    page.get_by_label("Straße und Hausnummer").fill(f"{LONG_WORD}straße 12")
    page.get_by_label("Postleitzahl", exact=True).fill("50670")
    page.get_by_label("Ort", exact=True).fill(LONG_WORD)
    page.get_by_label("Ich möchte diesen Brief in meinem Namen", exact=False).check()
    # A phone keyboard's Go key in a field sends the letter (it went back a step and dropped what was typed).
    page.get_by_label("Ort", exact=True).press("Enter")
    check.fits("Brief, ungültige E-Mail-Adresse", "Ungültige E-Mail-Adresse", public=True)


def _log_in(page, check: Checker, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(f"{LONGER}@example.org")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    check.fits("Anmelden, falsches Passwort", "E-Mail-Adresse oder Passwort ist falsch.", public=True)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Organisieren", exact=True)).to_be_visible()


def _organise(page, check: Checker, tmp_path: Path) -> None:
    page.goto("/organise/campaigns/new")
    page.get_by_label("Kurzadresse", exact=False).fill(LONGER)
    page.get_by_role("button", name="Kampagne anlegen").click()
    check.fits("Neue Kampagne", "Bitte einen Titel angeben.")

    page.goto("/organise/sources/new")
    page.get_by_label("Titel").fill(LONGER)
    page.get_by_label("Adresse (URL)").fill(f"example.org/{LONGER}")
    page.get_by_role("button", name="Speichern").click()
    check.fits("Neue Quelle", "Bitte eine vollständige Webadresse angeben")

    page.goto("/organise/recipients/import")
    upload = tmp_path / f"{LONGER}.xlsx"
    upload.write_bytes(b"Vorname;Nachname\nAyse;Dogan\n")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(upload)
    page.get_by_label("Zur Liste hinzufügen (optional)").fill(LONGER)
    page.get_by_role("button", name="Hochladen und prüfen").click()
    check.fits("Import", "ist keine Excel-Datei")

    page.goto("/auth/password")
    page.get_by_label("Bisheriges Passwort").fill("falsch")
    page.get_by_label("Neues Passwort", exact=True).fill(LONGER)
    page.get_by_label("Neues Passwort wiederholen").fill(LONG_WORD)
    page.get_by_role("button", name="Passwort ändern").click()
    check.fits("Passwort ändern", "Das bisherige Passwort ist falsch.")

    page.goto("/auth/users")
    page.get_by_label("E-Mail-Adresse").fill(f"{LONGER}@{LONG_WORD}")
    page.get_by_role("button", name="Konto anlegen").click()
    check.fits("Neues Konto", "Ungültige E-Mail-Adresse")


def test_forms_with_errors_fit_a_phone(browser, live_server, console_errors, tmp_path):
    values = _setup(live_server.app)
    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    check = Checker(page)
    try:
        _sign(page, check, values["slug"])
        _write(page, check, values["slug"])
        _log_in(page, check, values["admin"])
        _organise(page, check, tmp_path)
    finally:
        context.close()
    assert check.problems == {}, pformat(check.problems)
    assert check.violations == {}, pformat(check.violations)
    assert console_errors == []
