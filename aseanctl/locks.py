"""Locks between processes, the same on Windows, macOS and Linux: the only module that locks files.

Both locks go through ``filelock``.  Where the platform has a lock of its own (``flock`` on
Linux and macOS, ``LockFileEx`` on Windows) it is taken on the journal's own descriptor, so no
lock file appears in the plan, and the system drops it when a holder dies.  Where it has none,
a lock file created exclusively beside the locked file stands in (filelock's soft lock, which
reclaims the file of a holder that died on the same machine).  ``NATIVE`` is the switch.
"""

from __future__ import annotations

import errno
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

NATIVE = sys.platform == "win32" or bool(getattr(filelock, "unix_has_fcntl", False))
POLL_SECONDS = 0.005
WAIT_SECONDS = 300.0  # a git hook may be slow; a holder that hangs longer is a stuck one


class LockTimeout(OSError):
    """Another process held the lock for longer than ``WAIT_SECONDS``."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.EAGAIN, "locked by another process", str(path))
        self.path = path


@contextmanager
def holding(fd: int, path: Path) -> Iterator[None]:
    """An exclusive lock on the open file ``fd`` (which is ``path``) for the block."""
    if not NATIVE:
        with exclusive(path.with_name(f".{path.name}.lock")):
            yield
        return
    deadline = time.monotonic() + WAIT_SECONDS
    while not filelock.lock_descriptor(fd, blocking=False):
        if time.monotonic() > deadline:
            raise LockTimeout(path)
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        filelock.unlock_descriptor(fd)


def try_hold(fd: int) -> bool:
    """Take an exclusive lock on the open file ``fd`` if it is free, without waiting; it is held
    until the file is closed.  False when it is taken, or when the platform has no lock of its
    own (the caller then does without: a fresh private folder instead of a shared slot)."""
    return NATIVE and bool(filelock.lock_descriptor(fd, blocking=False))


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    """An exclusive lock named by ``lock_file`` (created if missing) for the block."""
    kind = filelock.FileLock if NATIVE else filelock.SoftFileLock
    lock = kind(lock_file, timeout=WAIT_SECONDS, poll_interval=POLL_SECONDS)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise LockTimeout(lock_file) from None
    try:
        yield
    finally:
        lock.release()
