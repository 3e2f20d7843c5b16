"""aseanctl.yamlio.load_yaml and yamlparse.Locator, on files in tmp_path."""

from __future__ import annotations

import pathlib
import time
import unicodedata
from pathlib import Path

import pytest

from aseanctl.yamlio import MAX_DEPTH, MAX_FILE_BYTES, Loaded, load_yaml
from aseanctl.yamlparse import Locator


def load(tmp_path: Path, content: str | bytes) -> Loaded:
    file = tmp_path / "plan.yaml"
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8")
    return load_yaml(file)


def value(tmp_path: Path, scalar: str) -> object:
    loaded = load(tmp_path, f"v: {scalar}\n")
    assert loaded.problems == []
    return loaded.data["v"]


def keys(loaded: Loaded) -> list[tuple[str, int | None, str]]:
    """(rule, line, message key) of each problem."""
    return [(p.rule, p.line, p.msg.key) for p in loaded.problems]


# --- scalars: the YAML 1.1 table of docs/plan-format.md ------------------------------------

SCALARS = [
    # YAML 1.1 booleans stay text
    ("yes", "yes"),
    ("no", "no"),
    ("on", "on"),
    ("off", "off"),
    ("Yes", "Yes"),
    ("NO", "NO"),
    ("y", "y"),
    ("n", "n"),
    # dates and times stay text
    ("2021-10-19", "2021-10-19"),
    ("2021-10-19T10:00:00", "2021-10-19T10:00:00"),
    ("12:30", "12:30"),
    ("190:20:30", "190:20:30"),
    # octal-, hex-, binary-looking and underscored numbers stay text
    ("010", "010"),
    ("007", "007"),
    ("0x1F", "0x1F"),
    ("0o17", "0o17"),
    ("0b101", "0b101"),
    ("1_000", "1_000"),
    # special floats stay text
    (".inf", ".inf"),
    ("-.inf", "-.inf"),
    (".nan", ".nan"),
    # decimal floats
    ("1.10", 1.1),
    ("0.5", 0.5),
    (".5", 0.5),
    ("-2.25", -2.25),
    ("1e3", 1000.0),
    ("1.5E-1", 0.15),
    # decimal integers
    ("0", 0),
    ("42", 42),
    ("-7", -7),
    ("+3", 3),
    ("5000", 5000),
    # the core booleans and nulls
    ("true", True),
    ("false", False),
    ("True", True),
    ("FALSE", False),
    ("null", None),
    ("~", None),
    ("", None),
    ("Null", None),
    # quoted: always text
    ('"1.10"', "1.10"),
    ("'true'", "true"),
    ('"~"', "~"),
    ("'010'", "010"),
]


@pytest.mark.parametrize(("scalar", "expected"), SCALARS, ids=[s or "<empty>" for s, _ in SCALARS])
def test_scalar_resolves_as_documented(tmp_path, scalar, expected):
    got = value(tmp_path, scalar)
    assert (type(got), got) == (type(expected), expected)


def test_yaml11_boolean_words_as_keys_stay_text(tmp_path):
    loaded = load(tmp_path, "on: 1\noff: 2\nyes: 3\nno: 4\n")
    assert loaded.data == {"on": 1, "off": 2, "yes": 3, "no": 4}


def test_non_text_keys_are_kept_as_written(tmp_path):
    loaded = load(tmp_path, "1: a\ntrue: b\nnull: c\n1.10: d\n")
    assert loaded.data == {"1": "a", "true": "b", "null": "c", "1.10": "d"}


def test_nested_structure_builds_plain_data(tmp_path):
    loaded = load(tmp_path, "tasks:\n  - id: N1.1\n    support: [so-a, so-b]\n    due: 2022-01-01\n")
    assert loaded.data == {"tasks": [{"id": "N1.1", "support": ["so-a", "so-b"], "due": "2022-01-01"}]}


# --- duplicate keys -------------------------------------------------------------------


def test_duplicate_key_keeps_the_first_value(tmp_path):
    assert load(tmp_path, "due: 2022-01-01\ndue: 2023-01-01\n").data == {"due": "2022-01-01"}


def test_duplicate_key_is_reported_at_the_second_key(tmp_path):
    loaded = load(tmp_path, "title: x\ndue: 2022-01-01\nlead: so-a\ndue: 2023-01-01\n")
    assert keys(loaded) == [("duplicate-key", 4, "yaml.duplicate_key")]


def test_same_key_in_sibling_mappings_is_not_a_duplicate(tmp_path):
    assert load(tmp_path, "- due: 2022-01-01\n- due: 2023-01-01\n").problems == []


