"""Argument pages: sets, arguments, citations, filters, reordering, coverage, briefing exports, access per role."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from campaign.db import db
from campaign.models import Argument, ArgumentSet, AuditEvent, Citation, Motion, Provision, Role, Source
from campaign.services.demo import seed_demo
from tests.factories import make_motion
from tests.factories_arguments import make_argument, make_argument_set, make_provision, make_source
from tests.web.factories import Evidence, make_evidence


@pytest.fixture
def evidence(app) -> Evidence:
    """A small evidence library made with factories (the ids of its motion, set, arguments and sources)."""
    with app.app_context():
        found = make_evidence(db.session)
        db.session.commit()
        return found


@pytest.fixture
def demo(app):
    """The whole demo campaign's ids, for the tests that check its real content: motion, set, provisions, sources."""
    with app.app_context():
        seed_demo(db.session)
        db.session.commit()
        return {
            "motion": db.session.scalar(select(Motion.id)),
            "set": db.session.scalar(select(ArgumentSet.id)),
            "argument": db.session.scalar(select(Argument.id).order_by(Argument.position)),
            "provisions": {p.key: p.id for p in db.session.scalars(select(Provision))},
            "sources": {s.key: s.id for s in db.session.scalars(select(Source))},
            "citation": db.session.scalar(select(Citation.id)),
        }


def _actions(app):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# Sets -----------------------------------------------------------------------------------------------------------


def test_create_edit_and_list_sets(app, client, login):
    login()
    response = client.post("/organise/argument-sets/new", data={"title": "Argumente für Kreistage", "description": "x"})
    assert response.status_code == 302
    set_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Argumente für Kreistage" in set_page and "Noch keine Argumente in diesem Set." in set_page
    duplicate = client.post("/organise/argument-sets/new", data={"title": "argumente für KREISTAGE"})
    assert duplicate.status_code == 400 and "Es gibt bereits ein Argumentationsset" in duplicate.get_data(as_text=True)
    with app.app_context():
        set_id = db.session.scalar(select(ArgumentSet.id))
    assert (
        client.post(
            f"/organise/argument-sets/{set_id}/edit", data={"title": "Kreistage", "description": ""}
        ).status_code
        == 302
    )
    assert "Kreistage</a> – 0 Argumente" in client.get("/organise/argument-sets").get_data(as_text=True)
    assert _actions(app)[-2:] == ["argument_set.create", "argument_set.update"]


