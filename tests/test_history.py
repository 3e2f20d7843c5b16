"""--at REV: the plan as it stood at a commit, read from git's objects in a real repository.
Every command's output equals the same command on a checkout of that commit; the working
tree and the index are not touched; links, submodules and hostile revisions are refused."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GIT_ENV, SHIPPED_PLAN
from typer.testing import CliRunner

from aseanctl import history
from aseanctl.cli import app

runner = CliRunner()
TASKS = "plan/kh-702-2021/tasks/nhom-1.yaml"
DAY = "2025-06-30"


pytestmark = pytest.mark.usefixtures("isolated")  # conftest: no git config, plan or language from outside


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout.strip()


def run(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(cwd)
    return runner.invoke(app, [*args, "--lang", "en"], catch_exceptions=False)


def record(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    result = run(repo, monkeypatch, "update", *args, "--author", "Kiểm Thử")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory) -> tuple[Path, Path, str]:
    """(repository, checkout of commit A, A): A has updates, an error and a stray file;
    the next commit and the working tree change the plan again."""
    mp = pytest.MonkeyPatch()
    for name, value in GIT_ENV.items():
        mp.setenv(name, value)
    top = tmp_path_factory.mktemp("history")
    mp.setenv("GIT_CEILING_DIRECTORIES", str(top.parent))
    repo = top / "repo"
    shutil.copytree(SHIPPED_PLAN, repo / "plan")
    git(repo, "init", "-q", "-b", "main")
    record(repo, mp, "N1.1", "--status", "in_progress", "--progress", "40", "--date", "2024-06-30")
    record(repo, mp, "N1.2", "--status", "completed", "--date", "2024-09-30", "--note", "xong | <b>")
    tasks = repo / TASKS
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("lead: so-ldtbxh", "lead: so-khong-co", 1), "utf-8")
    (repo / "plan/kh-702-2021/tasks/cu.yaml.bak").write_text("x: 1\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A")
    commit_a = git(repo, "rev-parse", "HEAD")
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("lead: so-khong-co", "lead: so-ldtbxh"), "utf-8")
    record(repo, mp, "N1.1", "--status", "completed", "--date", "2025-03-31")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "B")
    record(repo, mp, "N1.3", "--status", "in_progress", "--date", "2025-04-30")  # not committed
    checkout = top / "checkout"
    git(top, "clone", "-q", str(repo), str(checkout))
    git(checkout, "checkout", "-q", commit_a)
    mp.undo()
    return repo, checkout, commit_a


COMMANDS = [
    ["validate", "--format", "text"],
    ["validate", "--format", "json"],
    ["validate", "--format", "sarif"],
    ["validate", "plan/kh-702-2021/tasks", "--format", "json"],
    ["status", "--as-of", DAY, "--format", "json"],
    ["status", "--as-of", DAY],
    ["show", "N1.2", "--as-of", DAY, "--format", "json"],
    ["log", "--as-of", DAY, "--format", "csv"],
    ["owners", "--as-of", DAY, "--format", "json"],
    ["report", "--period", "2024", "-o", "-"],
    ["report", "--kind", "assignment", "--period", "2024", "-o", "-"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_at_equals_the_same_command_on_a_checkout(history_repo, monkeypatch, args):
    repo, checkout, commit_a = history_repo
    expected = run(checkout, monkeypatch, *args)
    found = run(repo, monkeypatch, *args, "--at", commit_a)
    assert found.exit_code == expected.exit_code
    assert found.stderr == expected.stderr
    out = found.stdout
    if args[0] == "report":
        stamp, _, out = out.partition("\n")
        assert stamp == f"<!-- aseanctl: built from commit {commit_a} -->"
    assert out == expected.stdout
    assert expected.stdout  # something was compared


def test_the_commit_differs_from_the_working_tree(history_repo, monkeypatch):
    repo, _, commit_a = history_repo
    now = json.loads(run(repo, monkeypatch, "status", "--as-of", DAY, "-f", "json").stdout)
    then = json.loads(run(repo, monkeypatch, "status", "--as-of", DAY, "-f", "json", "--at", commit_a).stdout)
    assert now != then
    assert run(repo, monkeypatch, "validate", "--at", commit_a).exit_code == 1  # the error A had
    assert run(repo, monkeypatch, "validate").exit_code == 0


def test_the_working_tree_and_the_index_are_not_touched(history_repo, monkeypatch):
    repo, _, commit_a = history_repo
    index = (repo / ".git/index").read_bytes()
    before = git(repo, "status", "--porcelain=v1", "--untracked-files=all")
    files = {p: p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.parts}
    for args in COMMANDS:
        run(repo, monkeypatch, *args, "--at", commit_a)
    assert (repo / ".git/index").read_bytes() == index
    assert git(repo, "status", "--porcelain=v1", "--untracked-files=all") == before
    assert {p: p.read_bytes() for p in files} == files


def test_the_private_copy_is_gone_after_the_command(history_repo, monkeypatch):
    repo, _, commit_a = history_repo
    run(repo, monkeypatch, "status", "--at", commit_a)
    folder = Path(os.environ["ASEANCTL_CACHE_DIR"]) / "at"
    assert not [p for p in folder.rglob("*") if p.is_file() and p.suffix != ".lock"]


def test_a_report_records_its_commit_in_word_and_goes_to_the_repository(history_repo, monkeypatch, tmp_path):
    import docx

    repo, _, commit_a = history_repo
    out = tmp_path / "r.docx"
    assert (
        run(repo, monkeypatch, "report", "-f", "docx", "--period", "2024", "--at", commit_a, "-o", str(out)).exit_code
        == 0
    )
    properties = docx.Document(str(out)).core_properties
    assert properties.identifier == commit_a and commit_a in properties.comments
    result = run(repo, monkeypatch, "report", "--period", "2024", "--at", commit_a)
    assert result.exit_code == 0
    [written] = (repo / "reports").glob("*.md")  # in the repository, not in the private copy
    assert written.read_text(encoding="utf-8").startswith(f"<!-- aseanctl: built from commit {commit_a} -->\n")
    shutil.rmtree(repo / "reports")
    plain = run(repo, monkeypatch, "report", "--period", "2024", "-o", "-").stdout
    assert "built from commit" not in plain  # only a report built from a commit says so


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SHIPPED_PLAN, repo / "plan")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "plan")
    return repo


def test_links_and_submodules_in_a_commit_are_reported_never_followed(small_repo, monkeypatch, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("owners: [not, a, plan]\n", encoding="utf-8")
    (small_repo / "plan/kh-702-2021/tasks/evil.yaml").symlink_to(secret)
    head = git(small_repo, "rev-parse", "HEAD")
    git(small_repo, "add", "-A")
    git(small_repo, "update-index", "--add", "--cacheinfo", f"160000,{head},plan/kh-702-2021/tasks/sub")
    git(small_repo, "commit", "-q", "-m", "links")
    (small_repo / "plan/kh-702-2021/tasks/evil.yaml").unlink()
    result = run(small_repo, monkeypatch, "validate", "--at", "HEAD", "--format", "json")
    found = {(p["file"], p["rule"]) for p in json.loads(result.stdout)["problems"]}
    assert found == {
        ("plan/kh-702-2021/tasks/evil.yaml", "stray-file"),
        ("plan/kh-702-2021/tasks/sub", "stray-file"),
    }
    text = run(small_repo, monkeypatch, "validate", "--at", "HEAD").stdout
    assert "is a link in the commit and was not read" in text
    assert "is a submodule in the commit and was not read" in text


@pytest.mark.parametrize(
    ("rev", "message"),
    [
        ("--output=OUT", "unknown revision '--output=OUT'"),
        ("-p", "unknown revision '-p'"),
        ("HEAD:plan", "unknown revision 'HEAD:plan'"),  # a tree, not a commit
        ("no-such-branch", "unknown revision 'no-such-branch'"),
        ("HEAD\x1b[2J", "unknown revision 'HEAD\\x1b[2J'"),
    ],
)
def test_a_hostile_or_unknown_revision_is_one_line_and_exit_2(small_repo, monkeypatch, tmp_path, rev, message):
    out = tmp_path / "OUT"
    for command in (["status"], ["validate"], ["report", "-o", "-"]):
        result = run(small_repo, monkeypatch, *command, f"--at={rev.replace('OUT', str(out))}")
        assert result.exit_code == 2
        expected = f"aseanctl: {message.replace('OUT', str(out))}: no such commit, tag or branch in the repository\n"
        assert result.stderr == expected
        assert result.stdout == ""
    assert not out.exists()


def test_outside_a_git_repository_is_one_line_and_exit_2(tmp_path, monkeypatch):
    shutil.copytree(SHIPPED_PLAN, tmp_path / "plan")
    result = run(tmp_path, monkeypatch, "status", "--at", "HEAD")
    assert result.exit_code == 2
    assert result.stderr.startswith("aseanctl: ") and "is not in a git repository" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_revision_without_a_plan_is_exit_2(small_repo, monkeypatch):
    git(small_repo, "rm", "-q", "-r", "plan")
    git(small_repo, "commit", "-q", "-m", "gone")
    (small_repo / "plan").mkdir()
    shutil.copytree(SHIPPED_PLAN, small_repo / "plan", dirs_exist_ok=True)
    result = run(small_repo, monkeypatch, "status", "--at", "HEAD")
    assert result.exit_code == 2 and "no plan at HEAD" in result.stderr
    assert run(small_repo, monkeypatch, "status", "--at", "HEAD~1").exit_code == 0


@pytest.mark.parametrize("limit", ["MAX_BYTES", "MAX_FILES"])
def test_a_revision_over_the_size_limit_is_refused(small_repo, monkeypatch, limit):
    monkeypatch.setattr(history, limit, 5)
    result = run(small_repo, monkeypatch, "status", "--at", "HEAD")
    assert result.exit_code == 1 and "is too large" in result.stderr


def test_plan_option_and_a_plan_folder_below_the_top(small_repo, monkeypatch, tmp_path):
    result = run(tmp_path, monkeypatch, "status", "--plan", str(small_repo / "plan"), "--at", "HEAD", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["tasks"]
    inside = run(small_repo / "plan/kh-702-2021/tasks", monkeypatch, "status", "--at", "HEAD", "-f", "json")
    assert inside.stdout == result.stdout


def test_paths_that_could_leave_the_folder_are_not_written():
    assert history._safe("plan/a.yaml")
    for bad in ("../x", "plan/../../x", "/etc/passwd", "plan/.git/config", "plan//x", "plan/./x"):
        assert not history._safe(bad)
