"""An answer's claims and its passages' units: the two sides attribution compares, and the checks on figures.

A claim is one sentence or list item of a model's answer, its list label and [n] markers taken off (the markers
are kept as hints of which source the model meant). A unit is one sentence or list line of a passage the model
was shown: what a citation quotes. The checks here are the ones that need no weighting: a figure must stand next
to the same words in the passage as in the claim (`figure_in_context`), and the words a claim capitalises are its
names. `assistant.attribution` weighs the rest and decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.types import Passage
from common.rows import labelled_figures, row_cells, table_header
from common.text import (
    LIST_LABEL,
    STOPWORDS,
    figures_in,
    last_heading,
    quantities,
    query_terms,
    split_sentences,
    stem,
    words,
)

# Markers as models write them: [1], [1, 2], [1][2]; "…2018. [1] It…" puts them after the full stop.
MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_MARKERS_WITH_SPACE = re.compile(r"[ \t]*\[\d{1,3}(?:\s*,\s*\d{1,3})*\]")
_MARKERS_AFTER_STOP = re.compile(r"([.!?;:])((?:[ \t]*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+)")
CANNOT = re.compile(r"papers provided do not say|(papers|passages|sources|documents) (provided )?(do|does) not "
                    r"(say|contain|mention|state|give|include)|do not (say|contain|mention)|no information",
                    re.IGNORECASE)
# Emphasis and headings, and an "Answer:" the model repeats from the prompt.
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}[ \t]+|^[ \t]*Answer:[ \t]*", re.MULTILINE)
_PASSAGE_NEGATION = re.compile(r"\b(not|no|never|none|nor|cannot|without|unable|neither|lack\w*|absen\w*|fail\w*|"
                               r"unclear|insufficient|yet to|missing|n['’]t)\b|n['’]t\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’&-]*")
# Words a model capitalises without naming anything in particular.
_NOT_NAMES = frozenset("i a an the this that these those it its they their there he she we our council councils "
                       "however also overall in on at for of and but or as by to from with firstly secondly "
                       "finally additionally furthermore yes no".split())
_MILLION = re.compile(r"(\d)\s*(?:million|mn)\b", re.IGNORECASE)
_BILLION = re.compile(r"(\d)\s*billion\b", re.IGNORECASE)
_PERCENT = re.compile(r"(\d)\s*(?:per\s*cent|percent)\b", re.IGNORECASE)


def normalise_figures(text: str) -> str:
    """"£263 million" and "£263m", "43 per cent" and "43%" compare equal."""
    text = _MILLION.sub(r"\1m", text)
    text = _BILLION.sub(r"\1bn", text)
    return _PERCENT.sub(r"\1%", text)



# --- the checks a claim must pass --------------------------------------------------------------------------

def supports(claim: str, passage: str) -> bool:
    """The passage holds every figure of the claim, in the same context, and a fair share of its content words
    (the simple whole-passage check; `Attributor` is the one answers go through)."""
    claim, passage = normalise_figures(claim), normalise_figures(passage)
    lower = passage.lower()
    if any(f not in lower for f in figures_in(claim)):
        return False
    terms = query_terms(claim)
    if terms and sum(1 for t in terms if stem(t) in lower) / len(terms) < 0.4:
        return False
    return all(figure_in_context(figure, claim, passage) for figure in quantities(claim))


def figure_in_context(figure: str, claim: str, passage: str, near: int = 6, far: int = 8, around: str = "") -> bool:
    """A figure must say the same thing in the passage as in the claim: the claim's words next to it
    must mostly stand next to it in the passage too. "90% of residents were satisfied with the council"
    fails against "a 90% satisfaction score with their area …, however satisfaction with the council
    at 59%", although both the figure and the words occur in that sentence.

    Fewer of them will do (a third) when the rest are elsewhere in the passage but next to none of its
    other figures: "In the early 2017 survey, 59% of residents were satisfied with the council" against the
    same sentence ("survey", "residents" open it; "satisfaction with the council at 59%"), or in `around` (the
    other sentences cited with it, for a claim that joins two)."""
    claim_context = _context_terms(claim, figure, near)
    if not claim_context:
        return True
    lower = passage.lower()
    windows = [_context_terms(passage, figure, far, occurrence=i) for i in range(lower.count(figure))]
    others: set[str] = set()
    for other in set(quantities(passage)):
        if figure not in other and other not in figure:
            for i in range(lower.count(other)):
                others |= _context_terms(passage, other, far, occurrence=i)
    everywhere = stems(passage) | stems(around)
    wide = _context_terms(claim, figure, far)
    for window in windows:
        if sum(1 for t in claim_context if among(t, window)) / len(claim_context) >= 0.6:
            return True
        shared = {t for t in wide if among(t, window)}
        rest = wide - shared
        if shared and len(shared) / len(wide) >= 1 / 3 and all(among(t, everywhere) for t in rest) and \
                not any(among(t, others) for t in rest):
            return True
    return False


def among(term: str, roots: set[str]) -> bool:
    return term in roots or any(len(r) >= 4 and len(term) >= 4 and (r.startswith(term) or term.startswith(r))
                                for r in roots)


def _context_terms(text: str, figure: str, width: int, occurrence: int = 0) -> set[str]:
    words = text.lower().split()
    positions = [i for i, w in enumerate(words) if figure in w]
    if len(positions) <= occurrence:
        return set()
    at = positions[occurrence]
    window = " ".join(words[max(0, at - width):at] + words[at + 1:at + 1 + width])
    return stems(window)



# --- claims and units -----------------------------------------------------------------------------------------

@dataclass
class Claim:
    """One sentence or list item of the answer (its label and markers left out)."""

    start: int  # offsets in the cleaned answer text
    end: int
    text: str
    hints: list[int] = field(default_factory=list)  # the sources (0-based) the model cited for it
    kind: str = "claim"  # "claim" (checked), "frame" (lead-in, heading, fragment) or "cannot"
    context: str = ""  # what a bare answer ("93%") answers: the question, checked with it

    @property
    def checked_text(self) -> str:
        return f"{self.context} {self.text}".strip()


@dataclass(eq=False)
class Unit:
    """A sentence or list line of a passage: what a citation quotes."""

    passage: Passage
    start: int
    end: int
    text: str
    lower: str  # lower-cased, figures normalised
    stems: frozenset[str]
    figures: frozenset[str]
    negated: bool
    position: int  # order among all units
    naming: str = ""  # its paper's title, council and section heading, lower-cased: words that name, not claim
    naming_roots: frozenset[str] = frozenset()
    # One cell of a row of figures, read with its row and column: its figure means only what they say, never
    # what another sentence cited with it says.
    cell: Cell | None = None


@dataclass(frozen=True)
class Cell:
    """Where a cell stands: the words of its row's label, and the words of each column of its table (its own at
    `column`)."""

    row: frozenset[str]
    columns: tuple[frozenset[str], ...]
    column: int

    def fits(self, claim: str) -> bool:
        """Whether a claim about this cell's figure names its row ("KS R") and no other column better than its own:
        "the top point" is the "Top" column's figure, not the "Temporary transition point" one's."""
        said = set(words(claim.lower()))
        shares = [len(c & said) / len(c) if c else 0.0 for c in self.columns]
        return self.row <= said and shares[self.column] >= max(shares)


def clean_answer(text: str) -> tuple[str, list[tuple[int, list[int]]]]:
    """The answer without markers or markdown emphasis, and where each marker stood (offset, numbers)."""
    text = _MARKDOWN.sub("", text)
    text = _MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    out: list[str] = []
    marks: list[tuple[int, list[int]]] = []
    pos = 0
    length = 0
    for match in _MARKERS_WITH_SPACE.finditer(text):
        out.append(text[pos:match.start()])
        length += match.start() - pos
        numbers = [int(n) for group in MARKER.findall(match.group(0)) for n in re.split(r"\s*,\s*", group)]
        marks.append((length, numbers))
        pos = match.end()
    out.append(text[pos:])
    cleaned = "".join(out)
    # A marker that opened a line ("[1] The council…") leaves its space behind.
    starts = [m.start() for m in re.finditer(r"(?m)^ (?=\S)", cleaned)]
    for at in reversed(starts):
        cleaned = cleaned[:at] + cleaned[at + 1:]
        marks = [(o - 1 if o > at else o, n) for o, n in marks]
    return cleaned, marks


def split_claims(text: str, marks: Sequence[tuple[int, list[int]]] = (), sources: int = 0,
                 headings: Sequence[str] = ()) -> list[Claim]:
    """The claims of a cleaned answer, each with the sources its markers named (0-based, valid ones only)."""
    heading_keys = {_key(h) for h in headings if h.strip()}
    claims: list[Claim] = []
    for start, end in split_sentences(text):
        label = LIST_LABEL.match(text[start:end])  # a claim is the item's words
        if label:
            start += label.end()
        if start >= end:
            continue
        # A list run into one sentence ("…an energy tariff; 2,000 jobs by March 2019; …"): one claim per part.
        for part_start, part_end in _parts(text, start, end):
            claims.append(Claim(part_start, part_end, text[part_start:part_end]))
    for offset, numbers in marks:
        owner = next((c for c in claims if c.start <= offset <= c.end + 1), None)
        if owner is None:
            owner = next((c for c in reversed(claims) if c.end <= offset), None)
        if owner is not None:
            owner.hints.extend(n - 1 for n in numbers if 1 <= n <= sources and n - 1 not in owner.hints)
    for claim in claims:
        body = claim.text.strip()
        words = re.findall(r"\w+", body)
        if CANNOT.search(body):
            claim.kind = "cannot"
        elif len(words) < 3 or _key(body) in heading_keys:
            claim.kind = "frame"
        elif body.endswith(":"):
            claim.kind = "frame"  # "The peer team's key recommendations were:" (its figures are still checked)
    return claims


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [m.end() for m in re.finditer(r";\s+", text[start:end])]
    bounds = [start, *(start + c for c in cuts), end]
    parts = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
    if len(parts) == 1 or any(len(re.findall(r"\w+", text[a:b])) < 3 for a, b in parts):
        return [(start, end)]
    return [(a, len(text[:b].rstrip().rstrip(";")) if b != end else b) for a, b in parts]


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def units_of(passages: Sequence[Passage]) -> list[Unit]:
    units: list[Unit] = []
    seen: set[tuple[str, int]] = set()
    for passage in passages:
        text = passage.chunk.text
        doc = passage.doc
        naming = " ".join([doc.title, doc.short_title, doc.council, doc.date, doc.doc_id.replace("-", " "),
                           passage.chunk.section]).lower()
        for start, end in split_sentences(text):
            if (passage.chunk.chunk_id, start) in seen:
                continue
            seen.add((passage.chunk.chunk_id, start))
            sentence = text[start:end]
            # "Latest: 94% Target: 90%" is read under the heading that says what it measures.
            read = f"{last_heading(passage.chunk.section)}: {sentence}" if labelled_figures(sentence) \
                else sentence
            lower = normalise_figures(read).lower()
            units.append(Unit(passage, start, end, sentence, lower, frozenset(stems(read)),
                              frozenset(figures_in(lower)), bool(_PASSAGE_NEGATION.search(sentence)), len(units),
                              naming, frozenset(stems(naming))))
            if passage.chunk.kind == "table":
                units += _cells(passage, start, end, len(units), naming)
    return units


def _cells(passage: Passage, start: int, end: int, position: int, naming: str) -> list[Unit]:
    """A row of figures read cell by cell, each as its table, row and column say it ("2025/26 Kent Scheme pay
    scale KS R Top: £247,055"): what a claim about one figure of the row is checked against. Each quotes the row."""
    section = passage.chunk.section
    sentence = passage.chunk.text[start:end]
    cells = row_cells(sentence, table_header(section))
    if not cells:
        return []
    title = section.rsplit(" > ", 1)[0] if " > " in section else ""
    label = cells[0][1]
    row = frozenset(words(label.lower()))
    columns = tuple(frozenset(query_terms(column)) for column, _ in cells[1:])
    units = []
    for i, (column, value) in enumerate(cells[1:]):
        read = f"{title} {label} {column}: {value}"
        lower = normalise_figures(read).lower()
        units.append(Unit(passage, start, end, sentence, lower, frozenset(stems(read)), frozenset(figures_in(lower)),
                          False, position + len(units), naming, frozenset(stems(naming)), Cell(row, columns, i)))
    return units


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")


def root(word: str) -> str:
    """A word's first five letters once a common ending is off: "needed" and "need", "finances" and "financial",
    "satisfied" and "satisfaction" meet; "hall" is not in "challenge"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


def stems(text: str) -> set[str]:
    return {root(t) for t in query_terms(text) if not any(ch.isdigit() for ch in t)}


def names_in(claim: str) -> list[str]:
    """Words the claim capitalises mid-sentence (names of people, places, bodies, programmes, months), lower-cased.
    The first word counts only when it is an acronym or starts a run of capitalised words."""
    found: list[str] = []
    tokens = list(_CAPITALISED.finditer(claim))
    for i, match in enumerate(tokens):
        word = re.sub(r"['’]s$", "", match.group(0)).strip("'’-")
        lower = word.lower()
        if lower in _NOT_NAMES or lower in STOPWORDS or len(word) < 2:
            continue
        at_start = not claim[:match.start()].strip(" \"'“‘(")
        if at_start and not word.isupper():
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following is None or claim[match.end():following.start()].strip():
                continue
        found.append(lower)
    return list(dict.fromkeys(found))
