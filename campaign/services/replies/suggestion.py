"""The suggested quality of a reply: a rule a coordinator can retrace; a person always confirms or changes it.

The rule reads the answer without quote and signature, with its salutation („Sehr geehrte …,“, „Dear …,“) and
closing („Mit freundlichen Grüßen …“) set aside, and takes the first that applies:

1. **Standard reply**: the same office (the sender's domain) sent the same text before — same fingerprint: lower
   case, without salutation, digits, reference codes, punctuation and spacing — or the text is at least 85 % like
   a reply of that domain that a coordinator confirmed as a standard reply.
2. **Refusal**: at most 120 words with a sentence that declines to answer or take a position („keine
   Stellungnahme“, „bitten um Verständnis, dass …“, „nicht zuständig“, „we do not comment“).
3. **Acknowledgement**: at most 60 words, thanking for or confirming the letter („vielen Dank für Ihr Schreiben“,
   „Eingang bestätigen“, „thank you for your letter“), and no sentence that takes up the matter („ich unterstütze“,
   „stimme … zu“, „lehne … ab“, „Änderungsantrag“).
4. **Substantive answer**: 40 words or more.
5. Otherwise no suggestion: a short text that fits none of these is left for the coordinator.
"""

from __future__ import annotations

import hashlib
import re
from difflib import SequenceMatcher

from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.models import Reply, ReplyKind, ReplyQuality
from campaign.services.common.text import collapse_spaces, fold_text
from campaign.services.replies.matching import REFERENCE_CODE
from campaign.services.replies.text import without_closing

SIMILAR_TO_CONFIRMED = 0.85
CONFIRMED_COMPARED = 20
REFUSAL_MAX_WORDS = 120
ACKNOWLEDGEMENT_MAX_WORDS = 60
SUBSTANTIVE_MIN_WORDS = 40

# The salutation ends at its comma (or exclamation mark) or at the end of its line: a one-line answer („Guten Tag,
# wir haben Ihr Schreiben erhalten.“) keeps its text. Taken twice, for „Sehr geehrte Frau …, sehr geehrter Herr …,“.
SALUTATION = re.compile(
    r"^\s*(?:sehr geehrte[rn]?|liebe[rns]?|hallo|guten tag|moin|dear|hello|hi)\b[^\n,!]*(?:[,!][ \t]*|\n|$)",
    re.IGNORECASE,
)
REFUSAL = re.compile(
    r"keine stellung|nicht stellung|keine stellungnahme|nicht äußern|nicht zu äußern|nicht kommentieren"
    r"|bitten? (?:sie )?um (?:ihr )?verständnis,? dass|nicht zuständig|nicht beantworten|keine (?:einzel)?anfragen"
    r"|von weiteren (?:zuschriften|schreiben)|(?:do|does) not comment|(?:unable|not able) to (?:respond|comment)"
    r"|cannot comment"
    r"|not in a position to",
    re.IGNORECASE,
)
ACKNOWLEDGEMENT = re.compile(
    r"(?:vielen |herzlichen |besten )?dank für ihr(?:e)? (?:schreiben|e-?mail|nachricht|brief|zuschrift)"
    r"|eingang (?:ihres|ihrer) .{0,30}bestätig|bestätige[n]? (?:den|hiermit den) eingang"
    r"|ihr schreiben (?:ist|haben wir) .{0,20}(?:eingegangen|erhalten)"
    r"|habe(?:n)? ihr(?:e)? (?:schreiben|nachricht|e-?mail) erhalten|wird (?:so bald wie möglich|zeitnah) beantwortet"
    r"|thank you for your (?:letter|e-?mail|message)|we (?:have )?received your|acknowledge receipt",
    re.IGNORECASE,
)
TAKES_UP_THE_MATTER = re.compile(
    r"unterstütze|stimme .{0,40}zu|teile ihre|lehne .{0,40}ab|änderungsantrag|werde mich .{0,40}einsetzen"
    r"|support|agree|disagree|amendment|oppose",
    re.IGNORECASE,
)


def core_text(text: str) -> str:
    """The answer without its salutation and its closing, on one line."""
    core = (text or "").strip() + "\n"
    for _salutation in range(2):
        core = SALUTATION.sub("", core, count=1)
    return collapse_spaces(without_closing(core))


def text_fingerprint(text: str) -> str:
    """The same form letter gives the same fingerprint, whatever name, date or reference code it carries."""
    core = REFERENCE_CODE.sub("", core_text(text))
    folded = "".join(char for char in fold_text(core) if not char.isdigit())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest() if folded else ""


def suggest_quality(session: Session, reply: Reply) -> ReplyQuality:
    """The rule above, for a reply whose body_text, sender_domain and text_fingerprint are set."""
    if reply.kind is ReplyKind.AUTO_REPLY:
        return ReplyQuality.AUTO_REPLY
    if reply.kind is not ReplyKind.REPLY:
        return ReplyQuality.UNCLASSIFIED
    core = core_text(reply.body_text)
    words = len(core.split())
    if _repeats_a_standard_reply(session, reply, core):
        return ReplyQuality.STANDARD
    if words <= REFUSAL_MAX_WORDS and REFUSAL.search(core):
        return ReplyQuality.REFUSAL
    if words <= ACKNOWLEDGEMENT_MAX_WORDS and ACKNOWLEDGEMENT.search(core) and not TAKES_UP_THE_MATTER.search(core):
        return ReplyQuality.ACKNOWLEDGEMENT
    if words >= SUBSTANTIVE_MIN_WORDS:
        return ReplyQuality.SUBSTANTIVE
    return ReplyQuality.UNCLASSIFIED


def _repeats_a_standard_reply(session: Session, reply: Reply, core: str) -> bool:
    if not reply.sender_domain or not core:
        return False
    same_office = select(Reply.id).where(
        Reply.sender_domain == reply.sender_domain, Reply.kind == ReplyKind.REPLY, Reply.id != (reply.id or 0)
    )
    if reply.text_fingerprint and session.scalar(
        same_office.where(Reply.text_fingerprint == reply.text_fingerprint).limit(1)
    ):
        return True
    confirmed = session.scalars(
        select(Reply.body_text)
        .where(Reply.id.in_(same_office.where(Reply.quality == ReplyQuality.STANDARD)))
        .order_by(Reply.id.desc())
        .limit(CONFIRMED_COMPARED)
    )
    for text in confirmed:
        matcher = SequenceMatcher(None, core, core_text(text), autojunk=False)
        if matcher.quick_ratio() >= SIMILAR_TO_CONFIRMED and matcher.ratio() >= SIMILAR_TO_CONFIRMED:
            return True
    return False
