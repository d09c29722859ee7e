"""Reference codes: prefixes per campaign and year, numbers from the counter row, never one code twice at once."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from campaign.models import ReferenceCounter
from campaign.services.letters.references import allocate_reference_codes, reference_prefix
from tests.conftest import TEST_DATABASE_URL, require_service
from tests.factories import make_campaign
from tests.support.races import run_at_once

# Each process allocates this many times, 1 to 3 codes at a time, each in its own transaction.
ROUNDS = 40
PROCESSES = 2


@pytest.mark.parametrize(
    ("slug", "prefix"),
    [
        ("nrw-jetzt-erst-gerecht", "NRW-2026"),
        ("Grundsicherung_2026", "GRUNDSIC-2026"),
        ("---", "BRIEF-2026"),
    ],
)
def test_the_prefix_is_the_slugs_first_word_and_the_year(db_session, slug, prefix):
    campaign = make_campaign(db_session)
    campaign.slug = slug
    assert reference_prefix(campaign, date(2026, 3, 2)) == prefix


def test_numbers_continue_from_the_counter_per_prefix(db_session):
    db_session.add(ReferenceCounter(prefix="NRW-2026", last_number=41))
    db_session.flush()
    assert allocate_reference_codes(db_session, "NRW-2026", 2) == ["NRW-2026-0042", "NRW-2026-0043"]
    assert allocate_reference_codes(db_session, "NRW-2027", 1) == ["NRW-2027-0001"]
    assert allocate_reference_codes(db_session, "NRW-2026", 0) == []
    assert allocate_reference_codes(db_session, "NRW-2026", 1) == ["NRW-2026-0044"]
    assert db_session.get(ReferenceCounter, "NRW-2026").last_number == 44


def _allocate(url: str, prefix: str, start: multiprocessing.synchronize.Barrier, results: multiprocessing.Queue):
    """In a process of its own: allocate codes in many short transactions, as concurrent runs would."""
    engine = sa.create_engine(url)
    codes: list[str] = []
    try:
        start.wait(timeout=60)
        for round_number in range(ROUNDS):
            with Session(engine) as session, session.begin():
                codes.extend(allocate_reference_codes(session, prefix, 1 + round_number % 3))
        results.put(codes)
    except Exception as exc:  # reported to the test, which fails with it
        results.put(repr(exc))
    finally:
        engine.dispose()


def _race(url: str, prefix: str) -> list[str]:
    """The codes `PROCESSES` processes got when allocating at the same time."""
    outcomes = run_at_once(_allocate, [(url, prefix)] * PROCESSES, PROCESSES)
    failures = [outcome for outcome in outcomes if isinstance(outcome, str)]
    assert not failures, failures
    return [code for outcome in outcomes for code in outcome]


def _assert_each_code_once(codes: list[str], prefix: str) -> None:
    expected = PROCESSES * sum(1 + round_number % 3 for round_number in range(ROUNDS))
    assert len(codes) == expected
    assert len(set(codes)) == len(codes), "a code was handed out twice"
    assert sorted(codes) == [f"{prefix}-{number:04d}" for number in range(1, expected + 1)]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_processes_never_share_a_code(tmp_path, migrated_database, backend):
    prefix = "RACE-2026"
    if backend == "postgresql":
        require_service(bool(TEST_DATABASE_URL), "PostgreSQL (TEST_DATABASE_URL)")
        url = migrated_database
    else:
        url = f"sqlite:///{tmp_path / 'zeichen.sqlite3'}"  # a file both processes open, whatever the suite runs on
    engine = sa.create_engine(url)
    ReferenceCounter.__table__.create(engine, checkfirst=True)
    forget = sa.delete(ReferenceCounter).where(ReferenceCounter.prefix == prefix)
    try:
        with engine.begin() as connection:
            connection.execute(forget)
        _assert_each_code_once(_race(url, prefix), prefix)
    finally:
        with engine.begin() as connection:
            connection.execute(forget)
        engine.dispose()
