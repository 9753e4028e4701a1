"""Tables read from the page layout: each row one TABLE_ROW block, cells in their columns, header
names kept with the cells (text tables) or above the rows and in every chunk (tables of figures).

Synthetic PDFs place each string at its own x position (`layout_pdf`; `write_pdf` prints every line at one
x); the real-paper checks skip when the papers are absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answer_kinds import figures_context
from assistant.answering.compose import Quoter
from assistant.figure_given import gives_figure
from assistant.intent import Intent
from assistant.question import QuestionAnalysis
from assistant.types import Evidence, Passage
from common.types import Block, BlockKind, Chunk, DocumentMetadata, DocumentRecord, Page, ParsedDocument
from ingest.chunking import chunk_document, load_token_counter
from ingest.parse import parse_file
from ingest.pdf import parse_pdf
from tests.conftest import EXTERNAL, SHARED
from tests.pdfgen import Item, layout_pdf

ROOT = Path(__file__).parents[1]
LOCAL = ROOT / "data" / "council-papers"
CORPUS = LOCAL if LOCAL.is_dir() else SHARED / "corpus" / "pdf"
CABINET = CORPUS / "derbyshire-cc-cabinet-enterprising-council-phase-2-2020.pdf"
KENT = EXTERNAL / "pdfs" / "kent-cc"
NEWSLETTER = EXTERNAL / "pdfs" / "souldern-pc" / "spc-newsletter-2016-12.pdf"

needs_kent = pytest.mark.skipif(not KENT.is_dir(), reason="../shared/external is not present")


def right(text: str, font: str, size: float, edge: float, y: float) -> Item:
    """A string right-aligned at `edge` (figures in a column), using Helvetica's widths."""
    from pypdf._codecs.core_font_metrics import CORE_FONT_METRICS

    name = "Helvetica-Bold" if font == "B" else "Helvetica"
    metrics = CORE_FONT_METRICS[name].character_widths
    glyph = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
             "7": "seven", "8": "eight", "9": "nine", ".": "period", ",": "comma", "+": "plus", "-": "hyphen",
             "%": "percent", "£": "sterling", " ": "space", "–": "endash"}
    width = sum(metrics.get(glyph.get(ch, ch), 556) for ch in text) * size / 1000
    return (text, font, size, edge - width, y)


def blocks_of(pages: list[Page], kind: BlockKind | None = None) -> list[Block]:
    return [b for p in pages for b in p.blocks if kind is None or b.kind == kind]


# ---------------------------------------------------------------- a two-column text table

SERVICES = [
    ("1. Occupational Health", [
        "1. Occupational Health A report detailing the outcome of the",
        "Occupational Health service review was approved at Cabinet on",
        "6 June 2019. The future structure and function of Occupational",
        "Health services will be reviewed as part of the wider review of HR.",
    ], ["Review Completed –", "Implementation underway as", "part of HR Review"]),
    ("2. Assistive Technology", [
        "2. Assistive Technology This service provides community alarm",
        "and telecare services for older and vulnerable people. As part of",
        "the review of the current service, the Council undertook a",
        "diagnostic evaluation of current service arrangement.",
    ], ["Review In Progress –", "Undertaken in conjunction", "with Better Lives Programme"]),
    ("3. Libraries", [
        "3. Libraries The Library Strategy was approved by Cabinet on 20",
        "December 2018. The first stage of implementation was focused",
        "upon transferring 20 libraries to community management.",
    ], ["Review Completed –", "Implementation of the", "Library Strategy"]),
]
STATUS = {
    "Occupational Health": "Review Completed – Implementation underway as part of HR Review",
    "Assistive Technology": "Review In Progress – Undertaken in conjunction with Better Lives Programme",
    "Libraries": "Review Completed – Implementation of the Library Strategy",
}


