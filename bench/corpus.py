"""Stages over a real corpus: ingest into a fresh home, unchanged re-ingest, query latency."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import KENT_QUESTIONS, dir_size_mb, eval_questions, latency_summary


def _services(home: str) -> Any:
    from assistant.services import Services
    from assistant.settings import Settings

    return Services(Settings(home=Path(home)))


def stage_ingest(home: str, corpus: str) -> dict[str, Any]:
    """Ingest a corpus into an empty home. The model is loaded first and timed on its own."""
    started = time.perf_counter()
    services = _services(home)
    t0 = time.perf_counter()
    services.embedder.embed_query("warm up")
    model_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    ingestor = services.ingestor  # loads the tokenizer used for chunk sizes
    setup = time.perf_counter() - t0
    c0 = time.process_time()
    summary = ingestor.ingest([Path(corpus)])
    cpu = time.process_time() - c0
    wall_with_load = time.perf_counter() - started
    failed = [o.describe() for o in summary.outcomes if o.status == "failed"]
    stats = services.index.stats()
    mean_chars = services.sqlite.conn.execute("SELECT coalesce(avg(length(text)), 0) FROM chunks").fetchone()[0]
    services.close()
    timings = {k: round(v, 3) for k, v in summary.timings.items()}
    other = summary.seconds - sum(summary.timings.values())
    return {
        "files": len(summary.outcomes), "added": summary.count("added"), "failed": failed,
        "pages": summary.pages, "chunks": summary.chunks, "embedded_chunks": summary.embedded_chunks,
        "ingest_s": round(summary.seconds, 3), "ingest_cpu_s": round(cpu, 3), "timings_s": timings,
        "other_s": round(other, 3),
        "model_load_s": round(model_load, 3), "tokenizer_load_s": round(setup, 3),
        "wall_incl_startup_s": round(wall_with_load, 3),
        "pages_per_s": round(summary.pages / summary.seconds, 2) if summary.seconds else 0.0,
        "chunks_per_s": round(summary.chunks / summary.seconds, 2) if summary.seconds else 0.0,
        "stage_rates": _rates(summary.pages, summary.chunks, summary.timings),
        "embed_share_of_ingest": round(summary.timings["embed"] / summary.seconds, 3) if summary.seconds else 0.0,
        "mean_chunk_chars": round(float(mean_chars)), "stats": stats, "index_mb": dir_size_mb(Path(home)),
    }


def _rates(pages: int, chunks: int, timings: dict[str, float]) -> dict[str, dict[str, float]]:
    return {
        stage: {"pages_per_s": round(pages / s, 1) if s else 0.0, "chunks_per_s": round(chunks / s, 1) if s else 0.0}
        for stage, s in timings.items()
    }


def stage_reingest(home: str, corpus: str) -> dict[str, Any]:
    """Ingest the same folder again: every file unchanged, so nothing is parsed or embedded."""
    started = time.perf_counter()
    services = _services(home)
    summary = services.ingestor.ingest([Path(corpus)])
    wall = time.perf_counter() - started
    services.close()
    return {"reingest_s": round(summary.seconds, 3), "wall_incl_startup_s": round(wall, 3),
            "unchanged": summary.count("unchanged"), "embedded_chunks": summary.embedded_chunks,
            "line": summary.line()}


def corpus_questions(kent: bool, limit: int) -> list[dict[str, Any]]:
    questions = eval_questions(limit)
    if kent:
        questions = [{"question": q, "sources": []} for q in KENT_QUESTIONS] + questions
    return questions[:limit]


def stage_query(home: str, limit: int = 20, kent: bool = False) -> dict[str, Any]:
    """p50/p95 of hybrid retrieval (with a metadata filter) and of a full extractive answer."""
    from assistant.types import Filters

    services = _services(home)
    docs = {d.doc_id: d for d in services.sqlite.list_documents()}
    common = Counter(d.council for d in docs.values() if d.council).most_common(1)
    default_council = common[0][0] if common else ""

    def filters_for(row: dict[str, Any]) -> Filters:
        # The council of the paper the question is about; otherwise the corpus's main council.
        source = next((docs[s] for s in row.get("sources", []) if s in docs), None)
        council = source.council if source and source.council else default_council
        return Filters(councils=[council]) if council else Filters(date_from="1900")

    items = [(row["question"], filters_for(row)) for row in corpus_questions(kent, limit)]
    result = measure_queries(services, items)
    services.close()
    return result


def measure_queries(services: Any, items: list[tuple[str, Any]], profile: bool = False) -> dict[str, Any]:
    """Warm up, then time retrieval alone and a full answer for each (question, filters)."""
    from assistant.ask import AskRequest

    t0 = time.perf_counter()
    services.ask.ask(AskRequest("What are the council's priorities?"))  # warm up: model, caches
    warm = time.perf_counter() - t0
    retrieval_ms: list[float] = []
    answer_ms: list[float] = []
    retrieval_cpu: list[float] = []
    answer_cpu: list[float] = []
    refused = 0
    for question, filters in items:
        # The term-frequency cache would make the second look-up of a question cheaper: start cold.
        services.retriever.df_cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        services.retriever.search(question, filters)
        retrieval_ms.append((time.perf_counter() - t0) * 1000)
        retrieval_cpu.append((time.process_time() - c0) * 1000)
        services.retriever.df_cache.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        answer = services.ask.ask(AskRequest(question, filters=filters))
        answer_ms.append((time.perf_counter() - t0) * 1000)
        answer_cpu.append((time.process_time() - c0) * 1000)
        refused += int(answer.refused)
    result: dict[str, Any] = {"questions": len(items), "refused": refused, "warm_up_s": round(warm, 2),
                              "retrieval": latency_summary(retrieval_ms, retrieval_cpu),
                              "answer": latency_summary(answer_ms, answer_cpu)}
    if profile:
        result["profile"] = profile_queries(services, items)
    return result


def profile_queries(services: Any, items: list[tuple[str, Any]], top: int = 18) -> list[str]:
    """cProfile of one more pass (retrieval + answer): the functions with the most own+callee time."""
    import cProfile
    import io
    import pstats

    from assistant.ask import AskRequest

    profiler = cProfile.Profile()
    profiler.enable()
    for question, filters in items:
        services.retriever.df_cache.clear()
        services.retriever.search(question, filters)
        services.retriever.df_cache.clear()
        services.ask.ask(AskRequest(question, filters=filters))
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return [line.rstrip() for line in out.getvalue().splitlines() if line.strip()][-top - 1:]
