"""The content-addressed blob store: atomic, deduplicated, read-only, right hash."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from desktop.core.archive.store import BlobStore, sha256_of


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "files", tmp_path / "tmp")


def _source(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_put_stores_under_the_content_hash_read_only(store: BlobStore, tmp_path: Path) -> None:
    data = "关于印发《文明交通行动方案》的通知".encode() * 1000
    sha, size = store.put(_source(tmp_path, "a.txt", data))

    assert sha == hashlib.sha256(data).hexdigest()
    assert size == len(data)
    dest = store.path_for(sha)
    assert dest == store.root / sha[:2] / sha
    assert dest.read_bytes() == data
    assert sha256_of(dest) == sha
    assert store.has(sha)
    mode = stat.S_IMODE(dest.stat().st_mode)
    assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0
    assert list(store.tmp.iterdir()) == []  # no temporary file left behind


def test_stored_gives_the_sm3_of_the_same_bytes(store: BlobStore, tmp_path: Path) -> None:
    data = bytes(range(256)) * (5 * 4096 + 7)  # over one chunk
    stored = store.stored(_source(tmp_path, "big.bin", data))
    assert (stored.sha256, stored.size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert stored.sm3 == hashlib.new("sm3", data).hexdigest() and stored.new
    assert not store.stored(_source(tmp_path, "again.bin", data)).new


def test_put_of_a_file_larger_than_one_chunk_hashes_all_of_it(store: BlobStore,
                                                              tmp_path: Path) -> None:
    data = bytes(range(256)) * (5 * 4096 + 7)  # a bit over 5 MiB, not chunk aligned
    sha, size = store.put(_source(tmp_path, "big.bin", data))
    assert (sha, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert sha256_of(store.path_for(sha)) == sha


def test_same_content_is_stored_once(store: BlobStore, tmp_path: Path) -> None:
    first = store.put(_source(tmp_path, "one.pdf", b"%PDF-1.7 same"))
    stat_before = store.path_for(first[0]).stat()
    second = store.put(_source(tmp_path, "另一个名字.pdf", b"%PDF-1.7 same"))
    other = store.put(_source(tmp_path, "three.pdf", b"%PDF-1.7 different"))

    assert second == first
    assert other[0] != first[0]
    assert sorted(sha for sha, _ in store.iter_stored()) == sorted([first[0], other[0]])
    assert store.path_for(first[0]).stat().st_mtime_ns == stat_before.st_mtime_ns
    assert list(store.tmp.iterdir()) == []


def test_empty_store_lists_nothing(store: BlobStore) -> None:
    assert list(store.iter_stored()) == []
    assert not store.has("0" * 64)
    assert store.clean_tmp() == 0


def test_a_failed_copy_leaves_no_blob_and_no_temporary_file(store: BlobStore,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(OSError):
        store.put(folder)  # opening a folder for reading fails after the temp file exists
    with pytest.raises(FileNotFoundError):
        store.put(tmp_path / "missing.pdf")
    assert list(store.tmp.iterdir()) == []
    assert list(store.iter_stored()) == []


def test_clean_tmp_removes_leftovers_of_interrupted_writes(store: BlobStore) -> None:
    store.tmp.mkdir(parents=True)
    for n in range(3):
        leftover = store.tmp / f"incoming-{n}"
        leftover.write_bytes(b"partial copy")
        leftover.chmod(stat.S_IRUSR)  # as a finished copy would be, just before its rename
    assert store.clean_tmp() == 3
    assert list(store.tmp.iterdir()) == []
