"""Recipients and recipient lists: validation, duplicate detection, filters with pagination, lists and tags."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, cast, delete, exists, func, insert, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from campaign.models import FormOfAddress, Letter, Recipient, RecipientList, Target, User, recipient_list_members
from campaign.services.common.audit import record
from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.errors import ServiceError
from campaign.services.common.labels import label
from campaign.services.common.pagination import DEFAULT_PAGE_SIZE, Page, paginate
from campaign.services.common.text import collapse_spaces, fold_text, is_germany

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
    "form_of_address": "Anrede",
    "title": "Titel",
    "first_name": "Vorname",
    "last_name": "Nachname",
    "group_name": "Gruppe",
    "function": "Funktion",
    "organisation": "Organisation",
    "street": "Straße und Hausnummer",
    "postcode": "PLZ",
    "city": "Ort",
    "country": "Land",
    "email": "E-Mail",
    "unterbezirk": "Unterbezirk",
    "kreis": "Kreis",
    "wahlkreis": "Wahlkreis",
    "kommune": "Kommune",
    "notes": "Notizen",
    "tags": "Schlagworte",
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

# Empty or one of these: a German address, whose postcode must have five digits.
MAX_TAG_LENGTH = 80

ItemT = TypeVar("ItemT")


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
class RecipientFilter:
    """What the recipients page filters by; empty values mean "any"."""

    text: str = ""
    list_id: int | None = None
    tag: str = ""
    function: str = ""
    unterbezirk: str = ""
    kreis: str = ""
    wahlkreis: str = ""
    kommune: str = ""
    has_email: bool | None = None
    has_postal_address: bool | None = None

    @property
    def is_empty(self) -> bool:
        return self == RecipientFilter()


@dataclass(frozen=True)
class FilterChoices:
    """The values the filter form offers, taken from the recipients that exist."""

    lists: list[RecipientList]
    tags: list[str]
    functions: list[str]
    unterbezirke: list[str]
    kreise: list[str]
    wahlkreise: list[str]
    kommunen: list[str]


@dataclass(frozen=True)
class ListSummary:
    recipient_list: RecipientList
    members: int


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
        raise ServiceError(f"Unbekannte Anrede „{raw}“. Erlaubt sind: {allowed} (oder leer).") from None


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
        text = str(raw.get(name) or "")
        values[name] = text.strip() if name == "notes" else collapse_spaces(text)
        limit = _column_length(name)
        if limit and len(values[name]) > limit:
            errors[name] = f"höchstens {limit} Zeichen (sind {len(values[name])})."
    try:
        values["form_of_address"] = parse_form_of_address(raw.get("form_of_address"))
    except ServiceError as exc:
        errors["form_of_address"] = str(exc)
        values["form_of_address"] = FormOfAddress.UNBEKANNT

    values["tags"] = parse_tags(raw.get("tags"))
    too_long = [tag for tag in values["tags"] if len(tag) > MAX_TAG_LENGTH]
    if too_long:
        errors["tags"] = f"Schlagwort „{too_long[0][:40]}…“ ist länger als {MAX_TAG_LENGTH} Zeichen."

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


def _check_postcode(values: dict[str, Any], errors: dict[str, str], warnings: list[str]) -> None:
    postcode = values["postcode"]
    if not postcode or "postcode" in errors or not is_germany(values["country"]):
        return
    # Excel stores 01067 as the number 1067; restore the leading zero rather than refuse the row.
    if postcode.isdigit() and len(postcode) == 4:
        values["postcode"] = "0" + postcode
        warnings.append(f"PLZ „{postcode}“ zu „{values['postcode']}“ ergänzt.")
    elif not re.fullmatch(r"\d{5}", postcode):
        errors["postcode"] = f"„{postcode}“ ist keine deutsche Postleitzahl (fünf Ziffern)."


def _check_name(values: dict[str, Any], errors: dict[str, str]) -> None:
    if values["form_of_address"] is FormOfAddress.GRUPPE:
        if not (values["group_name"] or values["organisation"]):
            errors.setdefault("group_name", "Für eine Gruppe bitte den Gruppennamen oder die Organisation angeben.")
    elif not values["last_name"]:
        if values["first_name"]:
            errors.setdefault("last_name", "Bitte den Nachnamen angeben.")
        else:
            errors.setdefault("last_name", "Bitte einen Namen (Vor- und Nachname) oder eine Gruppe angeben.")


def display_name(values: Mapping[str, Any]) -> str:
    """The name as Recipient.full_name shows it, from cleaned values (before a Recipient exists)."""
    if values.get("form_of_address") is FormOfAddress.GRUPPE:
        return values.get("group_name") or values.get("organisation") or ""
    return " ".join(part for part in (values.get("title"), values.get("first_name"), values.get("last_name")) if part)


# ---- duplicates ----


@dataclass(frozen=True)
class Identity:
    """What makes two recipient records the same person: canonical e-mail, or name plus street and postcode."""

    email: str
    name: str
    address: str

    @classmethod
    def of(cls, values: Mapping[str, Any] | Recipient) -> Identity:
        get = values.get if isinstance(values, Mapping) else lambda name, default="": getattr(values, name, default)
        names = [
            fold_text(get("first_name", "") or ""),
            fold_text(get("last_name", "") or ""),
            fold_text(get("group_name", "") or ""),
        ]
        if not any(names):
            names.append(fold_text(get("organisation", "") or ""))
        street = fold_text(get("street", "") or "")
        street = re.sub(r"(strasse|str)(?=\d|$)", "str", street)
        return cls(
            email=get("email_canonical", "") or "",
            name="|".join(names),
            address=f"{street}|{fold_text(get('postcode', '') or '')}",
        )


class DuplicateIndex(Generic[ItemT]):
    """Finds an earlier record with the same identity (same e-mail, or same name and address)."""

    def __init__(self) -> None:
        self._by_email: dict[str, ItemT] = {}
        self._by_name: dict[tuple[str, str], list[tuple[str, ItemT]]] = {}

    def add(self, identity: Identity, item: ItemT) -> None:
        if identity.email:
            self._by_email.setdefault(identity.email, item)
        if identity.name.strip("|"):
            self._by_name.setdefault((identity.name, identity.address), []).append((identity.email, item))

    def find(self, identity: Identity) -> ItemT | None:
        if identity.email and identity.email in self._by_email:
            return self._by_email[identity.email]
        for email, item in self._by_name.get((identity.name, identity.address), []):
            # Same name and address but two different e-mail addresses: two people (e.g. namesakes at one office).
            if not (identity.email and email and identity.email != email):
                return item
        return None


def existing_recipients_index(session: Session) -> DuplicateIndex[int]:
    """An index of every stored recipient's identity, by id (one query, for imports of thousands of rows)."""
    index: DuplicateIndex[int] = DuplicateIndex()
    columns = (
        Recipient.id,
        Recipient.email_canonical,
        Recipient.first_name,
        Recipient.last_name,
        Recipient.group_name,
        Recipient.organisation,
        Recipient.street,
        Recipient.postcode,
    )
    for row in session.execute(select(*columns).order_by(Recipient.id)):
        index.add(Identity.of(row._asdict()), row.id)
    return index


