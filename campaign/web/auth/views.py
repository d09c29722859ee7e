"""Views of the auth blueprint: login and logout (accounts live in the nested `accounts` blueprint)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from campaign.db import db
from campaign.services.accounts.users import authenticate, end_sessions
from campaign.web.auth import accounts
from campaign.web.auth.forms import LoginForm, LogoutForm
from campaign.web.auth.throttle import remember_browser, throttled
from campaign.web.security import acting_user, end_session, safe_next, start_session

bp = Blueprint("auth", __name__, url_prefix="/auth")
bp.register_blueprint(accounts.bp)


def _safe_next(target: str | None) -> str:
    """Only follow ?next= to a path on this site, never to another host."""
    return safe_next(target, url_for("organise.overview.index"))


@bp.route("/login", methods=["GET", "POST"])
@throttled
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            start_session(user)
            response = redirect(_safe_next(request.args.get("next")))
            remember_browser(response, user.email)
            return response
        flash(_("E-Mail-Adresse oder Passwort ist falsch."), "error")
    status = 400 if form.errors else (401 if request.method == "POST" else 200)
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        # A new session token ends this session everywhere, also in copies of its cookie.
        end_sessions(db.session, acting_user())
        end_session()
        flash(_("Sie sind abgemeldet."), "info")
    return redirect(url_for("public.index"))
