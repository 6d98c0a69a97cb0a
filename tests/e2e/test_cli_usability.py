"""The command line as a user meets it (issue 11, item 9): a comment per material in the offline
review, and an approval never signed with a rejection's reason; states and roles in Chinese
(JSON keeps the codes); `show` readable; a closed pipe ends quietly; `export` and `verify` say
what they expect; core messages carry the command as a hint the CLI appends."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CliResult, ReviewOffice, ZichaCli, db_snapshot


def assert_one_line(result: CliResult, code: int | tuple[int, ...], *needles: str) -> None:
    codes = code if isinstance(code, tuple) else (code,)
    assert result.returncode in codes, str(result)
    assert result.stdout == "" and result.stderr.count("\n") == 1, str(result)
    assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, str(result)
    for needle in needles:
        assert needle in result.stderr, str(result)


@dataclass
class Office:
    """A copy of the review office: the clerk's archive and everybody's commands."""

    cli: ZichaCli
    office: ReviewOffice
    root: Path
    base: Path

    @property
    def ids(self) -> dict[str, int]:
        return self.office.ids

    def person(self, name: str, cwd: Path | None = None) -> ZichaCli:
        return self.cli.as_person(name, self.office.homes[name], cwd=cwd)

    def at_archive(self, name: str, *args: str | int | Path) -> CliResult:
        return self.person(name).run(*map(str, args), "--archive", self.root)

    def package(self, stage: str = "first") -> Path:
        out = self.base / f"{stage}.zip"
        self.at_archive("经办人甲", "package", "export", "--stage", stage, "--out", out
                        ).succeeded()
        return out

    def review(self, name: str, package: Path, *args: str | int | Path,
               out: str = "决定.json") -> tuple[CliResult, Path]:
        """`name` reviews `package` on their own PC (a folder with the package, no archive)."""
        pc = self.base / f"{name}的电脑"
        pc.mkdir(exist_ok=True)
        if not (pc / package.name).exists():
            shutil.copy(package, pc / package.name)
        result = self.person(name, cwd=pc).run("package", "review", package.name, "--as", name,
                                               *map(str, args), "--out", out)
        return result, pc / out


@pytest.fixture
def office(zicha_cli: ZichaCli, review_office: ReviewOffice, tmp_path: Path) -> Office:
    return Office(zicha_cli, review_office, review_office.copy(tmp_path / "档案"), tmp_path)


def comments_signed(decisions: dict) -> dict[int, str]:
    return {d["id"]: d["comment"] for d in decisions["decisions"]}


# -- 1. a comment per material ----------------------------------------------------------------

def test_the_run_comment_goes_to_the_rejection_only(office: Office) -> None:
    """The issue's own example: `--approve 1 2 --reject 7 --comment 字体异常` used to sign 字体异常
    onto every approval, and it reached the 《测评材料提交表》."""
    plan, notice = office.ids["方案"], office.ids["通知"]
    package = office.package()
    result, out = office.review("初审甲", package, "--approve", plan, "--reject", notice,
                                "--comment", "字体异常", "--json")
    assert comments_signed(result.succeeded().json()) == {plan: "", notice: "字体异常"}
    office.at_archive("经办人甲", "package", "apply", out).succeeded()
    # what the archive holds (and the export prints) is what was signed
    [approved] = office.cli.ok_json("history", plan, "--archive", office.root)
    [rejected] = office.cli.ok_json("history", notice, "--archive", office.root)
    assert (approved["verdict"], approved["comment"]) == ("approve", "")
    assert (rejected["verdict"], rejected["comment"]) == ("reject", "字体异常")


def test_each_material_its_own_comment(office: Office) -> None:
    plan, notice = office.ids["方案"], office.ids["通知"]
    package = office.package()
    result, out = office.review("初审甲", package, "--approve", f"{plan}:材料齐全，同意",
                                "--reject", f"{notice}：缺少盖章页: 第2页")
    text = result.succeeded().stdout
    # the plain text says what was signed, per material, in Chinese
    for material_id, said in ((plan, "初审通过  意见：材料齐全，同意"),
                              (notice, "初审退回  意见：缺少盖章页: 第2页")):
        assert re.search(rf"^#{material_id}\t《[^》]+》 {said}$", text, re.M), text
    office.at_archive("经办人甲", "package", "apply", out).succeeded()
    [approved] = office.cli.ok_json("history", plan, "--archive", office.root)
    assert approved["comment"] == "材料齐全，同意"


def test_an_unused_run_comment_is_refused(office: Office) -> None:
    plan, notice = office.ids["方案"], office.ids["通知"]
    package = office.package()
    result, out = office.review("初审甲", package, "--approve", f"{plan}:同意",
                                "--reject", f"{notice}:缺少盖章页", "--comment", "同意上报")
    assert_one_line(result, 2, "--comment 没有用上")
    assert not out.exists()


def test_the_run_comment_goes_to_approvals_when_every_rejection_has_its_own(
        office: Office) -> None:
    plan, notice = office.ids["方案"], office.ids["通知"]
    package = office.package()
    result, _ = office.review("初审甲", package, "--approve", plan, "--reject",
                              f"{notice}:缺少盖章页", "--comment", "同意", "--json")
    assert comments_signed(result.succeeded().json()) == {plan: "同意", notice: "缺少盖章页"}


def test_a_comments_file_in_gb18030(office: Office) -> None:
    plan, notice = office.ids["方案"], office.ids["通知"]
    package = office.package()
    pc = office.base / "初审甲的电脑"
    pc.mkdir()
    (pc / "意见.txt").write_bytes(
        f"# 初审意见\n\n{plan}\t材料齐全\n{notice}：缺少盖章页\n".encode("gb18030"))
    result, out = office.review("初审甲", package, "--approve", plan, "--reject", notice,
                                "--comments", "意见.txt", "--json")
    assert comments_signed(result.succeeded().json()) == {plan: "材料齐全", notice: "缺少盖章页"}
    office.at_archive("经办人甲", "package", "apply", out).succeeded()
    [rejected] = office.cli.ok_json("history", notice, "--archive", office.root)
    assert rejected["comment"] == "缺少盖章页"


@pytest.mark.parametrize(("lines", "needles"), [
    ("{plan}\t同意\n字体异常\n", ["意见.txt 第 2 行", "字体异常", "格式不对", "7:字体异常"]),
    ("{plan}:\n", ["第 1 行", "没有写意见"]),
    ("{plan}:同意\n\n{plan}:再说一次\n", ["第 3 行", "在第 1 行已有意见"]),
    ("99:同意\n", ["材料 #99", "没有指定通过还是退回", "用 --approve 99 或 --reject 99"]),
])
def test_a_wrong_comments_file_is_refused_naming_the_line(office: Office, lines: str,
                                                          needles: list[str]) -> None:
    plan = office.ids["方案"]
    package = office.package()
    pc = office.base / "初审甲的电脑"
    pc.mkdir()
    (pc / "意见.txt").write_text(lines.format(plan=plan), encoding="utf-8")
    result, out = office.review("初审甲", package, "--approve", plan, "--comments", "意见.txt")
    assert_one_line(result, 1, *needles)
    assert not out.exists()


def test_wrong_choices_are_refused(office: Office) -> None:
    plan, notice = office.ids["方案"], office.ids["通知"]
    package = office.package()
    cases = [
        (["--approve", f"{plan}x"], ["不是材料编号", "7:意见"]),
        (["--reject", f"{notice}:"], ["冒号后没有意见"]),
        (["--approve", plan, "--reject", f"{notice}"], ["退回时必须写明原因",
                                                      "--reject 编号:意见"]),
        (["--approve", f"{plan}:甲", f"{plan}:乙"], ["两条不同的意见"]),
        (["--approve", plan, "--comments", "没有这个文件.txt"], ["找不到意见文件"]),
    ]
    for args, needles in cases:
        result, out = office.review("初审甲", package, *args)
        assert_one_line(result, (1, 2), *needles)
        assert not out.exists()


# -- 2. states and roles in Chinese, codes in JSON -------------------------------------------

def test_states_and_roles_print_in_chinese(office: Office) -> None:
    ids = office.ids
    listed = office.cli.ok("list", "--archive", office.root).stdout
    assert f"#{ids['方案']}\t01\t待初审\t" in listed and "\t草稿\t" in listed
    assert "submitted" not in listed and "draft" not in listed
    assert {m["state"] for m in office.cli.ok_json("list", "--archive", office.root)} == {
        "submitted", "draft"}
    # --stage takes the Chinese label too
    drafts = office.cli.ok_json("list", "--stage", "草稿", "--archive", office.root)
    assert [m["id"] for m in drafts] == [ids["草稿"]]

    roster = office.cli.ok("user", "--archive", office.root).stdout
    assert "初审甲\t市委宣传部\t初审（限市委宣传部）\t" in roster
    assert "王经办\t市文明办\t经办人、初审\t" in roster
    assert "first" not in roster and "clerk" not in roster
    assert {tuple(p["roles"]) for p in office.cli.ok_json("user", "--archive", office.root)
            } >= {("first@市委宣传部",), ("clerk", "first")}

    decided = office.at_archive("初审甲", "review", ids["方案"], "--as", "初审甲", "--approve")
    assert decided.succeeded().stdout == f"材料 #{ids['方案']}：初审通过，现为待复审\n"
    history = office.cli.ok("history", ids["方案"], "--archive", office.root).stdout
    assert history.startswith("第1轮 初审通过 初审甲 ") and "✔" in history
    [entry] = office.cli.ok_json("history", ids["方案"], "--archive", office.root)
    assert (entry["stage"], entry["verdict"]) == ("first", "approve")


# -- 3. show ----------------------------------------------------------------------------------

def test_show_prints_readable_fields(office: Office) -> None:
    plan = office.ids["草稿"]  # a draft may be edited
    source = office.office.sources["草稿"].read_bytes()
    office.cli.ok("edit", plan, "--doc-number", "吴文明〔2024〕3号", "--date", "2024-05-20",
                  "--type", "方案计划", "--description", "全市文明交通行动的方案",
                  "--caption-place", "人民广场", "--archive", office.root)
    title = office.cli.ok_json("show", plan, "--archive", office.root)["title"]
    text = office.cli.ok("show", plan, "--archive", office.root).stdout
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == f"材料 #{plan}"
    for expected in (f"名称：{title}", "文号：吴文明〔2024〕3号", "日期：2024-05-20",
                     "责任单位：市委宣传部", "类型：方案计划", "状态：草稿",
                     "说明：全市文明交通行动的方案", "图片说明：地点 人民广场",
                     f"SHA-256 {hashlib.sha256(source).hexdigest()}"):
        assert expected in lines, text
    assert any(line.startswith("测评内容：01 ") for line in lines), text
    assert any(line.startswith("草稿.pdf  PDF，") and f"{len(source):,} 字节" in line
               for line in lines), text
    assert "{" not in text and "'" not in text  # no dict dump
    data = office.cli.ok_json("show", plan, "--archive", office.root)
    assert data["state"] == "draft" and data["doc_number"] == "吴文明〔2024〕3号"
    assert data["files"][0]["sha256"] == hashlib.sha256(source).hexdigest()


# -- 4. a closed pipe -------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["list"], ["search", "文明"], ["show", "1"], ["user"],
                                  ["list", "--json"]])
def test_a_closed_pipe_ends_quietly(office: Office, args: list[str]) -> None:
    # the reader has gone before the command writes anything: every write fails
    proc = subprocess.Popen(office.cli.command(*args, "--archive", office.root),
                            cwd=office.cli.cwd, env=office.cli.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 141
    assert err == b""


def test_piped_to_head(office: Office) -> None:
    for args in (["list"], ["search", "文明"]):
        command = " ".join(f"'{a}'" for a in office.cli.command(*args, "--archive",
                                                                office.root))
        proc = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -1"],
                              cwd=office.cli.cwd, env=office.cli.env, capture_output=True,
                              text=True, encoding="utf-8", timeout=120, check=False)
        assert proc.stderr == "", proc.stderr
        assert proc.returncode in (0, 141)
        assert proc.stdout.count("\n") == 1 and proc.stdout.startswith("#")


# -- 5. export OUT and verify PATH say what they expect ---------------------------------------

def test_export_says_what_it_expects(office: Office) -> None:
    full = office.base / "已有文件夹"
    full.mkdir()
    (full / "旧文件.txt").write_text("旧", encoding="utf-8")
    before = db_snapshot(office.root)
    cases = [
        ([], ["zicha export: 需要输出文件名，如 申报材料.zip", "--folder"]),
        ([full], [f"{full} 是文件夹（里面已有文件）", f"{full / '申报材料.zip'}"]),
        ([office.base / "申报材料.txt"], ["申报材料.txt 不是 .zip 文件名", "申报材料.zip"]),
        ([full, "--folder"], [f"文件夹 {full} 已存在", "新文件夹名"]),
    ]
    for args, needles in cases:
        result = office.cli.run("export", *args, "--all-stages", "--archive", office.root)
        assert_one_line(result, 2, *needles)
    assert sorted(p.name for p in full.iterdir()) == ["旧文件.txt"]
    assert not (office.base / "申报材料.txt").exists()
    assert db_snapshot(office.root) == before
    # a preview needs no OUT
    assert "notes" in office.cli.ok_json("export", "--preview", "--archive", office.root)
    # the "nothing to export" message carries the flag as the CLI's hint
    result = office.cli.run("export", office.base / "申报材料.zip", "--archive", office.root)
    assert_one_line(result, 1, "没有可导出的终审通过的材料", "；用 --all-stages 导出草稿")


def test_verify_says_what_it_expects(office: Office) -> None:
    stray = office.base / "随便一个文件.pdf"
    stray.write_bytes(b"%PDF-1.4 not really")
    plain = office.base / "普通文件夹"
    plain.mkdir()
    cases = [(stray, "这个文件既不是 Zicha 档案，也不是导出包"),
             (plain, "这个文件夹既不是 Zicha 档案，也不是导出包"),
             (office.base / "没有这个", "不存在")]
    for target, needle in cases:
        result = office.cli.run("verify", target)
        assert_one_line(result, 2, f"zicha verify: {target}", needle, "zicha.db", ".zip",
                        "bagit.txt")


# -- 6. core messages name no command; the CLI adds the hint ---------------------------------

def test_the_cli_appends_the_core_hint(office: Office) -> None:
    result = office.cli.run("submit", office.ids["草稿"], "--as", "无名氏", "--archive",
                            office.root)
    assert_one_line(result, 1, "名册中没有 无名氏；请先在名册中登记此人；用 zicha user add 登记")
    result = office.cli.run("list", "--archive", office.base / "没有的档案")
    assert_one_line(result, 1, "不存在；可用 zicha init --archive")
