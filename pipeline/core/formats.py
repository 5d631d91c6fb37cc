"""Dutch (Belgian) formats for everything a user reads: numbers, percentages, dates, times.

One helper module for the CLI, the app and the reports, built on Babel's CLDR data for
`nl_BE`: `1.000`, `3,84`, `38,3%`, `1 document` / `2 documenten`, `24/11/2026`, `24/11/2026 14:05` (Europe/Brussels local
time from a stored UTC time). `parse_date` reads the dates people write in header blocks and
sheets (`14/03/2026`, `14-3-2026`, `2026-03-14`, `14 maart 2026`) into a `datetime.date`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from numbers import Real

import pandas as pd

from babel.dates import format_datetime as _babel_datetime
from babel.dates import get_month_names
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent

LOCALE = "nl_BE"
TIMEZONE = "Europe/Brussels"
DATE_PATTERN = "dd/MM/yyyy"
DATETIME_PATTERN = "dd/MM/yyyy HH:mm"
EMPTY = "–"  # shown for a missing value


def _missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def format_int(value: int | float | None) -> str:
    """1000 -> '1.000'; None/NaN -> '–'."""
    if _missing(value):
        return EMPTY
    return format_decimal(round(float(value)), format="#,##0", locale=LOCALE)  # type: ignore[arg-type]


def selection_parts(groups: Sequence[str], rounds: Sequence[int]) -> list[str]:
    """A selection of stakeholder groups and rounds in words: ['groep vakbond', 'rondes 1, 2']
    (empty parts left out)."""
    parts = []
    if groups:
        parts.append(("groep " if len(groups) == 1 else "groepen ") + ", ".join(groups))
    if rounds:
        parts.append(("ronde " if len(rounds) == 1 else "rondes ")
                     + ", ".join(map(str, rounds)))
    return parts


def count_noun(count: int | float | None, singular: str, plural: str) -> str:
    """A count with the noun that goes with it, the count in Belgian format: (1, 'document',
    'documenten') -> '1 document'; 0 -> '0 documenten'; 1250 -> '1.250 documenten'. Only a
    count shown as 1 takes the singular. An unknown count (None, NaN, '', or any value that
    is no number, such as a record's '-') -> '– documenten'."""
    if isinstance(count, bool) or not isinstance(count, Real) or _missing(count):
        return f"{EMPTY} {plural}"
    shown = round(float(count))
    return f"{format_int(shown)} {singular if shown == 1 else plural}"


def format_number(value: float | None, decimals: int = 2) -> str:
    """3.8412 -> '3,84'; 1234.5 -> '1.234,50' (fixed decimals); None/NaN -> '–'."""
    if _missing(value):
        return EMPTY
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE)  # type: ignore[arg-type]


def format_percent(share: float | None, decimals: int = 1) -> str:
    """A share (0.3834) as a percentage: '38,3%'; None/NaN -> '–'."""
    if _missing(share):
        return EMPTY
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return _babel_percent(share, format=pattern, locale=LOCALE)  # type: ignore[arg-type]


def format_count(value: object) -> str:
    """Any cell a table shows: whole numbers '1.000', other numbers '3,84', text as is."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return EMPTY if _missing(value) else str(value)
    if _missing(value):
        return EMPTY
    if float(value).is_integer():
        return format_int(value)  # type: ignore[arg-type]
    return format_number(float(value))


def format_date(value: dt.date | dt.datetime | str | None) -> str:
    """A date as '24/11/2026'. A string is parsed first (`parse_date`); a string that is no
    date is returned as written; None/'' -> '–'. A datetime is shown in Brussels time."""
    if _missing(value):
        return EMPTY
    if isinstance(value, str):
        parsed = parse_date(value)
        return value if parsed is None else parsed.strftime("%d/%m/%Y")
    if isinstance(value, dt.datetime):
        return format_datetime(value, DATE_PATTERN)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | str | None, pattern: str = DATETIME_PATTERN) -> str:
    """A stored time as Brussels local time, '24/11/2026 14:05'. A naive datetime (and an
    ISO string without offset) is taken as UTC, as the store writes it."""
    if _missing(value):
        return EMPTY
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:  # type: ignore[union-attr]
        value = value.replace(tzinfo=dt.timezone.utc)  # type: ignore[union-attr]
    return _babel_datetime(value, pattern, tzinfo=TIMEZONE, locale=LOCALE)


def format_seconds(seconds: float | None) -> str:
    """A time in a recording: 75 -> '1:15', 3725 -> '1:02:05'; None -> '–'."""
    if _missing(seconds):
        return EMPTY
    whole = int(seconds)  # type: ignore[arg-type]
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@lru_cache(maxsize=1)
def _month_numbers() -> dict[str, int]:
    """'januari'/'jan' ... -> 1 ..., from Babel's Dutch month names (and 'sept', 'mrt')."""
    months: dict[str, int] = {"sept": 9, "mrt": 3}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale=LOCALE).items():
            months[name.lower().rstrip(".")] = number
    return months


_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_WORDS = re.compile(r"^(?:[a-z]+dag\s+)?(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")


def parse_date(text: str | None) -> dt.date | None:
    """'14/03/2026', '14-3-2026', '14.03.26', '2026-03-14', '14 maart 2026', 'dinsdag
    14 maart 2026' -> date(2026, 3, 14); anything else -> None. Day first, as in Belgium."""
    if not text:
        return None
    value = " ".join(text.strip().lower().split()).rstrip(".")
    day = month = year = 0
    if match := _ISO.match(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC.match(value):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
    elif match := _WORDS.match(value):
        month = _month_numbers().get(match.group(2), 0)
        day, year = int(match.group(1)), int(match.group(3))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None



def format_frame(frame: pd.DataFrame, decimals: dict[str, int] | None = None) -> pd.DataFrame:
    """A table for display with every number as Belgian text (`format_count`: '1.000',
    '3,84'); `decimals` gives other fixed decimals per column (e.g. {'p': 4} -> '0,0012').
    Text cells stay as they are. For tables a user reads, not for further computing."""
    out = frame.copy()
    for column in out.columns:
        places = (decimals or {}).get(column)
        out[column] = [format_count(v) if places is None or isinstance(v, bool)
                       or not isinstance(v, Real) else format_number(float(v), places)
                       for v in out[column]]
    return out
