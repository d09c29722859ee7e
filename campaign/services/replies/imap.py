"""The IMAP mailbox replies arrive in (IMAP_URL): new messages by UID, and what happens to them after import.

Which UIDs were fetched is kept per mailbox (MailboxState) together with the mailbox's UIDVALIDITY: when the server
renumbers a mailbox, everything is read again, and the Message-IDs already stored keep it from being imported twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import MailboxState
from campaign.services.common.errors import ServiceError

IMAP_TIMEOUT_SECONDS = 30
AFTER_IMPORT = ("flag", "move", "keep")
IMPORTED_KEYWORD = "$Imported"
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_FOLDER = re.compile(r"^[A-Za-z0-9 ._/-]{1,100}$")


class ImapError(Exception):
    """The mailbox cannot be reached or refused a command; the message says which and why, in German."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    username: str
    password: str
    folder: str = "INBOX"
    implicit_tls: bool = True
    starttls: bool = False

    @property
    def mailbox(self) -> str:
        """The mailbox's name for the state row and messages (never with the password)."""
        return f"{self.username}@{self.host}:{self.port}/{self.folder}"


def imap_settings(url: str) -> ImapSettings:
    """imaps://user:password@host[:993]/FOLDER (TLS) or imap://…[:143]/FOLDER[?starttls=1]."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname:
        raise ServiceError(_("IMAP_URL hat nicht die Form imaps://benutzer:passwort@host/INBOX (oder imap://…)."))
    if not parts.username:
        raise ServiceError(_("IMAP_URL nennt keinen Benutzernamen (imaps://benutzer:passwort@host/INBOX)."))
    folder = check_folder(unquote(parts.path.lstrip("/")) or "INBOX")
    try:
        port = parts.port or (993 if parts.scheme == "imaps" else 143)
    except ValueError as exc:
        raise ServiceError(_("IMAP_URL enthält keinen gültigen Port.")) from exc
    return ImapSettings(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=folder,
        implicit_tls=parts.scheme == "imaps",
        starttls=parts.scheme == "imap" and "starttls=1" in parts.query,
    )


def check_folder(name: str) -> str:
    if not _FOLDER.match(name):
        raise ServiceError(
            _(
                "Der IMAP-Ordner „%(name)s“ ist ungültig (erlaubt: Buchstaben ohne Umlaute, Ziffern, . _ - /).",
                name=name,
            )
        )
    return name


class ImapMailbox:
    """One IMAP session on the configured folder: `uid_validity`, `new_uids`, `fetch`, `mark_imported`."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self.client: imaplib.IMAP4 | None = None
        self.uid_validity = 0

    def __enter__(self) -> ImapMailbox:
        try:
            self._open()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _open(self) -> None:
        settings = self.settings
        try:
            if settings.implicit_tls:
                context = ssl.create_default_context()
                self.client = imaplib.IMAP4_SSL(
                    settings.host, settings.port, ssl_context=context, timeout=IMAP_TIMEOUT_SECONDS
                )
            else:
                self.client = imaplib.IMAP4(settings.host, settings.port, timeout=IMAP_TIMEOUT_SECONDS)
                if settings.starttls:
                    self.client.starttls(ssl_context=ssl.create_default_context())
            self.client.login(settings.username, settings.password)
            status, _data = self.client.select(_quoted(settings.folder))
        except imaplib.IMAP4.error as exc:
            raise ImapError(
                _(
                    "Das Postfach %(mailbox)s hat die Anmeldung abgelehnt: %(error)s",
                    mailbox=settings.mailbox,
                    error=_text(exc),
                )
            ) from exc
        except (OSError, ssl.SSLError) as exc:
            raise ImapError(
                _(
                    "Das Postfach %(mailbox)s ist nicht erreichbar: %(error)s",
                    mailbox=settings.host + ":" + str(settings.port),
                    error=exc,
                )
            ) from exc
        if status != "OK":
            raise ImapError(
                _(
                    "Den Ordner „%(folder)s“ gibt es im Postfach %(mailbox)s nicht.",
                    folder=settings.folder,
                    mailbox=settings.mailbox,
                )
            )
        self.uid_validity = int(self.client.untagged_responses.get("UIDVALIDITY", [b"0"])[0])

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                self.client.logout()
            self.client = None

    def new_uids(self, after: int, limit: int) -> list[int]:
        """UIDs above `after`, oldest first, at most `limit` (a server answers n:* with the last UID even if lower)."""
        data = self._command("UID SEARCH", lambda client: client.uid("SEARCH", None, f"UID {after + 1}:*"))
        uids = sorted(int(uid) for uid in (data[0] or b"").split() if int(uid) > after)
        return uids[:limit]

    def fetch(self, uid: int) -> bytes:
        """The message's bytes, without setting \\Seen (BODY.PEEK)."""
        data = self._command("UID FETCH", lambda client: client.uid("FETCH", str(uid), "(BODY.PEEK[])"))
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return item[1]
        raise ImapError(_("Die Nachricht mit UID %(uid)s ist nicht mehr im Postfach.", uid=uid))

    def mark_imported(self, uid: int, how: str, move_to: str) -> None:
        """Flag (\\Seen and $Imported), move to `move_to`, or keep the message as it is."""
        if how == "flag":
            flags = f"(\\Seen {IMPORTED_KEYWORD})"
            self._command("UID STORE", lambda client: client.uid("STORE", str(uid), "+FLAGS", flags))
        elif how == "move":
            self._move(uid, check_folder(move_to))

    def _move(self, uid: int, folder: str) -> None:
        client = self._client()
        client.create(_quoted(folder))  # "already exists" is a NO: harmless
        if "MOVE" in client.capabilities:
            self._command("UID MOVE", lambda client: client.uid("MOVE", str(uid), _quoted(folder)))
            return
        self._command("UID COPY", lambda client: client.uid("COPY", str(uid), _quoted(folder)))
        self._command("UID STORE", lambda client: client.uid("STORE", str(uid), "+FLAGS", "(\\Deleted)"))
        self._command("EXPUNGE", lambda client: client.expunge())

    def _client(self) -> imaplib.IMAP4:
        if self.client is None:
            raise ImapError(_("Keine Verbindung zum Postfach."))
        return self.client

    def _command(self, name: str, run) -> list:
        try:
            status, data = run(self._client())
        except (imaplib.IMAP4.error, OSError) as exc:
            raise ImapError(
                _("Der IMAP-Befehl %(name)s ist fehlgeschlagen: %(error)s", name=name, error=_text(exc))
            ) from exc
        if status != "OK":
            raise ImapError(_("Der IMAP-Server hat %(name)s abgelehnt: %(error)s", name=name, error=_text(data)))
        return data


def claim_mailbox(
    session: Session, mailbox: str, *, lease: timedelta, now: datetime | None = None
) -> MailboxState | None:
    """Hold the mailbox's state row for one fetch run; None while another worker holds it (its lease not expired)."""
    now = now or utcnow()
    insert = _INSERTS[session.get_bind().dialect.name]
    session.execute(
        insert(MailboxState)
        .values(mailbox=mailbox, uid_validity=0, last_uid=0, last_error="")
        .on_conflict_do_nothing(index_elements=[MailboxState.mailbox])
    )
    claimed = session.execute(
        update(MailboxState)
        .where(
            MailboxState.mailbox == mailbox,
            (MailboxState.leased_until.is_(None)) | (MailboxState.leased_until < now),
        )
        .values(leased_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None
    state = session.scalars(select(MailboxState).where(MailboxState.mailbox == mailbox)).one()
    session.refresh(state)
    return state


def release_mailbox(session: Session, state: MailboxState, *, error: str = "", polled: bool = True) -> None:
    state.leased_until = None
    state.last_error = error[:2000]
    if polled:
        state.last_polled_at = utcnow()
    session.flush()


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(value: object) -> str:
    if isinstance(value, list):
        value = b" ".join(item for item in value if isinstance(item, bytes))
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
