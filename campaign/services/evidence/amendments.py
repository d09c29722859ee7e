"""Amendment drafts (Änderungsanträge): replacement texts for provisions, phrased and exported as a PDF."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from flask_babel import gettext
from jinja2 import Environment
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Campaign, Motion, Provision, User
from campaign.services.common.audit import record
from campaign.services.common.dates import german_date
from campaign.services.common.errors import ServiceError
from campaign.services.common.labels import label
from campaign.services.common.markdown import render_markdown
from campaign.services.common.text import format_thousands
from campaign.services.evidence.numbering import (
    NumberedLine,
    number_lines,
    paragraphs,
    passage_text,
)
from campaign.services.letters.pdf import LETTERS_DIR, render_pdf

# Stored as the amendment text when the whole passage is to be struck out. The model has no separate
# field for the kind of amendment; this marker reads sensibly wherever the raw text shows up.
DELETION = "[Streichung]"
MAX_AMENDMENT_LENGTH = 20_000
AMENDMENTS_CSS = LETTERS_DIR / "amendments.css"

# Equal words between two changes up to which both are phrased as one replacement (more readable).
_MERGE_GAP = 2
# Below this share of unchanged words, the whole passage is replaced in one sentence.
_REWRITE_SHARE = 0.4
_PARAGRAPH = "\n"


@dataclass(frozen=True)
class AmendmentChange:
    """One instruction of an amendment: replace, strike or insert words at given lines."""

    kind: str  # "replace" | "delete" | "insert"
    line_from: int
    line_to: int
    old: str = ""
    new: str = ""
    # For insertions: the words the new text goes after (or, with before=True, in front of); empty means
    # "after the last line of the passage".
    anchor: str = ""
    before: bool = False
    new_paragraph: bool = False

    @property
    def lines(self) -> str:
        if self.line_from == self.line_to:
            return f"Zeile {self.line_from}"
        return f"Zeile {self.line_from} bis {self.line_to}"

    def sentence(self) -> str:
        """The instruction in the usual German form, e.g. „In Zeile 112 bis 118 wird „…“ ersetzt durch „…“.“"""
        if self.kind == "replace":
            sentence = f"In {self.lines} wird „{self.old}“ ersetzt durch „{self.new}“"
        elif self.kind == "delete":
            sentence = f"In {self.lines} streichen: „{self.old}“"
        elif not self.anchor:
            where = "als neuen Absatz " if self.new_paragraph else ""
            sentence = f"Nach Zeile {self.line_to} {where}einfügen: „{self.new}“"
        else:
            position = "vor" if self.before else "nach"
            sentence = f"In Zeile {self.line_from} {position} „{self.anchor}“ einfügen: „{self.new}“"
        # German punctuation: a quote that ends a sentence takes the full stop of the whole sentence along.
        return sentence if sentence[:-1].endswith((".", "!", "?")) else sentence + "."

    def sentence_html(self) -> Markup:
        """The sentence as HTML, paragraph breaks inside the quotes as <br>."""
        return Markup("<br>").join(escape(part) for part in self.sentence().split("\n"))


@dataclass(frozen=True)
class AmendmentDraft:
    # Ä1, Ä2 … counts only drafts that can be phrased (0 for the others), as in the PDF.
    number: int
    provision: Provision
    changes: tuple[AmendmentChange, ...]
    # Why the draft cannot be phrased (empty if it can).
    problem: str = ""

    @property
    def lines(self) -> str:
        start, end = self.provision.line_from, self.provision.line_to
        return f"Zeile {start}" if start == end else f"Zeile {start} bis {end}"


def is_deletion(provision: Provision) -> bool:
    return provision.amendment_text.strip() == DELETION


def passage_of(motion: Motion, provision: Provision) -> list[NumberedLine]:
    """The provision's lines, or [] when it has no range or the range lies beyond the text."""
    if not provision.line_from or not provision.line_to:
        return []
    lines = number_lines(motion.full_text)
    if provision.line_to > len(lines) or provision.line_from > provision.line_to:
        return []
    return lines[provision.line_from - 1 : provision.line_to]