def text_table_page(order: str) -> list[list[Item]]:
    """The table drawn line by line across the columns ("lines"), cell by cell ("cells"), or one row
    per text object with all its strings ("objects": pypdf returns each line as one run)."""
    objs: list[list[Item]] = [[("A summary of progress on each early start service area is set out below:", "R", 10.5,
                                50, 760)]]
    objs.append([("Early Start Service Area", "B", 10.5, 50, 730), ("Status", "B", 10.5, 380, 730)])
    y = 706.0
    for _, area, status in SERVICES:
        left = [(t, "R", 10.5, 50, y - 13 * i) for i, t in enumerate(area)]
        rightc = [(t, "R", 10.5, 380, y - 13 * i) for i, t in enumerate(status)]
        if order == "cells":
            objs += [[item] for item in left] + [[item] for item in rightc]
        elif order == "objects":
            objs.append(left + rightc)
        else:
            for i in range(max(len(left), len(rightc))):
                objs += [[cell[i]] for cell in (left, rightc) if i < len(cell)]
        y -= 13 * max(len(area), len(status)) + 12
    objs.append([("The Council will continue to report progress to Cabinet twice a year, as agreed.", "R", 10.5,
                  50, y - 20)])
    return objs


@pytest.mark.parametrize("order", ["lines", "cells", "objects"])
def test_text_table_rows_keep_each_cell_in_its_column(tmp_path: Path, order: str) -> None:
    pages, _ = parse_pdf(layout_pdf(tmp_path / "t.pdf", [text_table_page(order)]))
    rows = [b.text for b in blocks_of(pages, BlockKind.TABLE_ROW)]
    assert len(rows) == 3, rows
    for row, (name, area, _) in zip(rows, SERVICES, strict=True):
        short = name.split(" ", 1)[1]
        area_text = " ".join(area)
        assert row == f"Early Start Service Area: {area_text} | Status: {STATUS[short]}", row
    # Statuses never land inside another cell's sentence.
    assert "current service Review" not in " ".join(rows)
    texts = [b.text for b in blocks_of(pages)]
    assert texts[0].startswith("A summary of progress") and texts[-1].startswith("The Council will continue")


# ---------------------------------------------------------------- a table of figures

DIRECTORATES = [
    ("Adult Social Care & Health", "586.1", "621.6", "+35.4"),
    ("Children, Young People & Education", "430.6", "420.8", "-9.9"),
    ("Growth, Environment & Transport", "202.9", "209.2", "+6.3"),
    ("Chief Executive's Department", "30.5", "29.3", "-1.2"),
]
HEADER = "Directorate | 2024-25 Budget | 2025-26 Budget | Change"


def figures_page(rows: list[tuple[str, str, str, str]], top: float = 700.0, header: bool = True,
                 caption: str = "Table 1: Budget by directorate (£m)") -> list[list[Item]]:
    objs: list[list[Item]] = [[("3. Revenue budget", "B", 13, 50, top + 50)], [(caption, "R", 10.5, 50, top + 24)]]
    if header:
        objs.append([("Directorate", "B", 10.5, 50, top), ("2024-25", "B", 10.5, 300, top + 6),
                     ("Budget", "B", 10.5, 305, top - 6), ("2025-26", "B", 10.5, 390, top + 6),
                     ("Budget", "B", 10.5, 395, top - 6), ("Change", "B", 10.5, 480, top)])
    y = top - 26
    for label, a, b, c in rows:
        objs.append([(label, "R", 10.5, 50, y), right(a, "R", 10.5, 350, y), right(b, "R", 10.5, 440, y),
                     right(c, "R", 10.5, 520, y)])
        y -= 18
    return objs


def test_figures_table_keeps_its_header_row_above_the_rows(tmp_path: Path) -> None:
    pages, _ = parse_pdf(layout_pdf(tmp_path / "f.pdf", [figures_page(DIRECTORATES)]))
    rows = [b.text for b in blocks_of(pages, BlockKind.TABLE_ROW)]
    assert rows == [HEADER] + [" ".join(r) for r in DIRECTORATES]
    kinds = [b.kind for b in blocks_of(pages)]
    assert kinds[:3] == [BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.TABLE_ROW]  # the caption stays a line


