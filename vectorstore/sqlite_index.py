"""The lexical index (SQLite FTS5, BM25) and the document catalogue, in one SQLite file.

Both live in one database so a document's catalogue row and its lexical rows change in one
transaction. The `status` column makes half-finished writes visible: a document is only
'complete' once its vectors are in the dense store too (see `vectorstore.index`).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.types import Chunk, DocumentMetadata

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    short_title TEXT NOT NULL DEFAULT '',
    council TEXT NOT NULL DEFAULT '',
    document_type TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    committee TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    source_path TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '',
    page_count INTEGER NOT NULL DEFAULT 0,
    chunk_count INTEGER NOT NULL DEFAULT 0,
    scanned_pages TEXT NOT NULL DEFAULT '[]',
    ocr_pages TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'writing',
    ingested_at REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    chunk_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    page_breaks TEXT NOT NULL DEFAULT '[]',
    kind TEXT NOT NULL DEFAULT 'text'
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, seq);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, section, content='chunks', content_rowid='rowid',
    tokenize='porter unicode61 remove_diacritics 2'
);
"""

# Words too common in questions to say anything about where the answer is.
STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not now of off on
    once only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours tell say said says papers paper report
    reports document documents please give show list mention mentioned much many according often long big
    large approximately roughly around latest recent got went come came make made take took get per since
    describe described think thought find found see saw kind sort way ways""".split()
)

_TOKEN = re.compile(r"[\w£$€%]+(?:[./,'’-][\w]+)*", re.UNICODE)


def query_terms(question: str) -> list[str]:
    """Content terms of a question, figures kept whole ("£263m", "2017/18", "1,192")."""
    terms: list[str] = []
    for raw in _TOKEN.findall(question):
        token = re.sub(r"['’]s$", "", raw).strip("'’").lower()
        if token and token not in STOPWORDS and not (len(token) == 1 and not token.isdigit()):
            terms.append(token)
    return list(dict.fromkeys(terms))


def fts_query(question: str) -> str:
    """An FTS5 MATCH expression: OR of the question's terms, each a quoted phrase.

    A figure like "2017/18" becomes the phrase "2017 18" under the unicode61 tokenizer, so it only
    matches those tokens side by side; quoting also neutralises FTS syntax in user input.
    """
    phrases = []
    for term in query_terms(question):
        parts = re.findall(r"\w+", term)
        if parts:
            phrases.append('"' + " ".join(parts) + '"')
    return " OR ".join(phrases)


@dataclass(slots=True)
class DocumentRecord:
    doc_id: str
    title: str
    short_title: str
    council: str
    document_type: str
    date: str
    committee: str
    author: str
    source_path: str
    content_hash: str
    page_count: int
    chunk_count: int
    scanned_pages: list[int]
    ocr_pages: list[int]
    status: str
    ingested_at: float

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Filters:
    """Metadata filters, applied to both retrieval sides through the set of allowed doc_ids."""

    councils: Sequence[str] = ()
    document_types: Sequence[str] = ()
    doc_ids: Sequence[str] = ()
    date_from: str = ""  # ISO prefix, inclusive: "2018" or "2018-01-01"
    date_to: str = ""

    def is_empty(self) -> bool:
        return not (self.councils or self.document_types or self.doc_ids or self.date_from or self.date_to)


class SqliteIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per thread: web handlers run in worker threads and a sqlite3 connection
        # must not be used by two threads at once. WAL lets readers run beside one writer.
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self.conn.executescript(SCHEMA)

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # --- documents -------------------------------------------------------------------------
    def get_document(self, doc_id: str) -> DocumentRecord | None:
        row = self.conn.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return _record(row) if row else None

    def find_by_hash(self, content_hash: str) -> DocumentRecord | None:
        row = self.conn.execute(
            "SELECT * FROM documents WHERE content_hash = ? AND status = 'complete' LIMIT 1", (content_hash,)
        ).fetchone()
        return _record(row) if row else None

    def list_documents(self, include_incomplete: bool = False) -> list[DocumentRecord]:
        sql = "SELECT * FROM documents"
        if not include_incomplete:
            sql += " WHERE status = 'complete'"
        return [_record(r) for r in self.conn.execute(sql + " ORDER BY date DESC, doc_id")]

    def allowed_doc_ids(self, filters: Filters) -> list[str] | None:
        """doc_ids passing the filters, or None when there are no filters (everything allowed)."""
        if filters.is_empty():
            return None
        clauses, params = ["status = 'complete'"], []
        for column, values in (
            ("council", filters.councils),
            ("document_type", filters.document_types),
            ("doc_id", filters.doc_ids),
        ):
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        if filters.date_from:
            # Compare on the shared prefix so "2018" admits "2018-10-25".
            clauses.append("date != '' AND substr(date, 1, length(?)) >= ?")
            params.extend([filters.date_from, filters.date_from])
        if filters.date_to:
            clauses.append("date != '' AND substr(date, 1, length(?)) <= ?")
            params.extend([filters.date_to, filters.date_to])
        sql = f"SELECT doc_id FROM documents WHERE {' AND '.join(clauses)}"
        return [r[0] for r in self.conn.execute(sql, params)]

    def write_document(self, meta: DocumentMetadata, chunks: Sequence[Chunk], scanned: list[int],
                       ocr: list[int]) -> list[str]:
        """Replace a document's catalogue row and lexical rows; returns the chunk ids it replaced.

        The row is left with status 'writing' until `mark_complete`.
        """
        with self.transaction() as conn:
            old_ids = self._delete_chunks(conn, meta.doc_id)
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (meta.doc_id,))
            conn.execute(
                """INSERT INTO documents (doc_id, title, short_title, council, document_type, date, committee,
                author, source_path, content_hash, page_count, chunk_count, scanned_pages, ocr_pages, status,
                ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'writing',?)""",
                (meta.doc_id, meta.title, meta.short_title, meta.council, meta.document_type, meta.date,
                 meta.committee, meta.author, meta.source_path, meta.content_hash, meta.page_count, len(chunks),
                 json.dumps(scanned), json.dumps(ocr), time.time()),
            )
            for c in chunks:
                cur = conn.execute(
                    """INSERT INTO chunks (chunk_id, doc_id, seq, text, section, page_start, page_end, char_start,
                    char_end, page_breaks, kind) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                    (c.chunk_id, c.doc_id, c.seq, c.text, c.section, c.page_start, c.page_end, c.char_start,
                     c.char_end, json.dumps(c.page_breaks), c.kind),
                )
                conn.execute("INSERT INTO chunks_fts(rowid, text, section) VALUES (?,?,?)",
                             (cur.lastrowid, c.text, c.section))
        return old_ids

    def mark_complete(self, doc_id: str) -> None:
        self.conn.execute("UPDATE documents SET status = 'complete' WHERE doc_id = ?", (doc_id,))

    def remove_document(self, doc_id: str) -> list[str]:
        """Delete a document's rows; returns its chunk ids so the dense store can drop them too."""
        with self.transaction() as conn:
            ids = self._delete_chunks(conn, doc_id)
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        return ids

    @staticmethod
    def _delete_chunks(conn: sqlite3.Connection, doc_id: str) -> list[str]:
        rows = conn.execute("SELECT rowid, chunk_id, text, section FROM chunks WHERE doc_id = ?",
                            (doc_id,)).fetchall()
        for r in rows:
            # External-content FTS5 tables are told what to forget with the special 'delete' insert.
            conn.execute("INSERT INTO chunks_fts(chunks_fts, rowid, text, section) VALUES ('delete', ?, ?, ?)",
                         (r["rowid"], r["text"], r["section"]))
        conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        return [r["chunk_id"] for r in rows]

    # --- chunks ----------------------------------------------------------------------------
    def search(self, question: str, k: int, allowed_doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """BM25 top-k as (chunk_id, score) with higher = better."""
        match = fts_query(question)
        if not match or (allowed_doc_ids is not None and not allowed_doc_ids):
            return []
        sql = """SELECT c.chunk_id, bm25(chunks_fts, 1.0, 0.5) AS rank FROM chunks_fts
                 JOIN chunks c ON c.rowid = chunks_fts.rowid
                 JOIN documents d ON d.doc_id = c.doc_id AND d.status = 'complete'
                 WHERE chunks_fts MATCH ?"""
        params: list = [match]
        if allowed_doc_ids is not None:
            sql += f" AND c.doc_id IN ({','.join('?' * len(allowed_doc_ids))})"
            params.extend(allowed_doc_ids)
        sql += " ORDER BY rank LIMIT ?"
        params.append(k)
        return [(r[0], -float(r[1])) for r in self.conn.execute(sql, params)]

    def document_frequency(self, term: str) -> int:
        """How many chunks contain `term` (a phrase for figures like "2017/18")."""
        parts = re.findall(r"\w+", term)
        if not parts:
            return 0
        match = '"' + " ".join(parts) + '"'
        row = self.conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (match,)).fetchone()
        return int(row[0])

    def chunk_total(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0])

    def get_chunks(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(chunk_ids)
        out: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            rows = self.conn.execute(
                f"SELECT * FROM chunks WHERE chunk_id IN ({','.join('?' * len(part))})", part
            ).fetchall()
            out.update({r["chunk_id"]: _chunk(r) for r in rows})
        return out

    def chunk_at(self, doc_id: str, seq: int) -> Chunk | None:
        row = self.conn.execute("SELECT * FROM chunks WHERE doc_id = ? AND seq = ?", (doc_id, seq)).fetchone()
        return _chunk(row) if row else None

    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT chunk_id FROM chunks")}

    def chunk_ids_for(self, doc_id: str) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]

    def fts_integrity_ok(self) -> bool:
        try:
            self.conn.execute("INSERT INTO chunks_fts(chunks_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError:
            return False
        return True

    def rebuild_fts(self) -> None:
        self.conn.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")

    def stats(self) -> dict[str, int]:
        docs = self.conn.execute("SELECT count(*) FROM documents WHERE status='complete'").fetchone()[0]
        chunks = self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        pages = self.conn.execute("SELECT coalesce(sum(page_count),0) FROM documents").fetchone()[0]
        return {"documents": docs, "chunks": chunks, "pages": pages}


def _record(row: sqlite3.Row) -> DocumentRecord:
    data = dict(row)
    data["scanned_pages"] = json.loads(data["scanned_pages"])
    data["ocr_pages"] = json.loads(data["ocr_pages"])
    return DocumentRecord(**data)


def _chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"], doc_id=row["doc_id"], seq=row["seq"], text=row["text"], section=row["section"],
        page_start=row["page_start"], page_end=row["page_end"], char_start=row["char_start"],
        char_end=row["char_end"], page_breaks=[tuple(p) for p in json.loads(row["page_breaks"])], kind=row["kind"],
    )
