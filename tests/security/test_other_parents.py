"""Objects of another campaign (motion, source, list, reply) reached through this one's URL.

There is no per-campaign restriction of accounts: every organiser may work on every campaign (roles are checked
by tests/security/test_access_map.py). What the app must enforce is that a nested URL only reaches objects of its
own parent: /organise/campaigns/A/signatures/<a signature of B>/remove removes nothing, a provision of motion 2 is
not edited under motion 1, and so on. Generated from the URL map: every rule with a parent and a child argument
must be in CASES, so a new nested URL fails here until it is added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from campaign.db import db
from campaign.models import ArgumentRule, Channel, ReplyAttachment, Role, Target
from tests.factories import make_motion, make_recipient
from tests.factories_arguments import make_provision, make_source
from tests.factories_recipients import make_list
from tests.factories_replies import make_reply, make_sent_letter
from tests.factories_signing import make_open_letter, make_signature


@dataclass(frozen=True)
class Side:
    """One parent with one child of each kind."""

    slug: str
    signature_id: int
    target_id: int  # the recipient id of a target
    rule_id: int
    motion_id: int
    provision_id: int
    source_id: int
    quote_id: int
    list_id: int
    member_id: int
    reply_id: int
    attachment_id: int


def _side(session, number: int) -> Side:
    campaign = make_open_letter(session)
    person = make_recipient(session, email=f"person{number}@example.org")
    letter = make_sent_letter(session, campaign, person, f"NEST-{number:04d}")
    target = session.scalar(sa.select(Target).where(Target.recipient_id == person.id))
    target.channel = Channel.EMAIL
    rule = ArgumentRule(campaign_id=campaign.id, recipient_tag=f"tag{number}", argument_tag=f"tag{number}")
    session.add(rule)
    motion = make_motion(session)
    provision = make_provision(session, motion)
    source = make_source(session, quotes=(f"Zitat {number}",))
    members = make_list(session, f"Liste {number}", [person])
    reply = make_reply(session, letter, message_id=f"<reply{number}@example.org>")
    reply.attachments.append(
        ReplyAttachment(filename="scan.pdf", content_type="application/pdf", data=b"%PDF-1.4", size=8)
    )
    session.flush()
    return Side(
        slug=campaign.slug,
        signature_id=make_signature(session, campaign).id,
        target_id=person.id,
        rule_id=rule.id,
        motion_id=motion.id,
        provision_id=provision.id,
        source_id=source.id,
        quote_id=source.quotes[0].id,
        list_id=members.id,
        member_id=person.id,
        reply_id=reply.id,
        attachment_id=reply.attachments[0].id,
    )


# endpoint → (URL with {mine.*} parent and {theirs.*} child, data for a POST that would otherwise succeed)
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "organise.letter_arguments.remove_rule": ("/organise/campaigns/{a.slug}/rules/{b.rule_id}/delete", {}),
    "organise.sending.correct_address": (
        "/organise/campaigns/{a.slug}/sending/address/{b.target_id}",
        {"email": "neu@example.org"},
    ),
    "organise.signatures.remove": (
        "/organise/campaigns/{a.slug}/signatures/{b.signature_id}/remove",
        {"reason": "Spam"},
    ),
    "organise.campaign_targets.remove": ("/organise/campaigns/{a.slug}/targets/{b.target_id}/remove", {}),
    "organise.campaign_targets.choose_template": (
        "/organise/campaigns/{a.slug}/targets/{b.target_id}/template",
        {"template_id": ""},
    ),
    "organise.provisions.save_draft": (
        "/organise/motions/{a.motion_id}/provisions/{b.provision_id}/amendment",
        {"mode": "delete", "text": ""},
    ),
    "organise.provisions.clear_draft": (
        "/organise/motions/{a.motion_id}/provisions/{b.provision_id}/amendment/delete",
        {},
    ),
    "organise.provisions.delete": ("/organise/motions/{a.motion_id}/provisions/{b.provision_id}/delete", {}),
    "organise.provisions.edit": (
        "/organise/motions/{a.motion_id}/provisions/{b.provision_id}/edit",
        {"title": "Gekapert", "line_from": "1", "line_to": "1", "stance": "oppose", "summary": ""},
    ),
    "organise.provisions.move": (
        "/organise/motions/{a.motion_id}/provisions/{b.provision_id}/move",
        {"direction": "up"},
    ),
    "organise.recipient_lists.remove_member": ("/organise/recipients/lists/{a.list_id}/remove/{b.member_id}", {}),
    "organise.sources.delete_quote": ("/organise/sources/{a.source_id}/quotes/{b.quote_id}/delete", {}),
    "organise.sources.edit_quote": (
        "/organise/sources/{a.source_id}/quotes/{b.quote_id}/edit",
        {"text": "Gekapert", "page": "1"},
    ),
    "track.history.show": ("/track/campaigns/{a.slug}/recipients/{b.target_id}", {"text": "Notiz"}),
    "track.history.log": (
        "/track/campaigns/{a.slug}/recipients/{b.target_id}/replies/new",
        {"channel": "post", "received_on": "2026-03-10", "text": "x", "quality": "unclassified", "stance": "unclear"},
    ),
    "track.replies.attachment": ("/track/replies/{a.reply_id}/attachments/{b.attachment_id}/download", {}),
}
# Where the request on a matching pair need not change anything (the mismatch is still checked), and why.
NO_CONTROL = {
    "organise.provisions.save_draft": "needs a motion text with numbered lines",
    "organise.provisions.clear_draft": "there is no draft to clear",
    "organise.provisions.edit": "needs line numbers inside the motion's text",
    "organise.provisions.move": "a single provision has nowhere to move",
}
# Nested rules whose second argument is no object of another parent, and why.
NOT_NESTED = {
    "public.write_confirm": "a token (tests/writing/test_lifecycle.py: forged, foreign, expired)",
    "public.write_letter": "a token (tests/writing/test_lifecycle.py)",
    "public.write_letter_pdf": "a token (tests/writing/test_lifecycle.py)",
    "public.write_withdraw": "a token (tests/writing/test_lifecycle.py)",
    "public.write_answer": "a token (tests/writing/test_lifecycle.py)",
    "organise.writing.approve": "another campaign's letter is a 404 (tests/writing/test_team_screens.py)",
    "organise.writing.reject": "another campaign's letter is a 404 (tests/writing/test_team_screens.py)",
    "public.confirm": "a token (tests/security/test_signing_links.py)",
    "public.withdraw": "a token (tests/security/test_signing_links.py)",
    "organise.organisations.remove_signatory": "an index into the organisation's own list",
    "track.board.export": "the name of a table",
}


def test_every_nested_rule_is_checked(app):
    nested = {rule.endpoint for rule in app.url_map.iter_rules() if len(rule.arguments) >= 2}
    missing = nested - set(CASES) - set(NOT_NESTED)
    assert missing == set(), "add these nested URLs to CASES (or NOT_NESTED with a reason)"
    assert set(CASES) | set(NOT_NESTED) <= nested


def _snapshot(app: Flask) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: hash(repr(connection.execute(sa.select(table).order_by(*table.primary_key.columns)).all()))
            for table in db.metadata.sorted_tables
        }


@pytest.fixture
def sides(app, client, login) -> tuple[Side, Side]:
    login(Role.ADMIN)
    with app.app_context():
        mine, theirs = _side(db.session, 1), _side(db.session, 2)
        db.session.commit()
    return mine, theirs


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_a_child_of_another_parent_is_not_reached(app, client, sides, endpoint):
    mine, theirs = sides
    pattern, data = CASES[endpoint]
    url = pattern.format(a=mine, b=theirs)
    methods = {method for rule in app.url_map.iter_rules(endpoint) for method in rule.methods}
    if "GET" in methods:
        assert client.get(url).status_code == 404, url
    if "POST" in methods:
        before = _snapshot(app)
        response = client.post(url, data=data)
        assert response.status_code in (302, 400, 404), (url, response.status_code)
        assert _snapshot(app) == before, f"POST {url} changed data of another parent's object"
        if endpoint in NO_CONTROL:
            return
        # The same request on a matching pair does change something: the data above are enough to act.
        own = pattern.format(a=theirs, b=theirs)
        client.post(own, data=data)
        assert _snapshot(app) != before, f"POST {own} changed nothing: the case's data do not reach the action"
