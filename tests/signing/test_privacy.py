"""Privacy rights on the command line: export, erasure (nothing of the person left anywhere, counts kept), purge."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.models import AuditEvent, Campaign, Signature, SignatureStatus, Supporter
from campaign.services.signing.counts import confirmed_count, counted_by_rows
from tests.factories_signing import form_data


def _sign_and_confirm(client, letter, **values):
    client.post(f"/c/{letter.slug}/sign", data=form_data(**values))
    client.post(letter.links()["confirm"])


def _every_text_in_the_database(app) -> str:
    """Every value of every row of every table, as one text (to search for traces of a person)."""
    chunks = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)):
                for value in row:
                    if isinstance(value, bytes):
                        chunks.append(value.decode("utf-8", "replace"))
                    elif value is not None:
                        chunks.append(json.dumps(value, default=str, ensure_ascii=False))
    return "\n".join(chunks)


def test_export_lists_the_person_their_signature_consent_and_mails(client, letter, runner):
    _sign_and_confirm(client, letter, email="Małgorzata.Wiśniewska@example.org", first_name="Małgorzata")
    result = runner.invoke(args=["privacy", "export", "małgorzata.wiśniewska@EXAMPLE.org"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["found"] and data["supporter"]["first_name"] == "Małgorzata"
    [signature] = data["signatures"]
    assert signature["status"] == "confirmed" and "Art. 9" in signature["consent_text"]
    assert [step["to"] for step in signature["history"]] == ["confirmed"]
    assert data["mails"][0]["subject"].startswith("Bitte bestätigen")
    unknown = runner.invoke(args=["privacy", "export", "niemand@example.org"])
    assert unknown.exit_code == 0 and json.loads(unknown.stdout)["found"] is False
    bad = runner.invoke(args=["privacy", "export", "keine adresse"])
    assert bad.exit_code == 1 and "Ungültige E-Mail-Adresse" in bad.output


def test_erasure_leaves_nothing_of_the_person_and_keeps_the_count(client, letter, runner):
    _sign_and_confirm(
        client, letter, email="sören.çelik@example.org", first_name="Sören", last_name="Çelik", city="Güstrow",
        organisation="Seebrücke Güstrow", function="Sprecher",
    )  # fmt: skip
    _sign_and_confirm(client, letter, email="bleibt@example.org", first_name="Bleibt")
    assert client.get(f"/api/v1/campaigns/{letter.slug}").get_json()["confirmed_signatures"] == 2
    result = runner.invoke(args=["privacy", "erase", "Sören.Çelik@example.org"])
    assert result.exit_code == 0, result.output
    assert "Gelöscht: die Person und ihre Mitzeichnungen (1);" in result.output
    everything = _every_text_in_the_database(letter.app)
    for trace in ("Sören", "Çelik", "Güstrow", "Seebrücke", "Sprecher", "sören.çelik"):
        assert trace not in everything, trace
    assert "Bleibt" in everything
    assert client.get(f"/api/v1/campaigns/{letter.slug}").get_json()["confirmed_signatures"] == 2
    with letter.app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "privacy.erase"))
        assert counted_by_rows(db.session, letter.id) == 2
    again = runner.invoke(args=["privacy", "erase", "Sören.Çelik@example.org"])
    assert again.exit_code == 1 and "keine Daten" in again.output


def test_purge_deletes_expired_unconfirmed_and_erases_old_withdrawals_and_ended_campaigns(client, letter, runner):
    client.post(f"/c/{letter.slug}/sign", data=form_data(email="alt@example.org"))
    client.post(f"/c/{letter.slug}/sign", data=form_data(email="neu@example.org"))
    _sign_and_confirm(client, letter, email="zurueck@example.org", first_name="Zurück")
    client.post(letter.links()["withdraw"])
    _sign_and_confirm(client, letter, email="bestaetigt@example.org", first_name="Bestätigt")
    with letter.app.app_context():
        old = utcnow() - timedelta(days=8)
        supporter = db.session.scalar(select(Supporter).where(Supporter.email == "alt@example.org"))
        db.session.execute(sa.update(Signature).where(Signature.supporter_id == supporter.id).values(created_at=old))
        db.session.execute(
            sa.update(Signature)
            .where(Signature.status == SignatureStatus.WITHDRAWN)
            .values(withdrawn_at=utcnow() - timedelta(days=31))
        )
        db.session.commit()
    result = runner.invoke(args=["privacy", "purge"])
    assert result.exit_code == 0, result.output
    assert "Unbestätigte gelöscht: 1" in result.output and "nach Widerruf anonymisiert: 1" in result.output
    with letter.app.app_context():
        emails = set(db.session.scalars(select(Supporter.email)))
        assert emails == {"neu@example.org", "bestaetigt@example.org"}
        assert confirmed_count(db.session, letter.id) == 1
        # After the campaign's deadline and the retention period the rest goes too; the count stays.
        campaign = db.session.get(Campaign, letter.id)
        campaign.deadline = (utcnow() - timedelta(days=400)).date()
        db.session.commit()
    runner.invoke(args=["privacy", "purge"])
    with letter.app.app_context():
        assert set(db.session.scalars(select(Supporter.email))) == {"neu@example.org"}
        assert confirmed_count(db.session, letter.id) == counted_by_rows(db.session, letter.id) == 1


def test_erasure_also_removes_a_spam_reason_that_names_the_person(client, letter, runner, login):
    from campaign.models import Signature as SignatureModel

    _sign_and_confirm(client, letter, email="jörg.bot@example.org", first_name="Jörg", last_name="Botowski")
    with letter.app.app_context():
        signature_id = db.session.scalar(select(SignatureModel.id))
    login()
    client.post(
        f"/organise/campaigns/{letter.slug}/signatures/{signature_id}/remove",
        data={"reason": "Botowski meldet sich zehnmal an"},
    )
    assert "Botowski" in _every_text_in_the_database(letter.app)
    assert runner.invoke(args=["privacy", "erase", "jörg.bot@example.org"]).exit_code == 0
    assert "Botowski" not in _every_text_in_the_database(letter.app)


def test_the_signatures_table_exports_through_campaign_export(client, letter, runner, tmp_path):
    _sign_and_confirm(client, letter, email="ñandú@example.org", first_name="Iñés", last_name="Ñandú")
    out = tmp_path / "unterschriften.csv"
    result = runner.invoke(args=["export", letter.slug, "--what", "signatures", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8-sig")
    assert "Iñés;Ñandú" in text and "bestätigt" in text
