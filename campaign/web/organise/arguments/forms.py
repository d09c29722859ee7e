"""Forms of the argument pages: argument sets, arguments and their citations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from campaign.models import Stance
from campaign.services.evidence.arguments import CLAIM_MAX, PARAGRAPH_MAX, SET_TITLE_MAX, parse_tags
from campaign.services.evidence.sources import PAGE_MAX
from campaign.web.choices import enum_choices
from campaign.web.forms import service_check


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
        validators=[Length(max=1000), service_check(parse_tags)],
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
