"""Guessing or reusing confirm and withdraw links (beyond tests/signing/test_links.py, which covers forged,
foreign-key, wrong-purpose, expired confirm and reused confirm links, and confirm links on another campaign).

Here: withdraw links on another campaign, a withdraw link used twice, links after the person was erased, a token
whose payload was swapped under its signature, and one person's links against another person's signature.
"""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from campaign.db import db
from campaign.models import Signature, SignatureStatus, Supporter
from tests.conftest import CampaignCliRunner
from tests.factories_signing import MAIL_FROM, form_data, make_open_letter
from tests.signing.conftest import OpenLetter

INVALID = "Dieser Link ist ungültig"


@pytest.fixture
def letter(app_factory) -> OpenLetter:
    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM)
    with app.app_context():
        campaign = make_open_letter(db.session)
        db.session.commit()
        return OpenLetter(app, campaign.slug, campaign.id)


def _statuses(letter: OpenLetter) -> dict[str, SignatureStatus]:
    with letter.app.app_context():
        rows = db.session.execute(select(Supporter.email, Signature.status).join(Signature.supporter))
        return {email: status for email, status in rows}


def _signed_and_confirmed(letter: OpenLetter, client, email: str) -> dict[str, str]:
    assert client.post(f"/c/{letter.slug}/sign", data=form_data(email=email)).status_code == 302
    links = letter.links()
    assert "ist bestätigt" in client.post(links["confirm"]).get_data(as_text=True)
    return links


def test_a_withdraw_link_withdraws_nothing_on_another_campaign(letter):
    client = letter.app.test_client()
    with letter.app.app_context():
        other = make_open_letter(db.session).slug
        db.session.commit()
    token = _signed_and_confirmed(letter, client, "jana@example.org")["withdraw"].rsplit("/", 1)[1]
    assert INVALID in client.post(f"/c/{other}/withdraw/{token}").get_data(as_text=True)
    assert _statuses(letter) == {"jana@example.org": SignatureStatus.CONFIRMED}


def test_a_withdraw_link_used_twice_changes_nothing_the_second_time(letter):
    client = letter.app.test_client()
    links = _signed_and_confirmed(letter, client, "jana@example.org")
    assert "ist widerrufen" in client.post(links["withdraw"]).get_data(as_text=True)
    again = client.post(links["withdraw"])
    assert again.status_code == 200 and "ist widerrufen" in again.get_data(as_text=True)
    assert "schon verwendet" in client.post(links["confirm"]).get_data(as_text=True)
    assert _statuses(letter) == {"jana@example.org": SignatureStatus.WITHDRAWN}
    assert "0 Mitzeichnungen" in client.get(f"/c/{letter.slug}").get_data(as_text=True)


def test_links_open_nothing_once_the_person_is_erased(letter):
    client = letter.app.test_client()
    links = _signed_and_confirmed(letter, client, "jana@example.org")
    result = CampaignCliRunner(letter.app).invoke(args=["privacy", "erase", "jana@example.org"])
    assert result.exit_code == 0, result.output
    for action in ("confirm", "withdraw"):
        page = client.get(links[action]).get_data(as_text=True)
        assert "Ayşe" not in page and "jana@example.org" not in page
        answer = client.post(links[action]).get_data(as_text=True)
        assert "ist bestätigt" not in answer and "ist widerrufen." not in answer


def test_a_payload_swapped_under_the_signature_is_refused(letter):
    client = letter.app.test_client()
    client.post(f"/c/{letter.slug}/sign", data=form_data(email="jana@example.org"))
    mine = letter.links()["confirm"].rsplit("/", 1)[1]
    client.post(f"/c/{letter.slug}/sign", data=form_data(email="erika@example.org"))
    theirs = letter.links()["confirm"].rsplit("/", 1)[1]
    # itsdangerous: payload.timestamp.signature; graft the other person's payload onto my timestamp and signature.
    swapped = ".".join([theirs.split(".")[0], *mine.split(".")[1:]])
    assert swapped not in (mine, theirs)
    assert INVALID in client.post(f"/c/{letter.slug}/confirm/{swapped}").get_data(as_text=True)
    # A payload made up from scratch (a nonce of the right shape) with a borrowed signature fails too.
    made_up = base64.urlsafe_b64encode(b'"' + b"0" * 40 + b'"').decode().rstrip("=")
    forged = ".".join([made_up, *mine.split(".")[1:]])
    assert INVALID in client.post(f"/c/{letter.slug}/confirm/{forged}").get_data(as_text=True)
    assert set(_statuses(letter).values()) == {SignatureStatus.PENDING}


def test_one_persons_links_touch_only_their_own_signature(letter):
    client = letter.app.test_client()
    _signed_and_confirmed(letter, client, "jana@example.org")
    mine = _signed_and_confirmed(letter, client, "erika@example.org")
    client.post(mine["withdraw"])
    assert _statuses(letter) == {
        "jana@example.org": SignatureStatus.CONFIRMED,
        "erika@example.org": SignatureStatus.WITHDRAWN,
    }


@pytest.mark.parametrize("token", ["", "a", "a.b.c", "." * 200, "x" * 5000, "%00", "..%2F..%2Fetc%2Fpasswd"])
def test_guessed_tokens_of_any_shape_are_invalid_not_errors(letter, token):
    client = letter.app.test_client()
    for action in ("confirm", "withdraw"):
        response = client.post(f"/c/{letter.slug}/{action}/{token}")
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            assert INVALID in response.get_data(as_text=True)
