"""Supporters' own letters on the team's tracking screens: marked as theirs, and counted apart from the campaign's."""

from __future__ import annotations

from sqlalchemy import select

from campaign.db import db, utcnow
from campaign.models import Channel, Letter, LetterStatus, Reply, Role
from tests.factories_replies import make_reply
from tests.factories_writing import make_supporter_letter

NAME = "Jana Schäfer-Öztürk"


def _letters(app, written) -> None:
    """The campaign's own letter to the local MP, and two letters supporters wrote to her."""
    with app.app_context():
        db.session.add(
            Letter(
                campaign_id=written.campaign_id, recipient_id=written.local_id, reference_code="NRW-2026-0007",
                recipient_name=NAME, channel=Channel.EMAIL, status=LetterStatus.SENT, sent_at=utcnow(),
            )
        )  # fmt: skip
        for _ in range(2):
            make_supporter_letter(db.session, written)
        for letter in db.session.scalars(select(Letter).where(Letter.supporter_id.is_not(None))):
            letter.recipient_name = NAME
        db.session.commit()


def test_the_board_marks_supporters_letters_and_says_how_many_of_the_count_are_theirs(client, app, written, login):
    _letters(app, written)
    login(Role.COORDINATOR)
    page = client.get(f"/track/campaigns/{written.slug}/letters").get_data(as_text=True)
    assert "3 Briefe, davon 2 von Unterstützer:innen, angezeigt 1–3." in page
    rows = page.split('<table id="board">', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    marked = [row for row in rows if "Brief von Unterstützer:in" in row]
    assert len(marked) == 2 and all("U-" in row for row in marked) and "NRW-2026-0007" not in "".join(marked)
    english = client.get(f"/track/campaigns/{written.slug}/letters", headers={"Accept-Language": "en"}).text
    assert "3 letters, 2 of them by supporters, showing 1–3." in english and "Letter by a supporter" in english
    history = client.get(f"/track/campaigns/{written.slug}/recipients/{written.local_id}").get_data(as_text=True)
    assert history.count("<li>Brief von Unterstützer:in U-") == 2 and "<li>NRW-2026-0007: " in history


def test_the_inbox_search_tells_a_supporters_letter_from_the_campaigns(client, app, written, login):
    _letters(app, written)
    with app.app_context():
        reply_id = make_reply(db.session, None, from_address="buero@example.org").id
        db.session.commit()
    login(Role.COORDINATOR)
    page = client.get(f"/track/inbox/{reply_id}", query_string={"q": "Schäfer"}).get_data(as_text=True)
    hits = page.split("<legend>Treffer</legend>", 1)[1].split("</fieldset>", 1)[0].split("</label>")[:-1]
    assert len(hits) == 3
    campaign_hit = next(hit for hit in hits if "NRW-2026-0007" in hit)
    assert "Unterstützer" not in campaign_hit
    assert all("– <strong>Brief von Unterstützer:in</strong>" in hit for hit in hits if "U-" in hit)
    with app.app_context():
        assert db.session.get(Reply, reply_id).letter_id is None
