"""Evaluation metrics: pure functions over questions and answers (no index, no model).

Every text comparison goes through :func:`eval.questions.normalise_for_match` on both sides.
Definitions are in eval/README.md; the harness (eval/harness.py) only wires these together.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from eval.questions import normalise_for_match

HIT_DEPTHS: tuple[int, ...] = (1, 3, 5, 10)
MRR_DEPTH = 10

# The metrics a thresholds file may name, and which direction is "better".
HIGHER_IS_BETTER: tuple[str, ...] = (
    "hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "fact_recall", "citation_precision", "refusal_accuracy",
)
LOWER_IS_BETTER: tuple[str, ...] = ("false_refusal_rate", "latency_p50_ms", "latency_p95_ms")


def contains_any(text: str, needles: Iterable[str]) -> bool:
    """True if any needle occurs in the text (both normalised)."""
    hay = normalise_for_match(text)
    return any(normalise_for_match(n) and normalise_for_match(n) in hay for n in needles)


def hit_rank(passage_texts: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first passage containing any evidence string; None if none does."""
    if not evidence:
        return None
    for rank, text in enumerate(passage_texts, start=1):
        if contains_any(text, evidence):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None, depth: int = MRR_DEPTH) -> float:
    return 1.0 / rank if rank is not None and rank <= depth else 0.0


def facts_found(answer: str, facts: Sequence[Sequence[str]]) -> list[bool]:
    """Per fact group: does the answer contain at least one of its alternatives?"""
    return [contains_any(answer, group) for group in facts]


def fact_recall(answer: str, facts: Sequence[Sequence[str]]) -> bool:
    """True when the answer contains an alternative of every fact group (False for no facts)."""
    found = facts_found(answer, facts)
    return bool(found) and all(found)


def citation_correct(cited_text: str, quote: str, evidence: Sequence[str], facts: Sequence[Sequence[str]]) -> bool:
    """A citation is correct if its chunk contains an evidence string or its quote contains a fact alternative."""
    return contains_any(cited_text, evidence) or contains_any(quote, [alt for group in facts for alt in group])


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between closest ranks; None if empty."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _share(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def aggregate(results: Sequence[Mapping[str, Any]], depth: int = max(HIT_DEPTHS)) -> dict[str, Any]:
    """Summary metrics over per-question results (the records of results.jsonl).

    Each result needs: answerable, refused, hit_rank, fact_recall, citations_correct,
    citations_total, latency_ms. Retrieval metrics cover answerable questions that have
    evidence; hit@k deeper than ``depth`` (the retrieval depth) is reported as None.
    """
    answerable = [r for r in results if r["answerable"]]
    unanswerable = [r for r in results if not r["answerable"]]
    with_evidence = [r for r in answerable if r.get("has_evidence", True)]
    ranks = [r["hit_rank"] for r in with_evidence]
    out: dict[str, Any] = {}
    for k in HIT_DEPTHS:
        out[f"hit@{k}"] = _share([hit_at(rank, k) for rank in ranks]) if k <= depth else None
    mrr_depth = min(MRR_DEPTH, depth)
    out["mrr@10"] = round(sum(reciprocal_rank(r, mrr_depth) for r in ranks) / len(ranks), 4) if ranks else None
    out["fact_recall"] = _share([bool(r["fact_recall"]) for r in answerable])
    correct = sum(r["citations_correct"] for r in answerable if not r["refused"])
    total = sum(r["citations_total"] for r in answerable if not r["refused"])
    out["citation_precision"] = round(correct / total, 4) if total else None
    out["refusal_accuracy"] = _share([bool(r["refused"]) for r in unanswerable])
    out["false_refusal_rate"] = _share([bool(r["refused"]) for r in answerable])
    latencies = [float(r["latency_ms"]) for r in results]
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    out["latency_p50_ms"] = round(p50, 1) if p50 is not None else None
    out["latency_p95_ms"] = round(p95, 1) if p95 is not None else None
    out["counts"] = {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "refused": sum(bool(r["refused"]) for r in results),
        "citations": sum(r["citations_total"] for r in results),
        "failed": sum(bool(r.get("failure")) for r in results),
    }
    return out


def by_category(results: Sequence[Mapping[str, Any]], depth: int = max(HIT_DEPTHS)) -> dict[str, dict[str, Any]]:
    """:func:`aggregate` per category, categories in first-seen order."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for r in results:
        groups.setdefault(str(r["category"]), []).append(r)
    return {name: aggregate(rows, depth) for name, rows in groups.items()}


def failure_kind(answerable: bool, refused: bool, fact_ok: bool) -> str:
    """'' for a pass; else 'wrong refusal', 'fact not found' or 'missed refusal'."""
    if answerable:
        if refused:
            return "wrong refusal"
        return "" if fact_ok else "fact not found"
    return "" if refused else "missed refusal"


def check_thresholds(summary: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Readable lines for every metric outside its bound (``{"min": {...}, "max": {...}}``).

    A metric named in the thresholds but missing (None) from the summary is a failure too.
    """
    problems: list[str] = []
    for metric, bound in thresholds.get("min", {}).items():
        value = summary.get(metric)
        if value is None:
            problems.append(f"{metric}: not measured (minimum {bound})")
        elif value < bound:
            problems.append(f"{metric}: {value:.3f} is below the minimum {bound}")
    for metric, bound in thresholds.get("max", {}).items():
        value = summary.get(metric)
        if value is None:
            problems.append(f"{metric}: not measured (maximum {bound})")
        elif value > bound:
            problems.append(f"{metric}: {value:.3f} is above the maximum {bound}")
    return problems


def compare(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, float | None, float | None, str]]:
    """(metric, old, new, verdict) for every headline metric; verdict is better/worse/same/''."""
    rows: list[tuple[str, float | None, float | None, str]] = []
    for metric in HIGHER_IS_BETTER + LOWER_IS_BETTER:
        a, b = old.get(metric), new.get(metric)
        verdict = ""
        if a is not None and b is not None:
            tolerance = 0.5 if metric.startswith("latency") else 1e-9
            if abs(b - a) <= tolerance:
                verdict = "same"
            elif (b > a) == (metric in HIGHER_IS_BETTER):
                verdict = "better"
            else:
                verdict = "worse"
        rows.append((metric, a, b, verdict))
    return rows


def format_comparison(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """A plain-text table of metric deltas, old run first."""
    lines = [f"{'metric':<20} {'old':>10} {'new':>10} {'delta':>10}  verdict"]
    for metric, a, b, verdict in compare(old, new):
        spec = ".1f" if metric.startswith("latency") else ".3f"
        old_cell = "—" if a is None else format(a, spec)
        new_cell = "—" if b is None else format(b, spec)
        delta = "—" if a is None or b is None else format(b - a, "+" + spec)
        lines.append(f"{metric:<20} {old_cell:>10} {new_cell:>10} {delta:>10}  {verdict}")
    return "\n".join(lines)
