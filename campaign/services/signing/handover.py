"""The handover list: every confirmed signature of a campaign, as CSV, XLSX or PDF, with a SHA-256 fingerprint.

The fingerprint is the SHA-256 of the list's cells (as written into the file), one row a line, so the list can be
checked later: `campaign signatures verify FILE` recomputes it from a CSV or XLSX and compares it with the one
printed in the file and the ones stored when lists were made. A changed, added or removed row changes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, HandoverList, Signature, SignatureStatus, Supporter, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.common.tabular import spreadsheet_safe
from campaign.services.letters.pdf import render_pdf

HEADERS = ("Nr.", "Vorname", "Nachname", "PLZ", "Ort", "Organisation", "Funktion", "Bestätigt am")
FINGERPRINT_LABEL = "SHA-256-Fingerabdruck"
FORMATS = ("csv", "xlsx", "pdf")


@dataclass(frozen=True)
class Handover:
    rows: list[tuple[str, ...]]
    fingerprint: str


def fingerprint(rows: Sequence[Sequence[str]]) -> str:
    """SHA-256 over the rows: cells separated by a unit separator, rows by a line feed."""
    digest = hashlib.sha256()
    for row in rows:
        digest.update(("\x1f".join(row) + "\n").encode("utf-8"))
    return digest.hexdigest()


def handover_rows(session: Session, campaign: Campaign) -> list[tuple[str, ...]]:
    statement = (
        select(Supporter, Signature)
        .join(Signature, Signature.supporter_id == Supporter.id)
        .where(Signature.campaign_id == campaign.id, Signature.status == SignatureStatus.CONFIRMED)
        .order_by(Signature.confirmed_at, Signature.id)
    )
    rows = []
    for number, (person, signature) in enumerate(session.execute(statement), start=1):
        cells = (
            str(number),
            person.first_name,
            person.last_name,
            person.postcode,
            person.city,
            signature.organisation,
            signature.function,
            signature.confirmed_at.strftime("%d.%m.%Y") if signature.confirmed_at else "",
        )
        rows.append(tuple(spreadsheet_safe(cell) for cell in cells))
    return rows


def make_handover(session: Session, campaign: Campaign, *, user: User | None = None) -> Handover:
    """The list as it stands, its fingerprint stored (and the making audited)."""
    rows = handover_rows(session, campaign)
    result = Handover(rows, fingerprint(rows))
    stored = HandoverList(
        campaign_id=campaign.id,
        fingerprint=result.fingerprint,
        signatures=len(rows),
        created_by_id=user.id if user else None,
    )
    session.add(stored)
    session.flush()
    record(session, "handover.make", stored, user=user, signatures=len(rows), fingerprint=result.fingerprint)
    return result


def handover_file(handover: Handover, campaign: Campaign, fmt: str) -> bytes:
    if fmt == "csv":
        return _csv(handover)
    if fmt == "xlsx":
        return _xlsx(handover, campaign)
    if fmt == "pdf":
        return _pdf(handover, campaign)
    raise ServiceError(_("Unbekanntes Format „%(fmt)s“; möglich sind %(value)s.", fmt=fmt, value=", ".join(FORMATS)))


def _csv(handover: Handover) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(handover.rows)
    writer.writerow([])
    writer.writerow([FINGERPRINT_LABEL, handover.fingerprint])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(handover: Handover, campaign: Campaign) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Unterschriften")
    sheet.append(list(HEADERS))
    for row in handover.rows:
        sheet.append(list(row))
    sheet.append([])
    sheet.append([FINGERPRINT_LABEL, handover.fingerprint])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _pdf(handover: Handover, campaign: Campaign) -> bytes:
    head = Markup("").join(Markup("<th>{}</th>").format(cell) for cell in HEADERS)
    body = Markup("").join(
        Markup("<tr>{}</tr>").format(Markup("").join(Markup("<td>{}</td>").format(cell) for cell in row))
        for row in handover.rows
    )
    html = Markup(
        "<!doctype html><html lang='de'><head><meta charset='utf-8'><title>Unterschriften: {title}</title>"
        "<style>body{{font-size:9pt}} table{{border-collapse:collapse;width:100%}} td,th{{border:1px solid #999;"
        "padding:2pt 3pt;text-align:left}} .fp{{font-family:monospace;word-break:break-all}}</style></head><body>"
        "<h1>Unterschriften: {title}</h1><p>Bestätigte Mitzeichnungen: {count}</p>"
        "<p>{label}: <span class='fp'>{fp}</span></p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        "</table></body></html>"
    ).format(title=escape(campaign.title), count=len(handover.rows), label=FINGERPRINT_LABEL, fp=handover.fingerprint,
             head=head, body=body)  # fmt: skip
    return render_pdf(str(html))


@dataclass(frozen=True)
class Verification:
    rows: int
    computed: str
    printed: str
    stored: bool

    @property
    def intact(self) -> bool:
        return bool(self.printed) and self.computed == self.printed and self.stored


def _read_rows(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        from campaign.services.recipients.importing.xlsx import check_workbook  # with openpyxl, only for XLSX

        data = path.read_bytes()
        check_workbook(data, path.name)  # the import's guard: nothing that unpacks or parses to too much
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is no workbook
            raise ServiceError(_("%(name)s ist keine lesbare Excel-Datei.", name=path.name)) from exc
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            return [["" if cell is None else str(cell) for cell in row] for row in rows]
        finally:
            workbook.close()  # read-only workbooks keep their file open until closed
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ServiceError(_("%(name)s ist keine UTF-8-CSV-Datei einer Übergabeliste.", name=path.name)) from exc
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def verify_file(session: Session, path: Path) -> Verification:
    """Recompute the fingerprint of a handover list (CSV or XLSX) and compare it with the printed and stored ones."""
    try:
        rows = _read_rows(path)
    except OSError as exc:
        raise ServiceError(
            _("%(path)s lässt sich nicht lesen: %(strerror)s", path=path, strerror=exc.strerror)
        ) from exc
    if not rows or tuple(rows[0][: len(HEADERS)]) != HEADERS:
        raise ServiceError(_("%(name)s ist keine Übergabeliste (die Kopfzeile fehlt).", name=path.name))
    printed, data = "", []
    for row in rows[1:]:
        cells = [cell for cell in row if cell != ""]
        if cells and cells[0] == FINGERPRINT_LABEL:
            printed = cells[1] if len(cells) > 1 else ""
            break
        if cells:
            data.append(tuple((list(row) + [""] * len(HEADERS))[: len(HEADERS)]))
    computed = fingerprint(data)
    stored = session.scalar(select(HandoverList.id).where(HandoverList.fingerprint == computed).limit(1)) is not None
    return Verification(rows=len(data), computed=computed, printed=printed, stored=stored)
