"""aseanctl validate through the command line: formats, exit codes, plan discovery."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aseanctl.cli import app, main

runner = CliRunner()

BAD_LEAD = """\
objective: N1
tasks:
  - id: N1.1
    title: Nhiệm vụ một
    lead: so-khong-co
    recurring: yearly
"""

EXTRA_SUPPORT_IS_LEAD = """\
objective: N1
tasks:
  - id: N1.2
    title: Nhiệm vụ hai
    lead: so-a
    support: [so-a]
    recurring: yearly
"""


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), catch_exceptions=False, env=env)


def test_shipped_plan_is_valid():
    result = invoke("validate", "--plan", "plan", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"ok": True, "errors": 0, "warnings": 0, "problems": []}


def test_text_format_shows_location_rule_and_the_line(make_workspace, monkeypatch):
    root = make_workspace(tasks=BAD_LEAD)
    monkeypatch.chdir(root)
    result = invoke("validate", "--format", "text", "--lang", "en")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "p1/tasks/nhom-1.yaml:5:11: error [unknown-owner] no owner 'so-khong-co' in owners.yaml"
    assert lines[1] == "        lead: so-khong-co"
    assert lines[2] == "    " + " " * 10 + "^"
    assert lines[-1] == "1 error, 0 warnings in 1 file."


def test_text_is_vietnamese_by_default(make_workspace, monkeypatch):
    monkeypatch.chdir(make_workspace(tasks=BAD_LEAD))
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)
    result = invoke("validate", "--format", "text")
    assert "lỗi [unknown-owner] không có cơ quan 'so-khong-co' trong owners.yaml" in result.output


def test_text_is_plain_when_piped_or_no_color(make_workspace, monkeypatch):
    monkeypatch.chdir(make_workspace(tasks=BAD_LEAD))
    result = invoke("validate", "--format", "text", env={"NO_COLOR": "1"})
    assert "\x1b[" not in result.output


def test_json_format(make_workspace, monkeypatch):
    monkeypatch.chdir(make_workspace(tasks=BAD_LEAD))
    result = invoke("validate", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    assert json.loads(result.output) == {
        "ok": False,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "severity": "error",
                "rule": "unknown-owner",
                "message": "no owner 'so-khong-co' in owners.yaml",
                "file": "p1/tasks/nhom-1.yaml",
                "line": 5,
                "column": 11,
                "path": "tasks[0].lead",
            }
        ],
    }


def test_github_format_and_step_summary(make_workspace, monkeypatch, tmp_path):
    monkeypatch.chdir(make_workspace(tasks=BAD_LEAD))
    summary = tmp_path / "summary.md"
    result = invoke("validate", "--lang", "en", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        (
            "::error file=p1/tasks/nhom-1.yaml,line=5,col=11,title=unknown-owner::"
            "[unknown-owner] no owner 'so-khong-co' in owners.yaml"
        )
    ]
    assert "| error | p1/tasks/nhom-1.yaml | 5 | unknown-owner |" in summary.read_text(encoding="utf-8")


def test_github_annotates_ten_and_logs_the_rest(make_workspace, monkeypatch):
    tasks = "objective: N1\ntasks:\n" + "".join(
        f"  - id: T{i}\n    title: Việc {i}\n    lead: so-khong-co\n    recurring: yearly\n" for i in range(12)
    )
    monkeypatch.chdir(make_workspace(tasks=tasks))
    result = invoke("validate", "--format", "github")
    lines = result.output.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert len(lines) == 12
    assert lines[10].startswith("p1/tasks/nhom-1.yaml:")


def test_github_escapes_properties_and_data():
    from aseanctl.formats import format_github
    from aseanctl.problems import Msg, Problem

    problem = Problem(
        "yaml-syntax",
        "error",
        Msg("yaml.syntax", {"detail": "50% bad\nnext"}),
        file=Path("a:b,c.yaml"),
        line=1,
        column=2,
    )
    commands, _ = format_github([problem], "en", lambda p: p.as_posix() if p else "")
    assert (
        commands == "::error file=a%3Ab%2Cc.yaml,line=1,col=2,title=yaml-syntax::"
        "[yaml-syntax] YAML syntax error: 50%25 bad%0Anext"
    )


def test_sarif_format(make_workspace, monkeypatch):
    monkeypatch.chdir(make_workspace(tasks=BAD_LEAD))
    result = invoke("validate", "--format", "sarif", "--lang", "en")
    assert result.exit_code == 1
    sarif = json.loads(result.output)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "unknown-owner" in rule_ids and "schema" in rule_ids
    (finding,) = run["results"]
    assert finding["ruleId"] == "unknown-owner"
    assert finding["level"] == "error"
    assert rule_ids[finding["ruleIndex"]] == "unknown-owner"
    assert finding["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "p1/tasks/nhom-1.yaml"},
        "region": {"startLine": 5, "startColumn": 11},
    }


def test_warnings_pass_unless_strict(make_workspace, monkeypatch):
    monkeypatch.chdir(make_workspace(tasks=EXTRA_SUPPORT_IS_LEAD))
    plain = invoke("validate", "--format", "json")
    assert plain.exit_code == 0
    assert json.loads(plain.output)["warnings"] == 1
    assert invoke("validate", "--strict", "--format", "json").exit_code == 1


def test_paths_filter_the_report(make_workspace, monkeypatch):
    root = make_workspace(tasks=BAD_LEAD)
    monkeypatch.chdir(root)
    assert invoke("validate", "owners.yaml", "--format", "json").exit_code == 0
    result = invoke("validate", "p1/tasks", "--format", "json")
    assert result.exit_code == 1
    assert [p["file"] for p in json.loads(result.output)["problems"]] == ["p1/tasks/nhom-1.yaml"]


def test_plan_found_from_a_subfolder_and_from_the_repository_root(make_workspace, monkeypatch):
    root = make_workspace()
    monkeypatch.chdir(root / "p1" / "tasks")
    assert invoke("validate").exit_code == 0
    repo = root.parent / "repo"
    repo.mkdir()
    root.rename(repo / "plan")
    monkeypatch.chdir(repo)
    assert invoke("validate").exit_code == 0


def test_plan_from_environment(make_workspace, monkeypatch, tmp_path):
    root = make_workspace(tasks=BAD_LEAD)
    monkeypatch.chdir(tmp_path)
    assert invoke("validate", env={"ASEANCTL_PLAN": str(root)}).exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["--plan", "/nonexistent/plan"],
        ["--format", "xml"],
        ["--lang", "fr"],
        ["--no-such-option"],
        ["no/such/file.yaml"],
    ],
)
def test_usage_errors_exit_2(args, monkeypatch, make_workspace):
    monkeypatch.chdir(make_workspace())
    assert invoke("validate", *args).exit_code == 2


def test_no_plan_found_exits_2_with_a_message(monkeypatch):
    # a folder of its own outside pytest's base folder, where other tests write plan files
    monkeypatch.delenv("ASEANCTL_PLAN", raising=False)
    with tempfile.TemporaryDirectory() as alone, monkeypatch.context() as inside:
        inside.chdir(alone)
        result = runner.invoke(app, ["validate", "--lang", "en"])
    assert result.exit_code == 2
    assert "no plan found" in result.output


def test_main_returns_exit_codes_and_never_a_traceback(make_workspace, monkeypatch, capsys):
    monkeypatch.chdir(make_workspace(tasks=BAD_LEAD))
    assert main(["validate", "--format", "json"]) == 1
    assert main(["--version"]) == 0
    assert main(["validate", "--format", "xml"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_version_is_printed():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.startswith("aseanctl 0.")


def test_paths_clean_does_not_claim_the_whole_plan_is_valid(make_workspace, monkeypatch):
    monkeypatch.chdir(make_workspace(tasks=BAD_LEAD))
    result = invoke("validate", "owners.yaml", "--format", "text", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.strip() == "No errors in the 1 path given."
