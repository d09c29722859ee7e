"""User accounts: creation with validated input, password hashing and authentication."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign.config import setting
from campaign.db import utcnow
from campaign.models import Role, User
from campaign.services.common.audit import record
from campaign.services.common.emails import normalise_email
from campaign.services.common.errors import ServiceError

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
        raise ServiceError(f"Unbekannte Rolle „{value}“. Erlaubt sind: {valid}.") from exc


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
        raise ServiceError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(
    session: Session, email: str, role: Role | str, *, password: str | None = None, name: str = ""
) -> NewUser:
    """Create an account; without a password one is generated and returned once."""
    address = normalise_email(email).lower()
    role = parse_role(role) if isinstance(role, str) else role
    if find_user(session, address) is not None:
        raise ServiceError(f"Es gibt bereits ein Konto für {address}.")
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(15)
    check_password_strength(password)
    user = User(email=address, name=name, role=role, password_hash=hash_password(password))
    session.add(user)
    record(session, "user.create", user, role=role.value)
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


def set_role(session: Session, user: User, role: Role | str, *, by: User | None = None) -> None:
    """Give the account another role; its sessions end, so the new role applies from the next login."""
    role = parse_role(role) if isinstance(role, str) else role
    previous = user.role
    user.role = role
    end_sessions(session, user)
    record(session, "user.role", user, user=by, previous=previous.value, role=role.value)


def deactivate(session: Session, user: User, *, by: User | None = None) -> None:
    """Close the account: it can no longer log in, and its open sessions end."""
    user.active = False
    end_sessions(session, user)
    record(session, "user.deactivate", user, user=by)
