"""One command line: every command parses days, counts, words and the language the same way,
and refuses a bad value with the same kind of line (the catalogue's, exit code 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aseanctl.cli import app, main

REPO = Path(__file__).resolve().parents[1]
PLAN = str(REPO / "plan")
runner = CliRunner()

# every command, with what it needs to get as far as parsing its options
COMMANDS = {
    "validate": ["validate", "--plan", PLAN],
    "update": ["update", "N1.1", "--note", "x", "--plan", PLAN],
    "status": ["status", "--plan", PLAN],
    "show": ["show", "N1.1", "--plan", PLAN],
    "log": ["log", "--plan", PLAN],
    "owners": ["owners", "--plan", PLAN],
    "report": ["report", "-o", "-", "--plan", PLAN],
    "rules": ["rules"],
    "schema": ["schema"],
}
# (command, option) for every option that takes a day
DAY_OPTIONS = [
    ("status", "--as-of"),
    ("show", "--as-of"),
    ("log", "--as-of"),
    ("log", "--since"),
    ("log", "--until"),
    ("owners", "--as-of"),
    ("report", "--as-of"),
    ("update", "--date"),
]
VIEWS = ["status", "show", "log", "owners"]


def invoke(args: list[str], env: dict[str, str] | None = None):
    return runner.invoke(app, args, catch_exceptions=False, env={"ASEANCTL_LANG": "", **(env or {})})


def refused(result, line: str) -> None:
    """A usage error as the user sees it: that one line on stderr, nothing on stdout, exit 2."""
    assert (result.exit_code, result.stderr, result.stdout) == (2, f"aseanctl: {line}\n", "")


# --- days ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["20241201", "2024-W48-7", "2024W487", "2024-12", "2024-12-01T00:00", "01.12.2024"])
@pytest.mark.parametrize(("command", "option"), DAY_OPTIONS, ids=lambda v: str(v))
def test_a_day_is_yyyy_mm_dd_for_every_command(command: str, option: str, text: str) -> None:
    result = invoke([*COMMANDS[command], option, text, "--lang", "en"])
    refused(result, f"{option}: '{text}' is not a date YYYY-MM-DD")


@pytest.mark.parametrize(("command", "option"), DAY_OPTIONS, ids=lambda v: str(v))
def test_a_bad_day_is_said_in_vietnamese_by_default(command: str, option: str) -> None:
    refused(invoke([*COMMANDS[command], option, "20241201"]), f"{option}: '20241201' không phải ngày YYYY-MM-DD")


@pytest.mark.parametrize(("command", "option"), DAY_OPTIONS, ids=lambda v: str(v))
@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
def test_a_day_far_out_is_a_usage_error_not_an_internal_one(command: str, option: str, text: str) -> None:
    result = invoke([*COMMANDS[command], option, text, "--lang", "en"])
    refused(result, f"{option}: '{text}' is outside the days aseanctl works with (1900-01-01 – 2999-12-31)")


@pytest.mark.parametrize("command", VIEWS)
def test_the_vietnamese_day_the_tool_prints_is_read_back(command: str) -> None:
    args = [*COMMANDS[command], "--format", "json", "--lang", "en"]
    iso = invoke([*args, "--as-of", "2024-12-01"])
    assert iso.exit_code == 0, iso.output
    for text in ("01/12/2024", "1/12/2024", " 01/12/2024 "):
        assert invoke([*args, "--as-of", text]).stdout == iso.stdout


def test_report_reads_the_vietnamese_day_too() -> None:
    iso = invoke([*COMMANDS["report"], "--as-of", "2024-12-01"])
    assert iso.exit_code == 0, iso.output
    assert invoke([*COMMANDS["report"], "--as-of", "01/12/2024"]).stdout == iso.stdout


def test_update_records_the_vietnamese_day_as_iso(shipped_copy: Path) -> None:
    result = invoke(
        ["update", "N1.1", "--note", "x", "--date", "1/6/2024", "--author", "a", "--plan", str(shipped_copy)]
    )
    assert result.exit_code == 0, result.output
    record = json.loads((shipped_copy / "kh-702-2021" / "journal" / "2024.jsonl").read_text("utf-8").splitlines()[-1])
    assert record["date"] == "2024-06-01"


@pytest.mark.parametrize("text", ["31/02/2024", "32/01/2024", "01/13/2024", "2024/12/01"])
def test_a_vietnamese_day_that_is_not_a_day_is_refused(text: str) -> None:
    refused(
        invoke([*COMMANDS["status"], "--as-of", text, "--lang", "en"]), f"--as-of: '{text}' is not a date YYYY-MM-DD"
    )


# --- counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", VIEWS)
@pytest.mark.parametrize("text", ["99999999999999999999", "36501", "-1", "1e3", "ten", "٣"])
def test_stale_days_is_a_bounded_whole_number(command: str, text: str) -> None:
    result = invoke([*COMMANDS[command], "--stale-days", text, "--lang", "en"])
    refused(result, f"--stale-days: '{text}' is not a whole number from 0 to 36500")


@pytest.mark.parametrize("command", VIEWS)
def test_stale_days_up_to_a_century_works(command: str) -> None:
    result = invoke([*COMMANDS[command], "--stale-days", "36500", "--as-of", "1900-01-01", "-f", "json"])
    assert result.exit_code == 0, result.output


# --- languages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_bad_language_is_said_in_the_default_language(command: str) -> None:
    refused(invoke([*COMMANDS[command], "--lang", "fr"]), "--lang: 'fr' không hợp lệ; dùng: vi, en")
    refused(
        invoke([*COMMANDS[command], "--lang", "fr"], {"ASEANCTL_LANG": "en"}), "--lang: 'fr' is not valid; use: vi, en"
    )


@pytest.mark.parametrize(("command", "option"), DAY_OPTIONS, ids=lambda v: str(v))
def test_the_language_given_after_the_mistake_still_counts(command: str, option: str) -> None:
    args = COMMANDS[command]
    # --lang before the command's required argument, the bad value first
    result = invoke([args[0], option, "June", *args[1:], "--lang", "en"])
    refused(result, f"{option}: 'June' is not a date YYYY-MM-DD")


# --- words --------------------------------------------------------------------------------------

FORMATS = {
    "validate": "auto, text, json, github, sarif",
    "status": "table, json, csv, xlsx",
    "show": "table, json, csv, xlsx",
    "log": "table, json, csv, xlsx",
    "owners": "table, json, csv, xlsx",
    "report": "md, docx",
    "rules": "text, json",
}
STATUSES = "not_started, in_progress, completed, recurring, suspended, change_requested"


@pytest.mark.parametrize("command", sorted(FORMATS))
def test_a_bad_format_is_the_same_line_everywhere(command: str) -> None:
    result = invoke([*COMMANDS[command], "--format", "xml", "--lang", "en"])
    refused(result, f"--format: 'xml' is not valid; use: {FORMATS[command]}")
    result = invoke([*COMMANDS[command], "-f", "xml"])
    refused(result, f"--format: 'xml' không hợp lệ; dùng: {FORMATS[command]}")


@pytest.mark.parametrize("command", ["status", "log", "owners", "update"])
def test_a_bad_status_word_is_the_same_line_everywhere(command: str) -> None:
    refused(
        invoke([*COMMANDS[command], "-s", "xong", "--lang", "en"]), f"--status: 'xong' is not valid; use: {STATUSES}"
    )


@pytest.mark.parametrize("command", ["status", "owners"])
@pytest.mark.parametrize("word", ["in_progress", "in-progress", "In Progress", "đang triển khai"])
def test_status_words_are_read_one_way(command: str, word: str) -> None:
    base = [*COMMANDS[command], "--as-of", "2024-12-01", "-f", "json"]
    assert invoke([*base, "-s", word]).stdout == invoke([*base, "-s", "in_progress"]).stdout


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        # "rolled out": as often still in progress as completed; it was stored as completed
        ("đã triển khai", "đang triển khai"),
        ("điều chỉnh", "đề nghị điều chỉnh"),  # "adjust" or "adjusted": not only a change requested
    ],
)
@pytest.mark.parametrize("command", ["status", "update"])
def test_a_word_that_can_mean_another_status_is_refused_with_a_hint(command: str, word: str, hint: str) -> None:
    refused(
        invoke([*COMMANDS[command], "-s", word, "--lang", "en"]),
        f"--status: '{word}' is not valid (did you mean '{hint}'?); use: {STATUSES}",
    )


@pytest.mark.parametrize("word", ["dang trien khai", "DA HOAN THANH", "hoàn thành", "done"])
def test_update_reads_status_words_as_collect_does(word: str) -> None:
    """One reader for update and collect read's forms: a label without diacritics reads in both."""
    from aseanctl import schema
    from aseanctl.collect import parse_status
    from aseanctl.i18n import parse_word

    assert parse_word("status", word, schema.STATUSES) == parse_status(word) is not None


