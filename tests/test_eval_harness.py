"""The evaluation harness: metric functions on hand-made results, and the `councilchat eval` command."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from eval import harness, metrics
from eval.questions import load_questions
from eval.report import render_report
from tests.conftest import make_services

# --- metric functions ------------------------------------------------------------------------


def test_hit_rank_is_one_based_and_normalised() -> None:
    passages = ["Nothing here.", "The council\u2019s  net revenue\nbudget is £215m.", "£215m again"]
    assert metrics.hit_rank(passages, ["the council's net revenue budget"]) == 2
    assert metrics.hit_rank(passages, ["absent", "£215M AGAIN"]) == 3
    assert metrics.hit_rank(passages, ["absent"]) is None
    assert metrics.hit_rank(passages, []) is None


def test_hit_at_and_reciprocal_rank() -> None:
    assert metrics.hit_at(3, 3) and not metrics.hit_at(4, 3) and not metrics.hit_at(None, 10)
    assert metrics.reciprocal_rank(1) == 1.0
    assert metrics.reciprocal_rank(4) == 0.25
    assert metrics.reciprocal_rank(11) == 0.0
    assert metrics.reciprocal_rank(None) == 0.0


def test_fact_recall_needs_one_alternative_of_every_group() -> None:
    facts = [["£215m", "£215 million"], ["2017/18"]]
    assert metrics.fact_recall("A budget of £215 Million in 2017/18.", facts)
    assert not metrics.fact_recall("A budget of £215 million.", facts)
    assert metrics.facts_found("£215m", facts) == [True, False]
    assert not metrics.fact_recall("anything", [])


def test_citation_correct_by_evidence_or_fact_in_quote() -> None:
    evidence, facts = ["net revenue budget for 2017/18 is £215m"], [["£215m"]]
    assert metrics.citation_correct("The net revenue budget for 2017/18 is £215m.", "unrelated", evidence, facts)
    assert metrics.citation_correct("Another chunk.", "the budget was £215m", evidence, facts)
    assert not metrics.citation_correct("Another chunk.", "the budget was £200m", evidence, facts)


def test_percentile_interpolates() -> None:
    assert metrics.percentile([], 50) is None
    assert metrics.percentile([5.0], 95) == 5.0
    assert metrics.percentile([1, 2, 3, 4], 50) == 2.5
    assert metrics.percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)
    assert metrics.percentile([3, 1, 2], 0) == 1 and metrics.percentile([3, 1, 2], 100) == 3
    with pytest.raises(ValueError):
        metrics.percentile([1.0], 101)


def _result(category: str, answerable: bool, refused: bool, rank: int | None = None, fact: bool = False,
            correct: int = 0, total: int = 0, latency: float = 100.0) -> dict[str, Any]:
    return {"category": category, "answerable": answerable, "refused": refused, "hit_rank": rank,
            "has_evidence": answerable, "fact_recall": fact if answerable else None, "citations_correct": correct,
            "citations_total": total, "latency_ms": latency,
            "failure": metrics.failure_kind(answerable, refused, fact)}


HAND_MADE = [
    _result("fact", True, False, rank=1, fact=True, correct=2, total=2, latency=100),
    _result("fact", True, False, rank=4, fact=False, correct=1, total=3, latency=200),
    _result("list", True, True, rank=None, latency=300),  # wrongly refused; its citations do not count
    _result("list", True, False, rank=12, fact=True, correct=0, total=1, latency=400),
    _result("unanswerable", False, True, latency=500),
    _result("unanswerable", False, False, latency=600),
    _result("unanswerable", False, True, latency=700),
]


def test_aggregate_on_hand_made_results() -> None:
    s = metrics.aggregate(HAND_MADE)
    assert s["hit@1"] == 0.25 and s["hit@3"] == 0.25 and s["hit@5"] == 0.5 and s["hit@10"] == 0.5
    assert s["mrr@10"] == pytest.approx((1 + 0.25) / 4, abs=1e-4)
    assert s["fact_recall"] == 0.5
    assert s["citation_precision"] == pytest.approx(3 / 6, abs=1e-4)
    assert s["refusal_accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["false_refusal_rate"] == 0.25
    assert s["latency_p50_ms"] == 400.0 and s["latency_p95_ms"] == pytest.approx(670.0)
    assert s["counts"] == {"questions": 7, "answerable": 4, "unanswerable": 3, "refused": 3, "citations": 6,
                           "failed": 3}


def test_aggregate_reports_deeper_hits_as_null_when_retrieval_was_shallower() -> None:
    s = metrics.aggregate(HAND_MADE, depth=5)
    assert s["hit@5"] == 0.5 and s["hit@10"] is None


def test_generated_answer_metrics() -> None:
    """Unsupported sentences (kept in the answer or not), those shown with a marker, and answers quoted instead."""
    checked = HAND_MADE[0] | {"answer": "The budget is £215m [1]. It rose by a third in a year. The council said so.",
                              "unsupported": ["It rose by a third in a year."], "quoted_instead": False}
    marked = HAND_MADE[1] | {"answer": "Savings were 93% [1]. Reserves fell sharply. [2]",
                             "unsupported": ["Reserves fell sharply."], "quoted_instead": False}
    quoted = HAND_MADE[3] | {"answer": "The papers' own words: “Close the accounts.” [1]",
                             "unsupported": ["The council closed its accounts early."], "quoted_instead": True}
    assert metrics.unsupported_counts(checked) == (1, 3)
    assert metrics.unsupported_counts(quoted) == (1, 2)  # the dropped sentence still counts as written
    assert metrics.sourced_unsupported(checked) == 0 and metrics.sourced_unsupported(marked) == 1
    s = metrics.aggregate([checked, marked, quoted])
    assert s["sourced_unsupported"] == 1
    assert s["unsupported_share"] == pytest.approx(3 / 7, abs=1e-4)
    assert s["quote_fallback_rate"] == pytest.approx(1 / 3, abs=1e-4)


def test_by_category_and_failure_kinds() -> None:
    cats = metrics.by_category(HAND_MADE)
    assert list(cats) == ["fact", "list", "unanswerable"]
    assert cats["list"]["false_refusal_rate"] == 0.5 and cats["list"]["refusal_accuracy"] is None
    assert cats["unanswerable"]["fact_recall"] is None
    assert [r["failure"] for r in HAND_MADE] == ["", "fact not found", "wrong refusal", "", "", "missed refusal", ""]


def test_check_thresholds_lists_every_breach() -> None:
    summary = {"hit@5": 0.8, "fact_recall": 0.5, "false_refusal_rate": 0.2, "mrr@10": None}
    problems = metrics.check_thresholds(summary, {"min": {"hit@5": 0.7, "fact_recall": 0.6, "mrr@10": 0.1},
                                                  "max": {"false_refusal_rate": 0.1}})
    assert len(problems) == 3
    assert any(p.startswith("fact_recall: 0.500 is below the minimum 0.6") for p in problems)
    assert any("false_refusal_rate" in p and "above" in p for p in problems)
    assert any("mrr@10: not measured" in p for p in problems)


def test_check_thresholds_checks_each_named_category() -> None:
    summary = {"fact_recall": 0.9, "by_category": {"list": {"fact_recall": 0.5}, "fact": {"fact_recall": 0.95}}}
    bounds = {"min": {"fact_recall": 0.8},
              "category": {"list": {"min": {"fact_recall": 0.7}}, "fact": {"min": {"fact_recall": 0.9}},
                           "summary": {"min": {"fact_recall": 0.3}}}}
    problems = metrics.check_thresholds(summary, bounds)
    assert problems == ["list fact_recall: 0.500 is below the minimum 0.7", "category summary: not in this run"]


def test_format_comparison_shows_deltas_and_direction() -> None:
    table = metrics.format_comparison({"hit@5": 0.5, "false_refusal_rate": 0.1, "latency_p50_ms": 100.0},
                                      {"hit@5": 0.75, "false_refusal_rate": 0.2, "latency_p50_ms": 100.2})
    lines = {line.split()[0]: line for line in table.splitlines()}
    assert "+0.250" in lines["hit@5"] and lines["hit@5"].endswith("better")
    assert "+0.100" in lines["false_refusal_rate"] and lines["false_refusal_rate"].endswith("worse")
    assert lines["latency_p50_ms"].endswith("same")
    assert "—" in lines["fact_recall"]


def test_report_escapes_text_and_embeds_charts() -> None:
    results = [dict(r, id=f"x{i}", question="<script>alert(1)</script>", answer="a & b", retrieved=[],
                    expected_facts=[["£1m"]], facts_found=[False], evidence=[], history=[],
                    standalone_question="<script>alert(1)</script>") for i, r in enumerate(HAND_MADE)]
    summary = metrics.aggregate(results) | {"by_category": metrics.by_category(results), "mode": "extractive",
                                            "top_k": 5, "index": {}, "questions_file": "q.jsonl",
                                            "timestamp": "now"}
    html = render_report(summary, results)
    assert "<script>" not in html and "&lt;script&gt;" in html and "a &amp; b" in html
    assert html.count("data:image/png;base64,") == 2
    assert "http://" not in html and "https://" not in html


# --- question files ----------------------------------------------------------------------------

CUSTOM = [
    {"id": "c1", "category": "budgets", "question": "What was Derby City Council's net revenue budget for 2017/18?",
     "answerable": True, "sources": ["derby-city-corporate-peer-challenge-2017"],
     "evidence": ["The council's net revenue budget for 2017/18 is £215m"], "facts": [["£215m", "£215 million"]]},
    {"id": "c2", "category": "trick", "question": "How many swimming pools does Leeds City Council run?",
     "answerable": False},
]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_unknown_categories_only_when_allowed(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "custom.jsonl", CUSTOM)
    with pytest.raises(ValueError, match="unknown category"):
        load_questions(path)
    assert [q.category for q in harness.load_question_file(path)] == ["budgets", "trick"]


def test_custom_question_file_with_unknown_categories_runs(tmp_path: Path, demo_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    services = make_services(demo_home, embedder, answer_mode="extractive", top_k=5)
    run = harness.run_eval(_write_jsonl(tmp_path / "custom.jsonl", CUSTOM), tmp_path / "run", services)
    services.close()
    assert set(run.summary["by_category"]) == {"budgets", "trick"}
    first = run.results[0]
    assert first["category"] == "budgets" and first["hit_rank"] is not None and first["hit_rank"] <= 10
    assert run.results[1]["fact_recall"] is None and run.results[1]["hit_rank"] is None
    assert run.report_path.is_file()


def test_retrieval_is_ranked_in_the_papers_the_answer_was_searched_in(tmp_path: Path, demo_home: Path, embedder,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A question that names a paper is answered from that paper first; its hit rank is measured there too, or
    it would score a ranking the answer never used."""
    from assistant.retrieval import HybridRetriever

    named = "derbyshire-cc-corporate-peer-challenge-2018"
    rows = [{"id": "n1", "category": "fact", "answerable": True, "sources": [named],
             "question": "According to the 2018 peer challenge, when was the Enterprising Council approach launched?",
             "evidence": ["Enterprising Council as an approach was launched in February 2018"],
             "facts": [["February 2018"]], "history": []},
            {"id": "n2", "category": "fact", "answerable": True, "sources": [named],
             "question": "When was the Enterprising Council approach launched?",
             "evidence": ["approach was launched in February 2018"], "facts": [["February 2018"]], "history": []}]
    searched: list[tuple[tuple[str, ...], int | None]] = []
    search = HybridRetriever.search

    def spy(self, question, filters=None, k=None, scope_weight=2.0):  # type: ignore[no-untyped-def]
        searched.append((tuple(filters.doc_ids) if filters else (), k))
        return search(self, question, filters, k, scope_weight)

    services = make_services(demo_home, embedder, answer_mode="extractive", top_k=5)
    monkeypatch.setattr(HybridRetriever, "search", spy)
    run = harness.run_eval(_write_jsonl(tmp_path / "named.jsonl", rows), tmp_path / "run", services)
    services.close()
    first, second = run.results
    assert first["searched_in"] == [named] and second["searched_in"] == []
    assert first["hit_rank"] is not None and first["hit_rank"] <= 5 and "February 2018" in first["answer"]
    # The harness ranks to depth 10 (the answer searched to 5), under the scope each answer had.
    assert [doc_ids for doc_ids, k in searched if k == harness.RETRIEVAL_DEPTH] == [(named,), ()]


