"""The plan as it stood at a git revision, read from git's objects.

Nothing in the working tree or the index is read or changed: the commit's tree is listed
(``git ls-tree``), the blobs of the plan folder (and of the repository's ``templates/``
beside it) are copied out (``git cat-file --batch``) into a private folder, and the
normal loader reads that folder.  A commit is untrusted input (docs/ci.md): a symbolic
link or a submodule in it is never made on disk, only reported, a path that could leave
the folder is refused, and the whole is bounded in size.

The private folder has a stable name for each repository, inside the parse cache's
folder, so that the cache (keyed by path and checked by content) serves the files of a
revision as it serves a checkout's; a lock keeps two commands from sharing it (the second
takes a fresh temporary folder instead).  It is emptied when the command ends.
"""

from __future__ import annotations

import errno

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, NamedTuple

from .errors import AseanctlError, UsageError
from .problems import Msg, Problem

if TYPE_CHECKING:
    import subprocess

# subprocess, threading, shutil and tempfile are imported where they are used: every view
# command imports this module for --at, and most runs go without it

MAX_BYTES = 200 * 1024 * 1024  # what one revision of a plan may hold, templates included
MAX_FILES = 100_000
_OWNERS_FILE = "owners.yaml"  # the loader's names, repeated: importing it costs the YAML stack
_PLAN_FILE = "plan.yaml"
_TEMPLATES = "templates"
SLOTS = 4  # private folders per repository that keep their name (and so their cache entries)
_LINK_MODES = {"120000": "link", "160000": "submodule"}


class Entry(NamedTuple):
    mode: str
    kind: str
    sha: str
    size: int
    path: str  # from the top of the repository, POSIX


class Snapshot:
    """A revision's plan, copied out: ``root`` is what the loader reads; ``real_root`` is
    where the same folder lies in the working tree, for paths shown to people."""

    def __init__(self, commit: str, folder: Path, top: Path, workspace: str, skipped: list[Entry]) -> None:
        self.commit = commit
        self.folder = folder  # mirrors the repository's top
        self.top = top
        self.root = folder / workspace if workspace else folder
        self.real_root = top / workspace if workspace else top
        self.skipped = skipped
        self._lock: IO[bytes] | None = None
        self._temporary = False

    def real(self, path: Path) -> Path:
        """Where ``path`` (inside the private folder) lies in the repository."""
        try:
            return self.top / path.relative_to(self.folder)
        except ValueError:
            return path

    def inside(self, path: Path) -> Path:
        """Where ``path`` (in the working tree) lies in the private folder."""
        try:
            return self.folder / Path(os.path.abspath(path)).relative_to(self.top)
        except ValueError:
            try:
                return self.folder / path.resolve().relative_to(self.top.resolve())
            except ValueError:
                return path

    def shown(self, show: Callable[[Path | None], str]) -> Callable[[Path | None], str]:
        """``show`` for the repository's paths, given paths in the private folder."""
        return lambda path: show(None if path is None else self.real(path))

    def problems(self) -> list[Problem]:
        """The links and submodules the commit held in the plan, which were not read."""
        return [
            Problem(
                "stray-file",
                "warning",
                Msg("history.link_skipped", {"name": entry.path, "kind": _LINK_MODES[entry.mode]}),
                file=self.folder.joinpath(*PurePosixPath(entry.path).parts),
            )
            for entry in self.skipped
        ]

    def close(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)
        if self._temporary:
            shutil.rmtree(self.folder.parent, ignore_errors=True)
        if self._lock is not None:
            self._lock.close()
            self._lock = None


# --- git ------------------------------------------------------------------------------------


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    import subprocess

    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(["git", *args], 127, b"", str(exc).encode())


def repository_top(start: Path) -> Path:
    """The top of the git repository holding ``start``; UsageError when there is none."""
    here = start if start.is_dir() else start.parent
    while not here.exists() and here != here.parent:
        here = here.parent
    done = _run(here, "rev-parse", "--show-toplevel")
    top = done.stdout.decode("utf-8", "surrogateescape").strip()
    if done.returncode != 0 or not top:
        raise UsageError("history.not_git", path=str(start))
    return Path(top)


