"""The few git commands aseanctl runs: who the author is, where the repository is, and a
commit of exactly the files an update touched."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import AseanctlError


def _git(
    cwd: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60, env=env, input=data
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(["git", *args], 127, "", str(exc))
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def _git_bytes(cwd: Path, *args: str) -> bytes:
    """A git command's output as it is (file contents), or b"" when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return b""
    return done.stdout if done.returncode == 0 else b""


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


def _check(done: subprocess.CompletedProcess[str], command: str) -> str:
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise AseanctlError("update.git_failed", command=command, detail=detail[-1] if detail else "")
    return done.stdout


@contextmanager
def commit_lock(repo: Path) -> Iterator[None]:
    """The repository's lock, held around an update's append and its commit: two ``aseanctl
    update --commit`` never build on the same HEAD (which would drop a line), and lines are
    appended in the order they are committed, so the working tree's journal stays the
    committed one."""
    from . import locks

    git_dir = Path(_check(_git(repo, "rev-parse", "--absolute-git-dir"), "git rev-parse").strip())
    try:
        with locks.exclusive(git_dir / "aseanctl-commit.lock"):
            yield
    except locks.LockTimeout:
        raise AseanctlError("update.repo_locked", path=str(git_dir)) from None


def commit_lines(repo: Path, journal: Path, line: bytes, extra: list[Path], message: str) -> None:
    """Commit exactly one appended journal line (and ``extra`` files whole, such as
    journal/.gitattributes): what HEAD had, plus this line.  Other lines appended but not
    committed yet, and whatever else is staged, stay out of the commit and where they were.

    Built in a temporary index so that ``git commit`` (and its hooks) runs as usual.  The
    caller holds :func:`commit_lock`.
    """
    import tempfile

    has_head = _git(repo, "rev-parse", "--verify", "-q", "HEAD").returncode == 0
    name = journal.resolve().relative_to(repo.resolve()).as_posix()
    content = _git_bytes(repo, "show", f"HEAD:{name}") if has_head else b""
    if content and not content.endswith(b"\n"):
        content += b"\n"
    blobs = [(name, content + line)]
    for path in extra:
        if path.is_symlink() or not path.is_file():
            continue  # committed whole, so only as the regular file aseanctl wrote
        blobs.append((path.resolve().relative_to(repo.resolve()).as_posix(), path.read_bytes()))
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
        _check(_git(repo, "read-tree", *(["HEAD"] if has_head else ["--empty"]), env=env), "git read-tree")
        for path_name, data in blobs:
            blob = _check(_git(repo, "hash-object", "-w", "--stdin", data=data), "git hash-object").strip()
            _check(
                _git(repo, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path_name}", env=env),
                "git update-index",
            )
        _check(_git(repo, "commit", "--quiet", "-m", message, env=env), "git commit")
    # the real index now matches the new HEAD for these paths; the working tree keeps the rest.
    # The commit is made: a reset that fails leaves only the index behind, which git status shows
    _git(repo, "reset", "--quiet", "--", *(n for n, _ in blobs))
