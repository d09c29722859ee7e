"""Access control generated from the URL map: every URL that is not public by name asks for a login, writes under
/organise need an organiser or admin, and account management needs an admin. A new URL without a guard fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from campaign import create_app
from campaign.models import Role
from tests.conftest import make_config

# Blueprints for visitors: everything in them is public by design (the campaign page, signing, the JSON counts).
PUBLIC_BLUEPRINTS = ("public.", "api.", "responses.")
PUBLIC_ENDPOINTS = {"static", "auth.login"}
# Open to every logged-in account, whatever its role.
ANY_ACCOUNT = {"auth.logout"}
# Account management: admins only.
ADMIN_ONLY_PREFIXES = ("/auth/users",)
# Writes under /organise that coordinators may do as well: handling the signatures of a campaign (removing spam,
# making the handover list) is their work too (issue 12: organiser and coordinator screens).
COORDINATOR_WRITES = {"organise.signatures.remove", "organise.signatures.handover"}
METHODS = ("GET", "POST")


def _rules() -> list[Rule]:
    app = create_app(make_config("sqlite://", Path("/nonexistent-instance")))
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


RULES = _rules()


def _guarded(rule: Rule) -> bool:
    return rule.endpoint not in PUBLIC_ENDPOINTS and not rule.endpoint.startswith(PUBLIC_BLUEPRINTS)


def _cases(select) -> list[tuple[str, str, Rule]]:
    return [
        (method, rule.endpoint, rule) for rule in RULES if select(rule) for method in METHODS if method in rule.methods
    ]


def _url(app, rule: Rule) -> str:
    """The rule's URL with made-up values: ids that do not exist, so a guard must act before any lookup."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = converter.items[0]
        elif isinstance(converter, IntegerConverter):
            values[name] = 999_999
        else:
            values[name] = "gibt-es-nicht"
    with app.test_request_context():
        return app.url_map.bind("localhost").build(
            rule.endpoint, values, method=next(iter(rule.methods - {"HEAD", "OPTIONS"}))
        )


def _ids(cases) -> list[str]:
    return [f"{method} {rule.rule}" for method, _, rule in cases]


def _request(client, method: str, url: str):
    return client.open(url, method=method, data={})


GUARDED = _cases(lambda rule: _guarded(rule) and rule.endpoint not in ANY_ACCOUNT)
ORGANISE_WRITES = [
    case
    for case in _cases(lambda rule: rule.rule.startswith("/organise") and rule.endpoint not in COORDINATOR_WRITES)
    if case[0] == "POST"
]
ADMIN_PAGES = _cases(lambda rule: rule.rule.startswith(ADMIN_ONLY_PREFIXES))


def _answers(app, client, cases) -> dict[str, tuple[int, str]]:
    """Status and redirect target of every case, by "METHOD /rule"."""
    found = {}
    for method, _endpoint, rule in cases:
        response = _request(client, method, _url(app, rule))
        found[f"{method} {rule.rule}"] = (response.status_code, response.headers.get("Location", ""))
    return found


def test_the_url_map_has_urls_to_check():
    # A broken filter must not make the checks below vacuous.
    assert len(GUARDED) > 50 and len(ORGANISE_WRITES) > 30 and ADMIN_PAGES


def test_anonymous_visitors_are_sent_to_the_login_from_every_management_url(app, client):
    answers = _answers(app, client, GUARDED)
    unguarded = {url: answer for url, answer in answers.items() if not answer[1].startswith("/auth/login")}
    assert unguarded == {}


def test_coordinators_cannot_write_under_organise(app, client, login):
    login(Role.COORDINATOR)
    answers = _answers(app, client, ORGANISE_WRITES)
    assert {url: status for url, (status, _) in answers.items() if status != 403} == {}


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.COORDINATOR], ids=["organiser", "coordinator"])
def test_only_admins_manage_accounts(app, client, login, role):
    login(role)
    answers = _answers(app, client, ADMIN_PAGES)
    assert {url: status for url, (status, _) in answers.items() if status != 403} == {}


def test_admins_reach_account_management(app, client, login):
    login(Role.ADMIN)
    answers = _answers(app, client, [case for case in ADMIN_PAGES if case[0] == "GET" and not case[2].arguments])
    assert answers and all(status == 200 for status, _ in answers.values())
