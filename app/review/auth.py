"""Users and sign-in. Passwords are hashed with Argon2id (argon2-cffi); never stored in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain import Role
from app.review import audit
from app.review.access import Action, Principal
from db.base import utcnow
from db.models.core import User
from db.models.review import SignInState
from db.session import write_session

_HASHER = PasswordHasher()
MIN_PASSWORD = 8


class SignInRefused(Exception):
    """A sign-in that did not succeed; the message is for the person at the keyboard."""


class UserError(Exception):
    """Bad input for a user change (duplicate login, weak password, unknown role)."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(f"unknown role {role!r}: use one of {', '.join(r.value for r in Role)}") from None


@dataclass(frozen=True)
class UserInfo:
    id: int
    login: str
    full_name: str
    role: str
    active: bool
    has_password: bool


def principal_of(u: User) -> Principal:
    return Principal(u.id, u.login, u.full_name, Role(u.role))


class AuthService:
    """Sign-in with lockout after ``max_failures`` wrong passwords for ``lockout_minutes``."""

    def __init__(self, sessions: sessionmaker[Session], max_failures: int = 5, lockout_minutes: int = 15):
        self.sessions = sessions
        self.max_failures = max_failures
        self.lockout = timedelta(minutes=lockout_minutes)

    # -- sign-in -------------------------------------------------------------------------
    def sign_in(self, login: str, password: str) -> Principal:
        login = login.strip()
        refused = "wrong login or password"
        with write_session(self.sessions) as s:
            u = s.scalar(select(User).where(User.login == login))
            if u is None:
                audit.record(s, None, audit.AuditAction.SIGN_IN_REFUSED, "user", "", {"reason": "unknown login"},
                             login=login[:64])
                raise_later = SignInRefused(refused)
            else:
                raise_later = self._check(s, u, password)
            if raise_later is None:
                return principal_of(u)
        raise raise_later

    def _check(self, s: Session, u: User, password: str) -> SignInRefused | None:
        st = s.get(SignInState, u.id)
        if st is None:
            st = SignInState(user_id=u.id, failures=0)
            s.add(st)
        now = utcnow()
        if not u.active:
            audit.record(s, None, audit.AuditAction.SIGN_IN_REFUSED, "user", u.id, {"reason": "disabled"},
                         login=u.login)
            return SignInRefused("this account is disabled; ask the clinic manager")
        if st.locked_until is not None and st.locked_until > now:
            mins = max(1, int((st.locked_until - now).total_seconds() // 60) + 1)
            audit.record(s, None, audit.AuditAction.SIGN_IN_REFUSED, "user", u.id, {"reason": "locked"},
                         login=u.login)
            return SignInRefused(f"too many wrong passwords: the account is locked for {mins} more minute(s)")
        if not verify_password(u.password_hash, password):
            st.failures = (st.failures or 0) + 1
            reason = "wrong password"
            if st.failures >= self.max_failures:
                st.locked_until = now + self.lockout
                st.failures = 0
                reason = "wrong password; locked"
            audit.record(s, None, audit.AuditAction.SIGN_IN_REFUSED, "user", u.id, {"reason": reason},
                         login=u.login)
            if st.locked_until is not None and st.locked_until > now:
                return SignInRefused("too many wrong passwords: the account is locked for "
                                     f"{int(self.lockout.total_seconds() // 60)} minutes")
            return SignInRefused("wrong login or password")
        st.failures = 0
        st.locked_until = None
        st.last_sign_in = now
        if _HASHER.check_needs_rehash(u.password_hash):
            u.password_hash = hash_password(password)
        audit.record(s, principal_of(u), audit.AuditAction.SIGN_IN, "user", u.id)
        return None


class UserService:
    """Users and roles. ``principal=None`` is the local operator at the command line
    (who already holds the database); in the program only a manager manages users."""

    def __init__(self, sessions: sessionmaker[Session]):
        self.sessions = sessions

    def _allowed(self, principal: Principal | None) -> None:
        if principal is not None:
            principal.require(Action.MANAGE_USERS)

    def add(self, principal: Principal | None, login: str, full_name: str, role: str, password: str) -> UserInfo:
        self._allowed(principal)
        login = login.strip()
        if not login:
            raise UserError("the login is empty")
        r = _role(role)
        _check_password(password)
        with write_session(self.sessions) as s:
            if s.scalar(select(User.id).where(User.login == login)) is not None:
                raise UserError(f"a user with login {login!r} already exists")
            u = User(login=login, full_name=full_name.strip() or login, role=r.value,
                     password_hash=hash_password(password), active=True)
            s.add(u)
            s.flush()
            audit.record(s, principal, audit.AuditAction.USER_CHANGE, "user", u.id, {"added": login, "role": r.value})
            return self._info(u)

    def set_password(self, principal: Principal | None, login: str, password: str) -> None:
        self._allowed(principal)
        _check_password(password)
        with write_session(self.sessions) as s:
            u = self._get(s, login)
            u.password_hash = hash_password(password)
            st = s.get(SignInState, u.id)
            if st is not None:
                st.failures, st.locked_until = 0, None
            audit.record(s, principal, audit.AuditAction.USER_CHANGE, "user", u.id, {"password": "changed"})

    def set_role(self, principal: Principal | None, login: str, role: str) -> None:
        self._allowed(principal)
        r = _role(role)
        with write_session(self.sessions) as s:
            u = self._get(s, login)
            audit.record(s, principal, audit.AuditAction.USER_CHANGE, "user", u.id, {"role": [u.role, r.value]})
            u.role = r.value

    def set_active(self, principal: Principal | None, login: str, active: bool) -> None:
        self._allowed(principal)
        with write_session(self.sessions) as s:
            u = self._get(s, login)
            u.active = active
            audit.record(s, principal, audit.AuditAction.USER_CHANGE, "user", u.id, {"active": active})

    def list(self, principal: Principal | None = None) -> list[UserInfo]:
        self._allowed(principal)
        with self.sessions() as s:
            return [self._info(u) for u in s.scalars(select(User).order_by(User.login))]

    def administrators(self) -> list[UserInfo]:
        """Names for filters (not secret: shown on every call)."""
        with self.sessions() as s:
            return [self._info(u) for u in s.scalars(select(User).order_by(User.full_name))]

    @staticmethod
    def _get(s: Session, login: str) -> User:
        u = s.scalar(select(User).where(User.login == login.strip()))
        if u is None:
            raise UserError(f"no user with login {login!r}")
        return u

    @staticmethod
    def _info(u: User) -> UserInfo:
        return UserInfo(u.id, u.login, u.full_name, u.role, bool(u.active), bool(u.password_hash))
