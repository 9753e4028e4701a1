"""Column gaps and the page regions laid out in columns, from the x positions of text.

Steps 1-3 of the page layout (see ingest/layout.py): a line's runs grouped into cells, cells
into visual rows, and runs of rows into regions with the x ranges of their column gutters; also
which column(s) a cell falls in and whether a cell reads like a column name. Kept apart from
reading a region as a table (ingest/tablerows.py) and from the page's reading order.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ingest.pdfruns import _Run
from ingest.rawlines import is_page_number
from ingest.tabletext import is_figure

# A hanging label in front of a paragraph: a bullet, "1.", "2.1", "(a)", "ii)".
_LABEL_CELL_RE = re.compile(
    r"^(?:[•\x7f\uf0b7\uf0a7\uf076\uf0d8\uf0fc▪●◦○■□➢►‣⁃∙·*o\-–—]"
    r"|\(?\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|\(?[A-Za-z][.)]|\([A-Za-z]{1,2}\)|\(?[ivxlc]{1,5}[.)])$"
)
# Header cells may be years and units: "2024-25", "£000s", "£m", "%", "30-Nov-24".
_HEADER_UNIT_RE = re.compile(
    r"^(?:\d{4}[-/–]\d{2,4}|£?000s?|£m|%|\(?£[0-9a-z]*\)?|\d{1,2}-[A-Za-z]{3}-\d{2,4})$", re.IGNORECASE
)


@dataclass(slots=True)
class _Cell:
    """Text on one line with no wide gap in it: the unit of the layout analysis."""

    x0: float
    x1: float
    y: float
    size: float
    bold: float
    text: str
    line: int  # index of the pypdf line it came from
    band: int = 0  # the columns it starts and ends in, once a region's columns are known
    last: int = 0


@dataclass(slots=True)
class _Region:
    rows: list[list[_Cell]]  # visual rows, top to bottom
    gutters: list[tuple[float, float]]


def _cells_of(runs: list[_Run], line: int) -> list[_Cell]:
    """The runs of one line grouped into cells; a hanging label ("•", "2.1") joins the text after it.

    pypdf may put text from two baselines on one line (a cell's two lines drawn together): each
    baseline is grouped on its own. Where the pen goes back left on a baseline, a string printed
    over the others starts (a label laid across a column): it is grouped on its own too, so that
    the letters of the two strings are not interleaved.
    """
    order = sorted(range(len(runs)), key=lambda i: -runs[i].y)
    cluster = [0] * len(runs)
    ref, count = 0, 0
    for k, i in enumerate(order):
        if k == 0 or runs[ref].y - runs[i].y > 0.45 * max(1.0, min(runs[i].size, runs[ref].size)):
            ref, count = i, count + 1
        cluster[i] = count - 1
    baselines: list[list[_Run]] = [[] for _ in range(count)]
    for i, run in enumerate(runs):  # pypdf's order kept within each baseline
        baselines[cluster[i]].append(run)
    if len(baselines) > 1:
        main = max(baselines, key=lambda b: sum(len(r.text) for r in b))
        if all(len(b) == 1 and len(b[0].text.strip()) <= 3 for b in baselines if b is not main):
            baselines = [runs]  # superscripts ("30th") stay in their line
    cells: list[_Cell] = []
    for baseline in baselines:
        found: list[_Cell] = []
        segment: list[_Run] = []
        for run in baseline:
            if segment and len(baseline) > 2 and run.x0 < segment[-1].x1 - 0.3 * run.size \
                    and run.x0 < segment[-1].x0 + 0.5 * run.size:
                found.extend(_group(segment, line))
                segment = []
            segment.append(run)
        found.extend(_group(segment, line))
        # Only on a line of label and text: "1 | Base Budget Changes | ASCH" is a table's row number.
        if len(found) == 2 and _LABEL_CELL_RE.match(found[0].text) and not is_figure(found[1].text) and \
                found[0].x1 - found[0].x0 <= 4 * found[0].size and found[1].x0 - found[0].x1 <= 6 * found[0].size:
            first, second = found
            found = [_Cell(first.x0, second.x1, second.y, second.size, second.bold, f"{first.text} {second.text}",
                           line)]
        cells.extend(found)
    return cells


def _group(runs: list[_Run], line: int) -> list[_Cell]:
    """Runs of one baseline, left to right, in cells: a gap wider than half a letter height parts them."""
    groups: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: r.x0):
        if groups and run.x0 - groups[-1][-1].x1 <= max(0.5 * max(run.size, groups[-1][-1].size), 3.0):
            groups[-1].append(run)
        else:
            groups.append([run])
    return [_cell(group, line) for group in groups]


def _cell(group: list[_Run], line: int) -> _Cell:
    parts: list[str] = []
    sizes: Counter[float] = Counter()
    bold = visible = 0
    for i, run in enumerate(group):
        if i and not parts[-1][-1:].isspace() and not run.text[:1].isspace() \
                and run.x0 - group[i - 1].x1 > 0.15 * run.size:
            parts.append(" ")
        parts.append(run.text)
        n = sum(1 for ch in run.text if not ch.isspace())
        sizes[round(run.size * 2) / 2] += n
        visible += n
        bold += n if run.bold else 0
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    main = max(group, key=lambda r: len(r.text.strip()))  # its baseline, not a superscript's
    return _Cell(group[0].x0, max(r.x1 for r in group), main.y, size, bold / visible if visible else 0.0,
                 " ".join("".join(parts).split()), line)


def _visual_rows(cells: list[_Cell]) -> list[list[_Cell]]:
    """Cells grouped by baseline, top of the page first; each row's cells left to right."""
    rows: list[list[_Cell]] = []
    ref = 0.0
    for cell in sorted(cells, key=lambda c: -c.y):
        if rows and ref - cell.y <= 0.45 * max(1.0, min(cell.size, rows[-1][0].size)):
            rows[-1].append(cell)
        else:
            rows.append([cell])
            ref = cell.y
    for row in rows:
        row.sort(key=lambda c: c.x0)
        merged: list[_Cell] = []
        for cell in row:  # overlapping cells (text printed twice for a bold effect): one cell
            if merged and cell.x0 < merged[-1].x1 - 1.0:
                last = merged[-1]
                if cell.text not in last.text:
                    last.text = f"{last.text} {cell.text}"
                last.x1 = max(last.x1, cell.x1)
                continue
            merged.append(cell)
        row[:] = merged
    return rows


def _gutters(rows: list[list[_Cell]], counted: int = 0) -> list[tuple[float, float]]:
    """x ranges, inside the rows' extent, where at most a few rows print anything (a few in
    `counted` rows, all of them by default)."""
    cells = [c for row in rows for c in row]
    if not cells:
        return []
    tol = int(0.12 * (counted or len(rows)))
    size = sorted(c.size for c in cells)[len(cells) // 2] or 10.0
    events = sorted([(c.x0, 1) for c in cells] + [(c.x1, -1) for c in cells])
    gutters: list[tuple[float, float]] = []
    cover, start = 0, None
    for x, delta in events:
        before = cover
        cover += delta
        if before > tol >= cover:
            start = x
        elif before <= tol < cover and start is not None:
            if x - start >= max(0.6 * size, 4.0):
                gutters.append((start, x))
            start = None
    # A column gap is one that two rows or more print on both sides of (not the gaps of one
    # justified line).
    return [(lo, hi) for lo, hi in gutters
            if sum(1 for row in rows if any(c.x1 <= lo + 1.0 for c in row) and any(c.x0 >= hi - 1.0 for c in row)) >= 2]


def _crosses(cell: _Cell, gutters: list[tuple[float, float]]) -> bool:
    return any(cell.x0 < lo - 1.0 and cell.x1 > hi + 1.0 for lo, hi in gutters)


def _multi(rows: list[list[_Cell]]) -> int:
    return sum(1 for r in rows if len(r) >= 2)


def _regions(rows: list[list[_Cell]], page_width: float) -> list[_Region]:
    """Runs of visual rows laid out in columns, top to bottom."""
    spans: list[list[list[_Cell]]] = [[]]
    prev_y: float | None = None
    for row in rows:
        size = max(c.size for c in row) or 10.0
        # A line across the page, or the page number, is no part of a table.
        wide = len(row) == 1 and (row[0].x1 - row[0].x0 >= 0.85 * page_width or is_page_number(row[0].text))
        if wide or (prev_y is not None and prev_y - row[0].y > 4.5 * size):
            spans.append([])
        if not wide:
            spans[-1].append(row)
        prev_y = row[0].y
    regions: list[_Region] = []
    work = [span for span in spans if _multi(span) >= 2]
    for _ in range(500):  # each step splits a span or settles it; bounded for safety
        if not work:
            break
        span = work.pop(0)
        gutters = _gutters([r for r in span if len(r) >= 2])
        if not gutters:
            continue
        # A single cell across a gutter is text across the columns: the region stops there.
        parts: list[list[list[_Cell]]] = [[]]
        for row in span:
            if len(row) == 1 and _crosses(row[0], gutters):
                parts.append([])
            else:
                parts[-1].append(row)
        if len(parts) > 1:
            work[:0] = [p for p in parts if _multi(p) >= 2]
            continue
        span = _trim(span)
        # The columns' final edges come from every row, lines on their own included.
        gutters = _gutters(span, _multi(span))
        if _multi(span) >= 2 and gutters:
            regions.append(_Region(span, gutters))
    regions.sort(key=lambda r: -r.rows[0][0].y)
    return regions


def _trim(span: list[list[_Cell]]) -> list[list[_Cell]]:
    """Drop single-cell rows above the first and below the last multi-cell row, unless they sit
    close to the table (a wrapped cell) rather than apart (a caption, the next paragraph)."""
    first = next(i for i, r in enumerate(span) if len(r) >= 2)
    last = max(i for i, r in enumerate(span) if len(r) >= 2)
    size = sorted(c.size for r in span for c in r)[sum(len(r) for r in span) // 2]
    # Above the first row only the wrapped top of a bold header cell belongs to the table, not a
    # caption or a title.
    while first > 0 and span[first - 1][0].y - span[first][0].y <= 1.5 * span[first - 1][0].size \
            and span[first - 1][0].size <= 1.2 * size and span[first - 1][0].bold >= 0.5 \
            and min(c.bold for c in span[first]) >= 0.5:
        first -= 1
    while last + 1 < len(span) and span[last][0].y - span[last + 1][0].y <= 1.7 * span[last + 1][0].size:
        last += 1
    return span[first: last + 1]


def _edges(gutters: list[tuple[float, float]]) -> list[float]:
    return [(lo + hi) / 2 for lo, hi in gutters]


def _bands(x0: float, x1: float, edges: list[float]) -> tuple[int, int]:
    """The first and last column a cell covers: more than one for a cell across columns, none of
    them for a cell reaching a little into a gutter."""
    bounds = [-math.inf, *edges, math.inf]
    overlaps = [min(x1, bounds[i + 1]) - max(x0, bounds[i]) for i in range(len(bounds) - 1)]
    covered = [i for i, o in enumerate(overlaps) if o > 0 and o >= 0.5 * min(x1 - x0, bounds[i + 1] - bounds[i])]
    if not covered:
        best = max(range(len(overlaps)), key=lambda i: overlaps[i])
        return best, best
    return covered[0], covered[-1]


def _header_like(text: str) -> bool:
    """Short column-name text: words, or a year/unit such as "2024-25", "£000s", "%"."""
    words = text.split()
    if not words or len(words) > 8 or len(text) > 70 or text.endswith((".", ":")):
        return False
    return not is_figure(text) or all(_HEADER_UNIT_RE.match(w) for w in words)
