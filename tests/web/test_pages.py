"""Page polish: counts in the singular and plural, the tracking page's way into each campaign, and the favicon."""

from __future__ import annotations

from campaign.db import db
from campaign.models import Role, Signature, SignatureStatus, Supporter
from campaign.services.signing import counts
from tests.factories import make_campaign, make_motion, make_recipient
from tests.factories_arguments import make_argument, make_argument_set, make_provision
from tests.factories_recipients import make_list


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_overview_counts_one_as_one(app, client, login):
    with app.app_context():
        one, two = make_motion(db.session, party="SPD"), make_motion(db.session, party="SPD")
        make_provision(db.session, one)
        make_provision(db.session, two), make_provision(db.session, two)
        argument_set = make_argument_set(db.session, title="Ein Set")
        make_argument(db.session, argument_set)
        make_recipient(db.session)
        db.session.commit()
    login()
    page = _text(client.get("/organise/"))
    assert "SPD, 1 Kernpunkt</li>" in page and "SPD, 2 Kernpunkte</li>" in page
    assert "Ein Set</a> – 1 Argument</li>" in page
    assert ">1 Empfänger:in</a>" in page
    assert "1 Argumente" not in page and "1 Kernpunkte" not in page


def test_motion_and_provision_pages_count_one_as_one(app, client, login):
    with app.app_context():
        motion = make_motion(db.session, full_text="Eine einzige Zeile.")
        provision = make_provision(db.session, motion, line_from=1, line_to=1)
        make_argument(db.session, provisions=[provision])
        argument_set = make_argument_set(db.session)
        make_argument(db.session, argument_set)
        db.session.commit()
        urls = (f"/organise/motions/{motion.id}", f"/organise/motions/{motion.id}/provisions/{provision.id}/edit")
        set_url = f"/organise/argument-sets/{argument_set.id}"
    login()
    assert "1 nummerierte Zeile<" in _text(client.get(urls[0]))
    assert "Ein Argument ist mit diesem Kernpunkt verknüpft" in _text(client.get(urls[1]))
    assert "1 von 1 Argument<" in _text(client.get(set_url))


def test_recipient_pages_count_one_as_one(app, client, login):
    with app.app_context():
        person = make_recipient(db.session, kommune="Bonn")
        list_id = make_list(db.session, "Vorstand", [person]).id
        db.session.commit()
    login()
    assert "1 Empfänger:in, angezeigt 1–1." in _text(client.get("/organise/recipients"))
    assert "1 Mitglied." in _text(client.get(f"/organise/recipients/lists/{list_id}"))
    deleting = _text(client.get(f"/organise/recipients/lists/{list_id}/delete"))
    assert "Ihr Mitglied bleibt als Empfänger:in erhalten." in deleting
    added = client.post("/organise/recipients/bulk-add?kommune=Bonn", data={"list_id": "", "new_list": "Bonn"})
    assert "1 Empfänger:in zur Liste „Bonn“ hinzugefügt (0 waren schon darauf)." in _text(
        client.get(added.headers["Location"])
    )


def test_public_pages_count_one_signature_as_one(app, client):
    with app.app_context():
        campaign = make_campaign(db.session)
        supporter = Supporter(email="jana@example.org", email_canonical="jana@example.org", first_name="Jana")
        db.session.add(
            Signature(
                campaign=campaign,
                supporter=supporter,
                status=SignatureStatus.CONFIRMED,
                consent_version="v1",
                confirm_token_hash="c1",
                withdraw_token_hash="w1",
            )
        )
        # A confirmation adds to the campaign's counter (services.signing.counts); the pages read that.
        counts.add(db.session, campaign.id, 1)
        db.session.commit()
        slug = campaign.slug
    for url in ("/", f"/c/{slug}"):
        page = _text(client.get(url))
        assert "1 Mitzeichnung<" in page or "1 Mitzeichnung\n" in page, url
        assert "1 Mitzeichnungen" not in page


def test_the_tracking_page_leads_to_each_campaigns_board_and_its_letters(app, client, login):
    with app.app_context():
        campaign = make_campaign(db.session)
        db.session.commit()
        slug, title = campaign.slug, campaign.title
    login(Role.COORDINATOR)
    page = _text(client.get("/track/"))
    assert f'<a href="/track/campaigns/{slug}/letters">{title}</a>' in page
    assert f'<a href="/organise/campaigns/{slug}/letters">Vorlagen und Briefe</a>' in page
    assert "Wer geantwortet hat und wie" in page
    assert client.get(f"/organise/campaigns/{slug}/letters").status_code == 200
    assert client.get(f"/track/campaigns/{slug}/letters").status_code == 200


def test_the_tracking_page_without_campaigns_says_where_to_start(client, login):
    login(Role.COORDINATOR)
    page = _text(client.get("/track/"))
    assert "Noch keine Kampagnen." in page and 'href="/organise/"' in page and "<table" not in page


def test_the_favicon_is_served_and_linked_from_every_page(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    svg = client.get("/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    page = _text(client.get("/auth/login"))
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/favicon.ico"' in page
    touch = client.get("/static/apple-touch-icon.png")
    assert touch.status_code == 200 and touch.mimetype == "image/png"
    touch.close()
