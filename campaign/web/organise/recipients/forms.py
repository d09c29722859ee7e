"""Forms of the recipient pages: filter, recipient, lists, bulk add, import upload and column mapping."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from campaign.models import FormOfAddress, Recipient, RecipientList
from campaign.services.recipients.importing import IGNORE, Column
from campaign.services.recipients.records import FIELD_LABELS, FIELDS, MAX_STREET_LINES
from campaign.services.recipients.search import FilterChoices, RecipientFilter

FORM_OF_ADDRESS_CHOICES = [
    SelectChoice(FormOfAddress.FRAU.value, _l("Frau")),
    SelectChoice(FormOfAddress.HERR.value, _l("Herr")),
    SelectChoice(FormOfAddress.DIVERS.value, _l("divers (Anrede mit vollem Namen)")),
    SelectChoice(FormOfAddress.UNBEKANNT.value, _l("unbekannt (Anrede mit vollem Namen)")),
    SelectChoice(FormOfAddress.GRUPPE.value, _l("Gruppe („Mitglieder der …“)")),
]
YES_NO_ANY = [SelectChoice("", _l("egal")), SelectChoice("ja", _l("vorhanden")), SelectChoice("nein", _l("fehlt"))]
# Query parameters of the filter form (kept in page links and the bulk action).
FILTER_PARAMS = ("q", "list_id", "tag", "function", "unterbezirk", "kreis", "wahlkreis", "kommune", "email", "post")
IMPORT_EXTENSIONS = ["csv", "txt", "tsv", "xlsx", "xlsm"]


def _limit(name: str) -> Length:
    return Length(max=Recipient.__table__.c[name].type.length)


def _yes_no(value: str | None) -> bool | None:
    return {"ja": True, "nein": False}.get(value or "")


class RecipientFilterForm(FlaskForm):
    """The GET form above the recipients table; nothing is changed, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Suche"), description=_l("Name, Organisation, E-Mail oder Ort"))
    # Every select defaults to "" (any), so a form that sends only some filters is still valid.
    list_id = SelectField(_l("Liste"), default="")
    tag = SelectField(_l("Schlagwort"), default="")
    function = StringField(_l("Funktion enthält"))
    unterbezirk = SelectField(_l("Unterbezirk"), default="")
    kreis = SelectField(_l("Kreis"), default="")
    wahlkreis = SelectField(_l("Wahlkreis"), default="")
    kommune = SelectField(_l("Kommune"), default="")
    email = SelectField(_l("E-Mail-Adresse"), choices=YES_NO_ANY, default="")
    post = SelectField(_l("Postanschrift"), choices=YES_NO_ANY, default="")

    def set_choices(self, choices: FilterChoices) -> None:
        anything = SelectChoice("", _l("alle"))
        self.list_id.choices = [anything, *(SelectChoice(str(item.id), item.name) for item in choices.lists)]
        self.tag.choices = [anything, *(SelectChoice(tag) for tag in choices.tags)]
        for name, values in (
            ("unterbezirk", choices.unterbezirke),
            ("kreis", choices.kreise),
            ("wahlkreis", choices.wahlkreise),
            ("kommune", choices.kommunen),
        ):
            getattr(self, name).choices = [anything, *(SelectChoice(value) for value in values)]

    def to_filter(self) -> RecipientFilter:
        list_id = self.list_id.data or ""
        return RecipientFilter(
            text=(self.q.data or "").strip()[:200],
            list_id=int(list_id) if list_id.isdigit() else None,
            tag=(self.tag.data or "").strip(),
            function=(self.function.data or "").strip()[:200],
            unterbezirk=self.unterbezirk.data or "",
            kreis=self.kreis.data or "",
            wahlkreis=self.wahlkreis.data or "",
            kommune=self.kommune.data or "",
            has_email=_yes_no(self.email.data),
            has_postal_address=_yes_no(self.post.data),
        )


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (usable without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class RecipientForm(FlaskForm):
    form_of_address = SelectField(_l("Anrede"), choices=FORM_OF_ADDRESS_CHOICES, default=FormOfAddress.UNBEKANNT.value)
    title = StringField(_l("Titel"), validators=[_limit("title")], description=_l("z. B. „Dr.“ oder „Prof. Dr.“"))
    first_name = StringField(_l("Vorname"), validators=[_limit("first_name")])
    last_name = StringField(_l("Nachname"), validators=[_limit("last_name")])
    group_name = StringField(
        _l("Gruppe"),
        validators=[_limit("group_name")],
        description=_l("Nur bei der Anrede „Gruppe“, z. B. „Mitglieder des SPD-Unterbezirks Köln“."),
    )
    function = StringField(_l("Funktion"), validators=[_limit("function")])
    organisation = StringField(_l("Organisation / Gremium"), validators=[_limit("organisation")])
    street = TextAreaField(
        _l("Straße und Hausnummer"),
        validators=[_limit("street")],
        description=_l(
            "Bis zu %(lines)s Zeilen, z. B. „c/o …“ oder „2. OG“ auf einer eigenen Zeile.", lines=MAX_STREET_LINES
        ),
        render_kw={"rows": MAX_STREET_LINES},
    )
    postcode = StringField(_l("PLZ"), validators=[_limit("postcode")])
    city = StringField(_l("Ort"), validators=[_limit("city")])
    country = StringField(
        _l("Land"), validators=[_limit("country")], description=_l("Leer lassen für Deutschland (PLZ mit 5 Ziffern).")
    )
    email = StringField(_l("E-Mail-Adresse"), validators=[_limit("email")])
    unterbezirk = StringField(_l("Unterbezirk"), validators=[_limit("unterbezirk")])
    kreis = StringField(_l("Kreis"), validators=[_limit("kreis")])
    wahlkreis = StringField(_l("Wahlkreis"), validators=[_limit("wahlkreis")])
    kommune = StringField(_l("Kommune"), validators=[_limit("kommune")])
    tags = StringField(
        _l("Schlagworte"),
        validators=[Length(max=2000)],
        description=_l("Durch Kommas getrennt, z. B. „delegierte, kommunalpolitik“."),
    )
    notes = TextAreaField(_l("Notizen"), validators=[Length(max=10000)])
    lists = MultiCheckboxField(_l("Listen"), coerce=int, validate_choice=False)

    def set_list_choices(self, lists: list[RecipientList]) -> None:
        self.lists.choices = [SelectChoice(item.id, item.name) for item in lists]

    def values(self) -> dict[str, str]:
        """The submitted field values as the recipient service expects them."""
        return {name: getattr(self, name).data or "" for name in FIELDS}

    def fill_from(self, recipient: Recipient) -> None:
        for name in FIELDS:
            value = getattr(recipient, name)
            if name == "tags":
                value = ", ".join(value or [])
            elif name == "form_of_address":
                value = value.value
            getattr(self, name).data = value
        self.lists.data = [item.id for item in recipient.lists]


class ListForm(FlaskForm):
    name = StringField(
        _l("Name der Liste"),
        validators=[DataRequired(_l("Bitte einen Namen für die Liste angeben.")), Length(max=200)],
    )
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=5000)])


