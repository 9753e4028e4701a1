"""Text extraction: demo PDFs, hand-built PDFs for special cases, DOCX/HTML/TXT, bad files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from common.types import Block, BlockKind, Page
from ingest.cleaning import is_table_row, join_lines
from ingest.errors import DocumentError, UnsupportedFormat
from ingest.lists import mark_lists
from ingest.parse import SUPPORTED_SUFFIXES, parse_file
from ingest.pdf import parse_pdf
from tests.conftest import SHARED
from tests.pdfgen import assemble_pdf, body_lines, write_pdf

ROOT = Path(__file__).parents[1]
LOCAL = ROOT / "data" / "council-papers"
CORPUS = LOCAL if LOCAL.is_dir() else SHARED / "corpus" / "pdf"
DEMO = sorted(CORPUS.glob("*.pdf"))
KENT = SHARED / "external" / "pdfs" / "kent-cc"

needs_demo = pytest.mark.skipif(not DEMO, reason="demo corpus not available")


def all_text(pages: list[Page]) -> str:
    return "\n".join(b.text for p in pages for b in p.blocks)


def page_text(pages: list[Page], number: int) -> str:
    return " ".join(b.text for b in pages[number - 1].blocks)


# ---------------------------------------------------------------- demo PDFs


@needs_demo
def test_demo_pdfs_have_no_running_headers_or_page_numbers() -> None:
    for pdf in DEMO:
        pages, info = parse_pdf(pdf)
        header = info["running_header"]  # e.g. "Derby City Council – Corporate Peer Challenge 2017"
        for page in pages:
            for block in page.blocks:
                assert not re.fullmatch(r"(?i)(page\s*)?\d+(\s*of\s*\d+)?", block.text), (pdf.name, block)
                assert not block.text.startswith(header), (pdf.name, page.number, block.text)
                assert not re.search(r"Page \d+$", block.text), (pdf.name, block.text)


@needs_demo
@pytest.mark.parametrize(
    ("stem", "page", "sentence"),
    [
        (
            "derbyshire-cc-productivity-plan-2024",
            1,
            # wraps over two lines in the PDF
            "Between 2019/20 and 2023/24, employee numbers (FTE excluding schools) decreased by 1,192 "
            "from 7,977 to 6,785, and efficiency savings of over £47 million were achieved.",
        ),
        ("derby-city-corporate-peer-challenge-2017", 9, "The council's net revenue budget for 2017/18 is £215m."),
        (
            "derbyshire-dales-council-vision-derbyshire-2020",
            2,
            "Two exploratory workshops, held on 6th September 2019 and 4th October 2019, subsequently took place.",
        ),
        (
            # the PDF breaks this paragraph mid-sentence with a paragraph gap
            "derbyshire-cc-cabinet-enterprising-council-phase-2-2020",
            6,
            "As Phase 2 progresses, further communication materials will be produced to articulate",
        ),
    ],
)
def test_known_sentences_on_the_right_page(stem: str, page: int, sentence: str) -> None:
    pages, _ = parse_pdf(CORPUS / f"{stem}.pdf")
    assert sentence in page_text(pages, page)
    others = [p.number for p in pages if p.number != page and sentence in page_text(pages, p.number)]
    assert others == []


@needs_demo
def test_demo_headings_and_bullets() -> None:
    pages, _ = parse_pdf(CORPUS / "derby-city-corporate-peer-challenge-2017.pdf")
    headings = {b.text: b.level for p in pages for b in p.blocks if b.kind == BlockKind.HEADING}
    assert headings["4. Feedback"] == 1
    assert headings["4.4 Financial planning and viability"] == 2
    assert headings["5 Next steps"] == 1
    assert "The peer team" in headings
    items = [b.text for p in pages for b in p.blocks if b.kind == BlockKind.LIST_ITEM]
    assert any(t.startswith("Close the 2015/16 and 2016/17 accounts.") for t in items)
    assert not any("\x7f" in t or "•" in t for t in items)
    plan, _ = parse_pdf(CORPUS / "derbyshire-cc-productivity-plan-2024.pdf")
    plan_headings = [b.text for p in plan for b in p.blocks if b.kind == BlockKind.HEADING]
    assert "Thematic Area 1: Transformation" in plan_headings
    assert "Thematic Area 4: Barriers" in plan_headings



@pytest.mark.skipif(not KENT.is_dir(), reason="external papers not available")
def test_a_dash_going_on_with_a_sentence_is_no_bullet() -> None:
    """"… (subgrade 3a) land (BMV)" then "– poorer quality land must instead be considered …" on the next line is one
    sentence, not a bullet item "poorer quality land …"; real bullets stay items."""
    pages, _ = parse_pdf(KENT.parent / "souldern-pc" / "coalition-of-parishes-objection.pdf")
    blocks = [b for p in pages for b in p.blocks]
    assert any("land (BMV) – poorer quality land must instead be considered" in b.text for b in blocks)
    assert any("visual aspects – this is not enough." in b.text for b in blocks)
    items = [b.text for b in blocks if b.kind == BlockKind.LIST_ITEM]
    assert {"Agricultural", "Archaeology", "Heritage", "Noise pollution"} <= set(items)
    assert not any(t[:1].islower() for t in items)


def test_a_paragraph_carried_over_a_page_does_not_end_the_list_it_is_in() -> None:
    """An item's paragraphs go on over a page break ("… When compared" / "communities less than 1km …"): the part in
    lower case is the same paragraph, so it does not count as one more after the item."""
    first = Page(3, [Block(BlockKind.LIST_ITEM, "Noise pollution"), Block(BlockKind.PARAGRAPH, "One thing."),
                     Block(BlockKind.PARAGRAPH, "No community should experience it. When compared")])
    second = Page(4, [Block(BlockKind.PARAGRAPH, "communities less than 1km from the site."),
                      Block(BlockKind.LIST_ITEM, "Power Infrastructure")])
    mark_lists([first, second])
    assert second.blocks[0].list_no == first.blocks[0].list_no == second.blocks[1].list_no == 0


def test_a_list_goes_on_after_an_item_argued_over_more_paragraphs() -> None:
    """"• Noise pollution" and three paragraphs, then "• Power Infrastructure": the list goes on, the paragraphs are
    the longer item's. Its next item is what resumes it: prose after a list stays prose, and a numbered list is
    resumed only by the number that follows ("3." after "2.", not "5.")."""
    para = [Block(BlockKind.PARAGRAPH, f"Paragraph {n} of the argument.") for n in range(3)]
    pages = [Page(1, [Block(BlockKind.LIST_ITEM, "Minerals"), Block(BlockKind.PARAGRAPH, "One point."),
                      Block(BlockKind.LIST_ITEM, "Noise pollution"), *para,
                      Block(BlockKind.LIST_ITEM, "Power Infrastructure")])]
    mark_lists(pages)
    assert {b.list_no for b in pages[0].blocks} == {0}

    prose = [Block(BlockKind.PARAGRAPH, f"Paragraph {n} of the report.") for n in range(6)]
    pages = [Page(1, [Block(BlockKind.PARAGRAPH, "1. Agree the plan."), Block(BlockKind.PARAGRAPH, "2. Note it."),
                      *prose[:3], Block(BlockKind.PARAGRAPH, "3. Delegate the rest.")])]
    mark_lists(pages)
    assert [b.list_no for b in pages[0].blocks] == [0] * 6
    pages = [Page(1, [Block(BlockKind.PARAGRAPH, "1. Agree the plan."), Block(BlockKind.PARAGRAPH, "2. Note it."),
                      *prose[3:], Block(BlockKind.PARAGRAPH, "5. Another list's item.")])]
    mark_lists(pages)
    assert [b.list_no for b in pages[0].blocks] == [0, 0, 0, 0, -1, 1]

    pages = [Page(1, [Block(BlockKind.LIST_ITEM, "Minerals"), *[Block(BlockKind.PARAGRAPH, f"Prose {n}.")
                                                                 for n in range(5)],
                      Block(BlockKind.LIST_ITEM, "Another list")])]
    mark_lists(pages)
    assert [b.list_no for b in pages[0].blocks] == [0, 0, 0, -1, -1, -1, 1]


@pytest.mark.skipif(not KENT.is_dir(), reason="external papers not available")
def test_the_coalition_s_reasons_are_one_list() -> None:
    """Its nine reasons go over five pages, "Noise pollution" over three paragraphs and a page break."""
    pages, _ = parse_pdf(KENT.parent / "souldern-pc" / "coalition-of-parishes-objection.pdf")
    items = [b for p in pages for b in p.blocks if b.kind == BlockKind.LIST_ITEM]
    assert {"Noise pollution", "Power Infrastructure", "Transport and travel"} <= {b.text for b in items}
    assert len({b.list_no for b in items}) == 1


@pytest.mark.skipif(not KENT.is_dir(), reason="Kent papers not available")
def test_kent_papers_parse_with_tables() -> None:
    path = KENT / "cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25.pdf"
    pages, _ = parse_pdf(path)
    rows = [b.text for p in pages for b in p.blocks if b.kind == BlockKind.TABLE_ROW]
    assert any(r.startswith("Adult Social Care & Health 586.1 621.6") for r in rows)
    headings = [b.text for p in pages for b in p.blocks if b.kind == BlockKind.HEADING]
    assert "3 | Revenue Budget Forecast" in headings
    assert not any(re.fullmatch(r"Page \d+ of \d+", b.text) for p in pages for b in p.blocks)


# ---------------------------------------------------------------- hand-built PDFs


def test_hyphenation_ligatures_and_headers(tmp_path: Path) -> None:
    pages = []
    for n in range(1, 4):
        lines = [("Borsetshire Council - Annual Report 2024", "R", 8, 810)]
        if n == 1:
            lines.append(("1. Introduction", "B", 12, 760))
            texts = [
                "The council works with a multi-",
                "agency partnership on the organi-",
                "sation of services and the \xc0nancial plan for",  # \xc0 = "fi" ligature glyph
                "the year ahead. It was re\xc1ected and well received by all the partners who took part.",
                "Short last line.",
            ]
        else:
            texts = [f"Body text of page {n} talks about something else entirely.", "It ends here."]
        lines += body_lines(texts)
        lines.append((f"Page {n} of 3", "R", 8, 30))
        pages.append(lines)
    pdf = write_pdf(tmp_path / "special.pdf", pages)
    parsed, info = parse_pdf(pdf)
    text = all_text(parsed)
    assert "multi-agency partnership" in text
    assert "the organisation of services" in text
    assert "financial plan for the year ahead." in text
    assert "It was reflected and" in text and "\ufb01" not in text and "\ufb02" not in text
    assert "Borsetshire Council - Annual Report" not in text
    assert "Page" not in text
    assert parsed[0].blocks[0] == parsed[0].blocks[0].__class__(BlockKind.HEADING, "1. Introduction", 1)
    assert info["running_header"].startswith("Borsetshire Council")


def test_blank_page_is_marked_scanned(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "scan.pdf", [body_lines(["Some real text on the first page here."]), []])
    pages, _ = parse_pdf(pdf)
    assert [p.scanned for p in pages] == [False, True]
    assert pages[1].blocks == []


def test_a_footnote_mark_set_small_and_raised_is_no_digit_of_the_figure_before_it(tmp_path: Path) -> None:
    # Raised by the text rise (Ts), and by a matrix of its own (Tm) as Word's PDFs print it; "Table 2" at the same
    # size and baseline stays a number.
    stream = (b"BT /FR 12 Tf 50 700 Td (In Quarter 3, 17 of the 38) Tj /FR 8 Tf 3.6 Ts (1) Tj /FR 12 Tf 0 Ts"
              b" ( indicators are rated as Green, one more than last quarter.) Tj ET\n"
              b"BT /FR 12 Tf 1 0 0 1 50 680 Tm (The site covers 12 km) Tj /FR 7 Tf 1 0 0 1 154.7 684 Tm (2) Tj"
              b" /FR 12 Tf 1 0 0 1 159 680 Tm ( of open land, as Table 2 shows.) Tj ET")
    pages, _ = parse_pdf(assemble_pdf(tmp_path / "marks.pdf", [stream], "/WinAnsiEncoding"))
    text = all_text(pages)
    assert "17 of the 38\u00b9 indicators" in text and "381" not in text
    assert "12 km\u00b2 of open land, as Table 2 shows." in text


def test_table_rows_stay_separate(tmp_path: Path) -> None:
    lines = body_lines(
        [
            "The table below shows the budget.",
            "Adult Social Care 586.1 621.6 +35.4 +6.0%",
            "Highways 202.9 209.2 +6.3 +3.1%",
        ]
    )
    pages, _ = parse_pdf(write_pdf(tmp_path / "t.pdf", [lines]))
    kinds = [b.kind for b in pages[0].blocks]
    assert kinds == [BlockKind.PARAGRAPH, BlockKind.TABLE_ROW, BlockKind.TABLE_ROW]
    assert not is_table_row("Between 2019/20 and 2023/24, employee numbers decreased by 1,192 people")
    assert not is_table_row("13th – 16th June 2017")
    assert not is_table_row("2.1 Progress on Phase 1")


def test_join_lines_rules() -> None:
    words = {"organisation", "agency"}
    assert join_lines("a multi-", "agency plan", words, set()) == "a multi-agency plan"
    assert join_lines("the organi-", "sation of", words, set()) == "the organisation of"
    assert join_lines("end of", "line", words, set()) == "end of line"
    assert join_lines("budget -", "a note", words, set()) == "budget - a note"


# ---------------------------------------------------------------- bad files


def test_postscript_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"%!PS-Adobe-3.0\n%%Title: x\nshowpage\n")
    with pytest.raises(DocumentError) as err:
        parse_file(path)
    assert err.value.reason == "not a PDF (PostScript)"


def test_empty_truncated_and_unsupported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty file"):
        parse_file(empty)
    good = write_pdf(tmp_path / "good.pdf", [body_lines(["Hello world, this is a test page."])])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.read_bytes()[:60])
    with pytest.raises(DocumentError, match="corrupt PDF"):
        parse_file(broken)
    sheet = tmp_path / "sheet.xlsx"
    sheet.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(UnsupportedFormat):
        parse_file(sheet)
    assert {".pdf", ".docx", ".html", ".htm", ".txt", ".md"} == set(SUPPORTED_SUFFIXES)


def test_encrypted_pdf_needs_password(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(tmp_path / "plain.pdf", [body_lines(["Secret council business discussed here."])])
    writer = PdfWriter()
    writer.append(PdfReader(plain))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError) as err:
        parse_file(locked)
    assert err.value.reason == "encrypted PDF (password required)"
    # An empty user password opens without asking.
    writer = PdfWriter()
    writer.append(PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    open_pdf = tmp_path / "open.pdf"
    with open_pdf.open("wb") as fh:
        writer.write(fh)
    assert "Secret council business" in all_text(parse_file(open_pdf).pages)


# ---------------------------------------------------------------- DOCX, HTML, TXT/MD


def test_docx(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_heading("Budget 2025", level=1)
    document.add_heading("4.1 Savings", level=2)
    document.add_paragraph("The council will save £1.5m next year.")
    document.add_paragraph("Close the accounts", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("Service", "2024", "2025"), ("Libraries", "1.2", "1.1")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "paper.docx"
    document.save(str(path))
    doc = parse_file(path)
    blocks = doc.pages[0].blocks
    assert [(b.kind, b.text, b.level) for b in blocks[:2]] == [
        (BlockKind.HEADING, "Budget 2025", 1),
        (BlockKind.HEADING, "4.1 Savings", 2),
    ]
    assert blocks[3].kind == BlockKind.LIST_ITEM
    rows = [b.text for b in blocks if b.kind == BlockKind.TABLE_ROW]
    assert rows == ["Service | 2024 | 2025", "Libraries | 1.2 | 1.1"]
    assert doc.metadata.page_count == 1


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Minutes</title><script>var x = 1;</script></head><body>"
        "<nav>Home | About</nav><h1>Minutes of Cabinet</h1><h2>1. Apologies</h2>"
        "<p>Apologies were   received from Cllr Smith.</p><ul><li>Item one</li></ul>"
        "<table><tr><th>Item</th><th>Cost</th></tr><tr><td>Roads</td><td>£2m</td></tr></table>"
        "</body></html>",
        encoding="utf-8",
    )
    blocks = parse_file(path).pages[0].blocks
    texts = [(b.kind, b.text) for b in blocks]
    assert (BlockKind.HEADING, "1. Apologies") in texts
    assert (BlockKind.PARAGRAPH, "Apologies were received from Cllr Smith.") in texts
    assert (BlockKind.TABLE_ROW, "Roads | £2m") in texts
    assert not any("var x" in b.text or "About" in b.text for b in blocks)


def test_markdown_and_cp1252_text(tmp_path: Path) -> None:
    md = tmp_path / "notes.md"
    md.write_text("# Title\n\n## **Background**\n\nSome text\nwrapped here.\n\n- one\n* two\n", encoding="utf-8")
    blocks = parse_file(md).pages[0].blocks
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        (BlockKind.HEADING, "Title", 1),
        (BlockKind.HEADING, "Background", 2),
        (BlockKind.PARAGRAPH, "Some text wrapped here.", 0),
        (BlockKind.LIST_ITEM, "one", 0),
        (BlockKind.LIST_ITEM, "two", 0),
    ]
    txt = tmp_path / "legacy.txt"
    txt.write_bytes("Cost \u00a3120 \u2013 agreed by the council\fSecond page text.".encode("cp1252"))
    doc = parse_file(txt)
    assert doc.pages[0].blocks[0].text == "Cost £120 – agreed by the council"
    assert doc.pages[1].number == 2 and doc.pages[1].blocks[0].text == "Second page text."
