"""Letter templates that try to escape the sandbox: raw markup in the letter, runaway loops, gigantic texts.

Each case is refused with a German message when the template is saved and again whenever a stored template is
rendered (preview page, letter HTML and text, the bulk job, the CLI). The resource cases assert a bound on the
work done by the render budget's own counter and by how many items a loop really took, and a bound on memory by
tracemalloc's peak; none of them measures wall-clock time.
"""

from __future__ import annotations

import re
import tracemalloc
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from campaign.db import db
from campaign.models import Campaign, CampaignArgument, FormOfAddress, Letter, Role, TemplateVersion
from campaign.services.common.markdown import ALLOWED_TAGS
from campaign.services.letters.compose import compose_letter
from campaign.services.letters.context import letter_context
from campaign.services.letters.limits import MAX_OPERATIONS, RenderBudget
from campaign.services.letters.sandbox import TemplateProblem, check_template, render_markup
from tests.factories import PASSWORD, make_recipient, make_user
from tests.factories_letter_ui import make_target
from tests.factories_letters import ON, make_argument, make_argument_set, make_letter_campaign

META_REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
AS_META = "meta http-equiv=refresh content=0;url=https://evil.example x"
AUTOESCAPE_OFF = "{{ salutation }},\n\n{% autoescape false %}{{ '" + META_REFRESH + "' }}{% endautoescape %}\n"
# Four loops over the arguments with nothing inside: 40 arguments make 2.5 million iterations.
NESTED_LOOPS = (
    "{% for a in arguments %}{% for b in arguments %}{% for c in arguments %}{% for d in arguments %}"
    "{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
)
HOSTILE_NAME = '<meta http-equiv="refresh" content="0;url=https://evil.example/">"><img src=x onerror=alert(1)>'
LINK_PARAGRAPH = "Die Kommunen brauchen Geld, sagt [die Studie](https://example.org/studie)."
MB = 1024 * 1024


@pytest.fixture
def app(app_factory):
    return app_factory(LETTER_RENDER_WORKERS=1)


@pytest.fixture
def login(app, client):
    """`login()` logs the client in as an organiser through the login form."""

    def log_in() -> None:
        with app.app_context():
            email = make_user(db.session, Role.ORGANISER).email
            db.session.commit()
        response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302

    return log_in


@dataclass(frozen=True)
class Letters:
    slug: str
    template: int
    version: int
    hostile: int


def _choose_arguments(session, campaign: Campaign, count: int) -> None:
    arguments = make_argument_set(session)
    campaign.argument_set = arguments
    chosen = [make_argument(session, arguments, paragraph=LINK_PARAGRAPH) for _ in range(count)]
    campaign.chosen_arguments = [CampaignArgument(argument=a, position=i) for i, a in enumerate(chosen)]
    session.flush()


@pytest.fixture
def letters(app) -> Letters:
    """A campaign with 40 chosen arguments (each linking a study) and a target whose name is markup."""
    with app.app_context():
        campaign, version, _ = make_letter_campaign(db.session)
        _choose_arguments(db.session, campaign, 40)
        hostile = make_recipient(
            db.session,
            form_of_address=FormOfAddress.FRAU,
            first_name="Ğülşen",
            last_name=HOSTILE_NAME,
            street="Severinstraße 5",
            postcode="50678",
            city="Köln",
            email="guelsen@example.org",
        )
        make_target(db.session, campaign, hostile)
        db.session.commit()
        return Letters(campaign.slug, version.template_id, version.id, hostile.id)


def _store(app, letters: Letters, *, body: str | None = None, subject: str | None = None) -> None:
    """Put a text into the stored version directly, as a template saved before the checks existed would be."""
    with app.app_context():
        version = db.session.get(TemplateVersion, letters.version)
        version.body = body if body is not None else version.body
        version.subject = subject if subject is not None else version.subject
        db.session.commit()


def _no_raw_markup(html: str) -> None:
    for smuggled in ("<meta http-equiv", "<img", "<iframe", "<object", "javascript:"):
        assert smuggled not in html


