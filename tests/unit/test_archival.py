"""档号 (issue 19, item 4): given at 终审通过 through one function, 件号 per 全宗号 +
年度 + 保管期限 without gaps, never reused or renumbered, a withdrawn number kept in the
register as withdrawn; the rules (全宗号, 保管期限 per 测评项目) checked. On SQLite and on
PostgreSQL (tests/pg.py), including two desktops approving at the same moment."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from desktop.core.archive.archive import Archive
from desktop.core.materials.importer import ImportOptions, import_paths
from desktop.core.materials.service import get_material, list_materials, update_material
from desktop.core.review import archival, decisions, keys
from desktop.core.review.archival import ArchivalError, ArchivalRules
from tests.conftest import REVIEW_PASS, build_pdf, build_reviewed_archive

RULES = ArchivalRules(fonds="Z001", retention="D30", categories={"08": "Y"})


@pytest.fixture
def reviewed(tmp_path: Path, server_or_none: str | None,
             monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, int]]:
    home = tmp_path / "home"
    ids = build_reviewed_archive(tmp_path / "档案", home, tmp_path / "files",
                                 server_url=server_or_none)
    monkeypatch.setenv("ZICHA_HOME", str(home))
    monkeypatch.setenv("ZICHA_USER", "经办人甲")
    return tmp_path / "档案", ids


def _approve(archive: Archive, material_id: int) -> None:
    for name in ("初审乙", "复审丙", "终审丁"):
        decisions.decide(archive, material_id, name, "approve", "同意",
                         keys.load_private(name, REVIEW_PASS))


def _new_material(archive: Archive, tmp_path: Path, title: str, code: str = "01.01",
                  date: str = "2024-06-01") -> int:
    path = build_pdf(tmp_path / f"{title}.pdf", title)
    [row] = import_paths(archive, [path], ImportOptions(codes=[code]))
    update_material(archive, row.id, {"title": title, "department": "市文明办",
                                      "material_date": date})
    decisions.submit(archive, [row.id], "经办人甲")
    return row.id


def test_numbers_start_when_the_fonds_is_set_and_follow_each_sequence(
        reviewed: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    root, ids = reviewed
    with Archive.open(root) as archive:
        # no 全宗号 yet: final approval gives nothing
        assert archival.register(archive) == []
        assert all(v.archival_number is None for v in list_materials(archive))
        saved = archival.set_rules(archive, RULES, actor="管理员")
        # the five materials approved before are numbered now, in the order they were approved
        numbered = dict(saved.numbered)
        approved = [i for t, i in ids.items() if not t.startswith("尚在")]
        assert sorted(numbered) == sorted(approved)
        d30 = [numbered[ids[t]] for t in ("文明交通劝导行动方案", "志愿服务活动通知",
                                          "爱国主义教育基地名录", "文明劝导活动照片")]
        assert d30 == [f"Z001-2024-D30-{n:04d}" for n in range(1, 5)]
        assert numbered[ids["垃圾分类宣传照片"]] == "Z001-2024-Y-0001"  # 08 is kept 永久
        # the one still in review gets the next 永久 number at its 终审通过, not before
        waiting = ids["尚在初审的工作总结"]
        for name in ("初审乙", "复审丙"):
            decisions.decide(archive, waiting, name, "approve", "同意",
                             keys.load_private(name, REVIEW_PASS))
            assert get_material(archive, waiting).archival_number is None
        decisions.decide(archive, waiting, "终审丁", "approve", "同意",
                         keys.load_private("终审丁", REVIEW_PASS))
        assert get_material(archive, waiting).archival_number == "Z001-2024-Y-0002"
        # another year starts its own sequence; the 年度 is the material's date's
        later = _new_material(archive, tmp_path, "二〇二五年工作计划", date="2025-02-01")
        _approve(archive, later)
        assert get_material(archive, later).archival_number == "Z001-2025-D30-0001"
        # saving the same rules again numbers nothing and changes nothing
        assert archival.set_rules(archive, RULES, actor="管理员").numbered == []
        lines = archival.register(archive)
        assert len(lines) == 7 and not any(line.withdrawn for line in lines)
        assert archival.gaps([line.to_json() for line in lines]) == []


def test_a_withdrawn_number_is_never_given_again(reviewed: tuple[Path, dict[str, int]],
                                                 tmp_path: Path) -> None:
    root, ids = reviewed
    with Archive.open(root) as archive:
        archival.set_rules(archive, RULES, actor="管理员")
        plan = ids["志愿服务活动通知"]
        was = get_material(archive, plan).archival_number
        assert was == "Z001-2024-D30-0002"
        with pytest.raises(ArchivalError, match="原因"):
            archival.withdraw(archive, plan, "  ", actor="管理员")
        line = archival.withdraw(archive, plan, "材料有误，撤出归档", actor="管理员")
        assert line.withdrawn and line.withdrawn_by == "管理员"
        assert line.withdrawn_reason == "材料有误，撤出归档"
        assert get_material(archive, plan).archival_number is None
        with pytest.raises(ArchivalError, match="没有在用的档号"):
            archival.withdraw(archive, plan, "再撤一次", actor="管理员")
        # the next material approved gets the next number, never the withdrawn 0002
        fresh = _new_material(archive, tmp_path, "新的工作方案")
        _approve(archive, fresh)
        assert get_material(archive, fresh).archival_number == "Z001-2024-D30-0005"
        lines = [line.to_json() for line in archival.register(archive)]
        withdrawn = [x for x in lines if x["withdrawn"]]
        assert [x["code"] for x in withdrawn] == [was] and withdrawn[0]["material"] == plan
        # the withdrawn line accounts for its 件号; without it the sequence has a gap
        assert archival.gaps(lines) == []
        cut = [x for x in lines if x["code"] != was]
        [gap] = archival.gaps(cut)
        assert "Z001-2024-D30 的件号有空号 0002" in gap and "没有记为已撤销" in gap
        twice = [*lines, lines[0]]
        assert "登记了不止一次" in archival.gaps(twice)[0]


def test_rules_are_checked_and_only_an_admin_sets_them(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHA_USER", "测试员")
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    from desktop.core.review import roster

    with Archive.create(tmp_path / "档案") as archive:
        for bad, needle in ((ArchivalRules(fonds="Z-01"), "全宗号“Z-01”不合规"),
                            (ArchivalRules(fonds="Z01", retention="D20"), "保管期限“D20”"),
                            (ArchivalRules(fonds="Z01", categories={"99": "Y"}), "99")):
            with pytest.raises(ArchivalError, match=needle):
                archival.set_rules(archive, bad, actor="测试员")
        assert archival.archival_rules(archive) == ArchivalRules()
        roster.add_person(archive, "管理员", "市文明办", ["admin"],
                          keys.new_key("管理员", REVIEW_PASS))
        with pytest.raises(ArchivalError, match="只有管理员"):
            archival.set_rules(archive, RULES, actor="测试员")
        archival.set_rules(archive, RULES, actor="管理员")
        assert archival.archival_rules(archive) == RULES
        assert RULES.retention_for(["01", "08"]) == "Y"  # the longest of its 测评项目
        assert RULES.retention_for([]) == "D30"


def test_two_desktops_approving_at_once_get_two_numbers(
        reviewed: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    """On a server archive each desktop is its own process with its own connection; here two
    Archive objects on two threads. The write lane (advisory lock on PostgreSQL, the folder lock
    on SQLite, shared in one process) makes the two 终审 one after the other."""
    root, _ids = reviewed
    with Archive.open(root) as archive:
        archival.set_rules(archive, RULES, actor="管理员")
        made = [_new_material(archive, tmp_path, f"同时终审的材料{n}") for n in range(4)]
        for material_id in made:
            for name in ("初审乙", "复审丙"):
                decisions.decide(archive, material_id, name, "approve", "同意",
                                 keys.load_private(name, REVIEW_PASS))
    key = keys.load_private("终审丁", REVIEW_PASS)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def desktop(part: list[int]) -> None:
        try:
            with Archive.open(root) as mine:
                start.wait()
                for material_id in part:
                    decisions.decide(mine, material_id, "终审丁", "approve", "同意", key)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=desktop, args=(made[n::2],)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    with Archive.open(root, writable=False) as archive:
        numbers = sorted(get_material(archive, i).archival_number or "" for i in made)
        lines = [line.to_json() for line in archival.register(archive)]
    assert numbers == [f"Z001-2024-D30-{n:04d}" for n in range(5, 9)]
    assert archival.gaps(lines) == []


def test_a_register_line_removed_behind_the_core_is_found(
        reviewed: tuple[Path, dict[str, int]]) -> None:
    from sqlalchemy import text

    from desktop.core.admin.fsck import verify_archive

    root, _ids = reviewed
    with Archive.open(root) as archive:
        archival.set_rules(archive, RULES, actor="管理员")
        [check] = [c for c in verify_archive(archive).checks if c.name == "档号登记"]
        assert check.ok and check.count == 5
        with archive.engine.begin() as conn:  # behind the core's back
            conn.execute(text("DELETE FROM archival_number WHERE piece = 2 AND retention = 'D30'"))
        [check] = [c for c in verify_archive(archive).checks if c.name == "档号登记"]
        assert not check.ok and any("有空号 0002" in p for p in check.problems)


def test_the_bureau_profile_sets_the_rules(tmp_path: Path) -> None:
    from desktop.core.admin.profile import create_from_profile, load_profile
    from desktop.core.common.errors import ZichaError

    path = tmp_path / "单位.yaml"
    path.write_text("format: zicha-bureau-profile/1\nbureau: {name: 吴州市文明办, code: WZ-01}\n"
                    "archival: {fonds: Z001, retention: D10, categories: {'08': Y}}\n"
                    "export: {archival_stamp: true, stamp_color: black}\n", encoding="utf-8")
    with create_from_profile(tmp_path / "档案", load_profile(path)) as archive:
        assert archival.archival_rules(archive) == ArchivalRules("Z001", "D10", {"08": "Y"})
        from desktop.core.export.plan import archive_rules

        rules = archive_rules(archive)
        assert (rules.archival_stamp, rules.stamp_color) == (True, "black")
    bad = tmp_path / "错.yaml"
    bad.write_text("format: zicha-bureau-profile/1\nbureau: {name: 吴州市文明办, code: WZ-01}\n"
                   "archival: {fonds: Z001, retention: D20}\n", encoding="utf-8")
    with pytest.raises(ZichaError, match="archival/retention"):
        load_profile(bad)
