"""Forms of the write-your-own-letter flow: one form whose steps each use their fields, and the answer form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from campaign.models import QuestionnaireAnswer
from campaign.services.writing.compose import MAX_OWN_TEXT
from campaign.services.writing.letters import LIMITS
from campaign.services.writing.questionnaire import MAX_REPLY_TEXT
from campaign.web.public.supporter_fields import max_length, supporter_fields

STEPS = ("postcode", "recipients", "arguments", "paragraph", "preview", "submit")
DELIVERY_CHOICES = [
    SelectChoice("email", _l("Per E-Mail: Das Werkzeug schickt ihn in Ihrem Namen, Antworten gehen an Sie.")),
    SelectChoice("post", _l("Per Post: Ich drucke ihn aus und schicke ihn selbst.")),
]
ANSWER_CHOICES = [
    SelectChoice(QuestionnaireAnswer.ANSWERED.value, _l("Ja, mit einer Antwort auf mein Anliegen")),
    SelectChoice(QuestionnaireAnswer.NOT_ANSWERED.value, _l("Ja, aber ohne auf mein Anliegen einzugehen")),
    SelectChoice(QuestionnaireAnswer.ACKNOWLEDGED.value, _l("Nur eine Eingangsbestätigung")),
    SelectChoice(QuestionnaireAnswer.NO_REPLY.value, _l("Noch keine Antwort")),
]


class WriteForm(
    supporter_fields(
        LIMITS,
        email_hint=_l("Für die Bestätigung, für Antworten des Büros und für eine kurze Nachfrage später."),
        consent_refused=_l("Ohne Ihre Einwilligung können wir den Brief nicht verschicken."),
        postcode="writer_postcode",
    ),
    FlaskForm,
):
    """Every field of the flow, the supporter's details among them; earlier steps travel along as hidden fields."""

    step = HiddenField()
    postcode = StringField(
        _l("Ihre Postleitzahl"),
        validators=[Optional(), Length(max=10)],
        description=_l("Wir suchen damit die Empfänger:innen, die für Ihren Wohnort zuständig sind."),
    )
    recipient = HiddenField()
    chosen = HiddenField()
    own_text = TextAreaField(
        _l("Ihr eigener Absatz"),
        validators=[Optional(), max_length(MAX_OWN_TEXT)],
        description=_l(
            "Warum ist Ihnen das wichtig? Was erleben Sie vor Ort? "
            "Persönliche Worte wirken stärker als jeder Textbaustein."
        ),
    )
    street = StringField(
        _l("Straße und Hausnummer"),
        validators=[DataRequired(_l("Bitte Straße und Hausnummer angeben.")), max_length(LIMITS["street"])],
        description=_l("Steht unter Ihrem Brief: Abgeordnetenbüros nehmen Briefe mit Anschrift ernster."),
    )
    delivery = RadioField(
        _l("Wie soll der Brief ankommen?"),
        choices=DELIVERY_CHOICES,
        default="email",
        validators=[InputRequired(_l("Bitte wählen Sie, wie der Brief verschickt wird."))],
    )

    DETAILS = ("first_name", "last_name", "email", "street", "writer_postcode", "city", "delivery", "consent")


class ConfirmLetterForm(FlaskForm):
    """The one button on the confirm and "posted" pages (only the POST changes something)."""


class AnswerForm(FlaskForm):
    answer = RadioField(
        _l("Hat die Person geantwortet?"),
        choices=ANSWER_CHOICES,
        validators=[InputRequired(_l("Bitte wählen Sie eine der vier Antworten."))],
    )
    text = TextAreaField(
        _l("Text der Antwort (freiwillig)"),
        validators=[Optional(), max_length(MAX_REPLY_TEXT)],
        description=_l("Fügen Sie die Antwort hier ein, wenn Sie sie mit uns teilen möchten."),
    )
