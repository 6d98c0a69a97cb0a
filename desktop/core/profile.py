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
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from desktop.core import review
from desktop.core.archive import Archive
from desktop.core.errors import ZichaError
from desktop.core.export.model import ExportRules
from desktop.core.export.plan import save_rules
from desktop.core.materials import department_named
from desktop.core.models import ArchiveInfo

FORMAT = "zicha-bureau-profile/1"
BAKED_NAME = "bureau-profile"  # the build puts <name>.yaml (and the logo) into the bundle


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


def load_profile(path: Path) -> Profile:
    """Read and validate a profile; every mistake is reported with the file and the place."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ZichaError(f"无法读取单位配置文件 {path}：{exc.strerror or exc}") from None
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            data = yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise ZichaError(f"单位配置文件 {path.name} 无法解析（应为 UTF-8 的 YAML 或 TOML）："
                         f"{str(exc).splitlines()[0]}") from None
    if isinstance(data, dict) and isinstance(data.get("export", {}).get("evaluation_date"),
                                              dt.date):
        data["export"]["evaluation_date"] = data["export"]["evaluation_date"].isoformat()
    errors = sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "（顶层）"
        raise ZichaError(f"单位配置文件 {path.name} 的 {where} 有误：{first.message}"
                         + (f"（另有 {len(errors) - 1} 处）" if len(errors) > 1 else ""))
    people = data.get("people", [])
    names = [p["name"] for p in people]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ZichaError(f"单位配置文件 {path.name} 中 {dup} 出现了两次")
    departments = set(data.get("departments", []))
    for person in people:
        if departments and person["department"] not in departments:
            raise ZichaError(f"单位配置文件 {path.name}：{person['name']} 的单位"
                             f"“{person['department']}”不在 departments 中")
    return Profile(path, data)


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
        if "tasks" in data and "warn_days" in data["tasks"]:
            row = session.get(ArchiveInfo, "task_warn_days")
            value = str(data["tasks"]["warn_days"])
            if row is None:
                session.add(ArchiveInfo(key="task_warn_days", value=value))
            else:
                row.value = value
        log("profile.apply", "archive", {"profile": profile.path.name, "bureau": profile.bureau,
                                         "code": profile.code})
    known = {p.name for p in review.people(archive)}
    for person in data.get("people", []):
        if person["name"] not in known:
            review.add_person(archive, person["name"], person["department"], person["roles"],
                              person["public_key"], actor=actor)
    if "export" in data:
        fields = {f.name for f in dataclasses.fields(ExportRules)}
        rules = ExportRules.from_json({k: v for k, v in data["export"].items() if k in fields})
        save_rules(archive, rules, actor=actor)


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
