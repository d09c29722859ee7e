"""E-mail addresses: validation with a clear German message, and the canonical form used for de-duplication."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from campaign.services.common.errors import ServiceError

# Providers that ignore dots in the local part, so a.b@gmail.com and ab@gmail.com are one mailbox.
DOT_INSENSITIVE_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
GOOGLE_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
# A message repeats at most this much of a rejected address (a pasted paragraph would drown the reason).
SHOWN_ADDRESS_CHARS = 80

# email-validator explains in English. Its common reasons, matched at the start of its message, in German;
# a group `detail` (the offending characters, how much too long) is kept because it adds something.
_REASONS: tuple[tuple[re.Pattern[str], object], ...] = tuple(
    (re.compile(pattern), german)
    for pattern, german in (
        (r"An email address must have an @-sign", _l("Es fehlt das @-Zeichen.")),
        (r"There must be something after the @-sign", _l("Nach dem @-Zeichen fehlt die Domain (etwa „example.org“).")),
        (r"There must be something before the @-sign", _l("Vor dem @-Zeichen fehlt der Name des Postfachs.")),
        (
            r"The email address contains invalid characters before the @-sign: (?P<detail>.+)\.$",
            _l("Vor dem @-Zeichen stehen unzulässige Zeichen: %(detail)s."),
        ),
        (
            r"The part after the @-sign contains invalid characters: (?P<detail>.+)\.$",
            _l("Nach dem @-Zeichen stehen unzulässige Zeichen: %(detail)s."),
        ),
        (
            r"The email address contains unsafe characters: (?P<detail>.+)\.$",
            _l("Die Adresse enthält unsichtbare oder unzulässige Sonderzeichen (%(detail)s)."),
        ),
        (r"The email address contains invalid characters", _l("Die Adresse enthält unzulässige Zeichen.")),
        (r"An email address cannot have two periods in a row", _l("Zwei Punkte hintereinander sind nicht erlaubt.")),
        (r"An email address cannot start with a period", _l("Die Adresse darf nicht mit einem Punkt beginnen.")),
        (r"An email address cannot end with a period", _l("Die Adresse darf nicht mit einem Punkt enden.")),
        (
            r"An email address cannot have a period immediately before",
            _l("Direkt vor dem @-Zeichen darf kein Punkt stehen."),
        ),
        (
            r"The part after the @-sign is not valid\. It should have a period",
            _l("Nach dem @-Zeichen fehlt eine vollständige Domain mit Punkt (etwa „example.org“)."),
        ),
        (
            r"The part after the @-sign is not valid\. It is not within a valid top-level domain",
            _l("Die Domain endet nicht auf eine gültige Endung wie .de oder .org."),
        ),
        (
            r"The part after the @-sign is a special-use or reserved name",
            _l("Die Domain ist für Tests oder interne Netze reserviert und kann keine E-Mails empfangen."),
        ),
        (
            r"The email address is too long before the @-sign \((?P<detail>\d+) characters? too many",
            _l("Der Teil vor dem @-Zeichen ist zu lang (%(detail)s Zeichen zu viel)."),
        ),
        (
            r"The email address is too long after the @-sign \((?P<detail>\d+) (?:characters?|bytes?) too many",
            _l("Die Domain ist zu lang (%(detail)s Zeichen zu viel)."),
        ),
        (
            r"The email address is too long \((?P<detail>\d+) characters? too many",
            _l("Die Adresse ist zu lang (%(detail)s Zeichen zu viel)."),
        ),
        (r"The email address is too long", _l("Die Adresse ist zu lang.")),
        (
            r"After the @-sign, periods cannot be separated by so many characters",
            _l("Ein Teil der Domain ist zu lang (höchstens 63 Zeichen zwischen zwei Punkten)."),
        ),
        (
            r"A display name and angle brackets|The display name contains",
            _l("Bitte nur die Adresse selbst angeben, ohne Namen und spitze Klammern."),
        ),
        (r"A bracketed IP address", _l("Bitte eine Domain statt einer IP-Adresse angeben.")),
        (
            r"An email address cannot have (?:a hyphen|a period and a hyphen|two letters followed by two dashes)",
            _l("Die Domain hat einen Bindestrich an unzulässiger Stelle."),
        ),
    )
)
_CHARACTER_NAMES = {"SPACE": _l("Leerzeichen"), "NO-BREAK SPACE": _l("geschütztes Leerzeichen"), "TAB": _l("Tabulator")}


def _german_characters(detail: str) -> str:
    """„'@', SPACE“ → „„@“, Leerzeichen“: the characters email-validator lists, as a German reader expects them."""
    names = []
    for item in detail.split(", "):
        quoted = re.fullmatch(r"'(.+)'", item)
        names.append(f"„{quoted.group(1)}“" if quoted else str(_CHARACTER_NAMES.get(item, item)))
    return ", ".join(names)


def explain_email_error(reason: str) -> str:
    """email-validator's English reason as a German sentence; an uncommon one follows a German lead in brackets."""
    for pattern, german in _REASONS:
        found = pattern.match(reason)
        if found:
            detail = found.groupdict().get("detail")
            return str(german) % {"detail": _german_characters(detail)} if detail else str(german)
    return _("Die Adresse hat nicht die Form name@example.org (%(reason)s).", reason=reason.rstrip("."))


def normalise_email(raw: str, field: str = "") -> str:
    """Return the address in normalised form, or raise ServiceError (for the form field `field`) saying what is
    wrong (no DNS look-up)."""
    candidate = (raw or "").strip()
    if not candidate:
        raise ServiceError(_("Bitte eine E-Mail-Adresse angeben."), field)
    try:
        result = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError as exc:
        shown = candidate if len(candidate) <= SHOWN_ADDRESS_CHARS else candidate[: SHOWN_ADDRESS_CHARS - 1] + "…"
        reason = explain_email_error(str(exc))
        raise ServiceError(
            _("Ungültige E-Mail-Adresse „%(address)s“: %(reason)s", address=shown, reason=reason), field
        ) from exc
    return result.normalized


def canonical_email(address: str) -> str:
    """The form under which one person's address variants collide: lower case, no plus alias, no ignored dots."""
    local, _at, domain = address.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOT_INSENSITIVE_DOMAINS:
        local = local.replace(".", "")
    if domain in GOOGLE_DOMAINS:
        domain = "gmail.com"
    return f"{local}@{domain}"
