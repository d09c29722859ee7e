"""One recipient: its fields, cleaning and checking them (from a form or an import row), create, edit, delete."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import FormOfAddress, Letter, Recipient, Target, User
from campaign.services.common.audit import record
from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.errors import ServiceError
from campaign.services.common.labels import label
from campaign.services.common.text import collapse_spaces, fold_text, is_germany
from campaign.services.recipients import postcodes
from campaign.services.recipients.duplicates import find_duplicate
from campaign.services.recipients.lists import lists_by_id

# Editable text fields of a recipient, in the order forms and reports show them.
TEXT_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "group_name",
    "function",
    "organisation",
    "street",
    "postcode",
    "city",
    "country",
    "email",
    "unterbezirk",
    "kreis",
    "wahlkreis",
    "kommune",
    "notes",
)
FIELDS = ("form_of_address", *TEXT_FIELDS, "tags")

FIELD_LABELS = {
    "form_of_address": _l("Anrede"),
    "title": _l("Titel"),
    "first_name": _l("Vorname"),
    "last_name": _l("Nachname"),
    "group_name": _l("Gruppe"),
    "function": _l("Funktion"),
    "organisation": _l("Organisation"),
    "street": _l("Straße und Hausnummer"),
    "postcode": _l("PLZ"),
    "city": _l("Ort"),
    "country": _l("Land"),
    "email": _l("E-Mail"),
    "unterbezirk": _l("Unterbezirk"),
    "kreis": _l("Kreis"),
    "wahlkreis": _l("Wahlkreis"),
    "kommune": _l("Kommune"),
    "notes": _l("Notizen"),
    "tags": _l("Schlagworte"),
}

# Spellings of the form of address found in German and English exports (compared after fold_text()).
_FORM_OF_ADDRESS_WORDS = {
    FormOfAddress.FRAU: {"frau", "fr", "w", "weiblich", "f", "female", "ms", "mrs", "miss"},
    FormOfAddress.HERR: {"herr", "herrn", "hr", "m", "maennlich", "male", "mr"},
    FormOfAddress.DIVERS: {"divers", "d", "x", "nichtbinaer", "nonbinary", "nb", "mx", "inter"},
    FormOfAddress.UNBEKANNT: {"", "unbekannt", "keineangabe", "ka", "unknown", "none", "neutral", "gutentag"},
    FormOfAddress.GRUPPE: {"gruppe", "group", "mitglieder", "andie"},
}
_FORM_OF_ADDRESS_BY_WORD = {word: form for form, words in _FORM_OF_ADDRESS_WORDS.items() for word in words}

# Longest tag (tags are filter values and chips on the page, not notes).
MAX_TAG_LENGTH = 80
# Fields whose line breaks are kept: a street may need „c/o …“ or „2. OG“ on lines of their own.
MULTILINE_FIELDS = frozenset({"street"})
# Lines of the street field; with name, organisation and place they fill the letter's address window.
MAX_STREET_LINES = 3


class RecipientInvalid(ServiceError):
    """One or more fields of a recipient are invalid; `errors` maps field name to a German message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__(
            " ".join(f"{FIELD_LABELS.get(name, name)}: {message}" for name, message in self.errors.items())
        )


