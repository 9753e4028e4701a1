"""The recommendations register: every recommendation the papers hold, and later passages that may bear on it.

Officers checking a peer review want its whole list of recommendations verbatim with the page (read at
ingest: ingest.recommendations), and whether later papers of the same council show anything done about
them. For each recommendation this searches the papers of the same council, or naming it, dated after
it, with the hybrid retriever restricted to those papers, and keeps the passages whose best sentence is
close to the recommendation. They are offered as "possibly related": a later passage on the same topic
is not a claim that the recommendation was carried out. Links are computed on demand and cached until
the catalogue changes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import numpy as np

from assistant.types import Citation, Passage
from common.text import normalise_ws, query_terms, split_sentences, stem
from common.types import Chunk, DocumentRecord, Filters, InvalidRequest, Recommendation

if TYPE_CHECKING:
    from assistant.retrieval import HybridRetriever
    from vectorstore.embeddings import Embedder
    from vectorstore.sqlite_index import SqliteIndex

KINDS = (Recommendation.PEER_REVIEW, Recommendation.DECISION_SOUGHT)
_QUERY_WORDS = 120  # the embedding model reads ~256 word pieces: the recommendation's opening carries its topic
_MIN_SENTENCE_WORDS = 5
_SENTENCES_PER_PASSAGE = 4
_EMBED_LEXICAL = 4  # passages only the lexical side found, embedded to score them
T = TypeVar("T")


@dataclass
class FollowUp:
    """A passage of a later paper that may address a recommendation (never a claim that it was done)."""

    doc_id: str
    title: str
    council: str
    date: str
    page: int
    section: str
    chunk_id: str
    quote: str  # a sentence of the passage, verbatim: the one closest to the recommendation
    strength: float  # 0–1, from the retrieval similarity of that sentence and its passage

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "council": self.council, "date": self.date,
                "page": self.page, "section": self.section, "chunk_id": self.chunk_id, "quote": self.quote,
                "strength": round(self.strength, 3), "url": page_url(self.doc_id, self.page)}


@dataclass
class RegisterEntry:
    """A recommendation with the paper it comes from and, when asked for, its possibly related passages."""

    recommendation: Recommendation
    doc: DocumentRecord
    follow_ups: list[FollowUp] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        r, d = self.recommendation, self.doc
        return {"doc_id": r.doc_id, "title": d.title, "council": d.council, "document_type": d.document_type,
                "date": d.date, "ord": r.ord, "number": r.number, "text": normalise_ws(r.text), "page": r.page,
                "section": r.section, "kind": r.kind, "lead_in": r.lead_in, "chunk_id": r.chunk_id,
                "quote": r.quote, "also_on_pages": list(r.also_on_pages),
                "url": page_url(r.doc_id, r.page),
                "follow_ups": [f.to_json() for f in self.follow_ups]}


class RecommendationRegister:
    def __init__(self, sqlite: SqliteIndex, retriever: HybridRetriever, embedder: Embedder,
                 min_strength: float = 0.5, per_recommendation: int = 5, per_paper: int = 2, k: int = 16) -> None:
        self.sqlite = sqlite
        self.retriever = retriever
        self.embedder = embedder
        self.min_strength = min_strength  # weaker matches are not shown
        self.per_recommendation = per_recommendation
        self.per_paper = per_paper
        self.k = k
        self._retriever: HybridRetriever | None = None
        self._cache: dict[tuple[str, int], list[FollowUp]] = {}
        self._state: tuple = ()
        self._lock = threading.Lock()

    # --- the register ---------------------------------------------------------------------------
    def find(self, doc_ids: Sequence[str] | None = None, council: str | Sequence[str] | None = None,
             kind: str | Sequence[str] | None = None) -> list[Recommendation]:
        """The recommendations of the papers asked for (all when no filter), oldest paper first, in printed order."""
        return self.sqlite.recommendations(doc_ids or (), _many(council), _many(kind))

    def entries(self, doc_ids: Sequence[str] | None = None, council: str | Sequence[str] | None = None,
                kind: str | Sequence[str] | None = None, follow_ups: bool = True) -> list[RegisterEntry]:
        docs = {d.doc_id: d for d in self.sqlite.list_documents()}
        out = []
        for rec in self.find(doc_ids, council, kind):
            doc = docs.get(rec.doc_id)
            if doc is not None:
                out.append(RegisterEntry(rec, doc, self.follow_ups(rec) if follow_ups else []))
        return out

    def citation(self, rec: Recommendation, n: int = 1) -> Citation:
        """A citation of the recommendation's first line (checkable with assistant.citations.verify)."""
        doc = self.sqlite.get_document(rec.doc_id)
        return Citation(n=n, chunk_id=rec.chunk_id, doc_id=rec.doc_id, title=doc.title if doc else rec.doc_id,
                        page=rec.page, section=rec.section, quote=normalise_ws(rec.quote))

    # --- follow-up links ------------------------------------------------------------------------
    def later_papers(self, doc: DocumentRecord) -> list[DocumentRecord]:
        """Papers dated after `doc` (minutes of the same day too) of the same council, or naming it."""
        if not doc.date:
            return []
        naming = self.sqlite.documents_mentioning(doc.council) if doc.council else set()
        return [d for d in self.sqlite.list_documents()
                if d.doc_id != doc.doc_id and d.date and _after(d, doc)
                and ((doc.council and d.council == doc.council) or d.doc_id in naming)]

    def follow_ups(self, rec: Recommendation) -> list[FollowUp]:
        state = self._catalogue_state()
        with self._lock:
            if state != self._state:
                self._cache.clear()
                self._state = state
            cached = self._cache.get((rec.doc_id, rec.ord))
        if cached is not None:
            return cached
        links = self._links(rec)
        with self._lock:
            if self._state == state:
                self._cache[(rec.doc_id, rec.ord)] = links
        return links

    def _catalogue_state(self) -> tuple:
        return tuple((d.doc_id, d.ingested_at, d.chunk_count) for d in self.sqlite.list_documents())

    def _links(self, rec: Recommendation) -> list[FollowUp]:
        doc = self.sqlite.get_document(rec.doc_id)
        later = self.later_papers(doc) if doc else []
        if not later:
            return []
        query = _query(rec.text)
        head = _headline(query)
        retrieval = self._search().search(query, Filters(doc_ids=[d.doc_id for d in later]), k=self.k)
        # A paper of another council that names this one speaks to it only where it names it.
        passages = _unique(p for p in retrieval.passages if p.chunk.doc_id != rec.doc_id
                           and (p.doc.council == doc.council or _names(p.chunk.text, doc.council)))
        # Similarity of each passage to the recommendation; the lexical side alone does not give one, so the
        # best few passages only it found are embedded here (the rest are not close enough to matter).
        unscored = [p for p in passages if p.similarity <= 0][:_EMBED_LEXICAL]
        vectors = self.embedder.embed_documents([query, head] + [_passage_text(p.chunk) for p in unscored])
        q, h = np.asarray(vectors[0]), np.asarray(vectors[1])
        for p, vector in zip(unscored, vectors[2:], strict=True):
            p.similarity = float(np.asarray(vector) @ q)
        scored = sorted((p for p in passages if p.similarity > 0), key=lambda p: -p.similarity)
        shortlist = _limit(scored, self.per_recommendation + 2, self.per_paper + 1, key=lambda p: p.chunk.doc_id)
        # The quote: the sentence of each passage closest to the recommendation (its opening, or the whole).
        terms = {stem(t) for t in query_terms(query)}
        sentences = [c for p in shortlist for c in _candidates(p, terms)]
        if not sentences:
            return []
        found = np.asarray(self.embedder.embed_documents([p.chunk.text[s:e] for p, s, e in sentences]))
        scores = np.maximum(found @ q, found @ h)
        best: dict[str, tuple[float, Passage, int, int]] = {}
        for (p, start, end), score in zip(sentences, scores, strict=True):
            cid = p.chunk.chunk_id
            if cid not in best or score > best[cid][0]:
                best[cid] = (float(score), p, start, end)
        links = [_follow_up(p.chunk, p.doc, start, end, _strength(score, p.similarity))
                 for score, p, start, end in best.values()]
        links = [f for f in links if f.strength >= self.min_strength]
        links.sort(key=lambda f: -f.strength)
        seen: set[tuple[str, str]] = set()  # a sentence a paper prints twice is offered once
        links = [f for f in links if (f.doc_id, f.quote) not in seen and not seen.add((f.doc_id, f.quote))]
        return _limit(links, self.per_recommendation, self.per_paper, key=lambda f: f.doc_id)

    def _search(self) -> HybridRetriever:
        """The retriever, looking wider than for a question: a later paper's best passage must get a chance
        even when a longer paper has many that are close."""
        if self._retriever is None:
            self._retriever = self.retriever.model_copy(update={"candidates": max(self.retriever.candidates, 60),
                                                                "neighbour_expansion": False})
        return self._retriever


