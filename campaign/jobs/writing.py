"""The questionnaire about supporters' letters, on the workers: every hour, whatever is due goes to the outbox."""

from __future__ import annotations

from datetime import datetime

from huey import crontab

from campaign.db import db
from campaign.jobs import huey
from campaign.jobs.outbox import deliver_due
from campaign.services.writing.questionnaire import QuestionnaireRun, send_questionnaires


def send_due_questionnaires(now: datetime | None = None) -> QuestionnaireRun:
    """Queue the questionnaires and reminders due at `now` (default: now), commit, and deliver them."""
    run = send_questionnaires(db.session, now)
    db.session.commit()
    if run.questionnaires or run.reminders:
        deliver_due()
    return run


@huey.app_periodic_task(crontab(minute="23"))
def questionnaires_hourly() -> None:
    """The scheduled run (a worker that was down catches up: anything overdue is due)."""
    send_due_questionnaires()
