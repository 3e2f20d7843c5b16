"""Derived state: reporting periods, hand-overs, folding the journal, what owes a report."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from conftest import SHIPPED_PLAN

from aseanctl.loader import load_workspace
from aseanctl.model import Owner, Plan, Src, Task, Update, Workspace
from aseanctl.progress import (
    Period,
    _hold_chain,
    effective_owner,
    effective_updates,
    fold,
    parse_period,
    period_of,
    predecessors,
    reporting_periods,
)

D = dt.date


@pytest.fixture(scope="module")
def plan() -> Plan:  # the shipped plan: 2021-01-01 .. 2025-12-31, yearly, cut-off 12-14
    return load_workspace(SHIPPED_PLAN).workspace.plans[0]


def test_reporting_years_run_from_cut_off_to_cut_off(plan) -> None:
    assert [(p.label, p.start, p.end) for p in reporting_periods(plan)] == [
        ("2021", D(2021, 1, 1), D(2021, 12, 14)),
        ("2022", D(2021, 12, 15), D(2022, 12, 14)),
        ("2023", D(2022, 12, 15), D(2023, 12, 14)),
        ("2024", D(2023, 12, 15), D(2024, 12, 14)),
        ("2025", D(2024, 12, 15), D(2025, 12, 31)),  # the last one runs to the plan's last day: no 2026 stub
    ]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2024", D(2023, 12, 15), D(2024, 12, 14)),
        ("2024-H1", D(2023, 12, 15), D(2024, 6, 14)),
        ("2024-H2", D(2024, 6, 15), D(2024, 12, 14)),
        ("2024-Q1", D(2023, 12, 15), D(2024, 3, 14)),
        ("2024-Q3", D(2024, 6, 15), D(2024, 9, 14)),
        ("2025-Q4", D(2025, 9, 15), D(2025, 12, 31)),
        ("2021..2025", D(2021, 1, 1), D(2025, 12, 31)),
        ("2022..2023", D(2021, 12, 15), D(2023, 12, 14)),
    ],
)
def test_periods_by_name(plan, text: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text, plan)
    assert period is not None and (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2030", "2024-Q5", "2024-H1..2025", "2025..2021", "năm 2024", ""])
def test_periods_that_are_not(plan, text: str) -> None:
    assert parse_period(text, plan) is None


def test_period_of_a_day_and_after_the_plan(plan) -> None:
    for day, label in ((D(2024, 12, 14), "2024"), (D(2024, 12, 15), "2025"), (D(2026, 11, 29), "2025")):
        period = period_of(plan, day)
        assert period is not None and period.label == label, day


def owner(ident: str, until: dt.date | None = None, successor: str | None = None) -> Owner:
    return Owner(
        id=ident, name=ident, kind="department", src=Src(Path("owners.yaml")), active_until=until, successor=successor
    )


def test_hand_over_follows_the_successor_chain_from_the_next_day() -> None:
    owners = {"a": owner("a", D(2025, 2, 28), "b"), "b": owner("b", D(2025, 6, 30), "c"), "c": owner("c")}
    assert effective_owner("a", D(2025, 2, 28), owners) == "a"
    assert effective_owner("a", D(2025, 3, 1), owners) == "b"
    assert effective_owner("a", D(2025, 7, 1), owners) == "c"
    loop = {"x": owner("x", D(2024, 1, 1), "y"), "y": owner("y", D(2024, 1, 1), "x")}
    assert effective_owner("x", D(2025, 1, 1), loop) in ("x", "y")  # a loop ends, it does not hang


def test_holders_and_predecessors_found_once_per_chain_are_the_chain_walks_answers() -> None:
    """task_states finds every owner's holder along each chain once, and predecessors are
    found when asked: on random successor graphs (loops, owners that are not there, owners
    still active) both give what walking each chain from each owner gives."""
    rng = random.Random(7)
    for _ in range(2000):
        ids = [f"o{i}" for i in range(rng.randint(1, 7))]
        owners = {
            i: owner(i, rng.choice([None, D(2022, 1, 1), D(2024, 1, 1)]), rng.choice([*ids, None, "ghost"]))
            for i in ids
        }
        day = rng.choice([D(2021, 1, 1), D(2023, 1, 1), D(2025, 1, 1)])
        holder: dict[str | None, str | None] = {}
        asked: list[str | None] = [*ids, None, "ghost"]
        rng.shuffle(asked)
        for owner_id in asked:
            if owner_id not in holder:
                _hold_chain(owner_id, day, owners, holder)
            assert holder[owner_id] == effective_owner(owner_id, day, owners), (owners, day, owner_id)
        walked: dict[str, set[str]] = {}
        for start in owners:
            seen: set[str] = set()
            current: str | None = start
            while current is not None and current not in seen:
                seen.add(current)
                walked.setdefault(current, set()).add(start)
                current = owners[current].successor if current in owners else None
        found = predecessors(owners)
        for owner_id in [*ids, "ghost", "nobody"]:
            assert found.get(owner_id, {"-"}) == walked.get(owner_id, {"-"}), (owners, owner_id)


def make_update(
    ident: str,
    day: dt.date,
    *,
    task: str = "T1",
    by: str = "a",
    recorded: str | None = None,
    file: Path = Path("j.jsonl"),
    line: int = 1,
    status: str | None = None,
    progress: float | None = None,
    health: str | None = None,
    note: str | None = None,
    corrects: str | None = None,
) -> Update:
    """An update as the journal reader builds one, from the record of a journal line."""
    return Update.from_record(
        file,
        line,
        id=ident,
        task=task,
        date=day.isoformat(),
        by=by,
        author="A",
        recorded=recorded or f"{day}T08:00:00Z",
        status=status,
        progress=progress,
        health=health,
        note=note,
        corrects=corrects,
    )


update = make_update


def test_fold_keeps_what_updates_leave_out_and_completed_means_100() -> None:
    history = [
        update("1", D(2024, 1, 1), status="in_progress", progress=30, health="amber"),
        update("2", D(2024, 2, 1), note="only a note"),
        update("3", D(2024, 3, 1), status="completed"),
    ]
    assert fold(history) == ("completed", 100.0, "amber", {})
    assert fold([]) == ("not_started", 0.0, None, {})


def test_a_correction_replaces_the_update_it_corrects_and_a_chain_keeps_the_last() -> None:
    first = update("1", D(2024, 1, 1), progress=60)
    fix = update("2", D(2024, 1, 1), progress=40, corrects="1")
    fix_of_fix = update("3", D(2024, 1, 1), progress=45, corrects="2")
    assert [u.id for u in effective_updates([first, fix, fix_of_fix])] == ["3"]
    assert fold(effective_updates([first, fix]))[1] == 40.0


def test_updates_are_ordered_by_date_then_instant_then_where_written_whatever_the_input_order() -> None:
    """On journals full of equal dates and equal recording instants (written with different UTC
    offsets), in every input order: by date, then instant, then file name and line."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    offsets = ["Z", "+07:00", "-05:00"]
    # (day, hour in UTC, offset written, file, line)
    entries = st.tuples(
        st.integers(1, 3), st.integers(0, 2), st.sampled_from(offsets), st.sampled_from(["2024", "2025"])
    )

    @given(st.lists(entries, max_size=40, unique_by=lambda e: e), st.randoms())
    @settings(max_examples=300, deadline=None)
    def check(keys: list[tuple[int, int, str, str]], rng: random.Random) -> None:
        updates = []
        for index, (day, hour, offset, year) in enumerate(keys):
            utc = dt.datetime(2024, 1, day, 10 + hour, tzinfo=dt.timezone.utc)
            shift = {"Z": 0, "+07:00": 7, "-05:00": -5}[offset]
            local = (utc + dt.timedelta(hours=shift)).replace(tzinfo=None).isoformat()
            updates.append(
                make_update(
                    f"id{index:03d}",
                    D(2024, 1, day),
                    recorded=local + offset,
                    file=Path(f"journal/{year}.jsonl"),
                    line=index + 1,
                )
            )
        expected = sorted(updates, key=lambda u: (u.date, dt.datetime.fromisoformat(u.recorded), u.file.name, u.line))
        rng.shuffle(updates)
        assert effective_updates(updates) == expected

    check()


