"""Co-signers named under an open letter: only confirmed, consenting and not erased supporters, by surname."""

from __future__ import annotations

from itertools import count

from campaign.db import utcnow
from campaign.models import Listing, Signature, SignatureStatus, Supporter
from campaign.services.signing.signatories import co_signer_names
from tests.factories import make_campaign

_numbers = count(1)


def _sign(session, campaign, first, last, city="", *, status=SignatureStatus.CONFIRMED, public=True, erased=False):
    number = next(_numbers)
    supporter = Supporter(
        email=f"person{number}@example.org",
        email_canonical=f"person{number}@example.org",
        first_name=first,
        last_name=last,
        city=city,
        erased_at=utcnow() if erased else None,
    )
    session.add(supporter)
    session.add(
        Signature(
            campaign=campaign,
            supporter=supporter,
            status=status,
            listing=Listing.FULL_NAME if public else Listing.HIDDEN,
            consent_version="v1",
            confirm_token_hash=f"c{number}",
            withdraw_token_hash=f"w{number}",
        )
    )
    session.flush()


def test_only_confirmed_public_signatures_are_named_by_surname(db_session):
    campaign = make_campaign(db_session, open_letter=True)
    _sign(db_session, campaign, "Jana", "Głowacka", " Essen ")
    _sign(db_session, campaign, " Ömer ", "Yıldız ")
    _sign(db_session, campaign, "Łukasz", "Bäcker", "Köln")
    _sign(db_session, campaign, "", "", "Bonn")  # nothing to name
    _sign(db_session, campaign, "Paula", "Anonym", "Bonn", public=False)
    _sign(db_session, campaign, "Peter", "Offen", "Bonn", status=SignatureStatus.PENDING)
    _sign(db_session, campaign, "Wera", "Zurück", "Bonn", status=SignatureStatus.WITHDRAWN)
    _sign(db_session, campaign, "Gelöscht", "Person", "Bonn", erased=True)
    _sign(db_session, make_campaign(db_session, open_letter=True), "Andere", "Kampagne", "Bonn")
    assert co_signer_names(db_session, campaign) == ["Łukasz Bäcker, Köln", "Jana Głowacka, Essen", "Ömer Yıldız"]
