"""Deterministic refusal, decided before any generation: does the evidence answer the question?

Checks, in order (each one names its reason, which the UI and `--json` show):
1. nothing retrieved, or no passage close to the question (cosine similarity);
2. the question names something the index has never seen: a proper name or a figure ("Nottinghamshire",
   "2024/25") that occurs in no passage at all;
3. the best passage holds too little of the question's content terms (IDF-weighted coverage);
4. the selected evidence lacks a figure or year the question asks about ("in 2019");
5. the question asks for a quantity ("how many") and no evidence sentence has one.
Thresholds live in settings and were calibrated on eval/questions.jsonl (see eval/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.evidence import Evidence
from assistant.types import Retrieval
from common.text import WANTS_FIGURE, figures_in, quantities, stem

REFUSAL_TEXT = "The papers provided do not say. The nearest passages are shown below, so you can check."


@dataclass(frozen=True)
class RefusalPolicy:
    min_similarity: float = 0.3
    min_coverage: float = 0.35

    def decide(self, question: str, retrieval: Retrieval, evidence: list[Evidence]) -> str:
        """An empty string to answer, else the reason for refusing."""
        if not retrieval.passages or not evidence:
            return "nothing in the selected papers matches the question"
        if retrieval.best_similarity < self.min_similarity:
            return f"no passage is close to the question (best similarity {retrieval.best_similarity:.2f})"
        unknown = [t for t in retrieval.missing_terms if _is_name_or_figure(t, question)]
        if unknown:
            return f"the papers never mention {', '.join(unknown)}"
        if retrieval.coverage < self.min_coverage:
            return f"the best passage covers too little of the question ({retrieval.coverage:.0%})"
        evidence_text = " ".join(e.passage.chunk.text.lower() for e in evidence)
        asked = [f for t in retrieval.content_terms for f in figures_in(t)]
        absent = [f for f in dict.fromkeys(asked) if f not in evidence_text]
        if absent:
            return f"the passages that answer best do not mention {', '.join(absent)}"
        key_terms = _key_terms(retrieval)

        def on_topic(item: Evidence) -> bool:
            return not key_terms or any(stem(t) in item.text.lower() for t in key_terms)

        if not any(on_topic(e) for e in evidence):
            return f"the sentences that answer best do not mention {' or '.join(key_terms)}"
        if WANTS_FIGURE.search(question) and not any(quantities(e.text) and on_topic(e) for e in evidence):
            return "the question asks for a figure and no sentence on its subject gives one"
        return ""


def _key_terms(retrieval: Retrieval) -> list[str]:
    """The rarest content terms of the question that the index knows (at most two)."""
    known = [t for t in retrieval.content_terms if t in retrieval.term_weights and t not in retrieval.missing_terms
             and not any(ch.isdigit() for ch in t)]
    return sorted(known, key=lambda t: -retrieval.term_weights[t])[:2]


def _is_name_or_figure(term: str, question: str) -> bool:
    if any(ch.isdigit() for ch in term):
        return True
    # Capitalised mid-sentence in the question: a proper name (a council, a place, a body).
    return bool(re.search(rf"(?<![.?!]\s)(?<!^)\b{re.escape(term[:1].upper() + term[1:])}", question))
