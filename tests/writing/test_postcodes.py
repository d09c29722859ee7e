"""The postcode table: import with line numbers for bad rows, dry run, skipping, replacing; upload limits."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from campaign.db import db
from campaign.models import AreaKind, PostcodeArea
from campaign.services.common.errors import ServiceError
from campaign.services.writing.postcodes import import_postcodes
from tests.web.test_motions_web import upload

GOOD = "plz;ebene;gebiet\n40210;Wahlkreis;Düsseldorf I\n40210;unterbezirk;Düsseldorf\n"
BAD = (
    "PLZ;Ebene;Gebiet\n"
    "40210;Wahlkreis;Düsseldorf I\n"
    "4021;Wahlkreis;Düsseldorf I\n"
    "40211;Bezirk;Düsseldorf\n"
    "40212;Kreis;\n"
    "50667;Kommune;Köln\n"
)


def _rows(session) -> set[tuple[str, AreaKind, str]]:
    return {tuple(row) for row in session.execute(select(PostcodeArea.postcode, PostcodeArea.kind, PostcodeArea.area))}


def test_a_good_table_is_stored_once(db_session):
    report = import_postcodes(db_session, GOOD.encode(), "plz.csv")
    assert report.stored and report.added == 2 and not report.problems
    assert _rows(db_session) == {
        ("40210", AreaKind.WAHLKREIS, "Düsseldorf I"),
        ("40210", AreaKind.UNTERBEZIRK, "Düsseldorf"),
    }
    again = import_postcodes(db_session, GOOD.encode(), "plz.csv")
    assert again.added == 0 and len(_rows(db_session)) == 2


def test_bad_rows_are_reported_with_their_line_numbers_and_nothing_is_kept(db_session):
    report = import_postcodes(db_session, BAD.encode(), "plz.csv")
    assert not report.stored
    assert [line for line, _message in report.problems] == [3, 4, 5]
    messages = dict(report.problems)
    assert "keine fünfstellige Postleitzahl" in messages[3]
    assert "Ebene „Bezirk“ gibt es nicht" in messages[4]
    assert "Das Gebiet fehlt" in messages[5]
    assert _rows(db_session) == set()


def test_skipping_bad_rows_keeps_the_good_ones_and_a_dry_run_keeps_nothing(db_session):
    assert not import_postcodes(db_session, BAD.encode(), "plz.csv", dry_run=True, skip_invalid=True).stored
    assert _rows(db_session) == set()
    report = import_postcodes(db_session, BAD.encode(), "plz.csv", skip_invalid=True)
    assert report.stored and report.added == 2
    replaced = import_postcodes(db_session, b"plz,ebene,gebiet\n01067,Kreis,Dresden\n", "neu.csv", replace=True)
    assert replaced.removed == 2 and _rows(db_session) == {("01067", AreaKind.KREIS, "Dresden")}


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"postleitzahl;gebiet\n40210;D\n", "plz.csv", "es fehlt: ebene"),
        (b"", "plz.csv", "leer"),
        (b"%PDF-1.7\n...", "plz.csv", "PDF"),
        (b"plz;ebene;gebiet\n40210;Kreis;" + b"x" * 200 + b"\n", "plz.csv", None),
        (b"x", "plz.exe", "wird nicht unterstützt"),
    ],
)
def test_files_that_are_no_postcode_table_get_a_clear_message(db_session, data, name, message):
    if message is None:
        report = import_postcodes(db_session, data, name)
        assert "länger als 120 Zeichen" in report.problems[0][1]
        return
    with pytest.raises(ServiceError, match=message):
        import_postcodes(db_session, data, name)


def test_the_upload_page_shows_problems_and_limits(client, login):
    login()
    page = client.get("/organise/postcodes")
    assert page.status_code == 200 and "plz;ebene;gebiet" in page.text
    bad = client.post(
        "/organise/postcodes",
        data={"file": (io.BytesIO(BAD.encode()), "plz.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "Fehlerhafte Zeilen" in bad.text and "<td>4</td>" in bad.text
    missing = client.post("/organise/postcodes", data={}, content_type="multipart/form-data")
    assert missing.status_code == 400 and "Bitte eine Datei auswählen" in missing.text
    big = client.post("/organise/postcodes", **upload("gross.csv", b"plz;ebene;gebiet\n" + b"1" * (6 * 1024 * 1024)))
    assert big.status_code == 400 and "höchstens 5 MB" in big.text
    good = client.post(
        "/organise/postcodes",
        data={"file": (io.BytesIO(GOOD.encode("utf-8-sig")), "plz.csv"), "dry_run": ""},
        content_type="multipart/form-data",
    )
    assert good.status_code == 200 and "2 neu gespeichert" in good.text
    with client.application.app_context():
        assert db.session.query(PostcodeArea).count() == 2


def test_coordinators_may_not_import(client, login):
    from campaign.models import Role

    login(Role.COORDINATOR)
    response = client.post(
        "/organise/postcodes", data={"file": (io.BytesIO(GOOD.encode()), "p.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 403
