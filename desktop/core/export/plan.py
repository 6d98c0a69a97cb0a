"""The export plan: which materials go where, under which name, converted how, and what is
missing, flagged or not yet approved. Computed from the archive without writing anything, so
the window can preview it and the writer can carry it out."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.core.archive import audit
from desktop.core.archive.archive import Archive
from desktop.core.archive.items import conclusions
from desktop.core.archive.kinds import NodeKind, ReviewState
from desktop.core.archive.marks import marks_json
from desktop.core.archive.models import (
    ArchiveInfo,
    Decision,
    Filing,
    IndicatorNode,
    IndicatorSystemRecord,
    Material,
    Person,
    Task,
)
from desktop.core.common import formats
from desktop.core.common.errors import ZichaError
from desktop.core.common.heap import collector_paused
from desktop.core.export import convert
from desktop.core.export.layout import (
    MAX_RELATIVE_PATH,
    check_template,
    fill_template,
    safe_name,
    seq_width,
    unique,
)
from desktop.core.export.model import (
    MAIN_SYSTEM,
    ExportFile,
    ExportPlan,
    ExportRules,
    PlannedItem,
    PlannedMaterial,
    PlannedSystem,
    SignedDecision,
)
from desktop.core.review import archival, decisions

# what LibreOffice turns into PDF when the rules ask for it (docx_to_pdf)
OFFICE_KINDS = frozenset({"docx", "doc", "xlsx", "xls", "pptx", "ppt", "rtf", "odt", "ods",
                          "odp"})
TEXT_KINDS = formats.kinds_of(formats.Family.TEXT)  # set on A4 pages unless the rules allow them
FORM_NAME = "000_测评材料提交表.docx"
MERGED_NAME = "000_合并材料.pdf"
CATALOGUE = "材料目录"
RULES_KEY = "export_rules"


def make_plan(archive: Archive, rules: ExportRules, *, all_stages: bool = False,
              soffice: str | None | bool = True) -> ExportPlan:
    """Plan an export of the final-approved materials (every material with `all_stages`).
    `soffice`: True looks LibreOffice up, otherwise the path found (None: not installed).

    Every material past 初审 is checked against what its last decision signed
    (decisions.signed_state_of): one that no longer matches is left out of a final export and
    listed in `plan.void` (write_export then refuses); a draft exports it, flagged."""
    with collector_paused():  # it reads every material exported (common/heap.py)
        return _make_plan(archive, rules, all_stages, soffice)


def _make_plan(archive: Archive, rules: ExportRules, all_stages: bool,
               soffice: str | None | bool) -> ExportPlan:
    if problem := check_template(rules.name_template):
        raise ZichaError(problem)
    if soffice is True:
        soffice = convert.find_soffice()
    info = archive.info()
    plan = ExportPlan(archive_id=info["archive_id"],
                      bureau=info.get("bureau") or info.get("name") or "",
                      rules=rules, draft=all_stages, items=[],
                      created_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    convert_docx = rules.docx_to_pdf and bool(soffice)
    if rules.docx_to_pdf and not soffice:
        plan.notes.append("未安装 LibreOffice：Office/WPS 文件保留原件，不转为 PDF")
    with archive.read() as session:
        plan.audit_head = audit.head(session).to_json()
        roster = {p.name: p.public_key for p in session.scalars(select(Person))}
        nodes = list(session.scalars(select(IndicatorNode).order_by(IndicatorNode.code)))
        plan.systems = _systems(session, nodes)
        system_of = {s.id: s for s in plan.systems}
        children: dict[str, list[IndicatorNode]] = defaultdict(list)
        for node in nodes:
            if node.parent_code:
                children[node.parent_code].append(node)
        filed: dict[str, list[int]] = defaultdict(list)
        for material_id, code in session.execute(select(Filing.material_id, Filing.node_code)):
            filed[code].append(material_id)
        materials = {m.id: m for m in session.scalars(select(Material))}
        tasks = {code: n for code, n in session.execute(
            select(Task.node_code, func.count()).group_by(Task.node_code))}
        written = conclusions(session)
        numbers = archival.numbers_of(session)
        plan.archival_rules = archival.rules_in(session).to_json()
        chains: dict[int, list[SignedDecision]] = defaultdict(list)
        rows: dict[int, list[Decision]] = defaultdict(list)
        for d in session.scalars(select(Decision).order_by(Decision.id)):
            rows[d.material_id].append(d)
            chains[d.material_id].append(SignedDecision(
                d.stage, d.verdict, d.comment, d.reviewer, d.public_key, d.decided_at,
                d.review_round, d.payload, d.signature, d.hash))
        void: dict[int, str] = {}
        for m in materials.values():
            found = decisions.signed_state_of(session, plan.archive_id, m, roster, rows[m.id])
            if found is not None:
                void[m.id] = found.reason
                plan.void.append((m.id, m.title, found.reason))
        plan.void.sort()
        position = {s.id: n for n, s in enumerate(plan.systems)}
        categories = sorted((n for n in nodes if n.kind == NodeKind.CATEGORY),
                            key=lambda n: position.get(n.system_id, len(position)))
        for category in categories:
            system = system_of.get(category.system_id) or MAIN_SYSTEM
            category_folder = safe_name(f"{category.code} {category.name}", max_chars=40)
            if system.folder:
                category_folder = f"{system.folder}/{category_folder}"
            # a category is an item of its own when it has none, or when material is filed
            # on the category itself
            own = [category] if not children[category.code] or filed[category.code] else []
            for node in own + children[category.code]:
                folder = category_folder if node is category else category_folder + "/" + \
                    safe_name(f"{node.code} {node.name}", max_chars=50)
                item = PlannedItem(node.code, node.name, category.code, category.name, folder,
                                   tasks=tasks.get(node.code, 0), system=system)
                if (said := written.get(node.code)) is not None:
                    item.conclusion, item.conclusion_by = said.text, said.written_by
                    item.conclusion_at = said.written_at.isoformat(timespec="seconds") + "Z" \
                        if said.written_at else ""
                chosen = sorted((materials[i] for i in filed[node.code]),
                                key=lambda m: (m.material_date or dt.date.max, m.id))
                ready = [m for m in chosen if all_stages or (
                    m.state == ReviewState.FINAL_APPROVED and m.id not in void)]
                item.not_ready = [(m.id, m.title, str(m.state)) for m in chosen
                                  if m not in ready and m.id not in void]
                taken = {FORM_NAME.casefold(), MERGED_NAME.casefold()}
                width = seq_width(len(ready))
                for seq, m in enumerate(ready, 1):
                    planned = _planned(m, seq, width, folder, taken, rules, convert_docx,
                                       chains[m.id])
                    if m.id in void:
                        planned.flags.insert(0, void[m.id])
                    if (number := numbers.get(m.id)) is not None:
                        planned.archival_number = number.to_json()
                    item.materials.append(planned)
                plan.items.append(item)
        plan.archival_register = _register_extract(session, plan)
    return plan


def _register_extract(session: Session, plan: ExportPlan) -> list[dict[str, object]]:
    """Every register line (in force or withdrawn) of the sequences the exported materials are
    numbered in: what 四性检测 needs to see that each has no gaps (without titles: the lines of
    materials not exported name nothing about them but their global id)."""
    keys = {(n["fonds"], n["year"], n["retention"]) for m in plan.materials
            if (n := m.archival_number) is not None}
    lines = []
    for line in archival.register_in(session):
        if (line.code.fonds, line.code.year, line.code.retention) in keys:
            data = line.to_json()
            del data["title"], data["assigned_by"]
            lines.append(data)
    return lines


def _systems(session: Session, nodes: list[IndicatorNode]) -> list[PlannedSystem]:
    """The archive's systems in their order, the city system first. The city system's
    categories stay directly under data/ (as in exports made before there were several); each
    added system gets a top folder named after it, told apart from the city system's category
    folders and from each other as Windows compares names."""
    records = list(session.scalars(select(IndicatorSystemRecord)
                                   .order_by(IndicatorSystemRecord.position)))
    main = {r.id for r in records if r.prefix == ""}
    taken = {f"{CATALOGUE}.docx".casefold(), f"{CATALOGUE}.xlsx".casefold()}
    taken |= {safe_name(f"{n.code} {n.name}", max_chars=40).casefold() for n in nodes
              if n.kind == NodeKind.CATEGORY and n.system_id in main}
    found = []
    for r in records:
        folder = "" if r.id in main else unique(safe_name(r.name, max_chars=40), taken)
        found.append(PlannedSystem(r.id, r.prefix, r.name, r.edition, r.weight, folder))
    return found


def refusal(plan: ExportPlan) -> ZichaError | None:
    """Why `plan` may not be written as a final export, or None: a material whose state claims
    an approval its signatures do not back (changed after signing, forged or broken) must not go
    out as approved. The whole export is refused rather than that material quietly left out: an
    export missing it would pass its own 四性检测 and be uploaded as complete, and a change
    behind the core's back (approved materials are read-only) is for the 创文办 to look into."""
    if plan.draft or not plan.void:
        return None
    shown = "；".join(f"材料 #{i}《{t}》{r}" for i, t, r in plan.void[:5])
    more = f"（共 {len(plan.void)} 份）" if len(plan.void) > 5 else ""
    first = plan.void[0][0]
    return ZichaError(f"不能导出：{shown}{more}；不能作为终审通过的材料导出",
                      hint=f"用 zicha history {first} 查看签名时与现在的不同")


