"""The line record every reader produces, and the tests and joins on one line's text.

`RawLine` is what the PDF reader, OCR and the cleaning steps hand each other; the text helpers here
(glyph normalisation, bullets, page numbers, numbered headings, re-joining a word hyphenated at a
line break) are shared by paragraph/heading handling (ingest/cleaning.py), table-row handling
(ingest/tabletext.py) and the PDF layout modules, so they sit below all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.text import nfkc


@dataclass(slots=True)
class RawLine:
    text: str
    size: float = 0.0  # effective font size in points; 0 when unknown (plain text sources)
    bold: float = 0.0  # fraction of the line's visible characters set in a bold font
    y: float | None = None  # baseline position on the page, only used for gap sizes
    # A table row found from the page layout (PDFs): each column's text, as the lines printed in
    # that cell ([] for an empty cell). `text` is then the cells' text run together.
    cells: list[list[str]] | None = None
    table: int = 0  # which table of the document the row belongs to (1, 2, ...); kept across a page break
    header: bool = False  # the row names the table's columns
    numeric: bool = False  # a table of figures: rows stay "label 1.0 2.0", the header row goes above them


# Glyphs used as list bullets. "\x7f" is what pypdf yields for ReportLab's bullet, the
# private-use ones come from Symbol/Wingdings fonts in Word exports.
BULLET_CHARS = "•\x7f\uf0b7\uf0a7\uf076\uf0d8\uf0fc▪●◦○■□➢►‣⁃∙·*"
# A Word sub-bullet comes out as a lone "o" before a capitalised item ("o The Constitution and …").
_BULLET_RE = re.compile(rf"^\s*(?:[{re.escape(BULLET_CHARS)}]+|[-–—](?=\s)|o(?=\s+[A-Z]))\s*")
_WS_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_PAGE_NO_RE = re.compile(
    r"^(?:page\s*)?[-–(]?\s*\d{1,4}\s*[-–)]?(?:\s*(?:of|/)\s*\d{1,4})?$|^page\s+[ivxlc]+$", re.IGNORECASE
)
# "4.4 Title", "2. Title", "5 Title", and Kent's "3a | Title".
_NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})([a-z]?)(\.?)\s+(?:[|:–]\s+)?(\S.*)$")

# Left parts that form real hyphenated compounds, so "multi-\nagency" keeps its hyphen.
_COMPOUND_PREFIXES = frozenset(
    "self multi non co cross pre post anti semi ex sub well long short full part mid socio "
    "high low one two three four five year half cost place market right evidence data".split()
)
# Right parts that are only word endings, so "organi-\nsation" loses its hyphen.
_SUFFIX_FRAGMENTS = frozenset(
    "tion tions sion sions ation ations isation ization sation zation ment ments ing ings ity "
    "ities ness ance ances ence ences ised ized ise ize ises izes ally ly ed er ers es al ive "
    "ives ous ible able ably ful less ship ure ures ory ary ular ular ical ically ism ist ists".split()
)


def normalize_text(text: str) -> str:
    """NFKC (ligatures, full-width forms) and single spaces; bullets are handled separately. Superscript digits
    stay as they are: a footnote's mark read as a digit would join the figure before it ("38¹" is not "381")."""
    return _WS_RE.sub(" ", nfkc(text)).strip()


def split_bullet(text: str) -> tuple[bool, str]:
    """(True, rest) when the line starts with a bullet glyph or a dash used as one."""
    match = _BULLET_RE.match(text)
    if not match or match.end() == 0:
        return False, text
    rest = text[match.end() :].strip()
    return bool(rest), rest or text


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NO_RE.match(text.strip()))


def join_lines(left: str, right: str, words: set[str], compounds: set[str]) -> str:
    """Join a wrapped line to its paragraph, re-joining a word hyphenated at the break."""
    if left.endswith("\u00ad"):
        return left[:-1] + right
    match = re.search(r"([A-Za-z]+)-$", left)
    first = re.match(r"[a-z]+", right)
    if match and first:
        head, tail = match.group(1).lower(), first.group(0)
        if head in _COMPOUND_PREFIXES or f"{head}-{tail}" in compounds:
            return left + right
        if tail in _SUFFIX_FRAGMENTS or (head + tail) in words:
            return left[:-1] + right
        return left + right  # most line-end hyphens in council papers are real compounds
    return f"{left} {right}"
