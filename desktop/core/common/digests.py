"""The digests exports carry: SHA-256 (BagIt's and our own) and SM3 (GB/T 32905-2016, the
国密 digest 政务 systems expect), both from OpenSSL through hashlib, so both run at OpenSSL's
speed over the same chunks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from desktop.core.common.errors import ZichaError

SM3 = "sm3"


def sm3() -> Any:
    """A new SM3 hash object (hashlib's `_Hash`)."""
    try:
        return hashlib.new(SM3)
    except ValueError:
        raise ZichaError("本机 Python 所用的 OpenSSL 不提供 SM3 摘要算法，无法写出或检查 SM3 清单",
                         hint="请安装带 OpenSSL 1.1.1 或更新版本的 Zicha") from None


def sm3_if_available() -> Any | None:
    """A new SM3 hash object, or None where OpenSSL has none (what is stored keeps no SM3
    then; an export that needs one says so)."""
    try:
        return hashlib.new(SM3)
    except ValueError:
        return None


def sm3_of(chunks: Iterable[bytes]) -> str:
    h = sm3()
    for chunk in chunks:
        h.update(chunk)
    return str(h.hexdigest())
