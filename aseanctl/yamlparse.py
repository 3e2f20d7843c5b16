"""The YAML parsers behind :mod:`aseanctl.yamlio`: libyaml's composer and yaml-rs.

Imported only when a file is not in the parse cache, or when a problem needs a line and
column (:class:`Locator`): a command whose files all come from the cache never pays for
importing PyYAML and yaml-rs.  The rules are in :mod:`aseanctl.yamlio`'s docstring.
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

yaml_rs: Any
try:
    import yaml_rs
except ImportError:  # pragma: no cover - the reference path alone is correct, only slower
    yaml_rs = None

from .problems import Problem  # noqa: E402 - after the optional import above
from .yamlio import MAX_DEPTH, Loaded, YamlFailure, YamlPath, _problem  # noqa: E402

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


def _syntax_problem(file: Path, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "end of stream" in str(getattr(exc, "problem", "")) and getattr(exc, "context_mark", None) is not None:
        mark = getattr(exc, "context_mark", mark)  # an unclosed quote or bracket: point at where it was opened
    detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, yaml.reader.ReaderError):
        detail = f"character {exc.character!r} is not allowed" if isinstance(exc.character, str) else str(exc)
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    if "maximum nesting depth" in str(detail):  # libyaml >= 0.2.5 stops at 1000 levels itself
        return _problem(file, "yaml-syntax", "yaml.too_deep", line=line, column=column, limit=MAX_DEPTH)
    return _problem(file, "yaml-syntax", "yaml.syntax", line=line, column=column, detail=str(detail))


def _refused_features(file: Path, text: str) -> Problem | None:
    """Anchors, aliases and explicit tags, found on the event stream (only when the text could hold one)."""
    if "&" not in text and "*" not in text and "!" not in text:
        return None
    loader = _Loader(text)
    try:
        while (event := loader.get_event()) is not None:
            line, column = _position(event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                return _problem(file, "yaml-feature", "yaml.alias", line, column, name=event.anchor)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                return _problem(file, "yaml-feature", "yaml.anchor", line, column, name=anchor)
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and not isinstance(event, (yaml.DocumentStartEvent,)):
                return _problem(file, "yaml-feature", "yaml.tag", line, column, tag=tag)
            if isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.YAMLError:
        return None  # the composer reports the syntax error with its own position
    finally:
        loader.dispose()
    return None


_NESTING_CHARS = re.compile(r"[\[\]{}]|(?:[-?][ \t]+){8,}")


def _too_deep(file: Path, text: str) -> Problem | None:
    """Refuse absurd nesting before libyaml sees it: its composer recurses in C and
    overflows the stack (a crash, not an error) somewhere past 20,000 levels.

    Only flow brackets and compact ``- - -`` runs can nest deeply in a file this size
    (block nesting needs indentation, which grows quadratically), so a bracket count
    decides whether the exact, iterative check on the event stream is needed."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and not re.search(rf"(?:[-?][ \t]+){{{MAX_DEPTH}}}", text):
        return None
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
            break
    else:
        return None
    loader = _Loader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = _position(event.start_mark)
                    return _problem(file, "yaml-syntax", "yaml.too_deep", line, column, limit=MAX_DEPTH)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(exc):
            return _syntax_problem(file, exc)
        return None  # the composer reports the syntax error with its own position
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
        raise YamlFailure(_syntax_problem(file, exc)) from None
    except yaml.YAMLError as exc:
        raise YamlFailure(_syntax_problem(file, exc)) from None
    except RecursionError:  # the pure-Python parser on absurd nesting
        raise YamlFailure(_problem(file, "yaml-syntax", "yaml.too_deep", limit=MAX_DEPTH)) from None
    finally:
        loader.dispose()


def _scalar(node: ScalarNode) -> Any:
    """A YAML 1.2-core-like resolution: only true/false, null and decimal numbers are not text."""
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
            return int(value)
        if _FLOAT_RE.match(value):
            return float(value)
    elif first in "tTfF" and value in _BOOLS:
        return _BOOLS[value]
    return value


# Where YAML 1.2's core schema (yaml-rs) and ours resolve a plain scalar differently:
# leading zeros, 0x/0o/0b, digit separators, .inf/.nan.  Matched wherever a scalar could
# start; a match inside prose ("ngày 05 tháng") only sends the file down the reference path.
# Found by a literal-first pattern ("0" then a digit, x, o, b or _), which the regex engine
# scans for in C, with the character before each match checked here: one regex alternation
# over a 5 MB plan took 1.4 s, this takes 0.05 s.
_ZERO_THEN = re.compile(r"0[0-9_xXoObB]")
_SCALAR_SEPARATORS = frozenset(" \t\n[{,")
_OTHER_RISKS = (re.compile(r"_[0-9]"), re.compile(r"\.(?:inf|Inf|INF|nan|NaN|NAN)"))


def _risky(text: str) -> bool:
    if any(pattern.search(text) for pattern in _OTHER_RISKS):
        return True
    for match in _ZERO_THEN.finditer(text):
        at = match.start()
        if at and text[at - 1] in "-+":
            at -= 1
        if at == 0 or text[at - 1] in _SCALAR_SEPARATORS:
            return True
    return False


_ODD_BREAKS = ("\x85", "\u2028", "\u2029")  # line breaks in YAML 1.1, text in YAML 1.2


def _fast_load(text: str) -> Any:
    """The file's data through yaml-rs, or None where only the reference path can be trusted."""
    if yaml_rs is None or any(ch in text for ch in _ODD_BREAKS) or _risky(text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:
        return None
    if not isinstance(data, dict) or not _plain_tree(data, "\\" in text):
        return None
    return data


def _plain_tree(root: dict[str, Any], escapes: bool) -> bool:
    """True when every key is text (yaml-rs keeps ``1:`` or ``[a]:`` keys as numbers or tuples)
    and nesting stays within MAX_DEPTH; with escapes in the text, strings are NFC-normalised
    in place (``"e\\u0301"``)."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        if isinstance(node, dict):
            if any(type(key) is not str or (escapes and not unicodedata.is_normalized("NFC", key)) for key in node):
                return False
            items: Any = node.items()
        else:
            items = enumerate(node)
        for key, value in items:
            if isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
            elif escapes and isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
                node[key] = unicodedata.normalize("NFC", value)
    return True


class _Builder:
    """Turns a node tree into dicts, lists and scalars, collecting problems as it goes."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def build(self, node: Node, depth: int = 0) -> Any:
        if type(node) is ScalarNode:
            return _scalar(node)
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
    refused = _refused_features(file, text)
    if refused is not None:
        return Loaded(file, None, [refused], text)
    data = _fast_load(text)  # yaml-rs refuses deep nesting itself (~256 levels)
    if data is not None:
        return Loaded(file, data, [], text)
    refused = _too_deep(file, text)
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
