"""A web server on 127.0.0.1 that records the paths anyone fetched from it: the target hostile payloads name."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# How often a test's server looks whether it should stop. The standard library's half second was a wait of up to
# 0.5 s at the end of every test that served something (the browser tests' live server, the recording servers).
SHUTDOWN_POLL_SECONDS = 0.02


@contextmanager
def recording_server() -> Iterator[tuple[int, list[str]]]:
    """The server's port and the list of paths fetched so far (nothing should be, where payloads point here)."""
    fetched: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetched.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(SHUTDOWN_POLL_SECONDS,), daemon=True)
    thread.start()
    try:
        yield server.server_port, fetched
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
