"""Line numbering of motion texts, and editing motions and provisions through the service layer."""

from __future__ import annotations

import random
import unicodedata
from datetime import date

import pytest
from sqlalchemy import select

from campaign.demo import content
from campaign.models import AuditEvent, Motion, MotionKind, MotionStatus, Provision, Stance
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import slugify
from campaign.services.demo import seed_demo
from campaign.services.evidence.motions import (
    MotionData,
    archive_motion,
    create_motion,
    list_motions,
    motion_data,
    unarchive_motion,
    update_motion,
)
from campaign.services.evidence.numbering import (
    LINE_LENGTH,
    line_count,
    line_range_of,
    number_lines,
    paragraphs,
    passage_text,
    quoted_lines,
)
from campaign.services.evidence.provisions import (
    ProvisionData,
    add_provision,
    delete_provision,
    move_provision,
    update_provision,
)
from tests.factories import make_motion, make_user

WORDS = ["Antrag", "Unterbringung", "im", "Innenministerium", "zu", "bündeln", "Landeseinrichtungen", "Übergänge"]


def texts(lines):
    return [line.text for line in lines]


def random_paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


# ---------------------------------------------------------------------------------------------------------------
# Numbering
# ---------------------------------------------------------------------------------------------------------------


def test_lines_are_wrapped_at_80_characters_and_numbered_continuously_across_paragraphs():
    first = " ".join(["Wort"] * 40)  # 199 characters: 16 words of 4 + spaces fit on a line of 80
    second = " ".join(["Satz"] * 20)
    lines = number_lines(f"{first}\n\n{second}")
    assert [line.number for line in lines] == [1, 2, 3, 4, 5]
    assert texts(lines)[0] == " ".join(["Wort"] * 16)
    assert all(len(line.text) <= LINE_LENGTH for line in lines)
    assert [line.starts_paragraph for line in lines] == [True, False, False, True, False]


def test_blank_lines_separate_paragraphs_and_get_no_number():
    lines = number_lines("\n\n\nErster Absatz.\n\n\n\n   \n\t\nZweiter Absatz.\n\n")
    assert texts(lines) == ["Erster Absatz.", "Zweiter Absatz."]
    assert [line.number for line in lines] == [1, 2]
    assert number_lines("") == [] and number_lines("  \n\n \t ") == [] and line_count("") == 0


def test_single_line_breaks_inside_a_paragraph_are_soft():
    lines = number_lines("Die Kommunen sollen\nfinanziell stärker\nunterstützt werden.")
    assert texts(lines) == ["Die Kommunen sollen finanziell stärker unterstützt werden."]


def test_windows_and_old_mac_line_endings_number_like_unix_ones():
    unix = "Erster Absatz\nmit zwei Zeilen.\n\nZweiter Absatz."
    assert texts(number_lines(unix.replace("\n", "\r\n"))) == texts(number_lines(unix))
    assert texts(number_lines(unix.replace("\n", "\r"))) == texts(number_lines(unix))
    assert texts(number_lines(unix)) == ["Erster Absatz mit zwei Zeilen.", "Zweiter Absatz."]


def test_a_word_longer_than_a_line_is_cut_at_the_line_length():
    url = "https://example.org/" + "sehr-langer-pfad-" * 6  # 122 characters, no spaces
    lines = number_lines(f"Siehe {url} danach.")
    assert texts(lines) == ["Siehe", url[:80], url[80:] + " danach."]
    assert [line.continues_word for line in lines] == [False, False, True]
    # Joining the lines again gives back the word without a space in it.
    assert passage_text(lines) == f"Siehe {url} danach."


def test_a_word_of_exactly_80_characters_fills_one_line():
    word = "x" * 80
    assert texts(number_lines(f"a {word} b")) == ["a", word, "b"]


def test_umlauts_count_as_one_character_however_they_were_typed():
    composed = "Über die Zuständigkeit für Flüchtlinge wird im Ausschuss für Änderungen gesprochen. " * 3
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > len(composed)
    assert texts(number_lines(decomposed)) == texts(number_lines(composed))
    assert all(len(line.text) <= LINE_LENGTH for line in number_lines(decomposed))
    assert "Zuständigkeit" in number_lines(decomposed)[0].text


