"""A person's signing key: Ed25519, the private half encrypted with their passphrase in their own
key store (the user's config folder, or ZICHA_HOME). It never goes into an archive or package."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from desktop.core.errors import ZichaError

PREFIX = "ed25519:"
FORMAT = "zicha-key/1"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def config_dir() -> Path:
    """The user's own config folder (settings, key store); ZICHA_HOME overrides it."""
    env = os.environ.get("ZICHA_HOME")
    return Path(env) if env else Path(platformdirs.user_config_dir("zicha", appauthor=False))


def key_path(name: str) -> Path:
    if not name.strip() or _UNSAFE.search(name) or name.strip(". ") != name:
        raise ZichaError(f"姓名 {name!r} 不能用作密钥文件名"
                         "（不能含 \\ / : * ? \" < > |，首尾不能是空格或句点）")
    return config_dir() / "keys" / f"{name}.json"


def public_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public(text: str) -> Ed25519PublicKey:
    text = text.strip()
    try:
        if not text.startswith(PREFIX):
            raise ValueError("no prefix")
        raw = base64.b64decode(text[len(PREFIX):], validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise ZichaError(f"公钥 {text[:30]}… 格式不对；应为 ed25519:… 开头的公钥文本",
                         hint="公钥由 zicha key new 打印") from None


def new_key(name: str, passphrase: str) -> str:
    """Create `name`'s key pair in the key store; return the public key text."""
    if len(passphrase) < 6:
        raise ZichaError("口令太短：至少 6 个字符")
    path = key_path(name)
    if path.exists():
        raise ZichaError(f"{name} 的密钥已存在（{path}）；不会覆盖")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    record = {"format": FORMAT, "name": name, "public_key": public_text(private.public_key()),
              "private_key": pem.decode("ascii")}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return record["public_key"]


def load_private(name: str, passphrase: str) -> Ed25519PrivateKey:
    path = key_path(name)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ZichaError(f"本机没有 {name} 的签名密钥（{path}）；请先为其创建密钥",
                         hint=f"用 zicha key new {name} 创建") from None
    except (OSError, ValueError) as exc:
        raise ZichaError(f"密钥文件 {path} 无法读取: {exc}") from exc
    try:
        key = serialization.load_pem_private_key(record["private_key"].encode("ascii"),
                                                 passphrase.encode("utf-8"))
    except (ValueError, TypeError, KeyError):
        raise ZichaError(f"{name} 的口令不对，无法解锁签名密钥") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ZichaError(f"密钥文件 {path} 不是 Ed25519 密钥")
    return key


def sign(key: Ed25519PrivateKey, payload: bytes) -> str:
    return base64.b64encode(key.sign(payload)).decode("ascii")


def verify(public_key: str, payload: bytes, signature: str) -> bool:
    try:
        parse_public(public_key).verify(base64.b64decode(signature, validate=True), payload)
        return True
    except (InvalidSignature, ValueError, ZichaError):
        return False
