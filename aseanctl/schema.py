"""The shape of plan files, said once: checked here, and exported as JSON Schema.

``check_value`` walks data against a spec and returns the data cleaned (values that
failed become ``None``, unknown keys are dropped, dates become ``date`` objects) with the
problems found, so one bad field neither hides the others nor crashes the rules that
read the model afterwards.  ``json_schema`` turns the same specs into draft 2020-12.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from itertools import repeat
from operator import le
from typing import Any, NamedTuple

from .problems import Msg, Problem
from .suggest import did_you_mean

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_ID_RE = re.compile(ID_PATTERN)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The days a plan file may name, as the command line's options take them: a plan dated 0001 or
# 9999 is a slip of the keyboard, and reporting periods, hand-overs and a successor plan's first
# day are computed a year or a day beyond the plan's own days.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
_MONTH_DAY_RE = re.compile(r"[0-9]{2}-[0-9]{2}")
# What no text of a plan may hold: control characters but tab and line breaks, and lone
# surrogates.  A journal line's "\\ud800" is valid JSON that decodes to one; it is no Unicode
# character, and no UTF-8 file, stream or workbook can hold it (writing it raises).
FORBIDDEN_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"})
# hours, minutes and seconds in range, so that what is left to check is the day of the month
_TIMESTAMP_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
MAX_TEXT = 10_000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

STATUSES = ("not_started", "in_progress", "completed", "recurring", "suspended", "change_requested")
HEALTHS = ("green", "amber", "red")

ASCC_CHARACTERISTICS = ("A", "B", "C", "D", "E")
ASCC_ELEMENTS = (
    "A.1",
    "A.2",
    "B.1",
    "B.2",
    "B.3",
    "C.1",
    "C.2",
    "C.3",
    "C.4",
    "D.1",
    "D.2",
    "D.3",
    "D.4",
    "D.5",
    "E.1",
    "E.2",
    "E.3",
)


def parse_date(text: str) -> dt.date | None:
    """The day ``text`` names when it is a date as plan files write them (YYYY-MM-DD); None otherwise."""
    if _DATE_RE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:  # a day the month does not have
            pass
    return None


def in_range(day: dt.date | None) -> bool:
    """True for a day from FIRST_DAY to LAST_DAY."""
    return day is not None and FIRST_DAY <= day <= LAST_DAY


def parse_timestamp(text: str) -> dt.datetime | None:
    """The moment ``text`` names when it is a timestamp as the journal writes them (ISO 8601
    with seconds and a UTC offset: ``2026-11-29T08:30:00Z``, ``2026-11-29T15:30:00+07:00``);
    None otherwise.  The one definition of a valid ``recorded``."""
    if not _TIMESTAMP_RE.fullmatch(text):
        return None
    try:
        return _fromisoformat(text)
    except ValueError:  # a day the month does not have
        return None


def _iso_for_py310(text: str) -> str:
    """A timestamp the pattern accepts, in the narrower ISO form Python 3.10's ``fromisoformat``
    reads (no ``Z``; three or six digits of a second's fraction)."""
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    head, fraction, offset = text[:19], text[19:-6], text[-6:]
    return head + (fraction.ljust(7, "0") if fraction else "") + offset


if sys.version_info >= (3, 11):
    _fromisoformat = dt.datetime.fromisoformat  # reads every form the pattern allows
else:  # pragma: no cover - tested through _iso_for_py310

    def _fromisoformat(text: str) -> dt.datetime:
        return dt.datetime.fromisoformat(_iso_for_py310(text))


def timestamp_instant(text: str) -> dt.timedelta:
    """A timestamp that ``parse_timestamp`` accepts, as time since 1970-01-01 00:00 UTC: values
    that order timestamps by when they happened, whatever UTC offsets they were written with,
    exactly (a float of seconds would round microseconds away).  Not a check: the caller
    has the record checked first."""
    return _fromisoformat(text) - _EPOCH


def _all_text(values: list[Any]) -> bool:
    return all(map(isinstance, values, repeat(str)))


class Spec:
    """A kind of value.  Subclasses check one value and describe themselves as JSON Schema.

    Plain classes with ``__slots__``, not dataclasses: every command imports this module, and
    defining frozen dataclasses costs start-up time on every run.  The specs below are constants: never
    changed after they are made."""

    __slots__ = ("doc",)

    def __init__(self, doc: str = "") -> None:
        self.doc = doc

    def __repr__(self) -> str:
        names = [
            name
            for cls in reversed(type(self).__mro__)
            for name in getattr(cls, "__slots__", ())
            if not name.startswith("_")
        ]
        return f"{type(self).__name__}({', '.join(f'{name}={getattr(self, name)!r}' for name in names)})"

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        raise NotImplementedError

    def accepts_all(self, values: list[Any]) -> bool:
        """Whether ``check`` finds nothing wrong with any of ``values``.  Subclasses answer column
        by column at C speed (100,000 journal lines); the answer must be check's, which a
        differential property test holds them to."""
        out: list[Problem] = []
        for value in values:
            self.check(value, (), out)
            if out:
                return False
        return True

    def json(self) -> dict[str, Any]:
        raise NotImplementedError


def _type_msg(value: Any) -> Msg:
    if value is None:
        return Msg("type.null")
    if isinstance(value, bool):
        return Msg("type.bool")
    if isinstance(value, (int, float)):
        return Msg("type.number")
    if isinstance(value, str):
        return Msg("type.text")
    if isinstance(value, list):
        return Msg("type.list")
    return Msg("type.mapping")


def _schema_problem(path: tuple[str | int, ...], msg_key: str, on_key: bool = False, **args: Any) -> Problem:
    return Problem(rule="schema", severity="error", msg=Msg(msg_key, args), path=path, on_key=on_key)


def _wrong_type(value: Any, expected: str, path: tuple[str | int, ...], out: list[Problem]) -> None:
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and expected in ("type.text", "type.id", "type.date")
    ):
        out.append(_schema_problem(path, "schema.quote_number", expected=Msg(expected), found=value))
    else:
        out.append(_schema_problem(path, "schema.type", expected=Msg(expected), found=_type_msg(value)))


