"""Trusting a reverse proxy's X-Forwarded-* headers, only as far as the PROXY_FIX_* settings say."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign.config import ConfigurationError

# Setting → ProxyFix argument: how many proxies in front of the app set that header.
PROXY_SETTINGS = {
    "PROXY_FIX_X_FOR": "x_for",
    "PROXY_FIX_X_PROTO": "x_proto",
    "PROXY_FIX_X_HOST": "x_host",
    "PROXY_FIX_X_PORT": "x_port",
    "PROXY_FIX_X_PREFIX": "x_prefix",
}


def trust_proxy_headers(app: Flask) -> None:
    """Wrap the app in ProxyFix when a proxy is configured; without one the headers are ignored.

    A forged X-Forwarded-For from a client that reaches the app directly must not change its address, or
    anyone could get round the per-address rate limits; so nothing is trusted unless set.
    """
    counts = {argument: int(app.config.get(name) or 0) for name, argument in PROXY_SETTINGS.items()}
    for name, argument in PROXY_SETTINGS.items():
        if counts[argument] < 0:
            raise ConfigurationError(f"{name} ist die Zahl der Proxys vor der App: 0 (keiner) oder mehr.")
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **counts)  # type: ignore[method-assign]
