"""One translatable German label per enum value, for pages, forms, exports and the `label` template filter."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from campaign.models import (
    AreaKind,
    CampaignChannels,
    CampaignStatus,
    Channel,
    DatePrecision,
    FormOfAddress,
    JobStatus,
    LetterKind,
    LetterStatus,
    Listing,
    MotionKind,
    MotionStatus,
    OutboxStatus,
    QuestionnaireAnswer,
    ReplyChannel,
    ReplyKind,
    ReplyQuality,
    ReplyStance,
    Role,
    SignatureStatus,
    SourceKind,
    Stance,
    SupporterLetterStatus,
)

# Keyed by enum class first: members of different enums with the same value (StrEnum) compare equal,
# so one flat dict would let LetterStatus.QUEUED overwrite JobStatus.QUEUED.
LABELS: dict[type[enum.Enum], dict[enum.Enum, object]] = {
    Role: {
        Role.ADMIN: _l("Administration"),
        Role.ORGANISER: _l("Organisation"),
        Role.COORDINATOR: _l("Koordination"),
    },
    MotionKind: {
        MotionKind.LEITANTRAG: _l("Leitantrag"),
        MotionKind.ANTRAG: _l("Antrag"),
        MotionKind.POSITIONSPAPIER: _l("Positionspapier"),
        MotionKind.RESOLUTION: _l("Resolution"),
        MotionKind.OTHER: _l("Sonstiges"),
    },
    MotionStatus: {
        MotionStatus.DRAFT: _l("Entwurf"),
        MotionStatus.PRESENTED: _l("vorgelegt"),
        MotionStatus.AMENDED: _l("geändert"),
        MotionStatus.ADOPTED: _l("beschlossen"),
        MotionStatus.REJECTED: _l("abgelehnt"),
        MotionStatus.WITHDRAWN: _l("zurückgezogen"),
    },
    Stance: {
        Stance.OPPOSE: _l("Ablehnung"),
        Stance.WELCOME: _l("Zustimmung"),
        Stance.AMEND: _l("Änderung"),
        Stance.NEUTRAL: _l("neutral"),
    },
    SourceKind: {
        SourceKind.ARTICLE: _l("Artikel"),
        SourceKind.STUDY: _l("Studie"),
        SourceKind.POLICY_BRIEF: _l("Policy Brief"),
        SourceKind.POSITION_PAPER: _l("Positionspapier"),
        SourceKind.LAW: _l("Gesetz / Rechtstext"),
        SourceKind.PRESS: _l("Pressemitteilung"),
        SourceKind.WEBSITE: _l("Website"),
        SourceKind.OTHER: _l("Sonstiges"),
    },
    CampaignStatus: {
        CampaignStatus.DRAFT: _l("Entwurf"),
        CampaignStatus.ACTIVE: _l("läuft"),
        CampaignStatus.CLOSED: _l("beendet"),
        CampaignStatus.ARCHIVED: _l("archiviert"),
    },
    CampaignChannels: {
        CampaignChannels.EMAIL: _l("E-Mail"),
        CampaignChannels.POST: _l("Post"),
        CampaignChannels.BOTH: _l("E-Mail und Post"),
    },
    FormOfAddress: {
        FormOfAddress.FRAU: _l("Frau"),
        FormOfAddress.HERR: _l("Herr"),
        FormOfAddress.DIVERS: _l("divers"),
        FormOfAddress.UNBEKANNT: _l("unbekannt"),
        FormOfAddress.GRUPPE: _l("Gruppe"),
    },
    Channel: {
        Channel.POST: _l("Post"),
        Channel.EMAIL: _l("E-Mail"),
    },
    LetterKind: {
        LetterKind.LETTER: _l("Brief"),
        LetterKind.FOLLOW_UP: _l("Nachfrage"),
        LetterKind.SUPPORTER_COPY: _l("Brief von Unterstützer:in"),
    },
    LetterStatus: {
        LetterStatus.DRAFT: _l("Entwurf"),
        LetterStatus.APPROVED: _l("freigegeben"),
        LetterStatus.QUEUED: _l("in Warteschlange"),
        LetterStatus.SENT: _l("versandt"),
        LetterStatus.FAILED: _l("fehlgeschlagen"),
        LetterStatus.BOUNCED: _l("unzustellbar"),
        LetterStatus.REPLIED: _l("beantwortet"),
    },
    OutboxStatus: {
        OutboxStatus.PENDING: _l("wartet"),
        OutboxStatus.SENDING: _l("wird gesendet"),
        OutboxStatus.SENT: _l("gesendet"),
        OutboxStatus.FAILED: _l("fehlgeschlagen"),
        OutboxStatus.DEAD: _l("aufgegeben"),
    },
    SignatureStatus: {
        SignatureStatus.PENDING: _l("unbestätigt"),
        SignatureStatus.CONFIRMED: _l("bestätigt"),
        SignatureStatus.WITHDRAWN: _l("widerrufen"),
        SignatureStatus.REMOVED: _l("als Spam entfernt"),
        SignatureStatus.ERASED: _l("gelöscht"),
    },
    Listing: {
        Listing.FULL_NAME: _l("voller Name"),
        Listing.INITIAL: _l("Vorname und Initiale"),
        Listing.HIDDEN: _l("nicht genannt"),
    },
    ReplyChannel: {
        ReplyChannel.EMAIL: _l("E-Mail"),
        ReplyChannel.POST: _l("Post"),
        ReplyChannel.PHONE: _l("Telefon"),
        ReplyChannel.IN_PERSON: _l("persönlich"),
        ReplyChannel.PUBLIC_STATEMENT: _l("öffentliche Äußerung"),
        ReplyChannel.SUPPORTER_REPORT: _l("von Unterstützer:in gemeldet"),
        ReplyChannel.OTHER: _l("Sonstiges"),
    },
    ReplyKind: {
        ReplyKind.REPLY: _l("Antwort"),
        ReplyKind.AUTO_REPLY: _l("automatische Antwort"),
        ReplyKind.BOUNCE: _l("unzustellbar"),
    },
    ReplyQuality: {
        ReplyQuality.UNCLASSIFIED: _l("nicht eingeordnet"),
        ReplyQuality.SUBSTANTIVE: _l("inhaltlich"),
        ReplyQuality.STANDARD: _l("Standardantwort"),
        ReplyQuality.ACKNOWLEDGEMENT: _l("nur Eingangsbestätigung"),
        ReplyQuality.REFUSAL: _l("Antwort verweigert"),
        ReplyQuality.AUTO_REPLY: _l("automatische Antwort"),
    },
    ReplyStance: {
        ReplyStance.UNCLEAR: _l("nicht eingeordnet"),
        ReplyStance.SUPPORTIVE: _l("stimmt zu"),
        ReplyStance.PARTLY: _l("stimmt teilweise zu"),
        ReplyStance.NEUTRAL: _l("unentschieden"),
        ReplyStance.OPPOSED: _l("lehnt ab"),
    },
    JobStatus: {
        JobStatus.QUEUED: _l("wartet"),
        JobStatus.RUNNING: _l("läuft"),
        JobStatus.DONE: _l("fertig"),
        JobStatus.FAILED: _l("fehlgeschlagen"),
    },
    SupporterLetterStatus: {
        SupporterLetterStatus.PENDING: _l("unbestätigt"),
        SupporterLetterStatus.HELD: _l("wartet auf Freigabe"),
        SupporterLetterStatus.TO_POST: _l("wird per Post verschickt"),
        SupporterLetterStatus.SENT: _l("verschickt"),
        SupporterLetterStatus.REJECTED: _l("nicht freigegeben"),
    },
    QuestionnaireAnswer: {
        QuestionnaireAnswer.ANSWERED: _l("Antwort auf das Anliegen"),
        QuestionnaireAnswer.NOT_ANSWERED: _l("Antwort, ohne auf das Anliegen einzugehen"),
        # Capitalised like the other answers: they are rows of the dashboard's table and options of the form.
        QuestionnaireAnswer.ACKNOWLEDGED: _l("Nur Eingangsbestätigung"),
        QuestionnaireAnswer.NO_REPLY: _l("Noch keine Antwort"),
    },
    AreaKind: {
        AreaKind.UNTERBEZIRK: _l("Unterbezirk"),
        AreaKind.KREIS: _l("Kreis"),
        AreaKind.WAHLKREIS: _l("Wahlkreis"),
        AreaKind.KOMMUNE: _l("Kommune"),
    },
    DatePrecision: {
        DatePrecision.DAY: _l("Tag"),
        DatePrecision.MONTH: _l("nur Monat"),
        DatePrecision.YEAR: _l("nur Jahr"),
    },
}


def label(value: enum.Enum | None) -> str:
    """The label of an enum member in the current locale (German outside a request; empty for None)."""
    if value is None:
        return ""
    return str(LABELS.get(type(value), {}).get(value, value.value))
