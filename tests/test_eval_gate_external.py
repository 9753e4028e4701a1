"""CI gates on papers nobody tuned to: the Kent County Council papers, and the local plans and parish papers.

The question files (eval/questions_kent.jsonl, eval/questions_other.jsonl) were written by reading those
papers. They run through the same harness as the demo gate, in extractive mode, against indexes built
without a catalogue (metadata read from the papers), and must meet their own sections of
eval/thresholds.toml ("kent", "other"). Skipped cleanly when ../shared/external is absent.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from eval import harness, metrics
from tests.conftest import make_services, requires_external

pytestmark = requires_external()

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = ROOT / "eval" / "thresholds.toml"


def _gate(tmp_path: Path, home: Path, embedder, questions: Path, section: str) -> None:  # type: ignore[no-untyped-def]
    bounds = tomllib.loads(THRESHOLDS.read_text(encoding="utf-8"))[section]["extractive"]
    services = make_services(home, embedder, answer_mode="extractive", top_k=5)
    try:
        run = harness.run_eval(questions, tmp_path / "run", services, write_report=False)
    finally:
        services.close()
    problems = metrics.check_thresholds(run.summary, bounds)
    assert not problems, (f"evaluation below eval/thresholds.toml [{section}]:\n  " + "\n  ".join(problems)
                          + "\n" + harness.headline(run.summary))


def test_kent_papers_meet_their_thresholds(tmp_path: Path, kent_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    _gate(tmp_path, kent_home, embedder, ROOT / "eval" / "questions_kent.jsonl", "kent")


def test_local_plans_and_parish_papers_meet_their_thresholds(tmp_path: Path, external_ingest, embedder) -> None:  # type: ignore[no-untyped-def]
    home, _ = external_ingest
    _gate(tmp_path, home, embedder, ROOT / "eval" / "questions_other.jsonl", "other")
