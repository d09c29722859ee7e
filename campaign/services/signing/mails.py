"""The mails a supporter gets: the confirmation request, with the withdrawal link as in every mail to them.

In the language of the page the person signed on (the request's); German outside a request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.models import Campaign
from campaign.services.common.dates import long_date
from campaign.services.sending.messages import OutgoingMail, parse_mailbox
from campaign.services.sending.outbox import insert_mail

KIND_CONFIRMATION = "signature-confirmation"


@dataclass(frozen=True)
class Links:
    """The supporter's two links: confirm (expires) and withdraw."""

    confirm: str
    withdraw: str


def links_for(slug: str, confirm_token: str, withdraw_token: str, base_url: str) -> Links:
    """The confirm and withdraw URLs with these tokens (see services.signing.tokens)."""
    base = f"{base_url.rstrip('/')}/c/{slug}"
    return Links(confirm=f"{base}/confirm/{confirm_token}", withdraw=f"{base}/withdraw/{withdraw_token}")


def confirmation_text(campaign: Campaign, first_name: str, links: Links, days: int) -> str:
    """The request's text in the language of the page the person signed on."""
    greeting = _("Hallo %(name)s,", name=first_name) if first_name else _("Guten Tag,")
    if campaign.deadline:
        request = _(
            "Sie möchten den offenen Brief „%(title)s“ mitzeichnen (das geht bis zum %(deadline)s). Bitte bestätigen "
            "Sie das über diesen Link (er gilt %(days)s Tage); erst dann zählt Ihre Stimme:",
            title=campaign.title,
            days=days,
            deadline=long_date(campaign.deadline),
        )
    else:
        request = _(
            "Sie möchten den offenen Brief „%(title)s“ mitzeichnen. Bitte bestätigen Sie das über diesen Link (er "
            "gilt %(days)s Tage); erst dann zählt Ihre Stimme:",
            title=campaign.title,
            days=days,
        )
    return "\n".join(
        [
            greeting,
            "",
            request,
            "",
            links.confirm,
            "",
            _(
                "Auf der Seite klicken Sie auf „%(button)s“. Wenn Sie nicht mitzeichnen wollten, tun Sie nichts: Ihre "
                "Angaben werden dann nach Ablauf der Frist gelöscht.",
                button=_("Mitzeichnung bestätigen"),
            ),
            "",
            _("Widerrufen können Sie Ihre Mitzeichnung jederzeit hier:"),
            links.withdraw,
            "",
            _("Diese E-Mail wurde automatisch verschickt."),
        ]
    )


def confirmation_mail(campaign: Campaign, *, to_address: str, first_name: str, links: Links) -> OutgoingMail:
    """The confirmation request to `to_address` (`campaign` needs slug, title and deadline), in the page's language."""
    days = int(setting("UNCONFIRMED_SIGNATURE_DAYS"))
    from_name, from_address = parse_mailbox(setting("MAIL_FROM"))
    return OutgoingMail(
        to_address=to_address,
        to_name=first_name,
        subject=_("Bitte bestätigen: Ihre Mitzeichnung „%(title)s“", title=campaign.title),
        text=confirmation_text(campaign, first_name, links, days),
        from_address=from_address,
        from_name=from_name,
        automated=True,
    )


def queue_confirmation(
    session: Session, signature_id: int, campaign: Campaign, *, to_address: str, first_name: str, links: Links
) -> None:
    """Put the confirmation request into the outbox, in the caller's transaction."""
    mail = confirmation_mail(campaign, to_address=to_address, first_name=first_name, links=links)
    insert_mail(session, mail, kind=KIND_CONFIRMATION, signature_id=signature_id)
