"""Plain data types passed from parsing to chunking to the stores.

Kept free of any store or answering code so every layer can import them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"


@dataclass(slots=True)
class Block:
    """One structural unit of a page after cleaning: a heading, a paragraph, a list item or a table row."""

    kind: BlockKind
    text: str
    # Heading depth: 1 for "4. Feedback", 2 for "4.4 Financial planning", 0 when unknown.
    level: int = 0


@dataclass(slots=True)
class Page:
    number: int  # 1-based, as a PDF viewer shows it
    blocks: list[Block] = field(default_factory=list)
    # True when the page had no extractable text (scanned image or vector outlines).
    scanned: bool = False
    # True when the text came from OCR rather than the file's own text layer.
    ocr: bool = False


@dataclass(slots=True)
class DocumentMetadata:
    doc_id: str
    title: str = ""
    short_title: str = ""
    council: str = ""
    document_type: str = ""
    date: str = ""  # ISO-ish: "2020-09-10", "2024-07" or "" when unknown
    committee: str = ""
    author: str = ""
    source_path: str = ""
    content_hash: str = ""  # sha256 of the file bytes
    page_count: int = 0


@dataclass(slots=True)
class ParsedDocument:
    metadata: DocumentMetadata
    pages: list[Page]
    # Title candidates etc. found while parsing (first-page large/bold lines, PDF /Title ...).
    extracted: dict[str, str] = field(default_factory=dict)

    @property
    def scanned_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.scanned]


@dataclass(slots=True)
class Chunk:
    chunk_id: str
    doc_id: str
    seq: int  # order within the document
    text: str
    section: str  # nearest heading path, e.g. "4. Feedback > 4.4 Financial planning and viability"
    page_start: int
    page_end: int
    # Offsets into the document's cleaned full text (ParsedDocument rendered by the chunker).
    char_start: int
    char_end: int
    # Offsets inside `text` where a new page begins, as (offset, page_number); the first is (0, page_start).
    page_breaks: list[tuple[int, int]] = field(default_factory=list)
    kind: str = "text"  # "text" or "table"

    def page_at(self, offset: int) -> int:
        """Page on which the character at `offset` (inside this chunk's text) is printed."""
        page = self.page_start
        for start, number in self.page_breaks:
            if start <= offset:
                page = number
            else:
                break
        return page
