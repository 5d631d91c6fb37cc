"""Speaker labels of real minutes and transcripts: the line patterns and one canonical form.

Minutes and parliamentary records name speakers in many ways: `Janssens, Marie:` (Belgian
committee reports, Teams exports), `De heer Peeters (CD&V):`, `Mevrouw Claes:`,
`Minister Jambon:`, `01.02  Peter De Roover (N-VA):`, `JANSSENS:`, and on a line of their
own, with or without a time (`Janssens, Marie   0:03`, `[Marie Janssens] 10:02:15`).
`canonical_label` turns each into the name alone ("Marie Janssens", "Peeters"): the label
that the participants sheet, the pseudonym key and the name variants use. Titles, parties
and times are dropped; two people with the same name and a different title ("De heer
Peeters", "Mevrouw Peeters") therefore become one speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.core.text import SURNAME_PARTICLES, fold

# Words of a name; a nickname in brackets may stand inside ('Jellejetta (Jetta) Klijnsma').
_NAME = r"[^\W\d_][\w'’.\-]*(?:[ \t]+(?:[\w'’.\-&]+|\([^\W\d_][\w'’.\-]*\)(?=[ \t]+\w))){0,5}"
_FIRST = r"[^\W\d_][\w'’.\-]*(?:[ \t]+[^\W\d_][\w'’.\-]*){0,2}"
# A label: a name, or 'Surname, First name(s)'.
LABEL = rf"{_NAME}(?:,[ \t]*{_FIRST})?"
TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A party or function in brackets after a name ("(N-VA)", "(Groen)"), never a time.
_PARTY = r"\((?P<party>(?!\d{1,2}:\d)\w[^()\n:]{0,39})\)"
# The paragraph numbers of Belgian Chamber reports ("01.02  Peter De Roover (N-VA): ...").
_NUMBER = r"(?:\d{1,2}\.\d{1,2}[ \t]+)?"

# Lines that start a turn, first match wins; `text` is what follows on the same line.
INLINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^\[(?P<time>{TIME})\]\s*(?P<name>{LABEL})\s*:\s*(?P<text>.*)$"),
    re.compile(rf"^(?P<time>{TIME})\s+(?P<name>{LABEL})\s*:\s*(?P<text>.*)$"),
    re.compile(rf"^(?P<name>{LABEL})\s*\((?P<time>{TIME})\)\s*:?\s*(?P<text>.*)$"),
    re.compile(rf"^{_NUMBER}(?P<name>{LABEL})\s*{_PARTY}\s*:\s*(?P<text>.*)$"),
    re.compile(rf"^\*\*(?P<name>{LABEL}?)\s*:?\s*\*\*\s*:?\s*(?P<text>.*)$"),
    re.compile(rf"^\[(?P<name>{LABEL})\]\s*:?\s*(?P<text>.*)$"),
    re.compile(rf"^{_NUMBER}(?P<name>{LABEL})\s*:\s*(?P<text>.*)$"),
)
# A label alone on its line with a time (Teams and Zoom exports); the text follows below.
TIMED_LINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^(?P<name>{LABEL})[ \t]+(?P<time>{TIME})$"),
    re.compile(rf"^\[(?P<name>{LABEL})\][ \t]*(?P<time>{TIME})$"),
    re.compile(rf"^(?P<time>{TIME})[ \t]+(?P<name>{LABEL})$"),
)
# A label alone on its line without a time (Teams exports with times switched off).
BARE_LINE_PATTERN = re.compile(rf"^(?P<name>{LABEL})$")

# Forms of address and functions that precede a name ("De heer Peeters", "Minister Jambon").
HONORIFICS = ("de heer", "heer", "mevrouw", "mevr.", "mevr", "mw.", "mw", "dhr.", "dhr",
              "mijnheer", "meneer", "juffrouw", "mr.", "dr.", "prof.", "ir.")
TITLES = ("minister-president", "minister", "staatssecretaris", "voorzitter",
          "ondervoorzitter", "eerste minister", "premier", "schepen", "burgemeester",
          "senator", "commissaris", "kamerlid", "volksvertegenwoordiger", "gouverneur")
_PREFIX = re.compile(
    r"^(?:(?:%s)\s+)+" % "|".join(re.escape(p) for p in sorted(HONORIFICS + TITLES, key=len,
                                                                 reverse=True)),
    re.IGNORECASE)


_BRACKETS = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Label:
    """A speaker label in its canonical form. `cue` says how it was written: 'inverted'
    ('Janssens, Marie'), 'titled' ('De heer Peeters', 'Mevrouw Claes (Groen)'), 'party'
    ('Zeedijk (NSC)'), or ''."""

    name: str
    cue: str = ""
    surname: str = ""


def canonical_label(raw: str) -> Label:
    """'Janssens, Marie' -> 'Marie Janssens'; 'De heer Peeters (CD&V)' -> 'Peeters';
    'Minister Jambon' -> 'Jambon'; 'De voorzitter' stays (no name follows the title).
    Brackets (a party, a nickname) are dropped."""
    name = " ".join(_BRACKETS.sub(" ", raw.replace("**", "")).split()).strip(" :")
    cue = "party" if _BRACKETS.search(raw) else ""
    stripped = _PREFIX.sub("", name)
    if stripped != name and stripped[:1].isupper():
        name, cue = stripped, "titled"
    surname = ""
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        if last and first:
            name, cue, surname = f"{first} {last}", "inverted", last
    return Label(name, cue, surname)


def is_capitalised_name(name: str) -> bool:
    """Every word capitalised, except surname particles ('Jan Van den Broeck')."""
    tokens = name.split()
    return bool(tokens) and tokens[0][:1].isupper() and all(
        t[:1].isupper() or fold(t) in SURNAME_PARTICLES for t in tokens)


def inverted_accepted(label: Label, common: frozenset[str], listed: frozenset[str]) -> bool:
    """'Peeters, Jan' is a label; 'Goed, Marleen' and 'Kijk, Ahmed' (a sentence that
    addresses someone) are not: the part before the comma must be a listed surname or no
    common Dutch word."""
    if not is_capitalised_name(label.name):
        return False
    core = [t for t in label.surname.split() if fold(t) not in SURNAME_PARTICLES]
    if not core:
        return False
    last = fold(core[-1])
    return last in listed or last not in common
