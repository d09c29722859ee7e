"""Limits of one render of a letter template: an operation and time budget, and size checks before text is built.

Every loop iteration, attribute access, call, operator and filter of a sandboxed render is charged to the
render's budget; a render that goes over it (or over its time) stops with a German message. Texts and lists
are measured before they are built, so a template cannot make the process allocate gigabytes first and be
refused afterwards.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from jinja2 import pass_context
from jinja2.filters import FILTERS
from jinja2.runtime import Context, markup_join
from markupsafe import Markup

from campaign.services.common.markdown import clean_html
from campaign.services.common.text import format_thousands

# The longest text (and the largest printed list) a template may build, the rendered letter included.
MAX_TEXT_CHARS = 200_000
# The most elements a list built in a template may have (a letter has a few dozen arguments at most).
MAX_ITEMS = 10_000
# Loop iterations, attribute look-ups, calls, operators and filters per render: a letter needs a few hundred.
MAX_OPERATIONS = 100_000
# Characters built in total by one render (a long letter builds some ten thousand).
MAX_BUILT_CHARS = 20_000_000
MAX_SECONDS = 5.0


class RenderLimitExceeded(Exception):
    """A render went over one of its limits; the message says which."""


def _too_long() -> RenderLimitExceeded:
    return RenderLimitExceeded(
        _(
            "Die Vorlage würde einen übermäßig langen Text erzeugen (mehr als %(limit)s Zeichen).",
            limit=format_thousands(MAX_TEXT_CHARS),
        )
    )


@dataclass
class RenderBudget:
    """What one render may spend, and what it has spent so far."""

    max_operations: int = MAX_OPERATIONS
    max_built_chars: int = MAX_BUILT_CHARS
    seconds: float = MAX_SECONDS
    operations: int = 0
    built_chars: int = 0
    started: float = field(default_factory=time.monotonic)

    def charge(self, operations: int = 1, chars: int = 0) -> None:
        """Count work done; raise RenderLimitExceeded once the render has done too much or taken too long."""
        self.operations += operations
        self.built_chars += chars
        if self.operations > self.max_operations:
            raise RenderLimitExceeded(
                _(
                    "Die Vorlage braucht zu viele Rechenschritte (mehr als %(limit)s). "
                    "Bitte verschachtelte Schleifen vereinfachen.",
                    limit=format_thousands(self.max_operations),
                )
            )
        if self.built_chars > self.max_built_chars:
            raise RenderLimitExceeded(_("Die Vorlage erzeugt beim Ausfüllen zu viel Text. Bitte vereinfachen."))
        if time.monotonic() - self.started > self.seconds:
            raise RenderLimitExceeded(
                _(
                    "Das Ausfüllen der Vorlage dauert zu lange (mehr als %(seconds)s Sekunden). Bitte vereinfachen.",
                    seconds=format(self.seconds, "g"),
                )
            )


_current: ContextVar[RenderBudget | None] = ContextVar("letter_render_budget", default=None)


@contextmanager
def spending(budget: RenderBudget) -> Iterator[RenderBudget]:
    """Charge everything the sandbox does in this block (in this thread) to `budget`, starting its clock now."""
    budget.started = time.monotonic()
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def charge(operations: int = 1, chars: int = 0) -> None:
    """Charge the render in progress (nothing outside a render, e.g. while a template is compiled)."""
    budget = _current.get()
    if budget is not None:
        budget.charge(operations, chars)


# --- sizes ------------------------------------------------------------------------------------------------------------


def text_size(value: Any, limit: int = MAX_TEXT_CHARS) -> int:
    """About how many characters `value` prints as (an upper bound for lists), counted only up to just past `limit`.

    Lists are measured without printing them: a list holding one long text many times would otherwise
    print as gigabytes. Shared parts are measured once; the elements visited are charged to the budget.
    """
    seen: dict[int, int] = {}
    visited = 0

    def size(item: Any) -> int:
        nonlocal visited
        if isinstance(item, str):
            return len(item)
        if isinstance(item, bool | int | float) or item is None:
            return 24
        if not isinstance(item, list | tuple | dict | set | frozenset):
            return 64
        if id(item) in seen:
            return seen[id(item)]
        total = 2
        elements = item.items() if isinstance(item, dict) else item
        for element in elements:
            visited += 1
            total += 4 + size(element)
            if total > limit:
                break
        seen[id(item)] = total
        return total

    result = size(value)
    charge(visited)
    return result


def require_size(*values: Any) -> None:
    """Refuse values that together would print longer than MAX_TEXT_CHARS."""
    total = 0
    for value in values:
        total += text_size(value)
        if total > MAX_TEXT_CHARS:
            raise _too_long()


def require_length(length: int) -> None:
    """Refuse a text or list of `length` before it is built."""
    if length > MAX_TEXT_CHARS:
        raise _too_long()


def require_items(count: int) -> None:
    if count > MAX_ITEMS:
        limit = format_thousands(MAX_ITEMS)
        raise RenderLimitExceeded(
            _("Die Vorlage würde eine Liste mit mehr als %(limit)s Einträgen bilden.", limit=limit)
        )


# printf-style conversions: %(name)-08.3f, with the width and precision that decide the size of the result.
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")


def require_printf_sizes(pattern: str, arguments: Any) -> None:
    """Refuse a `%` format whose widths or precisions would build an oversized text, before it is built."""
    for width, precision in _PRINTF_SPEC.findall(pattern):
        for number in (width, precision):
            if number == "*":
                raise RenderLimitExceeded(_("Breiten mit „*“ sind in Formatangaben nicht erlaubt."))
            if number and (len(number) > 7 or int(number) > MAX_TEXT_CHARS):
                raise _too_long()
    require_size(pattern, arguments)


# --- operators --------------------------------------------------------------------------------------------------------


def require_binop_size(operator: str, left: Any, right: Any) -> None:
    """Refuse `left operator right` if its result would be oversized, before Python builds it."""
    if operator == "**":
        raise RenderLimitExceeded(_("Potenzieren (**) ist in Briefvorlagen nicht erlaubt."))
    if operator == "*":
        sized, factor = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sized, int) and isinstance(factor, int):
            if sized.bit_length() + factor.bit_length() > 4_000:
                raise RenderLimitExceeded(_("Die Vorlage rechnet mit zu großen Zahlen."))
        elif isinstance(factor, int) and not isinstance(factor, bool) and isinstance(sized, str | list | tuple):
            require_length(text_size(sized) * max(factor, 0))
            if not isinstance(sized, str):
                require_items(len(sized) * max(factor, 0))
    elif operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        require_size(left, right)
    elif operator == "%" and isinstance(left, str):
        require_printf_sizes(left, right)


# --- filters ----------------------------------------------------------------------------------------------------------


def _counting(items: Iterable[Any]) -> Iterator[Any]:
    """The items of a lazy filter result, each charged as it is produced."""
    for item in items:
        charge()
        yield item


def _checked_result(name: str, value: Any, result: Any) -> Any:
    """A filter's result within the limits: texts and lists measured, generators counted, markup sanitised."""
    if isinstance(result, Markup) and name not in ("escape", "e"):
        # Filters can rewrite markup (e.g. `replace` on an argument's HTML paragraph): keep only the allow-list.
        result = Markup(clean_html(result)) if result != value else result
    if isinstance(result, str):
        require_length(len(result))
        charge(chars=len(result))
    elif isinstance(result, list | tuple):
        require_items(len(result))
    elif isinstance(result, Iterator):
        return _counting(result)
    return result


