"""Letters: the sandboxed template environment, merge fields, composing, the DIN 5008 print layout and snapshots."""

from __future__ import annotations

import functools
import hashlib
import io
import re
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    meta,
    nodes,
)
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import (
    Argument,
    Campaign,
    Channel,
    FormOfAddress,
    Letter,
    LetterStatus,
    Organisation,
    Recipient,
    Signature,
    SignatureStatus,
    Supporter,
    Target,
    TemplateVersion,
    User,
)
from campaign.services.common.audit import record
from campaign.services.common.dates import german_date
from campaign.services.common.errors import ServiceError
from campaign.services.common.markdown import markdown_to_text, render_markdown
from campaign.services.common.states import transition
from campaign.services.common.text import is_germany
from campaign.services.evidence.citations import Citation, format_citation
from campaign.services.letters.pdf import LETTERS_DIR, LetterAssetFetcher, render_pdf
from campaign.services.letters.salutation import salutation_for

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


CLOSING = "Mit freundlichen Grüßen"
LAYOUT_TEMPLATE = "layout.html"
LETTER_STYLESHEET = LETTERS_DIR / "din5008.css"
# A rendered letter longer than this is a runaway template (e.g. a string multiplied a million times).
MAX_RENDERED_CHARS = 200_000
# The address zone is 80 mm wide: at 10 pt about 45 characters fit on a line.
MAX_FUNCTION_CHARS = 45
# Filters that would turn organiser text into raw HTML in the letter (and thus into fetchable <img> etc.).
UNSAFE_FILTERS = ("safe",)


class TemplateProblem(ServiceError):
    """A template that cannot be saved or rendered; the message names the line or field."""


# ---- the sandbox ----


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
    """Internals, unknown attributes, unknown filters and includes, each with its line."""
    problems: list[str] = []
    for node in parsed.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        problems.append(f"Zeile {node.lineno}: Andere Vorlagen einzubinden ist in Briefvorlagen nicht möglich.")
    for node in parsed.find_all(nodes.Name):
        if node.name == "self":
            problems.append(f"Zeile {node.lineno}: „self“ ist in Briefvorlagen nicht erlaubt.")
    for node in parsed.find_all(nodes.Filter):
        if node.name not in _ENV.filters:
            problems.append(f"Zeile {node.lineno}: Den Filter „{node.name}“ gibt es in Briefvorlagen nicht.")
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
    return list(dict.fromkeys(problems))


@dataclass(frozen=True)
class RenderedText:
    html: Markup
    text: str


