"""Factories and PDF checks for the letter pipeline: senders, templates, arguments with sources, and text positions."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from itertools import count
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from pypdf import PdfReader
from sqlalchemy.orm import Session

from campaign.models import (
    Argument,
    ArgumentRule,
    ArgumentSet,
    Campaign,
    CampaignArgument,
    Citation,
    DatePrecision,
    LetterTemplate,
    Organisation,
    Source,
    Target,
    TemplateVersion,
)
from tests.factories import make_campaign, make_recipient

_sequence = count(1)
ON = date(2026, 3, 2)
MM_PER_PT = 25.4 / 72
# DIN 5008 window field (DL/C6 envelope), from the page's top-left corner, in mm.
WINDOW = {"left": 20.0, "right": 105.0, "top": 45.0, "bottom": 90.0}

SHORT_BODY = (
    "{{ salutation }},\n\nwir schreiben Ihnen wegen {{ motion.title }}.\n\nBitte antworten Sie bis {{ deadline }}.\n"
)
FILLER = (
    "Die Kommunen tragen die Hauptlast der Unterbringung und brauchen dafür verlässliche Mittel, Personal und "
    "Planungssicherheit über Jahre statt kurzfristiger Programme. "
)


def make_organisation(session: Session, **values: Any) -> Organisation:
    number = next(_sequence)
    values.setdefault("name", f"Initiative Nummer {number} e. V.")
    values.setdefault("street", "Am Weidenbogen 12")
    values.setdefault("postcode", "50823")
    values.setdefault("city", "Köln")
    values.setdefault("email", "kontakt@example.org")
    values.setdefault("signatories", [{"name": "Dr. Friederike Lanfermann", "role": "Vorsitzende"}])
    organisation = Organisation(**values)
    session.add(organisation)
    session.flush()
    return organisation


def make_template(session: Session, campaign: Campaign, *, subject: str = "Ihr Antrag", body: str = SHORT_BODY):
    template = LetterTemplate(campaign=campaign, name=f"Vorlage {next(_sequence)}")
    template.versions.append(TemplateVersion(number=1, subject=subject, body=body))
    session.add(template)
    session.flush()
    return template.versions[-1]


def add_version(session: Session, version: TemplateVersion, *, body: str, subject: str | None = None):
    """A new version of the same template (what the editor does once a version is in use)."""
    template = version.template
    new = TemplateVersion(number=len(template.versions) + 1, subject=subject or version.subject, body=body)
    template.versions.append(new)
    session.flush()
    return new


def make_source(session: Session, **values: Any) -> Source:
    number = next(_sequence)
    values.setdefault("key", f"quelle-{number}")
    values.setdefault("title", f"Studie Nummer {number}")
    values.setdefault("authors", ["Ratzmann, Nora"])
    values.setdefault("publisher", "TU Chemnitz")
    values.setdefault("published_on", date(2025, 11, 1))
    values.setdefault("date_precision", DatePrecision.MONTH)
    values.setdefault("url", f"https://example.org/studie-{number}")
    source = Source(**values)
    session.add(source)
    session.flush()
    return source


def make_argument(
    session: Session, argument_set: ArgumentSet, *, tags=(), sources=(), paragraph: str | None = None, **values: Any
) -> Argument:
    number = next(_sequence)
    argument = Argument(
        argument_set=argument_set,
        key=values.pop("key", f"argument-{number}"),
        position=values.pop("position", number),
        claim=values.pop("claim", f"Kernaussage {number}"),
        paragraph=paragraph if paragraph is not None else f"Absatz des Arguments {number}.",
        tags=list(tags),
        citations=[Citation(source=source, position=index) for index, source in enumerate(sources)],
        **values,
    )
    session.add(argument)
    session.flush()
    return argument


def make_argument_set(session: Session) -> ArgumentSet:
    argument_set = ArgumentSet(title=f"Argumente {next(_sequence)}")
    session.add(argument_set)
    session.flush()
    return argument_set


def choose(session: Session, campaign: Campaign, arguments, rules=()) -> None:
    """Set the campaign's chosen arguments (in this order) and rules (recipient tag, argument tag)."""
    campaign.chosen_arguments.clear()
    campaign.argument_rules.clear()
    session.flush()  # old rows go first, so an equal new rule does not collide with them
    campaign.chosen_arguments = [CampaignArgument(argument=a, position=i) for i, a in enumerate(arguments)]
    campaign.argument_rules = [
        ArgumentRule(recipient_tag=recipient_tag, argument_tag=argument_tag, position=i)
        for i, (recipient_tag, argument_tag) in enumerate(rules)
    ]
    session.flush()