def _letter_sheet(page: str) -> str:
    return re.search(r'<article class="letter-sheet".*?</article>', page, re.S)[0]


def _generate(client, letters: Letters) -> dict[str, Any]:
    response = client.post(f"/organise/campaigns/{letters.slug}/letters/generate")
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"] + ".json").get_json()


def _stored_bodies(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Letter.body_html)))


# --- raw markup -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "named"),
    [
        (AUTOESCAPE_OFF, "autoescape"),
        ("{{ '" + META_REFRESH + "'|safe }}", "safe"),
        ("{{ salutation|forceescape }}", "forceescape"),
        ("{{ 'https://evil.example/'|urlize }}", "urlize"),
        ("<p{{ {'onmouseover': 'alert(1)'}|xmlattr }}>", "xmlattr"),
        ("{{ recipient|tojson }}", "tojson"),
        ("{% filter safe %}" + META_REFRESH + "{% endfilter %}", "filter"),
        ("{{ recipient|attr('nachname') }}", "attr"),
    ],
)
def test_saving_refuses_what_would_print_raw_markup(app, client, letters, login, source, named):
    login()
    response = client.post(
        f"/organise/templates/{letters.template}", data={"name": "Vorlage", "subject": "Betreff", "body": source}
    )
    assert response.status_code == 400
    error = re.search(r'id="body-error" class="field-error">(.*?)</small>', response.get_data(as_text=True), re.S)
    assert error and named in error[1]
    with app.app_context():
        assert db.session.get(TemplateVersion, letters.version).body != source


def test_a_stored_template_that_switches_off_autoescape_renders_nowhere(app, client, letters, login):
    _store(app, letters, body=AUTOESCAPE_OFF)
    login()
    query = f"?recipient={letters.hostile}"
    for path in ("preview", "letter.html", "letter.txt", "letters.docx"):
        response = client.get(f"/organise/campaigns/{letters.slug}/{path}{query}")
        assert response.status_code == 422, path
        page = response.get_data(as_text=True)
        assert "{% autoescape %} ist in Briefvorlagen nicht erlaubt" in page
        _no_raw_markup(page)
    state = _generate(client, letters)
    assert state["status"] == "failed" and "autoescape" in state["message"]
    assert _stored_bodies(app) == []


def test_filters_cannot_turn_a_paragraph_into_new_markup(app, client, letters, login):
    """An argument's paragraph is HTML (a link); rewriting it must not yield a meta refresh or a javascript: link."""
    _store(
        app,
        letters,
        body=(
            "{{ salutation }},\n\n{% for argument in arguments[:1] %}"
            "{{ argument.paragraph|replace('a href', '" + AS_META + "') }}\n"
            "{{ argument.paragraph|replace('https:', 'javascript:') }}\n"
            "{{ argument.paragraph|replace('a href', 'img src') }}\n"
            "{{ argument.paragraph[34:35] ~ argument.paragraph[36:] }}\n{% endfor %}"
        ),
    )
    login()
    preview = client.get(f"/organise/campaigns/{letters.slug}/preview?recipient={letters.hostile}")
    assert preview.status_code == 200
    sheet = _letter_sheet(preview.get_data(as_text=True))
    _no_raw_markup(sheet)
    assert "die Studie" in sheet  # the text of the link stays
    html = client.get(f"/organise/campaigns/{letters.slug}/letter.html?recipient={letters.hostile}")
    _no_raw_markup(html.get_data(as_text=True))
    assert _generate(client, letters)["status"] == "done"
    bodies = _stored_bodies(app)
    assert bodies
    for body in bodies:
        _no_raw_markup(body)


