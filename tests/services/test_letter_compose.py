"""Composing letters: salutations, address blocks, escaping, the template sandbox, argument selection and sources."""

from __future__ import annotations

import pytest

from campaign.models import FormOfAddress
from campaign.services.letters.compose import address_lines, compose_letter
from campaign.services.letters.context import letter_context
from campaign.services.letters.fetcher import LetterAssetFetcher
from campaign.services.letters.layout import letters_html, render_letters_pdf
from campaign.services.letters.sandbox import TemplateProblem, check_template, render_template_text
from campaign.services.letters.selection import select_arguments
from tests.factories import make_recipient
from tests.factories_letters import (
    ON,
    choose,
    make_argument,
    make_argument_set,
    make_letter_campaign,
    make_source,
    pdf_text,
)
from tests.support.recording_server import recording_server

F = FormOfAddress


@pytest.mark.parametrize(
    ("values", "salutation"),
    [
        ({"form_of_address": F.FRAU, "first_name": "Ayşe", "last_name": "Karadağ"}, "Sehr geehrte Frau Karadağ"),
        ({"form_of_address": F.FRAU, "title": "Dr.", "last_name": "Doğan"}, "Sehr geehrte Frau Dr. Doğan"),
        ({"form_of_address": F.HERR, "first_name": "Paweł", "last_name": "Kowalczyk"}, "Sehr geehrter Herr Kowalczyk"),
        (
            {"form_of_address": F.HERR, "title": "Prof. Dr.", "last_name": "Kückelhaus"},
            "Sehr geehrter Herr Prof. Dr. Kückelhaus",
        ),
        ({"form_of_address": F.DIVERS, "first_name": "Kim", "last_name": "Nowak"}, "Guten Tag Kim Nowak"),
        ({"form_of_address": F.UNBEKANNT, "first_name": "Renée", "last_name": "SSöł"}, "Guten Tag Renée SSöł"),
        (
            {"form_of_address": F.UNBEKANNT, "title": "Dr.", "first_name": "Ana", "last_name": "Ćosić"},
            "Guten Tag Dr. Ana Ćosić",
        ),
        (
            {"form_of_address": F.GRUPPE, "first_name": "", "last_name": "", "group_name": "Mitglieder der SPD"},
            "Sehr geehrte Mitglieder der SPD",
        ),
        (
            {"form_of_address": F.GRUPPE, "first_name": "", "last_name": "", "organisation": "SPD Köln"},
            "Sehr geehrte Damen und Herren",
        ),
        ({"form_of_address": F.FRAU, "first_name": "Erika", "last_name": ""}, "Sehr geehrte Damen und Herren"),
    ],
)
def test_every_salutation_opens_the_letter(db_session, values, salutation):
    campaign, _, _ = make_letter_campaign(db_session)
    recipient = make_recipient(db_session, **values)
    letter = compose_letter(campaign, recipient, on=ON, reference_code="T-1")
    assert letter.salutation == salutation
    assert letter.body_text.startswith(salutation + ",\n\n")
    assert letter.body_html.startswith(f"<p>{salutation},</p>")


def test_a_template_without_salutation_still_gets_one(db_session):
    campaign, _, _ = make_letter_campaign(db_session, body="Wir schreiben Ihnen wegen des Antrags.")
    recipient = make_recipient(db_session, form_of_address=F.HERR, title="Dr.", last_name="Vogelsang")
    letter = compose_letter(campaign, recipient, on=ON, reference_code="T-1")
    assert letter.body_text == "Sehr geehrter Herr Dr. Vogelsang,\n\nWir schreiben Ihnen wegen des Antrags."


def test_merge_fields_are_filled_in_german(db_session):
    body = (
        "{{ salutation }},\n\nFrist: {{ deadline }}, Datum: {{ date }}, Zeichen: {{ reference_code }}.\n"
        "{{ sender.name }}"
    )
    campaign, _, _ = make_letter_campaign(db_session, body=body)
    campaign.deadline = ON.replace(month=12, day=15)
    letter = compose_letter(campaign, make_recipient(db_session), on=ON, reference_code="NRW-2026-0042")
    assert "Frist: 15. Dezember 2026, Datum: 2. März 2026, Zeichen: NRW-2026-0042.\n" in letter.body_text
    assert letter.body_text.endswith(campaign.organisation.name)
    assert "<br>" in letter.body_html  # a single line break stays a line break
    assert letter.date_text == "2. März 2026" and letter.reference_code == "NRW-2026-0042"


