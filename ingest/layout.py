"""Reading order of a PDF page: its lines, with each table region replaced by one line per row.

`_arrange` takes the page's lines and runs (ingest/pdfruns.py), finds the regions set in columns
(ingest/columns.py) and reads each as a table (ingest/tablerows.py), as prose in columns (read
column by column) or leaves it as printed; the rows become RawLines whose cells keep their
column, with the header row's names. `_Carry` passes a table on over a page break.

Tables and column layouts are found from the geometry of the page, with no rules per file:
  1. each line's runs (each shown string, placed by `_shown`) are grouped into cells: runs far
     apart on one line are separate cells, a hanging label ("2.1", "•") stays with its text;
  2. cells at the same height make a visual row; rows with two cells or more are evidence of
     columns; a line across the whole page, or a page number, separates regions;
  3. in a region, the x ranges where (almost) no cell is printed, with two rows or more printing
     on both sides, are the column gutters; a single-cell row that crosses a gutter (a caption,
     a sentence) splits the region;
  4. a region is then read as a table (rows between the table's horizontal rules, or from cell
     lines that overlap vertically; a header row of short bold, unit-like or over-figures
     cells), as prose set in columns (read column by column), or left as printed: a label/value
     block or form ("From  Roger Gough"), columns the file already gives one after the other,
     two pages printed side by side, or columns that the cells do not fit.
Sorting cells by height (and rules and anchors by position) is the only step above linear time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ingest.columns import _bands, _Cell, _cells_of, _edges, _header_like, _Region, _regions, _visual_rows
from ingest.pdfruns import _Run
from ingest.rawlines import RawLine, is_page_number
from ingest.tablerows import (
    _form,
    _header_rows,
    _label_value,
    _median_length,
    _merge_overflow,
    _numeric_bands,
    _prose_columns,
    _Row,
    _table_rows,
)


@dataclass(slots=True)
class _Carry:
    """What a page's layout passes on to the next page: a row of column names left alone at the
    bottom of the page (its table starts on the next page), and the last table, which the next page
    may continue."""

    next_table: int = 1
    pending_header: list[_Cell] | None = None
    pending_line: RawLine | None = None
    pending_page: list[RawLine] | None = None
    last_table: int = 0
    last_edges: list[float] = field(default_factory=list)
    last_at_bottom: bool = False


def _arrange(lines: list[RawLine], runs: list[list[_Run]], carry: _Carry,
             rules: list[tuple[float, float, float]] | None = None,
             sheet: tuple[float, float] = (0.0, 0.0)) -> list[RawLine]:
    """The page's lines, with each table region replaced by one line per table row (see above)."""
    cells: list[_Cell] = []
    for i, line_runs in enumerate(runs):
        if line_runs and all(r.upright for r in line_runs):
            cells.extend(_cells_of(line_runs, i))
    if not cells:
        carry.pending_header, carry.last_at_bottom = None, False
        return lines
    starts = sorted(c.x0 for c in cells)
    ends = sorted(c.x1 for c in cells)
    width = max(ends[-1 - len(ends) // 50] - starts[len(starts) // 50], 1.0)
    rows = _visual_rows(cells)
    replaced: dict[int, list[RawLine]] = {}  # first pypdf line of a region -> the lines standing for it
    taken: set[int] = set()
    result: list[RawLine] = []
    page = _PageInfo(rows[0][0].y, rows[-1][0].y, width, result, sorted(rules or []), sheet)
    for region in _regions(rows, width):
        region_lines = {c.line for row in region.rows for c in row}
        if region_lines & taken:
            continue
        out = _read_region(region, carry, page)
        if out is None:
            continue
        taken |= region_lines
        replaced[min(region_lines)] = out
    head: list[RawLine] = []  # page numbers keep their place at the top or the foot of the page
    tail: list[RawLine] = []
    for i, line in enumerate(lines):
        if i in replaced:
            result.extend(replaced[i])
        elif i not in taken:
            if replaced and line.text.strip() and is_page_number(line.text.strip()):
                (head if i < len(lines) / 2 else tail).append(line)
            else:
                result.append(line)
    result[:0] = head
    result.extend(tail)
    _hold_header(rows, taken, lines, carry, page)
    return result


@dataclass(slots=True)
class _PageInfo:
    top_y: float  # baseline of the page's first and last visual rows
    bottom_y: float
    width: float  # width of the page's text
    lines: list[RawLine]  # the page's output, filled once the regions are read
    rules: list[tuple[float, float, float]]  # horizontal rules (y, x0, x1), lowest first
    sheet: tuple[float, float] = (0.0, 0.0)  # the page's width and height


def _read_region(region: _Region, carry: _Carry, page: _PageInfo) -> list[RawLine] | None:
    """Lines standing for the region, or None to leave it as printed (see the notes above)."""
    edges = _edges(region.gutters)
    ncols = len(edges) + 1
    for row in region.rows:
        for cell in row:
            cell.band, cell.last = _bands(cell.x0, cell.x1, edges)
    # A file that gives one column after the other (prose in columns, two pages side by side) is
    # already in reading order; a table is given row by row, going from column to column.
    printed = sorted((c for row in region.rows for c in row), key=lambda c: (c.line, c.x0))
    switches = sum(1 for a, b in zip(printed, printed[1:], strict=False) if a.band != b.band)
    if len(region.rows) >= 4 and switches <= ncols + 1:
        return None
    if _prose_columns(region, ncols):  # read column by column
        return [RawLine(c.text, c.size, c.bold, c.y) for band in range(ncols)
                for row in region.rows for c in row if c.band == band]
    rows, ruled = _table_rows(region, page.rules)
    if len(rows) < 2 or _form(rows):
        return None
    # Cells across the columns in many rows: the columns were not found right; leave the region as
    # printed rather than cut its text into the wrong cells.
    if sum(1 for r in rows if any(c.last > c.band for c in r.printed())) > max(1, 0.15 * len(rows)):
        return None
    numeric = _numeric_bands(rows, ncols)
    # A gutter as wide as a page margin next to lines of prose splits two flows printed side by side
    # (two pages on one sheet), not the columns of one table.
    for i, (lo, hi) in enumerate(region.gutters):
        wide = hi - lo > max(60.0, 0.12 * page.width)
        prose = any(_median_length(region, b) >= 40 for b in (i, i + 1))
        spread = page.sheet[0] > 1.2 * page.sheet[1] and abs((lo + hi) / 2 - page.sheet[0] / 2) < 0.1 * page.sheet[0]
        if wide and (prose or spread):
            return None
    numeric_table = bool(numeric) and all(b in numeric for b in range(1, ncols) if any(r.cells.get(b) for r in rows))
    nhead = _header_rows(rows, numeric_table, numeric)
    before: list[_Row] = []
    if not nhead and len(rows) > 3 and len(rows[1].cells) >= 3 and _header_rows(rows[1:], numeric_table, numeric):
        before, rows = rows[:1], rows[1:]  # a line over the header ("TOTAL £m 334.7"): a row of its own
        nhead = _header_rows(rows, numeric_table, numeric)
    header, body = rows[:nhead], rows[nhead:]
    if not nhead and _label_value(body, ncols):
        return None
    at_top = region.rows[0][0].y >= page.top_y - 0.5
    table = 0
    if carry.pending_header and at_top:
        # The column names printed at the foot of the previous page belong to this table.
        header.insert(0, _Row(_by_band(carry.pending_header, edges), 0.0))
        if carry.pending_page is not None:
            carry.pending_page[:] = [ln for ln in carry.pending_page if ln is not carry.pending_line]
    elif not nhead and at_top and carry.last_at_bottom and carry.last_table and len(edges) == len(carry.last_edges) \
            and all(abs(a - b) <= 12.0 for a, b in zip(edges, carry.last_edges, strict=True)):
        table = carry.last_table  # the previous page's table goes on
    carry.pending_header = None
    if not table:
        table, carry.next_table = carry.next_table, carry.next_table + 1
    carry.last_table, carry.last_edges = table, edges
    carry.last_at_bottom = region.rows[-1][0].y <= page.bottom_y + 0.5
    out: list[RawLine] = [_row_line([_lines_of(row.cells.get(b, [])) for b in range(ncols)], row.printed(),
                                     table, numeric_table) for row in before]
    if header:
        names: dict[int, list[str]] = {}
        for row in header:
            for band in sorted(row.cells):
                names.setdefault(band, []).extend(_lines_of(row.cells[band]))
        printed = [c for row in header for c in row.printed()]
        out.append(_row_line([names.get(b, []) for b in range(ncols)], printed, table, numeric_table, True))
    for row in body if numeric_table or ruled else _merge_overflow(body):
        cells = [_lines_of(row.cells.get(b, [])) for b in range(ncols)]
        if numeric_table:
            _mark_empty(cells, row, numeric)
        out.append(_row_line(cells, row.printed(), table, numeric_table))
    return out


def _mark_empty(cells: list[list[str]], row: _Row, numeric: set[int]) -> None:
    """An empty column of figures between two filled ones gets a dash, so that each figure of the
    row stays under its own column name ("KS F £30,404 £32,078 – – £33,752")."""
    covered = {b for c in row.printed() for b in range(c.band, c.last + 1)}
    filled = [b for b, cell in enumerate(cells) if cell]
    if not filled:
        return
    for band in range(filled[0] + 1, filled[-1]):
        if band not in covered and band in numeric:
            cells[band] = ["–"]


def _lines_of(cells: list[_Cell]) -> list[str]:
    """A cell's printed lines, top to bottom; pieces of one line (justified text) joined by spaces."""
    lines: list[list[_Cell]] = []
    for cell in cells:
        if lines and abs(lines[-1][0].y - cell.y) <= 0.45 * max(1.0, cell.size):
            lines[-1].append(cell)
        else:
            lines.append([cell])
    return [" ".join(c.text for c in sorted(line, key=lambda c: c.x0)) for line in lines]


def _by_band(cells: list[_Cell], edges: list[float]) -> dict[int, list[_Cell]]:
    out: dict[int, list[_Cell]] = {}
    for cell in cells:
        out.setdefault(_bands(cell.x0, cell.x1, edges)[0], []).append(cell)
    return out


def _row_line(cells: list[list[str]], printed: list[_Cell], table: int, numeric: bool,
              header: bool = False) -> RawLine:
    sizes: Counter[float] = Counter()
    for c in printed:
        sizes[c.size] += len(c.text)
    weight = sum(len(c.text) for c in printed) or 1
    bold = sum(c.bold * len(c.text) for c in printed) / weight
    text = " ".join(" ".join(cell) for cell in cells if cell)
    top = max((c.y for c in printed), default=None)
    return RawLine(text, sizes.most_common(1)[0][0] if sizes else 0.0, bold, top, cells, table, header, numeric)


def _hold_header(rows: list[list[_Cell]], taken: set[int], lines: list[RawLine], carry: _Carry,
                 page: _PageInfo) -> None:
    """A row of column names at the foot of the page, outside any table, is kept for the table that
    starts the next page: the page break split the header from its rows."""
    carry.pending_header = carry.pending_line = carry.pending_page = None
    for row in reversed(rows[-2:]):
        if any(c.line in taken for c in row):
            return
        if len(row) >= 3 and len({c.line for c in row}) == 1 and all(_header_like(c.text) for c in row):
            carry.pending_header, carry.pending_line, carry.pending_page = row, lines[row[0].line], page.lines
            return
        if len(row) > 1 or len(row[0].text) > 20:  # only page furniture ("Page 5 of 54") may follow it
            return
