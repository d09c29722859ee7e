"""The DIN 5008 PDF: text, window position, page numbers, fonts, metadata, PDF/A, and the bulk path's outputs."""

from __future__ import annotations

import gc
import io
import zipfile
from itertools import pairwise

import pytest
from pypdf import PdfReader

from campaign.models import FormOfAddress
from campaign.services.common.text import slugify
from campaign.services.letters.batch.plan import letter_filename
from campaign.services.letters.batch.renderer import ChunkTask, LetterRenderer
from campaign.services.letters.batch.run import render_campaign_letters
from campaign.services.letters.compose import address_lines, compose_letter
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.letters.snapshots import sha256
from tests.factories import make_recipient
from tests.factories_letters import (
    FILLER,
    ON,
    assert_in_window,
    embedded_fonts,
    line_box,
    make_letter_campaign,
    page_texts,
    pdf_text,
)

LONG_BODY = "{{ salutation }},\n\n" + "\n\n".join(FILLER * 4 for _ in range(7)) + "\n\nMit Dank im Voraus."


def _person(session, **values):
    values = {
        "form_of_address": FormOfAddress.FRAU,
        "title": "Dr.",
        "first_name": "Ayşe",
        "last_name": "Karadağ-Łukasik",
        "function": "Delegierte zum Landesparteitag",
        "organisation": "SPD-Unterbezirk Köln",
        "street": "Fliederhofweg 14",
        "postcode": "50823",
        "city": "Köln",
        **values,
    }
    return make_recipient(session, **values)


