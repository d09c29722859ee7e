"""The fields both supporter forms ask for (signing the open letter, writing one's own): name, e-mail, consent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from campaign.services.common.emails import normalise_email
from campaign.web.forms import with_service_errors

TOO_LONG = _l("Höchstens %(max)d Zeichen, bitte.")


def max_length(limit: int) -> Length:
    """At most `limit` characters, with the supporter pages' message."""
    return Length(max=limit, message=TOO_LONG)


class ChecksServiceOnError:
    """When a field fails, the service's checks of the form's values run too, so that one answer lists every
    problem (a bad address, a function without its organisation), not only the fields' own.

    Only then: a valid form goes on to its service, which checks everything itself (the signing POST is the hot
    path, and email-validator is a good part of its cost). Without this, such mistakes were reported only after
    the other ones were put right.
    """

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[misc]
        if not valid:
            with_service_errors(self, self.check_with_service)  # type: ignore[arg-type]
        return valid

    def check_with_service(self) -> None:
        """The service's ServiceError for the form's values, if any; writes nothing. Here: the address alone."""
        if self.email.data:  # type: ignore[attr-defined]
            normalise_email(self.email.data, field="email")  # type: ignore[attr-defined]


def supporter_fields(
    limits: Mapping[str, int], *, email_hint: str, consent_refused: str, postcode: str = "postcode"
) -> type:
    """A mixin with the shared fields, within the maximum lengths of the form's service (`limits`).

    The form says what differs: why it asks for the e-mail address, what cannot happen without consent, and the
    name of the postcode field (the letter flow's own `postcode` is the one it finds the recipients with).
    """
    fields = {
        "first_name": StringField(
            _l("Vorname"),
            validators=[DataRequired(_l("Bitte Ihren Vornamen angeben.")), max_length(limits["first_name"])],
        ),
        "last_name": StringField(
            _l("Nachname"),
            validators=[DataRequired(_l("Bitte Ihren Nachnamen angeben.")), max_length(limits["last_name"])],
        ),
        "email": EmailField(
            _l("E-Mail-Adresse"),
            validators=[DataRequired(_l("Bitte Ihre E-Mail-Adresse angeben.")), Length(max=254)],
            description=email_hint,
        ),
        postcode: StringField(
            _l("Postleitzahl"),
            validators=[DataRequired(_l("Bitte Ihre Postleitzahl angeben.")), max_length(limits["postcode"])],
        ),
        "city": StringField(
            _l("Ort"), validators=[DataRequired(_l("Bitte Ihren Ort angeben.")), max_length(limits["city"])]
        ),
        "consent": BooleanField(validators=[DataRequired(consent_refused)]),
        "consent_version": HiddenField(),
        # Honeypot: hidden from people by CSS and from screen readers; bots fill every field they find.
        "website": StringField(_l("Bitte dieses Feld leer lassen"), validators=[Optional()]),
    }
    return type("SupporterFields", (ChecksServiceOnError,), fields)
