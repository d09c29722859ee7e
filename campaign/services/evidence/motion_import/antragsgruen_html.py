"""Antragsgrün's motion HTML read as plain paragraphs, its line-wrap breaks and line numbers taken out."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any


class AntragsgruenHtml(HTMLParser):
    """Antragsgrün's motion HTML as plain paragraphs.

    With line numbers every wrapped line starts with `<span class="lineNumber" data-line-number="n">`, and
    each line but the first of a block is preceded by a `<br>`: such a break is only Antragsgrün's line wrap
    and disappears (the line before keeps its trailing space or hyphen). Any other `<br>` is a real break.
    List items become paragraphs of their own with "–" or "1." in front.
    """

    BLOCKS = frozenset(
        {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "section", "tr"}
    )
    SKIPPED = frozenset({"script", "style", "del", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.line_numbers: list[int] = []
        self._current: list[str] = []
        self._lists: list[list[Any]] = []
        self._skipping = 0
        self._pending_break = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1
            return
        attributes = dict(attrs)
        if tag == "span" and "lineNumber" in (attributes.get("class") or "").split():
            number = attributes.get("data-line-number") or ""
            if number.isdigit():
                self.line_numbers.append(int(number))
            self._pending_break = False
        elif tag == "br":
            self._resolve_break()
            self._pending_break = True
        elif tag in self.BLOCKS:
            self._resolve_break()
            self._end_paragraph()
            if tag in {"ul", "ol"}:
                self._lists.append([tag, 0])
            elif tag == "li" and self._lists:
                self._lists[-1][1] += 1
                kind, number = self._lists[-1]
                self._current.append(f"{number}. " if kind == "ol" else "– ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self.SKIPPED:
            self._skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self._resolve_break()
            self._end_paragraph()
            if tag in {"ul", "ol"} and self._lists:
                self._lists.pop()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._pending_break and data.strip():
            self._resolve_break()
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._resolve_break()
        self._end_paragraph()

    def _resolve_break(self) -> None:
        """A <br> not followed by a line-number marker is a real line break: it ends the paragraph."""
        if self._pending_break:
            self._pending_break = False
            self._end_paragraph()

    def _end_paragraph(self) -> None:
        text = re.sub(r"[^\S\u00a0\u202f]+", " ", "".join(self._current)).strip()
        self._current = []
        if text and text not in {"–", "– "} and not re.fullmatch(r"\d+\.", text):
            self.paragraphs.append(text)
