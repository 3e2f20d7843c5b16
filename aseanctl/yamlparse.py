"""The YAML parser behind :mod:`aseanctl.yamlio`: libyaml's composer and a strict builder.

Imported only when a file is not in the parse cache, or when a problem needs a line and
column (:class:`Locator`): a command whose files all come from the cache never pays for
importing PyYAML.  The rules are in :mod:`aseanctl.yamlio`'s docstring.

Every file goes the same way: a screen of the event stream (nesting depth, anchors,
aliases, tags) before any tree is built, then libyaml composes nodes and :class:`_Builder`
turns them into data.  There is no second, faster parser beside it: two parsers disagree at
the edges (digit separators, flow scalars led by ``:``, control characters in comments), and
a plan's validity must not depend on which one ran.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem
from .yamlshared import MAX_DEPTH, Loaded, YamlFailure, YamlPath
from .yamlshared import yaml_problem as _problem

try:
    from yaml import CSafeLoader as _BaseLoader  # libyaml: ~5x faster
except ImportError:  # pragma: no cover - exercised only without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"

_INT_RE = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|[-+]?[0-9]+[eE][-+]?[0-9]+\Z")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class _Loader(_BaseLoader):
    """libyaml's composer; scalars are resolved later, by ``_scalar``, from their text and style."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        # Called for every node from C: keep it trivial.  Explicit tags never reach here.
        return STR if kind is ScalarNode else SEQ if kind is SequenceNode else MAP


def _position(mark: Any) -> tuple[int | None, int | None]:
    """1-based line and column of a libyaml mark (None when there is none)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _syntax_problem(file: Path, text: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_problem(file, text, exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "end of stream" in str(getattr(exc, "problem", "")) and getattr(exc, "context_mark", None) is not None:
        mark = getattr(exc, "context_mark", mark)  # an unclosed quote or bracket: point at where it was opened
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line, column = _position(mark)
    if "maximum nesting depth" in str(detail):  # libyaml >= 0.2.5 stops at 1000 levels itself
        return _problem(file, "yaml-syntax", "yaml.too_deep", line=line, column=column, limit=MAX_DEPTH)
    return _problem(file, "yaml-syntax", "yaml.syntax", line=line, column=column, detail=str(detail))


def _reader_problem(file: Path, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (a control character, even in a comment), at its line.

    libyaml gives the offset in UTF-8 bytes, the pure-Python reader in characters, and
    neither a line; both stop at the first such character, so the first place it occurs in
    the text is where it is."""
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    detail = f"character U+{ord(character):04X} is not allowed in YAML, not even in a comment"
    at = text.find(character)
    if at < 0:  # pragma: no cover - the reader only reports what the text holds
        return _problem(file, "yaml-syntax", "yaml.syntax", detail=detail)
    line_start = text.rfind("\n", 0, at) + 1
    return _problem(file, "yaml-syntax", "yaml.syntax", text.count("\n", 0, at) + 1, at - line_start + 1, detail=detail)


# What YAML 1.1 (libyaml) reads as a line break besides CR and LF: next line, line separator,
# paragraph separator.  Editors, git and GitHub show no line there, so every line and column
# libyaml gives after one is off from the file's, and a title holding one is cut or folded.
_HIDDEN_BREAKS = ("\x85", "\u2028", "\u2029")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _hidden_break(file: Path, text: str) -> Problem | None:
    """A character libyaml would read as a line break no editor shows, at its line and column."""
    at = min((found for char in _HIDDEN_BREAKS if (found := text.find(char)) >= 0), default=-1)
    if at < 0:
        return None
    breaks = list(_LINE_BREAK.finditer(text, 0, at))
    line_start = breaks[-1].end() if breaks else 0
    return _problem(
        file, "yaml-syntax", "yaml.hidden_break", len(breaks) + 1, at - line_start + 1, code=f"U+{ord(text[at]):04X}"
    )


def _refused_feature(file: Path, event: yaml.Event) -> Problem | None:
    line, column = _position(event.start_mark)
    if isinstance(event, yaml.AliasEvent):
        return _problem(file, "yaml-feature", "yaml.alias", line, column, name=event.anchor)
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        return _problem(file, "yaml-feature", "yaml.anchor", line, column, name=anchor)
    tag = getattr(event, "tag", None)
    if tag not in (None, "!") and not isinstance(event, yaml.DocumentStartEvent):
        return _problem(file, "yaml-feature", "yaml.tag", line, column, tag=tag)
    return None