def _owed_by_the_book(ws: Workspace, period: Period, as_of: dt.date) -> dict[str, tuple[str | None, bool]]:
    """docs/reports.md's definition written the slow, obvious way: task id -> (who owes its
    report, whether it was given), for the tasks that owe one."""
    from aseanctl.progress import owes_report

    owners = ws.owner_map()
    end = min(period.end, as_of)
    owed: dict[str, tuple[str | None, bool]] = {}
    for plan in ws.plans:
        updates = effective_updates(plan.updates)
        for task in plan.tasks:
            mine = [u for u in updates if u.task == task.id and u.date <= as_of]
            status = fold([u for u in mine if u.date < period.start])[0]
            if task.id is None or not owes_report(task, plan, status, period, as_of):
                continue
            holder = effective_owner(task.lead, end, owners)
            # a report counts when given in the period while the holder at its end held the task
            given = any(
                period.start <= u.date <= end and effective_owner(task.lead, u.date, owners) == holder for u in mine
            )
            owed[task.id] = (holder, given)
    return owed


_OWNER_NAMES = "abcdefgh"
# a hands over to b on 2024-07-01, b to c on 2025-03-01: reports are credited across two hand-overs
_OWNERS = (owner("a", D(2024, 6, 30), "b"), owner("b", D(2025, 2, 28), "c"), *(owner(n) for n in _OWNER_NAMES[2:]))
_STATUSES = (None, "in_progress", "completed", "suspended", "not_started")


