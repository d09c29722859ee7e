"""Forms of the organisation screens: details, logo upload, and a signatory."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from campaign.services.organisations.records import LIMITS, NAME_MAX


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte den Namen angeben.")), Length(max=NAME_MAX)])
    short_name = StringField(_l("Kurzname"), validators=[Length(max=LIMITS["short_name"])])
    street = StringField(_l("Straße und Hausnummer"), validators=[Length(max=LIMITS["street"])])
    postcode = StringField(_l("PLZ"), validators=[Length(max=LIMITS["postcode"])])
    city = StringField(_l("Ort"), validators=[Length(max=LIMITS["city"])])
    email = EmailField(_l("E-Mail"), validators=[Length(max=254)])
    phone = StringField(_l("Telefon"), validators=[Length(max=LIMITS["phone"])])
    website = StringField(_l("Internet"), validators=[Length(max=LIMITS["website"])])
    letterhead_note = TextAreaField(
        _l("Zusatz im Briefkopf"),
        validators=[Length(max=LIMITS["letterhead_note"])],
        description=_l("Zum Beispiel „Initiative für Flüchtlingsrechte in NRW“."),
    )
    footer_lines = TextAreaField(
        _l("Fußzeilen (Bank, Register, Vorstand)"),
        validators=[Length(max=LIMITS["footer_lines"])],
        description=_l("Eine Angabe pro Zeile; sie stehen klein am Fuß der ersten Briefseite."),
    )


class LogoForm(FlaskForm):
    logo = FileField(
        _l("Logo (PNG oder SVG, höchstens 256 KB)"), validators=[FileRequired(_l("Bitte eine Datei auswählen."))]
    )


class SignatoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte den Namen angeben.")), Length(max=120)])
    role = StringField(_l("Funktion"), validators=[Length(max=120)])
    signature = FileField(_l("Unterschrift als Bild (optional, PNG oder SVG)"))
