"""The privacy page is generated from the instance settings and names the legal basis, periods and rights."""

from __future__ import annotations


def test_the_privacy_page_shows_the_controller_contact_and_periods_from_the_settings(app_factory):
    app = app_factory(
        PRIVACY_CONTROLLER="Flüchtlingsrat Köln e.V.\nPostfach 1\n50667 Köln",
        PRIVACY_CONTACT="datenschutz@example.org",
        UNCONFIRMED_SIGNATURE_DAYS=5,
        SIGNATURE_RETENTION_DAYS=90,
    )
    page = app.test_client().get("/privacy").get_data(as_text=True)
    assert "Flüchtlingsrat Köln e.V." in page and "datenschutz@example.org" in page
    assert "Art. 9 Abs. 2 lit. a" in page
    assert "nach 5 Tagen" in page and "90 Tage nach der Frist" in page
    assert "keine Schriften, Skripte, Zähler oder Knöpfe Dritter" in page
    for right in ("Auskunft", "Löschung", "Widerruf", "Art. 77"):
        assert right in page
