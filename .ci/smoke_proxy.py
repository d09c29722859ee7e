"""The smoke test's reverse proxy: nginx with deploy/nginx/campaign.conf on loopback, a self-signed certificate."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "deploy" / "nginx" / "campaign.conf"


class ProxyError(AssertionError):
    """nginx is missing or the example configuration no longer has a line the smoke test adapts."""


def nginx_binary() -> str:
    """nginx from PATH or /usr/sbin (Debian's package, installed by .ci/run); SMOKE_NGINX names another one."""
    named = os.environ.get("SMOKE_NGINX")
    found = shutil.which(named) if named else shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if not found:
        raise ProxyError("nginx fehlt (Debian: apt-get install nginx; .ci/run installiert es).")
    return found


def make_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for `host` and 127.0.0.1; the smoke test's client trusts exactly this one."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={host}"),
            *("-addext", f"subjectAltName=DNS:{host},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def site_configuration(folder: Path, *, http_port: int, https_port: int, upstream_port: int, cert: Path, key: Path):
    """The example site, changed only where this machine differs: ports, certificate, log folder, gunicorn's port."""
    text = EXAMPLE.read_text(encoding="utf-8")
    changes = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/letsencrypt/live/kampagne.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/kampagne.example.org/privkey.pem": str(key),
        "/var/log/nginx/": f"{folder}/",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
    }
    for old, new in changes.items():
        if old not in text:
            raise ProxyError(f"deploy/nginx/campaign.conf enthält „{old}“ nicht mehr: .ci/smoke_proxy.py anpassen.")
        text = text.replace(old, new)
    return text


def main_configuration(folder: Path, site: Path) -> str:
    """The frame Debian's /etc/nginx/nginx.conf gives a conf.d file: an http block, here with private paths."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # the workers read the private temp folders below
    temp = "".join(
        f"    {kind}_temp_path {folder}/{kind}_temp;\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n{temp}    include {site};\n}}\n"
    )


def write_configuration(folder: Path, host: str, *, http_port: int, https_port: int, upstream_port: int) -> Path:
    """Certificate, site and main configuration in `folder`; returns the main file to start nginx with."""
    folder.mkdir()
    cert, key = make_certificate(folder, host)
    site = folder / "campaign.conf"
    site.write_text(
        site_configuration(
            folder, http_port=http_port, https_port=https_port, upstream_port=upstream_port, cert=cert, key=key
        )
    )
    main = folder / "nginx.conf"
    main.write_text(main_configuration(folder, site))
    return main
