"""Co-signing views: the campaign page with its form, signing, confirm and withdraw links, the open-letter PDF."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for

from campaign.db import db
from campaign.extensions import limiter
from campaign.jobs.outbox import deliver_outbox
from campaign.services.campaigns.records import public_campaign
from campaign.services.signing import lifecycle
from campaign.services.signing.letter_pdf import open_letter_pdf
from campaign.services.signing.page import campaign_page
from campaign.services.signing.signing import sign, signing_consent
from campaign.services.writing.settings import writing_campaign
from campaign.web.boundary import after_commit, errors_shown_on
from campaign.web.public.forms import LinkForm, SigningForm
from campaign.web.public.views import bp
from campaign.web.security import STAFF, has_role, no_store


def _campaign_or_404(slug: str, *, preview: bool = False):
    """The public campaign; with `preview`, the team also sees a draft (nobody can sign it: it is not running)."""
    found = public_campaign(db.session, slug, with_drafts=preview and has_role(*STAFF))
    if found is None:
        abort(404)
    return found


def _render_page(slug: str, form: SigningForm, status: int = 200):
    campaign = _campaign_or_404(slug, preview=True)
    consent = signing_consent(db.session)
    form.consent_version.data = form.consent_version.data or consent.version
    share_url = url_for("public.campaign", slug=slug, _external=True)
    page = campaign_page(db.session, campaign)
    can_write = writing_campaign(db.session, slug) is not None
    return render_template(
        "public/campaign.html", page=page, form=form, consent=consent, share_url=share_url, can_write=can_write
    ), status


@bp.get("/c/<slug>")
def campaign(slug: str):
    return _render_page(slug, SigningForm())


def _sign_limit() -> str:
    return current_app.config["SIGN_RATE_LIMIT"]


@bp.post("/c/<slug>/sign")
@limiter.limit(_sign_limit)
@no_store
def sign_letter(slug: str):
    form = SigningForm()
    if not form.validate_on_submit():
        return _render_page(slug, form, 400)
    if form.website.data:
        # A bot filled the hidden field: it gets the answer a person gets, and nothing is stored or sent.
        return redirect(url_for("public.signed", slug=slug))
    data = form.signing_request()
    base_url = current_app.config.get("PUBLIC_URL") or request.url_root
    outcome = None
    with errors_shown_on(form):
        outcome = sign(db.session, slug, data, base_url=base_url)
        if outcome is None:
            abort(404)
    if outcome is None:
        return _render_page(slug, form, 400)
    if outcome.mail_queued:
        after_commit(deliver_outbox)
    return redirect(url_for("public.signed", slug=slug))


@bp.get("/c/<slug>/signed")
def signed(slug: str):
    return render_template("public/signed.html", campaign=_campaign_or_404(slug))


LINKS = {"confirm": lifecycle.CONFIRM_LINK, "withdraw": lifecycle.WITHDRAW_LINK}


def _follow_link(slug: str, action: str, token: str):
    """GET only shows the button (mail scanners fetch links); the POST confirms or withdraws."""
    campaign = _campaign_or_404(slug)
    kind = LINKS[action]
    form = LinkForm()
    if form.validate_on_submit():
        state = lifecycle.follow_link(db.session, campaign, kind, token)
    else:
        state = lifecycle.check_link(db.session, campaign, kind, token).state
    return render_template(f"public/{action}.html", campaign=campaign, state=state, form=form, token=token)


@bp.route("/c/<slug>/confirm/<token>", methods=["GET", "POST"])
@no_store
def confirm(slug: str, token: str):
    return _follow_link(slug, "confirm", token)


@bp.route("/c/<slug>/withdraw/<token>", methods=["GET", "POST"])
@no_store
def withdraw(slug: str, token: str):
    return _follow_link(slug, "withdraw", token)


@bp.get("/c/<slug>/letter.pdf")
def letter_pdf(slug: str):
    campaign = _campaign_or_404(slug, preview=True)
    pdf = open_letter_pdf(db.session, campaign)
    if pdf is None:
        abort(404)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{campaign.slug}-offener-brief.pdf"'
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response
