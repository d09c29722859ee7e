"""Sending organisations: their address and contact lines, logo, signatories and footer for the letterhead."""

from __future__ import annotations

from dataclasses import dataclass, fields

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Organisation, User
from campaign.services.common.audit import record
from campaign.services.common.emails import normalise_email
from campaign.services.common.errors import FieldErrors, ServiceError
from campaign.services.common.text import check_url, same_name
from campaign.services.organisations.images import check_image, data_uri

NAME_MAX = 200
MAX_SIGNATORIES = 6
LIMITS = {
    "short_name": 80,
    "street": 200,
    "postcode": 10,
    "city": 100,
    "phone": 50,
    "website": 200,
    "letterhead_note": 1000,
    "footer_lines": 1000,
}
LABELS = {
    "short_name": _l("Kurzname"),
    "street": _l("Straße"),
    "postcode": _l("PLZ"),
    "city": _l("Ort"),
    "phone": _l("Telefon"),
    "website": _l("Internet"),
    "letterhead_note": _l("Zusatz im Briefkopf"),
    "footer_lines": _l("Fußzeilen"),
}


@dataclass
class OrganisationData:
    """What the organisation form edits."""

    name: str
    short_name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    letterhead_note: str = ""
    footer_lines: str = ""


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def check_organisation(session: Session, data: OrganisationData, exclude: Organisation | None = None) -> None:
    """FieldErrors naming every wrong field of `data`, or nothing; writes nothing."""
    _clean(session, data, exclude)


def _clean(session: Session, data: OrganisationData, exclude: Organisation | None = None) -> dict[str, str]:
    """Trimmed values, or FieldErrors naming every field that is wrong (not only the first)."""
    values = {field.name: (getattr(data, field.name) or "").replace("\r\n", "\n").strip() for field in fields(data)}
    values["name"] = " ".join(values["name"].split())
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = _("Bitte den Namen der Organisation angeben.")
    elif len(values["name"]) > NAME_MAX:
        errors["name"] = _("Der Name darf höchstens %(NAME_MAX)s Zeichen lang sein.", NAME_MAX=NAME_MAX)
    else:
        others = session.scalars(select(Organisation.name).where(Organisation.id != (exclude.id if exclude else -1)))
        if any(same_name(other, values["name"]) for other in others):
            errors["name"] = _("Es gibt schon eine Organisation „%(value)s“.", value=values["name"])
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = _("%(value)s: höchstens %(limit)s Zeichen.", value=LABELS[name], limit=limit)
    for name, clean in (("email", normalise_email), ("website", lambda value: check_url(value, "website"))):
        if values[name] and name not in errors:
            try:
                values[name] = clean(values[name])
            except ServiceError as exc:
                errors[name] = str(exc)
    if errors:
        raise FieldErrors(errors)
    return values


def create_organisation(session: Session, data: OrganisationData, *, user: User | None = None) -> Organisation:
    organisation = Organisation(**_clean(session, data))
    session.add(organisation)
    session.flush()
    record(session, "organisation.create", organisation, user=user, name=organisation.name)
    return organisation


def update_organisation(
    session: Session, organisation: Organisation, data: OrganisationData, *, user: User | None = None
) -> None:
    changes = {}
    for name, value in _clean(session, data, exclude=organisation).items():
        if getattr(organisation, name) != value:
            changes[name] = [getattr(organisation, name), value]
            setattr(organisation, name, value)
    if changes:
        session.flush()
        record(session, "organisation.update", organisation, user=user, changes=changes)


def delete_organisation(session: Session, organisation: Organisation, *, user: User | None = None) -> None:
    """Delete an organisation no campaign sends as."""
    used = session.scalar(select(func.count(Campaign.id)).where(Campaign.organisation_id == organisation.id)) or 0
    if used:
        raise ServiceError(
            _(
                "„%(name)s“ ist Absenderin von %(used)s Kampagne(n) und kann nicht gelöscht werden.",
                name=organisation.name,
                used=used,
            )
        )
    record(session, "organisation.delete", organisation, user=user, name=organisation.name)
    session.delete(organisation)
    session.flush()


def set_logo(
    session: Session, organisation: Organisation, data: bytes, filename: str = "", *, user: User | None = None
) -> None:
    """Store a checked PNG or sanitised SVG as the letterhead's logo."""
    clean, media_type = check_image(data, filename, what=_l("Logo"))
    organisation.logo, organisation.logo_type = clean, media_type
    session.flush()
    record(session, "organisation.logo", organisation, user=user, media_type=media_type, size=len(clean))


def remove_logo(session: Session, organisation: Organisation, *, user: User | None = None) -> None:
    organisation.logo, organisation.logo_type = None, ""
    session.flush()
    record(session, "organisation.logo.remove", organisation, user=user)


def logo_uri(organisation: Organisation | None) -> str:
    """The logo as a data: URI for the letterhead ("" without a logo)."""
    if organisation is None or not organisation.logo:
        return ""
    return data_uri(organisation.logo_type, organisation.logo)


def add_signatory(
    session: Session,
    organisation: Organisation,
    *,
    name: str,
    role: str = "",
    signature: bytes = b"",
    filename: str = "",
    user: User | None = None,
) -> None:
    """Add someone who signs the letters (last in order), with an optional scanned signature (PNG or SVG)."""
    name, role = " ".join((name or "").split()), " ".join((role or "").split())
    if not name:
        raise ServiceError(_("Bitte den Namen der unterzeichnenden Person angeben."), "name")
    if len(name) > 120 or len(role) > 120:
        raise ServiceError(_("Name und Funktion dürfen je höchstens 120 Zeichen lang sein."), "name")
    people = list(organisation.signatories or [])
    if len(people) >= MAX_SIGNATORIES:
        raise ServiceError(
            _("Höchstens %(MAX_SIGNATORIES)s Personen können unterzeichnen.", MAX_SIGNATORIES=MAX_SIGNATORIES), "name"
        )
    person = {"name": name, "role": role}
    if signature:
        clean, media_type = check_image(signature, filename, what=_l("Unterschrift"))
        person["signature"] = data_uri(media_type, clean)
    organisation.signatories = [*people, person]  # a new list, so the JSON column sees the change
    session.flush()
    record(session, "organisation.signatory.add", organisation, user=user, name=name, role=role)


def remove_signatory(session: Session, organisation: Organisation, index: int, *, user: User | None = None) -> None:
    people = list(organisation.signatories or [])
    if not 0 <= index < len(people):
        raise ServiceError(_("Diese unterzeichnende Person gibt es nicht (mehr)."))
    removed = people.pop(index)
    organisation.signatories = people
    session.flush()
    record(session, "organisation.signatory.remove", organisation, user=user, name=removed.get("name", ""))