def test_names_with_turkish_polish_and_french_letters_are_kept_intact():
    text = "Gespräch mit Ayşe Doğan, Paweł Łukasiewicz und Hélène Müller-Straß über die Aufnahme in Köln."
    lines = number_lines(text)
    assert texts(lines) == [
        "Gespräch mit Ayşe Doğan, Paweł Łukasiewicz und Hélène Müller-Straß über die",
        "Aufnahme in Köln.",
    ]
    assert passage_text(lines) == text


def test_no_break_spaces_keep_their_words_together_and_invisible_characters_do_not_count():
    text = ("a " * 36) + "§\u00a012\u00a0Abs.\u00a03"
    lines = number_lines(text)
    assert lines[-1].text == "§\u00a012\u00a0Abs.\u00a03"
    soft = "Ver\u00adant\u00adwor\u00adtung"
    assert texts(number_lines(soft)) == ["Verantwortung"]


def test_runs_of_spaces_and_tabs_collapse():
    assert texts(number_lines("Zu   viele\t\tLeerzeichen  ")) == ["Zu viele Leerzeichen"]


def test_numbering_before_a_passage_is_stable_when_the_text_before_it_is_unchanged():
    rng = random.Random(20260126)
    for _ in range(40):
        before = [random_paragraph(rng, rng.randint(1, 60)) for _ in range(rng.randint(1, 5))]
        after_a = [random_paragraph(rng, rng.randint(1, 60)) for _ in range(rng.randint(0, 4))]
        after_b = [random_paragraph(rng, rng.randint(1, 60)) for _ in range(rng.randint(0, 4))]
        one = number_lines("\n\n".join(before + after_a))
        two = number_lines("\n\n".join(before + after_b))
        count = len(number_lines("\n\n".join(before)))
        assert one[:count] == two[:count]


def test_editing_a_later_paragraph_does_not_renumber_earlier_lines():
    paragraphs_ = [
        "Zuständigkeit: Der Antrag sieht vor, Ausländerrecht, Rückkehrmanagement und Unterbringung im "
        "Innenministerium zu bündeln.",
        "Abschiebungen sollen vollständig zur Aufgabe des Landes werden.",
        "Die Kommunen sollen finanziell stärker unterstützt werden.",
    ]
    original = number_lines("\n\n".join(paragraphs_))
    edited = list(paragraphs_)
    edited[1] = edited[1] + " " + "Dieser Satz ist neu und verlängert den Absatz deutlich über eine Zeile hinaus."
    changed = number_lines("\n\n".join(edited))
    assert changed[:2] == original[:2]
    assert len(changed) == len(original) + 1
    # The paragraph after the edit keeps its text, one line further down.
    assert changed[-1].text == original[-1].text and changed[-1].number == original[-1].number + 1


def test_demo_motion_is_numbered_with_every_provision_on_its_paragraph():
    text = content.MOTION["full_text"]
    lines = number_lines(text)
    assert len(lines) == 32
    assert line_range_of(text, "Unterbringung im Innenministerium zu bündeln") == (9, 12)
    assert line_range_of(text, "gibt es nicht") is None
    quoted = quoted_lines(text, 9, 12)
    assert quoted[0].text.startswith("Zuständigkeit:") and quoted[-1].number == 12
    assert quoted_lines(text, None, None) == []


def test_paragraphs_and_passage_text_round_trip():
    text = "Erster Absatz\nmit Umbruch.\r\n\r\nZweiter Absatz."
    assert paragraphs(text) == ["Erster Absatz mit Umbruch.", "Zweiter Absatz."]
    assert passage_text(number_lines(text)) == "Erster Absatz mit Umbruch.\n\nZweiter Absatz."


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("NRW, jetzt erst gerecht!", "nrw-jetzt-erst-gerecht"),
        ("Öffnung für Flüchtlinge – Straße frei", "oeffnung-fuer-fluechtlinge-strasse-frei"),
        ("Doğan & Łukasiewicz: Café", "dogan-lukasiewicz-cafe"),
        ("!!!", ""),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


