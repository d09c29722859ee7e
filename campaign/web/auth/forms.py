"""Forms of the login pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-Mail-Adresse"), validators=[DataRequired(_l("Bitte die E-Mail-Adresse angeben.")), Length(max=254)]
    )
    password = PasswordField(
        _l("Passwort"), validators=[DataRequired(_l("Bitte das Passwort angeben.")), Length(max=1000)]
    )


class LogoutForm(FlaskForm):
    """Only the CSRF token: logging out is a POST so other sites cannot log users out."""
