"""Sources and passages: field checks (authors, DOI, URL, date), delete refused while cited, the citation format."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from campaign.models import AuditEvent, Citation, DatePrecision, Source, SourceKind, SourceQuote
from campaign.services.common.errors import ServiceError
from campaign.services.evidence import sources
from campaign.services.evidence.citations import escape_markdown, format_citation, format_page
from tests.factories import make_user
from tests.factories_arguments import make_argument, make_source


def _events(session, action):
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_create_source_cleans_fields_and_records_who(db_session):
    user = make_user(db_session)
    source = sources.create_source(
        db_session,
        sources.SourceData(
            title="  Räumliche   Auswirkungen  ",
            kind=SourceKind.STUDY,
            authors=sources.parse_authors("Yılmaz, Ayşe\n\n  Łukasiewicz ,  Paweł \nDeZIM"),
            publisher=" Technische Universität Chemnitz ",
            published_on=date(2025, 11, 1),
            url=" https://example.org/studie ",
            doi="https://doi.org/10.59350/hpz3x-qh641",
        ),
        user=user,
    )
    assert source.title == "Räumliche Auswirkungen"
    assert source.key == "raeumliche-auswirkungen"
    assert source.authors == ["Yılmaz, Ayşe", "Łukasiewicz, Paweł", "DeZIM"]
    assert source.doi == "10.59350/hpz3x-qh641"
    assert source.url == "https://example.org/studie"
    # A date without a precision is a day.
    assert source.date_precision is DatePrecision.DAY
    [event] = _events(db_session, "source.create")
    assert event.object_id == source.id and event.user_id == user.id


def test_keys_stay_unique_for_equal_titles(db_session):
    first = sources.create_source(db_session, sources.SourceData(title="Migration als Chance"))
    second = sources.create_source(db_session, sources.SourceData(title="Migration als Chance!"))
    assert (first.key, second.key) == ("migration-als-chance", "migration-als-chance-2")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1000/xyz123", "10.1000/xyz123"),
        ("https://doi.org/10.59350/HPZ3X-qh641", "10.59350/HPZ3X-qh641"),
        ("http://dx.doi.org/10.1038/nphys1170", "10.1038/nphys1170"),
        ("doi:10.1000.10/abc(1)", "10.1000.10/abc(1)"),
        ("   ", ""),
    ],
)
def test_doi_is_normalised(text, expected):
    assert sources.normalise_doi(text) == expected


@pytest.mark.parametrize(
    "text", ["11.1000/abc", "10.12/abc", "10.1000/", "10.1000/a b", "https://example.org/10.1000/x"]
)
def test_malformed_doi_is_refused_with_the_expected_form(text):
    with pytest.raises(ServiceError, match=r"10\.1234/abc"):
        sources.normalise_doi(text)


def test_author_lines_with_two_commas_name_the_line():
    with pytest.raises(ServiceError, match="Zeile 2"):
        sources.parse_authors("Ratzmann, Nora\nRißler, Felicitas, Dr.\n")
    with pytest.raises(ServiceError, match="Zeile 1"):
        sources.parse_authors("Ratzmann,")


def test_precision_without_date_and_missing_title_are_refused(db_session):
    with pytest.raises(ServiceError, match="Datum"):
        sources.create_source(db_session, sources.SourceData(title="X", date_precision=DatePrecision.MONTH))
    with pytest.raises(ServiceError, match="Titel"):
        sources.create_source(db_session, sources.SourceData(title="   "))
    assert db_session.scalar(select(Source.id)) is None


def test_update_records_old_and_new_values(db_session):
    source = make_source(db_session, title="Alt", publisher="Verlag")
    sources.update_source(db_session, source, sources.SourceData(title="Neu", publisher="Verlag", doi="10.1000/x"))
    [event] = _events(db_session, "source.update")
    assert event.details["changes"] == {"title": ["Alt", "Neu"], "doi": ["", "10.1000/x"]}


def test_unchanged_update_writes_no_audit_entry(db_session):
    source = make_source(db_session, title="Gleich", kind=SourceKind.ARTICLE)
    sources.update_source(db_session, source, sources.SourceData(title="Gleich"))
    assert _events(db_session, "source.update") == []


def test_delete_is_refused_while_an_argument_cites_the_source(db_session):
    source = make_source(db_session, title="Zitierte Studie")
    make_argument(db_session, claim="Integration braucht Zeit", sources=[source])
    with pytest.raises(ServiceError, match="noch von 1 Argument") as refused:
        sources.delete_source(db_session, source)
    assert "Integration braucht Zeit" in str(refused.value)
    assert db_session.get(Source, source.id) is not None


def test_delete_removes_an_unused_source_with_its_quotes(db_session):
    source = make_source(db_session, quotes=("Ein Satz.",))
    source_id = source.id
    sources.delete_source(db_session, source)
    assert db_session.get(Source, source_id) is None
    assert db_session.scalar(select(SourceQuote.id)) is None
    assert _events(db_session, "source.delete")[0].details["title"] == source.title


def test_quotes_are_added_edited_and_deleted_in_order(db_session):
    source = make_source(db_session)
    first = sources.add_quote(db_session, source, "  Erster Satz. ", " 12 ")
    second = sources.add_quote(db_session, source, "Zweiter Satz.", "")
    assert [quote.position for quote in source.quotes] == [0, 1]
    assert (first.text, first.page) == ("Erster Satz.", "12")
    sources.update_quote(db_session, second, "Zweiter Satz, korrigiert.", "13–14")
    sources.delete_quote(db_session, first)
    assert [(quote.text, quote.page) for quote in source.quotes] == [("Zweiter Satz, korrigiert.", "13–14")]
    actions = [event.action for event in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["source_quote.create", "source_quote.create", "source_quote.update", "source_quote.delete"]


def test_empty_quote_and_overlong_page_are_refused(db_session):
    source = make_source(db_session)
    with pytest.raises(ServiceError, match="Wortlaut"):
        sources.add_quote(db_session, source, "  \n ")
    with pytest.raises(ServiceError, match="Seitenangabe"):
        sources.add_quote(db_session, source, "Text", "1" * 41)


def test_cited_quote_cannot_be_deleted(db_session):
    source = make_source(db_session, quotes=("Belegter Satz.",))
    argument = make_argument(db_session)
    argument.citations.append(Citation(source=source, quote=source.quotes[0]))
    db_session.flush()
    with pytest.raises(ServiceError, match="Textstelle wird noch"):
        sources.delete_quote(db_session, source.quotes[0])


def test_list_counts_citing_arguments(db_session):
    used = make_source(db_session, title="B genutzt")
    unused = make_source(db_session, title="a ungenutzt")
    make_argument(db_session, sources=[used])
    make_argument(db_session, sources=[used])
    assert sources.list_sources(db_session) == [(unused, 0), (used, 2)]


# The citation format --------------------------------------------------------------------------------------------


def test_citation_with_authors_publisher_month_and_doi(db_session):
    source = make_source(
        db_session,
        title="„Resiliente Kommunen 2.0“: Migration als Chance verstehen",
        authors=["Ratzmann, Nora", "Rißler, Felicitas", "Zeković, Denis"],
        publisher="Technische Universität Chemnitz",
        published_on=date(2025, 11, 1),
        date_precision=DatePrecision.MONTH,
        url="https://example.org/brief",
        doi="10.59350/hpz3x-qh641",
    )
    citation = format_citation(source)
    assert citation.text == (
        "Ratzmann, Nora; Rißler, Felicitas; Zeković, Denis (November 2025): "
        "„‚Resiliente Kommunen 2.0‘: Migration als Chance verstehen“. Technische Universität Chemnitz."
    )
    # The DOI wins over the URL and is the link.
    assert citation.link == "https://doi.org/10.59350/hpz3x-qh641"
    assert str(citation.html()).endswith(
        '<a href="https://doi.org/10.59350/hpz3x-qh641" rel="noopener noreferrer">'
        "https://doi.org/10.59350/hpz3x-qh641</a>"
    )


def test_citation_without_author_uses_publisher_and_keeps_the_question_mark(db_session):
    source = make_source(
        db_session,
        title="Wann kommt endlich die echte Migrationswende?",
        publisher="Volksverpetzer",
        published_on=date(2025, 10, 21),
        date_precision=DatePrecision.DAY,
    )
    assert (
        format_citation(source).text == "Volksverpetzer (21.10.2025): „Wann kommt endlich die echte Migrationswende?“"
    )
    assert format_citation(source, page="4").text.endswith("Migrationswende?“ S. 4.")


def test_citation_without_anything_and_with_many_authors(db_session):
    bare = make_source(db_session, title='Ein "Papier"')
    assert format_citation(bare).text == "o. V. (o. J.): „Ein ‚Papier‘“."
    assert format_citation(bare).link == ""
    many = make_source(
        db_session,
        title="T",
        authors=["A, a", "B, b", "C, c", "D, d"],
        published_on=date(2024, 5, 3),
        date_precision=DatePrecision.YEAR,
    )
    assert format_citation(many, page="12–14").text == "A, a; B, b; C, c u. a. (2024): „T“. S. 12–14."


def test_citation_html_escapes_hostile_titles(db_session):
    source = make_source(db_session, title="<script>alert(1)</script>", url='https://example.org/"><b>')
    html = str(format_citation(source).html())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '"><b>' not in html


def test_page_locators_and_markdown_escaping():
    assert format_page(" 12 ") == "S. 12"
    assert format_page("Kap. 3") == "Kap. 3"
    assert format_page("") == ""
    assert escape_markdown("*fett* [x](y) <b>") == r"\*fett\* \[x\](y) \<b\>"
