"""Dutch (Belgian) formats through one helper (pipeline/core/formats.py) and role groups
kept out of stakeholder tables (pipeline/core/groups.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipeline.core.formats import (count_noun, format_count, format_date, format_datetime, format_int,
                                   format_number, format_percent, format_seconds, parse_date)
from pipeline.core.groups import is_role_group, role_group_total, without_role_groups


def test_numbers() -> None:
    assert format_int(1000) == "1.000"
    assert format_int(38289) == "38.289"
    assert format_int(1234567) == "1.234.567"
    assert format_number(3.8412) == "3,84"
    assert format_number(27.5, 1) == "27,5"
    assert format_number(1234.5) == "1.234,50"
    assert format_percent(0.3834) == "38,3%"
    assert format_percent(0.5, 0) == "50%"
    assert [format_count(v) for v in (1000, 27.5, "vakbond", None, float("nan"))] == \
        ["1.000", "27,50", "vakbond", "–", "–"]


@pytest.mark.parametrize(("count", "expected"), [
    (1, "1 document"), (0, "0 documenten"), (2, "2 documenten"), (1250, "1.250 documenten"),
    (1.0, "1 document"), (1.5, "2 documenten"),  # as shown: rounded first
])
def test_count_noun_singular_only_for_one(count: float, expected: str) -> None:
    assert count_noun(count, "document", "documenten") == expected
    assert count_noun(1, "beurt", "beurten") == "1 beurt"
    assert count_noun(1, "treffer", "treffers") == "1 treffer"
    # an unknown count (a run record without the figure) keeps the plural
    assert count_noun(None, "term", "termen") == "– termen"
    assert count_noun("-", "term", "termen") == "– termen"


def test_dates_and_times_in_brussels_time() -> None:
    assert format_date("2026-11-24") == "24/11/2026"
    assert format_date(dt.date(2026, 2, 3)) == "03/02/2026"
    assert format_date("geen datum") == "geen datum"
    # Stored UTC -> Brussels: +1 in winter, +2 in summer.
    assert format_datetime(dt.datetime(2026, 11, 24, 13, 5)) == "24/11/2026 14:05"
    assert format_datetime("2026-07-01T12:00:00+00:00") == "01/07/2026 14:00"
    assert format_datetime(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone.utc)) == \
        "01/01/2027 00:30"
    assert format_seconds(75) == "1:15" and format_seconds(3725) == "1:02:05"


@pytest.mark.parametrize("text, expected", [
    ("14/03/2026", dt.date(2026, 3, 14)), ("14-3-2026", dt.date(2026, 3, 14)),
    ("14.03.26", dt.date(2026, 3, 14)), ("2026-03-14", dt.date(2026, 3, 14)),
    ("14 maart 2026", dt.date(2026, 3, 14)), ("dinsdag 14 maart 2026", dt.date(2026, 3, 14)),
    ("3 mrt. 2026", dt.date(2026, 3, 3)), ("1 sept 2026", dt.date(2026, 9, 1)),
    ("31/02/2026", None), ("volgende week", None), ("", None),
])
def test_parse_date_day_first(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_role_groups_are_no_stakeholder_groups() -> None:
    assert is_role_group("facilitator") and is_role_group("Begeleiding ")
    assert not is_role_group("vakbond") and not is_role_group(None)
    words = {"facilitator": 5163, "lokaal bestuur": 5993, "vakbond": 4376}
    assert without_role_groups(words) == {"lokaal bestuur": 5993, "vakbond": 4376}
    assert role_group_total(words) == 5163
    rounds = {"1": 10, "zonder ronde": 3}
    assert without_role_groups(rounds) == rounds
    frame = pd.DataFrame({"group": ["facilitator", "onderwijs", "begeleider"], "n": [1, 2, 3]})
    assert without_role_groups(frame)["group"].tolist() == ["onderwijs"]
