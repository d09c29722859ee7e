"""E-mail addresses: every reason a user sees is German, and the canonical form joins one person's variants."""

from __future__ import annotations

import re

import pytest

from campaign.services.common.emails import canonical_email, normalise_email
from campaign.services.common.errors import ServiceError

# Words of email-validator's English messages that must never reach a user.
ENGLISH = re.compile(r"\b(must|there|after|before|sign|cannot|contains|invalid|characters|too long|period)\b", re.I)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("max(at)example.org", "Es fehlt das @-Zeichen."),
        ("ayse@", "Nach dem @-Zeichen fehlt die Domain"),
        ("@example.org", "Vor dem @-Zeichen fehlt der Name"),
        ("ayse dogan@example.org", "Vor dem @-Zeichen stehen unzulässige Zeichen: Leerzeichen."),
        ("ayse@example .org", "Nach dem @-Zeichen stehen unzulässige Zeichen: Leerzeichen."),
        ("ines@@example.org", "Nach dem @-Zeichen stehen unzulässige Zeichen: „@“."),
        ("ayse@example", "Nach dem @-Zeichen fehlt eine vollständige Domain mit Punkt"),
        ("ayse@example..org", "Zwei Punkte hintereinander"),
        ("ayse@example.123", "gültige Endung wie .de oder .org"),
        ("ayse@-example.org", "Bindestrich an unzulässiger Stelle"),
        ("ayse@beispiel.invalid", "für Tests oder interne Netze reserviert"),
        ("Ayşe Doğan <ayse@example.org>", "ohne Namen und spitze Klammern"),
        ("ayse\u200b@example.org", "unsichtbare oder unzulässige Sonderzeichen (ZERO WIDTH SPACE)"),
        ("a" * 250 + "@example.org", "Die Adresse ist zu lang (8 Zeichen zu viel)."),
        ("ayse@" + "b" * 70 + ".de", "höchstens 63 Zeichen zwischen zwei Punkten"),
    ],
    ids=[
        "missing-at",
        "nothing-after-at",
        "nothing-before-at",
        "space-before-at",
        "space-after-at",
        "two-at-signs",
        "domain-without-dot",
        "two-dots",
        "bad-top-level-domain",
        "hyphen",
        "reserved-domain",
        "display-name",
        "invisible-character",
        "too-long",
        "domain-label-too-long",
    ],
)
def test_invalid_addresses_are_explained_in_german(address, reason):
    with pytest.raises(ServiceError) as caught:
        normalise_email(address)
    message = str(caught.value)
    assert message.startswith("Ungültige E-Mail-Adresse „") and reason in message
    assert not ENGLISH.search(message.split("“: ", 1)[1]), message


def test_an_uncommon_reason_keeps_the_library_text_only_in_brackets():
    with pytest.raises(ServiceError) as caught:
        normalise_email("ayse@xn--zz.de")
    assert "Die Adresse hat nicht die Form name@example.org (The part after the @-sign is not valid IDNA" in str(
        caught.value
    )


def test_a_pasted_paragraph_is_not_repeated_whole():
    with pytest.raises(ServiceError) as caught:
        normalise_email("Bitte schreiben Sie an " + "x" * 300)
    assert len(str(caught.value)) < 200 and "…“" in str(caught.value)


def test_empty_address_asks_for_one():
    with pytest.raises(ServiceError, match="Bitte eine E-Mail-Adresse angeben"):
        normalise_email("  ")


def test_valid_addresses_are_normalised_and_canonical_forms_collide():
    assert normalise_email(" Ayşe.Doğan@Example.ORG ") == "Ayşe.Doğan@example.org"
    assert canonical_email("A.Dogan+kampagne@GoogleMail.com") == canonical_email("adogan@gmail.com")
    assert canonical_email("a.dogan@example.org") != canonical_email("adogan@example.org")
