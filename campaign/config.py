"""Default settings; each can be overridden by instance/config.py, then by the environment."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, MutableMapping
from typing import Any

from flask import current_app, has_app_context

# Settings read from the environment (DESIGN §4). Names without a prefix, as documented in the README.
ENV_SETTINGS = (
    "CAMPAIGN_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "JOBS_URL",
    "JOBS_WORKERS",
    "JOBS_QUEUED_TIMEOUT",
    "JOBS_RUNNING_TIMEOUT",
    "JOBS_MAX_ATTEMPTS",
    "JOBS_HEARTBEAT_INTERVAL",
    "JOBS_WORKER_TIMEOUT",
    "LETTER_RENDER_WORKERS",
    "MAIL_URL",
    "MAIL_FROM",
    "RATELIMIT_STORAGE_URL",
    "LOGIN_RATE_LIMIT",
    "LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT",
    "LOGIN_ACCOUNT_RATE_LIMIT",
    "PASSWORD_HASH_TIME_COST",
    "PASSWORD_HASH_MEMORY_KIB",
    "PASSWORD_HASH_PARALLELISM",
    "MAX_CONTENT_LENGTH",
    "MAIL_RATE_PER_MINUTE",
    "OUTBOX_BATCH_SIZE",
    "OUTBOX_MAX_ATTEMPTS",
    "OUTBOX_LEASE_SECONDS",
    "REPLY_ADDRESS",
    "REPLY_ATTACHMENT_MAX_BYTES",
    "IMAP_URL",
    "IMAP_AFTER_IMPORT",
    "IMAP_MOVE_TO",
    "IMAP_POLL_INTERVAL",
    "IMAP_BATCH_SIZE",
    "PUBLIC_URL",
    "SIGN_RATE_LIMIT",
    "WRITE_PREVIEW_RATE_LIMIT",
    "UNCONFIRMED_SIGNATURE_DAYS",
    "WITHDRAWN_RETENTION_DAYS",
    "SIGNATURE_RETENTION_DAYS",
    "PRIVACY_CONTROLLER",
    "PRIVACY_CONTACT",
    "ACCESS_LOG_DAYS",
    "PROXY_FIX_X_FOR",
    "PROXY_FIX_X_PROTO",
    "PROXY_FIX_X_HOST",
    "PROXY_FIX_X_PORT",
    "PROXY_FIX_X_PREFIX",
)
# Settings that hold secrets may instead name a file to read them from (NAME_FILE=/run/secrets/…): for systemd
# credentials and Docker/Podman secrets, so the secret is in no unit file, compose file or process environment.
SECRET_FILE_SETTINGS = ("SECRET_KEY", "DATABASE_URL", "JOBS_URL", "RATELIMIT_STORAGE_URL", "MAIL_URL", "IMAP_URL")


class Defaults:
    """Embedded defaults: one machine, zero setup (SQLite, Huey on SQLite, mail written to files)."""

    # "development" generates a local SECRET_KEY in instance/; "production" refuses to start without one.
    CAMPAIGN_ENV = "development"
    SECRET_KEY: str | None = None

    # None means: a file in the instance folder (filled in by create_app).
    DATABASE_URL: str | None = None
    # None: Huey on SQLite in instance/; "redis://…": Huey on Redis; "immediate": run tasks inline (tests).
    JOBS_URL: str | None = None
    JOBS_WORKERS = 2
    # Seconds. A queued job whose task is in no queue after this long (the process that created it died
    # before enqueuing it) is enqueued again; a running job without a heartbeat for this long has lost its
    # worker and goes back to the queue, until it has lost JOBS_MAX_ATTEMPTS workers: then it fails.
    JOBS_QUEUED_TIMEOUT = 120
    JOBS_RUNNING_TIMEOUT = 300
    JOBS_MAX_ATTEMPTS = 3
    # Seconds. Each `campaign worker` writes its heartbeat this often; one silent for JOBS_WORKER_TIMEOUT is gone.
    # Not more often: on SQLite every write ends the snapshot of a request that reads now and writes later.
    JOBS_HEARTBEAT_INTERVAL = 60
    JOBS_WORKER_TIMEOUT = 180
    # Processes that render letter PDFs in bulk; 0 means one per CPU core.
    LETTER_RENDER_WORKERS = 0
    # None: every message written as an .eml file to instance/outbox/.
    MAIL_URL: str | None = None
    MAIL_FROM = "Kampagnen-Werkzeug <kampagne@example.org>"
    # Outbox delivery: messages per minute over all workers (0: no limit; providers often cap at 100–500),
    # messages per SMTP connection, attempts before a message is given up, and how long a worker's claim on
    # a batch lasts before another worker takes the messages over (set it above the time a batch takes).
    MAIL_RATE_PER_MINUTE = 0
    OUTBOX_BATCH_SIZE = 100
    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_LEASE_SECONDS = 600

    # Replies. REPLY_ADDRESS, e.g. "antworten+{code}@example.org": the Reply-To of outgoing letters, {code} being
    # the letter's reference code, so an answer finds its letter by the address it was sent to. Attachments of
    # replies up to this size are kept (larger ones are listed by name only).
    REPLY_ADDRESS = ""
    REPLY_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    # None: no mailbox is polled. "imaps://user:password@host/INBOX" (TLS), "imap://…" (plain, only on loopback
    # or inside a trusted network). After import a message is flagged (\Seen plus the keyword $Imported), moved
    # to IMAP_MOVE_TO, or kept as it is ("flag", "move", "keep"); the UIDs already seen are remembered either way.
    IMAP_URL: str | None = None
    IMAP_AFTER_IMPORT = "flag"
    IMAP_MOVE_TO = "Importiert"
    # Seconds between two polls of the mailbox by the workers, and messages imported per poll at most.
    IMAP_POLL_INTERVAL = 300
    IMAP_BATCH_SIZE = 500

    # Co-signing. PUBLIC_URL ("https://kampagne.example.org"): the address links in e-mails start with (None: the
    # address the request came to). Signing attempts per client address. An unconfirmed signature expires after
    # UNCONFIRMED_SIGNATURE_DAYS (its link with it) and is then deleted; a withdrawn one keeps its record for
    # WITHDRAWN_RETENTION_DAYS, every other one its personal data until SIGNATURE_RETENTION_DAYS after the
    # campaign's deadline: then the personal data is erased and only the count remains.
    PUBLIC_URL: str | None = None
    SIGN_RATE_LIMIT = "10 per minute; 100 per hour"
    # The steps of a supporter's own letter before its final submission (which SIGN_RATE_LIMIT counts), and its
    # PDF preview, each per client address: generous, as writers go back and forth, but a PDF costs a rendering.
    WRITE_PREVIEW_RATE_LIMIT = "30 per minute; 300 per hour"
    UNCONFIRMED_SIGNATURE_DAYS = 7
    WITHDRAWN_RETENTION_DAYS = 30
    SIGNATURE_RETENTION_DAYS = 365
    # Who is responsible for the data (name and postal address) and how to reach them: shown on /privacy.
    PRIVACY_CONTROLLER = ""
    PRIVACY_CONTACT = ""
    # Days the reverse proxy keeps its access log with client addresses (deploy/nginx/campaign.conf; Debian's
    # logrotate keeps 14), as /privacy states it; 0 when the proxy keeps no access log.
    ACCESS_LOG_DAYS = 14

    # Behind a reverse proxy: how many proxies in front of the app set X-Forwarded-For, -Proto, -Host, -Port and
    # -Prefix (werkzeug's ProxyFix). 0 (the default) ignores the header, so nobody can forge a client address
    # to get round the rate limits per address; set to 1 when exactly one proxy (nginx) sets the header.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0

    RATELIMIT_STORAGE_URL = "memory://"
    # No X-RateLimit-* headers on every answer: they cost two more trips to the counter store per limited request
    # (the signing POST among them); a refused request still says when to try again (Retry-After, see web).
    RATELIMIT_HEADERS_ENABLED = False
    # Login attempts per client address; failed logins per account and address; failed logins per account
    # from anywhere (not counted against a browser that has logged in to that account before, so strangers
    # cannot lock the owner out).
    LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
    LOGIN_ACCOUNT_ADDRESS_RATE_LIMIT = "5 per minute; 20 per hour"
    LOGIN_ACCOUNT_RATE_LIMIT = "100 per hour"
    # argon2id cost of password hashes (argon2-cffi's defaults, RFC 9106 low-memory profile). Hashes made
    # with other settings stay valid and are re-hashed at the next login.
    PASSWORD_HASH_TIME_COST = 3
    PASSWORD_HASH_MEMORY_KIB = 64 * 1024
    PASSWORD_HASH_PARALLELISM = 4

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # No pool_pre_ping: create_app has pooled connections tested only after they were idle (db.ping_idle_connections).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}


class ConfigurationError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def setting(name: str) -> Any:
    """The current app's value of a setting, or its default outside an app (for services' tuning values)."""
    if has_app_context():
        return current_app.config.get(name, getattr(Defaults, name))
    return getattr(Defaults, name)


def _coerce(raw: str, default: Any) -> Any:
    """Convert an environment string to the type of the setting's default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ValueError(f"Einstellung erwartet eine ganze Zahl, nicht {raw!r}") from exc
    return raw


