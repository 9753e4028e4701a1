"""Where a question turns into an answer.

    question (+ history, filters)
      -> standalone question (follow-up rewrite)
      -> hybrid retrieval (assistant.retrieval)
      -> refusal check, before any generation (assistant.refusal)
      -> answerer: extractive quotes or an LLM (assistant.answering)
      -> citation check: only verified citations are shown (assistant.citations)
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.answering.base import Answerer, Draft, TextDelta
from assistant.citations import keep_verified
from assistant.evidence import Evidence, EvidenceSelector
from assistant.followup import rewrite
from assistant.refusal import REFUSAL_TEXT, RefusalPolicy
from assistant.retrieval import HybridRetriever
from assistant.settings import Settings
from assistant.types import Answer, Filters, Retrieval
from common.types import InvalidRequest

MAX_QUESTION_CHARS = 2000
MAX_K = 20


@dataclass
class AskRequest:
    """One question as every front end sends it; filters are checked when built (common.types.Filters)."""

    question: str
    history: list[str] = field(default_factory=list)  # earlier user questions, oldest first
    filters: Filters = field(default_factory=Filters)
    k: int | None = None  # passages to retrieve; None = settings.top_k

    def __post_init__(self) -> None:
        if self.k is not None and not 1 <= self.k <= MAX_K:
            raise InvalidRequest(f"k must be between 1 and {MAX_K} (got {self.k}).")


def clean_question(text: str) -> str:
    """Trim, collapse whitespace and cap the length; reject questions with nothing to search for."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not re.search(r"\w", text):
        raise InvalidRequest("Please type a question about the council papers.")
    return text[:MAX_QUESTION_CHARS]


class AskService:
    def __init__(self, retriever: HybridRetriever, evidence: EvidenceSelector, answerer: Answerer,
                 settings: Settings) -> None:
        self.retriever = retriever
        self.evidence = evidence
        self.answerer = answerer
        self.settings = settings
        self.refusal = RefusalPolicy(settings.refusal_min_similarity, settings.refusal_min_coverage)

    @property
    def mode(self) -> str:
        return self.answerer.mode

    def ask(self, request: AskRequest) -> Answer:
        answer: Answer | None = None
        for event in self.stream(request):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None  # stream always ends with an Answer
        return answer

    def stream(self, request: AskRequest) -> Iterator[TextDelta | Answer]:
        """Yields text as it is written, then the final, checked Answer."""
        started = time.perf_counter()
        question = clean_question(request.question)
        history = [clean_question(h) for h in request.history if h and re.search(r"\w", h)]
        standalone = self.standalone(question, history)
        retrieval = self.retriever.search(standalone, request.filters, k=request.k)
        evidence, extra = self.evidence.select(standalone, retrieval) if retrieval.passages else ([], [])
        retrieval.passages.extend(extra)  # cited passages must be among those retrieved
        reason = self.refusal.decide(standalone, retrieval, evidence)
        if reason:
            yield TextDelta(REFUSAL_TEXT)
            yield Answer(question, REFUSAL_TEXT, True, [], retrieval.passages[:3], self.mode, standalone,
                         (time.perf_counter() - started) * 1000, refusal_reason=reason)
            return
        draft: Draft | None = None
        for event in self.answerer.stream(standalone, retrieval, evidence):
            if isinstance(event, Draft):
                draft = event
            else:
                yield event
        assert draft is not None
        verified = keep_verified(draft.citations, retrieval.passages)
        if not verified and not draft.refused and self.answerer.mode != "extractive":
            # The model wrote nothing that checks out against the papers: show the papers' own words
            # instead of an answer nobody can verify, and say so.
            draft = self._quote_instead(standalone, retrieval, evidence, draft)
            yield TextDelta("\n\n" + draft.text)
            verified = keep_verified(draft.citations, retrieval.passages)
        text = draft.text
        dropped = {c.n for c in draft.citations} - {c.n for c in verified}
        for n in dropped:
            # A marker whose citation failed the check must not look sourced.
            text = text.replace(f"[{n}]", "[unverified]")
        refused = draft.refused and not verified
        if refused:
            text = REFUSAL_TEXT
        yield Answer(question, text, refused, verified, retrieval.passages, self.mode, standalone,
                     (time.perf_counter() - started) * 1000, unsupported=draft.unsupported,
                     refusal_reason="the model found no answer in the passages" if refused else "")

    def _quote_instead(self, question: str, retrieval: Retrieval, evidence: list[Evidence], draft: Draft) -> Draft:
        from assistant.answering.extractive import ExtractiveAnswerer

        quoted = next(e for e in ExtractiveAnswerer().stream(question, retrieval, evidence) if isinstance(e, Draft))
        note = "The model's answer could not be checked against the papers, so here are the papers' own words."
        unsupported = draft.unsupported or ([draft.text.strip()] if draft.text.strip() else [])
        return Draft(f"{note}\n\n{quoted.text}", quoted.citations, unsupported, quoted.refused)

    def standalone(self, question: str, history: list[str]) -> str:
        if not history:
            return question
        rewritten = self.answerer.rewrite_followup(question, history)
        return rewritten or rewrite(question, history)
