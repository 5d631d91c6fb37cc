"""Users of focuslex: argon2-hashed passwords, roles, lock-out after failed logins.

`Users(store, settings.access)` is the one way in. `authenticate` checks a login (the app);
`acting_user` says who a command-line change is made by (the CLI runs as a named user,
without a password: whoever runs it already has the database in hand). Until the first
user exists the database is in set-up mode: the CLI acts as `SETUP_ACTOR`, the app lets no
one in, and the first user must be an admin.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pipeline.access.roles import PERMISSION_LABELS, Permission, Role, allows, parse_role
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import AccessSettings
from pipeline.store.access import UserRow
from pipeline.store.database import Base, Store

_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


@dataclass(frozen=True)
class Actor:
    """Who does something: a user's name (recorded as the author) and role."""
    name: str
    role: Role
    must_change_password: bool = False

    def may(self, permission: Permission) -> bool:
        return allows(self.role, permission)

    def require(self, permission: Permission) -> "Actor":
        """This actor, or FX-ACC-006 when the role lacks `permission`."""
        if not self.may(permission):
            raise FocuslexError("FX-ACC-006", user=self.name, role=self.role.value,
                                action=PERMISSION_LABELS[permission])
        return self


# The command line before any user exists (recorded as the author of its changes).
SETUP_ACTOR = Actor("lokaal", Role.ADMIN)


