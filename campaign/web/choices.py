"""Select-field options built from the shared enum labels, so forms and pages name a value alike."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice

from campaign.services.common.labels import LABELS


def enum_choices(enum_class: type[enum.Enum]) -> list[SelectChoice]:
    """One option per member, in definition order, labelled as everywhere else."""
    return member_choices(enum_class)


def member_choices(members: Iterable[enum.Enum]) -> list[SelectChoice]:
    """One option per given member, labelled as everywhere else.

    The labels stay lazy: forms build their options once, when the module is imported, and each page must still
    show them in its own language.
    """
    return [SelectChoice(member.value, LABELS.get(type(member), {}).get(member, member.value)) for member in members]
