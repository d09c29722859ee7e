"""Jobs into the queue by id: after the commit that created them, when a user retries them, and by the sweep.

The sweep runs when a worker starts and every minute on every worker (a Huey periodic task). It hands
running jobs whose worker died back to the queue, and enqueues queued jobs whose task never reached the
queue (the process that created them stopped between its commit and the enqueue).
"""

from __future__ import annotations

from typing import Any

from huey import crontab

# Imported for their tasks: letter jobs, the scheduled outbox delivery, the poll of the replies mailbox, queueing,
# the daily privacy purge, the questionnaire about supporters' letters.
import campaign.jobs.letters
import campaign.jobs.outbox
import campaign.jobs.privacy
import campaign.jobs.replies
import campaign.jobs.sending
import campaign.jobs.writing  # noqa: F401
from campaign.db import db
from campaign.jobs import huey
from campaign.models import Job
from campaign.services.common.jobs import SweepResult, sweep_jobs


def enqueue_job(job_id: int) -> Any:
    """Put the task of a committed job into the queue (with JOBS_URL=immediate: run it right here)."""
    job = db.session.get(Job, job_id)
    if job is None:
        return None
    task = huey.job_tasks.get(job.kind)
    if task is None:
        raise LookupError(f"Für Aufträge der Art „{job.kind}“ gibt es keinen Hintergrund-Task.")
    if huey.immediate:
        # The task runs right here: its first transaction must begin with the write lock, not continue this read.
        db.session.commit()
    return task(job_id)


def pending_job_ids() -> set[int]:
    """The ids of jobs whose task waits in the queue (their row may look stale, but a worker will come)."""
    job_tasks = tuple(task.task_class for task in huey.job_tasks.values())
    return {task.args[0] for task in huey.pending() if isinstance(task, job_tasks) and task.args}


def sweep() -> SweepResult:
    """Requeue or fail jobs that lost their worker, commit, then enqueue every job that needs a task."""
    session = db.session
    result = sweep_jobs(session, pending=pending_job_ids())
    session.commit()
    for job_id in result.to_enqueue:
        enqueue_job(job_id)
    return result


@huey.app_periodic_task(crontab(minute="*"))
def sweep_jobs_task() -> dict[str, list[int]]:
    """The sweep, every minute on every worker (sweeps running at once skip what another one holds)."""
    result = sweep()
    return {"requeued": result.requeued, "failed": result.failed, "enqueued": result.to_enqueue}
