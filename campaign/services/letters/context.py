"""The merge fields of one letter (as plain data the sandbox can offer safely) and its numbered sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from campaign.models import Argument, Campaign, Letter, Motion, Recipient
from campaign.services.common.dates import german_date, german_day
from campaign.services.common.markdown import markdown_to_text, render_markdown
from campaign.services.evidence.citations import Citation, format_citation
from campaign.services.letters.merge_fields import BY_NAME, with_aliases
from campaign.services.letters.salutation import salutation_for
from campaign.services.letters.selection import select_arguments


@dataclass(frozen=True)
class Endnotes:
    """Numbered sources of a letter's arguments, and each argument's note numbers."""

    citations: list[Citation]
    numbers: dict[int, list[int]]


def endnotes_for(arguments: Sequence[Argument]) -> Endnotes:
    """Number each cited (source, page) once, in the order the arguments cite them."""
    numbering: dict[tuple[int, str], int] = {}
    citations: list[Citation] = []
    numbers: dict[int, list[int]] = {}
    for argument in arguments:
        own: list[int] = []
        for citation in argument.citations:
            page = citation.page or (citation.quote.page if citation.quote else "") or ""
            key = (citation.source_id, page)
            if key not in numbering:
                citations.append(format_citation(citation.source, page=page))
                numbering[key] = len(citations)
            if numbering[key] not in own:
                own.append(numbering[key])
        numbers[id(argument)] = own
    return Endnotes(citations=citations, numbers=numbers)


def _note_marks(numbers: list[int]) -> str:
    return "[" + ", ".join(str(number) for number in numbers) + "]" if numbers else ""


def _inline_markdown(source: str) -> Markup:
    """An argument paragraph as HTML; a single paragraph without its <p>, so templates can continue the sentence."""
    html = render_markdown(source).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return Markup(html[3:-4])
    return Markup(html)


def _part_names(field: str) -> list[str]:
    return [part.name for part in BY_NAME[field].parts]


def _motion_fields(motion: Motion | None) -> dict[str, str]:
    if motion is None:
        return dict.fromkeys(_part_names("motion"), "")
    return {
        "title": motion.title,
        "kind": motion.kind.value,
        "party": motion.party,
        "body": motion.body,
        "presented_on": german_date(motion.presented_on),
        "decision_forum": motion.decision_forum,
        "decision_date": german_date(motion.decision_date),
    }


def original_fields(letter: Letter | None) -> dict[str, str] | None:
    """The first letter's fields for a follow-up to it (`erster_brief`): its code, when it left, its subject."""
    if letter is None:
        return None
    left = letter.delivered_on or (german_day(letter.sent_at) if letter.sent_at else None)
    return {"reference_code": letter.reference_code, "sent_on": german_date(left), "subject": letter.subject}


def letter_context(
    campaign: Campaign,
    recipient: Recipient,
    *,
    reference_code: str,
    on: date,
    arguments: list[Any] | None = None,
    for_html: bool = False,
    original: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The merge fields for one letter (also under their German aliases), as plain dicts so templates can reach no
    model internals.

    Without `arguments`, the campaign's selection for this recipient is used (select_arguments). With
    `for_html`, argument paragraphs are sanitised HTML (Markup); otherwise plain text for e-mails. `original` holds
    the first letter's fields in a follow-up (empty in every other letter).
    """
    motion, sender = campaign.motion, campaign.organisation
    chosen = arguments if arguments is not None else select_arguments(campaign, recipient)
    notes = endnotes_for(chosen).numbers if chosen and isinstance(chosen[0], Argument) else {}
    fields = {
        "salutation": salutation_for(recipient),
        "recipient": {name: getattr(recipient, name) or "" for name in _part_names("recipient")},
        "sender": {name: (getattr(sender, name) or "") if sender else "" for name in _part_names("sender")},
        "motion": _motion_fields(motion),
        "campaign": {"title": campaign.title, "deadline": german_date(campaign.deadline)},
        "provisions": [
            {"title": p.title, "summary": p.summary, "stance": p.stance.value}
            for p in (motion.provisions if motion else [])
        ],
        "arguments": [
            {
                "claim": a.claim,
                "paragraph": _inline_markdown(a.paragraph) if for_html else markdown_to_text(a.paragraph),
                "notes": _note_marks(notes.get(id(a), [])),
            }
            for a in chosen
        ],
        "deadline": german_date(campaign.deadline),
        "reference_code": reference_code,
        "date": german_date(on),
        "original": {name: (original or {}).get(name, "") for name in _part_names("original")},
    }
    return with_aliases(fields)
