"""Motion imports' entry points: read an uploaded file by its type, create a motion from it or replace a text."""

from __future__ import annotations

import re
from pathlib import PurePath

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from campaign.models import Motion, MotionStatus, User
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import format_megabytes
from campaign.services.evidence.motion_import.antragsgruen import motion_from_antragsgruen
from campaign.services.evidence.motion_import.imported import (
    ALLOWED_EXTENSIONS,
    MAX_IMPORT_BYTES,
    TEXT_TOO_LONG,
    ImportedMotion,
    leading_title,
)
from campaign.services.evidence.motion_import.pdf import text_from_pdf
from campaign.services.evidence.motion_import.plain_text import text_from_txt
from campaign.services.evidence.motions import MAX_TEXT_LENGTH, MotionData, Reanchoring, create_motion, replace_text


def read_motion_file(filename: str, data: bytes) -> ImportedMotion:
    """Read an uploaded file by its type; every problem is a ServiceError with a German message."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError(
            _(
                "Die Datei ist zu groß (%(value)s); erlaubt sind höchstens %(value2)s MB.",
                value=format_megabytes(len(data)),
                value2=MAX_IMPORT_BYTES // 1024 // 1024,
            ),
            "file",
        )
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        raise ServiceError(
            _("Bitte eine Datei mit der Endung .txt, .docx, .pdf oder .json (Antragsgrün-Export) hochladen."), "file"
        )
    if not data.strip():
        raise ServiceError(_("Die Datei ist leer."), "file")
    if extension == "pdf" or data.lstrip()[:5] == b"%PDF-":
        imported = ImportedMotion(text=text_from_pdf(data), format="pdf")
    elif extension == "docx":
        # Imported here: python-docx is needed for this format only, not by every process that builds the app.
        from campaign.services.evidence.motion_import.word import motion_from_docx

        imported = motion_from_docx(data)
    elif extension == "json":
        imported = motion_from_antragsgruen(data)
    else:
        text = text_from_txt(data)
        imported = ImportedMotion(text=text, format="txt", title=leading_title(text))
    if len(imported.text) > MAX_TEXT_LENGTH:
        raise ServiceError(str(TEXT_TOO_LONG), "file")
    return imported


def _fallback_title(filename: str) -> str:
    stem = PurePath(filename or "").stem.replace("_", " ").replace("-", " ").strip()
    return re.sub(r"\s+", " ", stem)[:300] or "Importierter Antrag"


def import_new_motion(
    session: Session, filename: str, data: bytes, *, title: str = "", user: User | None = None
) -> tuple[Motion, ImportedMotion]:
    """Create a motion from a file; the title comes from the form, else from the file, else from its name."""
    imported = read_motion_file(filename, data)
    motion = create_motion(
        session,
        MotionData(
            title=(title or "").strip() or imported.title or _fallback_title(filename),
            full_text=imported.text,
            presented_on=imported.presented_on,
            status=imported.status or MotionStatus.PRESENTED,
            body=imported.body,
            source_url=imported.source_url,
        ),
        user=user,
        imported_from=imported.format,
        filename=(filename or "")[:200],
    )
    return motion, imported


def import_into_motion(
    session: Session, motion: Motion, filename: str, data: bytes, *, user: User | None = None
) -> tuple[Reanchoring, ImportedMotion]:
    """Replace the full text of `motion` with the file's text; provisions follow their passages."""
    imported = read_motion_file(filename, data)
    reanchoring = replace_text(
        session,
        motion,
        imported.text,
        user=user,
        action="motion.import",
        imported_from=imported.format,
        filename=(filename or "")[:200],
    )
    return reanchoring, imported
