"""aseanctl completion, and the answers to a shell's completion requests.

The shell script that ``aseanctl completion SHELL`` prints runs ``aseanctl`` again with
``_ASEANCTL_COMPLETE`` set; :func:`complete` answers that request before any command runs.
Commands, options and fixed words (formats, kinds, languages, status words) come from the
parameters themselves; task, owner, objective and plan ids, periods and git revisions come
from the plan found from the current folder (or ``--plan`` on the line being completed).
Parameters are matched by name, so a command added later that calls its argument ``task``
or its option ``--at`` completes the same way without code here.

A completion request never fails: a broken plan, a missing git or anything unexpected
gives no candidates, never a traceback in the middle of the user's command line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import app, boundary
from .params import Command, LangOption, WordType

if TYPE_CHECKING:
    from typer._click.core import Context, Parameter
    from typer._click.shell_completion import CompletionItem

    from ..model import Workspace

COMPLETE_VAR = "_ASEANCTL_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


@app.command(cls=Command)
@boundary
def completion(
    shell: Annotated[
        str, typer.Argument(click_type=WordType(SHELLS), help="bash, zsh, fish or powershell.", metavar="SHELL")
    ],
    lang: LangOption = None,
) -> None:
    """Print the shell completion script for SHELL.

    Load it from the shell's start-up file; the README shows how for bash, zsh, fish and
    PowerShell. Task, owner and objective ids, periods and git revisions are completed from
    the plan in the current folder. Exit 0, or 2 on a usage error.
    """
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name="aseanctl", complete_var=COMPLETE_VAR, shell=shell))


def requested() -> bool:
    return bool(os.environ.get(COMPLETE_VAR))


def complete() -> int:
    """Answer the completion request in the environment; the exit code the shell expects."""
    try:
        from typer._completion_classes import completion_init
        from typer.completion import shell_complete
        from typer.main import get_command

        completion_init()
        command = get_command(app)
        _attach(command)
        return shell_complete(command, {}, "aseanctl", COMPLETE_VAR, os.environ[COMPLETE_VAR])
    except SystemExit as done:  # fish asks "are there candidates?" through the exit code
        return done.code if isinstance(done.code, int) else 0
    except Exception:
        return 0


# --- where candidates come from ----------------------------------------------------------------


def _workspace(ctx: Context) -> Workspace | None:
    from ..loader import load_workspace, resolve_workspace

    explicit = _param(ctx, "plan")
    return load_workspace(resolve_workspace(explicit)).workspace


def _param(ctx: Context, name: str) -> str | None:
    current: Context | None = ctx
    while current is not None:
        value = current.params.get(name)
        if isinstance(value, str):
            return value
        current = current.parent
    return None


def _tasks(ctx: Context) -> list[tuple[str, str]]:
    ws = _workspace(ctx)
    return [(task.id, task.title or "") for task in ws.tasks() if task.id] if ws else []


def _owners(ctx: Context) -> list[tuple[str, str]]:
    ws = _workspace(ctx)
    return [(owner.id, owner.name or "") for owner in ws.owners if owner.id] if ws else []


def _objectives(ctx: Context) -> list[tuple[str, str]]:
    ws = _workspace(ctx)
    return [(o.id, o.title or "") for p in (ws.plans if ws else ()) for o in p.objectives if o.id]


def _plans(ctx: Context) -> list[tuple[str, str]]:
    ws = _workspace(ctx)
    return [(p.id, p.title or "") for p in (ws.plans if ws else ()) if p.id]


def _periods(ctx: Context) -> list[tuple[str, str]]:
    from ..progress import reporting_periods

    ws = _workspace(ctx)
    found: dict[str, str] = {}
    for plan in ws.plans if ws else ():
        for period in reporting_periods(plan):
            found.setdefault(period.label, "")
        if plan.start and plan.end:
            found.setdefault(f"{plan.start.year}..{plan.end.year}", plan.id or "")
    return list(found.items())


def _revisions(ctx: Context) -> list[tuple[str, str]]:
    """HEAD, then branches, tags and remote branches of the git repository of the current folder."""
    import subprocess  # only when completing: the process module is not free to import

    try:
        done = subprocess.run(
            ["git", "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if done.returncode != 0:
        return []
    return [("HEAD", ""), *((ref, "") for ref in done.stdout.splitlines() if ref)]


# a parameter's name (the Python one) -> where its candidates come from
SOURCES: dict[str, Callable[[Context], list[tuple[str, str]]]] = {
    "task": _tasks,
    "owner": _owners,
    "by": _owners,
    "objective": _objectives,
    "plan_id": _plans,
    "from_plan": _plans,
    "period": _periods,
    "at": _revisions,
    "base": _revisions,
    "head": _revisions,
    "rev": _revisions,
    "revision": _revisions,
}


def _candidates(source: Callable[[Context], list[tuple[str, str]]]) -> Callable[..., list[CompletionItem]]:
    def shell_complete(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        from typer._click.shell_completion import CompletionItem

        try:
            found = source(ctx)
        except Exception:  # a broken plan, an unreadable folder: no candidates, no traceback
            return []
        return [CompletionItem(value) for value, _ in found if value.startswith(incomplete)]

    return shell_complete


def _attach(command: Any) -> None:
    """Give every parameter named in SOURCES its candidates, through the whole command tree."""
    for param in getattr(command, "params", ()):
        source = SOURCES.get(param.name or "")
        if source is not None and getattr(param, "_custom_shell_complete", None) is None:
            param._custom_shell_complete = _candidates(source)
    for sub in getattr(command, "commands", {}).values():
        _attach(sub)
