"""Forms of the public pages: signing the open letter, and the one-button confirm and withdraw forms."""

from __future__ import annotations

import functools

from babel.support import Translations
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length, Optional

from campaign.models import Listing
from campaign.services.signing.signing import LIMITS

LISTING_CHOICES = [
    SelectChoice(Listing.FULL_NAME.value, _l("mit vollem Namen und Ort")),
    SelectChoice(Listing.INITIAL.value, _l("mit Vornamen, Initiale des Nachnamens und Ort")),
    SelectChoice(Listing.HIDDEN.value, _l("nicht namentlich (nur mitgezählt)")),
]


@functools.cache
def _wtforms_translations(locale: str) -> Translations:
    """WTForms' built-in messages in this locale, loaded once per process."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


def _length(name: str) -> Length:
    return Length(max=LIMITS[name], message=_l("Höchstens %(max)d Zeichen, bitte."))


class SigningForm(FlaskForm):
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

    first_name = StringField(
        _l("Vorname"), validators=[DataRequired(_l("Bitte Ihren Vornamen angeben.")), _length("first_name")]
    )
    last_name = StringField(
        _l("Nachname"), validators=[DataRequired(_l("Bitte Ihren Nachnamen angeben.")), _length("last_name")]
    )
    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[DataRequired(_l("Bitte Ihre E-Mail-Adresse angeben.")), Length(max=254)],
        description=_l("Wir schicken Ihnen einen Link zur Bestätigung. Sie wird nicht veröffentlicht."),
    )
    postcode = StringField(
        _l("Postleitzahl"), validators=[DataRequired(_l("Bitte Ihre Postleitzahl angeben.")), _length("postcode")]
    )
    city = StringField(_l("Ort"), validators=[DataRequired(_l("Bitte Ihren Ort angeben.")), _length("city")])
    organisation = StringField(
        _l("Organisation (freiwillig)"),
        validators=[Optional(), _length("organisation")],
        description=_l("Wenn Sie für eine Organisation zeichnen: Sie erscheint unter den Erstunterzeichnenden."),
    )
    function = StringField(_l("Funktion (freiwillig)"), validators=[Optional(), _length("function")])
    listing = RadioField(
        _l("Wie sollen wir Sie unter dem Brief nennen?"),
        choices=LISTING_CHOICES,
        default=Listing.FULL_NAME.value,
        validators=[DataRequired(_l("Bitte wählen Sie, wie Sie genannt werden möchten."))],
    )
    consent = BooleanField(validators=[DataRequired(_l("Ohne Ihre Einwilligung können wir nicht mitzählen."))])
    consent_version = HiddenField()
    newsletter = BooleanField(_l("Ich möchte außerdem den Newsletter der Kampagne erhalten (freiwillig)."))
    # Honeypot: hidden from people by CSS and from screen readers; bots fill every field they find.
    website = StringField(_l("Bitte dieses Feld leer lassen"), validators=[Optional()])


class LinkForm(FlaskForm):
    """The button on a confirm or withdraw page (the POST is what changes something)."""
