"""Hints of the kind "did you mean …": the closest of the names a value could have been.

The cost is bounded whatever a plan holds.  A plan of thousands of tasks, and a journal or
task files naming thousands of ids that are not there, used to compare every unknown name
with every known one.  Now each list of names gets an index, built once: a short list
(owners, objectives, the keys of a record) is compared whole, as before; in a long one a
name is compared only with its neighbours in sorted order (names sharing its beginning),
in sorted order of the names written backwards (sharing its end) and with the names of
the same letters (a swapped pair).  Each answer is remembered, and the index of a long list
compares at most ``BUDGET`` names in all: past that, only a name equal but for case is
suggested.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Sequence

from .problems import Msg

WHOLE = 32  # a list this short is compared whole: difflib's closest match, as it always was
NEAR = 6  # in a longer list, how many neighbours on each side of each place looked at
BUDGET = 50_000  # names of a long list compared, over all the questions asked of it
CUTOFF = 0.6


class _Index:
    """One list of names, ready to be asked for the closest to many values."""

    def __init__(self, candidates: Sequence[str]) -> None:
        self.names = tuple(candidates)
        self.lowered = {name.lower(): name for name in self.names}
        self.answers: dict[str, str | None] = {}
        self.budget = BUDGET
        self.forward: list[str] = []
        self.backward: list[str] = []
        self.letters: dict[str, list[str]] = {}
        if len(self.names) > WHOLE:
            distinct = set(self.names)
            self.forward = sorted(distinct)
            self.backward = sorted(name[::-1] for name in distinct)
            for name in self.forward:
                self.letters.setdefault("".join(sorted(name)), []).append(name)

    def near(self, found: str) -> list[str]:
        """The names worth comparing with ``found``: all of a short list, a few of a long one."""
        if len(self.names) <= WHOLE:
            return list(self.names)
        picked: dict[str, None] = {}
        backwards = found[::-1]
        # the value as written and without its last (first) character: a character too many at
        # the end ("N1.1x") sorts it away from the name it was meant to be
        for key in (found, found[:-1]):
            at = bisect_left(self.forward, key)
            picked.update(dict.fromkeys(self.forward[max(at - NEAR, 0) : at + NEAR]))
        for key in (backwards, backwards[:-1]):
            at = bisect_left(self.backward, key)
            picked.update(dict.fromkeys(name[::-1] for name in self.backward[max(at - NEAR, 0) : at + NEAR]))
        picked.update(dict.fromkeys(self.letters.get("".join(sorted(found)), [])[:NEAR]))
        return list(picked)

    def closest(self, found: str) -> str | None:
        if found in self.answers:
            return self.answers[found]
        close: list[str] = []
        if self.budget > 0:
            near = self.near(found)
            if len(self.names) > WHOLE:  # a short list costs little a question, and is never cut short
                self.budget -= len(near)
            close = difflib.get_close_matches(found, near, n=1, cutoff=CUTOFF)
        answer = close[0] if close else self.lowered.get(found.lower())
        if len(self.answers) < BUDGET:
            self.answers[found] = answer
        return answer


# The lists asked about lately: a short list by its names (callers often build it anew for
# each question), a long one by identity (a rule builds it once and asks thousands of times;
# the list is held here, so its id is not reused while it is).
_BY_NAMES: dict[tuple[str, ...], _Index] = {}
_BY_IDENTITY: dict[int, tuple[Sequence[str], _Index]] = {}
_KEPT = 16


def _index(candidates: Sequence[str]) -> _Index:
    if len(candidates) <= WHOLE:
        names = tuple(candidates)
        index = _BY_NAMES.get(names)
        if index is None:
            if len(_BY_NAMES) >= _KEPT:
                _BY_NAMES.clear()
            index = _BY_NAMES[names] = _Index(names)
        return index
    held = _BY_IDENTITY.get(id(candidates))
    if held is not None and held[0] is candidates and len(held[1].names) == len(candidates):
        return held[1]
    if len(_BY_IDENTITY) >= _KEPT:
        _BY_IDENTITY.clear()
    index = _Index(candidates)
    _BY_IDENTITY[id(candidates)] = (candidates, index)
    return index


def did_you_mean(found: str, candidates: Sequence[str]) -> Msg | str:
    """A hint naming the candidate closest to ``found`` (or equal to it but for case); "" when none is close.
    ``candidates`` must not change while it is in use: an index of it is kept."""
    closest = _index(candidates).closest(found)
    return Msg("schema.did_you_mean", {"suggestion": closest}) if closest else ""
