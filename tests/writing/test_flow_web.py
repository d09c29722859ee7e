"""The write-your-own-letter flow through the web pages: each step, confirmation, sending through the outbox."""

from __future__ import annotations

import email
from email.policy import default

from sqlalchemy import select

from campaign.db import db
from campaign.models import Letter, LetterStatus, SupporterLetter, SupporterLetterStatus
from campaign.services.writing.mails import KIND_CONFIRMATION, KIND_LETTER
from tests.factories_writing import MAIL_FROM, link_in, make_writing_campaign, write_form
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


def _count(app) -> int:
    with app.app_context():
        return db.session.query(SupporterLetter).count()


def test_bad_details_get_a_message_and_keep_what_was_typed(client, app, written):
    url = f"/c/{written.slug}/write"
    invalid = client.post(url, data=write_form(written, email="kein-at-zeichen", own_text="Mein Absatz"))
    assert invalid.status_code == 400 and "Mein Absatz" in invalid.text and "Ğülşen" in invalid.text
    no_street = client.post(url, data=write_form(written, street=""))
    assert no_street.status_code == 400 and "Bitte Straße und Hausnummer angeben." in no_street.text
    long_name = client.post(url, data=write_form(written, first_name="ß" * 121))
    assert long_name.status_code == 400 and "Höchstens 120 Zeichen" in long_name.text
    no_consent = client.post(url, data=write_form(written, consent=None))
    assert no_consent.status_code == 400 and "Ohne Ihre Einwilligung" in no_consent.text
    # Two mistakes at once: both are named in one answer.
    both = client.post(url, data=write_form(written, consent=None, email="kein-at-zeichen"))
    assert "Ohne Ihre Einwilligung" in both.text and "Ungültige E-Mail-Adresse „kein-at-zeichen“" in both.text
    old_consent = client.post(url, data=write_form(written, consent_version="1999-01-01"))
    assert old_consent.status_code == 400 and "Einwilligungstext hat sich geändert" in old_consent.text
    wrong_delivery = client.post(url, data=write_form(written, delivery="brieftaube"))
    assert wrong_delivery.status_code == 400
    too_long = client.post(url, data=write_form(written, own_text="ł" * 4001))
    assert too_long.status_code == 400 and "4000 Zeichen" in too_long.text
    assert client.post(url, data={"step": "unbekannt"}).status_code == 400
    assert _count(app) == 0


def test_a_details_mistake_and_the_services_mistakes_are_named_in_one_answer(client, app, written):
    url = f"/c/{written.slug}/write"
    # No consent ticked and no street (the form's), e-mail to a recipient without address and an outdated consent
    # text (the service's): every one in the same answer.
    data = write_form(
        written,
        recipient=written.postal_id,
        postcode="50733",
        delivery="email",
        own_text="Mein Absatz über Łódź und Gießen",
        consent=None,
        street="",
        consent_version="1999-01-01",
    )
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Ohne Ihre Einwilligung" in response.text and "Bitte Straße und Hausnummer angeben." in response.text
    assert "Für diese Person haben wir keine E-Mail-Adresse: Bitte per Post schicken." in response.text
    # The consent field has its own mistake already: the outdated text is told once that is put right.
    assert "Einwilligungstext hat sich geändert" not in response.text
    # A valid form whose submission the service refuses for two reasons hears both, each beside its field.
    both = client.post(url, data={**data, "consent": "y", "street": "Grüner Weg 1"})
    assert both.status_code == 400
    assert "keine E-Mail-Adresse" in both.text and "Einwilligungstext hat sich geändert" in both.text
    assert _count(app) == 0


def test_hostile_text_stays_text_in_the_preview_and_the_letter(client, app, written):
    hostile = '<script>alert(1)</script> {{ config.SECRET_KEY }} <img src=x onerror="alert(2)">'
    data = write_form(written, own_text=hostile)
    data["step"] = "preview"
    shown = client.post(f"/c/{written.slug}/write", data=data)
    assert "<script>alert(1)" not in shown.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown.text
    assert "test-secret-key" not in shown.text
    data["step"] = "submit"
    client.post(f"/c/{written.slug}/write", data=data)
    client.post(link_in(outbox(app, KIND_CONFIRMATION)[-1].raw, "confirm"))
    [mail] = outbox(app, KIND_LETTER)
    html = email.message_from_bytes(mail.raw, policy=default).get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html and "{{ config.SECRET_KEY }}" in html


def test_the_honeypot_gets_the_same_answer_and_stores_nothing(client, app, written):
    response = client.post(f"/c/{written.slug}/write", data=write_form(written, website="http://spam.example"))
    assert response.status_code == 302 and response.location.endswith("/write/sent")
    assert _count(app) == 0 and outbox(app, KIND_CONFIRMATION) == []


