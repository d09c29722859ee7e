"""Letter snapshots: stable reference codes, idempotent regeneration, and letters that never change once sent."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.models import AuditEvent, Channel, LetterStatus, StateChange, Target
from campaign.services.common.states import transition
from campaign.services.letters.compose import generate_letters, sha256, store_pdf
from tests.factories import make_campaign, make_recipient
from tests.factories_letters import ON, add_version, make_letter_campaign, make_organisation, make_template

NEW_BODY = "{{ salutation }},\n\ndies ist die überarbeitete Fassung für {{ recipient.city }}."


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
    letters = generate_letters(db_session, campaign, people, on=ON, pdf_dir=tmp_path)
    assert [letter.reference_code for letter in letters] == ["NRW-2026-0001", "NRW-2026-0002", "NRW-2026-0003"]
    first = letters[0]
    assert first.status is LetterStatus.DRAFT and first.recipient is people[0]
    assert first.template_version is version and version.used_at is not None
    assert first.subject == "Ihr Antrag" and first.recipient_name == "Erika Muster0"
    assert first.address_block == "Frau Erika Muster0\nFliederhofweg 1\n50000 Köln"
    assert first.body_text.startswith("Sehr geehrte Frau Muster0,") and "Mit freundlichen Grüßen" in first.body_text
    assert "<p>Sehr geehrte Frau Muster0,</p>" in first.body_html
    assert first.pdf_sha256 == sha256((tmp_path / "NRW-2026-0001.pdf").read_bytes())
    assert [letter.channel for letter in letters] == [Channel.POST, Channel.EMAIL, Channel.POST]
    assert letters[1].recipient_email == "kim.nowak@example.org"
    assert _audit_count(db_session) == 1


def test_regenerating_keeps_codes_and_changes_nothing_if_nothing_changed(db_session):
    campaign, _, people = make_letter_campaign(db_session, recipients=2)
    first = generate_letters(db_session, campaign, people, on=ON)
    snapshot = [
        (letter.id, letter.reference_code, letter.body_html, letter.pdf_sha256, letter.rendered_at) for letter in first
    ]
    events = _audit_count(db_session)
    again = generate_letters(db_session, campaign, list(reversed(people)), on=ON)
    assert sorted(
        (letter.id, letter.reference_code, letter.body_html, letter.pdf_sha256, letter.rendered_at) for letter in again
    ) == sorted(snapshot)
    assert _audit_count(db_session) == events


def test_regenerating_a_draft_refreshes_its_text_under_the_same_code(db_session):
    campaign, version, people = make_letter_campaign(db_session, recipients=1)
    [letter] = generate_letters(db_session, campaign, people, on=ON)
    code, old_hash = letter.reference_code, letter.pdf_sha256
    newer = add_version(db_session, version, body=NEW_BODY)
    [again] = generate_letters(db_session, campaign, people, on=ON)
    assert again is letter and again.reference_code == code
    assert "überarbeitete Fassung für Köln" in again.body_text and again.template_version is newer
    assert again.pdf_sha256 != old_hash
    assert version.body != NEW_BODY  # the used version itself was never edited


def test_an_approved_letter_whose_text_changes_needs_approval_again(db_session):
    campaign, version, people = make_letter_campaign(db_session, recipients=1)
    [letter] = generate_letters(db_session, campaign, people, on=ON)
    transition(db_session, letter, LetterStatus.APPROVED)
    generate_letters(db_session, campaign, people, on=ON)
    assert letter.status is LetterStatus.APPROVED  # same text: approval stands
    add_version(db_session, version, body=NEW_BODY)
    generate_letters(db_session, campaign, people, on=ON)
    assert letter.status is LetterStatus.DRAFT
    change = db_session.scalars(select(StateChange).order_by(StateChange.id.desc())).first()
    assert (change.from_status, change.to_status, change.note) == ("approved", "draft", "Text neu erzeugt")


def test_sent_letters_never_change(db_session):
    campaign, version, people = make_letter_campaign(db_session, recipients=2)
    sent, draft = generate_letters(db_session, campaign, people, on=ON)
    _send(db_session, sent)
    before = {
        name: getattr(sent, name) for name in ("body_text", "body_html", "subject", "address_block", "pdf_sha256")
    }
    people[0].street, people[0].last_name = "Neue Straße 99", "Umgezogen"
    add_version(db_session, version, body=NEW_BODY)

    result = generate_letters(db_session, campaign, people, on=ON.replace(day=20))
    assert list(result) == [draft]
    assert result.skipped == [
        f"Brief {sent.reference_code} an Erika Muster0 ist bereits sent und wird nicht mehr verändert."
    ]
    assert {name: getattr(sent, name) for name in before} == before
    assert sent.template_version is version and sent.status is LetterStatus.SENT
    assert "überarbeitete Fassung" in draft.body_text

    try:
        store_pdf(sent, "0" * 64)
    except Exception as exc:
        assert "bereits versandt" in str(exc)
    else:
        raise AssertionError("a sent letter's PDF hash must not change")
    assert sent.pdf_sha256 == before["pdf_sha256"]


def test_reference_codes_are_unique_across_campaigns_with_the_same_prefix(db_session):
    organisation = make_organisation(db_session)
    first = make_campaign(db_session, organisation=organisation)
    second = make_campaign(db_session, organisation=organisation)
    for campaign, slug in ((first, "nrw-erster-aufruf"), (second, "nrw-zweiter-aufruf")):
        campaign.slug = slug
        make_template(db_session, campaign)
    person = make_recipient(db_session, last_name="Güler")
    [a] = generate_letters(db_session, first, [person], on=ON)
    [b] = generate_letters(db_session, second, [person], on=ON)
    assert (a.reference_code, b.reference_code) == ("NRW-2026-0001", "NRW-2026-0002")
    [again] = generate_letters(db_session, first, [person], on=ON.replace(year=2027))
    assert again.reference_code == "NRW-2026-0001"  # stable per campaign and recipient, whatever the date
