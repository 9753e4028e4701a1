"""Hybrid retrieval: dense (Chroma) + lexical (SQLite FTS5/BM25), fused by reciprocal rank fusion.

Exposed as a LangChain BaseRetriever so it composes with LangChain chains; `search` gives the richer
result (similarities, term coverage) that refusal and the answerers need.
"""

from __future__ import annotations

import math
import re
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.settings import Settings
from assistant.types import Filters, Passage, Retrieval
from vectorstore.index import CouncilIndex
from vectorstore.sqlite_index import query_terms

_FIGURE = re.compile(r"[£$€]?\d[\d,.]*(?:[/-]\d+)?(?:%|m|bn|k)?\b", re.IGNORECASE)


class Reranker:
    """Reorders passages; the default keeps the fused order."""

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]:
        return passages


class CrossEncoderReranker(Reranker):
    """A sentence-transformers cross-encoder from a local folder (none ships offline; optional)."""

    def __init__(self, model_path: str) -> None:
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(model_path, device="cpu", local_files_only=True)

    def rerank(self, question: str, passages: list[Passage]) -> list[Passage]:
        scores = self.model.predict([(question, p.chunk.text) for p in passages])
        ranked = sorted(zip(passages, scores, strict=True), key=lambda pair: -float(pair[1]))
        return [p for p, _ in ranked]


def figures_in(text: str) -> list[str]:
    """Figures, years and amounts as written ("£263m", "2017/18", "1,192", "43%")."""
    return [m.group(0).rstrip(".,").lower() for m in _FIGURE.finditer(text) if any(ch.isdigit() for ch in m.group(0))]


class HybridRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: CouncilIndex
    k: int = 5
    candidates: int = 30
    rrf_k: int = 60
    neighbour_expansion: bool = True
    reranker: Reranker = Field(default_factory=Reranker)
    filters: Filters = Field(default_factory=Filters)
    df_cache: dict[tuple[str, int], int] = Field(default_factory=dict)

    @classmethod
    def from_settings(cls, index: CouncilIndex, settings: Settings) -> HybridRetriever:
        reranker = CrossEncoderReranker(settings.reranker_model_path) if settings.reranker_model_path else Reranker()
        return cls(index=index, k=settings.top_k, candidates=settings.candidates, rrf_k=settings.rrf_k,
                   neighbour_expansion=settings.neighbour_expansion, reranker=reranker)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=p.chunk.text, metadata=p.to_json() | {"council": p.doc.council},
                     id=p.chunk.chunk_id)
            for p in self.search(query, self.filters).passages
        ]

    def search(self, question: str, filters: Filters | None = None, k: int | None = None) -> Retrieval:
        k = k or self.k
        filters = filters or Filters()
        sqlite = self.index.sqlite
        allowed = sqlite.allowed_doc_ids(filters)
        if allowed is not None and not allowed:
            return Retrieval(question, [])
        vector = self.index.embedder.embed_query(question)
        dense_hits = self.index.dense.query(vector, self.candidates, allowed)
        lexical_hits = sqlite.search(question, self.candidates, allowed)

        fused: dict[str, float] = {}
        similarity = dict(dense_hits)
        lexical = dict(lexical_hits)
        for hits in (dense_hits, lexical_hits):
            for rank, (chunk_id, _) in enumerate(hits):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        chunks = sqlite.get_chunks(fused)
        # A chunk id can outlive its catalogue row for a moment during a re-ingest; skip those.
        fused = {cid: score for cid, score in fused.items() if cid in chunks}

        # Figures and rare names are what councillors check ("£263m", "Cotmanhay"): a passage holding
        # the exact figure or a distinctive term outranks passages that only share common words.
        distinctive = figures_in(question) + self._rare_terms(question)
        if distinctive:
            for cid in fused:
                text = chunks[cid].text.lower()
                fused[cid] += sum(1.0 / self.rrf_k for term in distinctive if term in text)

        order = sorted(fused, key=lambda cid: -fused[cid])
        docs = {d.doc_id: d for d in sqlite.list_documents()}
        passages = [
            Passage(chunks[cid], docs[chunks[cid].doc_id], fused[cid], similarity.get(cid, 0.0), lexical.get(cid, 0.0))
            for cid in order if chunks[cid].doc_id in docs
        ]
        passages = self.reranker.rerank(question, passages)[:k]
        if self.neighbour_expansion:
            passages = passages + self._neighbours(passages[:2], docs, {p.chunk.chunk_id for p in passages})
        best = max((s for _, s in dense_hits), default=0.0)
        coverage, missing, weights = self._coverage(question, passages)
        return Retrieval(question, passages, best, coverage, missing, weights)

    def _rare_terms(self, question: str) -> list[str]:
        """Question terms found in only a few chunks (at most 1%, or 3): names, places, programmes."""
        total = max(self.index.sqlite.chunk_total(), 1)
        limit = max(3, total // 100)
        return [stem(t) for t in query_terms(question) if 0 < self._df(t, total) <= limit and not t.isdigit()]

    def _neighbours(self, hits: list[Passage], docs: dict[str, Any], seen: set[str]) -> list[Passage]:
        """The next chunk of the same section, for answers that straddle a chunk boundary."""
        extra: list[Passage] = []
        for hit in hits:
            nxt = self.index.sqlite.chunk_at(hit.chunk.doc_id, hit.chunk.seq + 1)
            if nxt and nxt.section == hit.chunk.section and nxt.chunk_id not in seen:
                seen.add(nxt.chunk_id)
                extra.append(Passage(nxt, docs[nxt.doc_id], hit.score * 0.5, neighbour_of=hit.chunk.chunk_id))
        return extra

    def _coverage(self, question: str, passages: list[Passage]) -> tuple[float, list[str], dict[str, float]]:
        """IDF-weighted share of the question's terms present in the passages; terms absent from the index."""
        terms = query_terms(question)
        if not terms:
            return 0.0, [], {}
        total_chunks = max(self.index.sqlite.chunk_total(), 1)
        text = " ".join(p.chunk.text.lower() + " " + p.chunk.section.lower() for p in passages)
        weight_all = weight_hit = 0.0
        missing: list[str] = []
        weights: dict[str, float] = {}
        for term in terms:
            df = self._df(term, total_chunks)
            idf = math.log((total_chunks + 1) / (df + 0.5))
            weights[term] = idf
            weight_all += idf
            if df == 0:
                missing.append(term)
            elif stem(term) in text:
                weight_hit += idf
        return (weight_hit / weight_all if weight_all else 0.0), missing, weights

    def _df(self, term: str, total_chunks: int) -> int:
        key = (term, total_chunks)
        if key not in self.df_cache:
            self.df_cache[key] = self.index.sqlite.document_frequency(term)
        return self.df_cache[key]


def stem(term: str) -> str:
    """A crude prefix stem, enough to see "recommendations" in "recommended" for coverage."""
    if any(ch.isdigit() for ch in term):
        return term
    return term[:6] if len(term) > 6 else term.rstrip("s")
