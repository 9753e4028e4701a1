"""Document metadata: from a folder's catalogue.csv when present, else read from the paper itself.

Without a catalogue row the paper is read the way a clerk reads it (`ingest.frontsheet` finds the
pieces): the report header's labels, the minutes' heading, the agenda front sheet, a letter's
letterhead, a form's fields, the running header and the file name. Each field then takes the most
trustworthy source that has it: the header block over the first page's heading over the PDF's
/Title field (often a template's: "THE REPORT", "Agenda Template") over the file name.

The council is the body that issued the paper, not any council the text mentions: a council named
on its own line at the top of page 1, in the running header or as the paper's addressee ("Report
to Kent County Council") counts for much; the file name or folder ("kent-cc"), the paper's e-mail
domain and its acronym ("KCC") count for some; mentions in the body count for little.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common.types import BlockKind, Page
from ingest.frontsheet import (
    FRONT_STOP_RE,
    FileName,
    Front,
    clean,
    date_line,
    find_date,
    front_blocks,
    human_date,
    is_council_name,
    meeting_name,
    read_file_name,
    read_front,
    smart_case,
    starts_with_label,
)

__all__ = ["CATALOGUE_FIELDS", "CATALOGUE_NAME", "Catalogue", "extract_metadata", "find_council", "find_date",
           "find_document_type", "title_kind"]

CATALOGUE_NAME = "catalogue.csv"
CATALOGUE_FIELDS = ("title", "short_title", "council", "document_type", "date", "committee", "author",
                    "decision_number", "part_of")


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

# --- council names -----------------------------------------------------------------------------

_KINDS = ("County Council", "City Council", "District Council", "Metropolitan Borough Council", "Borough Council",
          "Parish Council", "Town Council", "Community Council", "Unitary Council")
_KIND_RE = "|".join(k.replace(" ", r"\s+") for k in _KINDS)
_WORD = r"(?!Councils?\b)[A-Z][\w'’.-]*"
# "Kent County Council", "Tonbridge and Malling Borough Council", "Newcastle upon Tyne City Council"
_COUNCIL_RE = re.compile(rf"((?:{_WORD}\s+(?:(?:and|upon|on|of|&)\s+)?){{1,6}})({_KIND_RE})(?!s)\b")
_BARE_COUNCIL_RE = re.compile(rf"^((?:{_WORD}\s+){{1,3}})Council\b")  # "Walsall Council" at the top of a page
_CONNECTORS = {"and", "upon", "on", "of", "&"}
_NAME_STOP = {
    "The", "A", "An", "Of", "To", "For", "By", "And", "With", "Report", "Reports", "Dear", "Council", "Our", "This",
    "That", "These", "County", "City", "District", "Borough", "Parish", "Town", "Full", "Each", "Every", "Whole",
    "Other", "Minutes", "Meeting", "Agenda", "Members", "Member", "Leader", "Leaders", "Chairman", "Chair", "Cabinet",
    "Committee", "Notice", "All", "Both", "Under", "From", "In", "On", "At", "As", "If", "When", "Within", "Across",
    "Including", "Cllr", "Councillor", "Mr", "Mrs", "Ms", "Dr", "Record", "Decision", "Response", "Letter", "Item",
    "Extraordinary", "Annual", "Special", "Ordinary", "Summons", "Welcome", "Since", "Following", "Whilst", "While",
}
_KIND_NAMES = {"county", "city", "district", "borough", "metropolitan", "parish", "town", "community", "unitary"}
_MONTH_WORDS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"}
_ACRONYM_RE = re.compile(r"\b([A-Z]{1,4}?)(MBC|CC|DC|BC|PC|TC)\b")
_ACRONYM_KINDS = {"CC": ("County Council", "City Council"), "DC": ("District Council",), "BC": ("Borough Council",),
                  "MBC": ("Metropolitan Borough Council",), "PC": ("Parish Council",), "TC": ("Town Council",)}
_DOMAIN_RE = re.compile(r"(?:@|\bwww\.)([a-z][a-z-]*)\.gov\.uk\b", re.IGNORECASE)
_AUTHOR_LIKE = (  # wording that shows the council wrote the paper: "Fenland District Council has produced …"
    r"{name}\s+(?:has|have)\s+(?:produced|prepared|published|adopted|set\s+out|developed)\b",
    r"{name}\s+wants\b",
    r"\b(?:adopted|published|prepared|produced|issued)\s+(?:at\s+a\s+(?:full\s+)?meeting\s+of|by)\s+{name}",
    r"\bon\s+behalf\s+of\s+{name}",
)
# Central government writes to councils too: a minister's portfolio names the department.
_DEPARTMENTS = (
    ("local government|housing|communities|levelling up|devolution",
     "Ministry of Housing, Communities and Local Government"),
    ("education|schools|skills|children", "Department for Education"),
    ("health|social care", "Department of Health and Social Care"),
    ("transport|roads|rail", "Department for Transport"),
    ("environment|food|rural", "Department for Environment, Food and Rural Affairs"),
    ("treasury|exchequer", "HM Treasury"),
    ("policing|crime|home office", "Home Office"),
)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;•|–-(" or bool(re.search(r"(?:^|\s)\(?\w{1,3}[.)]$", before))


def council_names(text: str, vocab: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Council names in `text` in order, each with leading words that are not part of the name dropped.

    A capitalised word that starts a sentence and is also used in lower case in the paper
    ("Following Derbyshire County Council") is an ordinary word, not part of the name.
    """
    text = smart_case(text)
    names = []
    for m in _COUNCIL_RE.finditer(text):
        words = m.group(1).split()
        start = m.start()
        while words and (words[0] in _NAME_STOP or words[0] in _CONNECTORS
                         or (words[0].lower() in vocab and _sentence_start(text, start))):
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        kind = re.sub(r"\s+", " ", m.group(2))
        if not words or (len(words) == 1 and words[0] in _MONTH_WORDS and kind not in ("Town Council",
                                                                                         "Parish Council")):
            continue
        names.append(" ".join(words + [kind]))
    return names


