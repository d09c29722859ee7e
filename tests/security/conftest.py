"""Fixtures of the security tests: the web tests' login through the real form."""

from tests.web.conftest import login  # noqa: F401  (a fixture, used by name)
