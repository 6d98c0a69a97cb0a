"""`zicha edit --bonus/--no-bonus`, `zicha show` and `zicha list --bonus`: a material marked as
创新特色（加分） evidence with the recognition it shows (issue 15 item 5)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ZichaCli, build_pdf


def test_mark_show_list_and_clear(zicha_cli: ZichaCli, cli_archive: Path,
                                  tmp_path: Path) -> None:
    (row,) = zicha_cli.ok_json("import", build_pdf(tmp_path / "通报.pdf", "表扬通报"),
                               "--item", "01", "--archive", cli_archive)
    mid = str(row["id"])
    assert zicha_cli.ok_json("show", mid, "--archive", cli_archive)["bonus"] is None
    assert "创新特色（加分）：否" in zicha_cli.ok("show", mid, "--archive", cli_archive).stdout

    # only the issuer before the mark: refused, saying how to mark it
    refused = zicha_cli.run("edit", mid, "--bonus-issuer", "省文明办", "--archive", cli_archive)
    assert refused.returncode != 0 and "--bonus" in refused.stderr

    edited = zicha_cli.ok_json("edit", mid, "--bonus", "省", "--bonus-issuer", "省文明办",
                               "--bonus-date", "2024-04-01", "--archive", cli_archive)
    assert edited["bonus"] == {"level": "省级", "issuer": "省文明办", "date": "2024-04-01"}
    shown = zicha_cli.ok("show", mid, "--archive", cli_archive).stdout
    assert "创新特色（加分）：是（省级，省文明办，2024-04-01）" in shown

    # a bare --bonus keeps the level; a later --bonus-date changes only the date
    zicha_cli.ok("edit", mid, "--bonus", "--bonus-date", "2024-05-01", "--archive", cli_archive)
    assert zicha_cli.ok_json("show", mid, "--archive", cli_archive)["bonus"] == {
        "level": "省级", "issuer": "省文明办", "date": "2024-05-01"}

    listed = zicha_cli.ok("list", "--bonus", "--archive", cli_archive).stdout
    assert f"#{mid}\t" in listed and "共 1 份创新特色（加分）材料" in listed
    assert [m["id"] for m in zicha_cli.ok_json("list", "--bonus", "--archive", cli_archive)] \
        == [row["id"]]

    bad = zicha_cli.run("edit", mid, "--bonus", "县级", "--archive", cli_archive)
    assert bad.returncode != 0 and "县级" in bad.stderr and "国家级、省级、市级" in bad.stderr

    zicha_cli.ok("edit", mid, "--no-bonus", "--archive", cli_archive)
    assert zicha_cli.ok_json("show", mid, "--archive", cli_archive)["bonus"] is None
    assert "共 0 份创新特色（加分）材料" in zicha_cli.ok(
        "list", "--bonus", "--archive", cli_archive).stdout
    both = zicha_cli.run("edit", mid, "--bonus", "--no-bonus", "--archive", cli_archive)
    assert both.returncode != 0
