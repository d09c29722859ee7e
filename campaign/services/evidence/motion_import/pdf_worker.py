"""The PDF text extraction of motion imports, run as a script in its own limited process (see pdf.py).

Arguments: CPU seconds, address-space bytes, maximum pages, maximum decoded content bytes, maximum characters.
Reads the PDF from stdin and prints one JSON object: {"pages": [...]} or {"error": ..., ...}. It imports only
the standard library and pypdf, so starting it costs a fraction of a second.
"""

import io
import json
import resource
import sys
import warnings

from pypdf import PdfReader
from pypdf.generic import ArrayObject, StreamObject


def apply_limits(cpu_seconds: int, memory_bytes: int) -> None:
    """SIGXCPU at the soft CPU limit, SIGKILL a second later; MemoryError beyond the address-space limit."""
    _, cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)
    _, memory_hard = resource.getrlimit(resource.RLIMIT_AS)
    unlimited = resource.RLIM_INFINITY
    if cpu_hard == unlimited:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    else:
        resource.setrlimit(resource.RLIMIT_CPU, (min(cpu_seconds, cpu_hard), min(cpu_seconds + 1, cpu_hard)))
    memory = memory_bytes if memory_hard == unlimited else min(memory_bytes, memory_hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def content_size(page) -> int:
    """Decoded bytes of the page's content streams and of the form XObjects it draws: what extraction parses."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = list(contents) if isinstance(contents, ArrayObject) else [contents]
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is not None:
        streams.extend(xobjects.get_object().values())
    total = 0
    for item in streams:
        stream = item.get_object() if item is not None else None
        if isinstance(stream, StreamObject) and stream.get("/Subtype") in (None, "/Form"):
            total += len(stream.get_data())
    return total


def page_text(page) -> str:
    """Layout mode keeps the vertical gaps between paragraphs as blank lines; plain mode is the fallback."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except MemoryError:
        raise
    except Exception:  # the layout engine gives up on some odd pages where plain extraction works
        return page.extract_text() or ""


def extract(data: bytes, max_pages: int, max_content_bytes: int, max_chars: int) -> dict:
    """The pages' texts, or the reason the PDF is refused."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return {"error": "encrypted"}
    page_count = len(reader.pages)
    if page_count > max_pages:
        return {"error": "pages", "pages": page_count}
    # Checked for every page before any text is laid out: pages that share one huge stream count it each time,
    # as extraction would parse it each time.
    content_bytes = 0
    for page in reader.pages:
        content_bytes += content_size(page)
        if content_bytes > max_content_bytes:
            return {"error": "content"}
    pages, chars = [], 0
    for page in reader.pages:
        pages.append(page_text(page))
        chars += len(pages[-1])
        if chars > max_chars:
            return {"error": "chars"}
    return {"pages": pages}


def main(arguments: list[str]) -> None:
    cpu_seconds, memory_bytes, max_pages, max_content_bytes, max_chars = (int(value) for value in arguments)
    apply_limits(cpu_seconds, memory_bytes)
    data = sys.stdin.buffer.read()
    # pypdf warns about every repaired oddity of real-world PDFs; those are not our users' problem.
    warnings.simplefilter("ignore")
    try:
        result = extract(data, max_pages, max_content_bytes, max_chars)
    except MemoryError:
        result = {"error": "memory"}
    except Exception as exc:  # pypdf raises many different exception types on damaged files
        if type(exc).__name__ == "LimitReachedError":  # pypdf's own cap on a single stream (newer versions)
            result = {"error": "content"}
        else:
            result = {"error": "damaged", "detail": f"{type(exc).__name__}: {exc}"[:300]}
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
