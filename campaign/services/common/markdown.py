"""The small Markdown subset of argument paragraphs (bold, italics, links, lists), rendered and sanitised."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "strong", "em", "a", "ul", "ol", "li", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Only the inline and list rules of the subset; raw HTML in the source is not interpreted at all.
_parser = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": False}).enable(
    ["emphasis", "link", "list", "newline", "escape", "backticks"]
)


def clean_html(html: str) -> Markup:
    """`html` with only the subset's tags, attributes and link schemes left (a meta refresh, an <img>, a
    javascript: link are removed; their text, if any, stays as text)."""
    return Markup(
        nh3.clean(
            str(html),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )


def render_markdown(source: str) -> Markup:
    """HTML for a paragraph in the subset; anything outside it (scripts, events, javascript: links) is removed."""
    # backticks produce <code>, which the subset does not keep: nh3 unwraps it to text.
    return clean_html(_parser.render(source or ""))


_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def markdown_to_text(source: str) -> str:
    """Plain text for e-mails: emphasis markers dropped, links written as „Text (URL)“."""
    text = _LINK.sub(lambda match: f"{match[1]} ({match[2]})" if match[2] else match[1], source or "")
    return _EMPHASIS.sub(r"\2", text)
