"""A signature's life after signing: confirmed by its link, withdrawn by its link, removed as spam by the team.

Each change is one conditional UPDATE (… WHERE status IN the allowed states), so a link clicked twice at once, or
a confirmation racing a withdrawal, changes the signature and the count exactly once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Campaign, Signature, SignatureStatus, StateChange, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ServiceError
from campaign.services.signing import counts, tokens

_S = SignatureStatus


class LinkState(enum.StrEnum):
    """What a confirm or withdraw link found (the page says it in words)."""

    READY = "ready"
    DONE = "done"
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    signature: Signature | None = None


def _sources(target: SignatureStatus) -> list[SignatureStatus]:
    return [status for status, allowed in Signature.TRANSITIONS.items() if target in allowed]


def move(
    session: Session,
    where,
    target: SignatureStatus,
    *,
    sources: list[SignatureStatus] | None = None,
    user: User | None = None,
    note: str = "",
    keep_count: bool = False,
    **values,
) -> list[tuple[int, int, SignatureStatus]]:
    """Move the signatures matching `where` from an allowed state to `target`; (id, campaign id, old state) each.

    The transition table decides which states may move; the UPDATE re-checks the state, so each row moves once.
    Leaving CONFIRMED takes one off the count, unless `keep_count` (an erasure keeps the signature counted).
    """
    allowed = [status for status in (sources or _sources(target)) if target in Signature.TRANSITIONS[status]]
    moved = []
    for old in allowed:
        rows = session.execute(
            update(Signature)
            .where(where, Signature.status == old)
            .values(status=target, **values)
            .returning(Signature.id, Signature.campaign_id)
            .execution_options(synchronize_session=False)
        ).all()
        for signature_id, campaign_id in rows:
            moved.append((signature_id, campaign_id, old))
            session.add(
                StateChange(
                    object_type="Signature",
                    object_id=signature_id,
                    from_status=old.value,
                    to_status=target.value,
                    user_id=user.id if user else None,
                    note=note[:500],
                )
            )
            if old is _S.CONFIRMED and not keep_count:
                counts.add(session, campaign_id, -1)
            if target is _S.CONFIRMED:
                counts.add(session, campaign_id, +1)
    session.flush()
    return moved


def _digest(purpose: str, token: str, max_age: int | None) -> str | LinkState:
    try:
        return tokens.read(setting("SECRET_KEY"), purpose, token, max_age)
    except tokens.TokenError as error:
        return LinkState.EXPIRED if error.expired else LinkState.INVALID


@dataclass(frozen=True)
class LinkKind:
    """One kind of link in a supporter's mail: what its token is for and what following it does."""

    purpose: str
    target: SignatureStatus
    ready: tuple[SignatureStatus, ...]
    note: str
    stamp: str
    expires: bool


CONFIRM_LINK = LinkKind(tokens.CONFIRM, _S.CONFIRMED, (_S.PENDING,), "per Link bestätigt", "confirmed_at", True)
# Withdrawal links do not expire: consent may be withdrawn at any time (Art. 7 (3) DSGVO).
WITHDRAW_LINK = LinkKind(
    tokens.WITHDRAW, _S.WITHDRAWN, (_S.PENDING, _S.CONFIRMED), "per Link widerrufen", "withdrawn_at", False
)


def _column(kind: LinkKind):
    return Signature.confirm_token_hash if kind.purpose == tokens.CONFIRM else Signature.withdraw_token_hash


def _max_age(kind: LinkKind) -> int | None:
    if not kind.expires:
        return None
    return int(timedelta(days=int(setting("UNCONFIRMED_SIGNATURE_DAYS"))).total_seconds())


def check_link(session: Session, campaign: Campaign, kind: LinkKind, token: str) -> LinkCheck:
    """What the link stands for; a GET shows this and changes nothing (mail scanners fetch links)."""
    digest = _digest(kind.purpose, token, _max_age(kind))
    if isinstance(digest, LinkState):
        return LinkCheck(digest)
    signature = session.scalar(select(Signature).where(_column(kind) == digest, Signature.campaign_id == campaign.id))
    if signature is None:
        return LinkCheck(LinkState.INVALID)
    if signature.status in kind.ready:
        return LinkCheck(LinkState.READY, signature)
    return LinkCheck(LinkState.DONE if signature.status is kind.target else LinkState.USED, signature)


def follow_link(session: Session, campaign: Campaign, kind: LinkKind, token: str) -> LinkState:
    """Do what the link is for (confirm, withdraw): DONE if it happened now or before, else why not."""
    digest = _digest(kind.purpose, token, _max_age(kind))
    if isinstance(digest, LinkState):
        return digest
    where = (_column(kind) == digest) & (Signature.campaign_id == campaign.id)
    if move(session, where, kind.target, sources=list(kind.ready), note=kind.note, **{kind.stamp: utcnow()}):
        return LinkState.DONE
    return check_link(session, campaign, kind, token).state


def confirm(session: Session, campaign: Campaign, token: str) -> LinkState:
    """Confirm the pending signature of the link."""
    return follow_link(session, campaign, CONFIRM_LINK, token)


def withdraw(session: Session, campaign: Campaign, token: str) -> LinkState:
    """Withdraw the signature of the link: out of the count and the list in this transaction."""
    return follow_link(session, campaign, WITHDRAW_LINK, token)


def remove_as_spam(session: Session, signature: Signature, reason: str, *, user: User) -> None:
    """Take a signature out of the count and the list as spam or abuse; the reason goes to the audit log."""
    reason = " ".join(reason.split())
    if not reason:
        raise ServiceError(_("Bitte einen Grund angeben; er wird im Protokoll festgehalten."), "reason")
    if len(reason) > 300:
        raise ServiceError(_("Der Grund darf höchstens 300 Zeichen lang sein."), "reason")
    # withdrawn_at marks when it left the count, so an erasure later does not count it again.
    if not move(session, Signature.id == signature.id, _S.REMOVED, user=user, note=reason, withdrawn_at=utcnow()):
        raise ServiceError(_("Diese Mitzeichnung lässt sich nicht mehr entfernen."))
    record(session, "signature.remove", signature, user=user, reason=reason)
    session.refresh(signature)