def page_url(doc_id: str, page: int | None = None) -> str:
    """Where the web app serves the original paper, opened at `page` (at its start without one)."""
    href = f"/documents/{quote(doc_id, safe='')}/file"
    return f"{href}#page={int(page)}" if page else href


def parse_kind(value: str) -> str:
    """A kind as users type it ("peer-review", "peer review recommendation", "decision") -> the stored kind."""
    words = re.sub(r"[^a-z]+", " ", value.lower()).split()
    if words and words[0] == "peer":
        return Recommendation.PEER_REVIEW
    if words and words[0] in ("decision", "decisions"):
        return Recommendation.DECISION_SOUGHT
    raise InvalidRequest(f"Unknown kind {value[:40]!r}: use 'peer-review recommendation' or 'decision sought'.")


def _many(value: str | Sequence[str] | None) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [v for v in value if v]


def _after(later: DocumentRecord, doc: DocumentRecord) -> bool:
    """`later` is dated after `doc` (dates are ISO prefixes, compared on what both give); minutes of the
    meeting on the paper's own date record what was decided on it, so they count too."""
    n = min(len(later.date), len(doc.date))
    if later.date[:n] != doc.date[:n]:
        return later.date[:n] > doc.date[:n]
    return later.date == doc.date and "minute" in later.document_type.lower()


