"""Which column holds which field: German and English header names, detection, and the user's choices."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError
from campaign.services.common.text import fold_text
from campaign.services.recipients.importing.table import Table
from campaign.services.recipients.records import FIELD_LABELS, FIELDS

IGNORE = "ignorieren"
# Several columns may feed the tags (e.g. „Schlagworte“ and „Tags“); every other field takes one column.
MULTI_COLUMN_FIELDS = frozenset({"tags"})

# Header names in German and English exports, compared after fold_text() (lower case, umlauts spelled out,
# only letters and digits), so „E-Mail“, „e mail“ and „EMAIL“ are one name.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "form_of_address": ("anrede", "salutation", "geschlecht", "gender", "briefanrede", "anredeform"),
    "title": ("titel", "title", "akademischertitel", "akademischergrad", "grad"),
    "first_name": ("vorname", "vornamen", "firstname", "givenname", "forename", "first"),
    "last_name": ("nachname", "name", "lastname", "surname", "familienname", "familyname", "zuname"),
    "group_name": ("gruppe", "gruppenname", "group", "groupname", "empfaengergruppe"),
    "function": ("funktion", "function", "amt", "position", "mandat", "jobtitle", "rolle", "role"),
    "organisation": ("organisation", "organization", "org", "institution", "gremium", "firma", "company"),
    "street": (
        "strasse",
        "str",
        "street",
        "strassehausnummer",
        "strasseundhausnummer",
        "strassenr",
        "adresse",
        "anschrift",
        "address",
        "streetaddress",
        "addressline1",
    ),
    "postcode": ("plz", "postleitzahl", "postcode", "postalcode", "zip", "zipcode"),
    "city": ("ort", "stadt", "city", "wohnort", "town", "place"),
    "country": ("land", "country", "staat"),
    "email": ("email", "mail", "emailadresse", "mailadresse", "emailaddress", "mailaddress"),
    "unterbezirk": ("unterbezirk", "ub", "subdistrict"),
    "kreis": ("kreis", "landkreis", "stadtkreis", "district", "county"),
    "wahlkreis": ("wahlkreis", "wk", "constituency", "electoraldistrict"),
    "kommune": ("kommune", "gemeinde", "stadtgemeinde", "municipality"),
    "tags": ("tags", "tag", "schlagworte", "schlagwoerter", "schlagwort", "stichworte", "labels", "kategorien"),
    "notes": ("notizen", "notiz", "bemerkung", "bemerkungen", "anmerkung", "anmerkungen", "notes", "note", "kommentar"),
}
_FIELD_BY_HEADER = {synonym: name for name, synonyms in HEADER_SYNONYMS.items() for synonym in synonyms}


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    # The field the header was recognised as, or None when the user must decide.
    detected: str | None

    @property
    def label(self) -> str:
        return self.header or _("Spalte %(number)s", number=self.index + 1)


def detect_columns(table: Table) -> list[Column]:
    """Recognise German and English header names; a second column for the same field is left to the user.

    A column without a header and without any data is ignored without asking.
    """
    columns: list[Column] = []
    taken: set[str] = set()
    for index, header in enumerate(table.headers):
        detected = _FIELD_BY_HEADER.get(fold_text(header))
        if not header and not table.column_has_data(index):
            detected = IGNORE
        if detected in taken and detected not in MULTI_COLUMN_FIELDS:
            detected = None
        if detected and detected != IGNORE:
            taken.add(detected)
        columns.append(Column(index, header, detected))
    return columns


def field_choices() -> list[tuple[str, str]]:
    """(value, German label) of every field a column can be assigned to, plus „ignorieren“."""
    return [(IGNORE, _("– ignorieren –")), *((name, str(FIELD_LABELS[name])) for name in FIELDS)]


def parse_field_name(text: str) -> str:
    """A field from its code name or German label („Nachname“, „last_name“, „PLZ“) or „ignorieren“."""
    folded = fold_text(text)
    if folded in {"ignorieren", "ignore", ""}:
        return IGNORE
    for name in FIELDS:
        if folded in {fold_text(name), fold_text(str(FIELD_LABELS[name]))}:
            return name
    if folded in _FIELD_BY_HEADER:
        return _FIELD_BY_HEADER[folded]
    raise ServiceError(
        _(
            "Unbekanntes Feld „%(text)s“. Möglich sind: %(value)s, ignorieren.",
            text=text,
            value=", ".join(map(str, FIELD_LABELS.values())),
        )
    )


def resolve_mapping(columns: list[Column], chosen: Mapping[int, str] | None = None) -> dict[int, str]:
    """Column index → field (or IGNORE): the user's choice, else the detected field; undecided columns are absent."""
    chosen = chosen or {}
    mapping: dict[int, str] = {}
    for column in columns:
        value = chosen.get(column.index) or column.detected
        if value:
            if value != IGNORE and value not in FIELDS:
                raise ServiceError(
                    _("Unbekanntes Feld „%(value)s“ für die Spalte „%(label)s“.", value=value, label=column.label)
                )
            mapping[column.index] = value
    by_field: dict[str, list[str]] = {}
    for column in columns:
        target = mapping.get(column.index)
        if target and target != IGNORE and target not in MULTI_COLUMN_FIELDS:
            by_field.setdefault(target, []).append(column.label)
    for target, labels in by_field.items():
        if len(labels) > 1:
            joined = ", ".join(f"„{label}“" for label in labels)
            raise ServiceError(
                _(
                    "Das Feld „%(value)s“ ist mehreren Spalten zugeordnet: %(joined)s.",
                    value=FIELD_LABELS[target],
                    joined=joined,
                )
            )
    return mapping


def undecided_columns(columns: list[Column], mapping: Mapping[int, str]) -> list[Column]:
    """Columns with data whose meaning the user still has to choose (a field or „ignorieren“)."""
    return [column for column in columns if column.index not in mapping]


def mapping_by_header(columns: list[Column], overrides: Mapping[str, str]) -> dict[int, str]:
    """Turn {"Header": "Feld"} (as given to the CLI) into {column index: field}."""
    result: dict[int, str] = {}
    by_header = {fold_text(column.label): column for column in columns}
    for header, target in overrides.items():
        column = by_header.get(fold_text(header))
        if column is None:
            known = ", ".join(f"„{column.label}“" for column in columns)
            raise ServiceError(
                _("Die Datei hat keine Spalte „%(header)s“. Spalten: %(known)s.", header=header, known=known)
            )
        result[column.index] = parse_field_name(target)
    return result
