"""Follow-ups of a campaign: what is due, the follow-up template, and follow-up letters from draft to sent."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.jobs.sending import KIND as QUEUE_JOB
from campaign.jobs.sending import queue_letters_job
from campaign.models import Channel, LetterStatus
from campaign.services.common.dates import today_in_germany
from campaign.services.common.jobs import active_job, create_job
from campaign.services.letters.layout import CLOSING
from campaign.services.letters.merge_fields import placeholder_groups
from campaign.services.letters.sandbox import TemplateProblem
from campaign.services.letters.templates import clean_texts, closing_warning
from campaign.services.replies import follow_up_letters as letters
from campaign.services.replies.followups import agreed_follow_ups, set_follow_up_days, unanswered_letters
from campaign.services.sending.lifecycle import StepResult
from campaign.web.boundary import after_commit, errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm, submitted_or_back, validate_with_service
from campaign.web.lookup import campaign_or_404
from campaign.web.security import acting_user
from campaign.web.track.forms import FollowUpChoiceForm, FollowUpDaysForm, FollowUpTemplateForm

bp = Blueprint("followups", __name__, url_prefix="/campaigns/<slug>/follow-ups")
BACK = "track.followups.index"


def _page(campaign, form: FollowUpDaysForm, status: int = 200):
    rows = letters.follow_up_rows(db.session, campaign)
    return render_template(
        "track/followups.html",
        campaign=campaign,
        form=form,
        due=unanswered_letters(db.session, campaign),
        agreed=agreed_follow_ups(db.session, campaign),
        choice_form=FollowUpChoiceForm(),
        action_form=ConfirmForm(),
        template=letters.follow_up_template(db.session, campaign),
        rows=rows,
        counts={status: sum(1 for row in rows if row.letter.status is status) for status in LetterStatus},
        post_approved=any(r.letter.status is LetterStatus.APPROVED and r.letter.channel is Channel.POST for r in rows),
        queue_job=active_job(db.session, QUEUE_JOB, campaign),
    ), status


@bp.route("", methods=["GET", "POST"])
def index(slug: str):
    campaign = campaign_or_404(slug)
    form = FollowUpDaysForm(data={"days": campaign.follow_up_days})
    if form.validate_on_submit():
        with errors_shown_on(form, default="days"):
            set_follow_up_days(db.session, campaign, form.days.data, user=acting_user())
            flash(_("Gespeichert: nachfassen nach %(days)s Tagen ohne Antwort.", days=form.days.data), "success")
            return redirect(url_for(".index", slug=slug))
    return _page(campaign, form, 400 if request.method == "POST" else 200)


@bp.route("/template", methods=["GET", "POST"])
def template(slug: str):
    """Write the follow-up template; the page shows it filled in for the longest-waiting due letter."""
    campaign = campaign_or_404(slug)
    found = letters.follow_up_template(db.session, campaign)
    version = found.current_version if found is not None else None
    texts = (version.subject, version.body) if version else (letters.STARTER_SUBJECT, letters.STARTER_BODY)
    form = FollowUpTemplateForm(data={"subject": texts[0], "body": texts[1]})
    if validate_with_service(form, lambda: clean_texts(form.subject.data, form.body.data, follow_up=True)):
        with errors_shown_on(form, default="body"):
            saved = letters.save_follow_up_template(
                db.session, campaign, subject=form.subject.data, body=form.body.data, user=acting_user()
            )
            flash(_("Die Vorlage für Nachfragen ist gespeichert (Version %(number)s).", number=saved.number), "success")
            if warning := closing_warning(saved.body):
                flash(warning, "info")
            return redirect(url_for(".template", slug=slug))
    preview, problem = None, ""
    if request.method == "GET":
        try:
            preview = letters.preview_follow_up(db.session, campaign, on=today_in_germany())
        except TemplateProblem as exc:
            problem = str(exc)
    return render_template(
        "track/followup_template.html",
        campaign=campaign,
        form=form,
        version=version,
        preview=preview,
        problem=problem,
        placeholder_groups=placeholder_groups(follow_up=True),
        closing=CLOSING,
    ), 400 if form.errors else 200


def _submitted(slug: str, form_class):
    """The campaign and its submitted form; a form that fails validation (or CSRF) changes nothing."""
    return campaign_or_404(slug), submitted_or_back(form_class, BACK, slug=slug)


def _report(result: StepResult, message: str) -> None:
    flash(message, "success")
    if result.skipped:
        flash(_("Übersprungen: %(lines)s", lines="; ".join(result.skipped[:10])), "info")


def _back(slug: str):
    return redirect(url_for(BACK, slug=slug, _anchor="nachfragen"))


@bp.post("/generate")
@on_error_back_to(BACK)
def generate(slug: str):
    campaign, form = _submitted(slug, FollowUpChoiceForm)
    chosen = None if form.scope.data == "all" else (form.letters.data or [])
    result = letters.generate_follow_ups(db.session, campaign, chosen, on=today_in_germany(), user=acting_user())
    count = len(result.done)
    _report(
        result, ngettext("%(num)s Nachfrage als Entwurf erzeugt.", "%(num)s Nachfragen als Entwurf erzeugt.", count)
    )
    return _back(slug)


@bp.post("/refresh")
@on_error_back_to(BACK)
def refresh(slug: str):
    campaign, _form = _submitted(slug, ConfirmForm)
    result = letters.refresh_follow_ups(db.session, campaign, on=today_in_germany(), user=acting_user())
    count = len(result.done)
    flash(ngettext("%(num)s Nachfrage neu erzeugt.", "%(num)s Nachfragen neu erzeugt.", count), "success")
    return _back(slug)


@bp.post("/approve")
@on_error_back_to(BACK)
def approve(slug: str):
    campaign, _form = _submitted(slug, ConfirmForm)
    result = letters.approve_follow_ups(db.session, campaign, user=acting_user())
    count = len(result.done)
    _report(result, ngettext("%(num)s Nachfrage freigegeben.", "%(num)s Nachfragen freigegeben.", count))
    return _back(slug)


@bp.post("/send")
@on_error_back_to(BACK)
def send(slug: str):
    """Put the approved e-mail follow-ups into the outbox in the background, then show the job's progress."""
    campaign, _form = _submitted(slug, ConfirmForm)
    codes = letters.sendable_follow_ups(db.session, campaign)
    job = create_job(
        db.session,
        QUEUE_JOB,
        campaign=campaign,
        user=acting_user(),
        params={"codes": codes},
    )
    after_commit(queue_letters_job, job.id)
    flash(_("Die freigegebenen Nachfragen werden in den Postausgang gelegt."), "success")
    return redirect(url_for("organise.jobs.show", job_id=job.id))


@bp.get("/print.pdf")
@on_error_back_to(BACK)
def print_file(slug: str):
    campaign = campaign_or_404(slug)
    pdf = letters.print_follow_ups(db.session, campaign)
    filename = f"{campaign.slug}-nachfragen.pdf"
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.post("/posted")
@on_error_back_to(BACK)
def posted(slug: str):
    """The approved follow-ups on paper were posted today."""
    campaign, _form = _submitted(slug, ConfirmForm)
    result = letters.post_follow_ups(db.session, campaign, on=today_in_germany(), user=acting_user())
    count = len(result.done)
    flash(
        ngettext(
            "%(num)s Nachfrage als zur Post gegeben vermerkt.",
            "%(num)s Nachfragen als zur Post gegeben vermerkt.",
            count,
        ),
        "success",
    )
    return _back(slug)
