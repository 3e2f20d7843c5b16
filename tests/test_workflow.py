"""The CI workflow (.github/workflows/plan.yml) and the GitLab steps in docs/ci.md: valid
YAML, every `aseanctl …` line a real command with real options, and the security recipe
kept (the tool from a trusted commit, read-only token, no credentials left in checkouts)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from aseanctl.cli import app

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "plan.yml"
CI_DOC = REPO / "docs" / "ci.md"
COMMANDS = typer.main.get_command(app).commands  # type: ignore[attr-defined]
_SHELL_STOP = {">", ">>", "|", "||", "&&", ";", "2>", "2>&1"}


def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps() -> list[dict[str, Any]]:
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


def aseanctl_lines(scripts: list[str]) -> list[list[str]]:
    """Each ``aseanctl …`` command in shell scripts, split as the shell would, up to a redirection."""
    found = []
    for script in scripts:
        for line in script.splitlines():
            line = line.split(" # ", 1)[0].strip().removeprefix("- ")
            if not line.startswith("aseanctl "):
                continue
            words = []
            for word in shlex.split(line):
                if word in _SHELL_STOP or word.startswith((">", "2>")):
                    break
                words.append(word)
            found.append(words[1:])
    return found


def check_command(args: list[str]) -> None:
    """Parse ``args`` with the app's own click command (nothing runs): an unknown command,
    option or word fails here as it would in CI."""
    assert args and args[0] in COMMANDS, f"'aseanctl {args[0] if args else ''}' is not a command"
    command = COMMANDS[args[0]]
    command.make_context(f"aseanctl {args[0]}", list(args[1:]))


def test_the_workflow_is_yaml_with_a_trigger_and_a_job():
    data = workflow()
    trigger = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert trigger is not None and {"pull_request", "push"} <= set(trigger)
    assert data["jobs"]


def test_every_aseanctl_command_in_the_workflow_is_real():
    lines = aseanctl_lines([step["run"] for step in steps() if "run" in step])
    assert {args[0] for args in lines} >= {"validate", "diff", "report"}
    for args in lines:
        check_command(args)


def test_every_aseanctl_command_in_the_gitlab_steps_is_real():
    text = CI_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    gitlab = [yaml.safe_load(block) for block in blocks if "before_script" in block]
    assert gitlab, "docs/ci.md has no GitLab job"
    scripts = [line for job in gitlab for part in job.values() for line in part.get("script", [])]
    lines = aseanctl_lines(scripts)
    assert {args[0] for args in lines} >= {"validate", "diff", "report"}
    for args in lines:
        check_command(args)
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for args in aseanctl_lines([block]):
            check_command(args)


def test_the_check_refuses_what_ci_would_refuse():
    from aseanctl.cli.params import OptionError

    with pytest.raises(OptionError):
        check_command(["diff", "--format", "html"])
    with pytest.raises(OptionError):
        check_command(["validate", "--no-such-option"])
    with pytest.raises(AssertionError):
        check_command(["difff"])


def test_the_workflow_keeps_the_security_recipe():
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    for job in data["jobs"].values():
        assert "permissions" not in job or job["permissions"] == {"contents": "read"}
    checkouts = [step for step in steps() if str(step.get("uses", "")).startswith("actions/checkout@")]
    assert len(checkouts) == 2
    for step in steps():
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), f"{step['uses']} is not pinned"
    for step in checkouts:
        assert step["with"]["persist-credentials"] is False
    tool = next(step for step in checkouts if step["with"]["path"] == "tool")
    plan = next(step for step in checkouts if step["with"]["path"] == "repo")
    env = next(iter(data["jobs"].values()))["env"]
    assert tool["with"]["ref"] == "${{ env.TOOL_SHA }}"
    assert env["TOOL_SHA"].startswith("${{ github.event.pull_request.base.sha ||")  # never the head
    assert plan["with"]["ref"] == "${{ env.PLAN_SHA }}"
    installs = [step["run"] for step in steps() if "pip install" in step.get("run", "")]
    assert installs == ["python -m pip install --quiet ./tool"]
    for step in steps():  # event values reach scripts through env, never pasted into them
        assert "${{" not in step.get("run", ""), step.get("name")
    aseanctl_steps = [step for step in steps() if "aseanctl " in step.get("run", "")]
    assert all(step.get("working-directory") == "repo" for step in aseanctl_steps)
