"""Derived state: pure functions over plan + journal, as of any date.

Nothing here is stored: a task's status, progress and health are folded from its
journal; overdue, due soon and stale are computed against a date; roll-ups and
reporting compliance are computed from those.  Reports and views call these same
functions, so every number a person sees has one definition.

Conventions, said once:
- An update counts from its status ``date``; ``as_of`` sees the updates dated on or before it.
- Updates of one day count in the order they were recorded, compared as instants (whatever
  UTC offset each was written with); updates recorded in the same instant, in the order
  they were written (``model.UPDATE_ORDER``).
- A correction amends the update it corrects: the fields it gives replace that update's, the
  others are kept (a correction of a correction amends the amended one); corrections count
  whenever they were recorded.  A withdrawal (``withdraws``) takes an update out, with its
  corrections, and is itself no update.
- Fields an update leaves out keep their earlier value; ``completed`` without a progress
  figure means 100 %; no report at all means ``not_started`` and 0 %.
- Roll-ups are the unweighted mean of task progress: each task counts once.
- An owner that has ended (``active_until``) hands its tasks to its successor from the
  next day; a report its predecessor gave before that day stays the predecessor's.
- Reporting compliance (who owes a report for a period, who has given it) has one
  definition: ``owed_reports`` below.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from .model import UPDATE_KEYS, Owner, Plan, Task, Update, Workspace

DONE = "completed"
RESTING = frozenset({"completed", "suspended"})  # no report is expected of these
DUE_SOON_DAYS = 30
WEIGHTING = "unweighted"  # said in every roll-up's output


# --- reporting periods --------------------------------------------------------------------


class Period(NamedTuple):
    """A span of days with its name (``2024``, ``2024-H1``, ``2021..2025``); ``day in period``."""

    label: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def slug(self) -> str:
        """The period as it appears in file names (reports, forms, narratives): ``2024``,
        ``2024-H1``, ``2021-2025``."""
        return self.label.replace("..", "-")


def _cutoff(year: int, cutoff: str, months_back: int) -> dt.date:
    """The cut-off day of ``year``, ``months_back`` months earlier (day clamped to the month)."""
    month, day = int(cutoff[:2]), int(cutoff[3:])
    month -= months_back
    while month <= 0:
        month += 12
        year -= 1
    for candidate in (day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(cutoff)  # pragma: no cover - day 28 exists in every month


_PARTS = {
    "yearly": ((0, ""),),
    "half-yearly": ((6, "H1"), (0, "H2")),
    "quarterly": ((9, "Q1"), (6, "Q2"), (3, "Q3"), (0, "Q4")),
}


def reporting_periods(plan: Plan) -> list[Period]:
    """The plan's reporting periods, in order, covering its whole period.

    A reporting year ends on the cut-off day (``12-14``: 15/12 of the year before to 14/12);
    half-years and quarters end 6 and 3 months before.  The first period starts on the
    plan's first day, and the last runs to the plan's last day (with cut-off 12-14, the
    2025 period of a plan ending 31/12/2025 runs 15/12/2024 to 31/12/2025).
    """
    if plan.start is None or plan.end is None or plan.start > plan.end:
        return []
    parts = _PARTS.get(plan.reporting.frequency, _PARTS["yearly"])
    ends: list[tuple[dt.date, str]] = []
    for year in range(plan.start.year, plan.end.year + 2):
        for months_back, suffix in parts:
            ends.append(
                (_cutoff(year, plan.reporting.cutoff, months_back), f"{year}-{suffix}" if suffix else str(year))
            )
    periods: list[Period] = []
    start = plan.start
    for end, label in sorted(ends):
        if end < start:
            continue
        if end >= plan.end:
            periods.append(Period(label, start, plan.end))
            break
        periods.append(Period(label, start, end))
        start = end + dt.timedelta(days=1)
    if len(periods) > 1 and int(periods[-1].label[:4]) > plan.end.year:
        # the days after the last cut-off (15/12 to 31/12) belong to the plan's last period, not to a stub
        # period named after a year the plan does not reach
        periods[-2:] = [Period(periods[-2].label, periods[-2].start, plan.end)]
    return periods


def period_of(plan: Plan, day: dt.date) -> Period | None:
    """The reporting period holding ``day``; the last one once the plan has ended."""
    periods = reporting_periods(plan)
    for period in periods:
        if day in period:
            return period
    if periods and day > periods[-1].end:
        return periods[-1]
    return None


_PERIOD_RE = re.compile(r"(?P<y1>[0-9]{4})(?:-(?P<part>H[12]|Q[1-4]))?(?:\.\.(?P<y2>[0-9]{4}))?")


def parse_period(text: str, plan: Plan) -> Period | None:
    """``2024``, ``2024-H1``, ``2024-Q3`` (reporting periods of the plan's calendar) or
    ``2021..2025`` (from the first to the last); None when the text is none of these."""
    match = _PERIOD_RE.fullmatch(text.strip())
    if match is None or (match["part"] and match["y2"]):
        return None
    periods = reporting_periods(plan)
    if match["y2"]:
        first, last = int(match["y1"]), int(match["y2"])
        inside = [p for p in periods if first <= int(p.label[:4]) <= last]
        if not inside or first > last:
            return None
        return Period(text.strip(), inside[0].start, inside[-1].end)
    if match["part"]:
        year = int(match["y1"])
        quarter = {"H1": (1, 2), "H2": (3, 4), "Q1": (1,), "Q2": (2,), "Q3": (3,), "Q4": (4,)}[match["part"]]
        # in the plan's own calendar if it reports at that frequency, else by quarters of its year
        exact = [p for p in periods if p.label == f"{year}-{match['part']}"]
        if exact:
            return exact[0]
        yearly = [p for p in periods if p.label[:4] == str(year)]
        if not yearly:
            return None
        start, end = yearly[0].start, yearly[-1].end
        cut = plan.reporting.cutoff
        bounds = [_cutoff(year, cut, months) for months in (12, 9, 6, 3, 0)]
        q_start = max(start, bounds[quarter[0] - 1] + dt.timedelta(days=1))
        # the year's last quarter or half ends with the year's period (which, in the plan's last
        # year, runs on to the plan's last day)
        q_end = end if quarter[-1] == 4 else min(end, bounds[quarter[-1]])
        return Period(text.strip(), q_start, q_end) if q_start <= q_end else None
    year_periods = [p for p in periods if p.label[:4] == match["y1"]]
    if not year_periods:
        return None
    return Period(match["y1"], year_periods[0].start, year_periods[-1].end)


def default_as_of(plans: Iterable[Plan], today: dt.date) -> tuple[dt.date, dt.date | None]:
    """The day a view looks from when none is given, and the plans' end when that is it: once
    every plan has ended, the last plan's last day (seen from later, every open task of an
    ended plan would look unreported); else today."""
    ends = [plan.end for plan in plans]
    if not ends or any(end is None or end >= today for end in ends):
        return today, None
    last = max(end for end in ends if end is not None)
    return last, last


# --- owners over time -----------------------------------------------------------------------


def effective_owner(owner_id: str | None, day: dt.date, owners: dict[str, Owner]) -> str | None:
    """Who holds ``owner_id``'s work on ``day``: the owner, or the successor it handed over to."""
    return held_since(owner_id, day, owners)[0]