def _random_workspace(leads: list[int], starts: list[int], journal: list[tuple[int, int, int, int]]) -> Workspace:
    task_starts = (None, D(2023, 3, 1), D(2024, 9, 1), D(2025, 5, 1))
    tasks = tuple(
        Task(
            f"T{n}",
            "p",
            "N1",
            f"Việc {n}",
            _OWNER_NAMES[lead],
            Src(Path("t.yaml")),
            start=task_starts[start],
            recurring="yearly" if n % 3 == 0 else None,  # the report's recurring chart counts these
        )
        for n, (lead, start) in enumerate(zip(leads, starts, strict=False))
    )
    updates = tuple(
        make_update(
            f"u{n:03d}",
            D(2021, 1, 1) + dt.timedelta(days=day),
            task=f"T{task % len(tasks)}",
            by=_OWNER_NAMES[by],
            recorded=f"2025-01-01T00:{n // 60 % 60:02d}:{n % 60:02d}Z",
            line=n + 1,
            status=_STATUSES[status],
        )
        for n, (day, task, by, status) in enumerate(journal)
    )
    plan = Plan(
        "p",
        "Kế hoạch",
        Path("."),
        Src(Path("plan.yaml")),
        start=D(2021, 1, 1),
        end=D(2025, 12, 31),
        lead="a",
        tasks=tasks,
        updates=updates,
    )
    return Workspace(Path("."), _OWNERS, (plan,), ())


def _check_compliance(ws: Workspace) -> None:
    from aseanctl.progress import missing_reports, owed_reports, owner_summaries, task_states

    (plan,) = ws.plans
    for label in ("2021", "2022-H1", "2023-Q3", "2024", "2024-H2", "2025", "2021..2025"):
        period = parse_period(label, plan)
        assert period is not None, label
        for as_of in (
            period.start - dt.timedelta(days=20),
            period.start,
            period.start + dt.timedelta(days=90),
            period.end,
            period.end + dt.timedelta(days=40),
        ):
            book = _owed_by_the_book(ws, period, as_of)
            owed = owed_reports(ws, period, as_of)
            assert {r.task.id: (r.holder, r.reported) for r in owed} == book, (label, as_of)
            # from the states a view already has, the same answer
            from_states = owed_reports(ws, period, as_of, states=task_states(ws, as_of))
            assert from_states == owed, (label, as_of)
            # an owner misses exactly when a task it owes a report for has none
            assert missing_reports(ws, period, as_of) == sorted(
                {holder for holder, given in book.values() if holder is not None and not given}
            ), (label, as_of)
    for as_of in (D(2024, 3, 1), D(2024, 12, 1), D(2025, 6, 1), D(2026, 6, 1)):
        states = task_states(ws, as_of)
        summaries = owner_summaries(ws, states, as_of)
        current = period_of(plan, as_of)
        assert current is not None
        book = _owed_by_the_book(ws, current, as_of)
        # the counts add up: per owner, given + missing = owed; over owners, every owing task once
        assert all(s.given + len(s.missing) == s.owed for s in summaries)
        assert sum(s.owed for s in summaries) == len(book)
        assert sum(s.given for s in summaries) == sum(given for _, given in book.values())
        assert sorted(s.id for s in summaries if s.misses) == missing_reports(ws, current, as_of)
        # the report's list of agencies that have not reported, figure by figure, from the book
        from aseanctl.report.context import build_context

        context = build_context(ws, plan, kind="progress", period=current, as_of=as_of, lang="en")
        expected = []
        for holder in sorted({h for h, given in book.values() if h is not None and not given}):
            mine = [(task, given) for task, (h, given) in book.items() if h == holder]
            missing = [task for task, given in mine if not given]
            expected.append((holder, len(mine), len(mine) - len(missing), len(missing), ", ".join(missing)))
        printed = [(o["id"], o["owed"], o["given"], o["missing"], o["ids"]) for o in context["missing_owners"]]
        assert printed == expected, as_of
        # the recurring chart: per period begun by then, the recurring tasks that owed and gave
        recurring = {task.id for task in plan.tasks if task.recurring}
        chart = []
        for each in reporting_periods(plan):
            if each.start > as_of:
                break
            owed_then = {t: g for t, (_, g) in _owed_by_the_book(ws, each, as_of).items() if t in recurring}
            chart.append({"label": each.label, "owed": len(owed_then), "reported": sum(owed_then.values())})
        assert context["recurring"] == {"tasks": len(recurring), "periods": chart}, as_of


