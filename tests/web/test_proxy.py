"""Behind a reverse proxy: the client address and scheme come from X-Forwarded-* only when PROXY_FIX_* says so."""

from __future__ import annotations

import email
from email.policy import default as default_policy

from sqlalchemy import select

from campaign.db import db
from campaign.models import OutboxMessage
from campaign.services.sending.outbox import mime_bytes
from tests.factories_signing import MAIL_FROM, form_data, make_open_letter

PROXY = "127.0.0.1"  # nginx on the same machine: every request reaches the app from here


def _open_letter(app_factory, **settings):
    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, SIGN_RATE_LIMIT="2 per minute", **settings)
    with app.app_context():
        slug = make_open_letter(db.session).slug
        db.session.commit()
    return app, slug


def _sign(client, slug: str, forwarded_for: str | None = None, **headers: str) -> int:
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    response = client.post(f"/c/{slug}/sign", data=form_data(), headers=headers, environ_base={"REMOTE_ADDR": PROXY})
    return response.status_code


def test_without_proxy_settings_a_forged_forwarded_address_does_not_escape_the_limit(app_factory):
    app, slug = _open_letter(app_factory)
    client = app.test_client()
    statuses = [_sign(client, slug, f"198.51.100.{n}") for n in range(1, 4)]
    assert statuses == [302, 302, 429]


def test_with_one_trusted_proxy_each_client_address_has_its_own_limit(app_factory):
    app, slug = _open_letter(app_factory, PROXY_FIX_X_FOR=1)
    client = app.test_client()
    first = [_sign(client, slug, "198.51.100.7") for _ in range(3)]
    other = _sign(client, slug, "203.0.113.9")
    assert first == [302, 302, 429]
    assert other == 302  # another supporter behind the same proxy is not blocked by the first one


def test_with_one_trusted_proxy_only_the_address_the_proxy_added_counts(app_factory):
    """nginx appends the real address to what the client sent: forged entries before it change nothing."""
    app, slug = _open_letter(app_factory, PROXY_FIX_X_FOR=1)
    client = app.test_client()
    statuses = [_sign(client, slug, f"10.9.8.{n}, 198.51.100.7") for n in range(1, 4)]
    assert statuses == [302, 302, 429]


def _confirmation_link(app) -> str:
    with app.app_context():
        raw = mime_bytes(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first())
    message = email.message_from_bytes(raw, policy=default_policy)
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(word for word in text.split() if "/confirm/" in word)


def test_links_in_mails_use_the_scheme_and_host_the_proxy_reports_when_trusted(app_factory):
    app, slug = _open_letter(app_factory, PROXY_FIX_X_PROTO=1, PROXY_FIX_X_HOST=1)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "kampagne.example.org"}
    assert _sign(app.test_client(), slug, **headers) == 302
    assert _confirmation_link(app).startswith(f"https://kampagne.example.org/c/{slug}/confirm/")


def test_forwarded_scheme_and_host_are_ignored_without_proxy_settings(app_factory):
    app, slug = _open_letter(app_factory)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example.net"}
    assert _sign(app.test_client(), slug, **headers) == 302
    assert _confirmation_link(app).startswith(f"http://localhost/c/{slug}/confirm/")
