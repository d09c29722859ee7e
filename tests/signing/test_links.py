"""Confirm and withdraw links: GET changes nothing, POST does, once; forged, expired, reused and foreign tokens."""

from __future__ import annotations

import time

from sqlalchemy import select

from campaign.db import db
from campaign.models import Signature, SignatureStatus, StateChange
from campaign.services.signing import tokens
from tests.factories_signing import form_data


def _status(letter) -> SignatureStatus:
    with letter.app.app_context():
        return db.session.scalar(select(Signature.status))


def _json_count(client, slug) -> int:
    response = client.get(f"/api/v1/campaigns/{slug}")
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"] and response.headers["ETag"]
    return response.get_json()["confirmed_signatures"]


def test_get_shows_a_button_only_post_confirms_and_the_count_rises_then_falls(client, letter):
    client.post(f"/c/{letter.slug}/sign", data=form_data())
    links = letter.links()
    page = client.get(links["confirm"])
    assert page.status_code == 200 and "Mitzeichnung bestätigen" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert _status(letter) is SignatureStatus.PENDING and _json_count(client, letter.slug) == 0
    done = client.post(links["confirm"])
    assert "ist bestätigt" in done.get_data(as_text=True)
    assert _status(letter) is SignatureStatus.CONFIRMED
    assert _json_count(client, letter.slug) == 1
    assert "1 Mitzeichnung" in client.get(f"/c/{letter.slug}").get_data(as_text=True)
    # Confirming again changes nothing and counts nothing twice.
    assert "ist bestätigt" in client.post(links["confirm"]).get_data(as_text=True)
    assert _json_count(client, letter.slug) == 1
    assert "Ayşe Doğan, Köln" in client.get(f"/c/{letter.slug}").get_data(as_text=True)
    # Withdrawing: out of the count and the list at once.
    assert "widerrufen" in client.get(links["withdraw"]).get_data(as_text=True)
    assert _status(letter) is SignatureStatus.CONFIRMED
    assert "ist widerrufen" in client.post(links["withdraw"]).get_data(as_text=True)
    assert _json_count(client, letter.slug) == 0
    page = client.get(f"/c/{letter.slug}").get_data(as_text=True)
    assert "Ayşe Doğan" not in page and "0 Mitzeichnungen" in page
    # A reused confirm link does not bring the signature back.
    assert "schon verwendet" in client.post(links["confirm"]).get_data(as_text=True)
    assert _status(letter) is SignatureStatus.WITHDRAWN and _json_count(client, letter.slug) == 0
    with letter.app.app_context():
        moves = db.session.scalars(
            select(StateChange.to_status).where(StateChange.object_type == "Signature").order_by(StateChange.id)
        )
        assert list(moves) == ["confirmed", "withdrawn"]


def test_forged_and_foreign_tokens_confirm_nothing(client, letter):
    client.post(f"/c/{letter.slug}/sign", data=form_data())
    links = letter.links()
    confirm_token = links["confirm"].rsplit("/", 1)[1]
    withdraw_token = links["withdraw"].rsplit("/", 1)[1]
    forged = confirm_token[:-3] + ("AAA" if not confirm_token.endswith("AAA") else "BBB")
    for token in (forged, "nur-text", withdraw_token):  # a withdraw token is no confirm token
        response = client.post(f"/c/{letter.slug}/confirm/{token}")
        assert "ungültig" in response.get_data(as_text=True)
    # A token of the right purpose, signed with another key.
    other = tokens.issue("ein-anderer-schluessel", tokens.CONFIRM, f"{letter.id}:x@example.org").token
    assert "ungültig" in client.post(f"/c/{letter.slug}/confirm/{other}").get_data(as_text=True)
    assert "ungültig" in client.post(f"/c/{letter.slug}/withdraw/{confirm_token}").get_data(as_text=True)
    assert _status(letter) is SignatureStatus.PENDING


def test_an_expired_confirm_link_says_so_and_confirms_nothing(app_factory):
    from tests.factories_signing import MAIL_FROM, make_open_letter
    from tests.signing.conftest import OpenLetter

    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, UNCONFIRMED_SIGNATURE_DAYS=0)
    with app.app_context():
        campaign = make_open_letter(db.session)
        db.session.commit()
        letter = OpenLetter(app, campaign.slug, campaign.id)
    client = app.test_client()
    client.post(f"/c/{letter.slug}/sign", data=form_data())
    time.sleep(1.1)  # itsdangerous counts whole seconds
    response = client.post(letter.links()["confirm"])
    assert "abgelaufen" in response.get_data(as_text=True)
    assert _status(letter) is SignatureStatus.PENDING


def test_withdrawing_before_confirming_ends_the_pending_signature(client, letter):
    client.post(f"/c/{letter.slug}/sign", data=form_data())
    links = letter.links()
    client.post(links["withdraw"])
    assert _status(letter) is SignatureStatus.WITHDRAWN
    assert "schon verwendet" in client.post(links["confirm"]).get_data(as_text=True)
    assert _json_count(client, letter.slug) == 0


def test_links_of_one_campaign_open_nothing_on_another(client, letter):
    from tests.factories_signing import make_open_letter

    with letter.app.app_context():
        other = make_open_letter(db.session).slug
        db.session.commit()
    client.post(f"/c/{letter.slug}/sign", data=form_data())
    token = letter.links()["confirm"].rsplit("/", 1)[1]
    assert "ungültig" in client.post(f"/c/{other}/confirm/{token}").get_data(as_text=True)
    assert _status(letter) is SignatureStatus.PENDING


def test_a_second_mail_after_the_interval_carries_working_links(client, letter):
    from datetime import timedelta

    client.post(f"/c/{letter.slug}/sign", data=form_data(email="erika@example.org"))
    with letter.app.app_context():
        signature = db.session.scalar(select(Signature))
        signature.confirmation_sent_at -= timedelta(minutes=11)
        db.session.commit()
    client.post(f"/c/{letter.slug}/sign", data=form_data(email="Erika@example.org"))
    assert len(letter.mails()) == 2
    # The first mail's link still works after the second was sent.
    client.post(letter.links(0)["confirm"])
    assert _status(letter) is SignatureStatus.CONFIRMED
