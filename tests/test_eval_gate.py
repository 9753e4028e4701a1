"""CI gate: the full question set, extractive mode, on the demo corpus, must meet eval/thresholds.toml.

Runs through the harness function (not a subprocess) against the session's demo index. The thresholds
are only ever raised (eval/README.md); a failure lists every metric below its bound.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from eval import harness, metrics
from tests.conftest import make_services

THRESHOLDS = Path(__file__).resolve().parents[1] / "eval" / "thresholds.toml"


def test_thresholds_file_names_known_metrics() -> None:
    bounds = tomllib.loads(THRESHOLDS.read_text(encoding="utf-8"))["extractive"]
    assert set(bounds["min"]) <= set(metrics.HIGHER_IS_BETTER)
    assert set(bounds["max"]) <= set(metrics.LOWER_IS_BETTER)
    assert {"hit@5", "mrr@10", "fact_recall", "citation_precision", "refusal_accuracy"} <= set(bounds["min"])
    assert "false_refusal_rate" in bounds["max"]


def test_extractive_mode_meets_thresholds(tmp_path: Path, demo_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    bounds = tomllib.loads(THRESHOLDS.read_text(encoding="utf-8"))["extractive"]
    services = make_services(demo_home, embedder, answer_mode="extractive", top_k=5)
    try:
        run = harness.run_eval(harness.DEFAULT_QUESTIONS, tmp_path / "run", services, write_report=False)
    finally:
        services.close()
    problems = metrics.check_thresholds(run.summary, bounds)
    assert not problems, (
        "evaluation below eval/thresholds.toml (extractive, demo corpus):\n  " + "\n  ".join(problems)
        + "\n" + harness.headline(run.summary)
    )
