"""Export names that open on Windows and Linux and keep their Chinese."""

from __future__ import annotations

import datetime as dt

from desktop.core.export.layout import check_template, fill_template, safe_name, seq_width, unique
from desktop.core.export.model import ExportRules


def test_characters_windows_refuses_become_full_width() -> None:
    assert safe_name('关于"文明城市"创建: 何时/如何?*') == "关于＂文明城市＂创建： 何时／如何？＊"
    assert safe_name("a<b>c|d\\e") == "a＜b＞c｜d＼e"


def test_control_characters_spaces_and_trailing_dots() -> None:
    assert safe_name("  工作\t方案\n（修订）.. ") == "工作 方案 （修订）"
    assert safe_name("...") == "未命名"
    assert safe_name("") == "未命名"


def test_device_names_are_changed_with_or_without_extension() -> None:
    assert safe_name("CON") == "CON_"
    assert safe_name("nul", suffix=".pdf") == "nul_.pdf"
    assert safe_name("com1.txt") == "com1.txt_"  # the stem before the first dot counts
    assert safe_name("CONTRACT") == "CONTRACT"


def test_long_chinese_titles_are_cut_to_fit_characters_and_bytes() -> None:
    title = "关于印发《全国文明城市创建工作测评体系操作手册》的通知" * 5
    name = safe_name(title, suffix=".pdf")
    assert name.endswith(".pdf") and len(name) <= 80 and len(name.encode("utf-8")) <= 240
    assert name.startswith("关于印发《全国文明城市")
    assert len(safe_name(title, max_chars=30, suffix=".docx")) == 30


def test_unique_is_case_insensitive_and_keeps_the_extension() -> None:
    taken: set[str] = set()
    assert unique("001_方案.pdf", taken) == "001_方案.pdf"
    assert unique("001_方案.PDF", taken) == "001_方案（2）.PDF"
    assert unique("照片", taken) == "照片"
    assert unique("照片", taken) == "照片（2）"


def test_template_filling_and_checking() -> None:
    values = {"序号": "003", "材料名称": "工作方案", "文号": "吴文明办〔2024〕5号"}
    assert fill_template("{序号}_{材料名称}", values) == "003_工作方案"
    assert fill_template("{序号}_{文号}_{材料名称}", values) == "003_吴文明办〔2024〕5号_工作方案"
    assert check_template("{序号}_{材料名称}") is None
    assert "{序号}" in (check_template("{材料名称}") or "")
    assert "{题名}" in (check_template("{序号}_{题名}") or "")
    assert seq_width(9) == 3 and seq_width(1200) == 4


def test_evaluation_window_is_t_minus_13_to_t_minus_1_months() -> None:
    rules = ExportRules(evaluation_date=dt.date(2025, 3, 31))
    assert rules.window() == (dt.date(2024, 2, 29), dt.date(2025, 2, 28))
    assert ExportRules().window() is None
    again = ExportRules.from_json(rules.to_json())
    assert again == rules
