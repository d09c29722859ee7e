"""A generated letter as an e-mail: the organisation as sender, the reference code in the subject, text and HTML."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Letter, OutboxMessage
from campaign.services.common.errors import ServiceError
from campaign.services.letters.batch.plan import letter_filename
from campaign.services.letters.compose import compose_letter
from campaign.services.letters.context import original_fields
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.replies.matching import reply_address_for
from campaign.services.sending.messages import Attachment, OutgoingMail, clean_header_text, parse_mailbox

EMAIL_HTML = Markup(
    '<!doctype html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n<title>{subject}</title>\n</head>\n'
    "<body>\n{body}\n<p><small>Unser Zeichen: {code}</small></p>\n</body>\n</html>\n"
)


@dataclass(frozen=True)
class MailSettings:
    """The instance's mail settings a letter needs: MAIL_FROM and REPLY_ADDRESS (with {code})."""

    mail_from: str
    reply_address: str = ""

    @classmethod
    def from_config(cls, config: dict) -> MailSettings:
        return cls(mail_from=config["MAIL_FROM"], reply_address=config.get("REPLY_ADDRESS") or "")

    @property
    def envelope_from(self) -> str:
        return parse_mailbox(self.mail_from)[1]


def letter_subject(letter: Letter) -> str:
    """The letter's subject with its reference code, which replies keep and the reply import matches on; once only,
    when the template already writes it into the subject."""
    subject = clean_header_text(letter.subject, 250)
    if letter.reference_code and letter.reference_code in subject:
        return subject
    return f"{subject} [{letter.reference_code}]"


def letter_pdf(letter: Letter) -> Attachment:
    """The letter as a PDF, composed from the version and recipient it was generated from, dated as generated."""
    if letter.recipient is None:
        raise ServiceError(
            _("Brief %(reference_code)s: die Empfänger:in gibt es nicht mehr.", reference_code=letter.reference_code)
        )
    on = (letter.rendered_at or letter.created_at).date()
    composed = compose_letter(
        letter.campaign,
        letter.recipient,
        on=on,
        reference_code=letter.reference_code,
        template_version=letter.template_version,
        original=original_fields(letter.follow_up_of),
    )
    return Attachment(filename=letter_filename(composed.printable()), content=render_letters_pdf([composed]))


def original_message_id(session: Session, letter: Letter) -> str:
    """For a follow-up: the Message-ID its first letter went out with ("" for a first letter or one sent by post)."""
    if letter.follow_up_of_id is None:
        return ""
    statement = select(OutboxMessage.message_id).where(OutboxMessage.letter_id == letter.follow_up_of_id)
    return session.scalar(statement.order_by(OutboxMessage.id.desc()).limit(1)) or ""


def letter_mail(
    letter: Letter, settings: MailSettings, *, pdf: Attachment | None = None, in_reply_to: str = ""
) -> OutgoingMail:
    """The e-mail of a generated letter (its stored text and HTML), addressed to the snapshot's address.

    A follow-up names its first letter's Message-ID (`in_reply_to`), so mail programs show both in one thread and
    an answer that quotes either is matched.
    """
    if not letter.recipient_email:
        raise ServiceError(
            _(
                "Brief %(reference_code)s an %(recipient_name)s hat keine E-Mail-Adresse.",
                reference_code=letter.reference_code,
                recipient_name=letter.recipient_name,
            )
        )
    organisation = letter.campaign.organisation
    default_name, default_address = parse_mailbox(settings.mail_from)
    from_name = organisation.name if organisation else default_name
    from_address = organisation.email if organisation and organisation.email else default_address
    code = letter.reference_code
    text = f"{letter.body_text.rstrip()}\n\nUnser Zeichen: {code}\n"
    html = EMAIL_HTML.format(subject=letter.subject, body=Markup(letter.body_html), code=code)
    return OutgoingMail(
        to_address=letter.recipient_email,
        to_name=letter.recipient_name,
        subject=letter_subject(letter),
        text=text,
        html=str(html),
        from_address=from_address,
        from_name=from_name,
        reply_to=reply_address_for(settings.reply_address, code),
        reply_to_name=from_name,
        attachments=(pdf,) if pdf else (),
        headers={"In-Reply-To": in_reply_to, "References": in_reply_to} if in_reply_to else {},
    )
