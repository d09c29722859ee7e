"""Amendment drafts: saving them, phrasing them as „In Zeile … wird … ersetzt durch …“, and the PDF export."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from campaign.models import AuditEvent, Motion, Provision
from campaign.services.common.errors import ServiceError
from campaign.services.demo import seed_demo
from campaign.services.evidence.amendments import (
    DELETION,
    amendment_drafts,
    amendments_html,
    clear_amendment,
    compute_changes,
    render_amendments_pdf,
    save_amendment,
    submitter_for,
)
from campaign.services.evidence.numbering import number_lines, passage_text
from campaign.services.evidence.provisions import ProvisionData, add_provision
from tests.factories import make_motion, make_user

TEXT = (
    "Präambel: Der Landesparteitag möge beschließen.\n\n"
    "Zuständigkeit: Der Antrag sieht vor, Ausländerrecht, Rückkehrmanagement und Unterbringung im "
    "Innenministerium zu bündeln. Migrationspolitische Aufgaben würden damit organisatorisch beim Innenressort "
    "zusammengeführt. Wie die Neuordnung im Einzelnen aussehen soll, bleibt offen.\n\n"
    "Schluss: Die Kommunen sollen finanziell stärker unterstützt werden."
)
# Lines 2–5 hold the second paragraph:
#  2 Zuständigkeit: Der Antrag sieht vor, Ausländerrecht, Rückkehrmanagement und
#  3 Unterbringung im Innenministerium zu bündeln. Migrationspolitische Aufgaben
#  4 würden damit organisatorisch beim Innenressort zusammengeführt. Wie die
#  5 Neuordnung im Einzelnen aussehen soll, bleibt offen.


def passage(start=2, end=5, text=TEXT):
    return number_lines(text)[start - 1 : end]


def sentences(amendment_text, start=2, end=5):
    return [change.sentence() for change in compute_changes(passage(start, end), amendment_text)]


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_fixture_text_is_numbered_as_the_comments_say():
    assert [line.text.split(" ")[0] for line in passage()] == [
        "Zuständigkeit:",
        "Unterbringung",
        "würden",
        "Neuordnung",
    ]


def test_a_replaced_phrase_is_named_with_its_own_line():
    old = passage_text(passage())
    new = old.replace("im Innenministerium zu bündeln", "in einem Integrationsministerium zu bündeln")
    assert sentences(new) == ["In Zeile 3 wird „im Innenministerium“ ersetzt durch „in einem Integrationsministerium“."]


def test_struck_words_across_lines_are_named_with_their_line_range():
    old = passage_text(passage())
    new = old.replace(
        " Migrationspolitische Aufgaben würden damit organisatorisch beim Innenressort zusammengeführt.", ""
    )
    assert sentences(new) == [
        "In Zeile 3 bis 4 streichen: „Migrationspolitische Aufgaben würden damit organisatorisch beim Innenressort "
        "zusammengeführt.“"
    ]


def test_insertions_name_the_word_they_follow_or_the_end_of_the_passage():
    old = passage_text(passage())
    assert sentences(old.replace("Unterbringung im", "Unterbringung künftig im")) == [
        "In Zeile 3 nach „Unterbringung“ einfügen: „künftig“."
    ]
    assert sentences(old + " Das lehnen wir ab.") == ["Nach Zeile 5 einfügen: „Das lehnen wir ab.“"]
    assert sentences(old + "\n\nNeuer Absatz.") == ["Nach Zeile 5 als neuen Absatz einfügen: „Neuer Absatz.“"]
    assert sentences("Vorweg: " + old) == ["In Zeile 2 vor „Zuständigkeit:“ einfügen: „Vorweg:“."]


def test_an_insertion_after_a_word_that_occurs_twice_on_the_line_names_more_words():
    lines = number_lines("Die Kommunen und die Länder und die Kommunen und mehr.")
    changes = compute_changes(lines, "Die Kommunen und die Länder und die Kommunen vor Ort und mehr.")
    assert [change.sentence() for change in changes] == ["In Zeile 1 nach „die Kommunen“ einfügen: „vor Ort“."]
    changes = compute_changes(lines, "Die Kommunen und die Länder und auch die Kommunen und mehr.")
    assert [change.sentence() for change in changes] == ["In Zeile 1 nach „Länder und“ einfügen: „auch“."]


def test_a_rewrite_is_one_replacement_of_the_whole_passage():
    assert sentences("Die Zuständigkeit bleibt, wo sie ist: verteilt auf mehrere Ressorts.") == [
        "In Zeile 2 bis 5 wird „" + passage_text(passage()) + "“ ersetzt durch „Die Zuständigkeit bleibt, wo sie "
        "ist: verteilt auf mehrere Ressorts.“"
    ]


def test_striking_the_whole_passage():
    assert sentences(DELETION) == ["In Zeile 2 bis 5 streichen: „" + passage_text(passage()) + "“"]


def test_an_unchanged_text_needs_no_instruction():
    assert sentences(passage_text(passage())) == []
    assert compute_changes([], "irgendwas") == []


def test_a_passage_with_an_overlong_word_is_compared_word_by_word():
    url = "https://example.org/" + "pfad/" * 20
    text = f"Siehe {url} für Details."
    lines = number_lines(text)
    assert len(lines) == 3
    assert [c.sentence() for c in compute_changes(lines, f"Siehe {url} für alle Details.")] == [
        "In Zeile 3 nach „für“ einfügen: „alle“."
    ]


# ---------------------------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def provision(db_session):
    motion = make_motion(db_session, full_text=TEXT)
    return add_provision(db_session, motion, ProvisionData(title="Innenministerium", line_from=2, line_to=5))


def test_save_and_clear_an_amendment_with_audit_entries(db_session, provision):
    user = make_user(db_session)
    new = passage_text(passage()).replace("Innenministerium", "Integrationsministerium")
    save_amendment(db_session, provision, new.replace("\n", "\r\n") + "\n\n", user=user)
    assert provision.amendment_text == new
    save_amendment(db_session, provision, "", delete_passage=True, user=user)
    assert provision.amendment_text == DELETION
    clear_amendment(db_session, provision, user=user)
    assert provision.amendment_text == ""
    with pytest.raises(ServiceError, match="keinen Änderungsantrag"):
        clear_amendment(db_session, provision)
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "Provision").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.details.get("kind")) for e in events if e.action.startswith("provision.amendment")] == [
        ("provision.amendment", "text"),
        ("provision.amendment", "deletion"),
        ("provision.amendment_clear", None),
    ]
    assert all(event.user_id == user.id for event in events if event.action.startswith("provision.amendment"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   \n\n  ", "neuen Wortlaut eingeben"),
        ("x" * 20_001, "höchstens 20.000 Zeichen"),
    ],
)
def test_bad_amendment_text_is_refused(db_session, provision, text, message):
    with pytest.raises(ServiceError, match=message):
        save_amendment(db_session, provision, text)
    assert provision.amendment_text == ""


def test_an_amendment_identical_to_the_passage_is_refused(db_session, provision):
    with pytest.raises(ServiceError, match="identisch"):
        save_amendment(db_session, provision, passage_text(passage()).replace(" ", "  "))


def test_an_amendment_needs_a_line_range_inside_the_text(db_session):
    motion = make_motion(db_session, full_text=TEXT)
    without = add_provision(db_session, motion, ProvisionData(title="Ohne Zeilen"))
    with pytest.raises(ServiceError, match="Zeilenbereich"):
        save_amendment(db_session, without, "Neuer Text")
    beyond = add_provision(db_session, motion, ProvisionData(title="Später", line_from=6, line_to=6))
    motion.full_text = "Nur noch ein Absatz."
    with pytest.raises(ServiceError, match="Zeilenbereich"):
        save_amendment(db_session, beyond, "Neuer Text")


def test_drafts_are_numbered_and_stale_ones_are_flagged(db_session):
    motion = make_motion(db_session, full_text=TEXT)
    first = add_provision(db_session, motion, ProvisionData(title="Präambel", line_from=1, line_to=1))
    second = add_provision(db_session, motion, ProvisionData(title="Schluss", line_from=6, line_to=6))
    add_provision(db_session, motion, ProvisionData(title="Ohne Entwurf", line_from=2, line_to=2))
    save_amendment(db_session, first, "Präambel: Der Landesparteitag möge folgendes beschließen.")
    save_amendment(db_session, second, "", delete_passage=True)
    drafts = amendment_drafts(motion)
    assert [(draft.number, draft.provision.title, draft.problem) for draft in drafts] == [
        (1, "Präambel", ""),
        (2, "Schluss", ""),
    ]
    motion.full_text = "Präambel: Der Landesparteitag möge beschließen."
    drafts = amendment_drafts(motion)
    assert drafts[1].number == 0 and "passt nicht mehr" in drafts[1].problem


# ---------------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------------


def test_pdf_export_lists_every_draft_in_the_usual_form(db_session):
    seed_demo(db_session)
    motion = db_session.scalar(select(Motion))
    ministry = db_session.scalar(select(Provision).where(Provision.key == "innenministerium"))
    duty = db_session.scalar(select(Provision).where(Provision.key == "meldepflichten"))
    old = passage_text(number_lines(motion.full_text)[ministry.line_from - 1 : ministry.line_to])
    save_amendment(db_session, ministry, old.replace("im Innenministerium zu bündeln", "auf die Ressorts zu verteilen"))
    save_amendment(db_session, duty, "", delete_passage=True)

    text = pdf_text(render_amendments_pdf(motion, submitter=submitter_for(db_session, motion)))
    assert "Änderungsanträge" in text or "ÄNDERUNGSANTRÄGE" in text
    assert "zum Leitantrag „NRW, jetzt erst gerecht“" in text
    assert "Antragsteller:in Initiative Offenes Ankommen NRW e. V." in text
    assert "Ä1 zu Zeile 9 bis 12: Bündelung im Innenministerium" in text
    assert "In Zeile 10 wird „im Innenministerium zu bündeln.“ ersetzt durch „auf die Ressorts zu verteilen.“" in text
    assert f"Ä2 zu Zeile {duty.line_from} bis {duty.line_to}: Strikte Meldepflichten" in text
    assert f"In Zeile {duty.line_from} bis {duty.line_to} streichen: „Meldepflichten: Der Antrag sieht strikte" in text
    # The arguments linked to the provision are its justification.
    assert "Begründung" in text
    assert ministry.arguments[0].claim[:40] in text
    assert "Seite 1 von" in text


def test_pdf_export_without_drafts_is_refused(db_session):
    motion = make_motion(db_session, full_text=TEXT)
    with pytest.raises(ServiceError, match="noch keine Änderungsanträge"):
        render_amendments_pdf(motion)


def test_hostile_titles_are_escaped_in_the_export(db_session):
    motion = make_motion(db_session, full_text=TEXT)
    motion.title = "<script>alert(1)</script> Antrag"
    provision = add_provision(db_session, motion, ProvisionData(title="<b>fett</b>", line_from=1, line_to=1))
    save_amendment(db_session, provision, "<img src=x onerror=alert(1)>")
    html = amendments_html(motion, amendment_drafts(motion))
    assert "<script>" not in html and "<b>fett</b>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "alert(1)" in pdf_text(render_amendments_pdf(motion))
