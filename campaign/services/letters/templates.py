"""Letter templates of a campaign: creation, checked saving into immutable-once-used versions, and look-ups."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, LetterTemplate, TemplateVersion, User
from campaign.services.common.audit import record
from campaign.services.common.errors import ErrorCollector
from campaign.services.common.text import same_name
from campaign.services.letters.layout import CLOSING
from campaign.services.letters.merge_fields import BY_NAME, FOLLOW_UP_NAMES
from campaign.services.letters.sandbox import TemplateProblem, check_template, fields_used

MAX_NAME_LENGTH = 200
MAX_SUBJECT_LENGTH = 300
MAX_BODY_LENGTH = 100_000

FIELD_LABELS = {"name": _l("Name"), "subject": _l("Betreff"), "body": _l("Brieftext")}

# A closing line: „Mit freundlichen Grüßen“, „Viele Grüße“, „Mit solidarischem Gruß“, „Hochachtungsvoll“ …
_GREETING_WORD = r"gr(?:ü|ue)(?:ß|ss)(?:e|en)?|gru(?:ß|ss)"
_CLOSING_LINE = re.compile(
    rf"^(?:(?:\w+\s+){{0,3}}(?:{_GREETING_WORD})(?:\s+(?:aus|von|nach)\s+[\w .-]+)?|hochachtungsvoll|mfg|lg|vg)\W*$",
    re.IGNORECASE,
)
_TEMPLATE_TAGS = re.compile(r"{%.*?%}|{#.*?#}", re.DOTALL)
# How far from the end a closing counts as the letter's closing (a name or two may follow it).
CLOSING_LOOKBACK_LINES = 3


class TemplateFieldProblem(TemplateProblem):
    """A template problem that belongs to one form field (`name`, `subject` or `body`), so it is shown there."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TemplateFieldProblems(TemplateFieldProblem):
    """Problems in several fields at once: `errors` maps each field to its message, so that a form names all of
    them in one answer; the first one is `field` and the message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        field = next(iter(self.errors))
        super().__init__(field, " ".join(self.errors.values()))


def check_letter_template(source: str, *, field: str = "body", follow_up: bool = False) -> None:
    """Run the sandbox's check (syntax, whitelist, internals); a problem names the form field it belongs to.

    The first letter's fields (`erster_brief`) are only filled in follow-ups, so only their template may use them.
    """
    try:
        check_template(source)
    except TemplateProblem as exc:
        raise TemplateFieldProblem(field, f"{FIELD_LABELS[field]}: {exc}") from exc
    misplaced = sorted(fields_used(source) & FOLLOW_UP_NAMES)
    if misplaced and not follow_up:
        names = ", ".join(f"{BY_NAME[name].alias} ({name})" for name in misplaced)
        raise TemplateFieldProblem(
            field,
            _(
                "%(field)s: Den Platzhalter %(names)s gibt es nur in der Vorlage für Nachfragen.",
                field=FIELD_LABELS[field],
                names=names,
            ),
        )


def closing_warning(body: str) -> str:
    """A warning if the body ends with a closing, which the layout adds anyway ("" otherwise)."""
    lines = [line.strip() for line in _TEMPLATE_TAGS.sub("", body or "").splitlines() if line.strip()]
    closing = next((line for line in lines[-CLOSING_LOOKBACK_LINES:] if _CLOSING_LINE.match(line)), None)
    if closing is None:
        return ""
    return _(
        "Der Brieftext endet mit der Grußformel „%(closing)s“. Das Layout setzt „%(layout)s“ und die "
        "Unterschriften selbst unter jeden Brief, so stünde der Gruß doppelt im Brief. Bitte die Grußformel "
        "(und die Namen darunter) aus der Vorlage löschen.",
        closing=closing.rstrip(","),
        layout=CLOSING,
    )


# Merge fields that are empty in the open letter on the campaign page, which is addressed to nobody in particular.
EMPTY_IN_OPEN_LETTER = ("recipient", "reference_code")


def open_letter_warning(campaign: Campaign, version: TemplateVersion) -> str:
    """A warning if the campaign's open letter uses fields it cannot fill ("" otherwise): its public page shows
    the letter to everyone, without a recipient or a reference code."""
    if not campaign.open_letter or version.template.is_follow_up:
        return ""
    used = fields_used(version.subject) | fields_used(version.body)
    empty = [BY_NAME[name].alias for name in EMPTY_IN_OPEN_LETTER if name in used]
    if not empty:
        return ""
    return _(
        "Die Kampagne zeigt diesen Text als offenen Brief auf ihrer öffentlichen Seite, an niemanden persönlich: "
        "dort bleiben %(fields)s leer. Bitte in der Vorschau der öffentlichen Seite prüfen, ob der Text so lesbar ist.",
        fields=", ".join(empty),
    )


def clean_texts(subject: str, body: str, *, follow_up: bool = False) -> tuple[str, str]:
    """Normalise line endings (browsers send CRLF) and check lengths and both templates.

    A problem in the subject does not hide one in the body: TemplateFieldProblems names both.
    """
    found = ErrorCollector()
    subject = found.check(_clean_subject, subject, follow_up, otherwise="")
    body = found.check(_clean_body, body, follow_up, otherwise="")
    if found.errors:
        raise TemplateFieldProblems(found.errors)
    return subject, body


def _clean_subject(subject: str, follow_up: bool) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise TemplateFieldProblem("subject", _("Bitte einen Betreff angeben."))
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise TemplateFieldProblem(
            "subject", _("Der Betreff darf höchstens %(max)s Zeichen lang sein.", max=MAX_SUBJECT_LENGTH)
        )
    check_letter_template(subject, field="subject", follow_up=follow_up)
    return subject


def _clean_body(body: str, follow_up: bool) -> str:
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise TemplateFieldProblem("body", _("Bitte einen Brieftext angeben."))
    if len(body) > MAX_BODY_LENGTH:
        raise TemplateFieldProblem(
            "body", _("Der Brieftext darf höchstens %(max)s Zeichen lang sein.", max=MAX_BODY_LENGTH)
        )
    check_letter_template(body, field="body", follow_up=follow_up)
    return body


def _clean_name(session: Session, campaign: Campaign, name: str, *, exclude: LetterTemplate | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TemplateFieldProblem("name", _("Bitte einen Namen für die Vorlage angeben."))
    if len(name) > MAX_NAME_LENGTH:
        raise TemplateFieldProblem("name", _("Der Name darf höchstens %(max)s Zeichen lang sein.", max=MAX_NAME_LENGTH))
    others = session.scalars(
        select(LetterTemplate.name).where(
            LetterTemplate.campaign_id == campaign.id, LetterTemplate.id != (exclude.id if exclude else -1)
        )
    )
    if any(same_name(other, name) for other in others):
        raise TemplateFieldProblem("name", _("Diese Kampagne hat schon eine Vorlage „%(name)s“.", name=name))
    return name


def campaign_templates(session: Session, campaign: Campaign) -> list[LetterTemplate]:
    """The campaign's letter templates by name (its follow-up template is not one of them)."""
    return list(
        session.scalars(
            select(LetterTemplate)
            .where(LetterTemplate.campaign_id == campaign.id, LetterTemplate.is_follow_up.is_(False))
            .order_by(LetterTemplate.name)
        )
    )


