"""The sandbox for organiser-written letter templates: checks on save and before every render, and the one render.

Every path that fills in a user template (preview, bulk generation in the web process or a worker, exports,
e-mail subject and body) renders through `render_markup`, which refuses what the checks refuse, charges the
work to a budget (campaign.services.letters.limits) and streams the output so an oversized letter stops early.
"""

from __future__ import annotations

import functools
import re
import traceback
import types
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, meta, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from campaign.services.common.errors import ServiceError
from campaign.services.common.translation import N_
from campaign.services.letters.limits import (
    USER_FILTERS,
    RenderBudget,
    RenderLimitExceeded,
    charge,
    checked_concat,
    checked_slice,
    counted_iterable,
    require_binop_size,
    require_length,
    require_size,
    spending,
    text_size,
)
from campaign.services.letters.merge_fields import (
    ALLOWED_NAMES,
    BY_NAME,
    LIST_NAMES,
    canonical,
    placeholder_label,
)
from campaign.services.letters.template_checks import (
    DICT_METHODS,
    LOOP_METHODS,
    TEXT_METHODS,
    structure_problems,
    unknown_names_message,
)
from campaign.services.letters.template_errors import explain_syntax_error

# Internal names of the transformed template (unreachable for authors: the filter check runs before).
_COUNTED, _CONCAT, _SLICE = "letter_counted_iterable", "letter_checked_concat", "letter_checked_slice"


def _too_deep() -> str:
    return _("Die Vorlage ist zu tief verschachtelt (Klammern in Klammern, Filter an Filter …).")


class TemplateProblem(ServiceError):
    """A template that cannot be saved or rendered; the message names the line or field."""


class _LetterSandbox(ImmutableSandboxedEnvironment):
    """The sandbox with every operator, look-up and call charged to the render's budget and checked for size."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"+", "-"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        charge()
        require_binop_size(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, str | list | tuple):
            charge(chars=len(result))
        return result

    def call_unop(self, context: Context, operator: str, arg: Any) -> Any:
        charge()
        return super().call_unop(context, operator, arg)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, LoopContext):
            return not callable(value) or attr in LOOP_METHODS
        if not isinstance(value, types.BuiltinMethodType | types.MethodType | types.MethodWrapperType):
            return not callable(value)
        # Methods of a Markup value (an argument's HTML paragraph) could cut its tags apart: none is allowed.
        if type(obj) is str:
            return attr in TEXT_METHODS
        return isinstance(obj, dict) and attr in DICT_METHODS

    def wrap_str_format(self, value: Any) -> None:
        """`str.format` is not offered at all (its widths build texts of any size); the `format` filter is."""
        return None

    def getattr(self, obj: Any, attribute: str) -> Any:
        charge()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        charge()
        value = super().getitem(obj, argument)
        # A character of an HTML paragraph is plain text (escaped when printed), never part of a tag.
        return str(value) if isinstance(obj, Markup) and isinstance(value, Markup) else value

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        charge()
        require_size(args, {key: value for key, value in kwargs.items() if not key.startswith("_")})
        return super().call(__context, __obj, *args, **kwargs)


def _finalize(value: Any) -> Any:
    """Every printed value: charged, and a list that would print as a gigantic text refused before it is printed."""
    size = len(value) if isinstance(value, str) else text_size(value)
    require_length(size)
    charge(chars=size)
    return value


def _environment() -> _LetterSandbox:
    # Letters never share an environment with web pages: no globals, only the guarded filters, no loader.
    # StrictUndefined turns a blocked attribute (which the sandbox would print as "") into a clear error.
    env = _LetterSandbox(autoescape=True, keep_trailing_newline=True, undefined=StrictUndefined, finalize=_finalize)
    env.globals.clear()
    env.filters = {**USER_FILTERS, _COUNTED: counted_iterable, _CONCAT: checked_concat, _SLICE: checked_slice}
    return env


_ENV = _environment()


def check_template(source: str) -> None:
    """Raise TemplateProblem for a syntax error (with its line), a field outside the whitelist or unsafe access."""
    _checked_template(source)


def _parse(source: str) -> nodes.Template:
    try:
        return _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            _(
                "Syntaxfehler in Zeile %(line)s: %(explanation)s",
                line=exc.lineno,
                explanation=explain_syntax_error(exc.message or ""),
            )
        ) from exc
    except RecursionError as exc:
        raise TemplateProblem(_too_deep()) from exc


@functools.lru_cache(maxsize=64)
def _checked_template(source: str) -> Template:
    """The compiled template, once it passed the checks (bulk runs render one source thousands of times)."""
    try:
        return _check_and_compile(source)
    except (RecursionError, MemoryError) as exc:  # a parse tree deeper than Python's stack
        raise TemplateProblem(_too_deep()) from exc


def _check_and_compile(source: str) -> Template:
    parsed = _parse(source)
    problems = structure_problems(parsed)
    try:
        unknown = sorted(meta.find_undeclared_variables(parsed) - ALLOWED_NAMES)
    except TemplateSyntaxError:  # an unknown filter or test, already named by the structure check
        unknown = []
    if unknown:
        problems.insert(0, unknown_names_message(unknown))
    if problems:
        raise TemplateProblem(" ".join(problems))
    parsed = _Guard().visit(parsed)
    parsed.set_environment(_ENV)
    try:
        return _ENV.from_string(parsed)
    except SyntaxError as exc:  # Python refuses code nested more than 200 levels
        raise TemplateProblem(_too_deep()) from exc
    except TemplateError as exc:
        raise TemplateProblem(_("Die Vorlage lässt sich nicht übersetzen: %(error)s", error=exc)) from exc


class _Guard(NodeTransformer):
    """Escapes the author's own text, counts every loop's items, measures every `~` and guards every slice."""

    def visit_TemplateData(self, node: nodes.TemplateData) -> nodes.TemplateData:
        # Autoescaping covers the merge fields; the organiser's own text is escaped here, so that HTML typed into a
        # template (an <img> pointing anywhere, say) is printed as text and never becomes an element of the letter.
        node.data = str(Markup.escape(node.data))
        return node

    def visit_For(self, node: nodes.For) -> nodes.For:
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, _COUNTED, [], [], None, None, lineno=node.iter.lineno)
        return node

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        self.generic_visit(node)
        if not isinstance(node.arg, nodes.Slice):
            return node  # compiled to environment.getitem, which the sandbox checks
        bounds = [part or nodes.Const(None) for part in (node.arg.start, node.arg.stop, node.arg.step)]
        return nodes.Filter(node.node, _SLICE, bounds, [], None, None, lineno=node.lineno)

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        self.generic_visit(node)
        parts = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(parts, _CONCAT, [], [], None, None, lineno=node.lineno)


@functools.lru_cache(maxsize=64)
def fields_used(source: str) -> frozenset[str]:
    """The merge fields a (checked) template source refers to, by their English names."""
    return frozenset(canonical(name) for name in meta.find_undeclared_variables(_ENV.parse(source)))


@functools.lru_cache(maxsize=64)
def _placeholders(source: str) -> tuple[tuple[str, ...], ...]:
    """The merge fields and field attributes a template prints or tests, as written, in order of appearance."""
    parsed = _ENV.parse(source)
    found: list[tuple[Any, ...]] = []
    inside = set()
    for node in parsed.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in ALLOWED_NAMES - LIST_NAMES:
            found.append((node.lineno, node.node.name, node.attr))
            inside.add(id(node.node))
    for node in parsed.find_all(nodes.Name):
        if node.ctx == "load" and node.name in ALLOWED_NAMES and id(node) not in inside:
            found.append((node.lineno, node.name))
    found.sort(key=lambda item: item[0])
    return tuple(dict.fromkeys(item[1:] for item in found))


def empty_fields(source: str, context: dict[str, Any]) -> list[tuple[str, str]]:
    """(placeholder, German label) for each merge field the template uses that is empty in this context."""
    empty = []
    for path in _placeholders(source):
        value = context.get(canonical(path[0]))
        if len(path) > 1:
            field = BY_NAME[path[0]]
            part = field.part(path[1])
            value = (value or {}).get(part.name) if part else "?"
        if value in ("", None, []):
            empty.append((".".join(path), placeholder_label(path)))
    return empty


@dataclass(frozen=True)
class RenderedText:
    """A rendered template as escaped HTML and as plain text (for e-mail)."""

    html: Markup
    text: str


def _template_line(exc: BaseException) -> int | None:
    """The template line an exception was raised from (Jinja rewrites tracebacks to point into the template)."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == "<template>"]
    return lines[-1] if lines else None


