"""The dry run and the import: every row checked against the rules and for duplicates, then stored at once."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy.orm import Session

from campaign.models import FormOfAddress, Recipient, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import collapse_spaces, fold_text
from campaign.services.recipients.duplicates import DuplicateIndex, Identity, existing_recipients_index
from campaign.services.recipients.importing.columns import (
    IGNORE,
    MULTI_COLUMN_FIELDS,
    Column,
    detect_columns,
    resolve_mapping,
    undecided_columns,
)
from campaign.services.recipients.importing.table import ImportFileError, Row, Table
from campaign.services.recipients.lists import add_to_list, get_or_create_list
from campaign.services.recipients.records import FIELD_LABELS, clean_recipient, display_name

# Fields that a name can come from: a row needs at least one of them.
NAME_FIELDS = ("first_name", "last_name", "group_name", "organisation")
_GROUP_PREFIX = re.compile(r"^(alle\s+)?mitglieder\b", re.IGNORECASE)


class RowStatus(enum.StrEnum):
    NEW = "neu"
    EXISTING = "vorhanden"
    DUPLICATE = "doppelt"
    INVALID = "fehlerhaft"


STATUS_LABELS = {
    RowStatus.NEW: lazy_gettext("neu"),
    RowStatus.EXISTING: lazy_gettext("bereits vorhanden"),
    RowStatus.DUPLICATE: lazy_gettext("doppelt in der Datei"),
    RowStatus.INVALID: lazy_gettext("fehlerhaft"),
}


@dataclass
class RowResult:
    line: int
    status: RowStatus
    name: str = ""
    values: dict[str, Any] | None = None
    messages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing_id: int | None = None


@dataclass
class ImportPlan:
    """The dry run: every row's outcome, in file order, without any change to the database."""

    table: Table
    columns: list[Column]
    mapping: dict[int, str]
    rows: list[RowResult]
    notices: list[str] = field(default_factory=list)

    def count(self, status: RowStatus) -> int:
        return sum(1 for row in self.rows if row.status is status)

    @property
    def counts(self) -> dict[RowStatus, int]:
        return {status: self.count(status) for status in RowStatus}

    @property
    def has_errors(self) -> bool:
        return any(row.status is RowStatus.INVALID for row in self.rows)

    @property
    def problems(self) -> list[tuple[int, str]]:
        """(line, message) for every invalid or duplicate row and every warning, by line."""
        found: list[tuple[int, str]] = []
        for row in self.rows:
            found.extend((row.line, message) for message in row.messages)
            found.extend((row.line, f"Hinweis: {message}") for message in row.warnings)
        return found

    @property
    def importable(self) -> int:
        return self.count(RowStatus.NEW)

    @property
    def existing(self) -> int:
        return self.count(RowStatus.EXISTING)


@dataclass
class RecipientImport:
    """What an import changed; passed to the audit log as the imported object."""

    filename: str
    created: int = 0
    existing: int = 0
    duplicates_in_file: int = 0
    skipped_invalid: int = 0
    list_name: str = ""
    list_created: bool = False
    added_to_list: int = 0
    id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.added_to_list or self.list_created)


def plan_import(
    session: Session, table: Table, chosen: Mapping[int, str] | None = None, *, ignore_undecided: bool = True
) -> ImportPlan:
    """Check every row against the rules and for duplicates (in the file and in the database); change nothing."""
    columns = detect_columns(table)
    mapping = resolve_mapping(columns, chosen)
    notices: list[str] = []
    for column in undecided_columns(columns, mapping):
        if not ignore_undecided:
            raise ServiceError(
                gettext("Bitte für die Spalte „%(label)s“ ein Feld wählen oder „ignorieren“.", label=column.label)
            )
        notices.append(gettext("Spalte „%(label)s“ nicht erkannt und ignoriert.", label=column.label))
        mapping[column.index] = IGNORE
    used = {target for target in mapping.values() if target != IGNORE}
    if not used & set(NAME_FIELDS):
        known = ", ".join(f"„{column.label}“" for column in columns)
        raise ImportFileError(
            gettext(
                "Die Datei hat keine Spalte für den Namen (Vorname/Nachname, Gruppe oder Organisation). "
                "Gefundene Spalten: %(known)s.",
                known=known,
            )
        )

    existing = existing_recipients_index(session)
    in_file: DuplicateIndex[int] = DuplicateIndex()
    width = len(table.headers)
    quote_ends: dict[int, int] = {}
    for row in table.rows:
        if row.unclosed_quote:
            quote_ends[row.unclosed_quote] = max(row.line, quote_ends.get(row.unclosed_quote, 0))
    results = [
        _unclosed_quote(row, quote_ends[row.unclosed_quote])
        if row.unclosed_quote
        else _check_row(row, mapping, width, existing, in_file)
        for row in table.rows
    ]
    return ImportPlan(table, columns, mapping, results, notices)


