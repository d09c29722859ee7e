"""The write-your-own-letter flow through the web pages: each step, confirmation, sending through the outbox."""

from __future__ import annotations

import email
from email.policy import default

from sqlalchemy import select

from campaign.db import db
from campaign.models import Letter, LetterStatus, SupporterLetter, SupporterLetterStatus
from campaign.services.writing.mails import KIND_CONFIRMATION, KIND_LETTER
from tests.factories_writing import link_in, write_form
from tests.writing.conftest import outbox


def _page(client, slug, **data):
    return client.post(f"/c/{slug}/write", data=data)


def test_steps_lead_from_postcode_to_preview(client, written):
    slug = written.slug
    page = client.get(f"/c/{slug}/write")
    assert page.status_code == 200 and "Postleitzahl" in page.text
    found = _page(client, slug, step="recipients", postcode="50 667")
    assert "Jana Schäfer-Öztürk" in found.text and "Łukasz Brandt" in found.text
    assert "Renée Weiß" not in found.text
    chosen = _page(client, slug, step="arguments", postcode="50667", choice=str(written.local_id))
    assert "Die Kommunen brauchen Geld" in chosen.text
    first, _second, third = written.argument_ids
    ordered = _page(
        client, slug, step="paragraph", postcode="50667", recipient=str(written.local_id),
        argument=[str(first), str(third)], **{f"order-{first}": "2", f"order-{third}": "1"},
    )  # fmt: skip
    assert f'name="chosen" value="{third},{first}"' in ordered.text
    shown = _page(
        client, slug, step="preview", postcode="50667", recipient=str(written.local_id), chosen=f"{third},{first}",
        own_text="Ich arbeite seit zwölf Jahren in der Flüchtlingsberatung in Köln-Nippes.",
    )  # fmt: skip
    assert shown.status_code == 200
    text = shown.text
    assert "Sehr geehrte Frau Schäfer-Öztürk" in text
    assert text.index("Wer Schutz sucht") < text.index("Die Kommunen tragen") < text.index("Flüchtlingsberatung")
    assert "% des Briefs sind in Ihren eigenen Worten" in text


def test_a_postcode_without_recipients_says_so_and_offers_the_open_ones(client, written):
    found = _page(client, written.slug, step="recipients", postcode="99999")
    assert "Für die Postleitzahl 99999 haben wir in dieser Kampagne niemanden gefunden" in found.text
    assert "Łukasz Brandt" in found.text


def test_bad_postcodes_and_choices_are_refused_with_a_message(client, written):
    assert "fünfstellige Postleitzahl" in _page(client, written.slug, step="recipients", postcode="5066x").text
    assert "fünfstellige Postleitzahl" in _page(client, written.slug, step="recipients", postcode="").text
    # Someone the supporter was not offered (Köln II does not cover 50667 and is not open to all).
    refused = _page(client, written.slug, step="arguments", postcode="50667", choice=str(written.postal_id))
    assert refused.status_code == 400 and "angebotenen Empfänger:innen" in refused.text
    empty = _page(client, written.slug, step="preview", postcode="50667", recipient=str(written.local_id), chosen="")
    assert empty.status_code == 400 and "mindestens ein Argument" in empty.text
    local = str(written.local_id)
    foreign = _page(client, written.slug, step="preview", postcode="50667", recipient=local, chosen="999999")
    assert foreign.status_code == 400


def test_writing_is_closed_unless_switched_on(client, app, written):
    from campaign.models import WritingSettings

    with app.app_context():
        db.session.get(WritingSettings, written.campaign_id).enabled = False
        db.session.commit()
    assert client.get(f"/c/{written.slug}/write").status_code == 404


def test_submit_confirm_and_send(client, app, written):
    sent = client.post(f"/c/{written.slug}/write", data=write_form(written, own_text="Mein eigener Satz dazu."))
    assert sent.status_code == 302, sent.text
    [confirmation] = outbox(app, KIND_CONFIRMATION)
    assert confirmation.to_address == "guelsen@example.org"
    path = link_in(confirmation.raw, "confirm")
    shown = client.get(path)
    assert "Brief bestätigen" in shown.text
    assert outbox(app, KIND_LETTER) == []
    done = client.post(path)
    assert "Ihr Brief ist unterwegs" in done.text
    [mail] = outbox(app, KIND_LETTER)
    message = email.message_from_bytes(mail.raw, policy=default)
    with app.app_context():
        letter = db.session.scalar(select(SupporterLetter))
        record = db.session.scalar(select(Letter))
        assert letter.status is SupporterLetterStatus.SENT
        assert record.status is LetterStatus.QUEUED and record.supporter_id is not None
        code = record.reference_code
    assert mail.to_address == "buero.schaefer@landtag.example.org"
    assert "Ğülşen Ćwikłińska" in str(message["From"]) and "kampagne@example.org" in str(message["From"])
    assert "guelsen@example.org" in str(message["Reply-To"])
    assert code in str(message["Subject"])
    # Confirming again changes nothing and sends nothing more.
    client.post(path)
    assert len(outbox(app, KIND_LETTER)) == 1
