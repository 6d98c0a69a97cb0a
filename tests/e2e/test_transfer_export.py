"""The city's upload export holds the departments' transferred material (issue 16): the
manifest names each transferred material by the identity its signatures carry (signed_as),
and 四性检测 verifies those signatures — also a forged signed_as is caught."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import bagit

from tests.e2e.test_cli_transfer import DEPARTMENTS, Bureau, bureau  # noqa: F401


def test_the_city_exports_and_verifies_the_departments_material(bureau: Bureau,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    b = bureau
    for dept in DEPARTMENTS:
        b.send(dept, tmp_path / f"{dept}.zip")
        b.apply(tmp_path / f"{dept}.zip")
    listed = b.ok_json("创文办主任", b.city, "list")
    for m in listed:  # the city's own reviewers take the 复审 and 终审
        b.ok("市复审人", b.city, "review", m["id"], "--as", "市复审人", "--approve",
             "--comment", "复审同意")
        b.ok("市终审人", b.city, "review", m["id"], "--as", "市终审人", "--approve",
             "--comment", "终审同意")
    out = tmp_path / "申报材料.zip"
    # the departments also sent .txt records: this city's platform takes text files too
    result = b.ok_json("创文办主任", b.city, "export", out, "--formats", "pdf,text")
    assert result["verify"]["ok"], result["verify"]
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read(next(n for n in zf.namelist()
                                           if n.endswith("zicha/manifest.json"))))
    exported = manifest["materials"]
    assert len(exported) == 6
    origins = {m["signed_as"]["archive"] for m in exported}
    assert len(origins) == 3 and manifest["archive_id"] not in origins
    assert {m["department"] for m in exported} == set(DEPARTMENTS)
    assert b.cli.run("verify", out).returncode == 0

    folder = tmp_path / "解压"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(folder)
    [bag_root] = [p for p in folder.iterdir() if p.is_dir()]
    bagit.Bag(str(bag_root)).validate()

    # a manifest that names a transferred material by another number fails the 真实性 check
    forged = tmp_path / "改过"
    shutil.copytree(bag_root, forged)
    path = forged / "zicha" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["materials"][0]["signed_as"]["id"] += 100
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    failed = b.cli.run("verify", forged)
    assert failed.returncode == 1
    assert "审核签名无法验证" in failed.stdout, str(failed)
