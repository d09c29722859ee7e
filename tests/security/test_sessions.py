"""Sessions that end when they should, login throttling that strangers cannot turn against the owner, and pages
with personal data that no cache keeps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from campaign.db import db
from campaign.models import AuditEvent, Role, User
from campaign.services.accounts.users import authenticate, deactivate, set_password, set_role
from campaign.services.common.errors import ServiceError
from campaign.web.security import no_store
from tests.factories import PASSWORD, make_recipient, make_user

NEW_PASSWORD = "ein-ganz-neues-Passwort-ğłß"
WRONG = "falsch-falsch-falsch"


def _account(app: Flask, role: Role = Role.ORGANISER) -> str:
    with app.app_context():
        email = make_user(db.session, role).email
        db.session.commit()
    return email


def _log_in(client: FlaskClient, email: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    return client.post(
        "/auth/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def _logged_in(client: FlaskClient) -> bool:
    response = client.get("/organise/")
    assert response.status_code in {200, 302}
    return response.status_code == 200


def _copy_of_session_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding the cookie `client` has now, as an attacker who captured it would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _change(app: Flask, email: str, change: Callable[[User], None]) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        change(user)
        db.session.commit()


# ---- sessions end with logout, a new password, a new role and deactivation ----


def test_a_session_cookie_captured_before_logout_no_longer_works(app, client):
    email = _account(app)
    assert _log_in(client, email).status_code == 302
    thief = _copy_of_session_cookie(app, client)
    assert _logged_in(thief)
    client.post("/auth/logout")
    assert not _logged_in(client)
    response = thief.get("/organise/recipients")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_logging_in_again_after_logout_works(app, client):
    email = _account(app)
    _log_in(client, email)
    client.post("/auth/logout")
    assert _log_in(client, email).status_code == 302
    assert _logged_in(client)


CHANGES = {
    "password": lambda user: set_password(db.session, user, NEW_PASSWORD),
    "role": lambda user: set_role(db.session, user, Role.COORDINATOR),
    "deactivation": lambda user: deactivate(db.session, user),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_existing_sessions_end_when_the_account_changes(app, client, change):
    email = _account(app)
    _log_in(client, email)
    thief = _copy_of_session_cookie(app, client)
    _change(app, email, change)
    assert not _logged_in(client)
    assert not _logged_in(thief)


def test_after_a_password_change_only_the_new_password_logs_in(app, client):
    email = _account(app)
    _change(app, email, CHANGES["password"])
    assert _log_in(client, email).status_code == 401
    assert _log_in(client, email, NEW_PASSWORD).status_code == 302
    assert _logged_in(client)


def test_after_a_role_change_the_new_role_applies_at_the_next_login(app, client):
    _account(app, Role.ADMIN)  # the last admin cannot be demoted
    email = _account(app, Role.ADMIN)
    _log_in(client, email)
    assert client.get("/auth/users").status_code == 200
    _change(app, email, CHANGES["role"])
    _log_in(client, email)
    assert _logged_in(client) and client.get("/auth/users").status_code == 403


def test_a_deactivated_account_cannot_log_in(app, client):
    email = _account(app)
    _change(app, email, CHANGES["deactivation"])
    assert _log_in(client, email).status_code == 401
    assert not _logged_in(client)


def test_a_session_without_its_token_is_refused(app, client):
    """A cookie signed with the right key but made before session tokens (only a user id) logs nobody in."""
    email = _account(app)
    _log_in(client, email)
    with client.session_transaction() as session:
        session.pop("session_token")
    assert not _logged_in(client)


def test_login_sets_no_remember_me_cookie(app, client):
    response = _log_in(client, _account(app))
    assert response.status_code == 302
    assert not any("remember_token" in header for header in response.headers.getlist("Set-Cookie"))


def test_account_changes_are_checked_and_recorded(app, admin_and_user):
    admin_id, user_id = admin_and_user
    with app.app_context():
        admin, user = db.session.get(User, admin_id), db.session.get(User, user_id)
        with pytest.raises(ServiceError, match="mindestens 12 Zeichen"):
            set_password(db.session, user, "kurz", by=admin)
        with pytest.raises(ServiceError, match="Unbekannte Rolle „chef“"):
            set_role(db.session, user, "chef", by=admin)
        set_password(db.session, user, NEW_PASSWORD, by=admin)
        set_role(db.session, user, "coordinator", by=admin)
        deactivate(db.session, user, by=admin)
        db.session.commit()
        assert user.role is Role.COORDINATOR and not user.active
        assert authenticate(db.session, user.email, NEW_PASSWORD) is None  # deactivated
        events = db.session.execute(select(AuditEvent.action, AuditEvent.user_id, AuditEvent.details)).all()
    assert {action for action, _by, _details in events} >= {"user.password", "user.role", "user.deactivate"}
    assert all(by == admin_id for action, by, _details in events if action != "user.create")
    assert not any(NEW_PASSWORD in str(details) for _action, _by, details in events)


@pytest.fixture
def admin_and_user(app) -> tuple[int, int]:
    with app.app_context():
        admin, user = make_user(db.session, Role.ADMIN), make_user(db.session, Role.ORGANISER)
        db.session.commit()
        return admin.id, user.id


# ---- login throttling: by address and by account+address; the owner is not locked out by strangers ----


def test_failed_logins_from_other_addresses_do_not_lock_the_owner_out(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per minute", LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT="3 per minute")
    email = _account(app)
    stranger, owner = app.test_client(), app.test_client()
    for number in range(12):
        assert _log_in(stranger, email, WRONG, address=f"192.0.2.{number + 1}").status_code == 401
    assert _log_in(owner, email, address="198.51.100.7").status_code == 302
    assert _logged_in(owner)


def test_one_address_guessing_at_one_account_is_throttled(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="10 per minute", LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT="3 per minute")
    email = _account(app)
    client = app.test_client()
    for _ in range(3):
        assert _log_in(client, email, WRONG, address="192.0.2.1").status_code == 401
    refused = _log_in(client, email, address="192.0.2.1")
    assert refused.status_code == 429 and "Zu viele Versuche" in refused.get_data(as_text=True)
    # The owner elsewhere is not affected.
    assert _log_in(app.test_client(), email, address="198.51.100.7").status_code == 302


def test_one_address_trying_many_accounts_is_throttled(app_factory):
    app = app_factory(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    for number in range(3):
        assert _log_in(client, f"person{number}@example.org", WRONG, address="192.0.2.1").status_code == 401
    assert _log_in(client, _account(app), address="192.0.2.1").status_code == 429


def test_guesses_from_many_addresses_hit_the_account_limit_but_the_owners_browser_gets_in(app_factory):
    app = app_factory(LOGIN_ACCOUNT_RATE_LIMIT="5 per hour")
    email = _account(app)
    owner = app.test_client()
    assert _log_in(owner, email, address="198.51.100.7").status_code == 302  # the browser becomes known
    owner.post("/auth/logout")
    stranger = app.test_client()
    for number in range(5):
        assert _log_in(stranger, email, WRONG, address=f"192.0.2.{number + 1}").status_code == 401
    # A botnet cannot keep guessing, not even with the right password from a new browser …
    assert _log_in(stranger, email, address="192.0.2.99").status_code == 429
    assert _log_in(app.test_client(), email, address="198.51.100.8").status_code == 429
    # … but the owner's own browser still gets in, from wherever the owner is.
    assert _log_in(owner, email, address="203.0.113.5").status_code == 302
    assert _logged_in(owner)


def test_a_known_browser_cookie_for_another_account_does_not_lift_the_limit(app_factory):
    app = app_factory(LOGIN_ACCOUNT_RATE_LIMIT="2 per hour")
    victim, attacker_email = _account(app), _account(app)
    attacker = app.test_client()
    _log_in(attacker, attacker_email)  # the attacker's own account makes the browser known, for that account only
    attacker.post("/auth/logout")
    for number in range(2):
        _log_in(attacker, victim, WRONG, address=f"192.0.2.{number + 1}")
    assert _log_in(attacker, victim, WRONG, address="192.0.2.50").status_code == 429


# ---- no cache keeps pages for logged-in users ----


@pytest.mark.parametrize(
    "url",
    [
        "/organise/",
        "/organise/recipients",
        "/organise/recipients/{recipient}",
        "/organise/recipients/{recipient}/edit",
        "/organise/motions",
        "/track/",
        "/",
        "/organise/gibt-es-nicht",
    ],
)
def test_every_page_for_a_logged_in_user_is_kept_out_of_caches(app, client, url):
    with app.app_context():
        recipient = make_recipient(db.session, last_name="Doğan").id
        db.session.commit()
    _log_in(client, _account(app))
    response = client.get(url.format(recipient=recipient))
    assert response.status_code in {200, 404}
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_for_visitors_and_static_files_may_be_cached(app, client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    _log_in(client, _account(app))
    for url in ("/static/css/app.css", "/favicon.ico"):
        shared = client.get(url)
        assert shared.status_code == 200 and "no-store" not in shared.headers.get("Cache-Control", ""), url
        shared.close()


def test_a_public_page_with_personal_data_is_kept_out_of_caches_for_visitors_too(app_factory):
    app = app_factory()

    @no_store
    def own_signature():
        return "Ihre Mitzeichnung: Jana Głowacka"

    app.add_url_rule("/c/beispiel/meine-mitzeichnung", view_func=own_signature)
    response = app.test_client().get("/c/beispiel/meine-mitzeichnung")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
