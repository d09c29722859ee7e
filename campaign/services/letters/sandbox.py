"""The sandbox for organiser-written letter templates: merge-field whitelist, checks on save, and rendering."""

from __future__ import annotations

import functools
import re
import traceback
from dataclasses import dataclass
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from campaign.services.common.errors import ServiceError

# The only top-level names a letter template may use (documented in letters/README.md).
MERGE_FIELDS: dict[str, str] = {
    "salutation": "Anrede ohne Komma, z. B. „Sehr geehrte Frau Dr. Doğan“",
    "recipient": "Empfänger:in: first_name, last_name, full_name, title, function, organisation, "
    "unterbezirk, kreis, wahlkreis, kommune, city",
    "sender": "Absender: name, short_name, city, email, website",
    "motion": "Antrag: title, kind, party, body, presented_on, decision_forum, decision_date",
    "campaign": "Kampagne: title, deadline",
    "provisions": "Kernpunkte des Antrags (Liste): title, summary, stance",
    "arguments": "Ausgewählte Argumente (Liste): claim, paragraph, notes (Nummern der Quellen, z. B. „[1, 2]“)",
    "deadline": "Antwortfrist der Kampagne, z. B. „15. Dezember 2026“",
    "reference_code": "Unser Zeichen dieses Briefs",
    "date": "Datum des Briefs, z. B. „23. November 2026“",
}

# What each structured merge field offers; the save check refuses any other attribute.
FIELD_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "recipient": (
        "first_name",
        "last_name",
        "full_name",
        "title",
        "function",
        "organisation",
        "unterbezirk",
        "kreis",
        "wahlkreis",
        "kommune",
        "city",
    ),
    "sender": ("name", "short_name", "city", "email", "website"),
    "motion": ("title", "kind", "party", "body", "presented_on", "decision_forum", "decision_date"),
    "campaign": ("title", "deadline"),
    "provisions": ("title", "summary", "stance"),
    "arguments": ("claim", "paragraph", "notes"),
}
LIST_FIELDS = frozenset({"provisions", "arguments"})

# A rendered letter longer than this is a runaway template (e.g. a string multiplied a million times).
MAX_RENDERED_CHARS = 200_000
# Filters that would turn organiser text into raw HTML in the letter (and thus into fetchable <img> etc.).
UNSAFE_FILTERS = ("safe",)


class TemplateProblem(ServiceError):
    """A template that cannot be saved or rendered; the message names the line or field."""


