"""Checks for ZIP files that come from elsewhere (review packages, exports to verify): member
names that would escape the folder they belong to, and members that inflate like a bomb."""

from __future__ import annotations

import re
import zipfile

MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024**2  # a member smaller than this cannot do harm whatever its ratio


def unsafe_name(name: str) -> str | None:
    """Why a member name is not safe to use as a relative path, or None."""
    if "\\" in name:
        return "含反斜杠"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "是绝对路径"
    if any(part in ("..", ".") for part in name.split("/")):
        return "含 ../"
    if any(ord(c) < 32 for c in name):
        return "含控制字符"
    return None


def inflates_like_a_bomb(info: zipfile.ZipInfo) -> bool:
    return (info.file_size > RATIO_FLOOR
            and info.file_size > MAX_RATIO * max(info.compress_size, 1))
