"""In Chromium, on an empty database (no demo): a new organiser runs a campaign from nothing to generated letters.

The admin creates the sending organisation and the organiser's account; the organiser creates a motion, an argument,
the campaign, imports recipients from a CSV file, chooses them, writes the template and generates the letters.
Each step is a small function, so later steps (approving, sending) can be added in the same style.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from campaign.db import db
from campaign.models import Campaign, Letter, Recipient, Role
from tests.browser.conftest import LiveServer, serving
from tests.factories import make_user
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser

RECIPIENTS_CSV = (
    "Anrede;Vorname;Nachname;Funktion;Straße;PLZ;Ort;E-Mail;Schlagworte\n"
    "Frau;Ayşe;Doğan;Delegierte;Fliederhofweg 14;50823;Köln;ayse.dogan@example.org;delegierte\n"
    "Herr;Paweł;Gąsiorowski;Landtagsabgeordneter;Platz des Landtags 1;40221;Düsseldorf;;mdl\n"
    "divers;Kim;Weiß;Ratsmitglied;Dr.-Külz-Ring 19;01067;Dresden;kim.weiss@example.org;delegierte\n"
)
TEMPLATE_BODY = (
    "{{ anrede }},\n\nwir schreiben Ihnen wegen des Antrags „{{ antrag.titel }}“.\n\n"
    "{% for argument in argumente %}{{ argument.absatz }}\n\n{% endfor %}"
)


@pytest.fixture
def live_server(app_factory) -> Iterator[LiveServer]:
    """The app with CSRF on, on a loopback port, with nothing in it but one admin account (as `users create` makes)."""
    app = app_factory(WTF_CSRF_ENABLED=True, LETTER_RENDER_WORKERS=1)
    with app.app_context():
        email = make_user(db.session, Role.ADMIN, email="admin@example.org").email
        db.session.commit()
    with serving(app, email) as live:
        yield live


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()


def create_organisation(page: Page, name: str) -> None:
    page.goto("/organise/organisations/new")
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Straße und Hausnummer").fill("Am Weidenbogen 12")
    page.get_by_label("PLZ").fill("50823")
    page.get_by_label("Ort").fill("Köln")
    page.get_by_label("E-Mail").fill("kontakt@example.org")
    page.get_by_label("Fußzeilen (Bank, Register, Vorstand)").fill("IBAN DE02 3702 0500 0001 2345 67")
    page.get_by_role("button", name="Organisation anlegen").click()
    expect(page.get_by_text(f"Organisation „{name}“ angelegt.")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Łucja Żółkiewska")
    page.get_by_label("Funktion").fill("Sprecherin")
    page.get_by_role("button", name="Person hinzufügen").click()
    expect(page.get_by_text("Unterzeichnende Person hinzugefügt.")).to_be_visible()
    assert axe_violations(page) == []


def create_account(page: Page, email: str) -> str:
    """Create an organiser account; returns the generated password, shown once."""
    page.goto("/auth/users")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Name").fill("Gül Öztürk")
    page.locator("#role").select_option("organiser")  # the label also holds the options' texts
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_text("wird nur jetzt angezeigt")).to_be_visible()
    assert axe_violations(page) == []
    return page.locator("#neues-passwort").inner_text()


def create_motion(page: Page, title: str) -> None:
    page.goto("/organise/motions/new")
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Partei").fill("SPD NRW")
    page.get_by_role("button", name="Antrag anlegen").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def create_argument(page: Page, set_title: str, claim: str) -> None:
    page.goto("/organise/argument-sets/new")
    page.get_by_label("Titel").fill(set_title)
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("button", name="Neues Argument").click()
    page.get_by_label("Kernaussage").fill(claim)
    page.get_by_label("Briefabsatz").fill(f"{claim}, und das belegen die Zahlen.")
    page.get_by_role("button", name="Argument anlegen").click()
    expect(page.get_by_text(claim).first).to_be_visible()


def create_campaign(page: Page, title: str, *, motion: str, argument_set: str, organisation: str) -> str:
    """Create the campaign through its form; returns its slug (taken from the hub's address)."""
    page.goto("/organise/campaigns/new")
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Antrag").select_option(label=motion)
    page.get_by_label("Argumentationsset").select_option(label=argument_set)
    page.get_by_label("Absender-Organisation").select_option(label=organisation)
    page.get_by_label("Versandweg").select_option("both")
    page.get_by_role("button", name="Kampagne anlegen").click()
    expect(page.get_by_role("heading", name="Checkliste")).to_be_visible()
    assert axe_violations(page) == []
    return page.url.rsplit("/", 1)[1]


def choose_arguments(page: Page, slug: str, claim: str) -> None:
    page.goto(f"/organise/campaigns/{slug}/arguments")
    page.get_by_role("checkbox", name=claim).check()
    page.get_by_role("button", name="Auswahl speichern").click()


def import_recipients(page: Page, list_name: str) -> None:
    page.goto("/organise/recipients/import")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        files=[{"name": "empfaenger.csv", "mimeType": "text/csv", "buffer": RECIPIENTS_CSV.encode("utf-8")}]
    )
    page.get_by_label("Zur Liste hinzufügen (optional)").fill(list_name)
    page.get_by_role("button", name="Hochladen und prüfen").click()
    page.get_by_role("button", name="3 neue Empfänger:innen importieren").click()
    expect(page.get_by_text("Import: 3 neu angelegt")).to_be_visible()


