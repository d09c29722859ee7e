"""Building outgoing e-mails: safe headers, a stable Message-ID, text and HTML parts, attachments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr

from flask_babel import gettext

from campaign.services.common.emails import normalise_email
from campaign.services.common.errors import ServiceError

# Line breaks and other control characters never reach a header: a name like "Eve\r\nBcc: x@y" stays one name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
MAX_DISPLAY_NAME = 120


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


@dataclass
class OutgoingMail:
    """Everything an outgoing e-mail consists of, before it becomes MIME bytes."""

    to_address: str
    subject: str
    text: str
    from_address: str
    from_name: str = ""
    to_name: str = ""
    reply_to: str = ""
    reply_to_name: str = ""
    html: str = ""
    attachments: Sequence[Attachment] = field(default_factory=tuple)
    # Confirmation mails and reminders are automated (RFC 3834), so auto-responders do not answer them;
    # letters to an office are not, because its answer is what the campaign is waiting for.
    automated: bool = False
    # Extra headers such as List-Unsubscribe; names are fixed by our code, values are cleaned like any other.
    headers: dict[str, str] = field(default_factory=dict)


def clean_header_text(text: str, limit: int = 300) -> str:
    """One line of header text: control characters and line breaks become spaces, runs of space collapse."""
    return " ".join(_CONTROL.sub(" ", text or "").split())[:limit]


def mailbox(address: str, name: str = "") -> Address:
    """An address with an optional display name, validated; non-ASCII names are encoded by the email package."""
    try:
        normalised = normalise_email(address)
    except ServiceError as exc:
        raise ServiceError(gettext("Ungültige Absender- oder Empfängeradresse: %(exc)s", exc=exc)) from exc
    local, _, domain = normalised.rpartition("@")
    return Address(display_name=clean_header_text(name, MAX_DISPLAY_NAME), username=local, domain=domain)


def parse_mailbox(value: str) -> tuple[str, str]:
    """(name, address) from a setting like 'Kampagne <kampagne@example.org>'."""
    name, address = parseaddr(value or "")
    return name, address


def message_domain(address: str) -> str:
    """The domain Message-IDs are made under: the sender's."""
    return address.rpartition("@")[2] or "localhost"


def new_message_id(domain: str) -> str:
    """A globally unique Message-ID (<…@domain>), made once when the mail is queued."""
    return make_msgid(domain=domain)


def build_message(mail: OutgoingMail, message_id: str) -> bytes:
    """The complete MIME message as bytes (CRLF line ends, encoded headers), built once and stored."""
    message = EmailMessage(policy=SMTP)
    message["From"] = mailbox(mail.from_address, mail.from_name)
    message["To"] = mailbox(mail.to_address, mail.to_name)
    if mail.reply_to:
        message["Reply-To"] = mailbox(mail.reply_to, mail.reply_to_name)
    message["Subject"] = clean_header_text(mail.subject, 300)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    if mail.automated:
        message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        message[name] = clean_header_text(value, 900)
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=clean_header_text(attachment.filename, 200),
        )
    return message.as_bytes()
