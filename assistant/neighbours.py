"""The sentences a chosen sentence is read with: its paragraph's opening, the sentence after it, its table's
header row, the contact lines under it.

A status line ("Review Completed – Implementation underway") names nothing without the opening of the row it
ends; a row of figures says nothing without its columns; a "Telephone: …" line runs on into "Email: …". The
evidence selector (assistant.evidence) asks these of the candidates it scored.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer_kinds import paragraph_before, terms_in
from assistant.question import QuestionAnalysis
from assistant.types import Evidence
from common.rows import row_label, table_header
from common.text import CONTACT_DETAIL, names_someone

# A sentence opening with a person's first name and surname ("Rob Large is also willing …"), not "The Council …".
_NAME_OPENING = re.compile(r"\s*(?!(?:The|This|That|These|Those|Their|There|It|Its|In|On|At|An?|As|All|Any|Each|"
                           r"Every|Some|Our|We|Further|Following)\s)[A-Z][a-z]+\s+[A-Z][a-z]+\b")


def header_row_for(row: Evidence, cands: list[Evidence]) -> Evidence | None:
    """For a row of figures whose chunk does not carry its columns (a wide table whose header row the chunker
    could not repeat), the header row of its paper among the candidates ("Core £000s | … | ASCH Core £000s |
    …"), so the row's figures can be read."""
    if row.passage.chunk.kind != "table" or not row_label(row.text) or table_header(row.passage.chunk.section):
        return None
    return next((c for c in cands if c.passage.doc.doc_id == row.passage.doc.doc_id and column_names(c)), None)


def column_names(item: Evidence) -> bool:
    """Whether a line of a table is its header row, the columns' names ("Core £000s | … | ASCH Core £000s | …"):
    read with a row of figures, it tells what each figure is; alone it gives none."""
    return item.passage.chunk.kind == "table" and item.text.count(" | ") >= 2 and not row_label(item.text)


def figures_row(item: Evidence) -> bool:
    """Whether a line of a table is a labelled row of figures ("NET BUDGET 1,530,923.8 0.0 …")."""
    return item.passage.chunk.kind == "table" and bool(row_label(item.text))


def row_opening_for(line: Evidence, cands: list[Evidence]) -> Evidence | None:
    """The first sentence of the paragraph a line ends ("1. Occupational Health A report detailing …" for "Review
    Completed – Implementation underway as part of HR Review"), among the candidates; None when it is the first."""
    if not paragraph_before(line).strip():
        return None
    start = paragraph_start(line)
    return next((c for c in cands if c.passage.chunk.chunk_id == line.passage.chunk.chunk_id and c.start == start),
                None)


def same_paragraph(a: Evidence, b: Evidence) -> bool:
    return a.passage.chunk.chunk_id == b.passage.chunk.chunk_id and paragraph_start(a) == paragraph_start(b)


def paragraph_start(item: Evidence) -> int:
    return item.start - len(paragraph_before(item).lstrip())


def next_sentence(item: Evidence, cands: list[Evidence]) -> Evidence | None:
    """The candidate sentence right after `item` in the same paragraph of the same passage, if any."""
    text = item.passage.chunk.text
    gap = text[item.end:item.end + 3]
    if "\n" in gap:
        return None  # the paragraph ends here
    return next((c for c in cands if c.passage.chunk.chunk_id == item.passage.chunk.chunk_id
                 and 0 < c.start - item.end <= 2), None)


def runs_on(analysis: QuestionAnalysis, best: Evidence, cands: list[Evidence]) -> Evidence | None:
    """The next sentence of the best one's paragraph, when the answer runs on into it. "Why…", "what did they make
    of…": the point often does. "Who did the parish council co-opt?": after "… Kate Green was attending with a view
    to be co-opted …", "Rob Large is also willing to be co-opted …", opening with a name and on the same thing, names
    another one. Not after a figure or a date asked for."""
    follow = next_sentence(best, cands)
    if follow is None:
        return None
    if analysis.wants_name:
        someone = names_someone(follow.text) or _NAME_OPENING.match(follow.text)
        return follow if someone and terms_in(follow.text, analysis.terms, analysis.learned) else None
    return None if analysis.wants_figure or analysis.wants_date else follow


# The end of a sentence, as a paragraph that ends one ends; a shorter line without one is a heading.
_ENDS_SENTENCE = re.compile(r"[.!?:;]['\"’”)]?\s*$")
HEADING_WORDS = 15


def paragraph_of(item: Evidence, most_words: int) -> Evidence | None:
    """The whole prose paragraph a sentence stands in, when it holds more than the sentence and is no longer than
    `most_words`: what a paper says on a topic is said in a paragraph ("… the STP at the time of our onsite work had
    become stalled. … Closer working with health and social care partners is needed …"), and a sentence of it
    alone can leave out the point. None for a table's line, a list item, a longer paragraph, or one that may be
    cut: opened by the passage, closed by it mid-sentence, or after a paragraph ending mid-sentence."""
    if item.passage.chunk.kind != "text" or item.label:
        return None
    text = item.passage.chunk.text
    start = paragraph_start(item)
    before = text[:start].rstrip().rsplit("\n\n", 1)[-1]
    if start == 0 or not _ENDS_SENTENCE.search(before) and len(before.split()) > HEADING_WORDS:
        # The passage may open mid-paragraph, and a paragraph broken by a page ("… the concepts of Enterprising
        # Council and One" / "Council. These are at an early stage …") opens with the tail of a sentence.
        return None
    ends = text.find("\n\n", item.end)
    block = text[start:len(text) if ends < 0 else ends].rstrip()
    if "\n" in block or len(block.split()) > most_words or len(block) <= len(item.text) + 1 \
            or not _ENDS_SENTENCE.search(block):
        return None  # (nor one closed mid-sentence, by the passage's end or a page's)
    return replace(item, start=start, end=start + len(block), text=block)


def contact_block(item: Evidence) -> Evidence:
    """A line of contact details with the lines right after it that carry more ("Email: …" under "Telephone: …")."""
    text = item.passage.chunk.text
    end = item.end
    for _ in range(3):
        following = re.match(r"[ \t]*\n\s*([^\n]+)", text[end:])
        if following is None or not CONTACT_DETAIL.search(following.group(1)):
            break
        end += following.end()
    return replace(item, end=end, text=text[item.start:end]) if end > item.end else item
