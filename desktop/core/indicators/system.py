"""Indicator systems (测评体系) as data: loaded from schema/indicators/*.yaml and validated.

YAML and jsonschema are imported when a system file is first read, not with this module: most
commands open an archive without reading its system, and the two cost ~40-80 ms of start-up.
A file read once is kept for the process (keyed by its path, size and modification time)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from desktop.core.common.errors import ZichaError

DEFAULT_SYSTEM_ID = "cn-wmcs-2023-prefecture"


@dataclass(frozen=True)
class CategoryDef:
    code: str
    name: str


@dataclass(frozen=True)
class ItemDef:
    code: str
    name: str
    criterion: str = ""

    @property
    def category_code(self) -> str:
        return self.code.split(".", 1)[0]


def system_label(name: str, edition: str) -> str:
    """How a system is named to people: 全国未成年人思想道德建设工作测评体系（2023年版）."""
    return f"{name}（{edition}年版）" if edition else name


@dataclass(frozen=True)
class IndicatorSystem:
    id: str
    name: str
    edition: str
    level: str
    categories: tuple[CategoryDef, ...]
    items: tuple[ItemDef, ...] = field(default=())
    prefix: str = ""  # proposed prefix of its codes when it joins an archive with another
    weight: int | None = None  # per cent of the city's total

    @property
    def label(self) -> str:
        return system_label(self.name, self.edition)


def _schema_dir() -> Path:
    return Path(str(resources.files("desktop.schema")))


def system_files() -> dict[str, Path]:
    """Shipped systems by id."""
    import yaml

    found: dict[str, Path] = {}
    for path in sorted((_schema_dir() / "indicators").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[str(data.get("id"))] = path
    return found


def load_system_file(path: Path) -> IndicatorSystem:
    try:
        stat = path.stat()
    except OSError as exc:
        raise ZichaError(f"测评体系文件 {path} 无法读取: {' '.join(str(exc).split())}") from exc
    return _load_system_file(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _load_system_file(path: Path, _size: int, _mtime_ns: int) -> IndicatorSystem:
    import jsonschema
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:  # YAML errors span several lines: keep one
        raise ZichaError(f"测评体系文件 {path} 无法读取: {' '.join(str(exc).split())}") from exc
    schema = json.loads((_schema_dir() / "indicator-system.schema.json").read_text("utf-8"))
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(根)"
        raise ZichaError(f"测评体系文件 {path} 格式不对（{where}）: {exc.message}") from exc
    return system_from_data(data, f"测评体系文件 {path}")


def system_from_data(data: dict, where: str) -> IndicatorSystem:
    """A system from data already checked against the schema (a system file, or an entry of a
    bureau profile); `where` names it in messages ("测评体系文件 X.yaml")."""
    categories = tuple(CategoryDef(c["code"], c["name"]) for c in data.get("categories", []))
    codes = [c.code for c in categories]
    if len(set(codes)) != len(codes):
        raise ZichaError(f"{where} 中测评项目编号重复")
    items = tuple(
        ItemDef(i["code"], i["name"], i.get("criterion", "")) for i in data.get("items", [])
    )
    if len({i.code for i in items}) != len(items):
        raise ZichaError(f"{where} 中测评内容编号重复")
    for item in items:
        if item.category_code not in codes:
            raise ZichaError(f"{where}: 测评内容 {item.code} 没有对应的测评项目")
    return IndicatorSystem(
        id=data["id"],
        name=data["name"],
        edition=data.get("edition", ""),
        level=data.get("level", ""),
        categories=categories,
        items=items,
        prefix=data.get("prefix", ""),
        weight=data.get("weight"),
    )


def load_system(system_id: str = DEFAULT_SYSTEM_ID) -> IndicatorSystem:
    files = system_files()
    if system_id not in files:
        known = "、".join(files) or "（无）"
        raise ZichaError(f"未知的测评体系 {system_id}；可用: {known}")
    return load_system_file(files[system_id])
