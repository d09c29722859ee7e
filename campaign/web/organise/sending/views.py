"""/organise/campaigns/<slug>/sending: counts, approval, queue, schedule, pause, retry, cancel, paper, bounces."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.jobs.outbox import deliver_outbox
from campaign.jobs.sending import KIND as QUEUE_JOB
from campaign.jobs.sending import queue_letters_job
from campaign.models import LetterStatus, Recipient
from campaign.services.common.dates import german_time_to_utc, today_in_germany, utc_to_german_time
from campaign.services.common.jobs import active_job
from campaign.services.sending import lifecycle, offline
from campaign.services.sending.letter_mail import MailSettings
from campaign.services.sending.lifecycle import StepResult
from campaign.services.sending.overview import sending_overview
from campaign.web.boundary import after_commit, on_error_back_to
from campaign.web.datetimes import local_time
from campaign.web.forms import ConfirmForm, submitted_or_back
from campaign.web.lookup import campaign_or_404
from campaign.web.organise.jobs.forms import GenerateLettersForm
from campaign.web.organise.sending.forms import AddressForm, DeliveredForm, ScheduleForm, SendingSettingsForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("sending", __name__, url_prefix="/campaigns/<slug>/sending")
BACK = "organise.sending.index"


def _back(slug: str, anchor: str | None = None):
    return redirect(url_for(BACK, slug=slug, _anchor=anchor))


def _report(result: StepResult, message: str) -> None:
    """One flash for what was done, one listing what was left alone."""
    flash(message % {"count": len(result.done)}, "success")
    if result.skipped:
        flash(_("Übersprungen: %(lines)s", lines="; ".join(result.skipped[:10])), "info")


@bp.get("")
def index(slug: str):
    campaign = campaign_or_404(slug)
    overview = sending_overview(db.session, campaign)
    settings = overview.settings
    send_at = utc_to_german_time(settings.send_at) if settings.send_at else None
    return render_template(
        "organise/sending/index.html",
        campaign=campaign,
        overview=overview,
        statuses=list(LetterStatus),
        can_write=has_role(*WRITERS),
        settings_form=SendingSettingsForm(obj=settings),
        schedule_form=ScheduleForm(data={"send_at": send_at}),
        delivered_form=DeliveredForm(data={"on": today_in_germany()}),
        address_form=AddressForm(),
        action_form=ConfirmForm(),
        generate_form=GenerateLettersForm(data={"format": "merged"}),
        queue_job=active_job(db.session, QUEUE_JOB, campaign),
    )


def _campaign_and_form(slug: str, form_class, check=None):
    """The campaign and its submitted form; a form that fails validation (or CSRF) changes nothing, and its message
    names the mistakes `check` (the service's check of the form) finds as well."""
    return campaign_or_404(slug), submitted_or_back(form_class, BACK, check=check, slug=slug)


@bp.post("/settings")
@role_required(*WRITERS)
@on_error_back_to(BACK)
def settings(slug: str):
    campaign, form = _campaign_and_form(slug, SendingSettingsForm)
    lifecycle.update_settings(
        db.session,
        campaign,
        require_second_approver=form.require_second_approver.data,
        attach_pdf=form.attach_pdf.data,
        user=acting_user(),
    )
    flash(_("Die Versandeinstellungen sind gespeichert."), "success")
    return _back(slug)


@bp.post("/approve")
@role_required(*WRITERS)
@on_error_back_to(BACK)
def approve(slug: str):
    campaign, _form = _campaign_and_form(slug, ConfirmForm)
    result = lifecycle.approve_letters(db.session, campaign, user=acting_user())
    _report(result, _("%(count)s Briefe freigegeben."))
    return _back(slug)


@bp.post("/queue")
@role_required(*WRITERS)
@on_error_back_to(BACK)
def queue(slug: str):
    """Queue in the background (each letter's PDF is made now), then show the job's progress."""
    campaign, _form = _campaign_and_form(slug, ConfirmForm)
    running = active_job(db.session, QUEUE_JOB, campaign)
    if running is not None:
        return redirect(url_for("organise.jobs.show", job_id=running.id))
    job = lifecycle.start_queue_job(db.session, campaign, QUEUE_JOB, user=acting_user())
    after_commit(queue_letters_job, job.id)
    flash(_("Die freigegebenen Briefe werden in den Postausgang gelegt."), "success")
    return redirect(url_for("organise.jobs.show", job_id=job.id))


@bp.post("/schedule")
@role_required(*WRITERS)
@on_error_back_to(BACK, "zeitplan")
def schedule(slug: str):
    campaign, form = _campaign_and_form(slug, ScheduleForm)
    at = german_time_to_utc(form.send_at.data) if form.send_at.data else None
    lifecycle.schedule(db.session, campaign, at, user=acting_user())
    if at is None:
        after_commit(deliver_outbox)
        flash(_("Die Briefe werden so bald wie möglich versandt."), "success")
    else:
        flash(_("Versand frühestens am %(when)s.", when=local_time(at)), "success")
    return _back(slug, "zeitplan")


@bp.post("/pause")
@role_required(*WRITERS)
@on_error_back_to(BACK)
def pause(slug: str):
    campaign, _form = _campaign_and_form(slug, ConfirmForm)
    lifecycle.set_paused(db.session, campaign, True, user=acting_user())
    flash(_("Der Versand ist angehalten. Bereits versandte Briefe bleiben versandt."), "success")
    return _back(slug)


@bp.post("/resume")
@role_required(*WRITERS)
@on_error_back_to(BACK)
def resume(slug: str):
    campaign, _form = _campaign_and_form(slug, ConfirmForm)
    lifecycle.set_paused(db.session, campaign, False, user=acting_user())
    after_commit(deliver_outbox)
    flash(_("Der Versand läuft weiter."), "success")
    return _back(slug)


@bp.post("/retry")
@role_required(*WRITERS)
@on_error_back_to(BACK)
def retry(slug: str):
    campaign, _form = _campaign_and_form(slug, ConfirmForm)
    result = lifecycle.retry_failed(db.session, campaign, user=acting_user())
    after_commit(deliver_outbox)
    _report(result, _("%(count)s Briefe werden erneut versandt."))
    return _back(slug)


@bp.post("/cancel")
@role_required(*WRITERS)
@on_error_back_to(BACK)
def cancel(slug: str):
    campaign, _form = _campaign_and_form(slug, ConfirmForm)
    result = lifecycle.cancel_queued(db.session, campaign, user=acting_user())
    _report(result, _("%(count)s Briefe aus der Warteschlange genommen; sie bleiben freigegeben."))
    return _back(slug)


@bp.post("/delivered")
@role_required(*WRITERS)
@on_error_back_to(BACK, "papier")
def delivered(slug: str):
    campaign, form = _campaign_and_form(
        slug, DeliveredForm, lambda form: offline.check_delivery(form.how.data or "", form.on.data, _codes(form))
    )
    result = offline.mark_delivered(
        db.session, campaign, how=form.how.data, on=form.on.data, codes=_codes(form), user=acting_user()
    )
    flash(
        ngettext("%(num)s Brief als versandt vermerkt.", "%(num)s Briefe als versandt vermerkt.", len(result.done)),
        "success",
    )
    return _back(slug, "papier")


def _codes(form: DeliveredForm) -> list[str] | None:
    """The ticked letters; None for none (posting then means every printed one)."""
    return list(form.letters.data or []) or None


@bp.post("/address/<int:recipient_id>")
@role_required(*WRITERS)
@on_error_back_to(BACK, "unzustellbar")
def correct_address(slug: str, recipient_id: int):
    campaign, form = _campaign_and_form(slug, AddressForm)
    recipient = db.get_or_404(Recipient, recipient_id)
    result = offline.correct_address(
        db.session,
        campaign,
        recipient,
        form.email.data,
        user=acting_user(),
        resend=MailSettings.from_config(current_app.config),
    )
    if not result.done:
        flash(_("Adresse korrigiert."), "success")
    elif lifecycle.current_settings(db.session, campaign).require_second_approver:
        flash(_("Adresse korrigiert; der Brief wartet auf die Freigabe durch eine zweite Person."), "success")
    else:
        after_commit(deliver_outbox)
        flash(_("Adresse korrigiert; der Brief wird erneut versandt."), "success")
    if not result.done:
        flash(_("Für diese Empfänger:in gab es keinen unzustellbaren Brief."), "info")
    return _back(slug, "unzustellbar")
