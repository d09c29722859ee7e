"""The checks a letter template passes when it is saved and before every render: statements, names, filters, methods.

Each problem names its line. Refused Jinja builtins and why are listed here (REFUSED_STATEMENTS,
REFUSED_FILTER_REASONS; the filters allowed are campaign.services.letters.limits.USER_FILTERS).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import nodes
from jinja2.tests import TESTS

from campaign.services.common.text import fold_text
from campaign.services.letters.limits import USER_FILTERS
from campaign.services.letters.merge_fields import ALLOWED_NAMES, FIELDS, LIST_NAMES, attribute_names

# Methods a template may call on plain texts and on the merge fields' dictionaries; nothing else is callable.
TEXT_METHODS = frozenset(
    {"upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith", "endswith"}
)
DICT_METHODS = frozenset({"items", "keys", "values", "get"})
LOOP_METHODS = frozenset({"cycle", "changed"})
# Names of methods of Python's built-in types: called in a template, only the ones above are allowed.
BUILTIN_METHODS = frozenset(
    name for kind in (str, bytes, int, float, list, tuple, dict, set) for name in dir(kind) if not name.startswith("_")
)


def unknown_names_message(unknown: list[str]) -> str:
    """„Unbekannte Platzhalter: …“ with a hint where an umlaut spelling stands for an alias (empfänger → empfaenger)."""
    folded = {fold_text(name): name for name in ALLOWED_NAMES}
    hints = [
        _("„%(written)s“ heißt „%(name)s“", written=name, name=folded[fold_text(name)])
        for name in unknown
        if fold_text(name) in folded
    ]
    # The German alias first, as the default template and the editor write it; follow-up fields say where they work.
    allowed = ", ".join(
        _("%(alias)s (%(name)s, nur in Nachfragen)", alias=field.alias, name=field.name)
        if field.follow_up_only
        else f"{field.alias} ({field.name})"
        for field in FIELDS
    )
    hint = f" ({'; '.join(hints)})" if hints else ""
    return _(
        "Unbekannte Platzhalter: %(names)s%(hint)s. Erlaubt sind: %(allowed)s.",
        names=", ".join(unknown),
        hint=hint,
        allowed=allowed,
    )


# Statements that have no place in a letter template, and why.
REFUSED_STATEMENTS: tuple[tuple[tuple[type[nodes.Node], ...], Any], ...] = (
    (
        (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport),
        _l("Andere Vorlagen einzubinden ist in Briefvorlagen nicht möglich."),
    ),
    (
        (nodes.EvalContextModifier,),
        _l(
            "{% autoescape %} ist in Briefvorlagen nicht erlaubt: Platzhalter werden immer als Text eingesetzt, "
            "nie als HTML."
        ),
    ),
    ((nodes.Macro, nodes.CallBlock), _l("Makros ({% macro %}, {% call %}) sind in Briefvorlagen nicht möglich.")),
    ((nodes.Block,), _l("Blöcke ({% block %}) sind in Briefvorlagen nicht möglich.")),
    (
        (nodes.AssignBlock, nodes.FilterBlock),
        _l(
            "{% set %} … {% endset %} und {% filter %} … {% endfilter %} sind in Briefvorlagen nicht möglich; "
            "bitte {% set name = … %} bzw. den Filter am Platzhalter verwenden, z. B. {{ anrede|upper }}."
        ),
    ),
)


def structure_problems(parsed: nodes.Template) -> list[str]:
    """Refused statements, internals, unknown filters, tests, methods and attributes, each with its line."""
    problems: list[str] = []
    for kinds, message in REFUSED_STATEMENTS:
        problems.extend(_line(node.lineno, str(message)) for node in parsed.find_all(kinds))
    for loop in parsed.find_all(nodes.For):
        if loop.recursive:
            problems.append(_line(loop.lineno, _("Rekursive Schleifen sind in Briefvorlagen nicht möglich.")))
    for node in parsed.find_all(nodes.Name):
        # `self` is Jinja's handle on the template object: never a merge field, and not a free name that the
        # whitelist check would see.
        if node.name == "self":
            problems.append(_line(node.lineno, _("„self“ ist in Briefvorlagen nicht erlaubt.")))
    for node in parsed.find_all(nodes.Filter):
        if node.name not in USER_FILTERS:
            problems.append(_line(node.lineno, _refused_filter(node.name)))
    for node in parsed.find_all(nodes.Test):
        if node.name not in TESTS:
            problems.append(
                _line(node.lineno, _("Den Test „%(name)s“ gibt es in Briefvorlagen nicht.", name=node.name))
            )
    for node in parsed.find_all(nodes.BinExpr):
        if node.operator == "**":
            problems.append(_line(node.lineno, _("Potenzieren (**) ist in Briefvorlagen nicht erlaubt.")))
    problems.extend(_method_problems(parsed))
    problems.extend(_attribute_problems(parsed))
    return list(dict.fromkeys(problems))


REFUSED_FILTER_REASONS = {
    "safe": _l("er würde Text als HTML in den Brief setzen"),
    "forceescape": _l("Platzhalter werden ohnehin als Text eingesetzt; doppelt maskiert erschiene Code im Brief"),
    "urlize": _l("er würde aus Text Links (HTML) machen"),
    "xmlattr": _l("er erzeugt HTML-Attribute"),
    "tojson": _l("er erzeugt Daten für Skripte"),
    "attr": _l("Felder werden mit Punkt angesprochen, z. B. recipient.last_name"),
    "sum": _l("Briefe rechnen nicht"),
    "random": _l("ein Brief muss bei jedem Erzeugen gleich lauten"),
    "pprint": _l("er ist zur Fehlersuche in Programmen gedacht"),
}


def _line(lineno: int, problem: str) -> str:
    """A problem with the template line it was found on: „Zeile 3: …“."""
    return _("Zeile %(line)s: %(problem)s", line=lineno, problem=problem)


def _refused_filter(name: str) -> str:
    reason = REFUSED_FILTER_REASONS.get(name)
    if reason:
        return _("Den Filter „%(name)s“ gibt es in Briefvorlagen nicht: %(reason)s.", name=name, reason=reason)
    return _("Den Filter „%(name)s“ gibt es in Briefvorlagen nicht.", name=name)


def _method_problems(parsed: nodes.Template) -> list[str]:
    """Calls of Python methods beyond the few harmless ones (center, ljust, format … build texts of any size)."""
    problems = []
    for call in parsed.find_all(nodes.Call):
        name = call.node.attr if isinstance(call.node, nodes.Getattr) else None
        if name in BUILTIN_METHODS and name not in TEXT_METHODS | DICT_METHODS | LOOP_METHODS:
            problems.append(
                _line(call.lineno, _("Die Methode „%(name)s“ ist in Briefvorlagen nicht erlaubt.", name=name))
            )
    return problems


def _loop_aliases(parsed: nodes.Template) -> dict[str, str]:
    """Loop variables that stand for an element of a list field: {% for argument in arguments %} → argument."""
    return {
        loop.target.name: loop.iter.name
        for loop in parsed.find_all(nodes.For)
        if isinstance(loop.target, nodes.Name) and isinstance(loop.iter, nodes.Name) and loop.iter.name in LIST_NAMES
    }


def _attribute_problems(parsed: nodes.Template) -> list[str]:
    """Attributes starting with „_“, and attributes a merge field (or a loop over a list field) does not offer."""
    problems: list[str] = []
    aliases = _loop_aliases(parsed)
    for node in parsed.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if not isinstance(name, str):
            continue
        if name.startswith("_"):
            problems.append(
                _line(node.lineno, _("Zugriff auf interne Attribute („%(name)s“) ist nicht erlaubt.", name=name))
            )
            continue
        if not isinstance(node.node, nodes.Name):
            continue
        base = node.node.name
        owner = aliases.get(base) if base not in ALLOWED_NAMES else (None if base in LIST_NAMES else base)
        offered = attribute_names(owner) if owner else ()
        if offered and name not in offered:
            problems.append(
                _line(
                    node.lineno,
                    _(
                        "„%(field)s“ gibt es nicht. Erlaubt sind: %(allowed)s.",
                        field=base + "." + name,
                        allowed=", ".join(offered),
                    ),
                )
            )
    return problems
