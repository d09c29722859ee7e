"""The merged print file, written object by object from the chunk files so that memory stays flat."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from typing import Any, BinaryIO

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)


class StreamingPdfWriter:
    """Concatenates the pages of several PDFs into one file without holding more than one source in memory.

    Each source's objects are copied with new numbers as soon as they are reached from one of its pages; only
    the byte offsets, the page numbers and the outline titles stay in memory until the end.
    """

    def __init__(self, handle: BinaryIO, *, title: str = "", author: str = "") -> None:
        self.out = handle
        self.offsets: list[int] = [0]
        self.catalog, self.pages_root, self.info = self._reserve(), self._reserve(), self._reserve()
        self.page_ids: list[int] = []
        self.outline: list[tuple[str, str, int]] = []  # (group, title, first page id)
        self.title, self.author = title, author
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _reserve(self) -> int:
        self.offsets.append(0)
        return len(self.offsets) - 1

    def _write(self, number: int, obj: PdfObject) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        obj.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def add_pdf(self, reader: PdfReader, letters: Sequence[tuple[str, str, int]]) -> None:
        """Append all pages of `reader`; `letters` gives (group, title, page count) of each letter, in order."""
        numbers: dict[int, int] = {}
        queue: deque[IndirectObject] = deque()

        def ref(indirect: IndirectObject) -> IndirectObject:
            if indirect.idnum not in numbers:
                numbers[indirect.idnum] = self._reserve()
                queue.append(indirect)
            return IndirectObject(numbers[indirect.idnum], 0, reader)

        def copy(obj: Any) -> Any:
            if isinstance(obj, IndirectObject):
                return ref(obj)
            if isinstance(obj, StreamObject):
                return StreamObject.initialize_from_dictionary(
                    {key: copy(value) for key, value in obj.items()} | {"__streamdata__": obj._data}
                )
            if isinstance(obj, DictionaryObject):
                return DictionaryObject({NameObject(key): copy(value) for key, value in obj.items()})
            if isinstance(obj, ArrayObject):
                return ArrayObject(copy(value) for value in obj)
            return obj

        # Pages get their numbers first, so links and annotations that point at a page find it.
        page_numbers = []
        for page in reader.pages:
            numbers[page.indirect_reference.idnum] = self._reserve()
            page_numbers.append(numbers[page.indirect_reference.idnum])
        for page, number in zip(reader.pages, page_numbers, strict=True):
            # The page dictionary as pypdf resolved it (inherited resources and boxes included).
            copied = DictionaryObject({NameObject(k): copy(v) for k, v in page.items() if k != "/Parent"})
            copied[NameObject("/Parent")] = IndirectObject(self.pages_root, 0, reader)
            self._write(number, copied)
            while queue:
                indirect = queue.popleft()
                self._write(numbers[indirect.idnum], copy(indirect.get_object()))
        self.page_ids.extend(page_numbers)
        start = 0
        for group, title, count in letters:
            if start < len(page_numbers):
                self.outline.append((group, title, page_numbers[start]))
            start += count

    def close(self) -> None:
        """Write the page tree, the outline (grouped if groups are given), the catalog and the cross-reference."""
        pages = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(IndirectObject(n, 0, None) for n in self.page_ids),
                NameObject("/Count"): NumberObject(len(self.page_ids)),
            }
        )
        self._write(self.pages_root, pages)
        catalog = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Catalog"),
                NameObject("/Pages"): IndirectObject(self.pages_root, 0, None),
            }
        )
        if self.outline:
            catalog[NameObject("/Outlines")] = IndirectObject(self._write_outline(), 0, None)
            catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        self._write(self.catalog, catalog)
        self._write(
            self.info,
            DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(self.title),
                    NameObject("/Author"): TextStringObject(self.author),
                    NameObject("/Producer"): TextStringObject("Kampagnen-Werkzeug"),
                }
            ),
        )
        xref = self.out.tell()
        self.out.write(f"xref\n0 {len(self.offsets)}\n0000000000 65535 f \n".encode())
        for offset in self.offsets[1:]:
            self.out.write(f"{offset:010d} 00000 n \n".encode())
        self.out.write(
            f"trailer\n<< /Size {len(self.offsets)} /Root {self.catalog} 0 R /Info {self.info} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n".encode()
        )

    def _write_outline(self) -> int:
        root = self._reserve()
        if any(group for group, _, _ in self.outline):
            groups: dict[str, list[tuple[str, int]]] = {}
            for group, title, page in self.outline:
                groups.setdefault(group or "Ohne Unterbezirk", []).append((title, page))
            tops = [(name, items[0][1], items) for name, items in groups.items()]
        else:
            tops = [(title, page, []) for _, title, page in self.outline]
        first, last = self._write_items(root, tops)
        self._write(
            root,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Outlines"),
                    NameObject("/First"): IndirectObject(first, 0, None),
                    NameObject("/Last"): IndirectObject(last, 0, None),
                    NameObject("/Count"): NumberObject(len(tops)),
                }
            ),
        )
        return root

    def _write_items(self, parent: int, items: Sequence[tuple[str, int, list[tuple[str, int]]]]) -> tuple[int, int]:
        """Write sibling outline items (with their children) and return the first and last item's numbers."""
        numbers = [self._reserve() for _ in items]
        for index, (title, page, children) in enumerate(items):
            item = DictionaryObject(
                {
                    NameObject("/Title"): TextStringObject(title),
                    NameObject("/Parent"): IndirectObject(parent, 0, None),
                    NameObject("/Dest"): ArrayObject([IndirectObject(page, 0, None), NameObject("/Fit")]),
                }
            )
            if index:
                item[NameObject("/Prev")] = IndirectObject(numbers[index - 1], 0, None)
            if index + 1 < len(items):
                item[NameObject("/Next")] = IndirectObject(numbers[index + 1], 0, None)
            if children:
                first, last = self._write_items(numbers[index], [(t, p, []) for t, p in children])
                item[NameObject("/First")] = IndirectObject(first, 0, None)
                item[NameObject("/Last")] = IndirectObject(last, 0, None)
                item[NameObject("/Count")] = NumberObject(-len(children))  # closed: a list of regions first
            self._write(numbers[index], item)
        return numbers[0], numbers[-1]
