"""Text helpers shared by every feature: slugs and keys, web addresses, folding for matching, countries."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from babel.numbers import format_decimal
from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError
from campaign.services.common.language import page_language

URL_MAX = 1000

# Letters that NFKD does not decompose into an ASCII base letter, spelled the way German readers expect.
_TRANSLITERATION = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ı": "i",
    }
)  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# How people write „Germany“ in an address's country field, folded with fold_text.
GERMANY = frozenset({"", "d", "de", "deu", "deutschland", "germany", "brd", "bundesrepublikdeutschland"})


def ascii_text(text: str) -> str:
    """„Ayşe Łukasz Müller“ → „Ayse Lukasz Mueller“: German transliteration, other accents dropped."""
    spelled = (text or "").translate(_TRANSLITERATION)
    return unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")


def slugify(text: str, max_length: int = 80) -> str:
    """„NRW, jetzt erst gerecht!“ → „nrw-jetzt-erst-gerecht“ (for URLs, keys and file names)."""
    slug = _NOT_SLUG.sub("-", ascii_text(text).lower()).strip("-")
    return slug[:max_length].rstrip("-")


def is_slug(text: str, max_length: int = 120) -> bool:
    """Whether `text` is a well-formed slug: a–z, digits and single hyphens, not too long."""
    return len(text) <= max_length and bool(SLUG_PATTERN.match(text))


def unique_slug(text: str, taken: Callable[[str], bool], *, fallback: str, max_length: int = 60) -> str:
    """slugify(text) (or `fallback` when nothing is left), with „-2“, „-3“ … until `taken` says it is free."""
    base = slugify(text, max_length) or fallback
    candidate, number = base, 2
    while taken(candidate):
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def check_url(text: str | None, field: str = "url") -> str:
    """An http(s) address with a host, or empty; anything else (javascript:, file:, relative, typos) is refused."""
    url = (text or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or any(char.isspace() for char in url):
        raise ServiceError(
            _("Bitte eine vollständige Webadresse angeben, die mit https:// (oder http://) beginnt."), field
        )
    if len(url) > URL_MAX:
        raise ServiceError(_("Die Webadresse ist zu lang (höchstens %(URL_MAX)s Zeichen).", URL_MAX=URL_MAX), field)
    return url


def fold_text(text: str) -> str:
    """Lower case, umlauts spelled out, accents and everything but letters and digits removed (for matching).

    Letters of other scripts are kept (unlike ascii_text), so „Иван“ and „Ivan“ stay different people.
    """
    spelled = unicodedata.normalize("NFKD", (text or "").casefold().translate(_TRANSLITERATION))
    return "".join(char for char in spelled if char.isalnum() and not unicodedata.combining(char))


def collapse_spaces(text: str) -> str:
    """Runs of white space (line breaks included) as one space, trimmed."""
    return " ".join(str(text or "").split())


def same_name(first: str, second: str) -> bool:
    """Whether two names are one but for case and spacing: „Łódź-Argumente“ and „łódź  argumente“ are.

    For uniqueness checks, compared here rather than with SQL's lower(): casefold() also makes „ß“ and „ss“ one,
    and PostgreSQL's lower() depends on the database's locale (under LC_CTYPE=C it folds only A–Z).
    """
    return collapse_spaces(first).casefold() == collapse_spaces(second).casefold()


def short_fields(source: object, limits: Mapping[str, int], required: Iterable[tuple[str, object]]) -> dict[str, str]:
    """The attributes of `source` named in `limits`, white space collapsed: a person's name and address as typed.

    ServiceError (naming the field) for the first that is longer than its limit, else for the first of `required`
    (field name, message) that is empty.
    """
    values = {name: collapse_spaces(getattr(source, name)) for name in limits}
    for name, limit in limits.items():
        if len(values[name]) > limit:
            raise ServiceError(_("Höchstens %(max)d Zeichen, bitte.", max=limit), name)
    for name, message in required:
        if not values[name]:
            raise ServiceError(str(message), name)
    return values


def is_germany(country: str) -> bool:
    """Whether an address's country field means Germany (empty does: most addresses leave it out)."""
    return fold_text(country or "") in GERMANY


def format_megabytes(size: int) -> str:
    """A size in MB with one decimal, rounded up (so 5 MB and a byte is „5,1 MB“, not „5,0 MB“)."""
    tenths = math.ceil(size * 10 / 1024 / 1024)
    return f"{format_decimal(tenths / 10, format='0.0', locale=page_language())} MB"


def format_thousands(number: int) -> str:
    """12345 → „12.345“ on German pages (and in the CLI), „12,345“ on English ones."""
    return format_decimal(number, locale=page_language())
