"""A supporter's letter from the form to the office: written, confirmed by mail, then sent, held, or posted."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import (
    Campaign,
    Recipient,
    Supporter,
    SupporterLetter,
    SupporterLetterStatus,
)
from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.errors import ErrorCollector, ServiceError
from campaign.services.common.text import short_fields
from campaign.services.letters.references import allocate_reference_codes, reference_prefix
from campaign.services.recipients.postcodes import clean_postcode
from campaign.services.signing import tokens
from campaign.services.writing import mails
from campaign.services.writing.compose import MIN_WORDS_WITHOUT_ARGUMENTS, Writer, WrittenLetter, compose
from campaign.services.writing.postcodes import writable_recipient
from campaign.services.writing.settings import settings_for
from campaign.services.writing.variation import similar_count, words

_W = SupporterLetterStatus
LIMITS = {"first_name": 120, "last_name": 120, "street": 200, "postcode": 10, "city": 120}
# Letters to the same office that count as "already sent" when a new one is compared with them.
COMPARED_STATES = (_W.SENT, _W.HELD)
# A writer's letter in one of these states stands: a second one to the same person in the same campaign is refused.
# (A rejected letter did not go out, so its writer may write again; an unconfirmed one is replaced, see submit.)
CONFIRMED_STATES = (_W.HELD, _W.TO_POST, _W.SENT)


@dataclass(frozen=True)
class Draft:
    """What the supporter chose in the first steps: whom to write to, which arguments, their own words."""

    recipient_id: int
    lookup_postcode: str
    argument_ids: tuple[int, ...] = ()
    own_text: str = ""


@dataclass(frozen=True)
class Variation:
    """How the letter compares with letters already sent to the same recipient."""

    similar: int
    limit: int
    blocked: bool

    @property
    def warn(self) -> bool:
        return self.similar >= self.limit


@dataclass(frozen=True)
class Preview:
    recipient: Recipient
    letter: WrittenLetter
    variation: Variation
    may_email: bool


@dataclass(frozen=True)
class Submission:
    draft: Draft
    writer: Writer
    delivery: str
    consent_version: str
    # The language of the pages written on ("de", "en"): the mails to the writer are in it.
    locale: str = "de"


def preview(session: Session, campaign: Campaign, draft: Draft) -> Preview:
    """The letter as it would be sent, with the variation check; ServiceError for a choice that is not allowed."""
    recipient = writable_recipient(session, campaign, draft.recipient_id, draft.lookup_postcode)
    letter = compose(campaign, recipient, draft.argument_ids, draft.own_text)
    # Checked here, when the letter is written, not in compose: letters stored before keep being composed.
    if not draft.argument_ids and len(words(letter.letter_text)) < MIN_WORDS_WITHOUT_ARGUMENTS:
        raise ServiceError(
            _(
                "Ihr Brief ist noch sehr kurz. Bitte schreiben Sie mindestens %(min)s Wörter oder wählen Sie "
                "Argumente.",
                min=MIN_WORDS_WITHOUT_ARGUMENTS,
            ),
            "own_text",
        )
    settings = settings_for(session, campaign)
    earlier = session.scalars(
        select(SupporterLetter.letter_text).where(
            SupporterLetter.campaign_id == campaign.id,
            SupporterLetter.recipient_id == recipient.id,
            SupporterLetter.status.in_(COMPARED_STATES),
        )
    )
    similar = similar_count(letter.letter_text, earlier)
    variation = Variation(similar, settings.similar_limit, settings.block_similar and similar >= settings.similar_limit)
    return Preview(recipient, letter, variation, may_email=bool(recipient.email))


_REQUIRED = (
    ("first_name", _l("Bitte Ihren Vornamen angeben.")),
    ("last_name", _l("Bitte Ihren Nachnamen angeben.")),
    ("street", _l("Bitte Straße und Hausnummer angeben: Ein Büro nimmt Briefe mit Anschrift ernster.")),
    ("postcode", _l("Bitte Ihre Postleitzahl angeben.")),
    ("city", _l("Bitte Ihren Ort angeben.")),
)


def _unconfirmed_letter(
    session: Session, campaign: Campaign, email_canonical: str, recipient: Recipient
) -> SupporterLetter | None:
    """The writer's unconfirmed letter to `recipient` in the campaign, which a new one replaces; ServiceError if they
    have confirmed one already (two letters of one person to one office count once there, and would be sent twice)."""
    earlier = list(
        session.scalars(
            select(SupporterLetter)
            .join(Supporter, Supporter.id == SupporterLetter.supporter_id)
            .where(
                Supporter.email_canonical == email_canonical,
                SupporterLetter.campaign_id == campaign.id,
                SupporterLetter.recipient_id == recipient.id,
                SupporterLetter.status.in_((_W.PENDING, *CONFIRMED_STATES)),
            )
            .order_by(SupporterLetter.id.desc())
        )
    )
    if any(letter.status in CONFIRMED_STATES for letter in earlier):
        raise ServiceError(
            _(
                "Sie haben %(name)s in dieser Kampagne schon geschrieben. Ein zweiter Brief an dieselbe Person geht "
                "nicht; Ihren ersten finden Sie über den Link in der Bestätigungs-E-Mail. Schreiben Sie gern einer "
                "anderen Person.",
                name=recipient.full_name,
            ),
            "recipient",
        )
    return earlier[0] if earlier else None


def _clean_writer(writer: Writer, found: ErrorCollector) -> Writer | None:
    """The writer's details cleaned; None after noting in `found` what is wrong with them."""
    values = found.check(short_fields, writer, LIMITS, _REQUIRED)
    postcode = found.check(clean_postcode, writer.postcode) if writer.postcode.strip() else ""
    if values is not None and postcode is not None:
        values["postcode"] = postcode
    email = found.check(normalise_email, writer.email, field="email")
    return Writer(email=email, **values) if None not in (values, postcode, email) else None


