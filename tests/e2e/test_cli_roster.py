"""The roster, 测评内容 names and the 待完善 list from the command line, as the window offers
them: `user set/retire/reinstate/key`, `user add --as`, `items rename`, `list --incomplete`."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FileBuilder, ZichaCli


def _key(cli: ZichaCli, name: str, home: Path) -> str:
    return cli.as_person(name, home / name).in_process("key", "new", name).strip()


def test_an_admin_keeps_the_roster_from_the_command_line(zicha_cli: ZichaCli, cli_archive: Path,
                                                        tmp_path: Path) -> None:
    cli, root = zicha_cli, cli_archive
    homes = tmp_path / "keys"
    cli.ok("user", "add", "管理员甲", "--department", "市文明办", "--role", "admin",
           "--public-key", _key(cli, "管理员甲", homes), "--archive", root)
    refused = cli.run("user", "add", "王经办", "--department", "市文明办", "--role", "clerk",
                      "--public-key", (key := _key(cli, "王经办", homes)), "--as", "无此人",
                      "--archive", root)
    assert refused.returncode == 1 and "只有管理员可以修改名册" in refused.stderr
    cli.ok("user", "add", "王经办", "--department", "市文明办", "--role", "clerk",
           "--public-key", key, "--as", "管理员甲", "--archive", root)

    out = cli.ok("user", "set", "王经办", "--department", "市公安局", "--role", "clerk",
                 "--role", "first@市公安局", "--as", "管理员甲", "--archive", root).stdout
    assert out.strip() == "王经办：市公安局，经办人、初审（限市公安局）"
    new_key = _key(cli, "王经办二", homes)
    cli.ok("user", "key", "王经办", "--public-key", new_key, "--as", "管理员甲", "--archive", root)
    assert "已停用" in cli.ok("user", "retire", "王经办", "--as", "管理员甲",
                             "--archive", root).stdout
    roster = {p["name"]: p for p in cli.ok_json("user", "list", "--archive", root)}
    assert roster["王经办"]["retired"] and roster["王经办"]["public_key"] == new_key
    assert roster["王经办"]["department"] == "市公安局"
    cli.ok("user", "reinstate", "王经办", "--as", "管理员甲", "--archive", root)
    assert not {p["name"]: p for p in cli.ok_json("user", "list", "--archive", root)}[
        "王经办"]["retired"]
    not_admin = cli.run("user", "retire", "管理员甲", "--as", "王经办", "--archive", root)
    assert not_admin.returncode == 1 and "内部错误" not in not_admin.stderr
    nothing = cli.run("user", "set", "王经办", "--as", "管理员甲", "--archive", root)
    assert nothing.returncode == 2 and "没有要修改的内容" in nothing.stderr


def test_rename_an_item_and_list_what_is_incomplete(zicha_cli: ZichaCli, cli_archive: Path,
                                                    file_builder: FileBuilder) -> None:
    cli, root = zicha_cli, cli_archive
    cli.ok("items", "add", "01.01", "学习宣传", "--archive", root)
    assert "改名为 深入学习宣传" in cli.ok("items", "rename", "01.01", "深入学习宣传",
                                        "--archive", root).stdout
    items = {i["code"]: i["name"] for i in cli.ok_json("items", "--archive", root)}
    assert items["01.01"] == "深入学习宣传"
    [first, second] = cli.ok_json("import", file_builder.pdf("1.pdf"), file_builder.pdf("2.pdf",
                                  "另一份材料"), "--item", "01.01", "--no-ocr", "--archive", root)
    cli.ok("edit", first["id"], "--title", "学习方案", "--date", "2024-03-01", "--department",
           "市文明办", "--type", "方案计划", "--archive", root)
    rows = cli.ok_json("list", "--incomplete", "--archive", root)
    assert [r["id"] for r in rows] == [second["id"]]
    assert "title" in rows[0]["missing"] and "material_date" in rows[0]["missing"]
    text = cli.ok("list", "--incomplete", "--archive", root).stdout
    assert "缺材料名称、日期" in text and text.strip().endswith("共 1 份待完善的材料")
