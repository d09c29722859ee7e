"""Sample values for every URL argument of the URL map, taken from the hostile world (tests/security/world.py).

A rule whose argument has no entry here fails the URL-map tests with a message naming the rule and the argument:
add a line to SAMPLE_ARGUMENTS (by argument name), ENDPOINT_ARGUMENTS (where a name means something else on one
rule) or QUERY_ARGUMENTS (query strings a page needs to show something).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import AnyConverter

from tests.security.world import MEDIUM, World

# The value of each URL argument, by name. A rule with an argument missing here (and in ENDPOINT_ARGUMENTS)
# fails the URL-map tests: add a line for it.
SAMPLE_ARGUMENTS: dict[str, Callable[[World], Any]] = {
    "slug": lambda w: w.ids["slug"],
    "set_id": lambda w: w.ids["set_id"],
    "argument_id": lambda w: w.ids["argument_id"],
    "citation_id": lambda w: w.ids["citation_id"],
    "motion_id": lambda w: w.ids["motion_id"],
    "provision_id": lambda w: w.ids["provision_id"],
    "organisation_id": lambda w: w.ids["organisation_id"],
    "index": lambda w: w.ids["index"],
    "recipient_id": lambda w: w.ids["recipient_id"],
    "list_id": lambda w: w.ids["list_id"],
    "rule_id": lambda w: w.ids["rule_id"],
    "signature_id": lambda w: w.ids["signature_id"],
    "source_id": lambda w: w.ids["source_id"],
    "quote_id": lambda w: w.ids["quote_id"],
    "template_id": lambda w: w.ids["template_id"],
    "user_id": lambda w: w.ids["user_id"],
    "reply_id": lambda w: w.ids["reply_id"],
    "attachment_id": lambda w: w.ids["attachment_id"],
    "job_id": lambda w: w.ids["job_id"],
    "filename": lambda w: "css/app.css",
}
# Where an argument's name means something else on one rule.
ENDPOINT_ARGUMENTS: dict[str, dict[str, Callable[[World], Any]]] = {
    "public.confirm": {"token": lambda w: w.ids["confirm_token"]},
    "public.write_confirm": {"slug": lambda w: w.ids["write_slug"], "token": lambda w: w.ids["write_confirm_token"]},
    "public.write_letter": {"slug": lambda w: w.ids["write_slug"], "token": lambda w: w.ids["write_access_token"]},
    "public.write_letter_pdf": {
        "slug": lambda w: w.ids["write_slug"],
        "token": lambda w: w.ids["write_access_token"],
    },
    "public.write_withdraw": {"slug": lambda w: w.ids["write_slug"], "token": lambda w: w.ids["write_access_token"]},
    "public.write_answer": {"slug": lambda w: w.ids["write_slug"], "token": lambda w: w.ids["write_access_token"]},
    "public.withdraw": {"token": lambda w: w.ids["withdraw_token"]},
    "organise.recipient_import.review": {"token": lambda w: w.ids["import_token"]},
    "organise.recipient_import.cancel": {"token": lambda w: w.ids["import_token"]},
    "organise.recipient_import.mapping": {"token": lambda w: w.ids["import_token"]},
    "organise.recipient_import.run": {"token": lambda w: w.ids["import_token"]},
    "organise.recipient_lists.remove_member": {"recipient_id": lambda w: w.ids["member_id"]},
    "track.board.export": {"what": lambda w: "replies"},
    "track.inbox.show": {"reply_id": lambda w: w.ids["inbox_reply_id"]},
    "track.inbox.assign": {"reply_id": lambda w: w.ids["inbox_reply_id"]},
}


# Query strings some pages need to show something.
QUERY_ARGUMENTS: dict[str, Callable[[World], dict[str, Any]]] = {
    "organise.coverage.briefing_md": lambda w: {"motion": w.ids["motion_id"], "set": w.ids["set_id"]},
    "organise.coverage.briefing_pdf": lambda w: {"motion": w.ids["motion_id"], "set": w.ids["set_id"]},
    "organise.coverage.show": lambda w: {"motion": w.ids["motion_id"], "set": w.ids["set_id"]},
    # Search boxes echo what was typed: reflected markup must come back escaped as well.
    "organise.recipients.index": lambda w: {"q": MEDIUM},
    "organise.campaign_targets.index": lambda w: {"q": MEDIUM},
    "organise.signatures.index": lambda w: {"q": MEDIUM},
    "track.board.letters": lambda w: {"q": MEDIUM},
    "track.inbox.show": lambda w: {"q": MEDIUM},
}


class MissingSample(AssertionError):
    pass


def sample_values(rule, world: World) -> dict[str, Any]:
    """The values for `rule`'s arguments; a clear failure when the table above has none."""
    values = {}
    for name, converter in rule._converters.items():
        special = ENDPOINT_ARGUMENTS.get(rule.endpoint, {})
        if name in special:
            values[name] = special[name](world)
        elif isinstance(converter, AnyConverter):  # any(...): its first choice
            values[name] = sorted(converter.items)[0]
        elif name in SAMPLE_ARGUMENTS:
            values[name] = SAMPLE_ARGUMENTS[name](world)
        else:
            raise MissingSample(
                f"Die URL-Regel {rule.rule} ({rule.endpoint}) hat das Argument <{name}>, für das "
                f"tests/security/world.py keinen Beispielwert kennt: bitte in SAMPLE_ARGUMENTS oder "
                f"ENDPOINT_ARGUMENTS eintragen."
            )
    return values | QUERY_ARGUMENTS.get(rule.endpoint, lambda w: {})(world)