@dataclass(frozen=True)
class LetterConsent:
    version: str
    text: str


# The consent a writer gives; its version is stored with each letter. A new wording gets a new version here
# (and the old one stays in CONSENT_VERSIONS, so exports can show what each writer agreed to).
LETTER_CONSENT = LetterConsent(
    "brief-2026-12-01",
    "Ich möchte diesen Brief in meinem Namen an die gewählte Person schicken. Ich willige ein, dass die Kampagne "
    "meinen Namen, meine E-Mail- und Postanschrift, den Brief und meine Antworten auf die spätere Nachfrage – und "
    "damit meine politische Meinung – dafür speichert und verarbeitet (Art. 9 Abs. 2 lit. a DSGVO), und dass der "
    "Brief mit meinem Namen und meiner Anschrift an die Person geht. Ich kann die Einwilligung jederzeit widerrufen.",
)
CONSENT_VERSIONS = {LETTER_CONSENT.version: LETTER_CONSENT.text}


def _known_consent(version: str) -> bool:
    return version in CONSENT_VERSIONS


def _supporter(session: Session, writer: Writer) -> Supporter:
    canonical = canonical_email(writer.email)
    supporter = session.scalar(select(Supporter).where(Supporter.email_canonical == canonical))
    if supporter is not None:
        return supporter
    supporter = Supporter(
        email=writer.email,
        email_canonical=canonical,
        first_name=writer.first_name,
        last_name=writer.last_name,
        postcode=writer.postcode,
        city=writer.city,
    )
    try:
        # A savepoint: the same person writing twice at the same moment finds the row the other request made.
        with session.begin_nested():
            session.add(supporter)
    except IntegrityError:
        return session.scalars(select(Supporter).where(Supporter.email_canonical == canonical)).one()
    return supporter


def _tokens(seed: str) -> tuple[tokens.IssuedToken, tokens.IssuedToken]:
    secret, subject = setting("SECRET_KEY"), f"supporter-letter:{seed}"
    return tokens.issue(secret, tokens.LETTER_CONFIRM, subject), tokens.issue(secret, tokens.LETTER_ACCESS, subject)


def access_token(letter: SupporterLetter) -> str:
    """The token of the letter's own page, made again from its seed (for the questionnaire mails)."""
    return _tokens(letter.token_seed)[1].token


def check_submission(session: Session, campaign: Campaign, submission: Submission) -> None:
    """FieldErrors naming every wrong field of `submission`, or nothing; writes nothing (for a form that has its own
    mistakes, so that one answer names all of them)."""
    _checked(session, campaign, submission)


