"""`campaign seed-demo` builds the whole demo campaign and is idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.db import db
from campaign.models import (
    Argument,
    Campaign,
    CampaignChannels,
    Channel,
    FormOfAddress,
    Motion,
    Provision,
    Recipient,
    Source,
    StateChange,
    Target,
)
from campaign.models.arguments import argument_provisions


def _counts():
    models = (Campaign, Motion, Provision, Source, Argument, Recipient, Target)
    counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in models}
    counts["links"] = db.session.scalar(select(func.count()).select_from(argument_provisions))
    return counts


def test_seed_demo_twice_changes_nothing(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "angelegt" in first.output
    with app.app_context():
        before = _counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "nichts geändert" in second.output
    with app.app_context():
        assert _counts() == before
        assert db.session.scalars(select(StateChange)).all() == []


def test_demo_campaign_has_the_promised_content(app, runner):
    runner.invoke(args=["seed-demo"])
    with app.app_context():
        motion = db.session.scalars(select(Motion)).one()
        assert motion.title == "NRW, jetzt erst gerecht"
        assert motion.presented_on.isoformat() == "2026-01-26"
        assert len(motion.provisions) >= 8
        assert all(p.line_from and p.line_to and p.line_from <= p.line_to for p in motion.provisions)
        assert all(provision.arguments for provision in motion.provisions)
        arguments = db.session.scalars(select(Argument)).all()
        assert len(arguments) >= 10
        assert all(argument.citations for argument in arguments)
        sources = db.session.scalars(select(Source)).all()
        assert len(sources) == 4
        assert any(source.doi == "10.59350/hpz3x-qh641" for source in sources)
        recipients = db.session.scalars(select(Recipient)).all()
        assert len(recipients) >= 30
        assert all(r.email.endswith("@example.org") for r in recipients if r.email)
        assert len({r.unterbezirk for r in recipients}) >= 4
        forms = {r.form_of_address for r in recipients}
        assert forms == set(FormOfAddress)
        # The campaign says it sends e-mail and post, and does: e-mail to those with an address.
        campaign = db.session.scalars(select(Campaign)).one()
        assert campaign.channels is CampaignChannels.BOTH
        targets = db.session.scalars(select(Target).where(Target.campaign_id == campaign.id)).all()
        channels = {(target.recipient.email != "", target.channel) for target in targets}
        assert channels == {(True, Channel.EMAIL), (False, Channel.POST)}