def find_duplicate(session: Session, values: Mapping[str, Any], *, exclude_id: int | None = None) -> Recipient | None:
    """A stored recipient that is the same person as `values` (cleaned), other than `exclude_id`."""
    identity = Identity.of(values)
    conditions = [Recipient.postcode == values.get("postcode", "")]
    if identity.email:
        conditions.append(Recipient.email_canonical == identity.email)
    statement = select(Recipient).where(or_(*conditions))
    if exclude_id is not None:
        statement = statement.where(Recipient.id != exclude_id)
    index: DuplicateIndex[Recipient] = DuplicateIndex()
    for candidate in session.scalars(statement.order_by(Recipient.id)):
        index.add(Identity.of(candidate), candidate)
    return index.find(identity)


# ---- create, edit, delete ----


def _validated(session: Session, raw: Mapping[str, Any], exclude_id: int | None = None) -> dict[str, Any]:
    cleaned = clean_recipient(raw)
    if not cleaned.ok:
        raise RecipientInvalid(cleaned.errors)
    duplicate = find_duplicate(session, cleaned.values, exclude_id=exclude_id)
    if duplicate is not None:
        same_email = (
            cleaned.values["email_canonical"] and duplicate.email_canonical == cleaned.values["email_canonical"]
        )
        reason = "derselben E-Mail-Adresse" if same_email else "demselben Namen und derselben Anschrift"
        raise ServiceError(
            f"Es gibt bereits eine Empfänger:in mit {reason}: {duplicate.full_name} (Nr. {duplicate.id})."
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
        recipient.lists = _lists_by_id(session, list_ids)
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
        new_lists = _lists_by_id(session, list_ids)
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


# ---- filters and pages ----


def _tag_condition(session: Session, tag: str) -> Any:
    """Recipients whose JSON tag array contains `tag` (exact element match on SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(Recipient.tags, JSONB).contains([tag])
    elements = func.json_each(Recipient.tags).table_valued("value")
    return exists(select(1).select_from(elements).where(elements.c.value == tag))


def _like_pattern(text: str) -> str:
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def filtered_statement(session: Session, filters: RecipientFilter) -> Select[tuple[Recipient]]:
    """A select of the recipients matching every given filter."""
    statement = select(Recipient)
    conditions: list[Any] = []
    if filters.text:
        pattern = _like_pattern(collapse_spaces(filters.text))
        searched = (
            Recipient.first_name,
            Recipient.last_name,
            Recipient.group_name,
            Recipient.organisation,
            Recipient.email,
            Recipient.city,
        )
        conditions.append(or_(*(column.ilike(pattern, escape="!") for column in searched)))
    if filters.list_id is not None:
        members = select(recipient_list_members.c.recipient_id).where(
            recipient_list_members.c.list_id == filters.list_id
        )
        conditions.append(Recipient.id.in_(members))
    if filters.tag:
        conditions.append(_tag_condition(session, filters.tag.strip().lower()))
    if filters.function:
        conditions.append(Recipient.function.ilike(_like_pattern(collapse_spaces(filters.function)), escape="!"))
    for name in ("unterbezirk", "kreis", "wahlkreis", "kommune"):
        value = getattr(filters, name)
        if value:
            conditions.append(getattr(Recipient, name) == value)
    if filters.has_email is not None:
        conditions.append(Recipient.email != "" if filters.has_email else Recipient.email == "")
    if filters.has_postal_address is not None:
        complete = and_(Recipient.street != "", Recipient.postcode != "", Recipient.city != "")
        conditions.append(complete if filters.has_postal_address else ~complete)
    return statement.where(*conditions)


def _ordered(statement: Select[Any]) -> Select[Any]:
    return statement.order_by(
        Recipient.last_name, Recipient.first_name, Recipient.group_name, Recipient.organisation, Recipient.id
    )


def search_recipients(
    session: Session, filters: RecipientFilter, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Recipient]:
    """One page of the matching recipients, sorted by name; a page past the end shows the last page."""
    return paginate(session, _ordered(filtered_statement(session, filters)), page=page, per_page=per_page)


def filtered_ids(session: Session, filters: RecipientFilter) -> list[int]:
    statement = filtered_statement(session, filters).with_only_columns(Recipient.id).order_by(Recipient.id)
    return list(session.scalars(statement))


def _distinct(session: Session, column: Any) -> list[str]:
    return list(session.scalars(select(column).where(column != "").distinct().order_by(column)))


def filter_choices(session: Session) -> FilterChoices:
    tags: set[str] = set()
    for row_tags in session.scalars(select(Recipient.tags)):
        tags.update(row_tags or [])
    return FilterChoices(
        lists=list(session.scalars(select(RecipientList).order_by(RecipientList.name))),
        tags=sorted(tags),
        functions=_distinct(session, Recipient.function),
        unterbezirke=_distinct(session, Recipient.unterbezirk),
        kreise=_distinct(session, Recipient.kreis),
        wahlkreise=_distinct(session, Recipient.wahlkreis),
        kommunen=_distinct(session, Recipient.kommune),
    )


# ---- lists ----


def _clean_list_name(name: str) -> str:
    cleaned = collapse_spaces(name)
    if not cleaned:
        raise ServiceError("Bitte einen Namen für die Liste angeben.")
    limit = _list_name_length()
    if len(cleaned) > limit:
        raise ServiceError(f"Der Listenname darf höchstens {limit} Zeichen haben.")
    return cleaned


def _list_name_length() -> int:
    return RecipientList.__table__.c["name"].type.length


def find_list(session: Session, name: str) -> RecipientList | None:
    """The list with this name, ignoring case and extra spaces."""
    wanted = collapse_spaces(name).casefold()
    for candidate in session.scalars(select(RecipientList)):
        if candidate.name.casefold() == wanted:
            return candidate
    return None


def _lists_by_id(session: Session, list_ids: Sequence[int]) -> list[RecipientList]:
    wanted = set(list_ids)
    found = list(session.scalars(select(RecipientList).where(RecipientList.id.in_(wanted))))
    if len(found) != len(wanted):
        raise ServiceError("Eine der gewählten Listen gibt es nicht mehr.")
    return found


def list_summaries(session: Session) -> list[ListSummary]:
    counts = (
        select(RecipientList, func.count(recipient_list_members.c.recipient_id))
        .outerjoin(recipient_list_members, recipient_list_members.c.list_id == RecipientList.id)
        .group_by(RecipientList.id)
        .order_by(RecipientList.name)
    )
    return [ListSummary(recipient_list, members) for recipient_list, members in session.execute(counts)]


def create_list(session: Session, name: str, description: str = "", *, user: User | None = None) -> RecipientList:
    cleaned = _clean_list_name(name)
    if find_list(session, cleaned) is not None:
        raise ServiceError(f"Eine Liste „{cleaned}“ gibt es bereits.")
    recipient_list = RecipientList(name=cleaned, description=description.strip())
    session.add(recipient_list)
    record(session, "recipient_list.create", recipient_list, user=user, name=cleaned)
    return recipient_list


def get_or_create_list(session: Session, name: str, *, user: User | None = None) -> tuple[RecipientList, bool]:
    """The list with this name, created if missing; the flag says whether it was created."""
    found = find_list(session, _clean_list_name(name))
    if found is not None:
        return found, False
    return create_list(session, name, user=user), True


def rename_list(
    session: Session,
    recipient_list: RecipientList,
    name: str,
    description: str | None = None,
    *,
    user: User | None = None,
) -> None:
    cleaned = _clean_list_name(name)
    other = find_list(session, cleaned)
    if other is not None and other.id != recipient_list.id:
        raise ServiceError(f"Eine Liste „{cleaned}“ gibt es bereits.")
    old_name = recipient_list.name
    recipient_list.name = cleaned
    if description is not None:
        recipient_list.description = description.strip()
    record(session, "recipient_list.update", recipient_list, user=user, old_name=old_name, name=cleaned)


def delete_list(session: Session, recipient_list: RecipientList, *, user: User | None = None) -> None:
    """Delete a list; its members stay as recipients."""
    record(session, "recipient_list.delete", recipient_list, user=user, name=recipient_list.name)
    session.delete(recipient_list)
    session.flush()


def member_ids(session: Session, recipient_list: RecipientList) -> set[int]:
    statement = select(recipient_list_members.c.recipient_id).where(
        recipient_list_members.c.list_id == recipient_list.id
    )
    return set(session.scalars(statement))


def _chunks(ids: list[int], size: int = 5000) -> Iterable[list[int]]:
    """Slices of at most `size` ids: databases limit the number of parameters in one statement."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _expire_memberships(session: Session, recipient_list: RecipientList) -> None:
    """Membership rows were written directly: let loaded collections reload them."""
    session.expire(recipient_list, ["recipients"])
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Recipient):
            session.expire(obj, ["lists"])


