"""Counts in the error catalogue take their noun: '1 minuut', '2 minuten', '0,5 minuten'
(`{minutes:minuut|minuten}`, formatted with `pipeline.core.formats.count_noun`)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from pipeline.access.users import Users
from pipeline.core.errors import CATALOGUE, FocuslexError, format_message
from pipeline.core.settings import Settings
from pipeline.store.database import Store
from tests.conftest import TEST_PASSWORD


@pytest.mark.parametrize(("minutes", "expected"), [
    (1, "na 1 minuut zonder activiteit"), (2, "na 2 minuten zonder activiteit"),
    (60.0, "na 60 minuten zonder activiteit"), (0.5, "na 0,5 minuten zonder activiteit"),
    (1440, "na 1.440 minuten zonder activiteit")])
def test_session_timeout_message_takes_the_right_noun(minutes: float, expected: str) -> None:
    message = FocuslexError("FX-ACC-011", minutes=minutes).message
    assert expected in message and "1 minuten" not in message


def test_lockout_message_for_one_attempt_and_one_minute(settings: Settings,
                                                        store: Store) -> None:
    access = dataclasses.replace(settings.access, max_failed_logins=1, lockout_minutes=1.0)
    users = Users(store, access)
    users.add("an", "admin", TEST_PASSWORD)
    with pytest.raises(FocuslexError) as caught:
        users.authenticate("an", "fout wachtwoord")
    assert caught.value.code == "FX-ACC-001"
    assert "Na 1 mislukte poging wordt de account 1 minuut geblokkeerd." \
        in caught.value.message
    two = dataclasses.replace(access, max_failed_logins=2, lockout_minutes=2.0)
    with pytest.raises(FocuslexError) as caught:
        Users(store, two).authenticate("bestaat-niet", "fout wachtwoord")
    assert "Na 2 mislukte pogingen wordt de account 2 minuten geblokkeerd." \
        in caught.value.message


def test_other_counted_messages() -> None:
    assert "minstens 1 teken;" in FocuslexError(
        "FX-BAK-005", minimum=1, detail="de back-up bevat de sleutel").message
    assert "minstens 12 tekens;" in FocuslexError("FX-BAK-005", minimum=12, detail="x").message
    assert "(1 teken; minstens 12)" in FocuslexError("FX-ACC-008", length=1,
                                                     minimum=12).message
    row = FocuslexError("FX-IN-023", row=3, file="deelnemers.csv", cells=1, columns=3).message
    assert "heeft 1 cel, maar de kopregel heeft er 3" in row


def test_every_counted_placeholder_has_a_singular_and_a_plural() -> None:
    counted = [(code, m.group(0)) for code, texts in CATALOGUE.items() for text in texts
               for m in re.finditer(r"\{\w+:[^}]*\|[^}]*\}", text)]
    assert len(counted) >= 6
    for code, field in counted:
        singular, plural = field[:-1].split(":", 1)[1].split("|")
        assert singular and plural and singular != plural, (code, field)
    # the plain str.format behaviour is unchanged
    assert format_message("{value!r} na {seconds:g} s", {"value": "x", "seconds": 2.0}) \
        == "'x' na 2 s"