def test_address_block_follows_din_5008(db_session):
    person = make_recipient(
        db_session,
        form_of_address=F.HERR,
        title="Dr.",
        first_name="Paweł",
        last_name="Kowalczyk",
        function="Delegierter zum Landesparteitag",
        organisation="SPD-Unterbezirk Dortmund",
        street="Zechenbahnweg 3a",
        postcode="44137",
        city="Dortmund",
        country="Deutschland",
    )
    assert address_lines(person) == [
        "SPD-Unterbezirk Dortmund",
        "Herrn Dr. Paweł Kowalczyk",
        "Delegierter zum Landesparteitag",
        "Zechenbahnweg 3a",
        "44137 Dortmund",
    ]
    abroad = make_recipient(
        db_session, form_of_address=F.DIVERS, first_name="Kim", last_name="Nowak", street="ul. Długa 5",
        postcode="00-238", city="Warszawa", country="Polen",
    )  # fmt: skip
    assert address_lines(abroad) == ["Kim Nowak", "ul. Długa 5", "00-238 Warszawa", "POLEN"]
    group = make_recipient(
        db_session, form_of_address=F.GRUPPE, first_name="", last_name="", group_name="Mitglieder der SPD",
        organisation="SPD-Ortsverein Bochum-Langendreer", street="Hellwegbogen 12", postcode="44892", city="Bochum",
    )  # fmt: skip
    assert address_lines(group) == [
        "SPD-Ortsverein Bochum-Langendreer", "Mitglieder der SPD", "Hellwegbogen 12", "44892 Bochum",
    ]  # fmt: skip


def test_a_street_over_several_lines_keeps_its_lines_within_the_six_of_the_window(db_session):
    values = {
        "form_of_address": F.FRAU, "first_name": "Łucja", "last_name": "Wójcik", "organisation": "SPD Köln",
        "postcode": "50678", "city": "Köln",
    }  # fmt: skip
    two = make_recipient(db_session, **values, street="c/o Bürogemeinschaft Südstadt\r\nSeverinstraße 5")
    assert address_lines(two) == [
        "SPD Köln", "Frau Łucja Wójcik", "c/o Bürogemeinschaft Südstadt", "Severinstraße 5", "50678 Köln",
    ]  # fmt: skip
    # Seven lines would not fit: the function goes first ...
    three = make_recipient(
        db_session, **values, function="Delegierte", street="c/o Bürogemeinschaft\nSeverinstraße 5\n\n2. OG"
    )
    assert address_lines(three) == [
        "SPD Köln", "Frau Łucja Wójcik", "c/o Bürogemeinschaft", "Severinstraße 5", "2. OG", "50678 Köln",
    ]  # fmt: skip
    # ... then the last street lines share a line.
    abroad = make_recipient(
        db_session, **{**values, "country": "Polen"}, street="c/o Nowak\nul. Długa 5\nklatka B\nm. 12",
    )  # fmt: skip
    assert address_lines(abroad) == [
        "SPD Köln", "Frau Łucja Wójcik", "c/o Nowak", "ul. Długa 5, klatka B, m. 12", "50678 Köln", "POLEN",
    ]  # fmt: skip


def test_a_function_too_long_for_one_line_stays_out_of_the_address(db_session):
    person = make_recipient(
        db_session,
        form_of_address=F.FRAU,
        first_name="Ana",
        last_name="Ćosić",
        function="Stellvertretende Vorsitzende des Arbeitskreises Migration und Integration",
        organisation="SPD Duisburg",
        street="Hafenkranstraße 21",
        postcode="1010",
        city="Wien",
        country="Österreich",
    )
    assert address_lines(person) == ["SPD Duisburg", "Frau Ana Ćosić", "Hafenkranstraße 21", "1010 Wien", "ÖSTERREICH"]


