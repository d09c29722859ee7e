"""Server-side template injection: which typed fields are templates at all, and attacks on the ones that are.

Only a letter template's subject and body are Jinja (in the sandbox). Every other text field of every form is
stored in a column that tests/security/world.py fills with Jinja, and the URL-map crawl checks that it stays text
in every page, download, mail and PDF. A new form field must be one of those, or be listed here with a reason.
The second half sends the known ways out of a Jinja sandbox through the template form: each is refused with a
German message naming the field, or, where it is harmless, renders without revealing anything.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField, TextAreaField
from wtforms.fields.core import UnboundField

import campaign.web
from campaign.db import db
from campaign.models import Role, TemplateVersion
from tests.factories import make_recipient
from tests.factories_letter_ui import make_target
from tests.factories_letters import make_letter_campaign
from tests.security.world import LIST_COLUMNS, poisoned_columns

# The only fields rendered as templates (sandboxed).
SANDBOXED = {
    "TemplateEditForm.subject",
    "TemplateEditForm.body",
    "TemplateCreateForm.subject",
    "TemplateCreateForm.body",
}
# Text fields whose value is no stored text shown to others, or is checked to a narrow format, and why.
NOT_STORED_AS_TEXT = {
    "RejectForm.reason": "goes to the audit log only (attacked there through audit_events)",
    "WriteForm.chosen": "argument ids, parsed as numbers",
    "WriteForm.consent_version": "must name an existing consent text",
    "WriteForm.email": "checked by email-validator",
    "WriteForm.recipient": "a recipient id, checked against those offered",
    "WriteForm.step": "one of the flow's fixed step names",
    "WriteForm.writer_postcode": "five digits, checked by the form",
    "LoginForm.email": "compared with the accounts, never shown back",
    "LoginForm.password": "a password, never shown",
    "NewAccountForm.email": "checked by email-validator",
    "OwnPasswordForm.current": "a password, never shown",
    "OwnPasswordForm.new": "a password, never shown",
    "OwnPasswordForm.repeated": "a password, never shown",
    "OrganisationForm.email": "checked by email-validator",
    "RecipientForm.email": "checked by email-validator",
    "AddressForm.email": "checked by email-validator",
    "SigningForm.email": "checked by email-validator",
    "SigningForm.consent_version": "must name an existing consent text",
    "CampaignForm.slug": "only a-z, 0-9 and hyphens",
    "DuplicateForm.slug": "only a-z, 0-9 and hyphens",
    "MotionForm.slug": "only a-z, 0-9 and hyphens",
    "MoveForm.direction": "one of two words",
    "StatusForm.status": "a state name, checked",
    "DeliveredForm.how": "one of two words",
    "FollowUpChoiceForm.scope": "one of two words (the button pressed)",
    "TemplateRuleForm.template_id": "a number",
    "ConsentForm.version": "attacked through the service (world.CONSENT_VERSION)",
    "SignatoryForm.role": "attacked through the service (world: a hostile signatory)",
    "RemoveForm.reason": "kept as the state change's note (state_changes.note is attacked)",
    "BulkAddForm.new_list": "becomes a list's name (recipient_lists.name is attacked)",
    "ImportUploadForm.list_name": "becomes a list's name (recipient_lists.name is attacked)",
    "AddTargetsForm.q": "a search, echoed back: the crawl sends markup in it",
    "RecipientFilterForm.q": "a search, echoed back: the crawl sends markup in it",
    "SignatureFilterForm.q": "a search, echoed back: the crawl sends markup in it",
    "BoardFilterForm.q": "a search, echoed back: the crawl sends markup in it",
    "LetterSearchForm.q": "a search, echoed back: the crawl sends markup in it",
}


def _forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(campaign.web.__path__, "campaign.web."):
        importlib.import_module(module.name)
    found, todo = set(), [FlaskForm]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.add(subclass)
            todo.append(subclass)
    return sorted(found, key=lambda form: form.__name__)


def _text_fields() -> list[str]:
    return [
        f"{form.__name__}.{name}"
        for form in _forms()
        for name in dir(form)
        if isinstance(field := getattr(form, name), UnboundField)
        and issubclass(field.field_class, (StringField, TextAreaField))
    ]


def test_every_typed_text_field_is_a_sandboxed_template_or_attacked_as_text():
    attacked = {column.name for _, column in poisoned_columns()} | {column for _, column in LIST_COLUMNS}
    fields = _text_fields()
    assert len(fields) > 60
    unaccounted = [
        field
        for field in fields
        if field not in SANDBOXED and field not in NOT_STORED_AS_TEXT and field.split(".")[1] not in attacked
    ]
    assert unaccounted == [], "add the field's column to the world, or list it with a reason"
    assert set(NOT_STORED_AS_TEXT) <= set(fields), "NOT_STORED_AS_TEXT names fields that no longer exist"


# Ways out of a Jinja sandbox (and into the host's files, settings or objects).
ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''|attr('__class__') }}",
    "{{ recipient|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ recipient.__dict__ }}",
    "{{ recipient._sa_instance_state }}",
    "{{ config.items() }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ request.application.__globals__ }}",
    "{{ url_for.__globals__['current_app'].config }}",
    "{{ get_flashed_messages.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% include 'errors/error.html' %}",
    "{% import 'layout/base.html' as base %}",
    "{% extends 'layout/base.html' %}",
    "{% from 'layout/base.html' import x %}",
    "{% macro m() %}{% endmacro %}{{ m.__globals__ }}",
    "{% set x = salutation.__class__ %}{{ x }}",
    "{{ salutation.format(recipient) }}",
    "{{ '{0.__class__}'.format(recipient) }}",
    "{{ '%s'|format(recipient.__class__) }}",
    "{{ arguments.__class__.__base__ }}",
    "{% debug %}",
    "{{ range.__self__ }}",
    "{{ dict(a=1).items().__class__ }}",
]
LEAKS = ("<class", "subclasses", "test-secret-key", "SECRET", "root:", "uid=", "__globals__", "object at 0x", "os.")


@pytest.fixture
def template(app, client, login):
    login(Role.ORGANISER)
    with app.app_context():
        campaign, version, _people = make_letter_campaign(db.session)
        make_target(db.session, campaign, make_recipient(db.session))
        db.session.commit()
        return version.template_id, campaign.slug


def _versions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(select(TemplateVersion.subject, TemplateVersion.body))]


@pytest.mark.parametrize("where", ["body", "subject"])
@pytest.mark.parametrize("attack", ESCAPES)
def test_a_way_out_of_the_sandbox_is_refused_or_reveals_nothing(app, client, template, where, attack):
    template_id, slug = template
    before = _versions(app)
    fields = {"name": "Vorlage", "subject": "Ihr Antrag", "body": "{{ anrede }},\n\nText."}
    fields[where] = attack if where == "body" else attack.replace("\n", " ")
    response = client.post(f"/organise/templates/{template_id}", data=fields)
    page = response.get_data(as_text=True)
    if response.status_code == 400:
        assert ("Brieftext" if where == "body" else "Betreff") in page
        assert _versions(app) == before
        return
    assert response.status_code == 302, page[:500]
    shown = "".join(
        client.get(url).get_data(as_text=True)
        for url in (f"/organise/campaigns/{slug}/preview", f"/organise/campaigns/{slug}/letter.txt")
    )
    assert [leak for leak in LEAKS if leak in shown] == []


def test_the_attacks_reach_the_form(app, client, template):
    # Not refused for another reason (a missing field, say): a harmless template with the same fields is saved.
    template_id, _slug = template
    fields = {"name": "Vorlage", "subject": "Ihr Antrag", "body": "{{ anrede }},\n\nText."}
    assert client.post(f"/organise/templates/{template_id}", data=fields).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(TemplateVersion.id))) >= 1
