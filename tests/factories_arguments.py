"""Factories for sources, provisions, argument sets and arguments (the evidence library)."""

from __future__ import annotations

from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from campaign.models import Argument, ArgumentSet, Citation, Motion, Provision, Source, SourceQuote, Stance
from tests.factories import make_motion

_sequence = count(1)


def make_source(session: Session, *, quotes: tuple[str, ...] = (), **values: Any) -> Source:
    number = next(_sequence)
    values.setdefault("key", f"quelle-{number}")
    values.setdefault("title", f"Quelle {number}")
    source = Source(**values)
    source.quotes = [SourceQuote(position=index, text=text) for index, text in enumerate(quotes)]
    session.add(source)
    session.flush()
    return source


def make_provision(session: Session, motion: Motion | None = None, **values: Any) -> Provision:
    number = next(_sequence)
    motion = motion or make_motion(session)
    values.setdefault("key", f"kernpunkt-{number}")
    values.setdefault("title", f"Kernpunkt {number}")
    values.setdefault("position", len(motion.provisions))
    provision = Provision(motion=motion, **values)
    session.add(provision)
    session.flush()
    return provision


def make_argument_set(session: Session, **values: Any) -> ArgumentSet:
    values.setdefault("title", f"Argumente {next(_sequence)}")
    argument_set = ArgumentSet(**values)
    session.add(argument_set)
    session.flush()
    return argument_set


def make_argument(
    session: Session,
    argument_set: ArgumentSet | None = None,
    *,
    provisions: list[Provision] = (),
    sources: list[Source] = (),
    **values: Any,
) -> Argument:
    number = next(_sequence)
    argument_set = argument_set or make_argument_set(session)
    values.setdefault("key", f"argument-{number}")
    values.setdefault("claim", f"Behauptung {number}")
    values.setdefault("stance", Stance.OPPOSE)
    values.setdefault("position", len(argument_set.arguments))
    argument = Argument(argument_set=argument_set, provisions=list(provisions), **values)
    argument.citations = [Citation(source=source, position=index) for index, source in enumerate(sources)]
    session.add(argument)
    session.flush()
    return argument
