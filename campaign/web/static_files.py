"""Static files with a fingerprint of their content in the URL: browsers keep them for a year and fetch a changed one.

Without it a browser asked the server again for the stylesheets and scripts of every page it opened (a conditional
request each, answered „304 Not Modified“): two or three round trips per page, which a phone on a slow network
feels. Each page now links `/static/css/app.css?v=<fingerprint>`; a release that changes the file changes the
fingerprint, so nobody keeps an old copy. A URL without the fingerprint, or with an old one, is answered as before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.wrappers import Response

FINGERPRINT_ARG = "v"
# A year: what browsers and proxies accept as „for ever“ (RFC 9111 suggests no more).
MAX_AGE_SECONDS = 365 * 24 * 60 * 60


class Fingerprints:
    """The fingerprint of each file under a static folder, computed once per file version (path, size and mtime)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder).resolve()
        self._known: dict[tuple[str, int, int], str] = {}

    def of(self, filename: str) -> str | None:
        """The first 12 hex digits of the file's SHA-256, or None if there is no such file in the folder."""
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        status = path.stat()
        key = (filename, status.st_size, status.st_mtime_ns)
        if key not in self._known:
            self._known[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return self._known[key]


def register_static_fingerprints(app: Flask) -> None:
    """Add the fingerprint to every `url_for('static', …)` and let browsers keep fingerprinted files for a year."""
    if app.static_folder is None:
        return
    fingerprints = Fingerprints(app.static_folder)

    def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "filename" not in values or FINGERPRINT_ARG in values:
            return
        if fingerprint := fingerprints.of(values["filename"]):
            values[FINGERPRINT_ARG] = fingerprint

    def keep_fingerprinted(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        asked = request.args.get(FINGERPRINT_ARG)
        if asked and asked == fingerprints.of(request.view_args["filename"]):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = MAX_AGE_SECONDS
            response.cache_control.immutable = True
        return response

    app.url_defaults(add_fingerprint)
    app.after_request(keep_fingerprinted)
