"""`campaign users create`: valid input creates an account; bad input gives one line and a non-zero exit."""

from __future__ import annotations

import pytest

from campaign.db import db
from campaign.models import Role
from campaign.services.accounts.users import authenticate, create_user, find_user, hash_password


def test_creates_account_with_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["users", "create", "Ayşe.Doğan@Example.org", "--role", "coordinator"],
        input="ein-sehr-geheimes-passwort\n",
    )
    assert result.exit_code == 0, result.output
    assert "angelegt" in result.output and "ein-sehr-geheimes-passwort" not in result.output
    with app.app_context():
        user = authenticate(db.session, "ayşe.doğan@example.org", "ein-sehr-geheimes-passwort")
        assert user is not None and user.role is Role.COORDINATOR


def test_generates_and_shows_a_password_once_without_stdin(app, runner):
    result = runner.invoke(args=["users", "create", "neu@example.org", "--role", "admin"], input="")
    assert result.exit_code == 0, result.output
    password = result.output.split("angezeigt): ")[1].strip()
    with app.app_context():
        assert authenticate(db.session, "neu@example.org", password) is not None


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "create", "x@example.org", "--role", "superuser"], "", "Unbekannte Rolle „superuser“"),
        (["users", "create", "keine-adresse", "--role", "admin"], "", "Ungültige E-Mail-Adresse"),
        (["users", "create", "a@@example.org", "--role", "admin"], "", "Ungültige E-Mail-Adresse"),
        (["users", "create", "kurz@example.org", "--role", "admin"], "kurz\n", "mindestens 12 Zeichen"),
    ],
    ids=["unknown-role", "no-at-sign", "double-at", "short-password"],
)
def test_bad_input_exits_non_zero_with_one_line(app, runner, args, stdin, message):
    result = runner.invoke(args=args, input=stdin)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Fehler: ") and message in lines[0], result.output
    with app.app_context():
        assert find_user(db.session, args[2]) is None


def test_duplicate_account_is_refused(app, runner):
    runner.invoke(args=["users", "create", "doppelt@example.org", "--role", "admin"], input="")
    result = runner.invoke(args=["users", "create", "Doppelt@example.org", "--role", "organiser"], input="")
    assert result.exit_code == 1 and "bereits ein Konto" in result.output


def test_missing_role_option_is_an_error(runner):
    result = runner.invoke(args=["users", "create", "x@example.org"])
    assert result.exit_code == 2 and "--role" in result.output


def test_tests_hash_cheaply_while_production_keeps_the_argon2_defaults(app):
    with app.app_context():
        assert hash_password("ein-sehr-geheimes-passwort").startswith("$argon2id$v=19$m=8,t=1,p=1$")
    # Outside an app (and in every app that does not override them) the production settings apply.
    assert hash_password("ein-sehr-geheimes-passwort").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_hash_made_with_other_settings_still_logs_in_and_is_upgraded(app_factory):
    app = app_factory()
    with app.app_context():
        create_user(db.session, "alt@example.org", Role.ADMIN, password="ein-sehr-geheimes-passwort")
        db.session.commit()
    stronger = app_factory(PASSWORD_HASH_TIME_COST=2, PASSWORD_HASH_MEMORY_KIB=16)
    with stronger.app_context():
        assert authenticate(db.session, "alt@example.org", "ein-sehr-geheimes-passwort") is not None
        assert authenticate(db.session, "alt@example.org", "falsches-passwort-123") is None
        user = find_user(db.session, "alt@example.org")
        assert user.password_hash.startswith("$argon2id$v=19$m=16,t=2,p=1$")