def _planned(m: Material, seq: int, width: int, folder: str, taken: set[str],
             rules: ExportRules, convert_docx: bool, chain: list[SignedDecision]
             ) -> PlannedMaterial:
    # a photo is one page (and becomes one A4 page); DOCX/XLSX pages are unknown
    pages = [f.blob.page_count or (1 if f.blob.kind in formats.IMAGE_KINDS else 0)
             for f in m.files]
    pages = [n for n in pages if n]
    planned = PlannedMaterial(
        id=m.id, seq=seq, title=m.title, doc_number=m.doc_number,
        material_date=m.material_date.isoformat() if m.material_date else None,
        department=m.department.name if m.department else "", material_type=m.material_type,
        state=str(m.state), page_count=sum(pages) if pages else None,
        caption={"时间": m.caption_time, "地点": m.caption_place, "人物": m.caption_people,
                 "主题": m.caption_subject, "背景": m.caption_background,
                 "事由": m.caption_reason},
        decisions=chain, bonus=m.bonus_facts, marks=marks_json(m),
        signed_as={"archive": m.origin_archive, "id": m.origin_id}
        if m.origin_archive and m.origin_id is not None else None)
    planned.flags.extend(_date_flags(m.material_date, rules))
    several = len(m.files) > 1
    for n, f in enumerate(m.files, 1):
        kind = f.blob.kind
        action = _action(kind, rules, convert_docx)
        ext = ".pdf" if action != "copy" else _extension(kind, f.filename)
        number = f"{seq:0{width}d}" + (f"-{n}" if several else "")
        name = fill_template(rules.name_template, {
            "序号": number, "材料名称": m.title, "文号": m.doc_number,
            "日期": planned.material_date or "", "责任单位": planned.department})
        room = max(20, MAX_RELATIVE_PATH - len(folder) - 1)
        filename = unique(safe_name(name, max_chars=min(80, room), suffix=ext), taken)
        planned.files.append(ExportFile(f"{folder}/{filename}", m.id, f.sha256, f.filename,
                                        kind, action, f.blob.size, f.blob.sm3))
        target_kind = "pdf" if action != "copy" else kind
        if target_kind not in rules.allowed_formats:
            planned.flags.append(_format_flag(f.filename, kind, rules, bool(convert_docx)))
        if action == "copy" and f.blob.size > rules.max_file_bytes:
            planned.flags.append(f"文件 {f.filename} 有 {f.blob.size / 1048576:.1f} MB，"
                                 f"超过每个文件 {rules.max_file_mb:g} MB 的上限")
    return planned


