"""Stored times (kept in UTC) are shown as local time of the configured zone, Europe/Berlin, on every page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaign.db import db
from campaign.web.datetimes import local_time
from tests.factories import make_motion


@pytest.mark.parametrize(
    ("stored", "shape", "shown"),
    [
        (datetime(2026, 1, 15, 23, 30), "datetime", "16.01.2026, 00:30"),  # winter: UTC+1
        (datetime(2026, 7, 31, 22, 15), "datetime", "01.08.2026, 00:15"),  # summer: UTC+2
        (datetime(2026, 7, 31, 22, 15, tzinfo=UTC), "date", "01.08.2026"),  # PostgreSQL hands back aware times
        (None, "datetime", ""),
    ],
)
def test_local_time_converts_stored_utc_to_berlin(app, stored, shape, shown):
    with app.test_request_context():
        assert local_time(stored, shape) == shown


def test_the_motion_page_shows_the_archive_date_in_local_time(app, client, organiser):
    with app.app_context():
        motion = make_motion(db.session, archived_at=datetime(2026, 3, 31, 22, 30))
        db.session.commit()
        motion_id = motion.id
    page = client.get(f"/organise/motions/{motion_id}").get_data(as_text=True)
    assert "archiviert (seit 01.04.2026)" in page  # 22:30 UTC on 31 March is already April in Berlin
