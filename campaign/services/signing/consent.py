"""The consent text supporters agree to when co-signing: versioned, never edited, the newest one in force."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import ConsentText, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ErrorCollector

MAX_VERSION = 40
MAX_TEXT = 5000


@dataclass(frozen=True)
class Consent:
    version: str
    text: str


_WORDING = (
    "Ich unterzeichne diesen offenen Brief mit. Ich willige ausdrücklich ein, dass die Kampagne meinen Namen, meine "
    "E-Mail-Adresse, Postleitzahl und meinen Ort sowie meine Unterstützung des Briefs – und damit meine politische "
    "Meinung – für diese Mitzeichnung speichert und verarbeitet (Art. 9 Abs. 2 lit. a DSGVO), und dass mein Name "
    "so, wie ich es {where} wähle, unter dem Brief veröffentlicht und mit ihm übergeben wird. Ich kann die "
    "Einwilligung jederzeit über den Link in jeder E-Mail widerrufen."
)
# The built-in wordings, newest first; the newest is in force until the campaign team saves a version of its own.
# A wording is never changed, only followed by a new version: each signature names the version it agreed to.
BUILT_IN = (
    # The choice how the name appears stands above the checkbox, not below it.
    Consent("2026-12-02", _WORDING.format(where="in diesem Formular")),
    Consent("2026-12-01", _WORDING.format(where="unten")),
)
BUILT_IN_VERSION = BUILT_IN[0].version
BUILT_IN_VERSIONS = frozenset(consent.version for consent in BUILT_IN)


def current_consent(session: Session) -> Consent:
    """The consent text in force: the newest saved version, else the built-in one."""
    newest = session.scalar(select(ConsentText).order_by(ConsentText.id.desc()).limit(1))
    return Consent(newest.version, newest.text) if newest else BUILT_IN[0]


def consent_versions(session: Session) -> list[Consent]:
    """Every version, newest first, the built-in ones last."""
    saved = session.scalars(select(ConsentText).order_by(ConsentText.id.desc()))
    return [*(Consent(item.version, item.text) for item in saved), *BUILT_IN]


def consent_text(session: Session, version: str) -> str:
    """The wording of `version` (what a supporter agreed to); empty if unknown."""
    return next((item.text for item in consent_versions(session) if item.version == version), "")


def check_consent_version(session: Session, version: str, text: str) -> None:
    """FieldErrors naming every wrong field of a new consent version, or nothing; writes nothing (for a form that
    has its own mistakes, so that one answer names all of them)."""
    _clean_consent_version(session, version, text)


def _clean_consent_version(session: Session, version: str, text: str) -> tuple[str, str]:
    version, text = (version or "").strip(), (text or "").strip()
    found = ErrorCollector()
    if not version:
        found.add("version", _("Bitte eine Versionsbezeichnung angeben, etwa das Datum."))
    elif len(version) > MAX_VERSION:
        found.add(
            "version", _("Die Version darf höchstens %(MAX_VERSION)s Zeichen lang sein.", MAX_VERSION=MAX_VERSION)
        )
    elif version in {item.version for item in consent_versions(session)}:
        found.add(
            "version", _("Die Version „%(version)s“ gibt es schon; Versionen werden nie geändert.", version=version)
        )
    if not text:
        found.add("text", _("Bitte den Text der Einwilligung angeben."))
    elif len(text) > MAX_TEXT:
        found.add("text", _("Der Text darf höchstens %(MAX_TEXT)s Zeichen lang sein.", MAX_TEXT=MAX_TEXT))
    found.raise_if_any()
    return version, text


def add_consent_version(session: Session, version: str, text: str, *, user: User | None = None) -> ConsentText:
    """Save a new version of the consent text; from now on new signatures record it."""
    version, text = _clean_consent_version(session, version, text)
    item = ConsentText(version=version, text=text, created_by_id=user.id if user else None)
    session.add(item)
    session.flush()
    record(session, "consent.add", item, user=user, version=version)
    return item