def test_html_in_recipient_names_is_escaped_everywhere(db_session):
    body = "{{ salutation }},\n\nliebe {{ recipient.full_name }} aus {{ recipient.city }}."
    campaign, _, _ = make_letter_campaign(db_session, body=body)
    hostile = make_recipient(
        db_session,
        form_of_address=F.DIVERS,
        first_name='<img src="file:///etc/passwd">',
        last_name="<script>alert(1)</script>",
        city="Köln & <b>Bonn</b>",
        street="Weg 1",
        postcode="50667",
    )
    letter = compose_letter(campaign, hostile, on=ON, reference_code="T-1")
    for html in (str(letter.body_html), letters_html([letter])):
        assert "<script>" not in html and "<img" not in html and "<b>Bonn" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in letter.body_text  # plain text for e-mail is not HTML


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("{{ ''.__class__.__mro__ }}", "__class__"),
        ("{{ config }}", "config"),
        ("{{ recipient.__class__ }}", "__class__"),
        ("{{ cycler.__init__ }}", "cycler"),
        ("{{ recipient['__dict__'] }}", "__dict__"),
        ("{% for a in arguments %}{{ a._sa_instance_state }}{% endfor %}", "_sa_instance_state"),
        ("{{ self }}", "self"),
        ("{{ lipsum() }}", "lipsum"),
        ("{% include 'layout.html' %}", "einzubinden"),
        ("{{ salutation|safe }}", "safe"),
        ("Hallo\n{{ recipient.titl }}", "Zeile 2"),
    ],
)
def test_sandbox_escapes_are_refused_with_a_clear_message(db_session, source, named):
    with pytest.raises(TemplateProblem) as refused:
        check_template(source)
    assert named in str(refused.value)
    campaign, version, _ = make_letter_campaign(db_session)
    version.body = source
    with pytest.raises(TemplateProblem):
        compose_letter(campaign, make_recipient(db_session), on=ON, reference_code="T-1")