def save_amendment(
    session: Session, provision: Provision, text: str, *, delete_passage: bool = False, user: User | None = None
) -> None:
    """Store the replacement text for a provision's lines, or (delete_passage) strike the whole passage."""
    passage = passage_of(provision.motion, provision)
    if not passage:
        raise ServiceError(
            gettext("Für einen Änderungsantrag braucht der Kernpunkt einen Zeilenbereich, der im Antragstext liegt."),
            "text",
        )
    if delete_passage:
        new_text = DELETION
    else:
        new_text = "\n\n".join(paragraphs(text))
        if not new_text:
            raise ServiceError(
                gettext(
                    "Bitte den neuen Wortlaut eingeben – oder „Passage streichen“ wählen, um sie ganz zu streichen."
                ),
                "text",
            )
        if len(new_text) > MAX_AMENDMENT_LENGTH:
            raise ServiceError(
                gettext(
                    "Der neue Wortlaut darf höchstens %(MAX_AMENDMENT_LENGTH)s Zeichen lang sein.",
                    MAX_AMENDMENT_LENGTH=format_thousands(MAX_AMENDMENT_LENGTH),
                ),
                "text",
            )
        if new_text == passage_text(passage):
            raise ServiceError(
                gettext("Der neue Wortlaut ist mit dem Antragstext identisch; es gibt nichts zu ändern."), "text"
            )
    if new_text == provision.amendment_text:
        return
    provision.amendment_text = new_text
    record(
        session,
        "provision.amendment",
        provision,
        user=user,
        motion_id=provision.motion_id,
        kind="deletion" if delete_passage else "text",
        chars=len(new_text),
    )


def clear_amendment(session: Session, provision: Provision, *, user: User | None = None) -> None:
    if not provision.amendment_text:
        raise ServiceError(gettext("Zu diesem Kernpunkt gibt es keinen Änderungsantrag."))
    provision.amendment_text = ""
    record(session, "provision.amendment_clear", provision, user=user, motion_id=provision.motion_id)


# ---------------------------------------------------------------------------------------------------------------
# Phrasing
# ---------------------------------------------------------------------------------------------------------------


def _old_tokens(passage: list[NumberedLine]) -> list[tuple[str, int]]:
    """Words of the passage with the line each starts on; paragraph breaks are a token of their own."""
    tokens: list[tuple[str, int]] = []
    for line in passage:
        words = line.text.split(" ")
        if line.starts_paragraph and tokens:
            tokens.append((_PARAGRAPH, line.number))
        elif line.continues_word and tokens:
            # The rest of an overlong word: it belongs to the word on the line before.
            tokens[-1] = (tokens[-1][0] + words[0], tokens[-1][1])
            words = words[1:]
        tokens.extend((word, line.number) for word in words if word)
    return tokens


def _new_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for index, paragraph in enumerate(paragraphs(text)):
        if index:
            tokens.append(_PARAGRAPH)
        tokens.extend(paragraph.split(" "))
    return tokens


def _join(words: list[str]) -> str:
    """Words back to text; paragraph tokens become line breaks, none at the edges."""
    text = " ".join(words).replace(f" {_PARAGRAPH} ", _PARAGRAPH)
    return text.strip(f" {_PARAGRAPH}")


def compute_changes(passage: list[NumberedLine], amendment_text: str) -> list[AmendmentChange]:
    """The instructions that turn the passage into the amendment text, each with its own line numbers."""
    if not passage:
        return []
    old = _old_tokens(passage)
    if amendment_text.strip() == DELETION:
        return [AmendmentChange("delete", old[0][1], old[-1][1], old=passage_text(passage))]
    old_words = [word for word, _ in old]
    new_words = _new_tokens(amendment_text)
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    groups: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if groups and i1 - groups[-1][1] <= _MERGE_GAP and j1 - groups[-1][3] <= _MERGE_GAP:
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i1, i2, j1, j2])
    if not groups:
        return []
    unchanged = sum(size for _, _, size in matcher.get_matching_blocks())
    if len(groups) > 1 and unchanged < _REWRITE_SHARE * len(old_words):
        groups = [[0, len(old_words), 0, len(new_words)]]
    return [_change(old, new_words, *group) for group in groups]


def _change(old: list[tuple[str, int]], new_words: list[str], i1: int, i2: int, j1: int, j2: int) -> AmendmentChange:
    old_part, new_part = [word for word, _ in old[i1:i2]], new_words[j1:j2]
    if old_part and new_part:
        return AmendmentChange("replace", old[i1][1], old[i2 - 1][1], old=_join(old_part), new=_join(new_part))
    if old_part:
        return AmendmentChange("delete", old[i1][1], old[i2 - 1][1], old=_join(old_part))
    new_text = _join(new_part)
    if i1 == len(old):
        last = old[-1][1]
        return AmendmentChange("insert", last, last, new=new_text, new_paragraph=new_part[0] == _PARAGRAPH)
    if i1 == 0:
        line = old[0][1]
        return AmendmentChange("insert", line, line, new=new_text, anchor=_anchor(old, 0, before=True), before=True)
    line = old[i1 - 1][1]
    return AmendmentChange("insert", line, line, new=new_text, anchor=_anchor(old, i1 - 1, before=False))


