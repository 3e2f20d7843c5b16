"""`aseanctl diff`: two versions of a plan in a real git repository compared as plans; each
kind of change found, each risk flagged, the three formats, the exit codes."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import OWNERS
from typer.testing import CliRunner

from aseanctl.cli import app

runner = CliRunner()

PLAN = """\
id: p1
title: Kế hoạch thử
document: {number: 1/KH-UBND, date: 2021-10-19, issuer: UBND tỉnh}
period: {start: 2021-01-01, end: 2025-12-31}
lead: so-a
objectives:
  - {id: N1, title: Nhóm một, ascc: A}
  - {id: N2, title: Nhóm hai, ascc: B}
"""

TASKS = """\
objective: N1
tasks:
  - id: N1.1
    title: Nhiệm vụ một
    lead: so-a
    due: 2024-12-31
    indicators:
      - {id: so-lop, name: Số lớp, unit: lớp, target: 10}
  - id: N1.2
    title: Nhiệm vụ hai
    lead: so-b
    recurring: yearly
  - id: N1.3
    title: Nhiệm vụ ba
    lead: so-a
    recurring: yearly
"""


pytestmark = pytest.mark.usefixtures("isolated")  # conftest: no git config, plan or language from outside


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout.strip()


def write(root: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def journal(*records: dict) -> str:
    base = {"by": "so-a", "author": "Kiểm Thử", "recorded": "2024-01-01T00:00:00+07:00"}
    return "".join(json.dumps({**base, **r}, ensure_ascii=False) + "\n" for r in records)


U1 = {"id": "u1", "task": "N1.2", "date": "2023-06-30", "status": "completed", "by": "so-b"}
U2 = {"id": "u2", "task": "N1.3", "date": "2023-06-30", "status": "in_progress", "progress": 40}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A plan repository (plan/ at its top) with one commit on main."""
    root = tmp_path / "repo"
    write(
        root,
        {
            "plan/owners.yaml": OWNERS,
            "plan/p1/plan.yaml": PLAN,
            "plan/p1/tasks/nhom-1.yaml": TASKS,
            "plan/p1/journal/2023.jsonl": journal(U1, U2),
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def diff(repo: Path, *args: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(repo)
    return runner.invoke(app, ["diff", *args], catch_exceptions=False)


def changes(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[tuple[str, str], dict]:
    result = diff(repo, *args, "--format", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    return {(c["kind"], c["id"]): c for c in document["changes"]}


def fields(change: dict) -> dict[str, tuple]:
    return {f["field"]: (f["old"], f["new"]) for f in change["fields"]}


def test_an_unchanged_plan_has_no_change(repo, monkeypatch):
    result = diff(repo, "--lang", "en", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert "No change to the plan." in result.stdout
    assert changes(repo, monkeypatch) == {}


def test_json_is_the_documented_shape(repo, monkeypatch):
    write(repo, {"plan/p1/tasks/nhom-1.yaml": TASKS.replace("due: 2024-12-31", "due: 2025-03-31")})
    result = diff(repo, "HEAD", "-f", "json", monkeypatch=monkeypatch)
    document = json.loads(result.stdout)
    assert set(document) == {"base", "head", "valid", "changes"}
    assert document["base"] == git(repo, "rev-parse", "HEAD") and document["head"] is None
    assert document["valid"] == {"base": True, "head": True}
    [change] = document["changes"]
    assert change == {
        "kind": "task",
        "id": "N1.1",
        "change": "modified",
        "fields": [{"field": "due", "old": "2024-12-31", "new": "2025-03-31"}],
        "risks": ["due-later"],
    }


def test_tasks_added_removed_moved_and_fields_changed(repo, monkeypatch):
    tasks = (
        TASKS.replace("title: Nhiệm vụ một", "title: Nhiệm vụ một (sửa lời)")
        .replace("due: 2024-12-31", "due: 2024-06-30")
        .replace("target: 10", "target: 12")
        .replace("    lead: so-b\n", "    lead: so-a\n")
    )
    tasks = tasks[: tasks.index("  - id: N1.3")]  # N1.3 removed
    write(
        repo,
        {
            "plan/p1/tasks/nhom-1.yaml": tasks,
            "plan/p1/tasks/nhom-2.yaml": """\
                objective: N2
                tasks:
                  - {id: N2.1, title: Mới, lead: so-b, recurring: yearly}
            """,
        },
    )
    found = changes(repo, monkeypatch)
    assert found[("task", "N2.1")]["change"] == "added"
    assert found[("task", "N1.3")]["change"] == "removed"
    one = fields(found[("task", "N1.1")])
    assert one["title"] == ("Nhiệm vụ một", "Nhiệm vụ một (sửa lời)")
    assert one["due"] == ("2024-12-31", "2024-06-30")  # earlier: no risk
    assert one["indicators.so-lop.target"] == (10, 12)  # raised: no risk
    assert found[("task", "N1.1")]["risks"] == []
    assert fields(found[("task", "N1.2")])["lead"] == ("so-b", "so-a")


def test_a_task_moved_to_another_group(repo, monkeypatch):
    write(
        repo,
        {"plan/p1/tasks/nhom-1.yaml": TASKS.replace("title: Nhiệm vụ ba", "title: Nhiệm vụ ba\n    objective: N2")},
    )
    found = changes(repo, monkeypatch)
    assert found[("task", "N1.3")]["change"] == "moved"
    assert fields(found[("task", "N1.3")])["objective"] == ("N1", "N2")


def test_owners_added_and_ended(repo, monkeypatch):
    owners = OWNERS.replace(
        "  - id: so-b\n    name: Sở B\n    kind: department\n",
        "  - id: so-b\n    name: Sở B\n    kind: department\n    active_until: 2030-01-01\n"
        "  - id: so-c\n    name: Sở C\n    kind: department\n",
    )
    write(repo, {"plan/owners.yaml": owners})
    found = changes(repo, monkeypatch)
    assert found[("owner", "so-c")]["change"] == "added"
    assert fields(found[("owner", "so-b")])["active_until"] == (None, "2030-01-01")
    result = diff(repo, "--lang", "en", monkeypatch=monkeypatch)
    assert "so-b  ended" in result.stdout


def test_updates_recorded_corrected_and_withdrawn(repo, monkeypatch):
    u3 = {"id": "u3", "task": "N1.1", "date": "2024-03-01", "status": "in_progress", "actual": {"so-lop": 3}}
    u4 = {"id": "u4", "task": "N1.3", "date": "2023-06-30", "progress": 30, "corrects": "u2"}
    write(repo, {"plan/p1/journal/2023.jsonl": journal(U2, u4), "plan/p1/journal/2024.jsonl": journal(u3)})
    found = changes(repo, monkeypatch)
    assert found[("update", "u3")]["change"] == "added"
    assert fields(found[("update", "u3")])["status"] == (None, "in_progress")
    corrected = fields(found[("update", "u2")])
    assert corrected["corrected_by"] == (None, "u4") and corrected["progress"] == (40, 30)
    assert found[("update", "u1")]["change"] == "removed"
    text = diff(repo, "--lang", "en", monkeypatch=monkeypatch).stdout
    assert "u3  recorded" in text and "u2  corrected" in text and "u1  withdrawn from the journal" in text


@pytest.mark.parametrize(
    ("files", "change_id", "risk"),
    [
        ({"plan/p1/tasks/nhom-1.yaml": TASKS.replace("due: 2024-12-31", "due: 2025-06-30")}, "N1.1", "due-later"),
        ({"plan/p1/tasks/nhom-1.yaml": TASKS.replace("target: 10", "target: 5")}, "N1.1", "target-lowered"),
        (
            {"plan/p1/tasks/nhom-1.yaml": TASKS[: TASKS.index("  - id: N1.3")]},
            "N1.3",
            "removed-with-updates",
        ),
        (
            {
                "plan/p1/journal/2024.jsonl": journal(
                    {"id": "u9", "task": "N1.2", "date": "2024-02-01", "status": "in_progress", "by": "so-b"}
                )
            },
            "N1.2",
            "completed-reverted",
        ),
        ({"plan/p1/tasks/nhom-1.yaml": TASKS.replace("lead: so-b", "lead: so-x")}, "N1.2", "lead-inactive"),
        (
            {
                "plan/owners.yaml": OWNERS + "  - {id: so-c, name: Sở C, kind: department, active_from: 2024-06-01}\n",
                "plan/p1/tasks/nhom-1.yaml": TASKS.replace("lead: so-b", "lead: so-c"),
            },
            "N1.2",
            "lead-inactive",
        ),
    ],
    ids=["due-later", "target-lowered", "removed-with-updates", "completed-reverted", "unknown-lead", "lead-too-late"],
)
def test_each_risk_is_flagged_and_fails_with_fail_on_risk(repo, monkeypatch, files, change_id, risk):
    write(repo, files)
    found = changes(repo, monkeypatch)
    assert risk in found[("task", change_id)]["risks"]
    assert diff(repo, "--fail-on-risk", monkeypatch=monkeypatch).exit_code == 1
    assert diff(repo, monkeypatch=monkeypatch).exit_code == 0


def test_a_safe_change_passes_fail_on_risk(repo, monkeypatch):
    write(repo, {"plan/p1/tasks/nhom-1.yaml": TASKS.replace("Nhiệm vụ hai", "Nhiệm vụ hai, rõ hơn")})
    assert diff(repo, "--fail-on-risk", monkeypatch=monkeypatch).exit_code == 0


def test_either_side_may_be_invalid_and_the_output_says_so(repo, monkeypatch):
    write(repo, {"plan/p1/tasks/nhom-1.yaml": TASKS.replace("lead: so-b", "lead: [broken")})
    result = diff(repo, "-f", "json", monkeypatch=monkeypatch)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["valid"] == {"base": True, "head": False}
    text = diff(repo, "--lang", "en", monkeypatch=monkeypatch).stdout
    assert "Valid: before yes; after no (" in text


def test_two_revisions_and_the_default_base_on_a_branch(repo, monkeypatch):
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "switch", "-q", "-c", "feature")
    write(repo, {"plan/p1/tasks/nhom-1.yaml": TASKS.replace("due: 2024-12-31", "due: 2025-01-10")})
    git(repo, "commit", "-q", "-am", "later")
    head = git(repo, "rev-parse", "HEAD")
    write(repo, {"plan/p1/tasks/nhom-1.yaml": TASKS})  # the working tree is back where main was
    document = json.loads(diff(repo, base, head, "-f", "json", monkeypatch=monkeypatch).stdout)
    assert (document["base"], document["head"]) == (base, head)
    assert fields(document["changes"][0])["due"] == ("2024-12-31", "2025-01-10")
    assert json.loads(diff(repo, "-f", "json", monkeypatch=monkeypatch).stdout)["changes"] == []
    text = diff(repo, base, head, "--lang", "en", monkeypatch=monkeypatch).stdout
    assert "due: 2024-12-31 → 2025-01-10 (+10 days)" in text and "[! deadline moved later]" in text


def test_markdown_is_a_summary_then_a_table_per_kind_with_plan_text_escaped(repo, monkeypatch):
    from markdown_it import MarkdownIt

    hostile = 'title: "a | b\\nc <script>x</script> **d**"'
    tasks = TASKS.replace("title: Nhiệm vụ hai", hostile).replace("due: 2024-12-31", "due: 2025-12-31")
    write(repo, {"plan/p1/tasks/nhom-1.yaml": tasks})
    text = diff(repo, "-f", "md", "--lang", "en", monkeypatch=monkeypatch).stdout
    assert text.startswith("### Plan changes: ")
    assert "**Changes: 2; risky: 1**" in text
    assert "#### Tasks" in text
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    assert [t.type for t in tokens].count("table_open") == 1
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 3  # header, N1.1, N1.2: nothing split or merged
    cells = [t.content for t in tokens if t.type == "inline"]
    assert "<script>" not in text and "⚠️ deadline moved later" in cells
    assert cells.index("N1.1") < cells.index("N1.2")  # risky first


def test_text_shows_control_characters_in_plan_text_visibly(repo, monkeypatch):
    write(repo, {"plan/p1/tasks/nhom-1.yaml": TASKS.replace("title: Nhiệm vụ hai", 'title: "hai\\u202eba"')})
    text = diff(repo, "--lang", "en", monkeypatch=monkeypatch).stdout
    assert "\u202e" not in text
    assert "title: Nhiệm vụ hai → haiU+202Eba" in text


def test_vietnamese_is_the_default_language(repo, monkeypatch):
    write(repo, {"plan/p1/tasks/nhom-1.yaml": TASKS.replace("due: 2024-12-31", "due: 2025-06-30")})
    text = diff(repo, monkeypatch=monkeypatch).stdout
    assert "Thay đổi kế hoạch" in text and "hạn hoàn thành lùi lại" in text and "+181 ngày" in text


def test_no_default_branch_is_a_usage_error(repo, monkeypatch):
    git(repo, "branch", "-m", "main", "trunk")
    result = diff(repo, "--lang", "en", monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "no default branch" in result.stderr
    assert diff(repo, "HEAD", "--lang", "en", monkeypatch=monkeypatch).exit_code == 0


@pytest.mark.parametrize("rev", ["nope", "--", "-x"])
def test_a_bad_revision_is_exit_2(repo, monkeypatch, rev):
    result = diff(repo, "--lang", "en", "--", rev, monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith("aseanctl: unknown revision")
