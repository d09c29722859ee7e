"""Every enum value has a German label, so no English code word reaches a page."""

from __future__ import annotations

import enum

import campaign.models as models
from campaign.services.common.labels import LABELS, label


def test_every_enum_member_has_a_label(app):
    enums = [value for value in vars(models).values() if isinstance(value, type) and issubclass(value, enum.Enum)]
    missing = [f"{member!r}" for enum_class in enums for member in enum_class if member not in LABELS]
    assert missing == []
    with app.test_request_context():
        assert label(models.CampaignStatus.ACTIVE) == "läuft"
        assert label(None) == ""
