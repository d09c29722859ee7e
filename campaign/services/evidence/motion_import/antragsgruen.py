"""Antragsgrün motions: the JSON of its REST export, with text, title, date, status and numbering notes."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from campaign.models import MotionStatus
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import check_url
from campaign.services.evidence.motion_import.antragsgruen_html import AntragsgruenHtml
from campaign.services.evidence.motion_import.imported import ImportedMotion
from campaign.services.evidence.motion_import.plain_text import decode_text
from campaign.services.evidence.numbering import line_count, normalise_text

TEXT_SECTION_TYPES = {"TextSimple", "TextHTML"}
# Antragsgrün's status titles (German installation) mapped onto ours; unknown titles leave the status alone.
_STATUS_WORDS = (
    ("zurückgezogen", MotionStatus.WITHDRAWN),
    ("abgelehnt", MotionStatus.REJECTED),
    ("modifiziert", MotionStatus.AMENDED),
    ("geändert", MotionStatus.AMENDED),
    ("angenommen", MotionStatus.ADOPTED),
    ("beschlossen", MotionStatus.ADOPTED),
    ("entwurf", MotionStatus.DRAFT),
    ("eingereicht", MotionStatus.PRESENTED),
    ("veröffentlicht", MotionStatus.PRESENTED),
)


def motion_from_antragsgruen(data: bytes) -> ImportedMotion:
    """Read the JSON of Antragsgrün's `GET /rest/{consultation}/motion/{slug}?lineNumbers=true`."""
    payload = _motion_payload(data)
    text, source_numbers = _motion_text(payload["sections"])
    return ImportedMotion(
        text=text,
        format="antragsgruen",
        title=_antragsgruen_title(payload),
        presented_on=_iso_date(payload.get("date_published")),
        status=_status_from_title(payload.get("status_title")),
        body=_plain(payload.get("initiators_html"))[:200],
        source_url=_safe_url(payload.get("url_html")),
        notes=_numbering_notes(source_numbers, line_count(text)),
    )


def _motion_payload(data: bytes) -> dict[str, Any]:
    """The parsed export, checked to be a single motion with a list of sections."""
    try:
        payload = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise ServiceError(
            _(
                "Die Datei ist kein gültiges JSON (Zeile %(lineno)s, Spalte %(colno)s: %(msg)s).",
                lineno=exc.lineno,
                colno=exc.colno,
                msg=exc.msg,
            ),
            "file",
        ) from exc
    except RecursionError as exc:
        # The parser recurses once per level; an export of a motion is a few levels deep.
        raise ServiceError(
            _(
                "Die JSON-Datei ist zu tief verschachtelt, um sie zu lesen. Erwartet wird der Export eines einzelnen "
                "Antrags aus Antragsgrün (/rest/…/motion/…)."
            ),
            "file",
        ) from exc
    if not isinstance(payload, dict):
        raise ServiceError(
            _(
                "Die JSON-Datei enthält keinen Antrag. Erwartet wird der Export eines einzelnen Antrags aus "
                "Antragsgrün (/rest/…/motion/…)."
            ),
            "file",
        )
    kind = payload.get("type")
    if kind is not None and kind != "motion":
        raise ServiceError(
            _(
                "Die JSON-Datei enthält keinen Antrag, sondern „%(value)s“. Bitte den Antrag selbst "
                "exportieren (/rest/…/motion/…).",
                value=str(kind)[:40],
            ),
            "file",
        )
    if not isinstance(payload.get("sections"), list):
        raise ServiceError(
            _("Die JSON-Datei ist kein Antragsgrün-Antrag: Ihr fehlen die Abschnitte („sections“)."), "file"
        )
    return payload


def _motion_text(sections: list[Any]) -> tuple[str, list[int]]:
    """The text of the motion's text sections, and the line numbers Antragsgrün gave them."""
    text_sections = [
        section
        for section in sections
        if isinstance(section, dict)
        and section.get("type") in TEXT_SECTION_TYPES
        and isinstance(section.get("html"), str)
        and section["html"].strip()
    ]
    # With ?lineNumbers=true only the numbered sections (the motion text proper) carry markers;
    # the justification (Begründung) does not, and is not part of the text we number.
    numbered = [section for section in text_sections if "lineNumber" in section["html"]]
    chosen = numbered or text_sections
    paragraphs: list[str] = []
    source_numbers: list[int] = []
    for section in chosen:
        parser = AntragsgruenHtml()
        parser.feed(section["html"])
        parser.close()
        title = section.get("title")
        if len(chosen) > 1 and isinstance(title, str) and title.strip():
            paragraphs.append(title.strip())
        paragraphs.extend(parser.paragraphs)
        source_numbers.extend(parser.line_numbers)
    text = normalise_text("\n\n".join(paragraphs))
    if not text.strip():
        raise ServiceError(
            _("Die JSON-Datei enthält keinen Antragstext (kein Textabschnitt vom Typ „TextSimple“)."), "file"
        )
    return text, source_numbers


def _antragsgruen_title(payload: dict[str, Any]) -> str:
    title, prefix = _plain(payload.get("title")), _plain(payload.get("prefix"))
    with_prefix = _plain(payload.get("title_with_prefix"))
    if with_prefix:
        return with_prefix[:300]
    if prefix and title:
        return f"{prefix}: {title}"[:300]
    return title[:300]


def _plain(value: Any) -> str:
    """Text of a JSON string that may hold HTML (initiators_html); anything else gives ""."""
    if not isinstance(value, str):
        return ""
    parser = AntragsgruenHtml()
    parser.feed(value)
    parser.close()
    return " ".join(parser.paragraphs).strip()


def _iso_date(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).date()
    except ValueError:
        return None


def _status_from_title(value: Any) -> MotionStatus | None:
    if not isinstance(value, str):
        return None
    lowered = value.lower()
    return next((status for word, status in _STATUS_WORDS if word in lowered), None)


def _safe_url(value: Any) -> str:
    try:
        return check_url(value if isinstance(value, str) else "")
    except ServiceError:
        return ""


def _numbering_notes(source_numbers: list[int], our_count: int) -> tuple[str, ...]:
    if not source_numbers:
        return ()
    first, last = min(source_numbers), max(source_numbers)
    notes = []
    if first != 1:
        notes.append(
            _(
                "In Antragsgrün beginnt die Zeilenzählung dieses Antrags bei Zeile %(first)s; hier beginnt sie bei 1.",
                first=first,
            )
        )
    if last - first + 1 != our_count:
        notes.append(
            _(
                "Antragsgrün zählt %(theirs)s Zeilen, hier sind es %(ours)s (andere Zeilenlänge oder Einrückung). "
                "Zeilenangaben beziehen sich auf die Zählung hier.",
                theirs=last - first + 1,
                ours=our_count,
            )
        )
    return tuple(notes)
