"""Quotes and citation checks.

A citation is only shown when its quote occurs verbatim (whitespace aside) in the cited chunk, and the
page it gives is the page on which that quote starts. (Whether a generated sentence is supported by
a passage is `assistant.attribution`'s question.)
"""

from __future__ import annotations

import re

from assistant.types import Citation, Passage
from common.text import nfkc, normalise_ws
from common.types import Chunk


def locate(quote: str, chunk_text: str) -> int:
    """Offset in `chunk_text` where `quote` starts (whitespace-insensitive), or -1."""
    words = normalise_ws(quote).split(" ")
    if not words or not words[0]:
        return -1
    pattern = r"\s+".join(re.escape(w) for w in words)
    match = re.search(pattern, nfkc(chunk_text))
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
    """Consecutive citations of the same page and section of the same paper, grouped (a list answer cites one page
    often). A run is labelled by its first citation, so a new section starts a new run: a summary's quotes from
    "Thematic Area 1" on the page where "Background" ends are not listed under "Background"."""
    runs: list[list[Citation]] = []
    for citation in citations:
        last = runs[-1][-1] if runs else None
        if last and last.doc_id == citation.doc_id and last.page == citation.page and citation.n == last.n + 1 \
                and last.section == citation.section:
            runs[-1].append(citation)
        else:
            runs.append([citation])
    return runs