def _template_line(exc: BaseException) -> int | None:
    """The template line an exception was raised from (Jinja rewrites tracebacks to point into the template)."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == "<template>"]
    return lines[-1] if lines else None


def _render(source: str, context: dict[str, Any]) -> Markup:
    """Render a template in the sandbox; every failure becomes a TemplateProblem in German."""
    template = _checked_template(source)
    try:
        html = Markup(template.render(**context))
    except SecurityError as exc:
        line = _template_line(exc)
        where = f" (Zeile {line})" if line else ""
        raise TemplateProblem(f"Nicht erlaubter Zugriff in der Vorlage{where}: {exc}") from exc
    except UndefinedError as exc:
        line = _template_line(exc)
        where = f" in Zeile {line}" if line else ""
        missing = re.search(r"has no attribute '([^']+)'", exc.message or "")
        detail = f"„{missing[1]}“ gibt es nicht" if missing else (exc.message or "unbekannt")
        raise TemplateProblem(f"Unbekanntes Feld in der Vorlage{where}: {detail}.") from exc
    except (TemplateError, TypeError, ValueError, ArithmeticError, OverflowError) as exc:
        line = _template_line(exc)
        where = f" in Zeile {line}" if line else ""
        raise TemplateProblem(f"Die Vorlage lässt sich nicht ausfüllen{where}: {exc}") from exc
    if len(html) > MAX_RENDERED_CHARS:
        raise TemplateProblem("Die Vorlage erzeugt einen übermäßig langen Text.")
    return html


def render_template_text(source: str, context: dict[str, Any]) -> RenderedText:
    """Render a checked template with plain-data context; sandbox violations become TemplateProblem."""
    html = _render(source, context)
    return RenderedText(html=html, text=html.unescape())


# ---- arguments and sources ----


def select_arguments(campaign: Campaign, recipient: Recipient) -> list[Argument]:
    """The campaign's chosen arguments, then those its rules add for this recipient's tags (no duplicates)."""
    chosen = [choice.argument for choice in campaign.chosen_arguments]
    tags = set(recipient.tags or [])
    pool = campaign.argument_set.arguments if campaign.argument_set else []
    for rule in campaign.argument_rules:
        if rule.recipient_tag in tags:
            chosen.extend(argument for argument in pool if rule.argument_tag in (argument.tags or []))
    return list(dict.fromkeys(chosen))


@dataclass(frozen=True)
class Endnotes:
    """Numbered sources of a letter's arguments, and each argument's note numbers."""

    citations: list[Citation]
    numbers: dict[int, list[int]]


def endnotes_for(arguments: Sequence[Argument]) -> Endnotes:
    """Number each cited (source, page) once, in the order the arguments cite them."""
    numbering: dict[tuple[int, str], int] = {}
    citations: list[Citation] = []
    numbers: dict[int, list[int]] = {}
    for argument in arguments:
        own: list[int] = []
        for citation in argument.citations:
            page = citation.page or (citation.quote.page if citation.quote else "") or ""
            key = (citation.source_id, page)
            if key not in numbering:
                citations.append(format_citation(citation.source, page=page))
                numbering[key] = len(citations)
            if numbering[key] not in own:
                own.append(numbering[key])
        numbers[id(argument)] = own
    return Endnotes(citations=citations, numbers=numbers)


def _note_marks(numbers: list[int]) -> str:
    return "[" + ", ".join(str(number) for number in numbers) + "]" if numbers else ""


def _inline_markdown(source: str) -> Markup:
    """An argument paragraph as HTML; a single paragraph without its <p>, so templates can continue the sentence."""
    html = render_markdown(source).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Markup(html[3:-4])
    return Markup(html)


def letter_context(
    campaign: Campaign,
    recipient: Recipient,
    *,
    reference_code: str,
    on: date,
    arguments: list[Any] | None = None,
    for_html: bool = False,
) -> dict[str, Any]:
    """The merge fields for one letter, as plain dicts so templates can reach no model internals.

    Without `arguments`, the campaign's selection for this recipient is used (select_arguments). With
    `for_html`, argument paragraphs are sanitised HTML (Markup); otherwise plain text for e-mails.
    """
    motion, sender = campaign.motion, campaign.organisation
    chosen = arguments if arguments is not None else select_arguments(campaign, recipient)
    notes = endnotes_for(chosen).numbers if chosen and isinstance(chosen[0], Argument) else {}
    return {
        "salutation": salutation_for(recipient),
        "recipient": {name: getattr(recipient, name) or "" for name in FIELD_ATTRIBUTES["recipient"]},
        "sender": {name: (getattr(sender, name) or "") if sender else "" for name in FIELD_ATTRIBUTES["sender"]},
        "motion": {
            "title": motion.title if motion else "",
            "kind": motion.kind.value if motion else "",
            "party": motion.party if motion else "",
            "body": motion.body if motion else "",
            "presented_on": german_date(motion.presented_on) if motion else "",
            "decision_forum": motion.decision_forum if motion else "",
            "decision_date": german_date(motion.decision_date) if motion else "",
        },
        "campaign": {"title": campaign.title, "deadline": german_date(campaign.deadline)},
        "provisions": [
            {"title": p.title, "summary": p.summary, "stance": p.stance.value}
            for p in (motion.provisions if motion else [])
        ],
        "arguments": [
            {
                "claim": a.claim,
                "paragraph": _inline_markdown(a.paragraph) if for_html else markdown_to_text(a.paragraph),
                "notes": _note_marks(notes.get(id(a), [])),
            }
            for a in chosen
        ],
        "deadline": german_date(campaign.deadline),
        "reference_code": reference_code,
        "date": german_date(on),
    }


# ---- composing one letter ----


def address_lines(recipient: Recipient) -> list[str]:
    """The DIN 5008 address block: organisation, „Frau/Herrn“ title and name, function, street, place, country."""
    organisation = recipient.organisation.strip()
    lines: list[str] = []
    function = ""
    if recipient.is_group:
        if organisation:
            lines.append(organisation)
        group = recipient.group_name.strip()
        if group and group != organisation:
            lines.append(group)
    else:
        if organisation:
            lines.append(organisation)
        name = " ".join(part.strip() for part in (recipient.title, recipient.first_name, recipient.last_name) if part)
        prefix = {FormOfAddress.FRAU: "Frau", FormOfAddress.HERR: "Herrn"}.get(recipient.form_of_address)
        lines.append(f"{prefix} {name}" if prefix and name else name)
        function = recipient.function.strip()
    place = f"{recipient.postcode.strip()} {recipient.city.strip()}".strip()
    tail = [part for part in (recipient.street.strip(), place) if part]
    country = recipient.country.strip()
    if not is_germany(country):
        tail.append(country.upper())
    # The function only if it fits on one line of the address zone; a long one is left to the letter's text.
    if function and function != organisation and len(function) <= MAX_FUNCTION_CHARS:
        lines.append(function)
    return [line for line in lines + tail if line]


@dataclass(frozen=True)
class PrintableLetter:
    """Everything the print layout needs, as plain picklable data (what the bulk workers receive).

    `greeting_html` is the salutation paragraph when the template opens with it, split off from `body_html`,
    so that letters differing only in address, reference code, date and greeting share one layout
    (see campaign.services.letters.batch); otherwise it is empty and `body_html` holds the whole text.
    """

    reference_code: str
    subject: str
    greeting_html: str
    body_html: str
    address_lines: tuple[str, ...]
    date_text: str
    return_line: str
    sender_name: str
    sender_contact: tuple[tuple[str, str], ...]
    letterhead_note: str
    signatories: tuple[tuple[str, str], ...]
    endnotes: tuple[tuple[int, str, str], ...]
    recipient_name: str
    postcode: str = ""
    region: str = ""
    closing: str = CLOSING

    # The fields only the address zone, the reference code and the greeting show (see layout.html, mode "overlay").
    PERSONAL_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"reference_code", "greeting_html", "address_lines", "recipient_name", "postcode", "region"}
    )  # fmt: skip

    @property
    def title(self) -> str:
        """The PDF title of this letter on its own."""
        return f"{self.subject} – {self.recipient_name}" if self.recipient_name else self.subject

    def shape_key(self, co_signers: Sequence[str] = ()) -> str:
        """A hash of everything but the personal fields: letters with equal keys have identical page layouts."""
        shared = [(name, getattr(self, name)) for name in sorted(self.__dataclass_fields__)]
        shared = [item for item in shared if item[0] not in self.PERSONAL_FIELDS]
        return hashlib.sha256(repr((shared, tuple(co_signers))).encode()).hexdigest()


@dataclass(frozen=True)
class ComposedLetter:
    """One letter, filled in for one recipient: the texts plus what the layout and the snapshot need."""

    subject: str
    salutation: str
    body_html: Markup
    body_text: str
    address_lines: list[str]
    reference_code: str
    date_text: str
    endnotes: list[str]
    template_version: TemplateVersion | None
    sender: Organisation | None
    citations: list[Any] = field(default_factory=list)
    recipient_name: str = ""
    recipient_email: str = ""
    postcode: str = ""
    region: str = ""
    closing: str = CLOSING

    @property
    def signatories(self) -> list[tuple[str, str]]:
        """(name, role) of those who sign, from the sender organisation."""
        people = (self.sender.signatories or []) if self.sender else []
        return [(str(p.get("name", "")), str(p.get("role", ""))) for p in people if p.get("name")]

    @property
    def full_text(self) -> str:
        """The whole letter as plain text (for e-mail and the snapshot): body, closing, signatories, sources."""
        parts = [self.body_text, self.closing]
        signers = "\n".join(f"{name}, {role}" if role else name for name, role in self.signatories)
        parts.append("\n".join(part for part in (signers, self.sender.name if self.sender else "") if part))
        if self.endnotes:
            parts.append("Quellen\n" + "\n".join(self.endnotes))
        return "\n\n".join(part for part in parts if part)

    @property
    def full_html(self) -> Markup:
        """The whole letter as an HTML fragment (for e-mail and the snapshot)."""
        html = Markup(self.body_html) + Markup("\n<p>{}</p>").format(self.closing)
        for name, role in self.signatories:
            html += Markup("\n<p>{}<br>{}</p>").format(name, role) if role else Markup("\n<p>{}</p>").format(name)
        if self.endnotes:
            items = Markup("").join(Markup("<li>{}</li>").format(note) for note in self.endnotes)
            html += Markup('\n<h2>Quellen</h2>\n<ul class="endnotes">{}</ul>').format(items)
        return html

    def printable(self) -> PrintableLetter:
        """The plain-data form of this letter for the layout and the render workers."""
        sender = self.sender
        contact = [("Telefon", sender.phone), ("E-Mail", sender.email), ("Internet", sender.website)] if sender else []
        greeting, rest = _split_greeting(self.body_html, self.salutation)
        return PrintableLetter(
            reference_code=self.reference_code,
            subject=self.subject,
            greeting_html=str(greeting),
            body_html=str(rest),
            address_lines=tuple(self.address_lines),
            date_text=self.date_text,
            return_line=sender.return_line if sender else "",
            sender_name=sender.name if sender else "",
            sender_contact=tuple((label, value) for label, value in contact if value),
            letterhead_note=(sender.letterhead_note or "") if sender else "",
            signatories=tuple(self.signatories),
            endnotes=tuple(
                (number, citation.text, citation.link) for number, citation in enumerate(self.citations, start=1)
            ),
            recipient_name=self.recipient_name,
            postcode=self.postcode,
            region=self.region,
            closing=self.closing,
        )


# A greeting longer than this might wrap onto a second line, so it is kept in the body.
MAX_GREETING_CHARS = 70


@functools.lru_cache(maxsize=64)
def _fields_used(source: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(_ENV.parse(source)))


def _split_greeting(body_html: Markup, salutation: str) -> tuple[Markup, Markup]:
    """The opening „salutation,“ paragraph (inner HTML) and the rest; ("", body) if the letter opens otherwise."""
    first, _, rest = str(body_html).partition("\n")
    escaped = str(Markup.escape(salutation))
    if (
        salutation
        and first.startswith("<p>" + escaped)
        and first.endswith("</p>")
        and "<br>" not in first
        and len(Markup(first[3:-4]).unescape()) <= MAX_GREETING_CHARS
    ):
        return Markup(first[3:-4]), Markup(rest)
    return Markup(""), body_html


def current_template_version(campaign: Campaign) -> TemplateVersion:
    """The newest version of the campaign's first template, or a TemplateProblem saying there is none."""
    for template in campaign.templates:
        if template.current_version is not None:
            return template.current_version
    raise TemplateProblem(f"Die Kampagne „{campaign.title}“ hat noch keine Briefvorlage.")