class Predecessors:
    """Owner id -> every owner whose successor chain leads to it (itself included), found
    when asked: for all owners at once the sets would hold a chain of n hand-overs n²/2
    times, and callers ask about a handful of owners."""

    def __init__(self, owners: dict[str, Owner]) -> None:
        self._handed_by: dict[str, list[str]] = defaultdict(list)
        for owner_id, owner in owners.items():
            if owner.successor is not None:
                self._handed_by[owner.successor].append(owner_id)
        self._owners = owners

    def get(self, owner_id: str, default: set[str]) -> set[str]:
        """Those that handed over to ``owner_id`` in turn, and itself; ``default`` for an id
        that is neither an owner nor anyone's successor."""
        if owner_id not in self._owners and owner_id not in self._handed_by:
            return default
        found = {owner_id} if owner_id in self._owners else set()
        todo = [owner_id]
        while todo:
            for earlier in self._handed_by.get(todo.pop(), ()):
                if earlier not in found:
                    found.add(earlier)
                    todo.append(earlier)
        return found


def predecessors(owners: dict[str, Owner]) -> Predecessors:
    """Owner id -> every owner whose successor chain leads to it (itself included)."""
    return Predecessors(owners)


# --- the journal folded into state ----------------------------------------------------------

_BY_DATE, _BY_BY = attrgetter("date"), attrgetter("by")


