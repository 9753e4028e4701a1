"""Sentences, quotes and citation checks.

A citation is only shown when its quote occurs verbatim (whitespace aside) in the cited chunk, and the
page it gives is the page on which that quote starts.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.types import Citation, Passage
from ingest.types import Chunk

# A sentence ends at . ! ? followed by space + capital/digit/quote/bullet, or at a line break between
# blocks. Abbreviations and figures such as "e.g." or "£1.5m" do not end one.
_ABBREVIATIONS = {"e.g", "i.e", "etc", "no", "mr", "mrs", "ms", "dr", "cllr", "st", "para", "vs", "approx", "inc",
                  "cf", "p", "pp", "fig"}
# Chunk text holds one block (paragraph, heading, list item, table row) per line, so a newline always
# ends a sentence.
_END = re.compile(r"(?<=[.!?])[\"'”’)]?[ \t]+(?=[A-Z0-9“\"'(£•])|[ \t]*\n\s*")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        before = text[start:match.start()].rstrip()
        last_word = re.findall(r"(\w+)\.$", before)
        if last_word and last_word[0].lower() in _ABBREVIATIONS:
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        segment = text[s:e]
        lead = len(segment) - len(segment.lstrip())
        trail = len(segment.rstrip())
        if trail > lead:
            out.append((s + lead, s + trail))
    return out


def normalise_ws(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


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
