"""The sending screen: four-eyes approval, schedule, queue with progress, pause, paper letters and bounces."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select, update

from campaign.db import db
from campaign.models import CampaignStatus, Channel, Job, JobStatus, Letter, LetterStatus, Role, Target
from campaign.services.common.dates import today_in_germany
from campaign.services.sending.lifecycle import approve_letters, generate_letters
from tests.services.sending.helpers import email_campaign, statuses
from tests.support.mailserver import MailServer


@pytest.fixture
def mail_server():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def app(app_factory, mail_server):
    return app_factory(MAIL_URL=mail_server.url, MAIL_FROM="Kampagne <kampagne@example.org>")


@pytest.fixture
def campaign(app):
    """Three targets: two by e-mail, the last one by post."""
    with app.app_context():
        found, people = email_campaign(3)
        target = db.session.scalar(select(Target).where(Target.recipient_id == people[2].id))
        target.channel = Channel.POST
        db.session.commit()
        db.session.refresh(found)
        db.session.expunge(found)
        return found


def _url(campaign, action: str = "") -> str:
    return f"/organise/campaigns/{campaign.slug}/sending" + (f"/{action}" if action else "")


def _generate(app, campaign, user=None) -> None:
    with app.app_context():
        generate_letters(db.session, db.session.merge(campaign), on=today_in_germany(), user=user)
        db.session.commit()


def _statuses(app, campaign):
    with app.app_context():
        return statuses(db.session.merge(campaign))


def test_four_eyes_schedule_queue_and_send(app, client, login, campaign, mail_server):
    author = login(Role.ORGANISER)
    with app.app_context():
        _generate(app, campaign, user=db.session.merge(author))
    page = client.get(_url(campaign))
    assert page.status_code == 200
    assert "3 Entwürfe warten auf die Freigabe." in page.get_data(as_text=True)
    client.post(_url(campaign, "settings"), data={"require_second_approver": "y", "attach_pdf": ""})
    refused = client.post(_url(campaign, "approve"), follow_redirects=True)
    assert "zweite Person" in refused.get_data(as_text=True)
    assert _statuses(app, campaign) == [LetterStatus.DRAFT] * 3

    second = app.test_client()
    login(Role.ORGANISER, client=second)
    approved = second.post(_url(campaign, "approve"), follow_redirects=True)
    assert "3 Briefe freigegeben." in approved.get_data(as_text=True)
    second.post(_url(campaign, "schedule"), data={"send_at": "2099-01-01T08:00"})
    queued = second.post(_url(campaign, "queue"))
    assert "/organise/jobs/" in queued.headers["Location"]
    job_page = second.get(queued.headers["Location"]).get_data(as_text=True)
    assert "Briefe versenden" in job_page and "Briefe im Postausgang: 2." in job_page
    assert mail_server.received == []  # scheduled for 2099
    assert _statuses(app, campaign) == [LetterStatus.QUEUED, LetterStatus.QUEUED, LetterStatus.APPROVED]
    second.post(_url(campaign, "schedule"), data={"send_at": ""})  # now
    assert len(mail_server.received) == 2
    assert _statuses(app, campaign) == [LetterStatus.SENT, LetterStatus.SENT, LetterStatus.APPROVED]
    posted = second.post(_url(campaign, "delivered"), data={"how": "post", "on": today_in_germany().isoformat()})
    assert posted.status_code == 302
    assert _statuses(app, campaign) == [LetterStatus.SENT] * 3


def test_pause_holds_queued_letters_until_resumed(app, client, organiser, campaign, mail_server):
    _generate(app, campaign)
    client.post(_url(campaign, "settings"), data={})
    client.post(_url(campaign, "approve"))
    client.post(_url(campaign, "pause"))
    client.post(_url(campaign, "queue"))
    assert mail_server.received == []
    assert "Der Versand dieser Kampagne ist angehalten." in client.get(_url(campaign)).get_data(as_text=True)
    client.post(_url(campaign, "resume"))
    assert len(mail_server.received) == 2


def test_a_bounced_address_is_listed_corrected_and_sent_again(app, client, organiser, campaign, mail_server):
    mail_server.handler.refuse_rcpt["person0@example.org"] = "550 5.1.1 Unbekannt"
    _generate(app, campaign)
    client.post(_url(campaign, "settings"), data={})
    client.post(_url(campaign, "approve"))
    client.post(_url(campaign, "queue"))
    page = client.get(_url(campaign)).get_data(as_text=True)
    assert "550 5.1.1 Unbekannt" in page and "Speichern und erneut versenden" in page
    with app.app_context():
        letter = db.session.scalar(select(Letter).where(Letter.status == LetterStatus.BOUNCED))
        recipient_id = letter.recipient_id
    bad = client.post(_url(campaign, f"address/{recipient_id}"), data={"email": "kaputt@"}, follow_redirects=True)
    assert "E-Mail" in bad.get_data(as_text=True)
    assert _statuses(app, campaign)[0] is LetterStatus.BOUNCED
    good = client.post(_url(campaign, f"address/{recipient_id}"), data={"email": "Żaneta.Öz@example.org"})
    assert good.status_code == 302
    assert mail_server.received[-1].recipients == ["Żaneta.Öz@example.org"]
    assert _statuses(app, campaign)[0] is LetterStatus.SENT


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("schedule", {"send_at": "gestern abend"}, "Bitte Datum und Uhrzeit angeben (JJJJ-MM-TT HH:MM)."),
        ("schedule", {"send_at": "2001-01-01T10:00"}, "Vergangenheit"),
        ("delivered", {"how": "post", "on": "2999-01-01"}, "Zukunft"),
        ("delivered", {"how": "brieftaube", "on": "2020-01-01"}, "Unbekannter Versandweg."),
        ("delivered", {"how": "in_person", "on": "2020-01-01"}, "persönlich übergeben wurden"),
        ("approve", {}, "keine Entwürfe"),
        ("retry", {}, "keine fehlgeschlagenen Briefe"),
        ("cancel", {}, "keine Briefe in der Warteschlange"),
    ],
)
def test_bad_input_is_refused_with_a_message(app, client, organiser, campaign, action, data, message):
    response = client.post(_url(campaign, action), data=data, follow_redirects=True)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("on", "date_message"),
    [("", "Bitte ein Datum angeben."), ("übermorgen", "Bitte ein gültiges Datum angeben (JJJJ-MM-TT).")],
)
def test_a_missing_date_and_no_letters_handed_over_are_named_in_one_answer(
    app, client, organiser, campaign, on, date_message
):
    response = client.post(_url(campaign, "delivered"), data={"how": "in_person", "on": on}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert date_message in page
    assert "Bitte die Briefe wählen, die persönlich übergeben wurden." in page


def test_coordinators_see_the_counts_but_cannot_send(app, client, login, campaign):
    login(Role.COORDINATOR)
    page = client.get(_url(campaign))
    assert page.status_code == 200 and "Stand der Briefe" in page.get_data(as_text=True)
    assert "Alle Entwürfe freigeben" not in page.get_data(as_text=True)
    assert client.post(_url(campaign, "approve")).status_code == 403


def test_the_sending_screen_of_a_draft_says_the_campaign_is_not_started(app, client, organiser, campaign):
    with app.app_context():
        db.session.merge(campaign).status = CampaignStatus.DRAFT
        db.session.commit()
    assert "Die Kampagne ist noch ein Entwurf." in client.get(_url(campaign)).get_data(as_text=True)
    with app.app_context():
        db.session.merge(campaign).status = CampaignStatus.ACTIVE
        db.session.commit()
    assert "Die Kampagne ist noch ein Entwurf." not in client.get(_url(campaign)).get_data(as_text=True)


def test_the_approved_letters_wait_after_a_cancel(app, client, organiser, campaign, mail_server):
    _generate(app, campaign)
    with app.app_context():
        approve_letters(db.session, db.session.merge(campaign), user=None)
        db.session.commit()
    client.post(_url(campaign, "schedule"), data={"send_at": "2099-01-01T08:00"})
    client.post(_url(campaign, "queue"))
    response = client.post(_url(campaign, "cancel"), follow_redirects=True)
    assert "2 Briefe aus der Warteschlange genommen" in response.get_data(as_text=True)
    assert _statuses(app, campaign) == [LetterStatus.APPROVED] * 3


def _jobs(app) -> list[Job]:
    with app.app_context():
        return list(db.session.scalars(select(Job)))


def test_queueing_without_approved_letters_starts_no_job(app, client, organiser, campaign, mail_server):
    """Only drafts: no job, the reason as an error on the sending screen; one approved letter starts the job."""
    _generate(app, campaign)
    refused = client.post(_url(campaign, "queue"), follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert refused.request.path == _url(campaign)
    message = "Keine freigegebenen E-Mail-Briefe: Bitte zuerst Briefe freigeben."
    assert f'<p class="flash flash-error" role="alert">{message}</p>' in page
    assert "in den Postausgang gelegt" not in page
    assert _jobs(app) == []

    with app.app_context():
        first = db.session.scalar(
            select(Letter.reference_code).where(Letter.channel == Channel.EMAIL).order_by(Letter.reference_code)
        )
        approve_letters(db.session, db.session.merge(campaign), user=None, codes=[first])
        db.session.commit()
    queued = client.post(_url(campaign, "queue"))
    assert "/organise/jobs/" in queued.headers["Location"]
    assert [job.status for job in _jobs(app)] == [JobStatus.DONE]
    job_page = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert "Die freigegebenen Briefe werden in den Postausgang gelegt." in job_page
    assert "Briefe im Postausgang: 1." in job_page and len(mail_server.received) == 1


def _approve_all(app, campaign) -> None:
    _generate(app, campaign)
    with app.app_context():
        approve_letters(db.session, db.session.merge(campaign), user=None)
        db.session.commit()


def test_a_letter_posted_on_a_day_counts_as_sent_that_day(app, client, organiser, campaign):
    """The board shows the day it was posted, the dashboard counts it among the letters per day and misses none."""
    _approve_all(app, campaign)
    # Made today, a letter cannot have gone out in March: a slip of the date is refused, and nothing is marked.
    early = client.post(_url(campaign, "delivered"), data={"how": "post", "on": "2026-03-05"}, follow_redirects=True)
    assert "kann nicht früher versandt worden sein" in early.get_data(as_text=True)
    assert LetterStatus.SENT not in _statuses(app, campaign)
    with app.app_context():  # made in February
        db.session.execute(update(Letter).values(created_at=datetime(2026, 2, 27, 15)))
        db.session.commit()
    posted = client.post(_url(campaign, "delivered"), data={"how": "post", "on": "2026-03-05"}, follow_redirects=True)
    assert "1 Brief als versandt vermerkt." in posted.get_data(as_text=True)
    assert _statuses(app, campaign)[2] is LetterStatus.SENT

    board = client.get(f"/track/campaigns/{campaign.slug}/letters").get_data(as_text=True)
    assert "<td>05.03.2026</td>" in board
    dashboard = client.get(f"/track/campaigns/{campaign.slug}").get_data(as_text=True)
    assert "kein Versanddatum" not in dashboard and "Noch keine Briefe mit Versanddatum." not in dashboard
    assert "1 Brief an 1 Tag versandt, am 5. März 2026." in dashboard
    history = client.get(f"/track/campaigns/{campaign.slug}/recipients/{_post_recipient(app, campaign)}")
    assert "zur Post gegeben am 05.03.2026" in history.get_data(as_text=True)


def _post_recipient(app, campaign) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Letter.recipient_id).where(Letter.campaign_id == campaign.id, Letter.channel == Channel.POST)
        )


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ("99.99.9999", "Bitte ein gültiges Datum angeben (JJJJ-MM-TT)."),
        ("2999-01-01", "Das Datum liegt in der Zukunft."),
    ],
)
def test_a_bad_posting_date_is_refused_and_changes_nothing(app, client, organiser, campaign, on, message):
    _approve_all(app, campaign)
    refused = client.post(_url(campaign, "delivered"), data={"how": "post", "on": on}, follow_redirects=True)
    assert refused.request.path == _url(campaign)
    assert f'<p class="flash flash-error" role="alert">{message}</p>' in refused.get_data(as_text=True)
    assert _statuses(app, campaign) == [LetterStatus.APPROVED] * 3
    with app.app_context():
        assert db.session.scalars(select(Letter.sent_at).where(Letter.sent_at.is_not(None))).all() == []
