"""Chunking: budgets, exact offsets, sections, pages and stable ids on the demo PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.text import split_sentences
from common.types import Block, BlockKind, DocumentMetadata, Page, ParsedDocument
from ingest.chunking import chunk_document, load_token_counter
from ingest.parse import parse_file
from tests.conftest import SHARED

ROOT = Path(__file__).parents[1]
LOCAL = ROOT / "data" / "council-papers"
CORPUS = LOCAL if LOCAL.is_dir() else SHARED / "corpus" / "pdf"
DEMO = sorted(CORPUS.glob("*.pdf"))
MAX = 230

needs_demo = pytest.mark.skipif(not DEMO, reason="demo corpus not available")


@pytest.fixture(scope="module")
def count():
    return load_token_counter()


@pytest.fixture(scope="module")
def demo_chunks(count):
    return {pdf.stem: chunk_document(parse_file(pdf), count) for pdf in DEMO}


def find(chunks, needle: str):
    return [c for c in chunks if needle in c.text]


@needs_demo
def test_budget_offsets_and_pages(demo_chunks, count) -> None:
    for stem, chunked in demo_chunks.items():
        full, chunks = chunked.full_text, chunked.chunks
        assert chunks, stem
        for c in chunks:
            assert full[c.char_start : c.char_end] == c.text
            assert c.text.strip()
            assert count(c.section + "\n" + c.text) <= MAX, (stem, c.seq)
            assert c.page_breaks[0] == (0, c.page_start)
            assert c.page_start <= c.page_end
            assert c.page_at(len(c.text) - 1) == c.page_end
        assert [c.seq for c in chunks] == list(range(len(chunks)))


@needs_demo
def test_sections(demo_chunks) -> None:
    chunks = demo_chunks["derby-city-corporate-peer-challenge-2017"].chunks
    hit = find(chunks, "The council's net revenue budget for 2017/18 is £215m.")
    assert len(hit) == 1
    assert hit[0].section == "4. Feedback > 4.4 Financial planning and viability"
    assert hit[0].text.startswith("4.4 Financial planning and viability\n")
    assert hit[0].page_start == 9
    plan = demo_chunks["derbyshire-cc-productivity-plan-2024"].chunks
    hit = find(plan, "decreased by 1,192 from 7,977 to 6,785")
    assert hit[0].section == "Thematic Area 1: Transformation" and hit[0].page_start == 1
    assert find(plan, "Thematic Area 2: Digital, Technology and Data")[0].section.startswith("Thematic Area 2")


@needs_demo
def test_chunk_crossing_a_page_records_the_break(demo_chunks) -> None:
    chunks = demo_chunks["derby-city-corporate-peer-challenge-2017"].chunks
    crossing = [c for c in chunks if c.page_end > c.page_start]
    assert crossing
    for c in crossing:
        offset, page = c.page_breaks[1]
        assert page == c.page_start + 1 and 0 < offset < len(c.text)
    # The sentence split over pages 1-2 stays whole in one chunk.
    hit = find(chunks, "becoming self-fulfilling if they persist. These relate to the lack of resources")
    assert hit and hit[0].page_start == 1 and hit[0].page_end == 2


@needs_demo
def test_ids_are_stable(count) -> None:
    pdf = CORPUS / "derbyshire-dales-council-vision-derbyshire-2020.pdf"
    first = [c.chunk_id for c in chunk_document(parse_file(pdf), count).chunks]
    second = [c.chunk_id for c in chunk_document(parse_file(pdf), count).chunks]
    assert first == second and len(set(first)) == len(first)
    assert first[0].startswith("derbyshire-dales-council-vision-derbyshire-2020-0000-")


def _doc(pages: list[list[Block]]) -> ParsedDocument:
    return ParsedDocument(DocumentMetadata("synthetic"), [Page(i + 1, b) for i, b in enumerate(pages)])


def test_long_paragraph_is_split_at_sentences(count) -> None:
    sentence = "The council agreed a budget of £1.5m for roads, e.g. resurfacing in No. 3 ward and others. "
    long_text = (sentence * 30).strip()
    doc = _doc([[Block(BlockKind.HEADING, "2. Roads", 1), Block(BlockKind.PARAGRAPH, long_text)]])
    chunked = chunk_document(doc, count, max_tokens=100)
    full, chunks = chunked.full_text, chunked.chunks
    assert len(chunks) > 3
    for c in chunks:
        assert full[c.char_start : c.char_end] == c.text
        assert count(c.section + "\n" + c.text) <= 100
        assert c.section == "2. Roads"
        assert c.text.endswith("others.")  # whole sentences only
    assert chunks[0].text.startswith("2. Roads\n\nThe council")


def test_a_long_heading_is_cut_at_a_word_in_the_section_path(count) -> None:
    # A decision read as a heading names it in every citation of its text: cut where a word ends, marked as cut.
    heading = ("292. Treasury Management Strategy 2025-26 and the Minimum Revenue Provision Statement, with the "
               "Treasury Management Policy")
    doc = _doc([[Block(BlockKind.HEADING, heading, 1), Block(BlockKind.PARAGRAPH, "The Council agreed it.")]])
    chunked = chunk_document(doc, count)
    section = chunked.chunks[0].section
    assert len(section) <= 100 and section.endswith(" …")
    assert section[:-2].split() == heading.split()[: len(section[:-2].split())]  # whole words only
    assert chunked.sections[0].heading == section
    assert chunked.chunks[0].text.startswith(heading)  # the text itself is whole


def test_over_long_sentence_is_split_at_words(count) -> None:
    words = " ".join(f"word{i}" for i in range(400))
    chunked = chunk_document(_doc([[Block(BlockKind.PARAGRAPH, words)]]), count, max_tokens=60)
    chunks = chunked.chunks
    assert len(chunks) > 5
    assert " ".join(c.text for c in chunks) == words
    assert all(count("\n" + c.text) <= 60 for c in chunks)


def test_a_recorded_vote_keeps_each_count_with_its_names(count) -> None:
    names = ", ".join(f"Mr Member{i}" for i in range(30))
    blocks = [
        Block(BlockKind.HEADING, "290. Section 25 Report", 1),
        Block(BlockKind.PARAGRAPH, "(3) The Chairman put the motion set out in paragraph 2 to the vote and the voting "
                                   "was as follows:"),
        Block(BlockKind.PARAGRAPH, "For (57)"),
        Block(BlockKind.PARAGRAPH, names),
        Block(BlockKind.PARAGRAPH, "Against (0)"),
        Block(BlockKind.PARAGRAPH, "Abstain (2)"),
        Block(BlockKind.PARAGRAPH, "Mr B Lewis, Mr D Ross Motion carried."),
    ]
    chunked = chunk_document(_doc([blocks]), count, max_tokens=150)
    chunks = chunked.chunks
    assert len(chunks) >= 2
    # No chunk ends with a count whose names are in the next one.
    for chunk in chunks[:-1]:
        assert not chunk.text.rstrip().endswith(("For (57)", "Abstain (2)")), chunk.text
    assert any(c.text.startswith("For (57)\n\nMr Member0") for c in chunks)
    assert any("Abstain (2)\n\nMr B Lewis, Mr D Ross" in c.text for c in chunks)
    assert all(chunked.full_text[c.char_start:c.char_end] == c.text for c in chunks)


def test_a_list_starts_its_chunk_with_its_lead_in(count) -> None:
    # "Spoke to more than 100 people …" read alone says nothing of who spoke: the lead-in says it was the peer team.
    blocks = [
        Block(BlockKind.HEADING, "3. The peer challenge process", 1),
        Block(BlockKind.PARAGRAPH, " ".join(["The peer team read the council's plans and its budget."] * 6)),
        Block(BlockKind.PARAGRAPH, "The team then spent 4 days onsite at Matlock during which they:"),
        Block(BlockKind.LIST_ITEM, "Spoke to more than 100 people including council staff and partners.", depth=0),
        Block(BlockKind.LIST_ITEM, "Gathered information and views from more than 40 meetings.", depth=0),
    ]
    chunked = chunk_document(_doc([blocks]), count, max_tokens=110)
    chunks = chunked.chunks
    assert len(chunks) == 2
    assert not chunks[0].text.rstrip().endswith(":"), chunks[0].text
    assert chunks[1].text.startswith("The team then spent 4 days onsite at Matlock during which they:\n\n"
                                     "Spoke to more than 100 people")
    assert all(chunked.full_text[c.char_start:c.char_end] == c.text for c in chunks)


def test_tables_are_grouped_with_caption(count) -> None:
    blocks = [
        Block(BlockKind.HEADING, "3 Revenue", 1),
        Block(BlockKind.PARAGRAPH, "Spending was in line with plans this year."),
        Block(BlockKind.PARAGRAPH, "Table 1: Forecast by directorate (£m)"),
        *[Block(BlockKind.TABLE_ROW, f"Directorate {i} {i}.1 {i}.2 +0.{i}") for i in range(60)],
        Block(BlockKind.PARAGRAPH, "After the table."),
    ]
    chunked = chunk_document(_doc([blocks]), count, max_tokens=110)
    full, chunks = chunked.full_text, chunked.chunks
    tables = [c for c in chunks if c.kind == "table"]
    assert len(tables) >= 2
    assert tables[0].text.startswith("Table 1: Forecast by directorate (£m)\n\nDirectorate 0 ")
    assert all(c.section == "3 Revenue > Table 1: Forecast by directorate (£m)" for c in tables)
    assert all("After the table" not in c.text for c in tables)
    assert "\nDirectorate 1 1.1" in full  # rows one per line
    assert chunks[-1].kind == "text" and chunks[-1].text == "After the table."


def test_split_sentences_keeps_abbreviations() -> None:
    text = "See e.g. Derby for details. It cost £1.5m in total. Ask Cllr. Smith about No. 3 now."
    parts = [text[s:e] for s, e in split_sentences(text)]
    assert parts == ["See e.g. Derby for details.", "It cost £1.5m in total.", "Ask Cllr. Smith about No. 3 now."]


def test_a_sentence_the_page_cuts_after_a_word_no_sentence_ends_on_is_kept_whole(count) -> None:
    # "… better outcomes for residents in" / (page 6) "Derbyshire." was quoted as a sentence ending "in".
    first = [Block(BlockKind.HEADING, "4.2 Leadership of Place", 1),
             Block(BlockKind.PARAGRAPH, "The council could benefit from drawing on this learning to inform better "
                                        "outcomes for residents in")]
    second = [Block(BlockKind.PARAGRAPH, "Derbyshire. The team met partners."),
              Block(BlockKind.PARAGRAPH, "Key achievements in the year")]
    third = [Block(BlockKind.PARAGRAPH, "Council Tax rose by 4.99%.")]
    chunked = chunk_document(_doc([first, second, third]), count)
    text = chunked.full_text
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert "The council could benefit from drawing on this learning to inform better outcomes for residents in " \
           "Derbyshire." in sentences
    # A line that may end where it does ("… in the year", a heading-like line) is not run into the next page.
    assert "Key achievements in the year\n\nCouncil Tax rose by 4.99%." in text
