"""Fixtures of the fault tests: the web tests' login, and the job tests' real worker processes and queues."""

from __future__ import annotations

# Shared, not copied: a fixture imported into a conftest is available to the tests beside it.
from tests.jobs.conftest import jobs_url, queue_app, start_worker  # noqa: F401
from tests.web.conftest import login, organiser  # noqa: F401
