"""A person confirms the sense of a hit in the concordance: its sentence becomes an example
sentence of the term's sense (or of another sense) in one step, as a normal revision of the
lexicon (who, when, why), so the next analysis scores that sentence and its like with it.
"""

from __future__ import annotations

from lexicon.model import Entry
from lexicon.store import LexiconStore
from pipeline.core.errors import FocuslexError

CONFIRM_REASON = "Betekenis bevestigd in de concordantie (Termen)"


def add_sense_example(lexicon: LexiconStore, term_id: str, sentence: str, by: str, *,
                      other_sense: bool = False, why: str = CONFIRM_REASON) -> Entry:
    """Add `sentence` to the term's `sense_examples` (`other_sense`: to its
    `other_sense_examples`, and out of the other list) on its latest version. A sentence
    already there is left alone (the entry comes back unchanged). FX-LEX-021 on an empty
    sentence; the store's own errors (FX-LEX-009 unknown term, no name) as they are."""
    text = " ".join(sentence.split())
    if not text:
        raise FocuslexError("FX-LEX-021", term=term_id)
    entry = lexicon.get(term_id)
    mine, other = (("other_sense_examples", "sense_examples") if other_sense
                   else ("sense_examples", "other_sense_examples"))
    current = list(getattr(entry, mine))
    if text in current:
        return entry
    changes = {mine: [*current, text],
               other: [t for t in getattr(entry, other) if t != text]}
    if not other_sense:
        changes["examples"] = [t for t in entry.examples if t != text]
    return lexicon.update(term_id, changes, entry.version, by, why)
