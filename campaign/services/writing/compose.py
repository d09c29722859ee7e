"""A supporter's letter put together: greeting, the arguments they chose in their order, their own words, closing.

Nothing a supporter types is ever template source: their paragraph is escaped text, the arguments are the
campaign's sanitised Markdown, and the print layout is the letters pipeline's (DIN 5008, same typesetter).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from campaign.models import Argument, Campaign, Recipient
from campaign.services.common.dates import german_date, today_in_germany
from campaign.services.common.errors import ServiceError
from campaign.services.common.markdown import markdown_to_text, render_markdown
from campaign.services.common.text import fold_text
from campaign.services.letters.compose import address_lines
from campaign.services.letters.context import endnotes_for
from campaign.services.letters.layout import CLOSING, PrintableLetter, render_letters_pdf
from campaign.services.letters.salutation import salutation_for
from campaign.services.letters.selection import available_arguments
from campaign.services.writing.variation import own_share, words

MAX_OWN_TEXT = 4000
MAX_ARGUMENTS = 12
# Fewer own words than this and the preview encourages the writer to say more.
ENCOURAGE_BELOW = 0.3
# A letter without arguments needs at least this many words of the writer's own: three words are no letter (and
# the preview would call them „100 % in Ihren eigenen Worten“).
MIN_WORDS_WITHOUT_ARGUMENTS = 20
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")
NO_CODE = "wird beim Versand vergeben"


@dataclass(frozen=True)
class Writer:
    """Who signs the letter (their address is its sender block)."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def address(self) -> list[str]:
        return [line for line in (self.street, f"{self.postcode} {self.city}".strip()) if line]


@dataclass(frozen=True)
class WrittenLetter:
    """The composed letter: its parts as HTML and text, and how much of it is the writer's own."""

    subject: str
    salutation: str
    # Not part of letter_text: the same in every letter, it is neither the writer's words nor compared.
    opening: str
    paragraphs_html: tuple[Markup, ...]
    paragraphs_text: tuple[str, ...]
    letter_text: str
    own_share: float
    own_words: int
    endnotes: tuple[str, ...]
    address_lines: tuple[str, ...]
    recipient_name: str

    @property
    def encourage(self) -> bool:
        return self.own_share < ENCOURAGE_BELOW

    def full_text(self, writer: Writer, reference_code: str = "") -> str:
        """The whole letter as plain text (the e-mail to the office and the stored record)."""
        parts = [
            f"{self.salutation},",
            self.opening,
            *self.paragraphs_text,
            CLOSING,
            "\n".join([writer.name, *writer.address]),
        ]
        if self.endnotes:
            parts.append("Quellen\n" + "\n".join(self.endnotes))
        if reference_code:
            parts.append(f"Zeichen: {reference_code}")
        return "\n\n".join(part for part in parts if part)

    def full_html(self, writer: Writer) -> Markup:
        """The whole letter as an HTML fragment (preview and e-mail)."""
        html = Markup("<p>{},</p>\n").format(self.salutation)
        html += self._body()
        signature = Markup("<br>").join([escape(writer.name), *(escape(line) for line in writer.address)])
        html += Markup("\n<p>{}</p>\n<p>{}</p>").format(CLOSING, signature)
        if self.endnotes:
            items = Markup("").join(Markup("<li>{}</li>").format(note) for note in self.endnotes)
            html += Markup('\n<h2>Quellen</h2>\n<ul class="endnotes">{}</ul>').format(items)
        return html

    def printable(self, writer: Writer, reference_code: str = "") -> PrintableLetter:
        """The letter for the DIN 5008 layout, with the writer as sender."""
        body = self._body()
        return PrintableLetter(
            reference_code=reference_code or NO_CODE,
            subject=self.subject,
            greeting_html=str(escape(self.salutation + ",")),
            body_html=str(body),
            address_lines=self.address_lines,
            date_text=german_date(today_in_germany()),
            return_line=" · ".join([writer.name, *writer.address]),
            sender_name=writer.name,
            sender_contact=(("E-Mail", writer.email),) if writer.email else (),
            letterhead_note="",
            signatories=((writer.name, ""),) if writer.name else (),
            endnotes=tuple((number, note, "") for number, note in enumerate(self.endnotes, start=1)),
            recipient_name=self.recipient_name,
            reference_label="Mein Zeichen",
        )

    def _body(self) -> Markup:
        return _blocks((escape(self.opening), *self.paragraphs_html))

    def pdf(self, writer: Writer, reference_code: str = "") -> bytes:
        return render_letters_pdf([self.printable(writer, reference_code)])


