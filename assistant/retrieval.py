"""Hybrid retrieval: dense (Chroma) + lexical (SQLite FTS5/BM25), fused by reciprocal rank fusion.

Exposed as a LangChain BaseRetriever so it composes with LangChain chains; `search` gives the richer
result (similarities, term coverage) that refusal and the answerers need.
"""

from __future__ import annotations

import math

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.analyzers import AnalyzerSource
from assistant.cues import flat_words
from assistant.figure_given import counts_asked
from assistant.question import QuestionAnalysis
from assistant.settings import Settings
from assistant.types import Filters, Passage, Retrieval
from common.rows import names_row, row_label
from common.text import (
    ANSWER_HEADING,
    CONTACT_DETAIL,
    DECISION_NUMBER,
    last_heading,
    names_someone,
    phrases,
    stem,
    words,
)
from common.types import Chunk
from common.wording import with_equivalents
from vectorstore.index import CouncilIndex

# A term in more than this share of chunks says little about which passage answers.
COMMON_SHARE = 0.05
ANSWER_CHUNKS = 3  # of a written answer, pulled in with the question it answers


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


class HybridRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: CouncilIndex
    analyzers: AnalyzerSource
    k: int = 5
    candidates: int = 30
    rrf_k: int = 60
    neighbour_expansion: bool = True
    reranker: Reranker = Field(default_factory=Reranker)
    filters: Filters = Field(default_factory=Filters)
    df_cache: dict[tuple[str, int], int] = Field(default_factory=dict)

    @classmethod
    def from_settings(cls, index: CouncilIndex, analyzers: AnalyzerSource, settings: Settings) -> HybridRetriever:
        reranker = CrossEncoderReranker(settings.reranker_model_path) if settings.reranker_model_path else Reranker()
        return cls(index=index, analyzers=analyzers, k=settings.top_k, candidates=settings.candidates,
                   rrf_k=settings.rrf_k, neighbour_expansion=settings.neighbour_expansion, reranker=reranker)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(page_content=p.chunk.text, metadata=p.to_json() | {"council": p.doc.council},
                     id=p.chunk.chunk_id)
            for p in self.search(query, self.filters).passages
        ]

    def search(self, question: str | QuestionAnalysis, filters: Filters | None = None, k: int | None = None,
               scope_weight: float = 2.0) -> Retrieval:
        """The k best passages for a question (text, or analysed), with the neighbours that continue them.

        `scope_weight` is how much naming a paper counts, in strong ranks ("the 2018 peer challenge").
        """
        analysis = question if isinstance(question, QuestionAnalysis) else self.analyzers.current().analyse(question)
        text = analysis.text
        k = k or self.k
        filters = filters or Filters()
        sqlite = self.index.sqlite
        allowed = sqlite.allowed_doc_ids(filters)
        if allowed is not None and not allowed:
            return Retrieval(text, [], filters=filters)
        docs = {d.doc_id: d for d in sqlite.list_documents()}
        content_terms = analysis.terms
        vector = self.index.embedder.embed_query(self.dense_query(analysis.asked_text, analysis))
        dense_hits = self.index.dense.query(vector, self.candidates, allowed)
        # Words that name a document ("Derbyshire County Council", "peer challenge") say which paper,
        # not which passage: the lexical side searches the remaining words, and the named papers
        # get a document-level boost below.
        total = max(sqlite.chunk_total(), 1)  # for the document frequencies below, read once per search
        # The papers' words for the question's plain ones are searched too ("homes": "dwellings").
        lexical_hits = sqlite.search(" ".join(with_equivalents(self._selective(content_terms, total), analysis.learned))
                                     or text,
                                     self.candidates, allowed)
        ranked = [dense_hits, lexical_hits]
        if len(content_terms) < 3 and analysis.naming_terms:
            # When the naming words are nearly the whole question ("Which planning inspector examined the …
            # Local Plan?"), a second lexical ranking searches them too: the named paper is where the answer is,
            # and the first ranking still favours the passages holding the question's own words.
            ranked.append(sqlite.search(" ".join(self._selective(content_terms + analysis.naming_terms, total)),
                                        self.candidates, allowed))

        if analysis.quoted:
            # Words the question quotes ("the 'much to do' list") are searched as written, small words and all.
            ranked.append(sqlite.search_phrases(analysis.quoted, self.candidates, allowed))

        fused: dict[str, float] = {}
        similarity = dict(dense_hits)
        lexical = dict(lexical_hits)
        for hits in ranked:
            for rank, (chunk_id, _) in enumerate(hits):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        chunks = sqlite.get_chunks(fused)
        # A chunk id can outlive its catalogue row for a moment during a re-ingest; skip those.
        fused = {cid: score for cid, score in fused.items() if cid in chunks and chunks[cid].doc_id in docs}

        # Figures and rare names are what councillors check ("£263m", "Cotmanhay"): a passage holding
        # the exact figure or a distinctive term outranks passages that only share common words.
        distinctive = analysis.figures + self._rare_terms(content_terms, total)
        # Words the question puts side by side ("internal audit") side by side in the passage: a phrase is a
        # stronger sign than the same words apart, which BM25 cannot see. Not a phrase of words in over 5% of
        # chunks each ("adult social care" in a county's papers): that says little about which passage.
        side_by_side = phrases(text, content_terms, self._uncommon(content_terms, total))
        asked_words = analysis.asked_words
        role = stem(analysis.asked_kind) if analysis.asked_kind else ""  # "which consultancy", "who managed"
        counted = analysis.wants_figure and bool(analysis.counted_noun)
        for cid in fused:
            text_lower = chunks[cid].text.lower()
            if chunks[cid].kind == "table":
                # A table whose row the question names counts as strongly as the question's words its title and
                # columns hold ("precept", "revenue variance"): rows of one directorate are in many tables.
                held = named_row_terms(chunks[cid], asked_words, content_terms)
                fused[cid] += (min(2.0, 0.5 + 0.5 * held) if held else 0.0) / self.rrf_k
            fused[cid] += sum(1.0 / self.rrf_k for term in distinctive if term in text_lower)
            fused[cid] += sum(1.0 / self.rrf_k for pattern in side_by_side if pattern.search(text_lower))
            if analysis.quoted:
                flat = flat_words(text_lower)
                fused[cid] += sum(2.0 / self.rrf_k for phrase in analysis.quoted if phrase in flat)
            if analysis.wants_name and names_someone(chunks[cid].text):
                fused[cid] += 1.0 / self.rrf_k  # "who …": a passage naming someone
                if role and any(role in line.lower() and names_someone(line) for line in chunks[cid].text.splitlines()):
                    # … by the role asked about: "Judith Hurcombe, LGA Peer Challenge Manager" for "who managed".
                    fused[cid] += 1.0 / self.rrf_k
            if counted and counts_asked(chunks[cid].text, analysis, in_figures=True):
                fused[cid] += 1.0 / self.rrf_k  # "how many KPIs …": a passage counting them ("nine indicators")
            if analysis.wants_reference and DECISION_NUMBER.search(chunks[cid].text):
                fused[cid] += 1.0 / self.rrf_k  # "what decision number …": a passage printing one
            if analysis.wants_contact and CONTACT_DETAIL.search(chunks[cid].text):
                # "Who should I contact …": a passage with a phone or an email; few passages have one, and little
                # else in them shares the question's words.
                fused[cid] += 2.0 / self.rrf_k
            # A question naming a council or paper is about that paper: weigh it like strong ranks.
            fused[cid] += scope_weight * analysis.doc_weights.get(chunks[cid].doc_id, 0.0) / self.rrf_k
            # Minutes discuss reports: for what a report says, the report is the source; for what a meeting
            # decided or how it voted, the minutes are.
            if docs[chunks[cid].doc_id].document_type == "Minutes":
                fused[cid] += (1.0 if analysis.asks_record else -1.0) / self.rrf_k

        order = sorted(fused, key=lambda cid: -fused[cid])
        passages = [
            Passage(chunks[cid], docs[chunks[cid].doc_id], fused[cid], similarity.get(cid, 0.0), lexical.get(cid, 0.0))
            for cid in order
        ]
        passages = self.reranker.rerank(text, passages)[:k]
        if self.neighbour_expansion:
            passages = passages + self._neighbours(passages, {p.chunk.chunk_id for p in passages})
        best = max((s for _, s in dense_hits), default=0.0)
        coverage, missing, weights = self._coverage(content_terms, passages, total)
        return Retrieval(text, passages, best, coverage, missing, weights, content_terms, filters)

    def _selective(self, terms: list[str], total: int) -> list[str]:
        """Leave out terms found in over 5% of chunks (keeping the three rarest): BM25 gives them little
        weight anyway, and matching them makes SQLite score a large part of the index."""
        by_rarity = sorted(terms, key=lambda t: self._df(t, total))
        uncommon = self._uncommon(terms, total)
        return [t for i, t in enumerate(by_rarity) if i < 3 or t in uncommon]

    def _uncommon(self, terms: list[str], total: int) -> set[str]:
        """The terms in at most COMMON_SHARE of the `total` chunks."""
        return {t for t in terms if self._df(t, total) <= total * COMMON_SHARE}

    def dense_query(self, question: str, analysis: QuestionAnalysis) -> str:
        """The question without the words that only name a paper: with them, title pages and
        introductions ("this report summarises the peer team's findings") look closest to everything. Kept
        whole when it has one word of its own, unless that word is the topic of a view asked for ("what did the
        2017 peer team say about Derby City's reserves?")."""
        if len(analysis.terms) < 2 and not (analysis.asks_view and analysis.topic_terms):
            return question
        naming = set(analysis.naming_terms)
        kept = [w for w in question.split() if w.strip("?,.'’s").lower() not in naming]
        return " ".join(kept) if len(kept) >= 3 else question

    def _rare_terms(self, terms: list[str], total: int) -> list[str]:
        """Terms found in only a few chunks (at most 1%, or 3): names, places, programmes."""
        limit = max(3, total // 100)
        return [stem(t) for t in terms if 0 < self._df(t, total) <= limit and not t.isdigit()]

    def _neighbours(self, hits: list[Passage], seen: set[str]) -> list[Passage]:
        """The next chunk of the same section for the best two hits, for answers that straddle a chunk boundary;
        for any hit that is a table's caption, the table's rows (the caption holds the words, the rows the figures:
        "Table 6.1 – Proposed Council Tax Increases by Band", then "D 9/9 1,610.82 1,691.19 …"); and for any hit that
        is a question put, its written answer (`_answer_to`)."""
        extra: list[Passage] = []
        for i, hit in enumerate(hits):
            following = self.index.sqlite.chunk_at(hit.chunk.doc_id, hit.chunk.seq + 1)
            nxt = _continuation(hit, following)
            if nxt is not None and (i < 2 or _table_under(nxt.chunk, hit.chunk)) and nxt.chunk.chunk_id not in seen:
                seen.add(nxt.chunk.chunk_id)
                extra.append(nxt)
            for reply in self._answer_to(hit, following):
                if reply.chunk.chunk_id not in seen:
                    seen.add(reply.chunk.chunk_id)
                    extra.append(reply)
        return extra

    def _answer_to(self, passage: Passage, following: Chunk | None) -> list[Passage]:
        """The written answer to a question put, when `passage` is that question: the chunks under the "Answer"
        heading that follows it (`following` is the chunk after it; a council's questions paper prints each member's
        question, then the Cabinet Member's answer). A question reworded by the asker finds the member's question;
        what it asks is in the answer. At most ANSWER_CHUNKS of it."""
        if ANSWER_HEADING.match(last_heading(passage.chunk.section)):
            return []
        out: list[Passage] = []
        nxt = following
        while nxt is not None and len(out) < ANSWER_CHUNKS and ANSWER_HEADING.match(last_heading(nxt.section)):
            out.append(Passage(nxt, passage.doc, passage.score * 0.5, neighbour_of=passage.chunk.chunk_id))
            nxt = self.index.sqlite.chunk_at(passage.chunk.doc_id, nxt.seq + 1)
        return out

    def _coverage(self, terms: list[str], passages: list[Passage], total_chunks: int
                  ) -> tuple[float, list[str], dict[str, float]]:
        """IDF-weighted share of the content terms held by the best single passage (with the chunk
        that follows it), and the terms absent from the whole index (of `total_chunks` chunks)."""
        if not terms:
            return 1.0, [], {}
        weights: dict[str, float] = {}
        missing: list[str] = []
        for term in terms:
            df = self._df(term, total_chunks)
            weights[term] = math.log((total_chunks + 1) / (df + 0.5))
            if df == 0:
                missing.append(term)
        total = sum(weights.values()) or 1.0
        best = 0.0
        for passage in passages:
            text = (passage.chunk.section + " " + passage.chunk.text).lower()
            best = max(best, sum(w for t, w in weights.items() if stem(t) in text) / total)
        return best, missing, weights

    def _df(self, term: str, total_chunks: int) -> int:
        key = (term, total_chunks)
        if key not in self.df_cache:
            self.df_cache[key] = self.index.sqlite.document_frequency(term)
        return self.df_cache[key]


def _continuation(passage: Passage, following: Chunk | None) -> Passage | None:
    """The chunk after `passage` (`following`) as a passage, when it is in the same section (lists and answers run
    on) or is the table under it (a table's caption and column headings, then its rows)."""
    if following is None or not (following.section == passage.chunk.section or _table_under(following, passage.chunk)):
        return None
    return Passage(following, passage.doc, passage.score * 0.5, neighbour_of=passage.chunk.chunk_id)


def _table_under(chunk: Chunk, above: Chunk) -> bool:
    """Whether `chunk` is the table whose caption or heading `above` is (its section runs on from above's)."""
    return chunk.kind == "table" and above.kind != "table" and chunk.section.startswith(above.section + " > ")


def named_row_terms(chunk: Chunk, asked_words: set[str], terms: list[str]) -> int:
    """How many of the question's terms a table's title and columns hold, when the question names one of its rows
    ("Maidstone", "grade KS R", "aged 18 to 20": every word of the row's label is in the question); 0 when it
    names none. BM25 sees neither: the label is one word among many figures, the header sits in the section."""
    header = chunk.section.lower()
    best = 0
    for line in chunk.text.splitlines():
        if names_row(line, asked_words):
            label_words = set(words(row_label(line).lower()))
            best = max(best, sum(1 for t in terms if t not in label_words and stem(t) in header))
    return best