def choose_targets(page: Page, slug: str, list_name: str) -> None:
    page.goto(f"/organise/campaigns/{slug}/targets")
    page.get_by_label("Liste").select_option(label=list_name)
    page.get_by_role("button", name="Passende hinzufügen").click()
    expect(page.get_by_text("3 Empfänger:innen hinzugefügt.")).to_be_visible()
    assert axe_violations(page) == []


def write_template(page: Page, slug: str) -> None:
    page.goto(f"/organise/campaigns/{slug}/letters")
    page.get_by_text("Neue Vorlage anlegen").click()
    page.get_by_label("Name der Vorlage").fill("Brief an Delegierte")
    page.get_by_label("Betreff").fill("Ihr Antrag {{ antrag.titel }}")
    page.get_by_label("Brieftext").fill(TEMPLATE_BODY)
    page.get_by_role("button", name="Vorlage anlegen", exact=True).click()
    expect(page.get_by_text("Die Vorlage „Brief an Delegierte“ ist angelegt.")).to_be_visible()


def generate_letters(page: Page, slug: str) -> None:
    page.goto(f"/organise/campaigns/{slug}/letters")
    page.get_by_role("button", name="Briefe erzeugen").click()
    expect(page.get_by_text("3 Briefe erzeugt")).to_be_visible(timeout=60_000)


def see_letters_listed(page: Page, slug: str, names: list[str]) -> None:
    page.goto(f"/organise/campaigns/{slug}")
    letters = page.get_by_role("table")
    for name in names:
        expect(letters.get_by_role("cell", name=name)).to_be_visible()
    expect(page.get_by_text("Briefe erzeugt erledigt")).to_be_visible()


def test_a_new_organiser_runs_a_campaign_from_an_empty_database(page, live_server, console_errors):
    with live_server.app.app_context():
        assert db.session.query(Campaign).count() == 0 and db.session.query(Recipient).count() == 0
    log_in(page, live_server.email, live_server.password)
    create_organisation(page, "Flüchtlingsrat Köln e. V.")
    password = create_account(page, "guel.oeztuerk@example.org")
    log_out(page)

    log_in(page, "guel.oeztuerk@example.org", password)
    create_motion(page, "NRW, jetzt erst gerecht")
    create_argument(page, "Kommunen stärken", "Kommunen brauchen verlässliches Geld")
    slug = create_campaign(
        page,
        "Gerechtigkeit für alle",
        motion="NRW, jetzt erst gerecht",
        argument_set="Kommunen stärken",
        organisation="Flüchtlingsrat Köln e. V.",
    )
    choose_arguments(page, slug, "Kommunen brauchen verlässliches Geld")
    import_recipients(page, "Delegierte 2026")
    choose_targets(page, slug, "Delegierte 2026")
    write_template(page, slug)
    generate_letters(page, slug)
    see_letters_listed(page, slug, ["Ayşe Doğan", "Paweł Gąsiorowski", "Kim Weiß"])

    with live_server.app.app_context():
        letters = db.session.query(Letter).all()
        assert len(letters) == 3
        assert all("NRW, jetzt erst gerecht" in letter.body_text for letter in letters)
        assert all("Kommunen brauchen verlässliches Geld" in letter.body_text for letter in letters)
    assert console_errors == []
