"""Write your own letter (/c/<slug>/write): postcode, recipient, arguments, own paragraph, preview and details.

Works without JavaScript: each step is a POST whose button names the next step; what earlier steps chose travels
along in hidden fields, so nothing is stored before the supporter sends the letter off for confirmation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_limiter import RateLimitExceeded

from campaign.db import db
from campaign.extensions import limiter
from campaign.jobs.outbox import deliver_outbox
from campaign.services.common.errors import ServiceError
from campaign.services.recipients.postcodes import clean_postcode
from campaign.services.writing.compose import Writer, offered_arguments
from campaign.services.writing.letters import LETTER_CONSENT, Draft, Submission, check_submission, preview, submit
from campaign.services.writing.postcodes import open_recipients, recipients_for_postcode, writable_recipient
from campaign.services.writing.settings import writing_campaign
from campaign.web.boundary import after_commit, roll_back
from campaign.web.forms import with_service_errors
from campaign.web.public.views import bp
from campaign.web.public.writing_forms import WriteForm
from campaign.web.security import no_store, retry_after_seconds

PAGES = ("postcode", "recipients", "arguments", "paragraph", "preview")
# Which form fields a step's page shows; errors of other fields are not this step's business.
STEP_FIELDS = {"postcode": {"postcode"}, "paragraph": {"own_text"}, "preview": set(WriteForm.DETAILS)}
# A service's field name → the form field that shows its message (the writer's postcode has its own field).
SUBMIT_FIELDS = {"postcode": "writer_postcode", "recipient": "", "arguments": ""}
# The same for the details page's own fields only: the service's check of a submission names these beside them.
DETAIL_FIELDS = {**{name: name for name in WriteForm.DETAILS}, "postcode": "writer_postcode"}


def writing_campaign_or_404(slug: str):
    campaign = writing_campaign(db.session, slug)
    if campaign is None:
        abort(404)
    return campaign


def _sign_limit() -> str:
    return current_app.config["SIGN_RATE_LIMIT"]


def _steps_limit() -> str:
    return current_app.config["WRITE_PREVIEW_RATE_LIMIT"]


def _submitting() -> bool:
    """Whether this POST is the final one, which stores the letter and sends a mail (SIGN_RATE_LIMIT counts it)."""
    return request.form.get("step") == "submit"


def _not_submitting() -> bool:
    return not _submitting()


def _letter_kept_when_limited(view: Callable[..., Any]) -> Callable[..., Any]:
    """A final submission over its limit gets the preview page again with everything typed, not the error page:
    the letter travels only in the form, and a page without it would lose it."""

    @functools.wraps(view)
    def kept(slug: str):
        try:
            return view(slug)
        except RateLimitExceeded:
            if not _submitting():
                raise
        form = WriteForm()
        seconds = retry_after_seconds() or 60
        form.form_errors.append(
            ngettext(
                "Zu viele Versuche in kurzer Zeit. Bitte in %(num)s Minute erneut absenden; Ihr Text bleibt erhalten.",
                "Zu viele Versuche in kurzer Zeit. Bitte in %(num)s Minuten erneut absenden; Ihr Text bleibt erhalten.",
                max(1, round(seconds / 60)),
            )
        )
        page, status = _page("preview", writing_campaign_or_404(slug), form, 429)
        return page, status, {"Retry-After": str(seconds)}

    return kept


def _ints(values) -> list[int]:
    return [int(value) for value in values if str(value).isdigit()]


def _draft(form: WriteForm) -> Draft:
    recipient = form.recipient.data or ""
    return Draft(
        recipient_id=int(recipient) if recipient.isdigit() else 0,
        lookup_postcode=(form.postcode.data or "").strip(),
        argument_ids=tuple(_ints((form.chosen.data or "").split(","))),
        own_text=form.own_text.data or "",
    )


def _chosen_from_checkboxes(campaign) -> list[int]:
    """The ticked arguments in the order the supporter numbered them (unnumbered ones keep the listed order)."""
    offered = [argument.id for argument in offered_arguments(campaign)]
    ticked = set(_ints(request.form.getlist("argument")))

    def place(item: tuple[int, int]) -> tuple[int, int]:
        index, argument_id = item
        wanted = request.form.get(f"order-{argument_id}", "").strip()
        return (int(wanted) if wanted.isdigit() else 1000 + index, index)

    return [argument_id for _i, argument_id in sorted(enumerate(offered), key=place) if argument_id in ticked]


def _page(step: str, campaign, form: WriteForm, status: int = 200, **extra):
    consent = LETTER_CONSENT
    form.consent_version.data = form.consent_version.data or consent.version
    draft = _draft(form)
    values = {"campaign": campaign, "form": form, "step": step, "number": PAGES.index(step) + 1, "steps": len(PAGES)}
    values.update(draft=draft, consent=consent, **extra)
    if step == "recipients":
        values["matched"] = (
            recipients_for_postcode(db.session, campaign, draft.lookup_postcode) if draft.lookup_postcode else []
        )
        values["open"] = open_recipients(db.session, campaign)
    if step == "arguments":
        values["arguments"] = offered_arguments(campaign)
    if step == "preview":
        values["writer"] = _writer(form)
        if "found" not in extra:
            try:
                values["found"] = preview(db.session, campaign, draft)
            except ServiceError as error:
                # What was carried along no longer makes a letter (too long, an argument gone): back to writing it.
                return _fail("paragraph", campaign, form, error)
    return render_template(f"public/write/{step}.html", **values), status


@bp.get("/c/<slug>/write")
def write(slug: str):
    return _page("postcode", writing_campaign_or_404(slug), WriteForm())


def _step_errors(form: WriteForm, step: str) -> bool:
    """Validate; keep only the errors of this step's fields (and the CSRF check). True if any are left."""
    form.validate()
    keep = STEP_FIELDS.get(step, set()) | {"csrf_token"}
    for name, field in form._fields.items():
        if name not in keep:
            field.errors = []
    return any(form[name].errors for name in keep if name in form)


