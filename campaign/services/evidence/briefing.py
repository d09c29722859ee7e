"""The briefing („Argumentationshilfe“): a motion's provisions with arguments and citations, as PDF and Markdown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from campaign.models import Argument, ArgumentSet, Motion, Provision
from campaign.services.common.dates import german_date
from campaign.services.common.labels import label
from campaign.services.evidence.citations import Citation, escape_markdown, format_citation
from campaign.services.evidence.numbering import NumberedLine, quoted_lines
from campaign.services.letters.pdf import LETTERS_DIR, render_pdf

BRIEFING_CSS = LETTERS_DIR / "briefing.css"

_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_ESCAPE_OR_ANGLE = re.compile(r"\\[\s\S]|[<>]")
_BLOCK_START = re.compile(r"^(\s*)(#|>|\[[^\]]*\]:)", re.MULTILINE)


@dataclass(frozen=True)
class BriefingCitation:
    reference: Citation
    quote: str


@dataclass(frozen=True)
class BriefingArgument:
    """An argument with its number in the briefing (A1, A2 …) and its formatted evidence."""

    number: int
    argument: Argument
    citations: list[BriefingCitation]

    @property
    def label(self) -> str:
        return f"A{self.number}"


@dataclass(frozen=True)
class BriefingEntry:
    item: BriefingArgument
    # The argument was already given in full under an earlier provision; later ones refer back to it.
    repeated: bool


@dataclass(frozen=True)
class BriefingProvision:
    number: int
    provision: Provision
    lines: list[NumberedLine]
    entries: list[BriefingEntry]

    @property
    def stance_label(self) -> str:
        return label(self.provision.stance)


@dataclass(frozen=True)
class Briefing:
    motion: Motion
    argument_set: ArgumentSet
    provisions: list[BriefingProvision]
    # Arguments of the set that address none of this motion's provisions.
    other_arguments: list[BriefingArgument]
    sources: list[Citation]

    @property
    def title(self) -> str:
        return f"Argumentationshilfe: {self.motion.title}"

    @property
    def facts(self) -> list[str]:
        """Party, body, presentation and decision of the motion, as short phrases."""
        motion = self.motion
        facts = [part for part in (motion.party, motion.body) if part]
        if motion.presented_on:
            facts.append(f"vorgelegt am {german_date(motion.presented_on)}")
        if motion.decision_forum:
            decision = f"Entscheidung: {motion.decision_forum}"
            if motion.decision_date:
                decision += f" am {german_date(motion.decision_date)}"
            facts.append(decision)
        return facts


def build_briefing(motion: Motion, argument_set: ArgumentSet) -> Briefing:
    """Arrange the set's arguments under the motion's provisions, with full citations.

    Arguments are numbered A1, A2 … in the order a reader meets them; one that addresses several
    provisions is given in full the first time and referred back to afterwards.
    """
    arguments = sorted(argument_set.arguments, key=lambda argument: (argument.position, argument.id))
    ordered = sorted(motion.provisions, key=lambda provision: (provision.position, provision.id))
    linked = {provision.id: [a for a in arguments if provision in a.provisions] for provision in ordered}
    items: dict[int, BriefingArgument] = {}

    def item(argument: Argument) -> BriefingArgument:
        if argument.id not in items:
            items[argument.id] = BriefingArgument(len(items) + 1, argument, _citations(argument))
        return items[argument.id]

    provisions = []
    for number, provision in enumerate(ordered, start=1):
        entries = []
        for argument in linked[provision.id]:
            repeated = argument.id in items
            entries.append(BriefingEntry(item(argument), repeated=repeated))
        lines = quoted_lines(motion.full_text, provision.line_from, provision.line_to)
        provisions.append(BriefingProvision(number, provision, lines, entries))
    others = [item(argument) for argument in arguments if argument.id not in items]
    sources = {
        citation.source.id: format_citation(citation.source)
        for argument in arguments
        for citation in argument.citations
    }
    return Briefing(
        motion=motion,
        argument_set=argument_set,
        provisions=provisions,
        other_arguments=others,
        sources=sorted(sources.values(), key=lambda citation: citation.text.lower()),
    )


def _citations(argument: Argument) -> list[BriefingCitation]:
    return [
        BriefingCitation(
            reference=format_citation(
                citation.source, page=citation.page or (citation.quote.page if citation.quote else "")
            ),
            quote=citation.quote.text if citation.quote else "",
        )
        for citation in argument.citations
    ]


def briefing_filename(motion: Motion, extension: str) -> str:
    """„argumentationshilfe-<slug>.pdf“, reduced to characters that are safe in a download header."""
    slug = re.sub(r"[^a-z0-9]+", "-", (motion.slug or "").lower()).strip("-") or "antrag"
    return f"argumentationshilfe-{slug}.{extension}"


def render_briefing_pdf(html: str) -> bytes:
    """The briefing's HTML (templates/organise/arguments/briefing_print.html) as PDF, with letters/briefing.css."""
    return render_pdf(html, stylesheets=(BRIEFING_CSS,))


