"""The dashboard tests log in through the real login form, as the web tests do."""

from tests.web.conftest import login

__all__ = ["login"]