def add_to_list(
    session: Session, recipient_list: RecipientList, recipient_ids: Iterable[int], *, user: User | None = None
) -> int:
    """Put recipients on a list (bulk, for thousands); returns how many were not on it yet."""
    session.flush()
    wanted = set(recipient_ids)
    existing: set[int] = set()
    for chunk in _chunks(sorted(wanted)):
        existing.update(session.scalars(select(Recipient.id).where(Recipient.id.in_(chunk))))
    if existing != wanted:
        raise ServiceError("Einige der gewählten Empfänger:innen gibt es nicht mehr.")
    new = sorted(wanted - member_ids(session, recipient_list))
    if new:
        rows = [{"list_id": recipient_list.id, "recipient_id": recipient_id} for recipient_id in new]
        session.execute(insert(recipient_list_members), rows)
        _expire_memberships(session, recipient_list)
        record(session, "recipient_list.add", recipient_list, user=user, added=len(new))
    return len(new)


def remove_from_list(
    session: Session, recipient_list: RecipientList, recipient_ids: Iterable[int], *, user: User | None = None
) -> int:
    """Take recipients off a list; returns how many were on it."""
    session.flush()
    ids = set(recipient_ids) & member_ids(session, recipient_list)
    if ids:
        for chunk in _chunks(sorted(ids)):
            session.execute(
                delete(recipient_list_members).where(
                    recipient_list_members.c.list_id == recipient_list.id,
                    recipient_list_members.c.recipient_id.in_(chunk),
                )
            )
        _expire_memberships(session, recipient_list)
        record(session, "recipient_list.remove", recipient_list, user=user, removed=len(ids))
    return len(ids)


def list_members(
    session: Session, recipient_list: RecipientList, *, page: int = 1, per_page: int = DEFAULT_PAGE_SIZE
) -> Page[Recipient]:
    return search_recipients(session, RecipientFilter(list_id=recipient_list.id), page=page, per_page=per_page)
