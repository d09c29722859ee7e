"""The mails of a supporter's letter: the confirmation request, the letter itself to the office, the questionnaire.

The mails to the writer are in the language of the pages they wrote on; the letter to the office is German.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.models import Letter, SupporterLetter
from campaign.services.sending.messages import OutgoingMail, clean_header_text, parse_mailbox
from campaign.services.sending.outbox import queue_mail

KIND_CONFIRMATION = "letter-confirmation"
KIND_LETTER = "supporter-letter"
KIND_QUESTIONNAIRE = "questionnaire"
KIND_REMINDER = "questionnaire-reminder"


def base_url(letter: SupporterLetter) -> str:
    return (setting("PUBLIC_URL") or letter.site_url or "").rstrip("/")


def letter_link(letter: SupporterLetter, path: str) -> str:
    return f"{base_url(letter)}/c/{letter.campaign.slug}/write/{path}"


def _tool_sender() -> tuple[str, str]:
    return parse_mailbox(setting("MAIL_FROM"))


def _to_supporter(letter: SupporterLetter, subject: str, text: str) -> OutgoingMail:
    name, address = _tool_sender()
    return OutgoingMail(
        to_address=letter.email,
        to_name=letter.writer_name,
        subject=subject,
        text=text,
        from_address=address,
        from_name=name,
        automated=True,
    )


def _withdraw_lines(letter: SupporterLetter, access_token: str) -> list[str]:
    return [
        "",
        _("Ihr Brief, sein Stand und der Widerruf Ihrer Einwilligung (dann löschen wir Ihre Angaben):"),
        letter_link(letter, f"letter/{access_token}"),
    ]


def queue_confirmation(session: Session, letter: SupporterLetter, confirm_token: str, access_token: str) -> None:
    """Ask the writer to confirm (double opt-in); nothing goes to the office before they do."""
    days = int(setting("UNCONFIRMED_SIGNATURE_DAYS"))
    recipient = letter.recipient.full_name if letter.recipient else ""
    with force_locale(letter.locale):
        text = "\n".join(
            [
                _("Hallo %(name)s,", name=letter.first_name),
                "",
                _(
                    "Sie haben einen Brief an %(recipient)s zur Kampagne „%(title)s“ geschrieben. Bitte bestätigen Sie "
                    "über diesen Link (er gilt %(days)s Tage), dass Sie ihn abschicken möchten:",
                    recipient=recipient,
                    title=letter.campaign.title,
                    days=days,
                ),
                "",
                letter_link(letter, f"confirm/{confirm_token}"),
                "",
                _(
                    "Auf der Seite klicken Sie auf „%(button)s“. Wenn Sie den Brief nicht geschrieben haben, tun Sie "
                    "nichts: Ihre Angaben werden dann nach Ablauf der Frist gelöscht.",
                    button=_("Brief bestätigen"),
                ),
                *_withdraw_lines(letter, access_token),
                "",
                _("Diese E-Mail wurde automatisch verschickt."),
            ]
        )
        subject = _("Bitte bestätigen: Ihr Brief an %(recipient)s", recipient=recipient)
    queue_mail(session, _to_supporter(letter, subject, text), kind=KIND_CONFIRMATION)


def office_mail(letter: SupporterLetter, record: Letter) -> OutgoingMail:
    """The letter to the office: from the tool's address in the writer's name, replies to the writer."""
    tool_name, tool_address = _tool_sender()
    writer = letter.writer_name
    footer = (
        f"\n\n--\n{writer} hat diesen Brief selbst geschrieben und über {tool_name or 'unser Werkzeug'} zur "
        f"Kampagne „{letter.campaign.title}“ verschickt. Ihre Antwort geht direkt an {writer}."
    )
    return OutgoingMail(
        to_address=record.recipient_email,
        to_name=record.recipient_name,
        subject=f"{clean_header_text(record.subject, 250)} [{record.reference_code}]",
        text=record.body_text + footer,
        html=f'<!doctype html>\n<html lang="de">\n<body>\n{record.body_html}\n</body>\n</html>\n',
        from_address=tool_address,
        from_name=f"{writer} (über {tool_name})" if tool_name else writer,
        reply_to=letter.email,
        reply_to_name=writer,
    )


def queue_office_mail(session: Session, letter: SupporterLetter, record: Letter) -> None:
    queue_mail(session, office_mail(letter, record), kind=KIND_LETTER, letter=record)


def queue_questionnaire(session: Session, letter: SupporterLetter, access_token: str, *, reminder: bool) -> None:
    """Ask whether the office answered (or, as the reminder, whether it has answered by now)."""
    with force_locale(letter.locale):  # sent by the worker, long after the request the writer's language came with
        recipient = letter.recipient.full_name if letter.recipient else _("die Empfänger:in")
        if reminder:
            opening = _(
                "vor einiger Zeit haben Sie gesagt, dass %(recipient)s noch nicht geantwortet hat. Ist inzwischen eine "
                "Antwort gekommen?",
                recipient=recipient,
            )
        else:
            opening = _(
                "Sie haben vor einiger Zeit einen Brief an %(recipient)s geschrieben (%(code)s). Haben Sie eine "
                "Antwort bekommen?",
                recipient=recipient,
                code=letter.reference_code,
            )
        text = "\n".join(
            [
                _("Hallo %(name)s,", name=letter.first_name),
                "",
                opening,
                "",
                _(
                    "Vier Antworten, ein Klick – hier können Sie es uns sagen und, wenn Sie möchten, die Antwort "
                    "einfügen:"
                ),
                "",
                letter_link(letter, f"answer/{access_token}"),
                "",
                _("Mit Ihrer Auskunft sehen wir, wer antwortet und wer nicht. Danke!"),
                *_withdraw_lines(letter, access_token),
                "",
                _("Diese E-Mail wurde automatisch verschickt."),
            ]
        )
        subject = _("Hat %(recipient)s geantwortet?", recipient=recipient)
    queue_mail(
        session,
        _to_supporter(letter, subject, text),
        kind=KIND_REMINDER if reminder else KIND_QUESTIONNAIRE,
    )
