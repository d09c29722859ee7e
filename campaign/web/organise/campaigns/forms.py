"""Forms of the campaign screens: settings, status change, duplicate, and choosing targets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from campaign.models import CampaignChannels, CampaignStatus
from campaign.services.campaigns.editing import GOAL_MAX, SLUG_MAX, SUMMARY_MAX, TITLE_MAX, check_slug
from campaign.web.choices import enum_choices
from campaign.web.forms import service_check
from campaign.web.organise.recipients.forms import RecipientFilterForm

NONE = SelectChoice("", _l("– keine Angabe –"))


def _id_or_none(value: object) -> int | None:
    """A select's value as an id ("" and junk mean none; the service checks that the id exists)."""
    return int(value) if isinstance(value, str) and value.isdigit() else (value if isinstance(value, int) else None)


class CampaignForm(FlaskForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(max=TITLE_MAX)])
    slug = StringField(
        _l("Kurzadresse"),
        # The service's check here too, so a bad slug is named together with the form's other mistakes.
        validators=[Optional(), Length(max=SLUG_MAX), service_check(check_slug)],
        description=_l("Teil der Adresse /c/…; leer lassen, dann wird sie aus dem Titel gebildet."),
    )
    summary = TextAreaField(_l("Zusammenfassung"), validators=[Length(max=SUMMARY_MAX)])
    motion_id = SelectField(_l("Antrag"), choices=[], coerce=_id_or_none, validate_choice=False)
    argument_set_id = SelectField(_l("Argumentationsset"), choices=[], coerce=_id_or_none, validate_choice=False)
    organisation_id = SelectField(_l("Absender-Organisation"), choices=[], coerce=_id_or_none, validate_choice=False)
    deadline = DateField(_l("Frist"), validators=[Optional()])
    goal_signatures = IntegerField(
        _l("Ziel: Zahl der Unterschriften"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=GOAL_MAX, message=_l("Bitte eine Zahl ab 0 angeben."))],
    )
    open_letter = BooleanField(_l("Offener Brief: Unterstützer:innen können mitzeichnen"))
    public_responses = BooleanField(_l("Antworten öffentlich zeigen"))
    channels = SelectField(
        _l("Versandweg"), choices=enum_choices(CampaignChannels), default=CampaignChannels.POST.value
    )

    def fill_choices(self, motions, argument_sets, organisations) -> None:
        """The options of the three selects, each with „none“ first."""
        self.motion_id.choices = [NONE, *(SelectChoice(m.id, m.title) for m in motions)]
        self.argument_set_id.choices = [NONE, *(SelectChoice(s.id, s.title) for s in argument_sets)]
        self.organisation_id.choices = [NONE, *(SelectChoice(o.id, o.name) for o in organisations)]


class StatusForm(FlaskForm):
    status = HiddenField(
        validators=[AnyOf([status.value for status in CampaignStatus], message=_l("Unbekannter Status."))]
    )


class DuplicateForm(FlaskForm):
    title = StringField(
        _l("Titel der Kopie"), validators=[DataRequired(_l("Bitte einen Titel angeben.")), Length(max=TITLE_MAX)]
    )
    slug = StringField(_l("Kurzadresse der Kopie"), validators=[Length(max=SLUG_MAX)])


class AddTargetsForm(RecipientFilterForm):
    """Add every recipient the recipients page's filters match (a list, a tag, regions, addresses, text): the same
    form, sent as a POST with its CSRF token."""

    class Meta:
        csrf = FlaskForm.Meta.csrf  # Flask-WTF's default again (WTF_CSRF_ENABLED), which the GET form turns off


class AddOneForm(FlaskForm):
    recipient_id = SelectField(_l("Empfänger:in"), choices=[], coerce=_id_or_none, validate_choice=False)


class TargetTemplateForm(FlaskForm):
    template_id = SelectField(_l("Vorlage"), choices=[], coerce=_id_or_none, validate_choice=False)


class TemplateRuleForm(FlaskForm):
    template_id = HiddenField()
    recipient_tag = StringField(_l("Schlagwort der Empfänger:innen"), validators=[Length(max=80)])
