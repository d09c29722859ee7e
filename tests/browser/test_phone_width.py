"""On a 360 px phone no page scrolls sideways: every page of the URL map (organiser and public), with real objects
and long German words in them; tables wider than the screen scroll inside their own box."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from campaign.db import db
from campaign.jobs.letters import KIND
from campaign.models import ArgumentRule, ArgumentSet, Role, WritingSettings
from campaign.services.common.jobs import create_job
from campaign.services.recipients import importing as importer
from campaign.services.sending.bounces import record_bounce
from tests.factories import PASSWORD, make_recipient, make_user
from tests.factories_arguments import make_argument, make_source
from tests.factories_recipients import make_list
from tests.factories_replies import make_reply, make_sent_letter
from tests.web.factories import make_demo_motion, make_evidence, make_print_campaign

pytestmark = pytest.mark.browser

# Many Android phones (Galaxy S series, older models) are 360 px wide: what fits there fits a 390 px iPhone too.
PHONE = {"width": 360, "height": 800}
# Files and data, not pages: PDF, Markdown, text, Word, CSV, JSON, e-mail HTML, downloads, logos, icons, the API.
NOT_PAGES = re.compile(r"\.(pdf|md|txt|docx|csv|json|html)$|/download$|/logo$|^/api/")
FILE_ENDPOINTS = frozenset({"static", "public.icon"})
# A long word without a space where one may break: the layout must wrap it, or a table scroll it in its box, not
# widen the page.
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"


def _url_values(app: Flask) -> dict[str, object]:
    """Objects for every page that needs an id: the demo motion, an evidence library, a campaign ready to print;
    and an admin account, who may see every page."""
    with app.app_context():
        user = make_user(db.session, Role.ADMIN)
        demo = make_demo_motion(db.session)
        demo.source_url = f"https://example.org/{LONG_WORD}/{LONG_WORD}.pdf"  # the motion page's facts list
        evidence = make_evidence(db.session)
        campaign = make_print_campaign(db.session, recipients=3)
        campaign.public_responses = True  # the public response tracker is off by default
        db.session.add(WritingSettings(campaign_id=campaign.id, enabled=True))  # so is writing your own letter
        person = make_recipient(
            db.session,
            title="Prof. Dr.",
            first_name="Ayşe",
            last_name=LONG_WORD,
            street="c/o Frauenberatung Köln\nHinterhaus, 2. OG\nFliederhofweg 14",
            postcode="50823",
            city="Köln",
            email=f"{LONG_WORD.lower()}@example.org",
            tags=["delegierte", "kommunalpolitik"],
            function=f"Sprecherin für {LONG_WORD}",
        )
        make_list(db.session, "Delegierte zum Landesparteitag", [person])
        campaign.organisation.name = LONG_WORD
        campaign.organisation.footer_lines = LONG_WORD
        campaign.organisation.signatories = [{"name": LONG_WORD, "role": LONG_WORD}]
        source = make_source(db.session, title=LONG_WORD, url=f"https://example.org/{LONG_WORD}", quotes=("Ein Satz.",))
        # The letter pages' tables: a template, a chosen argument and a targeting rule with long words in them.
        template = campaign.templates[0]
        template.name = LONG_WORD
        template.current_version.subject = LONG_WORD
        campaign.argument_set = db.session.get(ArgumentSet, evidence.set)
        make_argument(db.session, campaign.argument_set, claim=LONG_WORD, tags=[LONG_WORD.lower()])
        db.session.add(
            ArgumentRule(campaign_id=campaign.id, recipient_tag="kommunalpolitik", argument_tag=LONG_WORD.lower())
        )
        job = create_job(db.session, KIND, campaign=campaign, user=user)
        letter = make_sent_letter(db.session, campaign, person, "PHONE-2026-0001")
        reply = make_reply(db.session, letter, subject=LONG_WORD, body_text=f"{LONG_WORD} {LONG_WORD}")
        # A bounced letter: the sending page lists it with a form to correct the address.
        bounced = make_recipient(db.session, last_name=LONG_WORD, email=f"{LONG_WORD.lower()}.zwei@example.org")
        bounced_letter = make_sent_letter(db.session, campaign, bounced, "PHONE-2026-0002")
        record_bounce(db.session, address=bounced.email, reason=f"550 {LONG_WORD}", letter=bounced_letter)
        db.session.commit()
        row = importer.Row(2, ["Ayşe", LONG_WORD, "x"])
        table = importer.Table("CSV, UTF-8", ["Vorname", "Nachname", "Mobil"], [row])
        token = importer.save_table(
            Path(app.instance_path) / "uploads" / "recipient-imports",
            table,
            {"filename": "empfaenger.csv", "list_name": "", "user_id": user.id},
        )
        return {
            "motion_id": demo.id,
            "provision_id": demo.provisions[0].id,
            "set_id": evidence.set,
            "argument_id": evidence.argument,
            "source_id": source.id,
            "quote_id": source.quotes[0].id,
            "recipient_id": person.id,
            "list_id": person.lists[0].id,
            "slug": campaign.slug,
            "organisation_id": campaign.organisation_id,
            "template_id": template.id,
            "job_id": job.id,
            "reply_id": reply.id,
            "token": token,
            "coverage": f"/organise/coverage?motion={evidence.motion}&set={evidence.set}",
            # The letter preview shows the first target's letter unless asked for another: the one with long words.
            "preview": f"/organise/campaigns/{campaign.slug}/preview?recipient={person.id}",
            "admin": user.email,
        }


def _pages(app: Flask, values: dict[str, object]) -> list[str]:
    """Every GET page of the URL map, filled in with `values`; a new page with a new kind of id fails here."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or NOT_PAGES.search(rule.rule) or rule.endpoint in FILE_ENDPOINTS:
                continue
            fixed = dict(rule.defaults or {})  # e.g. the confirm and withdraw pages share a view
            missing = rule.arguments - values.keys() - fixed.keys()
            assert not missing, f"{rule.rule}: kein Objekt für {sorted(missing)} – bitte in _url_values ergänzen"
            urls.append(rule.build({name: fixed.get(name, values.get(name)) for name in rule.arguments})[1])
    return [*sorted(set(urls)), str(values["coverage"]), str(values["preview"])]


