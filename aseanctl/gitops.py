"""The few git commands aseanctl runs: who the author is, where the repository is, and a
commit of exactly the files an update touched."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import AseanctlError


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(["git", *args], 127, "", str(exc))


def author(cwd: Path) -> str | None:
    """``Name <email>`` from git config, ``Name`` alone without an e-mail; None when unset."""
    name = _git(cwd, "config", "user.name").stdout.strip()
    email = _git(cwd, "config", "user.email").stdout.strip()
    if not name:
        return None
    return f"{name} <{email}>" if email else name


def repository(path: Path) -> Path | None:
    done = _git(path, "rev-parse", "--show-toplevel")
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def commit_files(repo: Path, files: list[Path], message: str) -> None:
    """Commit these files and nothing else that happens to be staged."""
    names = [str(f.resolve().relative_to(repo.resolve())) for f in files]
    for args in (("add", "--", *names), ("commit", "--quiet", "-m", message, "--", *names)):
        done = _git(repo, *args)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise AseanctlError("update.git_failed", command=f"git {args[0]}", detail=detail[-1] if detail else "")
