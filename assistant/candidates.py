"""The sentences of the passages found that can be evidence at all.

Split out of evidence selection (assistant/evidence.py), which scores and picks among them: here a passage is cut
into sentences (common.text.split_sentences) and what says nothing is left out — headings and sub-headings inside
a passage, the paper's title, fragments, contents-page lines, questions the paper asks — while a recorded vote's
count heading ("For (57)") is kept with the names it counts.
"""

from __future__ import annotations

import re

from assistant.types import Evidence, Retrieval
from common.text import (
    CONTACT_DETAIL,
    COUNT_LABEL,
    DECISION_NUMBER,
    STOPWORDS,
    numbered_rows_run_together,
    query_terms,
    split_sentences,
    states_sum,
)

# A cover sheet's field naming the paper ("Subject: Cabinet reconsideration of Decision 24/00093 - …").
_FIELD_LABEL = re.compile(r"^\s*(?:subject|title|report title)\s*:\s*", re.IGNORECASE)
# A cover sheet's address fields: who sent the paper, to which meeting ("To: Cabinet - 4 March 2025"), how it is
# classed. They answer who wrote it or when it went; to anything else they are the paper's name, not an answer.
COVER_ADDRESS = re.compile(r"^\s*(?:from|to|classification|electoral divisions?)\s*:", re.IGNORECASE)
# The last paragraph before a position that starts a paragraph: its text in group 1.
_PARAGRAPH_BEFORE = re.compile(r"(?:^|\n\n)[ \t]*(\S[^\n]*?)\s*\n\n$")


def sentence_candidates(retrieval: Retrieval) -> list[Evidence]:
    """Every sentence of the passages that could answer, once, in passage order: not a heading, a title, a
    fragment, a contents line or a question the paper asks."""
    out: list[Evidence] = []
    seen: set[str] = set()
    for rank, passage in enumerate(retrieval.passages):
        text = passage.chunk.text
        naming = set(query_terms(" ".join([passage.doc.title, passage.doc.council, passage.doc.short_title])))
        headings = {h.strip().lower() for h in passage.chunk.section.split(" > ")}
        for start, end in split_sentences(text):
            label = _count_label_before(text, start)
            if label is not None:
                start = label  # "Abstain (2)" with the names it counts: "Mr B Lewis, Mr D Ross"
            sentence = text[start:end]
            key = " ".join(sentence.lower().split())
            words = query_terms(_FIELD_LABEL.sub("", sentence))
            # Headings, titles, fragments, contents-page lines ("5 Board ......... 12") and a numbered table's rows
            # run together ("… climate change 10.") say nothing; a
            # question the paper asks ("How is the council supporting …?") tells nothing either.
            # A passage that starts in lower case starts mid-sentence ("and additional income | overspend (+£0.9m).",
            # the end of a table row cut by the passage before): a fragment. A cover sheet's "Subject: …" is the title.
            # A heading with a decision number ("92. 24/00096 - Commissioning Plan …") gives the item's number,
            # one with an amount ("2.1 Note the forecast revenue overspend of £23.3m …") gives the amount.
            heading = key in headings and not DECISION_NUMBER.search(sentence) and not states_sum(sentence) \
                and not CONTACT_DETAIL.search(sentence)
            if len(sentence.split()) < 5 or key in seen or heading or set(words) <= naming | STOPWORDS \
                    or _letterhead(sentence, set(words) - naming - STOPWORDS) \
                    or "....." in sentence or sentence.rstrip(" \"'”’)").endswith("?") \
                    or _sub_heading(text, start, end) or _contents_line(text, start, end) \
                    or numbered_rows_run_together(text, start, end) \
                    or sentence[:1].islower() and not text[:start].strip():
                continue
            seen.add(key)
            out.append(Evidence(passage, rank, start, end, sentence))
    return out


# A UK postcode ("SW1P 4DF").
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def _letterhead(sentence: str, other_words: set[str]) -> bool:
    """A sender's name and postal address ("Minister of State for … 2 Marsham Street London SW1P 4DF"): the paper's
    own naming words and a few more around a postcode say nothing the question could ask."""
    return bool(_POSTCODE.search(sentence)) and len(other_words) <= 6


def _count_label_before(text: str, start: int) -> int | None:
    """Where the count heading the paragraph at `start` begins ("For (57)" above the names of those who voted for),
    if the paragraph before it is one."""
    label = _PARAGRAPH_BEFORE.search(text[:start])
    return label.start(1) if label and COUNT_LABEL.match(label.group(1)) else None


def _sub_heading(text: str, start: int, end: int) -> bool:
    """A short line standing alone as its own paragraph, without a full stop, a figure, a colon, a comma or brackets
    ("Costs and becoming more commercially minded", not "Cllr Phil Davies, Leader of the Council (Labour)"): a
    heading inside the passage, which names a topic and says nothing of it."""
    # (A section's number after its title, as a budget report's page headers print it: "Revenue Strategy and
    # Revised Draft Budget 9".)
    line = _NUMBERED_LINE.sub("", text[start:end].strip())
    alone = text[:start].rstrip(" \t").endswith("\n\n") or not text[:start].strip()
    alone = alone and (text[end:].lstrip(" \t").startswith("\n\n") or not text[end:].strip())
    if not alone or re.search(r"[.!?;\d:,()]", line):
        return False
    # Longer, it is a title when its words are capitalised as titles are ("Puy du Fou – Coalition of Local Parish
    # Councils – Objection"): a sentence capitalises its first word and names, not three in four of its words.
    found = re.findall(r"[^\W\d_][\w'’-]*", line)
    return len(line.split()) <= 8 or len(found) <= 16 and sum(w[0].isupper() for w in found) >= 0.75 * len(found)


_NUMBERED_LINE = re.compile(r"(?<=[A-Za-z)])\s+\d{1,2}$")


def _contents_line(text: str, start: int, end: int) -> bool:
    """A line of a contents list without dot leaders ("Revenue and Capital 2024-25 Budget Monitoring Report – Quarter 3
    6" between "… report 5" and "… Budget Recovery Strategy 7"): a whole line ending in a number, one of a run whose
    numbers count up."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return False  # part of a longer line
    lines = text.split("\n")
    index = text.count("\n", 0, line_start)
    number = _page_number(lines[index])
    if number is None:
        return False
    neighbours = [_page_number(lines[i]) for i in (index - 1, index + 1) if 0 <= i < len(lines)]
    return any(n is not None and abs(n - number) == 1 for n in neighbours)


def _page_number(line: str) -> int | None:
    """The number a contents line ends in, after words and without a full stop; None for another line."""
    match = re.fullmatch(r"[^!?;:£$%|]*[A-Za-z)’']\s+(\d{1,3})\s*", line) or re.fullmatch(
        r"[^!?;:£$%|]*[A-Za-z][^!?;:£$%|]*\s(\d{1,3})\s+(\d{1,3})\s*", line)
    if match is None or len(re.findall(r"[A-Za-z]{2,}", line)) < 2:
        return None
    return int(match.groups()[-1])

