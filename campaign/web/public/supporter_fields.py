"""The fields both supporter forms ask for (signing the open letter, writing one's own): name, e-mail, consent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from campaign.services.common.emails import normalise_email
from campaign.services.common.errors import ServiceError

TOO_LONG = _l("Höchstens %(max)d Zeichen, bitte.")


def max_length(limit: int) -> Length:
    """At most `limit` characters, with the supporter pages' message."""
    return Length(max=limit, message=TOO_LONG)


class ChecksAddressOnError:
    """When a field fails, the address is checked too, so that one answer lists every problem.

    Only then: a valid form goes on to its service, which checks the address itself (the signing POST is the hot
    path, and email-validator is a good part of its cost). Without this, a bad address was reported only after
    the other mistakes were put right.
    """

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[misc]
        email = self.email  # type: ignore[attr-defined]
        if not valid and email.data and not email.errors:
            try:
                normalise_email(email.data)
            except ServiceError as error:
                email.errors = [*email.errors, str(error)]
        return valid


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
    return type("SupporterFields", (ChecksAddressOnError,), fields)
