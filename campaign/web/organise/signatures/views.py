"""The signatures of a campaign: list with search and states, removal as spam, handover lists; consent texts."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.services.signing.admin import signature_of, signatures_page, status_counts
from campaign.services.signing.consent import add_consent_version, check_consent_version, consent_versions
from campaign.services.signing.handover import handover_file, make_handover
from campaign.services.signing.lifecycle import remove_as_spam
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import submitted_or_back, validate_with_service
from campaign.web.lookup import campaign_or_404
from campaign.web.organise.signatures.forms import ConsentForm, HandoverForm, RemoveForm, SignatureFilterForm
from campaign.web.paging import page_links
from campaign.web.security import WRITERS, acting_user, has_role

bp = Blueprint("signatures", __name__)

PER_PAGE = 50
MEDIA = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


@bp.get("/campaigns/<slug>/signatures")
def index(slug: str):
    campaign = campaign_or_404(slug)
    form = SignatureFilterForm(formdata=request.args)
    form.set_choices()
    page = signatures_page(
        db.session, campaign, form.to_filter(), page=request.args.get("page", 1, type=int), per_page=PER_PAGE
    )
    args = {key: value for key, value in request.args.items() if key in ("q", "status") and value}
    return render_template(
        "organise/signatures/index.html",
        campaign=campaign,
        form=form,
        page=page,
        links=page_links(".index", page, slug=slug, **args),
        counts=status_counts(db.session, campaign),
        remove_form=RemoveForm(),
        handover_form=HandoverForm(),
    )


@bp.post("/campaigns/<slug>/signatures/<int:signature_id>/remove")
@on_error_back_to(".index")
def remove(slug: str, signature_id: int):
    campaign = campaign_or_404(slug)
    signature = signature_of(db.session, campaign, signature_id) or abort(404)
    form = submitted_or_back(RemoveForm, ".index", slug=slug)
    remove_as_spam(db.session, signature, form.reason.data, user=acting_user())
    flash(_("Die Mitzeichnung ist entfernt und wird nicht mehr gezählt."), "success")
    return redirect(url_for(".index", slug=slug))


@bp.post("/campaigns/<slug>/signatures/handover")
def handover(slug: str):
    """The handover list as a file; its fingerprint is stored (so this is a POST)."""
    campaign = campaign_or_404(slug)
    form = HandoverForm()
    if not form.validate_on_submit():
        abort(400)
    fmt = form.format.data
    data = handover_file(make_handover(db.session, campaign, user=acting_user()), campaign, fmt)
    return Response(
        data,
        mimetype=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{campaign.slug}-unterschriften.{fmt}"'},
    )


@bp.route("/consent", methods=["GET", "POST"])
def consent():
    form = ConsentForm()
    if request.method == "POST":
        if not has_role(*WRITERS):
            abort(403)
        if validate_with_service(
            form, lambda: check_consent_version(db.session, form.version.data or "", form.text.data or "")
        ):
            with errors_shown_on(form):
                add_consent_version(db.session, form.version.data, form.text.data, user=acting_user())
                flash(_("Die neue Version gilt ab sofort für neue Mitzeichnungen."), "success")
                return redirect(url_for(".consent"))
    status = 400 if form.errors else 200
    return render_template(
        "organise/signatures/consent.html",
        form=form,
        versions=consent_versions(db.session),
        can_write=has_role(*WRITERS),
    ), status
