"""A cache of parsed plan files, so that commands after the first skip the parsing.

On a 10,000-task plan with a 100,000-update journal, `aseanctl status` takes 3.9 s when it
parses everything and 1.2 s when the files come from this cache.  What is cached is only
what the file's bytes determine (the data the strict YAML loader or the journal reader
made of them), and only for files that had no problem: problems are always found anew.
An entry is plain data that whoever can write the cache folder can forge: the loader
checks a task file's entry again when it reads it (``fastcheck``), and one that a file
without problems could not have given is a miss; the data of other plan files goes
through the full shape check on every command anyway.

Entries are keyed by the file's path and checked against a SHA-256 digest of its bytes and of the parsing code,
read afresh on every run, so an entry can never be stale, whatever the file system's
time stamps say.  One entry per file: a new version replaces the old one.  The cache
lives outside the plan repository, in ``$ASEANCTL_CACHE_DIR``, else
``$XDG_CACHE_HOME/aseanctl``, else ``~/.cache/aseanctl``; ``ASEANCTL_NO_CACHE=1`` turns
it off.  It is written with ``marshal`` (no code runs when it is read; a damaged entry is
a miss) and replaced atomically, so concurrent commands never read half an entry.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .files import replacing

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


def cache_dir() -> Path | None:
    if os.environ.get("ASEANCTL_NO_CACHE"):
        return None
    explicit = os.environ.get("ASEANCTL_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if home == "~" or not os.path.isabs(home):
            return None  # no home: better no cache than a "~" folder in the current one
        base = os.path.join(home, ".cache")
    return Path(base) / "aseanctl"


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
        with open(file, "rb", buffering=0) as handle:
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
    """The entry's path: named after the file's real folder and its name."""
    folder = cache_dir()
    if folder is None:
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
        stored = marshal.loads(entry.read_bytes())
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
        entry.parent.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps((_format(), content_digest, _shared(value, {})))
        with replacing(entry) as out:
            out.write(data)
    except (OSError, ValueError):
        return
