"""User accounts: creation with validated input, password hashing and authentication."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Role, User
from campaign.services.common.audit import record
from campaign.services.common.emails import normalise_email
from campaign.services.common.errors import ErrorCollector, ServiceError

MIN_PASSWORD_LENGTH = 12
HASH_SETTINGS = ("PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB", "PASSWORD_HASH_PARALLELISM")


@dataclass(frozen=True)
class NewUser:
    user: User
    # Set only when the password was generated: shown once, never stored in clear.
    generated_password: str | None


def parse_role(value: str) -> Role:
    """The Role for `value`, or a ServiceError listing the valid roles."""
    try:
        return Role(value.strip().lower())
    except ValueError as exc:
        valid = ", ".join(role.value for role in Role)
        raise ServiceError(
            _("Unbekannte Rolle „%(value)s“. Erlaubt sind: %(valid)s.", value=value, valid=valid)
        ) from exc


def _hasher() -> PasswordHasher:
    """The argon2 hasher with the app's cost settings (the production defaults outside an app)."""
    return _hasher_with(*(setting(name) for name in HASH_SETTINGS))


@functools.cache
def _hasher_with(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Verifying against this keeps the time for unknown e-mails equal to that for wrong passwords."""
    return hasher.hash("no-such-user-password")


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(
            _(
                "Das Passwort muss mindestens %(MIN_PASSWORD_LENGTH)s Zeichen lang sein.",
                MIN_PASSWORD_LENGTH=MIN_PASSWORD_LENGTH,
            )
        )


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def generate_password() -> str:
    """A random password of 20 URL-safe characters (shown once, never stored in clear)."""
    return secrets.token_urlsafe(15)


def check_new_user(session: Session, email: str, role: Role | str, *, name: str = "") -> None:
    """FieldErrors naming every wrong field of a new account, or nothing; writes nothing (for a form that has its
    own mistakes, so that one answer names all of them)."""
    _clean_new_user(session, email, role, name)


def _clean_new_user(session: Session, email: str, role: Role | str, name: str) -> tuple[str, Role, str]:
    found = ErrorCollector()
    address = found.check(_free_address, session, email, otherwise="")
    role = found.check(parse_role, role) if isinstance(role, str) else role
    name = " ".join((name or "").split())
    if len(name) > 200:
        found.add("name", _("Der Name darf höchstens 200 Zeichen lang sein."))
    found.raise_if_any()
    return address, role, name


def _free_address(session: Session, email: str) -> str:
    try:
        address = normalise_email(email).lower()
    except ServiceError as exc:
        raise ServiceError(str(exc), "email") from exc
    if find_user(session, address) is not None:
        raise ServiceError(_("Es gibt bereits ein Konto für %(address)s.", address=address), "email")
    return address


def create_user(
    session: Session,
    email: str,
    role: Role | str,
    *,
    password: str | None = None,
    name: str = "",
    by: User | None = None,
) -> NewUser:
    """Create an account; without a password one is generated and returned once."""
    address, role, name = _clean_new_user(session, email, role, name)
    generated = None
    if password is None:
        password = generated = generate_password()
    check_password_strength(password)
    user = User(email=address, name=name, role=role, password_hash=hash_password(password))
    session.add(user)
    record(session, "user.create", user, user=by, role=role.value)
    return NewUser(user, generated)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (same work either way)."""
    user = find_user(session, email or "")
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash if user else _dummy_hash(hasher), password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.flush()
    return user


def list_users(session: Session) -> list[User]:
    """Every account, by e-mail address."""
    return list(session.scalars(select(User).order_by(User.email)))


def users_by_id(session: Session, ids: set[int]) -> dict[int, User]:
    """The accounts with these ids, by id (for names beside records they created)."""
    if not ids:
        return {}
    return {user.id: user for user in session.scalars(select(User).where(User.id.in_(ids)))}


# ---- changes that end the account's sessions ----
# Every session cookie carries the user's session token (checked on each request), so replacing the token ends
# every session of the account at once, copies of the cookie included.


def end_sessions(session: Session, user: User) -> None:
    """Log the user out everywhere: every session cookie issued so far stops working."""
    user.session_token = secrets.token_urlsafe(32)
    session.flush()


def set_password(session: Session, user: User, password: str, *, by: User | None = None) -> None:
    """Give the account a new password (checked for strength) and end its sessions."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    record(session, "user.password", user, user=by)


def _other_active_admins(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
        )
        or 0
    )


def _keep_an_admin(session: Session, user: User, action: object) -> None:
    """Refuse to take away the last active admin: nobody could manage accounts any more."""
    if user.role is Role.ADMIN and user.active and not _other_active_admins(session, user):
        raise ServiceError(
            _(
                "%(email)s ist das letzte aktive Admin-Konto und kann nicht %(action)s werden.",
                email=user.email,
                action=action,
            )
        )


def set_role(session: Session, user: User, role: Role | str, *, by: User | None = None) -> None:
    """Give the account another role; its sessions end, so the new role applies from the next login."""
    role = parse_role(role) if isinstance(role, str) else role
    if role is user.role:
        return
    _keep_an_admin(session, user, _l("herabgestuft"))
    previous = user.role
    user.role = role
    end_sessions(session, user)
    record(session, "user.role", user, user=by, previous=previous.value, role=role.value)


def deactivate(session: Session, user: User, *, by: User | None = None) -> None:
    """Close the account: it can no longer log in, and its open sessions end."""
    if not user.active:
        return
    _keep_an_admin(session, user, _l("deaktiviert"))
    user.active = False
    end_sessions(session, user)
    record(session, "user.deactivate", user, user=by)


def reactivate(session: Session, user: User, *, by: User | None = None) -> None:
    """Open a closed account again (with its old password)."""
    if user.active:
        return
    user.active = True
    session.flush()
    record(session, "user.reactivate", user, user=by)


def reset_password(session: Session, user: User, *, by: User | None = None) -> str:
    """Give the account a generated password, returned once for the admin to pass on; its sessions end."""
    password = generate_password()
    user.password_hash = hash_password(password)
    end_sessions(session, user)
    record(session, "user.password.reset", user, user=by)
    return password


def change_own_password(session: Session, user: User, *, current: str, new: str, repeated: str) -> None:
    """A user's own new password: the current one must be right and the new one typed twice alike."""
    found = ErrorCollector()
    try:
        _hasher().verify(user.password_hash, current or "")
    except (VerificationError, InvalidHashError):
        found.add("current", _("Das bisherige Passwort ist falsch."))
    found.check(check_new_password, new, repeated)
    found.raise_if_any()
    set_password(session, user, new, by=user)


def check_new_password(new: str, repeated: str) -> None:
    """FieldErrors if the new password is too short or typed twice differently; writes nothing and leaves the
    current password alone (a form with its own mistakes is answered without trying it)."""
    found = ErrorCollector()
    if new != repeated:
        found.add("repeated", _("Die beiden neuen Passwörter stimmen nicht überein."))
    try:
        check_password_strength(new)
    except ServiceError as exc:
        found.add("new", str(exc))
    found.raise_if_any()
