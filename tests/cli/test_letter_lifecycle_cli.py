"""`campaign letters generate|approve|queue`: the lifecycle for scripts, with one-line German errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.db import db
from campaign.models import Letter, LetterStatus, OutboxMessage
from campaign.services.sending.lifecycle import sending_settings
from tests.factories import make_user
from tests.services.sending.helpers import email_campaign


@pytest.fixture
def campaign(app):
    with app.app_context():
        found, _people = email_campaign(2)
        yield found


def _statuses() -> list[LetterStatus]:
    db.session.expire_all()
    return list(db.session.scalars(select(Letter.status).order_by(Letter.reference_code)))


def test_generate_approve_and_queue_for_a_later_time(app, runner, campaign):
    generated = runner.invoke(args=["letters", "generate", campaign.slug])
    assert generated.exit_code == 0, generated.output
    assert "2 Briefe erzeugt" in generated.output and _statuses() == [LetterStatus.DRAFT] * 2
    approved = runner.invoke(args=["letters", "approve", campaign.slug, "--all"])
    assert approved.exit_code == 0 and "2 Briefe freigegeben" in approved.output
    queued = runner.invoke(args=["letters", "queue", campaign.slug, "--at", "2099-05-01 09:30"])
    assert queued.exit_code == 0, queued.output
    assert _statuses() == [LetterStatus.QUEUED] * 2
    due = db.session.scalars(select(OutboxMessage.next_attempt_at)).all()
    assert {moment.isoformat() for moment in due} == {"2099-05-01T07:30:00"}  # 09:30 in summer in Germany, as UTC
    status = runner.invoke(args=["outbox", "status"])
    assert "wartet: 2" in status.output
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0  # nothing is due yet
    assert _statuses() == [LetterStatus.QUEUED] * 2


def test_approving_single_letters_by_code(runner, campaign):
    runner.invoke(args=["letters", "generate", campaign.slug])
    code = db.session.scalars(select(Letter.reference_code).order_by(Letter.reference_code)).first()
    result = runner.invoke(args=["letters", "approve", campaign.slug, "--code", code])
    assert result.exit_code == 0 and _statuses() == [LetterStatus.APPROVED, LetterStatus.DRAFT]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["letters", "generate", "gibt-es-nicht"], "Keine Kampagne mit dem Kürzel „gibt-es-nicht“."),
        (["letters", "approve", "{slug}"], "Bitte entweder --all oder einzelne Briefe mit --code angeben."),
        (["letters", "approve", "{slug}", "--all", "--code", "X"], "Bitte entweder --all oder einzelne Briefe"),
        (["letters", "approve", "{slug}", "--all"], "Es gibt keine Entwürfe"),
        (["letters", "approve", "{slug}", "--code", "NRW-0000-9999"], "keinen Brief mit dem Zeichen NRW-0000-9999"),
        (["letters", "queue", "{slug}", "--at", "morgen früh"], "--at „morgen früh“ ist kein Zeitpunkt"),
        (["letters", "queue", "{slug}", "--at", "2001-01-01 10:00"], "Vergangenheit"),
        (["letters", "queue", "{slug}"], "Keine freigegebenen E-Mail-Briefe: Bitte zuerst Briefe freigeben."),
        (["letters", "generate", "{slug}", "--as", "ğüß@example.org"], "Kein aktives Benutzerkonto"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(runner, campaign, args, message):
    result = runner.invoke(args=[arg.format(slug=campaign.slug) for arg in args])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Fehler: ") and message in lines[0], result.output
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_four_eyes_needs_a_second_account(runner, campaign):
    author = make_user(db.session, email="autorin@example.org")
    make_user(db.session, email="zweite@example.org")
    sending_settings(db.session, campaign).require_second_approver = True
    db.session.commit()
    runner.invoke(args=["letters", "generate", campaign.slug, "--as", author.email])
    refused = runner.invoke(args=["letters", "approve", campaign.slug, "--all"])
    assert refused.exit_code == 1 and "zweite Person" in refused.output
    same = runner.invoke(args=["letters", "approve", campaign.slug, "--all", "--as", "AUTORIN@example.org"])
    assert same.exit_code == 1 and "zweite Person" in same.output
    second = runner.invoke(args=["letters", "approve", campaign.slug, "--all", "--as", "zweite@example.org"])
    assert second.exit_code == 0 and _statuses() == [LetterStatus.APPROVED] * 2
