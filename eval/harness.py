"""The evaluation harness: runs a question file through the app's own code path and scores it.

    questions.jsonl -> services.ask.ask(AskRequest(question, history, Filters()))   (as the app does)
                    -> per-question outcomes (eval.metrics)  -> DIR/results.jsonl
                    -> summary metrics, per category          -> DIR/summary.json
                    -> a self-contained HTML report           -> DIR/report.html

The answer is produced with ``top_k = k`` exactly as configured. The retrieval metrics (hit@1/3/5/10,
MRR@10) are measured on a second, read-only retrieval of the same standalone question to depth
``max(k, 10)``, counting only ranked passages (not the neighbour chunks appended for context), so
hit@10 is always measured. It is searched under the same scope as the answer was (a question that names
a paper, or a follow-up, is searched in those papers first: ``Answer.searched_in``), and the ranking is
the same function of the question either way, so the first k of that list are the passages the answerer
saw.

Nothing is ingested: the index under ``--home`` is used as it is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval import metrics
from eval.questions import EvalQuestion, load_questions

if TYPE_CHECKING:
    from assistant.services import Services

RETRIEVAL_DEPTH = max(metrics.HIT_DEPTHS)
SUMMARY_FILE = "summary.json"
RESULTS_FILE = "results.jsonl"
REPORT_FILE = "report.html"
DEFAULT_QUESTIONS = Path(__file__).resolve().parent / "questions.jsonl"

Progress = Callable[[int, int, dict[str, Any]], None]


class EvalError(RuntimeError):
    """The evaluation cannot run (empty index, bad question file, missing run folder)."""


@dataclass
class EvalRun:
    out_dir: Path
    summary: dict[str, Any]
    results: list[dict[str, Any]]

    @property
    def summary_path(self) -> Path:
        return self.out_dir / SUMMARY_FILE

    @property
    def results_path(self) -> Path:
        return self.out_dir / RESULTS_FILE

    @property
    def report_path(self) -> Path:
        return self.out_dir / REPORT_FILE


def default_out_dir() -> Path:
    return Path("eval") / "runs" / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def load_question_file(path: Path, limit: int | None = None) -> list[EvalQuestion]:
    """Any file in the questions.jsonl format; unknown categories are accepted."""
    try:
        questions = load_questions(path, allow_unknown_categories=True)
    except FileNotFoundError as err:
        raise EvalError(f"no question file at {path}") from err
    except ValueError as err:
        raise EvalError(str(err)) from err
    if not questions:
        raise EvalError(f"{path} holds no questions")
    return questions[:limit] if limit else questions


def evaluate_question(services: Services, question: EvalQuestion, depth: int = RETRIEVAL_DEPTH) -> dict[str, Any]:
    """One question through the app's ask path, plus its per-metric outcomes.

    A follow-up's earlier questions are asked first, in order, and their answers carried as the
    conversation, as the chat page does: "the cleanest city one" can only be resolved against the
    answer that listed it.
    """
    from assistant.ask import AskRequest, turn_of
    from common.types import Filters, InvalidRequest

    error = ""
    turns: list[Any] = []
    try:
        for earlier in question.history:
            turns.append(turn_of(services.ask.ask(AskRequest(earlier, list(turns), Filters()))))
        answer = services.ask.ask(AskRequest(question.question, turns, Filters()))
        record = answer.to_json()
    except InvalidRequest as err:
        error = str(err)
        record = {"question": question.question, "standalone_question": question.question, "answer": "",
                  "refused": True, "refusal_reason": f"invalid question: {err}", "citations": [],
                  "retrieved": [], "unsupported": [], "mode": services.ask.mode, "latency_ms": 0.0}

    ranked_texts: list[str] = []
    if not error:
        # The same understanding of the question as the answer had (follow-up scope included).
        analysis = services.ask.analyse(question.question, turns)
        retrieval = services.retriever.search(analysis, Filters(doc_ids=record.get("searched_in", [])), k=depth)
        ranked_texts = [p.chunk.text for p in retrieval.passages if not p.neighbour_of][:depth]
    rank = metrics.hit_rank(ranked_texts, question.evidence)

    refused = bool(record["refused"])
    found = metrics.facts_found(record["answer"], question.facts) if not refused else [False] * len(question.facts)
    fact_ok = bool(found) and all(found)
    checks = _citation_checks(services, record, question)
    return {
        "id": question.id,
        "category": question.category,
        "answerable": question.answerable,
        **record,
        "expected_facts": question.facts,
        "evidence": question.evidence,
        "sources": question.sources,
        "history": question.history,
        "has_evidence": bool(question.evidence),
        "hit_rank": rank,
        "reciprocal_rank": metrics.reciprocal_rank(rank, min(metrics.MRR_DEPTH, depth)) if question.evidence else None,
        "facts_found": found,
        "fact_recall": fact_ok if question.answerable else None,
        "citation_checks": checks,
        "citations_correct": sum(checks),
        "citations_total": len(checks),
        "citation_precision": round(sum(checks) / len(checks), 4) if checks else None,
        "refusal_correct": refused != question.answerable,
        "failure": metrics.failure_kind(question.answerable, refused, fact_ok),
        "error": error,
    }


def warm_up(services: Services) -> None:
    """One discarded question, so one-off model loading does not count as the first question's latency."""
    from assistant.ask import AskRequest

    services.ask.ask(AskRequest("What is the council's budget?"))


