"""Quotes and citation checks.

A citation is only shown when its quote occurs verbatim (whitespace aside) in the cited chunk, and the
page it gives is the page on which that quote starts. A generated claim counts as supported by a
passage only when the passage holds its figures, in the same context, and a fair share of its words.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.types import Citation, Passage
from common.text import figures_in, normalise_ws, quantities, query_terms, split_sentences, stem
from common.types import Chunk


def locate(quote: str, chunk_text: str) -> int:
    """Offset in `chunk_text` where `quote` starts (whitespace-insensitive), or -1."""
    words = normalise_ws(quote).split(" ")
    if not words or not words[0]:
        return -1
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, unicodedata.normalize("NFKC", chunk_text))
    return match.start() if match else -1


def make_citation(n: int, passage: Passage, start: int, end: int) -> Citation:
    chunk = passage.chunk
    quote = normalise_ws(chunk.text[start:end])
    return Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, title=passage.doc.title,
                    page=chunk.page_at(start), section=chunk.section, quote=quote)


def verify(citation: Citation, chunk: Chunk | None) -> bool:
    """True when the quote is in the cited chunk, on the cited page, in the cited document."""
    if chunk is None or chunk.chunk_id != citation.chunk_id or chunk.doc_id != citation.doc_id:
        return False
    if not citation.quote.strip():
        return False
    offset = locate(citation.quote, chunk.text)
    return offset >= 0 and chunk.page_at(offset) == citation.page


def keep_verified(citations: list[Citation], passages: list[Passage]) -> list[Citation]:
    by_id = {p.chunk.chunk_id: p.chunk for p in passages}
    return [c for c in citations if verify(c, by_id.get(c.chunk_id))]


def citation_runs(citations: list[Citation]) -> list[list[Citation]]:
    """Consecutive citations of the same page of the same paper, grouped (a list answer cites one page often)."""
    runs: list[list[Citation]] = []
    for citation in citations:
        last = runs[-1][-1] if runs else None
        if last and last.doc_id == citation.doc_id and last.page == citation.page and citation.n == last.n + 1:
            runs[-1].append(citation)
        else:
            runs.append([citation])
    return runs


def supports(claim: str, passage: str) -> bool:
    """The passage holds every figure of the claim and a fair share of its content words."""
    lower = passage.lower()
    if any(f not in lower for f in figures_in(claim)):
        return False
    terms = query_terms(claim)
    if terms and sum(1 for t in terms if stem(t) in lower) / len(terms) < 0.4:
        return False
    return all(_figure_in_context(figure, claim, passage) for figure in quantities(claim))


def _figure_in_context(figure: str, claim: str, passage: str, near: int = 6, far: int = 8) -> bool:
    """A figure must say the same thing in the passage as in the claim: the claim's words next to it
    must mostly stand next to it in the passage too. "90% of residents were satisfied with the council"
    fails against "a 90% satisfaction score with their area …, however satisfaction with the council
    at 59%", although both the figure and the words occur in that sentence."""
    claim_context = _context_terms(claim, figure, near)
    if not claim_context:
        return True
    windows = [_context_terms(passage, figure, far, occurrence=i) for i in range(passage.lower().count(figure))]
    return any(
        sum(1 for t in claim_context if any(t in w for w in window)) / len(claim_context) >= 0.6
        for window in windows
    )


def _context_terms(text: str, figure: str, width: int, occurrence: int = 0) -> set[str]:
    words = text.lower().split()
    positions = [i for i, w in enumerate(words) if figure in w]
    if len(positions) <= occurrence:
        return set()
    at = positions[occurrence]
    window = " ".join(words[max(0, at - width):at] + words[at + 1:at + 1 + width])
    return {stem(t) for t in query_terms(window) if not any(ch.isdigit() for ch in t)}


def best_sentence(claim: str, passage: str) -> tuple[int, int]:
    terms = {stem(t) for t in query_terms(claim)} | set(figures_in(claim))
    best, best_score = (0, len(passage)), -1.0
    for start, end in split_sentences(passage):
        lower = passage[start:end].lower()
        score = sum(1 for t in terms if t in lower) / (1 + 0.01 * (end - start))
        if score > best_score:
            best, best_score = (start, end), score
    return best