def test_empty_figure_cell_keeps_the_columns_in_place(tmp_path: Path) -> None:
    rows = [DIRECTORATES[0], ("Public Health", "12.0", "", "+0.4"), DIRECTORATES[2]]
    pages, _ = parse_pdf(layout_pdf(tmp_path / "e.pdf", [figures_page(rows)]))
    texts = [b.text for b in blocks_of(pages, BlockKind.TABLE_ROW)]
    assert "Public Health 12.0 – +0.4" in texts


def test_every_chunk_of_a_long_table_carries_its_header(tmp_path: Path) -> None:
    rows = [(f"Service line {i}", f"{100 + i}.5", f"{101 + i}.5", "+1.0") for i in range(34)]
    pdf = layout_pdf(tmp_path / "long.pdf", [figures_page(rows, top=720)])
    doc = parse_file(pdf, ocr=False)
    chunked = chunk_document(doc, load_token_counter(), max_tokens=120)
    tables = [c for c in chunked.chunks if c.kind == "table"]
    assert len(tables) >= 3
    for chunk in tables:
        assert chunk.section.endswith(HEADER), chunk.section
        assert "Table 1: Budget by directorate" in chunk.section
    assert tables[0].text.startswith("Table 1: Budget by directorate (£m)\n\n" + HEADER + "\nService line 0 100.5")
    assert all(re.fullmatch(r"Service line \d+ \d+\.5 \d+\.5 \+1\.0", line)
               for c in tables[1:] for line in c.text.splitlines())


def test_header_row_left_at_the_foot_of_a_page_joins_its_table(tmp_path: Path) -> None:
    first = figures_page([], header=False)[:2]
    first.append([("Directorate", "B", 10.5, 50, 80), ("2024-25", "B", 10.5, 300, 80), ("2025-26", "B", 10.5, 390, 80),
                  ("Change", "B", 10.5, 480, 80)])
    second = [[("Budget", "B", 10.5, 305, 780), ("Budget", "B", 10.5, 395, 780)]]
    y = 760.0
    for label, a, b, c in DIRECTORATES:
        second.append([(label, "R", 10.5, 50, y), right(a, "R", 10.5, 350, y), right(b, "R", 10.5, 440, y),
                       right(c, "R", 10.5, 520, y)])
        y -= 18
    pages, _ = parse_pdf(layout_pdf(tmp_path / "split.pdf", [first, second]))
    assert [b.text for b in pages[0].blocks][-1] == "Table 1: Budget by directorate (£m)"
    assert [b.text for b in pages[1].blocks] == [HEADER] + [" ".join(r) for r in DIRECTORATES]


def test_table_header_in_chunk_section_without_layout() -> None:
    """The chunker repeats a header row however the rows were found (DOCX, HTML, text)."""
    blocks = [Block(BlockKind.HEADING, "3 Revenue", 1), Block(BlockKind.PARAGRAPH, "Budget by directorate (£m)"),
              Block(BlockKind.TABLE_ROW, "Directorate | Budget | Forecast | Variance")]
    blocks += [Block(BlockKind.TABLE_ROW, f"Directorate {i} {i}.1 {i}.2 +0.{i}") for i in range(60)]
    doc = ParsedDocument(DocumentMetadata(doc_id="t"), [Page(1, blocks)])
    chunks = chunk_document(doc, load_token_counter(), max_tokens=120).chunks
    tables = [c for c in chunks if c.kind == "table"]
    assert len(tables) >= 3
    assert all(c.section == "3 Revenue > Budget by directorate (£m) > Directorate | Budget | Forecast | Variance"
               for c in tables)


