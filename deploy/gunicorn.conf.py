"""gunicorn settings for the Kampagnen-Werkzeug behind a reverse proxy (`gunicorn -c deploy/gunicorn.conf.py`).

Every value can be changed on the command line (`--workers 8`) or in GUNICORN_CMD_ARGS; the app's own settings
come from the environment (README, „Running in production“).
"""

import multiprocessing
import os

# The app factory: each worker process builds its own app (no app is created at import time).
wsgi_app = "campaign:create_app()"

# Only the reverse proxy talks to gunicorn: listen on loopback (or a Unix socket, "unix:/run/campaign/web.sock").
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes × threads: pages are mostly database-bound; the open letter's PDF takes one thread a second or two.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# A request that takes longer than this (a huge PDF) is killed and its worker restarted; bulk work runs in jobs.
timeout = 60
graceful_timeout = 30
keepalive = 5
# A fresh process now and then keeps memory from creeping up (WeasyPrint caches fonts and images).
max_requests = 2000
max_requests_jitter = 200

# gunicorn itself believes X-Forwarded-Proto only from these addresses (the proxy); the app's PROXY_FIX_* settings
# decide the rest (client address for the rate limits).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Recent gunicorn opens a control socket in ~/.gunicorn/: the service user has no home, and systemd stops and reloads.
control_socket_disable = True

# Errors to stderr (systemd's journal, `docker compose logs`). No access log here: the proxy keeps one, with the
# tokens of confirm and withdraw links cut out (deploy/nginx/campaign.conf); paths with tokens are personal data.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
