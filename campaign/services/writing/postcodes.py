"""The postcode table organisers import (postcode → Unterbezirk, Kreis, Wahlkreis or Kommune) and matching with it.

File format (CSV with `;`, `,` or tab, or XLSX; first line the header):

    plz;ebene;gebiet
    40210;Wahlkreis;Düsseldorf I
    40210;Unterbezirk;Düsseldorf

`plz` is a five-digit German postcode, `ebene` one of Unterbezirk, Kreis, Wahlkreis, Kommune (any case), `gebiet`
the area's name exactly as the recipients' field of that name holds it (case, accents and spaces do not matter).
A postcode may lie in several areas of one level: give one line each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from campaign.models import AreaKind, AuditEvent, Campaign, OpenRecipient, PostcodeArea, Recipient, Target, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import collapse_spaces, fold_text
from campaign.services.recipients.importing.reader import read_table
from campaign.services.recipients.postcodes import GERMAN_POSTCODE

HEADERS = {"plz": "postcode", "postleitzahl": "postcode", "ebene": "kind", "gebiet": "area"}
KINDS = {kind.value: kind for kind in AreaKind}
MAX_AREA = 120
MAX_PROBLEMS_SHOWN = 50


@dataclass
class PostcodeImport:
    """What an import found and did: rows read, problems with their line numbers, rows added."""

    rows: int = 0
    valid: int = 0
    added: int = 0
    removed: int = 0
    stored: bool = False
    problems: list[tuple[int, str]] = field(default_factory=list)


def _columns(headers: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = HEADERS.get(fold_text(header))
        if name and name not in found:
            found[name] = index
    missing = [
        label for name, label in (("postcode", "plz"), ("kind", "ebene"), ("area", "gebiet")) if name not in found
    ]
    if missing:
        raise ServiceError(
            _(
                "Die Kopfzeile braucht die Spalten plz, ebene und gebiet; es fehlt: %(missing)s.",
                missing=", ".join(missing),
            ),
            "file",
        )
    return found


def _row(cells: Sequence[str], columns: dict[str, int]) -> tuple[str, AreaKind, str]:
    """One row's (postcode, level, area); ServiceError with the reason if it is not usable."""
    value = {name: collapse_spaces(cells[index]) if index < len(cells) else "" for name, index in columns.items()}
    if not GERMAN_POSTCODE.fullmatch(value["postcode"]):
        raise ServiceError(_("„%(postcode)s“ ist keine fünfstellige Postleitzahl.", postcode=value["postcode"][:20]))
    kind = KINDS.get(fold_text(value["kind"]))
    if kind is None:
        raise ServiceError(
            _(
                "Ebene „%(kind)s“ gibt es nicht; erlaubt sind Unterbezirk, Kreis, Wahlkreis, Kommune.",
                kind=value["kind"][:30],
            )
        )
    if not value["area"]:
        raise ServiceError(_("Das Gebiet fehlt."))
    if len(value["area"]) > MAX_AREA:
        raise ServiceError(_("Das Gebiet ist länger als %(max)s Zeichen.", max=MAX_AREA))
    return value["postcode"], kind, value["area"]


def import_postcodes(
    session: Session,
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    replace: bool = False,
    user: User | None = None,
) -> PostcodeImport:
    """Read the postcode table; store it unless a dry run, or unless rows are bad and skip_invalid is not set.

    With `replace` the old table goes first; otherwise rows already there are kept and only new ones added.
    """
    table = read_table(data, filename)
    columns = _columns(table.headers)
    report = PostcodeImport(rows=len(table.rows))
    rows: dict[tuple[str, AreaKind, str], None] = {}
    for row in table.rows:
        if not any(cell.strip() for cell in row.cells):
            continue
        try:
            rows[_row(row.cells, columns)] = None
        except ServiceError as error:
            report.problems.append((row.line, str(error)))
    report.valid = len(rows)
    if dry_run or (report.problems and not skip_invalid) or not rows:
        return report
    if replace:
        report.removed = session.execute(delete(PostcodeArea)).rowcount or 0
    existing = {
        tuple(row) for row in session.execute(select(PostcodeArea.postcode, PostcodeArea.kind, PostcodeArea.area))
    }
    new = [key for key in rows if key not in existing]
    session.add_all(PostcodeArea(postcode=code, kind=kind, area=area) for code, kind, area in new)
    report.added, report.stored = len(new), True
    session.flush()
    session.add(
        AuditEvent(
            action="postcodes.import",
            object_type="PostcodeArea",
            user_id=user.id if user else None,
            details={"added": report.added, "removed": report.removed},
        )
    )
    session.flush()
    return report


def postcode_table_size(session: Session) -> tuple[int, int]:
    """(rows, distinct postcodes) of the table."""
    rows = session.scalar(select(func.count()).select_from(PostcodeArea)) or 0
    codes = session.scalar(select(func.count(func.distinct(PostcodeArea.postcode)))) or 0
    return rows, codes


def _reachable(recipient: Recipient) -> bool:
    return bool(recipient.email) or recipient.has_postal_address


def recipients_for_postcode(session: Session, campaign: Campaign, postcode: str) -> list[Recipient]:
    """The campaign's recipients whose Unterbezirk, Kreis, Wahlkreis or Kommune the postcode lies in."""
    areas = session.execute(select(PostcodeArea.kind, PostcodeArea.area).where(PostcodeArea.postcode == postcode))
    wanted = {(kind, fold_text(area)) for kind, area in areas}
    if not wanted:
        return []
    targets = session.scalars(select(Recipient).join(Target).where(Target.campaign_id == campaign.id))
    return [
        recipient
        for recipient in targets
        if _reachable(recipient)
        and any((kind, fold_text(getattr(recipient, kind.value))) in wanted for kind in AreaKind)
    ]


def open_recipients(session: Session, campaign: Campaign) -> list[Recipient]:
    """The recipients the organisers opened to every supporter, by name."""
    return list(
        session.scalars(
            select(Recipient)
            .join(OpenRecipient, OpenRecipient.recipient_id == Recipient.id)
            .join(Target, (Target.recipient_id == Recipient.id) & (Target.campaign_id == campaign.id))
            .where(OpenRecipient.campaign_id == campaign.id)
            .order_by(Recipient.last_name, Recipient.first_name, Recipient.id)
        )
    )


def writable_recipient(session: Session, campaign: Campaign, recipient_id: int, postcode: str) -> Recipient:
    """The recipient a supporter chose, if it is one they may write to (by postcode or opened to all)."""
    if not recipient_id:
        # Nobody is chosen in advance: a letter to whoever happens to be listed first is not the writer's choice.
        raise ServiceError(_("Bitte wählen Sie, an wen Sie schreiben möchten."), "recipient")
    allowed = recipients_for_postcode(session, campaign, postcode) if postcode else []
    allowed += open_recipients(session, campaign)
    for recipient in allowed:
        if recipient.id == recipient_id:
            return recipient
    raise ServiceError(_("Bitte wählen Sie eine der angebotenen Empfänger:innen."), "recipient")
