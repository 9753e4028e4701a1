"""PDF text extraction with pypdf, one `extract_text` call per page.

The text visitor reports each run of text with its font and matrices; we use that to know
each line's font size, how much of it is bold, and its vertical position (for paragraph gaps).

The matrices also give each run's x position, and the font's glyph widths where the run ends.
From that geometry `_arrange` finds the page's multi-column regions: tables (each table row
becomes one RawLine whose cells keep their column, with the header row's names) and prose set in
columns (read column by column). Everything else keeps pypdf's reading order and text.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from common.types import Block, Page
from ingest.cleaning import RawLine, clean_pages, is_figure, is_page_number
from ingest.errors import DocumentError
from ingest.ocr import ocr_pdf_pages, unavailable_reason

try:  # pypdf's font model and string decoding: each shown string's text and width.
    from pypdf._text_extraction import get_display_str as _display_str
    from pypdf._text_extraction import get_text_operands as _text_operands
    from pypdf.generic._font import Font as _PdfFont
except ImportError:  # pragma: no cover - another pypdf version: widths are estimated per run
    _PdfFont = _display_str = _text_operands = None

log = logging.getLogger(__name__)

_BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi")
# Pages with fewer visible characters than this are treated as images (scans, outlined text).
_MIN_PAGE_CHARS = 20
# pypdf raises these (besides its own errors) on malformed content streams and fonts.
_PAGE_ERRORS = (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError)


@dataclass(slots=True)
class _LineAcc:
    """Characters of the line being assembled, with their font sizes and boldness."""

    parts: list[str] = field(default_factory=list)
    size_chars: dict[float, int] = field(default_factory=dict)
    bold_chars: int = 0
    visible: int = 0
    y: float | None = None

    def add(self, text: str, size: float, bold: bool, y: float) -> None:
        self.parts.append(text)
        n = sum(1 for ch in text if not ch.isspace())
        if n:
            key = round(size * 2) / 2
            self.size_chars[key] = self.size_chars.get(key, 0) + n
            self.visible += n
            self.bold_chars += n if bold else 0
            if self.y is None:
                self.y = y

    def finish(self) -> RawLine:
        size = max(self.size_chars.items(), key=lambda kv: kv[1])[0] if self.size_chars else 0.0
        bold = self.bold_chars / self.visible if self.visible else 0.0
        return RawLine("".join(self.parts), size, bold, self.y)


def _is_bold(font: Any) -> bool:
    if not font:
        return False
    name = str(font.get("/BaseFont", "")).lower()
    return any(marker in name for marker in _BOLD_MARKERS)


def _matrix(cm: list[float], tm: list[float]) -> tuple[float, float, float, float, float, float]:
    """The text rendering matrix: text matrix times CTM."""
    a, b, c, d, e, f = (float(x) for x in cm)
    t0, t1, t2, t3, t4, t5 = (float(x) for x in tm)
    return (t0 * a + t1 * c, t0 * b + t1 * d, t2 * a + t3 * c, t2 * b + t3 * d,
            t4 * a + t5 * c + e, t4 * b + t5 * d + f)


def _geometry(cm: list[float], tm: list[float], size: float) -> tuple[float, float]:
    """Effective font size and baseline y in user space (text matrix times CTM)."""
    m = _matrix(cm, tm)
    return float(size) * (math.hypot(m[2], m[3]) or 1.0), m[5]


class _Widths:
    """Widths of runs of text in the page's fonts, from the widths the PDF gives each glyph."""

    def __init__(self) -> None:
        # id(font dictionary) -> (the dictionary, kept alive; widths; character -> width key; default)
        self._fonts: dict[int, tuple[Any, dict[str, float], dict[str, str], float] | None] = {}
        self._models: dict[int, Any] = {}

    def model(self, font: Any) -> Any:
        """pypdf's model of the font (None when it cannot be built)."""
        key = id(font)
        if key not in self._models:
            model = None
            if _PdfFont is not None and font is not None:
                try:
                    model = _PdfFont.from_font_resource(font)
                except Exception:  # noqa: BLE001 - a font pypdf cannot model only loses its widths
                    model = None
            self._models[key] = (font, model)
        return self._models[key][1]

    def _font(self, font: Any) -> tuple[Any, dict[str, float], dict[str, str], float] | None:
        key = id(font)
        if key not in self._fonts:
            info = None
            pdf_font = self.model(font)
            if pdf_font is not None:
                try:
                    back: dict[str, str] = {}  # widths are stored under character codes, not text
                    if isinstance(pdf_font.encoding, dict):
                        for code, char in pdf_font.encoding.items():
                            if isinstance(char, str) and len(char) == 1 and isinstance(code, int):
                                back.setdefault(char, chr(code))
                    for code, char in pdf_font.character_map.items():
                        if isinstance(char, str) and len(char) == 1:
                            back.setdefault(char, code if isinstance(code, str) else chr(int(code)))
                    widths = pdf_font.character_widths
                    info = (font, widths, back, float(widths.get("default", 500) or 500))
                except Exception:  # noqa: BLE001 - a font pypdf cannot model only loses its widths
                    info = None
            self._fonts[key] = info
        return self._fonts[key]

    def width(self, text: str, font: Any, size: float) -> float:
        info = self._font(font)
        if info is None:
            return len(text) * size * 0.5
        _, widths, back, default = info
        total = 0.0
        for char in text:
            w = widths.get(back.get(char, char))
            total += w if isinstance(w, (int, float)) and w > 0 else default
        return total * size / 1000.0