_AMENDED = ("status", "progress", "health", "actual", "note", "evidence")


def _amend(corrected: Update, correction: Update) -> Update:
    """The correction, with what it leaves out taken from the update it corrects: a correction
    replaces the fields it gives and keeps the others (indicator values merge by indicator)."""
    kept = {name: getattr(corrected, name) for name in _AMENDED if getattr(correction, name) is None}
    if correction.actual and corrected.actual:
        kept["actual"] = {**corrected.actual, **correction.actual}
    return correction._replace(**kept) if kept else correction


def effective_updates(updates: Iterable[Update]) -> list[Update]:
    """Updates in the order they count (``UPDATE_ORDER``: status date, the instant recorded,
    the order written), with corrections applied and withdrawals taken out.

    A correction amends: it stands in the place of the update it corrects (and of that one's
    earlier corrections), with that update's fields where it gives none.  A withdrawal line
    (``withdraws``) counts as no update; the update it names is taken out, with every
    correction of it.  A correction or withdrawal naming no update in the list changes nothing."""
    listed = list(updates)
    corrections = [u for u in listed if u.corrects is not None]
    withdrawn = {u.withdraws for u in listed if u.withdraws is not None}
    if corrections or withdrawn:
        listed = _apply_corrections(listed, corrections, withdrawn)
    # one stable sort per key, least significant first: no key tuple per update (100,000
    # tuples, and the garbage collector scanning the heap each time they pile up)
    for key in reversed(UPDATE_KEYS):
        listed.sort(key=attrgetter(key))
    return listed


def _apply_corrections(listed: list[Update], corrections: list[Update], withdrawn: set[str]) -> list[Update]:
    by_id = {u.id: u for u in listed}
    corrected_by: dict[str, list[Update]] = defaultdict(list)
    for correction in corrections:
        corrected_by[str(correction.corrects)].append(correction)
    # withdrawing an update takes its corrections with it
    gone: set[str] = set()
    pending = [w for w in withdrawn if w in by_id]
    while pending:
        current = pending.pop()
        if current not in gone:
            gone.add(current)
            pending.extend(c.id for c in corrected_by.get(current, ()))
    superseded = {u.corrects for u in corrections if u.id not in gone and u.corrects in by_id}
    resolved: dict[str, Update] = {}
    return [
        u if u.corrects is None else _amended(u, by_id, resolved, gone)  # a plain update stands as written
        for u in listed
        if u.withdraws is None and u.id not in gone and u.id not in superseded
    ]


def _amended(
    update: Update, by_id: dict[str, Update], resolved: dict[str, Update], gone: Set[str] = frozenset()
) -> Update:
    """The update with every correction on the way to it applied (a correction of a correction
    amends the amended one), an update in ``gone`` ending the way.  A loop, not a recursion: a
    hand-written or merged journal may hold a chain of 10,000 corrections, or a cycle (which
    ends where it comes round: the update seen again stands as written).  Each update is
    resolved once (``resolved``), so every correction of a long chain costs one step."""
    chain: list[Update] = []
    seen: set[str] = set()
    current: Update | None = update
    base: Update | None = None
    while current is not None:
        found = resolved.get(current.id)
        if found is not None:
            base = found
            break
        if current.id in seen:
            break
        seen.add(current.id)
        chain.append(current)
        target = by_id.get(current.corrects) if current.corrects is not None else None
        current = None if target is None or target.id in gone else target
    for link in reversed(chain):
        base = link if base is None else _amend(base, link)
        resolved[link.id] = base
    return resolved[update.id]


