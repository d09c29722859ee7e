"""The team's signature screens: search and states, removal as spam with an audited reason, handover download,
consent versions."""

from __future__ import annotations

from sqlalchemy import select

from campaign.db import db
from campaign.models import AuditEvent, Campaign, ConsentText, Role, SignatureStatus
from campaign.services.signing.counts import confirmed_count
from tests.factories_signing import make_signature


def _signatures(letter):
    with letter.app.app_context():
        campaign = db.session.get(Campaign, letter.id)
        spam = make_signature(db.session, campaign, first_name="Xx", last_name="Spammer", city="Nirgendwo")
        make_signature(db.session, campaign, first_name="Ömer", last_name="Yılmaz", city="Düsseldorf")
        make_signature(db.session, campaign, first_name="Lena", last_name="Offen", status=SignatureStatus.PENDING)
        db.session.commit()
        return spam.id


def test_coordinator_searches_filters_and_removes_spam_with_a_reason(client, letter, login):
    spam_id = _signatures(letter)
    login(Role.COORDINATOR)
    page = client.get(f"/organise/campaigns/{letter.slug}/signatures").get_data(as_text=True)
    assert "Ömer Yılmaz" in page and "Lena Offen" in page
    page = client.get(f"/organise/campaigns/{letter.slug}/signatures?q=düsseldorf").get_data(as_text=True)
    assert "Ömer Yılmaz" in page and "Spammer" not in page
    # Case beyond ASCII, on SQLite too; the user's wildcards are plain characters.
    page = client.get(f"/organise/campaigns/{letter.slug}/signatures?q=ÖMER").get_data(as_text=True)
    assert "Ömer Yılmaz" in page and "Spammer" not in page
    page = client.get(f"/organise/campaigns/{letter.slug}/signatures?q=_").get_data(as_text=True)
    assert "Yılmaz" not in page and "Spammer" not in page
    page = client.get(f"/organise/campaigns/{letter.slug}/signatures?status=pending").get_data(as_text=True)
    assert "Lena Offen" in page and "Yılmaz" not in page
    url = f"/organise/campaigns/{letter.slug}/signatures/{spam_id}/remove"
    refused = client.post(url, data={"reason": ""}, follow_redirects=True)
    assert "Bitte einen Grund angeben" in refused.get_data(as_text=True)
    client.post(url, data={"reason": "Spam: Fantasiename"})
    with letter.app.app_context():
        assert confirmed_count(db.session, letter.id) == 1
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signature.remove"))
        assert event.details["reason"] == "Spam: Fantasiename"
    assert "Spammer" not in client.get(f"/c/{letter.slug}").get_data(as_text=True)


def test_handover_download_and_consent_versions(client, letter, login):
    _signatures(letter)
    login(Role.ORGANISER)
    response = client.post(f"/organise/campaigns/{letter.slug}/signatures/handover", data={"format": "csv"})
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "Yılmaz" in response.data.decode("utf-8-sig") and "SHA-256-Fingerabdruck" in response.data.decode()
    assert client.get("/organise/consent").status_code == 200
    duplicate = client.post("/organise/consent", data={"version": "2026-12-01", "text": "Text"})
    assert duplicate.status_code == 400 and "gibt es schon" in duplicate.get_data(as_text=True)
    client.post("/organise/consent", data={"version": "2027-01", "text": "Neue Einwilligung zu Art. 9."})
    page = client.get(f"/c/{letter.slug}").get_data(as_text=True)
    assert "Neue Einwilligung zu Art. 9." in page and 'value="2027-01"' in page


def test_a_missing_text_and_a_taken_version_come_in_one_answer(client, letter, login):
    login(Role.ORGANISER)
    response = client.post("/organise/consent", data={"version": "2026-12-01", "text": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bitte den Text angeben." in page and "gibt es schon" in page
    client.post("/organise/consent", data={"version": "Łódź-ß", "text": "é"})
    response = client.post("/organise/consent", data={"version": "Łódź-ß", "text": "é" * 5001})
    assert response.status_code == 400 and "gibt es schon" in response.get_data(as_text=True)
    with letter.app.app_context():
        assert list(db.session.scalars(select(ConsentText.version).order_by(ConsentText.id)))[-1] == "Łódź-ß"


def test_supporters_cannot_see_the_team_screens(client, letter):
    assert client.get(f"/organise/campaigns/{letter.slug}/signatures").status_code == 302
    assert client.post("/organise/consent", data={"version": "x", "text": "y"}).status_code == 302
