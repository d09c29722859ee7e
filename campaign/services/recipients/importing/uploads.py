"""Uploads kept between the steps of the web import, under random tokens, purged when abandoned.

`save_table` keeps the parsed rows (not the file), so the review and import steps use them without reading
the file again.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError
from campaign.services.recipients.importing.table import Table

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
UPLOAD_MAX_AGE_SECONDS = 24 * 3600
# ".upload": files that earlier versions kept instead of the rows, purged like the rest.
_SUFFIXES = frozenset({".upload", ".table", ".json"})


class _Paths(NamedTuple):
    table: Path
    meta: Path


def _paths(directory: Path, token: str) -> _Paths:
    # The token comes back from the browser: only our own random format may name a file.
    if not _TOKEN.fullmatch(token or ""):
        raise ServiceError(_("Unbekannter Import. Bitte die Datei erneut hochladen."))
    return _Paths(directory / f"{token}.table", directory / f"{token}.json")


def _gone() -> ServiceError:
    return ServiceError(_("Diese hochgeladene Datei gibt es nicht mehr. Bitte erneut hochladen."))


def _new_token(directory: Path) -> tuple[str, _Paths]:
    directory.mkdir(parents=True, exist_ok=True)
    purge_uploads(directory)
    token = secrets.token_urlsafe(24)
    return token, _paths(directory, token)


def save_table(directory: Path, table: Table, meta: Mapping[str, Any]) -> str:
    """Keep a parsed upload (its rows, not the file) until it is imported or discarded; returns its token."""
    token, paths = _new_token(directory)
    paths.table.write_text(json.dumps(table.to_dict(), ensure_ascii=False), encoding="utf-8")
    update_upload_meta(directory, token, meta)
    return token


def load_table(directory: Path, token: str) -> tuple[Table, dict[str, Any]]:
    """The table and the metadata kept by save_table()."""
    paths = _paths(directory, token)
    try:
        table = Table.from_dict(json.loads(paths.table.read_text(encoding="utf-8")))
        return table, json.loads(paths.meta.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _gone() from exc


def update_upload_meta(directory: Path, token: str, meta: Mapping[str, Any]) -> None:
    _paths(directory, token).meta.write_text(json.dumps(dict(meta), ensure_ascii=False), encoding="utf-8")


def discard_upload(directory: Path, token: str) -> None:
    for path in _paths(directory, token):
        path.unlink(missing_ok=True)


def purge_uploads(directory: Path, max_age: float = UPLOAD_MAX_AGE_SECONDS) -> int:
    """Delete uploads abandoned for longer than `max_age` seconds; returns how many files went."""
    if not directory.is_dir():
        return 0
    limit = time.time() - max_age
    removed = 0
    for path in directory.iterdir():
        if path.suffix in _SUFFIXES and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def mapping_from_meta(meta: Mapping[str, Any]) -> dict[int, str]:
    """The column choices stored with an upload (JSON keys are strings)."""
    return {int(index): str(target) for index, target in (meta.get("mapping") or {}).items() if str(index).isdigit()}