def test_letter_text_has_salutation_name_and_address_in_the_window(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    person = _person(db_session)
    letter = compose_letter(campaign, person, on=ON, reference_code="NRW-2026-0007")
    pdf = render_letters_pdf([letter])
    text = pdf_text(pdf)
    assert "Sehr geehrte Frau Dr. Karadağ-Łukasik," in text
    for line in address_lines(person):
        assert line in text
    assert_in_window(pdf, address_lines(person))
    assert "NRW-2026-0007" in text and "2. März 2026" in text and "Unser Zeichen" in text
    assert "Mit freundlichen Grüßen" in text and "Dr. Friederike Lanfermann" in text
    # The return line sits in the window too, above the address (DIN 5008 remark zone).
    return_line = line_box(pdf, campaign.organisation.return_line)
    assert return_line.left >= 20 and return_line.bottom <= line_box(pdf, "SPD-Unterbezirk Köln").top
    assert return_line.top >= 45


def test_a_street_over_several_lines_is_printed_line_by_line_in_the_window(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    person = _person(db_session, function="", street="c/o Bürogemeinschaft Südstadt\nSeverinstraße 5\n2. OG")
    lines = address_lines(person)
    assert lines[2:5] == ["c/o Bürogemeinschaft Südstadt", "Severinstraße 5", "2. OG"]
    pdf = render_letters_pdf([compose_letter(campaign, person, on=ON, reference_code="T-1")])
    assert_in_window(pdf, lines)
    boxes = [line_box(pdf, line) for line in lines]
    # One line of the block each (10 pt at 1.15 line height: about 4 mm apart), in the order of the address.
    gaps = [lower.top - upper.top for upper, lower in pairwise(boxes)]
    assert all(3.5 < gap < 4.5 for gap in gaps), gaps


def test_a_two_page_letter_numbers_its_second_page_only(db_session):
    campaign, _, _ = make_letter_campaign(db_session, body=LONG_BODY)
    pdf = render_letters_pdf([compose_letter(campaign, _person(db_session), on=ON, reference_code="T-1")])
    pages = page_texts(pdf)
    assert len(pages) == 2
    assert "Seite" not in pages[0]
    assert "Seite 2 von 2" in pages[1]


def test_page_numbers_restart_for_every_letter_in_one_document(db_session):
    campaign, _, _ = make_letter_campaign(db_session, body=LONG_BODY)
    short_campaign, _, _ = make_letter_campaign(db_session)
    letters = [
        compose_letter(campaign, _person(db_session), on=ON, reference_code="T-1"),
        compose_letter(short_campaign, _person(db_session), on=ON, reference_code="T-2"),
        compose_letter(campaign, _person(db_session, last_name="Ćosić"), on=ON, reference_code="T-3"),
    ]
    pages = page_texts(render_letters_pdf(letters))
    assert len(pages) == 5
    assert ["Seite 2 von 2" in page for page in pages] == [False, True, False, False, True]


def test_fonts_are_embedded_and_cover_the_names(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    person = _person(db_session, first_name="Şükrü Ñúñez", last_name="Wołoszyńska-Çelik")
    pdf = render_letters_pdf([compose_letter(campaign, person, on=ON, reference_code="T-1")])
    fonts = embedded_fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts)
    assert all("SourceSans3" in name.replace("-", "").replace(" ", "") for name, _ in fonts)
    assert "Frau Dr. Şükrü Ñúñez Wołoszyńska-Çelik" in pdf_text(pdf)


def test_pdf_metadata_names_subject_recipient_and_sender(db_session):
    campaign, version, _ = make_letter_campaign(db_session)
    version.subject = "Leitantrag „{{ motion.title }}“ überarbeiten"
    campaign.motion = None
    letter = compose_letter(campaign, _person(db_session), on=ON, reference_code="T-1")
    metadata = PdfReader(io.BytesIO(render_letters_pdf([letter]))).metadata
    assert metadata.title == "Leitantrag „“ überarbeiten – Dr. Ayşe Karadağ-Łukasik"
    assert metadata.author == campaign.organisation.name


# WeasyPrint 70 leaves its sRGB profile file open in PDF/A mode; that is its warning, not a fault of the letter.
@pytest.mark.filterwarnings("ignore:unclosed file:ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_archival_option_makes_a_pdf_a(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    letter = compose_letter(campaign, _person(db_session), on=ON, reference_code="T-1")
    pdf = render_letters_pdf([letter], pdf_variant="pdf/a-3b")
    reader = PdfReader(io.BytesIO(pdf))
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert b"pdfaid" in reader.trailer["/Root"]["/Metadata"].get_data()
    assert "Sehr geehrte Frau Dr. Karadağ-Łukasik," in pdf_text(pdf)
    gc.collect()  # let the leaked file handle go while its warning is still filtered


def test_open_letters_list_their_co_signers(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    letter = compose_letter(campaign, _person(db_session), on=ON, reference_code="T-1")
    text = pdf_text(render_letters_pdf([letter], co_signers=["Jana Głowacka, Essen", "Ömer <b>Yıldız</b>"]))
    assert "Mitunterzeichnende" in text and "Jana Głowacka, Essen" in text and "Ömer <b>Yıldız</b>" in text


# ---- the bulk path ----


def test_shared_layout_letters_carry_only_their_own_personal_parts(db_session, tmp_path):
    campaign, _, _ = make_letter_campaign(db_session, body=LONG_BODY)
    people = [
        _person(db_session, last_name="Erste", postcode="10115"),
        _person(db_session, form_of_address=FormOfAddress.HERR, title="", last_name="Zweiter", postcode="20095"),
        _person(db_session, form_of_address=FormOfAddress.DIVERS, title="", first_name="Kim", last_name="Dritte"),
    ]
    letters = tuple(
        compose_letter(campaign, person, on=ON, reference_code=f"T-{i}").printable() for i, person in enumerate(people)
    )
    names = tuple(letter_filename(letter) for letter in letters)
    shapes = tuple(letter.shape_key() for letter in letters)
    assert len(set(shapes)) == 1  # one text: printed over one master
    task = ChunkTask(index=0, letters=letters, out_dir=str(tmp_path), filenames=names, shapes=shapes)
    results = LetterRenderer().render(task)
    for person, letter, result in zip(people, letters, results, strict=True):
        pdf = (tmp_path / result.filename).read_bytes()
        assert result.sha256 == sha256(pdf) and result.pages == 2
        text = pdf_text(pdf)  # also fails on any PDF syntax error poppler reports
        assert f"{letter.greeting_html}" in text and letter.reference_code in text
        assert_in_window(pdf, address_lines(person))
        assert "Seite 2 von 2" in page_texts(pdf)[1]
        others = [p.last_name for p in people if p is not person]
        assert not any(name in text for name in others)
        assert PdfReader(io.BytesIO(pdf)).metadata.title == letter.title
        assert "Sehr geehrte Frau" not in text or person.form_of_address is FormOfAddress.FRAU


def test_shared_and_single_letters_render_the_same_text(db_session, tmp_path):
    campaign, _, _ = make_letter_campaign(db_session, body=LONG_BODY)
    people = [_person(db_session, last_name=f"Person{i}") for i in range(3)]
    letters = [compose_letter(campaign, p, on=ON, reference_code=f"T-{i}") for i, p in enumerate(people)]
    naive = pdf_text(render_letters_pdf([letters[1]]))
    printables = tuple(letter.printable() for letter in letters)
    shapes = tuple(letter.shape_key() for letter in printables)
    task = ChunkTask(index=0, letters=printables, out_dir=str(tmp_path), shapes=shapes)
    shared = LetterRenderer().render(task)
    assert [r.pages for r in shared] == [2, 2, 2]
    task = ChunkTask(
        index=0, letters=(letters[1].printable(),), out_dir=str(tmp_path), filenames=("einzeln.pdf",)
    )  # alone in its chunk: set in full
    alone = pdf_text((tmp_path / LetterRenderer().render(task)[0].filename).read_bytes())
    assert alone.split() == naive.split()


def test_campaign_output_formats(db_session, tmp_path):
    campaign, _, people = make_letter_campaign(db_session, recipients=5)
    folder = render_campaign_letters(db_session, campaign, target=tmp_path / "einzeln", fmt="pdf", on=ON, workers=1)
    files = sorted(p.name for p in (tmp_path / "einzeln").iterdir())
    assert folder.letters == 5 and len(files) == 5 and all(name.endswith(".pdf") for name in files)

    archive = render_campaign_letters(db_session, campaign, target=tmp_path / "b.zip", fmt="zip", on=ON, workers=1)
    with zipfile.ZipFile(archive.path) as opened:
        assert sorted(opened.namelist()) == files
        assert opened.testzip() is None

    merged = render_campaign_letters(
        db_session, campaign, target=tmp_path / "druck.pdf", fmt="merged", sort="region", on=ON, workers=1
    )
    pdf = merged.path.read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == merged.pages == 5
    assert [item.title for item in reader.outline if not isinstance(item, list)] == ["Bonn", "Köln"]
    first_pages = [page.extract_text() for page in reader.pages]
    postcodes = [next(p.postcode for p in people if p.postcode in text) for text in first_pages]
    regions = [next(p.unterbezirk for p in people if p.postcode == code) for code in postcodes]
    assert regions == sorted(regions) and postcodes[:2] == sorted(postcodes[:2])
    assert reader.metadata.title.endswith("Druckdatei")
    pdf_text(pdf)  # no syntax errors in the streamed file
    assert not list(tmp_path.glob(".briefe-*"))  # work files are gone


def test_bulk_rendering_on_a_process_pool(db_session, tmp_path):
    campaign, _, people = make_letter_campaign(db_session, recipients=7)
    result = render_campaign_letters(
        db_session, campaign, target=tmp_path / "out", fmt="pdf", on=ON, workers=2, chunk_size=3
    )
    assert result.letters == 7 and result.pages == 7
    for person in people:
        [path] = list((tmp_path / "out").glob(f"*-{slugify(person.full_name)}.pdf"))
        assert_in_window(path.read_bytes(), address_lines(person))
