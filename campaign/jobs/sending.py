"""The background job that puts a campaign's approved letters into the outbox (each with its PDF), with progress."""

from __future__ import annotations

from flask import current_app

from campaign.db import db
from campaign.jobs import huey
from campaign.jobs.frame import CampaignJob, run_to_end, start_campaign_job
from campaign.jobs.outbox import deliver_outbox
from campaign.services.common.jobs import finish_job, job_params
from campaign.services.common.translation import N_
from campaign.services.sending.letter_mail import MailSettings
from campaign.services.sending.lifecycle import StepResult, queue_letters

KIND = "letters.queue"
# Letters committed together: each letter's outbox row always lands with its move to QUEUED.
CHUNK = 25


@huey.job_task(KIND)
def queue_letters_job(job_id: int) -> None:
    """Queue the campaign's approved e-mail letters (or those the job's `codes` name); progress committed per chunk."""
    claimed = start_campaign_job(job_id, N_("Briefe werden in den Postausgang gelegt …"))
    if claimed is None:
        return

    def progress(done: int, total: int) -> None:
        if done % CHUNK == 0 or done == total:
            claimed.report(
                done, total, N_("%(done)s von %(total)s Briefen im Postausgang") % {"done": done, "total": total}
            )

    # Only these letters (the follow-ups page queues just its follow-ups), or every approved letter.
    codes = job_params(claimed.job).get("codes")

    def work() -> None:
        settings = MailSettings.from_config(current_app.config)
        # Letters a killed worker already queued are queued, not approved: they are not queued twice.
        result = queue_letters(
            db.session,
            claimed.campaign,
            settings,
            user=claimed.user,
            codes=codes,
            progress=progress,
            required=not claimed.resumed,
        )
        finish_job(db.session, claimed.job, result={"skipped": result.skipped[:50]}, message=_message(result, claimed))

    if run_to_end(claimed, work, unexpected=N_("Unerwarteter Fehler beim Einreihen der Briefe.")):
        deliver_outbox()  # what is due goes out now rather than at the next scheduled run


def _message(result: StepResult, claimed: CampaignJob) -> str:
    """The finished job's message, in German (shown in the viewer's language); one msgid for each case.

    Counts come after a colon („Briefe im Postausgang: 1.“), which reads right for any number in both languages.
    """
    values = {"done": len(result.done), "skipped": len(result.skipped)}
    if result.skipped and claimed.resumed:
        message = N_(
            "Briefe im Postausgang: %(done)s, übersprungen: %(skipped)s. Nach dem Ausfall eines Job-Workers "
            "fortgesetzt; zuvor eingereihte Briefe blieben unverändert."
        )
    elif claimed.resumed:
        message = N_(
            "Briefe im Postausgang: %(done)s. Nach dem Ausfall eines Job-Workers fortgesetzt; zuvor eingereihte "
            "Briefe blieben unverändert."
        )
    elif result.skipped:
        message = N_("Briefe im Postausgang: %(done)s, übersprungen: %(skipped)s.")
    else:
        message = N_("Briefe im Postausgang: %(done)s.")
    return message % values