def _row_values(row: Row, mapping: Mapping[int, str]) -> dict[str, str]:
    raw: dict[str, str] = {}
    for index, target in mapping.items():
        if target == IGNORE or index >= len(row.cells):
            continue
        value = row.cells[index].strip()
        if target in MULTI_COLUMN_FIELDS and raw.get(target):
            raw[target] = f"{raw[target]},{value}"
        else:
            raw[target] = value
    return raw


def _interpret_row(raw: dict[str, str], warnings_: list[str]) -> None:
    """Turn spreadsheet conventions into our fields: „Frau Dr.“ in the Anrede column, group rows."""
    salutation = collapse_spaces(raw.get("form_of_address", ""))
    first, _, rest = salutation.partition(" ")
    if rest and fold_text(first) in {"frau", "herr", "herrn"}:
        raw["form_of_address"] = first
        if not raw.get("title"):
            raw["title"] = rest
    if fold_text(raw.get("form_of_address", "")) in {"gruppe", "group", "mitglieder", "andie"}:
        raw["form_of_address"] = FormOfAddress.GRUPPE.value
        return
    first_name, last_name = raw.get("first_name", ""), raw.get("last_name", "")
    if not first_name and _GROUP_PREFIX.match(last_name) and not raw.get("group_name"):
        raw["group_name"], raw["last_name"] = last_name, ""
        last_name = ""
    if not first_name and not last_name and (raw.get("group_name") or raw.get("organisation")):
        raw["form_of_address"] = FormOfAddress.GRUPPE.value
    elif raw.get("group_name") and (first_name or last_name):
        warnings_.append(
            gettext(
                "Gruppe „%(group)s“ nicht übernommen, weil die Zeile einen Personennamen hat.", group=raw["group_name"]
            )
        )
        raw["group_name"] = ""


def _unclosed_quote(row: Row, last: int) -> RowResult:
    """A row read into a quote that was never closed: invalid, its line named, its cells not trusted."""
    if row.line == row.unclosed_quote:
        message = gettext(
            'Ein Anführungszeichen (") wird nicht geschlossen; die Zeilen %(first)s–%(last)s wurden als ein '
            "einziges Feld gelesen und werden nicht importiert. Bitte das Anführungszeichen in Zeile %(first)s "
            "schließen oder entfernen.",
            first=row.unclosed_quote,
            last=last,
        )
    else:
        message = gettext(
            "gehört zum nicht geschlossenen Anführungszeichen aus Zeile %(line)s und wird nicht importiert.",
            line=row.unclosed_quote,
        )
    return RowResult(row.line, RowStatus.INVALID, messages=[message])


def _check_row(
    row: Row, mapping: Mapping[int, str], width: int, existing: DuplicateIndex[int], in_file: DuplicateIndex[int]
) -> RowResult:
    extra = [cell for cell in row.cells[width:] if cell.strip()]
    if extra:
        return RowResult(
            row.line,
            RowStatus.INVALID,
            messages=[
                gettext(
                    "%(count)s Felder statt %(width)s wie in der Kopfzeile "
                    "(Trennzeichen oder Anführungszeichen im Text prüfen).",
                    count=len(row.cells),
                    width=width,
                )
            ],
        )
    if len(row.cells) < width:
        return RowResult(
            row.line,
            RowStatus.INVALID,
            messages=[
                gettext(
                    "nur %(count)s von %(width)s Feldern (Zeile abgeschnitten oder falsches Trennzeichen?).",
                    count=len(row.cells),
                    width=width,
                )
            ],
        )
    row_warnings: list[str] = []
    raw = _row_values(row, mapping)
    _interpret_row(raw, row_warnings)
    cleaned = clean_recipient(raw)
    row_warnings.extend(cleaned.warnings)
    name = display_name(cleaned.values)
    if not cleaned.ok:
        messages = [f"{FIELD_LABELS[key]}: {message}" for key, message in cleaned.errors.items()]
        return RowResult(row.line, RowStatus.INVALID, name, messages=messages, warnings=row_warnings)
    identity = Identity.of(cleaned.values)
    existing_id = existing.find(identity)
    if existing_id is not None:
        message = gettext("bereits vorhanden (Empfänger:in Nr. %(id)s) – wird übersprungen.", id=existing_id)
        return RowResult(row.line, RowStatus.EXISTING, name, cleaned.values, [message], row_warnings, existing_id)
    earlier = in_file.find(identity)
    if earlier is not None:
        message = gettext("doppelt in der Datei (wie Zeile %(line)s) – wird übersprungen.", line=earlier)
        return RowResult(row.line, RowStatus.DUPLICATE, name, cleaned.values, [message], row_warnings)
    in_file.add(identity, row.line)
    return RowResult(row.line, RowStatus.NEW, name, cleaned.values, warnings=row_warnings)


