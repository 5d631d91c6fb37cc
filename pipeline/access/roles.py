"""Roles and what they may do: the one role -> permissions table of focuslex.

Every page of the app and every command that changes something names one `Permission`;
`allows(role, permission)` is the only place that decides. `admin` may do everything.
"""

from __future__ import annotations

from enum import Enum

from pipeline.core.errors import FocuslexError


class Role(str, Enum):
    VIEWER = "viewer"            # learning network: reports and the agreed lexicon
    FACILITATOR = "facilitator"  # upload, analyse, names review, pseudonymised transcripts
    COMMITTEE = "committee"      # curate the lexicon, confirm activities, curate topics
    ADMIN = "admin"              # users and settings; may do everything


class Permission(str, Enum):
    READ_REPORTS = "read_reports"                # reports for the learning network
    READ_AGREED_LEXICON = "read_agreed_lexicon"  # agreed terms (and terms advised against)
    READ_LEXICON = "read_lexicon"                # every term, proposals and disputes included
    READ_TRANSCRIPTS = "read_transcripts"        # pseudonymised transcripts, term uses in context
    UPLOAD = "upload"                            # ingest files
    ANALYSE = "analyse"                          # run the analysis
    REVIEW_NAMES = "review_names"                # the names review (real names, private file)
    CURATE_LEXICON = "curate_lexicon"            # edit, status, decisions, releases, import
    CONFIRM_ACTIVITIES = "confirm_activities"    # confirm activity suggestions
    CURATE_TOPICS = "curate_topics"              # topic curation
    MANAGE_USERS = "manage_users"                # add, remove, roles, passwords of others
    MANAGE_SETTINGS = "manage_settings"
    BACKUP = "backup"                            # backup and restore (the whole database)


_READER = frozenset({Permission.READ_REPORTS, Permission.READ_AGREED_LEXICON})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: _READER,
    Role.FACILITATOR: _READER | {Permission.READ_LEXICON, Permission.READ_TRANSCRIPTS,
                                 Permission.UPLOAD, Permission.ANALYSE,
                                 Permission.REVIEW_NAMES},
    Role.COMMITTEE: _READER | {Permission.READ_LEXICON, Permission.READ_TRANSCRIPTS,
                               Permission.CURATE_LEXICON, Permission.CONFIRM_ACTIVITIES,
                               Permission.CURATE_TOPICS},
    Role.ADMIN: frozenset(Permission),
}

# Dutch names, for messages and the app.
ROLE_LABELS: dict[Role, str] = {
    Role.VIEWER: "lezer (lerend netwerk)", Role.FACILITATOR: "begeleider",
    Role.COMMITTEE: "comité", Role.ADMIN: "beheerder",
}
PERMISSION_LABELS: dict[Permission, str] = {
    Permission.READ_REPORTS: "rapporten lezen",
    Permission.READ_AGREED_LEXICON: "het afgesproken lexicon lezen",
    Permission.READ_LEXICON: "het volledige lexicon lezen",
    Permission.READ_TRANSCRIPTS: "gepseudonimiseerde gesprekken lezen",
    Permission.UPLOAD: "bestanden opladen",
    Permission.ANALYSE: "de analyse starten",
    Permission.REVIEW_NAMES: "gevonden namen nakijken",
    Permission.CURATE_LEXICON: "het lexicon bewerken",
    Permission.CONFIRM_ACTIVITIES: "activiteiten bevestigen",
    Permission.CURATE_TOPICS: "onderwerpen beheren",
    Permission.MANAGE_USERS: "gebruikers beheren",
    Permission.MANAGE_SETTINGS: "instellingen beheren",
    Permission.BACKUP: "een back-up maken of terugzetten",
}


def parse_role(value: str | Role) -> Role:
    """A role from its name; FX-ACC-005 for an unknown one."""
    try:
        return Role(str(value.value if isinstance(value, Role) else value).strip().lower())
    except ValueError as exc:
        raise FocuslexError("FX-ACC-005", value=value,
                            allowed=", ".join(r.value for r in Role)) from exc


def allows(role: Role | str, permission: Permission) -> bool:
    """Whether `role` has `permission` (admin has every permission)."""
    return permission in ROLE_PERMISSIONS[parse_role(role)]
