"""`zicha negative` on a real archive (issue 15 item 6): a risk and an event put on the
负面清单, edited, the event disposed of with evidence by the responsible department's clerk,
the list with events first, the weekly report's 负面清单 section; refusals exit non-zero and
change nothing."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.conftest import ZichaCli, build_pdf


def _people(cli: ZichaCli, archive: Path) -> None:
    cli.env["ZICHA_PASSPHRASE"] = "admin-pass-1"
    for name, dept, role in (("管理员戊", "市创城办", "admin"),
                             ("经办人庚", "市城管局", "clerk@市城管局")):
        key = cli.ok("key", "new", name, "--archive", archive).stdout.strip().split()[-1]
        cli.ok("user", "add", name, "--department", dept, "--role", role, "--public-key", key,
               "--archive", archive)


def test_negative_list_through_the_cli(zicha_cli: ZichaCli, cli_archive: Path,
                                       tmp_path: Path) -> None:
    cli, archive = zicha_cli, cli_archive
    _people(cli, archive)
    risk = cli.ok_json("negative", "add", "占道经营反弹", "--item", "08", "--department",
                       "市城管局", "--prevention", "每日巡查，发现即劝离", "--as", "管理员戊",
                       "--archive", archive)["id"]
    event = cli.ok_json("negative", "add", "发生群体性事件", "--item", "09", "--as", "管理员戊",
                        "--archive", archive)["id"]
    listed = cli.ok_json("negative", "--archive", archive)
    assert [(n["id"], n["occurred"], n["category_code"]) for n in listed] == [
        (risk, False, "08"), (event, False, "09")]

    # a clerk may not keep the list; a 处置 of what has not occurred needs its date
    refused = cli.run("negative", "add", "x", "--as", "经办人庚", "--archive", archive)
    assert refused.returncode != 0 and "没有修改负面清单的权限" in refused.stderr
    not_yet = cli.run("negative", "dispose", str(risk), "--note", "已劝离", "--as", "经办人庚",
                      "--archive", archive)
    assert not_yet.returncode != 0 and "尚未记为已发生" in not_yet.stderr
    assert "--occurred" in not_yet.stderr  # the hint says how
    assert cli.ok_json("negative", "--archive", archive) == listed

    cli.ok("negative", "edit", str(event), "--department", "市公安局", "--occurred", "2024-05-03",
           "--prevention", "加强矛盾排查", "--as", "管理员戊", "--archive", archive)
    (row,) = cli.ok_json("import", build_pdf(tmp_path / "处置.pdf", "处置情况说明"), "--item",
                         "08", "--archive", archive)
    cli.ok("negative", "dispose", str(risk), "--note", "已劝离并恢复通行", "--evidence",
           str(row["id"]), "--occurred", "2024-06-02", "--as", "经办人庚", "--archive", archive)
    listed = cli.ok_json("negative", "--archive", archive)
    assert [(n["id"], n["occurred_on"], n["disposal"], n["evidence"]) for n in listed] == [
        (risk, "2024-06-02", "已劝离并恢复通行", [row["id"]]), (event, "2024-05-03", "", [])]
    text = cli.ok("negative", "--archive", archive).stdout
    assert f"{risk}\t[已发生 2024-06-02，已处置] 08 市城管局：占道经营反弹" in text
    assert f"{event}\t[已发生 2024-05-03，待处置] 09 市公安局：发生群体性事件" in text
    assert "共 2 项，已发生 2 项" in text

    back = cli.run("negative", "edit", str(risk), "--not-occurred", "--as", "管理员戊",
                   "--archive", archive)
    assert back.returncode != 0 and "已有处置记录" in back.stderr
    nothing = cli.run("negative", "edit", str(risk), "--as", "管理员戊", "--archive", archive)
    assert nothing.returncode != 0

    cli.ok("report", "weekly", tmp_path / "周报.docx", "--archive", archive, "--today",
           "2024-06-25")
    report = docx.Document(str(tmp_path / "周报.docx"))
    assert "八、负面清单" in [p.text for p in report.paragraphs]
    rows = [[c.text for c in r.cells] for r in report.tables[-1].rows]
    assert [r[1] for r in rows[1:]] == ["占道经营反弹", "发生群体性事件"]
    assert rows[1][4].startswith("防范：每日巡查") and "处置：已劝离并恢复通行" in rows[1][4]
