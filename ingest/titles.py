"""The paper's title, the kind of paper it is, and the report an appendix belongs to.

A title is chosen from the header's "Subject:", the first page's heading, the running header, the
PDF's /Title field (often a template's: "THE REPORT", "Agenda Template") and the file name, the
most trustworthy first. The kind of paper comes from the words of its title when the title is that
thing ("Pay Policy Statement") and not about it ("Adoption of the … Local Plan"), else from the
meeting the paper went to.
"""

from __future__ import annotations

import re
from collections import Counter

from common.types import BlockKind, Page
from ingest.councils import council_names
from ingest.dates import date_line
from ingest.filename import FileName
from ingest.frontsheet import FRONT_STOP_RE, Front, starts_with_label
from ingest.wording import clean, meeting_name, smart_case

# The kind of paper named in its title, most specific first.
_TITLE_KINDS = (
    (r"questions?\s+(?:put\s+)?and\s+answers?(?:\s+given)?", "Questions and answers"),
    (r"minutes", "Minutes"),
    (r"agenda", "Agenda"),
    (r"equality\s+impact\s+assessment|eq[iu]?ia|equality\s+analysis", "Equality impact assessment"),
    (r"data\s+protection\s+impact\s+assessment|dpia", "Data protection impact assessment"),
    (r"budget\s+amendments?", "Budget amendment"),
    (r"peer\s+challenge", "Peer challenge report"),
    (r"productivity\s+plan", "Productivity plan"),
    (r"annual\s+report", "Annual report"),
    (r"performance\s+report", "Performance report"),
    (r"risks?\s+register", "Risk register"),
    (r"risk\s+assessment", "Risk assessment"),
    (r"report\s+on\s+the\s+examination|inspector['’]?s\s+report", "Inspector's report"),
    (r"local\s+plan|core\s+strategy|borough\s+plan|district\s+plan|development\s+plan\s+document", "Local plan"),
    (r"local\s+development\s+scheme", "Local development scheme"),
    (r"statement", "Statement"),
    (r"strategy", "Strategy"),
    (r"newsletter", "Newsletter"),
    (r"letter", "Letter"),
)
_ABOUT_RE = re.compile(r"\b(?:of|on|for|to|about|into|from|with|under|towards)\b", re.IGNORECASE)

# The older, looser phrase search (kept for callers that classify free text).
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
    ("treasury management", "Strategy"),
    ("report to cabinet", "Cabinet report"),
    ("report to council", "Council report"),
    ("council report", "Council report"),
)


def find_document_type(text: str) -> str:
    """The first kind of paper whose phrase occurs in `text` ("" when none does)."""
    low = text.lower()
    for phrase, label in _DOC_TYPES:
        if re.search(rf"\b{re.escape(phrase)}\b", low):
            return label
    return ""


def title_kind(title: str) -> str:
    """The kind of paper a title names, when the title is that thing and not about it.

    "Pay Policy Statement 2025/26" is a statement and "Draft Local Plan" a local plan, but
    "Adoption of the Kent Minerals and Waste Local Plan" is a report about one.
    """
    for part in re.split(r":|\s[–—-]\s", title):  # "Babergh and Mid Suffolk – Joint Local Plan"
        for pattern, label in _TITLE_KINDS:
            m = re.search(rf"\b(?:{pattern})\b", part, re.IGNORECASE)
            if m and not _ABOUT_RE.search(part[: m.start()]):
                return label
    return ""


def report_kind(committee: str) -> str:
    if committee == "Cabinet" or committee.endswith("Cabinet"):
        return "Cabinet report"
    if committee.endswith("Council"):
        return "Council report"
    return "Committee report" if committee else "Report"


# --- titles ------------------------------------------------------------------------------------

_GENERIC_TITLES = {
    "the report", "report", "agenda template", "template", "minutes", "agenda", "appendices", "appendix", "contents",
    "table of contents", "untitled", "document", "title", "background", "introduction", "background and introduction",
    "summary", "executive summary", "foreword", "item no", "unrestricted", "draft", "final", "front sheet", "cover",
}
_SECTION_WORDS = {"introduction", "background", "contents", "summary", "executive summary", "foreword", "purpose",
                  "recommendations", "recommendation", "overview", "preface", "glossary"}
