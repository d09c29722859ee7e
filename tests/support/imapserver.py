"""A real IMAP server for tests: Dovecot on a free loopback port with its own configuration and mail folder."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from tests.support.mailserver import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "antworten"
PASSWORD = "imap-test-passwort"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# A refused login is answered at once (by default Dovecot waits two seconds).
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _service_users() -> tuple[pwd.struct_passwd, pwd.struct_passwd]:
    """(login user, mail user): Debian's dovenull and dovecot when run as root, else the current user."""
    if os.getuid() == 0:
        return pwd.getpwnam("dovenull"), pwd.getpwnam("dovecot")
    current = pwd.getpwuid(os.getuid())
    return current, current


def available() -> bool:
    return Path(DOVECOT).exists()


class ImapServer:
    """Dovecot in the foreground (-F) on a private config, stopped with `stop()`; `url` is the IMAP_URL to use."""

    def __init__(self) -> None:
        # Not under pytest's tmp_path: its folders are private (0700) and Dovecot's own users must enter this one.
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def start(self) -> ImapServer:
        for folder in ("run", "state", "mail"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        (self.root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        login_user, mail_user = _service_users()
        if os.getuid() == 0:
            # Dovecot refuses to run its processes as root: the mail folder belongs to its own user.
            shutil.chown(self.root / "mail", mail_user.pw_name, mail_user.pw_gid)
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                uid=mail_user.pw_uid,
                gid=mail_user.pw_gid,
                user=login_user.pw_name,
                group=grp.getgrgid(login_user.pw_gid).gr_name,
            )
        )
        with open(self.root / "stderr.log", "wb") as errors:
            self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=errors, stderr=errors)
        try:
            self._wait_until_ready()
        except Exception:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as probe:
                    probe.logout()
                return
            except (OSError, imaplib.IMAP4.abort, imaplib.IMAP4.error):
                if self.process is None or self.process.poll() is not None:
                    break
                time.sleep(0.2)
        log = (self.root / "dovecot.log").read_text(errors="replace") if (self.root / "dovecot.log").exists() else ""
        raise RuntimeError(f"Dovecot ist nicht bereit:\n{log[-2000:]}")

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a message into the mailbox, as an office's reply would arrive."""
        with imaplib.IMAP4("127.0.0.1", self.port) as client:
            client.login(USER, PASSWORD)
            client.append(folder, "", imaplib.Time2Internaldate(time.time()), raw)
            client.logout()

    def __enter__(self) -> ImapServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def empty(self) -> None:
        """Delete every message and every folder but INBOX: the next test finds the mailbox of a fresh server."""
        with imaplib.IMAP4("127.0.0.1", self.port) as client:
            client.login(USER, PASSWORD)
            _status, listing = client.list()
            for line in listing:
                name = line.decode().split(' "." ', 1)[1]  # (\\HasNoChildren) "." Importiert
                if name.strip('"') != "INBOX":
                    client.delete(name)
            _status, count = client.select("INBOX")
            if int(count[0]):
                client.store("1:*", "+FLAGS", r"(\Deleted)")
                client.expunge()
            client.logout()

    def stop(self) -> None:
        """Stop Dovecot and delete its folder, in the background: Dovecot takes a second to end, and the tests need
        not wait for it (the port is not reused, and Python waits for the thread before it exits)."""
        process, self.process = self.process, None
        threading.Thread(target=_end, args=(process, self.root), name="dovecot-stop").start()


def _end(process: subprocess.Popen | None, root: Path) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    shutil.rmtree(root, ignore_errors=True)
