"""The bureau profile: one YAML or TOML file (schema/bureau-profile.schema.json) that an
installer carries, so a new archive already knows the bureau, its departments, its people and
their public keys, the task-list defaults and the export rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.core.archive.archive import Archive, AuditLogger
from desktop.core.archive.models import ArchiveInfo, IndicatorSystemRecord
from desktop.core.archive.systems import add_definition, bureau_system_id
from desktop.core.common import limits
from desktop.core.common.errors import ZichaError
from desktop.core.common.limits import quoted, size_text
from desktop.core.export.model import ExportRules
from desktop.core.export.plan import save_rules
from desktop.core.indicators.system import IndicatorSystem, system_from_data
from desktop.core.review import archival, roster
from desktop.core.review.roster import department_named

FORMAT = "zicha-bureau-profile/1"
BAKED_NAME = "bureau-profile"  # the build puts <name>.yaml (and the logo) into the bundle
MAX_DEPTH = 20  # nesting of a profile's YAML; the schema needs 4


@dataclass(frozen=True)
class Profile:
    path: Path
    data: dict[str, Any]

    @property
    def bureau(self) -> str:
        return self.data["bureau"]["name"]

    @property
    def code(self) -> str:
        return self.data["bureau"]["code"]

    @property
    def system(self) -> str | None:
        return self.data.get("system")

    @property
    def title(self) -> str:
        return self.data.get("window", {}).get("title") or self.bureau

    @property
    def logo(self) -> Path | None:
        name = self.data.get("window", {}).get("logo")
        return (self.path.parent / name) if name else None


def _schema() -> dict[str, Any]:
    text = (resources.files("desktop.schema") / "bureau-profile.schema.json").read_text("utf-8")
    return json.loads(text)


class _Refused(yaml.YAMLError):
    """A YAML construct a profile may not use, with where it is."""

    def __init__(self, what: str, mark: yaml.Mark | None) -> None:
        super().__init__(what)
        self.what = what
        self.line = mark.line + 1 if mark is not None else None


class _ProfileLoader(yaml.SafeLoader):
    """safe_load without anchors and aliases (a few lines of `&a [*a, *a, …]` expand to more
    than any machine holds) and with dates kept as written, checked below."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused("使用了 YAML 锚点或别名（& 或 *）", event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise _Refused(f"嵌套超过 {MAX_DEPTH} 层上限", event.start_mark)
        self.depth += 1
        try:
            # PyYAML passes a mapping's key node as `index` too; its stubs say int
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


# the stubs solve the constructor's `self` to SafeConstructor, not a loader class
_ProfileLoader.add_constructor("tag:yaml.org,2002:timestamp",
                               yaml.SafeLoader.construct_scalar)  # type: ignore[type-var]


def _parse(path: Path, raw: bytes) -> Any:
    name = quoted(path.name)
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(raw.decode("utf-8"))
        return yaml.load(raw.decode("utf-8"), Loader=_ProfileLoader)
    except _Refused as exc:
        where = f"第 {exc.line} 行" if exc.line else ""
        raise ZichaError(f"单位配置文件 {name} {where}{exc.what}，不支持；"
                         "请检查文件内容（重复的内容请直接写出）") from None
    except RecursionError:
        raise ZichaError(f"单位配置文件 {name} 嵌套层次过深，无法解析；请检查文件内容") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ZichaError(f"单位配置文件 {name} 无法解析（应为 UTF-8 的 YAML 或 TOML）："
                         f"{quoted(first, 120)}") from None


def _check_dates(name: str, data: Any) -> None:
    export = data.get("export") if isinstance(data, dict) else None
    if not isinstance(export, dict) or export.get("evaluation_date") is None:
        return
    value = export["evaluation_date"]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):  # from TOML
        export["evaluation_date"] = value.isoformat()
        return
    try:
        dt.date.fromisoformat(value if isinstance(value, str) else "")
        if len(value) != 10:
            raise ValueError(value)
    except ValueError:
        raise ZichaError(f"单位配置文件 {name} 的 export/evaluation_date 有误：“{quoted(value)}”"
                         "不是有效的日期；应写成 YYYY-MM-DD，例如 2024-06-30") from None


def _schema_message(error: jsonschema.ValidationError) -> str:
    """The validator's message with the value it quotes shortened."""
    message, shown = error.message, repr(error.instance)
    if len(shown) > limits.QUOTE_CHARS:
        short = (f"'{quoted(error.instance)}'" if isinstance(error.instance, str)
                 else quoted(shown))
        message = message.replace(shown, short)
    return quoted(message, 200)