def apply_environment(config: MutableMapping[str, Any], environ: Mapping[str, str] | None = None) -> None:
    """Override settings with the variables of ENV_SETTINGS that are set in the environment, or their files."""
    environ = os.environ if environ is None else environ
    for name in ENV_SETTINGS:
        secret_file = environ.get(f"{name}_FILE", "") if name in SECRET_FILE_SETTINGS else ""
        if environ.get(name, "") != "":
            if secret_file:
                raise ConfigurationError(f"{name} und {name}_FILE sind beide gesetzt; bitte nur eines von beiden.")
            config[name] = _coerce(environ[name], config.get(name))
        elif secret_file:
            config[name] = _read_secret_file(name, secret_file)


def _read_secret_file(name: str, path: str) -> str:
    """The secret in the file NAME_FILE names, without the line break editors add; a clear error if unreadable."""
    try:
        with open(path, encoding="utf-8") as handle:
            value = handle.read().strip()
    except OSError as exc:
        raise ConfigurationError(f"{name}_FILE: Die Datei {path} ist nicht lesbar ({exc.strerror}).") from exc
    if not value:
        raise ConfigurationError(f"{name}_FILE: Die Datei {path} ist leer.")
    return value


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def finalise(config: MutableMapping[str, Any], instance_path: str) -> None:
    """Fill in the settings derived from the instance folder, and check the ones production needs."""
    instance = os.path.abspath(instance_path)
    _make_instance_folder(instance)
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = "sqlite:///" + os.path.join(instance, "campaign.sqlite3")
    config["DATABASE_URL"] = normalise_database_url(config["DATABASE_URL"])
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    if not config.get("JOBS_URL"):
        config["JOBS_URL"] = "sqlite:///" + os.path.join(instance, "jobs.sqlite3")
    if not config.get("MAIL_URL"):
        config["MAIL_URL"] = "file://" + os.path.join(instance, "outbox")

    # Flask-Limiter reads RATELIMIT_STORAGE_URI; we document the *_URL spelling like every other service.
    config["RATELIMIT_STORAGE_URI"] = config.get("RATELIMIT_STORAGE_URL") or "memory://"

    production = config.get("CAMPAIGN_ENV") == "production"
    if production:
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
    if not config.get("SECRET_KEY"):
        if production:
            raise ConfigurationError(
                "SECRET_KEY fehlt: Im Produktivbetrieb (CAMPAIGN_ENV=production) muss SECRET_KEY "
                "als Umgebungsvariable oder in instance/config.py gesetzt sein."
            )
        config["SECRET_KEY"] = _local_secret_key(instance)


def _make_instance_folder(instance: str) -> None:
    """Create the instance folder on the first start: the local database, job queue, mail files and uploads go there.

    Without it a fresh INSTANCE_PATH (with SECRET_KEY set) failed deep in SQLite: „unable to open database file“.
    """
    try:
        os.makedirs(instance, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"INSTANCE_PATH: Der Ordner {instance} lässt sich nicht anlegen ({exc.strerror})."
        ) from exc


def _local_secret_key(instance: str) -> str:
    """Read the development secret from instance/secret_key, creating it once (never printed)."""
    path = os.path.join(instance, "secret_key")
    try:
        with open(path, encoding="ascii") as handle:
            key = handle.read().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    # O_EXCL: two processes starting at once must not overwrite each other's key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="ascii") as handle:
            return handle.read().strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key
