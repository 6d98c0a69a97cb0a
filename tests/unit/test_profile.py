"""The bureau profile: validated with a clear message, applied to a new archive."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.admin.profile import baked_profile, create_from_profile, load_profile
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
