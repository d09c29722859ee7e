"""Forms of the tracking screens: board filter, classification, logging, assignment, import, notes, follow-ups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional

from campaign.models import LetterStatus, ReplyChannel, ReplyKind, ReplyQuality, ReplyStance
from campaign.services.letters.templates import MAX_BODY_LENGTH, MAX_SUBJECT_LENGTH
from campaign.services.recipients.search import FilterChoices
from campaign.services.replies.attachments import ALLOWED_EXTENSIONS
from campaign.services.replies.board import NO_REPLY, BoardFilter
from campaign.services.replies.followups import MAX_DAYS, MIN_DAYS
from campaign.services.replies.records import Classification
from campaign.web.choices import enum_choices, member_choices
from campaign.web.forms import LocalDateField, with_parse_error
from campaign.web.organise.recipients.forms import MultiCheckboxField

BOARD_PARAMS = ("q", "list_id", "tag", "function", "region", "status", "reply", "stance", "due")
# A person's answer is classified by these; "automatische Antwort" belongs to the kind, not to a choice here.
QUALITIES = [quality for quality in ReplyQuality if quality is not ReplyQuality.AUTO_REPLY]
ANY = SelectChoice("", _l("alle"))


class BoardFilterForm(FlaskForm):
    """The GET form above the tracking board; nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Name oder Zeichen"))
    list_id = SelectField(_l("Liste"))
    tag = SelectField(_l("Schlagwort"))
    function = StringField(_l("Funktion enthält"))
    region = SelectField(_l("Region"), description=_l("Unterbezirk, Kreis, Wahlkreis oder Kommune"))
    status = SelectField(_l("Stand des Briefs"))
    reply = SelectField(_l("Antwort"))
    stance = SelectField(_l("Haltung"))
    due = BooleanField(_l("nur fällige Nachfassaktionen"))

    def set_choices(self, choices: FilterChoices) -> None:
        self.list_id.choices = [ANY, *(SelectChoice(str(item.id), item.name) for item in choices.lists)]
        self.tag.choices = [ANY, *(SelectChoice(tag) for tag in choices.tags)]
        regions = sorted({*choices.unterbezirke, *choices.kreise, *choices.wahlkreise, *choices.kommunen})
        self.region.choices = [ANY, *(SelectChoice(region) for region in regions)]
        self.status.choices = [ANY, *enum_choices(LetterStatus)]
        self.reply.choices = [ANY, SelectChoice(NO_REPLY, _l("keine Antwort")), *member_choices(QUALITIES)]
        self.stance.choices = [ANY, *enum_choices(ReplyStance)]

    def to_filter(self) -> BoardFilter:
        list_id = self.list_id.data or ""
        return BoardFilter(
            text=(self.q.data or "").strip()[:200],
            list_id=int(list_id) if list_id.isdigit() else None,
            tag=self.tag.data or "",
            function=(self.function.data or "").strip()[:200],
            region=self.region.data or "",
            status=LetterStatus(self.status.data) if self.status.data in set(LetterStatus) else None,
            reply=self.reply.data if self.reply.data in {NO_REPLY, *QUALITIES} else "",
            stance=ReplyStance(self.stance.data) if self.stance.data in set(ReplyStance) else None,
            due=bool(self.due.data),
        )


class ClassificationFields(FlaskForm):
    quality = SelectField(_l("Qualität"), choices=member_choices(QUALITIES))
    stance = SelectField(_l("Haltung zu unserem Anliegen"), choices=enum_choices(ReplyStance))
    commitments = TextAreaField(
        _l("Zusagen"),
        validators=[Length(max=5000)],
        description=_l("Was zugesagt wurde, z. B. „unterstützt Änderungsantrag 3“."),
    )
    publication_allowed = BooleanField(_l("Veröffentlichung erlaubt"))
    follow_up_on = DateField(
        _l("Nachfassen am"),
        validators=[Optional()],
        description=_l("Leer lassen, wenn nichts vereinbart ist."),
    )

    def classification(self, kind: ReplyKind | None = None) -> Classification:
        return Classification(
            quality=ReplyQuality(self.quality.data),
            stance=ReplyStance(self.stance.data),
            commitments=self.commitments.data or "",
            publication_allowed=bool(self.publication_allowed.data),
            follow_up_on=self.follow_up_on.data,
            kind=kind,
        )


class ClassifyForm(ClassificationFields):
    kind = SelectField(_l("Art"), choices=enum_choices(ReplyKind))


class LogReplyForm(ClassificationFields):
    channel = SelectField(_l("Weg"), choices=enum_choices(ReplyChannel), default=ReplyChannel.POST.value)
    received_on = LocalDateField(_l("Eingegangen am"), validators=[InputRequired(_l("Bitte ein Datum angeben."))])
    from_name = StringField(_l("Von (falls nicht die Person selbst)"), validators=[Length(max=200)])
    text = TextAreaField(
        _l("Text der Antwort"),
        validators=[Length(max=100_000)],
        description=_l("Abgeschrieben, zusammengefasst oder als Notiz zum Telefonat."),
        render_kw={"rows": 8},
    )
    attachments = MultipleFileField(
        _l("Dateien (Brief, Scan)"),
        description=_l("Erlaubt: %(types)s; höchstens 10 Dateien.", types=", ".join(ALLOWED_EXTENSIONS)),
    )


class LetterSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Brief suchen"), description=_l("Name, E-Mail-Adresse oder Zeichen (z. B. NRW-2026-0013)"))


class AssignForm(FlaskForm):
    letter_id = IntegerField(validators=[InputRequired()])
    learn_address = BooleanField(_l("Absenderadresse dieser Person zuordnen (künftige Mails von dort passen dann)"))


class ImportForm(FlaskForm):
    files = MultipleFileField(
        _l("E-Mail-Dateien (.eml) oder Postfächer (.mbox)"),
        validators=[FileRequired(_l("Bitte mindestens eine Datei wählen."))],
    )


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Notiz"), validators=[DataRequired(_l("Bitte einen Text eingeben.")), Length(max=5000)])


class FollowUpDaysForm(FlaskForm):
    days = IntegerField(
        _l("Nachfassen nach Tagen ohne Antwort"),
        # InputRequired, not DataRequired: 0 is a number, and its message is the range's, not „Bitte eine Zahl“.
        validators=[InputRequired(_l("Bitte eine Zahl angeben.")), NumberRange(min=MIN_DAYS, max=MAX_DAYS)],
    )


class FollowUpTemplateForm(FlaskForm):
    """The campaign's follow-up template: subject and body, checked in the sandbox when saved."""

    subject = StringField(
        _l("Betreff"), validators=[DataRequired(_l("Bitte einen Betreff angeben.")), Length(max=MAX_SUBJECT_LENGTH)]
    )
    body = TextAreaField(
        _l("Brieftext"),
        validators=[DataRequired(_l("Bitte einen Brieftext angeben.")), Length(max=MAX_BODY_LENGTH)],
        render_kw={"rows": 16, "spellcheck": "true"},
    )


# Ticked letters by id; anything that is no id is refused with a German message.
LetterChoiceField = with_parse_error(MultiCheckboxField, _l("Die Auswahl der Briefe ist ungültig."))


class FollowUpChoiceForm(FlaskForm):
    """Which due letters get a follow-up: the ticked ones, or all that are due (the button pressed says which)."""

    letters = LetterChoiceField(_l("Briefe"), coerce=int, validate_choice=False)
    scope = StringField(validators=[AnyOf(["all", "selected"], message=_l("Bitte eine der Schaltflächen wählen."))])
