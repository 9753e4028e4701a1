"""Turn raw text lines (with font hints) into structural Blocks.

The PDF reader gives us lines in reading order with the font size, a bold fraction and a
vertical position. From that we drop running headers/footers, normalise glyphs, rebuild
paragraphs from wrapped lines and decide which lines are headings, list items or table rows.
All rules work on one document at a time and are linear in the number of lines.

This module holds the page pass (`clean_pages`) with running headers, paragraphs and headings;
the line record and one-line text tests are in ingest/rawlines.py, table-row text in
ingest/tabletext.py. Their public names stay importable from here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from common.types import Block, BlockKind
from ingest.rawlines import (
    _NUMBERED_RE,
    BULLET_CHARS,
    RawLine,
    is_page_number,
    join_lines,
    normalize_text,
    split_bullet,
)
from ingest.tabletext import _table_headers, _Tables, is_figure, is_table_row

__all__ = [
    "BULLET_CHARS",
    "RawLine",
    "clean_pages",
    "heading_level",
    "is_figure",
    "is_page_number",
    "is_table_row",
    "join_lines",
    "normalize_text",
    "split_bullet",
    "strip_running_lines",
]


_SENTENCE_END_RE = re.compile(r"[.!?:;][\"'”’)\]]*$")


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def strip_running_lines(
    pages: list[list[RawLine]], zone: int = 2, removed: list[str] | None = None
) -> list[list[RawLine]]:
    """Drop page numbers and lines repeated at the top or bottom of many pages (digits masked).

    The first text of each repeated line is appended to `removed` (metadata uses it).
    """
    counts: Counter[str] = Counter()
    for lines in pages:
        visible = [ln for ln in lines if ln.text]
        edge = visible[:zone] + visible[-zone:]
        counts.update({_mask(ln.text) for ln in edge})
    threshold = max(2, math.ceil(len(pages) * 0.5))
    repeated = {key for key, n in counts.items() if n >= threshold and len(pages) >= 2}
    result = []
    seen: set[str] = set()
    for lines in pages:
        visible_idx = [i for i, ln in enumerate(lines) if ln.text]
        edge_idx = set(visible_idx[:zone] + visible_idx[-zone:])
        kept = []
        for i, ln in enumerate(lines):
            key = _mask(ln.text)
            # A table's header row repeated on every page it runs over is not a running header.
            if not ln.header and i in edge_idx and (is_page_number(ln.text) or key in repeated):
                if removed is not None and key in repeated and key not in seen and not is_page_number(ln.text):
                    seen.add(key)
                    removed.append(ln.text)
                continue
            kept.append(ln)
        result.append(kept)
    return result


def _prepare(pages: list[list[RawLine]]) -> list[list[RawLine]]:
    """Normalise text; blank lines stay (as "") because they separate paragraphs."""
    out = []
    for lines in pages:
        prepared: list[RawLine] = []
        for ln in lines:
            text = normalize_text(ln.text)
            if not text and prepared and not prepared[-1].text:
                continue
            prepared.append(RawLine(text, ln.size, ln.bold, ln.y, ln.cells, ln.table, ln.header, ln.numeric))
        out.append(prepared)
    return out


def _body_size(pages: list[list[RawLine]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            if ln.size > 0 and ln.text:
                sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _typical_length(lines: list[RawLine], fallback: float) -> float:
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text) > 25)
    if len(lengths) < 5:
        return fallback
    return float(lengths[int(len(lengths) * 0.85)])


def _line_spacing(lines: list[RawLine], body: float) -> float:
    gaps = []
    for prev, cur in zip(lines, lines[1:], strict=False):
        if prev.y is not None and cur.y is not None and prev.text and cur.text:
            gap = abs(prev.y - cur.y)
            if gap > 0.5 and abs(prev.size - cur.size) < 0.6:
                gaps.append(gap)
    if len(gaps) < 3:
        return 0.0
    gaps.sort()
    return gaps[len(gaps) // 2]


def _vocabulary(pages: list[list[RawLine]]) -> tuple[set[str], set[str]]:
    words: set[str] = set()
    compounds: set[str] = set()
    for lines in pages:
        for ln in lines:
            low = ln.text.lower()
            words.update(re.findall(r"[a-z]+", low))
            compounds.update(re.findall(r"[a-z]+-[a-z]+", low))
    return words, compounds


@dataclass(slots=True)
class _Style:
    body: float
    has_fonts: bool


def _styled(ln: RawLine, style: _Style) -> bool:
    if not style.has_fonts or ln.size <= 0:
        return False
    return ln.bold >= 0.8 or ln.size >= style.body * 1.15


def heading_level(text: str, styled: bool, typical_len: float, has_fonts: bool) -> int | None:
    """Section depth when `text` reads as a heading, else None (0 never returned)."""
    if len(text) > 100 or text.endswith((".", ",", ";")) or not re.search(r"[A-Za-z]", text):
        return None
    if text[0].islower():
        return None
    numbered = _NUMBERED_RE.match(text)
    if numbered:
        number, letter, dot, rest = numbered.groups()
        if int(number.split(".")[0]) == 0 or not rest[0].isupper() and not rest[0].isdigit():
            return None
        if not dot and "." not in number and not styled:
            return None  # "2020 was ..." or "5 councils ..." without bold is prose
        depth = number.count(".") + 1 + (1 if letter else 0)
        if styled:
            return depth
        short = len(text) <= 60 and len(text.split()) <= 9 and not text.endswith(":")
        return depth if short and not has_fonts and len(text) < typical_len * 0.7 else None
    if styled and len(text.split()) <= 14 and not text.endswith(":"):
        return 1
    return None


def _mid_sentence(prev: RawLine, cur: RawLine) -> bool:
    """A sentence cut by a line break: no end punctuation before, a lower-case word after."""
    return not _SENTENCE_END_RE.search(prev.text) and cur.text[:1].islower()


def _continues(prev: RawLine, cur: RawLine, typical_len: float, spacing: float) -> bool:
    """Whether `cur` carries on the paragraph whose last line is `prev`."""
    if _mid_sentence(prev, cur):
        return True  # even across an extra gap: layout tools sometimes split one paragraph
    if spacing and prev.y is not None and cur.y is not None and abs(prev.y - cur.y) > spacing * 1.4:
        return False
    ends_sentence = bool(_SENTENCE_END_RE.search(prev.text))
    return not (ends_sentence and len(prev.text) < typical_len * 0.8)


class _PageBuilder:
    """Accumulates lines of one page into Blocks."""

    def __init__(self, words: set[str], compounds: set[str]) -> None:
        self.blocks: list[Block] = []
        self.words, self.compounds = words, compounds
        self.open: Block | None = None
        self.last_line: RawLine | None = None
        self.last_heading_line: RawLine | None = None
        self.pending_blank = False  # a blank line was seen since the last text line

    def close(self) -> None:
        self.open = None
        self.last_heading_line = None

    def emit(self, kind: BlockKind, text: str, line: RawLine, level: int = 0) -> None:
        self.close()
        self.pending_blank = False
        block = Block(kind, text, level)
        self.blocks.append(block)
        if kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            self.open = block
        self.last_line = line

    def extend(self, line: RawLine) -> None:
        assert self.open is not None
        self.open.text = join_lines(self.open.text, line.text, self.words, self.compounds)
        self.last_line = line


def _dash_goes_on(text: str, rest: str, builder: _PageBuilder) -> bool:
    """A line opening with a dash and a word in lower case, right under a paragraph's line that does not end a
    sentence, goes on with that sentence ("… (subgrade 3a) land (BMV)" / "– poorer quality land must instead be
    considered …"): the dash is the sentence's, not a bullet's."""
    last = builder.last_line
    return text.lstrip()[:1] in "–—-" and rest[:1].islower() and not builder.pending_blank \
        and builder.open is not None and builder.open.kind == BlockKind.PARAGRAPH \
        and last is not None and not last.text.rstrip().endswith((".", ":", ";", "!", "?"))


def _merges_with_heading(prev: RawLine | None, ln: RawLine, blocks: list[Block]) -> bool:
    """A heading wrapped over two lines: same style, tight spacing, second part not numbered."""
    if prev is None or not blocks or blocks[-1].kind != BlockKind.HEADING:
        return False
    if abs(prev.size - ln.size) > 0.5 or (prev.bold >= 0.8) != (ln.bold >= 0.8):
        return False
    if prev.y is None or ln.y is None or abs(prev.y - ln.y) > ln.size * 1.6:
        return False
    return not _NUMBERED_RE.match(ln.text) and len(blocks[-1].text) + len(ln.text) <= 160


def clean_pages(raw_pages: list[list[RawLine]], running: list[str] | None = None) -> list[list[Block]]:
    """Blocks for each page, in page order; removed running header/footer texts go to `running`."""
    pages = strip_running_lines(_prepare(raw_pages), removed=running)
    body = _body_size(pages)
    style = _Style(body, any(ln.size > 0 and ln.size != body or ln.bold > 0 for p in pages for ln in p))
    words, compounds = _vocabulary(pages)
    doc_typical = _typical_length([ln for p in pages for ln in p], 80.0)
    numbered_level, numbered_size = 0, 0.0
    tables = _Tables(_vocabulary([[ln for ln in p if ln.cells is None] for p in pages])[0], compounds)
    result = []
    for lines in pages:
        typical = _typical_length(lines, doc_typical)
        spacing = _line_spacing(lines, body)
        builder = _PageBuilder(words, compounds)
        for ln in lines:
            if ln.cells is not None:
                text = tables.row_text(ln)
                if text:
                    builder.emit(BlockKind.TABLE_ROW, text, ln)
                    if ln.table in tables.names:
                        tables.headed.add(id(builder.blocks[-1]))
                continue
            if not ln.text:
                builder.pending_blank = True
                continue
            is_bullet, rest = split_bullet(ln.text)
            styled = _styled(ln, style)
            if (
                styled
                and builder.last_heading_line
                and _merges_with_heading(builder.last_heading_line, ln, builder.blocks)
            ):
                builder.blocks[-1].text += " " + ln.text
                builder.last_heading_line = ln
                continue
            if is_bullet and _dash_goes_on(ln.text, rest, builder):
                builder.extend(ln)  # "… land (BMV)" / "– poorer quality land must instead …": the sentence's dash
                continue
            if is_bullet:
                builder.emit(BlockKind.LIST_ITEM, rest, ln)
                continue
            if is_table_row(ln.text):
                builder.emit(BlockKind.TABLE_ROW, ln.text, ln)
                continue
            level = heading_level(ln.text, styled, typical, style.has_fonts)
            if level is not None:
                if _NUMBERED_RE.match(ln.text):
                    numbered_level, numbered_size = level, ln.size
                elif styled and not ln.text.isupper() and numbered_level and ln.size <= numbered_size + 0.5:
                    level = numbered_level + 1  # "The peer team" under "3. Summary of ..."
                builder.emit(BlockKind.HEADING, ln.text, ln, level)
                builder.last_heading_line = ln
                continue
            prev = builder.last_line
            blank, builder.pending_blank = builder.pending_blank, False
            if (
                builder.open is not None
                and prev is not None
                and (_mid_sentence(prev, ln) if blank else _continues(prev, ln, typical, spacing))
            ):
                builder.extend(ln)
            else:
                builder.emit(BlockKind.PARAGRAPH, ln.text, ln)
        result.append(builder.blocks)
    _table_headers(result, tables.headed)
    return result
