"""红线标注 in the viewer: the window's side (MarksHost: reading marks, adding and removing
them through the core on the write lane, as the current person) and the undo commands.

Each change is one core operation (materials.marks.add_mark / remove_mark) carrying the acting
person; undo and redo are operations too (undoing a mark removes it, undoing a removal puts the
same passage back), so the audit log records every step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand

from desktop.core.archive.archive import Archive
from desktop.core.common.changes import Changes
from desktop.core.materials import marks
from desktop.ui.operations import Operations


@dataclass(frozen=True)
class Passage:
    """What a mark is made of (its id aside): a new mark, or one put back by undo."""

    material_id: int
    sha256: str
    page: int  # 1 for the first
    text: str
    rects: tuple[marks.Rect, ...]

    @classmethod
    def of(cls, mark: marks.Mark) -> Passage:
        return cls(mark.material_id, mark.sha256, mark.page, mark.text, mark.rects)


class MarkSource(Protocol):
    """Where the viewer reads a file's marks from (any thread)."""

    def load(self, material_id: int, sha256: str) -> list[marks.Mark]: ...


class ListedMarks(MarkSource):
    """Marks given as listed (an export manifest's or a review package's `marks`), by
    material number: shown, never changed (the reviewer's window)."""

    def __init__(self, listed: dict[int, list[dict[str, Any]]]) -> None:
        self.listed = listed

    def load(self, material_id: int, sha256: str) -> list[marks.Mark]:
        found = []
        for n, m in enumerate(self.listed.get(material_id, []), 1):
            if m.get("file_sha256") != sha256:
                continue
            rects = tuple(tuple(float(v) for v in r) for r in m.get("rects", []))
            found.append(marks.Mark(int(m.get("id", n)), str(m.get("uid", "")), material_id,
                                    sha256, int(m.get("page", 1)), str(m.get("text", "")),
                                    rects,  # type: ignore[arg-type]
                                    str(m.get("by", "")), str(m.get("at", ""))))
        return found


class MarksHost(MarkSource):
    """How the viewer reaches the archive: `archive()` the open archive (or None), `actor()`
    the current person, `ops` the window's write lane."""

    def __init__(self, archive: Callable[[], Archive | None], ops: Operations,
                 actor: Callable[[], str | None]) -> None:
        self.archive, self.ops, self.actor = archive, ops, actor

    def load(self, material_id: int, sha256: str) -> list[marks.Mark]:
        """The marks on one file (any thread: a read)."""
        archive = self.archive()
        return [] if archive is None else marks.list_marks(archive, material_id, sha256)

    def add(self, passage: Passage, done: Callable[[marks.Mark], None],
            error: Callable[[str], None]) -> None:
        archive, actor = self.archive(), self.actor()
        if archive is None:
            return
        made: list[marks.Mark] = []

        def work() -> Changes:
            made.append(marks.add_mark(archive, passage.material_id, passage.sha256,
                                       passage.page, passage.text, passage.rects, actor=actor))
            return Changes.of_materials([passage.material_id], message=_tr("已标注红线"))

        self.ops.run(_tr("标注红线"), work, done=lambda _c: done(made[0]), error=error)

    def remove(self, mark: marks.Mark, done: Callable[[marks.Mark], None],
               error: Callable[[str], None]) -> None:
        archive, actor = self.archive(), self.actor()
        if archive is None:
            return
        gone: list[marks.Mark] = []

        def work() -> Changes:
            gone.append(marks.remove_mark(archive, mark.id, actor=actor))
            return Changes.of_materials([mark.material_id], message=_tr("已删除标注"))

        self.ops.run(_tr("删除标注"), work, done=lambda _c: done(gone[0]), error=error)


def _tr(text: str) -> str:
    return QCoreApplication.translate("MarksHost", text)


class MarkRef:
    """One passage across undo and redo: putting a removed mark back gives it a new number
    (and uid), and every command about that passage must then act on the new one."""

    def __init__(self, mark: marks.Mark, refs: MarkRefs) -> None:
        self.mark, self._refs = mark, refs

    def moved(self, mark: marks.Mark) -> None:
        self._refs.by_uid.pop(self.mark.uid, None)
        self.mark = mark
        self._refs.by_uid[mark.uid] = self


class MarkRefs:
    def __init__(self) -> None:
        self.by_uid: dict[str, MarkRef] = {}

    def of(self, mark: marks.Mark) -> MarkRef:
        ref = self.by_uid.get(mark.uid)
        if ref is None:
            ref = self.by_uid[mark.uid] = MarkRef(mark, self)
        return ref

    def clear(self) -> None:
        self.by_uid.clear()


class MarkCommand(QUndoCommand):
    """One mark made (`adding`) or removed, already done when pushed: the first redo() is the
    change just made; later ones, and undo(), are operations of their own. `apply(mark)` and
    `drop(mark)` tell the viewer what is on the page now; `failed(message)` a refusal."""

    def __init__(self, host: MarksHost, ref: MarkRef, *, adding: bool,
                 apply: Callable[[marks.Mark], None], drop: Callable[[marks.Mark], None],
                 failed: Callable[[str], None]) -> None:
        label = (QCoreApplication.translate("MarkCommand", "标注红线“{text}”") if adding
                 else QCoreApplication.translate("MarkCommand", "删除标注“{text}”"))
        short = ref.mark.text.replace("\n", "")
        super().__init__(label.format(text=short[:12] + ("…" if len(short) > 12 else "")))
        self.host, self.ref, self.adding = host, ref, adding
        self._apply, self._drop, self._failed = apply, drop, failed
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._put() if self.adding else self._take()

    def undo(self) -> None:
        self._take() if self.adding else self._put()

    def _put(self) -> None:
        def done(mark: marks.Mark) -> None:
            self.ref.moved(mark)  # put back under a new number
            self._apply(mark)

        self.host.add(Passage.of(self.ref.mark), done, self._failed)

    def _take(self) -> None:
        self.host.remove(self.ref.mark, self._drop, self._failed)