def test_compliance_is_that_of_the_slow_obvious_definition() -> None:
    """On random journals (tasks of eight owners, two hand-overs, statuses that close and reopen
    tasks), for periods of every kind and as-of days before, inside and after them: who owes,
    who gave, who misses and the owners' counts all agree with the book."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    owners = st.integers(0, len(_OWNER_NAMES) - 1)
    journal = st.lists(
        st.tuples(st.integers(0, 1900), st.integers(0, 11), owners, st.integers(0, len(_STATUSES) - 1)), max_size=60
    )

    @given(st.lists(owners, min_size=1, max_size=12), st.lists(st.integers(0, 3), min_size=12, max_size=12), journal)
    @settings(max_examples=60, deadline=None)
    def check(leads: list[int], starts: list[int], entries: list[tuple[int, int, int, int]]) -> None:
        _check_compliance(_random_workspace(leads, starts, entries))

    check()


# --- corrections amend, withdrawals withdraw ----------------------------------------------------


def _u(id: str, day: str, recorded: str, **fields) -> Update:
    return Update.from_record(
        Path("j.jsonl"), 1, id=id, task="N2.3", date=day, by="so-a", author="A", recorded=recorded, **fields
    )


def test_a_correction_keeps_what_it_does_not_repeat() -> None:
    """`update N2.3 --corrects ID --progress 45` changes the figure only: the corrected
    update's status, health, note and indicator values stand."""
    first = _u(
        "u1",
        "2024-05-01",
        "2024-05-01T08:00:00Z",
        status="in_progress",
        progress=60,
        health="amber",
        note="Đã họp",
        actual={"a": 1.0, "b": 2.0},
    )
    fix = _u("u2", "2024-05-01", "2024-05-03T08:00:00Z", progress=45, actual={"b": 3.0}, corrects="u1")
    ordered = effective_updates([first, fix])
    assert [u.id for u in ordered] == ["u2"]
    assert fold(ordered) == ("in_progress", 45.0, "amber", {"a": 1.0, "b": 3.0})
    assert ordered[0].note == "Đã họp"


def test_a_correction_of_a_correction_amends_the_amended() -> None:
    first = _u("u1", "2024-05-01", "2024-05-01T08:00:00Z", status="in_progress", progress=60, health="red")
    fix = _u("u2", "2024-05-01", "2024-05-02T08:00:00Z", progress=45, corrects="u1")
    again = _u("u3", "2024-05-01", "2024-05-03T08:00:00Z", health="green", corrects="u2")
    assert fold(effective_updates([again, first, fix])) == ("in_progress", 45.0, "green", {})


def test_a_withdrawal_takes_the_update_and_its_corrections_back() -> None:
    before = _u("u0", "2024-03-01", "2024-03-01T08:00:00Z", status="in_progress", progress=30)
    wrong = _u("u1", "2024-05-01", "2024-05-01T08:00:00Z", status="completed")
    fix = _u("u2", "2024-05-01", "2024-05-02T08:00:00Z", progress=90, corrects="u1")
    back = _u("u3", "2024-06-01", "2024-06-01T08:00:00Z", withdraws="u1", reason="ghi nhầm nhiệm vụ")
    ordered = effective_updates([before, wrong, fix, back])
    assert [u.id for u in ordered] == ["u0"]
    assert fold(ordered) == ("in_progress", 30.0, None, {})
    # withdrawing a correction leaves the corrected update as it was
    assert fold(
        effective_updates([before, wrong, fix, _u("u4", "2024-06-01", "2024-06-01T09:00:00Z", withdraws="u2")])
    )[:2] == (
        "completed",
        100.0,
    )


