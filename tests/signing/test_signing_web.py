"""Signing on the campaign page: the form, the friendly answer, duplicates and canonical addresses, honeypot, limits."""

from __future__ import annotations

import email
import re
from datetime import date
from email.policy import default

from sqlalchemy import func, select

from campaign.db import db
from campaign.models import Campaign, OutboxMessage, Signature, SignatureStatus, Supporter
from campaign.services.sending.outbox import mime_bytes
from tests.factories_signing import MAIL_FROM, form_data, make_open_letter


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_signing_stores_a_pending_signature_and_queues_the_confirmation_mail(client, letter):
    page = client.get(f"/c/{letter.slug}")
    assert page.status_code == 200
    assert "Mitzeichnen" in page.get_data(as_text=True)
    response = client.post(f"/c/{letter.slug}/sign", data=form_data(email="Ayse.Dogan@Example.org"))
    assert response.status_code == 302 and response.location.endswith(f"/c/{letter.slug}/signed")
    assert "Fast geschafft" in client.get(response.location).get_data(as_text=True)
    with letter.app.app_context():
        signature = db.session.scalar(select(Signature))
        assert signature.status is SignatureStatus.PENDING
        assert signature.consent_version and signature.supporter.first_name == "Ayşe"
    mails = letter.mails()
    assert len(mails) == 1 and mails[0].to_address == "Ayse.Dogan@example.org"
    links = letter.links()
    assert set(links) == {"confirm", "withdraw"}


def test_signing_again_with_a_variant_of_the_address_gives_the_same_answer_and_no_new_row(client, letter):
    first = client.post(f"/c/{letter.slug}/sign", data=form_data(email="jana.glowacka+brief@gmail.com"))
    for variant in ("JanaGlowacka@gmail.com", "j.a.n.a.glowacka@googlemail.com", "jana.glowacka+x@GMAIL.com"):
        again = client.post(f"/c/{letter.slug}/sign", data=form_data(email=variant))
        assert again.status_code == first.status_code == 302
        assert again.location == first.location
    assert _count(letter.app, Signature) == 1
    assert _count(letter.app, Supporter) == 1
    # The confirmation mail is not sent again within the resend interval.
    assert len(letter.mails()) == 1


