"""Writing a file all at once or not at all."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


class ReadOnlyFile(PermissionError):
    """The file to replace is read-only: somebody protected it, so it is left alone."""


class SymlinkRefused(OSError):
    """A path inside the repository goes through a symbolic link: a pull request could point it
    anywhere (an ``authorized_keys``, a device), so aseanctl neither reads nor writes through it."""

    def __init__(self, link: Path) -> None:
        super().__init__(f"symbolic link: {link}")
        self.link = link


def refuse_symlinks(path: Path, below: Path) -> None:
    """Raise SymlinkRefused when ``path`` or any folder between ``below`` and it is a symbolic
    link.  ``below`` itself (the repository, chosen by the user) may be one."""
    try:
        steps = path.relative_to(below).parts
    except ValueError:
        return
    current = below
    for step in steps:
        current = current / step
        if current.is_symlink():
            raise SymlinkRefused(current)


class NotRegularFile(OSError):
    """A path to read is a FIFO, a device, a socket or a folder: reading it could block for
    ever or never end (``/proc/self/pagemap``), so it is not read."""

    def __init__(self, path: Path | str) -> None:
        super().__init__(errno.EINVAL, "not a regular file", str(path))


# O_NOFOLLOW: a symbolic link at the last step fails to open (ELOOP) instead of being followed.
# O_NONBLOCK: a FIFO swapped in after a check opens at once instead of waiting for a writer,
# and fstat then refuses it.  Both are POSIX; elsewhere the lstat checks before the open stand alone.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_regular(path: Path | str) -> int:
    """A descriptor open for reading on ``path``, which must be a regular file reached without
    following a symbolic link at its last step; OSError (ELOOP, NotRegularFile …) otherwise."""
    fd = os.open(path, _READ_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (see :func:`open_regular`), at most ``limit`` + 1
    of them: a caller seeing more than ``limit`` knows the file is too large, however its size
    was reported."""
    fd = open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limit + 1)


def is_special(path: Path) -> bool:
    """``path`` exists and is neither a regular file nor a folder: a device, a FIFO, a socket,
    or ``/dev/stdout`` and its kind.  Such a file is written to as a stream, never replaced."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into.  It is a temporary file in the same
    folder, renamed over ``path`` when the block ends; if the block raises, it is removed and
    ``path`` stays as it was.  So a report that fails half-way (a template error, a full disk)
    never leaves a truncated file, or replaces the last good one, and readers see either the
    old file or the new one.  A symlink is followed: its target is replaced, the link kept (a
    path from the repository is checked with :func:`refuse_symlinks` first).  A device, a FIFO
    or ``/dev/stdout`` is written to as a stream, never replaced by a regular file.

    Raises IsADirectoryError for a folder, ReadOnlyFile for a read-only file (which is never
    replaced), and OSError for anything else that stops the write."""
    if is_special(path):
        with open(path, "wb") as stream:
            yield stream
        return
    path = Path(os.path.realpath(path))
    if path.is_dir():
        raise IsADirectoryError(str(path))
    try:
        mode = path.stat().st_mode
    except OSError:
        pass
    else:
        if not mode & 0o222:
            raise ReadOnlyFile(str(path))
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        os.chmod(temp, _mode_for(path))  # mkstemp makes it 0600
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or for a new file what ``open`` would have given it."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
