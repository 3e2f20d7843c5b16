"""A cache of parsed plan files, so that commands after the first skip the parsing.

On a 10,000-task plan with a 100,000-update journal, `aseanctl status` takes 3.9 s when it
parses everything and 1.2 s when the files come from this cache.  What is cached is only
what the file's bytes determine (the data the strict YAML loader or the journal reader
made of them), and only for files that had no problem: problems are always found anew.
An entry is plain data that whoever can write the cache folder can forge: the loader
checks a task file's entry again when it reads it (``fastcheck``), and one that a file
without problems could not have given is a miss; the data of other plan files goes
through the full shape check on every command anyway.  The one entry that is not data a
file parses into is the rules' verdict on a whole workspace (``validation``: two counts,
keyed by the digests of every file the workspace is made of and of aseanctl's code).

Entries are keyed by the file's path and checked against a SHA-256 digest of its bytes and of the parsing code,
read afresh on every run, so an entry can never be stale, whatever the file system's
time stamps say.  One entry per file: a new version replaces the old one.  The cache
lives outside the plan repository, in ``$ASEANCTL_CACHE_DIR``, else the platform's cache
folder (``platformdirs``: ``$XDG_CACHE_HOME/aseanctl`` or ``~/.cache/aseanctl`` on Linux,
``~/Library/Caches/aseanctl`` on macOS, the local application data folder on Windows);
``ASEANCTL_NO_CACHE=1`` turns it off.  It is written with ``marshal`` (no code runs when it
is read; a damaged entry is a miss) and replaced atomically, so concurrent commands never
read half an entry.

Entry names are predictable, and the digests anyone can compute, so the cache is only as
trustworthy as its folder: it is created private (0700), and a folder that another user
owns, or that others can write to, is not used at all (one warning; the command works
without the cache).  Entries are opened without following a symbolic link, must be
regular files, and are replaced by renaming a new file over them, which replaces a link
planted there rather than writing where it points.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .files import open_regular, read_regular
from .problems import Msg

# an entry written by another version of aseanctl or of Python is a miss
FORMAT = f"aseanctl {__version__} py{sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version} v1"
# the modules whose code decides what a file parses into: a change to any of them (a
# development checkout, a patched install under the same version number) is a miss too.
# Not the loader: a task file is cached as the data the YAML parsers made of it.
_PARSERS = ("yamlio.py", "yamlparse.py", "yamlshared.py", "journal.py", "model.py", "schema.py")


@lru_cache(maxsize=1)
def _format() -> str:
    here = Path(__file__).resolve().parent
    code = hashlib.blake2b(digest_size=8)
    for name in _PARSERS:
        try:
            code.update((here / name).read_bytes())
        except OSError:
            code.update(name.encode())
    return f"{FORMAT} {code.hexdigest()}"


# entries above this size are not read: the largest, a 512 MB journal's, is far smaller
MAX_ENTRY_BYTES = 1 << 30

# Where the one warning about an unsafe cache folder goes: the command line sets it to print
# a line in the user's language; used as a library, aseanctl says nothing.
warn: Callable[[Msg], None] | None = None


def cache_dir() -> Path | None:
    """The cache folder's path, as configured (whether it may be used: :func:`_usable`)."""
    if os.environ.get("ASEANCTL_NO_CACHE"):
        return None
    explicit = os.environ.get("ASEANCTL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_dir

    base = user_cache_dir("aseanctl", appauthor=False)
    if not os.path.isabs(base):
        return None  # no home: better no cache than a "~" folder in the current one
    return Path(base)


@lru_cache(maxsize=8)
def _usable(folder: Path) -> bool:
    """Whether ``folder`` is private to this user, creating it private (0700) if need be.
    Anyone who can write the folder can forge entries (names and digests are predictable)
    or plant links where entries will be written, so a folder another user owns or others
    can write to is not used; the first refusal of a command prints one warning."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.stat(folder)
    except OSError:
        return False  # a cache that cannot be written is no cache, never an error
    if not stat.S_ISDIR(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return True  # Windows: the per-user folder is guarded by access lists, not mode bits
    if info.st_uid != getuid() or info.st_mode & 0o022:
        if warn is not None:
            warn(Msg("cache.unsafe_folder", {"folder": str(folder)}))
        return False
    if info.st_mode & 0o077:  # ours, readable by others (made by an older version): made private
        with suppress(OSError):
            os.chmod(folder, 0o700)
    return True


def digest(data: bytes) -> str:
    """The file's bytes, fingerprinted: SHA-256, which CPUs with SHA extensions (x86 since
    about 2017, ARMv8) hash at 1.3 GB/s here, twice BLAKE2b's speed (17 MB journal: 13 ms)."""
    return hashlib.sha256(data).hexdigest()


