"""Markdown tables of a bench run (printed, and pasted into docs/benchmarks.md)."""

from __future__ import annotations

from typing import Any

STAGES = ("parse", "chunk", "embed", "store")


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return out


def corpus_lines(name: str, run: dict[str, Any]) -> list[str]:
    ing = run["ingest"]
    lines = [f"### Corpus `{name}`: {ing['files']} files, {ing['pages']} pages, {ing['chunks']} chunks", ""]
    if ing["failed"]:
        lines += [f"Failed files: {'; '.join(ing['failed'])}", ""]
    rows = [[s, ing["timings_s"][s], ing["stage_rates"][s]["pages_per_s"], ing["stage_rates"][s]["chunks_per_s"],
             f"{ing['timings_s'][s] / ing['ingest_s']:.0%}" if ing["ingest_s"] else "-"] for s in STAGES]
    rows.append(["other (hash, look-ups, prune)", ing["other_s"], "", "", ""])
    rows.append(["**total ingest**", ing["ingest_s"], ing["pages_per_s"], ing["chunks_per_s"], "100%"])
    lines += _table(["stage", "seconds", "pages/s", "chunks/s", "share"], rows)
    lines += ["", f"Model load {ing['model_load_s']} s, tokenizer {ing['tokenizer_load_s']} s; wall including "
              f"process start-up {ing['wall_incl_startup_s']} s (stage process {ing['stage_wall_s']} s). "
              f"Mean chunk {ing['mean_chunk_chars']} chars. Index on disk {ing['index_mb']} MB. "
              f"Peak RSS {ing['max_rss_mb']} MB.", ""]
    re_ = run["reingest"]
    lines += [f"Unchanged re-ingest: {re_['reingest_s']} s ({re_['unchanged']} unchanged, "
              f"{re_['embedded_chunks']} embedded); {re_['wall_incl_startup_s']} s including opening the index; "
              f"peak RSS {re_['max_rss_mb']} MB.", ""]
    q = run["query"]
    lines += _table([f"query ({q['questions']} questions, filter on, warm)", "p50 ms", "p95 ms", "max ms",
                     "CPU p50 ms", "CPU p95 ms"], [
        ["hybrid retrieval"] + _lat(q["retrieval"]), ["full extractive answer"] + _lat(q["answer"])])
    lines += ["", f"{q['refused']} of {q['questions']} refused; peak RSS of the query process "
              f"{q['max_rss_mb']} MB.", ""]
    base = run.get("baseline")
    if base:
        lines += baseline_lines(ing, base)
    app = run.get("app")
    if app:
        lines += [f"App start-up (`app.py` on port {app['port']}): /api/health ready after {app['ready_s']} s; "
                  f"first /api/ask {app['first_ask_s']} s (cited: {app['first_ask_cited']}), second "
                  f"{app['second_ask_s']} s; ready and answered {app['ready_and_answered_s']} s; "
                  f"peak RSS {app['max_rss_mb']} MB.", ""]
    return lines


def _lat(summary: dict[str, Any]) -> list[Any]:
    return [summary["p50_ms"], summary["p95_ms"], summary["max_ms"], summary.get("cpu_p50_ms", ""),
            summary.get("cpu_p95_ms", "")]


def baseline_lines(ing: dict[str, Any], base: dict[str, Any]) -> list[str]:
    rows = [[s, ing["timings_s"][s], base["timings_s"][s]] for s in STAGES]
    rows.append(["**ingest total**", ing["ingest_s"], base["ingest_s"]])
    rows.append(["ingest CPU time (all threads)", ing["ingest_cpu_s"], base["ingest_cpu_s"]])
    rows.append(["model load", ing["model_load_s"], base["model_load_s"]])
    rows.append(["pages / chunks", f"{ing['pages']} / {ing['chunks']}", f"{base['pages']} / {base['chunks']}"])
    rows.append(["mean chunk chars", ing["mean_chunk_chars"], base["mean_chunk_chars"]])
    rows.append(["chunks/s", ing["chunks_per_s"], base["chunks_per_s"]])
    rows.append(["index MB", ing["index_mb"], base["index_mb"]])
    rows.append(["peak RSS MB", ing["max_rss_mb"], base["max_rss_mb"]])
    ratio = ing["ingest_s"] / base["ingest_s"] if base["ingest_s"] else 0.0
    ours_embed = ing["timings_s"]["embed"]
    return ["Side by side with the LangChain tutorial pipeline (same files):", ""] + _table(
        ["", "councilchat", "tutorial baseline"], rows) + [
        "", f"Ratio councilchat / baseline ingest time: **{ratio:.2f}x**. Embedding is "
        f"{ours_embed / ing['ingest_s']:.0%} of our ingest (ingest = {ing['ingest_s'] / ours_embed:.2f}x pure "
        f"embedding time) and {base['timings_s']['embed'] / base['ingest_s']:.0%} of the baseline's.", ""]


def synthetic_lines(runs: list[dict[str, Any]]) -> list[str]:
    if not runs:
        return []
    rows = [[f"{r['size']:,}", r["stats"]["documents"], r["build"]["build_s"], r["build"]["sqlite_write_s"],
             r["build"]["chroma_upsert_s"], r["retrieval"]["p50_ms"], r["retrieval"]["p95_ms"],
             r["retrieval"].get("cpu_p95_ms", ""), r["answer"]["p50_ms"], r["answer"]["p95_ms"],
             r["answer"].get("cpu_p95_ms", ""), r["index_mb"], r["max_rss_mb"]] for r in runs]
    lines = ["### Synthetic scale (filters on, warm, {} questions)".format(runs[0]["questions"]), ""]
    lines += _table(["chunks", "docs", "build s", "SQLite s", "Chroma s", "retrieval p50", "retrieval p95",
                     "retrieval CPU p95", "answer p50", "answer p95", "answer CPU p95", "index MB",
                     "peak RSS MB"], rows)
    big = runs[-1]
    lines += ["", f"Targets at {big['size']:,}: retrieval p95 {big['retrieval']['p95_ms']} ms (target 150: "
              f"{'met' if big['retrieval']['p95_ms'] <= 150 else 'MISSED'}), answer p95 {big['answer']['p95_ms']} ms "
              f"(target 1000: {'met' if big['answer']['p95_ms'] <= 1000 else 'MISSED'}).", ""]
    return lines