def test_column_names_printed_as_lines_above_the_rows_head_the_table() -> None:
    """Kent's council-tax table prints its column names as loose lines under the caption ("Band", "Proportion
    of Band D Tax Rate 2024-25 (incl. ASCL)", "£p", …): they head every chunk of its rows, so "D 9/9 1,610.82
    1,691.19" is read as the 2025-26 Band D charge; the last loose line ("£p") is not taken for a caption."""
    lines = ["Band Proportion of Band D Tax Rate 2024-25 (incl. ASCL)", "£p", "2025-26 (incl. increase in ASCL) £p",
             "Increase", "£p"]
    blocks = [Block(BlockKind.HEADING, "Table 6.1 – Proposed Council Tax Increases by Band", 1)]
    blocks += [Block(BlockKind.PARAGRAPH, line) for line in lines]
    blocks += [Block(BlockKind.TABLE_ROW, "D 9/9 1,610.82 1,691.19 80.37"),
               Block(BlockKind.TABLE_ROW, "E 11/9 1,968.78 2,067.01 98.23")]
    doc = ParsedDocument(DocumentMetadata(doc_id="t"), [Page(1, blocks)])
    table = next(c for c in load_and_chunk(doc) if c.kind == "table")
    assert table.section == "Table 6.1 – Proposed Council Tax Increases by Band > " + " ".join(lines)


@pytest.mark.parametrize("above", [
    ["The table below sets out the rates.", "Rates"],  # a sentence: prose, not a header
    ["Anna Taylor, Scrutiny Officer", "anna.taylor@kent.gov.uk"],  # contact details
    ["Dudley 30,000", "Walsall 10-15,000"],  # lines with figures of their own are rows
])
def test_lines_above_a_table_that_are_not_its_column_names(above: list[str]) -> None:
    blocks = [Block(BlockKind.HEADING, "Rates", 1)] + [Block(BlockKind.PARAGRAPH, line) for line in above]
    blocks += [Block(BlockKind.TABLE_ROW, "Dover 41,029.46 41,702.34 70,526.6")]
    doc = ParsedDocument(DocumentMetadata(doc_id="t"), [Page(1, blocks)])
    table = next(c for c in load_and_chunk(doc) if c.kind == "table")
    assert " ".join(above) not in table.section


def load_and_chunk(doc: ParsedDocument) -> list[Chunk]:
    return chunk_document(doc, load_token_counter()).chunks


# ---------------------------------------------------------------- what is not a table

def test_prose_in_two_columns_reads_column_by_column(tmp_path: Path) -> None:
    left = ["The Horticultural Society is hosting its annual Cheese", "and Wine evening at the Village Hall from",
            "seven o'clock. Tickets are available from the shop and", "from members of the committee this month."]
    right_col = ["Sadly, the football club took the decision to withdraw",
                 "from the Banbury league before Christmas as",
                 "the management could not raise a regular eleven, so", "the changing rooms are free for other uses."]
    objs = []
    for i in range(12):  # both columns printed line by line across the page
        objs.append([(left[i % 4], "R", 11, 40, 760 - 14 * i)])
        objs.append([(right_col[i % 4], "R", 11, 325, 760 - 14 * i)])
    pages, _ = parse_pdf(layout_pdf(tmp_path / "cols.pdf", [objs]))
    text = " ".join(b.text for b in blocks_of(pages))
    assert not blocks_of(pages, BlockKind.TABLE_ROW)
    assert "Cheese and Wine evening at the Village Hall from seven o'clock." in text
    assert "withdraw from the Banbury league" in text
    assert text.index("Horticultural") < text.index("football")


def test_hanging_numbers_and_label_value_lines_are_not_tables(tmp_path: Path) -> None:
    objs = [[("From:", "B", 11, 50, 780), ("Roger Gough, Leader of the Council", "R", 11, 130, 780)],
            [("To:", "B", 11, 50, 764), ("Cabinet – 30 January 2025", "R", 11, 130, 764)],
            [("Subject:", "B", 11, 50, 748), ("Budget monitoring", "R", 11, 130, 748)]]
    y = 710.0
    for n in range(1, 4):
        objs.append([(f"2.{n}", "R", 11, 50, y), (f"The council notes the forecast position for quarter {n} and", "R",
                                                    11, 90, y)])
        objs.append([("agrees the actions set out in section three of this report.", "R", 11, 90, y - 14)])
        y -= 40
    pages, _ = parse_pdf(layout_pdf(tmp_path / "prose.pdf", [objs]))
    texts = [b.text for b in blocks_of(pages)]
    assert not blocks_of(pages, BlockKind.TABLE_ROW), texts
    assert texts[0].startswith("From: Roger Gough, Leader of the Council To: Cabinet")  # as printed, no " | "
    assert any(t.startswith("2.2 The council notes the forecast position for quarter 2") for t in texts)