def find_council(texts: list[str]) -> str:
    """The council mentioned most often in `texts`; "" when none is."""
    vocab = {w for t in texts for w in re.findall(r"\b[a-z]+\b", t)}
    counts = Counter(n for t in texts for n in council_names(t, vocab))
    if not counts:
        return ""
    order = {n: i for i, n in enumerate(counts)}
    return max(counts, key=lambda n: (counts[n], len(n.split()), -order[n]))


def _place(name: str) -> str:
    for kind in _KINDS:
        if name.endswith(kind):
            return name[: -len(kind)].strip()
    return name.rsplit(" ", 1)[0] if name.endswith(" Council") else name


def _initials(name: str) -> str:
    place = [w for w in _place(name).split() if w[:1].isupper()]
    kind = name[len(_place(name)):].split()
    return "".join(w[0] for w in place) + "".join(w[0] for w in kind)


def _path_hints(path: Path | None, stem: str) -> list[tuple[str, tuple[str, ...], float]]:
    """(place, possible kinds, weight) from the file name and its folders: "kent-cc" → ("kent", County/City
    Council, 3); the file's own name weighs more than its folder's."""
    names = [stem] + ([path.parent.name, path.parent.parent.name] if path is not None else [])
    kinds = {"cc": ("County Council", "City Council"), "dc": ("District Council",), "bc": ("Borough Council",),
             "mbc": ("Metropolitan Borough Council",), "pc": ("Parish Council",), "tc": ("Town Council",),
             "county": ("County Council",), "city": ("City Council",), "district": ("District Council",),
             "borough": ("Borough Council",), "parish": ("Parish Council",), "town": ("Town Council",),
             "council": ()}
    skip = {"cabinet", "council", "minutes", "agenda", "report", "appendix", "app", "the", "and", "of", "draft",
            "final", "papers", "pdfs", "pdf", "docs", "documents"}
    hints = []
    for weight, name in zip((4, 3, 2), names, strict=False):
        tokens = [t for t in re.split(r"[-_ .]+", name.lower()) if t]
        for i, token in enumerate(tokens):
            if token not in kinds or i == 0 or (len(token) > 3 and token != "council" and (
                    i + 1 >= len(tokens) or tokens[i + 1] != "council")):  # "annual-parish-meeting" is no council
                continue
            place = []
            for prev in reversed(tokens[max(0, i - 3): i]):
                if not prev.isalpha() or prev in skip or prev in kinds:
                    break
                place.insert(0, prev)
            if place:
                hints.append((" ".join(place), kinds[token], weight))
                break
    return hints


@dataclass
class _Ballot:
    """Council candidates with the weight of the evidence for each.

    Mentions (the full name or its acronym in the text) are weak evidence: a candidate needs some
    strong evidence too (a place where papers name their issuer, the PDF's author field, the file
    name or folder, the e-mail domain on page 1, or wording that shows the council wrote the paper:
    "Fenland District Council has produced this Local Plan").
    """

    scores: Counter[str] = field(default_factory=Counter)
    strong: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, weight: float, strong: bool = True) -> None:
        if name:
            self.scores[name] += weight
            self.strong[name] += weight if strong else 0

    def support(self, test, weight: float, strong: bool = True) -> bool:  # type: ignore[no-untyped-def]
        hit = [n for n in self.scores if test(n)]
        for n in hit:
            self.add(n, weight, strong)
        return bool(hit)

    def winner(self) -> str:
        order = {name: i for i, name in enumerate(self.scores)}  # ties: the one met first (page 1 first)
        ranked = [n for n, score in self.scores.items() if self.strong[n] > 0 and score >= 2]
        return max(ranked, key=lambda n: (self.scores[n], self.strong[n], -order[n])) if ranked else ""