class Text(Spec):
    __slots__ = ("max_length",)

    def __init__(self, doc: str = "", max_length: int = MAX_TEXT) -> None:
        self.doc, self.max_length = doc, max_length

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if not isinstance(value, str):
            _wrong_type(value, "type.text", path, out)
            return None
        if not value.strip():
            out.append(_schema_problem(path, "schema.blank"))
            return None
        if len(value) > self.max_length:
            out.append(_schema_problem(path, "schema.too_long", length=len(value), limit=self.max_length))
            return None
        bad = None if value.isprintable() else FORBIDDEN_RE.search(value)  # isprintable: C speed, rarely False
        if bad:
            code = ord(bad.group())
            key = "schema.surrogate" if 0xD800 <= code <= 0xDFFF else "schema.control_char"
            out.append(_schema_problem(path, key, code=code))
            return None
        return value

    def accepts_all(self, values: list[Any]) -> bool:
        return (
            _all_text(values)
            and all(map(str.strip, values))
            and max(map(len, values), default=0) <= self.max_length
            and (all(map(str.isprintable, values)) or not any(map(FORBIDDEN_RE.search, values)))
        )

    def json(self) -> dict[str, Any]:
        # not blank, and no control characters but tab and line breaks.  No lone surrogates either,
        # but the pattern does not say so: JSON Schema validators in JavaScript match patterns on
        # UTF-16 code units, where such a class would refuse every emoji and rarer CJK letter.
        return {
            "type": "string",
            "minLength": 1,
            "maxLength": self.max_length,
            "pattern": r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$",
            "description": self.doc,
        }


class Id(Spec):
    __slots__ = ()

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if not isinstance(value, str):
            _wrong_type(value, "type.id", path, out)
            return None
        if not _ID_RE.fullmatch(value):
            out.append(_schema_problem(path, "schema.id", found=value[:80]))
            return None
        return value

    def accepts_all(self, values: list[Any]) -> bool:
        return _all_text(values) and all(map(_ID_RE.fullmatch, values))

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": ID_PATTERN, "description": self.doc}