# --- the CLI -----------------------------------------------------------------------------------

SMALL = [
    {"id": "s1", "category": "fact", "question": "What was Derby City Council's net revenue budget for 2017/18?",
     "answerable": True, "sources": ["derby-city-corporate-peer-challenge-2017"],
     "evidence": ["The council's net revenue budget for 2017/18 is £215m"],
     "facts": [["£215m", "£215 million", "£215 m"]], "history": []},
    {"id": "s2", "category": "fact", "question": "How many homes does the Parklands View extra care scheme in Derby "
     "deliver?", "answerable": True, "sources": ["derby-city-corporate-peer-challenge-2017"],
     "evidence": ["the £10m Parklands View scheme to deliver 82 homes for vulnerable people"], "facts": [["82"]],
     "history": []},
    {"id": "s3", "category": "follow-up", "question": "And how much revenue funding had it lost since 2010/11?",
     "answerable": True, "sources": ["derby-city-corporate-peer-challenge-2017"],
     "evidence": ["a loss of £135m of revenue funding since 2010/11"], "facts": [["£135m", "£135 million"]],
     "history": ["What was Derby City Council's net revenue budget for 2017/18?"]},
    {"id": "s4", "category": "unanswerable", "question": "What is the population of Reykjavik's fishing fleet?",
     "answerable": False, "sources": [], "evidence": [], "facts": [], "history": []},
]