def test_a_too_long_description_and_a_taken_title_come_in_one_answer(app, client, login):
    login()
    assert client.post("/organise/argument-sets/new", data={"title": "Argumente für łódź"}).status_code == 302
    data = {"title": "ARGUMENTE für łódź", "description": "ß" * 5001}
    response = client.post("/organise/argument-sets/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="description-error"' in page
    assert 'id="title-error"' in page and "Es gibt bereits ein Argumentationsset" in page
    client.post("/organise/argument-sets/new", data={"title": "Kreistag ğüneş"})
    with app.app_context():
        first = db.session.scalar(select(ArgumentSet.id).where(ArgumentSet.title == "Argumente für łódź"))
    data = {"title": "KREISTAG ğüneş", "description": "é" * 5001}
    edited = client.post(f"/organise/argument-sets/{first}/edit", data=data)
    page = edited.get_data(as_text=True)
    assert edited.status_code == 400 and 'id="description-error"' in page and "Es gibt bereits" in page
    with app.app_context():
        assert sorted(db.session.scalars(select(ArgumentSet.title))) == ["Argumente für łódź", "Kreistag ğüneş"]


def test_duplicate_set_copies_arguments_with_links_and_citations(app, client, evidence, login):
    login()
    response = client.post(f"/organise/argument-sets/{evidence.set}/duplicate")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Argumente zum Leitantrag „NRW, jetzt erst gerecht“ (Kopie)" in page
    with app.app_context():
        original, copy = db.session.scalars(select(ArgumentSet).order_by(ArgumentSet.id)).all()
        assert [a.claim for a in copy.arguments] == [a.claim for a in original.arguments]
        assert [[p.id for p in a.provisions] for a in copy.arguments] == [
            [p.id for p in a.provisions] for a in original.arguments
        ]
        assert [[(c.source_id, c.quote_id) for c in a.citations] for a in copy.arguments] == [
            [(c.source_id, c.quote_id) for c in a.citations] for a in original.arguments
        ]
        assert not {a.id for a in copy.arguments} & {a.id for a in original.arguments}
    assert "argument_set.duplicate" in _actions(app)


# Arguments ------------------------------------------------------------------------------------------------------


def test_argument_form_groups_provisions_by_motion(app, client, evidence, login):
    with app.app_context():
        other = make_motion(db.session)
        other.title = "Zweiter Antrag"
        make_provision(db.session, other, title="Kernpunkt im zweiten Antrag")
        db.session.commit()
    login()
    page = client.get(f"/organise/argument-sets/{evidence.set}/arguments/new").get_data(as_text=True)
    assert "<legend>NRW, jetzt erst gerecht</legend>" in page and "<legend>Zweiter Antrag</legend>" in page
    assert page.count('type="checkbox"') == len(evidence.provisions) + 1
    assert "Kernpunkt im zweiten Antrag" in page


def test_write_an_argument_with_provisions_tags_and_a_cited_passage(app, client, demo, login):
    login()
    provision_id = demo["provisions"]["meldepflichten"]
    response = client.post(
        f"/organise/argument-sets/{demo['set']}/arguments/new",
        data={
            "claim": "Meldepflichten schrecken ab",
            "paragraph": "Das ist **belegt**.",
            "tags": "Meldepflicht, Schule , meldepflicht",
            "stance": "oppose",
            "provisions": [str(provision_id)],
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit#belege")
    with app.app_context():
        argument = db.session.scalar(select(Argument).where(Argument.claim == "Meldepflichten schrecken ab"))
        assert argument.tags == ["meldepflicht", "schule"]
        assert [p.id for p in argument.provisions] == [provision_id]
        source = db.session.get(Source, demo["sources"]["resiliente-kommunen-2-0"])
        quote_id = source.quotes[1].id
        argument_id = argument.id
    edit_page = client.get(f"/organise/arguments/{argument_id}/edit").get_data(as_text=True)
    assert f'value="quote:{quote_id}"' in edit_page and "Noch ohne Beleg." in edit_page
    response = client.post(
        f"/organise/arguments/{argument_id}/citations", data={"reference": f"quote:{quote_id}", "page": "3"}
    )
    assert response.status_code == 302
    edit_page = client.get(f"/organise/arguments/{argument_id}/edit").get_data(as_text=True)
    assert "Chance verstehen“. Technische Universität Chemnitz, S. 3." in edit_page
    assert "positive Erlebnisse im Moment der Ankunft" in edit_page
    set_page = client.get(f"/organise/argument-sets/{demo['set']}").get_data(as_text=True)
    assert "Das ist <strong>belegt</strong>." in set_page
    with app.app_context():
        citation_id = db.session.scalar(select(Citation.id).where(Citation.argument_id == argument_id))
    assert client.post(f"/organise/citations/{citation_id}/delete").status_code == 302
    assert _actions(app)[-3:] == ["argument.create", "citation.create", "citation.delete"]


def test_bad_citation_choices_are_refused_with_a_message(app, client, evidence, login):
    login()
    url = f"/organise/arguments/{evidence.argument}/citations"
    for reference in ("quote:999999", "source:abc", "nonsense"):
        response = client.post(url, data={"reference": reference, "page": ""})
        assert response.status_code == 400
        assert 'id="reference-error"' in response.get_data(as_text=True)


def test_edit_argument_and_errors_next_to_fields(app, client, evidence, login):
    login()
    url = f"/organise/arguments/{evidence.argument}/edit"
    form = client.get(url).get_data(as_text=True)
    assert "integration, verwaltung" in form and "checked" in form
    bad = client.post(url, data={"claim": "", "stance": "oppose", "tags": "x" * 81, "provisions": ["999999"]})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    for field in ("claim", "tags", "provisions"):
        assert f'id="{field}-error"' in page
    good = client.post(url, data={"claim": "Neu formuliert", "stance": "welcome", "tags": "", "paragraph": ""})
    assert good.status_code == 302
    with app.app_context():
        argument = db.session.get(Argument, evidence.argument)
        assert (argument.claim, argument.stance.value, argument.provisions) == ("Neu formuliert", "welcome", [])


def test_hostile_paragraph_is_sanitised_on_the_set_page(app, client, login):
    with app.app_context():
        argument_set = make_argument_set(db.session)
        make_argument(
            db.session,
            argument_set,
            claim="<b>Claim</b>",
            paragraph=(
                "<script>alert(1)</script> [klick](javascript:alert(1)) "
                '<img src=x onerror="alert(1)"> <a href="https://e.org" onclick="alert(1)">a</a> **ok**'
            ),
        )
        db.session.commit()
        set_id = argument_set.id
    login()
    page = client.get(f"/organise/argument-sets/{set_id}").get_data(as_text=True)
    body = page.split('id="argumente"', 1)[1]
    assert "<script>alert" not in body and "<img" not in body and 'href="javascript' not in body
    assert not re.search(r"<[a-z]+[^>]*\son\w+\s*=", body) and "<b>Claim</b>" not in body
    assert "&lt;script&gt;" in body and "<strong>ok</strong>" in body


def test_filter_by_tag_provision_and_source(app, client, evidence, login):
    login()
    base = f"/organise/argument-sets/{evidence.set}"
    everything = client.get(base).get_data(as_text=True)
    total = everything.count('<article id="argument-')
    with app.app_context():
        assert total == len(db.session.get(ArgumentSet, evidence.set).arguments) > 1
    by_tag = client.get(base, query_string={"tag": "Kommunal"}).get_data(as_text=True)
    assert 0 < by_tag.count('<article id="argument-') < total
    assert "Filter zurücksetzen" in by_tag
    by_provision = client.get(base, query_string={"provision": evidence.provisions["sprachfoerderung"]})
    assert by_provision.get_data(as_text=True).count('<article id="argument-') == 1
    by_source = client.get(base, query_string={"source": evidence.sources["dezim-chancen-statt-krise"]})
    assert 0 < by_source.get_data(as_text=True).count('<article id="argument-') < total
    nothing = client.get(base, query_string={"tag": "gibt-es-nicht"}).get_data(as_text=True)
    assert "Keine Argumente gefunden." in nothing
    # Garbage in the query string is ignored, not an error.
    assert client.get(base, query_string={"provision": "abc"}).status_code == 200


def test_reorder_moves_an_argument_up_and_down(app, client, login):
    with app.app_context():
        argument_set = make_argument_set(db.session)
        ids = [make_argument(db.session, argument_set, claim=claim).id for claim in ("Erstes", "Zweites", "Drittes")]
        db.session.commit()
        set_id = argument_set.id

    def order():
        with app.app_context():
            return list(
                db.session.scalars(
                    select(Argument.claim).where(Argument.argument_set_id == set_id).order_by(Argument.position)
                )
            )

    login()
    assert client.post(f"/organise/arguments/{ids[2]}/move", data={"direction": "up"}).status_code == 302
    assert order() == ["Erstes", "Drittes", "Zweites"]
    client.post(f"/organise/arguments/{ids[0]}/move", data={"direction": "down"})
    assert order() == ["Drittes", "Erstes", "Zweites"]
    top = client.post(f"/organise/arguments/{ids[2]}/move", data={"direction": "up"}, follow_redirects=True)
    assert "steht bereits ganz oben" in top.get_data(as_text=True)
    assert client.post(f"/organise/arguments/{ids[0]}/move", data={"direction": "left"}).status_code == 400
    page = client.get(f"/organise/argument-sets/{set_id}").get_data(as_text=True)
    assert page.index("Drittes") < page.index("Erstes") < page.index("Zweites")


def test_delete_argument(app, client, login):
    with app.app_context():
        argument = make_argument(db.session, claim="Weg damit")
        db.session.commit()
        argument_id = argument.id
    login()
    response = client.post(f"/organise/arguments/{argument_id}/delete", follow_redirects=True)
    assert "Argument gelöscht." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Argument, argument_id) is None


# Coverage -------------------------------------------------------------------------------------------------------


def test_set_page_links_to_coverage_and_briefings(app, client, evidence, login):
    login(Role.COORDINATOR)
    page = client.get(f"/organise/argument-sets/{evidence.set}").get_data(as_text=True)
    query = f"motion={evidence.motion}&amp;set={evidence.set}"
    assert f"/organise/coverage?{query}" in page
    assert f"/organise/briefing.pdf?{query}" in page and f"/organise/briefing.md?{query}" in page


def test_demo_coverage_shows_no_gaps(app, client, demo, login):
    login(Role.COORDINATOR)
    response = client.get("/organise/coverage", query_string={"motion": demo["motion"], "set": demo["set"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Keine Lücken" in page
    assert "Keine – jeder Kernpunkt hat mindestens ein Argument." in page
    assert "Keine – jedes Argument zitiert eine Quelle." in page
    assert (
        "Keine – dieses Set zitiert jede Quelle, die Argumente zu diesem Antrag belegt, und es gibt keine Quelle, "
        "die noch niemand zitiert." in page
    )
    assert ">fehlt<" not in page


def test_coverage_lists_the_gaps(app, client, login):
    with app.app_context():
        motion = make_motion(db.session)
        make_provision(db.session, motion, title="Offener Kernpunkt")
        argument_set = make_argument_set(db.session)
        make_argument(db.session, argument_set, claim="Unbelegte Behauptung")
        make_source(db.session, title="Ungelesene Studie")
        db.session.commit()
        query = {"motion": motion.id, "set": argument_set.id}
    login()
    page = client.get("/organise/coverage", query_string=query).get_data(as_text=True)
    assert "3 Lücken gefunden." in page
    for gap, text in (
        ("provisions", "Offener Kernpunkt"),
        ("arguments", "Unbelegte Behauptung"),
        ("sources", "Ungelesene Studie"),
    ):
        section = page.split(f'data-gap="{gap}"', 1)[1].split("</ul>", 1)[0]
        assert text in section


def test_coverage_without_choice_shows_the_form_and_unknown_ids_are_not_found(app, client, evidence, login):
    login()
    page = client.get("/organise/coverage").get_data(as_text=True)
    assert 'name="motion"' in page and 'name="set"' in page and "Lücken" not in page
    assert client.get("/organise/coverage", query_string={"motion": 999999, "set": evidence.set}).status_code == 404


# Briefing -------------------------------------------------------------------------------------------------------


def test_briefing_pdf_has_provisions_lines_arguments_and_full_citations(app, client, demo, login):
    login(Role.COORDINATOR)
    response = client.get("/organise/briefing.pdf", query_string={"motion": demo["motion"], "set": demo["set"]})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert 'filename="argumentationshilfe-' in response.headers["Content-Disposition"]
    text = " ".join(_pdf_text(response.data).split())
    assert "Argumentationshilfe".upper() in text or "Argumentationshilfe" in text
    assert "NRW, jetzt erst gerecht" in text
    assert "1. Bündelung im Innenministerium" in text and "Zeilen 9–12" in text
    assert "Unsere Haltung: Ablehnung" in text
    assert "9 Zuständigkeit: Der Antrag sieht vor" in text
    assert "A1 Integration ist eine ressortübergreifende Querschnittsaufgabe" in text
    assert "Volksverpetzer (21.10.2025): „Wann kommt endlich die echte Migrationswende?“" in text
    assert "https://doi.org/10.59350/hpz3x-qh641" in text
    assert "Quellen" in text
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.metadata.title == "Argumentationshilfe: NRW, jetzt erst gerecht"


def test_briefing_markdown_download(app, client, demo, login):
    login()
    response = client.get("/organise/briefing.md", query_string={"motion": demo["motion"], "set": demo["set"]})
    assert response.status_code == 200
    assert response.content_type == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="argumentationshilfe-')
    text = response.get_data(as_text=True)
    assert text.startswith("# Argumentationshilfe: NRW, jetzt erst gerecht")
    assert "## 8. Mehr Geld für die Kommunen" in text
    assert "Volksverpetzer (21.10.2025): „Wann kommt endlich die echte Migrationswende?“" in text


def test_briefing_needs_motion_and_set(app, client, evidence, login):
    login()
    assert client.get("/organise/briefing.pdf", query_string={"set": evidence.set}).status_code == 404
    assert client.get("/organise/briefing.md", query_string={"motion": evidence.motion}).status_code == 404


# Access ---------------------------------------------------------------------------------------------------------

READ_URLS = [
    "/organise/argument-sets",
    "/organise/argument-sets/{set}",
    "/organise/argument-sets/{set}?tag=kommunal",
    "/organise/coverage?motion={motion}&set={set}",
    "/organise/briefing.md?motion={motion}&set={set}",
]

WRITE_POSTS = [
    ("/organise/argument-sets/new", {"title": "Neu"}),
    ("/organise/argument-sets/{set}/edit", {"title": "Neu"}),
    ("/organise/argument-sets/{set}/duplicate", {}),
    ("/organise/argument-sets/{set}/arguments/new", {"claim": "Neu", "stance": "oppose"}),
    ("/organise/arguments/{argument}/edit", {"claim": "Neu", "stance": "oppose"}),
    ("/organise/arguments/{argument}/delete", {}),
    ("/organise/arguments/{argument}/move", {"direction": "down"}),
    ("/organise/arguments/{argument}/citations", {"reference": "source:1"}),
    ("/organise/citations/{citation}/delete", {}),
]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ORGANISER, Role.ADMIN], ids=lambda role: role.value)
@pytest.mark.parametrize("pattern", READ_URLS)
def test_staff_may_read(app, client, evidence, pattern, role, login):
    login(role)
    assert client.get(pattern.format(**evidence.urls())).status_code == 200


@pytest.mark.parametrize(("pattern", "data"), WRITE_POSTS, ids=[url for url, _ in WRITE_POSTS])
def test_coordinators_get_403_on_every_write(app, client, evidence, pattern, data, login):
    login(Role.COORDINATOR)
    before = _actions(app)
    assert client.post(pattern.format(**evidence.urls()), data=data).status_code == 403
    assert _actions(app) == before
    with app.app_context():
        assert db.session.scalar(select(ArgumentSet.title)).startswith("Argumente zum Leitantrag")
        assert db.session.get(Argument, evidence.argument).claim != "Neu"


@pytest.mark.parametrize(
    "pattern",
    [
        "/organise/argument-sets/new",
        "/organise/argument-sets/{set}/arguments/new",
        "/organise/arguments/{argument}/edit",
    ],
)
def test_coordinators_get_no_edit_forms_and_no_edit_buttons(app, client, evidence, pattern, login):
    login(Role.COORDINATOR)
    assert client.get(pattern.format(**evidence.urls())).status_code == 403
    page = client.get(f"/organise/argument-sets/{evidence.set}").get_data(as_text=True)
    assert "Neues Argument" not in page and "/move" not in page


def test_forms_without_csrf_token_are_refused(protected):
    app, client = protected.app, protected.client
    with app.app_context():
        argument_id = make_argument(db.session).id
        db.session.commit()
    assert client.post(f"/organise/arguments/{argument_id}/delete").status_code == 400
    assert client.post("/organise/argument-sets/new", data={"title": "Ohne Token"}).status_code == 400
    with app.app_context():
        assert db.session.get(Argument, argument_id) is not None
        assert db.session.scalar(select(ArgumentSet.id).where(ArgumentSet.title == "Ohne Token")) is None


def test_coverage_says_which_sources_it_counts_as_unused(app, client, login):
    """Unused: sources cited about this motion in any set, and sources nobody cites; not those of other motions."""
    with app.app_context():
        motion, other_motion = make_motion(db.session), make_motion(db.session)
        here, elsewhere = make_provision(db.session, motion), make_provision(db.session, other_motion)
        about_motion = make_source(db.session, title="Studie zu diesem Antrag")
        about_other = make_source(db.session, title="Studie zu einem anderen Antrag")
        make_argument(db.session, provisions=[here], sources=[about_motion])
        make_argument(db.session, provisions=[elsewhere], sources=[about_other])
        chosen = make_argument_set(db.session)
        make_argument(db.session, chosen, provisions=[here], sources=[about_motion])
        db.session.commit()
        query = {"motion": motion.id, "set": chosen.id}
    login()
    page = client.get("/organise/coverage", query_string=query).get_data(as_text=True)
    sources = page.split('data-gap="sources"', 1)[1].split("</ul>", 1)[0]
    assert "Studie zu einem anderen Antrag" not in sources
    assert "dieses Set zitiert jede Quelle, die Argumente zu diesem Antrag belegt" in sources
    assert "Quellen, die nur Argumente zu anderen Anträgen belegen, fehlen hier." in page
    assert "jede Quelle wird von einem Argument dieses Sets zitiert" not in page