def create_template(
    session: Session, campaign: Campaign, *, name: str, subject: str, body: str, user: User | None = None
) -> LetterTemplate:
    """A new template with its first version; nothing is added when a field is refused."""
    name = _clean_name(session, campaign, name)
    subject, body = clean_texts(subject, body)
    template = LetterTemplate(campaign_id=campaign.id, name=name)
    template.versions.append(
        TemplateVersion(number=1, subject=subject, body=body, created_by_id=user.id if user else None)
    )
    session.add(template)
    session.flush()
    record(session, "template.create", template, user=user, campaign_id=campaign.id, name=name, version=1)
    return template


def rename_template(session: Session, template: LetterTemplate, name: str, *, user: User | None = None) -> None:
    """Give the template another name (names are not part of any letter, so versions stay as they are)."""
    new_name = _clean_name(session, template.campaign, name, exclude=template)
    if new_name == template.name:
        return
    old_name, template.name = template.name, new_name
    session.flush()
    record(session, "template.rename", template, user=user, old=old_name, new=new_name)


def save_template_version(
    session: Session, template: LetterTemplate, *, subject: str, body: str, user: User | None = None
) -> TemplateVersion:
    """Save subject and body: into a new version if the current one was used for a letter, else in place.

    Returns the version that now holds the text; unchanged text changes nothing.
    """
    subject, body = clean_texts(subject, body, follow_up=template.is_follow_up)
    current = template.current_version
    if current is not None and current.subject == subject and current.body == body:
        return current
    if current is None or current.used_at is not None:
        # A used version is the record of letters already made from it: never touch it.
        number = (current.number if current else 0) + 1
        version = TemplateVersion(number=number, subject=subject, body=body, created_by_id=user.id if user else None)
        template.versions.append(version)
        created = True
    else:
        version = current
        version.subject, version.body = subject, body
        version.created_by_id = user.id if user else version.created_by_id
        created = False
    session.flush()
    record(
        session,
        "template.save",
        template,
        user=user,
        version=version.number,
        version_id=version.id,
        new_version=created,
    )
    return version


def template_version(session: Session, template: LetterTemplate, version_id: int | None) -> TemplateVersion | None:
    """One version of this template by id (None for an unknown id or one of another template)."""
    if version_id is None:
        return template.current_version
    version = session.get(TemplateVersion, version_id)
    return version if version is not None and version.template_id == template.id else None


def campaign_template(session: Session, campaign: Campaign, template_id: int | None) -> LetterTemplate | None:
    """The campaign's template with this id, or its first template when no id is given."""
    if template_id is None:
        templates = campaign_templates(session, campaign)
        return templates[0] if templates else None
    template = session.get(LetterTemplate, template_id)
    ours = template is not None and template.campaign_id == campaign.id and not template.is_follow_up
    return template if ours else None


def current_template_version(campaign: Campaign) -> TemplateVersion:
    """The newest version of the campaign's first template, or a TemplateProblem saying there is none."""
    for template in campaign.templates:
        if template.current_version is not None:
            return template.current_version
    raise TemplateProblem(_("Die Kampagne „%(title)s“ hat noch keine Briefvorlage.", title=campaign.title))


def campaign_by_slug(session: Session, slug: str) -> Campaign | None:
    return session.scalar(select(Campaign).where(Campaign.slug == slug))
