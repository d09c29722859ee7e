"""The same address signing from two processes at the same moment leaves one supporter and one signature
(on SQLite and, with TEST_DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from campaign.db import db
from campaign.models import OutboxMessage, Signature, Supporter
from campaign.services.signing.consent import BUILT_IN_VERSION
from campaign.services.signing.signing import SigningRequest, sign
from tests.conftest import build_app
from tests.factories_signing import MAIL_FROM, make_open_letter
from tests.support.races import run_at_once

ROUNDS = 6


def _signer(database_url: str, instance: str, slug: str, barrier, results) -> None:
    """One process: wait for the other, then sign each round's address and commit."""
    app = build_app(database_url, Path(instance), MAIL_FROM=MAIL_FROM, JOBS_URL="memory://")
    with app.app_context():
        for round_number in range(ROUNDS):
            request = SigningRequest(
                first_name="Zoë",
                last_name="Ñúñez",
                email=f"Gleichzeitig.{round_number}+p@gmail.com",
                postcode="44135",
                city="Dortmund",
                listing="full_name",
                consent_version=BUILT_IN_VERSION,
            )
            barrier.wait(timeout=30)
            outcome = sign(db.session, slug, request, base_url="http://localhost/")
            db.session.commit()
            results.put((round_number, outcome.new))
        db.engine.dispose()


def test_two_processes_signing_with_one_address_make_one_signature(app, tmp_path):
    with app.app_context():
        slug = make_open_letter(db.session).slug
        db.session.commit()
        url = str(db.engine.url.render_as_string(hide_password=False))
    outcomes = run_at_once(_signer, [(url, str(tmp_path / f"p{index}"), slug) for index in range(2)], 2 * ROUNDS)
    for round_number in range(ROUNDS):
        news = [new for number, new in outcomes if number == round_number]
        assert sorted(news) == [False, True]
    with app.app_context():
        assert db.session.scalar(select(func.count(Signature.id))) == ROUNDS
        assert db.session.scalar(select(func.count(Supporter.id))) == ROUNDS
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == ROUNDS