class _LetterSandbox(ImmutableSandboxedEnvironment):
    """The sandbox plus limits on operators that could make a template produce gigabytes."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            raise SecurityError("Potenzieren (**) ist in Briefvorlagen nicht erlaubt.")
        sized = next((value for value in (left, right) if isinstance(value, str | list | tuple)), None)
        factor = right if sized is left else left
        if sized is not None and isinstance(factor, int) and len(sized) * factor > MAX_RENDERED_CHARS:
            raise SecurityError("Die Vorlage würde einen übermäßig langen Text erzeugen.")
        return super().call_binop(context, operator, left, right)


def _environment() -> _LetterSandbox:
    # Letters never share an environment with web pages: no globals, no custom filters, no loader.
    # StrictUndefined turns a blocked attribute (which the sandbox would print as "") into a clear error.
    env = _LetterSandbox(autoescape=True, keep_trailing_newline=True, undefined=StrictUndefined)
    env.globals.clear()
    for name in UNSAFE_FILTERS:
        env.filters.pop(name, None)
    return env


_ENV = _environment()


def check_template(source: str) -> None:
    """Raise TemplateProblem for a syntax error (with its line), a field outside the whitelist or unsafe access."""
    _checked_template(source)


@functools.lru_cache(maxsize=64)
def _checked_template(source: str) -> Template:
    """The compiled template, once it passed the checks (bulk runs render one source thousands of times)."""
    try:
        parsed = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"Syntaxfehler in Zeile {exc.lineno}: {exc.message}") from exc
    problems = _structure_problems(parsed)
    try:
        unknown = sorted(meta.find_undeclared_variables(parsed) - MERGE_FIELDS.keys())
    except TemplateSyntaxError as exc:  # e.g. an unknown filter, already named by the structure check
        unknown = []
        if not problems:
            problems.append(f"Zeile {exc.lineno}: {exc.message}")
    if unknown:
        problems.insert(
            0, "Unbekannte Platzhalter: " + ", ".join(unknown) + ". Erlaubt sind: " + ", ".join(MERGE_FIELDS) + "."
        )
    if problems:
        raise TemplateProblem(" ".join(problems))
    # Autoescaping covers the merge fields; the organiser's own text is escaped here, so that HTML typed into a
    # template (an <img> pointing anywhere, say) is printed as text and never becomes an element of the letter.
    for data in parsed.find_all(nodes.TemplateData):
        data.data = str(Markup.escape(data.data))
    try:
        return _ENV.from_string(parsed)
    except TemplateError as exc:
        raise TemplateProblem(f"Die Vorlage lässt sich nicht übersetzen: {exc}") from exc


def _structure_problems(parsed: nodes.Template) -> list[str]:
    """Internals (`self` and „_“ attributes), unknown attributes, filters and includes, each with its line."""
    problems: list[str] = []
    for node in parsed.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        problems.append(f"Zeile {node.lineno}: Andere Vorlagen einzubinden ist in Briefvorlagen nicht möglich.")
    for node in parsed.find_all(nodes.Name):
        # `self` is Jinja's handle on the template object: never a merge field, and not a free name that the
        # whitelist check below would see.
        if node.name == "self":
            problems.append(f"Zeile {node.lineno}: „self“ ist in Briefvorlagen nicht erlaubt.")
    for node in parsed.find_all(nodes.Filter):
        if node.name not in _ENV.filters:
            problems.append(f"Zeile {node.lineno}: Den Filter „{node.name}“ gibt es in Briefvorlagen nicht.")
    problems.extend(_attribute_problems(parsed))
    return list(dict.fromkeys(problems))


def _attribute_problems(parsed: nodes.Template) -> list[str]:
    """Attributes starting with „_“, and attributes a merge field (or a loop over a list field) does not offer."""
    problems: list[str] = []
    # Loop variables stand for an element of a list field: {% for argument in arguments %} → argument.claim.
    aliases = {
        loop.target.name: loop.iter.name
        for loop in parsed.find_all(nodes.For)
        if isinstance(loop.target, nodes.Name) and isinstance(loop.iter, nodes.Name) and loop.iter.name in LIST_FIELDS
    }
    for node in parsed.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if not isinstance(name, str):
            continue
        if name.startswith("_"):
            problems.append(f"Zeile {node.lineno}: Zugriff auf interne Attribute („{name}“) ist nicht erlaubt.")
            continue
        if not isinstance(node.node, nodes.Name):
            continue
        base = node.node.name
        owner = aliases.get(base) if base not in MERGE_FIELDS else (None if base in LIST_FIELDS else base)
        if owner in FIELD_ATTRIBUTES and name not in FIELD_ATTRIBUTES[owner]:
            problems.append(
                f"Zeile {node.lineno}: „{base}.{name}“ gibt es nicht. "
                f"Erlaubt sind: {', '.join(FIELD_ATTRIBUTES[owner])}."
            )
    return problems


@functools.lru_cache(maxsize=64)
def fields_used(source: str) -> frozenset[str]:
    """The merge fields a (checked) template source refers to."""
    return frozenset(meta.find_undeclared_variables(_ENV.parse(source)))


@dataclass(frozen=True)
class RenderedText:
    """A rendered template as escaped HTML and as plain text (for e-mail)."""

    html: Markup
    text: str


def _template_line(exc: BaseException) -> int | None:
    """The template line an exception was raised from (Jinja rewrites tracebacks to point into the template)."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == "<template>"]
    return lines[-1] if lines else None


def _where(exc: BaseException, template: str) -> str:
    """`template` with the line filled in, e.g. " in Zeile 3", or "" when the line is unknown."""
    line = _template_line(exc)
    return template.format(line) if line else ""


def render_markup(source: str, context: dict[str, Any]) -> Markup:
    """Render a template in the sandbox; every failure becomes a TemplateProblem in German."""
    template = _checked_template(source)
    try:
        html = Markup(template.render(**context))
    except SecurityError as exc:
        raise TemplateProblem(f"Nicht erlaubter Zugriff in der Vorlage{_where(exc, ' (Zeile {})')}: {exc}") from exc
    except UndefinedError as exc:
        missing = re.search(r"has no attribute '([^']+)'", exc.message or "")
        detail = f"„{missing[1]}“ gibt es nicht" if missing else (exc.message or "unbekannt")
        raise TemplateProblem(f"Unbekanntes Feld in der Vorlage{_where(exc, ' in Zeile {}')}: {detail}.") from exc
    except (TemplateError, TypeError, ValueError, ArithmeticError, OverflowError) as exc:
        raise TemplateProblem(f"Die Vorlage lässt sich nicht ausfüllen{_where(exc, ' in Zeile {}')}: {exc}") from exc
    if len(html) > MAX_RENDERED_CHARS:
        raise TemplateProblem("Die Vorlage erzeugt einen übermäßig langen Text.")
    return html


def render_template_text(source: str, context: dict[str, Any]) -> RenderedText:
    """Render a checked template with plain-data context; sandbox violations become TemplateProblem."""
    html = render_markup(source, context)
    return RenderedText(html=html, text=html.unescape())