def test_report_kind_and_schema_kind_refuse_with_the_catalogue() -> None:
    refused(
        invoke([*COMMANDS["report"], "--kind", "budget", "--lang", "en"]),
        "--kind: 'budget' is not valid; use: progress, assignment, owner-request",
    )
    refused(
        invoke(["schema", "task", "--lang", "en"]),
        "KIND: 'task' is not valid; use: owners, plan, tasks, journal, report-settings, report-input",
    )
    refused(
        invoke(["rules", "yaml-synta", "--lang", "en"]), "there is no rule 'yaml-synta' (did you mean 'yaml-syntax'?)"
    )


def test_update_health_words_are_checked_while_parsing() -> None:
    refused(
        invoke([*COMMANDS["update"], "--health", "blue", "--lang", "en"]),
        "--health: 'blue' is not valid; use: green, amber, red",
    )


# --- click's own parsing ------------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_click_parse_errors_are_catalogue_lines_too(command: str) -> None:
    args = COMMANDS[command]
    refused(
        invoke([*args, "--no-such-thing", "--lang", "en"]),
        f"no such option --no-such-thing; see 'aseanctl {command} -h'",
    )
    refused(invoke([*args, "--lang"]), "--lang cần một giá trị")


def test_missing_argument_and_extra_argument() -> None:
    refused(invoke(["show", "--lang", "en"]), "TASK is missing; see 'aseanctl show -h'")
    refused(invoke(["status", "N1.1", "--lang", "en"]), "unexpected argument: N1.1; see 'aseanctl status -h'")
    refused(invoke(["status", "--overdue=yes", "--lang", "en"]), "--overdue does not take a value")
    refused(
        invoke(["status", "--stat", "x", "--lang", "en"]),
        "no such option --stat (did you mean '--status'?); see 'aseanctl status -h'",
    )


