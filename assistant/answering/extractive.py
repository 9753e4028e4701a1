"""The default answerer: no LLM. It quotes the sentences that best answer the question, verbatim.

Sentences from the retrieved passages are scored by similarity to the question (embeddings), by the
question's rare terms they contain (IDF from the index), and by whether they hold the kind of thing
asked for (a figure for "how much", a date for "when"). The best few are quoted and cited.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from assistant.answering.base import Answerer, AnswerEvent, Draft, TextDelta
from assistant.citations import make_citation, split_sentences
from assistant.retrieval import figures_in, stem
from assistant.types import Passage, Retrieval
from vectorstore.embeddings import Embedder
from vectorstore.sqlite_index import query_terms

_WANTS_FIGURE = re.compile(
    r"\b(how (much|many|big|large)|what (proportion|percentage|share|level|value|amount|number|rate|sum|figure)|"
    r"cost|budget|savings?|reserves?|funding|spend|gap|rate|percent|%|£)\b", re.IGNORECASE)
_WANTS_DATE = re.compile(r"\b(when|what date|which year|what year|by when)\b", re.IGNORECASE)
_WANTS_LIST = re.compile(r"\b(list|what (are|were) the|which .* (are|were)|recommendations|priorities|pledges|"
                         r"principles|themes|areas|examples|key)\b", re.IGNORECASE)
_COMPARES = re.compile(r"\b(compare|comparison|differ|difference|both|versus|vs\.?|changed?|between .* and)\b",
                       re.IGNORECASE)
_DATE = re.compile(r"\b(19|20)\d\d\b|\b(january|february|march|april|may|june|july|august|september|october|"
                   r"november|december)\b", re.IGNORECASE)


@dataclass
class Candidate:
    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    score: float = 0.0


class ExtractiveAnswerer(Answerer):
    mode = "extractive"
    description = "Extractive (quotes the papers, no language model)"

    def __init__(self, embedder: Embedder, max_sentences: int = 3) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[AnswerEvent]:
        chosen = self.select(question, retrieval)
        if not chosen:
            draft = Draft("The passages found do not contain a sentence that answers this.", [])
            yield TextDelta(draft.text)
            yield draft
            return
        citations = []
        lines = []
        for n, cand in enumerate(chosen, start=1):
            citation = make_citation(n, cand.passage, cand.start, cand.end)
            citations.append(citation)
            lines.append(f"“{citation.quote}” [{n}]")
        lead = "The papers say:" if len(lines) == 1 else "From the papers:"
        text = lead + ("\n\n" + lines[0] if len(lines) == 1 else "\n\n" + "\n".join(f"- {line}" for line in lines))
        for piece in re.findall(r"\S+\s*", text):
            yield TextDelta(piece)
        yield Draft(text, citations)

    def candidates(self, retrieval: Retrieval) -> list[Candidate]:
        out: list[Candidate] = []
        seen: set[str] = set()
        for rank, passage in enumerate(retrieval.passages):
            text = passage.chunk.text
            for start, end in split_sentences(text):
                sentence = text[start:end]
                key = " ".join(sentence.lower().split())
                # Headings and fragments say nothing on their own.
                if len(sentence.split()) < 5 or key in seen or sentence == passage.chunk.section.split(" > ")[-1]:
                    continue
                seen.add(key)
                out.append(Candidate(passage, rank, start, end, sentence))
        return out

    def select(self, question: str, retrieval: Retrieval) -> list[Candidate]:
        cands = self.candidates(retrieval)
        if not cands:
            return []
        self.score(question, retrieval, cands)
        cands.sort(key=lambda c: -c.score)
        best = cands[0]
        limit = self.max_sentences + (2 if _WANTS_LIST.search(question) else 0)
        chosen = [best]
        if _COMPARES.search(question) or len({p.doc.council for p in retrieval.passages[:3]}) > 1:
            # A comparison needs each side: the best sentence from each other document near the top.
            for cand in cands[1:]:
                if cand.passage.doc.doc_id not in {c.passage.doc.doc_id for c in chosen} and cand.rank < 4 \
                        and cand.score >= 0.6 * best.score:
                    chosen.append(cand)
        for cand in cands[1:]:
            if len(chosen) >= limit:
                break
            if cand not in chosen and cand.score >= 0.82 * best.score:
                chosen.append(cand)
        chosen = chosen[:limit]
        # Read in document order within each document, documents in order of relevance.
        doc_order = list(dict.fromkeys(c.passage.doc.doc_id for c in chosen))
        chosen.sort(key=lambda c: (doc_order.index(c.passage.doc.doc_id), c.passage.chunk.seq, c.start))
        return chosen

    def score(self, question: str, retrieval: Retrieval, cands: list[Candidate]) -> None:
        q_vec = np.asarray(self.embedder.embed_query(question))
        s_vecs = np.asarray(self.embedder.embed_documents([c.text for c in cands]))
        similarities = s_vecs @ q_vec
        # Squared IDF: a rare name in the question ("Cotmanhay") should outweigh common words ("peer team").
        weights = {t: w * w for t, w in (retrieval.term_weights or {t: 1.0 for t in query_terms(question)}).items()}
        total = sum(weights.values()) or 1.0
        wanted_figures = figures_in(question)
        wants_figure = bool(_WANTS_FIGURE.search(question))
        wants_date = bool(_WANTS_DATE.search(question))
        for cand, sim in zip(cands, similarities, strict=True):
            lower = cand.text.lower()
            lexical = sum(w for t, w in weights.items() if stem(t) in lower) / total
            bonus = 0.0
            figures = [f for f in figures_in(cand.text) if not re.fullmatch(r"(19|20)\d\d", f)]
            if wants_figure and figures:
                bonus += 0.1
            if wants_date and _DATE.search(cand.text):
                bonus += 0.1
            if wanted_figures and any(f in lower for f in wanted_figures):
                bonus += 0.05
            prior = 0.05 / (1 + cand.rank)
            cand.score = 0.45 * float(sim) + 0.45 * lexical + bonus + prior
