"""What the commands accept on the command line, each kind of value parsed one way.

Every typed option (days, counts, words from a fixed list, status and health words, the
language) is a click parameter type whose ``convert`` either returns the parsed value or
raises :class:`OptionError`.  Click raises it while it parses, before the command runs and
before any plan is read, and shows it as one line from the catalogue, in ``--lang`` (read
first: the option is eager), else ``ASEANCTL_LANG``, else Vietnamese; exit code 2.  That is
the same line the command's own usage errors give (see ``boundary``), so a mistake reads the
same whichever command, and whichever stage, finds it.

Only the standard library and typer at import time: the catalogue, the schema's word lists
and the report kinds are imported when a value is parsed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click.core import Context, Parameter
from typer._click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoSuchOption
from typer._click.types import ParamType
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from typer._click.shell_completion import CompletionItem

    from ..i18n import Lang
    from ..problems import Msg

# The days the tool works with.  Wider than any plan, narrow enough that the arithmetic the
# views and reports do around a day (a year back, --stale-days back, weeks ahead) stays
# inside Python's calendar: 9999-12-31 would overflow there.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
MAX_DAYS = 36_500  # --stale-days: a century

_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_VI_DAY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")  # how the tool prints a day in Vietnamese
_WHOLE = re.compile(r"[0-9]{1,12}")


def parse_day(text: str) -> dt.date | None:
    """``2024-12-01``, or ``01/12/2024`` as the tool prints it in Vietnamese; None otherwise.

    ``datetime.date.fromisoformat`` alone would also take ``20241201`` and ``2024-W48-7``
    (Python 3.11), which nothing else in the tool accepts or prints."""
    value = text.strip()
    iso = _ISO_DAY.fullmatch(value)
    vi = None if iso else _VI_DAY.fullmatch(value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if vi:
            return dt.date(int(vi[3]), int(vi[2]), int(vi[1]))
    except ValueError:  # 2024-02-30
        return None
    return None


def parse_count(text: str, high: int) -> int | None:
    """A whole number from 0 to ``high``, in plain digits; None otherwise."""
    value = text.strip()
    if not _WHOLE.fullmatch(value):
        return None
    number = int(value)
    return number if number <= high else None


class OptionError(BadParameter):
    """A value the command line refused: one line from the catalogue, exit code 2."""

    def __init__(
        self, msg: Msg, ctx: Context | None = None, param: Parameter | None = None, lang: str | None = None
    ) -> None:
        super().__init__(msg.key, ctx=ctx, param=param)
        self.msg = msg
        self.lang = lang

    def format_message(self) -> str:
        from ..i18n import pick_lang, render

        return render(self.msg, pick_lang(self.lang) if self.lang else usage_lang(self.ctx))

    def show(self, file: IO[Any] | None = None) -> None:
        import sys

        from ..safetext import visible

        (file or sys.stderr).write(f"aseanctl: {visible(self.format_message())}\n")


def usage_lang(ctx: Context | None) -> Lang:
    """The language of a usage error: ``--lang`` once parsed (it is eager), else the default."""
    from ..i18n import pick_lang

    lang = ctx.params.get("lang") if ctx is not None else None
    return pick_lang(lang if isinstance(lang, str) else None)


def lang_in(args: list[str]) -> str | None:
    """The value of the last ``--lang`` among raw arguments, for errors found before it is parsed."""
    found = None
    for at, arg in enumerate(args):
        if arg == "--lang" and at + 1 < len(args):
            found = args[at + 1]
        elif arg.startswith("--lang="):
            found = arg.removeprefix("--lang=")
    return found


def option_name(param: Parameter | None) -> str:
    """``--as-of`` for an option, ``KIND`` for an argument."""
    if param is None:
        return "?"
    if param.param_type_name == "option" and param.opts:
        return max(param.opts, key=len)  # --format, not -f
    return (param.name or "").upper()


class CatalogueType(ParamType):
    """A parameter type whose refusals are catalogue messages."""

    def refuse(self, key: str, param: Parameter | None, ctx: Context | None, **args: Any) -> NoReturn:
        from ..problems import Msg

        raise OptionError(Msg(key, {"option": option_name(param), **args}), ctx, param)


class DayType(CatalogueType):
    """A day: ``YYYY-MM-DD`` exactly, or ``dd/mm/yyyy``; between FIRST_DAY and LAST_DAY."""

    name = "date"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        day = parse_day(value)
        if day is None:
            self.refuse("view.bad_date", param, ctx, found=value)
        if not FIRST_DAY <= day <= LAST_DAY:
            self.refuse("cli.day_out_of_range", param, ctx, found=value, first="1900-01-01", last="2999-12-31")
        return day


class CountType(CatalogueType):
    """A whole number from 0 to ``high``."""

    name = "integer"

    def __init__(self, high: int) -> None:
        self.high = high

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> int:
        if isinstance(value, int):
            return value
        number = parse_count(value, self.high)
        if number is None:
            self.refuse("cli.bad_count", param, ctx, found=value, high=self.high)
        return number


class WordType(CatalogueType):
    """One of a fixed list of words, typed exactly (formats, kinds, languages).

    ``choices`` may be a function, so that a list living in a heavy module (the report
    kinds, the schema's file kinds) is imported only when the value is checked."""

    name = "word"

    def __init__(self, choices: tuple[str, ...] | Callable[[], tuple[str, ...]]) -> None:
        self.choices = choices

    def allowed(self) -> tuple[str, ...]:
        return self.choices() if callable(self.choices) else self.choices

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> str:
        allowed = self.allowed()
        if value not in allowed:
            self.refuse("update.bad_word", param, ctx, found=value, allowed=", ".join(allowed))
        return str(value)

    def shell_complete(self, ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        from typer._click.shell_completion import CompletionItem

        return [CompletionItem(word) for word in self.allowed() if word.startswith(incomplete)]


class StateWordType(CatalogueType):
    """A status or health word as people type it: the id (``in_progress``), ``in-progress``,
    or the Vietnamese label; the stored id comes back."""

    name = "word"

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> str:
        from .. import schema
        from ..i18n import parse_word, word_hint

        choices = schema.STATUSES if self.kind == "status" else schema.HEALTHS
        word = parse_word(self.kind, value, choices)
        if word is None:
            hint = word_hint(self.kind, value, choices)
            self.refuse("update.bad_state_word", param, ctx, found=value, hint=hint, allowed=", ".join(choices))
        return word

    def shell_complete(self, ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        from typer._click.shell_completion import CompletionItem

        from .. import schema

        choices = schema.STATUSES if self.kind == "status" else schema.HEALTHS
        return [CompletionItem(word) for word in choices if word.startswith(incomplete)]


class Command(TyperCommand):
    """A command whose own parsing mistakes (an unknown option, a missing value or argument,
    an argument too many) are catalogue lines too, not click's English usage block."""

    allow_extra_args = True  # refused below, with the catalogue's words

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        from ..problems import Msg

        lang = lang_in(args)
        command = ctx.command_path.removeprefix("aseanctl ")
        try:
            rest = super().parse_args(ctx, args)
        except NoSuchOption as error:
            from ..suggest import did_you_mean

            names = [name for param in self.get_params(ctx) for name in param.opts if name.startswith("--")]
            hint = did_you_mean(error.option_name, names)
            msg = Msg("cli.no_such_option", {"option": error.option_name, "hint": hint, "command": command})
            raise OptionError(msg, ctx, lang=lang) from None
        except MissingParameter as error:
            msg = Msg("cli.missing", {"option": option_name(error.param), "command": command})
            raise OptionError(msg, ctx, error.param, lang=lang) from None
        except BadOptionUsage as error:
            key = "cli.takes_no_value" if "does not take" in error.message else "cli.needs_value"
            raise OptionError(Msg(key, {"option": error.option_name}), ctx, lang=lang) from None
        if rest and not ctx.resilient_parsing:  # completing a half-typed line: what is left is no mistake
            msg = Msg("cli.extra_arguments", {"found": " ".join(rest), "command": command})
            raise OptionError(msg, ctx, lang=lang)
        return rest


class Group(TyperGroup):
    """``aseanctl`` and ``aseanctl collect``: a misspelt command or an option the group does not
    take is a catalogue line in the chosen language, as a command's own mistakes are, not
    click's English usage block."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        from ..problems import Msg

        lang = lang_in(args)  # before click's parser, which consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except NoSuchOption as error:
            from ..suggest import did_you_mean

            names = [name for param in self.get_params(ctx) for name in param.opts if name.startswith("--")]
            hint = did_you_mean(error.option_name, names)
            msg = Msg("cli.no_such_group_option", {"option": error.option_name, "hint": hint, "path": ctx.command_path})
            raise OptionError(msg, ctx, lang=lang) from None

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0] if args else ""
        if not ctx.resilient_parsing and not name.startswith("-") and self.get_command(ctx, name) is None:
            from ..problems import Msg
            from ..suggest import did_you_mean

            hint = did_you_mean(name, self.list_commands(ctx))
            msg = Msg("cli.no_such_command", {"name": name, "hint": hint, "path": ctx.command_path})
            raise OptionError(msg, ctx, lang=lang_in(args))
        return super().resolve_command(ctx, args)


def _report_kinds() -> tuple[str, ...]:
    from ..report.context import KINDS

    return KINDS


def _schema_kinds() -> tuple[str, ...]:
    from ..schema import FILE_SPECS

    return tuple(FILE_SPECS)


LANGS = WordType(("vi", "en"))
DAY = DayType()
STALE_DAYS = CountType(MAX_DAYS)
STATUS_WORD = StateWordType("status")
HEALTH_WORD = StateWordType("health")
VIEW_FORMAT = WordType(("table", "json", "csv", "xlsx"))
ROUND_FORMAT = WordType(("table", "json", "csv"))  # collect status: a round has no workbook of its own
VALIDATE_FORMAT = WordType(("auto", "text", "json", "github", "sarif"))
REPORT_FORMAT = WordType(("md", "docx"))
RULES_FORMAT = WordType(("text", "json"))
DIFF_FORMAT = WordType(("text", "md", "json"))
REPORT_KIND = WordType(_report_kinds)
SCHEMA_KIND = WordType(_schema_kinds)


# --- options that several commands share -----------------------------------------------------

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        click_type=LANGS,
        is_eager=True,  # parsed first, so that the other options' errors are in this language
        help="Language of messages: vi or en (default: ASEANCTL_LANG, then the plan's own).",
        metavar="vi|en",
    ),
]
PlanOption = Annotated[
    str | None,
    typer.Option(
        "--plan", help="The plan folder (default: ASEANCTL_PLAN, then found from the current folder).", metavar="DIR"
    ),
]
AsOfOption = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of",
        click_type=DAY,
        help="The day to look from (default: today, or the plan's last day once it has ended): "
        "later updates are not seen.",
        metavar="YYYY-MM-DD",
    ),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        click_type=VIEW_FORMAT,
        help="table (for people, fits 80 columns), json or csv (for scripts), or xlsx (an Excel workbook; needs -o).",
        metavar="FORMAT",
    ),
]
OwnerOption = Annotated[
    str | None,
    typer.Option(
        "--owner",
        help="Only tasks this owner leads or supports on the --as-of day (after hand-overs).",
        metavar="OWNER",
    ),
]
ObjectiveOption = Annotated[
    str | None, typer.Option("--objective", help="Only tasks of this objective (task group), e.g. N2.", metavar="ID")
]
StatusOption = Annotated[
    str | None,
    typer.Option(
        "--status",
        "-s",
        click_type=STATUS_WORD,
        help="Only tasks with this status: the words of 'aseanctl update --status', in English or Vietnamese.",
        metavar="STATUS",
    ),
]
OverdueOption = Annotated[bool, typer.Option("--overdue", help="Only tasks past their due day and not completed.")]
StaleOption = Annotated[
    bool,
    typer.Option(
        "--stale", help="Only active tasks with no update in the current reporting period (or in --stale-days)."
    ),
]
StaleDaysOption = Annotated[
    int | None,
    typer.Option(
        "--stale-days",
        click_type=STALE_DAYS,
        help="Call a task stale after this many days without an update, instead of "
        "'none in the current reporting period' (0 to 36500).",
        metavar="N",
    ),
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="Read the plan as it was at this git revision (commit, tag or branch), straight from "
        "git's objects: the working tree and the index are not touched.",
        metavar="REV",
    ),
]


def plan_at(plan: str | None, at: str | None) -> str | None:
    """The plan folder a command reads: ``--plan`` as given or, under ``--at REV``, the
    revision's plan copied out of git for as long as the command runs (aseanctl/history.py,
    imported only then)."""
    if at is None:
        return plan
    from ..history import open_at

    return str(open_at(at, plan).root)
