"""Letter exports: the mail-merge CSV for German Excel and Word, DOCX for editing, plain text for e-mail."""

from __future__ import annotations

import csv
import io
from datetime import date

import docx
import pytest
from sqlalchemy import select

from campaign.models import Campaign, Channel, FormOfAddress, Letter
from campaign.services.common.markdown import markdown_to_text
from campaign.services.common.tabular import spreadsheet_safe
from campaign.services.demo import seed_demo
from campaign.services.letters.compose import compose_letter
from campaign.services.letters.exports import (
    MAIL_MERGE_COLUMNS,
    campaign_targets,
    compose_campaign_letters,
    mail_merge_csv,
)
from campaign.services.letters.layout import letters_html
from campaign.services.letters.sandbox import TemplateProblem
from campaign.services.letters.selection import set_chosen_arguments
from campaign.services.letters.snapshots import prepare_letters
from campaign.services.letters.word import letters_docx
from tests.factories import make_campaign, make_recipient
from tests.factories_letter_ui import make_target
from tests.factories_letters import make_letter_campaign


def _parse(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "German Excel needs the BOM to read UTF-8"
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_mail_merge_csv_has_one_row_per_target_with_bom_and_semicolons(db_session):
    campaign = make_campaign(db_session)
    dogan = make_recipient(
        db_session,
        form_of_address=FormOfAddress.FRAU,
        title="Dr.",
        first_name="Ayşe",
        last_name="Doğan",
        function="Delegierte; Unterbezirk Köln",
        organisation="SPD Köln",
        street="Große Straße 1",
        postcode="50667",
        city="Köln",
        email="ayse@example.org",
    )
    wrobel = make_recipient(
        db_session,
        form_of_address=FormOfAddress.DIVERS,
        first_name="Łukasz",
        last_name="Wróbel",
        street="Weißdornweg 2",
        postcode="01067",
        city="Dresden",
    )
    outsider = make_recipient(db_session, last_name="Nicht-Ziel")
    make_target(db_session, campaign, dogan)
    make_target(db_session, campaign, wrobel)
    db_session.add(Letter(campaign_id=campaign.id, recipient_id=dogan.id, reference_code="K1-0001"))
    db_session.flush()

    content = mail_merge_csv(db_session, campaign)
    assert content.decode("utf-8-sig").splitlines()[0] == ";".join(MAIL_MERGE_COLUMNS)
    rows = _parse(content)
    assert [row["Nachname"] for row in rows] == ["Wróbel", "Doğan"]  # postal order: 01067 before 50667
    wrobel_row, dogan_row = rows
    assert dogan_row["Unser Zeichen"] == "K1-0001"
    assert dogan_row["Briefanrede"] == "Sehr geehrte Frau Dr. Doğan"
    assert (dogan_row["Anrede"], dogan_row["Titel"], dogan_row["Vorname"]) == ("Frau", "Dr.", "Ayşe")
    assert dogan_row["Funktion"] == "Delegierte; Unterbezirk Köln"  # the ; inside a cell is quoted, not split
    assert (dogan_row["Straße"], dogan_row["PLZ"], dogan_row["Ort"]) == ("Große Straße 1", "50667", "Köln")
    assert (dogan_row["E-Mail"], dogan_row["Kanal"]) == ("ayse@example.org", "E-Mail")
    assert wrobel_row["Unser Zeichen"] == ""
    assert wrobel_row["Briefanrede"] == "Guten Tag Łukasz Wróbel"
    assert (wrobel_row["Anrede"], wrobel_row["Kanal"], wrobel_row["PLZ"]) == ("", "Post", "01067")
    assert outsider.last_name not in content.decode("utf-8-sig")


def test_mail_merge_csv_defuses_formulas(db_session):
    campaign = make_campaign(db_session)
    hostile = make_recipient(
        db_session,
        first_name='=HYPERLINK("http://evil.example/";"klick")',
        last_name="+SUM(A1:A9)",
        function="-2+3",
        organisation="@cmd",
        street="\t=1+1",
        city="Köln",
    )
    make_target(db_session, campaign, hostile, channel=Channel.POST)
    [row] = _parse(mail_merge_csv(db_session, campaign))
    assert row["Vorname"] == '\'=HYPERLINK("http://evil.example/";"klick")'
    assert row["Nachname"] == "'+SUM(A1:A9)"
    assert row["Funktion"] == "'-2+3"
    assert row["Organisation"] == "'@cmd"
    assert row["Straße"] == "'\t=1+1"
    assert row["Briefanrede"] == "Sehr geehrte Frau +SUM(A1:A9)"  # starts with „S“: nothing to defuse
    assert row["Ort"] == "Köln"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 221", "'+49 221"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("Müller-Lüdenscheidt", "Müller-Lüdenscheidt"),
        (None, ""),
        (5, "5"),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def test_mail_merge_csv_of_a_campaign_without_targets_has_only_the_header(db_session):
    content = mail_merge_csv(db_session, make_campaign(db_session))
    assert _parse(content) == []
    assert content.decode("utf-8-sig") == ";".join(MAIL_MERGE_COLUMNS) + "\r\n"


@pytest.fixture
def demo(db_session):
    """The demo campaign with two arguments chosen (so the letters have endnotes) and a recipient with rare letters."""
    seed_demo(db_session)
    campaign = db_session.scalar(select(Campaign))
    set_chosen_arguments(db_session, campaign, [argument.id for argument in campaign.argument_set.arguments[:2]])
    person = make_recipient(
        db_session,
        form_of_address=FormOfAddress.HERR,
        title="Dr.",
        first_name="Ğökhan",
        last_name="Łukasiewicz-Weiß",
        function="Delegierter",
        organisation="SPD Düsseldorf",
        street="Königsallee 1",
        postcode="40212",
        city="Düsseldorf",
    )
    make_target(db_session, campaign, person)
    return campaign, person


def _docx_text(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    return [paragraph.text for paragraph in document.paragraphs]


def test_docx_of_one_letter_has_every_part_of_the_letter(db_session, demo):
    campaign, person = demo
    composed = compose_letter(campaign, person, on=date(2026, 3, 2), reference_code="NRW-2026-0042")
    content = letters_docx([composed], title="Testbrief")
    paragraphs = _docx_text(content)
    text = "\n".join(paragraphs)
    assert "SPD Düsseldorf\nHerrn Dr. Ğökhan Łukasiewicz-Weiß\nDelegierter\nKönigsallee 1\n40212 Düsseldorf" in text
    assert "Datum: 2. März 2026\nUnser Zeichen: NRW-2026-0042" in text
    assert composed.subject in paragraphs
    assert "Sehr geehrter Herr Dr. Łukasiewicz-Weiß," in paragraphs
    assert paragraphs.index("Mit freundlichen Grüßen") > paragraphs.index("Sehr geehrter Herr Dr. Łukasiewicz-Weiß,")
    for name, role in composed.signatories:
        assert f"{name}\n{role}" in text
    assert campaign.organisation.name in paragraphs
    assert "Quellen" in paragraphs
    assert composed.endnotes and all(note in paragraphs for note in composed.endnotes)
    # Every body paragraph is there, the chosen arguments' ones included (as plain text, not Markdown).
    body = composed.body_text.split("\n\n")
    assert len(body) > 5 and all(paragraph in paragraphs for paragraph in body)
    first_argument = markdown_to_text(campaign.argument_set.arguments[0].paragraph)
    assert first_argument[:60] in text
    properties = docx.Document(io.BytesIO(content)).core_properties
    assert (properties.title, properties.author) == ("Testbrief", campaign.organisation.name)


def test_docx_of_several_letters_puts_each_on_new_pages(db_session, demo):
    campaign, _person = demo
    letters = compose_campaign_letters(db_session, campaign, on=date(2026, 3, 2), placeholder_code="(Vorschau)")
    assert len(letters) == len(campaign_targets(db_session, campaign))
    document = docx.Document(io.BytesIO(letters_docx(letters, title="Alle")))
    breaks = document.element.body.xml.count('w:type="page"')
    assert breaks == len(letters) - 1
    salutations = [p.text for p in document.paragraphs if p.text.startswith(("Sehr geehrte", "Guten Tag"))]
    assert salutations == [f"{letter.salutation}," for letter in letters]


def test_campaign_letters_keep_the_reference_code_of_letters_already_made(db_session, demo):
    campaign, person = demo
    db_session.add(
        Letter(
            campaign_id=campaign.id,
            recipient_id=person.id,
            reference_code="NRW-2026-0007",
            template_version=campaign.templates[0].current_version,
        )
    )
    db_session.flush()
    letters = compose_campaign_letters(db_session, campaign, on=date(2026, 3, 2), placeholder_code="(Vorschau)")
    codes = {letter.recipient_name: letter.reference_code for letter in letters}
    assert codes.pop(person.full_name) == "NRW-2026-0007"
    assert set(codes.values()) == {"(Vorschau)"}


def test_campaign_letters_with_a_broken_template_raise_a_template_problem(db_session, demo):
    campaign, _person = demo
    campaign.templates[0].current_version.body = "{{ recipient.__class__ }}"
    with pytest.raises(TemplateProblem, match="interne Attribute"):
        compose_campaign_letters(db_session, campaign, on=date(2026, 3, 2), placeholder_code="(Vorschau)")


STREET = "c/o Bürogemeinschaft Südstadt\nSeverinstraße 5\n2. OG"


def test_every_export_keeps_the_lines_of_a_multi_line_street(db_session):
    campaign, _, _ = make_letter_campaign(db_session)
    person = make_recipient(
        db_session, first_name="Łucja", last_name="Wójcik", street=STREET, postcode="50678", city="Köln"
    )
    make_target(db_session, campaign, person, channel=Channel.POST)
    block = "Frau Łucja Wójcik\n" + STREET + "\n50678 Köln"
    [row] = _parse(mail_merge_csv(db_session, campaign))
    assert row["Straße"] == STREET and row["Anschriftfeld"] == block
    composed = compose_letter(campaign, person, on=date(2026, 3, 2), reference_code="T-1")
    assert block in "\n".join(_docx_text(letters_docx([composed], title="Brief")))
    assert "c/o Bürogemeinschaft Südstadt<br>Severinstraße 5<br>2. OG<br>50678 Köln" in letters_html([composed])
    [prepared], _ = prepare_letters(db_session, campaign, [person], on=date(2026, 3, 2))
    assert prepared.letter.address_block == block
