"""`campaign letters render`: one correct PDF per recipient, ZIP and print file, and one-line errors."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from campaign.cli.letter_render import RenderProgress
from campaign.db import db
from campaign.models import FormOfAddress, Letter, Recipient, Target
from campaign.services.letters.compose import address_lines
from campaign.services.letters.salutation import salutation_for
from tests.factories import make_campaign, make_recipient
from tests.factories_letters import (
    FILLER,
    WINDOW,
    assert_in_window,
    make_letter_campaign,
    make_organisation,
    pdf_text,
    text_lines,
)

SLUG = "nrw-jetzt-erst-gerecht"


# Twelve letters: two chunks of the render pool, three regions, every form of address, names beyond ASCII.
PEOPLE = [
    (FormOfAddress.FRAU, "Ayşe", "Doğan", "Köln"),
    (FormOfAddress.HERR, "Łukasz", "Wąsowski", "Bonn"),
    (FormOfAddress.DIVERS, "Kim", "Groß", "Düsseldorf"),
    (FormOfAddress.UNBEKANNT, "Élodie", "Müller-Lüdenscheidt", "Köln"),
    (FormOfAddress.FRAU, "Jana", "Schmitz", "Bonn"),
    (FormOfAddress.HERR, "Jürgen", "Weiß", "Düsseldorf"),
    (FormOfAddress.FRAU, "Sevgi", "Yılmaz", "Köln"),
    (FormOfAddress.HERR, "Tomasz", "Żak", "Bonn"),
    (FormOfAddress.FRAU, "Renée", "Fontaine", "Düsseldorf"),
    (FormOfAddress.HERR, "Stefan", "Ölçer", "Köln"),
    (FormOfAddress.FRAU, "Greta", "Straßburg", "Bonn"),
    (FormOfAddress.HERR, "Malte", "Schäfer", "Düsseldorf"),
]
LETTERS = len(PEOPLE)
# Two pages (so each carries "Seite 1 von 2"), with a sentence that differs per region.
BODY = (
    "{{ salutation }},\n\n"
    + "\n\n".join(FILLER * 4 for _ in range(6))
    + "\n\nGerade im Unterbezirk {{ recipient.unterbezirk }} zählt Ihre Stimme."
)


@pytest.fixture
def demo(app):
    """A campaign with a letter template and twelve targeted recipients; the number of letters it makes."""
    with app.app_context():
        campaign, _version, _people = make_letter_campaign(db.session, body=BODY)
        campaign.slug = SLUG
        for index, (form, first, last, region) in enumerate(PEOPLE):
            person = make_recipient(
                db.session,
                form_of_address=form,
                first_name=first,
                last_name=last,
                street=f"Fliederhofweg {index + 1}",
                postcode=f"{59000 - index * 700:05d}",
                city=region,
                unterbezirk=region,
            )
            db.session.add(Target(campaign=campaign, recipient=person))
        db.session.commit()
        return db.session.scalar(select(db.func.count()).select_from(Target))


def _one_line_error(result, text):
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Fehler: ") and text in lines[0], result.output


def test_render_writes_one_correct_pdf_per_recipient(app, runner, demo, tmp_path):
    out = tmp_path / "briefe"
    result = runner.invoke(args=["letters", "render", SLUG, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{demo} Briefe" in result.output
    # Not a terminal: plain lines per chunk, from nothing to every letter.
    progress = re.findall(rf"^(\d+)/{LETTERS} Briefe$", result.output, flags=re.MULTILINE)
    assert progress[0] == "0" and progress[-1] == str(LETTERS) and len(progress) > 2
    assert [int(done) for done in progress] == sorted(int(done) for done in progress)
    files = sorted(out.glob("*.pdf"))
    assert len(files) == demo == LETTERS
    with app.app_context():
        seen = set()
        for path in files:
            code = path.name[: len("NRW-2026-0001")]
            letter = db.session.scalars(select(Letter).where(Letter.reference_code == code)).one()
            recipient = db.session.get(Recipient, letter.recipient_id)
            seen.add(recipient.id)
            pdf = path.read_bytes()
            text = pdf_text(pdf)
            assert f"{salutation_for(recipient)}," in text, path.name
            assert recipient.full_name in text
            lines = address_lines(recipient)
            assert all(line in text for line in lines)
            assert_in_window(pdf, lines)
            assert letter.address_block == "\n".join(lines)
            assert f"Seite {len(PdfReader(io.BytesIO(pdf)).pages)} von {len(PdfReader(io.BytesIO(pdf)).pages)}" in text
        assert len(seen) == LETTERS


def test_rendering_again_keeps_codes_and_files(app, runner, demo, tmp_path):
    runner.invoke(args=["letters", "render", SLUG, "--out", str(tmp_path / "a")])
    runner.invoke(args=["letters", "render", SLUG, "--out", str(tmp_path / "b")])
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert first == second
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Letter)) == LETTERS


def test_zip_and_merged_formats(app, runner, demo, tmp_path):
    result = runner.invoke(args=["letters", "render", SLUG, "--out", str(tmp_path), "--format", "zip"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / f"{SLUG}-briefe.zip") as archive:
        names = archive.namelist()
        assert len(names) == LETTERS and all(name.endswith(".pdf") for name in names)
        assert "Sehr geehrte" in pdf_text(archive.read(names[0])) or "Guten Tag" in pdf_text(archive.read(names[0]))

    result = runner.invoke(
        args=["letters", "render", SLUG, "--out", str(tmp_path), "--format", "merged", "--sort", "region"]
    )
    assert result.exit_code == 0, result.output
    pdf = (tmp_path / f"{SLUG}-druck.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    regions = [item.title for item in reader.outline if not isinstance(item, list)]
    assert regions == sorted(regions) and "Köln" in regions
    text = pdf_text(pdf)
    assert text.count("Mit freundlichen Grüßen") == LETTERS

    result = runner.invoke(args=["letters", "render", SLUG, "--out", str(tmp_path), "--format", "merged"])
    pdf = (tmp_path / f"{SLUG}-druck.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    with app.app_context():
        postcodes = sorted(r.postcode for r in db.session.scalars(select(Recipient)))
    first_pages = [i for i, page in enumerate(reader.pages, 1) if "Unser Zeichen" in (page.extract_text() or "")]
    # The postcode line of the address zone, read from the window field of each letter's first page.
    found = [
        line.text[:5]
        for number in first_pages
        for line in text_lines(pdf, number)
        if re.match(r"\d{5} ", line.text) and line.top >= WINDOW["top"] + 17 and line.bottom <= WINDOW["bottom"]
    ]
    assert found == postcodes


def test_bad_input_gives_one_line_and_a_non_zero_exit(app, runner, demo, tmp_path):
    _one_line_error(runner.invoke(args=["letters", "render", "gibt-es-nicht", "--out", str(tmp_path)]), "gibt-es-nicht")
    _one_line_error(runner.invoke(args=["letters", "render", SLUG, "--out", str(tmp_path), "--format", "docx"]), "docx")
    _one_line_error(runner.invoke(args=["letters", "render", SLUG, "--out", str(tmp_path), "--sort", "name"]), "name")
    blocker = tmp_path / "datei"
    blocker.write_text("kein Verzeichnis")
    _one_line_error(runner.invoke(args=["letters", "render", SLUG, "--out", str(blocker / "x")]), "Verzeichnis")
    with app.app_context():
        bare = make_campaign(db.session, organisation=make_organisation(db.session))
        db.session.add(Target(campaign=bare, recipient=make_recipient(db.session)))
        db.session.commit()
        slug = bare.slug
    _one_line_error(runner.invoke(args=["letters", "render", slug, "--out", str(tmp_path)]), "keine Briefvorlage")
    assert not list(tmp_path.glob("*.pdf"))


class _Terminal(io.StringIO):
    """Output that says it is a terminal, as a user's shell is."""

    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_is_one_bar_that_reaches_every_letter():
    terminal = _Terminal()
    progress = RenderProgress(terminal)
    for done in (0, 8, 16, 20):
        progress(done, 20)
    progress.close()
    shown = terminal.getvalue()
    assert "Briefe" in shown and "20/20" in shown and "100%" in shown
    assert "8/20 Briefe\n" not in shown  # a bar redrawn in place, not a line per chunk
    assert shown.endswith("\n")
