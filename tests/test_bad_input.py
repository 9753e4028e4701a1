"""Bad input: every broken, misleading or oversized file gets a clear one-line reason, and a batch
with good files in it still ingests the good ones and leaves the index consistent."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.errors import DocumentError
from ingest.ocr import tsv_lines, unavailable_reason
from ingest.parse import parse_file
from ingest.pipeline import FileOutcome, Ingestor
from tests.conftest import make_services
from tests.pdfgen import text_pdf

GOOD_LINES = [
    "The council agreed the 2024 budget for the library service after a long debate.",
    "Members asked for a report on the cost of opening hours to come back in March.",
]


def _encrypted(path: Path, source: Path, user_password: str) -> Path:
    writer = PdfWriter()
    writer.append(PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _docx(path: Path, text: str) -> Path:
    from docx import Document

    document = Document()
    document.add_heading("Library consultation", level=1)
    document.add_paragraph(text)
    document.save(str(path))
    return path


def _code(i: int) -> str:
    """A word unique to `i` with no digits, so pages do not look like repeated running headers."""
    return "".join(chr(97 + (i // 26**k) % 26) for k in range(3))


def _many_pages(path: Path, n: int) -> Path:
    return text_pdf(path, [[f"Register entry {_code(i)}: the committee noted item {_code(i)} without discussion."]
                           for i in range(1, n + 1)])


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "papers"
    folder.mkdir()
    good = text_pdf(folder / "good-minutes.pdf", [GOOD_LINES])
    (folder / "zero.pdf").write_bytes(b"")
    (folder / "truncated.pdf").write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    (folder / "garbage.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 64)
    _encrypted(folder / "locked.pdf", good, "secret")
    _encrypted(folder / "open-encrypted.pdf", text_pdf(folder.parent / "x.pdf", [["Encrypted but openable "
                                                       "minutes about parking charges in the town centre."]]), "")
    _docx(folder / "word-named.pdf", "Residents supported longer opening hours at the branch library.")
    text_pdf(folder / "pdf-named.txt", [["A PDF saved with a .txt name: the allotment rents rise by 5%."]])
    (folder / "postscript.pdf").write_bytes(b"%!PS-Adobe-3.0\n%%Pages: 1\nshowpage\n")
    (folder / "latin1.txt").write_bytes("Precept: £12,500 agreed for the café and the parish hall.\n".encode("cp1252")
                                        + b"Stray byte \x81 here.\n")
    (folder / "huge.pdf").write_bytes(b"%PDF-1.4\n")
    with (folder / "huge.pdf").open("r+b") as handle:
        handle.truncate(5 * 2**20)  # sparse: 5 MB on a 4 MB limit
    _many_pages(folder / "thousands-of-pages.pdf", 3000)
    text_pdf(folder / "Cyngor Môn – cofnodion ŵyl Zażółć 会议.pdf", [["Minutes of the Welsh town council meeting "
                                                                      "held in the Neuadd with twelve members."]])
    return folder


EXPECTED: dict[str, tuple[str, str]] = {  # file -> (status, reason fragment)
    "good-minutes.pdf": ("added", ""),
    "zero.pdf": ("failed", "empty file (0 bytes)"),
    "truncated.pdf": ("failed", "corrupt PDF"),
    "garbage.pdf": ("failed", "corrupt PDF"),
    "locked.pdf": ("failed", "encrypted PDF (password required)"),
    "open-encrypted.pdf": ("added", ""),
    "word-named.pdf": ("added", ""),
    "pdf-named.txt": ("added", ""),
    "postscript.pdf": ("failed", "not a PDF (PostScript)"),
    "latin1.txt": ("added", ""),
    "huge.pdf": ("failed", "file too large (5.00 MB; the limit is 4 MB, setting max_file_mb)"),
    "thousands-of-pages.pdf": ("failed", "too many pages (3000; the limit is 2000, setting max_pages)"),
    "Cyngor Môn – cofnodion ŵyl Zażółć 会议.pdf": ("added", ""),
}


def test_batch_of_bad_files_keeps_the_good_ones(bad_folder: Path, data_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    services = make_services(data_home, embedder)
    ingestor = Ingestor(services.index, services.ingestor.count_tokens, max_file_bytes=4 * 2**20, max_pages=2000)
    summary = ingestor.ingest([bad_folder])
    outcomes: dict[str, FileOutcome] = {Path(o.path).name: o for o in summary.outcomes}
    assert set(outcomes) == set(EXPECTED)
    for name, (status, reason) in EXPECTED.items():
        outcome = outcomes[name]
        assert outcome.status == status, outcome.describe()
        assert reason in outcome.reason, outcome.describe()
        assert "\n" not in outcome.describe()
        if status == "added":
            assert outcome.chunks > 0

    texts = {doc_id: " ".join(c.text for c in services.sqlite.get_chunks(services.sqlite.chunk_ids_for(doc_id))
                              .values()) for doc_id in (d.doc_id for d in services.sqlite.list_documents())}
    assert "Residents supported longer opening hours" in texts["word-named"]  # DOCX by its bytes
    assert "allotment rents rise by 5%" in texts["pdf-named"]  # PDF by its bytes
    assert "£12,500 agreed for the café" in texts["latin1"]  # cp1252 decoded
    assert "parking charges" in texts["open-encrypted"]
    assert "Neuadd" in texts["Cyngor Môn – cofnodion ŵyl Zażółć 会议"]
    report = services.index.check()
    assert report.consistent, report.lines()
    assert services.index.stats()["documents"] == 6

    # Nothing half-done is left behind: a second run changes nothing and fails the same files again.
    again = ingestor.ingest([bad_folder])
    assert again.count("unchanged") == 6 and again.count("failed") == 7
    services.close()


def test_big_but_allowed_pdf_parses_in_bounded_memory(tmp_path: Path) -> None:
    # Time per page is measured by `python -m bench`, not asserted here (timings belong in benchmarks).
    path = _many_pages(tmp_path / "register.pdf", 2000)
    tracemalloc.start()
    try:
        parsed = parse_file(path, ocr=False, max_pages=5000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(parsed.pages) == 2000 and not parsed.scanned_pages
    assert parsed.pages[1999].blocks[0].text.startswith(f"Register entry {_code(2000)}:")
    assert peak < 300 * 2**20, f"peak {peak / 2**20:.0f} MB"


def test_page_limit_is_checked_before_extraction(tmp_path: Path) -> None:
    path = _many_pages(tmp_path / "register.pdf", 3000)
    with pytest.raises(DocumentError) as err:
        parse_file(path, max_pages=2999)
    assert err.value.reason == "too many pages (3000; the limit is 2999, setting max_pages)"


def test_encrypted_pdf_with_and_without_empty_password(tmp_path: Path) -> None:
    plain = text_pdf(tmp_path / "plain.pdf", [GOOD_LINES])
    with pytest.raises(DocumentError) as err:
        parse_file(_encrypted(tmp_path / "locked.pdf", plain, "secret"))
    assert err.value.reason == "encrypted PDF (password required)"
    opened = parse_file(_encrypted(tmp_path / "open.pdf", plain, ""))
    assert "library service" in opened.pages[0].blocks[0].text


def test_misleading_extensions_go_by_the_bytes(tmp_path: Path) -> None:
    pdf_as_txt = text_pdf(tmp_path / "minutes.txt", [GOOD_LINES])
    assert parse_file(pdf_as_txt).metadata.page_count == 1
    docx_as_pdf = _docx(tmp_path / "consultation.pdf", "Residents supported longer opening hours.")
    texts = [b.text for p in parse_file(docx_as_pdf).pages for b in p.blocks]
    assert "Residents supported longer opening hours." in texts
    zip_as_pdf = tmp_path / "archive.pdf"
    zip_as_pdf.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(DocumentError, match="ZIP archive"):
        parse_file(zip_as_pdf)
    png_as_pdf = tmp_path / "photo.pdf"
    png_as_pdf.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(DocumentError) as err:
        parse_file(png_as_pdf)
    assert err.value.reason == "not a PDF (PNG image)"


# ---------------------------------------------------------------- image-only PDFs and OCR

needs_ocr = pytest.mark.skipif(bool(unavailable_reason()), reason=unavailable_reason() or "OCR available")


def _image_only_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF that is only a picture of typed text (no text layer), like a scan."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    for i, line in enumerate(lines):
        draw.text((110, 150 + i * 60), line, fill=0, font=font)
    image.save(path, format="PDF", resolution=150)
    return path


SCANNED_LINES = ["Minutes of the Parish Council", "The council agreed to repair the bus shelter",
                 "at a cost of 450 pounds, to be paid in June."]


def test_image_only_pdf_is_reported_when_ocr_is_off(tmp_path: Path, data_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    pdf = _image_only_pdf(tmp_path / "scan.pdf", SCANNED_LINES)
    parsed = parse_file(pdf, ocr=False)
    assert parsed.scanned_pages == [1] and not parsed.pages[0].blocks
    services = make_services(data_home, embedder)
    ingestor = Ingestor(services.index, services.ingestor.count_tokens, ocr_enabled=False)
    outcome = ingestor.ingest([pdf]).outcomes[0]
    assert outcome.status == "failed" and outcome.scanned_pages == [1]
    assert outcome.reason == ("no extractable text on any page (scanned or image-only; "
                              "OCR switched off (setting ocr_enabled))")
    services.close()


@needs_ocr
def test_image_only_pdf_is_read_with_ocr(tmp_path: Path, data_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    pdf = _image_only_pdf(tmp_path / "scan.pdf", SCANNED_LINES)
    parsed = parse_file(pdf)
    page = parsed.pages[0]
    assert page.ocr and not page.scanned and not parsed.scanned_pages
    text = " ".join(b.text for b in page.blocks)
    assert "repair the bus shelter" in text and "450" in text
    services = make_services(data_home, embedder)
    outcome = services.ingestor.ingest([pdf]).outcomes[0]
    assert outcome.status == "added" and outcome.ocr_pages == [1] and not outcome.scanned_pages
    assert "OCR used on page(s) 1" in outcome.describe()
    record = services.sqlite.get_document("scan")
    assert record is not None and record.ocr_pages == [1]
    services.close()


def test_ocr_tsv_becomes_lines_in_reading_order() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t10\t100\t50\t20\t95.0\tBudget",
        "5\t1\t1\t1\t1\t2\t70\t100\t50\t20\t93.0\t2024",
        "5\t1\t1\t1\t2\t1\t10\t130\t50\t20\t91.0\tagreed.",
        "5\t1\t2\t1\t1\t1\t10\t300\t50\t20\t12.0\t~#%",  # noise from a picture: dropped
        "5\t1\t3\t1\t1\t1\t10\t400\t50\t20\t90.0\tNext",
    ]
    lines = tsv_lines("\n".join([header, *rows]), scale=2.0, page_height_pt=842.0)
    assert [ln.text for ln in lines] == ["Budget 2024", "agreed.", "", "Next"]
    assert lines[0].y == pytest.approx(842.0 - 60.0) and lines[0].size == 0.0
