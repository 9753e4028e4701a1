"""The lexical index (SQLite FTS5, BM25), the document catalogue and each paper's structure, in one file.

All live in one database so a document's catalogue row, its lexical rows and its sections and list
items change in one transaction. The `status` column makes half-finished writes visible: a document
is only 'complete' once its vectors are in the dense store too (see `vectorstore.index`). The schema
and its migrations are in `vectorstore.schema`.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path

from common.text import query_terms
from common.types import Chunk, DocumentMetadata, DocumentRecord, Filters, ListItem, Recommendation, Section
from vectorstore.schema import migrate

_META_COLUMNS = [f.name for f in fields(DocumentMetadata)]


def fts_query(question: str, families: frozenset[str] = frozenset()) -> str:
    """An FTS5 MATCH expression: OR of the question's terms, each a quoted phrase; a term in `families` as a
    prefix ("employ" -> "employ"*: employee, employer, employment).

    A figure like "2017/18" becomes the phrase "2017 18" under the unicode61 tokenizer, so it only
    matches those tokens side by side; quoting also neutralises FTS syntax in user input.
    """
    phrases = [_family(term) if term in families else _phrase(term) for term in query_terms(question)]
    return " OR ".join(p for p in phrases if p)


def _phrase(term: str) -> str:
    parts = re.findall(r"\w+", term)
    return '"' + " ".join(parts) + '"' if parts else ""


def _family(term: str) -> str:
    """A prefix query for the words `term` starts. Its last letter goes when a stemmer would rewrite it: the
    Porter stemmer reads "employ" as "emploi", which starts no word of the index ("employe" from "employee")."""
    return _phrase(term[:-1] if term.endswith(("y", "e", "i")) else term) + "*"


# A word the index does not hold as written is looked for as the start of longer ones ("employ": "employee"),
# when it is long enough to be a word's stem rather than a fragment of any word.
FAMILY_PREFIX = 5


def _may_start_words(term: str) -> bool:
    return term.isalpha() and len(term) > FAMILY_PREFIX


def _use_wal(conn: sqlite3.Connection, patience: float) -> None:
    """Switch to WAL. Two processes opening a new index at once (two `councilchat ingest` runs) can meet here: while
    the other holds a write transaction on the file still in rollback mode, SQLite refuses the switch at once with
    "database is locked" instead of waiting (waiting could deadlock), so this waits and tries again."""
    deadline = time.monotonic() + patience
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


class SqliteIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per thread: web handlers run in worker threads and a sqlite3 connection
        # must not be used by two threads at once. WAL lets readers run beside one writer.
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self.migrations_applied = migrate(self.conn)

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            _use_wal(conn, patience=30.0)
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

    def find_by_text_hash(self, text_hash: str) -> DocumentRecord | None:
        if not text_hash:
            return None
        row = self.conn.execute(
            "SELECT * FROM documents WHERE text_hash = ? AND status = 'complete' LIMIT 1", (text_hash,)
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
                       ocr: list[int], sections: Sequence[Section] = (), items: Sequence[ListItem] = (),
                       recommendations: Sequence[Recommendation] = ()) -> list[str]:
        """Replace a document's catalogue row, lexical rows, structure and recommendations; returns the chunk ids
        it replaced.

        The row is left with status 'writing' until `mark_complete`.
        """
        with self.transaction() as conn:
            old_ids = self._delete_rows(conn, meta.doc_id)
            values = {name: getattr(meta, name) for name in _META_COLUMNS}
            values.update(chunk_count=len(chunks), scanned_pages=json.dumps(scanned), ocr_pages=json.dumps(ocr),
                          status="writing", ingested_at=time.time())
            columns = ", ".join(values)
            conn.execute(f"INSERT INTO documents ({columns}) VALUES ({','.join('?' * len(values))})",
                         list(values.values()))
            for c in chunks:
                cur = conn.execute(
                    """INSERT INTO chunks (chunk_id, doc_id, seq, text, section, page_start, page_end, char_start,
                    char_end, page_breaks, kind) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
                    (c.chunk_id, c.doc_id, c.seq, c.text, c.section, c.page_start, c.page_end, c.char_start,
                     c.char_end, json.dumps(c.page_breaks), c.kind),
                )
                conn.execute("INSERT INTO chunks_fts(rowid, text, section) VALUES (?,?,?)",
                             (cur.lastrowid, c.text, c.section))
            conn.executemany(
                "INSERT INTO sections VALUES (?,?,?,?,?,?,?,?,?)",
                [(x.doc_id, x.ord, x.path, x.heading, x.level, x.page_start, x.page_end, x.seq_start, x.seq_end)
                 for x in sections])
            conn.executemany(
                "INSERT INTO list_items VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(i.doc_id, i.ord, i.list_no, i.section, i.label, i.depth, i.parent, i.text, i.page, i.chunk_id,
                  i.start, i.end, i.lead_in) for i in items])
            conn.executemany(
                "INSERT INTO recommendations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(r.doc_id, r.ord, r.number, r.text, r.page, r.section, r.kind, r.chunk_id, r.start, r.end, r.quote,
                  r.lead_in, json.dumps(r.also_on_pages)) for r in recommendations])
        return old_ids

    def mark_complete(self, doc_id: str) -> None:
        self.conn.execute("UPDATE documents SET status = 'complete' WHERE doc_id = ?", (doc_id,))

    def remove_document(self, doc_id: str) -> list[str]:
        """Delete a document's rows; returns its chunk ids so the dense store can drop them too."""
        with self.transaction() as conn:
            ids = self._delete_rows(conn, doc_id)
        return ids

    @staticmethod
    def _delete_rows(conn: sqlite3.Connection, doc_id: str) -> list[str]:
        """Delete everything stored for a document; returns its chunk ids."""
        ids = SqliteIndex._delete_chunks(conn, doc_id)
        for table in ("documents", "sections", "list_items", "recommendations"):
            conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
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
        """BM25 top-k as (chunk_id, score) with higher = better. A word no passage holds as written is searched as
        the start of longer words ("How many staff does Derbyshire employ?": "employee numbers")."""
        families = frozenset(t for t in query_terms(question) if self._family_only(t))
        return self._bm25(fts_query(question, families), k, allowed_doc_ids)

    def search_phrases(self, phrases: list[str], k: int,
                       allowed_doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        """BM25 top-k of the chunks holding any of `phrases` word for word, small words included ("much to do")."""
        return self._bm25(" OR ".join(p for p in map(_phrase, phrases) if p), k, allowed_doc_ids)

    def _bm25(self, match: str, k: int, allowed_doc_ids: list[str] | None) -> list[tuple[str, float]]:
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
        """How many chunks contain `term` (a phrase for figures like "2017/18"), or words it starts when none
        holds it as written."""
        exact = self._count(_phrase(term))
        return self._count(_family(term)) if not exact and _may_start_words(term) else exact

    def _family_only(self, term: str) -> bool:
        return _may_start_words(term) and not self._count(_phrase(term))

    def _count(self, match: str) -> int:
        if not match:
            return 0
        row = self.conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (match,)).fetchone()
        return int(row[0])

    def chunk_texts(self) -> Iterator[str]:
        """Every chunk's text, of complete documents."""
        rows = self.conn.execute("SELECT c.text FROM chunks c JOIN documents d ON d.doc_id = c.doc_id "
                                 "AND d.status = 'complete'")
        yield from (r[0] for r in rows)

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

    def chunks_of(self, doc_id: str, seq_start: int = 0, seq_end: int | None = None) -> list[Chunk]:
        """A document's chunks in order, optionally only seq_start..seq_end (inclusive)."""
        rows = self.conn.execute(
            "SELECT * FROM chunks WHERE doc_id = ? AND seq >= ? AND seq <= ? ORDER BY seq",
            (doc_id, seq_start, seq_end if seq_end is not None else 1 << 30)).fetchall()
        return [_chunk(r) for r in rows]

    # --- structure ---------------------------------------------------------------------------
    def sections(self, doc_id: str) -> list[Section]:
        rows = self.conn.execute("SELECT * FROM sections WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
        return [Section(**dict(r)) for r in rows]

    def list_items(self, doc_id: str, list_no: int | None = None) -> list[ListItem]:
        sql, params = "SELECT * FROM list_items WHERE doc_id = ?", [doc_id]
        if list_no is not None:
            sql += " AND list_no = ?"
            params.append(list_no)
        rows = self.conn.execute(sql + " ORDER BY ord", params).fetchall()
        return [ListItem(**dict(r)) for r in rows]

    # --- recommendations ---------------------------------------------------------------------
    def recommendations(self, doc_ids: Sequence[str] = (), councils: Sequence[str] = (),
                        kinds: Sequence[str] = ()) -> list[Recommendation]:
        """Recommendations of complete documents, oldest paper first, in printed order; empty filters match all."""
        sql = ("SELECT r.* FROM recommendations r JOIN documents d ON d.doc_id = r.doc_id "
               "WHERE d.status = 'complete'")
        params: list[str] = []
        for column, values in (("d.doc_id", doc_ids), ("d.council", councils), ("r.kind", kinds)):
            values = [v for v in values if v]
            if values:
                sql += f" AND {column} IN ({','.join('?' * len(values))})"
                params.extend(values)
        rows = self.conn.execute(sql + " ORDER BY d.date, d.doc_id, r.ord", params).fetchall()
        return [_recommendation(r) for r in rows]

    def orphan_recommendations(self) -> list[tuple[str, int]]:
        """(doc_id, ord) of recommendations whose chunk is no longer stored."""
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT doc_id, ord FROM recommendations WHERE chunk_id NOT IN (SELECT chunk_id FROM chunks) "
            "ORDER BY doc_id, ord")]

    def delete_recommendations(self, keys: Iterable[tuple[str, int]]) -> None:
        with self.transaction() as conn:
            conn.executemany("DELETE FROM recommendations WHERE doc_id = ? AND ord = ?", list(keys))

    def documents_mentioning(self, phrase: str) -> set[str]:
        """Complete documents whose text holds `phrase` (its words side by side)."""
        parts = re.findall(r"\w+", phrase)
        if not parts:
            return set()
        rows = self.conn.execute(
            "SELECT DISTINCT c.doc_id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "JOIN documents d ON d.doc_id = c.doc_id AND d.status = 'complete' WHERE chunks_fts MATCH ?",
            ('"' + " ".join(parts) + '"',))
        return {r[0] for r in rows}

    def stale_documents(self, pipeline: str = "") -> list[str]:
        """Documents indexed by an older release (or, given `pipeline`, read by another version of the ingest
        pipeline), which a new ingest of their folder reads again."""
        sql = "SELECT doc_id FROM documents WHERE status = 'complete' AND (content_hash = ''"
        params: list[str] = []
        if pipeline:
            sql += " OR pipeline != ?"
            params.append(pipeline)
        return [r[0] for r in self.conn.execute(sql + ") ORDER BY doc_id", params)]

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


def _recommendation(row: sqlite3.Row) -> Recommendation:
    data = dict(row)
    data["also_on_pages"] = json.loads(data["also_on_pages"])
    return Recommendation(**data)


def _chunk(row: sqlite3.Row) -> Chunk:
    return Chunk(
        chunk_id=row["chunk_id"], doc_id=row["doc_id"], seq=row["seq"], text=row["text"], section=row["section"],
        page_start=row["page_start"], page_end=row["page_end"], char_start=row["char_start"],
        char_end=row["char_end"], page_breaks=[tuple(p) for p in json.loads(row["page_breaks"])], kind=row["kind"],
    )
