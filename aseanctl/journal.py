"""The journal of status updates: the only module that writes into a plan folder.

Storage: ``<plan>/journal/<year>.jsonl``, one update per line (JSON, which is also
YAML), in the year of the update's status date.  The guarantees, each tested:

- appending never rewrites a line: ``git diff`` after an update shows one added line;
- ``journal/.gitattributes`` gives ``*.jsonl`` git's ``union`` merge driver, so two
  branches that append updates (to the same task or not) merge without a conflict;
- an append holds an exclusive lock on the file (``locks``: the same on every platform) and
  writes the line in one ``write``, so concurrent ``aseanctl update`` processes never lose or
  interleave lines; an append that fails (a full disk, a size limit, a read-only file system,
  or the commit that was to follow it) cuts the file back to the size it had, so no part of
  the line stays;
- a journal file that is a symbolic link, or not a regular file (a FIFO, a device), is never
  opened: it is a problem for readers and a refusal for ``update`` (it could point anywhere);
- a broken file says what is wrong on its first lines of each kind, then counts the rest in
  one problem: a file of bogus lines costs bounded memory and output;
- a writer killed mid-line leaves a torn tail that readers ignore (with a warning) and the
  next append cuts off first; a last line that is a whole record but lacks its newline
  (an editor that drops it) counts, and the next append gives it its newline;
- what a valid line is, the schema says (``schema.UPDATE``): a file is checked against it
  column by column, and only a file with a line that fails pays for a line-by-line check
  that says what is wrong where;
- the order in which updates count is ``model.UPDATE_ORDER``: status date, then the instant
  recorded, then the order written (files in name order, lines in file order).
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import hashlib
import json
import os
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from operator import methodcaller
from pathlib import Path
from typing import Any

from . import cache, schema
from .errors import AseanctlError
from .model import RECORD_FIELDS, Update
from .problems import Msg, Problem, Severity

JOURNAL_DIR = "journal"
JOURNAL_SUFFIX = ".jsonl"
GITATTRIBUTES = (
    "# aseanctl: journal lines are independent records; merging two branches keeps both sides' lines,\n"
    "# and every checkout (Windows' core.autocrlf too) keeps them LF-terminated, as aseanctl appends them\n"
    "*.jsonl text eol=lf merge=union\n"
)
UNSAFE_RULE = "unsafe-file"
# what a broken file says line by line, per rule; the rest of each kind is counted in one problem
PROBLEMS_PER_RULE = 100
# O_NOFOLLOW: a symlink is refused by the open itself, with no window between a check and the
# open; O_NONBLOCK: opening a FIFO returns at once (and fstat then refuses it) instead of waiting
_SAFE_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
MAX_JOURNAL_BYTES = 512 * 1024 * 1024
FIELD_ORDER = (
    "id",
    "task",
    "date",
    "status",
    "progress",
    "health",
    "actual",
    "note",
    "evidence",
    "by",
    "author",
    "recorded",
    "corrects",
    "withdraws",
    "reason",
)


class UnsafeFile(OSError):
    """A journal path that is a symbolic link or not a regular file: never read or written."""


def _scan(plan_folder: Path) -> tuple[list[Path], list[Path]]:
    """The journal's regular files, and the paths that would be journal files but are symbolic
    links or special files (the journal folder itself, when it is a link), each in name order."""
    folder = plan_folder / JOURNAL_DIR
    if folder.is_symlink():
        return [], [folder]
    regular: list[Path] = []
    unsafe: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                path = Path(entry.path)
                if path.suffix != JOURNAL_SUFFIX:
                    continue
                try:
                    if entry.is_file(follow_symlinks=False):
                        regular.append(path)
                    elif not entry.is_dir(follow_symlinks=False):
                        unsafe.append(path)
                except OSError:
                    unsafe.append(path)
    except OSError:
        return [], []
    return sorted(regular), sorted(unsafe)


def journal_files(plan_folder: Path) -> list[Path]:
    """The journal's files that aseanctl reads: regular files, never a link or a special file."""
    return _scan(plan_folder)[0]


