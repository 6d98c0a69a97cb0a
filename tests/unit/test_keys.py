"""The personal key store: Ed25519 keys encrypted with the person's passphrase."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.common.errors import ZichaError
from desktop.core.review import keys


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZICHA_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_new_key_is_encrypted_and_signs(home: Path) -> None:
    public = keys.new_key("李初审", "口令很长的123")
    record = json.loads((home / "keys" / "李初审.json").read_text("utf-8"))
    assert record["public_key"] == public and public.startswith("ed25519:")
    assert "ENCRYPTED PRIVATE KEY" in record["private_key"]
    key = keys.load_private("李初审", "口令很长的123")
    signature = keys.sign(key, "载荷".encode())
    assert keys.verify(public, "载荷".encode(), signature)
    assert not keys.verify(public, "改过的载荷".encode(), signature)


def test_wrong_passphrase_missing_key_and_no_overwrite() -> None:
    keys.new_key("王复审", "secret123")
    with pytest.raises(ZichaError, match="口令不对"):
        keys.load_private("王复审", "wrong-one")
    with pytest.raises(ZichaError, match="没有 赵终审 的签名密钥"):
        keys.load_private("赵终审", "secret123")
    with pytest.raises(ZichaError, match="已存在"):
        keys.new_key("王复审", "secret123")
    with pytest.raises(ZichaError, match="太短"):
        keys.new_key("短口令", "123")


@pytest.mark.parametrize("name", ["../逃逸", "a/b", " 空格", "名字."])
def test_names_that_cannot_be_file_names(name: str) -> None:
    with pytest.raises(ZichaError, match="不能用作密钥文件名"):
        keys.key_path(name)


def test_public_key_text_is_checked() -> None:
    with pytest.raises(ZichaError, match="格式不对"):
        keys.parse_public("ssh-ed25519 AAAA")
    with pytest.raises(ZichaError, match="格式不对"):
        keys.parse_public("ed25519:" + "A" * 10)
