"""The same writer sending a letter to the same person from two processes at the same moment leaves one letter
(on SQLite and, with TEST_DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from campaign.db import db, writing_transactions
from campaign.models import Campaign, SupporterLetter
from campaign.services.writing.compose import Writer
from campaign.services.writing.letters import LETTER_CONSENT, Draft, Submission, submit
from tests.conftest import build_app
from tests.factories_writing import MAIL_FROM, make_writing_campaign
from tests.support.races import run_at_once

ROUNDS = 4


def _writer(database_url: str, instance: str, campaign_id: int, found: tuple[int, int], barrier, results) -> None:
    """One process: wait for the other, then send each round's letter and commit (as a web request does)."""
    app = build_app(database_url, Path(instance), MAIL_FROM=MAIL_FROM, JOBS_URL="memory://")
    with app.app_context(), writing_transactions():
        for round_number in range(ROUNDS):
            submission = Submission(
                draft=Draft(
                    recipient_id=found[0], lookup_postcode="50667", argument_ids=(found[1],), own_text="Grüße, Zoë."
                ),
                writer=Writer(
                    first_name="Zoë",
                    last_name="Ñúñez",
                    email=f"Gleichzeitig.{round_number}@example.org",
                    street="Fliederweg 3",
                    postcode="50667",
                    city="Köln",
                ),
                delivery="email",
                consent_version=LETTER_CONSENT.version,
            )
            barrier.wait(timeout=30)
            campaign = db.session.get(Campaign, campaign_id)
            submitted = submit(db.session, campaign, submission, site_url="http://localhost/")
            db.session.commit()
            results.put((round_number, submitted.replaced))
        db.engine.dispose()


def test_two_processes_writing_the_same_letter_make_one(app, tmp_path):
    with app.app_context():
        found = make_writing_campaign(db.session)
        db.session.commit()
        url = str(db.engine.url.render_as_string(hide_password=False))
    chosen = (found.local_id, found.argument_ids[0])
    outcomes = run_at_once(
        _writer, [(url, str(tmp_path / f"p{index}"), found.campaign_id, chosen) for index in range(2)], 2 * ROUNDS
    )
    for round_number in range(ROUNDS):
        assert sorted(replaced for number, replaced in outcomes if number == round_number) == [False, True]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SupporterLetter)) == ROUNDS