def _log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Organisieren", exact=True)).to_be_visible()


def test_no_page_is_wider_than_a_phone(browser, live_server, console_errors):
    values = _url_values(live_server.app)
    urls = _pages(live_server.app, values)
    assert "/organise/" in urls and f"/organise/recipients/{values['recipient_id']}" in urls
    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    too_wide = {}

    def measure(url: str) -> None:
        response = page.goto(url)
        assert response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[url] = width

    try:
        measure("/auth/login")
        _log_in(page, str(values["admin"]))
        for url in urls:
            measure(url)
        assert too_wide == {}
        # The whole menu is reachable: nothing of it lies outside the screen.
        for name in ("Verfolgen", "Abmelden"):
            box = page.get_by_role("navigation", name="Hauptnavigation").get_by_text(name, exact=True).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
        # The letter screens' tabs move whole onto further lines: none is squeezed into pieces like „Ver|sa|nd“.
        page.goto(f"/organise/campaigns/{values['slug']}/sending")
        tabs = page.get_by_role("navigation", name="Briefe dieser Kampagne").get_by_role("link")
        # One box per line of a link's text (the links themselves are inline blocks: one box each).
        lines = tabs.evaluate_all(
            """links => links.map(link => {
                const text = document.createRange();
                text.selectNodeContents(link);
                return text.getClientRects().length;
            })"""
        )
        assert lines == [1] * 5, lines
    finally:
        context.close()
    assert console_errors == []


def test_a_long_german_heading_keeps_its_word_whole_on_a_phone(browser, live_server):
    """„Datenschutzhinweise“ in the phone's heading size fits one line of 360 px (it broke into „…hinweis|e“)."""
    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/privacy")
    heading = page.locator("main h1")
    assert heading.inner_text() == "Datenschutzhinweise"
    lines = heading.evaluate(
        """heading => {
            const range = document.createRange();
            range.selectNodeContents(heading);
            return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size;
        }"""
    )
    context.close()
    assert lines == 1
