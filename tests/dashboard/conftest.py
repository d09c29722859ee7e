"""The dashboard tests log in through the real login form, as the web tests do; most count the hand-counted campaign."""

import pytest

from tests.factories_dashboard import make_counted_campaign
from tests.web.conftest import login

__all__ = ["counted", "login"]


@pytest.fixture
def counted(db_session):
    """The hand-counted campaign of tests/factories_dashboard.py, in the rolled-back session."""
    return make_counted_campaign(db_session)