def test_the_pdf_preview(client, written):
    data = write_form(written, own_text="Ein Satz von mir, Łódź und Göttingen.")
    pdf = client.post(f"/c/{written.slug}/write/preview.pdf", data=data)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from tests.factories_letters import pdf_text

    text = pdf_text(pdf.data)
    assert "Łódź und Göttingen" in text and "Fliederweg 3" in text and "Schäfer-Öztürk" in text
    assert "Mein Zeichen" in text and "Unser Zeichen" not in text  # one person writes
    refused = client.post(f"/c/{written.slug}/write/preview.pdf", data={**data, "recipient": str(written.postal_id)})
    assert refused.status_code == 400


def _limited_client(app_factory, **limits):
    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, **limits)
    with app.app_context():
        found = make_writing_campaign(db.session)
        db.session.commit()
    return app, app.test_client(), found


def test_going_back_and_previewing_do_not_use_up_the_sending_limit(app_factory):
    _app, client, found = _limited_client(app_factory, SIGN_RATE_LIMIT="2 per minute")
    url = f"/c/{found.slug}/write"
    steps = ["recipients", "back-postcode", "recipients", "preview", "back-paragraph", "preview", "preview", "preview"]
    for step in steps:
        data = write_form(found, own_text="Ich wohne in Köln-Mülheim, Şükrü und ich.")
        data["step"] = step
        assert client.post(url, data=data).status_code == 200, step
    pdf = client.post(f"{url}/preview.pdf", data=write_form(found))
    assert pdf.status_code == 200
    assert client.post(url, data=write_form(found, email="erste@example.org")).status_code == 302
    assert client.post(url, data=write_form(found, email="zweite@example.org")).status_code == 302


def test_a_submission_over_the_limit_keeps_the_letter_and_says_when_to_send_again(app_factory):
    app, client, found = _limited_client(app_factory, SIGN_RATE_LIMIT="1 per minute")
    url = f"/c/{found.slug}/write"
    assert client.post(url, data=write_form(found, email="erste@example.org")).status_code == 302
    mine = "Als Lehrerin in Gießen erlebe ich täglich, was fehlt. Grüße von Łucja."
    refused = client.post(url, data=write_form(found, own_text=mine, first_name="Zoë", email="zoe@example.org"))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    page = refused.text
    assert "Zu viele Versuche in kurzer Zeit. Bitte in 1 Minute erneut absenden; Ihr Text bleibt erhalten." in page
    # Everything typed is still in the form, ready to be sent again; nothing was stored for it.
    assert "Lehrerin in Gießen" in page and 'value="Zoë"' in page and 'value="zoe@example.org"' in page
    assert "Brief abschicken" in page and "Zur Startseite" not in page
    assert _count(app) == 1


def test_the_steps_and_the_pdf_preview_have_their_own_limit(app_factory):
    _app, client, found = _limited_client(app_factory, WRITE_PREVIEW_RATE_LIMIT="2 per minute")
    url = f"/c/{found.slug}/write"
    pdfs = [client.post(f"{url}/preview.pdf", data=write_form(found)).status_code for _ in range(3)]
    assert pdfs == [200, 200, 429]
    data = {**write_form(found), "step": "preview"}
    assert [client.post(url, data=data).status_code for _ in range(3)] == [200, 200, 429]
    # The final submission is counted apart, under SIGN_RATE_LIMIT.
    assert client.post(url, data=write_form(found)).status_code == 302


