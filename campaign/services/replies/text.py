"""The words of a reply: HTML made into text, a forward unwrapped, the quoted original and the signature cut off.

Libraries: mail-parser-reply (RAUSYS, MIT) finds where the answer ends in German and English mails — "Am … schrieb
…:", "On … wrote:", Outlook's "Von:/Gesendet:/An:/Betreff:" and "From:/Sent:" blocks, "-----Original Message-----"
— and which lines are the signature ("-- ", "Mit freundlichen Grüßen", "Best regards", "Gesendet von meinem
iPhone"); a closing it does not know („Herzliche Grüße“ and a name) is cut by our own rule below. quotequail
(Close, MIT) unwraps a forwarded message into its headers and text. inscriptis (MIT) lays out HTML as text
(paragraphs, lists, tables); nh3 first removes scripts, styles and everything but plain structure.

Why these: mail-parser-reply is kept up (releases through 2025) and knows German clients, unlike GitHub's
email-reply-parser (English only, last release 2020) and Mailgun's talon (last release 2017, needs scikit-learn);
flanker (2019) parses MIME, which Python's email package with policy.default does well itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

import nh3
import quotequail
from inscriptis import get_text
from inscriptis.model.config import ParserConfig
from mailparser_reply.parser import EmailMessage

LANGUAGES = ["de", "en"]
# Structure that survives the sanitising step; everything else is unwrapped to its text.
HTML_TAGS = {
    *("p", "br", "div", "span", "blockquote", "pre", "hr"),
    *("ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "u", "a"),
}
HTML_DROPPED_WITH_CONTENT = {"script", "style", "title", "template", "noscript", "object", "iframe", "svg"}
FORWARD_SUBJECT = re.compile(r"^\s*(?:wg|fw|fwd|wtr|tr|weitergeleitet)\s*:", re.IGNORECASE)
FORWARD_MARKER = re.compile(
    r"weitergeleitete nachricht|forwarded message|begin forwarded message|anfang der weitergeleiteten",
    re.IGNORECASE,
)
QUOTED_LINE = re.compile(r"^\s*>")
# Separator lines an Outlook or webmail answer may leave at its end once the quote below them is cut.
TRAILING_SEPARATOR = re.compile(
    r"(?:\n\s*(?:-{3,}\s*(?:ursprüngliche nachricht|original message)\s*-{3,}|_{10,}|-{10,})\s*)+\Z", re.IGNORECASE
)
# A closing line ("Herzliche Grüße", "Kind regards") with at most a few lines of name and office below it.
CLOSING = re.compile(
    r"^[ \t]*(?:mit (?:den )?(?:freundlichen|besten|herzlichen|solidarischen) grüß?(?:en|ssen)|mit freundlichem gruß"
    r"|(?:freundliche|viele|beste|herzliche|liebe|solidarische|schöne) grüß?(?:e|sse)|gruß|gruss"
    r"|best regards|kind regards|regards|yours sincerely|sincerely|best wishes|all the best|cheers)\b[^\n]*"
    r"(?:\n[^\n]*){0,5}\Z",
    re.IGNORECASE | re.MULTILINE,
)
_CONFIG = ParserConfig(display_links=False, display_images=False)


@dataclass(frozen=True)
class Forwarded:
    """A message that someone forwarded to us: who wrote the original, and what."""

    from_name: str
    from_address: str
    subject: str
    text: str
    note: str


def html_to_text(html: str) -> str:
    """Text of an HTML-only mail: sanitised first (no scripts, styles, tracking images), then laid out as text."""
    if not html.strip():
        return ""
    cleaned = nh3.clean(
        html, tags=HTML_TAGS, attributes={}, clean_content_tags=HTML_DROPPED_WITH_CONTENT, link_rel=None
    )
    return get_text(cleaned, _CONFIG).strip()


def unwrap_forward(text: str, subject: str) -> Forwarded | None:
    """The forwarded message inside `text`, if the mail is a forward (by its subject or a forwarding line)."""
    if not (FORWARD_SUBJECT.match(subject or "") or FORWARD_MARKER.search(text)):
        return None
    found = quotequail.unwrap(text)
    if not found or found.get("type") != "forward":
        return None
    name, address = parseaddr(found.get("from") or "")
    return Forwarded(
        from_name=name.strip(),
        from_address=address.strip().lower(),
        subject=" ".join((found.get("subject") or "").split()),
        text=found.get("text") or "",
        note=(found.get("text_top") or "").strip(),
    )


def reply_text(text: str) -> str:
    """The answer at the top of a mail, without the quoted original and without the signature.

    A bottom-posted answer (quote first, answer below) keeps its own lines: quoted lines are dropped wherever
    they stand. If nothing would be left, the unquoted text is kept rather than nothing.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    message = EmailMessage(text=text, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    answer = message.replies[0].body if message.replies else text
    answer = _without_quoted_lines(answer)
    if not answer:
        answer = _without_quoted_lines(text)
    answer = TRAILING_SEPARATOR.sub("", answer).strip()
    return without_closing(answer) or answer or text


def without_closing(text: str) -> str:
    """The text without its closing formula and the few lines of name and office below it."""
    return CLOSING.sub("", text.strip()).strip()


def _without_quoted_lines(text: str) -> str:
    lines = [line for line in text.split("\n") if not QUOTED_LINE.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