def _query(text: str) -> str:
    words = normalise_ws(text).split(" ")
    return " ".join(words[:_QUERY_WORDS])


def _names(text: str, council: str) -> bool:
    """`text` names the council ("Derby City Council", or "Derby City")."""
    if not council:
        return False
    short = re.sub(r"\s+council$", "", council.strip(), flags=re.IGNORECASE)
    return bool(re.search(r"\b" + re.escape(short).replace(r"\ ", r"\s+") + r"\b", text, re.IGNORECASE))


def _headline(text: str) -> str:
    spans = split_sentences(text)
    return text[:spans[0][1]] if spans else text


def _candidates(passage: Passage, terms: set[str]) -> list[tuple[Passage, int, int]]:
    """The passage's sentences sharing most words with the recommendation (only these are embedded)."""
    text = passage.chunk.text
    spans = [(s, e) for s, e in split_sentences(text) if _prose(text[s:e])]
    spans.sort(key=lambda span: -sum(1 for t in terms if t in text[span[0]:span[1]].lower()))
    return [(passage, s, e) for s, e in spans[:_SENTENCES_PER_PASSAGE]]


def _prose(sentence: str) -> bool:
    """A sentence worth quoting: enough words, and mostly words rather than a row of figures."""
    tokens = sentence.split()
    wordy = sum(1 for t in tokens if re.search(r"[A-Za-z]{2}", t))
    return len(tokens) >= _MIN_SENTENCE_WORDS and wordy >= 0.7 * len(tokens)


def _passage_text(chunk: Chunk) -> str:
    return f"{chunk.section}\n{chunk.text}" if chunk.section else chunk.text


def _unique(passages: Iterable[Passage]) -> list[Passage]:
    seen: set[str] = set()
    out = []
    for p in passages:
        key = normalise_ws(p.chunk.text)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _strength(sentence: float, passage: float) -> float:
    """How closely a passage matches: the mean of its own similarity and its best sentence's (0–1)."""
    return max(0.0, min(1.0, 0.5 * sentence + 0.5 * passage))


def _follow_up(chunk: Chunk, doc: DocumentRecord, start: int, end: int, strength: float) -> FollowUp:
    return FollowUp(doc_id=doc.doc_id, title=doc.title, council=doc.council, date=doc.date,
                    page=chunk.page_at(start), section=chunk.section, chunk_id=chunk.chunk_id,
                    quote=normalise_ws(chunk.text[start:end]), strength=strength)


def _limit(items: list[T], total: int, per_paper: int, key: Callable[[T], str]) -> list[T]:
    """The first `total` items, at most `per_paper` from any one paper."""
    kept: list[T] = []
    count: dict[str, int] = {}
    for item in items:
        paper = key(item)
        if count.get(paper, 0) < per_paper and len(kept) < total:
            kept.append(item)
            count[paper] = count.get(paper, 0) + 1
    return kept
