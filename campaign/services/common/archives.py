"""ZIP containers (XLSX, DOCX) checked by their directory before anything is unpacked: the „ZIP bomb“ guard."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

from campaign.services.common.text import format_megabytes, format_thousands

MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an upload's archive may unpack to. Office XML packs about 5–20:1; far more is made to inflate."""

    max_members: int = 1_000
    max_member_bytes: int = 30 * MB
    max_total_bytes: int = 60 * MB
    max_ratio: int = 100
    # Small parts of repeated tags may pack better than max_ratio without being dangerous.
    ratio_checked_above: int = 1 * MB
    # Only XML parts are parsed; pictures and other binaries are at most copied.
    member_limit_for_xml_only: bool = False


def archive_problem(members: list[zipfile.ZipInfo], limits: ArchiveLimits) -> str | None:
    """Why this archive must not be unpacked (naming the part), or None when it stays within the limits.

    Python's zipfile never unpacks more than a member's declared size (and checks the CRC), so the declared
    sizes bound what a reader will get.
    """
    if len(members) > limits.max_members:
        return _(
            "Die Datei besteht aus %(count)s Teilen (erlaubt: %(limit)s).",
            count=format_thousands(len(members)),
            limit=limits.max_members,
        )
    total = 0
    for member in members:
        total += member.file_size
        is_xml = member.filename.lower().endswith((".xml", ".rels"))
        if member.file_size > limits.max_member_bytes and (is_xml or not limits.member_limit_for_xml_only):
            return _(
                "Der Teil „%(part)s“ wäre entpackt %(size)s groß (erlaubt: %(limit)s).",
                part=member.filename,
                size=format_megabytes(member.file_size),
                limit=format_megabytes(limits.max_member_bytes),
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_checked_above and ratio > limits.max_ratio:
            return _(
                "Der Teil „%(part)s“ wächst beim Entpacken auf das %(ratio)s-Fache (%(packed)s → %(size)s).",
                part=member.filename,
                ratio=format_thousands(int(ratio)),
                packed=format_megabytes(member.compress_size),
                size=format_megabytes(member.file_size),
            )
        if total > limits.max_total_bytes:
            return _("Entpackt wäre die Datei größer als %(limit)s.", limit=format_megabytes(limits.max_total_bytes))
    return None
