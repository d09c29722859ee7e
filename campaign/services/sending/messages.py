"""Building outgoing e-mails: safe headers, a stable Message-ID, text and HTML parts, attachments."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import quoprimime
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid, parseaddr

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
        raise ServiceError(f"Ungültige Absender- oder Empfängeradresse: {exc}") from exc
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
    if _plain(mail):
        return _plain_message(mail, message_id)
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


# RFC 5322 recommends at most 78 characters a line; quoted-printable lines stay within 76.
_LINE = 78
_CRLF = "\r\n"


def _plain(mail: OutgoingMail) -> bool:
    """A text-only mail to and from plain ASCII addresses (the confirmation mails of every signature)."""
    return not (mail.html or mail.attachments or mail.headers or mail.reply_to) and (
        mail.to_address.isascii() and mail.from_address.isascii()
    )


def _plain_message(mail: OutgoingMail, message_id: str) -> bytes:
    """The same message as the email package builds, written directly: it is built once for every signature,
    and the package's header objects made up a third of a signing request's time.

    Headers are RFC 2047-encoded and folded by email.header; the body is 7bit when it is ASCII with short
    lines, else quoted-printable (both as the package chooses them). Addresses are validated as in mailbox().
    """
    headers = [
        ("From", _address_header(mail.from_address, mail.from_name, "From")),
        ("To", _address_header(mail.to_address, mail.to_name, "To")),
        ("Subject", _text_header(clean_header_text(mail.subject, 300).rstrip(), "Subject")),
        ("Date", formatdate(localtime=False, usegmt=True)),
        ("Message-ID", clean_header_text(message_id, 900)),
    ]
    if mail.automated:
        headers.append(("Auto-Submitted", "auto-generated"))
    lines = mail.text.encode("utf-8").splitlines()
    body = b"\n".join(lines) + b"\n"
    if body.isascii() and max((len(line) for line in lines), default=0) <= _LINE:
        encoding, payload = "7bit", body.decode("ascii").replace("\n", _CRLF)
    else:
        encoding, payload = "quoted-printable", quoprimime.body_encode(body.decode("latin-1"), _LINE, eol=_CRLF)
    headers += [
        ("Content-Type", 'text/plain; charset="utf-8"'),
        ("Content-Transfer-Encoding", encoding),
        ("MIME-Version", "1.0"),
    ]
    head = "".join(f"{name}: {value}{_CRLF}" for name, value in headers)
    return (head + _CRLF + payload).encode("ascii")


@functools.lru_cache(maxsize=64)
def _valid_ascii_address(address: str) -> str:
    """The normalised address (the sender's is the same in every mail, so it is checked once)."""
    return str(mailbox(address).addr_spec)


def _address_header(address: str, name: str, header_name: str) -> str:
    sender = header_name == "From"
    checked = _valid_ascii_address(address) if sender else str(mailbox(address).addr_spec)
    display = clean_header_text(name, MAX_DISPLAY_NAME)
    if not display:
        return checked
    if display.isascii():
        return _encoded(formataddr((display, checked)), header_name)
    # Only the sender's name is kept in the cache: a supporter's name stays in no process longer than its request.
    return f"{(_text_header if sender else _encoded)(display, header_name)} <{checked}>"


def _encoded(text: str, header_name: str) -> str:
    """The header's value, RFC 2047-encoded where it is not ASCII, folded to lines of at most 78 characters."""
    return Header(text, None if text.isascii() else "utf-8", header_name=header_name).encode(linesep=_CRLF)


# A campaign's mails share their subject and sender, and encoding them is slow: once per process and text.
_text_header = functools.lru_cache(maxsize=256)(_encoded)
