"""Forms and validators shared by several screens: a bare confirmation, an up/down move, service checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.validators import AnyOf, ValidationError

from campaign.services.common.errors import ServiceError


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for buttons that delete, archive, duplicate, remove or start something."""


class MoveForm(FlaskForm):
    """Move an item of an ordered list one place up or down."""

    direction = HiddenField(validators=[AnyOf(["up", "down"], message=_l("Unbekannte Richtung."))])


def service_check(check: Callable[[str], Any]) -> Callable[[FlaskForm, Field], None]:
    """A WTForms validator from a service function that raises ServiceError for bad input."""

    def validate(_form: FlaskForm, field: Field) -> None:
        try:
            check(field.data or "")
        except ServiceError as exc:
            raise ValidationError(str(exc)) from exc

    return validate