def _action(kind: str, rules: ExportRules, convert_office: bool) -> str:
    if kind in formats.IMAGE_KINDS and rules.images_to_pdf:
        return "image_pdf"
    if kind == "ofd" and rules.ofd_to_pdf:
        return "ofd_pdf"
    if kind in TEXT_KINDS and kind not in rules.allowed_formats:
        return "text_pdf"  # a 情况说明 kept as .txt: set on pages, as nothing else reads it
    if kind == "docx" and convert_office:
        return "docx_pdf"
    if kind in OFFICE_KINDS and convert_office:
        return "office_pdf"
    return "copy"


def _extension(kind: str, filename: str) -> str:
    """A copied file's extension: its kind's usual one; the filed name's for a kind that has
    none (an unrecognised file keeps the extension it came with)."""
    return formats.format_of(kind).extension or Path(filename).suffix.lower()


def _format_flag(filename: str, kind: str, rules: ExportRules, converting: bool) -> str:
    flag = (f"文件 {filename} 的格式（{formats.label(kind)}）不在允许的格式"
            f"（{'、'.join(formats.label(k) for k in rules.allowed_formats)}）中")
    if kind in OFFICE_KINDS and not converting and rules.docx_to_pdf:
        flag += "；未安装 LibreOffice，不能转为 PDF：安装后可转换，或在导出规则中允许这种格式"
    elif kind in OFFICE_KINDS and not converting:
        flag += ("；选择“Office/WPS 文件转为 PDF”（需要 LibreOffice）可转换，"
                 "或在导出规则中允许这种格式")
    elif kind in formats.MEDIA_KINDS:
        flag += "；请转为 MP4 后再导入，或在导出规则中允许这种格式"
    else:
        flag += "；请换成允许的格式，或在导出规则中允许这种格式"
    return flag