# ---------------------------------------------------------------------------------------------------------------
# Motions
# ---------------------------------------------------------------------------------------------------------------


def audit(db_session, action):
    return db_session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


def test_create_motion_generates_a_unique_slug_and_records_who_did_it(db_session):
    user = make_user(db_session)
    first = create_motion(db_session, MotionData(title="Sichere Häfen für NRW"), user=user)
    second = create_motion(db_session, MotionData(title="Sichere Häfen für NRW"), user=user)
    nameless = create_motion(db_session, MotionData(title="???"), user=user)
    assert first.slug == "sichere-haefen-fuer-nrw"
    assert second.slug == "sichere-haefen-fuer-nrw-2"
    assert nameless.slug == "antrag"
    events = audit(db_session, "motion.create")
    assert [event.object_id for event in events] == [first.id, second.id, nameless.id]
    assert events[0].user_id == user.id and events[0].details["title"] == "Sichere Häfen für NRW"


def test_create_motion_stores_every_field_and_normalises_the_text(db_session):
    motion = create_motion(
        db_session,
        MotionData(
            title="  Leitantrag  ",
            slug="leitantrag-2026",
            kind="leitantrag",
            party="SPD NRW",
            body="Landesvorstand",
            presented_on=date(2026, 1, 26),
            decision_forum="Landesparteitag",
            decision_date=date(2026, 3, 14),
            status="adopted",
            source_url="https://example.org/antrag.pdf",
            full_text="\r\n\r\nErste Zeile   \r\nzweite Zeile\r\n\r\n",
        ),
    )
    assert motion.title == "Leitantrag" and motion.slug == "leitantrag-2026"
    assert motion.kind is MotionKind.LEITANTRAG and motion.status is MotionStatus.ADOPTED
    assert motion.full_text == "Erste Zeile\nzweite Zeile"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Titel"),
        ({"title": "x" * 301}, "title", "höchstens 300"),
        ({"slug": "Groß Buchstaben"}, "slug", "Kleinbuchstaben"),
        ({"slug": "a--b"}, "slug", "Kleinbuchstaben"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "https://"),
        ({"source_url": "ftp://example.org/x"}, "source_url", "https://"),
        ({"source_url": "https://"}, "source_url", "https://"),
        ({"kind": "pamphlet"}, "kind", "Unbekannter Wert"),
        ({"status": "vertagt"}, "status", "Unbekannter Wert"),
        ({"party": "p" * 121}, "party", "höchstens 120"),
        ({"presented_on": date(2026, 3, 1), "decision_date": date(2026, 2, 1)}, "decision_date", "vor dem Datum"),
        ({"full_text": "a " * 260_000}, "full_text", "zu lang"),
    ],
)
def test_bad_motion_input_is_refused_with_a_message_for_its_field(db_session, changes, field, message):
    with pytest.raises(ServiceError) as caught:
        create_motion(db_session, MotionData(**{"title": "Antrag", **changes}))
    assert caught.value.field == field and message in str(caught.value)
    assert db_session.scalar(select(Motion.id)) is None


def test_a_slug_that_is_taken_is_refused_but_a_motion_may_keep_its_own(db_session):
    taken = make_motion(db_session)
    other = make_motion(db_session)
    with pytest.raises(ServiceError, match="schon vergeben"):
        update_motion(db_session, other, MotionData(title=other.title, slug=taken.slug))
    result = update_motion(db_session, taken, MotionData(title="Neuer Titel", slug=taken.slug))
    assert result.changed == ["title"] and taken.slug.startswith("antrag-")


def test_update_motion_records_the_changed_fields_only(db_session):
    user = make_user(db_session)
    motion = make_motion(db_session, party="SPD")
    result = update_motion(
        db_session, motion, MotionData(title=motion.title, slug=motion.slug, party="SPD NRW"), user=user
    )
    assert result.changed == ["party"]
    assert (
        update_motion(db_session, motion, MotionData(title=motion.title, slug=motion.slug, party="SPD NRW")).changed
        == []
    )
    events = audit(db_session, "motion.update")
    assert len(events) == 1 and events[0].details["changed"] == ["party"] and events[0].user_id == user.id


