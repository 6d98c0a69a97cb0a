"""An archive of a city tested together with other systems (同创同测, seed 000 §一(四)): the
city's system with three task lists (材料自查, 省级部门评价项目, 创新特色), 未成年人思想道德建设
(prefix W, weight 20) and 文明村镇 (prefix V, weight 10), each with its own list whose headings
became its 测评项目 ("新建测评项目"). Some tasks are done by final-approved material, one is
销号, and two materials are marked 创新特色（加分）. Built through the core with real keys and
signatures; used by the ledger tests, the GUI test and the dashboard screenshot."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import openpyxl

TODAY = dt.date(2024, 6, 20)
PASS = "systems-pass-1"
W_NAME, V_NAME = "全国未成年人思想道德建设工作测评体系", "全国文明村镇测评体系"
W_LIST, V_LIST = "未成年人思想道德建设", "文明村镇"

Row = tuple[str, str, str, str]  # 测评项目, 测评内容, 牵头单位, 完成时限
CITY_LISTS: dict[str, list[Row]] = {
    "材料自查": [
        ("01 理想信念教育", "深入学习宣传", "市文明办", "2024-06-30"),
        ("03 文明风尚培育", "规范市民文明行为", "市文明办", "2024-06-25"),
        ("08 生活和谐宜居", "推进生活垃圾分类", "市城管局", "2024-06-10"),
        ("10 生态环境良好", "空气质量优良天数", "市生态环境局", "长期坚持"),
    ],
    "省级部门评价项目": [
        ("06 政务廉洁高效", "政务服务好差评", "市政务服务中心", "2024-09-30"),
        ("09 社会安全稳定", "平安建设群众满意度", "市委政法委", "每季度"),
    ],
    "创新特色": [
        ("11 创建常态长效", "志愿服务典型经验获省级推介", "市文明办", "长期坚持"),
    ],
}
W_ROWS: list[Row] = [
    ("思想道德教育", "开展新时代好少年学习宣传", "市文明办", "2024-06-30"),
    ("思想道德教育", "中小学思政课建设", "市教育局", "2024-06-15"),
    ("未成年人活动阵地", "乡村学校少年宫建设", "市教育局", "2024-12-31"),
    ("家庭教育", "家长学校覆盖城乡社区", "市妇联", "长期坚持"),
]
V_ROWS: list[Row] = [
    ("乡风文明", "移风易俗", "市农业农村局", "2024-08-31"),
    ("人居环境", "农村人居环境整治", "市农业农村局", "2024-06-01"),
]
# final-approved material of 市文明办 (title, code, 创新特色 mark or None)
APPROVED = [
    ("理想信念教育工作方案", "01.01", None),
    ("好少年学习宣传活动总结", "W01.01", None),
    ("志愿服务经验获省文明办推介", "11.01",
     {"level": "省级", "issuer": "省文明办", "date": "2024-05-10"}),
]
# marked 创新特色 but still waiting for 初审
PENDING_BONUS = ("未成年人思想道德建设工作获全国通报表扬", "W01.01",
                 {"level": "国家级", "issuer": "中央文明办", "date": "2024-04-18"})
CLOSED = ("W03.01", "市妇联")  # 销号 by the admin


def task_list(path: Path, rows: Sequence[Row]) -> Path:
    """(测评项目, 测评内容, 牵头单位, 完成时限) under a one-row header."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "测评项目", "测评内容", "牵头单位", "完成时限"])
    for n, row in enumerate(rows, 1):
        sheet.append([n, *row])
    book.save(path)
    return path


def build_systems_archive(root: Path, home: Path, files: Path, *, village: bool = True
                          ) -> dict[str, int]:
    """The archive described above at `root` (keys in `home`, source files in `files`);
    without `village`, no 文明村镇 system. Returns material title -> id."""
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.systems import create_system
    from desktop.core.ledger import tasks
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.core.review import decisions, keys, roster
    from tests.conftest import build_pdf

    files.mkdir(parents=True, exist_ok=True)
    env = {"ZICHA_HOME": str(home), "ZICHA_USER": "经办人甲"}
    with mock.patch.dict(os.environ, env), Archive.create(root) as archive:
        create_system(archive, W_NAME, prefix="W", weight=20)
        if village:
            create_system(archive, V_NAME, prefix="V", weight=10)
        for kind, rows in CITY_LISTS.items():
            tasks.import_tasks(archive, task_list(files / f"{kind}任务清单.xlsx", rows),
                               kind=kind)
        tasks.import_tasks(archive, task_list(files / f"{W_LIST}任务清单.xlsx", W_ROWS),
                           kind=W_LIST, system="W", new_categories=True)
        if village:
            tasks.import_tasks(archive, task_list(files / f"{V_LIST}任务清单.xlsx", V_ROWS),
                               kind=V_LIST, system="V", new_categories=True)
        people = (("经办人甲", "clerk"), ("初审乙", "first"), ("复审丙", "second"),
                  ("终审丁", "final"), ("管理员戊", "admin"))
        for name, role in people:
            roster.add_person(archive, name, "市文明办", [role], keys.new_key(name, PASS))
        ids: dict[str, int] = {}
        for n, (title, code, bonus) in enumerate([*APPROVED, PENDING_BONUS]):
            path = build_pdf(files / f"材料{n}.pdf", title)
            [row] = import_paths(archive, [path], ImportOptions(codes=[code]))
            ids[title] = row.id
            update_material(archive, row.id, {"title": title, "department": "市文明办",
                                              "material_date": "2024-05-20", "bonus": bonus})
        decisions.submit(archive, list(ids.values()), "经办人甲")
        signers = [(name, keys.load_private(name, PASS)) for name, _ in people[1:4]]
        for title, _code, _bonus in APPROVED:
            for name, key in signers:
                decisions.decide(archive, ids[title], name, "approve", "同意", key)
        code, department = CLOSED
        task = next(t for t in tasks.ledger(archive, TODAY).tasks
                    if (t.item_code, t.department) == CLOSED)
        tasks.close_task(archive, task.id, f"{department}已纳入全市家庭教育工作统一推进",
                         "管理员戊")
        assert task.item_code == code
    return ids