def correction_changes(updates: Iterable[Update]) -> dict[str, list[tuple[str, object, object]]]:
    """Correction id -> the fields it changed, as (field, before, after), before being the
    corrected update as amended so far: what ``show`` says a correction did."""
    listed = list(updates)
    by_id = {u.id: u for u in listed}
    changes: dict[str, list[tuple[str, object, object]]] = {}
    resolved: dict[str, Update] = {}
    for correction in listed:
        target = by_id.get(correction.corrects) if correction.corrects is not None else None
        if target is None:
            continue
        before = _amended(target, by_id, resolved)  # as amended by the corrections it corrects in turn
        changed = [
            (name, getattr(before, name), getattr(correction, name))
            for name in _AMENDED
            if getattr(correction, name) is not None and getattr(correction, name) != getattr(before, name)
        ]
        changes[correction.id] = changed
    return changes


class TaskState(NamedTuple):
    """A task as of a day.  A NamedTuple rather than a frozen dataclass: a 10,000-task
    report builds 10,000 of these, and a tuple is built several times faster."""

    task: Task
    plan: Plan
    as_of: dt.date
    status: str
    progress: float
    health: str | None
    actual: dict[str, float]
    lead: str | None
    support: tuple[str, ...]
    updates: tuple[Update, ...]
    overdue: bool
    due_soon: bool
    stale: bool

    @property
    def last_update(self) -> Update | None:
        return self.updates[-1] if self.updates else None

    @property
    def due(self) -> dt.date | None:
        return self.task.due


def fold(updates: Sequence[Update]) -> tuple[str, float, str | None, dict[str, float]]:
    """(status, progress, health, actual) after ``updates``, in order."""
    status, progress, health = "not_started", 0.0, None
    actual: dict[str, float] = {}
    for update in updates:
        said = update.status
        if said is not None:
            status = said
        figure = update.progress
        if figure is not None:
            progress = float(figure)
        elif said == DONE:
            progress = 100.0
        if update.health is not None:
            health = update.health
        if update.actual:
            actual.update(update.actual)
    return status, progress, health, actual


def task_window(task: Task, plan: Plan) -> tuple[dt.date | None, dt.date | None]:
    return task.start or plan.start, task.due or plan.end


def _hold_chain(
    owner_id: str | None, day: dt.date, owners: dict[str, Owner], holder: dict[str | None, str | None]
) -> None:
    """``effective_owner`` of ``owner_id`` on ``day`` into ``holder``, and of every owner met on
    its way, each walked once: asked of every owner, a chain of thousands of hand-overs costs
    its length, not its length squared.  The answers are ``effective_owner``'s, loops
    included (an owner on a loop holds its own work; one leading into a loop, the owner
    where it enters)."""
    path: list[str] = []
    at: dict[str, int] = {}
    current = owner_id
    while current is not None and current not in holder and current not in at:
        owner = owners.get(current)
        if owner is None or owner.active_until is None or day <= owner.active_until or owner.successor is None:
            break
        at[current] = len(path)
        path.append(current)
        current = owner.successor
    if current in at:  # a loop: each owner on it holds its own work
        start = at[current]
        holder.update((member, member) for member in path[start:])
        path = path[:start]
    result = holder.get(current, current)
    holder.update((walked, result) for walked in path)
    holder.setdefault(current, result)


