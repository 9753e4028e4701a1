"""OCR for PDF pages without a text layer (scans, text drawn as vector outlines).

Optional: needs `pypdfium2` (the 'ocr' extra) to render pages and the `tesseract` program to read
them. Each page is rendered at about 200 dpi (bounded in pixels, so an A0 plan cannot exhaust
memory), piped to `tesseract` on stdin as PNG, and read back as TSV: words with their line and
paragraph numbers and positions. Those become `RawLine`s, so OCR text goes through the same
cleaning (paragraphs, lists, table rows, running headers) as a real text layer.

When OCR is unavailable or fails on a page, the page stays marked as scanned and is reported.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.cleaning import RawLine

log = logging.getLogger(__name__)

OCR_DPI = 200
# Longest side of a rendered page in pixels: ~A3 at 200 dpi. Larger pages are rendered smaller.
MAX_SIDE_PX = 3400
PAGE_TIMEOUT_S = 90.0
# Lines whose words tesseract is less sure of than this (0-100) are noise from pictures and maps.
MIN_LINE_CONFIDENCE = 40.0
LANGUAGE = "eng"


def unavailable_reason() -> str:
    """Why OCR cannot run here, or "" when it can."""
    if importlib.util.find_spec("pypdfium2") is None:
        return "OCR unavailable: pypdfium2 is not installed (install the 'ocr' extra)"
    if shutil.which("tesseract") is None:
        return "OCR unavailable: the tesseract program is not installed"
    return ""


@dataclass
class OcrResult:
    lines: dict[int, list[RawLine]] = field(default_factory=dict)  # page number -> lines (reading order)
    failures: dict[int, str] = field(default_factory=dict)  # page number -> one-line reason


def ocr_pdf_pages(path: Path, numbers: Sequence[int], dpi: int = OCR_DPI,
                  timeout: float = PAGE_TIMEOUT_S, language: str = LANGUAGE) -> OcrResult:
    """OCR the given 1-based pages of the PDF at `path`. Never raises for a bad page: see `failures`."""
    import pypdfium2 as pdfium

    result = OcrResult()
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        for number in numbers:
            result.failures[number] = f"could not render for OCR ({exc})"
        return result
    try:
        for number in numbers:
            try:
                png, scale, height_pt = _render_png(document, number, dpi)
            except (pdfium.PdfiumError, IndexError, ValueError, OSError) as exc:
                result.failures[number] = f"could not render for OCR ({exc})"
                continue
            try:
                tsv = _tesseract_tsv(png, timeout, language)
            except subprocess.TimeoutExpired:
                result.failures[number] = f"OCR took longer than {timeout:.0f}s"
                continue
            except (subprocess.CalledProcessError, OSError) as exc:
                result.failures[number] = f"tesseract failed ({_stderr(exc)})"
                continue
            result.lines[number] = tsv_lines(tsv, scale, height_pt)
    finally:
        document.close()
    return result


def _render_png(document: object, number: int, dpi: int) -> tuple[bytes, float, float]:
    """The page as a greyscale PNG, the pixels-per-point scale used and the page height in points."""
    page = document[number - 1]  # type: ignore[index]
    try:
        width_pt, height_pt = page.get_size()
        longest = max(width_pt, height_pt, 1.0)
        scale = min(dpi / 72.0, MAX_SIDE_PX / longest)
        bitmap = page.render(scale=scale)
        try:
            image = bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
    finally:
        page.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue(), scale, float(height_pt)


def _tesseract_tsv(png: bytes, timeout: float, language: str) -> str:
    # One thread per tesseract: ingestion runs beside other work, and pages are done one at a time.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", language, "--psm", "3", "tsv"],
        input=png, capture_output=True, timeout=timeout, check=True, env=env,
    )
    return done.stdout.decode("utf-8", errors="replace")


def _stderr(exc: BaseException) -> str:
    raw = getattr(exc, "stderr", b"") or b""
    text = raw.decode("utf-8", errors="replace").strip().splitlines() if isinstance(raw, bytes) else []
    return (text[-1] if text else str(exc))[:200]


def tsv_lines(tsv: str, scale: float, page_height_pt: float) -> list[RawLine]:
    """Tesseract TSV -> lines in reading order; a blank line between paragraphs.

    Font size is left unknown (0): heights of OCR'd lines are too noisy to tell headings by size,
    so headings are found from their wording, as in plain text. `y` is in PDF points, bottom-up.
    """
    lines: dict[tuple[int, int, int], list[tuple[str, float, int]]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            top, height, conf = int(cols[7]), int(cols[9]), float(cols[10])
        except ValueError:
            continue
        lines.setdefault(key, []).append((text, conf, top + height))
    out: list[RawLine] = []
    last_par: tuple[int, int] | None = None
    for (block, par, _line), words in lines.items():
        confidence = sum(c for _, c, _ in words) / len(words)
        if confidence < MIN_LINE_CONFIDENCE:
            continue
        if last_par is not None and (block, par) != last_par:
            out.append(RawLine(""))
        last_par = (block, par)
        baseline_px = max(b for _, _, b in words)
        y = page_height_pt - baseline_px / scale
        out.append(RawLine(" ".join(w for w, _, _ in words), 0.0, 0.0, y))
    return out