# ---------------------------------------------------------------- real papers

@pytest.mark.skipif(not CABINET.is_file(), reason="demo cabinet report not available")
def test_cabinet_report_service_rows_hold_their_status() -> None:
    pages, _ = parse_pdf(CABINET)
    blocks = [b.text for p in pages[8:14] for b in p.blocks]
    expected = {
        "1. Occupational Health": "Review Completed – Implementation underway as part of HR Review",
        "2. Assistive Technology": "Review In Progress – Undertaken in conjunction with Better Lives Programme",
        "4. Libraries": "Review Completed – Implementation of the Library Strategy",
        "6. Highways and Fleet Management": "Review Completed – Implementation of Improvement Plans underway",
    }
    for area, status in expected.items():
        row = next(t for t in blocks if t.startswith(area))
        assert status in row, (area, row[-200:])


@pytest.mark.xfail(strict=True, reason=(
    "the demo PDF has no column geometry: each Status text is printed inside the same string as the Service "
    "Area text, at x=62.7 (a re-render of tab-separated text), so the layout cannot separate the cells"))
@pytest.mark.skipif(not CABINET.is_file(), reason="demo cabinet report not available")
def test_cabinet_report_assistive_technology_cell_has_no_status_inside() -> None:
    pages, _ = parse_pdf(CABINET)
    row = next(b.text for p in pages[8:14] for b in p.blocks if b.text.startswith("2. Assistive Technology"))
    assert "current service Review In Progress" not in row


@needs_kent
def test_kent_figures_tables_keep_column_names() -> None:
    pages, _ = parse_pdf(KENT / "cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25.pdf")
    page6 = [b.text for b in pages[5].blocks]
    # The header's first line sits at the foot of page 5, its second at the top of page 6: one header row.
    assert page6[:2] == ["Directorate | Revenue Budget | Revenue Forecast | Revenue Variance | % Variance",
                         "Adult Social Care & Health 586.1 621.6 +35.4 +6.0%"]
    assert "Directorate Revenue Revenue Revenue %" not in [b.text for b in pages[4].blocks]
    pay, _ = parse_pdf(KENT / "council-2025-03-13_pay-policy-statement-2025-26.pdf")
    rows = [b.text for b in blocks_of(pay, BlockKind.TABLE_ROW)]
    head = rows.index("Grade | Entry | Temporary transition point 1 | Middle 1 | Middle 2 | "
                      "Temporary transition point 2 | Top")
    assert rows[head + 1] == "KS R £217,528 £222,449 £227,370 £237,213 £242,134 £247,055"
    assert "KS M £77,348 £79,671 £81,994 – £84,317 £86,639" in rows  # no Middle 2 point for KS M
    assert "KS A – – – – – £24,513" in rows  # only a Top point


@needs_kent
def test_kent_text_table_rows_name_their_cells() -> None:
    pages, _ = parse_pdf(KENT / "cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25.pdf")
    rows = [b.text for b in pages[7].blocks if b.kind == BlockKind.TABLE_ROW]
    first = rows[0]
    assert first.startswith("Key Service: Older People - Residential Care Services | Revenue Budget: 97.5 | "
                            "Revenue Forecast: 124.9 | Revenue Variance: +27.4 | "
                            "Summary: Pressure from slippage in savings programme | Detail: +£10.7m pressure")
    assert "Adult Mental Health" not in first
    assert any(r.startswith("Key Service: Adult Mental Health - Community Based Services | Revenue Budget: 21.2")
               for r in rows)


