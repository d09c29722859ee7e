"""The built-in demo campaign: load campaign.demo.content into the database, idempotently."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.db import db
from campaign.demo import content
from campaign.models import (
    Argument,
    ArgumentRule,
    ArgumentSet,
    Campaign,
    CampaignArgument,
    CampaignChannels,
    CampaignStatus,
    Citation,
    DatePrecision,
    FormOfAddress,
    LetterTemplate,
    Motion,
    MotionKind,
    MotionStatus,
    OpenRecipient,
    Organisation,
    PostcodeArea,
    Provision,
    Recipient,
    RecipientList,
    Role,
    Source,
    SourceKind,
    SourceQuote,
    Stance,
    Target,
    TemplateVersion,
    WritingSettings,
)
from campaign.services.accounts.users import create_user, find_user, hash_password
from campaign.services.campaigns.targets import default_channel
from campaign.services.common.emails import canonical_email
from campaign.services.evidence.numbering import line_range_of
from campaign.services.letters.sandbox import check_template
from campaign.services.writing.postcodes import import_postcodes

ModelT = TypeVar("ModelT", bound=db.Model)
DEMO_POSTCODES = Path(content.__file__).with_name("postcodes.csv")


@dataclass
class SeedReport:
    """What a seeding run created, by model name; empty when everything already existed."""

    created: dict[str, int] = field(default_factory=dict)

    def count(self, model: type) -> None:
        self.created[model.__name__] = self.created.get(model.__name__, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _get_or_create(
    session: Session, report: SeedReport, model: type[ModelT], lookup: dict[str, Any], values: dict[str, Any]
) -> ModelT:
    """The row matching `lookup`, or a new one with `values` (an existing row is left as the user edited it)."""
    found = session.scalar(select(model).filter_by(**lookup))
    if found is not None:
        return found
    obj = model(**lookup, **values)
    session.add(obj)
    report.count(model)
    return obj


def is_database_empty(session: Session) -> bool:
    """True when no campaign exists yet (what `campaign up` checks before seeding)."""
    return session.scalar(select(Campaign.id).limit(1)) is None


def seed_demo(session: Session) -> SeedReport:
    """Create every part of the demo campaign that does not exist yet, and report what was created."""
    report = SeedReport()
    organisation = _seed_organisation(session, report)
    motion = _seed_motion(session, report)
    sources = _seed_sources(session, report)
    argument_set = _seed_arguments(session, report, motion, sources)
    campaign = _get_or_create(
        session,
        report,
        Campaign,
        {"slug": content.CAMPAIGN["slug"]},
        {
            "title": content.CAMPAIGN["title"],
            "summary": content.CAMPAIGN["summary"],
            "status": CampaignStatus.ACTIVE,
            "motion": motion,
            "argument_set": argument_set,
            "organisation": organisation,
            "deadline": content.CAMPAIGN["deadline"],
            "goal_signatures": content.CAMPAIGN["goal_signatures"],
            "open_letter": content.CAMPAIGN["open_letter"],
            "public_responses": content.CAMPAIGN["public_responses"],
            "channels": CampaignChannels(content.CAMPAIGN["channels"]),
        },
    )
    session.flush()
    _seed_argument_selection(session, report, campaign, argument_set)
    _seed_template(session, report, campaign)
    _seed_recipients(session, report, campaign)
    session.flush()
    _seed_writing(session, report, campaign)
    return report


def _seed_organisation(session: Session, report: SeedReport) -> Organisation:
    data = dict(content.ORGANISATION)
    return _get_or_create(session, report, Organisation, {"name": data.pop("name")}, data)


def _seed_motion(session: Session, report: SeedReport) -> Motion:
    data = content.MOTION
    motion = _get_or_create(
        session,
        report,
        Motion,
        {"slug": data["slug"]},
        {
            "title": data["title"],
            "kind": MotionKind(data["kind"]),
            "party": data["party"],
            "body": data["body"],
            "presented_on": data["presented_on"],
            "decision_forum": data["decision_forum"],
            "decision_date": data["decision_date"],
            "status": MotionStatus(data["status"]),
            "source_url": data["source_url"] or "",
            "full_text": data["full_text"],
        },
    )
    session.flush()
    for position, item in enumerate(content.PROVISIONS):
        line_range = line_range_of(motion.full_text, item["anchor"]) or (None, None)
        _get_or_create(
            session,
            report,
            Provision,
            {"motion_id": motion.id, "key": item["key"]},
            {
                "position": position,
                "title": item["title"],
                "summary": item["summary"],
                "stance": Stance(item["stance"]),
                "line_from": line_range[0],
                "line_to": line_range[1],
            },
        )
    session.flush()
    session.refresh(motion)
    return motion


def _seed_sources(session: Session, report: SeedReport) -> dict[str, Source]:
    sources = {}
    for item in content.SOURCES:
        source = _get_or_create(
            session,
            report,
            Source,
            {"key": item["key"]},
            {
                "kind": SourceKind(item["kind"]),
                "title": item["title"],
                "authors": list(item["authors"]),
                "publisher": item["publisher"] or "",
                "published_on": item["published_on"],
                "date_precision": DatePrecision(item["date_precision"]) if item["date_precision"] else None,
                "url": item["url"] or "",
                "doi": item["doi"] or "",
            },
        )
        if not source.quotes:
            source.quotes = [
                SourceQuote(position=index, text=quote["text"], page=quote["page"] or "")
                for index, quote in enumerate(item["quotes"])
            ]
        sources[item["key"]] = source
    session.flush()
    return sources


def _seed_arguments(session: Session, report: SeedReport, motion: Motion, sources: dict[str, Source]) -> ArgumentSet:
    argument_set = _get_or_create(
        session,
        report,
        ArgumentSet,
        {"title": content.ARGUMENT_SET["title"]},
        {"description": content.ARGUMENT_SET["description"]},
    )
    session.flush()
    provisions = {provision.key: provision for provision in motion.provisions}
    for position, item in enumerate(content.ARGUMENTS):
        existing = session.scalar(select(Argument).filter_by(argument_set_id=argument_set.id, key=item["key"]))
        if existing is not None:
            continue
        argument = Argument(
            argument_set=argument_set,
            key=item["key"],
            position=position,
            claim=item["claim"],
            paragraph=item["paragraph"],
            tags=list(item["tags"]),
            stance=Stance(item["stance"]),
            provisions=[provisions[key] for key in item["provisions"]],
            citations=[
                Citation(
                    source=sources[citation["source"]],
                    quote=sources[citation["source"]].quotes[citation["quote"]]
                    if citation["quote"] is not None
                    else None,
                    page=citation["page"] or "",
                    position=index,
                )
                for index, citation in enumerate(item["citations"])
            ],
        )
        session.add(argument)
        report.count(Argument)
    session.flush()
    return argument_set


def _seed_argument_selection(
    session: Session, report: SeedReport, campaign: Campaign, argument_set: ArgumentSet
) -> None:
    """Choose the demo's arguments and rule, unless the campaign already has a selection (as the user left it)."""
    if campaign.chosen_arguments or campaign.argument_rules:
        return
    by_key = {argument.key: argument for argument in argument_set.arguments}
    for position, key in enumerate(content.ARGUMENT_SELECTION["chosen"]):
        campaign.chosen_arguments.append(CampaignArgument(argument=by_key[key], position=position))
        report.count(CampaignArgument)
    for position, rule in enumerate(content.ARGUMENT_SELECTION["rules"]):
        campaign.argument_rules.append(
            ArgumentRule(recipient_tag=rule["recipient_tag"], argument_tag=rule["argument_tag"], position=position)
        )
        report.count(ArgumentRule)
    session.flush()