@pytest.fixture
def cli_services(monkeypatch: pytest.MonkeyPatch, embedder) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    """The CLI builds its Services through assistant.services.build_services; reuse the session's embedder."""
    import cli.main

    calls: list[tuple[Any, ...]] = []

    def build(home: Path | None, answer_mode: str | None = None, top_k: int | None = None):  # type: ignore[no-untyped-def]
        calls.append((home, answer_mode, top_k))
        return make_services(home, embedder, answer_mode=answer_mode or "extractive", top_k=top_k or 5)

    monkeypatch.setattr(cli.main, "build_services", build)
    return calls


def test_cli_eval_writes_results_summary_and_report(tmp_path: Path, demo_home: Path,
                                                    cli_services: list[tuple[Any, ...]]) -> None:
    from cli.main import app

    questions = _write_jsonl(tmp_path / "small.jsonl", SMALL)
    old = tmp_path / "old"
    old.mkdir()
    (old / "summary.json").write_text(json.dumps({"hit@5": 0.1, "fact_recall": 0.2, "mode": "extractive"}))
    out = tmp_path / "run"
    result = CliRunner().invoke(app, ["eval", str(questions), "--out", str(out), "--home", str(demo_home),
                                      "--mode", "extractive", "--k", "3", "--compare", str(old)])
    assert result.exit_code == 0, result.output
    assert cli_services == [(demo_home, "extractive", 3)]

    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["s1", "s2", "s3", "s4"]
    for r in rows:
        assert {"answer", "refused", "citations", "retrieved", "hit_rank", "fact_recall", "citation_precision",
                "refusal_correct", "latency_ms", "standalone_question", "category", "answerable"} <= set(r)
    assert rows[0]["hit_rank"] is not None and rows[3]["hit_rank"] is None
    assert rows[2]["standalone_question"] != rows[2]["question"]  # the follow-up was rewritten

    summary = json.loads((out / "summary.json").read_text())
    assert summary["counts"]["questions"] == 4 and summary["counts"]["unanswerable"] == 1
    assert summary["mode"] == "extractive" and summary["top_k"] == 3 and summary["retrieval_depth"] == 10
    assert summary["index"]["documents"] == 5 and summary["index"]["chunks"] > 0
    assert summary["questions_file"] == "small.jsonl" and summary["timestamp"]
    for key in ("hit@1", "hit@3", "hit@5", "hit@10", "mrr@10", "fact_recall"):
        assert 0.0 <= summary[key] <= 1.0
    assert summary["refusal_accuracy"] in (0.0, 1.0)
    assert set(summary["by_category"]) == {"fact", "follow-up", "unanswerable"}

    html = (out / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and html.count("data:image/png;base64,") == 2
    failed = [r for r in rows if r["failure"]]
    assert f"<b>{len(failed)}</b> failed" in html
    for r in rows:
        assert (escape(r["question"]) in html) == bool(r["failure"]), r["id"]  # failures are listed, passes not

    # The comparison printed after the run: old hit@5 0.100 against the new value.
    line = next(x for x in result.output.splitlines() if x.startswith("hit@5 "))
    assert "0.100" in line and f"{summary['hit@5'] - 0.1:+.3f}" in line


def test_cli_compare_two_existing_runs(tmp_path: Path) -> None:
    from cli.main import app

    for name, value in (("a", 0.5), ("b", 0.625)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "summary.json").write_text(json.dumps({"mrr@10": value, "mode": "extractive"}))
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "b"), "--compare", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("mrr@10"))
    assert "0.500" in line and "0.625" in line and "+0.125" in line and line.endswith("better")


def test_cli_reports_a_missing_run_folder_and_bad_question_file(tmp_path: Path) -> None:
    from cli.main import app

    (tmp_path / "new").mkdir()
    result = CliRunner().invoke(app, ["eval", str(tmp_path / "new"), "--compare", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "no summary.json" in result.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    result = CliRunner().invoke(app, ["eval", str(bad), "--home", str(tmp_path / "empty-home")])
    assert result.exit_code == 2 and "line 1" in result.output