def task_states(
    ws: Workspace, as_of: dt.date, *, due_soon_days: int = DUE_SOON_DAYS, stale_days: int | None = None
) -> list[TaskState]:
    """Every task's state on ``as_of``, in plan and file order.

    Stale: an active task (started, not completed or suspended) with no update in the
    reporting period holding ``as_of`` — or, with ``stale_days``, none in that many days.
    """
    owners = ws.owner_map()
    holder: dict[str | None, str | None] = {}  # owner -> who holds its work on as_of: 25,000 look-ups, few owners

    def held(owner_id: str | None) -> str | None:
        if owner_id not in holder:
            _hold_chain(owner_id, as_of, owners, holder)
        return holder[owner_id]

    moved = frozenset(o for o in owners if held(o) != o)  # owners whose work someone else holds on as_of
    # who supports, after hand-overs, per lead and written list: few distinct lists
    supporters: dict[str | None, dict[tuple[str, ...], tuple[str, ...]]] = {}
    soon = as_of + dt.timedelta(days=due_soon_days)
    states: list[TaskState] = []
    for plan in ws.plans:
        ordered = effective_updates(plan.updates)
        by_task: dict[str, list[Update]] = {}
        for update in ordered[: bisect_right(ordered, as_of, key=_BY_DATE)]:  # in date order: up to as_of
            history = by_task.get(update.task)
            if history is None:
                by_task[update.task] = [update]
            else:
                history.append(update)
        current = period_of(plan, as_of)
        if stale_days is not None:
            quiet_since: dt.date | None = as_of - dt.timedelta(days=stale_days)
        else:
            quiet_since = current.start if current is not None else None
        for task in plan.tasks:
            if task.id is None:
                continue
            found = by_task.get(task.id)
            history_t = tuple(found) if found else ()
            status, progress, health, actual = fold(history_t)
            start, due = task.start or plan.start, task.due
            done = status == DONE
            overdue = due is not None and due < as_of and not done
            due_soon = due is not None and not done and as_of <= due <= soon
            active = (start is None or start <= as_of) and status not in RESTING
            # stale: active, and quiet since the period began (or for stale_days)
            stale = active and quiet_since is not None and (not history_t or history_t[-1].date < quiet_since)
            lead = holder[task.lead] if task.lead in holder else held(task.lead)
            lists = supporters.get(lead)
            if lists is None:
                lists = supporters[lead] = {}
            written = task.support
            support = lists.get(written)
            if support is None:
                if lead not in written and moved.isdisjoint(written) and len(set(written)) == len(written):
                    support = written  # nobody in it handed over, the lead not among them: as written
                else:
                    # after a hand-over the lead's successor may already be a supporter: it leads, once
                    support = tuple(dict.fromkeys(o for o in map(held, written) if o is not None and o != lead))
                lists[written] = support
            states.append(
                TaskState(
                    task,
                    plan,
                    as_of,
                    status,
                    progress,
                    health,
                    actual,
                    lead,
                    support,
                    history_t,
                    overdue,
                    due_soon,
                    stale,
                )
            )
    return states


# --- roll-ups -------------------------------------------------------------------------------


@dataclass
class Rollup:
    """Counts and the unweighted mean progress of a set of tasks."""

    key: str
    plan: str | None = None
    tasks: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    stale: int = 0
    progress_sum: float = 0.0

    @property
    def completed(self) -> int:
        return self.by_status.get(DONE, 0)

    @property
    def progress(self) -> float:
        return round(self.progress_sum / self.tasks, 1) if self.tasks else 0.0

    def add(self, state: TaskState) -> None:
        self.add_all((state,))

    def add_all(self, states: Iterable[TaskState]) -> None:
        """Count ``states`` in (one loop with local counters: 10,000 tasks are added twice a report)."""
        by_status = self.by_status
        tasks = overdue = stale = 0
        progress = 0.0
        for state in states:
            tasks += 1
            by_status[state.status] = by_status.get(state.status, 0) + 1
            overdue += state.overdue
            stale += state.stale
            progress += state.progress
        self.tasks += tasks
        self.overdue += overdue
        self.stale += stale
        self.progress_sum += progress


def rollup_by_objective(states: Iterable[TaskState]) -> list[Rollup]:
    """One roll-up per task group, in order; two plans' groups of the same id stay apart
    (the key is the objective id; ``plan`` says whose)."""
    groups: dict[tuple[str | None, str], list[TaskState]] = {}
    for state in states:
        key = (state.plan.id, state.task.objective or "?")
        members = groups.get(key)
        if members is None:
            groups[key] = [state]
        else:
            members.append(state)
    rollups = []
    for (plan_id, objective), members in groups.items():
        rollup = Rollup(objective, plan=plan_id)
        rollup.add_all(members)
        rollups.append(rollup)
    return rollups


def rollup_total(states: Iterable[TaskState]) -> Rollup:
    total = Rollup("*")
    total.add_all(states)
    return total