def resolve_commit(top: Path, rev: str) -> str:
    """The full id of the commit ``rev`` names.  ``rev`` never reaches git as an option."""
    from .safetext import visible

    if not rev or rev.startswith("-") or "\0" in rev:
        raise UsageError("history.bad_revision", rev=visible(rev))
    done = _run(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    commit = done.stdout.decode("ascii", "replace").strip()
    if done.returncode != 0 or not commit:
        raise UsageError("history.bad_revision", rev=visible(rev))
    return commit


def list_tree(top: Path, commit: str) -> list[Entry]:
    """Every entry of the commit's tree, with blob sizes (``commit`` is a verified id)."""
    done = _run(top, "ls-tree", "-r", "-z", "-l", "--full-tree", commit)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AseanctlError("history.git_failed", command="git ls-tree", detail=detail[-1] if detail else "")
    entries = []
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha, size = meta.decode("ascii").split()
        entries.append(Entry(mode, kind, sha, int(size) if size.isdigit() else 0, name.decode("utf-8", "replace")))
    return entries


def _safe(path: str) -> bool:
    """A tree path that stays inside the folder it is written to."""
    parts = path.split("/")
    return not path.startswith("/") and all(part not in ("", ".", "..", ".git") for part in parts)


# --- where the plan lies at the revision ----------------------------------------------------


def find_workspace_in(entries: list[Entry], start: str) -> str | None:
    """:func:`aseanctl.loader.find_workspace` over a tree listing: the plan folder that
    ``start`` (a path from the repository's top, "" for the top) lies in or points at."""
    files = {e.path for e in entries if e.kind == "blob" and e.mode not in _LINK_MODES}
    folders: dict[str, set[str]] = {}
    for path in files:
        parts = path.split("/")
        for depth in range(len(parts)):
            folders.setdefault("/".join(parts[:depth]), set()).add(parts[depth] if depth < len(parts) - 1 else "")

    def join(*parts: str) -> str:
        return "/".join(p for p in parts if p)

    def is_workspace(folder: str) -> bool:
        children = folders.get(folder, set())
        return join(folder, _OWNERS_FILE) in files or any(
            child and join(folder, child, _PLAN_FILE) in files for child in children
        )

    here = start.strip("/")
    if here in files:
        here = here.rpartition("/")[0]
    while True:
        if join(here, _PLAN_FILE) in files and join(here, _OWNERS_FILE) not in files:
            return here.rpartition("/")[0]
        if is_workspace(here):
            return here
        if is_workspace(join(here, "plan")):
            return join(here, "plan")
        if not here:
            return None
        here = here.rpartition("/")[0]


# --- copying the blobs out ------------------------------------------------------------------


def _private_folder(top: Path) -> tuple[Path, IO[bytes] | None, bool]:
    """(folder, lock, temporary): the repository's stable folder in the cache when it is free,
    else a fresh temporary one."""
    import hashlib
    import shutil
    import tempfile

    from . import locks
    from .cache import cache_dir

    base = cache_dir()
    if base is not None:
        key = hashlib.blake2b(str(top.resolve()).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        parent = base / "at"
        # a few slots: 'diff BASE HEAD' holds two at once, and finds them again the next time
        for slot in range(SLOTS):
            try:
                parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                lock = open(parent / f"{key}-{slot}.lock", "wb")  # noqa: SIM115 - held until close()
            except OSError:
                break
            try:
                if not locks.try_hold(lock.fileno()):
                    raise BlockingIOError(errno.EAGAIN, "slot in use")
                folder = parent / f"{key}-{slot}"
                shutil.rmtree(folder, ignore_errors=True)  # what an interrupted command left
                folder.mkdir(mode=0o700)
            except OSError:
                lock.close()
                continue
            return folder, lock, False
    temporary = Path(tempfile.mkdtemp(prefix="aseanctl-at-"))  # 0700
    folder = temporary / "tree"
    folder.mkdir(mode=0o700)
    return folder, None, True


def _feed(stream: IO[bytes], entries: list[Entry]) -> None:
    try:
        stream.write(b"".join(f"{e.sha}\n".encode() for e in entries))
    except OSError:
        pass
    finally:
        stream.close()


def write_blobs(top: Path, entries: list[Entry], folder: Path) -> None:
    """Each blob's bytes into ``folder``/path, streamed from one ``git cat-file --batch``."""
    import subprocess
    import threading

    try:
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=top, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
    except OSError as exc:
        raise AseanctlError("history.git_failed", command="git cat-file", detail=str(exc)) from None
    assert process.stdin is not None and process.stdout is not None
    feeder = threading.Thread(target=_feed, args=(process.stdin, entries), daemon=True)
    feeder.start()
    made: set[Path] = set()
    try:
        for entry in entries:
            header = process.stdout.readline().split()
            if len(header) != 3 or header[1] != b"blob":
                raise AseanctlError("history.git_failed", command="git cat-file", detail=entry.path)
            size = int(header[2])
            target = folder.joinpath(*entry.path.split("/"))
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                made.add(target.parent)
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                left = size
                while left:
                    chunk = process.stdout.read(min(left, 1 << 20))
                    if not chunk:
                        raise AseanctlError("history.git_failed", command="git cat-file", detail=entry.path)
                    out.write(chunk)
                    left -= len(chunk)
            process.stdout.read(1)  # the newline after the contents
    finally:
        process.stdout.close()
        process.kill()
        process.wait()
        feeder.join()


def open_revision(rev: str, plan: str | None, cwd: Path | None = None) -> Snapshot:
    """The plan at ``rev``, found as the working tree's would be from ``--plan``, else
    ``ASEANCTL_PLAN``, else the current folder; copied out.  Call ``close()`` when done."""
    from .safetext import visible

    cwd = cwd or Path.cwd()
    given = plan or os.environ.get("ASEANCTL_PLAN") or None
    start = (cwd / given) if given else cwd
    top = repository_top(start)
    commit = resolve_commit(top, rev)
    try:
        relative = Path(os.path.abspath(start)).relative_to(os.path.abspath(top.resolve()))
    except ValueError:
        try:
            relative = start.resolve().relative_to(top.resolve())
        except ValueError:
            raise UsageError("history.no_plan", rev=visible(rev), start=str(given or cwd)) from None
    entries = list_tree(top, commit)
    workspace = find_workspace_in(entries, relative.as_posix() if str(relative) != "." else "")
    if workspace is None:
        raise UsageError("history.no_plan", rev=visible(rev), start=str(given or cwd))
    prefixes = [f"{workspace}/" if workspace else ""]
    if workspace:
        beside = workspace.rpartition("/")[0]
        prefixes.append(f"{beside}/{_TEMPLATES}/" if beside else f"{_TEMPLATES}/")
    chosen = [e for e in entries if any(e.path.startswith(p) for p in prefixes)]
    skipped = [e for e in chosen if e.mode in _LINK_MODES or e.kind != "blob" or not _safe(e.path)]
    refused = set(skipped)
    blobs = [e for e in chosen if e not in refused]
    total = sum(e.size for e in blobs)
    if total > MAX_BYTES or len(blobs) > MAX_FILES:
        raise AseanctlError(
            "history.too_large", rev=visible(rev), size=total, files=len(blobs), limit=MAX_BYTES, max_files=MAX_FILES
        )
    folder, lock, temporary = _private_folder(top)
    snapshot = Snapshot(commit, folder, top, workspace, [e for e in skipped if e.mode in _LINK_MODES])
    snapshot._lock, snapshot._temporary = lock, temporary
    try:
        write_blobs(top, blobs, folder)
        snapshot.root.mkdir(parents=True, exist_ok=True)
    except BaseException:
        snapshot.close()
        raise
    return snapshot


def open_at(rev: str, plan: str | None) -> Snapshot:
    """:func:`open_revision` for a command: emptied when the command ends."""
    snapshot = open_revision(rev, plan)
    when_done(snapshot)
    return snapshot


def when_done(snapshot: Snapshot) -> None:
    """Empty the snapshot's folder when the command ends (its click context closes)."""
    import atexit

    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is not None:
        ctx.call_on_close(snapshot.close)
    else:
        atexit.register(snapshot.close)


def default_base(plan: str | None, cwd: Path | None = None) -> str:
    """The commit a change is reviewed against: where HEAD left the default branch (the
    merge base with origin/HEAD, else main, else master, local or on origin)."""
    cwd = cwd or Path.cwd()
    given = plan or os.environ.get("ASEANCTL_PLAN") or None
    top = repository_top((cwd / given) if given else cwd)
    found = _run(top, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD")
    candidates = [found.stdout.decode("utf-8", "replace").strip()] if found.returncode == 0 else []
    candidates += ["refs/heads/main", "refs/heads/master", "refs/remotes/origin/main", "refs/remotes/origin/master"]
    for ref in filter(None, candidates):
        done = _run(top, "merge-base", "HEAD", ref)
        commit = done.stdout.decode("ascii", "replace").strip()
        if done.returncode == 0 and commit:
            return commit
    raise UsageError("history.no_base")
