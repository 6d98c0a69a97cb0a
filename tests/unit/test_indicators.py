"""Indicator systems (测评体系) load from schema/ and are validated."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from desktop.core.common.errors import ZichaError
from desktop.core.indicators.system import (
    DEFAULT_SYSTEM_ID,
    load_system,
    load_system_file,
    system_files,
)

# seed 000 §一(一): the 11 方面 of the 2023 system, in order
SEED_NAMES = ["理想信念教育", "思想道德建设", "文明风尚培育", "教育科技进步",
              "文化事业和文化产业发展", "政务廉洁高效", "法治公平正义", "生活和谐宜居",
              "社会安全稳定", "生态环境良好", "创建常态长效"]


def test_default_system_has_eleven_categories_named_as_in_its_yaml() -> None:
    system = load_system()
    path = system_files()[DEFAULT_SYSTEM_ID]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    assert system.id == DEFAULT_SYSTEM_ID
    assert [c.code for c in system.categories] == [f"{n:02d}" for n in range(1, 12)]
    assert [c.name for c in system.categories] == [c["name"] for c in data["categories"]]
    assert [c.name for c in system.categories] == SEED_NAMES
    assert system.edition == "2023"
    assert "2023" in system.label
    assert system.items == ()  # items are added by the bureau, not shipped


def test_unknown_system_id_names_the_known_ones() -> None:
    with pytest.raises(ZichaError) as err:
        load_system("no-such-system")
    assert "no-such-system" in str(err.value)
    assert DEFAULT_SYSTEM_ID in str(err.value)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEAD = 'id: test-system\nname: 测试体系\nedition: "2023"\n'


def test_a_valid_file_with_items_loads(tmp_path: Path) -> None:
    path = _write(tmp_path, "ok.yaml", GOOD_HEAD + (
        'categories:\n  - {code: "01", name: 甲}\n  - {code: "02", name: 乙}\n'
        'items:\n  - {code: "02.01", name: 乙一, criterion: 有制度}\n'))
    system = load_system_file(path)
    assert [c.code for c in system.categories] == ["01", "02"]
    assert system.items[0].category_code == "02"
    assert system.items[0].criterion == "有制度"


@pytest.mark.parametrize("name, text", [
    ("syntax.yaml", GOOD_HEAD + "categories: [ {code: '01', name: 甲\n"),
    ("missing-categories.yaml", GOOD_HEAD),
    ("bad-code.yaml", GOOD_HEAD + 'categories:\n  - {code: "1", name: 甲}\n'),
    ("empty-name.yaml", GOOD_HEAD + 'categories:\n  - {code: "01", name: ""}\n'),
    ("extra-key.yaml", GOOD_HEAD + 'colour: red\ncategories:\n  - {code: "01", name: 甲}\n'),
    ("duplicate.yaml", GOOD_HEAD + 'categories:\n  - {code: "01", name: 甲}\n'
                                   '  - {code: "01", name: 乙}\n'),
    ("orphan-item.yaml", GOOD_HEAD + 'categories:\n  - {code: "01", name: 甲}\n'
                                     'items:\n  - {code: "05.01", name: 孤儿}\n'),
    ("not-a-mapping.yaml", "- just\n- a list\n"),
])
def test_a_broken_file_gives_an_error_naming_the_file(tmp_path: Path, name: str,
                                                       text: str) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(ZichaError) as err:
        load_system_file(path)
    message = str(err.value)
    assert str(path) in message
    assert "\n" not in message


def test_a_missing_file_gives_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.yaml"
    with pytest.raises(ZichaError, match="gone.yaml"):
        load_system_file(path)
