"""Generate small, valid PDFs for tests without reportlab."""

from __future__ import annotations

from pathlib import Path


def write_pdf(path: Path, pages: list[list[tuple[str, str, float, float]]]) -> Path:
    """A minimal valid PDF; each line is (text, font "R" regular / "B" bold, size, y).

    Byte 0xC0 draws the "fi" ligature glyph and 0xC1 "fl" (via /Differences), so tests can check
    ligature normalisation without reportlab.
    """
    streams = [b"\n".join(b"BT /F%s %.1f Tf 50 %.1f Td (" % (font.encode(), size, y) + _escaped(text) + b") Tj ET"
                          for text, font, size, y in lines) for lines in pages]
    encoding = "<< /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [192 /fi /fl] >>"
    return assemble_pdf(path, streams, encoding)


# A string drawn at a place: (text, "R" regular or "B" bold, size, x, y).
Item = tuple[str, str, float, float, float]


def layout_pdf(path: Path, pages: list[list[list[Item]]]) -> Path:
    """A PDF whose pages hold text objects (BT … ET), each drawing its strings at their own x and y.

    Several strings in one text object are joined by pypdf into one run of text, as Word and
    LibreOffice tables often come out; one string per object gives one run each.
    """
    streams = []
    for page in pages:
        ops = []
        for obj in page:
            parts = [b"BT"]
            for text, font, size, x, y in obj:
                parts.append(b"/F%s %.1f Tf 1 0 0 1 %.2f %.2f Tm (" % (font.encode(), size, x, y) + _escaped(text)
                             + b") Tj")
            parts.append(b"ET")
            ops.append(b" ".join(parts))
        streams.append(b"\n".join(ops))
    return assemble_pdf(path, streams, "/WinAnsiEncoding")


def _escaped(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def assemble_pdf(path: Path, streams: list[bytes], encoding: str) -> Path:
    """The PDF file around one content stream per page: Helvetica as /FR and Helvetica-Bold as /FB in `encoding`,
    A4 pages, the cross-reference table."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font_r = add(f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding {encoding} >>".encode())
    font_b = add(f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding {encoding} >>".encode())
    pages_id = len(objects) + 1 + 2 * len(streams)
    page_ids = []
    for stream in streams:
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(
            f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
            f"/Resources << /Font << /FR {font_r} 0 R /FB {font_b} 0 R >> >> >>".encode()
        ))
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()) == pages_id
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    path.write_bytes(bytes(out))
    return path


def body_lines(texts: list[str], top: float = 700.0, size: float = 10.5) -> list[tuple[str, str, float, float]]:
    return [(t, "R", size, top - i * 14) for i, t in enumerate(texts)]


def text_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose pages hold the given body lines."""
    return write_pdf(path, [body_lines(lines) for lines in pages])
