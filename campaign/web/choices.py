"""Select-field options built from the shared enum labels, so forms and pages name a value alike."""

from __future__ import annotations

import enum

from wtforms.fields.choices import SelectChoice

from campaign.services.common.labels import LABELS


def enum_choices(enum_class: type[enum.Enum]) -> list[SelectChoice]:
    """One option per member, in definition order, labelled as everywhere else."""
    labels = LABELS.get(enum_class, {})
    return [SelectChoice(member.value, labels.get(member, member.value)) for member in enum_class]
