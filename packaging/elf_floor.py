"""The oldest system a bundle can start on: for every ELF file under a folder, the newest
GLIBC_x.y (and GLIBCXX_x.y.z, CXXABI_x.y) symbol version it needs from the system, read from
its version-needs section with `readelf --version-info` (binutils), not guessed from strings.

    python3 packaging/elf_floor.py BUNDLE [--floor 2.28] [--top 20] [--json] [--why]

Prints the files needing the newest glibc first and, with --floor, fails (exit 1) naming every
file above it; --why also names the symbols each of them needs above the floor (its undefined
dynamic symbols, `readelf --dyn-syms`), i.e. what stands between the bundle and that floor.
Standard library only: the build runs it with any Python.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# "  0x0020:   Name: GLIBC_2.34  Flags: none  Version: 7"
_NEEDED = re.compile(r"Name:\s+((?:GLIBC|GLIBCXX|CXXABI)_[0-9.]+)")
_FILE = re.compile(r"^\s*(?:0x)?[0-9a-f]+:\s+Version:\s+\d+\s+File:\s+(\S+)")


def version_key(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


@dataclass
class Needs:
    path: str
    glibc: str | None = None  # newest GLIBC_x.y, None when it needs none (or is not dynamic)
    glibcxx: str | None = None  # newest GLIBCXX_x.y.z from libstdc++
    cxxabi: str | None = None
    libraries: list[str] = field(default_factory=list)  # the files it names versions from

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


def elf_files(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            try:
                with path.open("rb") as fh:
                    if fh.read(4) == b"\x7fELF":
                        found.append(path)
            except OSError:
                continue
    return found


def _newest(names: list[str], prefix: str) -> str | None:
    versions = [n.removeprefix(prefix) for n in names if n.startswith(prefix)]
    return max(versions, key=version_key) if versions else None


def needs_of(path: Path, root: Path) -> Needs:
    result = subprocess.run(["readelf", "--version-info", "--wide", str(path)],
                            capture_output=True, text=True, errors="replace")
    names: list[str] = []
    libraries: list[str] = []
    section = False
    for line in result.stdout.splitlines():
        if "Version needs section" in line:
            section = True
            continue
        if section and line.startswith("Version") and "needs" not in line:
            section = False
        if not section:
            continue
        if (match := _FILE.match(line)) is not None:
            libraries.append(match.group(1))
        names.extend(_NEEDED.findall(line))
    return Needs(str(path.relative_to(root)), _newest(names, "GLIBC_"),
                 _newest(names, "GLIBCXX_"), _newest(names, "CXXABI_"), libraries)


_SYMBOL = re.compile(r"\sUND\s+([^@\s]+)@+GLIBC_([0-9.]+)")


def symbols_above(path: Path, floor: str) -> list[str]:
    """The undefined dynamic symbols of `path` bound to a GLIBC version newer than `floor`,
    as name@GLIBC_x.y, sorted."""
    result = subprocess.run(["readelf", "--dyn-syms", "--wide", str(path)],
                            capture_output=True, text=True, errors="replace")
    limit = version_key(floor)
    found = {f"{name}@GLIBC_{version}" for name, version in _SYMBOL.findall(result.stdout)
             if version_key(version) > limit}
    return sorted(found, key=lambda s: (version_key(s.rsplit("_", 1)[1]), s), reverse=True)


def scan(root: Path) -> list[Needs]:
    """Every ELF file under `root`, the one needing the newest glibc first."""
    found = [needs_of(p, root) for p in elf_files(root)]
    return sorted(found, key=lambda n: (version_key(n.glibc or "0"), n.path), reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="packaging/elf_floor.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the bundle (or any folder)")
    parser.add_argument("--floor", help="the newest glibc allowed, e.g. 2.28: fail above it")
    parser.add_argument("--top", type=int, default=20, help="files to list (default 20)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--why", action="store_true",
                        help="with --floor: the symbols each file needs above it")
    args = parser.parse_args(argv)
    if not args.root.is_dir():
        print(f"elf_floor: no such folder: {args.root}", file=sys.stderr)
        return 2
    try:
        found = scan(args.root)
    except FileNotFoundError:
        print("elf_floor: readelf not found; install binutils", file=sys.stderr)
        return 2
    above = [n for n in found if args.floor and n.glibc
             and version_key(n.glibc) > version_key(args.floor)]
    newest = found[0].glibc if found and found[0].glibc else None
    if args.json:
        print(json.dumps({"files": len(found), "newest_glibc": newest, "floor": args.floor,
                          "above": [n.path for n in above],
                          "needs": [n.to_json() for n in found]}, indent=1))
    else:
        print(f"{len(found)} ELF files under {args.root}; newest glibc needed: {newest}")
        print("GLIBC\tGLIBCXX\tfile")
        for n in found[:args.top]:
            print(f"{n.glibc or '-'}\t{n.glibcxx or '-'}\t{n.path}")
        if args.floor:
            if above:
                print(f"{len(above)} files need a glibc newer than {args.floor}:",
                      file=sys.stderr)
                for n in above:
                    print(f"  GLIBC_{n.glibc}\t{n.path}", file=sys.stderr)
                    if args.why:
                        symbols = symbols_above(args.root / n.path, args.floor)
                        print(f"      {' '.join(symbols)}", file=sys.stderr)
            else:
                print(f"every file runs on glibc {args.floor}")
    return 1 if above else 0


if __name__ == "__main__":
    raise SystemExit(main())
