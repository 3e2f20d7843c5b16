"""Turning what a person typed into one journal record, checked before anything is written."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import schema
from .errors import AseanctlError, UsageError
from .i18n import parse_word
from .journal import find_correction, find_update
from .loader import TaskLookup
from .progress import effective_owner
from .suggest import did_you_mean


@dataclass(frozen=True)
class UpdateRequest:
    task: str
    status: str | None = None
    progress: str | None = None
    actual: tuple[str, ...] = ()
    health: str | None = None
    note: str | None = None
    evidence: str | None = None
    date: str | None = None
    by: str | None = None
    author: str | None = None
    corrects: str | None = None


def _text(option: str, value: str | None) -> str | None:
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    if (
        not value.strip()
        or len(value) > schema.MAX_TEXT
        or (not value.isprintable() and schema.CONTROL_RE.search(value))
    ):
        raise UsageError("update.bad_text", option=option)
    return value


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if abs(value) <= 1e15 else None


def _plain(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def default_date(today: dt.date, plan_end: dt.date | None) -> dt.date:
    """Today, or the plan's last day once the plan has ended (a final report is often recorded late)."""
    return plan_end if plan_end is not None and today > plan_end else today


def build_record(
    request: UpdateRequest,
    found: TaskLookup,
    *,
    today: dt.date,
    now: dt.datetime,
    update_id: str,
    default_author: str | None,
) -> dict[str, Any]:
    """The journal record for ``request``; a UsageError (exit 2) says what is wrong with the request."""
    task, plan = found.task, found.plan
    if task is None:
        hint = did_you_mean(request.task, sorted(set(found.task_ids())))
        raise UsageError("update.unknown_task", id=request.task, hint=hint)
    if plan is None or plan.start is None or plan.end is None:
        raise AseanctlError("update.plan_broken", file=str(task.src.file.parent.parent / "plan.yaml"))
    record: dict[str, Any] = {"id": update_id, "task": task.id}

    if request.status is not None:
        status = parse_word("status", request.status, schema.STATUSES)
        if status is None:
            raise UsageError(
                "update.bad_word", option="--status", found=request.status, allowed=", ".join(schema.STATUSES)
            )
        record["status"] = status
    if request.progress is not None:
        progress = _number(request.progress)
        if progress is None or not 0 <= progress <= 100:
            raise UsageError("update.bad_progress", found=request.progress)
        record["progress"] = _plain(progress)
    if request.health is not None:
        health = parse_word("health", request.health, schema.HEALTHS)
        if health is None:
            raise UsageError(
                "update.bad_word", option="--health", found=request.health, allowed=", ".join(schema.HEALTHS)
            )
        record["health"] = health
    if request.actual:
        known = [i.id for i in task.indicators if i.id is not None]
        actual: dict[str, int | float] = {}
        for item in request.actual:
            name, sep, raw = item.partition("=")
            name = unicodedata.normalize("NFC", name.strip())
            value = _number(raw.strip()) if sep else None
            if value is None or not name:
                raise UsageError("update.bad_actual", found=item)
            if name not in known:
                raise UsageError("journal.unknown_actual", task=task.id, id=name, hint=did_you_mean(name, known))
            actual[name] = _plain(value)
        record["actual"] = actual
    for option, name, given in (("--note", "note", request.note), ("--evidence", "evidence", request.evidence)):
        text = _text(option, given)
        if text is not None:
            record[name] = text
    if not any(name in record for name in ("status", "progress", "health", "actual", "note", "evidence")):
        raise UsageError("update.nothing")

    corrected = None
    if request.corrects is not None:
        corrected = find_update([plan.folder], request.corrects)
        if corrected is None:
            raise UsageError("journal.corrects_unknown", id=request.corrects)
        if corrected.task != task.id:
            raise UsageError("journal.corrects_other_task", id=corrected.id, other=corrected.task, task=task.id)
        earlier = find_correction([plan.folder], corrected.id)
        if earlier is not None:
            raise UsageError("journal.corrected_twice", id=corrected.id, first=earlier)
        record["corrects"] = corrected.id

    if request.date is not None:
        try:
            date = dt.date.fromisoformat(request.date.strip())
        except ValueError:
            raise UsageError("update.bad_date", found=request.date) from None
    elif corrected is not None:
        date = corrected.date  # a correction speaks of the same day unless told otherwise
    else:
        date = default_date(today, plan.end)
    if not plan.start <= date <= plan.end:
        raise UsageError(
            "update.date_outside", date=date.isoformat(), start=plan.start.isoformat(), end=plan.end.isoformat()
        )
    if date > today:
        raise UsageError("update.date_future", date=date.isoformat(), today=today.isoformat())
    record["date"] = date.isoformat()

    if request.by is not None:
        by = request.by.strip()
        if by not in found.owners:
            raise UsageError("ref.unknown_owner", id=by, hint=did_you_mean(by, list(found.owners)))
    else:
        by = effective_owner(task.lead, date, found.owners) or task.lead or ""
    record["by"] = by
    author = _text("--author", request.author) if request.author is not None else default_author
    if not author:
        raise UsageError("update.no_author")
    record["author"] = author
    # local time with its offset: the status date is a local day, and 06:00 in Hanoi is
    # still the previous day in UTC
    record["recorded"] = now.astimezone().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return record


def commit_message(record: dict[str, Any]) -> str:
    """A conventional commit message: ``chore(status): N1.1 in_progress 40% [id]``."""
    parts = [record["task"]]
    if "status" in record:
        parts.append(record["status"])
    if "progress" in record:
        parts.append(f"{record['progress']}%")
    if "health" in record:
        parts.append(record["health"])
    kind = "fix" if "corrects" in record else "chore"
    tail = f" (corrects {record['corrects']})" if "corrects" in record else ""
    return f"{kind}(status): {' '.join(parts)} [{record['id']}]{tail}"