def test_computed_access_to_internals_is_refused_when_rendering(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    context = letter_context(campaign, make_recipient(db_session), reference_code="T-1", on=ON)
    computed = (
        "{% for a in arguments %}{% endfor %}{{ recipient[salutation[:0] ~ '__class__'] }}",
        "{{ salutation[(salutation[:0] ~ '__cla' ~ 'ss__')] }}",
    )
    for source in computed:
        with pytest.raises(TemplateProblem, match="Nicht erlaubter Zugriff"):
            render_template_text(source, context)
    with pytest.raises(TemplateProblem, match="langen Text"):
        render_template_text("{{ 'x' * 100000000 }}", context)
    with pytest.raises(TemplateProblem, match="Potenzieren"):
        render_template_text("{{ 9 ** 9 ** 9 }}", context)


def test_syntax_errors_name_their_line():
    with pytest.raises(TemplateProblem, match="Zeile 3"):
        check_template("a\nb\n{% if %}")


def test_composing_without_template_says_so(db_session):
    campaign, version, _ = make_letter_campaign(db_session)
    db_session.delete(version.template)
    db_session.flush()
    db_session.refresh(campaign)
    with pytest.raises(TemplateProblem, match="keine Briefvorlage"):
        compose_letter(campaign, make_recipient(db_session), on=ON, reference_code="T-1")


@pytest.fixture
def web_server():
    """A server on loopback that records every request, to prove that nothing is fetched."""
    with recording_server() as (port, requests):
        yield f"http://127.0.0.1:{port}", requests


def test_images_in_templates_fetch_nothing(db_session, web_server):
    url, requests = web_server
    body = (
        "{{ salutation }},\n\n"
        f'<img src="{url}/tracking.png"> <img src="file:///etc/passwd"> '
        f'<link rel="stylesheet" href="{url}/evil.css">'
    )
    campaign, _, _ = make_letter_campaign(db_session, body=body)
    letter = compose_letter(campaign, make_recipient(db_session), on=ON, reference_code="T-1")
    fetcher = LetterAssetFetcher()
    text = pdf_text(render_letters_pdf([letter], fetcher=fetcher))
    assert fetcher.blocked == [] and requests == []  # the tags are text, not elements
    assert '<img src="file:///etc/passwd">' in text  # printed as written
    assert "root:" not in text


def test_the_fetcher_blocks_what_still_reaches_weasyprint(db_session, web_server):
    url, requests = web_server
    campaign, _, _ = make_letter_campaign(db_session)
    letter = compose_letter(campaign, make_recipient(db_session), on=ON, reference_code="T-1").printable()
    # As if HTML had slipped past the template sandbox into the body.
    smuggled = type(letter)(
        **{
            **letter.__dict__,
            "body_html": f'<p><img src="{url}/pixel.png"><img src="file:///etc/passwd"></p>'
            f'<p><object data="file:///etc/hostname"></object></p>',
        }
    )
    fetcher = LetterAssetFetcher()
    text = pdf_text(render_letters_pdf([smuggled], fetcher=fetcher))
    assert f"{url}/pixel.png" in fetcher.blocked and "file:///etc/passwd" in fetcher.blocked
    assert requests == [] and "root:" not in text


def test_argument_selection_follows_choice_and_rules(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    arguments = make_argument_set(db_session)
    campaign.argument_set = arguments
    general = make_argument(db_session, arguments, tags=["integration"], key="allgemein")
    local = make_argument(db_session, arguments, tags=["kommunal", "unterbringung"], key="kommunal")
    housing = make_argument(db_session, arguments, tags=["unterbringung"], key="wohnen")
    jobs = make_argument(db_session, arguments, tags=["arbeit"], key="arbeit")
    other_set = make_argument_set(db_session)
    make_argument(db_session, other_set, tags=["kommunal"], key="fremd")

    plain = make_recipient(db_session, tags=["delegierte"])
    councillor = make_recipient(db_session, tags=["delegierte", "kommunalpolitik"])
    assert select_arguments(campaign, councillor) == []  # neither choice nor rules: no arguments at all

    choose(
        db_session,
        campaign,
        [jobs, general],
        rules=[("kommunalpolitik", "kommunal"), ("kommunalpolitik", "unterbringung")],
    )
    assert select_arguments(campaign, plain) == [jobs, general]
    assert select_arguments(campaign, councillor) == [jobs, general, local, housing]

    choose(db_session, campaign, [], rules=[("kommunalpolitik", "unterbringung")])
    assert select_arguments(campaign, plain) == []
    assert select_arguments(campaign, councillor) == [local, housing]


def test_arguments_bring_their_paragraphs_and_numbered_sources(db_session):
    body = (
        "{{ salutation }},\n\n"
        "{% for argument in arguments %}{{ argument.paragraph }} {{ argument.notes }}\n\n{% endfor %}"
    )
    campaign, _, _ = make_letter_campaign(db_session, body=body)
    arguments = make_argument_set(db_session)
    campaign.argument_set = arguments
    study = make_source(db_session, title="Resiliente Kommunen 2.0", doi="10.59350/hpz3x-qh641")
    report = make_source(db_session, title="Chancen statt Krise", authors=[], publisher="DeZIM")
    first = make_argument(
        db_session,
        arguments,
        sources=[study],
        paragraph="Kommunen brauchen **verlässliche** Mittel <script>x</script>.",
    )
    second = make_argument(
        db_session, arguments, sources=[report, study], paragraph="Zweiter [Absatz](https://example.org)."
    )
    choose(db_session, campaign, [first, second])

    letter = compose_letter(campaign, make_recipient(db_session), on=ON, reference_code="T-1")
    assert "<strong>verlässliche</strong>" in letter.body_html and "<script>" not in letter.body_html
    assert '<a href="https://example.org"' in letter.body_html
    assert "Kommunen brauchen verlässliche Mittel" in letter.body_text and "**" not in letter.body_text
    assert "Zweiter Absatz (https://example.org). [2, 1]" in letter.body_text
    assert letter.endnotes[0].startswith("[1] Ratzmann, Nora (November 2025): „Resiliente Kommunen 2.0“.")
    assert letter.endnotes[0].endswith("https://doi.org/10.59350/hpz3x-qh641")
    assert letter.endnotes[1].startswith("[2] DeZIM (November 2025): „Chancen statt Krise“.")
    assert len(letter.endnotes) == 2
    assert "Quellen\n[1] Ratzmann" in letter.full_text


def test_the_demo_letter_uses_the_demo_selection(app, db_session):
    from sqlalchemy import select

    from campaign.models import Campaign, Recipient
    from campaign.services.demo import seed_demo

    seed_demo(db_session)
    campaign = db_session.scalars(select(Campaign)).one()
    recipients = db_session.scalars(select(Recipient)).all()
    local = next(r for r in recipients if "kommunalpolitik" in r.tags)
    other = next(r for r in recipients if "kommunalpolitik" not in r.tags and r.last_name)
    assert 4 <= len(select_arguments(campaign, other)) <= 6
    assert len(select_arguments(campaign, local)) > len(select_arguments(campaign, other))
    letter = compose_letter(campaign, local, on=ON, reference_code="NRW-2026-0001")
    assert letter.endnotes and "[1]" in letter.body_text
