"""The sample archive a newcomer opens first: the 11 categories, demo items, a few dozen
materials of every supported type, all generated here (desktop.demo.samples), and the 市文明办's
materials at every stage of review with real signed decisions, so that review, history and
the upload-ready export can be tried at once."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.core.archive.archive import Archive, is_archive
from desktop.core.archive.items import add_item, nodes
from desktop.core.common.errors import ZichaError
from desktop.core.common.progress import Progress, follow
from desktop.core.materials.importer import STORED, ImportOptions, import_file
from desktop.core.materials.service import list_materials, update_material

DEMO_ACTOR = "示例数据"
# The sample archive's people, so review can be tried from the window at once. Their keys go
# into this computer's key store under these names, all with this passphrase (shown to the
# user when the sample archive opens); a demo key already there is reused.
DEMO_PASSPHRASE = "demo1234"
DEMO_PEOPLE = (
    ("示例经办人", "clerk"), ("示例初审", "first"), ("示例复审", "second"),
    ("示例终审", "final"), ("示例管理员", "admin"),
)
DEMO_DEPARTMENT = "市文明办"
# The demo department's materials, in import order, taken this far through review: the
# verdicts after submitting, stage by stage (三审 approved, returned at 复审, awaiting 复审,
# awaiting 初审); the rest stay drafts.
RETURN_COMMENT = "整改情况需附整改前后的对比照片，请补充后重新提交"
DEMO_REVIEWS: tuple[tuple[str, ...], ...] = (
    ("approve", "approve", "approve"), ("approve", "approve", "approve"),
    ("approve", "approve", "approve"), ("approve", "reject"), ("approve",), (),
)


def _demo_key(name: str) -> str:
    from desktop.core.review import keys

    existing = keys.own_public(name)
    if existing is None:
        return keys.new_key(name, DEMO_PASSPHRASE)
    keys.load_private(name, DEMO_PASSPHRASE)  # a key of that name that is not a demo key: stop
    return existing


def demo_steps(root: Path) -> Iterator[tuple[int, int, str]]:
    """Build the demo archive in `root`, yielding (done, total, what). If the caller stops
    early, the half-built folder stays; build_demo_archive() removes it."""
    from desktop.demo import samples

    with Archive.create(root, name="示例档案（演示数据）", actor=DEMO_ACTOR) as archive:
        for code, name, criterion in samples.DEMO_ITEMS:
            add_item(archive, code, name, f"{criterion}\n（{samples.DEMO_NOTE}）",
                     source="demo", actor=DEMO_ACTOR)
        from desktop.core.review import archival, roster

        # a 全宗号, so that a material taken through 终审 in the demo gets its 档号
        archival.set_rules(archive, archival.ArchivalRules(fonds="Z001", retention="D30"),
                           actor=DEMO_ACTOR)
        for name, role in DEMO_PEOPLE:
            roster.add_person(archive, name, DEMO_DEPARTMENT, [role], _demo_key(name),
                              actor=DEMO_ACTOR)
        with tempfile.TemporaryDirectory(prefix="zicha-demo-") as tmp:
            yield 0, 1, "生成示例文件…"
            corpus = samples.write_demo_corpus(Path(tmp))
            total = len(corpus)
            ours: list[int] = []
            for done, sample in enumerate(corpus, 1):
                options = ImportOptions(codes=[sample.item_code], department=sample.department,
                                        title=sample.title, material_type=sample.material_type,
                                        actor=DEMO_ACTOR)
                row = import_file(archive, sample.path, [sample.item_code], options)
                if row.status == STORED and row.id is not None:
                    changes: dict[str, Any] = {
                        "doc_number": sample.doc_number or "",
                        "material_date": sample.material_date,
                        "description": sample.description,
                    }
                    if sample.caption:
                        changes["caption"] = sample.caption
                    update_material(archive, row.id, changes, actor=DEMO_ACTOR)
                    if sample.department == DEMO_DEPARTMENT:
                        ours.append(row.id)
                yield done, total, sample.title
        yield total, total, "示例审核…"
        _review(archive, ours)


def _review(archive: Archive, material_ids: list[int]) -> None:
    """Each of the demo department's first materials submitted by the demo clerk and decided,
    signed with the demo reviewers' keys, as DEMO_REVIEWS says."""
    from desktop.core.review import decisions, keys

    reviewers = [name for name, role in DEMO_PEOPLE if role in ("first", "second", "final")]
    signing = {name: keys.load_private(name, DEMO_PASSPHRASE) for name in reviewers}
    clerk = DEMO_PEOPLE[0][0]
    for material_id, verdicts in zip(material_ids, DEMO_REVIEWS, strict=False):
        decisions.submit(archive, [material_id], clerk)
        for reviewer, verdict in zip(reviewers, verdicts, strict=False):
            comment = RETURN_COMMENT if verdict == "reject" else ""
            decisions.decide(archive, material_id, reviewer, verdict, comment,
                             signing[reviewer])


def build_demo_archive(root: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Build the demo archive in the new folder `root`; cancelled (Cancelled), the folder is
    removed."""
    if is_archive(root) or (root.exists() and any(root.iterdir())):
        raise ZichaError(f"{root} 已存在且不是空文件夹；示例档案需要一个新的文件夹")
    try:
        follow(demo_steps(root), progress or Progress())
    except BaseException:
        if root.exists():
            shutil.rmtree(root, ignore_errors=True)
        raise
    with Archive.open(root, writable=False) as archive:
        items = [n for n in nodes(archive) if n.parent_code is not None]
        materials = list_materials(archive)
    return {"archive": str(root), "items": len(items), "materials": len(materials)}
