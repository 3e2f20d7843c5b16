"""Errors that stop a command.  Caught in one place (``aseanctl.cli.main``) and shown as one line."""

from __future__ import annotations

from typing import Any

from .problems import Msg


class AseanctlError(Exception):
    """The tool cannot go on.  Carries a catalogue message and the exit code to leave with."""

    exit_code = 1

    def __init__(self, key: str, **args: Any) -> None:
        super().__init__(key)
        self.msg = Msg(key, args)


class UsageError(AseanctlError):
    """The command line points somewhere that is not usable (no plan, no such path)."""

    exit_code = 2
