"""A column region's cells grouped into table rows, and the tests that tell a table from other
column layouts.

Step 4 of the page layout (see ingest/layout.py), the part that works on one region: rows from
the table's drawn borders or from cell blocks that overlap vertically (rows printed too close
together split at their lines of figures), header rows, long cells running over below their row,
and the checks for label/value blocks, forms and prose set in columns.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from ingest.columns import _Cell, _edges, _header_like, _Region
from ingest.tabletext import is_figure

_MAX_HEADER_ROWS = 4


@dataclass(slots=True)
class _Row:
    cells: dict[int, list[_Cell]]  # column -> the lines printed in that cell
    bottom: float

    def text_of(self, band: int) -> str:
        return " ".join(c.text for c in self.cells.get(band, []))

    def printed(self) -> list[_Cell]:
        return [c for band in sorted(self.cells) for c in self.cells[band]]


def _blocks(cells: list[_Cell]) -> list[list[_Cell]]:
    """One column's lines, top to bottom, split where the gap is wider than a line or the weight changes."""
    blocks: list[list[_Cell]] = []
    for cell in sorted(cells, key=lambda c: (-c.y, c.x0)):
        if blocks:
            last = blocks[-1][-1]
            if last.y - cell.y <= 1.4 * max(cell.size, last.size) and (last.bold >= 0.5) == (cell.bold >= 0.5):
                blocks[-1].append(cell)
                continue
        blocks.append([cell])
    return blocks


def _table_rows(region: _Region, rules: list[tuple[float, float, float]]) -> tuple[list[_Row], bool]:
    """The region's cells grouped into table rows, and whether the table's rules drew them.

    When horizontal rules cross the table between its lines, they are the row borders: the cells
    between two rules make one row. Otherwise a row is made of the blocks of lines (one per column)
    that overlap vertically. Rows of figures printed too close together are then split at each line
    of figures.
    """
    by_band: dict[int, list[_Cell]] = {}
    for row in region.rows:
        for cell in row:
            by_band.setdefault(cell.band, []).append(cell)
    borders = _borders(region, rules)
    rows: list[_Row] = []
    if borders:
        slots: dict[int, _Row] = {}
        for band, cells in by_band.items():
            for cell in cells:
                slot = sum(1 for b in borders if b > cell.y + 0.3 * cell.size)
                slots.setdefault(slot, _Row({}, 0.0)).cells.setdefault(band, []).append(cell)
        rows = [slots[k] for k in sorted(slots)]
    else:
        spans = []
        for band, cells in by_band.items():
            for block in _blocks(cells):
                spans.append((block[0].y + 0.75 * block[0].size, block[-1].y - 0.2 * block[-1].size, band, block))
        spans.sort(key=lambda s: -s[0])
        for top, bottom, band, block in spans:
            if rows and top > rows[-1].bottom:
                rows[-1].bottom = min(rows[-1].bottom, bottom)
            else:
                rows.append(_Row({}, bottom))
            rows[-1].cells.setdefault(band, []).extend(block)
    out: list[_Row] = []
    for row in rows:
        out.extend(_split_stacked(row))
    for row in out:
        for cells in row.cells.values():
            cells.sort(key=lambda c: (-c.y, c.x0))
    return out, bool(borders)


def _borders(region: _Region, rules: list[tuple[float, float, float]]) -> list[float]:
    """Heights of the rules that run across at least half the table, between two of its lines;
    none unless there are two or more (a single rule under the header does not mark the rows)."""
    cells = [c for row in region.rows for c in row]
    lo, hi = min(c.x0 for c in cells), max(c.x1 for c in cells)
    top = max(c.y + 0.3 * c.size for c in cells)
    bottom = min(c.y + 0.3 * c.size for c in cells)
    inside = [r for r in rules if bottom < r[0] < top and r[2] > lo and r[1] < hi]
    borders: list[float] = []
    i = 0
    while i < len(inside):
        j = i
        while j + 1 < len(inside) and inside[j + 1][0] - inside[i][0] <= 2.0:
            j += 1
        spans = sorted((max(r[1], lo), min(r[2], hi)) for r in inside[i: j + 1])
        covered, reach = 0.0, lo
        for a, b in spans:
            if b > reach:
                covered += b - max(a, reach)
                reach = b
        if covered >= 0.5 * (hi - lo):
            borders.append((inside[i][0] + inside[j][0]) / 2)
        i = j + 1
    mids = [c.y + 0.3 * c.size for c in cells]
    borders = [b for b in borders if any(m > b for m in mids) and any(m < b for m in mids)]
    return borders if len(borders) >= 2 else []