def _letters(app) -> list[tuple[int | None, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(SupporterLetter.recipient_id, SupporterLetter.status, SupporterLetter.own_text).order_by(
                SupporterLetter.id
            )
        )
        return [(recipient, status.value, text) for recipient, status, text in rows]


def test_writing_to_the_same_person_again_replaces_the_unconfirmed_letter(client, app, written):
    url = f"/c/{written.slug}/write"
    assert client.post(url, data=write_form(written, own_text="Erste Fassung aus Düsseldorf.")).status_code == 302
    again = client.post(
        url, data=write_form(written, own_text="Zweite Fassung, Grüße aus Münster.", email="GUELSEN@Example.org")
    )
    assert again.status_code == 302
    page = client.get(again.location).text
    assert "Ihr neuer Text ersetzt ihn: Es geht nur ein Brief ab." in page
    assert _letters(app) == [(written.local_id, "pending", "Zweite Fassung, Grüße aus Münster.")]
    first, second = outbox(app, KIND_CONFIRMATION)
    # The first mail's link still works and confirms the new text; only one letter reaches the office.
    assert "Ihr Brief ist unterwegs" in client.post(link_in(first.raw, "confirm")).text
    client.post(link_in(second.raw, "confirm"))
    [mail] = outbox(app, KIND_LETTER)
    body = email.message_from_bytes(mail.raw, policy=default).get_body(preferencelist=("plain",)).get_content()
    assert "Grüße aus Münster" in body and "Erste Fassung" not in body


def test_a_confirmed_letter_to_the_same_person_refuses_a_second_one(client, app, written):
    url = f"/c/{written.slug}/write"
    client.post(url, data=write_form(written, own_text="Mein Brief an Frau Schäfer-Öztürk."))
    client.post(link_in(outbox(app, KIND_CONFIRMATION)[0].raw, "confirm"))
    refused = client.post(url, data=write_form(written, own_text="Noch einer, aus Łódź.", email="Guelsen@example.org"))
    assert refused.status_code == 400
    assert "Sie haben Jana Schäfer-Öztürk in dieser Kampagne schon geschrieben." in refused.text
    assert "Noch einer, aus Łódź." in refused.text  # the text is kept, to send to someone else
    assert len(outbox(app, KIND_CONFIRMATION)) == 1 and len(_letters(app)) == 1
    # Another person of the campaign may still get a letter from the same writer.
    other = client.post(url, data=write_form(written, recipient=written.open_id, own_text="An Herrn Brandt."))
    assert other.status_code == 302
    assert [row[0] for row in _letters(app)] == [written.local_id, written.open_id]


def test_the_writers_postcode_is_checked_as_the_lookup_postcode_is(client, app, written):
    url = f"/c/{written.slug}/write"
    lookup = client.post(url, data={"step": "recipients", "postcode": "5066"})
    assert "Bitte eine fünfstellige Postleitzahl angeben, etwa 40210." in lookup.text
    for typed in ("5066", "ABCDE"):
        refused = client.post(url, data=write_form(written, writer_postcode=typed, own_text="Grüße, Şebnem"))
        assert refused.status_code == 400
        assert (
            '<a href="#writer_postcode">Bitte eine fünfstellige Postleitzahl angeben, etwa 40210.</a>' in refused.text
        )
        assert f'value="{typed}"' in refused.text and "Grüße, Şebnem" in refused.text
    # Named together with the form's own mistakes.
    both = client.post(url, data=write_form(written, writer_postcode="5066", street=""))
    assert "fünfstellige Postleitzahl" in both.text and "Bitte Straße und Hausnummer angeben." in both.text
    assert _count(app) == 0


def test_nobody_is_chosen_in_advance_and_going_on_without_a_choice_asks_for_one(client, written):
    url = f"/c/{written.slug}/write"
    listed = client.post(url, data={"step": "recipients", "postcode": "50667"})
    assert "Jana Schäfer-Öztürk" in listed.text and "Łukasz Brandt" in listed.text
    assert 'name="choice"' in listed.text and "checked" not in listed.text
    refused = client.post(url, data={"step": "arguments", "postcode": "50667"})
    assert refused.status_code == 400
    assert "Bitte wählen Sie, an wen Sie schreiben möchten." in refused.text
    assert "Jana Schäfer-Öztürk" in refused.text and "checked" not in refused.text
    # Coming back from the arguments, the one chosen is still chosen.
    back = client.post(url, data={"step": "back-recipients", "postcode": "50667", "recipient": str(written.open_id)})
    assert f'value="{written.open_id}" checked' in back.text and back.text.count(" checked") == 1


def test_a_few_words_without_arguments_are_no_letter_yet(client, app, written):
    url = f"/c/{written.slug}/write"
    short = "Bitte ändern, Grüße Zoë."
    data = {"postcode": "50667", "recipient": str(written.local_id), "chosen": "", "own_text": short}
    refused = client.post(url, data={**data, "step": "preview"})
    assert refused.status_code == 400
    message = "Ihr Brief ist noch sehr kurz. Bitte schreiben Sie mindestens 20 Wörter oder wählen Sie Argumente."
    assert message in refused.text and short in refused.text
    assert "100\u00a0%" not in refused.text
    submitted = client.post(url, data=write_form(written, chosen=[], own_text=short))
    assert submitted.status_code == 400 and message in submitted.text and _count(app) == 0
    # Twenty words of one's own make a letter, and all of it is the writer's.
    mine = " ".join(["Als Hebamme in Köln-Kalk sehe ich jeden Tag, wie Familien auf Wohnungen warten müssen."] * 2)
    shown = client.post(url, data={**data, "own_text": mine, "step": "preview"})
    assert shown.status_code == 200 and "100\u00a0% des Briefs sind in Ihren eigenen Worten" in shown.text


def test_the_page_after_sending_says_what_happens_to_a_letter_by_post(client, written):
    url = f"/c/{written.slug}/write"
    data = write_form(written, recipient=written.postal_id, postcode="50733", delivery="post", email="post@example.org")
    sent = client.post(url, data=data)
    assert sent.status_code == 302
    page = client.get(sent.location).text
    assert "als PDF ausdrucken. Dann unterschreiben Sie ihn und schicken ihn selbst per Post ab" in page
    assert "geht Ihr Brief" not in page
    by_mail = client.get(client.post(url, data=write_form(written)).location).text
    assert "geht Ihr Brief zur Kampagne" in by_mail and "selbst per Post" not in by_mail
