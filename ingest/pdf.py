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

from common.types import Block, Page
from ingest.cleaning import RawLine, clean_pages
from ingest.errors import DocumentError
from ingest.ocr import ocr_pdf_pages, unavailable_reason

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
    for number, page in enumerate(pdf_pages, start=1):
        try:
            raw.append(_page_lines(page))
        except _PAGE_ERRORS as exc:
            # One broken page should not lose the whole document; it is reported as scanned.
            log.warning("%s page %d: text extraction failed: %s", path, number, exc)
            raw.append([])
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
