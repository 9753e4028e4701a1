"""Entry point: one file in, one ParsedDocument out, whatever the format."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

from common.types import DocumentMetadata, Page, ParsedDocument
from ingest.errors import DocumentError, UnsupportedFormat
from ingest.lists import mark_lists
from ingest.metadata import CATALOGUE_FIELDS, Catalogue, extract_metadata
from ingest.office import parse_docx, parse_html, parse_text
from ingest.pdf import parse_pdf

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".md"})

Parser = Callable[[Path], tuple[list[Page], dict[str, str]]]
_PARSERS: dict[str, Parser] = {
    "pdf": parse_pdf,
    "docx": parse_docx,
    "html": parse_html,
    "text": parse_text,
}

# Signatures of formats people save with the wrong suffix; named in the error message.
_OTHER_MAGIC = (
    (b"%!PS", "PostScript"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document (.doc/.xls)"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
)


def sniff_format(data: bytes, suffix: str) -> str:
    """The real format ("pdf", "docx", "html", "text") from the bytes, checked against the suffix."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    for magic, name in _OTHER_MAGIC:
        if head.startswith(magic):
            if suffix == ".pdf":
                raise DocumentError(f"not a PDF ({name})")
            raise UnsupportedFormat(f"unsupported format ({name})")
    if head.startswith(b"PK\x03\x04"):
        if suffix in (".docx", ".pdf", ".txt", ".md", ".html", ".htm") and _is_docx(data):
            return "docx"
        raise UnsupportedFormat("unsupported format (ZIP archive that is not a Word document)")
    if suffix == ".pdf":
        raise DocumentError("not a PDF (text file)" if _looks_textual(head) else "corrupt PDF: no %PDF header")
    if suffix == ".docx":
        raise DocumentError("corrupt DOCX: not a ZIP package")
    lowered = head.lstrip().lower()
    if suffix in (".html", ".htm") or lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in (".txt", ".md"):
        return "text"
    raise UnsupportedFormat(f"unsupported file type ({suffix or 'no suffix'})")


def _looks_textual(head: bytes) -> bool:
    return bool(head) and sum(b < 9 or 13 < b < 32 for b in head) < len(head) * 0.05


def _is_docx(data: bytes) -> bool:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def parse_file(path: Path, catalogue: Catalogue | None = None, *, ocr: bool = True,
               max_pages: int | None = None) -> ParsedDocument:
    """Read `path`, extract its pages and fill its metadata (catalogue row first, else guesses).

    `ocr`: read PDF pages without a text layer with OCR when installed; `max_pages`: refuse longer PDFs.
    The format comes from the file's first bytes, so a PDF named .txt is read as a PDF.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(f"unsupported file type ({suffix or 'no suffix'})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file: {exc.strerror or exc}") from exc
    if not data:
        raise DocumentError("empty file (0 bytes)")
    fmt = sniff_format(data, suffix)
    pages, info = parse_pdf(path, ocr=ocr, max_pages=max_pages) if fmt == "pdf" else _PARSERS[fmt](path)
    mark_lists(pages)
    doc_id = path.stem
    extracted = extract_metadata(doc_id, pages, info, path=path)
    if info.get("title"):
        extracted["info_title"] = info["title"]
    for key in ("running_header", "ocr_note"):
        if info.get(key):
            extracted[key] = info[key]
    if catalogue is None:
        catalogue = Catalogue.find_for(path)
    row = catalogue.get(doc_id) if catalogue is not None else None
    # A catalogue row wins field by field; what it leaves empty (decision_number, part_of …) is read
    # from the paper itself.
    fields = {k: (row or {}).get(k, "") or extracted.get(k, "") for k in CATALOGUE_FIELDS}
    if row is None:
        fields["short_title"] = ""
    metadata = DocumentMetadata(
        doc_id=doc_id,
        source_path=str(path),
        content_hash=hashlib.sha256(data).hexdigest(),
        page_count=len(pages),
        **fields,
    )
    return ParsedDocument(metadata=metadata, pages=pages, extracted=extracted)