def test_missing_consent_and_bad_input_keep_the_typed_values_and_say_what_is_wrong(client, letter):
    response = client.post(
        f"/c/{letter.slug}/sign", data=form_data(consent=None, email="keine-adresse", first_name="Łukasz")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ohne Ihre Einwilligung" in page
    assert 'value="Łukasz"' in page
    # One answer names every mistake: the address too, not only once the consent is given.
    assert "Ungültige E-Mail-Adresse „keine-adresse“" in page
    response = client.post(f"/c/{letter.slug}/sign", data=form_data(email="keine-adresse"))
    assert response.status_code == 400
    assert "Ungültige E-Mail-Adresse" in response.get_data(as_text=True)
    response = client.post(f"/c/{letter.slug}/sign", data=form_data(city="x" * 121))
    assert response.status_code == 400 and "Höchstens 120 Zeichen" in response.get_data(as_text=True)
    assert _count(letter.app, Signature) == 0


def _postcode_error(page: str) -> str:
    """The message beside the postcode field (its error summary links to it)."""
    match = re.search(r'<a href="#postcode">([^<]*)</a>', page)
    return match.group(1) if match else ""


def test_a_postcode_that_is_not_five_digits_is_refused_beside_its_field(client, letter):
    for typed in ("ABCDE", "1", "5066"):
        response = client.post(f"/c/{letter.slug}/sign", data=form_data(postcode=typed, first_name="Jörg-Ňeděla"))
        page = response.get_data(as_text=True)
        assert response.status_code == 400, typed
        assert _postcode_error(page) == "Bitte eine fünfstellige Postleitzahl angeben, etwa 40210."
        assert f'value="{typed}"' in page and 'value="Jörg-Ňeděla"' in page
    # With another mistake as well, both are named in one answer.
    both = client.post(f"/c/{letter.slug}/sign", data=form_data(postcode="ABCDE", consent=None)).get_data(as_text=True)
    assert "fünfstellige Postleitzahl" in both and "Ohne Ihre Einwilligung" in both
    assert _count(letter.app, Signature) == 0
    # Spaces are fine and dropped.
    assert client.post(f"/c/{letter.slug}/sign", data=form_data(postcode=" 50 667 ")).status_code == 302
    with letter.app.app_context():
        assert db.session.scalar(select(Supporter.postcode)) == "50667"


def test_an_empty_name_and_a_function_without_organisation_are_named_in_one_answer(client, letter):
    response = client.post(
        f"/c/{letter.slug}/sign",
        data=form_data(first_name=" ", last_name="Łęcka-Müßig", function="Vorsitzende für Öffentlichkeitsarbeit"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Bitte Ihren Vornamen angeben." in page
    assert "Eine Funktion bitte nur zusammen mit der Organisation angeben." in page
    assert 'value="Łęcka-Müßig"' in page
    # With a bad address as well, all three come at once.
    response = client.post(f"/c/{letter.slug}/sign", data=form_data(first_name="", email="ğül@", function="Sprecherin"))
    page = response.get_data(as_text=True)
    assert "Bitte Ihren Vornamen angeben." in page and "Ungültige E-Mail-Adresse" in page
    assert "Eine Funktion bitte nur zusammen mit der Organisation angeben." in page
    # Alone, on a form that is valid otherwise, the service says the same.
    response = client.post(f"/c/{letter.slug}/sign", data=form_data(function="Schriftführerin"))
    assert response.status_code == 400
    assert "Eine Funktion bitte nur zusammen mit der Organisation angeben." in response.get_data(as_text=True)
    assert _count(letter.app, Signature) == 0


def test_the_honeypot_gets_the_friendly_answer_and_stores_nothing(client, letter):
    response = client.post(f"/c/{letter.slug}/sign", data=form_data(website="http://spam.example"))
    assert response.status_code == 302 and response.location.endswith("/signed")
    assert _count(letter.app, Signature) == 0 and letter.mails() == []


def test_signing_is_limited_per_address(app_factory):
    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, SIGN_RATE_LIMIT="3 per minute")
    with app.app_context():
        from tests.factories_signing import make_open_letter

        slug = make_open_letter(db.session).slug
        db.session.commit()
    client = app.test_client()
    statuses = [client.post(f"/c/{slug}/sign", data=form_data()).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    refused = client.post(f"/c/{slug}/sign", data=form_data())
    assert "Zu viele Versuche" in refused.get_data(as_text=True)
    # The refusal says when to try again: within the minute of the limit, not before a second has passed.
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert _count(app, Signature) == 3


def test_unicode_names_appear_on_the_page_once_confirmed(client, letter):
    from campaign.models import Campaign, Listing
    from tests.factories_signing import make_signature

    with letter.app.app_context():
        campaign = db.session.get(Campaign, letter.id)
        make_signature(db.session, campaign, first_name="Ağça", last_name="Şahin", city="Łódź")
        make_signature(db.session, campaign, first_name="Ćmiel", last_name="Núñez", listing=Listing.INITIAL)
        make_signature(db.session, campaign, first_name="Verborgen", last_name="Ganz", listing=Listing.HIDDEN)
        make_signature(
            db.session,
            campaign,
            first_name="Grete",
            last_name="Groß",
            organisation="Flüchtlingsrat NRW e.V.",
            function="Vorstand",
        )
        make_signature(db.session, campaign, first_name="Offen", last_name="Noch", status=SignatureStatus.PENDING)
        db.session.commit()
    page = client.get(f"/c/{letter.slug}").get_data(as_text=True)
    assert "Ağça Şahin, Łódź" in page and "Ćmiel N., Essen" in page
    assert "Flüchtlingsrat NRW e.V. (Grete Groß, Vorstand)" in page
    assert "Verborgen" not in page and "Offen Noch" not in page
    assert "4 Mitzeichnungen" in page
    assert page.index("Erstunterzeichnende") < page.index("Ağça Şahin")


def test_a_closed_campaign_and_an_outdated_consent_text_take_no_signature(client, letter):
    from campaign.models import Campaign, CampaignStatus

    stale = client.post(f"/c/{letter.slug}/sign", data=form_data(consent_version="1999-01-01"))
    assert stale.status_code == 400 and "Einwilligungstext hat sich geändert" in stale.get_data(as_text=True)
    with letter.app.app_context():
        db.session.get(Campaign, letter.id).status = CampaignStatus.CLOSED
        db.session.commit()
    page = client.get(f"/c/{letter.slug}").get_data(as_text=True)
    assert "Das Mitzeichnen ist beendet." in page and 'action="/c/' not in page
    assert client.post(f"/c/{letter.slug}/sign", data=form_data()).status_code == 404
    assert _count(letter.app, Signature) == 0 and _count(letter.app, Supporter) == 0


def test_a_letter_that_no_longer_renders_is_not_offered_for_co_signing(client, letter):
    from campaign.models import TemplateVersion

    with letter.app.app_context():
        version = db.session.scalars(select(TemplateVersion)).one()
        version.body = "{{ salutation }},\n\n{{ gibt_es_nicht.feld }}\n"  # saved before a field was withdrawn
        db.session.commit()
    page = client.get(f"/c/{letter.slug}").get_data(as_text=True)
    assert "Der offene Brief" not in page and "Jetzt mitzeichnen" not in page and 'action="/c/' not in page


def test_signing_works_with_the_default_sender_of_a_fresh_installation(app_factory):
    # `make run` leaves MAIL_FROM at its default: the confirmation mail must still be queued.
    app = app_factory(JOBS_URL="memory://")
    with app.app_context():
        campaign = make_open_letter(db.session)
        db.session.commit()
        slug = campaign.slug
    response = app.test_client().post(f"/c/{slug}/sign", data=form_data(email="guel.lukasz@example.org"))
    assert response.status_code == 302 and response.location.endswith(f"/c/{slug}/signed")
    with app.app_context():
        (mail,) = db.session.scalars(select(OutboxMessage)).all()
        assert mail.to_address == "guel.lukasz@example.org"


def test_signing_needs_the_csrf_token_of_the_page(app_factory):
    app = app_factory(JOBS_URL="memory://", MAIL_FROM=MAIL_FROM, WTF_CSRF_ENABLED=True)
    with app.app_context():
        slug = make_open_letter(db.session).slug
        db.session.commit()
    client = app.test_client()
    page = client.get(f"/c/{slug}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    assert client.post(f"/c/{slug}/sign", data=form_data()).status_code == 400
    assert client.post(f"/c/{slug}/sign", data={**form_data(), "csrf_token": token + "x"}).status_code == 400
    assert _count(app, Signature) == 0
    assert client.post(f"/c/{slug}/sign", data={**form_data(), "csrf_token": token}).status_code == 302
    assert _count(app, Signature) == 1


def _confirmation(letter) -> tuple[str, str]:
    message = email.message_from_bytes(mime_bytes(letter.mails()[-1]), policy=default)
    return message["Subject"], message.get_body(preferencelist=("plain",)).get_content()


def test_the_confirmation_mail_is_in_the_language_of_the_page_signed_on(client, letter):
    with letter.app.app_context():
        db.session.get(Campaign, letter.id).deadline = date(2027, 2, 1)
        db.session.commit()
    client.post(f"/c/{letter.slug}/sign", data=form_data(), headers={"Accept-Language": "en"})
    subject, text = _confirmation(letter)
    assert subject.startswith("Please confirm: your co-signature of")
    assert text.startswith("Hello Ayşe,") and "open letter “" in text and "(possible until 1 February 2027)" in text
    assert "click “Confirm co-signature”" in text and "withdraw your co-signature at any time" in text
    assert set(letter.links()) == {"confirm", "withdraw"}
    client.post(f"/c/{letter.slug}/sign", data=form_data(first_name="Łucja"))
    subject, text = _confirmation(letter)
    assert subject.startswith("Bitte bestätigen: Ihre Mitzeichnung „")
    assert text.startswith("Hallo Łucja,") and "mitzeichnen (das geht bis zum 1. Februar 2027)" in text
    assert "auf „Mitzeichnung bestätigen“" in text


def test_the_built_in_consent_names_where_the_choice_is_and_its_earlier_wording_stays_on_record(client, letter):
    """The form asks how the name appears above the checkbox, so the wording says „in diesem Formular“, not
    „unten“. The earlier wording keeps its version: a signature given under it still shows what was agreed to."""
    from campaign.services.signing.consent import consent_text

    page = client.get(f"/c/{letter.slug}").get_data(as_text=True)
    assert "so, wie ich es in diesem Formular wähle" in page and "unten wähle" not in page
    assert page.index('name="listing"') < page.index('name="consent"')
    # A page loaded before the new wording still signs, and records the wording it showed.
    signed = client.post(
        f"/c/{letter.slug}/sign", data=form_data(email="łucja.weiß@example.org", consent_version="2026-12-01")
    )
    assert signed.status_code == 302
    with letter.app.app_context():
        version = db.session.scalar(select(Signature.consent_version))
        assert version == "2026-12-01" and "so, wie ich es unten wähle" in consent_text(db.session, version)