def _seed_template(session: Session, report: SeedReport, campaign: Campaign) -> None:
    data = content.TEMPLATE
    check_template(data["body"])
    template = _get_or_create(session, report, LetterTemplate, {"campaign_id": campaign.id, "name": data["name"]}, {})
    session.flush()
    if not template.versions:
        template.versions.append(TemplateVersion(number=1, subject=data["subject"], body=data["body"]))
        report.count(TemplateVersion)


def _seed_recipients(session: Session, report: SeedReport, campaign: Campaign) -> None:
    lists: dict[str, RecipientList] = {}
    for item in content.RECIPIENTS:
        lookup = {
            "first_name": item["first_name"],
            "last_name": item["last_name"],
            "group_name": item["group_name"],
            "postcode": item["postcode"],
        }
        values = {
            "form_of_address": FormOfAddress(item["form_of_address"]),
            "title": item["title"],
            "function": item["function"],
            "organisation": item["organisation"],
            "unterbezirk": item["unterbezirk"],
            "kreis": item["kreis"],
            "wahlkreis": item["wahlkreis"],
            "kommune": item["kommune"],
            "street": item["street"],
            "city": item["city"],
            "email": item["email"],
            "email_canonical": canonical_email(item["email"]) if item["email"] else "",
            "tags": list(item["tags"]),
        }
        recipient = _get_or_create(session, report, Recipient, lookup, values)
        session.flush()
        for name in item["lists"]:
            if name not in lists:
                lists[name] = _get_or_create(session, report, RecipientList, {"name": name}, {})
            if recipient not in lists[name].recipients:
                lists[name].recipients.append(recipient)
        _get_or_create(
            session,
            report,
            Target,
            {"campaign_id": campaign.id, "recipient_id": recipient.id},
            {"channel": default_channel(campaign, recipient)},
        )


DEMO_ORGANISER_EMAIL = "organisation@example.org"


def _seed_writing(session: Session, report: SeedReport, campaign: Campaign) -> None:
    """Supporters may write their own letters: the postcode table of the demo areas, the MdL open to everyone."""
    _get_or_create(session, report, WritingSettings, {"campaign_id": campaign.id}, {"enabled": True})
    members = session.scalars(
        select(Target.recipient_id)
        .join(Recipient, Recipient.id == Target.recipient_id)
        .where(Target.campaign_id == campaign.id, Recipient.wahlkreis != "")
    )
    for recipient_id in members:
        _get_or_create(session, report, OpenRecipient, {"campaign_id": campaign.id, "recipient_id": recipient_id}, {})
    # Real postcodes of the demo recipients' towns (from the postcode data the address check uses), each town put in
    # one Unterbezirk and, for simplicity, one Wahlkreis: demo data, not the real boundaries.
    added = import_postcodes(session, DEMO_POSTCODES.read_bytes(), DEMO_POSTCODES.name).added
    if added:
        report.created[PostcodeArea.__name__] = report.created.get(PostcodeArea.__name__, 0) + added
    session.flush()


def ensure_demo_organiser(session: Session, password_file: Path) -> bool:
    """Make sure the demo organiser exists and its password is in `password_file`; True if one was written.

    The password is only ever written to that file (mode 600), never printed.
    """
    user = find_user(session, DEMO_ORGANISER_EMAIL)
    if user is not None and password_file.exists():
        return False
    password = secrets.token_urlsafe(15)
    if user is None:
        create_user(session, DEMO_ORGANISER_EMAIL, Role.ORGANISER, password=password, name="Demo-Organisator:in")
    else:
        user.password_hash = hash_password(password)
    session.flush()
    password_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"Demo-Zugang (nur für die lokale Demo)\nE-Mail:   {DEMO_ORGANISER_EMAIL}\nPasswort: {password}\n")
    return True