def _fail(step: str, campaign, form: WriteForm, error: ServiceError):
    roll_back()
    for field, message in error.by_field().items():
        target = SUBMIT_FIELDS.get(field, field) if step == "preview" else field
        if target in STEP_FIELDS.get(step, ()):
            form[target].errors = [*form[target].errors, message]
        else:
            form.form_errors.append(message)
    return _page(step, campaign, form, 400)


@bp.post("/c/<slug>/write")
@no_store
@_letter_kept_when_limited
# Only the final submission counts against the signing limit; going back, correcting and previewing have their own,
# more generous budget, so a writer who revises their letter is not locked out before sending it.
@limiter.limit(_sign_limit, exempt_when=_not_submitting, scope="write-submit")
@limiter.limit(_steps_limit, exempt_when=_submitting, scope="write-steps")
def write_step(slug: str):
    campaign = writing_campaign_or_404(slug)
    form = WriteForm()
    goal = request.form.get("step", "")
    if goal.startswith("back-") and goal[5:] in PAGES:
        return _page(goal[5:], campaign, WriteForm(formdata=None, data=_carried(form)))
    handler = _HANDLERS.get(goal)
    if handler is None:
        return _page("postcode", campaign, form, 400)
    return handler(campaign, form)


def _carried(form: WriteForm) -> dict:
    return {name: form[name].data for name in ("postcode", "recipient", "chosen", "own_text")}


def _to_open_recipients(campaign, form: WriteForm):
    if _step_errors(form, "postcode"):
        return _page("postcode", campaign, form, 400)
    form.postcode.data = ""
    return _page("recipients", campaign, form)


def _to_recipients(campaign, form: WriteForm):
    if _step_errors(form, "postcode"):
        return _page("postcode", campaign, form, 400)
    try:
        form.postcode.data = clean_postcode(form.postcode.data or "")
    except ServiceError as error:
        return _fail("postcode", campaign, form, error)
    return _page("recipients", campaign, form)