# --- refused YAML features ------------------------------------------------------------------

ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)

REFUSED = [
    pytest.param("a: &x 1\nb: *x\n", ("yaml-feature", 1, "yaml.anchor"), id="anchor"),
    pytest.param("a: 1\nb: *x\n", ("yaml-feature", 2, "yaml.alias"), id="alias-without-anchor"),
    pytest.param("a: !!python/object:os.system {}\n", ("yaml-feature", 1, "yaml.tag"), id="python-object"),
    pytest.param("a: !!binary aGVsbG8=\n", ("yaml-feature", 1, "yaml.tag"), id="binary"),
    pytest.param("a: !!str 1.10\n", ("yaml-feature", 1, "yaml.tag"), id="str-tag"),
    pytest.param("a: !local x\n", ("yaml-feature", 1, "yaml.tag"), id="local-tag"),
    pytest.param(ALIAS_BOMB, ("yaml-feature", 1, "yaml.anchor"), id="alias-bomb"),
]


@pytest.mark.parametrize(("text", "expected"), REFUSED)
def test_refused_feature_gives_one_problem_and_no_data(tmp_path, text, expected):
    loaded = load(tmp_path, text)
    assert (loaded.data, keys(loaded)) == (None, [expected])


def test_alias_bomb_is_refused_in_well_under_a_second(tmp_path):
    started = time.perf_counter()
    load(tmp_path, ALIAS_BOMB)
    assert time.perf_counter() - started < 0.5


def test_ampersand_star_and_bang_inside_text_are_fine(tmp_path):
    loaded = load(tmp_path, 'a: A & B *x* !important\nb: "&y *z !!str"\n')
    assert (loaded.data, loaded.problems) == ({"a": "A & B *x* !important", "b": "&y *z !!str"}, [])


def test_non_specific_tag_is_accepted(tmp_path):
    assert load(tmp_path, "a: ! x\n").data == {"a": "x"}


# --- structure limits -----------------------------------------------------------------


def test_two_documents_are_refused(tmp_path):
    loaded = load(tmp_path, "a: 1\n---\nb: 2\n")
    assert (loaded.data, keys(loaded)) == (None, [("yaml-syntax", 2, "yaml.multi_document")])


def test_syntax_error_is_positioned(tmp_path):
    loaded = load(tmp_path, "a: [1, 2\nb: 3\n")
    assert keys(loaded) == [("yaml-syntax", 2, "yaml.syntax")]


def test_mapping_as_key_is_refused(tmp_path):
    assert keys(load(tmp_path, "ok: 1\n{a: 1}: 2\n")) == [("yaml-syntax", 2, "yaml.complex_key")]


def test_200_levels_of_flow_nesting_give_a_problem_not_a_recursion_error(tmp_path):
    loaded = load(tmp_path, "[" * 200 + "]" * 200)
    assert [p.msg.key for p in loaded.problems] == ["yaml.too_deep"]


def test_nesting_at_the_limit_is_accepted(tmp_path):
    assert load(tmp_path, "[" * MAX_DEPTH + "]" * MAX_DEPTH).problems == []


def test_nesting_one_past_the_limit_is_refused(tmp_path):
    depth = MAX_DEPTH + 1
    assert [p.msg.key for p in load(tmp_path, "[" * depth + "]" * depth).problems] == ["yaml.too_deep"]


def test_deep_block_nesting_is_refused(tmp_path):
    text = "a:\n" + "".join("  " * level + "b:\n" for level in range(1, 60))
    assert [p.msg.key for p in load(tmp_path, text).problems] == ["yaml.too_deep"]


# --- reading the file -------------------------------------------------------------------


def test_file_over_20_mib_is_refused_without_reading_it(tmp_path, monkeypatch):
    file = tmp_path / "huge.yaml"
    with file.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no 20 MiB written to disk

    def no_reading(self: Path, *args: object, **kwargs: object) -> object:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(pathlib.Path, "read_bytes", no_reading)
    monkeypatch.setattr(pathlib.Path, "read_text", no_reading)
    monkeypatch.setattr(pathlib.Path, "open", no_reading)
    loaded = load_yaml(file)
    assert (loaded.data, keys(loaded)) == (None, [("file-read", None, "file.too_large")])


