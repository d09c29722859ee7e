"""Accounts: the admin's list with create, disable, role and password reset; every user's own password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from campaign.db import db
from campaign.models import Role, User
from campaign.services.accounts import users as service
from campaign.web.auth.forms import NewAccountForm, OwnPasswordForm, RoleForm
from campaign.web.boundary import errors_shown_on, on_error_back_to
from campaign.web.forms import ConfirmForm, validate_with_service
from campaign.web.security import STAFF, acting_user, role_required, start_session

bp = Blueprint("accounts", __name__)


def _list_page(form: NewAccountForm | None = None, *, shown_password: str = "", shown_for: str = "", status=200):
    return render_template(
        "auth/users.html",
        users=service.list_users(db.session),
        form=form or NewAccountForm(formdata=None),
        role_form=RoleForm(formdata=None),
        confirm=ConfirmForm(),
        me=acting_user(),
        shown_password=shown_password,
        shown_for=shown_for,
    ), status


@bp.get("/users")
@role_required(Role.ADMIN)
def index():
    return _list_page()


@bp.post("/users")
@role_required(Role.ADMIN)
def create():
    form = NewAccountForm()
    if validate_with_service(
        form,
        lambda: service.check_new_user(
            db.session, form.email.data or "", form.role.data or "", name=form.name.data or ""
        ),
    ):
        with errors_shown_on(form, default="email"):
            new = service.create_user(
                db.session, form.email.data, form.role.data, name=form.name.data or "", by=acting_user()
            )
            flash(_("Konto für %(email)s angelegt.", email=new.user.email), "success")
            # Shown once, on this response only: it is never stored in clear.
            return _list_page(shown_password=new.generated_password or "", shown_for=new.user.email)
    return _list_page(form, status=400)


def _account(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@bp.post("/users/<int:user_id>/role")
@role_required(Role.ADMIN)
@on_error_back_to(".index")
def change_role(user_id: int):
    account = _account(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    service.set_role(db.session, account, form.role.data, by=acting_user())
    flash(_("Rolle von %(email)s geändert.", email=account.email), "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/deactivate")
@role_required(Role.ADMIN)
@on_error_back_to(".index")
def deactivate(user_id: int):
    account = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.deactivate(db.session, account, by=acting_user())
    flash(_("Konto %(email)s deaktiviert; seine Sitzungen sind beendet.", email=account.email), "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/reactivate")
@role_required(Role.ADMIN)
@on_error_back_to(".index")
def reactivate(user_id: int):
    account = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.reactivate(db.session, account, by=acting_user())
    flash(_("Konto %(email)s wieder aktiv.", email=account.email), "success")
    return redirect(url_for(".index"))


@bp.post("/users/<int:user_id>/password")
@role_required(Role.ADMIN)
@on_error_back_to(".index")
def reset_password(user_id: int):
    account = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    password = service.reset_password(db.session, account, by=acting_user())
    flash(_("Neues Passwort für %(email)s erzeugt; alte Sitzungen sind beendet.", email=account.email), "success")
    return _list_page(shown_password=password, shown_for=account.email)


@bp.route("/password", methods=["GET", "POST"])
@role_required(*STAFF)
def own_password():
    form = OwnPasswordForm()
    if validate_with_service(form, lambda: service.check_new_password(form.new.data or "", form.repeated.data or "")):
        with errors_shown_on(form, default="new"):
            me = acting_user()
            service.change_own_password(
                db.session, me, current=form.current.data, new=form.new.data, repeated=form.repeated.data
            )
            start_session(me)  # the new password ended every session; this browser stays logged in
            flash(_("Ihr Passwort ist geändert. Andere Sitzungen sind beendet."), "success")
            return redirect(url_for("organise.overview.index"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200
