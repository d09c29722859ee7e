"""The markers of Word's list paragraphs („1.“, „a)“, „–“), counted through a document as Word shows them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.text.paragraph import Paragraph

LEVELS = 9
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"))
_ROMAN += ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class Level:
    """One level of a numbering definition: its number format („decimal“, „bullet“ …), pattern and start."""

    format: str
    pattern: str
    start: int


def _roman(number: int) -> str:
    result = ""
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        result += letters * count
    return result


def format_number(number: int, number_format: str) -> str:
    """A list number in one of Word's formats; unknown formats count in digits."""
    if number_format in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in {"lowerRoman", "upperRoman"}:
        roman = _roman(number)
        return roman.upper() if number_format == "upperRoman" else roman
    if number_format == "none":
        return ""
    return str(number)


def _value(element: Any, path: str) -> str | None:
    found = element.xpath(path)
    return str(found[0]) if found else None


class ListMarkers:
    """Counts list paragraphs per list, and gives each the marker Word would show before it."""

    def __init__(self, document: Document) -> None:
        try:
            self._numbering = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:
            self._numbering = None
        # python-docx looks styles up by scanning all of them, per paragraph: far too slow for long documents.
        self._styles = {style.style_id: style for style in document.styles if style.type == WD_STYLE_TYPE.PARAGRAPH}
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self._default_style_id = default.style_id if default is not None else None
        self._style_references: dict[str | None, tuple[int | None, int | None]] = {}
        self._levels: dict[int, list[Level]] = {}
        self._counters: dict[int, list[int | None]] = {}

    def marker(self, paragraph: Paragraph) -> str:
        """„1. “, „a) “, „– “ or "" for a paragraph that is no list item."""
        reference = self._list_reference(paragraph)
        if reference is None:
            return ""
        list_id, level = reference
        levels = self._definition(list_id)
        if level >= len(levels) or levels[level].format == "bullet":
            return "– "
        counters = self._counters.setdefault(list_id, [None] * LEVELS)
        current = counters[level]
        counters[level] = levels[level].start if current is None else current + 1
        counters[level + 1 :] = [None] * (LEVELS - level - 1)

        def number(match: re.Match[str]) -> str:
            index = int(match[1]) - 1
            if index >= len(levels):
                return ""
            return format_number(counters[index] or levels[index].start, levels[index].format)

        marker = re.sub(r"%([1-9])", number, levels[level].pattern).strip()
        return f"{marker} " if marker else ""

    def _list_reference(self, paragraph: Paragraph) -> tuple[int, int] | None:
        """(list id, level) of a list paragraph, set on the paragraph itself or by its style; None for others."""
        properties = paragraph._p.pPr
        list_id, level = _numbering_of(properties)
        style_id = (properties.style if properties is not None else None) or self._default_style_id
        style_list_id, style_level = self._style_reference(style_id)
        list_id = list_id if list_id is not None else style_list_id
        level = level if level is not None else style_level
        if not list_id:  # numId 0 switches numbering off
            return None
        return list_id, min(level or 0, LEVELS - 1)

    def _style_reference(self, style_id: str | None) -> tuple[int | None, int | None]:
        """The list id and level a paragraph style (or the style it is based on) gives its paragraphs."""
        if style_id not in self._style_references:
            list_id = level = None
            style, seen = self._styles.get(style_id or ""), set()
            while style is not None and style.style_id not in seen and (list_id is None or level is None):
                seen.add(style.style_id)
                own_list_id, own_level = _numbering_of(style.element.pPr)
                list_id = list_id if list_id is not None else own_list_id
                level = level if level is not None else own_level
                style = self._styles.get(style.element.basedOn_val or "")
            self._style_references[style_id] = (list_id, level)
        return self._style_references[style_id]

    def _definition(self, list_id: int) -> list[Level]:
        if list_id not in self._levels:
            self._levels[list_id] = self._read_definition(list_id)
        return self._levels[list_id]

    def _read_definition(self, list_id: int) -> list[Level]:
        if self._numbering is None:
            return []
        abstract_id = _value(self._numbering, f'./w:num[@w:numId="{list_id}"]/w:abstractNumId/@w:val')
        if abstract_id is None or not abstract_id.isdigit():
            return []
        levels = []
        for level in range(LEVELS):
            path = f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="{level}"]'
            start = _value(self._numbering, f"{path}/w:start/@w:val") or "1"
            levels.append(
                Level(
                    format=_value(self._numbering, f"{path}/w:numFmt/@w:val") or "decimal",
                    pattern=_value(self._numbering, f"{path}/w:lvlText/@w:val") or f"%{level + 1}.",
                    start=int(start) if start.isdigit() else 1,
                )
            )
        return levels


def _numbering_of(properties: Any) -> tuple[int | None, int | None]:
    """The list id and level set directly in paragraph properties (w:pPr/w:numPr), each None where unset."""
    number_properties = properties.numPr if properties is not None else None
    if number_properties is None:
        return None, None
    list_id = number_properties.numId.val if number_properties.numId is not None else None
    level = number_properties.ilvl.val if number_properties.ilvl is not None else None
    return list_id, level
