"""The parsing half of an import, run in an extraction child (ExtractRunner) on the stored copy
of a file: whether it opens (detect.check), what it says about itself (docmeta), its active
content (safety) and its text (extract_text), each file opened once where the libraries allow
(a PDF is opened once for all four). The importer's main process only sniffs (detect with
deep=False), hashes and copies, so a PDF or an Office file is no longer parsed there first and
again in the child."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.extract.base import Extraction
from desktop.core.extract.runner import ExtractJob
from desktop.core.materials import detect, docmeta, safety


@dataclass(frozen=True)
class Parsed:
    """What the child found in one file."""

    refused: str = ""  # why the file cannot be stored (damaged, encrypted …); "" = it opens
    page_count: int | None = None
    meta: docmeta.DocMeta = field(default_factory=docmeta.DocMeta)
    active: tuple[str, ...] = ()  # safety.scan's findings
    text: Extraction | None = None  # the text phase's result


def job(path: Path, kind: str, name: str, metadata: bool) -> ExtractJob:
    """The child's job for the staged copy `path` of a file imported as `name`, sniffed as
    `kind`; `metadata`: read title, date and 文号 from the document (ImportOptions)."""
    return ExtractJob(name, path, kind, "text", task=parse, args=(name, metadata))


def parse(job: ExtractJob) -> Parsed:
    """In the child: the deep check, the document's metadata, the safety scan and the text."""
    from desktop.core.extract.documents import extract_text

    name, metadata = job.args
    path, kind = job.path, job.kind
    named = Path(name)
    if kind == "pdf":
        try:
            doc = detect.open_pdf(path)
        except detect.Refused as exc:
            return Parsed(refused=str(exc))
        with doc:
            meta = docmeta.read(path, kind, named=named, pdf=doc) if metadata \
                else docmeta.DocMeta()
            active = tuple(safety.scan(path, pdf=doc))
            return Parsed("", doc.page_count, meta, active, extract_text(path, kind, pdf=doc))
    try:
        pages = detect.check(path, kind)
    except detect.Refused as exc:
        return Parsed(refused=str(exc))
    except OSError as exc:
        return Parsed(refused=f"无法读取（{exc.strerror or exc}）")
    meta = docmeta.read(path, kind, named=named) if metadata else docmeta.DocMeta()
    return Parsed("", pages, meta, tuple(safety.scan(path)), extract_text(path, kind))


def several(jobs: list[ExtractJob]) -> ExtractJob:
    """One job of the child for several files (one round trip through the pipe instead of one
    each: the parent's threads that drive the children wait for the interpreter while the main
    process commits, and the children would wait for them)."""
    first = jobs[0]
    return ExtractJob(first.key, first.path, first.kind, "text", task=parse_all,
                      args=tuple(jobs))


def parse_all(job: ExtractJob) -> list[Parsed]:
    """In the child: parse() of each job of several()."""
    from desktop.core.extract.runner import renew_memory_limit

    parsed = []
    for one in job.args:
        renew_memory_limit()
        parsed.append(parse(one))
    return parsed