def _anchor(old: list[tuple[str, int]], index: int, *, before: bool) -> str:
    """The shortest run of words (up to four) at `index` that occurs only once on its line."""
    line = old[index][1]
    line_words = [word for word, number in old if number == line and word != _PARAGRAPH]
    line_text = " " + " ".join(line_words) + " "
    phrase = old[index][0]
    for size in range(1, 5):
        if before:
            words = [word for word, _ in old[index : index + size] if word != _PARAGRAPH]
        else:
            words = [word for word, _ in old[max(0, index - size + 1) : index + 1] if word != _PARAGRAPH]
        phrase = " ".join(words)
        if line_text.count(f" {phrase} ") <= 1:
            break
    return phrase


def amendment_drafts(motion: Motion) -> list[AmendmentDraft]:
    """The motion's amendment drafts in provision order, numbered Ä1, Ä2 …"""
    lines = number_lines(motion.full_text)
    drafts: list[AmendmentDraft] = []
    number = 0
    for provision in motion.provisions:
        if not provision.amendment_text:
            continue
        fits = provision.line_from and provision.line_to and provision.line_from <= provision.line_to <= len(lines)
        if not fits:
            problem = "Der Zeilenbereich passt nicht mehr zum Antragstext; bitte den Kernpunkt prüfen."
            drafts.append(AmendmentDraft(0, provision, (), problem))
            continue
        passage = lines[provision.line_from - 1 : provision.line_to]
        changes = tuple(compute_changes(passage, provision.amendment_text))
        if not changes:
            drafts.append(AmendmentDraft(0, provision, (), "Der Entwurf stimmt mit dem Antragstext überein."))
            continue
        number += 1
        drafts.append(AmendmentDraft(number, provision, changes))
    return drafts


# ---------------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------------

_ENV = Environment(autoescape=True, keep_trailing_newline=True)
_DOCUMENT = _ENV.from_string(
    """<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<title>Änderungsanträge zu „{{ motion.title }}“</title>
{% if submitter %}<meta name="author" content="{{ submitter }}">{% endif %}
</head>
<body>
<header class="document-head">
  <p class="kicker">Änderungsanträge</p>
  <h1>zum {{ kind }} „{{ motion.title }}“</h1>
  <dl class="facts">
    {% if presented_by %}<dt>Vorgelegt von</dt><dd>{{ presented_by }}</dd>{% endif %}
    {% if decided_by %}<dt>Beschlussgremium</dt><dd>{{ decided_by }}</dd>{% endif %}
    {% if submitter %}<dt>Antragsteller:in</dt><dd>{{ submitter }}</dd>{% endif %}
  </dl>
</header>
{% for draft in drafts %}
<section class="amendment">
  <h2>Ä{{ draft.number }} zu {{ draft.lines }}: {{ draft.provision.title }}</h2>
  {% for change in draft.changes %}<p class="instruction">{{ change.sentence_html() }}</p>
  {% endfor %}
  {% set arguments = draft.provision.arguments %}
  {% if arguments %}
  <h3>Begründung</h3>
  {% for argument in arguments %}
  <div class="reason"><p class="claim">{{ argument.claim }}</p>{{ markdown(argument.paragraph) }}</div>
  {% endfor %}
  {% endif %}
</section>
{% endfor %}
</body>
</html>
"""
)


def amendments_html(motion: Motion, drafts: list[AmendmentDraft], *, submitter: str = "") -> str:
    return _DOCUMENT.render(
        motion=motion,
        drafts=drafts,
        kind=label(motion.kind),
        presented_by=", ".join(part for part in (motion.body, motion.party, german_date(motion.presented_on)) if part),
        decided_by=", ".join(part for part in (motion.decision_forum, german_date(motion.decision_date)) if part),
        submitter=submitter,
        markdown=render_markdown,
    )


def submitter_for(session: Session, motion: Motion) -> str:
    """The organisation behind the campaigns about this motion, if they all have the same one."""
    names = {
        campaign.organisation.name
        for campaign in session.scalars(select(Campaign).where(Campaign.motion_id == motion.id))
        if campaign.organisation is not None
    }
    return names.pop() if len(names) == 1 else ""


def render_amendments_pdf(motion: Motion, *, submitter: str = "", stylesheet: Path = AMENDMENTS_CSS) -> bytes:
    """All phrasable drafts of a motion as one PDF; a ServiceError if there are none."""
    drafts = [draft for draft in amendment_drafts(motion) if draft.changes]
    if not drafts:
        raise ServiceError(
            gettext("Zu diesem Antrag gibt es noch keine Änderungsanträge, die sich exportieren lassen.")
        )
    return render_pdf(amendments_html(motion, drafts, submitter=submitter), stylesheets=(stylesheet,))
