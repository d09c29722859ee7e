"""Jinja's syntax errors explained in the page's language, for organisers who never saw a template language."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# How Jinja names the tokens in its messages, and what an organiser sees in the text instead.
TOKEN_WORDS = {
    "end of print statement": "„}}“",
    "end of statement block": "„%}“",
    "begin of print statement": "„{{“",
    "begin of statement block": "„{%“",
    "end of template": _l("das Ende der Vorlage"),
    "name": _l("ein Name"),
    "string": _l("ein Text in Anführungszeichen"),
    "integer": _l("eine Zahl"),
    "float": _l("eine Zahl"),
}
BLOCK_TAGS = ("if", "for", "with", "filter", "set", "raw")


def _tag_help() -> str:
    return _("Erlaubt sind {% if %}, {% elif %}, {% else %}, {% for %}, {% set %}, {% with %} und {% filter %}.")


def _token(word: str) -> str:
    return str(TOKEN_WORDS.get(word, f"„{word}“"))


def _unclosed(match: re.Match[str]) -> str:
    return _(
        "Die Vorlage endet, aber der Block {%% %(block)s %%} ist nicht geschlossen: es fehlt {%% end%(block)s %%}.",
        block=match["block"],
    )


def _unknown_command(tag: str) -> str:
    return _("Den Befehl {%% %(tag)s %%} gibt es nicht.", tag=tag) + " " + _tag_help()


def _misplaced(match: re.Match[str]) -> str:
    tag, block = match["tag"], match["block"]
    if tag.startswith("end") or tag in ("else", "elif"):
        return _(
            "{%% %(tag)s %%} passt hier nicht: zuerst muss der Block {%% %(block)s %%} mit {%% end%(block)s %%} "
            "geschlossen werden.",
            tag=tag,
            block=block,
        )
    return _unknown_command(tag)


def _unknown_tag(match: re.Match[str]) -> str:
    tag = match["tag"]
    if tag.startswith("end") and tag[3:] in BLOCK_TAGS:
        return _("{%% %(tag)s %%} ohne passendes {%% %(block)s %%} davor.", tag=tag, block=tag[3:])
    if tag in ("else", "elif"):
        return _("{%% %(tag)s %%} steht außerhalb eines {%% if %%}-Blocks (oder {%% for %%} bei else).", tag=tag)
    return _unknown_command(tag)


def _expected_token(match: re.Match[str]) -> str:
    expected, found = match["expected"], match["found"]
    if expected == "end of print statement":
        return _(
            "Hier sollte der Platzhalter mit „}}“ enden, aber es folgt „%(found)s“. "
            "Zwei Namen werden mit „~“ verbunden, Felder mit einem Punkt (recipient.last_name).",
            found=found,
        )
    if expected == "end of statement block":
        return _("Hier sollte die Anweisung mit „%%}“ enden, aber es folgt „%(found)s“.", found=found)
    if expected == "in":
        return _("In der Schleife fehlt „in“, z. B. {% for argument in arguments %}.")
    if expected == "name":
        return _(
            "Hier fehlt ein Name (nach „|“ der eines Filters, nach „is“ der eines Tests), gefunden: %(found)s.",
            found=_token(found),
        )
    return _("Erwartet wurde %(expected)s, gefunden: %(found)s.", expected=_token(expected), found=_token(found))


def _unexpected(match: re.Match[str]) -> str:
    found, expected = match["found"], match["expected"]
    if expected:
        return _("Hier fehlt %(expected)s vor %(found)s.", expected=_token(expected), found=_token(found))
    if found == "}":
        return _("Unerwartetes „}“: ein Platzhalter wird mit „}}“ geschlossen, eine Anweisung mit „%}“.")
    return _("Unerwartet steht hier %(found)s.", found=_token(found))


def _unexpected_end(match: re.Match[str]) -> str:
    expected = match["expected"]
    if expected == "end of print statement":
        return _("Die Vorlage endet mitten in einem Platzhalter: es fehlt „}}“.")
    if expected == "end of statement block":
        return _("Die Vorlage endet mitten in einer Anweisung: es fehlt „%}“.")
    return _("Die Vorlage endet zu früh: erwartet wurde %(expected)s.", expected=_token(expected))


def _unexpected_char(match: re.Match[str]) -> str:
    char = match["char"]
    if char in "'\"":
        return _("Ein Text in Anführungszeichen wird nicht geschlossen (das Anführungszeichen fehlt am Ende).")
    return _("Das Zeichen „%(char)s“ ist in Platzhaltern und Anweisungen nicht erlaubt.", char=char)


def _missing_expression(match: re.Match[str]) -> str:
    found = match["found"]
    if found == "end of print statement":
        return _("Der Platzhalter {{ }} ist leer: zwischen die Klammern gehört ein Name, z. B. {{ salutation }}.")
    return _("Hier fehlt ein Ausdruck (z. B. ein Platzhalter oder eine Bedingung) vor %(found)s.", found=_token(found))


FIXED_EXPLANATIONS = {
    "tag name expected": _l("Nach „{%“ fehlt der Befehl, z. B. {% if … %} oder {% for … %}."),
    "Missing end of comment tag": _l("Ein Kommentar „{#“ wird nicht mit „#}“ geschlossen."),
    "Missing end of raw directive": _l("{% raw %} wird nicht mit {% endraw %} geschlossen."),
    "can't assign to": _l("Mit {% set … %} lässt sich nur einem Namen etwas zuweisen, z. B. {% set gruss = anrede %}."),
    "expected name or number": _l("Nach dem Punkt fehlt der Name eines Felds, z. B. empfaenger.nachname."),
}
_BLOCK = r".*innermost block that needs to be closed is '(?P<block>\w+)'"
EXPLANATIONS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Unexpected end of template\." + _BLOCK), _unclosed),
    (re.compile(r"Encountered unknown tag '(?P<tag>\w+)'\." + _BLOCK), _misplaced),
    (re.compile(r"Encountered unknown tag '(?P<tag>\w+)'"), _unknown_tag),
    (re.compile(r"expected token '(?P<expected>[^']+)', got '(?P<found>[^']*)'"), _expected_token),
    (re.compile(r"unexpected end of template, expected '(?P<expected>[^']+)'"), _unexpected_end),
    (re.compile(r"unexpected '(?P<found>[^']*)'(?:, expected '(?P<expected>[^']+)')?"), _unexpected),
    (re.compile(r"unexpected char (?P<q>['\"])(?P<char>.)(?P=q)"), _unexpected_char),
    (re.compile(r"Expected an expression, got '(?P<found>[^']+)'"), _missing_expression),
)


def explain_syntax_error(message: str) -> str:
    """An explanation of a Jinja syntax error message (Jinja's own words in brackets if it is a rare one)."""
    for pattern, explain in EXPLANATIONS:
        match = pattern.search(message or "")
        if match:
            return explain(match)
    for start, explanation in FIXED_EXPLANATIONS.items():
        if (message or "").startswith(start):
            return str(explanation)
    return _(
        "Die Vorlage ist an dieser Stelle nicht lesbar. Bitte die Klammern {{ }} und {%% %%} prüfen "
        "(Jinja meldet: %(message)s).",
        message=message,
    )