# Markdown -------------------------------------------------------------------------------------------------------


def safe_markdown(paragraph: str) -> str:
    """An argument paragraph for a Markdown file: the subset kept, anything a viewer could run or fetch defused.

    Raw HTML is escaped, images become plain links, links other than http(s)/mailto keep only their text,
    and lines that would start a heading, quote or link definition are escaped.
    """
    text = (paragraph or "").replace("\r\n", "\n")
    # Existing backslash escapes are kept as pairs, so a "\\" cannot un-escape the "<" that follows it.
    text = _ESCAPE_OR_ANGLE.sub(lambda match: match[0] if len(match[0]) == 2 else "\\" + match[0], text)

    def link(match: re.Match[str]) -> str:
        label, url = match[2], match[3]
        if _SAFE_LINK.match(url):
            return f"[{label}]({url})"
        return label

    text = _LINK.sub(link, text)
    return _BLOCK_START.sub(lambda match: match[1] + "\\" + match[2], text)


def _argument_markdown(item: BriefingArgument, level: str) -> list[str]:
    argument = item.argument
    out = [f"{level} {item.label}. {escape_markdown(argument.claim)}", ""]
    meta = [f"Haltung: {label(argument.stance)}"]
    if argument.tags:
        meta.append("Schlagworte: " + escape_markdown(", ".join(argument.tags)))
    out += ["*" + " · ".join(meta) + "*", ""]
    if argument.paragraph:
        out += [safe_markdown(argument.paragraph), ""]
    if item.citations:
        out += ["**Belege:**", ""]
        for citation in item.citations:
            out.append(f"- {citation.reference.markdown()}")
            if citation.quote:
                out.append(f"  > „{escape_markdown(' '.join(citation.quote.split()))}“")
        out.append("")
    else:
        out += ["*Noch ohne Beleg.*", ""]
    return out


def briefing_markdown(briefing: Briefing) -> str:
    """The briefing as a Markdown document for supporters who write or phone."""
    out = [f"# {escape_markdown(briefing.title)}", ""]
    if briefing.facts:
        out += [escape_markdown(" · ".join(briefing.facts)), ""]
    out += [f"Argumentationsset: {escape_markdown(briefing.argument_set.title)}", ""]
    if briefing.argument_set.description:
        out += [escape_markdown(briefing.argument_set.description), ""]
    for section in briefing.provisions:
        provision = section.provision
        heading = f"## {section.number}. {escape_markdown(provision.title)}"
        if provision.line_from and provision.line_to:
            heading += f" (Zeilen {provision.line_from}–{provision.line_to})"
        out += [heading, "", f"Unsere Haltung: **{section.stance_label}**", ""]
        if provision.summary:
            out += [escape_markdown(provision.summary), ""]
        if section.lines:
            quoted = [f"> {line.number:>4}  {escape_markdown(line.text)}" for line in section.lines]
            # A trailing backslash is Markdown's explicit line break, so each motion line stays a line.
            out += [line + "\\" for line in quoted[:-1]] + [quoted[-1], ""]
        if not section.entries:
            out += ["*Zu diesem Kernpunkt gibt es im Set noch kein Argument.*", ""]
        for entry in section.entries:
            if entry.repeated:
                out += [f"- {entry.item.label}. {escape_markdown(entry.item.argument.claim)} (siehe oben)", ""]
            else:
                out += _argument_markdown(entry.item, "###")
    if briefing.other_arguments:
        out += ["## Weitere Argumente aus dem Set", ""]
        for item in briefing.other_arguments:
            out += _argument_markdown(item, "###")
    if briefing.sources:
        out += ["## Quellen", ""]
        out += [f"- {citation.markdown()}" for citation in briefing.sources]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