def _date_flags(day: dt.date | None, rules: ExportRules) -> list[str]:
    window = rules.window()
    if window is None:
        return []
    if day is None:
        return ["未填日期，无法判断是否在测评时限内"]
    start, end = window
    if not start <= day <= end:
        return [f"日期 {day.isoformat()} 不在测评时限 {start.isoformat()} 至 {end.isoformat()} 内"]
    return []


def archive_rules(archive: Archive) -> ExportRules:
    """The archive's export rules (set from the bureau profile or the export dialog), or the
    defaults."""
    stored = archive.info().get(RULES_KEY)
    return ExportRules.from_json(json.loads(stored)) if stored else ExportRules()


def save_rules(archive: Archive, rules: ExportRules, *, actor: str | None = None) -> None:
    if problem := check_template(rules.name_template):
        raise ZichaError(problem)
    if rules.max_file_mb <= 0:
        raise ZichaError("每个文件的大小上限必须大于 0")
    if rules.stamp_color not in ("red", "black"):
        raise ZichaError(f"归档章的颜色只能是红色（red）或黑色（black），不是“{rules.stamp_color}”")
    value = json.dumps(rules.to_json(), ensure_ascii=False, sort_keys=True)
    with archive.write(actor) as (session, log):
        row = session.get(ArchiveInfo, RULES_KEY)
        if row is not None and row.value == value:
            return
        if row is None:
            session.add(ArchiveInfo(key=RULES_KEY, value=value))
        else:
            row.value = value
        log("export.rules", "archive", rules.to_json())


def summary(plan: ExportPlan) -> dict[str, object]:
    """What the preview shows, as data: per item the materials, files and flags; per system
    (the city system first) its items, materials and files."""
    return {
        "draft": plan.draft, "bureau": plan.bureau, "notes": plan.notes,
        "materials": len({m.id for m in plan.materials}),
        "files": sum(len(m.files) for m in plan.materials),
        "systems": [{
            **system.to_json(), "label": system.label,
            "folder": f"data/{system.folder}" if system.folder else "data",
            "items": len(items),
            "materials": len({m.id for i in items for m in i.materials}),
            "files": sum(len(m.files) for i in items for m in i.materials),
            "missing": [i.code for i in items if not i.materials],
        } for system, items in plan.sections],
        "items": [{
            "code": item.code, "name": item.name, "folder": item.folder,
            "system": item.system.id,
            "materials": [{"id": m.id, "seq": m.seq, "title": m.title, "flags": m.flags,
                           "files": [{"path": f.path, "action": f.action} for f in m.files]}
                          for m in item.materials],
            "not_ready": [{"id": i, "title": t, "state": s} for i, t, s in item.not_ready],
        } for item in plan.items],
        "missing": [item.code for item in plan.missing],
        "void": [{"id": i, "title": t, "reason": r} for i, t, r in plan.void],
    }
