"""One counting everywhere: the dashboard, the JSON API and the co-signing counter agree."""

from __future__ import annotations

from campaign.db import db, utcnow
from campaign.models import Campaign, Signature, SignatureStatus
from campaign.services.dashboard.figures import headline
from campaign.services.privacy.erasure import erase_signatures
from campaign.services.signing import counts
from campaign.services.signing.lifecycle import move
from tests.factories_dashboard import make_counted_campaign
from tests.factories_signing import make_signature


def test_the_api_counts_letters_and_answers_as_the_dashboard(app, client):
    with app.app_context():
        make_counted_campaign(db.session)
        db.session.commit()
    data = client.get("/api/v1/campaigns/gezaehlt").get_json()
    assert (data["letters_sent"], data["replies"]) == (10, 3)


def test_the_signature_counter_and_the_dashboard_agree_through_withdrawal_removal_and_erasure(db_session):
    campaign = Campaign(slug="zaehlen", title="Zählen")
    db_session.add(campaign)
    db_session.flush()
    signatures = [make_signature(db_session, campaign) for _ in range(5)]
    make_signature(db_session, campaign, status=SignatureStatus.PENDING)
    first, second, third = (signature.id for signature in signatures[:3])
    move(db_session, Signature.id == first, SignatureStatus.WITHDRAWN, withdrawn_at=utcnow())
    move(db_session, Signature.id == second, SignatureStatus.REMOVED, withdrawn_at=utcnow(), note="Spam")
    erase_signatures(db_session, [third], note="auf Antrag gelöscht")
    db_session.expire_all()
    assert counts.confirmed_count(db_session, campaign.id) == 3
    assert headline(db_session, campaign).signatures_confirmed == 3
