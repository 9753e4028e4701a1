"""Deterministic refusal, decided before any generation: is the evidence strong enough to answer?

Two signals from retrieval: the best cosine similarity between the question and a passage, and the
IDF-weighted share of the question's terms that the passages contain. A question naming something
the index has never seen (a council, a topic) loses that term's weight, which is usually decisive.
Thresholds live in settings and are calibrated on eval/questions.jsonl (see eval/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.types import Retrieval

REFUSAL_TEXT = "The papers provided do not say. The nearest passages are shown below, so you can check."


@dataclass(frozen=True)
class RefusalPolicy:
    min_similarity: float = 0.35
    min_coverage: float = 0.5

    def decide(self, retrieval: Retrieval) -> str:
        """An empty string to answer, else the reason for refusing."""
        if not retrieval.passages:
            return "nothing in the selected papers matches the question"
        if retrieval.best_similarity < self.min_similarity:
            return f"no passage is close to the question (best similarity {retrieval.best_similarity:.2f})"
        if retrieval.coverage < self.min_coverage:
            missing = f"; not found anywhere: {', '.join(retrieval.missing_terms)}" if retrieval.missing_terms else ""
            return f"the passages cover too little of the question ({retrieval.coverage:.0%}){missing}"
        return ""
