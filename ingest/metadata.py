"""Document metadata: from a folder's catalogue.csv when present, else guessed from the text."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common.types import BlockKind, Page

CATALOGUE_NAME = "catalogue.csv"
CATALOGUE_FIELDS = ("title", "short_title", "council", "document_type", "date", "committee", "author")


@dataclass
class Catalogue:
    """Rows of a catalogue.csv keyed by file stem (the document id)."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def load(cls, csv_path: Path) -> Catalogue:
        rows: dict[str, dict[str, str]] = {}
        with Path(csv_path).open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                key = Path((row.get("file") or "").strip()).stem
                if key:
                    rows[key] = {k: (row.get(k) or "").strip() for k in CATALOGUE_FIELDS}
        return cls(rows, Path(csv_path))

    @classmethod
    def find_for(cls, path: Path) -> Catalogue | None:
        """The catalogue.csv next to `path` (or one folder up, as in corpus/pdf + corpus/catalogue.csv).

        Cached per folder until the CSV changes.
        """
        folder = Path(path).parent
        csv_path = folder / CATALOGUE_NAME
        if not csv_path.is_file():
            csv_path = folder.parent / CATALOGUE_NAME
            if not csv_path.is_file():
                return None
        key = (str(csv_path.resolve()), csv_path.stat().st_mtime_ns)
        if key not in _CACHE:
            _CACHE[key] = cls.load(csv_path)
        return _CACHE[key]

    def get(self, doc_id: str) -> dict[str, str] | None:
        row = self.rows.get(doc_id)
        return dict(row) if row is not None else None


_CACHE: dict[tuple[str, int], Catalogue] = {}

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
# "10 SEPTEMBER 2020", "13th – 16th June 2017", "(13–16 June 2017)", "16 January, 2020"
_DAY_DATE_RE = re.compile(
    rf"\b(\d{{1,2}}){_ORD}(?:\s*[–-]\s*(\d{{1,2}}){_ORD})?\s+({_MONTH_ALT})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DATE_RE = re.compile(rf"\b({_MONTH_ALT})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_NUMERIC_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")

_COUNCIL_KINDS = r"(?:County|City|District|Borough|Metropolitan Borough|Parish|Town|Unitary)\s+Council"
_COUNCIL_RE = re.compile(rf"((?:[A-Z][\w'’.-]*\s+){{1,4}}){_COUNCIL_KINDS}")
_NAME_STOP = {
    "The",
    "A",
    "An",
    "Of",
    "To",
    "For",
    "By",
    "And",
    "With",
    "Report",
    "Dear",
    "Council",
    "Our",
    "This",
    "County",
    "City",
    "District",
    "Borough",
    "Parish",
    "Town",
    "Full",
    "Each",
    "Every",
    "Whole",
    "Other",
}

# First match wins: more specific phrases come before generic ones.
_DOC_TYPES = (
    ("peer challenge", "Peer challenge report"),
    ("productivity plan", "Productivity plan"),
    ("minutes", "Minutes"),
    ("agenda", "Agenda"),
    ("local plan", "Local plan"),
    ("core strategy", "Local plan"),
    ("equality impact", "Equality impact assessment"),
    ("eqia", "Equality impact assessment"),
    ("risk register", "Risk register"),
    ("treasury management", "Treasury management strategy"),
    ("budget", "Budget"),
    ("report to cabinet", "Cabinet report"),
    ("cabinet", "Cabinet report"),
    ("report to council", "Council report"),
    ("council report", "Council report"),
)


def _iso(year: int, month: int, day: int | None = None) -> str:
    if not 1 <= month <= 12 or not 1900 <= year <= 2100 or (day is not None and not 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def find_date(text: str) -> str:
    """First date in `text` as ISO; for a range such as "13th – 16th June 2017" the last day."""
    match = _DAY_DATE_RE.search(text)
    if match:
        first, last, month, year = match.groups()
        return _iso(int(year), _MONTHS[month.lower()], int(last or first))
    match = _NUMERIC_DATE_RE.search(text)
    if match:
        day, month, year = (int(x) for x in match.groups())
        return _iso(year, month, day)  # UK order: day/month/year
    match = _MONTH_DATE_RE.search(text)
    if match:
        return _iso(int(match.group(2)), _MONTHS[match.group(1).lower()])
    return ""


def find_council(texts: list[str]) -> str:
    """Most frequent council name; a longer name wins when it is nearly as frequent as its tail."""
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for text in texts:
        for match in _COUNCIL_RE.finditer(text):
            words = match.group(1).split()
            kind = match.group(0)[len(match.group(1)) :].strip()
            candidates = [" ".join(words[i:] + [kind]) for i in range(len(words)) if words[i] not in _NAME_STOP]
            for cand in candidates:
                counts[re.sub(r"\s+", " ", cand)] += 1
                order.setdefault(cand, len(order))
    if not counts:
        return ""
    best = max(counts.values())
    close = [c for c, n in counts.items() if n >= best * 0.8]
    return max(close, key=lambda c: (len(c.split()), counts[c], -order.get(c, 0)))


def find_document_type(text: str) -> str:
    low = text.lower()
    for phrase, label in _DOC_TYPES:
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            return label
    return ""


def _clean_info_title(title: str) -> str:
    title = re.sub(r"^Microsoft (?:Word|PowerPoint|Excel) - ", "", title.strip())
    title = re.sub(r"\.(docx?|pdf|pptx?)$", "", title, flags=re.IGNORECASE)
    if len(title) < 4 or title.lower() in {"untitled", "title", "document", "report"}:
        return ""
    return title


def _first_page_title(pages: list[Page]) -> str:
    for page in pages[:2]:
        for block in page.blocks[:12]:
            if block.kind == BlockKind.HEADING and len(block.text) >= 4:
                return block.text
    for page in pages[:1]:
        for block in page.blocks[:5]:
            if 4 <= len(block.text) <= 120:
                return block.text
    return ""


def extract_metadata(doc_id: str, pages: list[Page], pdf_info: dict[str, str]) -> dict[str, str]:
    """Best-effort title, author, council, date, document type and committee; "" when not found."""
    title = _clean_info_title(pdf_info.get("title", "")) or _first_page_title(pages)
    first_blocks = [b.text for p in pages[:1] for b in p.blocks[:15]]
    head_texts = [b.text for p in pages[:3] for b in p.blocks]
    top = "\n".join([title, *first_blocks])
    doc_type = find_document_type(title) or find_document_type("\n".join(first_blocks[:8]))
    committee = ""
    for name in ("Cabinet", "Council", "Scrutiny", "Planning", "Audit"):
        if re.search(rf"\b(?:report to|meeting of(?: the)?) {name}\b|^{name}$", top, re.I | re.M):
            committee = name
            break
    return {
        "title": title,
        "author": pdf_info.get("author", "").strip(),
        # The running header usually names the publishing council, so it outweighs mentions.
        "council": find_council([title, title, *[pdf_info.get("running_header", "")] * 5, *head_texts]),
        "date": find_date(top),
        "document_type": doc_type,
        "committee": committee,
    }
