"""SM3 (GB/T 32905-2016) from OpenSSL through hashlib: the standard's two test vectors."""

from __future__ import annotations

from desktop.core.common import digests


def test_sm3_of_the_standard_vectors() -> None:
    assert digests.sm3_of([b"abc"]) == \
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert digests.sm3_of([b"abcd"] * 16) == \
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
