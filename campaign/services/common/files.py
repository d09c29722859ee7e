"""Files written whole or not at all: a temporary name beside the target, renamed into place only when complete.

A full disk, a file-size limit or a killed process can stop a write half-way; the half-written file then lies under
a temporary name that is removed (or, after a kill, cleared by the next run) and never under the final one. Callers
record a file as done (a job's result, a letter's hash) only after `atomic_file` has returned.

Plain standard library: the render processes use it and load neither Flask nor the models.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

# A killed process leaves its temporary file behind; the prefix lets the next run (and an admin) find it.
PARTIAL_PREFIX = ".unfertig-"
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


@contextlib.contextmanager
def atomic_file(target: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """Open a temporary file beside `target` for writing; on success it replaces `target`, on failure it is removed.

    `durable` flushes the data to the disk before the rename: some file systems report a full disk only then, and
    after a power cut the file is either the old one or the complete new one.
    """
    handle, temporary = tempfile.mkstemp(prefix=f"{PARTIAL_PREFIX}{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            yield file
            file.flush()
            if durable:
                os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_atomically(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `target` whole or not at all (see `atomic_file`)."""
    with atomic_file(target, durable=durable) as file:
        file.write(data)


def remove_partial_files(folder: Path, name: str = "") -> None:
    """Delete the temporary files a killed writer left in `folder` for the file `name` (all of them without one)."""
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f"{PARTIAL_PREFIX}{glob.escape(name)}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_error_message(exc: OSError, where: Path | str) -> str:
    """A sentence for a failed write that says what to do, with the system's own words in brackets."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EFBIG:
        return _(
            "Die Datei wird größer, als der Datenträger oder der Server-Prozess erlaubt (%(where)s: %(reason)s). Es "
            "wurde keine unvollständige Datei gespeichert. Bitte die Grenze erhöhen oder weniger auf einmal erzeugen.",
            where=where,
            reason=reason,
        )
    if exc.errno in _NO_SPACE:
        return _(
            "Auf dem Datenträger ist kein Platz mehr frei (%(where)s: %(reason)s). Es wurde keine unvollständige "
            "Datei gespeichert. Bitte Speicherplatz freigeben und den Vorgang erneut starten.",
            where=where,
            reason=reason,
        )
    return _("Die Datei konnte nicht geschrieben werden (%(where)s: %(reason)s).", where=where, reason=reason)
