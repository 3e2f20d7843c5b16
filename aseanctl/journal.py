"""The journal of status updates: the only module that writes into a plan folder.

Storage: ``<plan>/journal/<year>.jsonl``, one update per line (JSON, which is also
YAML), in the year of the update's status date.  The guarantees, each tested:

- appending never rewrites a line: ``git diff`` after an update shows one added line;
- ``journal/.gitattributes`` gives ``*.jsonl`` git's ``union`` merge driver, so two
  branches that append updates (to the same task or not) merge without a conflict;
- an append takes an exclusive ``flock`` on the file and writes the line in one
  ``write``, so concurrent ``aseanctl update`` processes never lose or interleave lines;
- a line counts only once it ends in a newline: a writer killed mid-line leaves a torn
  tail that readers ignore (with a warning) and the next append cuts off first;
- reading 100,000 lines is one ``json.loads`` each and a check that costs nothing for
  lines aseanctl wrote; only a line that fails it pays for detailed problems.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import schema
from .model import Src, Update
from .problems import Msg, Problem

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: appends of one write() each, unlocked
    fcntl = None  # type: ignore[assignment]

JOURNAL_DIR = "journal"
JOURNAL_SUFFIX = ".jsonl"
GITATTRIBUTES = "# aseanctl: journal lines are independent records; merging two branches keeps both sides' lines\n" \
                "*.jsonl merge=union\n"
MAX_JOURNAL_BYTES = 512 * 1024 * 1024
FIELD_ORDER = ("id", "task", "date", "status", "progress", "health", "actual", "note", "evidence", "by", "author",
               "recorded", "corrects")


def journal_files(plan_folder: Path) -> list[Path]:
    folder = plan_folder / JOURNAL_DIR
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == JOURNAL_SUFFIX)
    except OSError:
        return []


# --- reading -----------------------------------------------------------------------------

_REQUIRED = frozenset(f.name for f in schema.UPDATE.fields if f.required)
_ALLOWED = frozenset(f.name for f in schema.UPDATE.fields)
_ID = re.compile(schema.ID_PATTERN)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIMESTAMP = re.compile(schema.Timestamp().json()["pattern"])
_STATUSES = frozenset(schema.STATUSES)
_HEALTHS = frozenset(schema.HEALTHS)
_TEXT_FIELDS = ("note", "evidence", "author")


def _text_ok(value: Any) -> bool:
    return type(value) is str and value.strip() != "" and len(value) <= schema.MAX_TEXT and (
        value.isprintable() or not schema.CONTROL_RE.search(value))


def _fast_update(record: Any, src: Src) -> Update | None:
    """The update, when the record is exactly what aseanctl writes; None sends it to the full check."""
    if type(record) is not dict or not (_REQUIRED <= record.keys() <= _ALLOWED):
        return None
    get = record.get
    for name in ("id", "task", "by", "corrects"):
        value = get(name)
        if value is not None and not (type(value) is str and _ID.fullmatch(value)):
            return None
    day = record["date"]
    if type(day) is not str or not _DATE.fullmatch(day):
        return None
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return None
    recorded = record["recorded"]
    if type(recorded) is not str or not _TIMESTAMP.fullmatch(recorded):
        return None
    status, health, progress, actual = get("status"), get("health"), get("progress"), get("actual")
    if (status is not None and status not in _STATUSES) or (health is not None and health not in _HEALTHS):
        return None
    if progress is not None and (type(progress) not in (int, float) or not 0 <= progress <= 100):
        return None
    if actual is not None:
        if type(actual) is not dict or not all(
                type(k) is str and _ID.fullmatch(k) and type(v) in (int, float) and -1e15 <= v <= 1e15
                for k, v in actual.items()):
            return None
    for name in _TEXT_FIELDS:
        value = get(name)
        if value is not None and not _text_ok(value):
            return None
    return Update(id=record["id"], task=record["task"], date=date, by=record["by"], author=record["author"],
                  recorded=recorded, src=src, status=status, progress=progress, health=health, actual=actual,
                  note=get("note"), evidence=get("evidence"), corrects=get("corrects"))


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


def _problem(file: Path, line: int, rule: str, msg_key: str, severity: str = "error", **args: Any) -> Problem:
    return Problem(rule=rule, severity=severity, msg=Msg(msg_key, args), file=file, line=line,  # type: ignore[arg-type]
                   column=1)


def load_journal_file(file: Path) -> tuple[list[Update], list[Problem]]:
    """Every complete line of one journal file as an Update; problems for the rest."""
    updates: list[Update] = []
    problems: list[Problem] = []
    try:
        if file.stat().st_size > MAX_JOURNAL_BYTES:
            return [], [_problem(file, 1, "file-read", "file.too_large", size=file.stat().st_size,
                                 limit=MAX_JOURNAL_BYTES)]
        raw = file.read_bytes()
    except OSError as exc:
        return [], [Problem("file-read", "error", Msg("file.unreadable", {"reason": exc.strerror or str(exc)}),
                            file=file)]
    lines = raw.split(b"\n")
    tail = lines.pop()  # what follows the last newline: empty unless a write was cut short
    if tail.strip():
        problems.append(_problem(file, len(lines) + 1, "journal-torn-line", "journal.torn_tail", "warning"))
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
        src = Src(file, (), number)
        if isinstance(record, dict) and text.count('":') > len(record) + len(record.get("actual") or ()):
            try:  # more keys written than read: json.loads kept the last of a repeated key
                json.loads(text, object_pairs_hook=_pairs_no_duplicates)
            except _DuplicateKey as dup:
                problems.append(_problem(file, number, "duplicate-key", "yaml.duplicate_key", key=dup.key))
                continue
        update = _fast_update(record, src)
        if update is None:
            clean, found = schema.check_value(schema.UPDATE, record)
            if found:
                problems.extend(Problem(p.rule, p.severity, p.msg, file=file, line=number, column=1, path=p.path,
                                        on_key=p.on_key) for p in found)
                continue
            update = _fast_update(record, src)  # pragma: no cover - the two checks agree (tested)
            if update is None:
                continue
        updates.append(update)
    return updates, problems


def load_journal(plan_folder: Path) -> tuple[list[Update], list[Problem]]:
    updates: list[Update] = []
    problems: list[Problem] = []
    for file in journal_files(plan_folder):
        found, trouble = load_journal_file(file)
        updates.extend(found)
        problems.extend(trouble)
    return updates, problems


def find_update(plan_folders: list[Path], update_id: str) -> Update | None:
    """The update with this id, found by a byte search rather than by reading every line."""
    needle = json.dumps(update_id).encode()
    for folder in plan_folders:
        for file in journal_files(folder):
            try:
                raw = file.read_bytes()
            except OSError:
                continue
            start = 0
            while (at := raw.find(needle, start)) >= 0:
                line_start = raw.rfind(b"\n", 0, at) + 1
                line_end = raw.find(b"\n", at)
                start = at + 1
                if line_end < 0:
                    break  # a torn tail does not count
                try:
                    record = json.loads(raw[line_start:line_end])
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("id") == update_id:
                    number = raw.count(b"\n", 0, line_start) + 1
                    return _fast_update(record, Src(file, (), number))
    return None


def find_correction(plan_folders: list[Path], update_id: str) -> str | None:
    """The id of an update that already corrects ``update_id``, if any (a byte search)."""
    needle = b'"corrects": ' + json.dumps(update_id).encode()
    for folder in plan_folders:
        for file in journal_files(folder):
            try:
                raw = file.read_bytes()
            except OSError:
                continue
            at = raw.find(needle)
            if at >= 0:
                line_start = raw.rfind(b"\n", 0, at) + 1
                line_end = raw.find(b"\n", at)
                try:
                    record = json.loads(raw[line_start:line_end if line_end >= 0 else len(raw)])
                except ValueError:
                    continue
                if isinstance(record, dict) and record.get("corrects") == update_id:
                    return str(record.get("id"))
    return None


# --- writing -------------------------------------------------------------------------------

def new_update_id(today: dt.date) -> str:
    """The recording day and 32 random bits: unique across branches and machines, short enough to type."""
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


def _cut_torn_tail(fd: int) -> None:
    """Under the lock: drop a last line that has no newline (a writer killed mid-line)."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return
    end = size
    while end > 0:
        start = max(0, end - 65536)
        chunk = os.pread(fd, end - start, start)
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            os.ftruncate(fd, start + newline + 1)
            return
        end = start
    os.ftruncate(fd, 0)


def write_update(plan_folder: Path, record: dict[str, Any]) -> tuple[Path, list[Path]]:
    """Append one update; returns the journal file and the files created on the way."""
    folder = plan_folder / JOURNAL_DIR
    created: list[Path] = []
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
    attributes = ensure_gitattributes(folder)
    if attributes is not None:
        created.append(attributes)
    path = folder / f"{record['date'][:4]}{JOURNAL_SUFFIX}"
    line = encode_update(record)
    existed = path.exists()
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)  # read: the torn-tail check
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        _cut_torn_tail(fd)
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    if not existed:
        created.append(path)
    return path, created


def iter_records(updates: list[Update]) -> Iterator[dict[str, Any]]:
    """Updates as the plain records JSON output and tests use."""
    for update in updates:
        yield {
            "id": update.id, "task": update.task, "date": update.date.isoformat(), "status": update.status,
            "progress": update.progress, "health": update.health, "actual": update.actual, "note": update.note,
            "evidence": update.evidence, "by": update.by, "author": update.author, "recorded": update.recorded,
            "corrects": update.corrects,
        }