def _citation_checks(services: Services, record: dict[str, Any], question: EvalQuestion) -> list[bool]:
    """Per citation: does the cited chunk hold evidence, or the quote a fact? (answerable only)."""
    citations = record["citations"]
    if not question.answerable or not citations:
        return []
    texts = {p["chunk_id"]: p["text"] for p in record["retrieved"]}
    missing = [c["chunk_id"] for c in citations if c["chunk_id"] not in texts]
    if missing:
        texts.update({cid: chunk.text for cid, chunk in services.sqlite.get_chunks(missing).items()})
    return [metrics.citation_correct(texts.get(c["chunk_id"], ""), c["quote"], question.evidence, question.facts)
            for c in citations]


def run_eval(
    questions_path: Path,
    out_dir: Path,
    services: Services,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    write_report: bool = True,
) -> EvalRun:
    """Run every question, write results.jsonl, summary.json and report.html into ``out_dir``."""
    questions = load_question_file(Path(questions_path), limit)
    stats = services.index.stats()
    if not stats.get("documents"):
        raise EvalError(f"the index at {services.settings.home_dir} is empty; run `councilchat ingest PATH` first")
    depth = max(services.settings.top_k, RETRIEVAL_DEPTH)
    warm_up(services)
    results: list[dict[str, Any]] = []
    for i, question in enumerate(questions, start=1):
        result = evaluate_question(services, question, depth)
        results.append(result)
        if progress:
            progress(i, len(questions), result)

    summary = summarise(results, services, Path(questions_path), depth)
    out_dir.mkdir(parents=True, exist_ok=True)
    run = EvalRun(out_dir, summary, results)
    with run.results_path.open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(json.dumps(result, ensure_ascii=False) + "\n")
    run.summary_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if write_report:
        from eval.report import render_report

        run.report_path.write_text(render_report(summary, results), encoding="utf-8")
    return run


def summarise(results: list[dict[str, Any]], services: Services, questions_path: Path, depth: int) -> dict[str, Any]:
    s = services.settings
    stats = services.index.stats()
    return {
        **metrics.aggregate(results, depth),
        "by_category": metrics.by_category(results, depth),
        "mode": services.ask.mode,
        "top_k": s.top_k,
        "retrieval_depth": depth,
        "settings": {"candidates": s.candidates, "rrf_k": s.rrf_k, "neighbour_expansion": s.neighbour_expansion,
                     "refusal_min_similarity": s.refusal_min_similarity,
                     "refusal_min_coverage": s.refusal_min_coverage,
                     "reranker": s.reranker_model_path or "none",
                     "embedding_model": s.embedding_model_path or "default"},
        "index": {"documents": stats.get("documents", 0), "chunks": stats.get("chunks", 0),
                  "pages": stats.get("pages", 0)},
        "questions_file": questions_path.name,
        "questions_sha256": hashlib.sha256(questions_path.read_bytes()).hexdigest()[:16],
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def load_summary(run_dir: Path) -> dict[str, Any]:
    """summary.json of an earlier run (the folder, or the file itself)."""
    path = run_dir / SUMMARY_FILE if run_dir.is_dir() else run_dir
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise EvalError(f"no {SUMMARY_FILE} in {run_dir}") from err
    except json.JSONDecodeError as err:
        raise EvalError(f"{path} is not valid JSON: {err}") from err
    return data


def comparison_table(old_dir: Path, new_summary: dict[str, Any]) -> str:
    """The metric deltas between an earlier run and this one, as text."""
    old = load_summary(old_dir)
    header = (f"old: {old_dir} ({old.get('mode', '?')}, {old.get('timestamp', '?')}, "
              f"{old.get('questions_file', '?')})\n"
              f"new: {new_summary.get('mode', '?')}, {new_summary.get('timestamp', '?')}, "
              f"{new_summary.get('questions_file', '?')}\n")
    return header + metrics.format_comparison(old, new_summary)


def headline(summary: dict[str, Any]) -> str:
    """A few lines for the terminal."""
    def f(key: str) -> str:
        v = summary.get(key)
        return "—" if v is None else f"{v:.3f}"

    c = summary["counts"]
    return "\n".join([
        f"{c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} unanswerable), "
        f"mode {summary['mode']}, k={summary['top_k']}",
        f"hit@1 {f('hit@1')}  hit@3 {f('hit@3')}  hit@5 {f('hit@5')}  hit@10 {f('hit@10')}  mrr@10 {f('mrr@10')}",
        f"fact recall {f('fact_recall')}  citation precision {f('citation_precision')}",
        f"refusal accuracy {f('refusal_accuracy')}  false refusals {f('false_refusal_rate')}",
        f"latency p50 {summary['latency_p50_ms']} ms  p95 {summary['latency_p95_ms']} ms  "
        f"failed {c['failed']}",
    ])
