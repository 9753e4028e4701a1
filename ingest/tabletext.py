"""Table rows among the cleaned lines: which lines are rows of figures, and the text of rows read
from the page layout.

Kept apart from paragraph and heading handling (ingest/cleaning.py): `is_figure`/`is_table_row`
are also used by the PDF layout modules and the chunker, and `_Tables` turns a row's cells
(`RawLine.cells`) into its block text, naming each cell after its column.
"""

from __future__ import annotations

import re

from common.types import Block, BlockKind
from ingest.rawlines import _NUMBERED_RE, RawLine, join_lines, normalize_text

_NUM_CELL_RE = re.compile(
    r"^[(\[]?[-–+−]?[£$€]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:%|m|k|bn|p)?[)\]]?,?$|^\d{4}[-/]\d{2}$|^[-–]$"
)
_MONTH_RE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


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
