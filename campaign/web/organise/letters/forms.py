"""Forms of the letter screens: template editor, argument selection and rules."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from campaign.models import Argument
from campaign.services.letters.templates import MAX_BODY_LENGTH, MAX_NAME_LENGTH, MAX_SUBJECT_LENGTH

# Shown in a new template, so the author starts from a working letter rather than an empty box (with the German
# field names; the closing is the layout's).
STARTER_BODY = (
    "{{ anrede }},\n"
    "\n"
    "wir wenden uns an Sie wegen des Antrags „{{ antrag.titel }}“.\n"
    "\n"
    "{% for argument in argumente %}{{ argument.absatz }}\n"
    "\n"
    "{% endfor %}"
    "{% if frist %}Über eine Antwort bis zum {{ frist }} würden wir uns sehr freuen.{% endif %}\n"
)


def _name_field() -> StringField:
    return StringField(
        _l("Name der Vorlage"),
        validators=[DataRequired(_l("Bitte einen Namen für die Vorlage angeben.")), Length(max=MAX_NAME_LENGTH)],
    )


def _subject_field() -> StringField:
    return StringField(
        _l("Betreff"), validators=[DataRequired(_l("Bitte einen Betreff angeben.")), Length(max=MAX_SUBJECT_LENGTH)]
    )


def _body_field() -> TextAreaField:
    return TextAreaField(
        _l("Brieftext"),
        validators=[DataRequired(_l("Bitte einen Brieftext angeben.")), Length(max=MAX_BODY_LENGTH)],
        render_kw={"rows": 24, "spellcheck": "true"},
    )


class TemplateCreateForm(FlaskForm):
    name = _name_field()
    subject = _subject_field()
    body = _body_field()


class TemplateEditForm(FlaskForm):
    name = _name_field()
    subject = _subject_field()
    body = _body_field()


class RuleForm(FlaskForm):
    recipient_tag = StringField(
        _l("Empfänger:innen mit dem Schlagwort"),
        validators=[DataRequired(_l("Bitte ein Schlagwort der Empfänger:innen angeben.")), Length(max=80)],
    )
    argument_tag = SelectField(
        _l("bekommen die Argumente mit dem Schlagwort"),
        choices=[],
        # The service checks the tag against the campaign's arguments, with a German message.
        validate_choice=False,
        validators=[DataRequired(_l("Bitte ein Schlagwort der Argumente wählen."))],
    )


def argument_tag_choices(tags: Sequence[str]) -> list[SelectChoice]:
    """The choices of RuleForm.argument_tag: a prompt, then the tags the campaign's arguments carry."""
    return [SelectChoice("", _l("– Schlagwort wählen –")), *(SelectChoice(tag, tag) for tag in tags)]


class ArgumentChoiceForm(FlaskForm):
    """Base of the per-campaign form built by `argument_choice_form`: one checkbox and one place per argument."""

    argument_fields: Sequence[tuple[Argument, str, str]] = ()

    def chosen(self) -> tuple[list[int], dict[int, int | None]]:
        """The ticked argument ids and the places typed in for them."""
        ids, positions = [], {}
        for argument, chosen_name, position_name in self.argument_fields:
            if self[chosen_name].data:
                ids.append(argument.id)
                positions[argument.id] = self[position_name].data
        return ids, positions


def argument_choice_form(arguments: Sequence[Argument], chosen_ids: Sequence[int] | None) -> ArgumentChoiceForm:
    """A form with a checkbox „chosen_<id>“ and a number field „position_<id>“ for each argument of the set.

    Prefilled with `chosen_ids` (the current choice) for display; pass None to read a submission, so that an
    emptied position field stays empty instead of falling back to the prefilled place.
    """

    class Form(ArgumentChoiceForm):
        pass

    fields = []
    for argument in arguments:
        chosen_name, position_name = f"chosen_{argument.id}", f"position_{argument.id}"
        setattr(Form, chosen_name, BooleanField(argument.claim))
        setattr(
            Form,
            position_name,
            IntegerField(
                _l("Position"),
                validators=[Optional(), NumberRange(min=1, max=999, message=_l("Bitte eine Zahl von 1 bis 999."))],
            ),
        )
        fields.append((argument, chosen_name, position_name))
    Form.argument_fields = tuple(fields)
    if chosen_ids is None:
        return Form()
    places = {argument_id: index + 1 for index, argument_id in enumerate(chosen_ids)}
    data = {}
    for argument, chosen_name, position_name in fields:
        data[chosen_name] = argument.id in places
        data[position_name] = places.get(argument.id)
    return Form(data=data)