class Date(Spec):
    __slots__ = ()

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if not isinstance(value, str):
            _wrong_type(value, "type.date", path, out)
            return None
        day = parse_date(value)
        if day is None:
            out.append(_schema_problem(path, "schema.date", found=value[:80]))
        elif not FIRST_DAY <= day <= LAST_DAY:
            out.append(
                _schema_problem(
                    path, "schema.date_range", found=value, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
                )
            )
            return None
        return day

    def accepts_all(self, values: list[Any]) -> bool:
        return _all_text(values) and all(in_range(parse_date(value)) for value in set(values))

    def json(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": r"^(19\d\d|2\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
            "format": "date",
            "description": self.doc,
        }


class MonthDay(Spec):
    __slots__ = ()

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if isinstance(value, str) and _MONTH_DAY_RE.fullmatch(value):
            try:
                dt.date(2001, int(value[:2]), int(value[3:]))  # a common year: no 02-29 cut-off
                return value
            except ValueError:
                pass
        if not isinstance(value, str):
            _wrong_type(value, "type.text", path, out)
        else:
            out.append(_schema_problem(path, "schema.month_day", found=value[:80]))
        return None

    def json(self) -> dict[str, Any]:
        # days that exist in every year: 02-29 is refused, as check() refuses it
        return {
            "type": "string",
            "description": self.doc,
            "pattern": r"^(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
            r"|(?:0[13578]|1[02])-31)$",
        }


class Number(Spec):
    __slots__ = ("high", "low")

    # the default bounds: far beyond any indicator, and exact as floats
    def __init__(self, doc: str = "", low: float = -1e15, high: float = 1e15) -> None:
        self.doc, self.low, self.high = doc, low, high

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(_schema_problem(path, "schema.type", expected=Msg("type.number"), found=_type_msg(value)))
            return None
        if not self.low <= value <= self.high:  # 1e999 reads as infinity
            out.append(
                _schema_problem(path, "schema.number_range", found=value, low=f"{self.low:g}", high=f"{self.high:g}")
            )
            return None
        return value

    def accepts_all(self, values: list[Any]) -> bool:
        # comparisons one by one rather than min() and max(): NaN compares false with everything
        return (
            all(map(isinstance, values, repeat((int, float))))
            and not any(map(isinstance, values, repeat(bool)))
            and all(map(le, repeat(self.low), values))
            and all(map(le, values, repeat(self.high)))
        )

    def json(self) -> dict[str, Any]:
        return {"type": "number", "minimum": self.low, "maximum": self.high, "description": self.doc}


class WholeNumber(Number):
    """A count, such as days: a whole number within the bounds.  ``1.5`` is refused, never
    read as 1 (a day and a half has no meaning where a count of days is asked for)."""

    __slots__ = ()

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        checked = super().check(value, path, out)
        if checked is not None and not isinstance(checked, int):
            out.append(_schema_problem(path, "schema.whole_number", found=value))
            return None
        return checked

    def accepts_all(self, values: list[Any]) -> bool:
        return super().accepts_all(values) and all(map(isinstance, values, repeat(int)))

    def json(self) -> dict[str, Any]:
        return {**super().json(), "type": "integer"}


class Timestamp(Spec):
    """An ISO 8601 date and time with its UTC offset, as aseanctl writes it: 2026-11-29T08:30:00Z."""

    __slots__ = ()

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if not isinstance(value, str):
            _wrong_type(value, "type.text", path, out)
            return None
        moment = parse_timestamp(value)
        if moment is None:
            out.append(_schema_problem(path, "schema.timestamp", found=value[:80]))
        return moment

    def accepts_all(self, values: list[Any]) -> bool:
        return _all_text(values) and all(parse_timestamp(value) is not None for value in values)

    def json(self) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": f"^{_TIMESTAMP_RE.pattern}$",
            "format": "date-time",
            "description": self.doc,
        }


