"""The privacy page promises only what the tool does today and calls co-signing what it is: planned."""

from __future__ import annotations


def test_the_privacy_page_says_co_signing_is_planned_not_running(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "Das Mitzeichnen eines offenen Briefs ist geplant, aber noch nicht möglich." in page
    assert "keine Schriften, Skripte oder Zähler Dritter" in page
    # No present-tense promise of an opt-in mail or an automatic deletion that no code carries out yet.
    assert "löschen wir automatisch" not in page and "Ihre Mitzeichnung zählt erst" not in page
