"""Forms and validators shared by several screens: a bare confirmation, an up/down move, service checks, fields
with their own message for input they cannot read, and the check of a form posted from another page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, HiddenField
from wtforms.validators import AnyOf, ValidationError

from campaign.services.common.errors import ServiceError

F = TypeVar("F", bound=FlaskForm)


FieldClass = TypeVar("FieldClass", bound=type[Field])


def with_parse_error(field_class: FieldClass, message: Any) -> FieldClass:
    """`field_class` whose error for input it cannot read (a date that is none, an id that is no number) is
    `message`: German, and saying what is expected, instead of WTForms' own."""

    class Parsed(field_class):  # type: ignore[valid-type,misc]
        def process_formdata(self, valuelist: list) -> None:
            try:
                super().process_formdata(valuelist)
            except ValueError as exc:
                raise ValueError(message) from exc

    Parsed.__name__ = Parsed.__qualname__ = field_class.__name__
    return Parsed  # type: ignore[return-value]


# A date typed as text that is no date is told the format; combine with InputRequired, since DataRequired would
# replace that message with "no date given".
LocalDateField = with_parse_error(DateField, _l("Bitte ein gültiges Datum angeben (JJJJ-MM-TT)."))


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


def submitted_or_back(
    form_class: type[F], endpoint: str, *, check: Callable[[F], Any] | None = None, **values: Any
) -> F:
    """The submitted form if it is valid; else its errors as a message and back to `endpoint` (nothing changes).

    For POST-only actions whose form is on another page. `check(form)` is the service's check of the form's values
    (it writes nothing): run only when the form failed, so that the message names the service's mistakes too.
    """
    form = form_class()
    if not validate_with_service(form, (lambda: check(form)) if check is not None else None):
        messages = [str(message) for errors in form.errors.values() for message in errors]
        flash(" ".join(messages) or _("Das Formular war unvollständig."), "error")
        abort(redirect(url_for(endpoint, **values)))
    return form


def validate_with_service(form: F, check: Callable[[], Any] | None) -> bool:
    """`form.validate_on_submit()`; when a submitted form fails, the service's `check` (which writes nothing) runs
    too and its messages go beside the fields (`with_service_errors`): one answer names every mistake."""
    if form.validate_on_submit():
        return True
    if check is not None and form.is_submitted():
        with_service_errors(form, check)
    return False


def with_service_errors(form: FlaskForm, check: Callable[[], Any], fields: Mapping[str, str] | None = None) -> None:
    """After the form's own checks failed, run the service's checks too (`check` writes nothing) and show their
    messages beside the fields that have none yet: one answer names every mistake, not one per round.

    `fields` maps the service's field names to the form's, where they differ; a service field it leaves out is
    then not this form's business.
    """
    try:
        check()
    except ServiceError as error:
        for name, message in error.by_field().items():
            target = name if fields is None else fields.get(name, "")
            if target in form and not form[target].errors:
                form[target].errors = [message]
