"""The merge fields a letter template may use: English names, German aliases, translated labels, the editor's list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class FieldPart:
    """An attribute of a structured merge field (or of each element of a list field)."""

    name: str
    alias: str
    label: str


@dataclass(frozen=True)
class ListLoop:
    """How the editor offers a list field: the loop variable (German, English), the part it prints, its label."""

    item: str
    item_english: str
    shows: str
    label: str


@dataclass(frozen=True)
class MergeField:
    """One top-level merge field; a list field (`loop`) is printed element by element in a `for` loop."""

    name: str
    alias: str
    label: str
    parts: tuple[FieldPart, ...] = ()
    loop: ListLoop | None = None
    # Filled only in follow-ups („Nachfragen“): the campaign's letter templates may not use it.
    follow_up_only: bool = False

    @property
    def is_list(self) -> bool:
        return self.loop is not None

    def part(self, name: str) -> FieldPart | None:
        """The attribute called `name` in either language."""
        return next((part for part in self.parts if name in (part.name, part.alias)), None)


def _parts(*triples: tuple[str, str, str]) -> tuple[FieldPart, ...]:
    return tuple(FieldPart(name, alias, label) for name, alias, label in triples)


# The whitelist (documented in letters/README.md). Aliases are ASCII so they are typed on any keyboard.
FIELDS: tuple[MergeField, ...] = (
    MergeField("salutation", "anrede", _l("Anrede ohne Komma, z. B. „Sehr geehrte Frau Dr. Doğan“")),
    MergeField(
        "recipient",
        "empfaenger",
        _l("Empfänger:in"),
        _parts(
            ("first_name", "vorname", _l("Vorname")),
            ("last_name", "nachname", _l("Nachname")),
            ("full_name", "voller_name", _l("Voller Name mit Titel")),
            ("title", "titel", _l("Akademischer Titel, z. B. „Dr.“")),
            ("function", "funktion", _l("Funktion, z. B. „Delegierte zum Landesparteitag“")),
            ("organisation", "organisation", _l("Organisation oder Gremium")),
            ("unterbezirk", "unterbezirk", _l("Unterbezirk")),
            ("kreis", "kreis", _l("Kreis")),
            ("wahlkreis", "wahlkreis", _l("Wahlkreis")),
            ("kommune", "kommune", _l("Kommune")),
            ("city", "ort", _l("Ort")),
        ),
    ),
    MergeField(
        "sender",
        "absender",
        _l("Absender-Organisation"),
        _parts(
            ("name", "name", _l("Name")),
            ("short_name", "kurzname", _l("Kurzname")),
            ("city", "ort", _l("Ort")),
            ("email", "email", _l("E-Mail-Adresse")),
            ("website", "webseite", _l("Internetseite")),
        ),
    ),
    MergeField(
        "motion",
        "antrag",
        _l("Antrag"),
        _parts(
            ("title", "titel", _l("Titel")),
            ("kind", "art", _l("Art, z. B. „leitantrag“")),
            ("party", "partei", _l("Partei")),
            ("body", "gremium", _l("Vorlegendes Gremium")),
            ("presented_on", "vorgelegt_am", _l("Vorgelegt am")),
            ("decision_forum", "beschlussgremium", _l("Beschließendes Gremium")),
            ("decision_date", "beschlussdatum", _l("Beschlussdatum")),
        ),
    ),
    MergeField(
        "campaign",
        "kampagne",
        _l("Kampagne"),
        _parts(("title", "titel", _l("Titel")), ("deadline", "frist", _l("Antwortfrist"))),
    ),
    MergeField(
        "provisions",
        "kernpunkte",
        _l("Kernpunkte des Antrags (Liste)"),
        _parts(
            ("title", "titel", _l("Titel")),
            ("summary", "zusammenfassung", _l("Zusammenfassung")),
            ("stance", "haltung", _l("Haltung")),
        ),
        loop=ListLoop("kernpunkt", "provision", "title", _l("Alle Kernpunkte nacheinander (Schleife); darin:")),
    ),
    MergeField(
        "arguments",
        "argumente",
        _l("Ausgewählte Argumente (Liste)"),
        _parts(
            ("claim", "kernaussage", _l("Kernaussage")),
            ("paragraph", "absatz", _l("Briefabsatz")),
            ("notes", "quellen", _l("Nummern der Quellen, z. B. „[1, 2]“")),
        ),
        loop=ListLoop(
            "argument", "argument", "paragraph", _l("Alle ausgewählten Argumente nacheinander (Schleife); darin:")
        ),
    ),
    MergeField("deadline", "frist", _l("Antwortfrist der Kampagne, z. B. „15. Dezember 2026“")),
    MergeField("reference_code", "zeichen", _l("Unser Zeichen dieses Briefs")),
    MergeField("date", "datum", _l("Datum des Briefs, z. B. „23. November 2026“")),
    MergeField(
        "original",
        "erster_brief",
        _l("Erster Brief (nur in der Vorlage für Nachfragen)"),
        _parts(
            ("reference_code", "zeichen", _l("Unser Zeichen des ersten Briefs")),
            ("sent_on", "versandt_am", _l("Versanddatum des ersten Briefs, z. B. „2. November 2026“")),
            ("subject", "betreff", _l("Betreff des ersten Briefs")),
        ),
        follow_up_only=True,
    ),
)

BY_NAME: dict[str, MergeField] = {key: field for field in FIELDS for key in (field.name, field.alias)}
# Every top-level name a template may use, English and German.
ALLOWED_NAMES = frozenset(BY_NAME)
LIST_NAMES = frozenset(name for name, field in BY_NAME.items() if field.is_list)
# The English names of the fields only a follow-up template may use.
FOLLOW_UP_NAMES = frozenset(field.name for field in FIELDS if field.follow_up_only)


def canonical(name: str) -> str:
    """The English name of a merge field given in either language (unknown names unchanged)."""
    field = BY_NAME.get(name)
    return field.name if field else name


def _with_part_aliases(field: MergeField, values: dict[str, Any]) -> dict[str, Any]:
    return {**values, **{part.alias: values.get(part.name, "") for part in field.parts}}


def with_aliases(context: dict[str, Any]) -> dict[str, Any]:
    """The merge context with every field and attribute under its German alias as well."""
    result = dict(context)
    for field in FIELDS:
        value = context.get(field.name)
        if field.is_list:
            value = [_with_part_aliases(field, item) for item in value or []]
        elif field.parts:
            value = _with_part_aliases(field, value or {})
        result[field.name] = result[field.alias] = value
    return result


def attribute_names(name: str) -> tuple[str, ...]:
    """The attributes (both languages) of the structured field `name`, or () if it has none."""
    field = BY_NAME.get(name)
    return tuple(dict.fromkeys(key for part in field.parts for key in (part.name, part.alias))) if field else ()


def placeholder_label(path: Iterable[str]) -> str:
    """The label of a placeholder like ("motion", "decision_date"): „Antrag: Beschlussdatum“."""
    first, *rest = list(path)
    field = BY_NAME.get(first)
    if field is None:
        return first
    part = field.part(rest[0]) if rest else None
    return f"{field.label}: {part.label}" if part else str(field.label)


@dataclass(frozen=True)
class Placeholder:
    """One entry of the editor's list: what to type (German, or English) and what it stands for."""

    german: str
    english: str
    label: str


