"""In Chromium, on an empty database (no demo): a new organiser runs a campaign from nothing to letters that arrive
at a real SMTP server (aiosmtpd on loopback) with the right headers, the per-letter Reply-To and the PDF attached.

The admin creates the sending organisation and the organiser's account; the organiser creates a motion, an argument,
the campaign, imports recipients from a CSV file, chooses them, writes the template, generates the letters, sees them
listed, approves the drafts on the sending screen and sends them. The outbox delivers them (here at once, as
JOBS_URL=immediate runs the delivery task in place), and a later `campaign outbox send` sends nothing twice.
Each step is a small function.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from campaign.db import db
from campaign.models import Campaign, Letter, Recipient, Role
from tests.browser.conftest import LiveServer, serving
from tests.conftest import CampaignCliRunner
from tests.factories import make_user
from tests.support.axe import axe_violations
from tests.support.mailserver import MailServer

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


ORGANISATION = "Flüchtlingsrat Köln e. V."
MAIL_FROM = "versand@kampagne.example.org"
REPLY_ADDRESS = "antworten+{code}@kampagne.example.org"
# The CSV of test_new_organiser: two recipients with an e-mail address, one (Paweł Gąsiorowski) by post only.
BY_EMAIL = {"ayse.dogan@example.org": "Ayşe Doğan", "kim.weiss@example.org": "Kim Weiß"}


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def live_server(app_factory, mail_server) -> Iterator[LiveServer]:
    """An empty app with one admin, sending to the loopback SMTP server."""
    app = app_factory(
        WTF_CSRF_ENABLED=True,
        LETTER_RENDER_WORKERS=1,
        MAIL_URL=mail_server.url,
        MAIL_FROM=MAIL_FROM,
        REPLY_ADDRESS=REPLY_ADDRESS,
    )
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
    expect(page.get_by_text("Auswahl gespeichert: 1 Argument für alle Briefe.")).to_be_visible()


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
    expect(page.get_by_text("Briefe erzeugt: 3")).to_be_visible(timeout=60_000)


def see_letters_listed(page: Page, slug: str, names: list[str]) -> None:
    page.goto(f"/organise/campaigns/{slug}")
    letters = page.get_by_role("table")
    for name in names:
        expect(letters.get_by_role("cell", name=name)).to_be_visible()
    expect(page.get_by_text("Briefe erzeugt", exact=True)).to_be_visible()


def approve_and_send(page: Page, slug: str) -> None:
    page.goto(f"/organise/campaigns/{slug}/sending")
    expect(page.get_by_role("heading", name="Versand", exact=True)).to_be_visible()
    page.get_by_label("Den Brief als PDF an die E-Mail anhängen").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    page.get_by_role("button", name="Alle Entwürfe freigeben").click()
    expect(page.get_by_text("3 Briefe freigegeben.")).to_be_visible()
    expect(page.get_by_text("2 freigegebene E-Mail-Briefe sind bereit.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Freigegebene E-Mail-Briefe versenden").click()
    expect(page.locator(".job-status-label")).to_have_text("fertig", timeout=60_000)


def test_a_new_organiser_sends_the_letters_and_they_arrive(page, live_server, mail_server, console_errors):
    # Generating and queueing render PDFs inside the request (JOBS_URL=immediate): give a busy machine time.
    page.set_default_timeout(90_000)
    with live_server.app.app_context():
        assert db.session.query(Campaign).count() == 0 and db.session.query(Recipient).count() == 0
    log_in(page, live_server.email, live_server.password)
    create_organisation(page, ORGANISATION)
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
        organisation=ORGANISATION,
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
    approve_and_send(page, slug)
    # With JOBS_URL=immediate the delivery task ran right after queueing; what cron runs finds nothing left,
    # so every letter arrives exactly once.
    result = CampaignCliRunner(live_server.app).invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output

    with live_server.app.app_context():
        codes = {letter.recipient_email: letter.reference_code for letter in db.session.query(Letter).all()}
    assert sorted(address for item in mail_server.received for address in item.recipients) == sorted(BY_EMAIL)
    for address, name in BY_EMAIL.items():
        (message,) = mail_server.messages_to(address)
        code = codes[address]
        assert f"[{code}]" in message["Subject"] and "NRW, jetzt erst gerecht" in message["Subject"]
        assert message["From"].addresses[0].display_name == ORGANISATION
        assert message["Reply-To"].addresses[0].addr_spec == REPLY_ADDRESS.format(code=code)
        assert message["To"].addresses[0].addr_spec == address and name in str(message["To"])
        assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", message["Message-ID"])
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert "Kommunen brauchen verlässliches Geld" in text and "Kommunen brauchen verlässliches Geld" in html
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf" and attachment.get_filename().endswith(".pdf")
        assert attachment.get_content().startswith(b"%PDF")
    assert {item.envelope_from for item in mail_server.received} == {MAIL_FROM}

    page.goto(f"/organise/campaigns/{slug}/sending")
    expect(page.locator("td[data-status='sent']")).to_have_text("2")
    assert console_errors == []
