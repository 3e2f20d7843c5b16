"""Turning what a person typed into one journal record, checked before anything is written."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import schema
from .errors import AseanctlError, UsageError
from .i18n import parse_word, word_hint
from .journal import find_correction, find_update, find_withdrawal
from .loader import TaskLookup
from .model import Plan, Task, Update
from .numtext import AmbiguousNumber, ambiguous_message, parse_number
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
    withdraws: str | None = None
    reason: str | None = None


# what a withdrawal cannot say beside the update it takes back: the line says nothing else
_NOT_WITH_WITHDRAWS = (
    ("--status", "status"),
    ("--progress", "progress"),
    ("--actual", "actual"),
    ("--health", "health"),
    ("--note", "note"),
    ("--evidence", "evidence"),
    ("--corrects", "corrects"),
)


def _nfc(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)


def _number(text: str, option: str) -> float | None:
    try:
        return parse_number(text)
    except AmbiguousNumber as ambiguous:
        raise UsageError("update.ambiguous_number", option=option, detail=ambiguous_message(ambiguous)) from None


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
    """The journal record for ``request``; a UsageError (exit 2) says what is wrong with the request.

    The options are read into a record, and the record is checked against the journal's
    schema, as ``validate`` checks the lines: what the schema refuses is refused here, and
    nothing else is, but for what the plan decides (the task, its indicators, owners, the
    plan period and today, corrections)."""
    task, plan = found.task, found.plan
    if task is None:
        hint = did_you_mean(request.task, sorted(set(found.task_ids())))
        raise UsageError("update.unknown_task", id=request.task, hint=hint)
    if plan is None or plan.start is None or plan.end is None:
        raise AseanctlError("update.plan_broken", file=str(task.src.file.parent.parent / "plan.yaml"))
    record: dict[str, Any] = {"id": update_id, "task": task.id}
    anchor: Update | None  # the update a correction or withdrawal speaks of
    if request.withdraws is not None or request.reason is not None:
        anchor = _withdrawn(request, task, plan)
        record["withdraws"] = anchor.id
        record["reason"] = _nfc(request.reason)
    else:
        record.update(_reported(request, task))
        anchor = _corrected(request, task, plan)
        if anchor is not None:
            record["corrects"] = anchor.id
    date = _status_date(request, anchor, today, plan)
    record["date"] = date.isoformat()
    if request.by is not None:
        by = request.by.strip()
        if by not in found.owners:
            raise UsageError("ref.unknown_owner", id=by, hint=did_you_mean(by, list(found.owners)))
    else:
        by = effective_owner(task.lead, date, found.owners) or task.lead or ""
    record["by"] = by
    author = _nfc(request.author) if request.author is not None else default_author
    if author is not None:
        record["author"] = author
    # local time with its offset: the status date is a local day, and 06:00 in Hanoi is
    # still the previous day in UTC
    record["recorded"] = now.astimezone().replace(microsecond=0).isoformat().replace("+00:00", "Z")
    _check(record, request)
    return record


def _reported(request: UpdateRequest, task: Task) -> dict[str, Any]:
    """What the update says of the task, each option read into the value the journal stores;
    whether the values are acceptable is the schema's to say (``_check``)."""
    said: dict[str, Any] = {}
    for option, name, given, choices in (
        ("--status", "status", request.status, schema.STATUSES),
        ("--health", "health", request.health, schema.HEALTHS),
    ):
        if given is not None:
            word = parse_word(name, given, choices)
            if word is None:
                raise UsageError(
                    "update.bad_state_word",
                    option=option,
                    found=given,
                    hint=word_hint(name, given, choices),
                    allowed=", ".join(choices),
                )
            said[name] = word
    if request.progress is not None:
        progress = _number(request.progress, "--progress")
        if progress is None:
            raise UsageError("update.bad_progress", found=request.progress)
        said["progress"] = _plain(progress)
    if request.actual:
        said["actual"] = _actual(request.actual, task)
    for name, given in (("note", request.note), ("evidence", request.evidence)):
        if given is not None:
            said[name] = _nfc(given)
    return said


def _actual(items: tuple[str, ...], task: Task) -> dict[str, int | float]:
    known = [i.id for i in task.indicators if i.id is not None]
    actual: dict[str, int | float] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = unicodedata.normalize("NFC", name.strip())
        value = _number(raw, "--actual") if sep else None
        if value is None or not name:
            raise UsageError("update.bad_actual", found=item)
        if name not in known:
            raise UsageError("journal.unknown_actual", task=task.id, id=name, hint=did_you_mean(name, known))
        actual[name] = _plain(value)
    return actual


