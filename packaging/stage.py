"""Build steps that need the installed app and its dependencies; packaging/build.py runs this
with the build venv's Python, never the developer's.

    stage.py info PROFILE                  the profile's facts as JSON (validates it)
    stage.py notices OUT [--extra TITLE=FILE ...]
                                           THIRD-PARTY-NOTICES.txt from the installed
                                           distributions that `zicha` depends on
    stage.py icon SVG OUT.ico              a multi-size Windows icon from the SVG
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # pip always carries a copy
    from pip._vendor.packaging.requirements import Requirement

ROOT_DIST = "zicha"
LICENCE_FILE = re.compile(r"(^|[-_.])(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT|ThirdPartyNotices)",
                          re.IGNORECASE)
RULE = "=" * 78
LICENCES = Path(__file__).resolve().parent / "licences"
# standard texts for distributions whose wheels ship no licence file (packaging/licences/)
FALLBACK_TEXTS = {
    "pyside6-essentials": ["LGPL-3.0.txt", "GPL-3.0.txt"],
    "shiboken6": ["LGPL-3.0.txt", "GPL-3.0.txt"],
    "flatbuffers": ["Apache-2.0.txt"],
    "jieba": ["jieba-MIT.txt"],
}


def cmd_info(args: argparse.Namespace) -> int:
    from desktop import __version__
    from desktop.core.admin.profile import load_profile
    from desktop.core.common.errors import ZichaError

    try:
        profile = load_profile(Path(args.profile))
    except ZichaError as exc:
        print(f"build: {exc}", file=sys.stderr)
        return 1
    logo = profile.data.get("window", {}).get("logo")
    json.dump({"version": __version__, "bureau": profile.bureau, "code": profile.code,
               "title": profile.title, "logo": logo}, sys.stdout, ensure_ascii=False)
    return 0


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# what packaging/build.py's local_wheels installs in place of a distribution (LOCAL_REPLACES)
REPLACED_BY = {"psycopg-binary": "psycopg-c"}


def runtime_closure(root: str = ROOT_DIST) -> list[metadata.Distribution]:
    """`root` and everything it requires (markers evaluated for this platform, with the
    extras a requirement names, e.g. psycopg[binary]): exactly what the bundle can contain,
    and none of the build tools in the same venv. A distribution the build replaced
    (REPLACED_BY) counts with the one that took its place."""
    seen: dict[str, metadata.Distribution] = {}
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, extras = todo.pop()
        name = _key(name)
        if (name, extras) in done:
            continue
        done.add((name, extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            if name in REPLACED_BY:
                todo.append((REPLACED_BY[name], frozenset()))
            continue  # an optional requirement that is not installed
        seen[name] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or any(req.marker.evaluate({"extra": e})
                                         for e in ("", *extras)):
                todo.append((req.name, frozenset(req.extras)))
    return sorted(seen.values(), key=lambda d: _key(d.metadata["Name"]))


def _licence_name(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return meta["License-Expression"]
    short = (meta.get("License") or "").strip()
    if short and "\n" not in short and len(short) < 120:
        return short
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    return short.splitlines()[0] if short else "unknown"


def _licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in dist.files or []:
        name = file.name
        if not LICENCE_FILE.search(name) or name.endswith((".py", ".pyc", ".so", ".pyd")):
            continue
        path = Path(str(dist.locate_file(file)))
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        if b"\0" in raw[:4096]:
            continue
        texts.append((str(file), raw.decode("utf-8", "replace").strip()))
    if not texts:
        # an old-style distribution may carry the whole licence in its metadata
        short = (dist.metadata.get("License") or "").strip()
        if "\n" in short:
            texts.append(("METADATA License", short))
    if not texts:
        for name in FALLBACK_TEXTS.get(_key(dist.metadata["Name"]), []):
            texts.append((f"{name} (standard text; the wheel ships none)",
                          (LICENCES / name).read_text("utf-8").strip()))
    return texts


def _section(title: str, facts: list[str], texts: list[tuple[str, str]]) -> str:
    lines = [RULE, title, *facts]
    if not texts:
        lines.append("(the distribution ships no licence file)")
    for source, text in texts:
        lines += ["", f"--- {source} ---", "", text]
    return "\n".join(lines) + "\n\n"


def cmd_notices(args: argparse.Namespace) -> int:
    parts = [
        "Zicha 材料自查档案 — third-party notices\n\n"
        "Zicha itself is licensed under the GNU Affero General Public License v3.0 or later\n"
        "(see LICENSE). This application bundles the software listed below, each under its own\n"
        "licence. The list is generated at build time from the installed distributions.\n\n"
        "Qt and PySide6 are used under the GNU Lesser General Public License v3.0: the Qt\n"
        "libraries are the unmodified shared libraries in the PySide6 folder of this\n"
        "installation and can be replaced by compatible builds; their source code is available\n"
        "from https://download.qt.io/ and https://code.qt.io/.\n\n"
    ]
    dists = runtime_closure()
    summary = [f"  {d.metadata['Name']} {d.version}: {_licence_name(d)}"
               for d in dists if _key(d.metadata["Name"]) != ROOT_DIST]
    parts.append("Summary:\n" + "\n".join(summary) + "\n\n")
    for dist in dists:
        name = dist.metadata["Name"]
        if _key(name) == ROOT_DIST:
            continue
        facts = [f"Version: {dist.version}", f"Licence: {_licence_name(dist)}"]
        if dist.metadata.get("Home-page"):
            facts.append(f"Home page: {dist.metadata['Home-page']}")
        parts.append(_section(name, facts, _licence_texts(dist)))

    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    texts = [("LICENSE.txt", python_licence.read_text("utf-8", "replace").strip())] \
        if python_licence.is_file() else []
    parts.append(_section(f"Python {sys.version.split()[0]}",
                          ["Licence: PSF-2.0 (Python Software Foundation License)"], texts))
    for extra in args.extra:
        title, _, file = extra.partition("=")
        parts.append(_section(title, [], [(Path(file).name,
                                           Path(file).read_text("utf-8", "replace").strip())]))
    Path(args.out).write_text("".join(parts), encoding="utf-8")
    print(f"{args.out}: {len(dists) - 1} distributions, {len(summary)} listed")
    missing = [d.metadata["Name"] for d in dists if not _licence_texts(d)
               and _key(d.metadata["Name"]) != ROOT_DIST]
    if missing:
        print("no licence text shipped by: " + ", ".join(missing))
    return 0


def cmd_icon(args: argparse.Namespace) -> int:
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["icon", "-platform", "offscreen"])
    renderer = QSvgRenderer(args.svg)
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    del app
    Image.open(io.BytesIO(bytes(data))).save(
        args.out, sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="stage.py")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("info")
    p.add_argument("profile")
    p.set_defaults(func=cmd_info)
    p = sub.add_parser("notices")
    p.add_argument("out")
    p.add_argument("--extra", action="append", default=[], metavar="TITLE=FILE")
    p.set_defaults(func=cmd_notices)
    p = sub.add_parser("icon")
    p.add_argument("svg")
    p.add_argument("out")
    p.set_defaults(func=cmd_icon)
    args = parser.parse_args()
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
