"""The rows a paper's tables rate as the question asks: "Which KPIs were rated red in quarter 3?" is answered by
every row of the performance report's tables whose rating is Red ("Customer Services KPIs: % of complaints responded
to within timescale | Latest: RED | DoT Previous: RED"), in the paper's order, each cited; not by the sentences
that say what a Red rating means, which share more of the question's words.

Performance reports, risk registers and programme trackers rate their rows in a column (RAG ratings, "High"
risks, "On track"): a row's rating is its first cell after the label, read as its first word ("RAG rating DoT
Latest Previous: RED AMBER" is Red, the latest). The rating asked for must be one the paper's rows hold, so "which
directorate is driving it?" or "which amendments were lost?" find no rows and are answered as before.
"""

from __future__ import annotations

import re

from assistant.question import QuestionAnalysis
from assistant.types import Evidence, EvidenceGroup, Passage, Retrieval
from common.text import STOPWORDS
from common.types import Chunk, DocumentRecord
from vectorstore.sqlite_index import SqliteIndex

CELL_SEPARATOR = " | "


def rated_rows(analysis: QuestionAnalysis, retrieval: Retrieval, sqlite: SqliteIndex) -> EvidenceGroup | None:
    """The rows rated as asked, of the paper found that has any: a paper the question names before others, then
    in the order the search ranked them. None when the question asks for no rating, or no paper's rows hold it."""
    if not analysis.rated_value:
        return None
    named = set(analysis.named_docs)
    ranks: dict[str, int] = {}
    docs: dict[str, DocumentRecord] = {}
    for rank, passage in enumerate(retrieval.passages):
        ranks.setdefault(passage.doc.doc_id, rank)
        docs.setdefault(passage.doc.doc_id, passage.doc)
    for doc_id in sorted(ranks, key=lambda d: (d not in named, ranks[d])):
        items = _rows_rated(sqlite.chunks_of(doc_id), docs[doc_id], analysis.rated_value)
        if items:
            count = len(items)
            about = f"{count} row{'' if count == 1 else 's'} rated {analysis.rated_value.capitalize()}"
            return EvidenceGroup("", docs[doc_id], items, about=about)
    return None


def row_rating(row: str) -> str:
    """A table row's rating, lower-cased: the first word of its first cell after the label, past any label of
    the cell's own ("Latest: RED" -> "red"); "" for a line that is no row of cells."""
    cells = [cell.strip() for cell in row.split(CELL_SEPARATOR)]
    if len(cells) < 2:
        return ""
    value = cells[1].rsplit(":", 1)[-1].split()
    return value[0].lower().strip(".,;()") if value else ""


def _rows_rated(chunks: list[Chunk], doc: DocumentRecord, value: str) -> list[Evidence]:
    rows = [(chunk, line, row_rating(line.group(0))) for chunk in chunks if chunk.kind == "table"
            for line in re.finditer(r"[^\n]+", chunk.text)]
    ratings = {rating for _, _, rating in rows if rating.isalpha() and len(rating) > 2 and rating not in STOPWORDS}
    items: list[Evidence] = []
    labels: set[str] = set()
    for chunk, line, rating in rows:
        row = line.group(0)
        label = " ".join(row.split(CELL_SEPARATOR, 1)[0].lower().split())
        if rating != value or label in labels or _key(row, ratings):
            continue  # (a row the paper prints again, in its summary and in its detail, is listed once)
        labels.add(label)
        items.append(Evidence(Passage(chunk, doc, 1.0), 0, line.start(), line.end(), row, score=1.0))
    return items


def _key(row: str, ratings: set[str]) -> bool:
    """A table's key names three ratings or more ("KPI Summary GREEN | Dylan Jeffrey Amanda Beer: AMBER RED"): it
    rates nothing. (A row holds two at most: its latest and its previous rating.)"""
    return len({w.lower() for w in re.findall(r"[A-Za-z]+", row)} & ratings) >= 3