def _named_update(verb: str, update_id: str, task: Task, plan: Plan) -> Update:
    """The update ``--corrects`` or ``--withdraws`` (``verb``) names: one of this task's, and not a
    withdrawal (correcting or withdrawing one would hide it while it still applied)."""
    found = find_update([plan.folder], update_id)
    if found is None:
        raise UsageError(f"journal.{verb}_unknown", id=update_id)
    if found.task != task.id:
        raise UsageError("journal.corrects_other_task", id=found.id, other=found.task, task=task.id)
    if found.withdraws is not None:
        raise UsageError(f"journal.{verb}_withdrawal", id=found.id)
    return found


def _corrected(request: UpdateRequest, task: Task, plan: Plan) -> Update | None:
    if request.corrects is None:
        return None
    corrected = _named_update("corrects", request.corrects, task, plan)
    earlier = find_correction([plan.folder], corrected.id)
    if earlier is not None:
        raise UsageError("journal.corrected_twice", id=corrected.id, first=earlier)
    return corrected


def _withdrawn(request: UpdateRequest, task: Task, plan: Plan) -> Update:
    """The update ``--withdraws`` takes back, once the request is a withdrawal and nothing else."""
    if request.withdraws is None:
        raise UsageError("update.reason_alone")
    given = [option for option, name in _NOT_WITH_WITHDRAWS if getattr(request, name) not in (None, ())]
    if given:
        raise UsageError("update.withdraws_alone", options=", ".join(given))
    if request.reason is None or not request.reason.strip():
        raise UsageError("update.no_reason")
    withdrawn = _named_update("withdraws", request.withdraws, task, plan)
    earlier = find_withdrawal([plan.folder], withdrawn.id)
    if earlier is not None:
        raise UsageError("journal.withdrawn_twice", id=withdrawn.id, first=earlier)
    return withdrawn


def _status_date(request: UpdateRequest, corrected: Update | None, today: dt.date, plan: Plan) -> dt.date:
    assert plan.start is not None and plan.end is not None  # build_record refused a plan without a period
    if request.date is not None:
        try:
            date = dt.date.fromisoformat(request.date.strip())
        except ValueError:
            raise UsageError("update.bad_date", found=request.date) from None
    elif corrected is not None:
        date = corrected.date  # a correction (a withdrawal) speaks of the same day unless told otherwise
    else:
        date = default_date(today, plan.end)
    if not plan.start <= date <= plan.end:
        raise UsageError(
            "update.date_outside", date=date.isoformat(), start=plan.start.isoformat(), end=plan.end.isoformat()
        )
    if date > today:
        raise UsageError("update.date_future", date=date.isoformat(), today=today.isoformat())
    return date


def _check(record: dict[str, Any], request: UpdateRequest) -> None:
    """The record against the journal's schema; the first problem found, said in terms of the
    option it came from where there is one."""
    _, problems = schema.check_value(schema.UPDATE, record)
    if not problems:
        return
    problem = problems[0]
    field = str(problem.path[0]) if problem.path else None
    if problem.msg.key == "schema.one_of":
        raise UsageError("update.nothing")
    if problem.msg.key == "schema.missing" and problem.msg.args.get("key") == "author":
        raise UsageError("update.no_author")
    if field == "progress":
        raise UsageError("update.bad_progress", found=request.progress)
    if field == "actual":
        name = problem.path[1] if len(problem.path) > 1 else ""
        item = next((i for i in request.actual if _nfc(i.partition("=")[0].strip()) == name), name)
        raise UsageError("update.bad_actual", found=item)
    if field in ("note", "evidence", "author", "reason"):
        raise UsageError("update.bad_text", option=f"--{field}")
    raise UsageError("update.invalid", field=field or "", problem=problem.msg)


def commit_message(record: dict[str, Any]) -> str:
    """A conventional commit message: ``chore(status): N1.1 in_progress 40% [id]``; a
    withdrawal is a revert: ``revert(status): N1.1 [id] (withdraws ID)``."""
    if "withdraws" in record:
        return f"revert(status): {record['task']} [{record['id']}] (withdraws {record['withdraws']})"
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
