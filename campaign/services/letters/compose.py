"""Composing one letter: the campaign's template filled in for one recipient, with greeting and address block."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from campaign.models import Campaign, FormOfAddress, Organisation, Recipient, TemplateVersion
from campaign.services.common.dates import german_date
from campaign.services.common.markdown import clean_html
from campaign.services.common.text import is_germany
from campaign.services.letters.context import endnotes_for, letter_context
from campaign.services.letters.layout import CLOSING, PrintableLetter
from campaign.services.letters.sandbox import empty_fields, fields_used, render_markup
from campaign.services.letters.selection import select_arguments
from campaign.services.letters.templates import current_template_version
from campaign.services.organisations.records import logo_uri

# The address zone is 80 mm wide: at 10 pt about 45 characters fit on a line.
MAX_FUNCTION_CHARS = 45
# A greeting longer than this might wrap onto a second line, so it is kept in the body.
MAX_GREETING_CHARS = 70
# The address zone of the DIN 5008 window holds six lines at 10 pt.
MAX_ADDRESS_LINES = 6

# A follow-up's subject starts with this, so the recipient sees at once that it follows up an earlier letter.
FOLLOW_UP_MARK = "Nachfrage"

_BLOCK_START = re.compile(r"^<(p|ul|ol|h[1-6]|blockquote)[\s>]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def address_lines(recipient: Recipient) -> list[str]:
    """The DIN 5008 address block: organisation, „Frau/Herrn“ title and name, function, street lines, place, country.

    A street stored over several lines („c/o …“, „2. OG“) keeps its lines. When the six lines of the window do
    not hold everything, the function goes first, then the last street lines are joined with commas.
    """
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
    lines = [line for line in lines if line]
    street = [line.strip() for line in (recipient.street or "").splitlines() if line.strip()]
    place = f"{recipient.postcode.strip()} {recipient.city.strip()}".strip()
    country = recipient.country.strip()
    tail = [line for line in (place, "" if is_germany(country) else country.upper()) if line]
    # The function only if it fits on one line of the address zone; a long one is left to the letter's text.
    if function and function != organisation and len(function) <= MAX_FUNCTION_CHARS:
        lines.append(function)
    if len(lines) + len(street) + len(tail) > MAX_ADDRESS_LINES and function:
        lines = lines[:-1] if lines[-1] == function else lines
    while len(lines) + len(street) + len(tail) > MAX_ADDRESS_LINES and len(street) > 1:
        street[-2:] = [", ".join(street[-2:])]
    return lines + street + tail


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
    # (placeholder, German label) of each merge field the template uses that is empty for this recipient.
    empty_fields: tuple[tuple[str, str], ...] = ()

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
            logo_uri=logo_uri(sender),
            signature_images=tuple(
                str(p.get("signature", "")) for p in ((sender.signatories or []) if sender else []) if p.get("name")
            ),
            footer_lines=tuple(line for line in ((sender.footer_lines or "") if sender else "").splitlines() if line),
        )


def _split_greeting(body_html: Markup, salutation: str) -> tuple[Markup, Markup]:
    """The opening „salutation,“ paragraph (inner HTML) and the rest; ("", body) if the letter opens otherwise."""
    first, _, rest = str(body_html).partition("\n")
    inner = Markup(first[3:-4])
    if (
        salutation
        and first.startswith("<p>")
        and first.endswith("</p>")
        and "<" not in inner
        and inner.unescape().startswith(salutation)
        and len(inner.unescape()) <= MAX_GREETING_CHARS
    ):
        return inner, Markup(rest)
    return Markup(""), body_html


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
    original: dict[str, str] | None = None,
) -> ComposedLetter:
    """Fill in the campaign's template for one recipient (sandboxed); TemplateProblem if the template is broken.

    `original` holds the first letter's fields when the letter is a follow-up to it; its subject then starts with
    „Nachfrage“.
    """
    version = template_version or current_template_version(campaign)
    arguments = select_arguments(campaign, recipient)
    endnotes = endnotes_for(arguments)
    common = {"reference_code": reference_code, "on": on, "arguments": arguments, "original": original}
    html_context = letter_context(campaign, recipient, for_html=True, **common)
    text_context = letter_context(campaign, recipient, **common)
    subject = " ".join(render_markup(version.subject, text_context).unescape().split())
    if original is not None and not subject.casefold().startswith(FOLLOW_UP_MARK.casefold()):
        subject = f"{FOLLOW_UP_MARK}: {subject}"
    body = render_markup(version.body, html_context)
    text = render_markup(version.body, text_context)
    salutation = html_context["salutation"]
    if "salutation" not in fields_used(version.body):
        # A template without its own greeting still gets one (DIN 5008: salutation, comma, blank line).
        body = Markup("{},\n\n").format(salutation) + body
        text = Markup("{},\n\n").format(salutation) + text
    return ComposedLetter(
        subject=subject,
        salutation=salutation,
        # The body is the one part of the letter an author writes: only the allow-list of tags leaves here.
        body_html=clean_html(_paragraphs_html(body)),
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
        empty_fields=tuple(
            dict.fromkeys(empty_fields(version.subject, text_context) + empty_fields(version.body, text_context))
        ),
    )
