"""App login sessions: who is logged in and since when they were last active.

Kept as plain data (the app stores it in its session state) so the timeout rule is tested
without Streamlit. A session is checked again against the users table on every page run,
so a removed user or a changed role takes effect at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from pipeline.core.settings import AccessSettings


@dataclass(frozen=True)
class LoginSession:
    name: str
    started: dt.datetime
    last_seen: dt.datetime
    # How the user logged in: "password" or "oidc".
    method: str = "password"

    def expired(self, now: dt.datetime, settings: AccessSettings) -> bool:
        """True after `session_timeout_minutes` without activity."""
        return now - self.last_seen > dt.timedelta(minutes=settings.session_timeout_minutes)

    def touched(self, now: dt.datetime) -> "LoginSession":
        return replace(self, last_seen=now)


def start_session(name: str, now: dt.datetime, method: str = "password") -> LoginSession:
    return LoginSession(name=name, started=now, last_seen=now, method=method)
