"""PDF text extraction with pypdf, one `extract_text` call per page.

The text visitor reports each run of text with its font and matrices; we use that to know
each line's font size, how much of it is bold, and its vertical position (for paragraph gaps).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from ingest.cleaning import RawLine, clean_pages
from ingest.errors import DocumentError
from ingest.types import Page

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


def _geometry(cm: list[float], tm: list[float], size: float) -> tuple[float, float]:
    """Effective font size and baseline y in user space (text matrix times CTM)."""
    a, b, c, d, e, f = (float(x) for x in cm)
    tc, td, tf = float(tm[2]), float(tm[3]), float(tm[5])
    te = float(tm[4])
    vc, vd = tc * a + td * c, tc * b + td * d
    scale = math.hypot(vc, vd) or 1.0
    y = te * b + tf * d + f
    return float(size) * scale, y


def _page_lines(page: Any) -> list[RawLine]:
    lines: list[RawLine] = []
    acc = _LineAcc()

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        nonlocal acc
        if not text:
            return
        eff_size, y = _geometry(cm, tm, size or 0.0)
        bold = _is_bold(font)
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if piece:
                acc.add(piece, eff_size, bold, y)
            if i < len(pieces) - 1:
                lines.append(acc.finish())
                acc = _LineAcc()

    page.extract_text(visitor_text=visit)
    if acc.parts:
        lines.append(acc.finish())
    return lines


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


def parse_pdf(path: Path) -> tuple[list[Page], dict[str, str]]:
    """Pages (1-based) with cleaned blocks, plus the PDF's info dictionary."""
    reader = _open(Path(path))
    try:
        pdf_pages = list(reader.pages)
    except PyPdfError as exc:
        raise DocumentError(f"corrupt PDF: {exc}") from exc
    if not pdf_pages:
        raise DocumentError("corrupt PDF: no pages")
    raw: list[list[RawLine]] = []
    for number, page in enumerate(pdf_pages, start=1):
        try:
            raw.append(_page_lines(page))
        except _PAGE_ERRORS as exc:
            # One broken page should not lose the whole document; it is reported as scanned.
            log.warning("%s page %d: text extraction failed: %s", path, number, exc)
            raw.append([])
    scanned = [sum(len(ln.text.strip()) for ln in lines) < _MIN_PAGE_CHARS for lines in raw]
    text_pages = [lines for lines, is_scan in zip(raw, scanned, strict=True) if not is_scan]
    running: list[str] = []
    cleaned = iter(clean_pages(text_pages, running))
    pages = [
        Page(number, [], scanned=True) if is_scan else Page(number, next(cleaned))
        for number, is_scan in enumerate(scanned, start=1)
    ]
    info = _info(reader)
    if running:
        info["running_header"] = " | ".join(running)
    return pages, info
