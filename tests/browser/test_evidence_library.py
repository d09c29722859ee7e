"""In Chromium: a motion, a marked provision, a source, an argument citing it, and the coverage gap closing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from campaign.db import db
from campaign.models import Argument, AuditEvent, Citation

pytestmark = pytest.mark.browser

FULL_TEXT = (
    "Präambel: Nordrhein-Westfalen soll ein Land sein, in dem alle Menschen gerecht behandelt werden und "
    "niemand zurückbleibt.\n\n"
    "Meldepflichten: Schulen, Kitas und Sozialämter sollen verpflichtet werden, Menschen ohne gesicherten "
    "Aufenthaltsstatus an die Ausländerbehörden zu melden. Damit sollen Ausreisepflichten schneller "
    "durchgesetzt werden.\n\n"
    "Kommunen: Die Städte und Gemeinden erhalten mehr Geld für Integration, Sprachkurse und Wohnungsbau."
)


def _log_in(page, live_server):
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(live_server.email)
    page.get_by_label("Passwort").fill(live_server.password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Organisieren", exact=True)).to_be_visible()


def test_from_motion_to_covered_provision(page, live_server, console_errors):
    _log_in(page, live_server)

    # 1. A motion with its full text; the lines are numbered on its page.
    page.goto("/organise/motions/new")
    page.get_by_label("Titel", exact=True).fill("Leitantrag „Gerechtes NRW“")
    page.get_by_label("Volltext").fill(FULL_TEXT)
    page.get_by_role("button", name="Antrag anlegen").click()
    expect(page.get_by_role("heading", name="Leitantrag „Gerechtes NRW“", level=1)).to_be_visible()
    motion_url = page.url

    # 2. Mark the reporting duties (lines 3 to 5 at 80 characters a line) as a provision.
    marking = page.locator("form").filter(has=page.get_by_role("button", name="Kernpunkt hinzufügen"))
    marking.get_by_label("Titel", exact=True).fill("Meldepflichten für Schulen")
    marking.get_by_label("Von Zeile").fill("3")
    marking.get_by_label("Bis Zeile").fill("5")
    marking.get_by_role("button", name="Kernpunkt hinzufügen").click()
    expect(page.get_by_text("Der Kernpunkt „Meldepflichten für Schulen“ ist angelegt.")).to_be_visible()

    # 3. A source with a DOI, and a quoted passage.
    page.goto("/organise/sources/new")
    page.get_by_label("Art der Quelle").select_option("study")
    page.get_by_label("Titel").fill("Migration als Chance für resiliente Kommunen")
    page.get_by_label("Autor:innen").fill("Yılmaz, Ayşe\nŁukasiewicz, Paweł")
    page.get_by_label("Herausgeber / Verlag").fill("DeZIM")
    page.get_by_label("DOI").fill("https://doi.org/10.59350/hpz3x-qh641")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Quelle „Migration als Chance für resiliente Kommunen“ angelegt.")).to_be_visible()
    expect(page.get_by_role("link", name="https://doi.org/10.59350/hpz3x-qh641")).to_be_visible()
    page.get_by_label("Wortlaut der Textstelle").fill("Migration ist kein Problem, sondern eine Gelegenheit.")
    page.get_by_label("Seite").fill("7")
    page.get_by_role("button", name="Textstelle hinzufügen").click()
    expect(page.get_by_text("Textstelle hinzugefügt.")).to_be_visible()

    # 4. An argument set; the coverage view lists the provision as a gap and the source as unused.
    page.goto("/organise/argument-sets/new")
    page.get_by_label("Titel").fill("Argumente gegen Meldepflichten")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_role("heading", name="Argumente gegen Meldepflichten", level=1)).to_be_visible()
    page.get_by_label("Abdeckung für einen Antrag prüfen").select_option(label="Leitantrag „Gerechtes NRW“")
    page.get_by_role("button", name="Prüfen").click()
    gaps = page.locator('[data-gap="provisions"]')
    expect(gaps).to_contain_text("Meldepflichten für Schulen")
    expect(page.locator('[data-gap="sources"]')).to_contain_text("Migration als Chance")
    coverage_url = page.url

    # 5. Write the argument, linked to the provision, and cite the passage.
    page.get_by_role("link", name="Zum Argumentationsset").click()
    page.get_by_role("button", name="Neues Argument").click()
    page.get_by_label("Kernaussage").fill("Meldepflichten halten Kinder von der Schule fern")
    page.get_by_label("Briefabsatz").fill("Wer Schulen zu Meldestellen macht, **gefährdet Bildung**.")
    page.get_by_label("Schlagworte").fill("Schule, Meldepflicht")
    page.get_by_label(re.compile("Meldepflichten für Schulen")).check()
    page.get_by_role("button", name="Argument anlegen").click()
    expect(page.get_by_text("Argument angelegt.")).to_be_visible()
    page.get_by_label("Quelle oder Textstelle").select_option(
        label="„Migration ist kein Problem, sondern eine Gelegenheit.“ (S. 7)"
    )
    page.get_by_role("button", name="Beleg hinzufügen").click()
    expect(page.get_by_text("Beleg hinzugefügt.")).to_be_visible()
    expect(page.locator("#belege")).to_contain_text("Yılmaz, Ayşe; Łukasiewicz, Paweł (o. J.)")

    # 6. The coverage view no longer lists the provision, the argument or the source as gaps.
    page.goto(coverage_url)
    expect(page.get_by_text("Keine Lücken")).to_be_visible()
    expect(gaps).not_to_contain_text("Meldepflichten für Schulen")
    expect(gaps).to_contain_text("jeder Kernpunkt hat mindestens ein Argument")
    expect(page.get_by_role("row", name=re.compile("Meldepflichten für Schulen"))).to_contain_text(
        "Meldepflichten halten Kinder von der Schule fern"
    )
    # The provision's page links to the motion it came from.
    assert motion_url.startswith(live_server.url)

    with live_server.app.app_context():
        argument = db.session.scalar(select(Argument))
        assert [provision.line_from for provision in argument.provisions] == [3]
        assert db.session.scalar(select(Citation.page)) == "7"
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {
        "source.create",
        "source_quote.create",
        "argument_set.create",
        "argument.create",
        "citation.create",
    } <= actions
    assert console_errors == []
