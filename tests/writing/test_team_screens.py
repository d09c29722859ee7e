"""The organisers' screens of supporter letters: settings with bad input, open recipients, moderation, variation."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign.db import db
from campaign.models import (
    Campaign,
    CampaignStatus,
    OpenRecipient,
    Role,
    SupporterLetter,
    SupporterLetterStatus,
    WritingSettings,
)
from campaign.services.writing.mails import KIND_CONFIRMATION, KIND_LETTER
from tests.factories import make_campaign
from tests.factories_writing import link_in, write_form
from tests.writing.conftest import outbox


def _url(written, tail: str = "") -> str:
    return f"/organise/campaigns/{written.slug}/supporter-letters{tail}"


def _held_letter(client, app, written, **values) -> int:
    client.post(f"/c/{written.slug}/write", data=write_form(written, **values))
    client.post(link_in(outbox(app, KIND_CONFIRMATION)[-1].raw, "confirm"))
    with app.app_context():
        return db.session.scalar(select(SupporterLetter.id).order_by(SupporterLetter.id.desc()))


def test_settings_are_saved_and_bad_numbers_refused(client, app, written, login):
    login()
    page = client.get(_url(written))
    assert page.status_code == 200 and "Briefe von Unterstützer:innen" in page.text
    bad = client.post(
        _url(written, "/settings"), data={"enabled": "y", "similar_limit": "0", "questionnaire_days": "x"}
    )
    assert bad.status_code == 400
    assert "Zahl muss zwischen 1 und 1000 liegen." in bad.text and "Keine gültige, ganze Zahl." in bad.text
    ok = client.post(
        _url(written, "/settings"),
        data={"enabled": "y", "moderated": "y", "similar_limit": "2", "questionnaire_days": "21"},
    )
    assert ok.status_code == 302
    with app.app_context():
        settings = db.session.get(WritingSettings, written.campaign_id)
        assert settings.moderated and settings.questionnaire_days == 21 and not settings.block_similar


def test_open_recipients_only_from_the_campaign(client, app, written, login):
    login()
    client.post(_url(written, "/open"), data={"recipient": [str(written.postal_id)]})
    with app.app_context():
        assert {row.recipient_id for row in db.session.scalars(select(OpenRecipient))} == {written.postal_id}
    refused = client.post(_url(written, "/open"), data={"recipient": ["999999"]}, follow_redirects=True)
    assert "Nur Empfänger:innen dieser Kampagne" in refused.text
    with app.app_context():
        assert {row.recipient_id for row in db.session.scalars(select(OpenRecipient))} == {written.postal_id}


def test_held_letters_are_approved_or_rejected(client, app, written, login):
    with app.app_context():
        db.session.get(WritingSettings, written.campaign_id).moderated = True
        db.session.commit()
    first = _held_letter(client, app, written, own_text="Erster Brief mit eigenen Worten über Köln.")
    second = _held_letter(client, app, written, email="zweite@example.org", own_text="Ganz anders formuliert.")
    login()
    with app.app_context():
        other = make_campaign(db.session).slug  # the letters are not this campaign's: 404, nothing changes
        db.session.commit()
    assert client.post(f"/organise/campaigns/{other}/supporter-letters/{first}/approve").status_code == 404
    refused = client.post(f"/organise/campaigns/{other}/supporter-letters/{second}/reject", data={"reason": "x"})
    assert refused.status_code == 404 and outbox(app, KIND_LETTER) == []
    page = client.get(_url(written))
    assert "wartet auf Freigabe" in page.text and "Freigeben" in page.text
    client.post(_url(written, f"/{first}/approve"))
    assert len(outbox(app, KIND_LETTER)) == 1
    no_reason = client.post(_url(written, f"/{second}/reject"), data={"reason": ""}, follow_redirects=True)
    assert "Bitte einen Grund angeben" in no_reason.text
    client.post(_url(written, f"/{second}/reject"), data={"reason": "Beleidigung"})
    with app.app_context():
        assert db.session.get(SupporterLetter, first).status is SupporterLetterStatus.SENT
        assert db.session.get(SupporterLetter, second).status is SupporterLetterStatus.REJECTED
    again = client.post(_url(written, f"/{first}/approve"), follow_redirects=True)
    assert "wartet nicht auf Freigabe" in again.text
    assert len(outbox(app, KIND_LETTER)) == 1


def test_the_variation_shows_clusters_of_near_identical_letters(client, app, written, login):
    for number in range(3):
        _held_letter(client, app, written, email=f"person{number}@example.org")
    login(Role.COORDINATOR)
    page = client.get(_url(written))
    assert "3 Briefe an Jana Schäfer-Öztürk" in page.text
    assert "Einstellungen" not in page.text  # coordinators read, organisers change
    assert client.post(_url(written, "/settings"), data={"enabled": "y"}).status_code == 403


def test_the_public_writing_link_is_shown_only_while_the_page_exists(client, app, written, login):
    login()
    open_page = client.get(_url(written)).text
    assert f'href="/c/{written.slug}/write"' in open_page and "Öffentliche Seite zum Schreiben" in open_page
    assert client.get(f"/c/{written.slug}/write").status_code == 200
    with app.app_context():
        db.session.get(WritingSettings, written.campaign_id).enabled = False
        db.session.commit()
    switched_off = client.get(_url(written)).text
    assert f'href="/c/{written.slug}/write"' not in switched_off
    assert "Das Schreiben eigener Briefe ist für diese Kampagne ausgeschaltet." in switched_off
    assert '<a href="#einstellungen">In den Einstellungen einschalten</a>' in switched_off
    assert client.get(f"/c/{written.slug}/write").status_code == 404
    with app.app_context():
        db.session.get(WritingSettings, written.campaign_id).enabled = True
        db.session.get(Campaign, written.campaign_id).status = CampaignStatus.DRAFT
        db.session.commit()
    draft = client.get(_url(written)).text
    assert f'href="/c/{written.slug}/write"' not in draft
    assert "Die öffentliche Seite zum Schreiben ist erreichbar, sobald die Kampagne läuft." in draft


def test_a_coordinator_is_told_writing_is_off_without_a_link_to_settings_they_cannot_change(
    client, app, written, login
):
    with app.app_context():
        db.session.get(WritingSettings, written.campaign_id).enabled = False
        db.session.commit()
    login(Role.COORDINATOR)
    page = client.get(_url(written)).text
    assert "Das Schreiben eigener Briefe ist für diese Kampagne ausgeschaltet." in page and "#einstellungen" not in page


def _similar_column(page: str) -> dict[str, str]:
    """Writer's name → the „Fast gleich“ cell of their row in the letters table."""
    table = page[page.index('id="liste"') : page.index('id="vielfalt"')]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        if len(cells) == 8:
            found[cells[1].split("<br>")[0].strip()] = cells[5].strip()
    return found


def test_the_near_identical_column_agrees_with_the_groups(client, app, written, login):
    # Both written before either was confirmed: when written, neither had a sent letter to resemble.
    for first, address in (("Ğülşen", "guelsen@example.org"), ("Żaneta", "zaneta@example.org")):
        client.post(f"/c/{written.slug}/write", data=write_form(written, first_name=first, email=address))
    for mail in outbox(app, KIND_CONFIRMATION):
        client.post(link_in(mail.raw, "confirm"))
    login(Role.COORDINATOR)
    page = client.get(_url(written)).text
    assert "2 Briefe an Jana Schäfer-Öztürk" in page
    assert _similar_column(page) == {"Ğülşen Ćwikłińska": "1", "Żaneta Ćwikłińska": "1"}
