"""The handover list: confirmed signatures only, unicode intact, a fingerprint that detects a changed row."""

from __future__ import annotations

from campaign.db import db
from campaign.models import Campaign, HandoverList, SignatureStatus
from campaign.services.signing.handover import handover_file, make_handover
from campaign.services.signing.letter_pdf import open_letter_pdf
from tests.factories_letters import pdf_text
from tests.factories_signing import make_signature


def _handover(letter, fmt: str) -> bytes:
    with letter.app.app_context():
        campaign = db.session.get(Campaign, letter.id)
        make_signature(db.session, campaign, first_name="Ğülşen", last_name="Łęcka", city="Ñandú")
        make_signature(db.session, campaign, first_name="=HYPERLINK(1)", last_name="Ćwik", organisation="Café é")
        make_signature(db.session, campaign, first_name="Nicht", last_name="Bestätigt", status=SignatureStatus.PENDING)
        data = handover_file(make_handover(db.session, campaign), campaign, fmt)
        db.session.commit()
        return data


def test_csv_list_verifies_and_a_changed_row_is_detected(letter, runner, tmp_path):
    data = _handover(letter, "csv")
    text = data.decode("utf-8-sig")
    assert "Ğülşen;Łęcka" in text and "Café é" in text and "Bestätigt;" not in text
    assert "'=HYPERLINK(1)" in text  # a spreadsheet does not run it
    path = tmp_path / "liste.csv"
    path.write_bytes(data)
    ok = runner.invoke(args=["signatures", "verify", str(path)])
    assert ok.exit_code == 0 and "Unverändert: Zeilen 2," in ok.output
    path.write_bytes(data.replace("Łęcka".encode(), b"Lecka"))
    changed = runner.invoke(args=["signatures", "verify", str(path)])
    assert changed.exit_code == 1 and "Verändert" in changed.output


def test_xlsx_list_verifies_and_the_fingerprint_is_stored(letter, runner, tmp_path):
    path = tmp_path / "liste.xlsx"
    path.write_bytes(_handover(letter, "xlsx"))
    result = runner.invoke(args=["signatures", "verify", str(path)])
    assert result.exit_code == 0, result.output
    with letter.app.app_context():
        assert db.session.query(HandoverList).one().signatures == 2


def test_pdf_list_prints_the_fingerprint_and_verify_rejects_what_is_no_list(letter, runner, tmp_path):
    text = pdf_text(_handover(letter, "pdf"))
    assert "SHA-256-Fingerabdruck" in text and "Ğülşen" in text and "Bestätigte Mitzeichnungen: 2" in text
    path = tmp_path / "irgendwas.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    result = runner.invoke(args=["signatures", "verify", str(path)])
    assert result.exit_code == 1 and "keine Übergabeliste" in result.output
    missing = runner.invoke(args=["signatures", "verify", str(tmp_path / "fehlt.csv")])
    assert missing.exit_code == 1 and "lässt sich nicht lesen" in missing.output


def test_open_letter_pdf_has_the_named_co_signers_in_its_annex(client, letter):
    with letter.app.app_context():
        campaign = db.session.get(Campaign, letter.id)
        make_signature(db.session, campaign, first_name="Şule", last_name="Ćosić", city="Köln")
        make_signature(db.session, campaign, first_name="Grete", last_name="Groß", organisation="Pro Asyl")
        db.session.commit()
    response = client.get(f"/c/{letter.slug}/letter.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Mitunterzeichnende" in text and "Şule Ćosić, Köln" in text
    assert text.index("Pro Asyl") < text.index("Şule Ćosić")
    assert "Zeichen" not in text  # addressed to no one, it has no reference code and no empty label for one
    with letter.app.app_context():
        assert open_letter_pdf(db.session, db.session.get(Campaign, letter.id))