def _split_stacked(row: _Row) -> list[_Row]:
    """Rows printed so close together that their cells' lines touch: split them at each line of
    figures. With cells aligned at the top, a line belongs to the row starting at or above it;
    with cells centred, a block of lines to the row whose figures are nearest its middle."""
    # The lines of figures: a height where figures are printed in two columns or more (in one, when
    # only one column holds figures), so that a figure wrapped under another does not start a row.
    figures = sorted(((c.y, band, c.size) for band, cells in row.cells.items() for c in cells if is_figure(c.text)),
                     reverse=True)
    columns = len({band for _, band, _ in figures})
    anchors: list[float] = []
    group: list[tuple[float, int, float]] = []
    for item in [*figures, (-math.inf, -1, 0.0)]:
        if group and group[0][0] - item[0] > 0.4 * group[0][2]:
            if len({band for _, band, _ in group}) >= min(2, columns):
                anchors.append(group[0][0])
            group = []
        group.append(item)
    if len(anchors) < 2:
        return [row]
    # Top-aligned: at (nearly) every line of figures, every column starts a line too.
    tol = 0.4 * max(c.size for c in row.printed())
    hits = 0
    for cells in row.cells.values():
        ys = sorted(c.y for c in cells)
        for a in anchors:
            k = bisect.bisect_left(ys, a - tol)
            hits += k < len(ys) and ys[k] <= a + tol
    top_aligned = hits >= 0.8 * len(anchors) * len(row.cells)
    ascending = anchors[::-1]  # for bisect
    parts = [_Row({}, a) for a in anchors]
    head = _Row({}, anchors[0])  # in a top-aligned table, lines above the first row: the header
    for band, cells in row.cells.items():
        if top_aligned:
            for cell in cells:
                # the lowest anchor at or above the line: its row starts there
                k = bisect.bisect_left(ascending, cell.y - 0.4 * cell.size)
                (parts[len(anchors) - 1 - k] if k < len(anchors) else head).cells.setdefault(band, []).append(cell)
            continue
        for block in _blocks(cells):
            aligned = all(abs(ascending[_nearest(ascending, c.y)] - c.y) <= 0.4 * c.size for c in block)
            for group in ([c] for c in block) if aligned else [block]:
                k = _nearest(ascending, (group[0].y + group[-1].y) / 2)
                parts[len(anchors) - 1 - k].cells.setdefault(band, []).extend(group)
    return [p for p in [head, *parts] if p.cells]


def _nearest(ascending: list[float], y: float) -> int:
    """Index of the value of `ascending` nearest to y."""
    k = bisect.bisect_left(ascending, y)
    if k == len(ascending) or (k > 0 and y - ascending[k - 1] <= ascending[k] - y):
        return k - 1
    return k


def _numeric_bands(rows: list[_Row], ncols: int) -> set[int]:
    numeric = set()
    for band in range(ncols):
        texts = [r.text_of(band) for r in rows if r.cells.get(band)]
        if texts and sum(is_figure(t) for t in texts) >= 0.6 * len(texts):
            numeric.add(band)
    return numeric


def _header_rows(rows: list[_Row], numeric_table: bool, numeric: set[int] | None = None) -> int:
    """How many leading rows name the columns: short cells, in bold, over figures or over long text."""
    lengths = sorted(len(r.text_of(b)) for r in rows for b in r.cells)
    typical = lengths[len(lengths) // 2] if lengths else 0
    count = 0
    while count < min(_MAX_HEADER_ROWS, len(rows) - 1):
        texts = [rows[count].text_of(b) for b in rows[count].cells]
        if not all(_header_like(t) for t in texts) or (count and len(texts) < 2):
            break  # a lone cell under the header names a group of rows ("Housing"), not a column
        printed = rows[count].printed()
        bold = sum(c.bold for c in printed) / len(printed)
        over_figures = any(b in (numeric or ()) and not is_figure(rows[count].text_of(b)) for b in rows[count].cells)
        if not (bold >= 0.5 or numeric_table or over_figures or typical > 2.5 * max(len(t) for t in texts)):
            break
        count += 1
    return count


def _merge_overflow(rows: list[_Row]) -> list[_Row]:
    """In a text table whose rows fill several columns, a row that fills only one is the rest of
    the row above (a long cell going on below the others), not a row of its own."""
    if len(rows) < 2 or sum(1 for r in rows if len(r.cells) >= 2) < 0.6 * len(rows):
        return rows
    out = [rows[0]]
    for row in rows[1:]:
        if len(row.cells) == 1:
            for band, cells in row.cells.items():
                out[-1].cells.setdefault(band, []).extend(cells)
        else:
            out.append(row)
    return out


def _label_value(rows: list[_Row], ncols: int) -> bool:
    """A label/value block ("From  Roger Gough", "To  Cabinet"): two columns, short labels on the left."""
    if ncols != 2:
        return False
    labels = [r.text_of(0) for r in rows if r.cells.get(0)]
    values = [r.text_of(1) for r in rows if r.cells.get(1)]
    short = all(len(t.split()) <= 5 and len(t) <= 40 and not is_figure(t) for t in labels)
    return short and sum(map(len, values)) >= sum(map(len, labels))


def _median_length(region: _Region, band: int) -> int:
    lengths = sorted(len(c.text) for row in region.rows for c in row if c.band == band)
    return lengths[len(lengths) // 2] if lengths else 0


def _form(rows: list[_Row]) -> bool:
    """A form's fields ("Amendment Name:  …  Amendment Number:  8"): labels ending in a colon."""
    labelled = sum(1 for r in rows if any(c.text.rstrip().endswith(":") for c in r.printed()))
    return labelled >= 0.3 * len(rows)


def _prose_columns(region: _Region, ncols: int) -> bool:
    """Paragraphs set in columns (a newsletter), not a table: wide columns of long lines, each
    filling most of the region's height."""
    if len(region.rows) < 6:
        return False
    cells = [c for row in region.rows for c in row]
    lo, hi = min(c.x0 for c in cells), max(c.x1 for c in cells)
    bounds = [lo, *_edges(region.gutters), hi]
    for band in range(ncols):
        if bounds[band + 1] - bounds[band] < 0.25 * (hi - lo):
            return False
        mine = sorted(len(c.text) for c in cells if c.band == band)
        if not mine or mine[len(mine) // 2] < 25:
            return False
        if sum(1 for row in region.rows if any(c.band == band for c in row)) < 0.5 * len(region.rows):
            return False
    return True
