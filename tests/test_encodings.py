"""Any console, any redirect (issue 14): output never fails on an encoding.

``aseanctl status > status.txt`` on a Windows PC whose locale is not UTF-8 gives Python a
cp1252 (or cp1258) stdout: every command used to end in ``internal error:
UnicodeEncodeError`` at the first Vietnamese letter.  A file or a pipe now always gets
UTF-8; a terminal that cannot show Vietnamese gets escapes and one hint.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aseanctl import console
from aseanctl.cli import main

REPO = Path(__file__).resolve().parents[1]
PLAN = str(REPO / "plan")

# every command, each with the exit code it should end with and a piece of the Vietnamese it
# prints (None: the output is ASCII) on stdout, or, for the error, on stderr
COMMANDS: list[tuple[list[str], int, str | None, str | None]] = [
    (["validate", "--plan", PLAN], 0, "Kế hoạch hợp lệ", None),
    (["status", "--plan", PLAN, "--as-of", "2024-12-01"], 0, "Tình hình thực hiện", None),
    (["status", "--plan", PLAN, "--as-of", "2024-12-01", "-f", "csv"], 0, "Tham gia xây dựng", None),
    (["show", "N1.1", "--plan", PLAN, "--as-of", "2024-12-01"], 0, "Tham gia xây dựng", None),
    (["log", "--plan", PLAN], 0, "Không có cập nhật", None),
    (["owners", "--plan", PLAN, "--as-of", "2024-12-01"], 0, "Sở", None),
    (["rules"], 0, "Tệp kế hoạch", None),
    (["schema", "tasks"], 0, "cơ quan chủ trì", None),
    (["report", "--plan", PLAN, "--period", "2024", "-o", "-"], 0, "UBND TỈNH AN GIANG", None),
    (["update", "--help"], 0, "đang triển khai", None),
    (["--version"], 0, None, None),
    (["--help"], 0, None, None),
    (["status", "--plan", PLAN, "--owner", "khong-co"], 2, None, "không có cơ quan 'khong-co'"),
]


@pytest.mark.parametrize("encoding", ["cp1252", "cp1258"])
def test_every_command_writes_utf8_to_a_file_whatever_the_locale(tmp_path, encoding):
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"}
    env.pop("ASEANCTL_LANG", None)
    env.pop("FORCE_COLOR", None)
    wrong: list[tuple[object, ...]] = []
    for number, (args, code, expected, expected_err) in enumerate(COMMANDS):
        out, err = tmp_path / f"out-{number}.txt", tmp_path / f"err-{number}.txt"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            done = subprocess.run(
                [sys.executable, "-m", "aseanctl", *args], stdout=stdout, stderr=stderr, env=env, cwd=tmp_path
            )
        try:
            text, errors = out.read_bytes().decode("utf-8"), err.read_bytes().decode("utf-8")
        except UnicodeDecodeError as bad:
            wrong.append((args, f"not UTF-8: {bad}"))
            continue
        if done.returncode != code or "internal error" in errors:
            wrong.append((args, done.returncode, errors[-300:]))
        elif expected is not None and expected not in text:
            wrong.append((args, "stdout lacks " + expected, text[:200]))
        elif expected_err is not None and expected_err not in errors:
            wrong.append((args, "stderr lacks " + expected_err, errors))
        elif expected is None and not text.isascii():
            wrong.append((args, "unexpected text", text[:200]))
    assert wrong == []


class _Terminal(io.TextIOWrapper):
    """A standard stream on a terminal of some encoding, as Python opens it (errors strict)."""

    def isatty(self) -> bool:
        return True


def _terminal(encoding: str) -> _Terminal:
    return _Terminal(io.BytesIO(), encoding=encoding, errors="strict", write_through=True)


def _written(stream: _Terminal) -> bytes:
    stream.flush()
    return stream.buffer.getvalue()  # type: ignore[attr-defined]


@pytest.fixture
def terminal(monkeypatch):
    """stdout and stderr on a terminal whose encoding the test chooses; rich's Consoles made anew."""

    def use(encoding: str) -> tuple[_Terminal, _Terminal]:
        out, err = _terminal(encoding), _terminal(encoding)
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        console.stdout.cache_clear()
        console.stderr.cache_clear()
        return out, err

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    console.stdout.cache_clear()
    console.stderr.cache_clear()
    yield use
    console.stdout.cache_clear()
    console.stderr.cache_clear()


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--plan", PLAN, "--as-of", "2024-12-01"],
        ["validate", "--plan", PLAN],
        ["rules"],
        ["status", "--plan", PLAN, "--owner", "khong-co"],
    ],
    ids=["status", "validate", "rules", "error"],
)
def test_a_legacy_console_gets_escapes_and_one_hint(terminal, args):
    """A terminal in cp1252 cannot show 'ế': it reads '\\u1ebf', after one line saying how to
    switch to UTF-8 (in English: the Vietnamese line would not show either)."""
    out, err = terminal("cp1252")
    code = main(args)
    shown, said = _written(out).decode("cp1252"), _written(err).decode("cp1252")
    assert code == (2 if "--owner" in args else 0), said
    assert "internal error" not in said
    assert "\\u1e" in shown + said  # Vietnamese letters as escapes, not as mojibake
    assert said.count("chcp 65001") == 1
    assert said.splitlines()[0] == (
        "aseanctl: this console's encoding (cp1252) cannot show Vietnamese: letters it lacks are "
        "written as \\u1ebf; switch it to UTF-8 ('chcp 65001' on Windows, or set PYTHONUTF8=1)"
    )
    out, err = terminal("utf-8")  # a console that shows Vietnamese: the letters, and no hint
    assert main(args) == code
    shown, said = _written(out).decode("utf-8"), _written(err).decode("utf-8")
    assert "\\u1e" not in shown + said and not (shown + said).isascii()
    assert "chcp" not in said


def test_a_redirected_stream_becomes_utf8(monkeypatch):
    """Not a terminal: UTF-8 whatever the locale, and a lone surrogate never raises."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="cp1258", errors="strict", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="cp1258", errors="strict", write_through=True)
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    console.prepare_streams()
    print("Tiến độ \udcff", file=out)
    assert (out.encoding, err.encoding) == ("utf-8", "utf-8")
    assert out.buffer.getvalue() == "Tiến độ \\udcff\n".encode()
    assert err.buffer.getvalue() == b""