# --- reporting compliance -------------------------------------------------------------------
#
# One definition, said once (docs/reports.md shows it with examples); the owners view, the
# report's list of agencies that have not reported, collect's forms and anything that asks
# "who owes a report" all read it from here:
# - a task owes a report for a period when it is open in it (``owes_report``);
# - it has given that report when an update of it (after corrections and withdrawals) is
#   dated within the period, up to ``as_of``, and on or after the day its lead at the
#   period's end took it over: a successor is not credited with what its predecessor
#   reported before the hand-over;
# - the report is owed by the task's lead at the period's end (after hand-overs); an owner
#   misses the period when any task it owes a report for has none.


def owes_report(task: Task, plan: Plan, status: str, period: Period, as_of: dt.date) -> bool:
    """A task's lead owes a report for ``period`` when the task has started by the period's
    end (or ``as_of``) and, when the period began (``status``), was neither completed nor
    suspended.  An open task past its due date still owes one: that is when a report
    matters most."""
    start, _ = task_window(task, plan)
    return status not in RESTING and (start is None or start <= min(period.end, as_of))


def held_since(owner_id: str | None, day: dt.date, owners: dict[str, Owner]) -> tuple[str | None, dt.date]:
    """Who holds ``owner_id``'s work on ``day`` (``effective_owner``), and the first day it has
    held it without a break up to ``day`` (``date.min`` when it always has)."""
    seen: set[str] = set()
    current = owner_id
    since = dt.date.min
    while current is not None and current not in seen:
        seen.add(current)
        owner = owners.get(current)
        if owner is None or owner.active_until is None or day <= owner.active_until or owner.successor is None:
            return current, since
        since = max(since, owner.active_until + dt.timedelta(days=1))
        current = owner.successor
    return current, since


class OwedReport(NamedTuple):
    """One task's report for one period: owed by ``holder`` (the lead at the period's end,
    after hand-overs), counted from ``since`` (the period's start, or the hand-over day when
    the holder took the task over within the period); ``reported`` when it was given."""

    task: Task
    plan: Plan
    period: Period
    holder: str | None
    since: dt.date
    reported: bool


class _Journal(NamedTuple):
    """What compliance needs of one task's journal for one period: its status when the period
    began, and the day of its last update within the period up to the figures day."""

    task: Task
    plan: Plan
    period: Period
    status: str
    last: dt.date | None


def _from_plans(ws: Workspace, period: Period | None, as_of: dt.date) -> Iterator[_Journal]:
    for plan in ws.plans:
        current = period if period is not None else period_of(plan, as_of)
        if current is None:
            continue
        ordered = effective_updates(plan.updates)  # in date order: the period found by bisection
        end = min(current.end, as_of)
        begins, ends = bisect_left(ordered, current.start, key=_BY_DATE), bisect_right(ordered, end, key=_BY_DATE)
        status = {u.task: u.status for u in ordered[: min(begins, ends)] if u.status is not None}
        last = {u.task: u.date for u in ordered[begins:ends]}  # in date order: the last one stays
        for task in plan.tasks:
            if task.id is not None:
                yield _Journal(task, plan, current, status.get(task.id, "not_started"), last.get(task.id))


def _from_states(states: Iterable[TaskState], period: Period | None, as_of: dt.date) -> Iterator[_Journal]:
    periods: dict[int, Period | None] = {}
    for state in states:
        plan, updates = state.plan, state.updates
        key = id(plan)
        if key not in periods:
            periods[key] = period if period is not None else period_of(plan, as_of)
        current = periods[key]
        if current is None or state.task.id is None:
            continue
        begins = bisect_left(updates, current.start, key=_BY_DATE)
        status = "not_started"
        for before in range(begins - 1, -1, -1):
            said = updates[before].status
            if said is not None:
                status = said
                break
        ends = bisect_right(updates, min(current.end, as_of), key=_BY_DATE)
        last = updates[ends - 1].date if ends > begins else None
        yield _Journal(state.task, plan, current, status, last)


