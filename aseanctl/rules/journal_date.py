"""A journal update's `date` (the day its status refers to) must fall inside its plan's
period and must not be later than the day it was `recorded`: nobody reports on a day
that has not come yet.  The recording moment counts in the most advanced time zone
(UTC+14), so an update recorded at 06:00 in Hà Nội (23:00 the day before in UTC) is fine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import Workspace
from ..problems import Problem, Severity

LATEST_OFFSET = dt.timedelta(hours=14)  # Kiribati's Line Islands: the first place where a day begins

ID = "journal-date"
SEVERITY: Severity = "error"


def check(ws: Workspace) -> Iterator[Problem]:
    for plan in ws.plans:
        if plan.start is None or plan.end is None:
            continue
        for update in plan.updates:
            if not plan.start <= update.date <= plan.end:
                yield update.src.problem(
                    ID,
                    SEVERITY,
                    "date.outside_period",
                    field="date",
                    date=update.date.isoformat(),
                    start=plan.start.isoformat(),
                    end=plan.end.isoformat(),
                )
                continue
            try:
                moment = dt.datetime.fromisoformat(update.recorded)
            except ValueError:
                continue  # the schema reports it
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
            recorded = (moment.astimezone(dt.timezone.utc) + LATEST_OFFSET).date()
            if update.date > recorded:
                yield update.src.problem(
                    ID, SEVERITY, "journal.future", date=update.date.isoformat(), recorded=update.recorded
                )
