"""Uploaded letterhead images (logos, scanned signatures): checked PNG, or SVG rebuilt from a whitelist."""

from __future__ import annotations

import base64
import functools
import io
import re
import warnings

from flask_babel import gettext as _
from lxml import etree
from PIL import Image, UnidentifiedImageError

from campaign.services.common.errors import ServiceError

MAX_IMAGE_BYTES = 256 * 1024
MAX_PIXELS = 4000 * 4000
PNG = "image/png"
SVG = "image/svg+xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Drawing elements only: no script, foreignObject, style sheets, animation, external use or images.
ALLOWED_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "lineargradient", "radialgradient", "stop", "clippath", "mask", "symbol", "use",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = frozenset(
    {
        "id", "class", "viewbox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
        "d", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
        "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "opacity", "font-family",
        "font-size", "font-weight", "font-style", "text-anchor", "letter-spacing", "offset", "stop-color",
        "stop-opacity", "gradientunits", "gradienttransform", "clip-path", "clip-rule", "mask", "href",
        "preserveaspectratio", "version", "dx", "dy", "spreadmethod", "fx", "fy", "clippathunits", "maskunits",
    }
)  # fmt: skip
# Values may point into the same document (url(#a), #a) and nowhere else.
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def _too_big(data: bytes, what: str) -> None:
    if not data:
        raise ServiceError(_("%(what)s: Die Datei ist leer.", what=what))
    if len(data) > MAX_IMAGE_BYTES:
        raise ServiceError(
            _("%(what)s: Die Datei ist zu groß (höchstens %(value)s KB).", what=what, value=MAX_IMAGE_BYTES // 1024)
        )


def _check_png(data: bytes, what: str) -> bytes:
    """The PNG as uploaded, once Pillow has read all of it and its size is sensible."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != "PNG":
                    raise ServiceError(_("%(what)s: Die Datei ist kein PNG-Bild.", what=what))
                if image.width * image.height > MAX_PIXELS:
                    raise ServiceError(_("%(what)s: Das Bild hat zu viele Pixel (höchstens 4000 × 4000).", what=what))
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        if isinstance(exc, ServiceError):
            raise
        raise ServiceError(_("%(what)s: Die PNG-Datei ist beschädigt oder kein Bild.", what=what)) from exc
    except Image.DecompressionBombWarning as exc:
        raise ServiceError(_("%(what)s: Das Bild hat zu viele Pixel (höchstens 4000 × 4000).", what=what)) from exc
    return data


def _local_name(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _clean_attributes(element: etree._Element) -> None:
    for name, value in list(element.attrib.items()):
        qname = etree.QName(name)
        local = qname.localname.lower()
        allowed_ns = qname.namespace in (None, XLINK_NS) and (qname.namespace is None or local == "href")
        external = local == "href" and not value.strip().startswith("#")
        if not allowed_ns or local not in ALLOWED_ATTRIBUTES or external or _EXTERNAL_URL.search(value):
            del element.attrib[name]


def sanitise_svg(data: bytes, what: str = "Logo") -> bytes:
    """The SVG rebuilt with drawing elements and attributes only: no script, event handlers, style sheets,
    external references or entities. A file that is not an SVG document is refused."""
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise ServiceError(_("%(what)s: SVG-Dateien mit DOCTYPE oder Entitäten werden nicht angenommen.", what=what))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)  # fmt: skip
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ServiceError(_("%(what)s: Die Datei ist kein gültiges SVG.", what=what)) from exc
    if root is None or _local_name(root.tag) != "svg" or etree.QName(root.tag).namespace not in (SVG_NS, None):
        raise ServiceError(_("%(what)s: Die Datei ist kein SVG-Bild.", what=what))
    for element in list(root.iter()):
        if element is not root and (_local_name(element.tag) not in ALLOWED_ELEMENTS):
            element.getparent().remove(element)
    for element in root.iter():
        if isinstance(element.tag, str):
            _clean_attributes(element)
    if etree.QName(root.tag).namespace is None:
        root.set("xmlns", SVG_NS)
    return etree.tostring(root, encoding="utf-8", xml_declaration=False)


def check_image(data: bytes, filename: str = "", *, what: str = "Logo") -> tuple[bytes, str]:
    """(clean bytes, media type) of an uploaded PNG or SVG; decided by the content, not by the file's name."""
    _too_big(data, what)
    if data.startswith(PNG_SIGNATURE):
        return _check_png(data, what), PNG
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")):
        return sanitise_svg(data, what), SVG
    raise ServiceError(
        _(
            "%(what)s: Bitte eine PNG- oder SVG-Datei hochladen (die Datei „%(filename)s“ ist keines von beiden).",
            what=what,
            filename=filename,
        )
    )


@functools.lru_cache(maxsize=16)
def data_uri(media_type: str, data: bytes) -> str:
    """The image as a data: URI (the PDF's URL fetcher serves only these and letters/); one string per image, so the
    letters of a print run share it."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
