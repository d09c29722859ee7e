"""The briefing („Argumentationshilfe“): structure, numbering, citations, and a Markdown file that stays harmless."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from sqlalchemy import select

from campaign.models import ArgumentSet, Motion
from campaign.services.demo import seed_demo
from campaign.services.evidence import arguments
from campaign.services.evidence.briefing import briefing_filename, briefing_markdown, build_briefing, safe_markdown
from tests.factories import make_motion
from tests.factories_arguments import make_argument, make_argument_set, make_provision, make_source

FULL_TEXT = (
    "Präambel: Wir wollen ein gerechtes Land.\n\n"
    "Abschiebungen sollen vollständig zur Aufgabe des Landes werden.\n\n"
    "Die Kommunen erhalten mehr Geld für Integration, Schulen und Wohnungsbau."
)


def _motion_with_two_provisions(session):
    motion = make_motion(session, full_text=FULL_TEXT, party="SPD NRW", body="Landesvorstand")
    first = make_provision(session, motion, title="Abschiebungen", line_from=2, line_to=2, summary="Landesaufgabe")
    second = make_provision(session, motion, title="Kommunen", line_from=3, line_to=3)
    return motion, first, second


def test_demo_briefing_covers_every_provision_with_lines_arguments_and_sources(db_session):
    seed_demo(db_session)
    motion = db_session.scalar(select(Motion))
    briefing = build_briefing(motion, db_session.scalar(select(ArgumentSet)))
    assert [section.provision for section in briefing.provisions] == list(motion.provisions)
    assert all(section.lines and section.entries for section in briefing.provisions)
    assert briefing.other_arguments == []
    assert len(briefing.sources) == 4
    assert any(citation.link == "https://doi.org/10.59350/hpz3x-qh641" for citation in briefing.sources)

    text = briefing_markdown(briefing)
    assert text.startswith("# Argumentationshilfe: NRW, jetzt erst gerecht\n")
    assert "## 1. Bündelung im Innenministerium (Zeilen 9–12)" in text
    assert "Unsere Haltung: **Ablehnung**" in text
    first_line = briefing.provisions[0].lines[0]
    assert f">    {first_line.number}  {first_line.text}\\" in text
    assert "<https://doi.org/10.59350/hpz3x-qh641>" in text
    assert "## Quellen" in text


def test_arguments_are_numbered_as_met_and_repeated_ones_refer_back(db_session):
    motion, first, second = _motion_with_two_provisions(db_session)
    source = make_source(db_session, title="Studie", publisher="DeZIM", quotes=("Migration ist eine Chance.",))
    argument_set = make_argument_set(db_session, title="Set", description="Für Telefonate")
    # Set order: the "Kommunen" argument first, but the briefing meets "Abschiebungen" first.
    communal = make_argument(db_session, argument_set, claim="Kommunen stärken", provisions=[second])
    both = make_argument(db_session, argument_set, claim="Bleibeperspektiven wirken", provisions=[first, second])
    arguments.add_citation(db_session, both, source, quote=source.quotes[0], page="4")
    other = make_argument(db_session, argument_set, claim="Etwas anderes", provisions=[make_provision(db_session)])

    briefing = build_briefing(motion, argument_set)
    assert [(e.item.label, e.item.argument, e.repeated) for e in briefing.provisions[0].entries] == [
        ("A1", both, False)
    ]
    assert [(e.item.label, e.item.argument, e.repeated) for e in briefing.provisions[1].entries] == [
        ("A2", communal, False),
        ("A1", both, True),
    ]
    assert [item.argument for item in briefing.other_arguments] == [other]
    assert briefing.provisions[0].lines[0].text.startswith("Abschiebungen sollen")

    text = briefing_markdown(briefing)
    assert "### A1. Bleibeperspektiven wirken" in text
    assert "- A1. Bleibeperspektiven wirken (siehe oben)" in text
    assert "- DeZIM (o. J.): „Studie“. S. 4." in text
    assert "  > „Migration ist eine Chance.“" in text
    assert "*Noch ohne Beleg.*" in text
    assert "## Weitere Argumente aus dem Set" in text and "### A3. Etwas anderes" in text
    assert "SPD NRW · Landesvorstand" in text and "Für Telefonate" in text


def test_provision_without_argument_is_marked(db_session):
    motion, _first, _second = _motion_with_two_provisions(db_session)
    text = briefing_markdown(build_briefing(motion, make_argument_set(db_session)))
    assert text.count("Zu diesem Kernpunkt gibt es im Set noch kein Argument.") == 2
    assert "## Quellen" not in text


def test_hostile_paragraph_cannot_run_or_fetch_anything_when_the_file_is_rendered(db_session):
    motion, first, _second = _motion_with_two_provisions(db_session)
    argument_set = make_argument_set(db_session)
    make_argument(
        db_session,
        argument_set,
        claim="*Stern* <b onmouseover=alert(1)>fett</b>",
        provisions=[first],
        paragraph=(
            "Gut **so** und [Quelle](https://example.org/a).\n"
            "<script>alert(1)</script>\n"
            "[klick](javascript:alert(1)) [mail](mailto:a@example.org)\n"
            "\\<img src=x onerror=alert(1)>\n"
            "![Bild](https://evil.example/pixel.png)\n"
            "# Überschrift\n"
            "[ref]: javascript:alert(1)\n"
            "<https://evil.example/auto>"
        ),
    )
    text = briefing_markdown(build_briefing(motion, argument_set))
    # Rendered by a full CommonMark renderer with raw HTML switched on, as other tools would.
    html = MarkdownIt("commonmark").render(text)
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", html, re.IGNORECASE)
    # The image became a plain link (nothing is fetched when the file is opened); javascript: is gone.
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs == ["https://example.org/a", "mailto:a@example.org", "https://evil.example/pixel.png"]
    assert "<strong>so</strong>" in html
    assert "<h1>Überschrift</h1>" not in html
    assert "<em>Stern</em>" not in html and "*Stern*" in html


def test_safe_markdown_keeps_the_subset():
    assert safe_markdown("**fett**, *kursiv*, [x](https://e.org)\n- a\n- b") == (
        "**fett**, *kursiv*, [x](https://e.org)\n- a\n- b"
    )
    assert safe_markdown("a < b") == "a \\< b"
    # An escaped backslash cannot un-escape the angle bracket after it.
    assert safe_markdown("\\\\<script>") == "\\\\\\<script\\>"


def test_filename_is_safe_for_a_download_header(db_session):
    motion = make_motion(db_session)
    motion.slug = 'nrw-"jetzt"/gerecht'
    assert briefing_filename(motion, "pdf") == "argumentationshilfe-nrw-jetzt-gerecht.pdf"