@dataclass
class CleanedRecipient:
    """Field values ready to store, or the errors that stop them; warnings never stop anything."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class DeletionImpact:
    """What else refers to a recipient, shown before deleting it."""

    campaigns: int
    letters: int


# ---- normalising single values ----


def parse_form_of_address(value: str | FormOfAddress | None) -> FormOfAddress:
    """The form of address for „Frau“, „Herr“, „divers“/„d“, „Gruppe“ …; empty means unknown."""
    if isinstance(value, FormOfAddress):
        return value
    raw = collapse_spaces(value or "")
    folded = fold_text(raw)
    if folded in _FORM_OF_ADDRESS_BY_WORD:
        return _FORM_OF_ADDRESS_BY_WORD[folded]
    try:
        return FormOfAddress(folded)
    except ValueError:
        allowed = ", ".join(label(form) for form in FormOfAddress)
        raise ServiceError(
            _("Unbekannte Anrede „%(raw)s“. Erlaubt sind: %(allowed)s (oder leer).", raw=raw, allowed=allowed)
        ) from None


def parse_tags(value: str | Iterable[str] | None) -> list[str]:
    """Tags from comma- or semicolon-separated text (or a list): trimmed, lower case, without repeats."""
    if value is None:
        return []
    parts = re.split(r"[,;]", value) if isinstance(value, str) else list(value)
    tags: list[str] = []
    for part in parts:
        tag = collapse_spaces(str(part)).lstrip("#").strip().lower()
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _column_length(name: str) -> int | None:
    return getattr(Recipient.__table__.c[name].type, "length", None)


def clean_recipient(raw: Mapping[str, Any]) -> CleanedRecipient:
    """Validate and normalise the fields of one recipient (from a form or an import row); nothing is stored."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    warnings: list[str] = []
    for name in TEXT_FIELDS:
        values[name] = _clean_text(name, str(raw.get(name) or ""))
        limit = _column_length(name)
        if limit and len(values[name]) > limit:
            errors[name] = _("höchstens %(limit)s Zeichen (sind %(length)s).", limit=limit, length=len(values[name]))
    if values["street"].count("\n") >= MAX_STREET_LINES:
        errors.setdefault(
            "street", _("höchstens %(limit)s Zeilen (mehr passen nicht ins Anschriftfeld).", limit=MAX_STREET_LINES)
        )
    try:
        values["form_of_address"] = parse_form_of_address(raw.get("form_of_address"))
    except ServiceError as exc:
        errors["form_of_address"] = str(exc)
        values["form_of_address"] = FormOfAddress.UNBEKANNT

    values["tags"] = parse_tags(raw.get("tags"))
    too_long = [tag for tag in values["tags"] if len(tag) > MAX_TAG_LENGTH]
    if too_long:
        errors["tags"] = _(
            "Schlagwort „%(tag)s…“ ist länger als %(limit)s Zeichen.", tag=too_long[0][:40], limit=MAX_TAG_LENGTH
        )

    values["email_canonical"] = ""
    if values["email"] and "email" not in errors:
        try:
            values["email"] = normalise_email(values["email"])
            values["email_canonical"] = canonical_email(values["email"])
        except ServiceError as exc:
            errors["email"] = str(exc)

    _check_postcode(values, errors, warnings)
    _check_name(values, errors)
    return CleanedRecipient(values, errors, warnings)


def _clean_text(name: str, text: str) -> str:
    """Spaces collapsed; the street keeps its lines („c/o …“, „2. OG“), notes keep their layout."""
    if name == "notes":
        return text.strip()
    if name in MULTILINE_FIELDS:
        return "\n".join(line for line in map(collapse_spaces, text.splitlines()) if line)
    return collapse_spaces(text)


def _check_postcode(values: dict[str, Any], errors: dict[str, str], warnings: list[str]) -> None:
    postcode = values["postcode"]
    if not postcode or "postcode" in errors or not is_germany(values["country"]):
        return
    if postcode.isdigit() and len(postcode) == 4:
        problem = _four_digit_problem(postcode, values["city"])
        if problem:
            errors["postcode"] = problem
        else:
            values["postcode"] = "0" + postcode
            warnings.append(
                _("PLZ „%(written)s“ zu „%(postcode)s“ ergänzt.", written=postcode, postcode=values["postcode"])
            )
    elif not postcodes.GERMAN_POSTCODE.fullmatch(postcode):
        errors["postcode"] = _("„%(postcode)s“ ist keine deutsche Postleitzahl (fünf Ziffern).", postcode=postcode)


def _four_digit_problem(postcode: str, city: str) -> str:
    """Why a four-digit postcode cannot simply get its leading zero back, or "" when it can.

    Excel stores 01067 as the number 1067, so „1067 Dresden“ is restored; but „4021 Düsseldorf“ lost a digit
    elsewhere (40210 or 40219?), and guessing would send the letter to Leipzig.
    """
    padded = "0" + postcode
    known_places = postcodes.places(padded)
    if not known_places:
        return _(
            "„%(written)s“ hat nur vier Ziffern, und die PLZ „%(postcode)s“ gibt es nicht. Bitte die PLZ prüfen.",
            written=postcode,
            postcode=padded,
        )
    if city and not postcodes.matches_city(padded, city):
        shown = ", ".join(known_places[:3]) + (" …" if len(known_places) > 3 else "")
        return _(
            "„%(written)s“ hat nur vier Ziffern, und „%(postcode)s“ gehört nicht zu „%(city)s“, sondern zu %(places)s. "
            "Bitte die PLZ prüfen.",
            written=postcode,
            postcode=padded,
            city=city,
            places=shown,
        )
    return ""


