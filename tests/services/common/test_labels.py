"""Every enum value has a German label, so no English code word reaches a page."""

from __future__ import annotations

import enum

import campaign.models as models
from campaign.services.common.labels import LABELS, label


def test_every_enum_member_has_a_label(app):
    enums = [value for value in vars(models).values() if isinstance(value, type) and issubclass(value, enum.Enum)]
    missing = [
        f"{member!r}" for enum_class in enums for member in enum_class if member not in LABELS.get(enum_class, {})
    ]
    assert missing == []
    with app.test_request_context():
        assert label(models.CampaignStatus.ACTIVE) == "läuft"
        assert label(None) == ""


def test_members_of_different_enums_with_the_same_value_keep_their_own_label():
    assert models.JobStatus.QUEUED == models.LetterStatus.QUEUED  # StrEnum: equal as strings
    assert label(models.JobStatus.QUEUED) == "wartet"
    assert label(models.LetterStatus.QUEUED) == "in Warteschlange"
    assert label(models.OutboxStatus.PENDING) == "wartet"
    assert label(models.SignatureStatus.PENDING) == "unbestätigt"