_BLOCK_START = re.compile(r"^<(p|ul|ol|h[1-6]|blockquote)[\s>]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _paragraphs_html(rendered: Markup) -> Markup:
    """Blank lines separate paragraphs; single line breaks stay line breaks; HTML blocks from arguments stay."""
    blocks = [block.strip() for block in _PARAGRAPH_BREAK.split(str(rendered).replace("\r\n", "\n"))]
    out = []
    for block in blocks:
        if not block:
            continue
        if _BLOCK_START.match(block):
            out.append(block)
        else:
            out.append("<p>" + "<br>\n".join(line.strip() for line in block.split("\n")) + "</p>")
    # Each piece is either escaped template output or sanitised Markdown HTML.
    return Markup("\n".join(out))


def _paragraphs_text(rendered: Markup) -> str:
    blocks = [block.strip() for block in _PARAGRAPH_BREAK.split(rendered.unescape().replace("\r\n", "\n"))]
    return "\n\n".join("\n".join(line.rstrip() for line in block.split("\n")) for block in blocks if block)


def compose_letter(
    campaign: Campaign,
    recipient: Recipient,
    *,
    on: date,
    reference_code: str,
    template_version: TemplateVersion | None = None,
) -> ComposedLetter:
    """Fill in the campaign's template for one recipient (sandboxed); TemplateProblem if the template is broken."""
    version = template_version or current_template_version(campaign)
    arguments = select_arguments(campaign, recipient)
    endnotes = endnotes_for(arguments)
    common = {"reference_code": reference_code, "on": on, "arguments": arguments}
    html_context = letter_context(campaign, recipient, for_html=True, **common)
    text_context = letter_context(campaign, recipient, **common)
    subject = " ".join(_render(version.subject, text_context).unescape().split())
    body = _render(version.body, html_context)
    text = _render(version.body, text_context)
    salutation = html_context["salutation"]
    if "salutation" not in _fields_used(version.body):
        # A template without its own greeting still gets one (DIN 5008: salutation, comma, blank line).
        body = Markup("{},\n\n").format(salutation) + body
        text = Markup("{},\n\n").format(salutation) + text
    return ComposedLetter(
        subject=subject,
        salutation=salutation,
        body_html=_paragraphs_html(body),
        body_text=_paragraphs_text(text),
        address_lines=address_lines(recipient),
        reference_code=reference_code,
        date_text=german_date(on),
        endnotes=[f"[{number}] {citation}" for number, citation in enumerate(endnotes.citations, start=1)],
        template_version=version,
        sender=campaign.organisation,
        citations=list(endnotes.citations),
        recipient_name=recipient.full_name,
        recipient_email=recipient.email or "",
        postcode=recipient.postcode or "",
        region=recipient.unterbezirk or "",
    )


# ---- the print layout ----


def _layout_environment() -> Environment:
    # A plain (not sandboxed) environment for our own layout files in letters/; never used for web pages
    # and never given organiser text as template source, only as autoescaped values.
    return Environment(
        loader=FileSystemLoader(str(LETTERS_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_LAYOUT_ENV = _layout_environment()


def letter_anchor(index: int) -> str:
    """The id of the index-th letter in a document; it becomes a PDF named destination used to split chunks."""
    return f"brief-{index}"


LAYOUT_MODES = ("full", "master", "overlay")


def layout_html(letters: Sequence[PrintableLetter], *, mode: str = "full", co_signers: Sequence[str] = ()) -> str:
    """The HTML document for printable letters.

    "full" sets complete letters. For the bulk path, "master" sets one letter without its personal fields
    (address, information block; the greeting only holds its place) and "overlay" sets just those fields,
    one page per letter, in exactly the same positions, to be printed over the master's first page.
    """
    if mode not in LAYOUT_MODES:
        raise ValueError(f"unknown layout mode {mode!r}")
    if not letters:
        raise ServiceError("Es gibt keine Briefe zum Setzen.")
    first = letters[0]
    title = first.title if len(letters) == 1 else f"{first.subject} ({len(letters)} Briefe)"
    return _LAYOUT_ENV.get_template(LAYOUT_TEMPLATE).render(
        letters=[(letter_anchor(index), letter) for index, letter in enumerate(letters)],
        mode=mode,
        co_signers=list(co_signers),
        title=title,
        author=first.sender_name,
    )


def letters_html(
    composed: Sequence[ComposedLetter | PrintableLetter], *, co_signers: Sequence[str] | None = None
) -> str:
    """One HTML document with every letter on new pages, in DIN 5008 Form B layout."""
    letters = [letter.printable() if isinstance(letter, ComposedLetter) else letter for letter in composed]
    return layout_html(letters, co_signers=co_signers or ())


def render_letters_pdf(
    composed: Sequence[ComposedLetter | PrintableLetter],
    *,
    pdf_variant: str | None = None,
    font_config: Any = None,
    co_signers: Sequence[str] | None = None,
    fetcher: LetterAssetFetcher | None = None,
) -> bytes:
    """The letters as one PDF (pdf_variant "pdf/a-3b" for archiving); fonts embedded, metadata from the layout."""
    html = letters_html(composed, co_signers=co_signers)
    return render_pdf(
        html, stylesheets=(LETTER_STYLESHEET,), pdf_variant=pdf_variant, font_config=font_config, fetcher=fetcher
    )


def letter_page_ranges(pdf: PdfReader, count: int) -> list[range]:
    """The pages of each of the `count` letters in a rendered document, from their named destinations."""
    starts = []
    destinations = pdf.named_destinations
    for index in range(count):
        destination = destinations.get(letter_anchor(index))
        if destination is None:
            raise ServiceError(f"Brief {index + 1} fehlt im gesetzten Dokument.")
        starts.append(pdf.get_destination_page_number(destination))
    ends = [*starts[1:], len(pdf.pages)]
    return [range(start, end) for start, end in zip(starts, ends, strict=True)]


def split_letters_pdf(pdf_bytes: bytes, letters: Sequence[PrintableLetter]) -> list[bytes]:
    """Cut a document of several letters into one PDF per letter (title and author kept per letter)."""
    reader = PdfReader(io.BytesIO(pdf_bytes))
    parts = []
    for letter, pages in zip(letters, letter_page_ranges(reader, len(letters)), strict=True):
        writer = PdfWriter()
        for number in pages:
            writer.add_page(reader.pages[number])
        writer.add_metadata({"/Title": letter.title, "/Author": letter.sender_name})
        buffer = io.BytesIO()
        writer.write(buffer)
        parts.append(buffer.getvalue())
    return parts


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- snapshots ----


_PREFIX_PART = re.compile(r"[^A-Za-z0-9]+")


def reference_prefix(campaign: Campaign) -> str:
    """The campaign part of reference codes: the first word of the slug in capitals, e.g. „NRW“."""
    words = [word for word in _PREFIX_PART.split(campaign.slug or "") if word]
    return (words[0][:8] if words else "BRIEF").upper()


def _next_number(session: Session, prefix: str) -> int:
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    codes = session.scalars(select(Letter.reference_code).where(Letter.reference_code.like(f"{prefix}-%")))
    return max((int(match[1]) for code in codes if (match := pattern.match(code))), default=0) + 1


class GeneratedLetters(list):
    """The letters made or refreshed by generate_letters; `skipped` says which were left alone and why."""

    def __init__(self, letters: Iterable[Letter] = (), skipped: Iterable[str] = ()) -> None:
        super().__init__(letters)
        self.skipped: list[str] = list(skipped)


@dataclass
class PreparedLetter:
    """A letter row and what it was composed from, before its PDF exists."""

    letter: Letter
    composed: ComposedLetter
    changed: bool


def _existing_letters(session: Session, campaign: Campaign, recipients: Sequence[Recipient]) -> dict[int, Letter]:
    ids = [recipient.id for recipient in recipients]
    rows = session.scalars(
        select(Letter)
        .where(Letter.campaign_id == campaign.id, Letter.recipient_id.in_(ids), Letter.supporter_id.is_(None))
        .order_by(Letter.id)
    )
    return {letter.recipient_id: letter for letter in rows}  # the newest letter per recipient wins


def prepare_letters(
    session: Session,
    campaign: Campaign,
    recipients: Sequence[Recipient],
    *,
    on: date,
    user: User | None = None,
    template_version: TemplateVersion | None = None,
) -> tuple[list[PreparedLetter], list[str]]:
    """Compose each recipient's letter and create or refresh its draft row; frozen letters are skipped.

    Returns the prepared letters and a German message per skipped recipient. The PDF hash is set by
    `store_pdf`, once the PDF exists.
    """
    version = template_version or current_template_version(campaign)
    existing = _existing_letters(session, campaign, recipients)
    channels = dict(
        session.execute(
            select(Target.recipient_id, Target.channel).where(
                Target.campaign_id == campaign.id, Target.recipient_id.in_([r.id for r in recipients])
            )
        ).all()
    )
    prefix = f"{reference_prefix(campaign)}-{on.year}"
    number = None
    prepared: list[PreparedLetter] = []
    skipped: list[str] = []
    created: list[str] = []
    refreshed: list[str] = []
    for recipient in recipients:
        letter = existing.get(recipient.id)
        if letter is not None and letter.is_frozen:
            skipped.append(
                f"Brief {letter.reference_code} an {letter.recipient_name} ist bereits "
                f"{letter.status.value} und wird nicht mehr verändert."
            )
            continue
        if letter is None:
            number = number or _next_number(session, prefix)
            letter = Letter(campaign=campaign, recipient=recipient, reference_code=f"{prefix}-{number:04d}")
            number += 1
            session.add(letter)
        composed = compose_letter(
            campaign, recipient, on=on, reference_code=letter.reference_code, template_version=version
        )
        snapshot = {
            "template_version": version,
            "channel": channels.get(recipient.id, Channel.POST),
            "recipient_name": composed.recipient_name[:300],
            "recipient_email": composed.recipient_email[:254],
            "address_block": "\n".join(composed.address_lines),
            "subject": composed.subject[:300],
            "body_text": composed.full_text,
            "body_html": str(composed.full_html),
        }
        changed = letter.id is None or any(getattr(letter, name) != value for name, value in snapshot.items())
        if changed:
            for name, value in snapshot.items():
                setattr(letter, name, value)
            letter.rendered_at = utcnow()
            (refreshed if letter.id else created).append(letter.reference_code)
            if letter.status is LetterStatus.APPROVED:
                # A changed text needs a new approval.
                transition(session, letter, LetterStatus.DRAFT, user=user, note="Text neu erzeugt")
        prepared.append(PreparedLetter(letter=letter, composed=composed, changed=changed))
    if prepared and version.used_at is None:
        version.used_at = utcnow()  # from now on the version is immutable
    session.flush()
    if created or refreshed:
        record(
            session,
            "letters.generate",
            campaign,
            user=user,
            template_version=version.id,
            created=created,
            refreshed=refreshed,
            skipped=len(skipped),
        )
    return prepared, skipped


def co_signer_names(session: Session, campaign: Campaign) -> list[str]:
    """Confirmed co-signers of an open letter who agreed to be named: „Vorname Nachname, Ort“, by surname."""
    rows = session.execute(
        select(Supporter.first_name, Supporter.last_name, Supporter.city)
        .join(Signature, Signature.supporter_id == Supporter.id)
        .where(
            Signature.campaign_id == campaign.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.show_name_publicly.is_(True),
            Supporter.erased_at.is_(None),
        )
        .order_by(Supporter.last_name, Supporter.first_name, Supporter.id)
    )
    names = []
    for first, last, city in rows:
        name = " ".join(part for part in (first.strip(), last.strip()) if part)
        if name:
            names.append(f"{name}, {city.strip()}" if city.strip() else name)
    return names


def store_pdf(letter: Letter, digest: str) -> None:
    """Record the SHA-256 of the PDF made from a letter's snapshot (never for a frozen letter)."""
    if letter.is_frozen:
        raise ServiceError(f"Brief {letter.reference_code} ist bereits versandt und wird nicht mehr verändert.")
    if letter.pdf_sha256 != digest:
        letter.pdf_sha256 = digest


def generate_letters(
    session: Session,
    campaign: Campaign,
    recipients: Sequence[Recipient],
    *,
    on: date,
    user: User | None = None,
    template_version: TemplateVersion | None = None,
    chunk_size: int = 25,
    pdf_dir: Path | None = None,
) -> GeneratedLetters:
    """Create or refresh the draft letters of these recipients, with their PDFs rendered in-process.

    Re-generating keeps each letter's reference code; letters already queued or sent are never changed and
    are listed in `.skipped`. PDFs are written to `pdf_dir` (as <reference code>.pdf) if given. For many
    letters use campaign.services.letters.batch, which renders on every core.
    """
    # A fixed order: a PDF shares its fonts with the other letters of its chunk, so the same recipients give the
    # same files (and hashes) however the caller ordered them.
    ordered = sorted(recipients, key=lambda recipient: recipient.id)
    prepared, skipped = prepare_letters(session, campaign, ordered, on=on, user=user, template_version=template_version)
    for start in range(0, len(prepared), chunk_size):
        chunk = prepared[start : start + chunk_size]
        printables = [item.composed.printable() for item in chunk]
        parts = split_letters_pdf(render_letters_pdf(printables), printables)
        for item, pdf in zip(chunk, parts, strict=True):
            store_pdf(item.letter, sha256(pdf))
            if pdf_dir is not None:
                (pdf_dir / f"{item.letter.reference_code}.pdf").write_bytes(pdf)
    session.flush()
    return GeneratedLetters((item.letter for item in prepared), skipped)
