"""Test helpers for recipients: fixture paths, a real XLSX made with openpyxl, and bulk recipients."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy.orm import Session

from campaign.models import FormOfAddress, Recipient, RecipientList
from campaign.services.common.emails import canonical_email

DATA = Path(__file__).parent / "data" / "recipients"


def fixture_bytes(name: str) -> bytes:
    return (DATA / name).read_bytes()


# Rows around a broken quote, with ğ, ł, ß and é in their names.
_PEOPLE = "Ayşe;Doğan;ayse.dogan@example.org\r\nPaweł;Gąsiorowski;pawel@example.org\r\nRenée;Weiß;renee@example.org\r\n"
# The header's second name opens a quote that is never closed.
UNCLOSED_QUOTE_IN_HEADER = ('Vorname;"Nachname;E-Mail\r\n' + _PEOPLE).encode()
# Line 5 opens a quote that is never closed, and the lines after it hold more than csv's limit of 131,072
# characters for one field.
UNCLOSED_QUOTE_PAST_FIELD_LIMIT = (
    "Vorname;Nachname;E-Mail\r\n"
    + _PEOPLE
    + 'Kim;"Öztürk;kim@example.org\r\n'
    + "Łucja;Nowak;lucja.nowak@example.org\r\n" * 4000
).encode()


def make_xlsx(rows: list[list[Any]], sheet_title: str = "Empfänger") -> bytes:
    """A genuine .xlsx workbook (first sheet = `rows`; a second sheet that must be ignored)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("Notizen")
    other.append(["Vorname", "Nachname"])
    other.append(["Nicht", "Importieren"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    workbook.close()
    return buffer.getvalue()


def add_recipients(session: Session, count: int, **values: Any) -> list[Recipient]:
    """`count` distinct recipients „Person 001“ … with e-mail addresses, flushed."""
    people = []
    for number in range(1, count + 1):
        email = values.get("email", f"person{number:03d}@example.org")
        recipient = Recipient(
            form_of_address=values.get("form_of_address", FormOfAddress.FRAU),
            first_name=values.get("first_name", "Person"),
            last_name=values.get("last_name", f"{number:03d}"),
            email=email,
            email_canonical=canonical_email(email) if email else "",
            **{
                key: value
                for key, value in values.items()
                if key not in {"form_of_address", "first_name", "last_name", "email"}
            },
        )
        people.append(recipient)
    session.add_all(people)
    session.flush()
    return people


def make_list(session: Session, name: str, members: list[Recipient] = ()) -> RecipientList:
    recipient_list = RecipientList(name=name, recipients=list(members))
    session.add(recipient_list)
    session.flush()
    return recipient_list