_NESTING_CHARS = re.compile(r"[\[\]{}]|(?:[-?][ \t]+){8,}")
# Literal-first patterns, which the regex engine scans for in C: a pattern led by a character
# class is tried at every position and costs ten times as much on a large plan.
_COMPACT_PAIRS = (re.compile(r"-[ \t]+[-?][ \t]"), re.compile(r"\?[ \t]+[-?][ \t]"))
_INNERMOST = (re.compile(r"\[[^\[\]{}]*\]"), re.compile(r"\{[^\[\]{}]*\}"))


def _could_nest_too_deep(text: str) -> bool:
    """Whether ``text`` might nest past MAX_DEPTH through flow brackets or compact ``- - -``
    runs, the only ways to nest thousands deep in a file this size (block nesting needs
    indentation, which grows quadratically).  Cheap passes over the text, so that most
    files skip the event walk; when in doubt, True.

    Brackets inside quotes or comments can make it guess low.  A file it lets through still
    meets libyaml's own stop at 1000 levels (reported as too deep) and the builder's check
    at MAX_DEPTH, so the verdict is the same; only the walk is skipped."""
    if any(pattern.search(text) for pattern in _COMPACT_PAIRS):
        return _could_nest_with_compact_runs(text)
    # Flow brackets alone: peel the innermost collections off.  A step takes at most one
    # level off any chain of nested collections, so the depth is at most the steps taken
    # plus the brackets left; a round of both steps takes at least one level off.
    steps = 0
    for _round in range(MAX_DEPTH + 1):
        progress = False
        for pattern in _INNERMOST:
            left = text.count("[") + text.count("{") + text.count("]") + text.count("}")
            if steps + left <= MAX_DEPTH:
                return False
            inner = pattern.sub("", text)
            if len(inner) < len(text):
                text, steps, progress = inner, steps + 1, True
        if not progress:
            return True  # brackets that do not pair up: the event walk decides
    return True


