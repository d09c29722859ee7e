"""The Markdown subset of argument paragraphs: what it keeps, and that hostile input is stripped or escaped."""

from __future__ import annotations

import html as html_module
import re

import pytest

from campaign.services.common.markdown import markdown_to_text, render_markdown


def test_subset_renders_bold_italics_links_and_lists():
    html = str(render_markdown("**fett** und *kursiv*, [Studie](https://example.org/s?a=1&b=2)\n\n- eins\n- zwei"))
    assert "<strong>fett</strong>" in html and "<em>kursiv</em>" in html
    assert '<a href="https://example.org/s?a=1&amp;b=2" rel="noopener noreferrer">Studie</a>' in html
    assert "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>" in html


def test_umlauts_and_unicode_names_pass_through():
    assert str(render_markdown("Grüße an Ayşe Yılmaz, Paweł Łukasiewicz und Renée")) == (
        "<p>Grüße an Ayşe Yılmaz, Paweł Łukasiewicz und Renée</p>\n"
    )


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "Text <SCRIPT src=https://evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_script_tags_are_never_markup(source):
    html = str(render_markdown(source)).lower()
    assert "<script" not in html
    assert "&lt;script" in html or "&lt;scr" in html


@pytest.mark.parametrize(
    "source",
    [
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "[klick](&#106;avascript:alert(1))",
        "[klick](%6Aavascript:alert(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
        "[klick](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_never_become_links(source):
    hrefs = [html_module.unescape(value) for value in re.findall(r'href="([^"]*)"', str(render_markdown(source)))]
    # A percent-encoded scheme stays a harmless relative address; no href may start a script or data scheme.
    assert not [href for href in hrefs if re.match(r"\s*(javascript|vbscript|data):", href, re.IGNORECASE)]


@pytest.mark.parametrize(
    "source",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        '<p onmouseover="alert(1)">x</p>',
        "<svg onload=alert(1)>",
        '[x](https://example.org "title" onclick="alert(1)")',
    ],
)
def test_raw_html_and_event_attributes_are_escaped(source):
    html = str(render_markdown(source))
    assert "<img" not in html and "<svg" not in html
    # Whatever survives of the raw HTML is text: no tag carries an on* attribute.
    assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", html, re.IGNORECASE)


def test_elements_outside_the_subset_are_dropped_to_text():
    html = str(render_markdown("# Überschrift\n\n![Bild](https://example.org/x.png)\n\n`code`"))
    assert "<h1>" not in html and "<img" not in html and "<code>" not in html
    assert "Überschrift" in html and "code" in html


def test_empty_and_none_render_empty():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""


def test_markdown_to_text_for_emails():
    assert markdown_to_text("**Wichtig**: siehe [Studie](https://example.org) und _hier_") == (
        "Wichtig: siehe Studie (https://example.org) und hier"
    )
