"""Typed SQLAlchemy models, one module per aggregate; importing this registers them all."""

from campaign.models.arguments import Argument, ArgumentSet, Citation, argument_provisions
from campaign.models.audit import AuditEvent, StateChange
from campaign.models.campaigns import (
    ArgumentRule,
    Campaign,
    CampaignArgument,
    CampaignChannels,
    CampaignStatus,
    LetterTemplate,
    TemplateVersion,
)
from campaign.models.dashboard import SignatureDay, SignatureDayState
from campaign.models.jobs import Job, JobStatus, WorkerHeartbeat
from campaign.models.letters import Letter, LetterKind, LetterStatus, ReferenceCounter
from campaign.models.motions import Motion, MotionKind, MotionStatus, Provision, Stance
from campaign.models.organisations import Organisation
from campaign.models.outbox import OutboxMessage, OutboxStatus
from campaign.models.recipients import (
    Channel,
    FormOfAddress,
    Recipient,
    RecipientList,
    Target,
    recipient_list_members,
)
from campaign.models.replies import (
    LOGGED_BY_HAND,
    MailboxState,
    RecipientAddress,
    Reply,
    ReplyAttachment,
    ReplyChannel,
    ReplyKind,
    ReplyQuality,
    ReplyStance,
    TrackingNote,
)
from campaign.models.sending import CampaignSending
from campaign.models.servers import ServerState
from campaign.models.sources import DatePrecision, Source, SourceKind, SourceQuote
from campaign.models.supporter_letters import (
    AreaKind,
    OpenRecipient,
    PostcodeArea,
    QuestionnaireAnswer,
    SupporterLetter,
    SupporterLetterStatus,
    WritingSettings,
)
from campaign.models.supporters import (
    ConsentText,
    HandoverList,
    Listing,
    Signature,
    SignatureCount,
    SignatureStatus,
    Supporter,
)
from campaign.models.users import Role, User

__all__ = [
    "LOGGED_BY_HAND",
    "AreaKind",
    "Argument",
    "ArgumentRule",
    "ArgumentSet",
    "AuditEvent",
    "Campaign",
    "CampaignArgument",
    "CampaignChannels",
    "CampaignSending",
    "CampaignStatus",
    "Channel",
    "Citation",
    "ConsentText",
    "DatePrecision",
    "FormOfAddress",
    "HandoverList",
    "Job",
    "JobStatus",
    "Letter",
    "LetterKind",
    "LetterStatus",
    "LetterTemplate",
    "Listing",
    "MailboxState",
    "Motion",
    "MotionKind",
    "MotionStatus",
    "OpenRecipient",
    "Organisation",
    "OutboxMessage",
    "OutboxStatus",
    "PostcodeArea",
    "Provision",
    "QuestionnaireAnswer",
    "Recipient",
    "RecipientAddress",
    "RecipientList",
    "ReferenceCounter",
    "Reply",
    "ReplyAttachment",
    "ReplyChannel",
    "ReplyKind",
    "ReplyQuality",
    "ReplyStance",
    "Role",
    "ServerState",
    "Signature",
    "SignatureCount",
    "SignatureDay",
    "SignatureDayState",
    "SignatureStatus",
    "Source",
    "SourceKind",
    "SourceQuote",
    "Stance",
    "StateChange",
    "Supporter",
    "SupporterLetter",
    "SupporterLetterStatus",
    "Target",
    "TemplateVersion",
    "TrackingNote",
    "User",
    "WorkerHeartbeat",
    "WritingSettings",
    "argument_provisions",
    "recipient_list_members",
]
