"""Turn raw text lines (with font hints) into structural Blocks.

The PDF reader gives us lines in reading order with the font size, a bold fraction and a
vertical position. From that we drop running headers/footers, normalise glyphs, rebuild
paragraphs from wrapped lines and decide which lines are headings, list items or table rows.
All rules work on one document at a time and are linear in the number of lines.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from common.types import Block, BlockKind


@dataclass(slots=True)
class RawLine:
    text: str
    size: float = 0.0  # effective font size in points; 0 when unknown (plain text sources)
    bold: float = 0.0  # fraction of the line's visible characters set in a bold font
    y: float | None = None  # baseline position on the page, only used for gap sizes
    # A table row found from the page layout (PDFs): each column's text, as the lines printed in
    # that cell ([] for an empty cell). `text` is then the cells' text run together.
    cells: list[list[str]] | None = None
    table: int = 0  # which table of the document the row belongs to (1, 2, ...); kept across a page break
    header: bool = False  # the row names the table's columns
    numeric: bool = False  # a table of figures: rows stay "label 1.0 2.0", the header row goes above them


# Glyphs used as list bullets. "\x7f" is what pypdf yields for ReportLab's bullet, the
# private-use ones come from Symbol/Wingdings fonts in Word exports.
BULLET_CHARS = "•\x7f\uf0b7\uf0a7\uf076\uf0d8\uf0fc▪●◦○■□➢►‣⁃∙·*"
_BULLET_RE = re.compile(rf"^\s*(?:[{re.escape(BULLET_CHARS)}]+|[-–—](?=\s))\s*")
_WS_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_PAGE_NO_RE = re.compile(
    r"^(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$|^page\s+[ivxlc]+$", re.IGNORECASE
)
# "4.4 Title", "2. Title", "5 Title", and Kent's "3a | Title".
_NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})([a-z]?)(\.?)\s+(?:[|:–]\s+)?(\S.*)$")
_NUM_CELL_RE = re.compile(
    r"^[(\[]?[-–+−]?[£$€]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:%|m|k|bn|p)?[)\]]?,?$|^\d{4}[-/]\d{2}$|^[-–]$"
)
_MONTH_RE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?:;][\"'”’)\]]*$")

# Left parts that form real hyphenated compounds, so "multi-\nagency" keeps its hyphen.
_COMPOUND_PREFIXES = frozenset(
    "self multi non co cross pre post anti semi ex sub well long short full part mid socio "
    "high low one two three four five year half cost place market right evidence data".split()
)
# Right parts that are only word endings, so "organi-\nsation" loses its hyphen.
_SUFFIX_FRAGMENTS = frozenset(
    "tion tions sion sions ation ations isation ization sation zation ment ments ing ings ity "
    "ities ness ance ances ence ences ised ized ise ize ises izes ally ly ed er ers es al ive "
    "ives ous ible able ably ful less ship ure ures ory ary ular ular ical ically ism ist ists".split()
)


def normalize_text(text: str) -> str:
    """NFKC (ligatures, full-width forms) and single spaces; bullets are handled separately."""
    text = unicodedata.normalize("NFKC", text)
    return _WS_RE.sub(" ", text).strip()


def split_bullet(text: str) -> tuple[bool, str]:
    """(True, rest) when the line starts with a bullet glyph or a dash used as one."""
    match = _BULLET_RE.match(text)
    if not match or match.end() == 0:
        return False, text
    rest = text[match.end() :].strip()
    return bool(rest), rest or text


def is_figure(text: str) -> bool:
    """A table cell holding a figure: every token a number, amount, percentage or dash ("£1,200", "+6.0%", "–")."""
    tokens = text.split()
    return bool(tokens) and all(_NUM_CELL_RE.match(t) for t in tokens) and any(ch.isdigit() for ch in text) \
        or text.strip() in ("-", "–", "—")


def is_table_row(text: str) -> bool:
    """Several numeric cells and little prose: a row of figures whose label must stay with them."""
    tokens = text.split()
    if len(tokens) < 3 or text.endswith("."):
        return False
    cells = tokens[1:] if _NUMBERED_RE.match(text) else tokens  # "2.1 Progress on Phase 1"
    numeric = sum(1 for t in cells if _NUM_CELL_RE.match(t) and t not in "-–")
    if numeric < 2:
        return False
    if _MONTH_RE.search(text) and numeric <= 3:
        return False  # a date line such as "13 June 2017" is not a table row
    dashes = sum(1 for t in cells if t in ("-", "–"))  # empty cells, once it is clearly a table
    share = (numeric + dashes) / len(tokens)
    if _prose_run(tokens) >= 4 and share < 0.5:
        # "the council managed budget reductions of £263m, including £34m in" is a sentence with
        # figures in it, not a row of cells: rows have short labels between their numbers.
        return False
    return share >= 0.4 or (numeric >= 3 and share >= 0.25)


def _prose_run(tokens: list[str]) -> int:
    """Longest run of consecutive lower-case words."""
    best = run = 0
    for token in tokens:
        run = run + 1 if token.isalpha() and token.islower() else 0
        best = max(best, run)
    return best


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NO_RE.match(text.strip()))


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


def join_lines(left: str, right: str, words: set[str], compounds: set[str]) -> str:
    """Join a wrapped line to its paragraph, re-joining a word hyphenated at the break."""
    if left.endswith("\u00ad"):
        return left[:-1] + right
    match = re.search(r"([A-Za-z]+)-$", left)
    first = re.match(r"[a-z]+", right)
    if match and first:
        head, tail = match.group(1).lower(), first.group(0)
        if head in _COMPOUND_PREFIXES or f"{head}-{tail}" in compounds:
            return left + right
        if tail in _SUFFIX_FRAGMENTS or (head + tail) in words:
            return left[:-1] + right
        return left + right  # most line-end hyphens in council papers are real compounds
    return f"{left} {right}"


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


def _table_headers(pages: list[list[Block]], headed: set[int] | None = None) -> None:
    """A bold unnumbered line right above table rows is the table's header row, not a section.

    Rows of a table read from the page layout with its header row (`headed`, block ids) have their
    header already: the line above them is the table's caption and stays what it is.
    """
    headed = headed or set()
    flat = [b for blocks in pages for b in blocks]
    for i in range(len(flat) - 2, -1, -1):
        block, nxt = flat[i], flat[i + 1]
        if block.kind == BlockKind.HEADING and nxt.kind == BlockKind.TABLE_ROW and id(nxt) not in headed \
                and not _NUMBERED_RE.match(block.text):
            block.kind, block.level = BlockKind.TABLE_ROW, 0


_SHORT_WORDS = frozenset("an as at be by do go he if in is it me my no of on or so to up us we".split())


class _Tables:
    """Text of table rows read from the page layout (`RawLine.cells`).

    Rows of a text table name each cell after its column: "Service Area: Libraries | Status: Review
    completed". Rows of figures keep the form "Adult Social Care & Health 586.1 621.6 +35.4" (label,
    then one figure per column) and their header row becomes a row of its own above them, "2024-25
    Budget | 2025-26 Budget | Change"; the chunker repeats it with every chunk of the table.
    """

    def __init__(self, words: set[str], compounds: set[str]) -> None:
        self.words, self.compounds = words, compounds
        self.names: dict[int, list[str]] = {}  # table -> its column names
        self.headed: set[int] = set()  # ids of the blocks made here for a table with a header row

    def cell_text(self, parts: list[str]) -> str:
        """A cell's printed lines joined like a paragraph's; a word broken in a narrow column
        ("Revenu" / "e") is made whole again."""
        text, previous = "", ""
        for part in parts:
            part = normalize_text(part)
            if not part or part == previous:  # a line printed twice over itself
                continue
            previous = part
            if not text:
                text = part
                continue
            tail = re.search(r"([A-Za-z]+)$", text)
            head = re.match(r"([a-z]+)\b", part)
            whole = tail and head and (tail.group(1) + head.group(1)).lower() in self.words
            lone = head and part == head.group(1) and (len(part) == 1 or len(part) == 2 and part not in _SHORT_WORDS)
            if tail and head and (lone or whole and tail.group(1).lower() not in self.words):
                text += part
            else:
                text = join_lines(text, part, self.words, self.compounds)
        return text

    def row_text(self, line: RawLine) -> str:
        cells = [self.cell_text(parts) for parts in line.cells or []]
        if line.header:
            self.names[line.table] = cells
            # A text table names the columns in every row; a table of figures shows its header row.
            return " | ".join(c for c in cells if c) if line.numeric else ""
        if line.numeric:
            return " ".join(c for c in cells if c)
        names = self.names.get(line.table, [])
        parts = []
        for i, cell in enumerate(cells):
            if not cell:
                continue
            name = names[i].rstrip(": ") if i < len(names) else ""
            parts.append(f"{name}: {cell}" if name and name != cell else cell)
        return " | ".join(parts)
