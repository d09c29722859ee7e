"""Mail transports chosen by MAIL_URL: .eml files in a folder, or SMTP with one connection per batch."""

from __future__ import annotations

import os
import smtplib
import ssl
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError

SMTP_TIMEOUT_SECONDS = 30


class DeliveryError(Exception):
    """A message was not accepted; `permanent` says whether trying again can help (5xx) or not."""

    def __init__(self, message: str, *, permanent: bool, code: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.code = code


class ConnectionFailed(Exception):
    """The mail server cannot be reached or refused the session: nothing of the batch was sent."""


class Transport(Protocol):
    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, envelope_from: str, to_address: str, raw: bytes) -> None:
        """Deliver one message or raise DeliveryError; ConnectionFailed when the connection is gone."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str = ""
    password: str = ""
    implicit_tls: bool = False
    starttls: bool = False


class FileTransport:
    """Writes every message as an .eml file into a folder (the embedded default: nothing leaves the machine)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def __enter__(self) -> FileTransport:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConnectionFailed(
                _("Ausgangsordner %(folder)s lässt sich nicht anlegen: %(error)s", folder=self.directory, error=exc)
            ) from exc
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, envelope_from: str, to_address: str, raw: bytes) -> None:
        # Written under a temporary name and renamed, so a reader never sees half a message.
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(raw)
            final = os.path.join(self.directory, f"mail-{uuid.uuid4().hex}.eml")
            os.replace(temporary, final)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise DeliveryError(
                _("Datei konnte nicht geschrieben werden: %(error)s", error=exc), permanent=False
            ) from exc


class SmtpTransport:
    """Sends over one SMTP connection for the whole batch, reconnecting once if the server drops it."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        self.connection = self._connect()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        try:
            if settings.implicit_tls:
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                connection = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_SECONDS)
                if settings.starttls:
                    connection.starttls(context=ssl.create_default_context())
            if settings.username:
                connection.login(settings.username, settings.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise ConnectionFailed(
                _("Der Mailserver hat die Anmeldung abgelehnt (Benutzername/Passwort prüfen).")
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ConnectionFailed(
                _(
                    "Mailserver %(server)s ist nicht erreichbar (%(kind)s: %(error)s).",
                    server=settings.host + ":" + str(settings.port),
                    kind=exc.__class__.__name__,
                    error=exc,
                )
            ) from exc
        return connection

    def send(self, envelope_from: str, to_address: str, raw: bytes) -> None:
        if self.connection is None:
            raise ConnectionFailed(_("Keine Verbindung zum Mailserver."))
        try:
            self.connection.sendmail(
                envelope_from, [to_address], raw, mail_options=self._options(envelope_from, to_address)
            )
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = exc.recipients.get(to_address, (None, b""))
            raise _refused(code, reply, _("Empfängeradresse abgelehnt")) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise _refused(exc.smtp_code, exc.smtp_error, _("Nachricht abgelehnt")) from exc
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.connection = None
            raise ConnectionFailed(_("Verbindung zum Mailserver abgebrochen: %(error)s", error=exc)) from exc
        except smtplib.SMTPException as exc:
            raise DeliveryError(_("SMTP-Fehler: %(error)s", error=exc), permanent=False) from exc

    def _options(self, envelope_from: str, to_address: str) -> list[str]:
        """SMTPUTF8 for an address with non-ASCII characters, if the server offers it; refused for good otherwise."""
        if (envelope_from + to_address).isascii():
            return []
        self.connection.ehlo_or_helo_if_needed()
        if not self.connection.has_extn("smtputf8"):
            raise DeliveryError(
                _(
                    "Der Mailserver nimmt keine Adressen mit Nicht-ASCII-Zeichen an (SMTPUTF8 fehlt): %(address)s",
                    address=to_address,
                ),
                permanent=True,
            )
        return ["SMTPUTF8"]


def _refused(code: int | None, reply: bytes | str, what: str) -> DeliveryError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    permanent = code is not None and 500 <= code < 600
    return DeliveryError(f"{what}: {code} {text}".strip(), permanent=permanent, code=code)


def transport_for(mail_url: str) -> FileTransport | SmtpTransport:
    """The transport for MAIL_URL: file:///path, smtp://user:pass@host:port?starttls=1, or smtps://…"""
    parts = urlsplit(mail_url or "")
    if parts.scheme == "file":
        return FileTransport(Path(unquote(parts.path)))
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ServiceError(_("MAIL_URL „%(mail_url)s“ nennt keinen Mailserver.", mail_url=redacted(mail_url)))
        options = parse_qs(parts.query)
        implicit = parts.scheme == "smtps"
        return SmtpTransport(
            SmtpSettings(
                host=parts.hostname,
                port=parts.port or (465 if implicit else 587 if options.get("starttls") else 25),
                username=unquote(parts.username or ""),
                password=unquote(parts.password or ""),
                implicit_tls=implicit,
                starttls=not implicit and options.get("starttls", ["0"])[0] in {"1", "true", "yes"},
            )
        )
    raise ServiceError(
        _(
            "MAIL_URL „%(mail_url)s“ wird nicht unterstützt: file:///Ordner, "
            "smtp://Benutzer:Passwort@Host:587?starttls=1 oder smtps://Benutzer:Passwort@Host:465.",
            mail_url=redacted(mail_url),
        )
    )


def redacted(mail_url: str) -> str:
    """MAIL_URL without its password, for messages and logs."""
    parts = urlsplit(mail_url or "")
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return mail_url


def server_address(mail_url: str) -> str:
    """Where MAIL_URL delivers, for the status pages: host:port, or the folder of .eml files (never a password)."""
    parts = urlsplit(mail_url or "")
    if parts.scheme == "file":
        return unquote(parts.path)
    try:
        return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname or "")
    except ValueError:
        return str(parts.hostname or "")


def check_connection(mail_url: str) -> str:
    """Open and close a connection (or the folder) once; a clear German message when that fails."""
    transport = transport_for(mail_url)
    try:
        with transport:
            pass
    except ConnectionFailed as exc:
        raise ServiceError(str(exc)) from exc
    return redacted(mail_url)