def _to_arguments(campaign, form: WriteForm):
    if _step_errors(form, "recipients"):
        return _page("recipients", campaign, form, 400)
    chosen = request.form.get("choice", "")
    try:
        recipient = writable_recipient(
            db.session, campaign, int(chosen) if chosen.isdigit() else 0, form.postcode.data or ""
        )
    except ServiceError as error:
        return _fail("recipients", campaign, form, error)
    form.recipient.data = str(recipient.id)
    return _page("arguments", campaign, form, recipient=recipient)


def _to_paragraph(campaign, form: WriteForm):
    if _step_errors(form, "arguments"):
        return _page("arguments", campaign, form, 400)
    form.chosen.data = ",".join(str(argument_id) for argument_id in _chosen_from_checkboxes(campaign))
    return _page("paragraph", campaign, form)


def _to_preview(campaign, form: WriteForm):
    if _step_errors(form, "paragraph"):
        return _page("paragraph", campaign, form, 400)
    try:
        found = preview(db.session, campaign, _draft(form))
    except ServiceError as error:
        return _fail("paragraph", campaign, form, error)
    return _page("preview", campaign, form, found=found)


def _writer(form: WriteForm) -> Writer:
    return Writer(
        first_name=form.first_name.data or "", last_name=form.last_name.data or "", email=form.email.data or "",
        street=form.street.data or "", postcode=form.writer_postcode.data or "", city=form.city.data or "",
    )  # fmt: skip


def _submission(form: WriteForm) -> Submission:
    return Submission(
        draft=_draft(form),
        writer=_writer(form),
        delivery=form.delivery.data or "",
        consent_version=form.consent_version.data or "",
        locale=str(get_locale()),
    )


def _to_submit(campaign, form: WriteForm):
    if _step_errors(form, "preview"):
        with_service_errors(form, lambda: check_submission(db.session, campaign, _submission(form)), DETAIL_FIELDS)
        return _page("preview", campaign, form, 400)
    # The page after sending says what happens next, which differs for a letter the writer posts themselves.
    by_post = "post" if form.delivery.data == "post" else None
    if form.website.data:
        # A bot filled the hidden field: it gets the answer a person gets, and nothing is stored or sent.
        return redirect(url_for("public.write_sent", slug=campaign.slug, delivery=by_post))
    site_url = current_app.config.get("PUBLIC_URL") or request.url_root
    try:
        submitted = submit(db.session, campaign, _submission(form), site_url=site_url)
    except ServiceError as error:
        return _fail("preview", campaign, form, error)
    after_commit(deliver_outbox)
    replaced = 1 if submitted.replaced else None
    return redirect(url_for("public.write_sent", slug=campaign.slug, delivery=by_post, replaced=replaced))


_HANDLERS = {
    "open": _to_open_recipients,
    "recipients": _to_recipients,
    "arguments": _to_arguments,
    "paragraph": _to_paragraph,
    "preview": _to_preview,
    "submit": _to_submit,
}


@bp.post("/c/<slug>/write/preview.pdf")
@limiter.limit(_steps_limit)
@no_store
def write_preview_pdf(slug: str):
    """The preview as a PDF (the same letter the office would get, without reference code yet)."""
    campaign = writing_campaign_or_404(slug)
    form = WriteForm()
    if _step_errors(form, "none"):
        abort(400)
    try:
        found = preview(db.session, campaign, _draft(form))
    except ServiceError:
        abort(400)
    response = Response(found.letter.pdf(_writer(form)), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{campaign.slug}-mein-brief.pdf"'
    return response


@bp.get("/c/<slug>/write/sent")
def write_sent(slug: str):
    return render_template(
        "public/write/sent.html",
        campaign=writing_campaign_or_404(slug),
        replaced=request.args.get("replaced") == "1",
        by_post=request.args.get("delivery") == "post",
    )