def _could_nest_with_compact_runs(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_DEPTH and not re.search(rf"(?:[-?][ \t]+){{{MAX_DEPTH}}}", text):
        return False
    depth = 0
    for match in _NESTING_CHARS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth = max(depth - 1, 0)
        else:
            depth += token.count("-") + token.count("?")
        if depth > MAX_DEPTH:
            return True
    return False


def _screen(file: Path, text: str) -> Problem | None:
    """The first thing on the event stream that must stop a file before any tree is built:
    nesting past MAX_DEPTH (a composer recurses, and a deep enough file overflows the C
    stack: a crash, not an error), an anchor, an alias or an explicit tag.

    libyaml's event parser is a state machine that does not recurse, so walking the events
    is safe at any depth.  The walk happens only when the text could hold one of these;
    a syntax error ends it, and the composer then reports that error with its position."""
    features = "&" in text or "*" in text or "!" in text
    if not features and not _could_nest_too_deep(text):
        return None
    loader = _Loader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = _position(event.start_mark)
                    return _problem(file, "yaml-syntax", "yaml.too_deep", line, column, limit=MAX_DEPTH)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            if features and (refused := _refused_feature(file, event)) is not None:
                return refused
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            return _syntax_problem(file, text, exc)
        return None
    finally:
        loader.dispose()
    return None


def _compose(file: Path, text: str) -> Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            mark = exc.problem_mark
            raise YamlFailure(
                _problem(
                    file,
                    "yaml-syntax",
                    "yaml.multi_document",
                    mark.line + 1 if mark else None,
                    mark.column + 1 if mark else None,
                )
            ) from None
        raise YamlFailure(_syntax_problem(file, text, exc)) from None
    except yaml.YAMLError as exc:
        raise YamlFailure(_syntax_problem(file, text, exc)) from None
    except RecursionError:  # the pure-Python parser on absurd nesting
        raise YamlFailure(_problem(file, "yaml-syntax", "yaml.too_deep", limit=MAX_DEPTH)) from None
    finally:
        loader.dispose()


# Python reads at most 4,300 digits into an int by default (more raises ValueError, and the
# conversion is quadratic): a longer number is refused at its line, whatever the interpreter allows
MAX_INT_DIGITS = 4300


class _NumberTooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _scalar(node: ScalarNode) -> Any:
    """A YAML 1.2-core-like resolution: only true/false, null and decimal numbers are not text.
    Raises _NumberTooLong for an integer of more than MAX_INT_DIGITS digits."""
    value = node.value
    if node.style or node.tag != STR:  # quoted or block scalars are text (plain is None or "")
        if node.style == '"' and not value.isascii() and not unicodedata.is_normalized("NFC", value):
            return unicodedata.normalize("NFC", value)  # an escape such as "e\u0301"
        return value
    if value in _NULLS:
        return None
    first = value[0]
    if first in "0123456789+-.":
        if _INT_RE.match(value):
            digits = len(value.lstrip("+-"))
            if digits > MAX_INT_DIGITS:
                raise _NumberTooLong(digits)
            try:
                return int(value)
            except ValueError:  # an interpreter set to a lower limit (sys.set_int_max_str_digits)
                raise _NumberTooLong(digits) from None
        if _FLOAT_RE.match(value):
            return float(value)
    elif first in "tTfF" and value in _BOOLS:
        return _BOOLS[value]
    return value


class _Builder:
    """Turns a node tree into dicts, lists and scalars, collecting problems as it goes."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def build(self, node: Node, depth: int = 0) -> Any:
        if type(node) is ScalarNode:
            try:
                return _scalar(node)
            except _NumberTooLong as long:
                mark = node.start_mark
                self.problems.append(
                    _problem(
                        self.file,
                        "yaml-syntax",
                        "yaml.number_too_long",
                        mark.line + 1,
                        mark.column + 1,
                        digits=long.digits,
                        limit=MAX_INT_DIGITS,
                    )
                )
                return None
        if depth >= MAX_DEPTH:
            mark = node.start_mark
            self.problems.append(
                _problem(self.file, "yaml-syntax", "yaml.too_deep", mark.line + 1, mark.column + 1, limit=MAX_DEPTH)
            )
            return None
        if type(node) is SequenceNode:
            return [self.build(item, depth + 1) for item in node.value]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                mark = key_node.start_mark
                self.problems.append(
                    _problem(self.file, "yaml-syntax", "yaml.complex_key", mark.line + 1, mark.column + 1)
                )
                continue
            key = key_node.value
            if key in result:
                mark = key_node.start_mark
                self.problems.append(
                    _problem(self.file, "duplicate-key", "yaml.duplicate_key", mark.line + 1, mark.column + 1, key=key)
                )
                continue
            result[key] = self.build(value_node, depth + 1)
        return result


def load_text(file: Path, text: str) -> Loaded:
    """The data in ``text`` (a plan file's decoded text), and the problems met on the way."""
    refused = _hidden_break(file, text) or _screen(file, text)
    if refused is not None:
        return Loaded(file, None, [refused], text)
    enabled = gc.isenabled()
    gc.disable()  # a load allocates millions of objects and frees none: ~2x faster without the collector
    try:
        node = _compose(file, text)
        if node is None:
            return Loaded(file, None, [_problem(file, "file-read", "file.empty", 1, 1)], text)
        builder = _Builder(file)
        data = builder.build(node)
        if data is None and not builder.problems:  # "---", "~" or "null": a document with nothing in it
            return Loaded(file, None, [_problem(file, "file-read", "file.empty", 1, 1)], text)
    finally:
        if enabled:
            gc.enable()
    return Loaded(file, data, builder.problems, text)


def iter_path_nodes(root: Node, path: YamlPath) -> Iterator[tuple[Node, Node | None]]:
    """Yield (value node, key node) along ``path``; stops where the path leaves the tree."""
    node: Node = root
    for step in path:
        if isinstance(node, MappingNode) and isinstance(step, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == step:
                    yield value_node, key_node
                    node = value_node
                    break
            else:
                return
        elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            yield node, None
        else:
            return


class Locator:
    """Positions for many paths in one file, composing the file once."""

    def __init__(self, text: str | None) -> None:
        self.root: Node | None = None
        if text is None:
            return
        loader = _Loader(text)
        try:
            self.root = loader.get_single_node()
        except yaml.YAMLError:
            self.root = None
        finally:
            loader.dispose()

    def position(self, path: YamlPath, on_key: bool = False) -> tuple[int, int] | None:
        if self.root is None:
            return None
        mark = self.root.start_mark
        for value_node, key_node in iter_path_nodes(self.root, path):
            target = key_node if (on_key and key_node is not None) else value_node
            mark = target.start_mark
        return mark.line + 1, mark.column + 1
