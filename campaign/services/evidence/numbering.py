"""Line numbering of motion texts (Antragsgrün convention): paragraphs, wrapping at 80 characters, passages."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LINE_LENGTH = 80


@dataclass(frozen=True)
class NumberedLine:
    """One line of a motion's numbered text."""

    number: int
    text: str
    # True on the first line of a paragraph, so pages can start a new block there.
    starts_paragraph: bool
    # True when the line goes on with a word that was too long for the previous line (no space between them).
    continues_word: bool = False


# Whitespace that separates words; no-break spaces (U+00A0, U+202F) deliberately keep their words together.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f]+")
# Invisible characters that would count towards the line length without being seen: soft hyphen, zero-width
# space/joiners, byte order mark.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def paragraphs(full_text: str) -> list[str]:
    """The paragraphs of a text: separated by blank lines; line breaks inside a paragraph count as spaces.

    Every kind of line ending (\\n, \\r\\n, \\r, form feed, U+2028 …) is accepted, the text is put in Unicode
    NFC form (so „ü“ is one character however it was typed) and runs of spaces collapse to one.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", full_text or ""))
    result, current = [], []
    for raw_line in text.splitlines():
        line = _BREAKING_SPACE.sub(" ", raw_line).strip()
        if line:
            current.append(line)
        elif current:
            result.append(" ".join(current))
            current = []
    if current:
        result.append(" ".join(current))
    return result


def _wrap(paragraph: str, width: int) -> list[tuple[str, bool]]:
    """Greedy wrapping at spaces; a word longer than a line starts a new line and is cut at `width`.

    Returns (text, continues_word) per line.
    """
    lines: list[tuple[str, bool]] = []
    current, current_continues = "", False
    for word in paragraph.split(" "):
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
            continue
        if current:
            lines.append((current, current_continues))
        continues = False
        while len(word) > width:
            cut = width
            # Never separate a letter from a combining mark that follows it.
            while cut > 1 and unicodedata.combining(word[cut]):
                cut -= 1
            lines.append((word[:cut], continues))
            word, continues = word[cut:], True
        current, current_continues = word, continues
    if current:
        lines.append((current, current_continues))
    return lines


def number_lines(full_text: str, width: int = LINE_LENGTH) -> list[NumberedLine]:
    """Wrap each paragraph at `width` characters and number the lines continuously.

    Blank lines separate paragraphs and get no number. Each paragraph is wrapped on its own, so a line's
    number depends only on the paragraphs before it: editing a paragraph never renumbers earlier lines.
    """
    lines: list[NumberedLine] = []
    for paragraph in paragraphs(full_text):
        for index, (text, continues) in enumerate(_wrap(paragraph, width)):
            lines.append(NumberedLine(len(lines) + 1, text, index == 0, continues))
    return lines


def line_count(full_text: str) -> int:
    """How many numbered lines the text has."""
    return len(number_lines(full_text))


def line_range_of(full_text: str, anchor: str, width: int = LINE_LENGTH) -> tuple[int, int] | None:
    """The first and last line of the paragraph that contains `anchor`, or None if no paragraph does."""
    blocks: list[list[NumberedLine]] = []
    for line in number_lines(full_text, width):
        if line.starts_paragraph:
            blocks.append([])
        blocks[-1].append(line)
    for block in blocks:
        if anchor in passage_text(block):
            return block[0].number, block[-1].number
    return None


def quoted_lines(full_text: str, line_from: int | None, line_to: int | None) -> list[NumberedLine]:
    """The numbered lines of a passage (empty if the range is unset)."""
    if not line_from or not line_to:
        return []
    return [line for line in number_lines(full_text) if line_from <= line.number <= line_to]


def passage_text(lines: list[NumberedLine]) -> str:
    """The text of numbered lines as written: lines of a paragraph joined, paragraphs separated by a blank line."""
    text = ""
    for line in lines:
        if not text:
            text = line.text
        elif line.starts_paragraph:
            text += "\n\n" + line.text
        else:
            text += ("" if line.continues_word else " ") + line.text
    return text


def normalise_text(full_text: str) -> str:
    """The text as stored: \\n line endings, NFC, no trailing spaces, no leading or trailing blank lines."""
    text = unicodedata.normalize("NFC", full_text or "")
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")