class MapOf(Spec):
    """A mapping from identifiers to values of one kind (indicator id -> number)."""

    __slots__ = ("value",)

    def __init__(self, value: Spec | None = None, doc: str = "") -> None:
        self.value, self.doc = value if value is not None else Text(), doc

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if not isinstance(value, dict):
            out.append(_schema_problem(path, "schema.type", expected=Msg("type.mapping"), found=_type_msg(value)))
            return None
        clean = {}
        for key, item in value.items():
            if not (isinstance(key, str) and _ID_RE.fullmatch(key)):
                out.append(_schema_problem((*path, key), "schema.id", on_key=True, found=str(key)[:80]))
                continue
            clean[key] = self.value.check(item, (*path, key), out)
        return clean

    def accepts_all(self, values: list[Any]) -> bool:
        if not all(map(isinstance, values, repeat(dict))):
            return False
        keys = [key for value in values for key in value]
        return (
            _all_text(keys)
            and all(map(_ID_RE.fullmatch, keys))
            and self.value.accepts_all([item for value in values for item in value.values()])
        )

    def json(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": self.value.json(),
            "description": self.doc,
        }


class Enum(Spec):
    __slots__ = ("values",)

    def __init__(self, values: tuple[str, ...] = (), doc: str = "") -> None:
        self.values, self.doc = values, doc

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if isinstance(value, str) and value in self.values:
            return value
        found = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else value
        if isinstance(value, str) and value in _YAML11_BOOLS:
            hint: Msg | str = Msg("schema.yaml11_word", {"found": value})
        elif isinstance(value, str) and len(value) > 3:  # no "did you mean E.3" for A.3
            hint = did_you_mean(value, self.values)
        else:
            hint = ""
        out.append(_schema_problem(path, "schema.enum", found=found, allowed=", ".join(self.values), hint=hint))
        return None

    def accepts_all(self, values: list[Any]) -> bool:
        return _all_text(values) and set(values) <= set(self.values)

    def json(self) -> dict[str, Any]:
        return {"enum": list(self.values), "description": self.doc}


class ListOf(Spec):
    __slots__ = ("item",)

    def __init__(self, item: Spec | None = None, doc: str = "") -> None:
        self.item, self.doc = item if item is not None else Text(), doc

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if not isinstance(value, list):
            out.append(_schema_problem(path, "schema.type", expected=Msg("type.list"), found=_type_msg(value)))
            return None
        return [self.item.check(item, (*path, index), out) for index, item in enumerate(value)]

    def json(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.json(), "description": self.doc}


class Field(NamedTuple):
    name: str
    spec: Spec
    required: bool = False