def _expand_acronym(acronym: str, count: int, body: str, vocab: set[str], domains: set[str]) -> str:
    """"KCC" in a paper that says "Kent" and "County Council" often enough → "Kent County Council"."""
    m = _ACRONYM_RE.fullmatch(acronym)
    if not m or len(m.group(1)) != 1:
        return ""
    kinds = _ACRONYM_KINDS[m.group(2)]
    kind = max(kinds, key=lambda k: body.count(k))
    if body.count(kind) == 0:
        return ""
    letter = m.group(1)
    place = next((d.capitalize() for d in sorted(domains) if d[0] == letter.lower() and d.isalpha()), "")
    if not place and count >= 2:
        words = Counter(w for w in re.findall(rf"\b{letter}[a-z]{{2,}}\b", body)
                        if w.lower() not in vocab and w not in _NAME_STOP and w not in _MONTH_WORDS
                        and w.lower() not in _KIND_NAMES)
        place = words.most_common(1)[0][0] if words and words.most_common(1)[0][1] >= 2 else ""
    return f"{place} {kind}" if place else ""


def _minister_department(front: Front) -> str:
    if not re.match(r"(?:Parliamentary\s+Under[- ])?(?:Secretary\s+of\s+State|Minister)\b", front.role):
        return ""
    portfolio = front.role.lower()
    return next((dept for words, dept in _DEPARTMENTS if re.search(rf"\b(?:{words})\b", portfolio)), "HM Government")


def resolve_council(pages: list[Page], info: dict[str, str], front: Front, path: Path | None, stem: str) -> str:
    """The body that issued the paper (see the module docstring for the weights)."""
    department = _minister_department(front)
    if department:
        return department
    texts = [b.text for p in pages[:8] for b in p.blocks]
    vocab = {w for t in texts for w in re.findall(r"\b[a-z]+\b", t)}
    ballot = _Ballot()
    for _, text in front_blocks(pages, limit=14):
        names = council_names(text, vocab)
        lead = re.sub(r"^(?:report|letter)\s+(?:to|for|from)\s+", "", smart_case(text), flags=re.IGNORECASE)
        headerish = len(text.split()) <= 14 and not starts_with_label(text)  # not "Summary: … Swale BC …"
        for name in names:
            ballot.add(name, 8 if lead.startswith(name) else 5 if headerish else 0)
        bare = _BARE_COUNCIL_RE.match(lead)
        if not names and bare and len(lead.split()) <= 6 and bare.group(1).split()[0] not in _NAME_STOP:
            ballot.add(clean(bare.group(0)), 6)
    for part in info.get("running_header", "").split(" | "):
        for name in council_names(part, vocab):
            ballot.add(name, 6)
    for key in ("author", "company"):
        value = clean(info.get(key, ""))
        broad = re.match(r"^(Borough|District|City)\s+of\s+([A-Z][\w ]+)$", value)
        value = f"{broad.group(2)} {broad.group(1)} Council" if broad else value
        if is_council_name(value) and council_names(value):
            ballot.add(council_names(value)[0], 4)
    mentions = Counter(n for t in texts for n in council_names(t, vocab))
    body = "\n".join(texts)
    for name, n in mentions.items():
        ballot.add(name, min(0.5 * n, 2.5), strong=False)
        if any(re.search(p.format(name=re.escape(name)), body) for p in _AUTHOR_LIKE):
            ballot.add(name, 2)
    for place, kinds, weight in _path_hints(path, stem):
        def same_place(n: str, place: str = place) -> bool:
            return " ".join(w for w in re.split(r"[\s&]+", _place(n).lower()) if w != "and") == place

        if not kinds:  # "derbyshire-dales-council": the place only
            ballot.support(same_place, weight - 1)
        elif not ballot.support(lambda n, k=kinds, s=same_place: s(n) and n.endswith(k), weight):
            ballot.add(" ".join(w.capitalize() for w in place.split()) + " " + kinds[0], weight)
    whole = "\n".join(b.text for p in pages for b in p.blocks)  # acronyms: the whole paper
    # The paper's own e-mail or web domain sits in its letterhead or contact block on page 1.
    top = " ".join([*(t for _, t in front_blocks(pages, limit=30)), info.get("running_header", "")])
    domains = {d.lower() for d in _DOMAIN_RE.findall(top)}
    for acronym, n in Counter(m.group(0) for m in _ACRONYM_RE.finditer(whole)).items():
        def same(c: str, a: str = acronym) -> bool:
            return _initials(c) == a

        if not ballot.support(same, min(0.5 * n, 2), strong=False):
            ballot.add(_expand_acronym(acronym, n, whole, vocab, domains), min(0.5 * n, 2), strong=False)
    for domain in domains:
        ballot.support(lambda n, d=domain: _place(n).lower().replace(" ", "").startswith(d.replace("-", "")), 1.5)
    return ballot.winner()


