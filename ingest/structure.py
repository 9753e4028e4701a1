"""A paper's structure as the index keeps it: the section tree and the list items, located in chunks.

Questions that are not single facts need more than the five best passages: "list the key
recommendations" wants the whole list, in order, with its numbering; "summarise the paper" walks its
sections. This reads both from the rendered blocks the chunker made (ingest.lists labelled the list
items), so every section and item points at the chunks and offsets that hold its words, and
citations to them can be checked like any other.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from common.text import split_sentences
from common.types import BlockKind, Chunk, ListItem, Section

if TYPE_CHECKING:
    from ingest.chunking import RenderedBlock


def read_structure(doc_id: str, full: str, units: Sequence[RenderedBlock], chunks: Sequence[Chunk]
                   ) -> tuple[list[Section], list[ListItem]]:
    return _sections(doc_id, units, chunks), _items(doc_id, full, units, chunks)


def _chunk_span(chunks: Sequence[Chunk], start: int, end: int) -> tuple[int, int]:
    """First and last chunk seq overlapping [start, end)."""
    seqs = [c.seq for c in chunks if c.char_start < end and c.char_end > start]
    return (seqs[0], seqs[-1]) if seqs else (-1, -1)


def _sections(doc_id: str, units: Sequence[RenderedBlock], chunks: Sequence[Chunk]) -> list[Section]:
    sections: list[Section] = []
    if not units or not chunks:
        return sections
    heads = [i for i, u in enumerate(units) if u.heading]
    first = heads[0] if heads else len(units)
    if first > 0:
        # Text before the first heading (a title page, or a paper without headings).
        start, end = units[0].start, units[first - 1].end
        sections.append(_section(doc_id, 0, "", "", 0, units[:first], _chunk_span(chunks, start, end)))
    for i in heads:
        head = units[i]
        j = i + 1
        while j < len(units) and not (units[j].heading and units[j].level <= head.level):
            j += 1
        span = units[i:j]
        heading = head.section.rsplit(" > ", 1)[-1]
        sections.append(_section(doc_id, len(sections), head.section, heading, head.level, span,
                                 _chunk_span(chunks, head.start, span[-1].end)))
    return [s for s in sections if s.seq_start >= 0]


def _section(doc_id: str, ord_: int, path: str, heading: str, level: int, span: Sequence[RenderedBlock],
             seqs: tuple[int, int]) -> Section:
    return Section(doc_id, ord_, path, heading, level, span[0].page, max(u.last_page or u.page for u in span),
                   seqs[0], seqs[1])


def _items(doc_id: str, full: str, units: Sequence[RenderedBlock], chunks: Sequence[Chunk]) -> list[ListItem]:
    items: list[ListItem] = []
    starts = [c.char_start for c in chunks]
    lead_ins: dict[int, str] = {}
    last_of_list: dict[int, int] = {}
    for i, unit in enumerate(units):
        if unit.block == BlockKind.LIST_ITEM and unit.list_no >= 0:
            last_of_list[unit.list_no] = i
            if unit.list_no not in lead_ins:
                lead_ins[unit.list_no] = _lead_in(full, units, i)
    parents: dict[int, list[int]] = {}  # list_no -> ord of the last item at each depth
    for i, unit in enumerate(units):
        if unit.list_no < 0 or i > last_of_list.get(unit.list_no, -1):
            continue  # not in a list, or prose after the list's last item
        is_item = unit.block == BlockKind.LIST_ITEM
        chain = parents.setdefault(unit.list_no, [])
        if is_item:
            depth = unit.depth
            label = unit.label
        else:  # a paragraph continuing the top-level item before it
            depth, label = 1, ""
        depth = min(depth, len(chain))
        parent = chain[depth - 1] if depth > 0 else -1
        k = max(bisect.bisect_right(starts, unit.start) - 1, 0)
        chunk = chunks[k]
        printed = full[unit.start:unit.end]
        skip = len(label) if label and printed.startswith(label) else 0
        while skip < len(printed) and printed[skip] == " ":
            skip += 1
        start = unit.start + skip - chunk.char_start
        end = min(unit.end, chunk.char_end) - chunk.char_start
        if end <= start:
            continue
        del chain[depth:]
        chain.append(len(items))
        items.append(ListItem(doc_id, len(items), unit.list_no, unit.section, label, depth, parent,
                              chunk.text[start:end], chunk.page_at(start), chunk.chunk_id, start, end,
                              lead_ins.get(unit.list_no, "")))
    return items


def _lead_in(full: str, units: Sequence[RenderedBlock], first: int) -> str:
    """The sentence that introduces the list starting at `units[first]` ("… are the key recommendations:"),
    with the sentence before it when it only points ("These include:", "These are the areas …:")."""
    if first == 0:
        return ""
    before = units[first - 1]
    if before.heading or before.block == BlockKind.LIST_ITEM:
        return ""
    text = full[before.start:before.end]
    if not text.rstrip().endswith(":"):
        return ""
    spans = split_sentences(text)
    if not spans:
        return ""
    start = spans[-1][0]
    last = text[start:spans[-1][1]]
    if len(spans) > 1 and (len(last.split()) < 6 or re.match(r"(?:these|this|they|those|it)\b", last, re.IGNORECASE)):
        start = spans[-2][0]
    return text[start:spans[-1][1]]
