"""Signing reads the campaign at most every few seconds per process (on PostgreSQL): a change to the campaign in
between must still count at once. A closed campaign takes no more signatures, a new title is in the next mail,
a second campaign is signed by a person who signed the first one, and a custom consent version is checked."""

from __future__ import annotations

import email
from email.policy import default

from sqlalchemy import func, select

from campaign.db import db
from campaign.models import Campaign, CampaignStatus, OutboxMessage, Signature, Supporter
from campaign.services.sending.outbox import mime_bytes
from tests.factories_signing import form_data, make_open_letter


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _change(app, campaign_id: int, **values) -> None:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        for name, value in values.items():
            setattr(campaign, name, value)
        db.session.commit()


def test_a_campaign_closed_right_after_a_signature_takes_no_further_one(client, letter):
    assert client.post(f"/c/{letter.slug}/sign", data=form_data()).status_code == 302
    _change(letter.app, letter.id, status=CampaignStatus.CLOSED)
    assert client.post(f"/c/{letter.slug}/sign", data=form_data(email="zweite.person@example.org")).status_code == 404
    assert _count(letter.app, Signature) == 1 and _count(letter.app, Supporter) == 1
    assert _count(letter.app, OutboxMessage) == 1


def test_the_next_confirmation_mail_carries_the_new_title_of_the_campaign(client, letter):
    assert client.post(f"/c/{letter.slug}/sign", data=form_data()).status_code == 302
    _change(letter.app, letter.id, title="Offener Brief: Straßenbahn für Gießen")
    assert client.post(f"/c/{letter.slug}/sign", data=form_data(email="zweite.person@example.org")).status_code == 302
    first, second = letter.mails()
    for message, title in ((first, "Straßenbahn"), (second, "Straßenbahn für Gießen")):
        parsed = email.message_from_bytes(mime_bytes(message), policy=default)
        assert (title in parsed["Subject"]) is (message is second)
        assert (title in parsed.get_body(preferencelist=("plain",)).get_content()) is (message is second)


def test_a_person_who_signed_one_letter_can_sign_another(client, letter):
    data = form_data(email="Dilek.Yildiz@example.org", first_name="Dilek")
    assert client.post(f"/c/{letter.slug}/sign", data=data).status_code == 302
    with letter.app.app_context():
        other = make_open_letter(db.session)
        db.session.commit()
        other_slug, other_id = other.slug, other.id
    assert client.post(f"/c/{other_slug}/sign", data={**data, "email": "dilek.yildiz@example.org"}).status_code == 302
    assert _count(letter.app, Supporter) == 1
    with letter.app.app_context():
        signed = db.session.scalars(select(Signature.campaign_id).order_by(Signature.id)).all()
        mails = db.session.scalars(select(OutboxMessage.signature_id)).all()
    assert signed == [letter.id, other_id] and len(mails) == 2


def test_an_unknown_consent_version_is_refused_before_anything_is_stored(client, letter):
    response = client.post(f"/c/{letter.slug}/sign", data=form_data(consent_version="1999-01-01"))
    assert response.status_code == 400
    assert "Einwilligungstext hat sich geändert" in response.get_data(as_text=True)
    assert _count(letter.app, Signature) == 0 and _count(letter.app, Supporter) == 0
