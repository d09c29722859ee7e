"""Forms of the sending screen: settings, schedule, letters on paper, and a corrected address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from campaign.web.forms import LocalDateField, with_parse_error
from campaign.web.organise.recipients.forms import MultiCheckboxField


class SendingSettingsForm(FlaskForm):
    require_second_approver = BooleanField(_l("Vier-Augen-Prinzip: eine zweite Person muss die Briefe freigeben"))
    attach_pdf = BooleanField(_l("Den Brief als PDF an die E-Mail anhängen"))


LocalDateTimeField = with_parse_error(DateTimeLocalField, _l("Bitte Datum und Uhrzeit angeben (JJJJ-MM-TT HH:MM)."))


class ScheduleForm(FlaskForm):
    send_at = LocalDateTimeField(
        _l("Frühester Versand (deutsche Zeit)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[Optional()],
    )


class DeliveredForm(FlaskForm):
    """Printed letters: posted on a date (all, or those ticked) or handed over in person (those ticked)."""

    how = HiddenField(validators=[AnyOf(["post", "in_person"], message=_l("Unbekannter Versandweg."))])
    on = LocalDateField(
        _l("Datum"), format="%Y-%m-%d", validators=[InputRequired(message=_l("Bitte ein Datum angeben."))]
    )
    letters = MultiCheckboxField(_l("Briefe"), validate_choice=False)


class AddressForm(FlaskForm):
    email = StringField(
        _l("Richtige E-Mail-Adresse"),
        validators=[DataRequired(message=_l("Bitte eine E-Mail-Adresse angeben.")), Length(max=254)],
    )
