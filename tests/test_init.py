"""aseanctl init: a new plan repository, and a successor plan started from an earlier one."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import WriteWorkspace
from planbuilder import Document, Indicator, Objective, Owner, Plan, Task, TaskFile, Workspace
from typer.testing import CliRunner

from aseanctl import __version__, schema
from aseanctl.cli import app
from aseanctl.frameworks import codes, framework_ids, load_framework
from aseanctl.journal import GITATTRIBUTES
from aseanctl.scaffold.emit import Note, dump
from aseanctl.yamlio import load_yaml

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), catch_exceptions=False, env=env)


def strict(workspace: Path) -> dict:
    result = invoke("validate", "--plan", str(workspace), "--strict", "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 0, report["problems"]
    assert report["warnings"] == 0, report["problems"]
    return report


# --- a new repository --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_init_writes_a_repository_that_passes_validate_strict(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "kh-moi"
    result = invoke("init", str(target), "--lang", lang)
    assert result.exit_code == 0, result.output
    strict(target / "plan")
    plan = (target / "plan" / "kh-moi" / "plan.yaml").read_text(encoding="utf-8")
    marker = "CẦN ĐIỀN" if lang == "vi" else "TO FILL IN"
    assert marker in plan and marker in result.output
    assert load_yaml(target / "plan" / "kh-moi" / "plan.yaml").data["language"] == lang
    assert (target / "plan/kh-moi/journal/.gitattributes").read_text(encoding="utf-8") == GITATTRIBUTES
    assert "/reports/" in (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert (target / "templates/README.md").is_file()
    assert not list((target / "templates").glob("*.j2")), "the shipped templates stay the default"
    assert (target / ".github/workflows/plan.yml").is_file()


def test_init_a_new_plan_follows_the_newest_framework(tmp_path: Path) -> None:
    invoke("init", str(tmp_path / "p"), "--start", "2026-01-01")
    data = load_yaml(tmp_path / "p/plan/p/plan.yaml").data
    assert data["period"] == {"start": "2026-01-01", "end": "2035-12-31"}
    assert data["implements"] == [{"number": "155/QĐ-TTg", "date": "2026-01-20", "issuer": "Thủ tướng Chính phủ"}]
    assert any("ASCC Blueprint 2025" in text for text in data["assumptions"])  # borrowed codes, said so


def test_init_into_a_folder_holding_only_git(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    assert invoke("init", str(tmp_path / "repo")).exit_code == 0
    strict(tmp_path / "repo" / "plan")


def test_init_never_writes_into_a_folder_that_holds_something(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = invoke("init", str(target), "--lang", "en")
    assert result.exit_code == 2
    assert "is not empty (notes.txt" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_init_refuses_a_file_and_a_bad_id(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    assert invoke("init", str(tmp_path / "f")).exit_code == 2
    result = invoke("init", str(tmp_path / "bad name"), "--lang", "en")
    assert result.exit_code == 2 and "plan id 'bad name' is not valid" in result.output
    assert not (tmp_path / "bad name").exists()
    assert (
        invoke("init", str(tmp_path / "x"), "--id", "ok", "--start", "2030-01-01", "--end", "2029-01-01").exit_code == 2
    )
    assert invoke("init", str(tmp_path / "x"), "--framework", "nope").exit_code == 2


# --- the framework code lists ------------------------------------------------------------------


def test_the_blueprint_file_equals_the_schema_codes() -> None:
    """schema.py still holds its own lists: they must not drift from the data file."""
    _, characteristics = codes(load_framework("ascc-2025"))
    assert tuple(c.code for c in characteristics) == schema.ASCC_CHARACTERISTICS
    assert tuple(e for c in characteristics for e, _ in c.elements) == schema.ASCC_ELEMENTS


def test_every_framework_file_loads_and_has_codes_to_write() -> None:
    assert {"ascc-2025", "ascc-2026-2035"} <= set(framework_ids())
    for framework_id in framework_ids():
        framework = load_framework(framework_id)
        assert codes(framework)[1], framework_id
        assert framework.programme.get("number"), framework_id


def test_the_strategic_plan_holds_only_sourced_facts() -> None:
    framework = load_framework("ascc-2026-2035")
    assert framework.characteristics == ()  # its element codes are not sourced
    assert framework.programme == {"number": "155/QĐ-TTg", "date": "2026-01-20", "issuer": "Thủ tướng Chính phủ"}


# --- the YAML writer ---------------------------------------------------------------------------


def test_written_yaml_reads_back_as_the_same_data(tmp_path: Path) -> None:
    tricky = ["no", "on", "010", "12:30", "*x", "&a", "a: b", "# c", "- d", "", "1.10", "null", "Lưu: VT", 'q"q']
    data = {"plain": "N2.3", "tricky": tricky, "nested": [{"id": "x", "n": 1.5, "ok": True}], Note("c"): None}
    path = tmp_path / "x.yaml"
    path.write_text(dump(data, "header\nline"), encoding="utf-8")
    loaded = load_yaml(path)
    assert loaded.problems == []
    assert loaded.data == {"plain": "N2.3", "tricky": tricky, "nested": [{"id": "x", "n": 1.5, "ok": True}]}


# --- the workflow ------------------------------------------------------------------------------


def _workflow(tmp_path: Path) -> dict:
    invoke("init", str(tmp_path / "r"))
    return yaml.safe_load((tmp_path / "r/.github/workflows/plan.yml").read_text(encoding="utf-8"))


def test_the_workflow_installs_a_pinned_release_never_the_repository(tmp_path: Path) -> None:
    workflow = _workflow(tmp_path)
    assert workflow["env"]["ASEANCTL_VERSION"] == __version__
    runs = [step.get("run", "") for step in workflow["jobs"]["plan"]["steps"]]
    install = [run for run in runs if "pip install" in run]
    assert install == ['python -m pip install "aseanctl==${ASEANCTL_VERSION}"']
    assert not any(re.search(r"pip install (-e )?\.", run) for run in runs)
    assert workflow["permissions"] == {"contents": "read"}


def test_the_workflow_steps_name_real_commands(tmp_path: Path) -> None:
    from aseanctl.cli import _command_name

    registered = {_command_name(info) for info in app.registered_commands}
    runs = " ".join(step.get("run", "") for step in _workflow(tmp_path)["jobs"]["plan"]["steps"])
    used = set(re.findall(r"\baseanctl ([a-z][a-z-]*)", runs))
    assert {"validate", "report", "diff"} <= used <= registered
    for line in re.findall(r"aseanctl (?:validate|report|diff)[^\n>]*", runs):
        words = [w.strip('"') for w in line.split()[1:]]
        assert invoke(*words, "--help").exit_code == 0, line


# --- a successor plan --------------------------------------------------------------------------

OLD_PLAN = Workspace(
    owners=(
        Owner("so-a", "Sở A", active_until="2023-06-30", successor="so-b"),
        Owner("so-b", "Sở B", active_from="2023-07-01", active_until="2024-12-31", successor="so-c"),
        Owner("so-c", "Sở C", active_from="2025-01-01"),
        Owner("huyen-x", "Huyện X", kind="district", active_until="2025-06-30"),
        Owner("so-d", "Sở D"),
    ),
    plan=Plan(
        implements=(Document("161/QĐ-TTg", "2016-01-25", "Thủ tướng Chính phủ"),),
        objectives=(
            Objective("N1", "Nhóm một", ascc="B", elements=("B.2",)),
            Objective("N2", "Nhóm hai", ascc="C"),
        ),
        indicators=(Indicator("ti-le", "Tỷ lệ", unit="%", target=90),),
    ),
    task_files=(
        TaskFile(
            "N1",
            (
                Task("N1.1", "Nhiệm vụ thường xuyên", lead="so-a", support=("huyen-x", "so-d"), recurring="yearly"),
                Task("N1.2", "Nhiệm vụ đã xong", lead="so-d", due="2024-06-30"),
                Task(
                    "N1.3",
                    "Nhiệm vụ dở dang",
                    lead="huyen-x",
                    due="2025-06-30",
                    indicators=(Indicator("so-lop", "Số lớp", baseline=0, target=50, contributes_to="ti-le"),),
                ),
            ),
        ),
        TaskFile("N2", (Task("N2.1", "Nhiệm vụ nhóm hai, đã xong", lead="so-d", due="2022-12-31"),)),
    ),
)


@pytest.fixture
def old_plan(make_workspace: WriteWorkspace) -> Path:
    root = make_workspace(OLD_PLAN)
    for task, args in (
        ("N1.2", ["--status", "completed", "--date", "2024-06-01"]),
        ("N2.1", ["--status", "completed", "--date", "2022-06-01"]),
        ("N1.3", ["--status", "in_progress", "--progress", "40", "--actual", "so-lop=20", "--date", "2025-03-01"]),
    ):
        result = invoke("update", task, *args, "--plan", str(root), "--author", "Thử <t@example.org>")
        assert result.exit_code == 0, result.output
    # the old plan is valid, with warnings: a district ended before the plan did
    assert invoke("validate", "--plan", str(root)).exit_code == 0
    return root


def _tasks(folder: Path) -> dict[str, dict]:
    found = {}
    for path in sorted((folder / "tasks").glob("*.yaml")):
        for task in load_yaml(path).data["tasks"]:
            found[task["source"]] = task
    return found


def test_successor_in_a_new_repository(old_plan: Path, tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = invoke("init", str(target), "--from", str(old_plan / "p1"), "--id", "p2", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "2 tasks offered" in result.output and "2 completed tasks left behind" in result.output
    strict(target / "plan")
    owners = [o["id"] for o in load_yaml(target / "plan/owners.yaml").data["owners"]]
    assert owners == ["so-c", "so-d"]  # so-a and so-b only as their successor; the district ended
    tasks = _tasks(target / "plan/p2")
    assert set(tasks) == {"p1/N1.1", "p1/N1.3"}  # completed tasks stay behind
    recurring, unfinished = tasks["p1/N1.1"], tasks["p1/N1.3"]
    assert recurring["lead"] == "so-c"  # so-a -> so-b -> so-c, the whole chain
    assert recurring["support"] == ["so-d"]  # the district ended without a successor
    assert recurring["recurring"] == "yearly"
    assert "continues:p1/N1.1" in recurring["tags"]
    assert any("huyen-x" in text for text in recurring["assumptions"])
    assert unfinished["lead"] == "so-c"  # the district's task goes to the plan's lead, and says so
    assert unfinished["due"] == "2035-12-31"
    assert unfinished["indicators"][0]["baseline"] == 20  # reached on the old plan's last day
    assert "in progress" in unfinished["note"] and "40%" in unfinished["note"]
    plan = load_yaml(target / "plan/p2/plan.yaml").data
    assert plan["lead"] == "so-c"
    assert plan["period"] == {"start": "2026-01-01", "end": "2035-12-31"}
    assert [o["id"] for o in plan["objectives"]] == ["N1"]  # N2 had nothing left to carry
    assert plan["objectives"][0]["elements"] == ["B.2"]
    assert plan["implements"][0]["number"] == "155/QĐ-TTg"
    assert [i["id"] for i in plan["indicators"]] == ["ti-le"]


def test_successor_beside_the_old_plan_in_its_workspace(old_plan: Path, monkeypatch) -> None:
    owners_before = (old_plan / "owners.yaml").read_bytes()
    monkeypatch.chdir(old_plan)
    result = invoke("init", str(old_plan / "p2"), "--from", "p1")
    assert result.exit_code == 0, result.output
    result = invoke("validate", "--plan", str(old_plan), "--strict", "--format", "json")
    problems = json.loads(result.output)["problems"]
    assert [p for p in problems if "p2" in Path(p["file"]).parts] == []  # only the old plan's own warning
    assert {p["rule"] for p in problems} == {"owner-inactive"}
    assert (old_plan / "owners.yaml").read_bytes() == owners_before
    ids = {task["id"] for task in _tasks(old_plan / "p2").values()}
    assert ids == {"N1.1-2026", "N1.3-2026"}  # ids are unique across the workspace
    assert (old_plan / "p2/journal/.gitattributes").is_file()
    again = invoke("init", str(old_plan / "p3"), "--from", "p1", "--id", "p2")
    assert again.exit_code == 2  # the id is taken


def test_successor_of_the_shipped_plan(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    shutil.copytree(REPO / "plan", work / "plan")
    result = invoke("init", str(work / "plan" / "kh-2026"), "--from", str(work / "plan" / "kh-702-2021"))
    assert result.exit_code == 0, result.output
    strict(work / "plan")
    leads = {task["lead"] for task in _tasks(work / "plan" / "kh-2026").values()}
    assert "so-ldtbxh" not in leads and "so-noi-vu" in leads


def test_successor_of_an_unknown_plan(old_plan: Path, tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "n"), "--from", "p9", "--plan", str(old_plan), "--lang", "en")
    assert result.exit_code == 2
    assert "no plan 'p9'" in result.output
    assert not (tmp_path / "n").exists()


@pytest.mark.parametrize("written", ["[[]]", "{a: 1}", "[so-y-te]"])
def test_successor_of_a_plan_whose_owner_id_is_not_text(tmp_path: Path, written: str) -> None:
    """owners.yaml's entries are carried over as written: an id that is a list or a mapping (a
    schema error validate reports at its line) ended init --from in 'internal error: TypeError:
    unhashable type'.  It is no owner's id: that entry stays behind, the others go on."""
    work = tmp_path / "repo"
    shutil.copytree(REPO / "plan", work / "plan")
    owners = work / "plan/owners.yaml"
    owners.write_text(owners.read_text(encoding="utf-8").replace("  - id: chau-doc\n", f"  - id: {written}\n", 1))
    result = invoke("init", str(tmp_path / "next"), "--from", str(work / "plan/kh-702-2021"), "--lang", "en")
    assert result.exit_code == 0, result.output
    carried = [o["id"] for o in load_yaml(tmp_path / "next/plan/owners.yaml").data["owners"]]
    assert "so-noi-vu" in carried and all(isinstance(i, str) for i in carried)
