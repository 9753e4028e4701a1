"""The index: catalogue + lexical rows in SQLite, vectors in the dense store, kept in agreement.

Write order for a document: SQLite rows (status 'writing') -> vectors -> status 'complete'.
A crash anywhere leaves either the old complete state or a 'writing' row; readers only see complete
documents, so they never see half a document. `check --repair` removes a 'writing' document (an update
interrupted this way loses the old version too) and the next ingest writes it again from its file;
an ingest run without repair also rewrites it, since only complete rows count as unchanged.
Removal goes SQLite first, then vectors: a crash in between leaves orphan vectors, which `check` finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from common.types import Chunk, DocumentMetadata, ListItem, Recommendation, Section
from vectorstore.dense import DenseStore
from vectorstore.embeddings import Embedder
from vectorstore.lock import IndexWriteLock
from vectorstore.sqlite_index import SqliteIndex


def embedding_text(chunk: Chunk) -> str:
    """What gets embedded: the section heading gives a passage its topic, so it goes in front."""
    if chunk.section and not chunk.text.startswith(chunk.section):
        return f"{chunk.section}\n{chunk.text}"
    return chunk.text


@dataclass
class CheckReport:
    incomplete_documents: list[str] = field(default_factory=list)
    orphan_vectors: int = 0
    missing_vectors: dict[str, int] = field(default_factory=dict)  # doc_id -> chunks without a vector
    fts_ok: bool = True
    repaired: bool = False
    stale_documents: list[str] = field(default_factory=list)  # indexed by an older release
    # Recommendations whose chunk is gone, as (doc_id, ord): the register would cite a passage that is not there.
    orphan_recommendations: list[tuple[str, int]] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not (self.incomplete_documents or self.orphan_vectors or self.missing_vectors
                    or self.orphan_recommendations) and self.fts_ok

    def lines(self) -> list[str]:
        if self.consistent:
            return ["index consistent: catalogue, lexical index and vectors agree"]
        out = []
        if self.incomplete_documents:
            out.append(f"half-written documents: {', '.join(self.incomplete_documents)}")
        if self.orphan_vectors:
            out.append(f"vectors with no catalogue entry: {self.orphan_vectors}")
        for doc_id, n in self.missing_vectors.items():
            out.append(f"{doc_id}: {n} chunk(s) without a vector")
        if not self.fts_ok:
            out.append("lexical index damaged")
        if self.orphan_recommendations:
            docs = sorted({doc_id for doc_id, _ in self.orphan_recommendations})
            out.append(f"recommendations whose passage no longer exists: {len(self.orphan_recommendations)} "
                       f"({', '.join(docs[:5])}{' …' if len(docs) > 5 else ''}; --repair drops them, ingesting "
                       "the paper again reads them again)")
        out.append("repaired" if self.repaired else "run `councilchat check --repair` to fix")
        return out

    def notices(self) -> list[str]:
        """What is not an inconsistency but still needs the user (not fixed by --repair)."""
        if not self.stale_documents:
            return []
        return [f"{len(self.stale_documents)} document(s) were read by an older release of councilchat and may "
                "lack what it now stores (sections, lists, recommendations, tables): run `councilchat ingest` on "
                "their folder again to re-read them "
                f"({', '.join(self.stale_documents[:5])}{' …' if len(self.stale_documents) > 5 else ''})"]


class CouncilIndex:
    """Every write takes the index's write lock itself (re-entrant within a process), so no caller can
    forget it and two processes never interleave their writes."""

    def __init__(self, sqlite: SqliteIndex, dense: DenseStore, embedder: Embedder, lock_path: Path) -> None:
        self.sqlite = sqlite
        self.dense = dense
        self.embedder = embedder
        self.lock = IndexWriteLock(lock_path)

    @contextmanager
    def writing(self, wait_seconds: float = 600.0, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the write lock for a batch of writes; a second writer queues (IndexBusyError after the wait)."""
        with self.lock.hold(wait_seconds, on_wait):
            yield

    def store_document(self, meta: DocumentMetadata, chunks: Sequence[Chunk], scanned: list[int],
                       ocr: list[int], vectors: dict[str, list[float]], sections: Sequence[Section] = (),
                       items: Sequence[ListItem] = (), recommendations: Sequence[Recommendation] = ()) -> None:
        """Replace a document everywhere. `vectors` must hold a vector for every chunk not already stored."""
        with self.writing():
            self._store(meta, chunks, scanned, ocr, vectors, sections, items, recommendations)

    def _store(self, meta: DocumentMetadata, chunks: Sequence[Chunk], scanned: list[int], ocr: list[int],
               vectors: dict[str, list[float]], sections: Sequence[Section], items: Sequence[ListItem],
               recommendations: Sequence[Recommendation] = ()) -> None:
        old_ids = self.sqlite.write_document(meta, chunks, scanned, ocr, sections, items, recommendations)
        new_ids = {c.chunk_id for c in chunks}
        stale = [cid for cid in old_ids if cid not in new_ids]
        if stale:
            self.dense.delete(stale)
        todo = [c for c in chunks if c.chunk_id in vectors]
        if todo:
            self.dense.upsert(
                [c.chunk_id for c in todo],
                [vectors[c.chunk_id] for c in todo],
                [dense_metadata(meta, c) for c in todo],
                [c.text for c in todo],
            )
        self.sqlite.mark_complete(meta.doc_id)

    def vectors_needed(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        """Chunks whose vector is not stored yet (unchanged passages of a changed file keep theirs)."""
        have = self.dense.existing([c.chunk_id for c in chunks])
        return [c for c in chunks if c.chunk_id not in have]

    def embed(self, chunks: Sequence[Chunk]) -> dict[str, list[float]]:
        vectors = self.embedder.embed_documents([embedding_text(c) for c in chunks])
        return {c.chunk_id: v for c, v in zip(chunks, vectors, strict=True)}

    def remove_document(self, doc_id: str) -> bool:
        with self.writing():
            return self._remove(doc_id)

    def _remove(self, doc_id: str) -> bool:
        existed = self.sqlite.get_document(doc_id) is not None
        ids = self.sqlite.remove_document(doc_id)
        if ids:
            self.dense.delete(ids)
        self.dense.delete_doc(doc_id)
        return existed

    def check(self, repair: bool = False, pipeline: str = "") -> CheckReport:
        """Do the catalogue, lexical index and vectors agree? `pipeline`, the current ingest pipeline version,
        also lists papers an older version read."""
        with self.writing():
            return self._check(repair, pipeline)

    def _check(self, repair: bool, pipeline: str = "") -> CheckReport:
        report = CheckReport(stale_documents=self.sqlite.stale_documents(pipeline))
        docs = self.sqlite.list_documents(include_incomplete=True)
        report.incomplete_documents = [d.doc_id for d in docs if d.status != "complete"]
        sqlite_ids = self.sqlite.chunk_ids()
        dense_ids = self.dense.ids()
        orphans = dense_ids - sqlite_ids
        report.orphan_vectors = len(orphans)
        missing = sqlite_ids - dense_ids
        if missing:
            by_doc = self.sqlite.get_chunks(missing)
            for chunk in by_doc.values():
                if chunk.doc_id not in report.incomplete_documents:
                    report.missing_vectors[chunk.doc_id] = report.missing_vectors.get(chunk.doc_id, 0) + 1
        report.fts_ok = self.sqlite.fts_integrity_ok()
        report.orphan_recommendations = self.sqlite.orphan_recommendations()
        if repair and not report.consistent:
            for doc_id in report.incomplete_documents:
                self._remove(doc_id)
            if orphans:
                self.dense.delete(sorted(orphans))
            for doc_id in report.missing_vectors:
                self._restore_vectors(doc_id)
            if not report.fts_ok:
                self.sqlite.rebuild_fts()
            if report.orphan_recommendations:
                self.sqlite.delete_recommendations(report.orphan_recommendations)
            report.repaired = True
        return report

    def _restore_vectors(self, doc_id: str) -> None:
        """Re-embed a document's chunks from the text kept in SQLite: no need for the original file."""
        meta = self.sqlite.get_document(doc_id)
        if meta is None:
            return
        chunks = list(self.sqlite.get_chunks(self.sqlite.chunk_ids_for(doc_id)).values())
        todo = self.vectors_needed(chunks)
        vectors = self.embed(todo)
        self.dense.upsert([c.chunk_id for c in todo], [vectors[c.chunk_id] for c in todo],
                          [dense_metadata(meta, c) for c in todo], [c.text for c in todo])

    def stats(self) -> dict[str, int]:
        stats = self.sqlite.stats()
        stats["vectors"] = self.dense.count()
        return stats


def dense_metadata(meta: DocumentMetadata, chunk: Chunk) -> dict[str, str | int]:
    return {
        "doc_id": meta.doc_id,
        "seq": chunk.seq,
        "page_start": chunk.page_start,
        "page_end": chunk.page_end,
        "section": chunk.section[:500],
        "council": meta.council,
        "document_type": meta.document_type,
        "date": meta.date,
    }
