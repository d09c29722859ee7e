"""German postcodes and their places: which municipalities a postcode serves, and whether a city fits it.

The data comes from the package countrystatecity-postal-codes, which ships it (no download at run time):
every German postcode with the municipalities it serves, from the countries-states-cities-database by
dr5hn, licensed under the Open Database License (ODbL) 1.0 (https://opendatacommons.org/licenses/odbl/1-0/).
Public use needs the attribution above; we change nothing in the data.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext as _

from campaign.services.common.errors import ServiceError
from campaign.services.common.text import fold_text

GERMAN_POSTCODE = re.compile(r"\d{5}")
# Words that join the parts of a place name („Frankfurt am Main“, „Halle an der Saale“, „Weil am Rhein“);
# „Frankfurt a.M.“ and „Halle/Saale“ leave them out, so they are ignored when names are compared.
_JOINING_WORDS = frozenset({"a", "am", "an", "b", "bei", "d", "der", "die", "i", "im", "in", "ob", "o", "v", "vor"})
_ABBREVIATIONS = {"st": "sankt"}


def clean_postcode(text: str, field: str = "postcode") -> str:
    """A supporter's postcode as typed, without spaces („50 667“ → „50667“); ServiceError naming `field` unless it is
    five digits. The one check of the signing form, the letter flow's lookup and its writer's details."""
    code = "".join((text or "").split())
    if not GERMAN_POSTCODE.fullmatch(code):
        raise ServiceError(_("Bitte eine fünfstellige Postleitzahl angeben, etwa 40210."), field)
    return code


@cache
def _places_by_postcode() -> dict[str, tuple[str, ...]]:
    # Imported here: loading the data costs a third of a second, paid only when a postcode is looked up.
    from countrystatecity_postal_codes import get_postcodes_of_country

    places: dict[str, list[str]] = {}
    for entry in get_postcodes_of_country("DE"):
        names = places.setdefault(entry.code, [])
        if entry.localityName and entry.localityName not in names:
            names.append(entry.localityName)
    return {code: tuple(names) for code, names in places.items()}


def places(postcode: str) -> tuple[str, ...]:
    """The municipalities a German postcode serves („01067“ → („Dresden“,)); empty for an unknown postcode."""
    return _places_by_postcode().get(postcode.strip(), ())


def is_known(postcode: str) -> bool:
    """Whether the five-digit German postcode exists."""
    return bool(places(postcode))


def _name_words(name: str) -> list[str]:
    words = [fold_text(word) for word in re.split(r"[\s\-/().,]+", name)]
    return [_ABBREVIATIONS.get(word, word) for word in words if word and word not in _JOINING_WORDS]


def same_place(city: str, place: str) -> bool:
    """Whether `city` as someone wrote it names `place`: „Halle“, „Halle/Saale“ and „Halle (Saale)“ are one
    place, „Köln-Nippes“ lies in „Köln“, „Frankfurt a.M.“ is „Frankfurt am Main“ but not „Frankfurt (Oder)“.

    The first words must be the same; every further word of the shorter name must begin the corresponding word
    of the longer one (so abbreviations like „a.M.“ pass).
    """
    written, known = _name_words(city), _name_words(place)
    if not written or not known or written[0] != known[0]:
        return False
    shorter, longer = sorted((written, known), key=len)
    return all(long_word.startswith(short_word) for short_word, long_word in zip(shorter, longer, strict=False))


def matches_city(postcode: str, city: str) -> bool:
    """Whether `city` is plausible for the German `postcode` (one of its municipalities, or a part of one)."""
    return any(same_place(city, place) for place in places(postcode))
