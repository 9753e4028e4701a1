"""What a lead-in introduces when the paper prints it as plain paragraphs, not as a list.

"Where appropriate, the Council has adopted a commercial approach … Examples include:" is followed by paragraphs
("Transformation of our property services …", "Our countryside service is reviewing …", "The Council has reviewed
a number of its waste contracts …"), each an example, none marked as a list item. A quoted sentence that ends its
paragraph with such a lead-in, or is one, brings the paragraphs it introduces: each one's first sentence, in order,
as the items of a list (`assistant.outline` finds the lists ingestion marked; this reads the ones it could not).
`lists_introduced` is where a lookup's quoted sentences get what they lead in: a marked list, a recorded vote, or
such paragraphs, each list once.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.digest import SENTENCE_ENDS
from assistant.outline import Outline
from assistant.question import QuestionAnalysis
from assistant.types import Evidence, EvidenceGroup, Passage
from common.text import COUNT_LABEL, split_sentences
from ingest.lists import read_label
from vectorstore.sqlite_index import SqliteIndex

MOST_PARAGRAPHS = 8  # paragraphs a lead-in is read to introduce, at most
# A lead-in is a short sentence ("Examples include:", "Key examples include:"); a long one ending in a colon is
# more likely a clause that runs on into what follows.
LEAD_IN_WORDS = 25


def lists_introduced(analysis: QuestionAnalysis, evidence: list[Evidence], outline: Outline, sqlite: SqliteIndex
                     ) -> list[EvidenceGroup]:
    """A quoted sentence that introduces a list ("…made a commitment to 'Super Six' pledges:") or a recorded
    vote ("…the voting was as follows:") brings what it introduces, so the answer is not a colon with nothing
    after it."""
    groups = []
    for item in evidence:
        if analysis.asks_record and COUNT_LABEL.match(item.text.split("\n", 1)[0]):
            # "How many voted for …, and who abstained?" quoted "Abstain (2) Mr B Lewis, …": the whole vote.
            vote = outline.minutes.recorded_vote_of(item)
            if vote is not None and vote.heading not in {g.heading for g in groups}:
                groups.append(vote)
            continue
        # The sentence, or the lead-in ending its paragraph ("… increasing value from assets. Examples include:").
        lead = lead_in_of_paragraph(item)
        if lead is None:
            continue
        found = outline.list_introduced_by(lead)
        group = outline.list_group(found, replace(analysis, terms=[])) if found is not None else None
        # "…the voting was as follows:" For (57) …; else examples printed as paragraphs.
        group = group or outline.minutes.recorded_vote_after(lead) or paragraphs_led_in(sqlite, lead)
        if group is not None:
            group.introduced_by = item
            groups.append(group)
    return _once(groups)


def _once(groups: list[EvidenceGroup]) -> list[EvidenceGroup]:
    """Each list once, when two quoted sentences of one paragraph lead it in ("1.4 The study commenced …" and "Key
    interview topics for discussion, included:"): under the sentence that ends in its colon."""
    def items(group: EvidenceGroup) -> tuple[tuple[str, int], ...]:
        return tuple((i.passage.chunk.chunk_id, i.start) for i in group.items)

    def leads(group: EvidenceGroup) -> bool:
        return group.introduced_by is not None and group.introduced_by.text.rstrip().endswith(":")

    best: dict[tuple[tuple[str, int], ...], EvidenceGroup] = {}
    for group in groups:
        key = items(group)
        if key not in best or leads(group) and not leads(best[key]):
            best[key] = group
    return [g for g in groups if best[items(g)] is g]


def lead_in_of_paragraph(item: Evidence) -> Evidence | None:
    """The lead-in that ends the quoted sentence's paragraph ("… increasing value from assets. Examples include:"),
    with that sentence (so it is told from other lists' "Examples include:"), or the sentence itself when it is
    one; None when the paragraph goes on to other things or ends otherwise."""
    if item.text.rstrip().endswith(":"):
        return item
    chunk = item.passage.chunk
    rest = chunk.text[item.end:].split("\n\n", 1)[0]
    sentences = split_sentences(rest)
    if len(sentences) != 1:
        return None
    start, end = (item.end + s for s in sentences[0])
    if not chunk.text[start:end].rstrip().endswith(":") or len(chunk.text[start:end].split()) > LEAD_IN_WORDS:
        return None
    return Evidence(item.passage, item.rank, item.start, end, chunk.text[item.start:end], score=item.score)


def paragraphs_led_in(sqlite: SqliteIndex, lead: Evidence) -> EvidenceGroup | None:
    """The paragraphs after `lead` in its section, each by its first sentence, up to the next lead-in (another list
    begins) or MOST_PARAGRAPHS; None when fewer than two follow (a lead-in before one paragraph is a sentence)."""
    passage = lead.passage
    chunk, offset = passage.chunk, lead.end
    group = EvidenceGroup(lead.text.strip(), passage.doc)
    lead_style = read_label(lead.text)[0]
    while chunk is not None and len(group.items) < MOST_PARAGRAPHS:
        position = offset
        for paragraph in chunk.text[offset:].split("\n\n"):
            start = chunk.text.index(paragraph, position) if paragraph else position
            position = start + len(paragraph)
            body = paragraph.strip()
            if not body:
                continue
            style = read_label(body)[0]  # "(b) In regard to … as follows:" is one of the points itself
            if body.endswith(":") and not style or not body.endswith((*SENTENCE_ENDS, ":")) \
                    or style and style == lead_style or len(group.items) >= MOST_PARAGRAPHS:
                # Another lead-in, a heading ("Leadership of the county and beyond": what the lead-in introduces
                # is a part of the section, not a run of examples; a terse bullet without a full stop reads the
                # same, and is left out with it), or the paragraph numbered after the lead-in's ("12.10" after
                # "12.9 … held for the following purposes:").
                return group if len(group.items) >= 2 else None
            first = split_sentences(paragraph)
            if not first:
                continue
            s, e = (start + x for x in first[0])
            source = passage if chunk is passage.chunk else Passage(chunk, passage.doc, passage.score)
            group.items.append(Evidence(source, lead.rank, s, e, chunk.text[s:e], score=lead.score))
        following = sqlite.chunk_at(chunk.doc_id, chunk.seq + 1)
        chunk = following if following is not None and following.section == chunk.section else None
        offset = 0
    return group if len(group.items) >= 2 else None
