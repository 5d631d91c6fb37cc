"""Curation that persists: the committee renames, merges and hides topics; each step is
stored as data (`pipeline.store.topics.TopicCurationRow`) with the top words of the topic it
was made on, and applied again after every refit to the new topic whose top words match
best (Jaccard overlap of the top words at least `MATCH_THRESHOLD`).

`actor_name` is the one place that says who made a change or a decision: the access layer's
user (`pipeline.access.users.Actor`: the logged-in user of the app, or the command line's
`acting(...)` user), whose name is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipeline.access.users import Actor
from pipeline.core.errors import FocuslexError
from pipeline.store.database import Store
from pipeline.store.topics import TopicStore

MATCH_WORDS = 10
MATCH_THRESHOLD = 0.4


@dataclass(frozen=True)
class Curated:
    """A topic as the committee left it: its label (empty: the automatic one), whether it is
    hidden, and the topic it was merged into (None: not merged)."""

    topic: int
    label: str = ""
    hidden: bool = False
    merged_into: int | None = None


Who = Actor | str | None


def actor_name(who: Who) -> str:
    """Who makes a change: the access layer's user (its name), or a name already taken from
    one (the command line passes `acting(...).name`); FX-TOP-007 when there is none."""
    name = (who.name if isinstance(who, Actor) else who or "").strip()
    if not name:
        raise FocuslexError("FX-TOP-007")
    return name


def overlap(a: Sequence[str], b: Sequence[str]) -> float:
    """Jaccard overlap of the first MATCH_WORDS words of two topics."""
    left, right = set(a[:MATCH_WORDS]), set(b[:MATCH_WORDS])
    return len(left & right) / len(left | right) if left | right else 0.0


def match_topic(words: Sequence[str], topics: Mapping[int, Sequence[str]]) -> int | None:
    """The topic whose words match `words` best (lowest number on a tie), or None when no
    topic reaches MATCH_THRESHOLD."""
    best: tuple[float, int] | None = None
    for topic in sorted(topics):
        score = overlap(words, topics[topic])
        if score >= MATCH_THRESHOLD and (best is None or score > best[0]):
            best = (score, topic)
    return None if best is None else best[1]


def apply_curation(topics: Mapping[int, Sequence[str]],
                   steps: Sequence[Mapping[str, object]]) -> dict[int, Curated]:
    """The curated state of each topic after the stored steps, oldest first. A step whose
    topic no longer exists (no match) is skipped; the later of two steps wins."""
    state = {t: Curated(t) for t in topics}
    for step in steps:
        topic = match_topic(list(step["words"]), topics)  # type: ignore[arg-type]
        if topic is None:
            continue
        now = state[topic]
        action = step["action"]
        if action == "rename":
            state[topic] = Curated(topic, str(step["label"]), now.hidden, now.merged_into)
        elif action in ("hide", "show"):
            state[topic] = Curated(topic, now.label, action == "hide", now.merged_into)
        elif action == "merge":
            target = match_topic(list(step["target_words"]), topics)  # type: ignore[arg-type]
            if target is not None and target != topic:
                state[topic] = Curated(topic, now.label, now.hidden, target)
        elif action == "unmerge":
            state[topic] = Curated(topic, now.label, now.hidden, None)
    return _resolve_chains(state)


def _resolve_chains(state: dict[int, Curated]) -> dict[int, Curated]:
    """A topic merged into a topic that was itself merged ends in the last one."""
    out: dict[int, Curated] = {}
    for topic, curated in state.items():
        target, seen = curated.merged_into, {topic}
        while target is not None and state[target].merged_into is not None \
                and target not in seen:
            seen.add(target)
            target = state[target].merged_into
        out[topic] = Curated(topic, curated.label, curated.hidden,
                             None if target in (None, topic) else target)
    return out


def _words_of(store: Store, topic: int) -> list[str]:
    for row in TopicStore(store).topics():
        if row["topic"] == topic:
            return list(row["words"])
    raise FocuslexError("FX-TOP-006", topic=topic)


def rename_topic(store: Store, topic: int, label: str, by: Who) -> None:
    """Give a topic a name of the committee's (empty: back to the automatic label)."""
    who = actor_name(by)
    TopicStore(store).add_curation("rename", _words_of(store, topic), who, label=label.strip())


def hide_topic(store: Store, topic: int, by: Who, hidden: bool = True) -> None:
    """Hide a topic from the lists and charts (or show it again)."""
    who = actor_name(by)
    TopicStore(store).add_curation("hide" if hidden else "show", _words_of(store, topic), who)


def merge_topics(store: Store, topic: int, into: int, by: Who) -> None:
    """Count the units of `topic` under `into` from now on."""
    who = actor_name(by)
    if topic == into:
        raise FocuslexError("FX-TOP-009", topic=topic)
    TopicStore(store).add_curation("merge", _words_of(store, topic), who,
                                   target_words=_words_of(store, into))


def unmerge_topic(store: Store, topic: int, by: Who) -> None:
    """Undo the merge of `topic`."""
    who = actor_name(by)
    TopicStore(store).add_curation("unmerge", _words_of(store, topic), who)
