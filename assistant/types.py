"""What a question turns into: retrieved passages, citations and the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from common.types import Chunk, DocumentRecord, Filters

__all__ = ["Answer", "Citation", "Filters", "Passage", "Retrieval"]


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
            "mode": self.mode,
            "latency_ms": round(self.latency_ms, 1),
        }
