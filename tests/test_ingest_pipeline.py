"""Incremental ingestion into a real index (Chroma + SQLite): idempotence, updates, removal, duplicates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import DEMO_CORPUS, make_services
from tests.pdfgen import text_pdf

PARAGRAPH = [
    "Corporate Budget Monitoring",
    "The council agreed a revenue budget of £512m for 2025/26 after consultation with residents.",
    "The Cabinet asked officers to report progress on the Riverside depot by March 2026.",
]


@pytest.fixture
def services(tmp_path: Path, embedder):  # type: ignore[no-untyped-def]
    svc = make_services(tmp_path / "home", embedder)
    yield svc
    svc.close()


def _folder_with(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    for name in names:
        shutil.copy(DEMO_CORPUS / f"{name}.pdf", folder)
    shutil.copy(DEMO_CORPUS / "catalogue.csv", folder)
    return folder


def test_demo_ingest_then_unchanged_reingest(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = _folder_with(tmp_path, "derbyshire-cc-productivity-plan-2024",
                          "derbyshire-dales-council-vision-derbyshire-2020")
    first = services.ingestor.ingest([folder])
    assert first.count("added") == 2 and first.count("failed") == 0
    stats = services.index.stats()
    assert stats["chunks"] == stats["vectors"] > 10

    second = services.ingestor.ingest([folder])
    assert second.count("unchanged") == 2
    assert second.embedded_chunks == 0
    assert services.index.stats() == stats

    doc = services.sqlite.get_document("derbyshire-cc-productivity-plan-2024")
    assert doc is not None and doc.council == "Derbyshire County Council" and doc.page_count == 5
    assert doc.date == "2024-07" and doc.title.startswith("Derbyshire County Council Productivity Plan")
    assert services.index.check().consistent


def test_chunk_ids_are_stable_across_reingest(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = _folder_with(tmp_path, "derbyshire-dales-council-vision-derbyshire-2020")
    services.ingestor.ingest([folder])
    ids = sorted(services.sqlite.chunk_ids())
    services.index.remove_document("derbyshire-dales-council-vision-derbyshire-2020")
    assert services.sqlite.chunk_ids() == set() and services.dense.count() == 0
    services.ingestor.ingest([folder])
    assert sorted(services.sqlite.chunk_ids()) == ids


def test_changed_file_replaces_its_chunks_everywhere(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "papers"
    folder.mkdir()
    pdf = text_pdf(folder / "budget-2025.pdf", [PARAGRAPH])
    services.ingestor.ingest([folder])
    assert services.sqlite.search("£512m revenue budget", 5)

    text_pdf(pdf, [[line.replace("£512m", "£498m") for line in PARAGRAPH]])
    summary = services.ingestor.ingest([folder])
    assert summary.count("updated") == 1
    assert not services.sqlite.search("512m", 5), "old text must leave the lexical index"
    hits = services.sqlite.search("498m", 5)
    assert hits
    texts = services.dense.collection.get(include=["documents"])["documents"]
    assert not any("£512m" in t for t in texts), "old text must leave Chroma"
    assert any("£498m" in t for t in texts)
    assert services.index.check().consistent


def test_file_removed_from_folder_is_pruned(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "papers"
    folder.mkdir()
    text_pdf(folder / "a-report.pdf", [PARAGRAPH])
    gone = text_pdf(folder / "b-report.pdf",
                    [["Minutes of the Parish Council", "The clerk reported a precept of £31,000."]])
    services.ingestor.ingest([folder])
    assert {d.doc_id for d in services.sqlite.list_documents()} == {"a-report", "b-report"}
    gone.unlink()
    summary = services.ingestor.ingest([folder])
    assert summary.count("removed") == 1 and summary.count("unchanged") == 1
    assert {d.doc_id for d in services.sqlite.list_documents()} == {"a-report"}
    assert not services.sqlite.search("precept", 5)
    assert services.index.check().consistent


def test_identical_file_under_two_names_is_stored_once(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "papers"
    folder.mkdir()
    text_pdf(folder / "cabinet-report.pdf", [PARAGRAPH])
    shutil.copy(folder / "cabinet-report.pdf", folder / "cabinet-report-copy.pdf")
    summary = services.ingestor.ingest([folder])
    # Files are taken in name order, so "cabinet-report-copy.pdf" comes first and is the one kept.
    statuses = {Path(o.path).name: o for o in summary.outcomes}
    assert statuses["cabinet-report-copy.pdf"].status == "added"
    dup = statuses["cabinet-report.pdf"]
    assert dup.status == "duplicate" and dup.duplicate_of == "cabinet-report-copy"
    assert "duplicate of cabinet-report-copy" in dup.describe()
    assert [d.doc_id for d in services.sqlite.list_documents()] == ["cabinet-report-copy"]


def test_failing_file_does_not_stop_the_batch(tmp_path: Path, services) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "papers"
    folder.mkdir()
    text_pdf(folder / "good.pdf", [PARAGRAPH])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage")
    (folder / "notes.txt").write_bytes(b"")
    summary = services.ingestor.ingest([folder])
    by_name = {Path(o.path).name: o for o in summary.outcomes}
    assert by_name["good.pdf"].status == "added"
    assert by_name["broken.pdf"].status == "failed" and by_name["broken.pdf"].reason
    assert by_name["notes.txt"].status == "failed" and "empty" in by_name["notes.txt"].reason
    assert [d.doc_id for d in services.sqlite.list_documents()] == ["good"]
    assert services.index.check().consistent


def test_cli_ingest_docs_list_and_remove(tmp_path: Path, embedder, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = _folder_with(tmp_path, "derbyshire-dales-council-vision-derbyshire-2020")
    home = tmp_path / "cli-home"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--home", str(home)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "0 failed" in result.output
    listing = runner.invoke(app, ["docs", "list", "--home", str(home)])
    assert "Derbyshire Dales District Council" in listing.output and "2020-01-16" in listing.output
    again = runner.invoke(app, ["ingest", str(folder), "--home", str(home)])
    assert "1 unchanged" in again.output
    removed = runner.invoke(app, ["docs", "remove", "derbyshire-dales-council-vision-derbyshire-2020", "--home",
                                  str(home)])
    assert removed.exit_code == 0
    assert "no documents" in runner.invoke(app, ["docs", "list", "--home", str(home)]).output
    missing = runner.invoke(app, ["docs", "remove", "nope", "--home", str(home)])
    assert missing.exit_code == 1
    check = runner.invoke(app, ["check", "--home", str(home)])
    assert check.exit_code == 0 and "consistent" in check.output
