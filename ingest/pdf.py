"""PDF text extraction with pypdf, one `extract_text` call per page: the entry point `parse_pdf`.

This module opens the file, reads each page's lines (runs from ingest/pdfruns.py, arranged by
ingest/layout.py: tables as one line per row, prose in columns read column by column), sends pages
without a text layer to OCR, and cleans the lines into blocks (ingest/cleaning.py).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from common.types import Block, Page
from ingest.cleaning import clean_pages
from ingest.errors import DocumentError
from ingest.layout import _arrange, _Carry
from ingest.ocr import ocr_pdf_pages, unavailable_reason
from ingest.pdfruns import _page_runs
from ingest.rawlines import RawLine

log = logging.getLogger(__name__)

# Pages with fewer visible characters than this are treated as images (scans, outlined text).
_MIN_PAGE_CHARS = 20
# pypdf raises these (besides its own errors) on malformed content streams and fonts.
_PAGE_ERRORS = (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError)


def _page_lines(page: Any, carry: _Carry | None = None) -> list[RawLine]:
    lines, runs, rules = _page_runs(page)
    try:
        sheet = (float(page.mediabox.width), float(page.mediabox.height))
    except _PAGE_ERRORS:
        sheet = (0.0, 0.0)
    return _arrange(lines, runs, carry if carry is not None else _Carry(), rules, sheet)


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
