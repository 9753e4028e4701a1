"""A table the question asks for whole: "What are the CIL rates in the City of London?" is answered by every row of
the rate table (offices, residential in each zone, the uses charged nil), in the paper's order, each cited; not by
the two rows that share most of the question's words, which leave out the Riverside rate. "What are the residential
CIL rates?" is answered by the rows it names (both zones'), "What is the CIL rate for offices?" as before.

A question asks for a table when it asks for figures in the plural ("rates", "charges", "allowances") without naming
a row, and a table of the papers found holds that figure in a column ("City CIL Rate (£ per m2): £75" or its
header). A table too long to read as an answer (over MOST_ROWS rows) is left to the usual search, which finds the
rows the question's words point to.
"""

from __future__ import annotations

import re

from assistant.catalogue import singular
from assistant.cues import PLURAL_ASKED
from assistant.question import QuestionAnalysis
from assistant.rated import CELL_SEPARATOR
from assistant.types import Evidence, EvidenceGroup, Passage, Retrieval
from common.rows import names_row, row_label, table_header
from common.text import stem, words
from common.types import Chunk, DocumentRecord
from vectorstore.sqlite_index import SqliteIndex

MOST_ROWS = 12
FEWEST_ROWS = 3  # a table of two rows is answered as well by the usual search
_FIGURE = re.compile(r"\d|\bnil\b", re.IGNORECASE)


def asked_table(analysis: QuestionAnalysis, retrieval: Retrieval, sqlite: SqliteIndex) -> EvidenceGroup | None:
    """Every row of the table the question asks for, of the best-ranked table found that holds the figure it asks
    about; None when it asks for no figures in the plural, names a row, or no table found holds them."""
    noun = _figures_asked(analysis)
    if not noun:
        return None
    for passage in retrieval.passages:
        if passage.chunk.kind != "table" or passage.neighbour_of:
            continue
        rows = _table_rows(sqlite, passage.doc, passage.chunk)
        if not any(_holds(row, chunk, noun) for chunk, row in rows):
            continue
        if not FEWEST_ROWS <= len(rows) <= MOST_ROWS:
            return None  # no answer to read whole: the rows the question's words point to are
        named = [(chunk, row) for chunk, row in rows if _named(row.group(0), analysis.asked_words)]
        if len(named) == 1:
            return None  # the row asked for answers ("the CIL rate for offices")
        about = f"the {len(named)} rows the question names" if named else f"the {len(rows)} rows of the table"
        items = [Evidence(Passage(chunk, passage.doc, 1.0), 0, row.start(), row.end(), row.group(0), score=1.0)
                 for chunk, row in named or rows]
        return EvidenceGroup("", passage.doc, items, about=about)
    return None


def _figures_asked(analysis: QuestionAnalysis) -> str:
    """The figure the question asks for in the plural ("rates" -> "rate"), or ""."""
    if not analysis.wants_figure:
        return ""
    plural = PLURAL_ASKED.match(analysis.asked_text)
    return singular(plural.group("noun").lower()) if plural else ""


def _table_rows(sqlite: SqliteIndex, doc: DocumentRecord, found: Chunk) -> list[tuple[Chunk, re.Match[str]]]:
    """The rows of cells of the table `found` is part of: the table chunks next to it under the same heading."""
    window = sqlite.chunks_of(doc.doc_id, max(found.seq - MOST_ROWS, 0), found.seq + MOST_ROWS)
    at = next(i for i, c in enumerate(window) if c.chunk_id == found.chunk_id)
    start = end = at
    while start > 0 and window[start - 1].kind == "table" and window[start - 1].section == found.section:
        start -= 1
    while end + 1 < len(window) and window[end + 1].kind == "table" and window[end + 1].section == found.section:
        end += 1
    return [(chunk, line) for chunk in window[start:end + 1] for line in re.finditer(r"[^\n]+", chunk.text)
            if CELL_SEPARATOR in line.group(0)]


def _named(row: str, asked_words: set[str]) -> bool:
    """Whether the question names the row: by its label ("Maidstone 68,263.60 …"), or by a cell of words in it
    ("offices" for "Land Use: Offices | Zone: City-wide | …")."""
    if names_row(row, asked_words):
        return True
    for cell in row.split(CELL_SEPARATOR):
        value = cell.split(":", 1)[-1]
        said = {w for w in words(value.lower()) if len(w) > 2}
        if said and not any(ch.isdigit() for ch in value) and said <= asked_words:
            return True
    return False


def _holds(row: re.Match[str], chunk: Chunk, noun: str) -> bool:
    """Whether the row holds the figure: a cell of figures under a column naming it ("City CIL Rate (£ per m2): £75"),
    or a row of figures under a header naming it. Not a heading over the table, nor a cell of words ("Headline
    description of spending increase: Pay and Reward" holds no increase)."""
    named = re.compile(rf"\b{re.escape(stem(noun))}", re.IGNORECASE)
    cells = [cell.split(":", 1) for cell in row.group(0).split(CELL_SEPARATOR) if ":" in cell]
    if any(named.search(label) and _FIGURE.search(value) for label, value in cells):
        return True
    return bool(row_label(row.group(0))) and any(named.search(column) for column in table_header(chunk.section))
