"""The links in a supporter's mails about their letter: confirm it, its page (PDF, "posted"), the questionnaire."""

from __future__ import annotations

from flask import Response, abort, current_app, render_template

from campaign.db import db
from campaign.jobs.outbox import deliver_outbox
from campaign.models import QuestionnaireAnswer, SupporterLetterStatus
from campaign.services.replies.matching import reply_address_for
from campaign.services.signing.lifecycle import LinkState
from campaign.services.writing import lifecycle
from campaign.services.writing.letters import access_token
from campaign.services.writing.privacy import withdraw_letter
from campaign.services.writing.questionnaire import record_answer
from campaign.web.boundary import after_commit, errors_shown_on
from campaign.web.public.views import bp
from campaign.web.public.writing import writing_campaign_or_404
from campaign.web.public.writing_forms import AnswerForm, ConfirmLetterForm
from campaign.web.security import no_store


@bp.route("/c/<slug>/write/confirm/<token>", methods=["GET", "POST"])
@no_store
def write_confirm(slug: str, token: str):
    """GET only shows the button (mail scanners fetch links); the POST confirms and sends."""
    campaign = writing_campaign_or_404(slug)
    form = ConfirmLetterForm()
    if form.validate_on_submit():
        found = lifecycle.confirm(db.session, campaign, token)
        if found.letter is not None and found.letter.status is SupporterLetterStatus.SENT:
            after_commit(deliver_outbox)
    else:
        found = lifecycle.check_confirm(db.session, campaign, token)
    page_token = access_token(found.letter) if found.letter is not None else ""
    return render_template(
        "public/write/confirm.html", campaign=campaign, found=found, form=form, token=token, page_token=page_token
    )


def _letter_or_state(campaign, token: str):
    found = lifecycle.find_by_access(db.session, campaign, token)
    return found.letter, found.state


@bp.route("/c/<slug>/write/letter/<token>", methods=["GET", "POST"])
@no_store
def write_letter(slug: str, token: str):
    """The letter's page: its state, the PDF to print, and (POST) "I have posted it"."""
    campaign = writing_campaign_or_404(slug)
    letter, state = _letter_or_state(campaign, token)
    form = ConfirmLetterForm()
    if letter is not None and form.validate_on_submit():
        with errors_shown_on(form):
            lifecycle.mark_posted(db.session, letter)
    # A link that opens nothing gets its page with the reason (as the confirm page does), not an error page.
    return render_template(
        "public/write/letter.html", campaign=campaign, letter=letter, state=state, form=form, token=token
    )


@bp.post("/c/<slug>/write/letter/<token>/withdraw")
@no_store
def write_withdraw(slug: str, token: str):
    """Withdraw consent: the writer's details go (an unsent letter entirely); the office keeps what it received."""
    campaign = writing_campaign_or_404(slug)
    letter, state = _letter_or_state(campaign, token)
    form = ConfirmLetterForm()
    if letter is None or not form.validate_on_submit():
        return render_template(
            "public/write/letter.html", campaign=campaign, letter=None, state=state, form=form, token=token
        ), 404 if letter is None else 400
    withdraw_letter(db.session, letter)
    return render_template("public/write/withdrawn.html", campaign=campaign)


@bp.get("/c/<slug>/write/letter/<token>.pdf")
@no_store
def write_letter_pdf(slug: str, token: str):
    campaign = writing_campaign_or_404(slug)
    letter, _state = _letter_or_state(campaign, token)
    if letter is None or letter.status not in (SupporterLetterStatus.TO_POST, SupporterLetterStatus.SENT):
        abort(404)
    response = Response(lifecycle.letter_pdf(letter), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{letter.reference_code or campaign.slug}.pdf"'
    return response


@bp.route("/c/<slug>/write/answer/<token>", methods=["GET", "POST"])
@no_store
def write_answer(slug: str, token: str):
    """The questionnaire: did the office answer? (four answers, the reply's text if the supporter wishes)."""
    campaign = writing_campaign_or_404(slug)
    letter, state = _letter_or_state(campaign, token)
    form = AnswerForm()
    saved = False
    if letter is not None and form.validate_on_submit():
        with errors_shown_on(form):
            record_answer(db.session, letter, QuestionnaireAnswer(form.answer.data), form.text.data or "")
            saved = True
    elif letter is not None and letter.answer is not None and not form.is_submitted():
        form.answer.data = letter.answer.value
    status = 400 if form.errors else 200
    reply_address = _reply_address(letter)
    return render_template(
        "public/write/answer.html", campaign=campaign, letter=letter, state=state, form=form, saved=saved,
        reply_address=reply_address, invalid=state is LinkState.INVALID,
    ), status  # fmt: skip


def _reply_address(letter) -> str:
    if letter is None or not letter.reference_code:
        return ""
    return reply_address_for(current_app.config.get("REPLY_ADDRESS") or "", letter.reference_code)