_CONTACT_RE = re.compile(r"@|www\.|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
_SKIP_LINE_RE = re.compile(  # lines near a title that are not it
    r"^(?:(?:produced\s+by|tel|phone|fax|web|contact|ask\s+for|classification|dear)\b|(?:un)?restricted\b|"
    r"page\s+\d|item\s+no\b|agenda\s+item\b|this\s+page\s+is\s+intentionally|by\s|report\s+(?:to|for)\s)",
    re.IGNORECASE,
)
_APPENDIX_RE = re.compile(r"^(?:appendix|annex)\s+([A-Z]{1,2}|\d{1,2})\b\s*[:.–—-]?\s*", re.IGNORECASE)


def is_generic_title(title: str) -> bool:
    low = clean(title).lower()
    return (
        not low
        or low in _GENERIC_TITLES
        or "template" in low
        or bool(_APPENDIX_RE.fullmatch(low + " ") and len(low.split()) <= 2)
        or (" " not in low and len(low) > 20)
        or set(re.findall(r"[a-z]+", low)) <= {"the", "report", "document", "paper", "minutes", "agenda", "untitled"}
    )


def _clean_info_title(title: str) -> str:
    title = re.sub(r"^Microsoft (?:Word|PowerPoint|Excel) - ", "", title.strip())
    title = re.sub(r"\.(docx?|pdf|pptx?|xlsx?)$", "", title, flags=re.IGNORECASE)
    return "" if len(title) < 4 or is_generic_title(title) else clean(title)


def _title_line(kind: BlockKind, text: str, council_only: bool) -> bool:
    words = text.split()
    return not (
        kind == BlockKind.LIST_ITEM
        or not 4 <= len(text) <= 200
        or len(words) > 25
        or date_line(text)
        or _SKIP_LINE_RE.match(text)
        or starts_with_label(text)
        or _CONTACT_RE.search(text)
        or re.search(r"\bAct\s+\d{4}\b", text)
        or FRONT_STOP_RE.match(text)  # a numbered section heading
        or is_generic_title(text)
        or council_only
        or meeting_name(text)
        or (text.rstrip().endswith(".") and len(words) > 8)
    )


def _page_title(pages: list[Page]) -> tuple[str, bool]:
    """The first page's title (short heading lines joined) and whether it is only a weak guess."""
    page = next((p for p in pages[:2] if p.blocks), None)
    if page is None or pages[0].scanned:
        return "", True
    seen: Counter[str] = Counter(t for p in pages[:4] for t in {b.text.strip() for b in p.blocks})
    # A masthead that says what the paper is and whose ("Newsletter from Souldern Parish Council") is the title,
    # though a page laid out in columns may read a sidebar's headings first ("Horticultural Society").
    masthead = next((i for i, b in enumerate(page.blocks[:40]) if b.kind == BlockKind.HEADING
                     and title_kind(b.text) and council_names(b.text)
                     and _title_line(b.kind, b.text.strip(), False)), 0)
    blocks = page.blocks[masthead:masthead + 15]
    for i, block in enumerate(blocks):
        text = block.text.strip()
        council_only = bool(council_names(text)) and council_names(text)[0] == clean(smart_case(text))
        if not _title_line(block.kind, text, council_only):
            if len(text.split()) > 40:
                break
            continue
        if block.kind == BlockKind.PARAGRAPH and any(b.kind == BlockKind.HEADING for b in blocks[i + 1: i + 4]) \
                and (len(text.split()) > 20 or i > 1):
            continue
        parts = [text]
        for nxt in blocks[i + 1: i + 3]:
            piece = nxt.text.strip()
            if (len(parts[-1].split()) > 5 and len(parts) == 1) or len(piece.split()) > 8 or not piece[:1].isupper() \
                    or piece.lower() in _SECTION_WORDS or not _title_line(nxt.kind, piece, False) \
                    or (nxt.kind != BlockKind.HEADING and len(piece.split()) > 3):
                break
            parts.append(piece)
        weak = block.kind == BlockKind.TABLE_ROW or seen[text] > 2  # a table header or running line
        return smart_case(" – ".join(parts)), weak
    return "", True


def _words_in(short: str, long: str) -> float:
    """The share of `short`'s words that `long` also has."""
    words = set(re.findall(r"\w+", short.lower()))
    return len(words & set(re.findall(r"\w+", long.lower()))) / len(words) if words else 0.0


def choose_title(front: Front, pages: list[Page], info: dict[str, str], file: FileName, stem: str) -> str:
    words = {w for w in file.words if len(w) > 3}

    def overlap(title: str) -> int:
        return min(3, len(words & {w.lower() for w in re.findall(r"[A-Za-z]{4,}", title)}))

    page1 = " ".join(b.text for b in (pages[0].blocks if pages else [])).lower()
    candidates: list[tuple[float, str]] = []
    if front.title:
        candidates.append((10, front.title))
    for part in info.get("running_header", "").split(" | "):
        m = _APPENDIX_RE.match(part.strip())
        if m and len(part.split()) > 2:
            candidates.append((5, part.strip()))
    title, weak = _page_title(pages)
    if title:
        candidates.append((2 if weak else 6, title))
    info_title = _clean_info_title(info.get("title", ""))
    if info_title and not re.match(r"^\((?:public|private)\s+pack\)", info_title, re.IGNORECASE):
        found = sum(w.lower() in page1 for w in re.findall(r"[A-Za-z]{4,}", info_title))
        candidates.append((3 + (2 if found >= 2 else 0), info_title))
    candidates.append((1, stem.replace("_", " ").replace("-", " ")))
    best = max(candidates, key=lambda c: c[0] + overlap(c[1]))[1]
    best, title = (_APPENDIX_RE.sub("", clean(t)) or clean(t) for t in (best, title))
    # The first heading often carries a fuller version of a header's title ("… – Report to Cabinet (…)").
    if title and not weak and best != title and _words_in(best, title) >= 0.8:
        best = title
    return best


def read_appendix(pages: list[Page], info: dict[str, str], file: FileName) -> tuple[str, str]:
    """("Appendix L", the report it belongs to) when the paper or its file name says it is an appendix."""
    texts = [info.get("title", "")] + info.get("running_header", "").split(" | ")
    texts += [b.text.strip() for b in (pages[0].blocks[:3] if pages else [])]
    for text in texts:
        m = _APPENDIX_RE.match(text)
        if not m:
            continue
        parent = re.match(r"^(?:to|of)\s+(?:the\s+)?(.{8,})$", text[m.end():].strip(), re.IGNORECASE)
        if parent:  # "Appendix B to the Budget Report 2025-26"
            return f"Appendix {m.group(1).upper()}", clean(parent.group(1))
        if len(text.split()) <= 2 or re.match(r"^(?:appendix|annex)\s+\w{1,2}\s*[:.–—-]", text, re.IGNORECASE):
            return f"Appendix {m.group(1).upper()}", file.parent
    return file.appendix, file.parent if file.appendix else ""
