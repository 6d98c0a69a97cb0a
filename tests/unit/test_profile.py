"""The bureau profile: validated with a clear message, applied to a new archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.admin.profile import baked_profile, create_from_profile, load_profile
from desktop.core.archive.items import nodes
from desktop.core.archive.systems import systems
from desktop.core.common.errors import ZichaError
from desktop.core.export.plan import archive_rules
from desktop.core.ledger import tasks
from desktop.core.review import roster
from tests.conftest import REPO

SAMPLE = REPO / "packaging" / "profiles" / "吴州市文明办.yaml"


def test_the_sample_profile_makes_an_archive_that_knows_the_bureau(tmp_path: Path) -> None:
    profile = load_profile(SAMPLE)
    with create_from_profile(tmp_path / "档案", profile) as archive:
        info = archive.info()
        assert info["bureau"] == "吴州市创建全国文明城市工作指挥部办公室"
        assert (info["bureau_code"], info["window_title"]) == ("WZ-CWB", "吴州市创文材料自查档案")
        people = {p.name: p for p in roster.people(archive)}
        assert people["李建国"].roles == ["first@市文明办"]
        assert archive_rules(archive).evaluation_date.isoformat() == "2026-08-01"
        assert tasks.warn_days(archive) == 7
        assert [(s.prefix, s.weight, s.source) for s in systems(archive)] == [
            ("", None, "shipped"), ("W", 20, "bureau"), ("C", 10, "bureau")]


def test_a_profile_system_with_categories_files_them_under_its_prefix(tmp_path: Path) -> None:
    path = tmp_path / "单位.yaml"
    path.write_text(
        "format: zicha-bureau-profile/1\nbureau: {name: 测试市文明办, code: TEST}\nsystems:\n"
        "  - id: wcn-2023\n    name: 未成年人思想道德建设\n    prefix: W\n"
        "    categories: [{code: '01', name: 思想道德教育}]\n"
        "    items: [{code: '01.01', name: 主题教育实践活动}]\n", encoding="utf-8")
    with create_from_profile(tmp_path / "档案", load_profile(path)) as archive:
        assert [(n.code, n.system_id) for n in nodes(archive) if n.code.startswith("W")] == [
            ("W01", "wcn-2023"), ("W01.01", "wcn-2023")]
    broken = path.read_text(encoding="utf-8").replace("'01.01'", "'02.01'")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ZichaError, match="单位配置文件 单位.yaml 的 systems/0: 测评内容 02.01"):
        load_profile(path)


def test_toml_works_too(tmp_path: Path) -> None:
    path = tmp_path / "单位.toml"
    path.write_text('format = "zicha-bureau-profile/1"\n[bureau]\nname = "测试市文明办"\n'
                    'code = "TEST"\n', encoding="utf-8")
    assert load_profile(path).bureau == "测试市文明办"


@pytest.mark.parametrize(("text", "needle"), [
    ("format: zicha-bureau-profile/1\n", "bureau"),
    ("format: zicha-bureau-profile/1\nbureau: {name: 甲, code: 'a b'}\n", "bureau/code"),
    ("format: zicha-bureau-profile/1\nbureau: {name: 甲, code: AB}\npeople:\n"
     "  - {name: 乙, department: 丙, roles: [boss], public_key: 'ed25519:x'}\n", "people/0"),
    ("format: zicha-bureau-profile/1\nbureau: {name: 甲, code: AB}\ncolour: red\n", "colour"),
    ("bureau: [unclosed\n", "无法解析"),
])
def test_mistakes_name_the_file_and_the_place(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "单位配置.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ZichaError) as caught:
        load_profile(path)
    assert "单位配置.yaml" in str(caught.value) and needle in str(caught.value)


def test_the_baked_profile_comes_from_the_environment(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZICHA_PROFILE", str(SAMPLE))
    profile = baked_profile()
    assert profile is not None and profile.code == "WZ-CWB"
