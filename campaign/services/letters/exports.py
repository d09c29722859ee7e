"""Letters in other formats: a CSV for Word/Excel mail merge, and the composed letters for the DOCX of `word`."""

from __future__ import annotations

import csv
import io
from datetime import date

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


# --- composed letters for Word ---------------------------------------------------------------------------------------
# Built from the pipeline's composed letters (campaign.services.letters.compose_letter), so the Word file (`word`)
# says exactly what the PDF says; plain text and HTML for e-mail are the composed letter's full_text and full_html.


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


def all_recipients(session: Session) -> list[Recipient]:
    """Every recipient by name, for choosing whose letter to preview."""
    return list(session.scalars(select(Recipient).order_by(Recipient.last_name, Recipient.first_name, Recipient.id)))