# --- kinds of paper ----------------------------------------------------------------------------

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


def _report_kind(committee: str) -> str:
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
    blocks = page.blocks[:15]
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


def _choose_title(front: Front, pages: list[Page], info: dict[str, str], file: FileName, stem: str) -> str:
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


# --- putting it together -----------------------------------------------------------------------


def _appendix(pages: list[Page], info: dict[str, str], file: FileName) -> tuple[str, str]:
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


def _committee(front: Front, info: dict[str, str], file: FileName, council: str, path: Path | None) -> str:
    """The meeting the paper went to: its header, the minutes' or agenda's heading, the running header,
    else the file name ("cabinet-2025-01-30_…")."""
    body = front.body
    if body and is_council_name(body):  # "Souldern Parish Council" met as its full council
        body = body[len(_place(body)):].strip()
    place = _place(council).split()
    if body and place and body.split()[0] == place[0] and len(body.split()) > 1:
        body = " ".join(body.split()[1:])  # "Souldern Annual Parish Meeting" → "Annual Parish Meeting"
    if not body:
        for part in info.get("running_header", "").split(" | "):
            name = meeting_name(part)
            if name and not is_council_name(name):
                body = name
                break
    body = body or file.body
    # A county council's full meeting is "County Council"; the meeting is the folder's council's even
    # for a paper someone else wrote (a minister's letter put before it).
    owners = [council] + [kinds[0] for _, kinds, _ in _path_hints(path, "") if kinds]
    if body in ("Council", "Full Council") and any(o.endswith("County Council") for o in owners):
        body = "County Council"
    return body


def extract_metadata(
    doc_id: str, pages: list[Page], pdf_info: dict[str, str], path: Path | None = None
) -> dict[str, str]:
    """Title, council, committee, date, kind of paper, decision number and parent report; "" when not found.

    `path` (the file's location) lets the folder name count as a hint for the council ("kent-cc").
    """
    front = read_front(pages, pdf_info)
    file = read_file_name(doc_id)
    council = resolve_council(pages, pdf_info, front, path, doc_id)
    committee = _committee(front, pdf_info, file, council, path)
    appendix, parent = _appendix(pages, pdf_info, file)
    date = front.meeting_date or front.own_date
    title = _choose_title(front, pages, pdf_info, file, doc_id)
    date = date or find_date(title) or file.date or file.year
    if front.kind == "minutes":
        kind = "Minutes"
    elif front.kind == "agenda":
        kind = "Agenda"
    elif front.kind == "questions":
        kind = "Questions and answers"
        title = "Questions and answers: " + ", ".join(x for x in (committee, human_date(date)) if x)
    else:
        form_kind = title_kind(front.form_kind + " form") if front.kind == "form" else ""
        kind = (form_kind or title_kind(title) or ("Letter" if front.kind == "letter" else "")
                or ("Inspector's report" if front.inspector else "") or ("Appendix" if appendix else "")
                or (_report_kind(committee) if committee or front.kind == "report" else ""))
        if front.kind == "form" and title == clean(front.title):
            if kind.endswith("impact assessment"):
                title = f"{kind}: {title}"
            else:
                title = f"{front.form_kind} {front.form_number}".strip() + f": {title}"
    part_of = ""
    if kind.endswith("impact assessment") and front.kind == "form":
        part_of = clean(front.title)  # an assessment belongs to the report on what it assesses
    elif appendix:
        part_of = parent
    decision = "" if kind in ("Minutes", "Agenda") else front.decision_number or file.decision_number
    author = ""
    if front.kind == "report":
        author = front.fields.get("from") or front.fields.get("by") or ""
    elif front.kind == "letter":
        author = ", ".join(x for x in (front.writer, front.role) if x)
    return {
        "title": title,
        "author": author or pdf_info.get("author", "").strip(),
        "council": council,
        "date": date,
        "document_type": kind,
        "committee": committee,
        "decision_number": decision,
        "part_of": part_of,
        "appendix": appendix,
    }
