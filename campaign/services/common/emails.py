"""E-mail addresses: validation with a clear message, and the canonical form used for de-duplication."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from campaign.services.common.errors import ServiceError

# Providers that ignore dots in the local part, so a.b@gmail.com and ab@gmail.com are one mailbox.
DOT_INSENSITIVE_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
GOOGLE_DOMAINS = frozenset({"gmail.com", "googlemail.com"})


def normalise_email(raw: str) -> str:
    """Return the address in normalised form, or raise ServiceError saying what is wrong (no DNS look-up)."""
    candidate = (raw or "").strip()
    if not candidate:
        raise ServiceError("Bitte eine E-Mail-Adresse angeben.")
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ServiceError(f"Ungültige E-Mail-Adresse „{candidate}“: {exc}") from exc
    return result.normalized


def canonical_email(address: str) -> str:
    """The form under which one person's address variants collide: lower case, no plus alias, no ignored dots."""
    local, _, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOT_INSENSITIVE_DOMAINS:
        local = local.replace(".", "")
    if domain in GOOGLE_DOMAINS:
        domain = "gmail.com"
    return f"{local}@{domain}"