@dataclass(slots=True)
class _Run:
    """A piece of text drawn in one go, with where it sits on the page."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    bold: bool
    upright: bool


_SHOW_OPS = (b"Tj", b"TJ", b"'", b'"')


def _shown(ops: list[tuple[bytes, Any, list[float], list[float]]], text: str, font: Any, size: float,
           widths: _Widths, pen_at: list[Any]) -> list[tuple[str, float, float, float]] | None:
    """Where each string of `ops` (the text operators behind one visitor call) starts and ends.

    pypdf joins the strings drawn by one text object into one piece of text, with one space where
    the pen jumped, however far: a table row drawn with `Td` moves between its cells arrives as
    one run. Each string is decoded and measured the way pypdf does it, then found again in the
    joined text; None when they do not match (the run is then kept whole).

    pypdf does not move the text matrix as text is shown: a string shown without a new position
    (after a font change, say) starts where the pen stopped. `pen_at` keeps [matrices, x] of the
    last string shown, across calls.
    """
    model = widths.model(font)
    if model is None or _text_operands is None or _display_str is None:
        pen_at[:] = [None, 0.0]
        return None
    pieces: list[tuple[str, float, float, float]] = []
    last, pen = pen_at
    for op, operands, cm, tm in ops:
        if op not in (b"Tj", b"TJ"):
            pen_at[:] = [None, 0.0]
            return None  # "'" and '"' move to the next line first: no position known here
        m = _matrix(cm, tm)
        hscale = (math.hypot(m[0], m[1]) or 1.0) * float(size or 0.0) / 1000.0
        if (cm, tm) != last:
            pen, last = m[4], (cm, tm)
        items = operands[0] if op == b"TJ" and operands and isinstance(operands[0], list) else operands[:1]
        for item in items:
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                pen -= float(item) * hscale
            elif isinstance(item, (str, bytes)) and not str(item).startswith("/"):
                decoded, is_str, units = _text_operands([item], cm, tm, model, (0, 90, 180, 270))
                if not is_str:
                    decoded = _display_str("", cm, tm, font, model, decoded, size, False, None)[0]
                pieces.append((decoded, pen, pen + units * hscale, m[5]))
                pen += units * hscale
    pen_at[:] = [last, pen]
    located: list[tuple[str, float, float, float]] = []
    k = 0
    for piece, x0, x1, y in pieces:
        if not piece:
            continue
        if not text.startswith(piece, k) and text.startswith(" " + piece, k):
            k += 1  # the space pypdf put where the pen jumped
        if not text.startswith(piece, k):
            return None
        located.append((piece, x0, x1, y))
        k += len(piece)
    return located if located and not text[k:].strip() else None


_MAX_RULES = 20000


def _page_runs(page: Any) -> tuple[list[RawLine], list[list[_Run]], list[tuple[float, float, float]]]:
    """The page's lines in pypdf's order, the runs each line is made of, and the horizontal rules
    drawn on the page as (y, x0, x1): table borders, which mark where table rows end."""
    lines: list[RawLine] = []
    runs: list[list[_Run]] = []
    rules: list[tuple[float, float, float]] = []
    acc = _LineAcc()
    cur: list[_Run] = []
    widths = _Widths()
    ops: list[tuple[bytes, Any, list[float], list[float]]] = []  # text operators since the last visit
    point: list[tuple[float, float]] = []  # current point of the path being drawn
    pen_at: list[Any] = [None, 0.0]  # where the last string shown ended (see _shown)

    def before(op: bytes, operands: Any, cm: list[float], tm: list[float]) -> None:
        if op in _SHOW_OPS:
            ops.append((op, operands, list(cm), list(tm)))
        elif op in (b"re", b"m", b"l") and len(rules) < _MAX_RULES:
            with contextlib.suppress(TypeError, ValueError):
                _path(op, [float(v) for v in operands], [float(v) for v in cm], point, rules)

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        nonlocal acc, cur
        shown = ops[:]
        ops.clear()
        if not text:
            return
        m = _matrix(cm, tm)
        eff_size = float(size or 0.0) * (math.hypot(m[2], m[3]) or 1.0)
        hsize = float(size or 0.0) * (math.hypot(m[0], m[1]) or 1.0)
        upright = m[0] > 0 and m[3] > 0 and abs(m[1]) <= 0.05 * m[0] and abs(m[2]) <= 0.3 * m[3]
        bold = _is_bold(font)
        located = _shown(shown, text, font, size, widths, pen_at) if shown else None
        if located and "\n" not in text.rstrip("\n"):
            for piece, x0, x1, y in located:
                lead = piece[: len(piece) - len(piece.lstrip())]
                trail = piece[len(piece.rstrip()):]
                x0 += widths.width(lead, font, hsize) if lead else 0.0
                x1 -= widths.width(trail, font, hsize) if trail else 0.0
                if piece.strip():
                    cur.append(_Run(piece, x0, max(x0, x1), y, eff_size, bold, upright))
            acc.add(text.rstrip("\n"), eff_size, bold, m[5])
            if text.endswith("\n"):
                lines.append(acc.finish())
                runs.append(cur)
                acc, cur = _LineAcc(), []
            return
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if piece:
                acc.add(piece, eff_size, bold, m[5])
                stripped = piece.strip()
                if stripped:
                    lead = piece[: len(piece) - len(piece.lstrip())]
                    x0 = m[4] + (widths.width(lead, font, hsize) if lead else 0.0)
                    x1 = x0 + widths.width(stripped, font, hsize)
                    # Text after a line break inside one run has no position of its own.
                    cur.append(_Run(piece, x0, x1, m[5], eff_size, bold, upright and i == 0))
            if i < len(pieces) - 1:
                lines.append(acc.finish())
                runs.append(cur)
                acc, cur = _LineAcc(), []

    page.extract_text(visitor_text=visit, visitor_operand_before=before)
    if acc.parts:
        lines.append(acc.finish())
        runs.append(cur)
    return lines, runs, rules


def _path(op: bytes, args: list[float], cm: list[float], point: list[tuple[float, float]],
          rules: list[tuple[float, float, float]]) -> None:
    """Record the horizontal edges of a path segment or rectangle, in user space."""
    a, b, c, d, e, f = cm[:6]

    def user(x: float, y: float) -> tuple[float, float]:
        return a * x + c * y + e, b * x + d * y + f

    if op == b"m" and len(args) >= 2:
        point[:] = [user(args[0], args[1])]
    elif op == b"l" and len(args) >= 2 and point:
        (x0, y0), (x1, y1) = point[0], user(args[0], args[1])
        if abs(y1 - y0) < 1.0 and abs(x1 - x0) >= 5.0:
            rules.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        point[:] = [(x1, y1)]
    elif op == b"re" and len(args) >= 4:
        (x0, y0), (x1, y1) = user(args[0], args[1]), user(args[0] + args[2], args[1] + args[3])
        lo, hi = sorted((y0, y1))
        left, right = sorted((x0, x1))
        if right - left < 5.0:
            return
        if hi - lo < 3.0:
            rules.append(((lo + hi) / 2, left, right))
        else:  # a cell's background or border: its top and bottom edges
            rules.append((lo, left, right))
            rules.append((hi, left, right))


def _page_lines(page: Any, carry: _Carry | None = None) -> list[RawLine]:
    lines, runs, rules = _page_runs(page)
    try:
        sheet = (float(page.mediabox.width), float(page.mediabox.height))
    except _PAGE_ERRORS:
        sheet = (0.0, 0.0)
    return _arrange(lines, runs, carry if carry is not None else _Carry(), rules, sheet)


# --------------------------------------------------------------------------------- page layout
#
# Tables and column layouts are found from the geometry of the page, with no rules per file:
#   1. each line's runs (each shown string, placed by `_shown`) are grouped into cells: runs far
#      apart on one line are separate cells, a hanging label ("2.1", "•") stays with its text;
#   2. cells at the same height make a visual row; rows with two cells or more are evidence of
#      columns; a line across the whole page, or a page number, separates regions;
#   3. in a region, the x ranges where (almost) no cell is printed, with two rows or more printing
#      on both sides, are the column gutters; a single-cell row that crosses a gutter (a caption,
#      a sentence) splits the region;
#   4. a region is then read as a table (rows between the table's horizontal rules, or from cell
#      lines that overlap vertically; a header row of short bold, unit-like or over-figures
#      cells), as prose set in columns (read column by column), or left as printed: a label/value
#      block or form ("From  Roger Gough"), columns the file already gives one after the other,
#      two pages printed side by side, or columns that the cells do not fit.
# Sorting cells by height (and rules and anchors by position) is the only step above linear time.

# A hanging label in front of a paragraph: a bullet, "1.", "2.1", "(a)", "ii)".
_LABEL_CELL_RE = re.compile(
    r"^(?:[•\x7f\uf0b7\uf0a7\uf076\uf0d8\uf0fc▪●◦○■□➢►‣⁃∙·*o\-–—]"
    r"|\(?\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|\(?[A-Za-z][.)]|\([A-Za-z]{1,2}\)|\(?[ivxlc]{1,5}[.)])$"
)
# Header cells may be years and units: "2024-25", "£000s", "£m", "%", "30-Nov-24".
_HEADER_UNIT_RE = re.compile(
    r"^(?:\d{4}[-/–]\d{2,4}|£?000s?|£m|%|\(?£[0-9a-z]*\)?|\d{1,2}-[A-Za-z]{3}-\d{2,4})$", re.IGNORECASE
)
_MAX_HEADER_ROWS = 4


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


# ------------------------------------------------------------------------------ table assembly

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


# ------------------------------------------------------------------------------ the page's lines

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


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
    except PyPdfError as exc:
        raise DocumentError(f"corrupt PDF: {exc}") from exc
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except DependencyError as exc:
            raise DocumentError("encrypted PDF (needs the cryptography package to open)") from exc
        except (FileNotDecryptedError, PyPdfError) as exc:
            raise DocumentError("encrypted PDF (password required)") from exc
        if not ok:
            raise DocumentError("encrypted PDF (password required)")
    return reader


def _info(reader: PdfReader) -> dict[str, str]:
    """Document-information strings (/Title, /Author ...) with the slash dropped, lower-case keys."""
    try:
        meta = reader.metadata
    except PyPdfError as exc:
        log.warning("unreadable PDF info dictionary: %s", exc)
        return {}
    if not meta:
        return {}
    info: dict[str, str] = {}
    for key, value in meta.items():
        text = str(value).strip() if value is not None else ""
        if text:
            info[str(key).lstrip("/").lower()] = text
    return info


def parse_pdf(path: Path, ocr: bool = True, max_pages: int | None = None) -> tuple[list[Page], dict[str, str]]:
    """Pages (1-based) with cleaned blocks, plus the PDF's info dictionary.

    Pages without a text layer are OCR'd when `ocr` is on and OCR is installed (`Page.ocr`), else
    kept as `Page.scanned`; `info["ocr_note"]` says why some were not read. More than `max_pages`
    pages is refused before any text is extracted.
    """
    reader = _open(Path(path))
    try:
        pdf_pages = list(reader.pages)
    except PyPdfError as exc:
        raise DocumentError(f"corrupt PDF: {exc}") from exc
    if not pdf_pages:
        raise DocumentError("corrupt PDF: no pages")
    if max_pages and len(pdf_pages) > max_pages:
        raise DocumentError(f"too many pages ({len(pdf_pages)}; the limit is {max_pages}, setting max_pages)")
    raw: list[list[RawLine]] = []
    carry = _Carry()  # a table's header row or rows going on over a page break
    for number, page in enumerate(pdf_pages, start=1):
        try:
            raw.append(_page_lines(page, carry))
        except _PAGE_ERRORS as exc:
            # One broken page should not lose the whole document; it is reported as scanned.
            log.warning("%s page %d: text extraction failed: %s", path, number, exc)
            raw.append([])
            carry.pending_header, carry.last_at_bottom = None, False
    del pdf_pages
    info = _info(reader)
    scanned = {n for n, lines in enumerate(raw, start=1) if _visible(lines) < _MIN_PAGE_CHARS}
    ocr_lines = _ocr(Path(path), sorted(scanned), info) if ocr and scanned else {}
    if scanned and not ocr:
        info["ocr_note"] = "OCR switched off (setting ocr_enabled)"
    text_numbers = [n for n in range(1, len(raw) + 1) if n not in scanned]
    running: list[str] = []
    # OCR'd pages are cleaned apart from the text layer: their lines carry no font sizes.
    blocks = _cleaned({n: raw[n - 1] for n in text_numbers}, running)
    ocr_blocks = _cleaned(ocr_lines, [])
    pages = []
    for number in range(1, len(raw) + 1):
        if number in blocks:
            pages.append(Page(number, blocks[number]))
        elif ocr_blocks.get(number):
            pages.append(Page(number, ocr_blocks[number], ocr=True))
        else:
            pages.append(Page(number, [], scanned=True))
    if running:
        info["running_header"] = " | ".join(running)
    return pages, info


def _cleaned(lines: dict[int, list[RawLine]], running: list[str]) -> dict[int, list[Block]]:
    numbers = sorted(lines)
    if not numbers:
        return {}
    return dict(zip(numbers, clean_pages([lines[n] for n in numbers], running), strict=True))


def _visible(lines: list[RawLine]) -> int:
    return sum(len(ln.text.strip()) for ln in lines)


def _ocr(path: Path, numbers: list[int], info: dict[str, str]) -> dict[int, list[RawLine]]:
    """OCR lines for those of `numbers` where OCR found text; notes in `info` why others were not read."""
    reason = unavailable_reason()
    if reason:
        info["ocr_note"] = reason
        return {}
    result = ocr_pdf_pages(path, numbers)
    for number, why in sorted(result.failures.items()):
        log.warning("%s page %d: %s", path, number, why)
    if result.failures:
        first = min(result.failures)
        info["ocr_note"] = f"OCR failed on {len(result.failures)} page(s), e.g. page {first}: {result.failures[first]}"
    found = {n: lines for n, lines in result.lines.items() if _visible(lines) >= _MIN_PAGE_CHARS}
    if "ocr_note" not in info and len(found) < len(numbers):
        info["ocr_note"] = "blank, or OCR found no text"
    return found
