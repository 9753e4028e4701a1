"""Text runs of a PDF page with their positions: the one place that drives pypdf's text visitor.

Split out of ingest/pdf.py so that the code tied to pypdf's visitor callbacks and its private font
model sits apart from the layout analysis. The visitor reports each run of text with its font and
matrices; we use that to know each line's font size, how much of it is bold, and its vertical
position (for paragraph gaps). The matrices also give each run's x position, and the font's glyph
widths where the run ends. Horizontal rules drawn on the page (table borders) are collected too.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import Any

from common.text import SUPERSCRIPT_DIGITS
from ingest.rawlines import RawLine

try:  # pypdf's font model and string decoding: each shown string's text and width.
    from pypdf._text_extraction import get_display_str as _display_str
    from pypdf._text_extraction import get_text_operands as _text_operands
    from pypdf.generic._font import Font as _PdfFont
except ImportError:  # pragma: no cover - another pypdf version: widths are estimated per run
    _PdfFont = _display_str = _text_operands = None


_BOLD_MARKERS = ("bold", "black", "heavy", "semibold", "demi")


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

# Digits as superscripts, for a footnote's mark or a unit's power printed small and raised.
SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
_SMALLER = 0.8  # a raised mark's size at most this share of the text it follows
_RAISED = 0.15  # and its baseline above that text's by at least this share of the text's size
_GLUED = 1.5  # points between the end of the text and the mark, at most


def _raised_mark(text: str, x0: float, y: float, size: float, line: list[_Run]) -> bool:
    """Whether a string of one to three digits is set small and raised right after a word or figure on its line:
    a superscript, not text of the line."""
    if not line or not text.strip().isdecimal() or len(text.strip()) > 3 or text != text.strip():
        return False
    before = line[-1]
    return (before.text[-1:].isalnum() and size <= _SMALLER * before.size and y >= before.y + _RAISED * before.size
            and x0 - before.x1 < _GLUED)


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
    rise = [0.0]  # the text rise (Ts) in force, which pypdf's matrices leave out: a superscript's raise


    def before(op: bytes, operands: Any, cm: list[float], tm: list[float]) -> None:
        if op in _SHOW_OPS:
            ops.append((op, operands, list(cm), list(tm)))
        elif op == b"Ts" and operands:
            with contextlib.suppress(TypeError, ValueError):
                rise[0] = float(operands[0])
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
        raised = m[5] + rise[0] * (math.hypot(m[2], m[3]) or 1.0)
        if located and _raised_mark(text, located[0][1], raised, eff_size, cur):
            # "17 of the 38¹ indicators": a footnote's number printed small and raised against the word before it
            # is no digit of that word's figure ("381"), nor is the ² of "km²" a 2.
            text = text.translate(SUPERSCRIPT)
            located = [(piece.translate(SUPERSCRIPT), x0, x1, y) for piece, x0, x1, y in located]
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