def _open_regular(path: Path, flags: int, mode: int = 0o644) -> int:
    """A descriptor on ``path`` opened without following a symbolic link or blocking on a FIFO,
    and only if it is a regular file; UnsafeFile otherwise."""
    if not getattr(os, "O_NOFOLLOW", 0) and path.is_symlink():
        raise UnsafeFile(errno.ELOOP, "symbolic link", str(path))  # no O_NOFOLLOW (Windows): check first
    try:
        fd = os.open(path, flags | _SAFE_FLAGS, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) or path.is_symlink():
            raise UnsafeFile(errno.ELOOP, "symbolic link", str(path)) from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeFile(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_journal_bytes(file: Path) -> bytes | None:
    """A journal file's bytes, read the way the reader reads them (never through a link, never
    from a special file); None when it cannot be read so."""
    try:
        fd = _open_regular(file, os.O_RDONLY)
    except OSError:
        return None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        try:
            return handle.readall()
        except OSError:
            return None


def _unsafe_problem(path: Path) -> Problem:
    # no line: nothing from such a file is ever quoted
    return Problem(UNSAFE_RULE, "error", Msg("journal.unsafe_file", {}), file=path)


# --- reading -----------------------------------------------------------------------------


def _key_count(records: list[Any]) -> int:
    """Keys read, nested ``actual`` ones included; -1 when a record is not shaped for counting.
    Fewer keys read than written means json.loads dropped a repeated one."""
    try:
        actual = [a for a in map(methodcaller("get", "actual"), records) if a]
        return sum(map(len, records)) + sum(map(len, actual))
    except (AttributeError, TypeError):
        return -1


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _problem(file: Path, line: int, rule: str, msg_key: str, severity: Severity = "error", **args: Any) -> Problem:
    return Problem(
        rule=rule,
        severity=severity,
        msg=Msg(msg_key, args),
        file=file,
        line=line,
        column=1,
    )


# A file's valid records, each with its line number, as the reader finds them.
_Entries = tuple[tuple[int, ...], tuple[dict[str, Any], ...]]


def _fingerprint(fd: int) -> str:
    """:func:`cache.digest` of the file's bytes, read through a small buffer: a command whose
    files come from the cache never holds a large journal in memory."""
    fingerprint = hashlib.sha256()
    while chunk := os.read(fd, 1 << 18):
        fingerprint.update(chunk)
    return fingerprint.hexdigest()


def load_journal_file(file: Path) -> tuple[list[Update], list[Problem]]:
    """Every complete line of one journal file as an Update; problems for the rest."""
    updates, problems, _ = read_journal_file(file)
    return updates, problems


def read_journal_file(file: Path) -> tuple[list[Update], list[Problem], str | None]:
    """:func:`load_journal_file`, and the :func:`cache.digest` of the bytes read (None when
    the file could not be read)."""
    try:
        fd = _open_regular(file, os.O_RDONLY)
    except UnsafeFile:
        return [], [_unsafe_problem(file)], None
    except OSError as exc:
        return (
            [],
            [Problem("file-read", "error", Msg("file.unreadable", {"reason": exc.strerror or str(exc)}), file=file)],
            None,
        )
    try:
        with os.fdopen(fd, "rb", buffering=0) as handle:
            size = os.fstat(fd).st_size
            if size > MAX_JOURNAL_BYTES:
                return [], [_problem(file, 1, "file-read", "file.too_large", size=size, limit=MAX_JOURNAL_BYTES)], None
            fingerprint = _fingerprint(fd)
            columns = cache.get("journal", file, fingerprint)
            if columns is not None:
                try:
                    return _from_columns(columns, file), [], fingerprint
                except (TypeError, ValueError, OverflowError):
                    pass  # an entry of another shape (written by hand?): a miss, and replaced below
            handle.seek(0)
            raw = handle.readall()
    except OSError as exc:
        return (
            [],
            [Problem("file-read", "error", Msg("file.unreadable", {"reason": exc.strerror or str(exc)}), file=file)],
            None,
        )
    key = cache.digest(raw)  # of the bytes parsed: the file may have changed since
    (lines, records), problems = _parse_journal(raw, file)
    if not problems:
        cache.put("journal", file, key, _to_columns(lines, records))
    from_record = Update.from_record
    return [from_record(file, line, **record) for line, record in zip(lines, records, strict=True)], problems, key


def _to_columns(lines: tuple[int, ...], records: tuple[dict[str, Any], ...]) -> tuple[tuple[Any, ...], ...]:
    """A file's records as the cache keeps them: line numbers, then one column per field
    (None where a record leaves the field out), which marshal reads back faster than dicts."""
    return (lines, *(tuple(record.get(name) for record in records) for name in RECORD_FIELDS))


def _from_columns(columns: tuple[Any, ...], file: Path) -> list[Update]:
    lines, *values = columns
    if len(values) != len(RECORD_FIELDS) or len(set(map(len, columns))) != 1:
        raise ValueError("not the columns this version writes")  # map() would drop or shift values
    return list(map(partial(Update.from_record, file), lines, *values))


def _parse_journal(raw: bytes, file: Path) -> tuple[_Entries, list[Problem]]:
    problems: list[Problem] = []
    if b"\r\n" in raw:
        raw = raw.replace(b"\r\n", b"\n")  # a checkout with core.autocrlf, or Notepad: the same lines
    lines = raw.split(b"\n")
    tail = lines.pop()  # what follows the last newline: empty unless a write was cut short
    if tail.strip():
        if _whole_record(tail):
            lines.append(tail)  # a whole record that only lacks its newline counts
        else:
            problems.append(_problem(file, len(lines) + 1, "journal-torn-line", "journal.torn_tail", "warning"))
    try:
        text = b"\n".join(lines).decode("utf-8")
    except UnicodeDecodeError:
        text = None
    # Each line must be one object: a line that opened a structure closed on the next would
    # otherwise be read across the line break.  (A string cannot span lines: JSON forbids a
    # raw newline inside one, so joining with ",\n" keeps every string on its own line.)
    whole_lines = all(line[:1] == b"{" and line[-1:] == b"}" for line in lines)
    if text is not None and whole_lines and "\\u" not in text:
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        try:
            records = json.loads("[" + text.replace("\n", ",\n") + "]")  # one call for the whole file
        except ValueError:
            records = None
        # the schema's own column-wise check: a file of valid lines (as aseanctl writes them)
        # needs no Python call per value; any other is read line by line, to say what is wrong where
        if (
            records is not None
            and len(records) == len(lines)
            and text.count('":') == _key_count(records)
            and schema.UPDATE.accepts_all(records)
        ):
            return (tuple(range(1, len(records) + 1)), tuple(records)), problems
    entries, found = _slow_lines(lines, file)
    return entries, problems + _capped(found, file)


def _capped(problems: Iterable[Problem], file: Path) -> list[Problem]:
    """The first ``PROBLEMS_PER_RULE`` problems of each rule, then one per rule that counts
    the rest and points at the first of them."""
    kept: list[Problem] = []
    seen: dict[str, int] = {}
    first_left: dict[str, Problem] = {}
    for problem in problems:
        count = seen[problem.rule] = seen.get(problem.rule, 0) + 1
        if count <= PROBLEMS_PER_RULE:
            kept.append(problem)
        elif count == PROBLEMS_PER_RULE + 1:
            first_left[problem.rule] = problem
    for rule, first in first_left.items():
        more = seen[rule] - PROBLEMS_PER_RULE
        kept.append(Problem(rule, first.severity, Msg("journal.more_like_this", {"count": more}), file, first.line, 1))
    return kept


def _slow_lines(lines: list[bytes], file: Path) -> tuple[_Entries, list[Problem]]:
    """Line by line, saying exactly what is wrong where."""
    numbers: list[int] = []
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for number, data in enumerate(lines, 1):
        if not data.strip():
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(_problem(file, number, "journal-syntax", "journal.not_utf8"))
            continue
        if not text.isascii() and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        try:
            record = json.loads(text)
        except ValueError as exc:
            problems.append(_problem(file, number, "journal-syntax", "journal.not_json", detail=str(exc)))
            continue
        if "\\u" in text:
            record = _nfc(record)  # an escaped decomposed letter
        nested = record.get("actual") if isinstance(record, dict) else None
        if isinstance(record, dict) and text.count('":') > len(record) + (
            len(nested) if isinstance(nested, dict) else 0
        ):
            try:  # more keys written than read: json.loads kept the last of a repeated key
                json.loads(text, object_pairs_hook=_pairs_no_duplicates)
            except _DuplicateKey as dup:
                problems.append(_problem(file, number, "duplicate-key", "yaml.duplicate_key", key=dup.key))
                continue
        _, found = schema.check_value(schema.UPDATE, record)
        if found:
            problems.extend(
                Problem(p.rule, p.severity, p.msg, file=file, line=number, column=1, path=p.path, on_key=p.on_key)
                for p in found
            )
            continue
        numbers.append(number)
        records.append(record)
    return (tuple(numbers), tuple(records)), problems


def load_journal(plan_folder: Path) -> tuple[list[Update], list[Problem]]:
    updates: list[Update] = []
    files, unsafe = _scan(plan_folder)
    problems: list[Problem] = [_unsafe_problem(path) for path in unsafe]
    enabled = gc.isenabled()
    gc.disable()  # a million new objects and no garbage: the collector would only rescan them (~10 %)
    try:
        for file in files:
            found, trouble = load_journal_file(file)
            updates.extend(found)
            problems.extend(trouble)
    finally:
        if enabled:
            gc.enable()
    return updates, problems


def _find_record(plan_folders: list[Path], field: str, value: str) -> tuple[dict[str, Any], Path, int] | None:
    """The first record whose ``field`` is ``value``, found by a byte search for the value
    rather than by reading every line; its file and line number with it.  A last line
    counts as the loader counts it: when it is a whole record."""
    needle = json.dumps(value).encode()
    for folder in plan_folders:
        for file in journal_files(folder):
            raw = read_journal_bytes(file)
            if raw is None:
                continue
            start = 0
            while (at := raw.find(needle, start)) >= 0:
                start = at + 1
                line_start = raw.rfind(b"\n", 0, at) + 1
                line_end = raw.find(b"\n", at)
                try:
                    record = json.loads(raw[line_start : line_end if line_end >= 0 else len(raw)])
                except ValueError:
                    continue  # a torn tail, or a broken line: the loader says so
                if isinstance(record, dict) and record.get(field) == value:
                    return record, file, raw.count(b"\n", 0, line_start) + 1
    return None


def find_update(plan_folders: list[Path], update_id: str) -> Update | None:
    """The update with this id (None when there is none, or its line is not a valid update)."""
    found = _find_record(plan_folders, "id", update_id)
    if found is None or schema.check_value(schema.UPDATE, found[0])[1]:
        return None
    record, file, line = found
    return Update.from_record(file, line, **record)


def find_correction(plan_folders: list[Path], update_id: str) -> str | None:
    """The id of an update that already corrects ``update_id``, if any."""
    found = _find_record(plan_folders, "corrects", update_id)
    return str(found[0].get("id")) if found is not None else None


def find_withdrawal(plan_folders: list[Path], update_id: str) -> str | None:
    """The id of an update that already withdraws ``update_id``, if any."""
    found = _find_record(plan_folders, "withdraws", update_id)
    return str(found[0].get("id")) if found is not None else None


# --- writing -------------------------------------------------------------------------------


def new_update_id(today: dt.date) -> str:
    """The recording day and 32 random bits: unique across branches and machines, short enough to type."""
    import secrets  # only when recording: 2 ms of start-up for every other command

    return f"{today:%Y%m%d}-{secrets.token_hex(4)}"


def encode_update(record: dict[str, Any]) -> bytes:
    ordered = {name: record[name] for name in FIELD_ORDER if record.get(name) is not None}
    return (json.dumps(ordered, ensure_ascii=False, separators=(", ", ": ")) + "\n").encode("utf-8")


def ensure_gitattributes(folder: Path) -> Path | None:
    """Write journal/.gitattributes if it is missing; the path when it was written."""
    path = folder / ".gitattributes"
    if path.exists():
        return None
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(GITATTRIBUTES)
    except FileExistsError:
        return None  # another process wrote it first
    return path


def _whole_record(data: bytes) -> bool:
    """A last line without its newline that is nevertheless a whole JSON object (a line added
    by hand in an editor that drops the final newline, or a writer killed just before it)."""
    try:
        return isinstance(json.loads(data), dict)
    except ValueError:
        return False


def _pread(fd: int, size: int, offset: int) -> bytes:
    """``os.pread``, which Windows lacks; appends ignore the position (O_APPEND)."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def _mend_tail(fd: int) -> None:
    """Under the lock: end the file with a newline.  A last line that is a whole object gets
    its newline; a torn one (a writer killed mid-line) is cut off."""
    size = os.fstat(fd).st_size
    if size == 0 or _pread(fd, 1, size - 1) == b"\n":
        return
    end, cut = size, 0
    while end > 0:
        start = max(0, end - 65536)
        chunk = _pread(fd, end - start, start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            cut = start + newline + 1
            break
        end = start
    if _whole_record(_pread(fd, size - cut, cut)):
        os.write(fd, b"\n")
    else:
        os.ftruncate(fd, cut)


_IO_REASONS = {
    errno.ENOSPC: "io.no_space",
    errno.EDQUOT: "io.no_space",
    errno.EFBIG: "io.too_big",
    errno.EROFS: "io.read_only",
    errno.EACCES: "io.denied",
    errno.EPERM: "io.denied",
}


def write_failed(path: Path, exc: OSError) -> AseanctlError:
    """The one-line error for an append the system refused; the journal is as it was."""
    from . import locks

    if isinstance(exc, UnsafeFile):
        return AseanctlError("journal.unsafe_write", file=str(path))
    if isinstance(exc, locks.LockTimeout):
        return AseanctlError("journal.locked", file=str(path))
    key = _IO_REASONS.get(exc.errno or 0)
    reason: Msg | str = Msg(key, {}) if key else (exc.strerror or str(exc))
    return AseanctlError("journal.write_failed", file=str(path), reason=reason)


@contextmanager
def _locked_journal(path: Path) -> Iterator[tuple[int, bool]]:
    """The journal file opened for appending (created if missing; whether it existed), locked.
    Once locked, the descriptor must still name ``path``: a writer that removed the file it had
    created (its commit failed) leaves a waiting one holding a file that is gone, which opens again."""
    from . import locks

    while True:
        existed = path.exists()
        fd = _open_regular(path, os.O_RDWR | os.O_CREAT | os.O_APPEND)  # read: the torn-tail check
        try:
            with locks.holding(fd, path):
                held = os.fstat(fd)
                try:
                    now = os.stat(path, follow_symlinks=False)
                except FileNotFoundError:
                    continue
                if (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                    yield fd, existed
                    return
        finally:
            os.close(fd)


def write_update(
    plan_folder: Path, record: dict[str, Any], then: Callable[[Path], None] | None = None
) -> tuple[Path, list[Path]]:
    """Append one update; returns the journal file and the files created on the way.

    ``then`` (the commit of ``--commit``) runs while the lock is still held, after the line is
    written; when it raises, the line is taken back out and the files created are removed, so
    that the update is recorded whole or not at all.  An append the system refuses is an
    AseanctlError saying why, with the journal as it was."""
    folder = plan_folder / JOURNAL_DIR
    path = folder / f"{record['date'][:4]}{JOURNAL_SUFFIX}"
    created: list[Path] = []
    try:
        if folder.is_symlink():
            raise UnsafeFile(errno.ELOOP, "symbolic link", str(folder))
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
        attributes = ensure_gitattributes(folder)
        if attributes is not None:
            created.append(attributes)
        with _locked_journal(path) as (fd, existed):
            if not existed:
                created.append(path)
            _append(fd, path, encode_update(record), then, created)
    except OSError as exc:
        _remove([p for p in created if p != path])  # the journal itself: _append decided
        raise write_failed(path, exc) from None
    return path, created


def _append(fd: int, path: Path, line: bytes, then: Callable[[Path], None] | None, created: list[Path]) -> None:
    start = -1
    try:
        _mend_tail(fd)
        start = os.fstat(fd).st_size
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        if then is not None:
            then(path)
    except BaseException:
        if start >= 0:
            with suppress(OSError):
                os.ftruncate(fd, start)
                os.fsync(fd)
        if start == 0:
            _remove(created)  # the journal file is still locked: no writer has a line in it
        else:
            _remove([p for p in created if p != path])
        raise


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with suppress(OSError):
            path.unlink()
