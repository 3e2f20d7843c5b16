"""Shared fixtures: plan workspaces written from text, and the shipped plan copied."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHIPPED_PLAN = REPO / "plan"

OWNERS = """\
owners:
  - id: so-a
    name: Sở A
    kind: department
  - id: so-b
    name: Sở B
    kind: department
"""

PLAN = """\
id: p1
title: Kế hoạch thử
document:
  number: 1/KH-UBND
  date: 2021-10-19
  issuer: UBND tỉnh
period:
  start: 2021-01-01
  end: 2025-12-31
lead: so-a
objectives:
  - id: N1
    title: Nhóm một
    ascc: A
"""

TASKS = """\
objective: N1
tasks:
  - id: N1.1
    title: Nhiệm vụ một
    lead: so-a
    recurring: yearly
"""

WriteWorkspace = Callable[..., Path]


@pytest.fixture
def make_workspace(tmp_path: Path) -> WriteWorkspace:
    """Write a small valid workspace; keyword arguments replace files by relative path
    (``owners``, ``plan``, ``tasks`` name the usual three; others are paths like
    ``"p1/tasks/nhom-2.yaml"``).  Text is dedented; ``None`` leaves a file out; bytes are
    written as they are; a ``Path`` makes a symbolic link to it."""

    def write(
        owners: str | bytes | Path | None = OWNERS,
        plan: str | bytes | Path | None = PLAN,
        tasks: str | bytes | Path | None = TASKS,
        **extra: str | bytes | Path | None,
    ) -> Path:
        root = tmp_path / "ws"
        files = {"owners.yaml": owners, "p1/plan.yaml": plan, "p1/tasks/nhom-1.yaml": tasks}
        files.update({name.replace("__", "/"): text for name, text in extra.items()})
        for name, text in files.items():
            if text is None:
                continue
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, Path):
                path.symlink_to(text)
            elif isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


@pytest.fixture
def shipped_copy(tmp_path: Path) -> Path:
    """A copy of the shipped plan that a test may break."""
    target = tmp_path / "plan"
    shutil.copytree(SHIPPED_PLAN, target)
    return target


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' parse cache lives in a folder of their own, never the user's ~/.cache."""
    import os

    os.environ["ASEANCTL_CACHE_DIR"] = str(tmp_path_factory.mktemp("aseanctl-cache"))