def _problem(exc: BaseException, with_line: str, without_line: str, **values: Any) -> TemplateProblem:
    """The problem in the words of `with_line` (its „%(line)s“ filled in), or `without_line` if the line is unknown."""
    line = _template_line(exc)
    return TemplateProblem(_(with_line, line=line, **values) if line else _(without_line, **values))


def _security_message(exc: SecurityError) -> str:
    method = re.search(r"access to attribute '([^']+)' of '([^']+)' object is unsafe", str(exc))
    if method:
        return _("„%(name)s“ ist in Briefvorlagen nicht erlaubt", name=method[1])
    return str(exc)


def render_markup(source: str, context: dict[str, Any], *, budget: RenderBudget | None = None) -> Markup:
    """Render a template in the sandbox within its budget; every failure becomes a TemplateProblem."""
    template = _checked_template(source)
    pieces: list[str] = []
    length = 0
    with spending(budget or RenderBudget()) as spent:
        output = template.generate(**context)
        try:
            for piece in output:
                length += len(piece)
                require_length(length)  # stops a runaway letter at its first oversized piece
                spent.charge(chars=len(piece))
                pieces.append(piece)
        except RenderLimitExceeded as exc:
            line = _template_line(exc)
            raise TemplateProblem(
                _("Zeile %(line)s: %(problem)s", line=line, problem=exc) if line else str(exc)
            ) from exc
        except SecurityError as exc:
            raise _problem(
                exc,
                N_("Nicht erlaubter Zugriff in der Vorlage (Zeile %(line)s): %(detail)s."),
                N_("Nicht erlaubter Zugriff in der Vorlage: %(detail)s."),
                detail=_security_message(exc),
            ) from exc
        except UndefinedError as exc:
            missing = re.search(r"has no attribute '([^']+)'", exc.message or "")
            detail = _("„%(name)s“ gibt es nicht", name=missing[1]) if missing else (exc.message or _("unbekannt"))
            raise _problem(
                exc,
                N_("Unbekanntes Feld in der Vorlage in Zeile %(line)s: %(detail)s."),
                N_("Unbekanntes Feld in der Vorlage: %(detail)s."),
                detail=detail,
            ) from exc
        except (TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
            raise _problem(
                exc,
                N_("Die Vorlage lässt sich nicht ausfüllen in Zeile %(line)s: %(error)s"),
                N_("Die Vorlage lässt sich nicht ausfüllen: %(error)s"),
                error=exc,
            ) from exc
        finally:
            output.close()
    return Markup("".join(pieces))


def render_template_text(source: str, context: dict[str, Any]) -> RenderedText:
    """Render a checked template with plain-data context; sandbox violations become TemplateProblem."""
    html = render_markup(source, context)
    return RenderedText(html=html, text=html.unescape())
