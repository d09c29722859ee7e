"""Open redirects: the login's ?next= and the way back after a refused action never lead to another site.

A browser reads a Location header by the WHATWG URL rules: `//evil`, `/\\evil` and `/<TAB>/evil` all name the host
evil, and a javascript: URL runs script. Each case below checks the Location the app sends, the way a browser
would resolve it.
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest

from campaign.models import Role
from campaign.services.common.errors import ServiceError
from tests.factories import PASSWORD

HOSTILE_TARGETS = [
    "https://evil.example/",
    "http:evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/%2F%2Fevil.example",
    "https://localhost@evil.example/",
]


def _stays_on_site(location: str) -> bool:
    """Whether a browser following `location` from http://localhost/ stays on this site, running no script."""
    if any(char in location for char in "\\\t\r\n") or location.lower().lstrip().startswith(("javascript:", "data:")):
        return False
    if location.lstrip().startswith("//"):  # a browser reads any number of slashes there as the host's start
        return False
    resolved = urlsplit(urljoin("http://localhost/auth/login", location))
    return resolved.scheme == "http" and resolved.netloc == "localhost"


def test_the_check_itself_knows_the_browser_tricks():
    assert _stays_on_site("/track/?page=2") and _stays_on_site("/%5Cevil.example")  # encoded: a path
    # ("http:evil.example" is a relative path to a browser too, and "/%2F%2Fevil.example" an encoded path.)
    hostile = [target for target in HOSTILE_TARGETS if target not in {"http:evil.example", "/%2F%2Fevil.example"}]
    assert not any(_stays_on_site(target) for target in hostile)


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_login_never_sends_the_user_to_another_site(client, login, target):
    user = login(Role.ORGANISER, client=client.application.test_client())
    response = client.post(
        f"/auth/login?next={quote(target, safe='')}", data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and _stays_on_site(response.headers["Location"])
    # Logged in already, the login page sends the user on at once: the same check applies.
    again = client.get(f"/auth/login?next={quote(target, safe='')}")
    assert again.status_code == 302 and _stays_on_site(again.headers["Location"])


def test_login_still_follows_a_path_on_this_site(client, login):
    user = login(Role.COORDINATOR, client=client.application.test_client())
    response = client.post("/auth/login?next=/track/%3Fpage%3D2", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/track/?page=2"


@pytest.fixture
def refusing_app(app_factory):
    """The app with one extra action that a service refuses (the boundary then sends the user back)."""
    app = app_factory()

    def refused():
        raise ServiceError("Das geht so nicht.")

    app.add_url_rule("/abgelehnt", "refused", refused, methods=["POST"])
    return app


@pytest.mark.parametrize(
    "referrer",
    [
        "http://localhost//evil.example/x",
        "http://localhost/\\evil.example/x",
        "https://evil.example/organise/",
        "http://localhost.evil.example/organise/",
        "javascript:alert(1)",
    ],
)
def test_the_way_back_after_a_refused_action_stays_on_this_site(refusing_app, referrer):
    response = refusing_app.test_client().post("/abgelehnt", headers={"Referer": referrer})
    assert response.status_code == 302 and _stays_on_site(response.headers["Location"])


def test_the_way_back_still_returns_to_the_page_the_user_came_from(refusing_app):
    response = refusing_app.test_client().post("/abgelehnt", headers={"Referer": "http://localhost/organise/?x=1"})
    assert response.headers["Location"] == "/organise/?x=1"
