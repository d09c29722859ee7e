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


def test_a_supporters_letter_from_the_demo_reads_as_one_persons_letter(app, client):
    import re

    from sqlalchemy import select

    from campaign.models import Campaign, Recipient
    from campaign.services.writing.compose import offered_arguments

    with app.app_context():
        seed_demo(db.session)
        db.session.commit()
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == content.CAMPAIGN["slug"]))
        chosen = ",".join(str(argument.id) for argument in offered_arguments(campaign))
        recipient = db.session.scalar(select(Recipient.id).where(Recipient.last_name == "Karadağ"))
    data = {"step": "preview", "postcode": "50667", "recipient": str(recipient), "chosen": chosen}
    page = client.post(f"/c/{content.CAMPAIGN['slug']}/write", data=data).text
    letter = page[page.index('<article class="open-letter">') : page.index("</article>")]
    # The subject names the motion once.
    assert "<header><strong>Leitantrag „NRW, jetzt erst gerecht“ überarbeiten</strong></header>" in letter
    # After the salutation's comma the letter goes on in lower case.
    assert re.search(
        r"Sehr geehrte Frau [^<]*Karadağ,</p>\s*<p>ich schreibe Ihnen zum Antrag „NRW, jetzt erst gerecht“.</p>", letter
    )
    # One person writes: the campaign's paragraphs do not speak for a „wir“.
    assert not re.findall(r"\b(wir|uns|unser\w*)\b", letter, re.IGNORECASE)