def owed_reports(
    ws: Workspace, period: Period | None, as_of: dt.date, *, states: Iterable[TaskState] | None = None
) -> list[OwedReport]:
    """Every task that owes a report for ``period`` (None: each plan's period holding ``as_of``),
    in plan order, and whether it has given it by ``as_of``.

    ``states``, when the caller has them (``task_states(ws, as_of)``, filtered or not), saves
    folding the journal again: only their tasks are counted, from the updates they hold."""
    owners = ws.owner_map()
    holders: dict[tuple[str | None, dt.date], tuple[str | None, dt.date]] = {}
    journals = _from_plans(ws, period, as_of) if states is None else _from_states(states, period, as_of)
    found: list[OwedReport] = []
    for task, plan, current, status, last in journals:
        if not owes_report(task, plan, status, current, as_of):
            continue
        end = min(current.end, as_of)
        held = holders.get((task.lead, end))
        if held is None:
            held = holders[(task.lead, end)] = held_since(task.lead, end, owners)
        holder, took = held
        since = max(current.start, took)
        # the last update in the period is the one to ask: given when it came after the hand-over
        found.append(OwedReport(task, plan, current, holder, since, last is not None and last >= since))
    return found


def missing_reports(ws: Workspace, period: Period, as_of: dt.date) -> list[str]:
    """Owners that miss ``period`` (by ``as_of``): that owe a report for a task and have none."""
    return missing_owners(owed_reports(ws, period, as_of))


def missing_owners(owed: Iterable[OwedReport]) -> list[str]:
    """The holders of the reports in ``owed`` that were not given, sorted."""
    return sorted({r.holder for r in owed if not r.reported and r.holder is not None})


@dataclass
class OwnerSummary:
    id: str
    owner: Owner | None
    led: int = 0
    supported: int = 0
    completed: int = 0
    overdue: int = 0
    last_report: dt.date | None = None
    owed: int = 0  # tasks it leads that owe a report for the period
    given: int = 0  # of those, the ones that have it
    missing: list[str] = field(default_factory=list)  # the ids of the others

    @property
    def misses(self) -> bool:
        return self.given < self.owed


def owner_summaries(ws: Workspace, states: Sequence[TaskState], as_of: dt.date) -> list[OwnerSummary]:
    """Per owner, over the tasks of ``states`` (``task_states(ws, as_of)``, filtered or not):
    tasks led and supported (after hand-overs), completed, overdue, its last report, and how
    many of the tasks it leads owe a report for each plan's period holding ``as_of`` and how
    many have it (``owed_reports``).  A report counts as its giver's (``by``), or from the
    giver's hand-over on as its successor's."""
    owners = ws.owner_map()
    summaries: dict[str, OwnerSummary] = {}

    def summary(owner_id: str) -> OwnerSummary:
        found = summaries.get(owner_id)
        if found is None:
            found = summaries[owner_id] = OwnerSummary(owner_id, owners.get(owner_id))
        return found

    last: dict[str, dt.date] = {}
    handing = {o for o, owner in owners.items() if owner.active_until is not None and owner.successor is not None}
    credited: dict[tuple[str, dt.date], str | None] = {}
    for state in states:
        if state.lead is not None:
            lead = summary(state.lead)
            lead.led += 1
            lead.completed += state.status == DONE
            lead.overdue += state.overdue
        for supporter in state.support:
            summary(supporter).supported += 1
        for update in state.updates:
            giver: str | None = update.by
            if giver in handing:
                key = (update.by, update.date)
                if key not in credited:
                    credited[key] = effective_owner(update.by, update.date, owners)
                giver = credited[key]
            if giver is not None and (giver not in last or last[giver] < update.date):
                last[giver] = update.date
    for owed in owed_reports(ws, None, as_of, states=states):
        if owed.holder is None:
            continue
        item = summary(owed.holder)
        item.owed += 1
        if owed.reported:
            item.given += 1
        elif owed.task.id is not None:
            item.missing.append(owed.task.id)
    for owner_id, item in summaries.items():
        item.last_report = last.get(owner_id)
    return sorted(summaries.values(), key=lambda s: (-s.led, s.id))
