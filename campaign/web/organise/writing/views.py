"""Supporters' letters of a campaign (state, recipient, own words, answers), settings, moderation; postcode table."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from campaign.db import db
from campaign.jobs.outbox import deliver_outbox
from campaign.models import SupporterLetterStatus
from campaign.services.campaigns.targets import campaign_targets
from campaign.services.recipients.importing.reader import read_upload
from campaign.services.writing import lifecycle
from campaign.services.writing.overview import letter_of, letters_of, status_counts, variation
from campaign.services.writing.postcodes import import_postcodes, postcode_table_size
from campaign.services.writing.settings import (
    open_recipient_ids,
    save_settings,
    set_open_recipients,
    settings_for,
    writing_open,
)
from campaign.web.boundary import after_commit, errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm, submitted_or_back
from campaign.web.lookup import campaign_or_404
from campaign.web.organise.writing.forms import OpenRecipientsForm, PostcodeImportForm, RejectForm, WritingSettingsForm
from campaign.web.security import WRITERS, acting_user, has_role, role_required

bp = Blueprint("writing", __name__)


def _render(campaign, settings_form: WritingSettingsForm, status: int = 200):
    chosen = request.args.get("status", "")
    wanted = SupporterLetterStatus(chosen) if chosen in {s.value for s in SupporterLetterStatus} else None
    return render_template(
        "organise/writing/index.html",
        campaign=campaign,
        letters=letters_of(db.session, campaign, wanted),
        counts=status_counts(db.session, campaign),
        variation=variation(db.session, campaign),
        form=settings_form,
        open_form=OpenRecipientsForm(),
        reject_form=RejectForm(),
        targets=campaign_targets(db.session, campaign),
        open_ids=open_recipient_ids(db.session, campaign),
        can_write=has_role(*WRITERS),
        status=chosen,
        writing_open=writing_open(db.session, campaign),
        writing_enabled=settings_for(db.session, campaign).enabled,
    ), status


@bp.get("/campaigns/<slug>/supporter-letters")
def index(slug: str):
    campaign = campaign_or_404(slug)
    return _render(campaign, WritingSettingsForm(obj=settings_for(db.session, campaign)))


@bp.post("/campaigns/<slug>/supporter-letters/settings")
@role_required(*WRITERS)
def save(slug: str):
    campaign = campaign_or_404(slug)
    form = WritingSettingsForm()
    if form.validate_on_submit():
        with errors_shown_on(form):
            save_settings(db.session, campaign, form.to_change(), user=acting_user())
            flash(_("Die Einstellungen sind gespeichert."), "success")
            return redirect(url_for(".index", slug=slug))
    return _render(campaign, form, 400)


@bp.post("/campaigns/<slug>/supporter-letters/open")
@role_required(*WRITERS)
@on_error_back_to(".index")
def open_recipients(slug: str):
    campaign = campaign_or_404(slug)
    if not OpenRecipientsForm().validate_on_submit():
        abort(400)
    ids = [int(value) for value in request.form.getlist("recipient") if value.isdigit()]
    count = set_open_recipients(db.session, campaign, ids, user=acting_user())
    flash(
        ngettext(
            "%(num)s Empfänger:in ist für alle Unterstützer:innen offen.",
            "%(num)s Empfänger:innen sind für alle Unterstützer:innen offen.",
            count,
        ),
        "success",
    )
    return redirect(url_for(".index", slug=slug))


@bp.post("/campaigns/<slug>/supporter-letters/<int:letter_id>/approve")
@role_required(*WRITERS)
@on_error_back_to(".index")
def approve(slug: str, letter_id: int):
    campaign = campaign_or_404(slug)
    letter = letter_of(db.session, campaign, letter_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    lifecycle.approve(db.session, letter, user=acting_user())
    after_commit(deliver_outbox)
    flash(_("Der Brief ist freigegeben und geht jetzt raus."), "success")
    return redirect(url_for(".index", slug=slug))


@bp.post("/campaigns/<slug>/supporter-letters/<int:letter_id>/reject")
@role_required(*WRITERS)
@on_error_back_to(".index")
def reject(slug: str, letter_id: int):
    campaign = campaign_or_404(slug)
    letter = letter_of(db.session, campaign, letter_id) or abort(404)
    form = submitted_or_back(RejectForm, ".index", slug=slug)
    lifecycle.reject(db.session, letter, form.reason.data, user=acting_user())
    flash(_("Der Brief wird nicht verschickt."), "success")
    return redirect(url_for(".index", slug=slug))


@bp.route("/postcodes", methods=["GET", "POST"])
def postcodes():
    """The postcode table: its size, its format, and the import (dry run first)."""
    form = PostcodeImportForm()
    report = None
    if request.method == "POST":
        if not has_role(*WRITERS):
            abort(403)
        if form.validate_on_submit():
            upload = form.file.data
            with errors_shown_on(form, "file"):
                data = read_upload(upload.stream, upload.filename or "")
                report = import_postcodes(
                    db.session, data, upload.filename or "", dry_run=bool(form.dry_run.data),
                    skip_invalid=bool(form.skip_invalid.data), replace=bool(form.replace.data), user=acting_user(),
                )  # fmt: skip
    rows, codes = postcode_table_size(db.session)
    status = 400 if form.errors or (report and report.problems and not report.stored) else 200
    return render_template(
        "organise/writing/postcodes.html",
        form=form,
        report=report,
        rows=rows,
        codes=codes,
        can_write=has_role(*WRITERS),
    ), status
