"""Texts stored in German and shown later in the viewer's language, and the marker for messages stored that way.

A job's progress is written by a worker, which has no page language, and read by whoever opens the job's page;
a refused attachment's reason is kept with the reply. Such texts are always stored in German, the language of
the msgids (`in_german`), and `in_page_language` turns a stored text that is one of our messages (its
parameters filled in) into the current page's language when it is shown. Texts that are no message of ours
(a mail server's own words, say) stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from flask_babel import force_locale, get_translations

from campaign.services.common.language import SOURCE_LANGUAGE, page_language
from campaign.services.common.text import format_thousands

# A parameter of a msgid: %(name)s or %(name)d; %% is a literal percent sign.
_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])|%%")
# Stored texts of ours are short; a longer one is shown as stored. The bound also caps what a text with hostile
# parts (an attachment's file name, an imported name) can cost the lazy patterns below, which backtrack.
_MAX_LENGTH = 500
# A whole number as German texts write it from 1.000 on: the grouping dots become the page language's grouping.
_GERMAN_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def N_(message: str) -> str:
    """Mark a message for extraction without translating it here; it is translated where it is shown."""
    return message


@contextmanager
def in_german() -> Iterator[None]:
    """Messages made inside come out in German, whatever the page's language (for texts that are stored)."""
    with force_locale(SOURCE_LANGUAGE):
        yield


def _pattern(msgid: str) -> re.Pattern[str] | None:
    """A regular expression that matches the German text of `msgid` with any parameters (None without any)."""
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(msgid):
        parts.append(re.escape(msgid[position : match.start()]))
        name, kind = match.group(1), match.group(2)
        if name is None:
            parts.append("%")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.+?)")
        position = match.end()
    if not seen:
        return None
    parts.append(re.escape(msgid[position:]))
    return re.compile("".join(parts), re.DOTALL)


@lru_cache(maxsize=8)
def _messages(locale: str, catalogue_id: int) -> tuple[tuple[str, str, re.Pattern[str], str, frozenset[str]], ...]:
    """The catalogue's messages with parameters, the most specific first, so that the first match is the best one.

    Two msgids can both match a text: „Brief %(code)s ist bereits versandt …“ also matches what „Brief %(code)s an
    %(name)s ist bereits %(status)s …“ made. The one with more fixed pieces between its parameters describes the
    text more closely; among equals, the one with more fixed text.
    """
    catalogue: dict[Any, str] = getattr(get_translations(), "_catalog", {})
    found = []
    for msgid, text in catalogue.items():
        if isinstance(msgid, str) and msgid and text and (pattern := _pattern(msgid)):
            numbers = frozenset(name for name, kind in re.findall(r"%\((\w+)\)([sd])", msgid) if kind == "d")
            split = re.split(r"%\(\w+\)[sd]", msgid)
            pieces = [piece for piece in split if piece]
            # The fixed text before the first and after the last parameter: a cheap test that rules out almost
            # every msgid before its pattern runs.
            prefix, suffix = split[0].replace("%%", "%"), split[-1].replace("%%", "%")
            found.append(((len(pieces), sum(map(len, pieces))), prefix, suffix, pattern, text, numbers))
    found.sort(key=lambda entry: entry[0], reverse=True)
    return tuple(entry[1:] for entry in found)


def in_page_language(text: str) -> str:
    """A stored German text in the current page's language, if it is one of our messages; else unchanged."""
    locale = page_language()
    if not text or locale == SOURCE_LANGUAGE or len(text) > _MAX_LENGTH:
        return text
    translations = get_translations()
    return _translated(text, translations.gettext, _messages(locale, id(translations)), depth=2)


def _translated(text: str, gettext: Callable[[str], str], messages: tuple, *, depth: int) -> str:
    fixed = gettext(text)
    if fixed != text:
        return fixed
    for prefix, suffix, pattern, translation, numbers in messages:
        if not (text.startswith(prefix) and text.endswith(suffix)):
            continue
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values: dict[str, Any] = {}
        for name, value in match.groupdict().items():
            if name in numbers:
                values[name] = int(value)
            elif _GERMAN_THOUSANDS.fullmatch(value):
                values[name] = format_thousands(int(value.replace(".", "")))
            else:
                values[name] = _translated(value, gettext, messages, depth=depth - 1) if depth else value
        try:
            return translation % values
        except (KeyError, TypeError, ValueError):
            return text
    return text
