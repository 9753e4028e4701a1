"""What a new user trips over first (issue 14): Gradio's port variables, files the ingest cannot read,
the same paper saved twice, and an index made by another release."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from tests.conftest import PROJECT, make_services
from tests.pdfgen import text_pdf
from tests.web import free_port
from vectorstore import schema
from vectorstore.schema import IndexVersionError
from vectorstore.sqlite_index import SqliteIndex

MINUTES = [
    ["Parish Council Allotments Committee", "Minutes of the meeting held on 3 May 2022.",
     "The committee agreed to raise the allotment rent to 30 pounds a plot from April 2023.",
     "The waiting list for allotments had 12 names at the end of March."],
    ["The clerk will write to every plot holder about the new rent before the end of June.",
     "The next meeting will be held on 6 September 2022 in the village hall."],
]


# ------------------------------------------------------------------------ Gradio's own port variables

def test_app_py_honours_gradio_server_port_and_name(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNCILCHAT_", "GRADIO_SERVER_"))}
    env.update(GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1",
               COUNCILCHAT_HOME=str(tmp_path / "home"), PYTHONUNBUFFERED="1")
    log = tmp_path / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=PROJECT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        statuses: list[str] = []
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(httpx.TransportError):  # not listening yet
                statuses.append(httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).json()["status"])
            if statuses and statuses[-1] == "ok":
                break
            time.sleep(0.25)
        assert statuses and statuses[-1] == "ok", (proc.poll(), statuses[-5:], log.read_text()[-3000:])
        assert set(statuses) <= {"warming", "ok"}, statuses
        body = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).json()
        assert body["documents"] == 0 and body["mode"] == "extractive"
        assert f"http://127.0.0.1:{port}/" in log.read_text()  # the URL it prints is the one it serves
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    assert (tmp_path / "home" / "index.sqlite3").is_file()  # the temporary home, not the real index


# ------------------------------------------------------------------- files the ingest cannot read

def test_unsupported_files_in_a_folder_get_a_skipped_line(tmp_path: Path) -> None:
    from cli.main import app

    folder = tmp_path / "papers"
    (folder / "appendices").mkdir(parents=True)
    text_pdf(folder / "allotments-minutes-2022.pdf", MINUTES)
    (folder / "budget-2023.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (folder / "appendices" / "grants.csv").write_text("grant,amount\nhall,500\n", encoding="utf-8")
    (folder / "README").write_text("notes for the clerk\n", encoding="utf-8")
    (folder / "catalogue.csv").write_text("file,title\nallotments-minutes-2022.pdf,Allotments Committee minutes\n",
                                          encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--home", str(tmp_path / "home")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    skipped = [line for line in lines if "skipped" in line and not line[0].isdigit()]
    assert any(line.startswith("budget-2023.xlsx: skipped") and ".xlsx not supported" in line
               for line in skipped), result.output
    assert any(line.startswith("grants.csv: skipped") and ".csv not supported" in line for line in skipped)
    assert any(line.startswith("README: skipped") for line in skipped), result.output
    assert len(skipped) == 3, skipped  # catalogue.csv and hidden files are not papers: no line for them
    summary = lines[-1]
    assert "1 added" in summary and "3 skipped" in summary and "0 failed" in summary, summary


# ---------------------------------------------------------------------- the same paper saved twice

def test_same_text_different_bytes_is_reported_as_a_duplicate(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "papers"
    folder.mkdir()
    first = text_pdf(folder / "a-allotments-minutes.pdf", MINUTES)
    second = folder / "b-allotments-minutes-reexport.pdf"
    # Another export of the same paper: a file identifier in the trailer (after the xref table, so every
    # offset stays valid) makes the bytes differ while the text is the same.
    data = first.read_bytes()
    assert data.count(b"trailer\n<<") == 1
    second.write_bytes(data.replace(b"trailer\n<<", b"trailer\n<< /ID [<0badc0ffee> <0badc0ffee>]"))
    assert second.read_bytes() != first.read_bytes()

    services = make_services(tmp_path / "home", embedder)
    try:
        summary = services.ingestor.ingest([folder])
        by_doc = {o.doc_id: o for o in summary.outcomes}
        assert by_doc["a-allotments-minutes"].status == "added", summary.line()
        twin = by_doc["b-allotments-minutes-reexport"]
        assert twin.status == "duplicate" and twin.duplicate_of == "a-allotments-minutes", twin
        assert twin.describe() == "b-allotments-minutes-reexport.pdf: duplicate of a-allotments-minutes, " \
                                  "not stored again"
        assert summary.count("duplicate") == 1 and "1 duplicate" in summary.line()
        assert [d.doc_id for d in services.sqlite.list_documents()] == ["a-allotments-minutes"]
        # Ingested again on its own, the re-export is still a duplicate (nothing was stored for it).
        again = services.ingestor.ingest([second], prune=False)
        assert [(o.status, o.duplicate_of) for o in again.outcomes] == [("duplicate", "a-allotments-minutes")]
        assert services.sqlite.stats()["documents"] == 1
    finally:
        services.close()


# ------------------------------------------------------------------------------- schema migrations

# The schema as release 0.1.0 wrote it: no user_version (0), no sections, no text_hash.
V1_SCHEMA = """
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', short_title TEXT NOT NULL DEFAULT '',
    council TEXT NOT NULL DEFAULT '', document_type TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
    committee TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '', source_path TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL DEFAULT '', page_count INTEGER NOT NULL DEFAULT 0,
    chunk_count INTEGER NOT NULL DEFAULT 0, scanned_pages TEXT NOT NULL DEFAULT '[]',
    ocr_pages TEXT NOT NULL DEFAULT '[]', status TEXT NOT NULL DEFAULT 'writing', ingested_at REAL NOT NULL DEFAULT 0
);
CREATE INDEX documents_hash ON documents(content_hash);
CREATE TABLE chunks (
    rowid INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
    text TEXT NOT NULL, section TEXT NOT NULL DEFAULT '', page_start INTEGER NOT NULL, page_end INTEGER NOT NULL,
    char_start INTEGER NOT NULL, char_end INTEGER NOT NULL, page_breaks TEXT NOT NULL DEFAULT '[]',
    kind TEXT NOT NULL DEFAULT 'text'
);
CREATE INDEX chunks_doc ON chunks(doc_id, seq);
CREATE VIRTUAL TABLE chunks_fts USING fts5(
    text, section, content='chunks', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
"""
OLD_TEXT = "The committee agreed to raise the allotment rent to 30 pounds a plot."


def _v1_index(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute("""INSERT INTO documents (doc_id, title, council, date, source_path, content_hash, page_count,
                    chunk_count, status, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                 ("allotments-2022", "Allotments Committee minutes", "Parish Council", "2022-05-03",
                  "/papers/allotments-2022.pdf", "ab" * 32, 2, 1, "complete", 1.0))
    conn.execute("""INSERT INTO chunks (rowid, chunk_id, doc_id, seq, text, section, page_start, page_end,
                    char_start, char_end) VALUES (1, 'allotments-2022:0', 'allotments-2022', 0, ?, '', 1, 1, 0, ?)""",
                 (OLD_TEXT, len(OLD_TEXT)))
    conn.execute("INSERT INTO chunks_fts (rowid, text, section) VALUES (1, ?, '')", (OLD_TEXT,))
    conn.commit()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()
    return path


def test_an_index_from_the_first_release_is_upgraded_in_place(tmp_path: Path) -> None:
    path = _v1_index(tmp_path / "index.sqlite3")
    index = SqliteIndex(path)
    try:
        assert [m.number for m in index.migrations_applied] == list(range(2, schema.CURRENT + 1))
        assert index.conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT
        doc = index.get_document("allotments-2022")
        assert doc is not None and doc.title == "Allotments Committee minutes" and doc.status == "complete"
        assert doc.text_hash == "" and index.sections("allotments-2022") == []  # new columns and tables exist
        assert [d.doc_id for d in index.list_documents()] == ["allotments-2022"]
        assert index.search("allotment rent", 5) and index.get_chunks(["allotments-2022:0"])
        assert index.stale_documents() == ["allotments-2022"]  # the next ingest of its folder re-reads it
        assert index.fts_integrity_ok()
    finally:
        index.close()
    reopened = SqliteIndex(path)  # already current: nothing applied twice, the row is still there
    try:
        assert reopened.migrations_applied == []
        assert reopened.get_document("allotments-2022") is not None
    finally:
        reopened.close()


def test_a_new_index_starts_at_the_current_version(tmp_path: Path) -> None:
    index = SqliteIndex(tmp_path / "index.sqlite3")
    try:
        assert [m.number for m in index.migrations_applied] == [m.number for m in schema.MIGRATIONS]
        assert index.conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT
        assert index.stale_documents() == []
    finally:
        index.close()


@pytest.mark.parametrize("with_tables", [True, False])
def test_an_index_from_a_newer_release_is_refused_with_what_to_do(tmp_path: Path, with_tables: bool) -> None:
    path = tmp_path / "index.sqlite3"
    if with_tables:
        _v1_index(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(IndexVersionError) as caught:
        SqliteIndex(path)
    message = str(caught.value)
    assert f"schema {schema.CURRENT + 1}" in message and "newer councilchat" in message
    assert "upgrade councilchat" in message and "COUNCILCHAT_HOME" in message and "--home" in message
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.CURRENT + 1  # left as it was
        if with_tables:
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
            assert "text_hash" not in {r[1] for r in conn.execute("PRAGMA table_info(documents)")}
    finally:
        conn.close()
