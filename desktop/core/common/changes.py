"""What one operation changed, so that every view refreshes only what it shows (the window
broadcasts one record per operation instead of reloading everything)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    materials: frozenset[int] = field(default_factory=frozenset)  # metadata or state changed
    added: frozenset[int] = field(default_factory=frozenset)
    deleted: frozenset[int] = field(default_factory=frozenset)
    tree: bool = False  # 测评内容 added or renamed, or counts changed
    tasks: bool = False  # task status may have changed
    problems: bool = False
    people: bool = False  # the roster
    texts: bool = False  # new files wait for text extraction
    message: str = ""  # one line for the status bar
    reload: bool = False  # anything may have changed (another desktop applied a 报送包 …)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.materials | other.materials, self.added | other.added,
                       self.deleted | other.deleted, self.tree or other.tree,
                       self.tasks or other.tasks, self.problems or other.problems,
                       self.people or other.people, self.texts or other.texts,
                       other.message or self.message, self.reload or other.reload)

    @property
    def search(self) -> bool:
        """Search results may show something else now."""
        return bool(self.materials or self.added or self.deleted or self.reload)

    @classmethod
    def of_materials(cls, ids: Iterable[int], *, tree: bool = False, message: str = "") -> Changes:
        """Metadata or state of these materials changed (task status follows from both)."""
        return cls(materials=frozenset(ids), tree=tree, tasks=True,
                   message=message)
