"""Letters in other formats: a CSV for Word/Excel mail merge and DOCX for organisers who edit in Word."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, FormOfAddress, Letter, Recipient, Target, TemplateVersion
from campaign.services.campaigns.targets import target_versions
from campaign.services.common.labels import label
from campaign.services.common.tabular import spreadsheet_safe
from campaign.services.letters.compose import ComposedLetter, address_lines, compose_letter
from campaign.services.letters.salutation import salutation_for

MAIL_MERGE_COLUMNS = (
    "Unser Zeichen",
    "Briefanrede",
    "Anrede",
    "Titel",
    "Vorname",
    "Nachname",
    "Funktion",
    "Organisation",
    "Straße",
    "PLZ",
    "Ort",
    "E-Mail",
    "Kanal",
    "Anschriftfeld",
)
FORM_OF_ADDRESS_WORDS = {FormOfAddress.FRAU: "Frau", FormOfAddress.HERR: "Herr"}


def campaign_targets(session: Session, campaign: Campaign) -> list[Target]:
    """The campaign's targets in postal order (postcode, then name), with their recipients."""
    return list(
        session.scalars(
            select(Target)
            .join(Recipient, Recipient.id == Target.recipient_id)
            .where(Target.campaign_id == campaign.id)
            .order_by(Recipient.postcode, Recipient.last_name, Recipient.first_name, Recipient.id)
        )
    )


def reference_codes(session: Session, campaign: Campaign) -> dict[int, str]:
    """Recipient id → reference code of the newest letter already made for them in this campaign."""
    rows = session.execute(
        select(Letter.recipient_id, Letter.reference_code)
        .where(Letter.campaign_id == campaign.id, Letter.recipient_id.is_not(None), Letter.supporter_id.is_(None))
        .order_by(Letter.id)
    )
    return {recipient_id: code for recipient_id, code in rows}


def mail_merge_rows(session: Session, campaign: Campaign) -> list[list[str]]:
    """One row per target with the columns of MAIL_MERGE_COLUMNS (unescaped); multi-line cells keep their lines."""
    codes = reference_codes(session, campaign)
    rows = []
    for target in campaign_targets(session, campaign):
        person = target.recipient
        rows.append(
            [
                codes.get(person.id, ""),
                salutation_for(person),
                FORM_OF_ADDRESS_WORDS.get(person.form_of_address, ""),
                person.title,
                person.first_name,
                person.last_name,
                person.function,
                person.organisation,
                person.street,
                person.postcode,
                person.city,
                person.email,
                label(target.channel),
                "\n".join(address_lines(person)),
            ]
        )
    return rows


def mail_merge_csv(session: Session, campaign: Campaign) -> bytes:
    """The mail-merge CSV as German Excel opens it: UTF-8 with BOM, `;` between cells, CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(MAIL_MERGE_COLUMNS)
    for row in mail_merge_rows(session, campaign):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- composed letters in Word ---------------------------------------------------------------------------------------
# Built from the pipeline's composed letters (campaign.services.letters.compose_letter), so the Word file says
# exactly what the PDF says; plain text and HTML for e-mail are the composed letter's full_text and full_html.


def body_paragraphs(body_text: str) -> list[list[str]]:
    """The body as paragraphs (split at blank lines), each a list of its lines."""
    lines = [line.rstrip() for line in (body_text or "").replace("\r\n", "\n").split("\n")]
    blocks = "\n".join(lines).split("\n\n")
    return [block.strip("\n").split("\n") for block in blocks if block.strip()]


def compose_campaign_letters(
    session: Session,
    campaign: Campaign,
    *,
    on: date,
    template_version: TemplateVersion | None = None,
    placeholder_code: str,
) -> list[ComposedLetter]:
    """Every target's letter, composed as it is or would be generated, in postal order.

    A recipient who already has a letter gets its reference code and the template version it was made from;
    the others get `placeholder_code` and `template_version` (default: the template chosen for each target).
    TemplateProblem if the template cannot be filled in.
    """
    existing = {
        letter.recipient_id: letter
        for letter in session.scalars(
            select(Letter)
            .where(Letter.campaign_id == campaign.id, Letter.recipient_id.is_not(None), Letter.supporter_id.is_(None))
            .order_by(Letter.id)
        )
    }
    composed = []
    targets = campaign_targets(session, campaign)
    own = {} if template_version else target_versions(session, campaign, [target.recipient for target in targets])
    for target in targets:
        letter = existing.get(target.recipient_id)
        composed.append(
            compose_letter(
                campaign,
                target.recipient,
                on=on,
                reference_code=letter.reference_code if letter else placeholder_code,
                template_version=(letter.template_version if letter else None)
                or template_version
                or own.get(target.recipient_id),
            )
        )
    return composed


def letters_docx(composed: Sequence[ComposedLetter], *, title: str) -> bytes:
    """One Word document with every letter on its own pages, laid out like the printed DIN 5008 letter."""
    document = Document()
    _page_setup(document)
    sender = composed[0].sender if composed else None
    document.core_properties.title = title[:255]
    document.core_properties.author = (sender.name if sender else "")[:255]
    document.core_properties.language = "de-DE"
    for index, letter in enumerate(composed):
        if index:
            document.add_page_break()
        _add_letter(document, letter)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(0)


def _lines(document: Any, lines: Sequence[str], *, size: float | None = None, align: Any = None) -> Any:
    """One paragraph whose lines are separated by line breaks (so they stay one block, as in an address)."""
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if size:
            run.font.size = Pt(size)
        if number < len(lines) - 1:
            run.add_break()
    return paragraph


def _add_letter(document: Any, letter: ComposedLetter) -> None:
    if letter.sender is not None and letter.sender.return_line:
        _lines(document, [letter.sender.return_line], size=8)
    _lines(document, list(letter.address_lines))
    document.add_paragraph()
    info = [f"Datum: {letter.date_text}"]
    if letter.reference_code:
        info.append(f"Unser Zeichen: {letter.reference_code}")
    _lines(document, info, align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.add_paragraph()
    subject = document.add_paragraph()
    subject.add_run(letter.subject).bold = True
    subject.paragraph_format.space_after = Pt(12)
    for lines in body_paragraphs(letter.body_text):
        _lines(document, lines).paragraph_format.space_after = Pt(8)
    document.add_paragraph(letter.closing).paragraph_format.space_before = Pt(4)
    document.add_paragraph()
    for name, role in letter.signatories:
        _lines(document, [name, role] if role else [name]).paragraph_format.space_after = Pt(6)
    if letter.sender is not None:
        _lines(document, [letter.sender.name])
    if letter.endnotes:
        heading = document.add_paragraph()
        heading.paragraph_format.space_before = Pt(18)
        heading.add_run("Quellen").bold = True
        for note in letter.endnotes:
            _lines(document, [note], size=9).paragraph_format.space_after = Pt(3)


def all_recipients(session: Session) -> list[Recipient]:
    """Every recipient by name, for choosing whose letter to preview."""
    return list(session.scalars(select(Recipient).order_by(Recipient.last_name, Recipient.first_name, Recipient.id)))
