"""Letter snapshots as production makes them (render_campaign_letters): stable codes, idempotent runs, frozen sends."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign.models import AuditEvent, Channel, Letter, LetterStatus, ReferenceCounter, StateChange, Target
from campaign.services.common.errors import ServiceError
from campaign.services.common.states import transition
from campaign.services.letters.batch.run import render_campaign_letters
from campaign.services.letters.snapshots import sha256, store_pdf
from tests.factories import make_campaign, make_recipient
from tests.factories_letters import ON, add_version, make_letter_campaign, make_organisation, make_template

NEW_BODY = "{{ salutation }},\n\ndies ist die überarbeitete Fassung für {{ recipient.city }}."
SNAPSHOT = ("id", "reference_code", "body_html", "pdf_sha256", "rendered_at")


def _render(session, campaign, folder, *, on=ON):
    """What the letters job and `campaign letters render` run: every letter of the campaign, one PDF each."""
    return render_campaign_letters(session, campaign, target=folder, fmt="pdf", on=on, workers=1)


def _letters(session, campaign):
    return list(
        session.scalars(select(Letter).where(Letter.campaign_id == campaign.id).order_by(Letter.reference_code))
    )


def _send(session, letter):
    for status in (LetterStatus.APPROVED, LetterStatus.QUEUED, LetterStatus.SENT):
        transition(session, letter, status)


def _audit_count(session):
    return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "letters.generate"))


def test_generating_creates_draft_snapshots_with_campaign_codes(db_session, tmp_path):
    campaign, version, people = make_letter_campaign(db_session, recipients=3)
    campaign.slug = "nrw-jetzt-erst-gerecht"
    db_session.scalars(select(Target).where(Target.recipient_id == people[1].id)).one().channel = Channel.EMAIL
    people[1].email = "kim.nowak@example.org"
    result = _render(db_session, campaign, tmp_path / "briefe")
    letters = _letters(db_session, campaign)
    assert result.letters == 3 and result.skipped == []
    assert [letter.reference_code for letter in letters] == ["NRW-2026-0001", "NRW-2026-0002", "NRW-2026-0003"]
    first = letters[0]
    assert first.status is LetterStatus.DRAFT and first.recipient is people[0]
    assert first.template_version is version and version.used_at is not None
    assert first.subject == "Ihr Antrag" and first.recipient_name == "Erika Muster0"
    assert first.address_block == "Frau Erika Muster0\nFliederhofweg 1\n50000 Köln"
    assert first.body_text.startswith("Sehr geehrte Frau Muster0,") and "Mit freundlichen Grüßen" in first.body_text
    assert "<p>Sehr geehrte Frau Muster0,</p>" in first.body_html
    assert first.pdf_sha256 == sha256((tmp_path / "briefe" / "NRW-2026-0001-erika-muster0.pdf").read_bytes())
    assert [letter.channel for letter in letters] == [Channel.POST, Channel.EMAIL, Channel.POST]
    assert letters[1].recipient_email == "kim.nowak@example.org"
    assert _audit_count(db_session) == 1


def test_regenerating_keeps_codes_and_changes_nothing_if_nothing_changed(db_session, tmp_path):
    campaign, _, _ = make_letter_campaign(db_session, recipients=2)
    _render(db_session, campaign, tmp_path / "eins")
    snapshot = [tuple(getattr(letter, name) for name in SNAPSHOT) for letter in _letters(db_session, campaign)]
    events = _audit_count(db_session)
    again = _render(db_session, campaign, tmp_path / "zwei")
    assert again.letters == 2
    assert [tuple(getattr(letter, name) for name in SNAPSHOT) for letter in _letters(db_session, campaign)] == snapshot
    assert _audit_count(db_session) == events


def test_regenerating_a_draft_refreshes_its_text_under_the_same_code(db_session, tmp_path):
    campaign, version, _ = make_letter_campaign(db_session, recipients=1)
    _render(db_session, campaign, tmp_path / "eins")
    [letter] = _letters(db_session, campaign)
    code, old_hash = letter.reference_code, letter.pdf_sha256
    newer = add_version(db_session, version, body=NEW_BODY)
    _render(db_session, campaign, tmp_path / "zwei")
    [again] = _letters(db_session, campaign)
    assert again is letter and again.reference_code == code
    assert "überarbeitete Fassung für Köln" in again.body_text and again.template_version is newer
    assert again.pdf_sha256 != old_hash
    assert version.body != NEW_BODY  # the used version itself was never edited


def test_an_approved_letter_whose_text_changes_needs_approval_again(db_session, tmp_path):
    campaign, version, _ = make_letter_campaign(db_session, recipients=1)
    _render(db_session, campaign, tmp_path / "eins")
    [letter] = _letters(db_session, campaign)
    transition(db_session, letter, LetterStatus.APPROVED)
    _render(db_session, campaign, tmp_path / "zwei")
    assert letter.status is LetterStatus.APPROVED  # same text: approval stands
    add_version(db_session, version, body=NEW_BODY)
    _render(db_session, campaign, tmp_path / "drei")
    assert letter.status is LetterStatus.DRAFT
    change = db_session.scalars(select(StateChange).order_by(StateChange.id.desc())).first()
    assert (change.from_status, change.to_status, change.note) == ("approved", "draft", "Text neu erzeugt")


def test_sent_letters_never_change(db_session, tmp_path):
    campaign, version, people = make_letter_campaign(db_session, recipients=2)
    _render(db_session, campaign, tmp_path / "eins")
    sent, draft = _letters(db_session, campaign)
    _send(db_session, sent)
    before = {
        name: getattr(sent, name) for name in ("body_text", "body_html", "subject", "address_block", "pdf_sha256")
    }
    people[0].street, people[0].last_name = "Neue Straße 99", "Umgezogen"
    add_version(db_session, version, body=NEW_BODY)

    result = _render(db_session, campaign, tmp_path / "zwei", on=ON.replace(day=20))
    assert result.letters == 1 and [path.name for path in (tmp_path / "zwei").iterdir()] == [
        f"{draft.reference_code}-erika-muster1.pdf"
    ]
    assert result.skipped == [
        f"Brief {sent.reference_code} an Erika Muster0 ist bereits versandt und wird nicht mehr verändert."
    ]
    assert {name: getattr(sent, name) for name in before} == before
    assert sent.template_version is version and sent.status is LetterStatus.SENT
    assert "überarbeitete Fassung" in draft.body_text

    with pytest.raises(ServiceError, match="bereits versandt"):
        store_pdf(sent, "0" * 64)
    assert sent.pdf_sha256 == before["pdf_sha256"]

    _send(db_session, draft)
    with pytest.raises(ServiceError, match="Alle Briefe dieser Kampagne sind bereits versandt"):
        _render(db_session, campaign, tmp_path / "drei")


def test_reference_codes_are_unique_across_campaigns_with_the_same_prefix(db_session, tmp_path):
    organisation = make_organisation(db_session)
    first = make_campaign(db_session, organisation=organisation)
    second = make_campaign(db_session, organisation=organisation)
    person = make_recipient(db_session, last_name="Güler")
    for campaign, slug in ((first, "nrw-erster-aufruf"), (second, "nrw-zweiter-aufruf")):
        campaign.slug = slug
        make_template(db_session, campaign)
        db_session.add(Target(campaign=campaign, recipient=person))
    db_session.flush()
    _render(db_session, first, tmp_path / "eins")
    _render(db_session, second, tmp_path / "zwei")
    [a], [b] = _letters(db_session, first), _letters(db_session, second)
    assert (a.reference_code, b.reference_code) == ("NRW-2026-0001", "NRW-2026-0002")
    _render(db_session, first, tmp_path / "drei", on=ON.replace(year=2027))
    [again] = _letters(db_session, first)
    assert again.reference_code == "NRW-2026-0001"  # stable per campaign and recipient, whatever the date


def test_codes_continue_after_those_handed_out_before(db_session, tmp_path):
    # Migration 0003 starts each prefix's counter after the highest code already in the letters table.
    db_session.add(ReferenceCounter(prefix="NRW-2026", last_number=41))
    campaign, _, _ = make_letter_campaign(db_session, recipients=2)
    campaign.slug = "nrw-jetzt-erst-gerecht"
    _render(db_session, campaign, tmp_path / "briefe")
    assert [letter.reference_code for letter in _letters(db_session, campaign)] == ["NRW-2026-0042", "NRW-2026-0043"]
    assert db_session.get(ReferenceCounter, "NRW-2026").last_number == 43
