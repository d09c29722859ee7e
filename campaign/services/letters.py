"""Letter templates: the sandboxed Jinja environment, the merge-field whitelist and the checks on save."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from campaign.models import Campaign, Recipient
from campaign.services.errors import ServiceError
from campaign.services.salutation import salutation_for

# The only top-level names a letter template may use (documented in letters/README.md).
MERGE_FIELDS: dict[str, str] = {
    "salutation": "Anrede ohne Komma, z. B. „Sehr geehrte Frau Dr. Doğan“",
    "recipient": "Empfänger:in: first_name, last_name, full_name, title, function, organisation, "
    "unterbezirk, kreis, wahlkreis, kommune, city",
    "sender": "Absender: name, short_name, city, email, website",
    "motion": "Antrag: title, kind, party, body, presented_on, decision_forum, decision_date",
    "campaign": "Kampagne: title, deadline",
    "provisions": "Kernpunkte des Antrags (Liste): title, summary, stance",
    "arguments": "Ausgewählte Argumente (Liste): claim, paragraph",
    "deadline": "Antwortfrist der Kampagne, z. B. „15. Dezember 2026“",
    "reference_code": "Unser Zeichen dieses Briefs",
    "date": "Datum des Briefs, z. B. „23. November 2026“",
}

GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


class TemplateProblem(ServiceError):
    """A template that cannot be saved or rendered; the message names the line or field."""


def german_date(value: date | None) -> str:
    """„26. Januar 2026“ (empty for None)."""
    return f"{value.day}. {GERMAN_MONTHS[value.month - 1]} {value.year}" if value else ""


def _environment() -> ImmutableSandboxedEnvironment:
    # Letters never share an environment with web pages: no globals, no custom filters, no loader.
    env = ImmutableSandboxedEnvironment(autoescape=True, keep_trailing_newline=True)
    env.globals.clear()
    return env


_ENV = _environment()


def check_template(source: str) -> None:
    """Raise TemplateProblem for a syntax error (with its line) or a field outside the whitelist."""
    try:
        parsed = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"Syntaxfehler in Zeile {exc.lineno}: {exc.message}") from exc
    unknown = sorted(meta.find_undeclared_variables(parsed) - MERGE_FIELDS.keys())
    if unknown:
        raise TemplateProblem(
            "Unbekannte Platzhalter: " + ", ".join(unknown) + ". Erlaubt sind: " + ", ".join(MERGE_FIELDS) + "."
        )


@dataclass(frozen=True)
class RenderedText:
    html: Markup
    text: str


def render_template_text(source: str, context: dict[str, Any]) -> RenderedText:
    """Render a checked template with plain-data context; sandbox violations become TemplateProblem."""
    check_template(source)
    try:
        html = Markup(_ENV.from_string(source).render(**context))
    except SecurityError as exc:
        raise TemplateProblem(f"Nicht erlaubter Zugriff in der Vorlage: {exc}") from exc
    except UndefinedError as exc:
        raise TemplateProblem(f"Unbekanntes Feld in der Vorlage: {exc.message}") from exc
    return RenderedText(html=html, text=html.unescape())


def letter_context(
    campaign: Campaign, recipient: Recipient, *, reference_code: str, on: date, arguments: list[Any] | None = None
) -> dict[str, Any]:
    """The merge fields for one letter, as plain dicts so templates can reach no model internals."""
    motion, sender = campaign.motion, campaign.organisation
    chosen = arguments if arguments is not None else (campaign.argument_set.arguments if campaign.argument_set else [])
    return {
        "salutation": salutation_for(recipient),
        "recipient": {
            name: getattr(recipient, name)
            for name in (
                "first_name",
                "last_name",
                "full_name",
                "title",
                "function",
                "organisation",
                "unterbezirk",
                "kreis",
                "wahlkreis",
                "kommune",
                "city",
            )
        },
        "sender": {
            "name": sender.name if sender else "",
            "short_name": sender.short_name if sender else "",
            "city": sender.city if sender else "",
            "email": sender.email if sender else "",
            "website": sender.website if sender else "",
        },
        "motion": {
            "title": motion.title if motion else "",
            "kind": motion.kind.value if motion else "",
            "party": motion.party if motion else "",
            "body": motion.body if motion else "",
            "presented_on": german_date(motion.presented_on) if motion else "",
            "decision_forum": motion.decision_forum if motion else "",
            "decision_date": german_date(motion.decision_date) if motion else "",
        },
        "campaign": {"title": campaign.title, "deadline": german_date(campaign.deadline)},
        "provisions": [
            {"title": p.title, "summary": p.summary, "stance": p.stance.value}
            for p in (motion.provisions if motion else [])
        ],
        "arguments": [{"claim": a.claim, "paragraph": a.paragraph} for a in chosen],
        "deadline": german_date(campaign.deadline),
        "reference_code": reference_code,
        "date": german_date(on),
    }