@dataclass(frozen=True)
class PlaceholderGroup:
    label: str
    placeholders: tuple[Placeholder, ...]


def _print(name: str) -> str:
    return "{{ " + name + " }}"


def _loop(item: str, items: str, part: str) -> str:
    return "{% for " + item + " in " + items + " %}\n" + _print(f"{item}.{part}") + "\n\n{% endfor %}"


def placeholder_groups(*, follow_up: bool = False) -> list[PlaceholderGroup]:
    """The whitelist as the editor shows it: simple fields first, then each structured field and each list.

    The fields of the first letter are offered only in the follow-up template's editor (`follow_up`).
    """
    offered = [f for f in FIELDS if follow_up or not f.follow_up_only]
    simple = tuple(Placeholder(_print(f.alias), _print(f.name), f.label) for f in offered if not f.parts)
    groups = [PlaceholderGroup(_("Brief"), simple)]
    for field in (f for f in offered if f.parts):
        loop = field.loop
        owner_de, owner_en = (loop.item, loop.item_english) if loop else (field.alias, field.name)
        entries = [
            Placeholder(_print(f"{owner_de}.{part.alias}"), _print(f"{owner_en}.{part.name}"), part.label)
            for part in field.parts
        ]
        if loop:
            shown = field.part(loop.shows)
            german = _loop(loop.item, field.alias, shown.alias)
            entries.insert(0, Placeholder(german, _loop(loop.item_english, field.name, shown.name), loop.label))
        groups.append(PlaceholderGroup(field.label, tuple(entries)))
    return groups