def _checked(session: Session, campaign: Campaign, submission: Submission) -> tuple[Writer, Preview]:
    """The cleaned writer and the letter's preview; FieldErrors naming every wrong field otherwise."""
    found = ErrorCollector()
    writer = _clean_writer(submission.writer, found)
    letter = found.check(preview, session, campaign, submission.draft)
    if letter is not None and letter.variation.blocked:
        found.add(
            "own_text",
            _(
                "Ihr Brief gleicht fast wörtlich Briefen, die schon an diese Person gingen. Bitte schreiben Sie ihn "
                "mehr in eigenen Worten."
            ),
        )
    if submission.delivery not in ("email", "post"):
        found.add("delivery", _("Bitte wählen Sie, wie der Brief verschickt wird."))
    elif submission.delivery == "email" and letter is not None and not letter.may_email:
        found.add("delivery", _("Für diese Person haben wir keine E-Mail-Adresse: Bitte per Post schicken."))
    if not _known_consent(submission.consent_version):
        found.add("consent", _("Der Einwilligungstext hat sich geändert. Bitte lesen Sie ihn erneut."))
    if writer is not None and letter is not None:
        found.check(_unconfirmed_letter, session, campaign, canonical_email(writer.email), letter.recipient)
    found.raise_if_any()
    return writer, letter  # type: ignore[return-value]


@dataclass(frozen=True)
class Submitted:
    letter: SupporterLetter
    # The writer's unconfirmed letter to the same person now says this instead (a new one was not made).
    replaced: bool = False


def submit(session: Session, campaign: Campaign, submission: Submission, *, site_url: str) -> Submitted:
    """Record the letter as PENDING and queue the confirmation mail; FieldErrors say what to correct.

    One letter per writer (canonical address) and recipient in a campaign: a second one replaces the writer's
    unconfirmed letter (its links stay valid and confirm the new text) and a confirmed one refuses it. The writer's
    Supporter row is locked first, so two submissions at the same moment take turns and the second sees the first
    (on SQLite the request's write lock does the same).
    """
    writer, found = _checked(session, campaign, submission)
    supporter = _supporter(session, writer)
    session.execute(select(Supporter.id).where(Supporter.id == supporter.id).with_for_update())
    letter = _unconfirmed_letter(session, campaign, supporter.email_canonical, found.recipient)
    replaced = letter is not None
    if letter is None:
        letter = SupporterLetter(campaign=campaign, supporter=supporter, recipient=found.recipient)
        letter.token_seed = secrets.token_hex(16)
        session.add(letter)
    confirm, access = _tokens(letter.token_seed)
    values = dict(
        delivery=submission.delivery,
        argument_ids=list(submission.draft.argument_ids),
        own_text=submission.draft.own_text.strip(),
        letter_text=found.letter.letter_text,
        own_share=found.letter.own_share,
        similar_count=found.variation.similar,
        consent_version=submission.consent_version,
        consented_at=utcnow(),
        # Written anew: an unconfirmed letter expires counting from now, as its new confirmation link does.
        created_at=utcnow(),
        confirm_token_hash=confirm.digest,
        access_token_hash=access.digest,
        site_url=site_url[:300],
        locale=submission.locale[:8] or "de",
        **{name: getattr(writer, name) for name in ("first_name", "last_name", "email", *LIMITS)},
    )
    for name, value in values.items():
        setattr(letter, name, value)
    session.flush()
    mails.queue_confirmation(session, letter, confirm.token, access.token)
    return Submitted(letter, replaced)


def writer_of(letter: SupporterLetter) -> Writer:
    return Writer(
        first_name=letter.first_name, last_name=letter.last_name, email=letter.email,
        street=letter.street, postcode=letter.postcode, city=letter.city,
    )  # fmt: skip


def written(letter: SupporterLetter) -> WrittenLetter:
    """The letter composed again from what was stored (the arguments' current wording)."""
    if letter.recipient is None:
        raise ServiceError(_("Die Empfänger:in dieses Briefs gibt es nicht mehr."))
    return compose(letter.campaign, letter.recipient, letter.argument_ids, letter.own_text)


def reference_code(session: Session, letter: SupporterLetter) -> str:
    if not letter.reference_code:
        [letter.reference_code] = allocate_reference_codes(
            session, reference_prefix(letter.campaign, utcnow().date()), 1
        )
    return letter.reference_code
