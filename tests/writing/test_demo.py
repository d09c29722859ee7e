"""The demo campaign is open for writing: its postcode table finds the demo recipients of a town."""

from __future__ import annotations

from campaign.db import db
from campaign.demo import content
from campaign.services.demo import seed_demo


def test_the_demo_finds_the_recipients_of_a_demo_town(app, client):
    with app.app_context():
        first = seed_demo(db.session)
        db.session.commit()
        assert first.created["PostcodeArea"] > 400
        assert "PostcodeArea" not in seed_demo(db.session).created  # seeding again adds nothing
        db.session.commit()
    slug = content.CAMPAIGN["slug"]
    assert "eigenen Brief" in client.get(f"/c/{slug}").text
    found = client.post(f"/c/{slug}/write", data={"step": "recipients", "postcode": "50667"})
    assert found.status_code == 200
    assert "Zuständig für die Postleitzahl 50667" in found.text and "Ayşe Karadağ" in found.text
    elsewhere = client.post(f"/c/{slug}/write", data={"step": "recipients", "postcode": "01067"})
    assert "niemanden gefunden" in elsewhere.text and "Für alle Unterstützer:innen offen" in elsewhere.text
