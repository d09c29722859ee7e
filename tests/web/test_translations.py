"""The English catalogue is complete: every msgid in the code and the templates has an English text that keeps its
placeholders, and the compiled catalogue the app loads is the one of the committed .po file."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "campaign" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# As in the Makefile's `translations` target: Babel's default keywords plus Flask-Babel's lazy ones.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _msgids_in_code() -> dict[str, str]:
    """Every msgid (the singular of plural ones) in the sources named by babel.cfg, with one place it occurs."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _english():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return "fuzzy" not in message.flags and all(text.strip() for text in strings)


def test_every_msgid_in_code_and_templates_has_an_english_text():
    code = _msgids_in_code()
    english = _english()
    assert len(code) > 500  # the extraction found the templates and the code, not nothing
    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(code.items()) if english.get(msgid) is None]
    untranslated = [
        f"{where}: {msgid!r}"
        for msgid, where in sorted(code.items())
        if english.get(msgid) is not None and not _translated(english.get(msgid))
    ]
    advice = "run `make translations`, translate the new entries in " + str(CATALOGUE.relative_to(ROOT))
    assert missing == [], f"msgids missing from the English catalogue ({advice}):\n" + "\n".join(missing)
    assert untranslated == [], f"msgids without English text or still fuzzy ({advice}):\n" + "\n".join(untranslated)


def test_english_texts_keep_the_placeholders_and_plural_forms():
    problems = [f"{message.id!r}: {error}" for message, errors in _english().check() for error in errors]
    assert problems == []
    plurals = [message for message in _english() if isinstance(message.id, tuple)]
    assert plurals and all(len(message.string) == 2 and all(message.string) for message in plurals)


def test_the_compiled_catalogue_is_the_committed_one():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists(), f"{compiled} is missing: `make test` compiles it (pybabel compile)"
    with compiled.open("rb") as handle:
        loaded = read_mo(handle)
    stale = [message.id for message in _english() if message.id and loaded.get(message.id) is None]
    assert stale == [], "the .mo is older than the .po: run `make` (or pybabel compile -d campaign/translations)"
