"""Jinja's syntax errors explained in German, for organisers who have never seen a template language."""

from __future__ import annotations

import re
from collections.abc import Callable

# How Jinja names the tokens in its messages, and what an organiser sees in the text instead.
TOKEN_WORDS = {
    "end of print statement": "„}}“",
    "end of statement block": "„%}“",
    "begin of print statement": "„{{“",
    "begin of statement block": "„{%“",
    "end of template": "das Ende der Vorlage",
    "name": "ein Name",
    "string": "ein Text in Anführungszeichen",
    "integer": "eine Zahl",
    "float": "eine Zahl",
}
BLOCK_TAGS = ("if", "for", "with", "filter", "set", "raw")
TAG_HELP = "Erlaubt sind {% if %}, {% elif %}, {% else %}, {% for %}, {% set %}, {% with %} und {% filter %}."


def _token(word: str) -> str:
    return TOKEN_WORDS.get(word, f"„{word}“")


def _unclosed(match: re.Match[str]) -> str:
    block = match["block"]
    return f"Die Vorlage endet, aber der Block {{% {block} %}} ist nicht geschlossen: es fehlt {{% end{block} %}}."


def _misplaced(match: re.Match[str]) -> str:
    tag, block = match["tag"], match["block"]
    if tag.startswith("end") or tag in ("else", "elif"):
        return (
            f"{{% {tag} %}} passt hier nicht: zuerst muss der Block {{% {block} %}} "
            f"mit {{% end{block} %}} geschlossen werden."
        )
    return f"Den Befehl {{% {tag} %}} gibt es nicht. {TAG_HELP}"


def _unknown_tag(match: re.Match[str]) -> str:
    tag = match["tag"]
    if tag.startswith("end") and tag[3:] in BLOCK_TAGS:
        return f"{{% {tag} %}} ohne passendes {{% {tag[3:]} %}} davor."
    if tag in ("else", "elif"):
        return f"{{% {tag} %}} steht außerhalb eines {{% if %}}-Blocks (oder {{% for %}} bei else)."
    return f"Den Befehl {{% {tag} %}} gibt es nicht. {TAG_HELP}"


def _expected_token(match: re.Match[str]) -> str:
    expected, found = match["expected"], match["found"]
    if expected == "end of print statement":
        return (
            f"Hier sollte der Platzhalter mit „}}}}“ enden, aber es folgt „{found}“. "
            "Zwei Namen werden mit „~“ verbunden, Felder mit einem Punkt (recipient.last_name)."
        )
    if expected == "end of statement block":
        return f"Hier sollte die Anweisung mit „%}}“ enden, aber es folgt „{found}“."
    if expected == "in":
        return "In der Schleife fehlt „in“, z. B. {% for argument in arguments %}."
    if expected == "name":
        return (
            f"Hier fehlt ein Name (nach „|“ der eines Filters, nach „is“ der eines Tests), gefunden: {_token(found)}."
        )
    return f"Erwartet wurde {_token(expected)}, gefunden: {_token(found)}."


def _unexpected(match: re.Match[str]) -> str:
    found, expected = match["found"], match["expected"]
    if expected:
        return f"Hier fehlt {_token(expected)} vor {_token(found)}."
    if found == "}":
        return "Unerwartetes „}“: ein Platzhalter wird mit „}}“ geschlossen, eine Anweisung mit „%}“."
    return f"Unerwartet steht hier {_token(found)}."


def _unexpected_end(match: re.Match[str]) -> str:
    expected = match["expected"]
    if expected == "end of print statement":
        return "Die Vorlage endet mitten in einem Platzhalter: es fehlt „}}“."
    if expected == "end of statement block":
        return "Die Vorlage endet mitten in einer Anweisung: es fehlt „%}“."
    return f"Die Vorlage endet zu früh: erwartet wurde {_token(expected)}."


def _unexpected_char(match: re.Match[str]) -> str:
    char = match["char"]
    if char in "'\"":
        return "Ein Text in Anführungszeichen wird nicht geschlossen (das Anführungszeichen fehlt am Ende)."
    return f"Das Zeichen „{char}“ ist in Platzhaltern und Anweisungen nicht erlaubt."


def _missing_expression(match: re.Match[str]) -> str:
    found = match["found"]
    if found == "end of print statement":
        return "Der Platzhalter {{ }} ist leer: zwischen die Klammern gehört ein Name, z. B. {{ salutation }}."
    return f"Hier fehlt ein Ausdruck (z. B. ein Platzhalter oder eine Bedingung) vor {_token(found)}."


FIXED_EXPLANATIONS = {
    "tag name expected": "Nach „{%“ fehlt der Befehl, z. B. {% if … %} oder {% for … %}.",
    "Missing end of comment tag": "Ein Kommentar „{#“ wird nicht mit „#}“ geschlossen.",
    "Missing end of raw directive": "{% raw %} wird nicht mit {% endraw %} geschlossen.",
    "can't assign to": "Mit {% set … %} lässt sich nur einem Namen etwas zuweisen, z. B. {% set gruss = anrede %}.",
    "expected name or number": "Nach dem Punkt fehlt der Name eines Felds, z. B. empfaenger.nachname.",
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
    """A German explanation of a Jinja syntax error message (Jinja's own words in brackets if it is a rare one)."""
    for pattern, explain in EXPLANATIONS:
        match = pattern.search(message or "")
        if match:
            return explain(match)
    for start, explanation in FIXED_EXPLANATIONS.items():
        if (message or "").startswith(start):
            return explanation
    return (
        "Die Vorlage ist an dieser Stelle nicht lesbar. Bitte die Klammern {{ }} und {% %} prüfen "
        f"(Jinja meldet: {message})."
    )
