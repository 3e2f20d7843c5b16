"""The Python API gives a notebook what the commands give a terminal: the same figures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import aseanctl.api as ac
from aseanctl.cli import app
from conftest import SHIPPED_PLAN

runner = CliRunner()

JOURNAL = (
    '{"id":"20240601-aaaa0001","task":"N1.1","date":"2024-06-01","by":"so-a","author":"A",'
    '"recorded":"2024-06-02T08:00:00+07:00","progress":40,"status":"in_progress"}\n'
    '{"id":"20240601-aaaa0002","task":"N1.1","date":"2024-06-01","by":"so-a","author":"A",'
    '"recorded":"2024-06-02T02:00:00Z","progress":60,"note":"sửa"}\n'
)


def test_task_states_equal_the_status_command(make_workspace):
    root = make_workspace(**{"p1__journal__2024.jsonl": JOURNAL})
    states = ac.task_states(ac.load(root), "2024-12-31")
    cli = json.loads(
        runner.invoke(app, ["status", "--plan", str(root), "--as-of", "2024-12-31", "--format", "json"]).stdout
    )
    rows = ac.state_rows(states)
    assert [(r["task"], r["status"], r["progress"]) for r in rows] == [("N1.1", "in_progress", 60.0)]
    assert [(t["id"], t["status"], t["progress"]) for t in cli["tasks"]] == [("N1.1", "in_progress", 60)]
    assert [(r["task"], r["lead"], r["stale"], r["overdue"]) for r in rows] == [
        (t["id"], t["lead"], t["stale"], t["overdue"]) for t in cli["tasks"]
    ]
    assert rows[0]["as_of"] == dt.date(2024, 12, 31) and rows[0]["updates"] == 2


def test_the_journal_is_in_the_order_updates_count(make_workspace):
    """Recorded 02:00 UTC is later than 08:00 +07:00 (01:00 UTC): it counts last."""
    ws = ac.load(make_workspace(**{"p1__journal__2024.jsonl": JOURNAL}))
    assert [u["id"] for u in ac.update_rows(ac.journal(ws))] == ["20240601-aaaa0001", "20240601-aaaa0002"]
    assert ac.update_rows(ac.journal(ws))[1]["line"] == 2


def test_rollups_partition_the_tasks():
    ws = ac.load(SHIPPED_PLAN)
    states = ac.task_states(ws, "2025-12-31")
    groups, total = ac.rollups(states)
    assert sum(g.tasks for g in groups) == total.tasks == len(states) == 26
    assert sum(total.by_status.values()) == total.tasks


def test_problems_are_values_with_messages_in_both_languages(make_workspace):
    root = make_workspace(
        tasks="objective: N1\ntasks:\n  - id: N1.1\n    title: Một\n    lead: so-x\n    recurring: yearly\n"
    )
    found = ac.problems(root)
    assert [(p.rule, p.line) for p in found] == [("unknown-owner", 5)]
    assert ac.message(found[0], "en") == "no owner 'so-x' in owners.yaml (did you mean 'so-b'?)"
    assert ac.where(found[0]).endswith("p1/tasks/nhom-1.yaml:5:11 tasks[0].lead")


def test_a_missing_plan_raises_an_error_with_a_message(tmp_path: Path):
    with pytest.raises(ac.AseanctlError) as caught:
        ac.load(tmp_path / "nowhere")
    assert "nowhere" in ac.message(caught.value, "en")


def test_the_report_context_is_the_reports(shipped_copy):
    """The context a notebook gets is the one the command renders: same plan, period and rows."""
    context = ac.report_context(shipped_copy, period="2024", lang="en")
    markdown = runner.invoke(
        app, ["report", "--plan", str(shipped_copy), "--period", "2024", "--lang", "en", "-o", "-"]
    ).stdout
    assert context["kind"] == "progress" and context["lang"] == "en"
    assert len(context["rows"]) == 26
    for row in context["rows"]:
        assert row["id"] in markdown


def test_update_rows_hold_every_field_of_a_journal_line(make_workspace):
    """A withdrawal's own fields reach a notebook as the log shows them (they were left out)."""
    withdrawal = (
        '{"id":"20240603-aaaa0003","task":"N1.1","date":"2024-06-01","by":"so-a","author":"A",'
        '"recorded":"2024-06-03T08:00:00+07:00","withdraws":"20240601-aaaa0002","reason":"ghi nhầm"}\n'
    )
    ws = ac.load(make_workspace(**{"p1__journal__2024.jsonl": JOURNAL + withdrawal}))
    rows = ac.update_rows(ws.updates())
    assert rows[2]["withdraws"] == "20240601-aaaa0002" and rows[2]["reason"] == "ghi nhầm"
    assert {"corrects", "withdraws", "reason", "actual", "file", "line"} <= set(rows[0])
    assert [u["id"] for u in ac.update_rows(ac.journal(ws))] == ["20240601-aaaa0001"]
