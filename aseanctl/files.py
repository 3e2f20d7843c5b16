"""Writing a file all at once or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


class ReadOnlyFile(PermissionError):
    """The file to replace is read-only: somebody protected it, so it is left alone."""


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path``'s new content into.  It is a temporary file in the same
    folder, renamed over ``path`` when the block ends; if the block raises, it is removed and
    ``path`` stays as it was.  So a report that fails half-way (a template error, a full disk)
    never leaves a truncated file, or replaces the last good one, and readers see either the
    old file or the new one.  A symlink is followed: its target is replaced, the link kept.

    Raises IsADirectoryError for a folder, ReadOnlyFile for a read-only file (which is never
    replaced), and OSError for anything else that stops the write."""
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