def file_digest(file: Path, limit: int) -> str | None:
    """:func:`digest` of the file's bytes, read through a small buffer: a command whose files
    come from the cache never holds a 17 MB journal in memory.  None when it cannot be read
    or is over ``limit`` bytes (the caller reads it and reports why)."""
    fingerprint = hashlib.sha256()
    buffer = bytearray(1 << 18)
    view = memoryview(buffer)
    try:
        with open(open_regular(file), "rb", buffering=0) as handle:  # no link followed, no FIFO waited on
            if os.fstat(handle.fileno()).st_size > limit:
                return None
            while size := handle.readinto(buffer):
                fingerprint.update(view[:size])
    except OSError:
        return None
    return fingerprint.hexdigest()


@lru_cache(maxsize=256)
def _real_folder(folder: str) -> str | None:
    """The folder with symlinks resolved as far as they exist (as ``Path.resolve``), once per
    folder: each step is a system call, and a plan has one folder of 50 task files."""
    try:
        return os.path.realpath(folder)
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        return None


def _entry(kind: str, file: Path) -> Path | None:
    """The entry's path: named after the file's real folder and its name; None when there is
    no cache folder that may be used."""
    folder = cache_dir()
    if folder is None or not _usable(folder):
        return None
    real = _real_folder(os.path.abspath(file.parent))
    if real is None:
        return None
    where = os.path.join(real, file.name)
    name = hashlib.blake2b(f"{kind}\0{where}".encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
    return folder / f"{kind}-{name}.marshal"


def get(kind: str, file: Path, content_digest: str) -> Any:
    """The cached value for ``file`` whose bytes have this digest, or None."""
    entry = _entry(kind, file)
    if entry is None:
        return None
    try:
        stored = marshal.loads(read_regular(entry, MAX_ENTRY_BYTES))
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3 and stored[0] == _format() and stored[1] == content_digest):
        return None
    return stored[2]


def _shared(value: Any, pool: dict[Any, Any]) -> Any:
    """``value`` with equal strings, and equal tuples of strings, made one object: marshal writes
    an object it has seen before as a reference, so a journal's thousand repeats of an
    agency id or an author are written and read back once (entries half the size, read in
    half the time)."""
    if isinstance(value, str):
        return pool.setdefault(value, value)
    if isinstance(value, tuple):
        shared = tuple(_shared(item, pool) for item in value)
        # only tuples of text: (1,) == (1.0,) == (True,), and a number must keep its type
        return pool.setdefault(shared, shared) if all(type(item) is str for item in shared) else shared
    if isinstance(value, list):
        return [_shared(item, pool) for item in value]
    if isinstance(value, dict):
        return {_shared(key, pool): _shared(item, pool) for key, item in value.items()}
    return value


def put(kind: str, file: Path, content_digest: str, value: Any) -> None:
    """Store ``value`` (plain data: what marshal can write) for this version of ``file``;
    a cache that cannot be written is no cache, never an error."""
    entry = _entry(kind, file)
    if entry is None:
        return
    try:
        data = marshal.dumps((_format(), content_digest, _shared(value, {})))
        _replace(entry, data)
    except (OSError, ValueError):
        return


def _replace(entry: Path, data: bytes) -> None:
    """Write ``data`` to a new file beside ``entry`` and rename it over ``entry``: a rename
    replaces whatever has the name, a symbolic link included, and never writes through it."""
    handle, temp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, entry)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