def test_correcting_lower_or_withdrawing_is_not_a_step_backwards(make_workspace) -> None:
    import json

    from aseanctl.validation import validate_workspace

    def line(id: str, day: str, **fields) -> bytes:
        record = {"id": id, "task": "N1.1", "date": day, "by": "so-a", "author": "A", "recorded": f"{day}T08:00:00Z"}
        # written by hand, as a merge or an editor would leave them
        return (json.dumps({**record, **fields}, ensure_ascii=False) + "\n").encode()

    journal = (
        line("u1", "2024-03-01", status="in_progress", progress=30)
        + line("u2", "2024-05-01", progress=60)
        + line("u3", "2024-06-01", progress=0, corrects="u2")
        + line("u4", "2024-07-01", progress=80)
        + line("u5", "2024-08-01", progress=10)
        + line("u6", "2024-09-01", withdraws="u5", reason="nhầm nhiệm vụ")
    )
    root = make_workspace(**{"p1/journal/2024.jsonl": journal})
    problems = validate_workspace(root).problems
    assert [p for p in problems if p.rule == "progress-backwards"] == []
    assert [p for p in problems if p.severity == "error"] == []


# --- the two misleading answers of issue 11, on the shipped plan -------------------------------


def _shipped_with(updates: list[Update]) -> Workspace:
    ws = load_workspace(SHIPPED_PLAN).workspace
    (plan,) = ws.plans
    return ws._replace(plans=(plan._replace(updates=tuple(updates)),))


def test_one_report_does_not_stand_for_the_26_tasks_its_owner_leads() -> None:
    """Sở LĐ-TB&XH leads all 26 tasks; one report in 2024 on one of them used to clear it."""
    from aseanctl.progress import missing_reports, owner_summaries, task_states

    ws = _shipped_with([make_update("u1", D(2024, 5, 2), task="N1.1", by="so-ldtbxh", status="in_progress")])
    (plan,) = ws.plans
    period = parse_period("2024", plan)
    assert period is not None
    assert missing_reports(ws, period, D(2024, 12, 1)) == ["so-ldtbxh"]
    as_of = D(2024, 12, 1)
    summaries = {s.id: s for s in owner_summaries(ws, task_states(ws, as_of), as_of)}
    summary = summaries["so-ldtbxh"]
    assert (summary.owed, summary.given, summary.misses) == (26, 1, True)
    assert [s.id for s in summaries.values() if s.misses] == ["so-ldtbxh"]
    assert "N1.1" not in summary.missing and len(summary.missing) == 25


def test_a_successor_is_not_credited_with_reports_from_before_the_hand_over() -> None:
    """Sở LĐ-TB&XH hands its work to Sở Nội vụ on 01/03/2025 (plan/owners.yaml). Its reports of
    20/12/2024, inside the 2025 reporting period, used to count as Sở Nội vụ's for 2025."""
    from aseanctl.progress import missing_reports, owner_summaries, task_states

    ws = _shipped_with(
        [
            make_update(f"u{n}", D(2024, 12, 20), task=task.id or "", by="so-ldtbxh", line=n + 1)
            for n, task in enumerate(load_workspace(SHIPPED_PLAN).workspace.plans[0].tasks)
        ]
    )
    (plan,) = ws.plans
    period = parse_period("2025", plan)
    assert period is not None and period.start <= D(2024, 12, 20)
    as_of = D(2025, 6, 1)
    assert missing_reports(ws, period, as_of) == ["so-noi-vu"]
    summary = next(s for s in owner_summaries(ws, task_states(ws, as_of), as_of) if s.id == "so-noi-vu")
    assert (summary.owed, summary.given, summary.last_report) == (26, 0, None)
    # from the hand-over on, a report counts for the task's new lead, even under the old id
    late = make_update("late", D(2025, 4, 1), task="N1.1", by="so-ldtbxh", line=99)
    ws = ws._replace(plans=(plan._replace(updates=(*plan.updates, late)),))
    summary = next(s for s in owner_summaries(ws, task_states(ws, as_of), as_of) if s.id == "so-noi-vu")
    assert (summary.owed, summary.given, summary.last_report) == (26, 1, D(2025, 4, 1))


def test_views_look_from_today_until_every_plan_has_ended() -> None:
    from aseanctl.progress import default_as_of

    ended = Plan("a", "A", Path("."), Src(Path("a.yaml")), start=D(2021, 1, 1), end=D(2025, 12, 31))
    later = ended._replace(id="b", end=D(2026, 6, 30))
    endless = ended._replace(id="c", end=None)
    today = D(2026, 11, 30)
    assert default_as_of([ended], today) == (D(2025, 12, 31), D(2025, 12, 31))
    assert default_as_of([ended, later], today) == (D(2026, 6, 30), D(2026, 6, 30))  # the last one's end
    assert default_as_of([ended, endless], today) == (today, None)
    assert default_as_of([ended], D(2025, 12, 31)) == (D(2025, 12, 31), None)  # its last day: not ended yet
    assert default_as_of([], today) == (today, None)
