"""Forms of the supporter-letter screens: settings, open recipients, rejecting a held letter, the postcode import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from campaign.services.writing.settings import MAX_DAYS, MAX_SIMILAR_LIMIT, SettingsChange


class WritingSettingsForm(FlaskForm):
    enabled = BooleanField(_l("Unterstützer:innen können eigene Briefe schreiben (/c/…/write)"))
    moderated = BooleanField(_l("Briefe vor dem Versand freigeben (sonst gehen sie nach der Bestätigung sofort raus)"))
    block_similar = BooleanField(_l("Fast gleichlautende Briefe sperren (sonst nur warnen)"))
    similar_limit = IntegerField(
        _l("Warnen ab so vielen fast gleichen Briefen an dieselbe Person"),
        validators=[InputRequired(_l("Bitte eine Zahl angeben.")), NumberRange(1, MAX_SIMILAR_LIMIT)],
        default=3,
    )
    questionnaire_days = IntegerField(
        _l("Nachfrage nach so vielen Tagen (Erinnerung nach noch einmal so vielen)"),
        validators=[InputRequired(_l("Bitte eine Zahl angeben.")), NumberRange(1, MAX_DAYS)],
        default=14,
    )

    def to_change(self) -> SettingsChange:
        return SettingsChange(
            enabled=bool(self.enabled.data),
            moderated=bool(self.moderated.data),
            block_similar=bool(self.block_similar.data),
            similar_limit=int(self.similar_limit.data),
            questionnaire_days=int(self.questionnaire_days.data),
        )


class OpenRecipientsForm(FlaskForm):
    """The checkboxes are plain inputs named `recipient` (one per target); this carries the CSRF token."""


class RejectForm(FlaskForm):
    reason = StringField(_l("Grund"), validators=[DataRequired(_l("Bitte einen Grund angeben.")), Length(max=300)])


class PostcodeImportForm(FlaskForm):
    file = FileField(
        _l("Datei (CSV oder XLSX)"),
        validators=[
            FileRequired(_l("Bitte eine Datei auswählen.")),
            FileAllowed(["csv", "txt", "tsv", "xlsx"], _l("Bitte eine CSV- oder XLSX-Datei wählen.")),
        ],
        description=_l("Spalten plz, ebene, gebiet; höchstens 5 MB und 20.000 Zeilen."),
    )
    dry_run = BooleanField(_l("Nur prüfen, nichts speichern"), default=True)
    skip_invalid = BooleanField(_l("Fehlerhafte Zeilen überspringen und den Rest speichern"))
    replace = BooleanField(_l("Bisherige Tabelle ersetzen (sonst ergänzen)"))
