"""Forms of the login and account pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from campaign.models import Role
from campaign.services.common.labels import LABELS

ROLE_LABELS = LABELS[Role]


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"), validators=[DataRequired(_l("Bitte die E-Mail-Adresse angeben.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Passwort"), validators=[DataRequired(_l("Bitte das Passwort angeben.")), Length(max=1000)]
    )


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST so other sites cannot log users out."""


ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class NewAccountForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"), validators=[DataRequired(_l("Bitte die E-Mail-Adresse angeben.")), Length(max=254)]
    )
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default=Role.ORGANISER.value)


class RoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)


class OwnPasswordForm(FlaskForm):
    current = PasswordField(
        _l("Bisheriges Passwort"),
        validators=[DataRequired(_l("Bitte das bisherige Passwort angeben.")), Length(max=1000)],
    )
    new = PasswordField(
        _l("Neues Passwort"), validators=[DataRequired(_l("Bitte ein neues Passwort angeben.")), Length(max=1000)]
    )
    repeated = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[DataRequired(_l("Bitte das neue Passwort wiederholen.")), Length(max=1000)],
    )
