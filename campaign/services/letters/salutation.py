"""German salutations for letters: by form of address, with academic titles, and for groups."""

from __future__ import annotations

from campaign.models import FormOfAddress, Recipient

GENERIC = "Sehr geehrte Damen und Herren"


def salutation_for(recipient: Recipient) -> str:
    """The opening line without its comma, e.g. „Sehr geehrte Frau Dr. Doğan“.

    Non-binary people and people whose form of address is unknown are greeted with their full
    name („Guten Tag Kim Nowak“), as German style guides recommend instead of guessing a gender.
    """
    form = recipient.form_of_address
    if form is FormOfAddress.GRUPPE:
        return f"Sehr geehrte {recipient.group_name}" if recipient.group_name else GENERIC
    title = recipient.title.strip()
    last = recipient.last_name.strip()
    if not last:
        return GENERIC
    if form is FormOfAddress.FRAU:
        return _join("Sehr geehrte Frau", title, last)
    if form is FormOfAddress.HERR:
        return _join("Sehr geehrter Herr", title, last)
    return _join("Guten Tag", title, recipient.first_name.strip(), last)


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)