def make_letter_campaign(session: Session, *, body: str = SHORT_BODY, recipients: int = 0, **values: Any):
    """A campaign with sender, a template version and optionally `recipients` targeted recipients."""
    values.setdefault("organisation", make_organisation(session))
    campaign = make_campaign(session, **values)
    version = make_template(session, campaign, body=body)
    people = []
    for index in range(recipients):
        person = make_recipient(
            session,
            last_name=f"Muster{index}",
            street=f"Fliederhofweg {index + 1}",
            postcode=f"{50000 + index:05d}",
            city="Köln",
            unterbezirk=("Köln", "Bonn")[index % 2],
        )
        session.add(Target(campaign=campaign, recipient=person))
        people.append(person)
    session.flush()
    return campaign, version, people


# ---- reading PDFs ----


def pdf_text(pdf: bytes) -> str:
    """The text of every page (pdftotext), with line breaks between lines."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        done = subprocess.run(["pdftotext", handle.name, "-"], capture_output=True, check=True)
    assert done.stderr == b"", done.stderr.decode()[:500]  # poppler complains about broken PDF syntax here
    return done.stdout.decode()


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@dataclass(frozen=True)
class TextLine:
    text: str
    left: float
    top: float
    right: float
    bottom: float  # mm from the page's top-left corner


def text_lines(pdf: bytes, page: int = 1) -> list[TextLine]:
    """The text lines of one page with their boxes in mm, from `pdftotext -bbox-layout`."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        done = subprocess.run(
            ["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), handle.name, "-"],
            capture_output=True,
            check=True,
        )
    xhtml = re.sub(rb"<!DOCTYPE[^>]*>", b"", done.stdout)
    root = ElementTree.fromstring(xhtml)
    lines = []
    for line in root.iter("{http://www.w3.org/1999/xhtml}line"):
        words = [word.text or "" for word in line.iter("{http://www.w3.org/1999/xhtml}word")]
        box = [float(line.get(name)) * MM_PER_PT for name in ("xMin", "yMin", "xMax", "yMax")]
        lines.append(TextLine(" ".join(words), *box))
    return lines


def line_box(pdf: bytes, text: str, page: int = 1) -> TextLine:
    """The first line on the page that reads exactly `text`."""
    lines = text_lines(pdf, page)
    matches = [line for line in lines if line.text == text]
    assert matches, f"„{text}“ not found on page {page}: {[line.text for line in lines]}"
    return matches[0]


def assert_in_window(pdf: bytes, address: list[str]) -> None:
    """Every address line lies inside the window field of a DL/C6 envelope on the first page."""
    for text in address:
        line = line_box(pdf, text)
        assert WINDOW["left"] <= line.left and line.right <= WINDOW["right"], (text, line)
        assert WINDOW["top"] <= line.top and line.bottom <= WINDOW["bottom"], (text, line)


def embedded_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for each font, from `pdffonts`."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        done = subprocess.run(["pdffonts", handle.name], capture_output=True, check=True, text=True)
    fonts = []
    for row in done.stdout.splitlines()[2:]:
        columns = row.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, id: emb is the 5th column from the end.
        fonts.append((columns[0], columns[-5] == "yes"))
    return fonts


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
