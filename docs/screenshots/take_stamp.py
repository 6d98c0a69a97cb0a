"""The first page of an exported PDF with its 归档章 (issue 19, item 4), rendered by PyMuPDF:

    .venv/bin/python docs/screenshots/take_stamp.py

docs/screenshots/archival-stamp.png: a 红头 notice (made like the sample archive's) that went
through 初审 / 复审 / 终审 with real signatures in an archive whose 全宗号 is Z001, exported
with `archival_stamp`, its first page rendered at 110 dpi. Also prints where the stamp went and
what 四性检测 says."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "archival-stamp.png"
PASS = "stamp-shot-1"


def main() -> int:
    import json

    import pymupdf

    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.export import bag
    from desktop.core.export.plan import archive_rules, make_plan
    from desktop.core.export.verify import verify_export
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.core.review import archival, decisions, keys, roster
    from desktop.demo.samples import make_pdf

    base = Path(tempfile.mkdtemp(prefix="zicha-stamp-shot-"))
    os.environ["ZICHA_HOME"] = str(base / "home")
    os.environ["ZICHA_USER"] = "张经办"
    pdf = make_pdf(base / "通知.pdf", "关于开展文明交通志愿服务活动的通知",
                   ["各区文明办、市直各单位：", "为深入推进全国文明城市创建工作，经研究，决定在全市"
                    "开展文明交通志愿服务活动。现将有关事项通知如下。", "一、活动时间",
                    "2024年5月至2024年10月，每周六上午。", "二、活动内容",
                    "在主要路口开展文明交通劝导、宣传文明出行。"],
                   issuer="吴州市精神文明建设指导委员会办公室", doc_number="吴文明办〔2024〕12号",
                   signed="2024年5月20日")
    with Archive.create(base / "档案", name="吴州市文明办") as archive:
        add_item(archive, "03.01", "规范市民文明行为")
        people = (("张经办", "clerk"), ("李初审", "first"), ("王复审", "second"),
                  ("赵终审", "final"))
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, PASS))
        archival.set_rules(archive, archival.ArchivalRules(fonds="Z001", retention="D30"),
                           actor="张经办")
        [row] = import_paths(archive, [pdf], ImportOptions(codes=["03.01"]))
        update_material(archive, row.id, {"department": "市文明办",
                                          "material_date": "2024-05-20"})
        decisions.submit(archive, [row.id], "张经办")
        for name, _role in people[1:]:
            decisions.decide(archive, row.id, name, "approve", "同意",
                             keys.load_private(name, PASS))
        out = base / "导出"
        plan = make_plan(archive, replace(archive_rules(archive), archival_stamp=True))
        bag.write_export(archive, plan, out, as_zip=False)
    doc = json.loads((out / "zicha/manifest.json").read_text(encoding="utf-8"))
    [stamped] = [f for f in doc["files"] if f.get("stamped")]
    with pymupdf.open(out / stamped["path"]) as exported:
        exported[0].get_pixmap(dpi=110, alpha=False).save(OUT)
    report = verify_export(out)
    print(f"{OUT.relative_to(ROOT)}: {stamped['path']} 档号 {stamped['archival_number']}，"
          f"原件 {stamped['source_size']} 字节在前；四性检测{'通过' if report.ok else '未通过'}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
