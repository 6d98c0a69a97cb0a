"""A real archive with many materials, filled in bulk through the ORM (fast: small text files
written straight into the store, nothing parsed, no audit entries): for the tests and the
screenshot of the paged material table."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

from sqlalchemy import insert, select

from desktop.core.archive.archive import Archive
from desktop.core.archive.items import add_item
from desktop.core.archive.models import (
    ArchivalNumber,
    Blob,
    Department,
    Filing,
    Material,
    MaterialFile,
)

WORDS = ("志愿服务", "垃圾分类", "文明交通", "Alpha", "beta", "诚信建设", "IMG", "公共文化")
TAILS = ("工作方案", "台账", "总结", "通知", "_0001", "")
TYPES = ("制度机制", "图片", "活动记录", "其他")  # of kinds.MATERIAL_TYPES: what the editor offers
STATES = ("draft", "submitted", "first_approved", "final_approved", "returned")
ITEMS = ("01.01", "01.02", "03.01")


def fill(root: Path, n: int, seed: int = 3, server_url: str | None = None) -> Path:
    """A new archive in `root` with `n` materials of varied titles, 文号, dates, departments,
    types, states, 测评内容 and page counts (some fields empty, some files shared); with
    `server_url` a server archive in that (empty) PostgreSQL database."""
    rng = random.Random(seed)
    with Archive.create(root, server_url=server_url) as archive:
        for code in ITEMS:
            add_item(archive, code, f"测评内容 {code}")
        now = dt.datetime(2024, 6, 1)
        with archive.write("test") as (session, _log):
            for name in ("市文明办", "市城管局", "团市委"):
                session.add(Department(name=name))
            session.flush()
            departments = list(session.scalars(select(Department.id)))
            blobs = []
            for b in range(max(1, n // 4)):
                body = f"材料内容 {b}\n".encode()
                sha = hashlib.sha256(body).hexdigest()
                path = archive.store.path_for(sha)  # a real stored file the viewer can show
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(body)
                blobs.append({"sha256": sha, "size": len(body), "kind": "text",
                              "mime": "text/plain", "page_count": b % 4 or None,
                              "stored_at": now})
            session.execute(insert(Blob), blobs)
            materials, files, filings = [], [], []
            for i in range(1, n + 1):
                word, tail = rng.choice(WORDS), rng.choice(TAILS)
                materials.append({
                    "id": i, "title": f"{word}{tail}" if i % 7 else f"{word}{tail}{i}",
                    "doc_number": f"吴文明委〔2024〕{i % 50}号" if i % 3 else "",
                    "material_date": dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(500))
                    if i % 5 else None,
                    "department_id": rng.choice(departments) if i % 6 else None,
                    "material_type": rng.choice(TYPES), "description": "",
                    "state": rng.choice(STATES), "created_at": now, "updated_at": now,
                    "created_by": "test", "uid": f"00000000-0000-4000-8000-{i:012d}"})
                for position in range(1 + (i % 9 == 0)):
                    blob = blobs[(i + position) % len(blobs)]
                    files.append({"material_id": i, "sha256": blob["sha256"], "position": position,
                                  "filename": f"{materials[-1]['title'] or i}.txt" if i % 4
                                  else f"IMG_{i:04d}.jpg"})
                for code in rng.sample(ITEMS, 1 + (i % 10 == 0)):
                    filings.append({"material_id": i, "node_code": code})
            session.execute(insert(Material), materials)
            session.execute(insert(MaterialFile), files)
            session.execute(insert(Filing), filings)
            # a 档号 for the final-approved ones, in two 年度, one withdrawn
            numbers = []
            for m in materials:
                if m["state"] == "final_approved":
                    year = 2023 + len(numbers) % 2
                    numbers.append({
                        "fonds": "Z001", "year": year, "retention": "D30" if m["id"] % 2 else "Y",
                        "piece": len(numbers) + 1, "material_id": m["id"],
                        "material_uid": m["uid"], "title": m["title"], "assigned_at": now,
                        "assigned_by": "test",
                        "withdrawn_at": now if len(numbers) == 3 else None})
            if numbers:
                session.execute(insert(ArchivalNumber), numbers)
    return root