def test_file_of_exactly_20_mib_is_not_too_large(tmp_path):
    file = tmp_path / "big.yaml"
    with file.open("wb") as f:
        f.truncate(MAX_FILE_BYTES)  # all NUL bytes: refused as binary, not for its size
    assert [p.msg.key for p in load_yaml(file).problems] == ["file.binary"]


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    loaded = load_yaml(tmp_path / "absent.yaml")
    assert (loaded.data, [p.msg.key for p in loaded.problems]) == (None, ["file.unreadable"])


READ_FAILURES = [
    pytest.param(b"", ("file-read", 1, "file.empty"), id="empty"),
    pytest.param(b"  \n\t\n", ("file-read", 1, "file.empty"), id="whitespace-only"),
    pytest.param(b"# only a comment\n", ("file-read", 1, "file.empty"), id="comment-only"),
    pytest.param(b"a: 1\nb: \x00\n", ("file-read", 2, "file.binary"), id="nul-byte"),
    pytest.param(b"a: 1\nb: 2\nc: caf\xe9\n", ("file-read", 3, "file.not_utf8"), id="latin-1-byte"),
    pytest.param("a: 1\n".encode("utf-16"), ("file-read", 1, "file.utf16"), id="utf16-bom"),
    pytest.param(b"\xfe\xff\x00a", ("file-read", 1, "file.utf16"), id="utf16-be-bom"),
]


@pytest.mark.parametrize(("content", "expected"), READ_FAILURES)
def test_unreadable_content_is_reported(tmp_path, content, expected):
    loaded = load(tmp_path, content)
    assert (loaded.data, keys(loaded)) == (None, [expected])


@pytest.mark.parametrize("content", ["---\n", "---\n# nothing\n...\n"])
def test_an_empty_document_is_reported_empty(tmp_path, content):
    assert [p.msg.key for p in load(tmp_path, content).problems] == ["file.empty"]


def test_invalid_utf8_column_counts_characters_not_bytes(tmp_path):
    (problem,) = load(tmp_path, "t: Việt ".encode() + b"\xff\n").problems
    assert (problem.line, problem.column, problem.msg.args["byte"]) == (1, 9, "0xff")


def test_utf8_bom_is_accepted(tmp_path):
    loaded = load(tmp_path, b"\xef\xbb\xbftitle: Vi\xe1\xbb\x87t\n")
    assert (loaded.data, loaded.problems) == ({"title": "Việt"}, [])


def test_nfd_text_comes_back_nfc(tmp_path):
    title = "Tiếng Việt — Nghị quyết về cộng đồng"
    loaded = load(tmp_path, unicodedata.normalize("NFD", f"title: {title}\n"))
    assert loaded.data["title"] == title and unicodedata.is_normalized("NFC", loaded.data["title"])


def test_nfd_keys_come_back_nfc(tmp_path):
    assert load(tmp_path, unicodedata.normalize("NFD", "tiêu_đề: 1\n")).data == {"tiêu_đề": 1}


def test_loaded_keeps_the_text_for_locating(tmp_path):
    assert load(tmp_path, "a: 1\n").text == "a: 1\n"


# --- Locator ----------------------------------------------------------------------------

LOCATOR_TEXT = """\
objective: N1
tasks:
  - id: N1.1
    title: x
    support: [so-a, so-b]
  - id: N1.2
    lead:   so-b
"""

POSITIONS = [
    pytest.param(("tasks", 1, "lead"), False, (7, 13), id="nested-value"),
    pytest.param(("tasks", 1, "lead"), True, (7, 5), id="nested-key"),
    pytest.param(("tasks", 0, "support", 1), False, (5, 21), id="flow-list-item"),
    pytest.param(("tasks", 1), False, (6, 5), id="list-item-mapping"),
    pytest.param(("objective",), True, (1, 1), id="top-level-key"),
    pytest.param((), False, (1, 1), id="root"),
    pytest.param(("tasks", 0, "missing"), False, (3, 5), id="missing-key-falls-back-to-parent"),
    pytest.param(("tasks", 9), False, (3, 3), id="index-out-of-range-falls-back-to-parent"),
]


@pytest.mark.parametrize(("path", "on_key", "expected"), POSITIONS)
def test_locator_position(path, on_key, expected):
    assert Locator(LOCATOR_TEXT).position(path, on_key=on_key) == expected


@pytest.mark.parametrize("text", [None, "a: [1\n"], ids=["no-text", "broken-yaml"])
def test_locator_without_a_tree_has_no_position(text):
    assert Locator(text).position(("a",)) is None


def test_loaded_problems_have_no_path_when_positioned_by_the_loader(tmp_path):
    (problem,) = load(tmp_path, "a: &x 1\n").problems
    assert (problem.line, problem.column, problem.path) == (1, 4, ())
