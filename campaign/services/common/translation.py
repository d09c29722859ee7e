"""Texts that are stored and shown later: kept as their German msgid and parameters, translated when shown.

A job's progress is written by a worker, which has no page language, and read by whoever opens the job's page;
so the text is stored untranslated (`Stored`) and put into the viewer's language when it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Stored:
    """A German msgid (marked with N_) and its parameters; parameters may be Stored texts themselves."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def german(self) -> str:
        """The text in German, the language of the msgids (for logs, the CLI and old readers of the column)."""
        values = {key: value.german() if isinstance(value, Stored) else value for key, value in self.params.items()}
        return self.msgid % values if values else self.msgid

    def shown(self) -> str:
        """The text in the current page's language."""
        values = {key: value.shown() if isinstance(value, Stored) else value for key, value in self.params.items()}
        return gettext(self.msgid, **values)

    def as_data(self) -> dict[str, Any]:
        """A JSON-ready form (see `from_data`)."""
        params = {key: value.as_data() if isinstance(value, Stored) else value for key, value in self.params.items()}
        return {"msgid": self.msgid, "params": params}

    @classmethod
    def from_data(cls, data: Any) -> Stored | None:
        """The text `as_data` made, or None if `data` is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("msgid"), str):
            return None
        params = data.get("params") if isinstance(data.get("params"), dict) else {}
        return cls(data["msgid"], {key: cls.from_data(value) or value for key, value in params.items()})


def shown(text: str) -> str:
    """A stored German text in the page's language if it is one of our msgids without parameters, else unchanged."""
    return gettext(text) if text else text