@pytest.mark.skipif(not NEWSLETTER.is_file(), reason="../shared/external is not present")
def test_newsletter_columns_keep_their_reading_order() -> None:
    pages, _ = parse_pdf(NEWSLETTER)
    assert not blocks_of(pages, BlockKind.TABLE_ROW) or all(
        b.text.startswith(("Chairman:", "Clerk:", "tacted on")) for b in blocks_of(pages, BlockKind.TABLE_ROW))
    page2 = " ".join(b.text for b in pages[1].blocks)
    # The left column (footpath, defibrillator, lambing) comes before the right one (playground, events).
    assert page2.index("to OCC. Briefly, the new route") < page2.index("Defibrillator") \
        < page2.index("Lambing at Lower Souldern") < page2.index("take this opportunity to thank Tania") \
        < page2.index("Social Events in Souldern")


def _table_row_evidence(text: str, section: str, kind: str = "table") -> Evidence:
    chunk = Chunk("pay-0001", "pay", 1, text, section, 6, 6, 0, len(text), [(0, 6)], kind=kind)
    doc = DocumentRecord(doc_id="pay", title="Pay Policy Statement", short_title="Pay Policy Statement")
    first = text.splitlines()[0]
    return Evidence(Passage(chunk, doc, 1.0), 0, 0, len(first), first)


def test_a_quoted_row_of_figures_names_the_column_of_each_figure() -> None:
    section = "2025/26 Kent Scheme pay scale > Grade | Entry | Middle | Top"
    row = _table_row_evidence("KS R £217,528 £227,370 £247,055\nKS Q £168,222 £175,205 £210,120", section)
    assert Quoter().quote(row) == ("“KS R £217,528 £227,370 £247,055” [1] "
                                   "(Entry: £217,528; Middle: £227,370; Top: £247,055)")
    assert figures_context(row) == section
    # Cells and columns that do not pair one to one are quoted as printed, with no reading of them.
    assert Quoter().quote(_table_row_evidence("KS R £217,528 £247,055", section)) == "“KS R £217,528 £247,055” [1]"
    prose = _table_row_evidence("The top of grade KS R rises by 3% to £247,055.", section, kind="text")
    assert "Top:" not in Quoter().quote(prose) and figures_context(prose) == ""


def test_a_rows_table_says_what_its_money_is() -> None:
    # "How much is the top of the pay scale…" asks for an amount paid: the row's figures are pay because the
    # table's title says so, though the row itself holds only a grade and amounts.
    asked = QuestionAnalysis(text="How much is the top pay point of grade KS R?", intent=Intent.LOOKUP,
                             wants_figure=True, wants_money=True, money_kind="paid")
    row = "KS R £217,528 £227,370 £247,055"
    assert gives_figure(row, asked, "2025/26 Kent Scheme pay scale > Grade | Entry | Middle | Top")
    assert not gives_figure(row, asked, "")


def test_a_line_of_labelled_figures_is_quoted_under_its_heading() -> None:
    section = "Key Performance Indicators > Percentage of complaints responded to within timescale RED"
    card = _table_row_evidence("Latest: 71% Target: 85%, Floor: 80% Previous: 71% (Red)", section, kind="text")
    assert Quoter().quote(card).endswith("[1] (under “Percentage of complaints responded to within timescale RED”)")
    assert figures_context(card) == section


def test_a_short_line_of_figures_that_is_no_sentence_takes_its_subject_from_its_heading() -> None:
    section = "3. Our Commissioning Intentions > Secondary School Commissioning Intentions"
    total = _table_row_evidence("A total of 38FE across the Plan period and up to 810 temporary Year 7 places",
                                section, kind="text")
    assert figures_context(total) == section
    sentence = _table_row_evidence("A total of 38FE is needed across the Plan period.", section, kind="text")
    assert figures_context(sentence) == ""  # a sentence says what it is about itself
    contact = _table_row_evidence("Paul Wilson - Chief Executive Telephone: 01629 761125", section, kind="text")
    assert figures_context(contact) == ""  # a phone number is no figure of the heading's
