"""Forms of the public pages: signing the open letter, and the one-button confirm and withdraw forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from campaign.models import Listing
from campaign.services.signing.signing import LIMITS

LISTING_CHOICES = [
    SelectChoice(Listing.FULL_NAME.value, _l("mit vollem Namen und Ort")),
    SelectChoice(Listing.INITIAL.value, _l("mit Vornamen, Initiale des Nachnamens und Ort")),
    SelectChoice(Listing.HIDDEN.value, _l("nicht namentlich (nur mitgezählt)")),
]


def _length(name: str) -> Length:
    return Length(max=LIMITS[name], message=_l("Höchstens %(max)d Zeichen, bitte."))


class SigningForm(FlaskForm):
    """Name, address, place, optional organisation, how to be listed, consent (required) and newsletter (not)."""

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