def test_hostile_recipient_names_stay_text_in_every_letter_view(app, client, letters, login):
    _store(app, letters, body="{{ salutation }},\n\nliebe {{ recipient.last_name }}, {{ recipient.full_name }}.\n")
    login()
    escaped = "&lt;meta http-equiv="
    preview = client.get(f"/organise/campaigns/{letters.slug}/preview?recipient={letters.hostile}")
    sheet = _letter_sheet(preview.get_data(as_text=True))
    _no_raw_markup(sheet)
    assert escaped in sheet
    html = client.get(f"/organise/campaigns/{letters.slug}/letter.html?recipient={letters.hostile}").get_data(True)
    _no_raw_markup(html)
    assert escaped in html
    assert _generate(client, letters)["status"] == "done"
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.recipient_id == letters.hostile))
        _no_raw_markup(letter.body_html)
        assert escaped in letter.body_html
        assert HOSTILE_NAME in letter.body_text  # the plain-text e-mail part is text, not HTML


def test_the_composed_body_keeps_only_the_allow_list_of_tags(db_session):
    campaign, version, _ = make_letter_campaign(db_session)
    _choose_arguments(db_session, campaign, 2)
    version.body = (
        "{% for argument in arguments %}{{ argument.paragraph|replace('a href', 'iframe src') }}\n\n"
        "{{ argument.paragraph|replace('a href', 'object data')|upper }}\n\n{% endfor %}"
    )
    hostile = make_recipient(db_session, last_name=HOSTILE_NAME)
    letter = compose_letter(campaign, hostile, on=ON, reference_code="T-1")
    tags = set(re.findall(r"<\s*/?\s*([a-zA-Z][\w-]*)", str(letter.body_html)))
    assert tags and tags <= ALLOWED_TAGS


# --- CPU --------------------------------------------------------------------------------------------------------------


class CountedList(list):
    """A list that counts the items taken from it, to show where a render really stopped."""

    taken = 0

    def __iter__(self):
        for item in super().__iter__():
            self.taken += 1
            yield item


def _context(session, arguments: int = 1) -> dict[str, Any]:
    campaign, _, _ = make_letter_campaign(session)
    _choose_arguments(session, campaign, arguments)
    return letter_context(campaign, make_recipient(session), reference_code="T-1", on=ON)


def test_nested_loops_stop_at_the_operation_budget(db_session):
    context = _context(db_session)
    items = CountedList(context["arguments"] * 60)  # 60 ** 4 = 13 million iterations if nothing stopped them
    context["arguments"] = items
    budget = RenderBudget()
    with pytest.raises(TemplateProblem, match="zu viele Rechenschritte") as refused:
        render_markup(NESTED_LOOPS, context, budget=budget)
    assert "Schleifen vereinfachen" in str(refused.value)
    assert budget.operations == MAX_OPERATIONS + 1
    assert items.taken <= MAX_OPERATIONS + 1  # each item is charged as it is taken


def test_the_time_limit_stops_a_render(db_session):
    context = _context(db_session, arguments=3)
    with pytest.raises(TemplateProblem, match="dauert zu lange"):
        render_markup(NESTED_LOOPS, context, budget=RenderBudget(seconds=0))


def test_a_preview_with_runaway_loops_is_refused(app, client, letters, login):
    _store(app, letters, body=NESTED_LOOPS)
    login()
    response = client.get(f"/organise/campaigns/{letters.slug}/preview?recipient={letters.hostile}")
    assert response.status_code == 422
    assert "zu viele Rechenschritte" in response.get_data(as_text=True)


def test_bulk_generation_and_the_cli_keep_the_budget(app, client, runner, letters, login, tmp_path):
    _store(app, letters, subject="Betreff " + NESTED_LOOPS)
    login()
    state = _generate(client, letters)
    assert state["status"] == "failed" and "zu viele Rechenschritte" in state["message"]
    _store(app, letters, subject="Betreff", body="{{ salutation }} " + NESTED_LOOPS)
    result = runner.invoke(args=["letters", "render", letters.slug, "--out", str(tmp_path)])
    assert result.exit_code != 0 and "zu viele Rechenschritte" in result.output
    assert _stored_bodies(app) == [] and not list(tmp_path.glob("*.pdf"))


# --- memory -----------------------------------------------------------------------------------------------------------

