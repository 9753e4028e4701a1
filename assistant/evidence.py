"""Evidence selection: the sentences of the retrieved passages that best answer the question.

Used in every answer mode: the refusal check looks at the evidence before anything is generated,
the extractive answerer quotes it, and the LLM answerers see the passages that hold it first.

Sentences are scored by similarity to the question (embeddings), by the question's rare terms they
contain (IDF from the index), and by whether they hold what was asked for (a figure for "how
much", a date for "when").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.types import Passage, Retrieval
from common.text import STOPWORDS, WANTS_FIGURE, figures_in, quantities, query_terms, split_sentences, stem
from vectorstore.embeddings import Embedder

_MONEYISH = re.compile(r"\b(cost|budget|savings?|reserves?|funding|spend|gap|paid|pay)\b", re.IGNORECASE)
_WANTS_DATE = re.compile(r"\b(when|what date|which year|what year|by when)\b", re.IGNORECASE)
_WANTS_LIST = re.compile(r"\b(list|what (are|were) the|which .* (are|were)|recommendations|priorities|pledges|"
                         r"principles|themes|areas|examples|outcomes|barriers|projects)\b", re.IGNORECASE)
_COMPARES = re.compile(r"\b(compare[ds]?|comparison|differ|difference|both|versus|vs\.?|changed?|and at|"
                       r"compared with)\b", re.IGNORECASE)
_DATE = re.compile(r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|"
                   r"november|december)\b", re.IGNORECASE)


@dataclass
class Evidence:
    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    score: float = 0.0
    similarity: float = 0.0
    lexical: float = 0.0


NextPassage = Callable[[Passage], Passage | None]


class EvidenceSelector:
    def __init__(self, embedder: Embedder, max_sentences: int = 3, next_passage: NextPassage | None = None,
                 embed_limit: int = 24) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.embed_limit = embed_limit
        # Finds the chunk after a passage, so a list that runs past its chunk is quoted whole.
        self.next_passage = next_passage

    def select(self, question: str, retrieval: Retrieval) -> tuple[list[Evidence], list[Passage]]:
        """The evidence sentences, and passages beyond those retrieved that hold some of them (a list
        that runs into the next chunk): the caller adds those to the retrieval, so citations to them
        can be checked."""
        cands = self.candidates(retrieval)
        if not cands:
            return [], []
        self.score(question, retrieval, cands)
        cands.sort(key=lambda c: -c.score)
        if WANTS_FIGURE.search(question) and not quantities(cands[0].text):
            # "How much…" wants a figure: a close runner-up that has one answers better than the top.
            with_figure = next((c for c in cands[1:] if quantities(c.text) and c.score >= 0.75 * cands[0].score), None)
            if with_figure is not None:
                cands.remove(with_figure)
                cands.insert(0, with_figure)
        best = cands[0]
        limit = self.max_sentences + (1 if _WANTS_LIST.search(question) else 0)
        chosen = [best]
        if _COMPARES.search(question) or len({p.doc.council for p in retrieval.passages[:3]}) > 1:
            # A comparison needs each side: the best sentence from each other document near the top.
            for cand in cands[1:]:
                if cand.passage.doc.doc_id not in {c.passage.doc.doc_id for c in chosen} and cand.rank < 4 \
                        and cand.score >= 0.7 * best.score:
                    chosen.append(cand)
        for cand in cands[1:]:
            if len(chosen) >= limit:
                break
            if cand not in chosen and cand.score >= 0.85 * best.score:
                chosen.append(cand)
        chosen = chosen[:limit]
        extra: list[Passage] = []
        for cand in list(chosen):
            chosen.extend(self._list_items(cand, retrieval, extra))
        # Read in document order within each document, documents in order of relevance.
        doc_order = list(dict.fromkeys(c.passage.doc.doc_id for c in chosen))
        chosen.sort(key=lambda c: (doc_order.index(c.passage.doc.doc_id), c.passage.chunk.seq, c.start))
        return _drop_overlaps(chosen), extra

    def candidates(self, retrieval: Retrieval) -> list[Evidence]:
        out: list[Evidence] = []
        seen: set[str] = set()
        for rank, passage in enumerate(retrieval.passages):
            text = passage.chunk.text
            naming = set(query_terms(" ".join([passage.doc.title, passage.doc.council, passage.doc.short_title])))
            headings = {h.strip().lower() for h in passage.chunk.section.split(" > ")}
            for start, end in split_sentences(text):
                sentence = text[start:end]
                key = " ".join(sentence.lower().split())
                words = query_terms(sentence)
                # Headings, titles and fragments say nothing on their own.
                if len(sentence.split()) < 5 or key in seen or key in headings or set(words) <= naming | STOPWORDS:
                    continue
                seen.add(key)
                out.append(Evidence(passage, rank, start, end, sentence))
        return out

    def score(self, question: str, retrieval: Retrieval, cands: list[Evidence]) -> None:
        # Squared IDF: a rare name in the question ("Cotmanhay") should outweigh common words.
        base = retrieval.term_weights or {t: 1.0 for t in query_terms(question)}
        weights = {t: w * w for t, w in base.items()}
        total = sum(weights.values()) or 1.0
        for cand in cands:
            lower = cand.text.lower()
            cand.lexical = sum(w for t, w in weights.items() if stem(t) in lower) / total
        # Embedding sentences is the slow part (~10 ms each on 2 cores): only the most promising
        # candidates by the cheap scores are embedded; the rest keep similarity 0.
        promising = sorted(cands, key=lambda c: -(c.lexical + 0.1 / (1 + c.rank)))[: self.embed_limit]
        # The full question, not the retriever's naming-free query: sentence choice is better with it.
        q_vec = np.asarray(self.embedder.embed_query(question))
        s_vecs = np.asarray(self.embedder.embed_documents([c.text for c in promising]))
        for cand, sim in zip(promising, s_vecs @ q_vec, strict=True):
            cand.similarity = float(sim)
        wanted_figures = figures_in(question)
        wants_figure = bool(WANTS_FIGURE.search(question) or _MONEYISH.search(question))
        wants_date = bool(_WANTS_DATE.search(question))
        for cand in cands:
            lower = cand.text.lower()
            bonus = 0.0
            if wants_figure and quantities(cand.text):
                bonus += 0.1
            if wants_date and _DATE.search(cand.text):
                bonus += 0.1
            if wanted_figures and any(f in lower for f in wanted_figures):
                bonus += 0.05
            if cand.passage.neighbour_of:
                bonus -= 0.03
            cand.score = 0.45 * cand.similarity + 0.45 * cand.lexical + bonus + 0.05 / (1 + cand.rank)

    def _list_items(self, cand: Evidence, retrieval: Retrieval, extra: list[Passage], most: int = 8
                    ) -> list[Evidence]:
        """A sentence introducing a list ("…key recommendations to the Council:") brings the first
        sentence of each item after it, from its chunk and the next one of the same section."""
        if not cand.text.rstrip().endswith(":"):
            return []
        items: list[Evidence] = []
        passage, offset = cand.passage, cand.end
        while passage is not None and len(items) < most:
            text = passage.chunk.text
            for line in re.finditer(r"[^\n]+", text[offset:]):
                spans = split_sentences(line.group(0))
                if not spans or len(items) >= most:
                    break
                start, end = spans[0]
                base = offset + line.start()
                items.append(Evidence(passage, cand.rank, base + start, base + end, text[base + start:base + end],
                                      cand.score * 0.99))
            following = next((p for p in [*retrieval.passages, *extra] if p.chunk.doc_id == passage.chunk.doc_id
                              and p.chunk.seq == passage.chunk.seq + 1 and p.chunk.section == passage.chunk.section),
                             None)
            if following is None and self.next_passage is not None:
                following = self.next_passage(passage)
                if following is not None:
                    extra.append(following)
            passage, offset = following, 0
        return items


def _drop_overlaps(chosen: list[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for cand in chosen:
        if any(o.passage.chunk.chunk_id == cand.passage.chunk.chunk_id and o.start <= cand.start < o.end
               for o in out):
            continue
        out.append(cand)
    return out
