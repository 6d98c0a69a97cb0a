"""A department's archive and the city's archive for the 报送包 window tests and screenshots
(not collected by pytest): one bureau roster in both (the same people and keys, as a bureau
profile would give them), real files and real signatures. The department's 工作方案 is the
same file the city already holds under another 测评内容, so applying the department's package
records a conflict (同一文件被两个单位归入不同测评内容)."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from tests.conftest import build_pdf

PASS = "报送口令-2024"
DEPARTMENT = "市公安局"
CITY_PEOPLE = {"创文办主任": ("市文明办", ["admin"]), "市复审人": ("市文明办", ["second"])}
DEPT_PEOPLE = {"公安经办": (DEPARTMENT, ["clerk"]),
               "公安初审": (DEPARTMENT, [f"first@{DEPARTMENT}"]),
               "公安复审": (DEPARTMENT, [f"second@{DEPARTMENT}"])}
# title, item, file name, text; the first is the file the city holds as well
MATERIALS = [
    ("市公安局文明交通劝导工作方案", "01.01", "方案.pdf", "文明交通劝导工作方案"),
    ("文明交通志愿服务活动记录", "01.01", "记录.pdf", "文明交通志愿服务活动记录"),
    ("交通秩序整治情况通报", "03.01", "通报.pdf", "交通秩序整治情况通报"),
]


@dataclass
class Bureau:
    city: Path
    department: Path
    city_id: str
    home: Path
    files: Path


def build_bureau(base: Path, *, extra: int = 0) -> Bureau:
    """The city's archive (its own copy of the department's 工作方案 under 03.01) and the
    department's (three materials submitted, two passed 初审); every key under base/home.
    `extra` more materials at the department (screenshots)."""
    from desktop.core.archive.archive import Archive
    from desktop.core.archive.items import add_item
    from desktop.core.materials.importer import ImportOptions, import_paths
    from desktop.core.materials.service import update_material
    from desktop.core.review import decisions, keys, roster

    home, files = base / "home", base / "files"
    files.mkdir(parents=True)
    city_root, dept_root = base / "市创文办", base / DEPARTMENT
    with mock.patch.dict(os.environ, {"ZICHA_HOME": str(home), "ZICHA_USER": "创文办主任"}):
        public = {name: keys.new_key(name, PASS) for name in (*CITY_PEOPLE, *DEPT_PEOPLE)}
        sources = {name: build_pdf(files / name, text) for _t, _c, name, text in MATERIALS}
        for n in range(extra):
            name = f"附件{n + 1:02d}.pdf"
            sources[name] = build_pdf(files / name, f"文明创建工作台账附件第{n + 1}份")
        for root in (city_root, dept_root):
            with Archive.create(root) as archive:
                for name, (department, roles) in {**CITY_PEOPLE, **DEPT_PEOPLE}.items():
                    roster.add_person(archive, name, department, roles, public[name])
        with Archive.open(city_root) as city:
            add_item(city, "03.01", "规范市民文明行为")
            [row] = import_paths(city, [sources["方案.pdf"]], ImportOptions(codes=["03.01"]))
            update_material(city, int(row.id or 0), {"title": "文明行为促进工作方案（市文明办）",
                                                     "department": "市文明办"})
            city_id = city.info()["archive_id"]
        with Archive.open(dept_root) as dept:
            add_item(dept, "01.01", "深入学习贯彻习近平新时代中国特色社会主义思想")
            add_item(dept, "03.01", "规范市民文明行为")
            shelf = [*MATERIALS, *((f"文明创建工作台账附件第{n + 1}份", "01.01",
                                    f"附件{n + 1:02d}.pdf", "") for n in range(extra))]
            ids = []
            for title, code, name, _text in shelf:
                [row] = import_paths(dept, [sources[name]], ImportOptions(codes=[code]))
                ids.append(int(row.id or 0))
                update_material(dept, ids[-1], {"title": title, "department": DEPARTMENT,
                                                "material_date": "2024-05-20"})
            decisions.submit(dept, ids, "公安经办")
            key = keys.load_private("公安初审", PASS)
            for material_id in ids[:2]:
                decisions.decide(dept, material_id, "公安初审", "approve", "初审同意", key)
    return Bureau(city_root, dept_root, city_id, home, files)


def tampered_copy(package: Path, out: Path) -> Path:
    """`package` with one byte of one of its files changed (sizes as before): only the hash
    can tell."""
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(out, "w") as dst:
        changed = False
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("files/") and not changed:
                data = data[:-1] + bytes([data[-1] ^ 0x01])
                changed = True
            dst.writestr(info, data)
    return out


RECORD, NOTICE = "文明交通志愿服务活动记录", "交通秩序整治情况通报"
RENAMED = "文明交通志愿服务活动记录（补充照片后）"
RETURN_REASON = "请补充活动现场照片"


def _material_id(root: Path, title: str) -> int:
    from desktop.core.archive.archive import Archive
    from desktop.core.materials.service import list_materials

    with Archive.open(root) as archive:
        [m] = [m for m in list_materials(archive) if m.title == title]
        return m.id


def department_sends(b: Bureau, out: Path) -> Path:
    """The department's 报送包 to the city, written by the core (its clerk signs)."""
    from desktop.core.archive.archive import Archive
    from desktop.core.review import keys
    from desktop.core.transfer import export_transfer

    with (mock.patch.dict(os.environ, {"ZICHA_HOME": str(b.home)}),
          Archive.open(b.department) as dept):
        export_transfer(dept, b.city_id, out, actor="公安经办",
                        unlock=lambda: keys.load_private("公安经办", PASS))
    return out


