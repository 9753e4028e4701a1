"""The data types every layer passes around, kept free of any parsing, storage or answering code.

Parsing produces Pages of Blocks; chunking turns a ParsedDocument into Chunks and the paper's
structure (Sections, ListItems); the index stores them and hands back DocumentRecords; the front
ends send Filters. `ingest`, `vectorstore`, `assistant` and `ui` all import these from here, so no
layer has to import another one just for a type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class InvalidRequest(ValueError):
    """A question or its filters cannot be used as given; the message is written for the user."""


class IndexBusyError(RuntimeError):
    """Another writer held the index for longer than this one would wait."""


class IndexVersionError(RuntimeError):
    """The index was written by a newer release of councilchat; the message says what to do."""


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
    # List items: the label as printed ("1.", "a.", "(ii)", "•" for a bullet) and the nesting depth
    # (0 for "1.", 1 for its "a." sub-items). `list_no` numbers the paper's lists (-1: not in a list);
    # an unlabelled paragraph with a list_no continues the item before it.
    label: str = ""
    depth: int = 0
    list_no: int = -1


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
    """What a paper is: from the catalogue when there is one, else read from the paper itself."""

    doc_id: str
    title: str = ""
    short_title: str = ""
    council: str = ""  # the body that issued the paper
    document_type: str = ""  # the kind of paper: "Cabinet report", "Minutes", "Agenda", "Appendix", …
    date: str = ""  # ISO-ish: "2020-09-10", "2024-07" or "" when unknown (the meeting date for committee papers)
    committee: str = ""  # the meeting it went to: "Cabinet", "County Council", "Scrutiny Committee"
    author: str = ""
    source_path: str = ""
    content_hash: str = ""  # sha256 of the file bytes
    page_count: int = 0
    decision_number: str = ""  # a key decision's number as printed ("24/00108")
    part_of: str = ""  # for an appendix: the title of the report it belongs to
    text_hash: str = ""  # sha256 of the extracted text: the same paper saved twice has the same one
    pipeline: str = ""  # the version of the ingest pipeline that read it (ingest.pipeline.PIPELINE_VERSION)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class DocumentRecord(DocumentMetadata):
    """A paper as the index holds it: its metadata plus the state of its stored copy."""

    chunk_count: int = 0
    scanned_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    status: str = "writing"  # 'complete' once its vectors are stored too
    ingested_at: float = 0.0


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


@dataclass(slots=True)
class Section:
    """One heading of a paper and the text under it (up to the next heading of the same or a higher level)."""

    doc_id: str
    ord: int  # order in the paper
    path: str  # heading path, as chunks carry it: "4. Feedback > 4.4 Financial planning and viability"
    heading: str
    level: int
    page_start: int
    page_end: int
    seq_start: int  # first and last chunk (seq) holding its text, subsections included
    seq_end: int


@dataclass(slots=True)
class ListItem:
    """One item of a numbered or bulleted list, located in the chunk that holds it."""

    doc_id: str
    ord: int  # order in the paper
    list_no: int  # which list of the paper it belongs to (items of one list share it)
    section: str  # heading path
    label: str  # "1.", "a.", "(ii)", "•"
    depth: int  # 0 for top-level items, 1 for their sub-items, …
    parent: int  # ord of the item it belongs to, -1 for top-level items
    text: str  # the item's own text, label excluded
    page: int
    chunk_id: str
    start: int  # offsets of the item's text (label excluded) inside the chunk text
    end: int
    lead_in: str = ""  # the sentence that introduces the list ("… key recommendations to the council:")


_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(slots=True)
class Filters:
    """Metadata filters, applied to both retrieval sides through the set of allowed doc_ids.

    Dates are ISO prefixes ("2018", "2018-06", "2018-06-30"), checked here so every front end gets
    the same rule and the same message.
    """

    councils: Sequence[str] = ()
    document_types: Sequence[str] = ()
    doc_ids: Sequence[str] = ()
    date_from: str = ""  # inclusive
    date_to: str = ""

    def __post_init__(self) -> None:
        self.councils = [c for c in self.councils if c]
        self.document_types = [t for t in self.document_types if t]
        self.doc_ids = [d for d in self.doc_ids if d]
        for name in ("date_from", "date_to"):
            value = (getattr(self, name) or "").strip()
            if value and not _DATE.match(value):
                label = "from" if name == "date_from" else "to"
                raise InvalidRequest(
                    f"The '{label}' date must look like 2018, 2018-06 or 2018-06-30 (got {value[:20]!r}).")
            setattr(self, name, value)

    def is_empty(self) -> bool:
        return not (self.councils or self.document_types or self.doc_ids or self.date_from or self.date_to)


@dataclass(slots=True)
class Recommendation:
    """One recommendation of a paper: a peer review's key recommendation, or a decision a meeting is asked to take.

    Read at ingest (ingest.recommendations) and kept with the paper, so the register is complete and verbatim
    without asking the retriever; `chunk_id`, `start` and `end` locate its first line so it can be cited.
    """

    PEER_REVIEW = "peer-review recommendation"
    DECISION_SOUGHT = "decision sought"

    doc_id: str
    ord: int  # order in the paper
    number: str  # as printed, without brackets or final dot ("1", "2.1", "iii"); "" when unnumbered or bulleted
    text: str  # the whole recommendation with its sub-items, verbatim from the paper's text (label excluded)
    page: int
    section: str  # the heading or label it is printed under ("2. Key recommendations", "Recommendation(s):")
    kind: str  # Recommendation.PEER_REVIEW or Recommendation.DECISION_SOUGHT
    chunk_id: str  # the chunk holding its first line
    start: int  # offsets of its first line inside that chunk's text
    end: int
    quote: str = ""  # that first line, as printed (chunk.text[start:end])
    lead_in: str = ""  # the words introducing the list ("It is recommended that Cabinet:")
    also_on_pages: list[int] = field(default_factory=list)  # pages where the paper prints it again
