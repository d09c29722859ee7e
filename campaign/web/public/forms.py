"""Forms of the public pages: signing the open letter, and the one-button confirm and withdraw forms."""

from __future__ import annotations

import functools

from babel.support import Translations
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Optional

from campaign.models import Listing
from campaign.services.signing.signing import LIMITS, SigningRequest, check_signing
from campaign.web.public.supporter_fields import max_length, supporter_fields

LISTING_CHOICES = [
    SelectChoice(Listing.FULL_NAME.value, _l("mit vollem Namen und Ort")),
    SelectChoice(Listing.INITIAL.value, _l("mit Vornamen, Initiale des Nachnamens und Ort")),
    SelectChoice(Listing.HIDDEN.value, _l("nicht namentlich (nur mitgezählt)")),
]
LISTING_VALUES = frozenset(choice.value for choice in LISTING_CHOICES)


@functools.cache
def _wtforms_translations(locale: str) -> Translations:
    """WTForms' built-in messages in this locale, loaded once per process."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class SigningForm(
    supporter_fields(
        LIMITS,
        email_hint=_l("Wir schicken Ihnen einen Link zur Bestätigung. Sie wird nicht veröffentlicht."),
        consent_refused=_l("Ohne Ihre Einwilligung können wir nicht mitzählen."),
    ),
    FlaskForm,
):
    """Name, address, place, optional organisation, how to be listed, consent (required) and newsletter (not)."""

    class Meta:
        # CSRFProtect checks the token of every POST before the view runs; the form's own CSRF field would only
        # sign a fresh token in each request. The page renders the token with csrf_token().
        csrf = False

        def get_translations(self, form):
            # Flask-WTF reads WTForms' own catalogue from disk in every request; this form is on the hot path.
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return None
            return _wtforms_translations(str(get_locale()))

    organisation = StringField(
        _l("Organisation (freiwillig)"),
        validators=[Optional(), max_length(LIMITS["organisation"])],
        description=_l("Wenn Sie für eine Organisation zeichnen: Sie erscheint unter den Erstunterzeichnenden."),
    )
    function = StringField(_l("Funktion (freiwillig)"), validators=[Optional(), max_length(LIMITS["function"])])
    listing = RadioField(
        _l("Wie sollen wir Sie unter dem Brief nennen?"),
        choices=LISTING_CHOICES,
        default=Listing.FULL_NAME.value,
        validators=[DataRequired(_l("Bitte wählen Sie, wie Sie genannt werden möchten."))],
    )
    newsletter = BooleanField(_l("Ich möchte außerdem den Newsletter der Kampagne erhalten (freiwillig)."))

    def signing_request(self) -> SigningRequest:
        """What the form asks the service for. A listing that is none of the choices only comes on the error path,
        whose check does not read it."""
        listing = self.listing.data if self.listing.data in LISTING_VALUES else Listing.FULL_NAME.value
        return SigningRequest(
            first_name=self.first_name.data or "",
            last_name=self.last_name.data or "",
            email=self.email.data or "",
            postcode=self.postcode.data or "",
            city=self.city.data or "",
            organisation=self.organisation.data or "",
            function=self.function.data or "",
            listing=Listing(listing),
            consent_version=self.consent_version.data or "",
            newsletter=bool(self.newsletter.data),
        )

    def check_with_service(self) -> None:
        check_signing(self.signing_request())


class LinkForm(FlaskForm):
    """The button on a confirm or withdraw page (the POST is what changes something)."""
