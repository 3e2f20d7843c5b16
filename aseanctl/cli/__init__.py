"""The command line: parse options, call the core, format, exit.  Nothing else.

Exit codes: 0 clean; 1 problems found, or the tool could not go on; 2 usage (a bad
option, no plan found, a path that does not exist).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from .. import __version__
from .params import Group

if TYPE_CHECKING:
    from ..problems import Msg

APP_SETTINGS: dict[str, Any] = {
    "name": "aseanctl",
    "help": "Plan-as-code for public action plans: validate the plan, record status, render reports.",
    "no_args_is_help": True,
    "add_completion": False,
    "rich_markup_mode": None,  # plain help: rich's help formatting doubles --help's start-up
    "pretty_exceptions_enable": False,
    "cls": Group,  # a misspelt command: a catalogue line, as a command's own mistakes are
    "context_settings": {"help_option_names": ["-h", "--help"]},
}
app = typer.Typer(**APP_SETTINGS)

F = TypeVar("F", bound=Callable[..., Any])


def boundary(func: F) -> F:
    """The one error boundary: an AseanctlError becomes a one-line message and its exit code.

    A usage error reads as the ones the option types give while Click parses (params.py):
    ``aseanctl: <message>`` in --lang, else ASEANCTL_LANG, else Vietnamese."""

    @wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        from .. import cache
        from ..errors import AseanctlError

        cache.warn = _cache_warning(kwargs.get("lang"))
        try:
            return func(*args, **kwargs)
        except AseanctlError as error:
            from .. import console
            from ..i18n import pick_lang, render

            from ..safetext import visible

            # a message can quote the plan (an id, a file name): shown, never obeyed by the terminal
            console.line(f"aseanctl: {visible(render(error.msg, pick_lang(kwargs.get('lang'))))}", to_stderr=True)
            raise typer.Exit(error.exit_code) from None

    return run  # type: ignore[return-value]


def _cache_warning(lang: str | None) -> Callable[[Msg], None]:
    """The one line saying the cache folder is not used, in the command's language."""

    def warn(msg: Msg) -> None:
        from .. import console
        from ..i18n import pick_lang, render

        console.line(f"aseanctl: {render(msg, pick_lang(lang))}", to_stderr=True)

    return warn


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aseanctl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Plan-as-code for public action plans: validate the plan, record status, render reports."""


# registration order is the order of 'aseanctl --help': status first, then the rest by name
from . import status as _status
from . import collect as _collect
from . import completion
from . import init as _init
from . import diff as _diff  # noqa: F401
from . import log as _log
from . import owners as _owners
from . import report as _report
from . import rules as _rules
from . import schema as _schema
from . import show as _show
from . import update as _update
from . import validate as _validate

_ = (_collect, completion, _init, _log, _owners, _report, _rules, _schema, _show, _status, _update, _validate)


def entry() -> None:
    """The console script (and ``python -m aseanctl``): :func:`main` in a process of its own.

    The cycle collector is off for the command's short life: loading a 10,000-task plan
    allocates a million objects that live until exit, and the collector would only scan
    them again and again.  Reference counting still frees what
    the command drops.  At the end the process leaves without taking that model apart
    object by object, as mypy does: every file aseanctl writes is closed (and
    synced where it matters) before ``main`` returns, and the streams are flushed here.  Under
    a profiler or a coverage tool the exit is the normal one, so that they can save their data."""
    gc.disable()
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, a closed stream
        code = code or 1
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage tool writes its data at a normal exit
    os._exit(code)


def _command_name(info: typer.models.CommandInfo) -> str:
    return info.name or (info.callback.__name__ if info.callback else "")


def app_for(argv: list[str]) -> typer.Typer:
    """The app that runs ``argv``: when it starts with a command's name, an app holding only that
    command, beside the same root options.  Typer turns every registered command into a click
    command on each run, reading its signature and type hints, which costs for every command
    registered (click's documentation suggests the same lazy loading for large CLIs).  Anything
    else (no command, ``--help``, ``--version``, a misspelt command) gets the whole app, which
    lists every command and suggests the nearest."""
    chosen = [info for info in app.registered_commands if argv and _command_name(info) == argv[0]]
    groups = [info for info in app.registered_groups if argv and info.name == argv[0]]  # aseanctl collect …
    if not chosen and not groups:
        return app
    single = typer.Typer(**APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    single.registered_groups = groups
    return single


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; the last guard against a traceback."""
    args = sys.argv[1:] if argv is None else argv
    _prepare_streams(args)
    undecodable = next((arg for arg in args if not _is_text(arg)), None)
    if undecodable is not None:
        sys.stderr.write(f"aseanctl: {_not_utf8(undecodable, args)}\n")
        return 2
    if completion.requested():  # the shell asks for candidates: answered here, never a traceback
        return completion.complete()
    try:
        app_for(args)(args=args, prog_name="aseanctl")
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except KeyboardInterrupt:
        sys.stderr.write("aseanctl: interrupted\n")
        return 130
    except BrokenPipeError:
        return 1
    except Exception as bug:
        from ..safetext import visible

        sys.stderr.write(
            f"aseanctl: internal error: {type(bug).__name__}: {visible(str(bug))}\n"
            "Please report this with the command you ran.\n"
        )
        return 1
    return 0


def _prepare_streams(args: list[str]) -> None:
    """UTF-8 to a file or a pipe, escapes on a console that cannot show Vietnamese (console.py)."""
    from .. import console
    from .params import lang_in

    console.prepare_streams(lang_in([arg for arg in args if _is_text(arg)]))


def _is_text(arg: str) -> bool:
    """False for an argument holding bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which no stream, file name in a message or journal line can encode)."""
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_utf8(arg: str, args: list[str]) -> str:
    """The catalogue line for an argument that is not UTF-8, its bad bytes shown as ``\\xff``,
    in the language the command line asks for (it is not parsed: this comes first)."""
    from ..i18n import pick_lang, t
    from .params import lang_in

    try:
        shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        shown = arg.encode("utf-8", "backslashreplace").decode("ascii")
    return t("cli.not_utf8", pick_lang(lang_in(args)), found=shown)
