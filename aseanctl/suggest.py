"""Hints of the kind "did you mean …": the closest of the names a value could have been."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from .problems import Msg


def did_you_mean(found: str, candidates: Sequence[str]) -> Msg | str:
    """A hint naming the candidate closest to ``found`` (or equal to it but for case); "" when none is close."""
    close = difflib.get_close_matches(found, list(candidates), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        close = [lowered[found.lower()]] if found.lower() in lowered else []
    return Msg("schema.did_you_mean", {"suggestion": close[0]}) if close else ""