def city_applies(b: Bureau, package: Path) -> None:
    from desktop.core.archive.archive import Archive
    from desktop.core.transfer import apply_transfer

    with (mock.patch.dict(os.environ, {"ZICHA_HOME": str(b.home)}),
          Archive.open(b.city) as city):
        apply_transfer(city, package, actor="创文办主任", on_roster=True)


def city_reviews(b: Bureau, title: str, verdict: str, comment: str) -> int:
    """市复审人 decides 复审 on the department's material `title` at the city; its number
    there."""
    from desktop.core.archive.archive import Archive
    from desktop.core.review import decisions, keys

    material_id = _material_id(b.city, title)
    with (mock.patch.dict(os.environ, {"ZICHA_HOME": str(b.home)}),
          Archive.open(b.city) as city):
        decisions.decide(city, material_id, "市复审人", verdict, comment,
                         keys.load_private("市复审人", PASS))
    return material_id


def department_changes(b: Bureau) -> None:
    """At the department, after its first package: 公安复审 returns the 活动记录 (which the city
    meanwhile passed at its 复审) and the clerk renames it; 公安初审 returns the 通报 and the
    clerk deletes it. The next package is two conflicts at the city: `decided` and
    `deleted`."""
    from desktop.core.archive.archive import Archive
    from desktop.core.materials.service import delete_material, update_material
    from desktop.core.review import decisions, keys

    record, notice = _material_id(b.department, RECORD), _material_id(b.department, NOTICE)
    with (mock.patch.dict(os.environ, {"ZICHA_HOME": str(b.home)}),
          Archive.open(b.department) as dept):
        decisions.decide(dept, record, "公安复审", "reject", "照片不足",
                         keys.load_private("公安复审", PASS))
        update_material(dept, record, {"title": RENAMED}, actor="公安经办")
        decisions.decide(dept, notice, "公安初审", "reject", "重复材料",
                         keys.load_private("公安初审", PASS))
        delete_material(dept, notice, actor="公安经办")


def city_with_conflicts(b: Bureau, out: Path) -> tuple[Path, Path]:
    """Both of the department's packages written; the city has applied the first (a
    `same_file` conflict: the 工作方案 it holds itself) and passed 复审 on the 活动记录; the
    second (a `decided` and a `deleted` conflict) is left for the window to apply."""
    out.mkdir(parents=True, exist_ok=True)
    first = department_sends(b, out / "报送包-市公安局-1.zip")
    department_changes(b)
    second = department_sends(b, out / "报送包-市公安局-2.zip")
    city_applies(b, first)
    city_reviews(b, RECORD, "approve", "复审同意")
    return first, second
