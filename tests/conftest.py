"""Shared fixtures: plan workspaces written by the plan builder (with files replaced by raw
text where a test means it), and the shipped plan copied."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from planbuilder import (
    Objective,
    Owner,
    Plan,
    Task,
    TaskFile,
    Workspace,
    owners_yaml,
    plan_yaml,
    tasks_yaml,
    write_files,
)

REPO = Path(__file__).resolve().parents[1]
# git in the tests' temporary repositories: a fixed identity, and nothing from the machine's
# own configuration (a global hook or signing setting must not change what a test sees)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Kiểm Thử",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Kiểm Thử",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}
SHIPPED_PLAN = REPO / "plan"

# The small valid workspace most tests start from; rule cases count its lines (test_rules.py).
SMALL = Workspace(
    owners=(Owner("so-a", "Sở A"), Owner("so-b", "Sở B")),
    plan=Plan(objectives=(Objective("N1", "Nhóm một", ascc="A"),)),
    task_files=(TaskFile("N1", (Task("N1.1", "Nhiệm vụ một", lead="so-a", recurring="yearly"),)),),
)
OWNERS = owners_yaml(SMALL.owners)
PLAN = plan_yaml(SMALL.plan)
TASKS = tasks_yaml(SMALL.task_files[0])
# make_workspace's short names for the three files every workspace has
SHORT_NAMES = {"owners": "owners.yaml", "plan": "p1/plan.yaml", "tasks": "p1/tasks/nhom-1.yaml"}

WriteWorkspace = Callable[..., Path]


@pytest.fixture
def make_workspace(tmp_path: Path) -> WriteWorkspace:
    """Write a workspace into a fresh folder: ``SMALL``, or the ``Workspace`` given, with files
    replaced by keyword (``owners``, ``plan``, ``tasks`` name the usual three; others are
    paths like ``"p1/tasks/nhom-2.yaml"``, or ``p1__tasks__nhom-2.yaml``).  Text is dedented;
    ``None`` leaves a file out; bytes are written as they are; a ``Path`` makes a symbolic
    link to it."""

    def write(workspace: Workspace = SMALL, /, **replace: str | bytes | Path | None) -> Path:
        files: dict[str, str | bytes | Path | None] = dict(workspace.files())
        for name, text in replace.items():
            files[SHORT_NAMES.get(name, name.replace("__", "/"))] = (
                textwrap.dedent(text) if isinstance(text, str) else text
            )
        return write_files(tmp_path / "ws", files)

    return write


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the shipped plan that a test may break."""
    target = tmp_path / "plan"
    shutil.copytree(SHIPPED_PLAN, target)
    return target


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No machine git config, no repository above the test's folder, no plan or language from the
    environment.  A module whose tests run commands on their own workspaces uses it for every test:
    ``pytestmark = pytest.mark.usefixtures("isolated")``."""
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.delenv("ASEANCTL_PLAN", raising=False)
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' parse cache lives in a folder of their own, never the user's ~/.cache."""
    import os

    os.environ["ASEANCTL_CACHE_DIR"] = str(tmp_path_factory.mktemp("aseanctl-cache"))


def child_env() -> dict[str, str]:
    """Environment for aseanctl in a child process: this checkout first on the path, git as in
    the tests' repositories, no colour, no plan or language from the machine."""
    env = {k: v for k, v in os.environ.items() if k not in ("ASEANCTL_PLAN", "ASEANCTL_LANG")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(GIT_ENV, NO_COLOR="1")
    return env


# Import first, say so, then wait for the start signal: the writes (not the imports) race.
_AT_THE_SIGNAL = """\
import os, sys, time
from aseanctl.cli import main
go, ready = sys.argv[1], sys.argv[2]
open(ready, "w").close()
deadline = time.monotonic() + 120
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.002)
raise SystemExit(main(sys.argv[3:]))
"""


def start_together(signals: Path, commands: list[list[str]], prelude: str = "") -> list[subprocess.Popen[bytes]]:
    """One aseanctl process per command, each let go once every one has imported aseanctl (and
    run ``prelude`` first); ``signals`` is a new folder for the start signals."""
    signals.mkdir()
    go = signals / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", prelude + _AT_THE_SIGNAL, str(go), str(signals / f"ready-{i}"), *args],
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i, args in enumerate(commands)
    ]
    deadline = time.monotonic() + 120
    while len(list(signals.glob("ready-*"))) < len(procs):
        assert time.monotonic() < deadline, "the processes did not start"
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
        time.sleep(0.01)
    go.touch()
    return procs
