"""A person's signing key: Ed25519, the private half encrypted with their passphrase in their own
key store (the user's config folder, or ZICHA_HOME). It never goes into an archive or package."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from desktop.core.common import atomic
from desktop.core.common.errors import ZichaError

PREFIX = "ed25519:"
FORMAT = "zicha-key/1"
MIN_PASSPHRASE = 6
PUBLIC_FILE_MAX = 64 * 1024  # a public key file is one line and a comment
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
    if len(passphrase) < MIN_PASSPHRASE:
        raise ZichaError(f"口令太短：至少 {MIN_PASSPHRASE} 个字符")
    path = key_path(name)
    if path.exists():
        raise ZichaError(f"{name} 的密钥已存在（{path}）；不会覆盖")
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    record = {"format": FORMAT, "name": name, "public_key": public_text(private.public_key()),
              "private_key": pem.decode("ascii")}
    try:
        path.parent.parent.mkdir(parents=True, exist_ok=True)
        path.parent.mkdir(mode=0o700, exist_ok=True)  # the key store: the owner's only
    except OSError as exc:
        raise atomic.write_failed(exc, path) from None
    # owner-only from the moment the file exists; never over a key created meanwhile
    atomic.write_bytes(path, json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8"),
                       private=True, overwrite=False)
    return record["public_key"]


def own_public(name: str) -> str | None:
    """The public key of `name`'s key in this computer's key store (no passphrase needed), or
    None when there is none."""
    path = key_path(name)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ZichaError(f"密钥文件 {path} 无法读取: {exc}") from exc
    public = record.get("public_key") if isinstance(record, dict) else None
    if not isinstance(public, str):
        raise ZichaError(f"密钥文件 {path} 中没有公钥")
    parse_public(public)
    return public


@dataclass(frozen=True)
class PublicKeyFile:
    public_key: str
    name: str  # whose key the file says it is ("" when it does not say)


def write_public_file(path: Path, name: str, public_key: str) -> None:
    """Write `name`'s public key to a text file for the admin, atomically: a comment line with
    the name, then the key as public_text() gives it."""
    parse_public(public_key)
    path = Path(path)
    text = f"# Zicha 公钥 姓名: {name}\n{public_key.strip()}\n"
    atomic.write_bytes(path, text.encode("utf-8"))


def read_public_file(path: Path) -> PublicKeyFile:
    """A public key from a file written by write_public_file() (or any text file whose only
    line, apart from # comments, is an ed25519:… key)."""
    path = Path(path)
    expected = "应为“导出我的公钥”得到的文本文件，内容为一行 ed25519:…"
    try:
        if path.stat().st_size > PUBLIC_FILE_MAX:
            raise ZichaError(f"{path} 不是公钥文件（太大；{expected}）")
        raw = path.read_bytes()
    except OSError as exc:
        raise ZichaError(f"无法读取 {path}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ZichaError(f"{path} 不是公钥文件（不是文本；{expected}）") from None
    with suppress(ValueError):
        record = json.loads(text)
        if isinstance(record, dict) and record.get("format") == FORMAT:
            raise ZichaError(f"{path} 是签名密钥文件（含私钥，不要交给别人），不是公钥文件；"
                             "请用“导出我的公钥…”另存公钥")
    name, lines = "", []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            _, found, rest = line.partition("姓名:")
            name = rest.strip() if found else name
        elif line:
            lines.append(line)
    if len(lines) != 1:
        raise ZichaError(f"{path} 不是公钥文件（{expected}）")
    try:
        parse_public(lines[0])
    except ZichaError:
        raise ZichaError(f"{path} 中的内容不是有效的公钥（{expected}）") from None
    return PublicKeyFile(lines[0], name)


def fingerprint(public_key: str) -> str:
    """A short form of a public key for tables: 4 groups of 4 hex digits of its SHA-256."""
    digest = hashlib.sha256(public_key.strip().encode("ascii", "replace")).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


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
