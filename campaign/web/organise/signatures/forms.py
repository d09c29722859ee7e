"""Forms of the signature screens: the filter, removal as spam, the handover download, a new consent version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from campaign.models import SignatureStatus
from campaign.services.common.labels import label
from campaign.services.signing.admin import SignatureFilter
from campaign.services.signing.handover import FORMATS


class SignatureFilterForm(FlaskForm):
    """The GET form above the list; nothing is changed, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Suche"), description=_l("Name, E-Mail, Ort, PLZ oder Organisation"))
    status = SelectField(_l("Status"))

    def set_choices(self) -> None:
        self.status.choices = [
            SelectChoice("", _l("alle")),
            *(SelectChoice(status.value, label(status)) for status in SignatureStatus),
        ]

    def to_filter(self) -> SignatureFilter:
        status = self.status.data if self.status.data in {s.value for s in SignatureStatus} else None
        return SignatureFilter(query=(self.q.data or "").strip(), status=SignatureStatus(status) if status else None)


class RemoveForm(FlaskForm):
    reason = StringField(
        _l("Grund"),
        validators=[DataRequired(_l("Bitte einen Grund angeben.")), Length(max=300)],
        description=_l("Steht im Protokoll, etwa „Spam: Fantasiename“."),
    )


class HandoverForm(FlaskForm):
    format = SelectField(_l("Format"), choices=[SelectChoice(fmt, fmt.upper()) for fmt in FORMATS], default="pdf")


class ConsentForm(FlaskForm):
    version = StringField(_l("Version"), validators=[DataRequired(_l("Bitte eine Version angeben.")), Length(max=40)])
    text = TextAreaField(
        _l("Text der Einwilligung"), validators=[DataRequired(_l("Bitte den Text angeben.")), Length(max=5000)]
    )
