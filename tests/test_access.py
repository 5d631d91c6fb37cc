"""Users, roles and sessions (pipeline/access): argon2 hashes, lock-out, the last admin,
set-up mode, the role -> permission table and the session timeout."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import select

from pipeline.access.roles import ROLE_PERMISSIONS, Permission, Role, allows, parse_role
from pipeline.access.sessions import start_session
from pipeline.access.users import SETUP_ACTOR, Users, acting_user, normalise_name
from pipeline.core.errors import FocuslexError
from pipeline.core.settings import AccessSettings, Settings
from pipeline.store.access import UserRow
from pipeline.store.database import Store

PASSWORD = "lange zin als wachtwoord"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def users(store: Store, clock: Clock) -> Users:
    return Users(store, AccessSettings(max_failed_logins=3, lockout_minutes=15), clock)


def test_only_an_argon2_hash_is_stored(users: Users, store: Store) -> None:
    users.add("Beheerder", "admin", PASSWORD)
    with store.session() as s:
        row = s.scalar(select(UserRow))
    assert row.name == "beheerder"  # names are lower-case
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    raw = store.url.removeprefix("sqlite:///")
    store.close()
    assert PASSWORD.encode() not in open(raw, "rb").read()


def test_login_checks_the_password(users: Users) -> None:
    users.add("beheerder", "admin", PASSWORD)
    actor = users.authenticate("Beheerder ", PASSWORD)
    assert (actor.name, actor.role) == ("beheerder", Role.ADMIN)
    for name, password in (("beheerder", PASSWORD + "x"), ("niemand", PASSWORD)):
        with pytest.raises(FocuslexError) as refused:
            users.authenticate(name, password)
        assert refused.value.code == "FX-ACC-001"  # same message for an unknown name


def test_lock_out_after_repeated_failures_and_unlock(users: Users, clock: Clock) -> None:
    users.add("beheerder", "admin", PASSWORD)
    users.add("an", "committee", PASSWORD)
    for _ in range(3):
        with pytest.raises(FocuslexError) as error:
            users.authenticate("an", "fout wachtwoord")
        assert error.value.code == "FX-ACC-001"
    with pytest.raises(FocuslexError) as locked:
        users.authenticate("an", PASSWORD)  # even the right password is refused now
    assert locked.value.code == "FX-ACC-002" and "09:15 UTC" in locked.value.message
    assert users.authenticate("beheerder", PASSWORD).name == "beheerder"  # others unaffected
    clock.now += dt.timedelta(minutes=16)
    assert users.authenticate("an", PASSWORD).name == "an"
    # a success resets the count: two failures do not lock
    for _ in range(2):
        with pytest.raises(FocuslexError):
            users.authenticate("an", "fout")
    assert users.authenticate("an", PASSWORD).name == "an"


def test_a_new_password_lifts_the_lock(users: Users) -> None:
    users.add("beheerder", "admin", PASSWORD)
    for _ in range(3):
        with pytest.raises(FocuslexError):
            users.authenticate("beheerder", "fout")
    users.set_password("beheerder", "een heel nieuw wachtwoord", one_time=True)
    actor = users.authenticate("beheerder", "een heel nieuw wachtwoord")
    assert actor.must_change_password
    with pytest.raises(FocuslexError) as same:
        users.change_own_password("beheerder", "een heel nieuw wachtwoord",
                                  "een heel nieuw wachtwoord")
    assert same.value.code == "FX-ACC-015"
    assert not users.change_own_password("beheerder", "een heel nieuw wachtwoord",
                                         PASSWORD).must_change_password


@pytest.mark.parametrize("name, password, code", [
    ("x", PASSWORD, "FX-ACC-010"), ("met spatie", PASSWORD, "FX-ACC-010"),
    ("<script>", PASSWORD, "FX-ACC-010"), ("an", "kort", "FX-ACC-008"),
])
def test_invalid_names_and_short_passwords(users: Users, name: str, password: str,
                                           code: str) -> None:
    with pytest.raises(FocuslexError) as error:
        users.add(name, "admin", password)
    assert error.value.code == code
    assert users.count() == 0


def test_first_user_is_an_admin_and_the_last_admin_stays(users: Users) -> None:
    with pytest.raises(FocuslexError) as first:
        users.add("an", "viewer", PASSWORD)
    assert first.value.code == "FX-ACC-016"
    users.add("beheerder", "admin", PASSWORD)
    users.add("an", "viewer", PASSWORD)
    with pytest.raises(FocuslexError) as duplicate:
        users.add("An", "viewer", PASSWORD)
    assert duplicate.value.code == "FX-ACC-004"
    for action in (lambda: users.remove("beheerder"),
                   lambda: users.set_role("beheerder", "committee")):
        with pytest.raises(FocuslexError) as last:
            action()
        assert last.value.code == "FX-ACC-009"
    users.set_role("an", "admin")
    users.remove("beheerder")
    assert [u.name for u in users.list()] == ["an"]


def test_role_table() -> None:
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(Permission)
    assert ROLE_PERMISSIONS[Role.VIEWER] == {Permission.READ_REPORTS,
                                             Permission.READ_AGREED_LEXICON}
    # real names (the names review) only for facilitators; the lexicon only for the committee
    assert {r for r in Role if allows(r, Permission.REVIEW_NAMES)} == {Role.FACILITATOR,
                                                                       Role.ADMIN}
    assert {r for r in Role if allows(r, Permission.CURATE_LEXICON)} == {Role.COMMITTEE,
                                                                         Role.ADMIN}
    assert {r for r in Role if allows(r, Permission.UPLOAD)} == {Role.FACILITATOR, Role.ADMIN}
    assert all(allows(r, Permission.READ_AGREED_LEXICON) for r in Role)
    with pytest.raises(FocuslexError) as error:
        parse_role("god")
    assert error.value.code == "FX-ACC-005"


def test_acting_user_of_the_command_line(users: Users) -> None:
    assert acting_user(users, None, Permission.UPLOAD) is SETUP_ACTOR  # set-up mode
    assert acting_user(users, "Eerste", Permission.UPLOAD).name == "eerste"
    users.add("beheerder", "admin", PASSWORD)
    users.add("lezer", "viewer", PASSWORD)
    codes = []
    for name in (None, "niemand", "lezer"):
        with pytest.raises(FocuslexError) as error:
            acting_user(users, name, Permission.UPLOAD)
        codes.append(error.value.code)
    assert codes == ["FX-ACC-007", "FX-ACC-003", "FX-ACC-006"]
    assert acting_user(users, "Beheerder", Permission.UPLOAD).name == "beheerder"


def test_session_times_out_after_inactivity(settings: Settings) -> None:
    access = replace(settings.access, session_timeout_minutes=30)
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    session = start_session("an", start)
    later = session.touched(start + dt.timedelta(minutes=25))
    assert not later.expired(start + dt.timedelta(minutes=50), access)  # active at 25
    assert later.expired(start + dt.timedelta(minutes=56), access)
    assert normalise_name(" An.De-Smet@stad.be ") == "an.de-smet@stad.be"
