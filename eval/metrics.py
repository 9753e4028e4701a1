"""Evaluation metrics: pure functions over questions and answers (no index, no model).

Every text comparison goes through :func:`eval.questions.normalise_for_match` on both sides.
Definitions are in eval/README.md; the harness (eval/harness.py) only wires these together.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from common.text import split_sentences
from eval.questions import normalise_for_match

HIT_DEPTHS: tuple[int, ...] = (1, 3, 5, 10)
MRR_DEPTH = 10

# The metrics a thresholds file may name, and which direction is "better".
HIGHER_IS_BETTER: tuple[str, ...] = (
    "hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "fact_recall", "citation_precision", "refusal_accuracy",
)
LOWER_IS_BETTER: tuple[str, ...] = ("false_refusal_rate", "latency_p50_ms", "latency_p95_ms", "unsupported_share",
                                    "sourced_unsupported", "quote_fallback_rate")
_MARKER_NEXT = re.compile(r"\s*\[\d+\]")


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


def answer_sentences(answer: str) -> int:
    """Sentences and list items of an answer with three words or more (labels and lead-ins of one or two words
    are not statements)."""
    return sum(1 for start, end in split_sentences(answer) if len(re.findall(r"\w+", answer[start:end])) >= 3)


def unsupported_counts(record: Mapping[str, Any]) -> tuple[int, int]:
    """(sentences left unsupported, sentences) of one answer. An unsupported sentence that is not in the answer
    (the papers' words were shown instead) still counts, as a sentence the model wrote."""
    answer = record.get("answer") or ""
    unsupported = list(record.get("unsupported") or [])
    dropped = sum(1 for claim in unsupported if _find(answer, claim) < 0)
    return len(unsupported), answer_sentences(answer) + dropped


def sourced_unsupported(record: Mapping[str, Any]) -> int:
    """Unsupported sentences shown with a citation marker right after them: must always be 0."""
    flat = " ".join((record.get("answer") or "").split())
    count = 0
    for claim in record.get("unsupported") or []:
        claim = " ".join(claim.split())
        at = flat.find(claim) if claim else -1
        if at >= 0 and (_MARKER_NEXT.match(flat[at + len(claim):]) or _MARKER_NEXT.search(claim)):
            count += 1
    return count


def _find(answer: str, claim: str) -> int:
    return " ".join(answer.split()).find(" ".join(claim.split())) if claim.strip() else -1


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
    # Generated answers: the share of their sentences no passage supports, those shown as sourced anyway (0),
    # and how often the whole answer gave way to the papers' own words.
    answered = [r for r in results if not r["refused"]]
    counts = [unsupported_counts(r) for r in answered]
    sentences = sum(n for _, n in counts)
    out["unsupported_share"] = round(sum(u for u, _ in counts) / sentences, 4) if sentences else None
    out["sourced_unsupported"] = sum(sourced_unsupported(r) for r in answered)
    out["quote_fallback_rate"] = _share([bool(r.get("quoted_instead")) for r in answered])
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


def check_thresholds(summary: Mapping[str, Any], thresholds: Mapping[str, Any]) -> list[str]:
    """Readable lines for every metric outside its bound (``{"min": {...}, "max": {...}}``), and for every
    category bound (``{"category": {"list": {"min": {...}}}}``) against ``summary["by_category"]``.

    A metric named in the thresholds but missing (None) from the summary is a failure too, and so is a
    category the thresholds name that the run did not have.
    """
    problems = _outside(summary, thresholds, "")
    by_category = summary.get("by_category") or {}
    for name, bounds in (thresholds.get("category") or {}).items():
        if name not in by_category:
            problems.append(f"category {name}: not in this run")
            continue
        problems += _outside(by_category[name], bounds, f"{name} ")
    return problems


def _outside(summary: Mapping[str, Any], thresholds: Mapping[str, Any], prefix: str) -> list[str]:
    problems: list[str] = []
    for metric, bound in thresholds.get("min", {}).items():
        value = summary.get(metric)
        if value is None:
            problems.append(f"{prefix}{metric}: not measured (minimum {bound})")
        elif value < bound:
            problems.append(f"{prefix}{metric}: {value:.3f} is below the minimum {bound}")
    for metric, bound in thresholds.get("max", {}).items():
        value = summary.get(metric)
        if value is None:
            problems.append(f"{prefix}{metric}: not measured (maximum {bound})")
        elif value > bound:
            problems.append(f"{prefix}{metric}: {value:.3f} is above the maximum {bound}")
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
