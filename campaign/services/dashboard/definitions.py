"""What counts, in one place: a sent letter, an answer, a substantive answer, a confirmed signature.

The dashboard, the exports, `campaign stats` and the public tracker all count with these conditions, and the
dashboard shows DEFINITIONS beside its figures, so a number means the same wherever it appears.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from campaign.models import Letter, LetterStatus, Reply, ReplyKind, ReplyQuality, Signature, SignatureStatus

# A letter left the house once it reached one of these states (a bounce was sent, too).
SENT_STATES = (LetterStatus.SENT, LetterStatus.REPLIED, LetterStatus.BOUNCED)

# The coordinator's word wins over the import's: a reply classified as an auto-reply does not count either.
COUNTED_REPLY = and_(Reply.kind == ReplyKind.REPLY, Reply.quality != ReplyQuality.AUTO_REPLY)
SUBSTANTIVE_REPLY = and_(Reply.kind == ReplyKind.REPLY, Reply.quality == ReplyQuality.SUBSTANTIVE)
AUTOMATIC_REPLY = (Reply.kind == ReplyKind.AUTO_REPLY) | (
    (Reply.kind == ReplyKind.REPLY) & (Reply.quality == ReplyQuality.AUTO_REPLY)
)

# The campaign's own first letters. Copies supporters send to their representatives are counted apart; a
# follow-up („Nachfrage“) is never a letter sent of its own: an answer to it is filed under the first letter and
# counts there (campaign.services.replies.follow_up_letters), so follow-ups change no rate.
CAMPAIGN_LETTER = and_(Letter.supporter_id.is_(None), Letter.follow_up_of_id.is_(None))

# A signature counts from its confirmation until a withdrawal; an erasure removes the person, not the count.
COUNTED_SIGNATURE = and_(
    Signature.status.in_([SignatureStatus.CONFIRMED, SignatureStatus.ERASED]),
    Signature.confirmed_at.is_not(None),
    Signature.withdrawn_at.is_(None),
)

DEFINITIONS = (
    (
        _l("Versandt"),
        _l(
            "Briefe der Kampagne im Status versandt, beantwortet oder unzustellbar "
            "(ohne Briefe von Unterstützer:innen und ohne Nachfragen)."
        ),
    ),
    (
        _l("Antwort"),
        _l(
            "Ein versandter Brief gilt als beantwortet, wenn mindestens eine Antwort einer Person vorliegt. "
            "Eine Antwort auf die Nachfrage zählt als Antwort auf den ersten Brief an dieselbe Person. "
            "Automatische Antworten (Abwesenheitsnotizen) und Unzustellbarkeitsmeldungen zählen nie als Antwort."
        ),
    ),
    (
        _l("Inhaltliche Antwort"),
        _l(
            "Eine Antwort, die als „inhaltlich“ eingeordnet ist. Standardantworten, reine Eingangsbestätigungen, "
            "verweigerte und noch nicht eingeordnete Antworten zählen als Antwort, aber nicht als inhaltlich."
        ),
    ),
    (_l("Antwortquote"), _l("Beantwortete Briefe geteilt durch versandte Briefe.")),
    (_l("Quote inhaltlicher Antworten"), _l("Briefe mit inhaltlicher Antwort geteilt durch versandte Briefe.")),
    (
        _l("Antwortzeit"),
        _l(
            "Tage vom Versand eines Briefs bis zu seiner ersten Antwort (nur Briefe mit Versanddatum); "
            "auch nach einer Nachfrage ab dem Versand des ersten Briefs."
        ),
    ),
    (
        _l("Mitzeichnung"),
        _l(
            "Bestätigt (Double-Opt-in) und nicht widerrufen. Eine Löschung auf Wunsch entfernt die Person, "
            "nicht die Mitzeichnung aus der Zahl. Tage nach deutscher Zeit."
        ),
    ),
)

# What the public tracker explains: the letter and reply terms, not the signatures.
REPLY_DEFINITIONS = DEFINITIONS[:5]


def letter_sent() -> Any:
    return and_(Letter.status.in_(SENT_STATES), CAMPAIGN_LETTER)


def letter_flags(campaign_id: int) -> Any:
    """Per letter of the campaign with replies: answered (0/1) and substantive (0/1), one pass over its replies.

    Joined to the letters (outer join, so letters without replies get NULL), this is much cheaper than asking
    two EXISTS questions of every letter.
    """
    return (
        select(
            Reply.letter_id.label("letter_id"),
            func.max(case((COUNTED_REPLY, 1), else_=0)).label("answered"),
            func.max(case((SUBSTANTIVE_REPLY, 1), else_=0)).label("substantive"),
        )
        .where(Reply.campaign_id == campaign_id, Reply.letter_id.is_not(None))
        .group_by(Reply.letter_id)
        .subquery("letter_flags")
    )


def rate(part: int, whole: int) -> float:
    """Percent with one decimal; 0 when nothing was sent."""
    return round(100 * part / whole, 1) if whole else 0.0
