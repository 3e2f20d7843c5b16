"""Strict YAML for plan files: safe, positioned, and free of YAML 1.1 surprises.

libyaml composes the node tree (PyYAML's pure-Python parser stands in on an install
without libyaml) and aseanctl builds plain data from it, refusing what a plan never needs:
duplicate keys, anchors and aliases, tags, several documents, absurd nesting.  Scalars
resolve by a small core schema (true/false, null, decimal numbers); everything else, dates
and ``no``/``on``/``010``/``12:30`` included, stays text.  Text is NFC-normalised.  Every
file takes that one path, so whether it is valid, and where its problems are, never
depends on what else it holds.

Positions are not kept on the data: a plan of 10,000 tasks would pay for a million
marks it never shows.  ``yamlparse.Locator`` composes a file again and walks a path to its
line and column, so only files that have problems pay for positions.

This module reads, decodes and looks files up in the parse cache; the parsing is in
:mod:`aseanctl.yamlparse`, imported only for a file the cache does not hold, and the types
both share are in :mod:`aseanctl.yamlshared`.
"""

from __future__ import annotations

import unicodedata
from itertools import repeat
from pathlib import Path
from typing import Any

from . import cache
from .files import read_regular
from .yamlshared import MAX_DEPTH, Loaded, PathKey, YamlFailure, YamlPath
from .yamlshared import yaml_problem as _problem

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Loaded",
    "PathKey",
    "YamlFailure",
    "YamlPath",
    "decode",
    "load_yaml",
    "read_bytes",
    "read_text",
]

MAX_FILE_BYTES = 20 * 1024 * 1024


def read_bytes(file: Path) -> bytes:
    """A plan file's bytes, or YamlFailure when it is too large or cannot be read."""
    try:
        size = file.lstat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlFailure(_problem(file, "file-read", "file.too_large", size=size, limit=MAX_FILE_BYTES))
        raw = read_regular(file, MAX_FILE_BYTES)  # never through a symlink, never a FIFO or device
        if len(raw) > MAX_FILE_BYTES:  # a file that grew, or whose size the system does not know
            raise YamlFailure(_problem(file, "file-read", "file.too_large", size=len(raw), limit=MAX_FILE_BYTES))
        return raw
    except OSError as exc:
        raise YamlFailure(_problem(file, "file-read", "file.unreadable", reason=exc.strerror or str(exc))) from None


def decode(file: Path, raw: bytes) -> str:
    """A plan file's bytes as NFC text, or YamlFailure saying why they are not text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlFailure(_problem(file, "file-read", "file.utf16", line=1, column=1))
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        line, col = _byte_position(raw, at)
        raise YamlFailure(_problem(file, "file-read", "file.binary", line=line, column=col))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        raise YamlFailure(
            _problem(file, "file-read", "file.not_utf8", line=line, column=col, byte=f"0x{raw[exc.start]:02x}")
        ) from None
    if not text.strip():
        raise YamlFailure(_problem(file, "file-read", "file.empty", line=1, column=1))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.endswith("\n"):
        text += "\n"  # a literal block ending the file keeps its last line break either way
    return text


def read_text(file: Path) -> str:
    """Read a plan file as NFC text, or raise YamlFailure saying why it cannot be read."""
    return decode(file, read_bytes(file))


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def load_yaml(file: Path, raw: bytes | None = None) -> Loaded:
    """Load one plan file strictly; never raises for anything the file contains.  ``raw``:
    the file's bytes, when the caller has read them already (with :func:`read_bytes`).

    A file that loaded without a problem before, byte for byte, comes from the cache
    (``aseanctl.cache``) with its text left unread (``text`` None: ``read_text`` gives it
    when a problem found later needs a line shown)."""
    try:
        if raw is None:
            raw = read_bytes(file)
        key = cache.digest(raw)
        cached = cache.get("yaml", file, key)
        if cached is not None and _plain(cached):
            return Loaded(file, cached, [], digest=key)
        loaded = _load_text(file, decode(file, raw))
        if loaded.data is not None and not loaded.problems:
            cache.put("yaml", file, key, loaded.data)
        loaded.digest = key
        return loaded
    except YamlFailure as failure:
        return Loaded(file, None, [failure.problem])


# ints as long as Python reads from text by default (4,300 digits), in bits
_MAX_INT_BITS = 14_300


def _plain(value: Any) -> bool:
    """Whether ``value`` is data the YAML builder can make: dicts with text keys, lists, text,
    numbers, booleans and None, nested at most MAX_DEPTH deep.  A cache entry is plain data
    anyone who can write the cache folder can forge (a code object, a set, a 10,000-digit
    number): one that no file could give is a miss, so the checks after it see only what a
    file could hold."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        kind = type(item)
        if kind is dict:
            if depth >= MAX_DEPTH or not all(type(key) is str for key in item):
                return False
            stack.extend(zip(item.values(), repeat(depth + 1)))
        elif kind is list:
            if depth >= MAX_DEPTH:
                return False
            stack.extend(zip(item, repeat(depth + 1)))
        elif kind is int:
            if item.bit_length() > _MAX_INT_BITS:
                return False
        elif kind not in _SCALARS:
            return False
    return True


_SCALARS = frozenset((str, float, bool, type(None)))


def _load_text(file: Path, text: str) -> Loaded:
    """Parse text: the parser is imported only here, when a file is not in the cache, which
    saves a command served from the cache PyYAML's start-up."""
    from .yamlparse import load_text

    return load_text(file, text)