def offered_arguments(campaign: Campaign) -> list[Argument]:
    """The arguments a supporter may choose from: the campaign's choice, else its whole argument set."""
    chosen = [choice.argument for choice in campaign.chosen_arguments]
    return chosen or available_arguments(campaign)


def chosen_arguments(campaign: Campaign, argument_ids: Sequence[int]) -> list[Argument]:
    """The offered arguments with these ids, in the given order; ServiceError for ids that are not offered."""
    offered = {argument.id: argument for argument in offered_arguments(campaign)}
    if len(argument_ids) > MAX_ARGUMENTS:
        raise ServiceError(_("Bitte höchstens %(max)s Argumente wählen.", max=MAX_ARGUMENTS), "arguments")
    if any(argument_id not in offered for argument_id in argument_ids):
        raise ServiceError(_("Diese Argumente gehören nicht zur Kampagne."), "arguments")
    return [offered[argument_id] for argument_id in dict.fromkeys(argument_ids)]


def clean_own_text(text: str) -> str:
    """The own paragraph with line ends unified and trailing space removed; ServiceError if too long."""
    text = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    text = text.strip()
    if len(text) > MAX_OWN_TEXT:
        raise ServiceError(_("Ihr Absatz ist zu lang: höchstens %(max)s Zeichen, bitte.", max=MAX_OWN_TEXT), "own_text")
    return text


def subject_for(campaign: Campaign) -> str:
    """The campaign's title, after the motion's title unless it names the motion already („NRW, jetzt erst gerecht:
    Leitantrag „NRW, jetzt erst gerecht“ überarbeiten“ said it twice)."""
    motion = campaign.motion
    if not motion or not motion.title or fold_text(motion.title) in fold_text(campaign.title):
        return campaign.title
    return f"{motion.title}: {campaign.title}"


def opening_for(campaign: Campaign) -> str:
    """The letter's first sentence, which says what it is about. It starts in lower case, as German text after a
    salutation ending in a comma does; a paragraph of the writer's or of the campaign's coming first could start
    with a noun, so neither is changed."""
    motion = campaign.motion
    if motion and motion.title:
        return f"ich schreibe Ihnen zum Antrag „{motion.title}“."
    return f"ich schreibe Ihnen zum Anliegen „{campaign.title}“."


def compose(campaign: Campaign, recipient: Recipient, argument_ids: Sequence[int], own_text: str) -> WrittenLetter:
    """The supporter's letter to `recipient`; ServiceError if it would say nothing at all."""
    arguments = chosen_arguments(campaign, argument_ids)
    own = clean_own_text(own_text)
    if not arguments and not own:
        raise ServiceError(_("Bitte wählen Sie mindestens ein Argument oder schreiben Sie einen eigenen Absatz."), "")
    html = [render_markdown(argument.paragraph or argument.claim) for argument in arguments]
    text = [markdown_to_text(argument.paragraph or argument.claim) for argument in arguments]
    own_blocks = [block.strip() for block in _PARAGRAPHS.split(own) if block.strip()]
    html += [Markup("<br>\n").join(escape(line) for line in block.split("\n")) for block in own_blocks]
    text += own_blocks
    # render_markdown returns whole <p> elements; the layout wants their inside, as it adds <p> itself.
    inner = tuple(_unwrap(part) for part in html)
    letter_text = "\n\n".join(text)
    campaign_texts = [
        markdown_to_text(argument.paragraph or argument.claim) for argument in offered_arguments(campaign)
    ]
    share = own_share(letter_text, campaign_texts)
    notes = endnotes_for(arguments)
    return WrittenLetter(
        subject=subject_for(campaign),
        salutation=salutation_for(recipient),
        opening=opening_for(campaign),
        paragraphs_html=inner,
        paragraphs_text=tuple(text),
        letter_text=letter_text,
        own_share=share,
        own_words=round(share * len(words(letter_text))),
        endnotes=tuple(f"[{number}] {citation}" for number, citation in enumerate(notes.citations, start=1)),
        address_lines=tuple(address_lines(recipient)),
        recipient_name=recipient.full_name,
    )


_BLOCK = re.compile(r"^<(p|ul|ol|h[1-6]|blockquote)[\s>]")


def _blocks(parts: Sequence[Markup]) -> Markup:
    """Each part as a paragraph, unless it is block HTML already (a multi-paragraph argument)."""
    return Markup("\n").join(part if _BLOCK.match(part) else Markup("<p>{}</p>").format(part) for part in parts)


def _unwrap(html: Markup) -> Markup:
    value = str(html).strip()
    if value.startswith("<p>") and value.endswith("</p>") and value.count("<p>") == 1:
        return Markup(value[3:-4])
    return Markup(value)