class Record(Spec):
    """A mapping with known fields; ``one_of`` lists groups of which at least one field must be present."""

    __slots__ = ("_required", "_specs", "fields", "name", "one_of")

    def __init__(
        self, name: str = "", fields: tuple[Field, ...] = (), one_of: tuple[tuple[str, ...], ...] = (), doc: str = ""
    ) -> None:
        self.name, self.fields, self.one_of, self.doc = name, fields, one_of, doc
        # looked up for every record of a 10,000-task plan: computed once
        self._specs: dict[str, Spec] = {f.name: f.spec for f in fields}
        self._required = tuple(f.name for f in fields if f.required)

    def check(self, value: Any, path: tuple[str | int, ...], out: list[Problem]) -> Any:
        if not isinstance(value, dict):
            out.append(_schema_problem(path, "schema.type", expected=Msg("type.mapping"), found=_type_msg(value)))
            return None
        specs = self._specs
        clean: dict[str, Any] = {}
        for key, item in value.items():
            spec = specs.get(key)
            if spec is None:
                hint = did_you_mean(str(key), list(specs)) or Msg("schema.allowed_keys", {"allowed": ", ".join(specs)})
                out.append(_schema_problem((*path, key), "schema.unknown_key", on_key=True, key=key, hint=hint))
                continue
            clean[key] = spec.check(item, (*path, key), out)
        for name in self._required:
            if name not in value:
                out.append(_schema_problem(path, "schema.missing", key=name))
        for group in self.one_of:
            if not any(name in value for name in group):
                out.append(_schema_problem(path, "schema.one_of", keys=" / ".join(group)))
        return clean

    def accepts_all(self, values: list[Any]) -> bool:
        """Field by field over all the records: one ``map`` per field instead of a call per value."""
        if not all(map(isinstance, values, repeat(dict))) or not set().union(*values) <= self._specs.keys():
            return False
        if not all(all(map(dict.__contains__, values, repeat(name))) for name in self._required):
            return False
        if not all(any(name in value for name in group) for group in self.one_of for value in values):
            return False
        return all(
            spec.accepts_all([value[name] for value in values if name in value]) for name, spec in self._specs.items()
        )

    def json(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "description": self.doc,
            "properties": {f.name: f.spec.json() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }
        if self.one_of:
            schema["allOf"] = [{"anyOf": [{"required": [name]} for name in group]} for group in self.one_of]
        return schema


# --- the plan files -------------------------------------------------------------

_PROVENANCE = (
    Field("source", Text(doc="Where the facts of this entry come from.")),
    Field("assumptions", ListOf(Text(), doc="What in this entry is inferred rather than sourced.")),
    Field("note", Text(doc="Free text.")),
)

OWNER = Record(
    name="owner",
    doc="An agency that owns work: a department, a district or another organisation.",
    fields=(
        Field("id", Id(doc="Identifier used everywhere else."), required=True),
        Field("name", Text(doc="Vietnamese name, as in documents."), required=True),
        Field("name_en", Text(doc="English name.")),
        Field("short", Text(max_length=40, doc="Abbreviation used in document numbers.")),
        Field("kind", Enum(("department", "district", "organisation"), doc="What kind of body it is."), required=True),
        Field("active_from", Date(doc="First day the owner exists.")),
        Field("active_until", Date(doc="Last day the owner exists.")),
        Field("successor", Id(doc="Owner that takes over the work after active_until.")),
        *_PROVENANCE,
    ),
)

OWNERS_FILE = Record(
    name="owners.yaml",
    doc="The owners registry of a plan workspace.",
    fields=(Field("owners", ListOf(OWNER), required=True),),
)

DOCUMENT = Record(
    name="document",
    doc="An official document.",
    fields=(
        Field("number", Text(max_length=80, doc="Số ký hiệu, e.g. 702/KH-UBND."), required=True),
        Field("date", Date(doc="Date of issue."), required=True),
        Field("issuer", Text(doc="Issuing body."), required=True),
        Field("title", Text(doc="Trích yếu: what the document is about.")),
    ),
)

INDICATOR_FIELDS = (
    Field("id", Id(), required=True),
    Field("name", Text(doc="Vietnamese name of the indicator."), required=True),
    Field("name_en", Text()),
    Field("unit", Text(max_length=40, doc="Unit of measure.")),
    Field("baseline", Number(doc="Value at the start.")),
    Field("target", Number(doc="Value to reach.")),
)

PLAN_INDICATOR = Record(name="plan indicator", doc="A plan-level target.", fields=INDICATOR_FIELDS)
TASK_INDICATOR = Record(
    name="task indicator",
    doc="A measure of a task's result.",
    fields=(*INDICATOR_FIELDS, Field("contributes_to", Id(doc="Plan indicator this one feeds."))),
)

OBJECTIVE = Record(
    name="objective",
    doc="A task group (nhóm nhiệm vụ, giải pháp).",
    fields=(
        Field("id", Id(), required=True),
        Field("title", Text(), required=True),
        Field("title_en", Text()),
        Field("ascc", Enum(ASCC_CHARACTERISTICS, doc="ASCC Blueprint 2025 characteristic."), required=True),
        Field("elements", ListOf(Enum(ASCC_ELEMENTS), doc="ASCC Blueprint 2025 elements served.")),
        *_PROVENANCE,
    ),
)

PLAN_FILE = Record(
    name="plan.yaml",
    doc="A plan's metadata and its task groups.",
    fields=(
        Field("id", Id(), required=True),
        Field("title", Text(), required=True),
        Field("title_en", Text()),
        Field("language", Enum(("vi", "en"), doc="Language of messages and reports.")),
        Field("document", DOCUMENT, required=True),
        Field("implements", ListOf(DOCUMENT, doc="Documents the plan carries out.")),
        Field(
            "period",
            Record(name="period", fields=(Field("start", Date(), required=True), Field("end", Date(), required=True))),
            required=True,
        ),
        Field("lead", Id(doc="Owner id of the lead agency."), required=True),
        Field(
            "reporting",
            Record(
                name="reporting",
                fields=(
                    Field("frequency", Enum(("yearly", "half-yearly", "quarterly"))),
                    Field("cutoff", MonthDay(doc="Last day of a reporting year, MM-DD.")),
                ),
            ),
        ),
        Field("objectives", ListOf(OBJECTIVE), required=True),
        Field("indicators", ListOf(PLAN_INDICATOR)),
        *_PROVENANCE,
    ),
)

TASK = Record(
    name="task",
    doc="One activity of the plan.",
    one_of=(("due", "recurring"),),
    fields=(
        Field("id", Id(), required=True),
        Field("objective", Id(doc="Objective of this plan (default: the file's).")),
        Field("title", Text(doc="The activity's Vietnamese wording."), required=True),
        Field("title_en", Text()),
        Field("lead", Id(doc="Owner id of the lead (cơ quan chủ trì)."), required=True),
        Field("support", ListOf(Id(), doc="Owner ids of supporting agencies (cơ quan phối hợp).")),
        Field("start", Date(doc="First day (default: the plan's start).")),
        Field("due", Date(doc="Deadline.")),
        Field("recurring", Enum(("yearly",), doc="Done every year (thực hiện thường xuyên).")),
        Field("output", Text(doc="Expected output (sản phẩm).")),
        Field("indicators", ListOf(TASK_INDICATOR)),
        Field("elements", ListOf(Enum(ASCC_ELEMENTS))),
        Field("tags", ListOf(Text(max_length=80))),
        *_PROVENANCE,
    ),
)

TASKS_FILE = Record(
    name="tasks/*.yaml",
    doc="The tasks of one task group.",
    fields=(
        Field("objective", Id(doc="Default objective for every task in this file.")),
        Field("tasks", ListOf(TASK), required=True),
    ),
)

UPDATE = Record(
    name="journal update",
    doc="One status update: one line of a plan's journal/<year>.jsonl, written by `aseanctl update`.",
    # an update says something (a withdrawal says which update it takes back)
    one_of=(("status", "progress", "health", "actual", "note", "evidence", "withdraws"),),
    fields=(
        Field("id", Id(doc="The update's id, as printed by `aseanctl update`."), required=True),
        Field("task", Id(doc="The task the update is about."), required=True),
        Field("date", Date(doc="The day the status refers to."), required=True),
        Field("status", Enum(STATUSES, doc="Status of the task on that day.")),
        Field("progress", Number(low=0, high=100, doc="Per cent done.")),
        Field("health", Enum(HEALTHS, doc="green: on track; amber: at risk; red: off track.")),
        Field("actual", MapOf(Number(), doc="Indicator id -> value reached.")),
        Field("note", Text()),
        Field("evidence", Text(doc="What proves it, e.g. the number of a report.")),
        Field("by", Id(doc="Owner id of the reporting agency."), required=True),
        Field("author", Text(doc="Who recorded it: name <e-mail>."), required=True),
        Field(
            "recorded",
            Timestamp(doc="When it was recorded: local time with its UTC offset; updates are ordered by the instant."),
            required=True,
        ),
        Field("corrects", Id(doc="Id of the update this one amends: the fields it gives replace that update's.")),
        Field(
            "withdraws",
            Id(doc="Id of the update this line takes back (with its corrections); the line says nothing else."),
        ),
        Field("reason", Text(doc="Why an update is withdrawn.")),
    ),
)

REPORT_SETTINGS = Record(
    name="reports/settings.yaml",
    doc="Who issues a plan's reports, and to whom they go.",
    fields=(
        Field("parent_body", Text(max_length=200, doc="Cơ quan chủ quản, e.g. UBND TỈNH AN GIANG.")),
        Field("issuing_body", Text(max_length=200, doc="Cơ quan ban hành (default: the lead on the report date).")),
        Field("number_code", Text(max_length=40, doc="Ký hiệu after the number, e.g. BC-SNV.")),
        Field("place", Text(max_length=80, doc="Địa danh in the date line, e.g. An Giang.")),
        Field(
            "signer",
            Record(
                name="signer",
                fields=(
                    Field("authority", Text(max_length=80, doc="e.g. KT. GIÁM ĐỐC.")),
                    Field("title", Text(max_length=80, doc="e.g. PHÓ GIÁM ĐỐC.")),
                    Field("name", Text(max_length=120, doc="The signer's name (leave out until known).")),
                ),
            ),
        ),
        Field("recipients", ListOf(Text(max_length=300), doc="Nơi nhận, in order; the last is usually «Lưu: VT».")),
        Field(
            "request_days",
            WholeNumber(low=1, high=365, doc="Days an agency has to answer a request letter (default 15)."),
        ),
        Field("letter_unit", Text(max_length=20, doc="The drafting unit's code in a letter's number, e.g. VP.")),
        Field(
            "letter_recipients",
            ListOf(Text(max_length=300), doc="A letter's Nơi nhận between «Như trên» and «Lưu: VT»."),
        ),
    ),
)

REPORT_INPUT = Record(
    name="reports/<period>.yaml",
    doc="The narrative of one report, written by the analyst.",
    fields=(
        Field("number", Text(max_length=40, doc="The signed report's number, once it has one.")),
        Field("date", Date(doc="The signed report's date.")),
        Field("subject", Text(doc="Trích yếu, when the default does not fit.")),
        *(
            Field(name, Text(max_length=50_000, doc=doc))
            for name, doc in (
                ("direction", "I. Công tác chỉ đạo, triển khai."),
                ("strengths", "III.1 Ưu điểm."),
                ("limitations", "III.2 Hạn chế."),
                ("causes", "III.3 Nguyên nhân."),
                ("difficulties", "IV. Khó khăn, vướng mắc."),
                ("lessons", "V. Bài học kinh nghiệm."),
                ("next_steps", "VI. Phương hướng, nhiệm vụ thời gian tới."),
                ("proposals", "VII. Đề xuất, kiến nghị."),
            )
        ),
    ),
)

FILE_SPECS: dict[str, Record] = {
    "owners": OWNERS_FILE,
    "plan": PLAN_FILE,
    "tasks": TASKS_FILE,
    "journal": UPDATE,
    "report-settings": REPORT_SETTINGS,
    "report-input": REPORT_INPUT,
}


def check_value(spec: Spec, value: Any, path: tuple[str | int, ...] = ()) -> tuple[Any, list[Problem]]:
    """Check ``value`` against ``spec``: the cleaned value and the problems, located by path."""
    out: list[Problem] = []
    clean = spec.check(value, path, out)
    return clean, out


def json_schema(kind: str | None = None) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one kind of file, or one schema accepting any plan file."""
    base = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if kind is not None:
        spec = FILE_SPECS[kind]
        return {**base, "$id": f"https://aseanctl.invalid/schema/{kind}.json", "title": spec.name, **spec.json()}
    return {
        **base,
        "$id": "https://aseanctl.invalid/schema/plan-file.json",
        "title": "aseanctl plan file",
        "description": "Any aseanctl plan file: owners.yaml, plan.yaml or tasks/*.yaml.",
        "oneOf": [FILE_SPECS[name].json() for name in ("owners", "plan", "tasks")],
    }