def test_provisions_follow_their_passage_when_the_text_before_them_changes(db_session):
    seed_demo(db_session)
    motion = db_session.scalar(select(Motion))
    before = {
        p.key: (p.line_from, p.line_to, texts(quoted_lines(motion.full_text, p.line_from, p.line_to)))
        for p in motion.provisions
    }
    new_text = "Vorbemerkung: Dieser Absatz ist neu und steht vor allem anderen.\n\n" + motion.full_text
    data = motion_data(motion)
    data.full_text = new_text
    result = update_motion(db_session, motion, data)
    assert result.changed == ["full_text"]
    assert len(result.reanchoring.moved) == len(motion.provisions) and not result.reanchoring.unresolved
    for provision in motion.provisions:
        old_from, old_to, old_quote = before[provision.key]
        assert (provision.line_from, provision.line_to) == (old_from + 1, old_to + 1)
        assert texts(quoted_lines(motion.full_text, provision.line_from, provision.line_to)) == old_quote


def test_a_provision_whose_passage_disappeared_keeps_its_lines_and_is_reported(db_session):
    motion = make_motion(db_session, full_text="Erster Absatz bleibt.\n\nZweiter Absatz fällt weg.")
    provision = add_provision(db_session, motion, ProvisionData(title="Zweiter", line_from=2, line_to=2))
    keeper = add_provision(db_session, motion, ProvisionData(title="Erster", line_from=1, line_to=1))
    result = update_motion(
        db_session, motion, MotionData(title=motion.title, slug=motion.slug, full_text="Erster Absatz bleibt.")
    )
    assert result.reanchoring.unresolved == [provision] and result.reanchoring.moved == []
    assert (provision.line_from, keeper.line_from) == (2, 1)
    event = audit(db_session, "motion.update")[-1]
    assert event.details["unresolved_provisions"] == [provision.id]


def test_a_passage_that_occurs_twice_follows_the_occurrence_it_was_on(db_session):
    text = "Gleicher Absatz.\n\nDazwischen.\n\nGleicher Absatz."
    motion = make_motion(db_session, full_text=text)
    second = add_provision(db_session, motion, ProvisionData(title="Zweites Vorkommen", line_from=3, line_to=3))
    update_motion(db_session, motion, MotionData(title=motion.title, slug=motion.slug, full_text="Neu.\n\n" + text))
    assert (second.line_from, second.line_to) == (4, 4)


def test_a_passage_rewrapped_by_an_edit_in_its_own_paragraph_is_found_again(db_session):
    sentence = "Die Kommunen sollen finanziell stärker unterstützt werden."
    text = ("Einleitung " * 10).strip() + " " + sentence
    motion = make_motion(db_session, full_text=text)
    line = next(line.number for line in number_lines(text) if "finanziell" in line.text)
    provision = add_provision(db_session, motion, ProvisionData(title="Kommunen", line_from=line, line_to=line))
    quoted = texts(quoted_lines(text, line, line))[0]
    new_text = "Ganz neue und deutlich längere Einleitung, die den Umbruch verschiebt. " + text
    update_motion(db_session, motion, MotionData(title=motion.title, slug=motion.slug, full_text=new_text))
    assert quoted in passage_text(quoted_lines(new_text, provision.line_from, provision.line_to))


def test_archive_and_unarchive(db_session):
    user = make_user(db_session)
    current = create_motion(db_session, MotionData(title="B aktuell"))
    archived = create_motion(db_session, MotionData(title="A alt"))
    archive_motion(db_session, archived, user=user)
    assert list_motions(db_session) == [current]
    assert list_motions(db_session, archived=True) == [archived]
    assert list_motions(db_session, archived=None) == [archived, current]
    with pytest.raises(ServiceError, match="bereits archiviert"):
        archive_motion(db_session, archived)
    unarchive_motion(db_session, archived, user=user)
    with pytest.raises(ServiceError, match="nicht archiviert"):
        unarchive_motion(db_session, archived)
    assert [event.action for event in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))][-2:] == [
        "motion.archive",
        "motion.unarchive",
    ]


# ---------------------------------------------------------------------------------------------------------------
# Provisions
# ---------------------------------------------------------------------------------------------------------------