def load_profile(path: Path) -> Profile:
    """Read and validate a profile; every mistake is reported with the file and the place.
    The file may have at most limits.PROFILE_MAX_BYTES and no YAML anchors or aliases."""
    path = Path(path)
    name = quoted(path.name)
    try:
        with path.open("rb") as handle:
            raw = handle.read(limits.PROFILE_MAX_BYTES + 1)
    except OSError as exc:
        raise ZichaError(f"无法读取单位配置文件 {quoted(path)}：{exc.strerror or exc}") from None
    if len(raw) > limits.PROFILE_MAX_BYTES:
        raise ZichaError(f"单位配置文件 {name} 超过 {size_text(limits.PROFILE_MAX_BYTES)} 上限；"
                         "单位配置只写单位、部门、人员和导出规则，请检查是否选错了文件")
    data = _parse(path, raw)
    _check_dates(name, data)
    errors = sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = quoted("/".join(str(p) for p in first.absolute_path)) or "（顶层）"
        raise ZichaError(f"单位配置文件 {name} 的 {where} 有误：{_schema_message(first)}"
                         + (f"（另有 {len(errors) - 1} 处）" if len(errors) > 1 else ""))
    people = data.get("people", [])
    names = [p["name"] for p in people]
    if len(set(names)) != len(names):
        dup = next(n for n, count in Counter(names).items() if count > 1)
        raise ZichaError(f"单位配置文件 {name} 中 {quoted(dup)} 出现了两次")
    departments = set(data.get("departments", []))
    for person in people:
        if departments and person["department"] not in departments:
            raise ZichaError(f"单位配置文件 {name}：{quoted(person['name'])} 的单位"
                             f"“{quoted(person['department'])}”不在 departments 中")
    prefixes = [entry["prefix"] for entry in data.get("systems", [])]
    if len(set(prefixes)) != len(prefixes):
        dup = next(p for p, count in Counter(prefixes).items() if count > 1)
        raise ZichaError(f"单位配置文件 {name} 的 systems 中编号前缀 {dup} 用了两次")
    profile = Profile(path, data)
    for n, entry in enumerate(data.get("systems", [])):
        _system_of(profile, n, entry)  # a mistake is named before any archive is made
    return profile


def _system_of(profile: Profile, n: int, entry: dict[str, Any]) -> IndicatorSystem:
    data = {"id": entry.get("id") or bureau_system_id(entry["prefix"]), **entry}
    return system_from_data(data, f"单位配置文件 {quoted(profile.path.name)} 的 systems/{n}")


def apply_profile(archive: Archive, profile: Profile, *, actor: str | None = None) -> None:
    """Record the bureau, its departments and people, task and export defaults in `archive`
    (a new one; people already on the roster are left as they are)."""
    data = profile.data
    with archive.write(actor) as (session, log):
        for key, value in (("bureau", profile.bureau), ("bureau_code", profile.code),
                           ("window_title", profile.title)):
            row = session.get(ArchiveInfo, key)
            if row is None:
                session.add(ArchiveInfo(key=key, value=value))
            else:
                row.value = value
        for name in data.get("departments", []):
            department_named(session, name)
        _add_systems(session, log, profile)
        if "tasks" in data and "warn_days" in data["tasks"]:
            row = session.get(ArchiveInfo, "task_warn_days")
            value = str(data["tasks"]["warn_days"])
            if row is None:
                session.add(ArchiveInfo(key="task_warn_days", value=value))
            else:
                row.value = value
        log("profile.apply", "archive", {"profile": profile.path.name, "bureau": profile.bureau,
                                         "code": profile.code})
    known = {p.name for p in roster.people(archive)}
    for person in data.get("people", []):
        if person["name"] not in known:
            roster.add_person(archive, person["name"], person["department"], person["roles"],
                              person["public_key"], actor=actor)
    if "archival" in data:
        numbering = archival.ArchivalRules.from_json(data["archival"])
        with archive.write(actor) as (session, log):
            archival.save_rules_in(session, log, numbering, actor=log.actor, check_actor=False)
    if "export" in data:
        fields = {f.name for f in dataclasses.fields(ExportRules)}
        rules = ExportRules.from_json({k: v for k, v in data["export"].items() if k in fields})
        save_rules(archive, rules, actor=actor)


def _add_systems(session: Session, log: AuditLogger, profile: Profile) -> None:
    """The profile's systems that the archive has not yet (by id or prefix)."""
    have = {(r.id, r.prefix) for r in session.scalars(select(IndicatorSystemRecord))}
    for n, entry in enumerate(profile.data.get("systems", [])):
        system = _system_of(profile, n, entry)
        if any(system.id == i or entry["prefix"] == p for i, p in have):
            continue
        add_definition(session, log, system, prefix=entry["prefix"],
                       weight=entry.get("weight"),
                       source="file" if system.categories else "bureau",
                       file=profile.path.name)


def create_from_profile(root: Path, profile: Profile, *, actor: str | None = None) -> Archive:
    """A new archive for the bureau: its indicator system, name and everything in the profile."""
    kwargs = {"system_id": profile.system} if profile.system else {}
    archive = Archive.create(root, name=profile.bureau, actor=actor, **kwargs)
    try:
        apply_profile(archive, profile, actor=actor)
    except BaseException:
        archive.close()
        raise
    return archive


def baked_profile() -> Profile | None:
    """The profile an installer was built with: $ZICHA_PROFILE, else bureau-profile.yaml inside
    the application (placed there by packaging/build), else none."""
    env = os.environ.get("ZICHA_PROFILE")
    candidates = [Path(env)] if env else []
    candidates.append(Path(str(resources.files("desktop.resources") / f"{BAKED_NAME}.yaml")))
    if getattr(sys, "frozen", False):
        candidates.append(Path(sys.executable).parent / f"{BAKED_NAME}.yaml")
    for path in candidates:
        if path.is_file():
            return load_profile(path)
    return None
