"""A self-contained HTML report of one evaluation run: no JavaScript, no CDN, charts as inline PNG.

Written for a reader who does not read code: every number says what it measures, and every failed
question shows what was asked, what was expected, what came back and what the search found.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
from matplotlib.ticker import MaxNLocator  # noqa: E402

FAILURE_ORDER: tuple[tuple[str, str], ...] = (
    ("fact not found", "The answer did not contain an expected fact"),
    ("wrong refusal", "Refused, although the papers answer the question"),
    ("missed refusal", "Answered, although the papers do not answer the question"),
)

# (summary key, label, plain-language meaning, is a rate shown as a percentage)
METRICS: tuple[tuple[str, str, str, bool], ...] = (
    ("hit@1", "Hit@1", "Answerable questions whose best-ranked passage contains the expected evidence.", True),
    ("hit@3", "Hit@3", "…evidence among the top 3 passages.", True),
    ("hit@5", "Hit@5", "…evidence among the top 5 passages.", True),
    ("hit@10", "Hit@10", "…evidence among the top 10 passages.", True),
    ("mrr@10", "MRR@10", "Mean of 1/rank of the first passage with the evidence (0 if not in the top 10). "
     "1.0 means always first.", False),
    ("fact_recall", "Key-fact recall", "Answerable questions whose answer contains every expected fact "
     "(any accepted wording).", True),
    ("citation_precision", "Citation precision", "Citations (on answered, answerable questions) that point to a "
     "passage holding the evidence, or quote an expected fact.", True),
    ("refusal_accuracy", "Refusal accuracy", "Unanswerable questions the assistant correctly declined.", True),
    ("false_refusal_rate", "False refusals", "Answerable questions the assistant wrongly declined "
     "(lower is better).", True),
    ("latency_p50_ms", "Latency, median", "Time to answer one question (half took less, half more).", False),
    ("latency_p95_ms", "Latency, 95th percentile", "95% of questions were answered within this time.", False),
)

CSS = """
body { font-family: Georgia, 'DejaVu Serif', serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       color: #1d1d1d; line-height: 1.45; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #2b5d8a; padding-bottom: 0.2em; margin-top: 2em; color: #2b5d8a; }
h3 { margin-bottom: 0.3em; }
.meta { color: #555; font-size: 0.95em; }
table { border-collapse: collapse; margin: 0.8em 0; width: 100%; font-family: 'DejaVu Sans', Arial, sans-serif;
        font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.good { background: #e5f4e3; } td.bad { background: #fbe4e1; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
.charts img { max-width: 100%; border: 1px solid #ddd; }
.failure { border: 1px solid #d9c3bf; border-left: 6px solid #c0392b; padding: 0.6em 1em; margin: 1em 0;
           background: #fffafa; }
.failure .q { font-size: 1.08em; font-weight: bold; }
.label { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 0.8em; text-transform: uppercase;
         color: #777; letter-spacing: 0.05em; margin-top: 0.6em; }
.answer { white-space: pre-wrap; background: #f6f6f6; padding: 0.4em 0.6em; border-radius: 3px; }
.passage { font-size: 0.9em; margin: 0.3em 0; padding-left: 0.6em; border-left: 3px solid #9bb7d4; }
.passage.hit { border-left-color: #27ae60; }
.tag { display: inline-block; font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 0.75em; padding: 0.1em 0.5em;
       border-radius: 3px; background: #eee; margin-right: 0.4em; }
ul.facts { margin: 0.2em 0; }
td.kind { white-space: nowrap; }
"""


def _fmt(value: Any, percent: bool, key: str = "") -> str:
    if value is None:
        return "—"
    if key.startswith("latency"):
        return f"{value / 1000:.2f} s"
    if percent:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:,.0f}"
    return escape(str(value))


def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def category_chart(by_category: Mapping[str, Mapping[str, Any]]) -> str:
    """Grouped bars: key-fact recall and hit@5 per category (answerable categories only)."""
    names = [n for n, m in by_category.items() if m["counts"]["answerable"]]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    if names:
        xs = range(len(names))
        recall = [(by_category[n]["fact_recall"] or 0) * 100 for n in names]
        hit5 = [(by_category[n]["hit@5"] or 0) * 100 for n in names]
        ax.bar([x - 0.2 for x in xs], recall, width=0.4, label="Key-fact recall", color="#2b5d8a")
        ax.bar([x + 0.2 for x in xs], hit5, width=0.4, label="Hit@5 (retrieval)", color="#e0a030")
        for x, v in zip(xs, recall, strict=True):
            ax.text(x - 0.2, v + 1, f"{v:.0f}", ha="center", fontsize=8)
        for x, v in zip(xs, hit5, strict=True):
            ax.text(x + 0.2, v + 1, f"{v:.0f}", ha="center", fontsize=8)
        ax.set_xticks(list(xs))
        ax.set_xticklabels([f"{n}\n(n={by_category[n]['counts']['answerable']})" for n in names], fontsize=9)
    ax.set_ylim(0, 112)
    ax.set_ylabel("% of answerable questions")
    ax.set_title("Answer quality and retrieval by question category", pad=24)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def latency_chart(latencies: Sequence[float]) -> str:
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    if latencies:
        ax.hist([v / 1000 for v in latencies], bins=min(20, max(5, len(latencies) // 3)), color="#5a8f5a",
                edgecolor="white")
    ax.set_xlabel("seconds per question")
    ax.set_ylabel("questions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Answer time")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _metrics_table(summary: Mapping[str, Any]) -> str:
    rows = []
    for key, label, meaning, percent in METRICS:
        rows.append(f"<tr><td>{escape(label)}</td><td class='num'>{_fmt(summary.get(key), percent, key)}</td>"
                    f"<td>{escape(meaning)}</td></tr>")
    return "<table><tr><th>Measure</th><th>Result</th><th>What it means</th></tr>" + "".join(rows) + "</table>"


def _category_table(by_category: Mapping[str, Mapping[str, Any]]) -> str:
    cols = (("fact_recall", "Key-fact recall", True), ("hit@5", "Hit@5", True), ("mrr@10", "MRR@10", False),
            ("citation_precision", "Citation precision", True), ("refusal_accuracy", "Refusal accuracy", True),
            ("false_refusal_rate", "False refusals", True))
    head = "<tr><th>Category</th><th>Questions</th>" + "".join(f"<th>{escape(c[1])}</th>" for c in cols) + "</tr>"
    rows = []
    for name, m in by_category.items():
        cells = "".join(f"<td class='num'>{_fmt(m.get(key), pct)}</td>" for key, _, pct in cols)
        rows.append(f"<tr><td>{escape(name)}</td><td class='num'>{m['counts']['questions']}</td>{cells}</tr>")
    note = "<p class='meta'>— means the measure does not apply (e.g. no answerable questions in that category).</p>"
    return "<table>" + head + "".join(rows) + "</table>" + note


def _passage_html(p: Mapping[str, Any], evidence: Sequence[str]) -> str:
    from eval.metrics import contains_any

    hit = bool(evidence) and contains_any(str(p.get("text", "")), evidence)
    text = " ".join(str(p.get("text", "")).split())
    short = text[:300] + ("…" if len(text) > 300 else "")
    mark = " <span class='tag'>holds the evidence</span>" if hit else ""
    return (f"<div class='passage{' hit' if hit else ''}'><b>{escape(str(p.get('title') or p.get('doc_id')))}</b>, "
            f"page {escape(str(p.get('page')))}{mark}<br>{escape(short)}</div>")


def _failure_html(r: Mapping[str, Any]) -> str:
    parts = [f"<div class='failure'><span class='tag'>{escape(str(r['id']))}</span>"
             f"<span class='tag'>{escape(str(r['category']))}</span>"]
    parts.append(f"<div class='q'>{escape(str(r['question']))}</div>")
    if r.get("history"):
        parts.append("<div class='label'>Earlier questions in the conversation</div><ul>"
                     + "".join(f"<li>{escape(h)}</li>" for h in r["history"]) + "</ul>")
    if r.get("standalone_question") and r["standalone_question"] != r["question"]:
        parts.append(f"<div class='label'>Searched as</div><div>{escape(r['standalone_question'])}</div>")
    if r["answerable"]:
        found = r.get("facts_found") or []
        items = []
        for i, group in enumerate(r.get("expected_facts") or []):
            ok = i < len(found) and found[i]
            status = "found" if ok else "missing"
            items.append(f"<li>{' or '.join(escape(alt) for alt in group)} <span class='tag'>{status}</span></li>")
        parts.append("<div class='label'>Expected facts (any one wording per line)</div>"
                     f"<ul class='facts'>{''.join(items)}</ul>")
        rank = r.get("hit_rank")
        where = f"rank {rank}" if rank else "not in the top passages searched"
        parts.append(f"<div class='label'>Evidence in the search results</div><div>{escape(where)}</div>")
    else:
        parts.append("<div class='label'>Expected</div><div>A refusal: the papers do not answer this.</div>")
    parts.append(f"<div class='label'>Answer given</div><div class='answer'>{escape(str(r.get('answer', '')))}</div>")
    if r.get("refused") and r.get("refusal_reason"):
        parts.append(f"<div class='label'>Reason for refusing</div><div>{escape(str(r['refusal_reason']))}</div>")
    passages = list(r.get("retrieved") or [])[:3]
    parts.append("<div class='label'>Top 3 passages found</div>")
    parts.extend(_passage_html(p, r.get("evidence") or []) for p in passages)
    if not passages:
        parts.append("<div>(none)</div>")
    parts.append("</div>")
    return "".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'} {'was' if count == 1 else 'were'}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _failure_index(failures: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    rows = [f"<tr><td>{escape(str(r['id']))}</td><td>{escape(str(r['category']))}</td>"
            f"<td class='kind'>{escape(kind)}</td><td>{escape(str(r['question']))}</td></tr>"
            for kind, _ in FAILURE_ORDER for r in failures[kind]]
    return ("<p>At a glance (details follow):</p><table><tr><th>Id</th><th>Category</th><th>Failure</th>"
            "<th>Question</th></tr>" + "".join(rows) + "</table>")


def render_report(summary: Mapping[str, Any], results: Sequence[Mapping[str, Any]]) -> str:
    """The whole report as one HTML string."""
    counts = summary["counts"]
    index = summary.get("index", {})
    failures = {kind: [r for r in results if r.get("failure") == kind] for kind, _ in FAILURE_ORDER}
    n_failed = sum(len(v) for v in failures.values())
    chart_cat = category_chart(summary.get("by_category", {}))
    chart_lat = latency_chart([float(r["latency_ms"]) for r in results])

    body = [
        "<h1>Council papers assistant — evaluation report</h1>",
        f"<p class='meta'>Question file <b>{escape(str(summary.get('questions_file')))}</b> · "
        f"{counts['questions']} questions ({counts['answerable']} answerable, {counts['unanswerable']} not "
        f"answerable from the papers) · answer mode <b>{escape(str(summary.get('mode')))}</b>, "
        f"top {summary.get('top_k')} passages · index of {index.get('documents', '?')} documents, "
        f"{index.get('chunks', '?')} passages · run {escape(str(summary.get('timestamp')))}</p>",
        f"<p>Of {counts['questions']} questions, <b>{counts['questions'] - n_failed}</b> passed and "
        f"<b>{n_failed}</b> failed: {_plural(len(failures['fact not found']), 'answer')} missed an expected fact, "
        f"{_n(len(failures['wrong refusal']), 'answerable question')} refused, and "
        f"{_n(len(failures['missed refusal']), 'unanswerable question')} answered anyway. "
        "A question passes when its answer contains every expected fact, or, for a question the papers "
        "do not answer, when the assistant declines.</p>",
        "<h2>Results</h2>", _metrics_table(summary),
        "<h2>By question category</h2>", _category_table(summary.get("by_category", {})),
        "<div class='charts'>",
        f"<img alt='Key-fact recall and hit@5 per category' src='data:image/png;base64,{chart_cat}'>",
        f"<img alt='Histogram of answer times' src='data:image/png;base64,{chart_lat}'>",
        "</div>",
        "<h2>Failed questions</h2>",
    ]
    if not n_failed:
        body.append("<p>None: every question passed.</p>")
    else:
        body.append(_failure_index(failures))
    for kind, title in FAILURE_ORDER:
        if failures[kind]:
            body.append(f"<h3>{escape(title)} ({len(failures[kind])})</h3>")
            body.extend(_failure_html(r) for r in failures[kind])
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<title>councilchat evaluation report</title>"
            f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>")
