"""Files in, index updated: the incremental ingestion pipeline.

For each file: hash -> skip if unchanged / report if a duplicate -> parse -> report if its text
duplicates another paper -> chunk (with the paper's sections and lists) -> embed only passages
without a stored vector -> store. A failing file is reported and the batch goes on. The whole batch
holds the index's write lock, so a second writer queues behind it.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from common.text import normalise_ws
from common.types import DocumentRecord, ParsedDocument
from ingest.chunking import chunk_document
from ingest.errors import DocumentError
from ingest.metadata import CATALOGUE_NAME, Catalogue
from ingest.parse import SUPPORTED_SUFFIXES, parse_file
from ingest.recommendations import extract_recommendations
from vectorstore.index import CouncilIndex

log = logging.getLogger(__name__)

# Bump when parsing, cleaning, chunking, structure or recommendation reading changes what is stored: an
# unchanged file read by another version is read again on the next ingest (unchanged passages keep their
# vectors, so only what changed is embedded).
PIPELINE_VERSION = "14"

TokenCounter = Callable[[str], int]


@dataclass
class FileOutcome:
    path: str
    doc_id: str
    status: str  # added | updated | unchanged | duplicate | failed | removed | skipped
    pages: int = 0
    chunks: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    reason: str = ""
    duplicate_of: str = ""
    note: str = ""  # why scanned pages were not OCR'd, when they were not

    def describe(self) -> str:
        name = Path(self.path).name if self.path else self.doc_id
        if self.status == "failed":
            return f"{name}: failed — {self.reason}"
        if self.status == "duplicate":
            return f"{name}: duplicate of {self.duplicate_of}, not stored again"
        if self.status == "removed":
            return f"{self.doc_id}: removed (file no longer present)"
        if self.status == "skipped":
            return f"{name}: skipped — {self.reason}"
        text = f"{name}: {self.status} ({self.pages} pages, {self.chunks} chunks)"
        if self.ocr_pages:
            text += f"; OCR used on page(s) {_pages(self.ocr_pages)}"
        if self.scanned_pages:
            why = self.note or "scanned"
            text += f"; no text on page(s) {_pages(self.scanned_pages)}, not indexed ({why})"
        return text


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=lambda: {"parse": 0.0, "chunk": 0.0, "embed": 0.0,
                                                                 "store": 0.0})
    embedded_chunks: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes if o.status in ("added", "updated"))

    @property
    def chunks(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.status in ("added", "updated"))

    def line(self) -> str:
        return (
            f"{self.count('added')} added, {self.count('updated')} updated, {self.count('unchanged')} unchanged, "
            f"{self.count('removed')} removed, {self.count('duplicate')} duplicate, {self.count('failed')} failed, "
            f"{self.count('skipped')} skipped; "
            f"{self.pages} pages, {self.chunks} chunks ({self.embedded_chunks} embedded) in {self.seconds:.1f}s"
        )


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Expand folders recursively; a missing path becomes a failed outcome, not an exception.

    A file of a type that cannot be read is reported as skipped (hidden files and the folder's
    catalogue.csv are not papers and pass silently).
    """
    files: list[Path] = []
    problems: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                if found.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(found)
                elif not found.name.startswith(".") and found.name != CATALOGUE_NAME:
                    what = f"{found.suffix.lower()} not supported" if found.suffix else "no file suffix, not supported"
                    problems.append(FileOutcome(str(found), found.stem, "skipped", reason=what))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(FileOutcome(str(path), path.stem, "failed", reason="no such file or folder"))
    return list(dict.fromkeys(files)), problems


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Ingestor:
    def __init__(self, index: CouncilIndex, count_tokens: TokenCounter, max_tokens: int = 230,
                 max_file_bytes: int = 100 * 2**20, max_pages: int = 5000, ocr_enabled: bool = True) -> None:
        self.index = index
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.max_file_bytes = max_file_bytes
        self.max_pages = max_pages
        self.ocr_enabled = ocr_enabled

    def ingest(self, paths: Iterable[Path], prune: bool = True,
               progress: Callable[[FileOutcome], None] | None = None,
               on_start: Callable[[int], None] | None = None,
               wait_seconds: float = 600.0, on_wait: Callable[[], None] | None = None) -> IngestSummary:
        """Ingest files and folders under the index's write lock (IndexBusyError after `wait_seconds`)."""
        started = time.perf_counter()
        paths = [Path(p) for p in paths]
        files, problems = discover(paths)
        summary = IngestSummary(outcomes=list(problems))
        with self.index.writing(wait_seconds, on_wait):
            if on_start:
                on_start(len(files))
            for path in files:
                outcome = self.ingest_file(path, summary)
                summary.outcomes.append(outcome)
                if progress:
                    progress(outcome)
            if prune:
                summary.outcomes.extend(self.prune([p for p in paths if p.is_dir()]))
        summary.seconds = time.perf_counter() - started
        return summary

    def ingest_file(self, path: Path, summary: IngestSummary) -> FileOutcome:
        doc_id = path.stem
        outcome = FileOutcome(str(path), doc_id, "failed")
        try:
            size = path.stat().st_size
            content_hash = file_sha256(path) if 0 < size <= self.max_file_bytes else ""
        except OSError as err:
            outcome.reason = f"cannot read the file ({err.strerror or err})"
            return outcome
        if size == 0:
            outcome.reason = "empty file (0 bytes)"
            return outcome
        if size > self.max_file_bytes:
            outcome.reason = (f"file too large ({size / 2**20:.2f} MB; the limit is "
                              f"{self.max_file_bytes / 2**20:g} MB, setting max_file_mb)")
            return outcome
        existing = self.index.sqlite.get_document(doc_id)
        if existing and existing.status == "complete" and existing.content_hash == content_hash \
                and existing.pipeline == PIPELINE_VERSION:
            outcome.status, outcome.pages, outcome.chunks = "unchanged", existing.page_count, existing.chunk_count
            outcome.scanned_pages = existing.scanned_pages
            return outcome
        twin = self.index.sqlite.find_by_hash(content_hash)
        if twin and twin.doc_id != doc_id:
            if Path(twin.source_path).exists():
                return self._duplicate(outcome, twin.doc_id, existing)
            self.index.remove_document(twin.doc_id)  # the file was renamed: keep the new name only
        if existing and existing.source_path and existing.source_path != str(path.resolve()) \
                and Path(existing.source_path).exists():
            # Two different files with one name: replacing the other one would silently lose it.
            outcome.reason = f"another file with the same name is already indexed ({existing.source_path})"
            return outcome

        t0 = time.perf_counter()
        try:
            parsed = parse_file(path, Catalogue.find_for(path), ocr=self.ocr_enabled, max_pages=self.max_pages)
        except DocumentError as err:
            outcome.reason = err.reason
            return outcome
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as err:
            # Malformed files make parsers fail in many ways; report which, and carry on with the batch.
            log.debug("parsing %s failed", path, exc_info=True)
            outcome.reason = f"could not read the file ({type(err).__name__}: {err})"[:300]
            return outcome
        t1 = time.perf_counter()
        parsed.metadata.content_hash = content_hash
        parsed.metadata.source_path = str(path.resolve())
        parsed.metadata.text_hash = text_hash(parsed)
        parsed.metadata.pipeline = PIPELINE_VERSION
        text_twin = self.index.sqlite.find_by_text_hash(parsed.metadata.text_hash)
        if parsed.metadata.text_hash and text_twin and text_twin.doc_id != doc_id \
                and Path(text_twin.source_path).exists():
            # The same text saved twice (a re-export, other PDF metadata): one copy is enough.
            return self._duplicate(outcome, text_twin.doc_id, existing)
        chunked = chunk_document(parsed, self.count_tokens, self.max_tokens)
        chunks = chunked.chunks
        recommendations = extract_recommendations(parsed, chunked)
        t2 = time.perf_counter()
        outcome.pages = parsed.metadata.page_count
        outcome.scanned_pages = parsed.scanned_pages
        outcome.ocr_pages = [p.number for p in parsed.pages if p.ocr]
        outcome.note = parsed.extracted.get("ocr_note", "") if outcome.scanned_pages else ""
        if not chunks:
            why = outcome.note or "OCR found no text"
            outcome.reason = (f"no extractable text on any page (scanned or image-only; {why})"
                              if outcome.scanned_pages else "no text found")
            return outcome
        todo = self.index.vectors_needed(chunks)
        vectors = self.index.embed(todo)
        t3 = time.perf_counter()
        self.index.store_document(parsed.metadata, chunks, outcome.scanned_pages, outcome.ocr_pages, vectors,
                                  chunked.sections, chunked.items, recommendations)
        t4 = time.perf_counter()
        for key, seconds in zip(("parse", "chunk", "embed", "store"), (t1 - t0, t2 - t1, t3 - t2, t4 - t3),
                                strict=True):
            summary.timings[key] += seconds
        summary.embedded_chunks += len(todo)
        outcome.status = "updated" if existing else "added"
        outcome.chunks = len(chunks)
        return outcome

    def _duplicate(self, outcome: FileOutcome, twin: str, existing: DocumentRecord | None) -> FileOutcome:
        """Report a duplicate; if this file was indexed before with other content, that content goes."""
        if existing is not None:
            self.index.remove_document(existing.doc_id)
        outcome.status, outcome.duplicate_of = "duplicate", twin
        return outcome

    def prune(self, folders: list[Path]) -> list[FileOutcome]:
        """Remove documents whose file was inside one of `folders` and is gone now."""
        removed: list[FileOutcome] = []
        roots = [f.resolve() for f in folders]
        for doc in self.index.sqlite.list_documents(include_incomplete=True):
            source = Path(doc.source_path)
            inside = any(source.is_relative_to(root) for root in roots)
            if inside and not source.exists():
                self.index.remove_document(doc.doc_id)
                removed.append(FileOutcome(doc.source_path, doc.doc_id, "removed", pages=doc.page_count,
                                           chunks=doc.chunk_count))
        return removed


def text_hash(parsed: ParsedDocument) -> str:
    """sha256 of the paper's text, whitespace and Unicode forms normalised ("" when it has none)."""
    text = normalise_ws(" ".join(b.text for p in parsed.pages for b in p.blocks))
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else ""


def _pages(numbers: list[int]) -> str:
    if len(numbers) > 8:
        return ", ".join(map(str, numbers[:8])) + f" … ({len(numbers)} pages)"
    return ", ".join(map(str, numbers))
