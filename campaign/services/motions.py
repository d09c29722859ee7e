"""Motions: the numbered full text (Antragsgrün convention) and passage look-ups."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

LINE_LENGTH = 80


@dataclass(frozen=True)
class NumberedLine:
    number: int
    text: str
    # True on the first line of a paragraph, so pages can start a new block there.
    starts_paragraph: bool


def number_lines(full_text: str, width: int = LINE_LENGTH) -> list[NumberedLine]:
    """Wrap each paragraph at `width` characters and number the lines continuously.

    Blank lines separate paragraphs and get no number, so editing one paragraph never
    renumbers the lines before it. Words longer than a line are broken.
    """
    lines: list[NumberedLine] = []
    for paragraph in _paragraphs(full_text):
        wrapped = textwrap.wrap(
            paragraph, width=width, break_long_words=True, break_on_hyphens=False, replace_whitespace=True
        )
        for index, text in enumerate(wrapped):
            lines.append(NumberedLine(len(lines) + 1, text, index == 0))
    return lines


def _paragraphs(full_text: str) -> list[str]:
    paragraphs, current = [], []
    for raw_line in full_text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw_line.strip():
            current.append(raw_line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def line_range_of(full_text: str, anchor: str, width: int = LINE_LENGTH) -> tuple[int, int] | None:
    """The first and last line of the paragraph that contains `anchor`, or None if no paragraph does."""
    blocks: list[list[NumberedLine]] = []
    for line in number_lines(full_text, width):
        if line.starts_paragraph:
            blocks.append([])
        blocks[-1].append(line)
    for block in blocks:
        if anchor in " ".join(line.text for line in block):
            return block[0].number, block[-1].number
    return None


def quoted_lines(full_text: str, line_from: int | None, line_to: int | None) -> list[NumberedLine]:
    """The numbered lines of a passage (empty if the range is unset)."""
    if not line_from or not line_to:
        return []
    return [line for line in number_lines(full_text) if line_from <= line.number <= line_to]
