"""The loader's check of cached task files: never accepts what the schema's check refuses."""

from __future__ import annotations

import copy
import datetime as dt
import math
from typing import Any

import pytest

from aseanctl import fastcheck, schema

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import assume, given, settings
from hypothesis import strategies as st

ODD = ["", " ", "\t\n", "a\nb", "N1.1\n", "a\x00b", "x" * 65, "x" * 81, "2024-02-30", "é", "12:30", b"N1", "a\ud800b"]
ODD_VALUES = [*ODD, None, True, 0, 1.5, math.nan, ["a\nb"], [1], ("N1",), {"a": 1}, [{"id": "a\nb", "name": "x"}]]
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.text(st.characters() | st.characters(categories=["Cs"]), max_size=6),  # lone surrogates too
    st.binary(max_size=3),
    st.sampled_from(ODD),
    st.lists(st.text(max_size=3), max_size=2),
    st.tuples(st.text(max_size=3)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
IDS = st.sampled_from(["N1.1", "N1.10", "so-a", "a", "x" * 64, "A.b_c-9"])
TEXTS = st.one_of(
    st.sampled_from(["Nhiệm vụ một", "Tổ chức tập huấn\ntại huyện", "a\tb", "x" * 40]),
    st.text(min_size=1, max_size=12).filter(lambda t: t.strip() and not schema.FORBIDDEN_RE.search(t)),
)
DATES = st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat)
NUMBERS = st.one_of(st.integers(-(10**15), 10**15), st.floats(-1e15, 1e15, allow_nan=False))
ELEMENTS = st.sampled_from(schema.ASCC_ELEMENTS)


def field(valid: st.SearchStrategy[Any], hostile: bool) -> st.SearchStrategy[Any]:
    return st.one_of(valid, HOSTILE) if hostile else valid


def indicator(hostile: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"id": field(IDS, hostile), "name": field(TEXTS, hostile)},
        optional={
            "name_en": field(TEXTS, hostile),
            "unit": field(TEXTS, hostile),
            "baseline": field(NUMBERS, hostile),
            "target": field(NUMBERS, hostile),
            "contributes_to": field(IDS, hostile),
            **({"colour": TEXTS} if hostile else {}),
        },
    )


def task(hostile: bool) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"id": field(IDS, hostile), "title": field(TEXTS, hostile), "lead": field(IDS, hostile)},
        optional={
            "objective": field(IDS, hostile),
            "title_en": field(TEXTS, hostile),
            "support": field(st.lists(IDS, max_size=3), hostile),
            "start": field(DATES, hostile),
            "due": field(DATES, hostile),
            "recurring": field(st.just("yearly"), hostile),
            "output": field(TEXTS, hostile),
            "indicators": field(st.lists(indicator(hostile), max_size=2), hostile),
            "elements": field(st.lists(ELEMENTS, max_size=3), hostile),
            "tags": field(st.lists(TEXTS, max_size=2), hostile),
            "assumptions": field(st.lists(TEXTS, max_size=2), hostile),
            "source": field(TEXTS, hostile),
            **({"colour": TEXTS} if hostile else {}),
        },
    ).filter(lambda item: hostile or "due" in item or "recurring" in item)


def task_file(hostile: bool) -> st.SearchStrategy[Any]:
    file = st.fixed_dictionaries(
        {"tasks": st.lists(task(hostile), max_size=4)}, optional={"objective": field(IDS, hostile)}
    )
    return st.one_of(file, HOSTILE) if hostile else file


@settings(max_examples=200, deadline=None)
@given(task_file(hostile=True))
def test_what_it_accepts_the_schema_accepts_unchanged(data: Any) -> None:
    """Sound: data it passes has no problem for the full check, and cleans to the same value."""
    fast = fastcheck.clean(schema.TASKS_FILE, copy.deepcopy(data))
    full, problems = schema.check_value(schema.TASKS_FILE, data)
    if fast is not None:
        assert problems == [] and fast == full


@settings(max_examples=100, deadline=None)
@given(task_file(hostile=False))
def test_it_accepts_what_a_clean_file_holds(data: Any) -> None:
    """And useful: a clean file's data passes, so the cache is used, with dates as dates."""
    full, problems = schema.check_value(schema.TASKS_FILE, data)
    assume(problems == [])  # the odd generated text of more than a unit's 40 characters
    assert fastcheck.clean(schema.TASKS_FILE, copy.deepcopy(data)) == full


def test_no_odd_value_in_any_field_gets_through() -> None:
    """Each odd value in each field of a clean task, and of an indicator: whatever passes the
    fast check passes the full one."""
    names = [f.name for f in schema.TASK.fields] + [f"indicator.{f.name}" for f in schema.TASK_INDICATOR.fields]
    for name in [*names, "colour"]:
        for value in ODD_VALUES:
            item: dict[str, Any] = {"id": "N1.1", "title": "x", "lead": "so-a", "due": "2024-01-01"}
            indicator: dict[str, object] = {"id": "c", "name": "c"}
            if name.startswith("indicator."):
                indicator[name.removeprefix("indicator.")] = value
                item["indicators"] = [indicator]
            else:
                item[name] = value
            data = {"objective": "N1", "tasks": [item]}
            fast = fastcheck.clean(schema.TASKS_FILE, copy.deepcopy(data))
            full, problems = schema.check_value(schema.TASKS_FILE, data)
            assert fast is None or (problems == [] and fast == full), (name, value)


@pytest.mark.parametrize(
    "value",
    [
        ["so-a", True],  # True is no id
        "so-a",  # a text where a list belongs
        ("so-a",),  # a tuple (marshal writes them) is no list
    ],
)
def test_support_that_is_no_list_of_ids_is_refused(value: object) -> None:
    task: dict[str, object] = {"id": "N1.1", "title": "x", "lead": "so-a", "recurring": "yearly", "support": value}
    data = {"objective": "N1", "tasks": [task]}
    assert fastcheck.clean(schema.TASKS_FILE, data) is None


def test_odd_numbers_are_refused() -> None:
    for target in (math.nan, math.inf, 1e16, True, "5"):
        item = {
            "id": "N1.1",
            "title": "x",
            "lead": "so-a",
            "due": "2024-01-01",
            "indicators": [{"id": "c", "name": "c"}],
        }
        item["indicators"][0]["target"] = target  # type: ignore[index]
        assert fastcheck.clean(schema.TASKS_FILE, {"objective": "N1", "tasks": [item]}) is None, target


def test_a_record_that_stands_twice_gets_its_dates_once() -> None:
    """A forged entry may hold one dict twice (marshal keeps shared objects): no crash, and
    the dates are dates."""
    item = {"id": "N1.1", "title": "x", "lead": "so-a", "due": "2024-06-30"}
    data = fastcheck.clean(schema.TASKS_FILE, {"objective": "N1", "tasks": [item, item]})
    assert data is not None and data["tasks"][1]["due"] == dt.date(2024, 6, 30)


def test_a_list_that_holds_itself_is_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    item = {"id": "N1.1", "title": "x", "lead": "so-a", "recurring": "yearly", "tags": loop}
    assert fastcheck.clean(schema.TASKS_FILE, {"objective": "N1", "tasks": [item]}) is None
