"""Uploads kept between the steps of the web import, under random tokens, purged when abandoned."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from campaign.services.common.errors import ServiceError
from campaign.services.recipients.importing.reader import MAX_FILE_BYTES, ImportFileError

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
UPLOAD_MAX_AGE_SECONDS = 24 * 3600


def _upload_paths(directory: Path, token: str) -> tuple[Path, Path]:
    # The token comes back from the browser: only our own random format may name a file.
    if not _TOKEN.fullmatch(token or ""):
        raise ServiceError("Unbekannter Import. Bitte die Datei erneut hochladen.")
    return directory / f"{token}.upload", directory / f"{token}.json"


def save_upload(directory: Path, data: bytes, meta: Mapping[str, Any]) -> str:
    """Keep an uploaded file under a random name until it is imported or discarded; returns its token."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"Die Datei ist größer als {MAX_FILE_BYTES // 1024 // 1024} MB.")
    directory.mkdir(parents=True, exist_ok=True)
    purge_uploads(directory)
    token = secrets.token_urlsafe(24)
    data_path, meta_path = _upload_paths(directory, token)
    data_path.write_bytes(data)
    meta_path.write_text(json.dumps(dict(meta), ensure_ascii=False), encoding="utf-8")
    return token


def load_upload(directory: Path, token: str) -> tuple[bytes, dict[str, Any]]:
    data_path, meta_path = _upload_paths(directory, token)
    try:
        return data_path.read_bytes(), json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ServiceError("Diese hochgeladene Datei gibt es nicht mehr. Bitte erneut hochladen.") from exc


def update_upload_meta(directory: Path, token: str, meta: Mapping[str, Any]) -> None:
    _, meta_path = _upload_paths(directory, token)
    meta_path.write_text(json.dumps(dict(meta), ensure_ascii=False), encoding="utf-8")


def discard_upload(directory: Path, token: str) -> None:
    for path in _upload_paths(directory, token):
        path.unlink(missing_ok=True)


def purge_uploads(directory: Path, max_age: float = UPLOAD_MAX_AGE_SECONDS) -> int:
    """Delete uploads abandoned for longer than `max_age` seconds; returns how many files went."""
    if not directory.is_dir():
        return 0
    limit = time.time() - max_age
    removed = 0
    for path in directory.iterdir():
        if path.suffix in {".upload", ".json"} and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def mapping_from_meta(meta: Mapping[str, Any]) -> dict[int, str]:
    """The column choices stored with an upload (JSON keys are strings)."""
    return {int(index): str(target) for index, target in (meta.get("mapping") or {}).items() if str(index).isdigit()}
