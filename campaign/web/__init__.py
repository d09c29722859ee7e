"""HTTP layer: blueprints per audience, error pages, security headers, navigation and locale."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from campaign.extensions import login_manager
from campaign.models import Role
from campaign.services.common.labels import label
from campaign.services.common.translation import in_page_language
from campaign.web.api import bp as api_bp
from campaign.web.auth import bp as auth_bp
from campaign.web.boundary import register_boundary
from campaign.web.datetimes import local_time, long_date, short_date
from campaign.web.language import vary_by_language, warn_about_missing_catalogues
from campaign.web.numbers import file_size, number, percent
from campaign.web.organise import bp as organise_bp
from campaign.web.proxy import trust_proxy_headers
from campaign.web.public import bp as public_bp
from campaign.web.public.responses import bp as responses_bp
from campaign.web.security import (
    STAFF,
    add_security_headers,
    has_role,
    load_user,
    may_open,
    retry_after_seconds,
    safe_next,
)
from campaign.web.static_files import register_static_fingerprints
from campaign.web.track import bp as track_bp

ERROR_MESSAGES = {
    400: _l("Die Anfrage war fehlerhaft. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."),
    403: _l("Sie haben keine Berechtigung für diese Seite."),
    404: _l("Diese Seite gibt es nicht."),
    405: _l("Diese Aktion ist hier nicht möglich."),
    413: _l("Die Datei ist zu groß."),
    429: _l("Zu viele Versuche in kurzer Zeit. Bitte warten Sie einen Moment und versuchen Sie es dann erneut."),
    500: _l(
        "Ein interner Fehler ist aufgetreten. Ihre Daten sind nicht verloren; bitte versuchen Sie es später erneut."
    ),
    503: _l(
        "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut; "
        "gespeicherte Daten sind nicht verloren."
    ),
}
MEGABYTE = 1024 * 1024
# Seconds after which a client may try again when the database is unreachable.
RETRY_AFTER_SECONDS = 30


# Template filters that format for the page's language. `german_date` and `german_number` are their former names,
# kept so that templates written before the English locale still work (and now follow the language too).
FILTERS = {
    "label": label,
    "local_time": local_time,
    "short_date": short_date,
    "long_date": long_date,
    "number": number,
    "percent": percent,
    "file_size": file_size,
    "german_date": long_date,
    "german_number": number,
    # A text stored in German (a refused attachment's reason, a job's message) in the page's language.
    "stored_text": in_page_language,
}


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu."""

    endpoint: str
    label: str


def register_web(app: Flask) -> None:
    """Register blueprints, hooks and error pages; trust a reverse proxy's headers as configured."""
    trust_proxy_headers(app)
    for blueprint in (public_bp, responses_bp, auth_bp, organise_bp, track_bp, api_bp):
        app.register_blueprint(blueprint)
    register_boundary(app)
    app.after_request(add_security_headers)
    app.after_request(vary_by_language)
    register_static_fingerprints(app)
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    app.register_error_handler(HTTPException, _render_http_error)
    app.register_error_handler(500, _render_internal_error)
    for error in (OperationalError, InterfaceError):
        app.register_error_handler(error, _render_database_unavailable)
    app.context_processor(lambda: {"nav_items": _navigation(), "current_locale": str(get_locale())})
    app.add_template_global(may_open)
    app.add_template_global(upload_limit)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
    # Flask-Login flashes the message through this: the text in the page's language (a plain str for the session).
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    warn_about_missing_catalogues(app)


def _navigation() -> list[NavItem]:
    """The menu for the current user's role (templates only loop over it)."""
    items = [NavItem("public.index", _("Kampagnen"))]
    if has_role(*STAFF):
        items += [
            NavItem("organise.overview.index", _("Organisieren")),
            NavItem("organise.campaigns.index", _("Kampagnen verwalten")),
            NavItem("track.overview.index", _("Verfolgen")),
        ]
    if has_role(Role.ADMIN):
        items.append(NavItem("auth.accounts.index", _("Benutzer")))
    if has_role(*STAFF):
        items.append(NavItem("auth.accounts.own_password", _("Passwort")))
    return items


def upload_limit() -> str:
    """The most one request may upload (MAX_CONTENT_LENGTH) in MB, as the page's language writes numbers."""
    return number(round(current_app.config["MAX_CONTENT_LENGTH"] / MEGABYTE, 1))


def _page_of_the_upload() -> str | None:
    """Where a refused upload came from: the form's page on this site (its referrer), or the same path for a GET."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""), "") or None


def _render_http_error(error: HTTPException):
    code = error.code or 500
    message = str(ERROR_MESSAGES.get(code, error.description))
    back = None
    if code == 413:
        message = _(
            "Die Datei ist zu groß. Höchstens %(size)s MB lassen sich auf einmal hochladen.", size=upload_limit()
        )
        back = _page_of_the_upload()
    headers = _retry_after_limit() if code == 429 else {}
    if request.path.startswith("/api/"):
        return {"error": message}, code, headers
    return render_template("errors/error.html", code=code, message=message, back=back), code, headers


def _retry_after_limit() -> dict[str, str]:
    """Retry-After for a request over a rate limit."""
    seconds = retry_after_seconds()
    return {} if seconds is None else {"Retry-After": str(seconds)}


def _render_database_unavailable(error: Exception):
    """The database is down or refuses connections: a German 503 page, the error in the log, nothing half-done."""
    current_app.logger.error("Datenbank nicht erreichbar (%s %s): %s", request.method, request.path, error)
    # Render as a visitor: the page must not need the database to find out who is logged in. (The boundary rolls
    # back after the response, as for every status from 400 on.)
    g._login_user = login_manager.anonymous_user()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if request.path.startswith("/api/"):
        return {"error": str(ERROR_MESSAGES[503])}, 503, headers
    return render_template("errors/error.html", code=503, message=ERROR_MESSAGES[503]), 503, headers


def _render_internal_error(_error: Exception):
    # The boundary has rolled back already (on got_request_exception), so the page can ask who is logged in.
    return render_template("errors/error.html", code=500, message=ERROR_MESSAGES[500]), 500
