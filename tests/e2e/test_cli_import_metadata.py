"""`zicha import` names, dates and numbers a material from the document itself (docmeta), and
an explicit --title still wins."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import ZichaCli
from tests.unit.test_docmeta import _docx, _jpeg, _pdf


def test_import_reads_title_date_and_doc_number(zicha_cli: ZichaCli, cli_archive: Path,
                                                tmp_path: Path) -> None:
    folder = tmp_path / "src"
    _pdf(folder / "1.pdf", [
        ("吴忠市文明办文件", 36),
        ("吴文明办发〔2024〕12号", 16),
        ("关于印发《2024年创建全国文明城市", 22),
        ("工作实施方案》的通知", 22),
        ("各县（市、区）文明办，市直各单位：现将实施方案印发给你们。", 16),
        ("吴忠市文明办", 16),
        ("二〇二四年六月三十日", 16),
    ], title="Microsoft Word - 1.doc")
    _docx(folder / "2.docx", [("Normal", "市文明委〔2023〕5号"),
                              ("Title", "志愿服务先进典型评选办法"), ("Normal", "正文。"),
                              ("Normal", "2023年11月2日")])
    _jpeg(folder / "IMG_20240504.jpg", "2024:05:04 09:30:00")

    rows = zicha_cli.ok_json("import", folder, "--item", "01",
                             "--archive", cli_archive)
    assert [(Path(r["path"]).name, r["status"], r["title"]) for r in rows] == [
        ("1.pdf", "stored", "关于印发《2024年创建全国文明城市工作实施方案》的通知"),
        ("2.docx", "stored", "志愿服务先进典型评选办法"),
        ("IMG_20240504.jpg", "stored", "IMG_20240504"),
    ]
    shown = zicha_cli.ok_json_all(*(["show", str(r["id"]), "--archive", cli_archive]
                                   for r in rows))
    assert [(m["title"], m["material_date"], m["doc_number"], m["material_type"])
            for m in shown] == [
        ("关于印发《2024年创建全国文明城市工作实施方案》的通知", "2024-06-30",
         "吴文明办发〔2024〕12号", "方案计划"),
        ("志愿服务先进典型评选办法", "2023-11-02", "市文明委〔2023〕5号", "制度机制"),
        ("IMG_20240504", "2024-05-04", "", "图片"),
    ]
    assert all(dt.date.fromisoformat(m["material_date"]) <= dt.date.today() for m in shown)

    # what the user types wins over what the document says
    (own,) = zicha_cli.ok_json("import", _pdf(folder / "3.pdf", [
        ("关于开展文明交通劝导活动的通知", 22), ("正文。正文。正文。正文。", 16)]),
        "--item", "01", "--title", "交通劝导通知（定稿）", "--archive", cli_archive)
    assert own["title"] == "交通劝导通知（定稿）"
