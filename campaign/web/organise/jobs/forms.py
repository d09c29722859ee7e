"""The form that starts generating all letters of a campaign."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice


class GenerateLettersForm(FlaskForm):
    """Start generating all letters of a campaign; both choices have defaults, so a bare button works too."""

    format = SelectField(
        _l("Ausgabe"),
        choices=[
            SelectChoice("zip", _l("Ein PDF pro Brief (ZIP)")),
            SelectChoice("merged", _l("Eine Druckdatei (PDF)")),
        ],
        default="zip",
    )
    sort = SelectField(
        _l("Reihenfolge"),
        choices=[
            SelectChoice("postcode", _l("nach Postleitzahl")),
            SelectChoice("region", _l("nach Unterbezirk, dann Postleitzahl")),
        ],
        default="postcode",
    )
