"""Stakeholder groups versus role groups.

A participants sheet may put the facilitators in a group of their own ("facilitator",
"begeleider"). That is a role, not a stakeholder group: charts and tables that compare
stakeholder groups leave it out (`without_role_groups`), and say how much the facilitators
spoke separately if at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar, overload

import pandas as pd

from pipeline.core.text import fold

# Folded group names that stand for a role in the conversation, not a stakeholder group.
ROLE_GROUPS = frozenset({"facilitator", "facilitators", "begeleider", "begeleiders",
                         "begeleiding", "procesbegeleiding", "moderator", "moderatoren",
                         "gespreksleider", "gespreksleiding", "interviewer", "notulist"})

V = TypeVar("V")


def is_role_group(group: object) -> bool:
    """'facilitator', 'Begeleiding' -> True; 'vakbond' -> False."""
    return isinstance(group, str) and " ".join(fold(group).split()) in ROLE_GROUPS


@overload
def without_role_groups(data: pd.DataFrame, column: str = "group") -> pd.DataFrame: ...
@overload
def without_role_groups(data: Mapping[str, V], column: str = "group") -> dict[str, V]: ...


def without_role_groups(data: pd.DataFrame | Mapping[str, V],
                        column: str = "group") -> pd.DataFrame | dict[str, V]:
    """A frame without the rows whose `column` is a role group, or a mapping (group ->
    value) without role-group keys; other keys (rounds) pass unchanged."""
    if isinstance(data, pd.DataFrame):
        if column not in data.columns or data.empty:
            return data
        return data[~data[column].map(is_role_group)]
    return {key: value for key, value in data.items() if not is_role_group(key)}


def role_group_total(data: Mapping[str, int]) -> int:
    """What the role groups add up to in a group -> count mapping."""
    return sum(value for key, value in data.items() if is_role_group(key))
