"""The bulk path against one call per letter, for shared, personalised and unique letters: same text, same window.

The bulk path sets a letter in full or prints it over its text's master; either way, and in whichever chunk and
process it lands, the letter must read as the one-call rendering of the same letter and carry its address in the
DIN 5008 window.
"""

from __future__ import annotations

import io
from itertools import pairwise

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from campaign.models import FormOfAddress, Letter
from campaign.services.letters.batch.run import render_campaign_letters
from campaign.services.letters.compose import address_lines, compose_letter
from campaign.services.letters.layout import render_letters_pdf
from campaign.services.letters.snapshots import sha256
from tests.factories_letters import (
    FILLER,
    ON,
    assert_in_window,
    choose,
    make_argument,
    make_argument_set,
    make_letter_campaign,
    pdf_text,
)

BODIES = {
    "shared": "{{ salutation }},\n\n" + FILLER * 3 + "\n\n" + FILLER * 2,
    "personalised": (
        "{{ salutation }},\n\n" + FILLER * 2 + "\n\nGerade im Unterbezirk {{ recipient.unterbezirk }} und im Wahlkreis "
        "{{ recipient.wahlkreis }} sehen wir das jeden Tag.\n\n" + FILLER
    ),
    "unique": (
        "{{ salutation }},\n\n" + FILLER + "\n\n{% for argument in arguments %}{{ argument.paragraph }}\n\n{% endfor %}"
    ),
}
OWN = ["Łódź", "Gdańsk", "İzmir", "Straße", "Café", "Ñandú", "Ørsted"]


def _campaign(session, shape):
    campaign, _, people = make_letter_campaign(session, body=BODIES[shape], recipients=7)
    for index, person in enumerate(people):
        person.form_of_address = (FormOfAddress.FRAU, FormOfAddress.HERR, FormOfAddress.DIVERS)[index % 3]
        person.first_name = f"Zoë {OWN[index]}"
        person.wahlkreis = f"Köln {index + 1:03d}"
    if shape == "unique":
        campaign.argument_set = make_argument_set(session)
        rules = []
        for index, person in enumerate(people):
            paragraph = f"Aus {OWN[index]} berichten wir: " + FILLER * (index % 3 + 1)
            make_argument(session, campaign.argument_set, tags=[f"eigen-{index}"], paragraph=paragraph)
            person.tags = [f"eigen-{index}"]
            rules.append((f"eigen-{index}", f"eigen-{index}"))
        choose(session, campaign, [], rules)
    session.flush()
    return campaign, people


def _words(pdf: bytes) -> list[str]:
    # pdftotext reads a hyphen that shares its glyph with hyphenation as U+2010; both are the same mark on paper.
    return pdf_text(pdf).replace("\u2010", "-").split()


@pytest.mark.parametrize("shape", ["shared", "personalised", "unique"])
def test_bulk_letters_read_as_one_call_letters_with_the_address_in_the_window(db_session, tmp_path, shape):
    campaign, people = _campaign(db_session, shape)
    pool = render_campaign_letters(
        db_session, campaign, target=tmp_path / "pool", fmt="pdf", on=ON, workers=2, chunk_size=2
    )
    local = render_campaign_letters(
        db_session, campaign, target=tmp_path / "local", fmt="pdf", on=ON, workers=1, chunk_size=5
    )
    assert pool.letters == local.letters == len(people)
    letters = {letter.recipient_id: letter for letter in db_session.scalars(select(Letter))}
    texts = set()
    for person in people:
        letter = letters[person.id]
        [path] = (tmp_path / "pool").glob(f"{letter.reference_code}-*.pdf")
        bulk = path.read_bytes()
        alone = (tmp_path / "local" / path.name).read_bytes()
        composed = compose_letter(campaign, person, on=ON, reference_code=letter.reference_code)
        one_call = render_letters_pdf([composed])
        # The same letter whatever its chunk and process, and the PDF whose hash the letter keeps.
        assert bulk == alone and letter.pdf_sha256 == sha256(bulk)
        assert _words(bulk) == _words(one_call)
        for pdf in (bulk, one_call):
            assert_in_window(pdf, address_lines(person))
        assert person.first_name in pdf_text(bulk)
        texts.add(composed.printable().shape_key())  # the text without address, greeting and reference code
    assert len(texts) == (1 if shape == "shared" else len(people))


def test_letters_sharing_a_text_are_printed_over_one_master_after_the_first(db_session, tmp_path):
    campaign, people = _campaign(db_session, "shared")
    render_campaign_letters(db_session, campaign, target=tmp_path, fmt="pdf", on=ON, workers=1, chunk_size=3)
    codes = sorted(letter.reference_code for letter in db_session.scalars(select(Letter)))
    stamped = []
    for code in codes:
        [path] = tmp_path.glob(f"{code}-*.pdf")
        first_page = PdfReader(io.BytesIO(path.read_bytes())).pages[0]
        stamped.append("/Brief" in first_page["/Resources"].get("/XObject", {}))
    assert stamped == [False] + [True] * (len(people) - 1)


def test_progress_is_reported_per_chunk_up_to_every_letter(db_session, tmp_path):
    campaign, people = _campaign(db_session, "personalised")
    calls = []
    render_campaign_letters(
        db_session,
        campaign,
        target=tmp_path,
        fmt="pdf",
        on=ON,
        workers=2,
        chunk_size=3,
        progress=lambda done, total: calls.append((done, total)),
    )
    # Chunks of 3, 3 and 1 letters, finishing in any order: one call before the first, one after each chunk.
    dones = [done for done, _ in calls]
    assert {total for _, total in calls} == {len(people)} and dones[0] == 0 and dones[-1] == len(people)
    assert sorted(later - earlier for earlier, later in pairwise(dones)) == [1, 3, 3]