TEXT = "\n\n".join(f"Absatz {number}: " + "Text des Antrags " * 8 for number in range(1, 6))


def test_add_provision_validates_the_line_range_against_the_text(db_session):
    motion = make_motion(db_session, full_text=TEXT)
    count = line_count(TEXT)
    provision = add_provision(
        db_session, motion, ProvisionData(title="Absatz zwei", stance="amend", line_from=3, line_to=4, summary="…")
    )
    assert provision.key == "absatz-zwei" and provision.position == 0 and provision.stance is Stance.AMEND
    assert texts(quoted_lines(motion.full_text, 3, 4))[0].startswith("Absatz 2")
    for line_from, line_to, field, message in [
        (0, 2, "line_from", f"zwischen 1 und {count}"),
        (1, count + 1, "line_to", f"zwischen 1 und {count}"),
        (4, 3, "line_to", "nicht vor der ersten"),
        (2, None, "line_to", "letzte Zeile"),
        (None, 2, "line_from", "erste Zeile"),
    ]:
        with pytest.raises(ServiceError, match=message) as caught:
            add_provision(db_session, motion, ProvisionData(title="X", line_from=line_from, line_to=line_to))
        assert caught.value.field == field
    assert [p.title for p in motion.provisions] == ["Absatz zwei"]


def test_a_provision_without_lines_is_allowed_but_not_on_a_motion_without_text(db_session):
    empty = make_motion(db_session)
    add_provision(db_session, empty, ProvisionData(title="Allgemein"))
    with pytest.raises(ServiceError, match="noch keinen Text"):
        add_provision(db_session, empty, ProvisionData(title="Zeilen", line_from=1, line_to=1))
    with pytest.raises(ServiceError, match="Titel"):
        add_provision(db_session, empty, ProvisionData(title=" "))
    with pytest.raises(ServiceError, match="Unbekannter Wert"):
        add_provision(db_session, empty, ProvisionData(title="X", stance="dafür"))


def test_provision_keys_stay_unique_within_a_motion(db_session):
    motion = make_motion(db_session, full_text=TEXT)
    keys = [add_provision(db_session, motion, ProvisionData(title="Meldepflichten")).key for _ in range(3)]
    assert keys == ["meldepflichten", "meldepflichten-2", "meldepflichten-3"]


def test_update_move_and_delete_provisions_with_audit_entries(db_session):
    user = make_user(db_session)
    motion = make_motion(db_session, full_text=TEXT)
    first, second, third = (
        add_provision(db_session, motion, ProvisionData(title=title, line_from=1, line_to=2), user=user)
        for title in ("Eins", "Zwei", "Drei")
    )
    update_provision(
        db_session, second, ProvisionData(title="Zwei neu", stance="welcome", line_from=5, line_to=6), user=user
    )
    assert (second.title, second.stance, second.line_from) == ("Zwei neu", Stance.WELCOME, 5)

    assert move_provision(db_session, third, "up", user=user)
    assert [p.title for p in motion.provisions] == ["Eins", "Drei", "Zwei neu"]
    assert not move_provision(db_session, first, "up", user=user)
    assert move_provision(db_session, first, "down", user=user)
    assert [p.title for p in motion.provisions] == ["Drei", "Eins", "Zwei neu"]
    with pytest.raises(ServiceError):
        move_provision(db_session, first, "sideways")

    delete_provision(db_session, third, user=user)
    db_session.expire_all()
    remaining = db_session.scalars(select(Provision).order_by(Provision.position)).all()
    assert [(p.title, p.position) for p in remaining] == [("Eins", 0), ("Zwei neu", 1)]
    actions = [event.action for event in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("provision.create") == 3
    assert actions.count("provision.update") == 1 and actions.count("provision.move") == 2
    deleted = audit(db_session, "provision.delete")[0]
    assert deleted.details["title"] == "Drei" and deleted.user_id == user.id


def test_deleting_a_provision_reports_how_many_arguments_lose_their_link(db_session):
    seed_demo(db_session)
    provision = db_session.scalar(select(Provision).where(Provision.key == "innenministerium"))
    linked = len(provision.arguments)
    assert linked > 0
    assert delete_provision(db_session, provision) == linked
