"""Links in supporters' mails: signed, single-purpose, expiring tokens of which only a hash is stored.

A token is a nonce signed (with SECRET_KEY) for one purpose and with its time of issue. The nonce is an HMAC of the
purpose, the campaign and the canonical address, so a mail sent again carries a link to the same signature and
older mails' links keep working (until they expire). The database holds only the SHA-256 of the nonce: a copy of
the database opens no signature, and a forged or altered token fails the signature check before any query runs.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM = "confirm"
WITHDRAW = "withdraw"
# A supporter's own letter: confirming it, and its page (the PDF, "posted", the questionnaire).
LETTER_CONFIRM = "letter-confirm"
LETTER_ACCESS = "letter-access"
PURPOSES = (CONFIRM, WITHDRAW, LETTER_CONFIRM, LETTER_ACCESS)


class TokenError(Exception):
    """A token that is forged, made for another purpose, or expired (`expired` says which)."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class IssuedToken:
    token: str
    digest: str


def digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode("ascii")).hexdigest()


@functools.lru_cache(maxsize=8)
def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    # The salt binds a token to its purpose: a withdrawal token never confirms, and the other way round.
    return URLSafeTimedSerializer(secret_key, salt=f"signing-{purpose}")


def issue(secret_key: str, purpose: str, subject: str) -> IssuedToken:
    """A token for `purpose` about `subject` (campaign and canonical address), and the digest to store."""
    nonce = hmac.new(secret_key.encode(), f"{purpose}:{subject}".encode(), hashlib.sha256).hexdigest()[:40]
    return IssuedToken(token=_serializer(secret_key, purpose).dumps(nonce), digest=digest(nonce))


def void_digest() -> str:
    """A digest no token matches (for a signature whose person was erased: its links must open nothing)."""
    return "x" + secrets.token_hex(31)


def read(secret_key: str, purpose: str, token: str, max_age_seconds: int | None = None) -> str:
    """The stored digest a genuine token for `purpose` stands for; TokenError if forged or older than max_age."""
    try:
        nonce = _serializer(secret_key, purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except BadSignature as exc:
        raise TokenError() from exc
    if not isinstance(nonce, str) or not nonce.isascii():
        raise TokenError()
    return digest(nonce)
