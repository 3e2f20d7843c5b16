"""A journal update's `date` (the day its status refers to) must fall inside its plan's
period and must not be later than the moment it was `recorded`: nobody reports on a
day that has not come yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem

ID = "journal-date"
SEVERITY = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        if plan.start is None or plan.end is None:
            continue
        for update in plan.updates:
            if not plan.start <= update.date <= plan.end:
                yield update.src.problem(ID, SEVERITY, "date.outside_period", field="date",
                                         date=update.date.isoformat(), start=plan.start.isoformat(),
                                         end=plan.end.isoformat())
                continue
            try:
                recorded = dt.datetime.fromisoformat(update.recorded).date()
            except ValueError:
                continue  # the schema reports it
            if update.date > recorded:
                yield update.src.problem(ID, SEVERITY, "journal.future", date=update.date.isoformat(),
                                         recorded=update.recorded)
