"""Small pictures of photos for the material table.

A thumbnail is made the first time a row showing the photo is painted: on a worker of its own
(one thread, newest request first, so scrolling fast never queues up work the user no longer
sees), never on the GUI thread. It is kept on disk under the file's SHA-256 and size: the
archive's files never change, so a thumbnail made once is good for ever, in every archive.
"""

from __future__ import annotations

import io
import os
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

import platformdirs
from PIL import Image, ImageOps
from PySide6.QtCore import QObject, QRectF, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap

from desktop.core.common import atomic, formats
from desktop.core.extract.base import ExtractError
from desktop.core.materials import render
from desktop.core.materials.service import FileInfo
from desktop.ui.workers import Job, while_alive

PHOTO_KINDS = formats.IMAGE_KINDS | formats.VIDEO_KINDS  # a video stands by its poster frame
THUMBNAIL_SIZE = 96  # pixels, long side: sharp at the table's icon size, also on HiDPI screens
MEMORY_ICONS = 600  # icons kept in memory (about 25 KB each)
MAX_QUEUED = 200  # requests waiting for the worker; the oldest are dropped (asked for again)


def default_cache_dir() -> Path:
    """The user's cache folder; under ZICHA_HOME when that is set (scripts, tests)."""
    if home := os.environ.get("ZICHA_HOME"):
        return Path(home) / "cache" / "thumbnails"
    return Path(platformdirs.user_cache_dir("zicha", appauthor=False)) / "thumbnails"


def first_photo(files: Iterable[FileInfo]) -> FileInfo | None:
    """The file whose picture stands for a material in the table: its first photo."""
    return next((f for f in files if f.kind in PHOTO_KINDS), None)


def make_thumbnail(source: Path, target: Path, size: int = THUMBNAIL_SIZE) -> None:
    """Write a JPEG of `source` no larger than size×size, upright (EXIF orientation applied),
    atomically (a crash leaves no half-written thumbnail)."""
    formats.enable_heif()
    with Image.open(source) as opened:
        opened.draft("RGB", (size * 2, size * 2))  # JPEG: decode at 1/2..1/8 scale, fast
        image = ImageOps.exif_transpose(opened) or opened
        image.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        encoded = io.BytesIO()
        image.save(encoded, "JPEG", quality=85)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(target, encoded.getvalue(), durable=False)  # a cache: no flush to disk


class ThumbnailCache(QObject):
    """`icon(sha256, path)` gives the photo's thumbnail, or None while it is being made (the
    request is then queued); `ready(sha256)` says it can be asked for again: made, or failed
    (a file Pillow cannot read gets no thumbnail and is not tried again)."""

    ready = Signal(str)

    def __init__(self, cache_dir: Path | None = None, *, size: int = THUMBNAIL_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.size = size
        self._icons: OrderedDict[str, QIcon] = OrderedDict()
        self._queued: OrderedDict[str, Job] = OrderedDict()
        self._failed: set[str] = set()
        self._priority = 0
        self._placeholder: QIcon | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # two cores: leave the other to the viewer and search

    # -- public --------------------------------------------------------------------------------

    def icon(self, sha256: str, path: Path, kind: str = "jpeg") -> QIcon | None:
        found = self._icons.get(sha256)
        if found is not None:
            self._icons.move_to_end(sha256)
            return found
        if sha256 not in self._failed:
            self._request(sha256, Path(path), kind)
        return None

    def is_pending(self, sha256: str) -> bool:
        return sha256 in self._queued

    def placeholder(self) -> QIcon:
        """A plain tile shown while a thumbnail is made, so the title does not jump sideways."""
        if self._placeholder is None:
            pixmap = QPixmap(self.size, self.size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 28))
            inset = self.size * 0.08
            painter.drawRoundedRect(QRectF(inset, inset, self.size - 2 * inset,
                                           self.size - 2 * inset), inset, inset)
            painter.end()
            self._placeholder = QIcon(pixmap)
        return self._placeholder

    def file_for(self, sha256: str, file_size: int) -> Path:
        """Where the thumbnail of the file with this hash and size is kept."""
        return self.cache_dir / sha256[:2] / f"{sha256}-{file_size}-{self.size}.jpg"

    def shutdown(self, wait_ms: int = 5_000) -> None:
        """Drop queued work and wait for the one running (before the cache dir goes away)."""
        self._pool.clear()
        self._queued.clear()
        self._pool.waitForDone(wait_ms)

    # -- internals -----------------------------------------------------------------------------

    def _request(self, sha256: str, path: Path, kind: str = "jpeg") -> None:
        queued = self._queued.get(sha256)
        if queued is not None:
            self._queued.move_to_end(sha256)
            return
        while len(self._queued) >= MAX_QUEUED:
            old_sha, old_job = next(iter(self._queued.items()))
            if not self._pool.tryTake(old_job):
                break  # it is running: it will report soon
            del self._queued[old_sha]

        def work(_job: Job) -> QImage | None:
            try:
                target = self.file_for(sha256, path.stat().st_size)
                # a video's picture is its poster frame, drawn once for the viewer
                source = render.page_file(path, kind)[0] if kind in formats.VIDEO_KINDS \
                    else path
                if not target.is_file():
                    make_thumbnail(source, target, self.size)
                image = QImage(str(target))
                if image.isNull():  # a damaged cache file: make it again
                    target.unlink(missing_ok=True)
                    make_thumbnail(source, target, self.size)
                    image = QImage(str(target))
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
                    ExtractError):
                return None  # not a picture Pillow can read: the row simply has no thumbnail
            return None if image.isNull() else image

        job = Job(work)
        job.signals.finished.connect(while_alive(
            self, lambda image: self._made(sha256, job, image)))
        job.signals.failed.connect(while_alive(
            self, lambda _message: self._made(sha256, job, None)))
        self._queued[sha256] = job
        self._priority += 1  # the newest request first: what the user looks at now
        self._pool.start(job, self._priority)

    def _made(self, sha256: str, job: Job, image: QImage | None) -> None:
        if self._queued.get(sha256) is job:
            del self._queued[sha256]
        if image is None or image.isNull():
            self._failed.add(sha256)
        else:
            self._icons[sha256] = QIcon(QPixmap.fromImage(image))
            while len(self._icons) > MEMORY_ICONS:
                self._icons.popitem(last=False)
        self.ready.emit(sha256)