class BulkAddForm(FlaskForm):
    """Put every recipient matching the current filter on a list (an existing one or a new one)."""

    list_id = SelectField(_l("Liste"), validate_choice=False)
    new_list = StringField(_l("oder neue Liste"), validators=[Optional(), Length(max=200)])

    def set_list_choices(self, lists: list[RecipientList]) -> None:
        self.list_id.choices = [
            ("", _l("– neue Liste (Name rechts) –")),
            *((str(item.id), item.name) for item in lists),
        ]


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Datei (CSV oder XLSX)"),
        validators=[
            FileRequired(_l("Bitte eine Datei auswählen.")),
            FileAllowed(IMPORT_EXTENSIONS, _l("Bitte eine CSV- oder XLSX-Datei wählen.")),
        ],
        description=_l("Höchstens 5 MB und 20.000 Zeilen; die erste Zeile enthält die Spaltennamen."),
    )
    list_name = StringField(
        _l("Zur Liste hinzufügen (optional)"),
        validators=[Optional(), Length(max=200)],
        description=_l(
            "Neue und bereits vorhandene Personen aus der Datei kommen auf diese Liste; fehlt sie, wird sie angelegt."
        ),
    )


def mapping_form(columns: list[Column], chosen: dict[int, str]) -> FlaskForm:
    """A form with one select per column: the field it fills, or „ignorieren“."""

    class MappingForm(FlaskForm):
        pass

    options = [SelectChoice("", _l("– bitte wählen –")), SelectChoice(IGNORE, _l("– ignorieren –"))]
    options += [SelectChoice(name, FIELD_LABELS[name]) for name in FIELDS]
    for column in columns:
        field = SelectField(
            column.label,
            choices=options,
            default=chosen.get(column.index) or column.detected or "",
            validators=[DataRequired(_l("Bitte ein Feld oder „ignorieren“ wählen."))],
        )
        setattr(MappingForm, f"column_{column.index}", field)
    return MappingForm()


def chosen_mapping(form: FlaskForm, columns: list[Column]) -> dict[int, str]:
    return {column.index: getattr(form, f"column_{column.index}").data for column in columns}
