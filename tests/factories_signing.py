"""Factories of the co-signing tests: an open-letter campaign, form data, signatures in any state."""

from __future__ import annotations

import re
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from campaign.db import utcnow
from campaign.models import Campaign, Listing, Signature, SignatureStatus, Supporter
from campaign.services.signing import counts
from campaign.services.signing.consent import BUILT_IN_VERSION
from tests.factories_letters import make_letter_campaign

_numbers = count(1)
MAIL_FROM = "Offener Brief <kampagne@example.org>"
LETTER_BODY = "{{ anrede }},\n\nwir bitten Sie, den Antrag zu ändern.\n\nDie Frist endet am {{ frist }}."


def make_open_letter(session: Session, **values: Any) -> Campaign:
    """An active campaign whose letter supporters may co-sign, with a sender and a template."""
    values.setdefault("open_letter", True)
    values.setdefault("goal_signatures", 100)
    campaign, _version, _people = make_letter_campaign(session, body=LETTER_BODY, **values)
    return campaign


def form_data(**values: Any) -> dict[str, Any]:
    """What a person sends through the signing form."""
    number = next(_numbers)
    data = {
        "first_name": "Ayşe",
        "last_name": "Doğan",
        "email": f"person{number}@example.org",
        "postcode": "50667",
        "city": "Köln",
        "organisation": "",
        "function": "",
        "listing": Listing.FULL_NAME.value,
        "consent": "y",
        "consent_version": BUILT_IN_VERSION,
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def make_signature(
    session: Session,
    campaign: Campaign,
    *,
    status: SignatureStatus = SignatureStatus.CONFIRMED,
    first_name: str = "Jana",
    last_name: str = "Głowacka",
    city: str = "Essen",
    listing: Listing = Listing.FULL_NAME,
    organisation: str = "",
    function: str = "",
    email: str | None = None,
    **values: Any,
) -> Signature:
    number = next(_numbers)
    address = email or f"signer{number}@example.org"
    supporter = Supporter(
        email=address, email_canonical=address.lower(), first_name=first_name, last_name=last_name, city=city
    )
    session.add(supporter)
    signature = Signature(
        campaign=campaign,
        supporter=supporter,
        status=status,
        listing=listing,
        organisation=organisation,
        function=function,
        consent_version=BUILT_IN_VERSION,
        confirm_token_hash=f"c{number}",
        withdraw_token_hash=f"w{number}",
        confirmed_at=utcnow() if status is SignatureStatus.CONFIRMED else None,
        **values,
    )
    session.add(signature)
    session.flush()
    if status is SignatureStatus.CONFIRMED:
        counts.add(session, campaign.id, 1)
    return signature


def links_in(text: str) -> dict[str, str]:
    """The confirm and withdraw paths in a confirmation mail's text."""
    found = {}
    for kind in ("confirm", "withdraw"):
        match = re.search(rf"https?://[^/\s]+(/c/[^\s]+/{kind}/[^\s]+)", text)
        if match:
            found[kind] = match.group(1)
    return found