# ---- the import ----


def run_import(
    session: Session,
    plan: ImportPlan,
    *,
    filename: str = "",
    list_name: str | None = None,
    skip_invalid: bool = False,
    user: User | None = None,
) -> RecipientImport:
    """Store the plan's new rows (and put new and matching existing recipients on a list); all or nothing."""
    invalid = plan.count(RowStatus.INVALID)
    if invalid and not skip_invalid:
        raise ServiceError(
            gettext(
                "%(invalid)s Zeile(n) sind fehlerhaft; nichts importiert. Bitte die Datei korrigieren oder "
                "ausdrücklich nur die gültigen Zeilen importieren.",
                invalid=invalid,
            )
        )
    result = RecipientImport(
        filename=Path(filename).name,
        existing=plan.count(RowStatus.EXISTING),
        duplicates_in_file=plan.count(RowStatus.DUPLICATE),
        skipped_invalid=invalid,
    )
    created = [Recipient(**row.values) for row in plan.rows if row.status is RowStatus.NEW and row.values]
    session.add_all(created)
    session.flush()
    result.created = len(created)
    if list_name and list_name.strip():
        recipient_list, result.list_created = get_or_create_list(session, list_name, user=user)
        result.list_name = recipient_list.name
        ids = [recipient.id for recipient in created]
        ids += [row.existing_id for row in plan.rows if row.status is RowStatus.EXISTING and row.existing_id]
        result.added_to_list = add_to_list(session, recipient_list, ids, user=user)
    if result.changed:
        record(
            session,
            "recipient.import",
            result,
            user=user,
            filename=result.filename,
            created=result.created,
            existing=result.existing,
            duplicates_in_file=result.duplicates_in_file,
            skipped_invalid=result.skipped_invalid,
            list=result.list_name,
            added_to_list=result.added_to_list,
            first_id=created[0].id if created else None,
            last_id=created[-1].id if created else None,
        )
    return result


def summary_line(plan: ImportPlan) -> str:
    counts = plan.counts
    parts = [f"{len(plan.rows)} Datenzeilen"] + [f"{STATUS_LABELS[status]}: {counts[status]}" for status in RowStatus]
    return " · ".join(parts)


def report_lines(plan: ImportPlan) -> Iterator[str]:
    """The dry-run report as text lines (for the CLI): detected format, columns, counts and every problem."""
    yield f"Datei: {plan.table.description}"
    for column in plan.columns:
        target = plan.mapping.get(column.index, IGNORE)
        yield f"  Spalte „{column.label}“ → {FIELD_LABELS.get(target, 'ignoriert')}"
    yield from plan.notices
    yield summary_line(plan)
    for line, message in plan.problems:
        yield f"Zeile {line}: {message}"


def result_line(result: RecipientImport) -> str:
    """What an import did, in one sentence (the page's flash message, the CLI's last line)."""
    parts = [
        gettext("%(count)s neu angelegt", count=result.created),
        gettext("%(count)s bereits vorhanden", count=result.existing),
    ]
    if result.duplicates_in_file:
        parts.append(gettext("%(count)s doppelt in der Datei", count=result.duplicates_in_file))
    if result.skipped_invalid:
        parts.append(
            ngettext(
                "%(num)s fehlerhafte Zeile übersprungen",
                "%(num)s fehlerhafte Zeilen übersprungen",
                result.skipped_invalid,
            )
        )
    if result.list_name:
        if result.list_created:
            added = gettext(
                "%(count)s zur Liste „%(name)s“ (neu angelegt) hinzugefügt",
                count=result.added_to_list,
                name=result.list_name,
            )
        else:
            added = gettext(
                "%(count)s zur Liste „%(name)s“ hinzugefügt", count=result.added_to_list, name=result.list_name
            )
        parts.append(added)
    return gettext("Import: %(parts)s.", parts=", ".join(parts))
