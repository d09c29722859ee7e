"""Signing an open letter: one signature per person and campaign, however often and however fast they sign.

The person is found by the canonical form of their address. Both rows are written with INSERT … ON CONFLICT DO
NOTHING against unique constraints, so two requests racing with the same address leave one supporter and one
signature, and the loser gets the same answer as the winner. The first statement is a write: on SQLite a
transaction that read first could not write after another one committed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Campaign, CampaignStatus, ConsentText, Listing, Signature, SignatureStatus, Supporter
from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.errors import ServiceError
from campaign.services.signing import mails, tokens
from campaign.services.signing.consent import BUILT_IN_VERSION, current_consent

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


def _clean(request: SigningRequest) -> dict[str, str]:
    values = {name: " ".join(getattr(request, name).split()) for name in LIMITS}
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise ServiceError(_("Höchstens %(max)d Zeichen, bitte.", max=limit), name)
    for name, message in (
        ("first_name", _l("Bitte Ihren Vornamen angeben.")),
        ("last_name", _l("Bitte Ihren Nachnamen angeben.")),
        ("postcode", _l("Bitte Ihre Postleitzahl angeben.")),
        ("city", _l("Bitte Ihren Ort angeben.")),
    ):
        if not values[name]:
            raise ServiceError(str(message), name)
    if values["function"] and not values["organisation"]:
        raise ServiceError(_("Eine Funktion bitte nur zusammen mit der Organisation angeben."), "organisation")
    return values


def sign(session: Session, slug: str, request: SigningRequest, *, base_url: str) -> SigningOutcome | None:
    """Record a pending signature on the open letter of campaign `slug` and queue its confirmation mail.

    None if there is no such campaign open for signing. Signing again changes nothing but may send the
    confirmation mail once more (limited).
    """
    values = _clean(request)
    try:
        address = normalise_email(request.email)
    except ServiceError as error:
        raise ServiceError(str(error), "email") from error
    canonical = canonical_email(address)
    now = utcnow()
    supporter_id = _supporter_id(session, canonical, address, values, now if request.newsletter else None)
    campaign = session.connection().execute(_CAMPAIGN, {"slug": slug}).first()
    if campaign is None or campaign.status is not CampaignStatus.ACTIVE or not campaign.open_letter:
        return None
    if not _known_consent(session, request.consent_version):
        raise ServiceError(_("Der Einwilligungstext hat sich geändert. Bitte lesen Sie ihn erneut."), "consent")
    subject = f"{campaign.id}:{canonical}"
    secret = setting("SECRET_KEY")
    confirm, withdraw = tokens.issue(secret, tokens.CONFIRM, subject), tokens.issue(secret, tokens.WITHDRAW, subject)
    row = {
        "campaign_id": campaign.id,
        "supporter_id": supporter_id,
        "status": SignatureStatus.PENDING,
        "consent_version": request.consent_version,
        "consented_at": now,
        "listing": request.listing,
        "organisation": values["organisation"],
        "function": values["function"],
        "confirm_token_hash": confirm.digest,
        "withdraw_token_hash": withdraw.digest,
        "confirmation_sent_at": now,
        "confirmation_mails": 1,
        "created_at": now,
    }
    signature_id = _insert_unless_present(session, Signature.__table__, row)
    new = signature_id is not None
    if not new:
        signature = session.scalar(
            select(Signature).where(Signature.campaign_id == campaign.id, Signature.supporter_id == supporter_id)
        )
        if not _may_resend(signature, now):
            return SigningOutcome(signature.id, new=False, mail_queued=False)
        signature.confirmation_sent_at = now
        signature.confirmation_mails += 1
        signature_id = signature.id
    links = mails.links_for(campaign.slug, confirm.token, withdraw.token, base_url)
    mails.queue_confirmation(
        session, signature_id, campaign, to_address=address, first_name=values["first_name"], links=links
    )
    return SigningOutcome(signature_id, new=new, mail_queued=True)


@functools.cache
def _insert_statement(dialect: str, table: Table):
    """INSERT … ON CONFLICT DO NOTHING RETURNING id, built once so its compiled form is cached."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing().returning(table.c.id)


def _insert_unless_present(session: Session, table: Table, row: dict) -> int | None:
    """Insert the row; its id, or None when a unique constraint says it is there already (also mid-race).

    Core statements on the session's connection: the ORM's execution layer has nothing to add to them, and it
    cost as much as the statement itself (the same for the campaign query and the outbox row).
    """
    connection = session.connection()
    return connection.execute(_insert_statement(connection.dialect.name, table), row).scalar()


def _known_consent(session: Session, version: str) -> bool:
    if version == BUILT_IN_VERSION:
        return True
    return session.scalar(select(ConsentText.id).where(ConsentText.version == version)) is not None


def _supporter_id(session: Session, canonical: str, address: str, values: dict[str, str], newsletter_at) -> int:
    """The supporter with this canonical address, created now if new (an existing one keeps its details)."""
    row = {
        "email": address,
        "email_canonical": canonical,
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "postcode": values["postcode"],
        "city": values["city"],
        "newsletter_consent_at": newsletter_at,
        "created_at": utcnow(),
    }
    inserted = _insert_unless_present(session, Supporter.__table__, row)
    if inserted is not None:
        return inserted
    supporter_id, consent_at = session.execute(
        select(Supporter.id, Supporter.newsletter_consent_at).where(Supporter.email_canonical == canonical)
    ).one()
    if newsletter_at and consent_at is None:
        session.execute(
            Supporter.__table__.update().where(Supporter.id == supporter_id).values(newsletter_consent_at=newsletter_at)
        )
    return supporter_id


def _may_resend(signature: Signature, now) -> bool:
    if signature.status is not SignatureStatus.PENDING or signature.confirmation_mails >= MAX_CONFIRMATION_MAILS:
        return False
    return signature.confirmation_sent_at is None or now - signature.confirmation_sent_at >= RESEND_AFTER


def signing_consent(session: Session):
    """The consent text the form shows (and whose version it sends back)."""
    return current_consent(session)