@dataclass(frozen=True)
class UserInfo:
    name: str
    role: Role
    must_change_password: bool
    locked_until: dt.datetime | None
    created_at: dt.datetime
    last_login_at: dt.datetime | None


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    # argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 0.1 s per
    # check here; the library default (64 MiB, 4 lanes) took 0.4 s on 2 shared cores.
    return PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against for unknown names, so they take as long as known ones."""
    return _hasher().hash(secrets.token_urlsafe(16))


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite returns naive datetimes; they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def normalise_name(name: str) -> str:
    """A user name as stored: trimmed and lower-case; FX-ACC-010 when it is not valid."""
    value = (name or "").strip().lower()
    if not _NAME.match(value):
        raise FocuslexError("FX-ACC-010", value=name)
    return value


def generate_password() -> str:
    """A one-time password (about 96 bits of randomness)."""
    return secrets.token_urlsafe(12)


class Users:
    """Users in the focuslex database."""

    def __init__(self, store: Store, settings: AccessSettings,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)
                 ) -> None:
        self.store = store
        self.settings = settings
        self._clock = clock
        Base.metadata.create_all(store.engine, tables=[UserRow.__table__])

    # reading -----------------------------------------------------------------------------
    def count(self) -> int:
        with self.store.session() as s:
            return s.scalar(select(func.count(UserRow.id))) or 0

    def list(self) -> list[UserInfo]:
        with self.store.session() as s:
            return [UserInfo(r.name, Role(r.role), r.must_change_password,
                             _utc(r.locked_until), _utc(r.created_at), _utc(r.last_login_at))
                    for r in s.scalars(select(UserRow).order_by(UserRow.name))]

    def find(self, name: str) -> Actor | None:
        with self.store.session() as s:
            row = self._row(s, name)
            return Actor(row.name, Role(row.role), row.must_change_password) if row else None

    def get(self, name: str) -> Actor:
        actor = self.find(name)
        if actor is None:
            raise FocuslexError("FX-ACC-003", user=name)
        return actor

    @staticmethod
    def _row(s: Session, name: str) -> UserRow | None:
        return s.scalar(select(UserRow).where(UserRow.name == (name or "").strip().lower()))

    def _must_get(self, s: Session, name: str) -> UserRow:
        row = self._row(s, name)
        if row is None:
            raise FocuslexError("FX-ACC-003", user=name)
        return row

    # changing ----------------------------------------------------------------------------
    def _hash(self, password: str) -> str:
        if len(password) < self.settings.min_password_length:
            raise FocuslexError("FX-ACC-008", length=len(password),
                                minimum=self.settings.min_password_length)
        return _hasher().hash(password)

    def add(self, name: str, role: Role | str, password: str, *, one_time: bool = False) -> Actor:
        """Add a user; the first user must be an admin. `one_time`: the password must be
        changed at the first login."""
        name, role = normalise_name(name), parse_role(role)
        hashed = self._hash(password)
        with self.store.session() as s:
            if self._row(s, name) is not None:
                raise FocuslexError("FX-ACC-004", user=name)
            if role is not Role.ADMIN and not s.scalar(select(func.count(UserRow.id))):
                raise FocuslexError("FX-ACC-016", role=role.value)
            s.add(UserRow(name=name, role=role.value, password_hash=hashed,
                          must_change_password=one_time, failed_logins=0,
                          created_at=self._clock()))
        return Actor(name, role, one_time)

    def _check_last_admin(self, s: Session, row: UserRow, what: str) -> None:
        if row.role != Role.ADMIN.value:
            return
        admins = s.scalar(select(func.count(UserRow.id)).where(
            UserRow.role == Role.ADMIN.value)) or 0
        if admins <= 1:
            raise FocuslexError("FX-ACC-009", user=row.name, what=what)

    def remove(self, name: str) -> None:
        with self.store.session() as s:
            row = self._must_get(s, name)
            self._check_last_admin(s, row, "verwijderd")
            s.delete(row)

    def set_role(self, name: str, role: Role | str) -> Actor:
        role = parse_role(role)
        with self.store.session() as s:
            row = self._must_get(s, name)
            if role is not Role.ADMIN:
                self._check_last_admin(s, row, "een andere rol krijgen")
            row.role = role.value
            return Actor(row.name, role, row.must_change_password)

    def set_password(self, name: str, password: str, *, one_time: bool = False) -> None:
        """Set a new password; also lifts a lock-out."""
        hashed = self._hash(password)
        with self.store.session() as s:
            row = self._must_get(s, name)
            if not one_time and self._matches(row.password_hash, password):
                raise FocuslexError("FX-ACC-015")
            row.password_hash = hashed
            row.must_change_password = one_time
            row.failed_logins = 0
            row.locked_until = None

    # logging in --------------------------------------------------------------------------
    @staticmethod
    def _matches(hashed: str, password: str) -> bool:
        try:
            return _hasher().verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def authenticate(self, name: str, password: str) -> Actor:
        """The user when name and password match; FX-ACC-001 when not (unknown names take
        as long), FX-ACC-002 while the account is locked after too many failures."""
        now = self._clock()
        with self.store.session() as s:
            row = self._row(s, name)
            if row is None:
                self._matches(_dummy_hash(), password)
                raise self._refused()
            locked = _utc(row.locked_until)
            if locked is not None and locked > now:
                raise FocuslexError("FX-ACC-002", user=row.name,
                                    until=locked.strftime("%H:%M UTC"))
            if not self._matches(row.password_hash, password):
                self._count_failure(s, row, now)
            else:
                if _hasher().check_needs_rehash(row.password_hash):
                    row.password_hash = _hasher().hash(password)
                row.failed_logins, row.locked_until, row.last_login_at = 0, None, now
                return Actor(row.name, Role(row.role), row.must_change_password)
        raise self._refused()

    def _count_failure(self, s: Session, row: UserRow, now: dt.datetime) -> None:
        s.execute(update(UserRow).where(UserRow.id == row.id)
                  .values(failed_logins=UserRow.failed_logins + 1))
        s.refresh(row)
        if row.failed_logins >= self.settings.max_failed_logins:
            row.locked_until = now + dt.timedelta(minutes=self.settings.lockout_minutes)
            row.failed_logins = 0

    def _refused(self) -> FocuslexError:
        return FocuslexError("FX-ACC-001", limit=self.settings.max_failed_logins,
                             minutes=self.settings.lockout_minutes)

    def change_own_password(self, name: str, old: str, new: str) -> Actor:
        """A user replaces their own password (the old one is checked like a login)."""
        self.authenticate(name, old)
        self.set_password(name, new)
        return self.get(name)


def acting_user(users: Users, name: str | None, permission: Permission) -> Actor:
    """Who a command-line change is made by: the named user, who must exist and have
    `permission` (FX-ACC-003/006); no name: FX-ACC-007. In set-up mode (no users yet) there
    is nothing to check: the change is made as the given name, else as `SETUP_ACTOR`."""
    if users.count() == 0:
        return Actor(normalise_name(name), Role.ADMIN) if name else SETUP_ACTOR
    if name:
        return users.get(name).require(permission)
    raise FocuslexError("FX-ACC-007")
