"""What a question turns into: retrieved passages, the evidence and context for the answer, citations, the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.intent import Intent
from assistant.question import QuestionAnalysis
from common.types import Chunk, DocumentRecord, Filters

__all__ = ["Answer", "Citation", "Context", "Evidence", "EvidenceGroup", "Filters", "Passage", "Retrieval"]


@dataclass
class Passage:
    chunk: Chunk
    doc: DocumentRecord
    score: float  # fused rank score (higher = better)
    similarity: float = 0.0  # cosine similarity with the question (0 when only the lexical side found it)
    lexical: float = 0.0  # BM25 (0 when only the dense side found it)
    neighbour_of: str = ""  # chunk id of the hit that pulled this passage in

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.chunk.doc_id,
            "chunk_id": self.chunk.chunk_id,
            "title": self.doc.title,
            "page": self.chunk.page_start,
            "page_end": self.chunk.page_end,
            "section": self.chunk.section,
            "text": self.chunk.text,
            "score": round(self.score, 5),
            "similarity": round(self.similarity, 4),
        }


@dataclass
class Retrieval:
    question: str
    passages: list[Passage]
    best_similarity: float = 0.0
    coverage: float = 0.0  # share (IDF-weighted) of the question's terms found in the passages
    missing_terms: list[str] = field(default_factory=list)  # question terms found nowhere in the index
    term_weights: dict[str, float] = field(default_factory=dict)  # question term -> IDF in the index
    content_terms: list[str] = field(default_factory=list)  # question terms that do not just name a paper
    # What it was searched under: a question that names a paper is searched in that paper first.
    filters: Filters = field(default_factory=Filters)


@dataclass
class Evidence:
    """A span of a passage that answers (part of) the question: a sentence, a list item, a section's gist."""

    passage: Passage
    rank: int  # rank of its passage in the retrieval
    start: int  # offsets in passage.chunk.text
    end: int
    text: str
    score: float = 0.0
    similarity: float = 0.0
    lexical: float = 0.0
    label: str = ""  # a list item's label as printed ("1.", "a.", "•")
    depth: int = 0  # a list item's nesting depth


@dataclass
class EvidenceGroup:
    """One block of a structured answer: a list, one section of a summary, one side of a comparison."""

    heading: str  # the list's lead-in, the section heading, the side's label
    doc: DocumentRecord | None
    items: list[Evidence] = field(default_factory=list)
    note: str = ""  # said instead of items when the block has none ("The 2017 report says nothing on …")
    about: str = ""  # what the block is, in the assistant's words ("5 of its 11 recommendations concern finance")
    introduced_by: Evidence | None = None  # the quoted sentence that led in this block, when one did


@dataclass
class Context:
    """Everything an answerer needs, built once per question by intent (assistant.context)."""

    analysis: QuestionAnalysis
    retrieval: Retrieval  # every passage that may be cited
    evidence: list[Evidence]  # in answer order (for structured intents: the groups' items, flattened)
    groups: list[EvidenceGroup] = field(default_factory=list)
    # For a question about one council: the best sentence about another one, so a refusal can say what the
    # papers do give ("They give this for Derbyshire County Council, not for Derby City Council").
    elsewhere: list[Evidence] = field(default_factory=list)

    @property
    def intent(self) -> Intent:
        return self.analysis.intent

    @property
    def structured(self) -> bool:
        return bool(self.groups)


@dataclass
class Citation:
    n: int
    chunk_id: str
    doc_id: str
    title: str
    page: int
    section: str
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "doc_id": self.doc_id, "title": self.title, "page": self.page,
                "section": self.section, "quote": self.quote, "chunk_id": self.chunk_id}


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    retrieved: list[Passage]
    mode: str
    standalone_question: str = ""
    latency_ms: float = 0.0
    # Sentences of a generated answer that no verified citation supports (shown as unsourced).
    unsupported: list[str] = field(default_factory=list)
    refusal_reason: str = ""
    intent: str = ""
    councils: list[str] = field(default_factory=list)  # what the question was about, for follow-ups
    quoted_instead: bool = False  # the model's answer could not be checked: the papers' own words are shown
    searched_in: list[str] = field(default_factory=list)  # the papers the search was kept to, if it was

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.answer,
            "refused": self.refused,
            "refusal_reason": self.refusal_reason,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [p.to_json() for p in self.retrieved],
            "unsupported": self.unsupported,
            "quoted_instead": self.quoted_instead,
            "searched_in": self.searched_in,
            "mode": self.mode,
            "intent": self.intent,
            "councils": self.councils,
            "latency_ms": round(self.latency_ms, 1),
        }