def _check_name(values: dict[str, Any], errors: dict[str, str]) -> None:
    if values["form_of_address"] is FormOfAddress.GRUPPE:
        if not (values["group_name"] or values["organisation"]):
            errors.setdefault("group_name", _("Für eine Gruppe bitte den Gruppennamen oder die Organisation angeben."))
    elif not values["last_name"]:
        if values["first_name"]:
            errors.setdefault("last_name", _("Bitte den Nachnamen angeben."))
        else:
            errors.setdefault("last_name", _("Bitte einen Namen (Vor- und Nachname) oder eine Gruppe angeben."))


def display_name(values: Mapping[str, Any]) -> str:
    """The name as Recipient.full_name shows it, from cleaned values (before a Recipient exists)."""
    if values.get("form_of_address") is FormOfAddress.GRUPPE:
        return values.get("group_name") or values.get("organisation") or ""
    return " ".join(part for part in (values.get("title"), values.get("first_name"), values.get("last_name")) if part)


# ---- create, edit, delete ----


def check_recipient(session: Session, raw: Mapping[str, Any], exclude_id: int | None = None) -> None:
    """RecipientInvalid naming every wrong field of `raw` (or a ServiceError for a duplicate), or nothing; writes
    nothing (for a form that has its own mistakes, so that one answer names all of them)."""
    _validated(session, raw, exclude_id)


def _validated(session: Session, raw: Mapping[str, Any], exclude_id: int | None = None) -> dict[str, Any]:
    cleaned = clean_recipient(raw)
    if not cleaned.ok:
        raise RecipientInvalid(cleaned.errors)
    duplicate = find_duplicate(session, cleaned.values, exclude_id=exclude_id)
    if duplicate is not None:
        same_email = (
            cleaned.values["email_canonical"] and duplicate.email_canonical == cleaned.values["email_canonical"]
        )
        reason = _("derselben E-Mail-Adresse") if same_email else _("demselben Namen und derselben Anschrift")
        raise ServiceError(
            _(
                "Es gibt bereits eine Empfänger:in mit %(reason)s: %(full_name)s (Nr. %(id)s).",
                reason=reason,
                full_name=duplicate.full_name,
                id=duplicate.id,
            )
        )
    return cleaned.values


def create_recipient(
    session: Session, raw: Mapping[str, Any], *, list_ids: Sequence[int] = (), user: User | None = None
) -> Recipient:
    """Add a recipient after validation and a duplicate check; optionally put it on lists."""
    values = _validated(session, raw)
    recipient = Recipient(**values)
    session.add(recipient)
    if list_ids:
        recipient.lists = lists_by_id(session, list_ids)
    record(session, "recipient.create", recipient, user=user, name=recipient.full_name)
    return recipient


def update_recipient(
    session: Session,
    recipient: Recipient,
    raw: Mapping[str, Any],
    *,
    list_ids: Sequence[int] | None = None,
    user: User | None = None,
) -> list[str]:
    """Change a recipient's fields (and, if given, its lists); returns the names of the changed fields."""
    values = _validated(session, raw, exclude_id=recipient.id)
    changed = [name for name, value in values.items() if getattr(recipient, name) != value]
    for name in changed:
        setattr(recipient, name, values[name])
    # The canonical e-mail follows the e-mail; reporting it twice would only confuse the audit log.
    changed = [name for name in changed if name != "email_canonical"]
    if list_ids is not None:
        new_lists = lists_by_id(session, list_ids)
        if {item.id for item in new_lists} != {item.id for item in recipient.lists}:
            recipient.lists = new_lists
            changed.append("lists")
    if changed:
        record(session, "recipient.update", recipient, user=user, fields=sorted(changed))
    return changed


def deletion_impact(session: Session, recipient: Recipient) -> DeletionImpact:
    return DeletionImpact(
        campaigns=session.scalar(select(func.count(Target.id)).where(Target.recipient_id == recipient.id)) or 0,
        letters=session.scalar(select(func.count(Letter.id)).where(Letter.recipient_id == recipient.id)) or 0,
    )


def delete_recipient(session: Session, recipient: Recipient, *, user: User | None = None) -> None:
    """Delete a recipient; campaign targets go with it, letters keep their own copy of name and address."""
    record(session, "recipient.delete", recipient, user=user, name=recipient.full_name, email=recipient.email)
    session.delete(recipient)
    session.flush()


def get_recipient(session: Session, recipient_id: int) -> Recipient | None:
    return session.get(Recipient, recipient_id)