MEMORY_BOMBS = [
    ('{{ "%01000000000d"|format(1) }}', "übermäßig langen Text"),
    ('{{ "%01000000000d" % 1 }}', "übermäßig langen Text"),
    ('{{ "%.900000000f" % 1.5 }}', "übermäßig langen Text"),
    ("{{ salutation|center(200000000) }}", "übermäßig langen Text"),
    ("{{ salutation|indent(200000000) }}", "übermäßig langen Text"),
    ('{{ salutation|wordwrap(1, wrapstring="x" * 100000) }}', "übermäßig langen Text"),
    (
        '{{ salutation|replace("e", salutation * 100)|replace("e", salutation * 100)|replace("e", salutation * 100) }}',
        "langen Text",
    ),
    ('{{ ("x" * 150000) ~ ("x" * 150000) }}', "übermäßig langen Text"),
    ('{% set t = "x" * 100000 %}{{ [t, t, t, t, t]|join }}', "übermäßig langen Text"),
    ('{% set t = ["x" * 100000] * 5000 %}{{ t }}', "übermäßig langen Text"),
    ("{{ salutation * 100000000 }}", "übermäßig langen Text"),
    ('{{ [1]|batch(100000000, "x")|list }}', "zu groß"),
    ("{{ [1, 2]|slice(100000000, 1)|list }}", "zu groß"),
    ('{{ ("x" * 150000)|list|join }}', "mehr als 10.000 Einträgen"),
    ("{{ salutation.center(200000000) }}", "Methode „center“"),
    ("{{ salutation.ljust(200000000) }}", "Methode „ljust“"),
    ("{{ '{:>999999999}'.format(1) }}", "Methode „format“"),
    ("{{ (1).to_bytes(1000000000, 'big') }}", "Methode „to_bytes“"),
    ("{{ salutation[' center'[1:]](200000000) }}", "nicht erlaubt"),
    ('{% for a in arguments %}{{ "x" * 150000 }}{% endfor %}', "übermäßig langen Text"),
]


@pytest.mark.parametrize(("source", "message"), MEMORY_BOMBS)
def test_oversized_texts_are_refused_before_they_are_built(db_session, source, message):
    context = _context(db_session, arguments=200)
    tracemalloc.start()
    try:
        with pytest.raises(TemplateProblem, match=message):
            render_markup(source, context)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB


def test_a_stored_memory_bomb_is_refused_in_the_preview(app, client, letters, login):
    _store(app, letters, body='{{ "%01000000000d"|format(1) }}')
    login()
    response = client.get(f"/organise/campaigns/{letters.slug}/preview?recipient={letters.hostile}")
    assert response.status_code == 422
    assert "übermäßig langen Text erzeugen (mehr als 200.000 Zeichen)" in response.get_data(as_text=True)


def test_methods_that_build_texts_are_refused_when_saving():
    for source in ("{{ salutation.center(9) }}", "{{ salutation.zfill(9) }}", "{{ salutation.join(arguments) }}"):
        with pytest.raises(TemplateProblem, match="Methode"):
            check_template(source)
    check_template("{{ salutation.upper() }} {{ recipient.last_name.strip() }}")
    check_template("{% for a in arguments %}{{ loop.index }}. {{ loop.cycle('a', 'b') }}{% endfor %}")


@pytest.mark.parametrize(
    "source",
    [
        "{{ salutation" + "|upper" * 5000 + " }}",
        "{{ salutation" + "|trim" * 200 + " }}",
        "{{ salutation" + " + salutation" * 5000 + " }}",
        "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
        "{% if deadline %}" * 2000 + "{% endif %}" * 2000,
    ],
)
def test_templates_nested_beyond_reason_are_refused_not_a_server_error(app, client, letters, login, source):
    with pytest.raises(TemplateProblem, match="zu tief verschachtelt"):
        check_template(source)
    login()
    response = client.post(
        f"/organise/templates/{letters.template}", data={"name": "Vorlage", "subject": "Betreff", "body": source}
    )
    assert response.status_code == 400 and "zu tief verschachtelt" in response.get_data(as_text=True)
