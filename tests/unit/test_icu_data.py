"""packaging/icu_data.py: the ICU data library Qt's wheel carries is rebuilt with the locale
data of root, Chinese and English only, without the trees and converters Qt never reads; the
package format is read and written as icupkg lays it out, and the new library exports the same
symbol under the same soname."""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
import icu_data  # noqa: E402


def _qt_icu_data() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


needs_qt_icu = pytest.mark.skipif(
    os.name == "nt" or not (shutil.which("cc") and shutil.which("readelf"))
    or _qt_icu_data() is None,
    reason="needs PySide6's libicudata (Linux wheels), a C compiler and readelf")


@pytest.mark.parametrize(("name", "kept"), [
    ("zh.res", True), ("zh_Hans_CN.res", True), ("zh_Hant_TW.res", True), ("en_001.res", True),
    ("root.res", True), ("coll/zh.res", True), ("coll/root.res", True), ("coll/ucadata.icu", True),
    ("zone/zh.res", True), ("zone/pool.res", True), ("lang/zh.res", True),
    ("region/en.res", True), ("res_index.res", True), ("coll/res_index.res", True),
    ("pool.res", True), ("supplementalData.res", True), ("zoneinfo64.res", True),
    ("metaZones.res", True), ("nfkc.nrm", True), ("uprops.icu", True), ("cnvalias.icu", True),
    # the converters offices meet
    ("gb18030.cnv", True), ("windows-936-2000.cnv", True), ("ibm-1386_P100-2001.cnv", True),
    ("ibm-1383_P110-1999.cnv", True), ("ibm-5478_P100-1995.cnv", True),
    ("windows-950-2000.cnv", True), ("ibm-950_P110-1999.cnv", True),
    ("ibm-1375_P100-2008.cnv", True), ("ibm-943_P15A-2003.cnv", True),
    ("euc-jp-2007.cnv", True), ("ibm-970_P110_P110-2006_U2.cnv", True),
    ("cns-11643-1992.cnv", True), ("jisx-212.cnv", True), ("ibm-964_P110-1999.cnv", True),
    ("ibm-5348_P100-1997.cnv", True), ("ibm-437_P100-1995.cnv", True),
    ("ibm-878_P100-1996.cnv", True), ("macos-0_2-10.2.cnv", True),
    # other locales; trees and converters Qt never reads
    ("de.res", False), ("coll/sv.res", False), ("coll/de_.res", False), ("curr/fr_CA.res", False),
    ("lang/ars.res", False), ("zone/sr_Latn_BA.res", False), ("brkitr/thaidict.dict", False),
    ("brkitr/cjdict.dict", False), ("brkitr/line_cj.brk", False), ("translit/root.res", False),
    ("translit/Han_Latn.res", False), ("curr/zh.res", False), ("unit/zh.res", False),
    ("rbnf/yue.res", False), ("unames.icu", False), ("confusables.cfu", False),
    ("ibm-37_P100-1995.cnv", False), ("ibm-1390_P110-2003.cnv", False),
    ("ibm-16684_P110-2003.cnv", False), ("ibm-935_P110-1999.cnv", False),
    ("ebcdic-xml-us.cnv", False), ("icu-internal-compound-t.cnv", False),
    ("icu-internal-compound-d1.cnv", False), ("euc-tw-2014.cnv", False),
])
def test_which_items_stay(name: str, kept: bool) -> None:
    assert icu_data.keep(name) is kept


@needs_qt_icu
def test_the_package_reads_and_writes_back_byte_for_byte() -> None:
    lib = _qt_icu_data()
    assert lib is not None
    _, offset, size = icu_data._symbol(lib)
    blob = lib.read_bytes()[offset:offset + size]
    header, items = icu_data.read_package(blob)
    assert len(items) > 1000 and all(name.startswith("icudt") for name, _ in items)
    assert icu_data.write_package(header, items) == blob


@needs_qt_icu
def test_the_trimmed_library_keeps_chinese_and_loads(tmp_path: Path) -> None:
    original = _qt_icu_data()
    assert original is not None
    lib = tmp_path / original.name
    shutil.copy2(original, lib)
    saved = icu_data.trim_library(lib, log=lambda _message: None)
    assert saved > 15_000_000 and lib.stat().st_size < original.stat().st_size / 2
    symbol, offset, size = icu_data._symbol(lib)
    assert symbol == icu_data._symbol(original)[0]
    _, items = icu_data.read_package(lib.read_bytes()[offset:offset + size])
    names = {name.split("/", 1)[1] for name, _ in items}
    assert {"zh.res", "coll/zh.res", "gb18030.cnv", "windows-936-2000.cnv",
            "cnvalias.icu", "coll/ucadata.icu", "zone/zh.res"} <= names
    assert not names & {"de.res", "coll/sv.res", "curr/fr.res", "brkitr/cjdict.dict",
                        "translit/root.res", "ibm-37_P100-1995.cnv"}
    # the symbol libicuuc links to starts with the package's header (its magic bytes DA 27)
    loaded = ctypes.CDLL(str(lib))
    assert bytes((ctypes.c_uint8 * 16).in_dll(loaded, symbol))[2:4] == b"\xda\x27"
    assert bytes((ctypes.c_uint8 * 16).in_dll(loaded, symbol))[12:16] == b"CmnD"
