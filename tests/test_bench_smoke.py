"""`python -m bench --quick` on the demo corpus: every figure is there and positive (timings are never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT


def test_quick_bench_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--questions", "3", "--out", str(out)],
        cwd=PROJECT, capture_output=True, text=True, timeout=1200, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for heading in ("total ingest", "Unchanged re-ingest", "hybrid retrieval", "full extractive answer",
                    "Synthetic scale"):
        assert heading in proc.stdout

    results = json.loads(out.read_text())
    assert results["machine"]["cores"] >= 1 and results["machine"]["ram_gb"] > 0
    run = results["corpora"]["council-papers"]
    ingest = run["ingest"]
    assert ingest["added"] == 5 and not ingest["failed"]
    assert ingest["pages"] > 0 and ingest["chunks"] > 0 and ingest["embedded_chunks"] == ingest["chunks"]
    assert ingest["ingest_s"] > 0 and ingest["pages_per_s"] > 0 and ingest["chunks_per_s"] > 0
    assert all(ingest["timings_s"][stage] >= 0 for stage in ("parse", "chunk", "embed", "store"))
    assert ingest["timings_s"]["embed"] > 0 and ingest["index_mb"] > 0 and ingest["max_rss_mb"] > 0

    reingest = run["reingest"]
    assert reingest["unchanged"] == 5 and reingest["embedded_chunks"] == 0 and reingest["reingest_s"] >= 0

    query = run["query"]
    assert query["questions"] == 3
    for kind in ("retrieval", "answer"):
        assert query[kind]["n"] == 3 and query[kind]["p50_ms"] > 0 and query[kind]["p95_ms"] >= query[kind]["p50_ms"]
    assert "baseline" not in run and "app" not in run  # --quick skips both

    (synthetic,) = results["synthetic"]
    assert synthetic["size"] == 1000 and synthetic["stats"]["chunks"] == 1000
    assert synthetic["stats"]["documents"] > 1 and synthetic["build"]["chroma_upsert_s"] > 0
    assert synthetic["retrieval"]["p95_ms"] > 0 and synthetic["answer"]["p95_ms"] > 0
    assert synthetic["index_mb"] > 0 and synthetic["max_rss_mb"] > 0
