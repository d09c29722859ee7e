"""Signing an open letter: one signature per person and campaign, however often and however fast they sign.

The person is found by the canonical form of their address. Both rows are written with INSERT … ON CONFLICT DO
NOTHING against unique constraints, so two requests racing with the same address leave one supporter and one
signature, and the loser gets the same answer as the winner. The first statement is a write: on SQLite a
transaction that read first could not write after another one committed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Connection, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Campaign, CampaignStatus, ConsentText, Listing, Signature, SignatureStatus, Supporter
from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.errors import ErrorCollector, ServiceError
from campaign.services.common.text import collapse_spaces, short_fields
from campaign.services.recipients.postcodes import clean_postcode
from campaign.services.sending.messages import OutgoingMail
from campaign.services.sending.outbox import draft_row, insert_mail
from campaign.services.signing import first_signature, mails, tokens
from campaign.services.signing.consent import BUILT_IN_VERSIONS, current_consent

# A pending signature gets its confirmation mail again when its person signs again, at most this often in all,
# and not sooner than RESEND_AFTER after the last one (a flood of sign requests must not become a flood of mails).
MAX_CONFIRMATION_MAILS = 3
RESEND_AFTER = timedelta(minutes=10)
LIMITS = {"first_name": 120, "last_name": 120, "postcode": 10, "city": 120, "organisation": 200, "function": 200}


# Built once: the statement's construction cost as much as its round trip to the database.
_CAMPAIGN = select(
    Campaign.id, Campaign.slug, Campaign.title, Campaign.deadline, Campaign.status, Campaign.open_letter
).where(Campaign.slug == bindparam("slug"))


@dataclass(frozen=True)
class SigningRequest:
    """What the signing form sends."""

    first_name: str
    last_name: str
    email: str
    postcode: str
    city: str
    listing: Listing
    consent_version: str
    organisation: str = ""
    function: str = ""
    newsletter: bool = False


@dataclass(frozen=True)
class SigningOutcome:
    """What happened; the supporter is told the same in every case (nobody learns whether an address signed)."""

    signature_id: int
    new: bool
    mail_queued: bool


_REQUIRED = (
    ("first_name", _l("Bitte Ihren Vornamen angeben.")),
    ("last_name", _l("Bitte Ihren Nachnamen angeben.")),
    ("postcode", _l("Bitte Ihre Postleitzahl angeben.")),
    ("city", _l("Bitte Ihren Ort angeben.")),
)


def check_signing(request: SigningRequest) -> None:
    """FieldErrors naming every wrong field of the form's values (names, place, organisation, address), or nothing;
    writes nothing. For the form's error path, so that one answer names every mistake: sign() checks them itself."""
    _clean(request)


def _clean(request: SigningRequest) -> tuple[dict[str, str], str]:
    """The cleaned values and the normalised address; FieldErrors otherwise, naming the postcode (five digits), the
    organisation and the address beside the first wrong name or place field (the form names every one of those)."""
    found = ErrorCollector()
    values = found.check(short_fields, request, LIMITS, _REQUIRED, otherwise={})
    if request.postcode.strip():
        values["postcode"] = found.check(clean_postcode, request.postcode, otherwise="")
    found.check(_check_function, request)
    address = found.check(normalise_email, request.email, field="email", otherwise="")
    found.raise_if_any()
    return values, address


def _check_function(request: SigningRequest) -> None:
    if collapse_spaces(request.function) and not collapse_spaces(request.organisation):
        raise ServiceError(_("Eine Funktion bitte nur zusammen mit der Organisation angeben."), "organisation")


def sign(session: Session, slug: str, request: SigningRequest, *, base_url: str) -> SigningOutcome | None:
    """Record a pending signature on the open letter of campaign `slug` and queue its confirmation mail.

    None if there is no such campaign open for signing. Signing again changes nothing but may send the
    confirmation mail once more (limited).
    """
    values, address = _clean(request)
    person = _Person(address, canonical_email(address), values, request, utcnow())
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        signature_id = _sign_as_newcomer(connection, slug, person, base_url)
        if signature_id is not None:
            return SigningOutcome(signature_id, new=True, mail_queued=True)
    supporter_id = _supporter_id(session, person)
    campaign = connection.execute(_CAMPAIGN, {"slug": slug}).first()
    if campaign is None or campaign.status is not CampaignStatus.ACTIVE or not campaign.open_letter:
        return None
    _check_consent(session, request.consent_version)
    row, mail = _signature_and_mail(campaign, person, base_url)
    signature_id = _insert_unless_present(connection, Signature.__table__, {**row, "supporter_id": supporter_id})
    new = signature_id is not None
    if not new:
        signature = session.scalar(
            select(Signature).where(Signature.campaign_id == campaign.id, Signature.supporter_id == supporter_id)
        )
        if not _may_resend(signature, person.now):
            return SigningOutcome(signature.id, new=False, mail_queued=False)
        signature.confirmation_sent_at = person.now
        signature.confirmation_mails += 1
        signature_id = signature.id
    insert_mail(session, mail, kind=mails.KIND_CONFIRMATION, signature_id=signature_id)
    return SigningOutcome(signature_id, new=new, mail_queued=True)