def _check_center(value: Any, width: int = 80) -> None:
    require_length(text_size(value) + int(width))


def _check_indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> None:
    indent = len(width) if isinstance(width, str) else int(width)
    require_length(text_size(value) + (str(value).count("\n") + 1) * indent)


def _check_wordwrap(
    value: Any,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> None:
    if int(width) < 1:
        raise RenderLimitExceeded(_("wordwrap braucht eine Breite von mindestens 1."))
    size = text_size(value)
    require_length(size + (size // int(width) + 1) * len(wrapstring or "\n"))


def _check_replace(value: Any, old: str, new: str, count: int | None = None) -> None:
    text, old, new = str(value), str(old), str(new)
    occurrences = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        occurrences = min(occurrences, count)
    require_length(len(text) + occurrences * max(len(new) - len(old), 0))


def _check_format(value: Any, *args: Any, **kwargs: Any) -> None:
    require_printf_sizes(str(value), (args, kwargs))


def _check_join(value: Any, d: str = "", attribute: Any = None) -> None:
    require_length(text_size(value) + len(str(d)) * max(len(value) - 1, 0))


def _check_count_argument(name: str, position: int) -> Callable[..., None]:
    def check(value: Any, *args: Any, **kwargs: Any) -> None:
        number = args[position] if len(args) > position else kwargs.get(name, 0)
        if int(number) > MAX_ITEMS:
            raise RenderLimitExceeded(
                _(
                    "Die Zahl bei „%(name)s“ ist zu groß (höchstens %(limit)s).",
                    name=name,
                    limit=format_thousands(MAX_ITEMS),
                )
            )

    return check


# Filters a letter template may use, each with the check that runs before it builds anything. The builtins left
# out (safe, forceescape, urlize, xmlattr, tojson, attr, sum, random, pprint) are refused with their reasons in
# campaign.services.letters.template_checks.REFUSED_FILTER_REASONS.
SIZE_CHECKS: dict[str, Callable[..., None] | None] = {
    "abs": None, "batch": _check_count_argument("linecount", 0), "capitalize": None, "center": _check_center,
    "count": None, "d": None, "default": None, "dictsort": None, "e": None, "escape": None, "filesizeformat": None,
    "first": None, "float": None, "format": _check_format, "groupby": None, "indent": _check_indent, "int": None,
    "items": None, "join": _check_join, "last": None, "length": None, "list": None, "lower": None, "map": None,
    "max": None, "min": None, "reject": None, "rejectattr": None, "replace": _check_replace, "reverse": None,
    "round": None, "select": None, "selectattr": None, "slice": _check_count_argument("slices", 0), "sort": None,
    "string": None, "striptags": None, "title": None, "trim": None, "truncate": None, "unique": None, "upper": None,
    "urlencode": None, "wordcount": None, "wordwrap": _check_wordwrap,
}  # fmt: skip


def _guarded(name: str, original: Callable[..., Any], check: Callable[..., None] | None) -> Callable[..., Any]:
    """`original` as a filter that is charged, checks its arguments' sizes first and checks its result."""
    pass_arg = getattr(getattr(original, "jinja_pass_arg", None), "name", "")

    @pass_context
    def filter_(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, Iterator):  # the lazy result of another filter: measured like a list
            value = list(value)
            require_items(len(value))
        charge(1 + (len(value) if isinstance(value, list | tuple | dict) else 0))
        if not isinstance(value, str):
            require_size(value)
        require_size(args, kwargs)
        if check is not None:
            check(value, *args, **kwargs)
        first = {"context": (context,), "eval_context": (context.eval_ctx,), "environment": (context.environment,)}
        result = original(*first.get(pass_arg, ()), value, *args, **kwargs)
        return _checked_result(name, value, result)

    # Passing the context keeps Jinja from running filters on constants while compiling, outside any budget.
    filter_.__name__ = name
    return filter_


USER_FILTERS: dict[str, Callable[..., Any]] = {
    name: _guarded(name, FILTERS[name], check) for name, check in SIZE_CHECKS.items()
}


@pass_context
def counted_iterable(context: Context, iterable: Any) -> list[Any]:
    """A loop's items, each charged (the sandbox wraps every `for` in this)."""
    items = []
    for item in iterable:
        charge()
        items.append(item)
    require_items(len(items))
    return items


@pass_context
def checked_concat(context: Context, parts: list[Any]) -> Any:
    """`a ~ b ~ c`, measured before it is joined (the sandbox turns every `~` into this)."""
    require_size(parts)
    charge(len(parts))
    return markup_join(parts)


@pass_context
def checked_slice(context: Context, value: Any, start: Any, stop: Any, step: Any) -> Any:
    """`value[start:stop:step]`; a piece of an HTML paragraph is plain text (escaped when printed), never half a tag."""
    charge()
    piece = value[start:stop:step]
    return str(piece) if isinstance(piece, Markup) else piece