def test_a_misspelt_command_is_a_catalogue_line_too(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # it was click's English three-line usage block, whatever --lang said
    monkeypatch.delenv("ASEANCTL_LANG", raising=False)
    for args, line in (
        (["reprot"], "aseanctl: không có lệnh 'reprot' (ý bạn là 'report'?); xem 'aseanctl -h'"),
        (["reprot", "--lang", "en"], "aseanctl: no such command 'reprot' (did you mean 'report'?); see 'aseanctl -h'"),
        (
            ["collect", "sned", "--lang", "en"],
            "aseanctl: no such command 'sned' (did you mean 'send'?); see 'aseanctl collect -h'",
        ),
        (["--vesion"], "aseanctl: không có tùy chọn --vesion (ý bạn là '--version'?); xem 'aseanctl -h'"),
        (["--lang", "en", "status"], "aseanctl: no such option --lang; see 'aseanctl -h'"),
        (["collect", "--bogus"], "aseanctl: không có tùy chọn --bogus; xem 'aseanctl collect -h'"),
    ):
        assert main(args) == 2, args
        captured = capsys.readouterr()
        assert (captured.out, captured.err) == ("", line + "\n"), args


# --- bytes that are not UTF-8 -------------------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_argument_that_is_not_utf8_is_a_usage_error(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*COMMANDS[command], "N1\udcff", "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "aseanctl: the command-line argument 'N1\\xff' is not UTF-8 text\n")


def test_real_bytes_on_the_command_line(tmp_path: Path) -> None:
    env = {**os.environ, "ASEANCTL_LANG": "en", "PYTHONUTF8": "1"}
    args: list[str | bytes] = [sys.executable, "-m", "aseanctl", "update", b"N1\xff", "-s", "completed", "--plan", PLAN]
    done = subprocess.run(args, capture_output=True, env=env, cwd=tmp_path, check=False)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr == b"aseanctl: the command-line argument 'N1\\xff' is not UTF-8 text\n"