@dataclass(frozen=True)
class _Person:
    """Who signs: the address as given (normalised) and its canonical form, the cleaned form values, and when."""

    address: str
    canonical: str
    values: dict[str, str]
    request: SigningRequest
    now: datetime

    def supporter_row(self) -> dict:
        return {
            "email": self.address,
            "email_canonical": self.canonical,
            **{name: self.values[name] for name in ("first_name", "last_name", "postcode", "city")},
            "newsletter_consent_at": self.now if self.request.newsletter else None,
            "created_at": self.now,
        }


def _sign_as_newcomer(connection: Connection, slug: str, person: _Person, base_url: str) -> int | None:
    """The one-statement path of a person new to the campaign (see first_signature); None if it did not apply."""
    campaign = first_signature.cached_campaign(connection, slug, _CAMPAIGN)
    if campaign is None or campaign.status is not CampaignStatus.ACTIVE or not campaign.open_letter:
        return None
    _check_consent(connection, person.request.consent_version)
    row, mail = _signature_and_mail(campaign, person, base_url)
    del row["campaign_id"]
    mail_row = draft_row(mail, kind=mails.KIND_CONFIRMATION)
    signature_id = first_signature.insert_new(connection, campaign, person.supporter_row(), row, mail_row)
    if signature_id is None:
        first_signature.forget_campaign(connection, slug)
    return signature_id


def _signature_and_mail(campaign, person: _Person, base_url: str) -> tuple[dict, OutgoingMail]:
    """The new signature's row (without supporter) and its confirmation mail, with the links of its tokens."""
    subject = f"{campaign.id}:{person.canonical}"
    secret = setting("SECRET_KEY")
    confirm, withdraw = tokens.issue(secret, tokens.CONFIRM, subject), tokens.issue(secret, tokens.WITHDRAW, subject)
    row = {
        "campaign_id": campaign.id,
        "status": SignatureStatus.PENDING,
        "consent_version": person.request.consent_version,
        "consented_at": person.now,
        "listing": person.request.listing,
        "organisation": person.values["organisation"],
        "function": person.values["function"],
        "confirm_token_hash": confirm.digest,
        "withdraw_token_hash": withdraw.digest,
        "confirmation_sent_at": person.now,
        "confirmation_mails": 1,
        "created_at": person.now,
    }
    links = mails.links_for(campaign.slug, confirm.token, withdraw.token, base_url)
    mail = mails.confirmation_mail(
        campaign, to_address=person.address, first_name=person.values["first_name"], links=links
    )
    return row, mail


@functools.cache
def _insert_statement(dialect: str, table: Table):
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, built once so its compiled form is cached."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing().returning(table.c.id)


def _insert_unless_present(connection: Connection, table: Table, row: dict) -> int | None:
    """Insert the row; its id, or None when a unique constraint says it is there already (also mid-race).

    Core statements on the session's connection: the ORM's execution layer has nothing to add to them, and it
    cost as much as the statement itself (the same for the campaign query and the outbox row).
    """
    return connection.execute(_insert_statement(connection.dialect.name, table), row).scalar()


def _check_consent(session: Session | Connection, version: str) -> None:
    if version in BUILT_IN_VERSIONS:
        return
    if session.scalar(select(ConsentText.id).where(ConsentText.version == version)) is None:
        raise ServiceError(_("Der Einwilligungstext hat sich geändert. Bitte lesen Sie ihn erneut."), "consent")


def _supporter_id(session: Session, person: _Person) -> int:
    """The supporter with this canonical address, created now if new (an existing one keeps its details)."""
    inserted = _insert_unless_present(session.connection(), Supporter.__table__, person.supporter_row())
    if inserted is not None:
        return inserted
    supporter_id, consent_at = session.execute(
        select(Supporter.id, Supporter.newsletter_consent_at).where(Supporter.email_canonical == person.canonical)
    ).one()
    if person.request.newsletter and consent_at is None:
        session.execute(
            Supporter.__table__.update().where(Supporter.id == supporter_id).values(newsletter_consent_at=person.now)
        )
    return supporter_id


def _may_resend(signature: Signature, now) -> bool:
    if signature.status is not SignatureStatus.PENDING or signature.confirmation_mails >= MAX_CONFIRMATION_MAILS:
        return False
    return signature.confirmation_sent_at is None or now - signature.confirmation_sent_at >= RESEND_AFTER


def signing_consent(session: Session):
    """The consent text the form shows (and whose version it sends back)."""
    return current_consent(session)
