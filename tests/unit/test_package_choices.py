"""The reviewer's choices on the command line (issue 11, item 9): a comment per material, and the
run's comment never signed onto a decision it was not meant for."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.review.package import Choice, PackageError, choices, read_comments


def said(wanted: list[Choice]) -> dict[int, tuple[str, str]]:
    return {c.material_id: (c.verdict, c.comment) for c in wanted}


def test_the_run_comment_is_the_reason_of_the_rejections_without_one() -> None:
    assert said(choices(["1", "2"], ["7"], "字体异常")) == {
        1: ("approve", ""), 2: ("approve", ""), 7: ("reject", "字体异常")}
    # a rejection with its own reason, one without: the run's comment goes to the bare one
    assert said(choices([1], ["7:缺页", "8"], "字体异常")) == {
        1: ("approve", ""), 7: ("reject", "缺页"), 8: ("reject", "字体异常")}


def test_the_run_comment_goes_to_approvals_when_no_rejection_needs_it() -> None:
    assert said(choices(["1", "2:材料齐全"], [], "同意")) == {
        1: ("approve", "同意"), 2: ("approve", "材料齐全")}
    assert said(choices(["1"], ["7：缺少盖章页"], "同意")) == {
        1: ("approve", "同意"), 7: ("reject", "缺少盖章页")}
    assert said(choices([1, 2], [], "")) == {1: ("approve", ""), 2: ("approve", "")}


def test_own_comments_keep_their_colons_and_order_is_approvals_first() -> None:
    wanted = choices(["3"], ["7:第2页: 字体异常"], "")
    assert [(c.material_id, c.comment) for c in wanted] == [(3, ""), (7, "第2页: 字体异常")]
    assert said(choices(["5", "5"], [], "")) == {5: ("approve", "")}  # a repeat is one choice


@pytest.mark.parametrize(("approve", "reject", "comments", "needle"), [
    (["1"], ["1"], None, "既要通过又要退回"),
    (["x1"], [], None, "不是材料编号"),
    (["0"], [], None, "不是材料编号"),
    (["1:"], [], None, "冒号后没有意见"),
    (["1:甲", "1:乙"], [], None, "两条不同的意见"),
    (["1:甲"], [], {1: "乙"}, "只写一处"),
    (["1"], [], {2: "同意"}, "材料 #2"),
])
def test_wrong_choices_are_refused(approve, reject, comments, needle) -> None:
    with pytest.raises(PackageError, match=needle):
        choices(approve, reject, "", comments)


def test_a_comments_file_in_either_encoding(tmp_path: Path) -> None:
    text = "# 初审意见\n\n1\t材料齐全\r\n 7 ：字体异常 \n#8:这一行是备注\n9:第2页: 缺章\n"
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        path = tmp_path / f"意见-{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        assert read_comments(path) == {1: "材料齐全", 7: "字体异常", 9: "第2页: 缺章"}
    assert said(choices([1], [7, 9], "", read_comments(path))) == {
        1: ("approve", "材料齐全"), 7: ("reject", "字体异常"), 9: ("reject", "第2页: 缺章")}


@pytest.mark.parametrize(("content", "needle"), [
    ("1:同意\n七:字体异常\n".encode(), "第 2 行“七:字体异常”格式不对"),
    ("1 同意\n".encode(), "第 1 行“1 同意”格式不对"),
    ("1:同意\n2:\n".encode(), "第 2 行（材料 #2）没有写意见"),
    ("1:同意\n1:再说\n".encode(), "第 2 行：材料 #1 在第 1 行已有意见"),
    (b"\xff\xfe\x00\xd8\x00\xd8", "不是文本"),
])
def test_a_wrong_comments_file_names_the_line(tmp_path: Path, content: bytes,
                                               needle: str) -> None:
    path = tmp_path / "意见.txt"
    path.write_bytes(content)
    with pytest.raises(PackageError, match=needle):
        read_comments(path)


def test_a_missing_or_huge_comments_file(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="找不到意见文件"):
        read_comments(tmp_path / "没有.txt")
    with pytest.raises(PackageError, match="是文件夹"):
        read_comments(tmp_path)
    (tmp_path / "大.txt").write_bytes(b"1:x\n" * 300_000)
    with pytest.raises(PackageError, match="不像意见文件"):
        read_comments(tmp_path / "大.txt")
