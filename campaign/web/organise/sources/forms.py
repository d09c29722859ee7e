"""Forms of the source pages: a source's details and a quoted passage."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from campaign.models import DatePrecision, SourceKind
from campaign.services.common.text import URL_MAX, check_url
from campaign.services.evidence.sources import PAGE_MAX, PUBLISHER_MAX, TITLE_MAX, normalise_doi, parse_authors
from campaign.web.choices import enum_choices
from campaign.web.forms import service_check

PRECISION_CHOICES = [SelectChoice("", _l("Kein Datum")), *enum_choices(DatePrecision)]


class SourceForm(FlaskForm):
    kind = SelectField(_l("Art der Quelle"), choices=enum_choices(SourceKind))
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(max=TITLE_MAX)])
    authors = TextAreaField(
        _l("Autor:innen"),
        validators=[service_check(parse_authors)],
        description=_l("Eine Person pro Zeile als „Nachname, Vorname“; Organisationen ohne Komma."),
    )
    publisher = StringField(_l("Herausgeber / Verlag"), validators=[Length(max=PUBLISHER_MAX)])
    published_on = DateField(
        _l("Erscheinungsdatum"),
        validators=[Optional()],
        description=_l(
            "Ist nur Monat oder Jahr bekannt, einen beliebigen Tag darin wählen und die Genauigkeit angeben."
        ),
    )
    date_precision = SelectField(_l("Genauigkeit des Datums"), choices=PRECISION_CHOICES, default="")
    url = StringField(
        _l("Adresse (URL)"),
        validators=[Length(max=URL_MAX), service_check(check_url)],
        description=_l("Nur http:// oder https://."),
    )
    doi = StringField(
        _l("DOI"),
        validators=[service_check(normalise_doi)],
        description=_l("Zum Beispiel 10.59350/hpz3x-qh641 – ein https://doi.org/…-Link wird gekürzt."),
    )
    notes = TextAreaField(_l("Notizen (nur intern)"), validators=[Length(max=5000)])

    def validate_date_precision(self, field) -> None:
        if field.data and self.published_on.data is None and not self.published_on.errors:
            raise ValidationError(_l("Bitte ein Datum angeben oder „Kein Datum“ wählen."))


class QuoteForm(FlaskForm):
    text = TextAreaField(
        _l("Wortlaut der Textstelle"),
        validators=[DataRequired(_l("Bitte den Wortlaut der Textstelle angeben.")), Length(max=5000)],
    )
    page = StringField(_l("Seite"), validators=[Length(max=PAGE_MAX)], description=_l("Zum Beispiel 12 oder 12–14."))
