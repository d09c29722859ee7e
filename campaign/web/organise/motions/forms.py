"""Forms of the motion pages: motion data, file import, provisions and amendment drafts."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, StopValidation

from campaign.models import MotionKind, MotionStatus, Stance
from campaign.services.common.text import format_thousands
from campaign.services.evidence.motion_import.imported import ALLOWED_EXTENSIONS, FORMAT_LABELS, MAX_IMPORT_BYTES
from campaign.services.evidence.motions import MAX_TEXT_LENGTH
from campaign.services.evidence.provisions import MAX_SUMMARY_LENGTH
from campaign.web.choices import enum_choices

KIND_CHOICES = enum_choices(MotionKind)
STATUS_CHOICES = enum_choices(MotionStatus)
STANCE_CHOICES = enum_choices(Stance)
# An Antragsgrün export is a .json file; the other formats are named after their extension.
_FORMAT_OF_EXTENSION = {"json": "antragsgruen"}
# What the motion import reads, as the service lists it: „Textdatei (.txt), Word-Dokument (.docx), …“; joined
# when shown, in the page's language (joined at import, English pages listed the German names).
IMPORT_FORMATS = LazyString(
    lambda: ", ".join(
        f"{FORMAT_LABELS[_FORMAT_OF_EXTENSION.get(extension, extension)]} (.{extension})"
        for extension in ALLOWED_EXTENSIONS
    )
)


def _positive(_form: FlaskForm, field: IntegerField) -> None:
    """Line numbers start at 1 (a value that is no number at all already has its own message)."""
    if field.data is not None and field.data < 1:
        raise StopValidation(_l("Zeilennummern beginnen bei 1."))


def _max(length: int) -> Length:
    """At most `length` characters; the limit written as the page's language writes numbers („500.000“)."""
    return Length(max=length, message=LazyString(lambda: _("Höchstens %(max)s Zeichen.", max=format_thousands(length))))


class MotionForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")), _max(300)])
    slug = StringField(
        _l("Kurzbezeichnung (für Adressen)"),
        description=_l("Leer lassen, um sie aus dem Titel zu bilden. Nur a–z, 0–9 und Bindestriche."),
        validators=[
            Optional(),
            _max(120),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Nur Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche."),
            ),
        ],
    )
    kind = SelectField(_l("Art"), choices=KIND_CHOICES, default=MotionKind.ANTRAG.value)
    party = StringField(_l("Partei"), validators=[_max(120)])
    body = StringField(_l("Gremium (vorgelegt von)"), validators=[_max(200)])
    presented_on = DateField(
        _l("Vorgelegt am"), validators=[Optional()], format="%Y-%m-%d", render_kw={"autocomplete": "off"}
    )
    decision_forum = StringField(_l("Beschlussgremium"), validators=[_max(200)])
    decision_date = DateField(_l("Entscheidung am"), validators=[Optional()], format="%Y-%m-%d")
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default=MotionStatus.PRESENTED.value)
    source_url = StringField(_l("Quelle (Webadresse)"), validators=[_max(500)], render_kw={"inputmode": "url"})
    full_text = TextAreaField(
        _l("Volltext"),
        description=_l(
            "Absätze durch eine Leerzeile trennen. Die Zeilen werden automatisch zu je 80 Zeichen nummeriert."
        ),
        validators=[_max(MAX_TEXT_LENGTH)],
        render_kw={"rows": 18},
    )


class ImportForm(FlaskForm):
    file = FileField(
        _l("Datei"),
        description=_l(
            "%(formats)s; höchstens %(size)s MB.", formats=IMPORT_FORMATS, size=MAX_IMPORT_BYTES // 1024 // 1024
        ),
        validators=[
            FileRequired(_l("Bitte eine Datei auswählen.")),
            FileAllowed(
                ALLOWED_EXTENSIONS, _l("Bitte eine dieser Dateien wählen: %(formats)s.", formats=IMPORT_FORMATS)
            ),
        ],
        render_kw={"accept": ",".join(f".{extension}" for extension in ALLOWED_EXTENSIONS)},
    )


class NewMotionImportForm(ImportForm):
    title = StringField(
        _l("Titel (optional)"),
        description=_l("Leer lassen, um den Titel aus der Datei zu übernehmen."),
        validators=[_max(300)],
    )


class ProvisionForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")), _max(300)])
    line_from = IntegerField(
        _l("Von Zeile"),
        validators=[Optional(), _positive],
        render_kw={"min": 1, "inputmode": "numeric"},
    )
    line_to = IntegerField(
        _l("Bis Zeile"),
        validators=[Optional(), _positive],
        render_kw={"min": 1, "inputmode": "numeric"},
    )
    stance = SelectField(_l("Haltung"), choices=STANCE_CHOICES, default=Stance.OPPOSE.value)
    summary = TextAreaField(_l("Zusammenfassung"), validators=[_max(MAX_SUMMARY_LENGTH)], render_kw={"rows": 4})


class AmendmentForm(FlaskForm):
    mode = RadioField(
        _l("Art der Änderung"),
        choices=[SelectChoice("replace", _l("Neuer Wortlaut")), SelectChoice("delete", _l("Passage ganz streichen"))],
        default="replace",
        validators=[DataRequired(_l("Bitte die Art der Änderung wählen."))],
    )
    text = TextAreaField(
        _l("Neuer Wortlaut der Zeilen"),
        description=_l(
            "Ändern Sie den vorgegebenen Antragstext; daraus entstehen die Anweisungen „In Zeile … wird … "
            "ersetzt durch …“, „streichen“ und „einfügen“."
        ),
        validators=[_max(20_000)],
        render_kw={"rows": 8},
    )
