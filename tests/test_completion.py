"""Shell completion: the answers a shell gets, from the command tree and the plan in the current folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aseanctl.cli import app, completion, main

REPO = Path(__file__).resolve().parents[1]


def bash(line: str, monkeypatch, capsys) -> list[str]:
    """The candidates bash gets for ``line`` (the word under the cursor is the last one)."""
    words = line.split(" ")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    monkeypatch.setenv("_ASEANCTL_COMPLETE", "complete_bash")
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out.split()


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def test_commands(in_repo, monkeypatch, capsys) -> None:
    found = bash("aseanctl ", monkeypatch, capsys)
    assert {"status", "validate", "init", "completion", "show"} <= set(found)
    assert bash("aseanctl st", monkeypatch, capsys) == ["status"]


def test_options(in_repo, monkeypatch, capsys) -> None:
    assert {"--owner", "--as-of", "--format", "--plan"} <= set(bash("aseanctl status --", monkeypatch, capsys))


def test_task_ids_from_the_plan_in_the_current_folder(in_repo, monkeypatch, capsys) -> None:
    assert bash("aseanctl show N2", monkeypatch, capsys) == ["N2.1", "N2.2", "N2.3", "N2.4"]
    assert "N1.1" in bash("aseanctl update ", monkeypatch, capsys)


def test_owner_objective_and_period(in_repo, monkeypatch, capsys) -> None:
    owners = bash("aseanctl status --owner so-n", monkeypatch, capsys)
    assert "so-noi-vu" in owners and all(o.startswith("so-n") for o in owners)
    assert "so-y-te" in bash("aseanctl update N1.1 --by so-y", monkeypatch, capsys)
    assert bash("aseanctl status --objective ", monkeypatch, capsys) == ["N1", "N2", "N3", "N4", "N5"]
    periods = bash("aseanctl report --period 20", monkeypatch, capsys)
    assert {"2021", "2025", "2021..2025"} <= set(periods)
    assert bash("aseanctl init x --from kh", monkeypatch, capsys) == ["kh-702-2021"]


def test_words_from_their_lists(in_repo, monkeypatch, capsys) -> None:
    assert bash("aseanctl status --format ", monkeypatch, capsys) == ["table", "json", "csv", "xlsx"]
    assert bash("aseanctl update N1.1 --status in", monkeypatch, capsys) == ["in_progress"]
    assert bash("aseanctl status --lang ", monkeypatch, capsys) == ["vi", "en"]
    assert bash("aseanctl completion p", monkeypatch, capsys) == ["powershell", "pwsh"]


def test_the_plan_named_on_the_line(tmp_path, monkeypatch, capsys, make_workspace) -> None:
    root = make_workspace()
    monkeypatch.chdir(tmp_path)
    assert bash(f"aseanctl show --plan {root} N", monkeypatch, capsys) == ["N1.1"]


def test_a_broken_plan_gives_no_candidates_and_no_traceback(tmp_path, monkeypatch, capsys, make_workspace) -> None:
    make_workspace(owners="owners: [\n", tasks=b"\xff\xfe\x00")
    monkeypatch.chdir(tmp_path / "ws")
    assert bash("aseanctl show N", monkeypatch, capsys) == []
    assert bash("aseanctl status --owner ", monkeypatch, capsys) == []


def test_no_plan_at_all_gives_no_candidates(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert bash("aseanctl show N", monkeypatch, capsys) == []


def test_an_unexpected_failure_gives_no_candidates(in_repo, monkeypatch, capsys) -> None:
    def boom(ctx):
        raise RuntimeError("bug")

    monkeypatch.setitem(completion.SOURCES, "task", boom)
    assert bash("aseanctl show N", monkeypatch, capsys) == []


def test_revisions_from_git(tmp_path, monkeypatch) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "one"], check=True)
    subprocess.run([*git, "tag", "v1"], check=True)
    subprocess.run([*git, "branch", "draft"], check=True)
    answer = completion._candidates(completion._revisions)
    assert [item.value for item in answer(None, None, "")] == ["HEAD", "draft", "main", "v1"]
    assert [item.value for item in answer(None, None, "d")] == ["draft"]
    monkeypatch.chdir(tmp_path.parent)  # not a repository: nothing, quietly
    assert [item.value for item in answer(None, None, "")] in ([], ["HEAD"])


def test_revision_parameters_are_matched_by_name() -> None:
    """`--at REV`, `diff BASE HEAD`: whatever command declares them gets revisions."""
    for name in ("at", "base", "head"):
        assert completion.SOURCES[name] is completion._revisions


@pytest.mark.parametrize(
    ("shell", "env", "expected"),
    [
        ("zsh", {"_TYPER_COMPLETE_ARGS": "aseanctl show N3"}, '"N3.1"'),
        ("fish", {"_TYPER_COMPLETE_ARGS": "aseanctl show N3", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}, "N3.1"),
        (
            "powershell",
            {"_TYPER_COMPLETE_ARGS": "aseanctl show N3", "_TYPER_COMPLETE_WORD_TO_COMPLETE": "N3"},
            "N3.1:::",
        ),
    ],
)
def test_other_shells(in_repo, monkeypatch, capsys, shell, env, expected) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("_ASEANCTL_COMPLETE", f"complete_{shell}")
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert expected in out and "N2.1" not in out and err == ""


@pytest.mark.parametrize(
    ("shell", "call"),
    [
        ("bash", "_ASEANCTL_COMPLETE=complete_bash"),
        ("zsh", "_ASEANCTL_COMPLETE=complete_zsh"),
        ("fish", "_ASEANCTL_COMPLETE=complete_fish"),
        ("powershell", '$Env:_ASEANCTL_COMPLETE = "complete_powershell"'),
    ],
)
def test_completion_prints_the_script(shell, call) -> None:
    result = CliRunner().invoke(app, ["completion", shell], catch_exceptions=False)
    assert result.exit_code == 0
    assert call in result.output


def test_completion_refuses_an_unknown_shell() -> None:
    result = CliRunner().invoke(app, ["completion", "tcsh"], catch_exceptions=False)
    assert result.exit_code == 2


def test_a_real_process_answers(tmp_path) -> None:
    """The console script itself answers, as the shell runs it."""
    env = dict(os.environ, COMP_WORDS="aseanctl show N2", COMP_CWORD="2", _ASEANCTL_COMPLETE="complete_bash")
    done = subprocess.run(
        [sys.executable, "-m", "aseanctl"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout.split() == ["N2.1", "N2.2", "N2.3", "N2.4"]
    assert done.stderr == ""
