"""The request boundary: one commit per successful request, a rollback otherwise, and ServiceError as a message."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, g, got_request_exception, redirect, request, url_for
from flask_wtf import FlaskForm

from campaign.db import db, writing_begins, writing_ends
from campaign.services.common.errors import ServiceError


def register_boundary(app: Flask) -> None:
    """Commit or roll back at the end of every request; turn an uncaught ServiceError into a message.

    A request that may write begins its transactions as ones that write (db.writing_begins). An unexpected error
    rolls back as soon as Flask reports it, before the error page is rendered: that page still asks the database
    who is logged in, which a session broken by a failed flush could not answer.
    """
    # An app's own preparations run before its blueprints' (which load the user): no read comes earlier.
    app.before_request(_begin_writing_requests)
    app.teardown_request(_end_writing_requests)
    app.after_request(commit_or_roll_back)
    app.register_error_handler(ServiceError, _service_error_message)
    got_request_exception.connect(_roll_back_on_error, app)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def writes(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that writes although it answers GET (it brings stored figures up to date, say)."""
    view.writes = True  # type: ignore[attr-defined]
    return view


def _begin_writing_requests() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method not in SAFE_METHODS or getattr(view, "writes", False):
        g.writing = writing_begins()  # the lock is taken by the first statement, not before the form is read


def _end_writing_requests(_error: BaseException | None) -> None:
    if (token := g.pop("writing", None)) is not None:
        writing_ends(token)


def _roll_back_on_error(_sender: Flask, **_extra: Any) -> None:
    roll_back()


def commit_or_roll_back(response: Response) -> Response:
    """Keep the request's changes only if it succeeded (status below 400); then run what waited for the commit."""
    if response.status_code >= 400:
        roll_back()
        return response
    db.session.commit()
    for callback in g.pop("after_commit", []):
        callback()
    return response


def roll_back() -> None:
    """Undo the request's changes so far, and forget what was to happen after their commit."""
    db.session.rollback()
    g.pop("after_commit", None)


def after_commit(callback: Callable[..., Any], *args: Any) -> None:
    """Run `callback(*args)` once this request's changes are committed, never if they are rolled back.

    For side effects that must see the committed rows or must not happen without them (enqueuing a job that
    reads its row, deleting an uploaded file that the import just stored).
    """
    g.setdefault("after_commit", []).append(functools.partial(callback, *args))


@contextmanager
def errors_shown_on(form: FlaskForm, default: str = "") -> Iterator[None]:
    """Undo the block's changes if a service refuses them, and show why beside the field concerned.

    The error goes to the field it names (or `default`, else above the form), so the view's usual
    `400 if form.errors else 200` re-renders the form with the message and the typed values.
    """
    try:
        yield
    except ServiceError as error:
        roll_back()
        for name, message in error.by_field().items():
            target = name if name and name in form else default
            if target and target in form:
                form[target].errors = [*form[target].errors, message]
            else:
                form.form_errors.append(message)


def on_error_back_to(
    endpoint: str, anchor: str = "", *, keep_query: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Where a POST-only action sends the user when a service refuses it: `endpoint` with the view's own URL values.

    `anchor` may name URL values too, e.g. "provision-{provision_id}"; `keep_query` carries the query string along
    (a filter the action was applied to).
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def remembering(*args: Any, **kwargs: Any) -> Any:
            g.back_on_error = (endpoint, anchor, keep_query)
            return view(*args, **kwargs)

        return remembering

    return decorate


def _service_error_message(error: ServiceError) -> Response:
    """Nothing of the refused action is kept; the user is sent back with the service's German message."""
    roll_back()
    flash(str(error), "error")
    return redirect(_way_back())


def _way_back() -> str:
    """The view's declared page, else the same-site page the request came from, else the start page."""
    values = dict(request.view_args or {})
    if "back_on_error" in g:
        endpoint, anchor, keep_query = g.back_on_error
        target = {**(request.args.to_dict() if keep_query else {}), **_url_values(endpoint, values)}
        return url_for(endpoint, _anchor=anchor.format(**values) or None, **target)
    referrer = urlsplit(request.referrer or "")
    # A path starting with // would name another host in the Location header (http://site//evil.example/).
    if referrer.netloc == request.host and referrer.path != request.path and not referrer.path.startswith("//"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("public.index")


def _url_values(endpoint: str, values: dict[str, Any]) -> dict[str, Any]:
    """The view's URL values that `endpoint`'s rule takes (others would end up in the query string)."""
    if endpoint.startswith("."):
        endpoint = f"{request.blueprint}{endpoint}"
    wanted = {name for rule in current_app.url_map.iter_rules(endpoint) for name in rule.arguments}
    return {name: value for name, value in values.items() if name in wanted}
