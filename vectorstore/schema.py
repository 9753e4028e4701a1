"""The SQLite schema and its numbered migrations.

`PRAGMA user_version` holds the number of migrations applied. Opening an index applies the missing
ones in order, each in its own transaction, so an index made by an older release is upgraded in
place. An index made by a newer release is refused with a message, never half-read. A migration that
adds what only parsing can fill (the paper structure of schema 2) marks the documents as stale: the
next `councilchat ingest` of their folder re-reads them (unchanged passages keep their vectors).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from common.types import IndexVersionError

__all__ = ["CURRENT", "MIGRATIONS", "IndexVersionError", "Migration", "migrate"]


@dataclass(frozen=True)
class Migration:
    number: int
    purpose: str
    sql: str
    stales_documents: bool = False  # the documents must be ingested again to fill what it adds


_V1 = """
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

_V2 = """
ALTER TABLE documents ADD COLUMN decision_number TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN part_of TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN text_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS documents_text_hash ON documents(text_hash);
CREATE TABLE IF NOT EXISTS sections (
    doc_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    path TEXT NOT NULL,
    heading TEXT NOT NULL,
    level INTEGER NOT NULL,
    page_start INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    seq_start INTEGER NOT NULL,
    seq_end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, ord)
);
CREATE TABLE IF NOT EXISTS list_items (
    doc_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    list_no INTEGER NOT NULL,
    section TEXT NOT NULL,
    label TEXT NOT NULL,
    depth INTEGER NOT NULL,
    parent INTEGER NOT NULL,
    text TEXT NOT NULL,
    page INTEGER NOT NULL,
    chunk_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    lead_in TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (doc_id, ord)
);
CREATE INDEX IF NOT EXISTS list_items_list ON list_items(doc_id, list_no);
"""

_V3 = """
CREATE TABLE IF NOT EXISTS recommendations (
    doc_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    number TEXT NOT NULL,
    text TEXT NOT NULL,
    page INTEGER NOT NULL,
    section TEXT NOT NULL,
    kind TEXT NOT NULL,
    chunk_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    quote TEXT NOT NULL DEFAULT '',
    lead_in TEXT NOT NULL DEFAULT '',
    also_on_pages TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, ord)
);
CREATE INDEX IF NOT EXISTS recommendations_kind ON recommendations(kind)
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "catalogue, chunks and the FTS5 lexical index", _V1),
    Migration(2, "metadata read from the papers; sections and list items", _V2, stales_documents=True),
    Migration(3, "the recommendations register (read at ingest)", _V3, stales_documents=True),
    Migration(4, "the version of the ingest pipeline that read each paper",
              "ALTER TABLE documents ADD COLUMN pipeline TEXT NOT NULL DEFAULT ''"),
)
CURRENT = MIGRATIONS[-1].number


def migrate(conn: sqlite3.Connection) -> list[Migration]:
    """Bring the database to the current schema; returns the migrations applied.

    Each step re-reads the version inside its write transaction, so two processes opening a new index
    at once apply every migration exactly once between them.
    """
    applied = []
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _version(conn)
            if version >= CURRENT:
                conn.execute("COMMIT")
                break
            migration = MIGRATIONS[version]
            for statement in _statements(migration.sql):
                conn.execute(statement)
            if migration.stales_documents:
                # Forget the file hashes: the next ingest of each folder re-reads every paper.
                conn.execute("UPDATE documents SET content_hash = ''")
            conn.execute(f"PRAGMA user_version = {migration.number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(migration)
    return applied


def _version(conn: sqlite3.Connection) -> int:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version == 0 and conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone():
        version = 1  # made before the schema was numbered: that schema is migration 1
    if version > CURRENT:
        raise IndexVersionError(
            f"this index was made by a newer councilchat (schema {version}; this release reads up to {CURRENT}): "
            "upgrade councilchat, or point --home / COUNCILCHAT_HOME at another folder")
    return version


def _statements(sql: str) -> list[str]:
    """The statements of a migration script (none of ours has a ';' inside a statement)."""
    return [s.strip() for s in sql.split(";") if s.strip()]
