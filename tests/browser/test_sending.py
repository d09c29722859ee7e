"""In Chromium (CSRF on): approve, send and post a campaign's letters on its sending screen; axe on each step."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from campaign.db import db
from campaign.models import Channel, Target
from campaign.services.common.dates import today_in_germany
from campaign.services.sending.lifecycle import generate_letters
from tests.services.sending.helpers import email_campaign
from tests.support.axe import axe_violations

pytestmark = pytest.mark.browser


def test_approve_send_and_post_the_letters_of_a_campaign(page, live_server, console_errors):
    with live_server.app.app_context():
        campaign, people = email_campaign(3)
        target = db.session.scalar(select(Target).where(Target.recipient_id == people[2].id))
        target.channel = Channel.POST
        generate_letters(db.session, campaign, on=today_in_germany())
        db.session.commit()
        slug = campaign.slug
    page.goto("/auth/login")
    page.get_by_label("E-Mail-Adresse").fill(live_server.email)
    page.get_by_label("Passwort").fill(live_server.password)
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"/organise/campaigns/{slug}/letters")
    page.get_by_role("link", name="Versand").click()
    expect(page.get_by_role("heading", name="Versand", level=1)).to_be_visible()
    expect(page.get_by_text("3 Entwürfe warten auf die Freigabe.")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Alle Entwürfe freigeben").click()
    expect(page.get_by_text("3 Briefe freigegeben.")).to_be_visible()
    page.get_by_role("button", name="Freigegebene E-Mail-Briefe versenden").click()
    expect(page.get_by_role("heading", name="Briefe versenden", level=1)).to_be_visible()
    expect(page.get_by_text("Briefe im Postausgang: 2.")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(f"/organise/campaigns/{slug}/sending")
    expect(page.locator('[data-status="sent"]')).to_have_text("2")
    page.get_by_label("Muster2", exact=False).check()
    page.get_by_role("button", name="Zur Post gegeben am").click()
    expect(page.get_by_text("1 Brief als versandt vermerkt.")).to_be_visible()
    expect(page.locator('[data-status="sent"]')).to_have_text("3")
    assert axe_violations(page) == []
    outbox = Path(live_server.app.instance_path) / "outbox"
    assert len(list(outbox.glob("mail-*.eml"))) == 2
