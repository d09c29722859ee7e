"""Forms of the source, argument-set, argument, citation and coverage pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from campaign.models import DatePrecision, SourceKind, Stance
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import URL_MAX, check_url
from campaign.services.evidence.arguments import CLAIM_MAX, PARAGRAPH_MAX, SET_TITLE_MAX, parse_tags
from campaign.services.evidence.sources import (
    PAGE_MAX,
    PUBLISHER_MAX,
    TITLE_MAX,
    normalise_doi,
    parse_authors,
)
from campaign.web.choices import enum_choices

PRECISION_CHOICES = [SelectChoice("", _l("Kein Datum")), *enum_choices(DatePrecision)]


def _service_check(check):
    """A WTForms validator from a service function that raises ServiceError for bad input."""

    def validate(_form, field) -> None:
        try:
            check(field.data or "")
        except ServiceError as exc:
            raise ValidationError(str(exc)) from exc

    return validate


class SourceForm(FlaskForm):
    kind = SelectField(_l("Art der Quelle"), choices=enum_choices(SourceKind))
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(max=TITLE_MAX)])
    authors = TextAreaField(
        _l("Autor:innen"),
        validators=[_service_check(parse_authors)],
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
        validators=[Length(max=URL_MAX), _service_check(check_url)],
        description=_l("Nur http:// oder https://."),
    )
    doi = StringField(
        _l("DOI"),
        validators=[_service_check(normalise_doi)],
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


class ArgumentSetForm(FlaskForm):
    title = StringField(
        _l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(max=SET_TITLE_MAX)]
    )
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=5000)])


class ArgumentForm(FlaskForm):
    claim = StringField(
        _l("Kernaussage"), validators=[DataRequired(_l("Bitte die Kernaussage angeben.")), Length(max=CLAIM_MAX)]
    )
    paragraph = TextAreaField(
        _l("Briefabsatz"),
        validators=[Length(max=PARAGRAPH_MAX)],
        description=_l(
            "Markdown: **fett**, *kursiv*, [Linktext](https://…), Listen mit „- “. HTML wird nicht übernommen."
        ),
    )
    tags = StringField(
        _l("Schlagworte"),
        validators=[Length(max=1000), _service_check(parse_tags)],
        description=_l("Durch Kommas getrennt, z. B. „kommunen, finanzen“."),
    )
    stance = SelectField(_l("Haltung"), choices=enum_choices(Stance))
    # Rendered as checkboxes grouped by motion; the view fills the choices.
    provisions = SelectMultipleField(_l("Kernpunkte"), coerce=int, choices=[], validate_choice=True)


class CitationForm(FlaskForm):
    # "source:<id>" cites the whole source, "quote:<id>" one passage of it; the view fills the grouped choices.
    reference = SelectField(
        _l("Quelle oder Textstelle"), choices=[], validators=[DataRequired(_l("Bitte eine Quelle wählen."))]
    )
    page = StringField(
        _l("Seite"),
        validators=[Length(max=PAGE_MAX)],
        description=_l("Leer lassen, um die Seite der Textstelle zu übernehmen."),
    )


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class ConfirmForm(FlaskForm):
    """Only the CSRF token: for buttons that delete, duplicate or remove."""
