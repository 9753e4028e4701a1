"""Summaries in the paper's own words: a paper section by section, or one section on the question's topic.

"Summarise the Productivity Plan" walks the paper's main sections in order (the summary, purpose,
recommendations and conclusions always among them); "how did the 2018 peer team see the council's
finances?" finds the section whose heading is that topic ("4.4 Financial planning and viability") and
gives its gist. A section's gist is its most central sentences (the ones sharing most words with the
rest of the section), favouring those that carry figures and, when the section answers a question on its
topic, those closest to it in meaning, in document order (weighed in `assistant.gist`); a section that is a
list gives the central sentences of its own prose before the list, then its items' headlines.
Nothing is generated, so every line is a quote that can be cited.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from assistant.cues import SUMMARY_WORDS
from assistant.gist import Sentence, central, closeness
from assistant.question import QuestionAnalysis
from assistant.types import Evidence, EvidenceGroup, Passage
from common.text import (
    CONTACT_DETAIL,
    WEAK_WORDS,
    nearly_same,
    numbered_rows_run_together,
    split_sentences,
    stem,
    uncut,
)
from common.types import Chunk, DocumentRecord, ListItem, Section
from ingest.frontsheet import starts_with_label
from ingest.lists import read_label
from vectorstore.embeddings import Embedder
from vectorstore.sqlite_index import SqliteIndex

MOST_SECTIONS = 8  # sections of a paper its gist walks through, when the question does not say how many
# A topic names a heading in meaning when it is this close to it, and clearly closer than to any other.
HEADING_MATCH = 0.4
HEADING_MARGIN = 0.08

# Sections a summary reads first: where papers say what they are about and what they conclude.
LEADING = re.compile(r"summary|purpose|introduction|overview|background|recommend|conclusion|next steps|"
                     r"key (findings|messages|issues)|decision|proposal|vision|priorit|ambition", re.IGNORECASE)
_SKIPPED = re.compile(r"^(contents|appendix|appendices|annex|glossary|background (?:papers|documents)|contact|"
                      r"implications?|legal|financial implications|equalit(?:y|ies)|human resources|risk management|"
                      r"the peer challenge process|scope and focus|the peer team|signed|references?|call-in|"
                      r"key decision|considerations|summary of the (?:peer challenge )?approach)\b", re.IGNORECASE)
PROSE_WITH_LIST = 3  # sentences of a list section's own prose given before its items' headlines
LEAD_IN_ITEMS = 4  # sub-items given after an item that only introduces them ("The key aims … were to:")
# A report's cover sheet (its first chunks) with "Summary: …" up to its next field ("Recommendation(s): …").
COVER_CHUNKS = 3
COVER_SENTENCES = 3
_COVER_SUMMARY = re.compile(r"(?:^|\n)[ \t]*Summary[ \t]*:\s*")
_NEXT_FIELD = re.compile(r"\n[ \t]*[A-Z][\w()/ ]{1,40}:(?:\s|$)")
# A cover sheet's field that states what the paper is about ("Summary: This paper addresses …"), unlike "By: …".
_STATEMENT_LABEL = re.compile(r"\s*(?:summary|recommendations?|recommendation\(s\))\s*:", re.IGNORECASE)
# A sentence that leans on the one before it ("These relate to the lack of resources …" after "… perceptions in
# circulation …"): quoted alone it says something else. Likewise a sentence that goes on from the one before
# ("And how Sheffield City Council reports …"), "This enables the Council to …", "These groups have …".
LEANS_BACK = re.compile(r"\s*(?:(?:These|This|They|Those|Such)\s+(?:\w+ly\s+)?(?:are|is|was|were|relate|include|will|"
                         r"would|has|have|had|mean|can|could|should|may|might|need|\w+s)\b|(?:And|But|Or)\s)")
# A statement ends as one: not a list item ("Making Derby the cleanest English city within 4 years"), a line cut
# off ("… how many businesses have been supported") or a footnote ("1 This excludes …"); but a numbered point
# needs no full stop ("(1) Endorse the ongoing joint work … (2) Endorse …", a report's recommendations).
SENTENCE_ENDS = (".", "!", "?", "”", '"', "’", "'", ")")
# A section that is the whole answer ("what did the peer team conclude about the money situation?") is read
# more fully when long: a sentence in every SENTENCES_PER_PICK, up to LONGEST_GIST.
SENTENCES_PER_PICK = 4
_OWN_SUMMARY = re.compile(r"summary|conclusion", re.IGNORECASE)
LONGEST_GIST = 10
SUMMARY_PARAGRAPHS = 5  # a paper's own summary in this many paragraphs or more makes its points for its gist
_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[A-Z]\.|[ivx]+\.)\s+")
# A footnote at a page's foot ("13 South West Hertfordshire Economic Study 2016 …", "15 Oral evidence by the Council
# at the hearing …"), or a form's numbered line: a bare number, then a capital or another number. Not "12 schools".
_FOOTNOTE = re.compile(r"^\s*\d{1,3}\s+(?=[A-Z\d])")


def bare(heading: str) -> str:
    """A heading without its number ("4.4 Financial planning" -> "Financial planning"; "1 | Introduction" ->
    "Introduction", a number printed in a column of its own)."""
    return _NUMBER.sub("", heading).strip().removeprefix("|").strip()


class Digest:
    def __init__(self, sqlite: SqliteIndex, embedder: Embedder) -> None:
        self.sqlite = sqlite
        self.embedder = embedder

    def paper(self, doc: DocumentRecord, most_sections: int = MOST_SECTIONS, budget: int = 16,
              summary_whole: bool = False) -> list[EvidenceGroup]:
        """The paper's gist: its own cover summary, then its main sections, `most_sections` in all, in order, each
        with its central sentences (about `budget` in all; a summary or conclusion section gets more than the
        others). A section with nothing of its own to quote (a title repeated as a heading) gives way to the next.
        `summary_whole`: the paper's own summary, when it has one, is read a sentence from each of its paragraphs
        (each makes one of the paper's points), and then only the sections that recommend or conclude: the
        others' points are those the summary has made."""
        every = self.sqlite.sections(doc.doc_id)
        headings = _heading_texts(every)
        sections = [s for s in every if s.heading and not _SKIPPED.match(bare(s.heading))]
        ranked = _rank_sections(sections)
        cover = self._cover_summary(doc)
        groups = [cover] if cover is not None else []
        share = max(1, min(3, budget // max(min(len(ranked), most_sections - len(groups)), 1)))
        quoted = [i for g in groups for i in g.items]
        picked: list[tuple[int, EvidenceGroup]] = []
        # A paper's own summary says most of what its gist should: it is read more fully, the other sections less.
        own_summary = any(_OWN_SUMMARY.search(s.heading) for s in ranked[:most_sections])
        summary_read = False
        for section in ranked:
            if len(groups) + len(picked) >= most_sections:
                break
            is_summary = bool(_OWN_SUMMARY.search(section.heading))
            if summary_read and not is_summary and not LEADING.search(section.heading):
                continue
            count = share + (4 if own_summary else 2) if is_summary else max(1, share - 1) if own_summary else share
            group = self.section(doc, section, None, count, headings, by_paragraph=summary_whole and is_summary)
            summary_read = summary_read or summary_whole and is_summary and len(group.items) >= SUMMARY_PARAGRAPHS
            # Nothing twice: not the cover's summary again under its heading ("Item No: “Summary: This paper
            # addresses …”"), nor a line a form prints on two pages.
            kept: list[Evidence] = []
            for item in group.items:
                if not any(_same(item, q) for q in [*quoted, *kept]):
                    kept.append(item)
            group.items = kept
            quoted += kept
            if group.items:
                picked.append((section.ord, group))
        groups += [group for _, group in sorted(picked, key=lambda pair: pair[0])]
        if not groups:  # a paper without headings: the gist of the whole text
            whole = Section(doc.doc_id, 0, "", "", 0, 1, doc.page_count, 0, max(doc.chunk_count - 1, 0))
            group = self.section(doc, whole, None, 5, headings)
            if group.items:
                groups.append(group)
        return groups

    def _cover_summary(self, doc: DocumentRecord) -> EvidenceGroup | None:
        """What a report's cover sheet says it is about ("Summary: This report sets out an assessment of the
        robustness of …"), often before any heading: the paper's own summary, given first."""
        for chunk in self.sqlite.chunks_of(doc.doc_id, 0, COVER_CHUNKS - 1):
            label = _COVER_SUMMARY.search(chunk.text)
            if label is None:
                continue
            after = _NEXT_FIELD.search(chunk.text, label.end())
            text = chunk.text[label.end():after.start() if after else len(chunk.text)]
            group = EvidenceGroup("Summary", doc)
            for start, end in split_sentences(text):
                start, end = label.end() + start, label.end() + end
                if len(chunk.text[start:end].split()) >= 8 and len(group.items) < COVER_SENTENCES:
                    group.items.append(Evidence(Passage(chunk, doc, 1.0), 0, start, end, chunk.text[start:end]))
            return group if group.items else None
        return None

    def topic_section(self, docs: list[DocumentRecord], terms: list[str], by_meaning: bool = True
                      ) -> tuple[DocumentRecord, Section] | None:
        """The section of one of `docs` whose heading names the topic: most of its words ("finances" ->
        "Financial planning and viability"), else (`by_meaning`) clearly the closest heading in meaning ("money
        situation" -> the same), the most specific one."""
        wanted = [t for t in terms if t not in WEAK_WORDS]
        if not wanted:
            return None
        candidates = [(doc, s) for doc in docs for s in self.sqlite.sections(doc.doc_id) if s.heading]
        # A heading the paper repeats ("Conclusion" closing each issue an inspector examines) heads a part's; the one
        # it prints once ("Overall Conclusion and Recommendation") the paper's.
        repeats = Counter((doc.doc_id, bare(s.heading).lower()) for doc, s in candidates)
        best: tuple[tuple[float, int, float, int], DocumentRecord, Section] | None = None
        for rank, (doc, section) in enumerate(candidates):
            heading = bare(section.heading).lower()
            share = sum(1 for t in wanted if stem(t) in heading) / len(wanted)
            if share >= 0.5:
                key = (share, -repeats[(doc.doc_id, heading)], 0.1 * section.level - 0.05 * docs.index(doc), -rank)
                if best is None or key > best[0]:
                    best = (key, doc, section)
        if best is not None:
            return best[1], best[2]
        return self._closest_heading(candidates, " ".join(wanted)) if by_meaning else None

    def _closest_heading(self, candidates: list[tuple[DocumentRecord, Section]], topic: str
                         ) -> tuple[DocumentRecord, Section] | None:
        if not candidates:
            return None
        headings = [bare(s.heading) for _, s in candidates]
        vectors = np.asarray(self.embedder.embed_documents(headings))
        scores = vectors @ np.asarray(self.embedder.embed_query(topic))
        order = np.argsort(-scores)
        top = float(scores[order[0]])
        runner_up = max((float(scores[i]) for i in order[1:] if headings[i] != headings[order[0]]), default=0.0)
        if top < HEADING_MATCH or top - runner_up < HEADING_MARGIN:
            return None
        return candidates[int(order[0])]

    def section(self, doc: DocumentRecord, section: Section, analysis: QuestionAnalysis | None, count: int,
                headings: set[str] | None = None, grows: bool = False, by_paragraph: bool = False) -> EvidenceGroup:
        """A section's gist: its list's headlines when it is a list, else its most central sentences, `count` of
        them (`grows`: more for a long section, one in SENTENCES_PER_PICK up to LONGEST_GIST, when the section is the
        whole answer; `by_paragraph`: one from each paragraph, up to LONGEST_GIST). `headings`: the paper's
        headings, lower-cased, when the caller has read them already."""
        group = EvidenceGroup(bare(section.heading), doc)
        chunks = [c for c in self.sqlite.chunks_of(doc.doc_id, section.seq_start, section.seq_end)
                  if c.section.startswith(section.path)]
        if headings is None:
            headings = _heading_texts(self.sqlite.sections(doc.doc_id))
        headlines = self._headlines(doc, section, chunks, max(count, 4))
        if headlines:
            # The section's own prose before its list ("…efficiency savings of over £47 million were achieved.
            # Further savings of £66.6 million…" before "Key examples include:") says its gist first.
            first = headlines[0]
            order = {c.chunk_id: c.seq for c in chunks}
            # Ending before the first item, not starting before it: the sentence read across "1. Note progress …"
            # starts at the label, before the item, and is that item.
            prose = [s for s in _sentences(chunks, headings)
                     if (order[s.chunk.chunk_id], s.end) <= (order[first.passage.chunk.chunk_id], first.start)]
            opening = central(prose, PROSE_WITH_LIST, analysis.terms if analysis else [])
            group.items = [Evidence(Passage(s.chunk, doc, 1.0), 0, s.start, s.end, s.text) for s in opening]
            group.items += headlines
            return group
        sentences = _sentences(chunks, headings)
        # A section's point is made in its prose; its table rows ("Key Service: … | Revenue Variance: +6.3 | …") carry
        # the detail, and many figures, which would otherwise win. Rows only when prose is short of a gist.
        prose = [s for s in sentences if s.chunk.kind != "table"]
        if len(prose) >= count:
            sentences = prose
        if grows:  # and a sentence of each paragraph that makes its point in more than one
            sizes = Counter(s.paragraph for s in sentences)
            points = sum(1 for size in sizes.values() if size > 1)
            count = max(count, min(LONGEST_GIST, max(len(sentences) // SENTENCES_PER_PICK, points)))
            # The section's first statement says its point ("DCC is well placed to respond to future challenges and
            # appears to be prudently managed financially."): in words the rest, explaining it, rarely repeats, so
            # centrality would pass it over. When the section is the whole answer, it comes first, on top.
            count += 1
        if by_paragraph:
            count = max(count, min(LONGEST_GIST, len({s.paragraph for s in sentences})))
        # The section answers a question on its topic ("… to cut wasteful spending?"): closeness to that topic counts;
        # not when its heading holds every word of it ("what the chairman reported" of "4. Chairman's Report": the
        # whole section is asked for, and every sentence of it is on that topic).
        heading = section.heading.lower()
        topic = analysis.topic_terms if analysis else []
        whole = bool(topic) and all(stem(t) in heading for t in topic)
        near = closeness(self.embedder, sentences, topic) if grows and not whole else None
        terms = [t for t in analysis.terms if t not in SUMMARY_WORDS and not (whole and stem(t) in heading)] \
            if analysis else []
        chosen = central(sentences, count, terms, opening_kept=grows, near_topic=near)
        group.items = [Evidence(Passage(s.chunk, doc, 1.0), 0, s.start, s.end, s.text) for s in chosen]
        return group

    def _headlines(self, doc: DocumentRecord, section: Section, chunks: list[Chunk], most: int) -> list[Evidence]:
        """A section made mostly of a list (recommendations, priorities): its top-level items' first sentences."""
        if not section.path:
            return []
        by_id = {c.chunk_id: c for c in chunks}
        in_section = [i for i in self.sqlite.list_items(doc.doc_id)
                      if i.chunk_id in by_id and i.section == section.path]
        items = [i for i in in_section if i.depth == 0]
        listed = sum(i.end - i.start for i in items)
        if len(items) < 3 or listed < 0.5 * sum(len(c.text) for c in chunks):
            return []  # a section with a list in it, not a section that is a list
        out = []
        for item in items:
            headline = self._headline(doc, by_id[item.chunk_id], item)
            if headline is None:
                continue
            out.append(headline)
            if headline.text.rstrip().endswith(":"):
                # "1.2 The key aims of the study were to:" says nothing without what follows: its sub-items.
                children = [i for i in in_section if i.parent == item.ord][:LEAD_IN_ITEMS]
                out += [h for h in (self._headline(doc, by_id[i.chunk_id], i) for i in children) if h is not None]
            if len(out) >= most:
                break
        return out

    @staticmethod
    def _headline(doc: DocumentRecord, chunk: Chunk, item: ListItem) -> Evidence | None:
        """An item's first sentence; None for an item the page cut off mid-bracket ("… (sections"): the rest
        is not in it."""
        spans = split_sentences(chunk.text[item.start:item.end])
        end = item.start + spans[0][1] if spans else item.end
        headline = chunk.text[item.start:end]
        if headline.count("(") != headline.count(")"):
            return None
        return Evidence(Passage(chunk, doc, 1.0), 0, item.start, end, headline, label=item.label)


def _heading_texts(sections: list[Section]) -> set[str]:
    return {uncut(s.heading.strip()).lower() for s in sections if s.heading}


def _same(item: Evidence, other: Evidence) -> bool:
    """The same words: overlapping in one passage, or repeated nearly word for word (a report's cover repeats its
    recommendations, "… the Leader of the Council [Cabinet] to submit …", as its section 5 does without "[Cabinet]")."""
    if item.passage.chunk.chunk_id == other.passage.chunk.chunk_id and item.start < other.end \
            and other.start < item.end:
        return True
    return nearly_same(item.text, other.text)


def _sentences(chunks: list[Chunk], paper_headings: set[str]) -> list[Sentence]:
    """The statements of a run of chunks: not headings (the paper's, also one cut short in the section path, "Issue
    1 – Whether the Spatial Portrait … positively pr", or in capitals), lead-ins, fragments of a line cut off
    mid-thought, a cover sheet's fields ("By: Peter Oakford – Deputy Leader …"), lines that do not end as a
    sentence (list items, footnotes: "1 This excludes the grant for …"), footnotes that do, table rows run
    together ("… climate change 10."), a form's questions
    ("Do you have data related to the protected groups …?"), contact details or sentences that lean on the one
    before ("These relate to …")."""
    out = []
    for chunk in chunks:
        headings = paper_headings | {uncut(h.strip()).lower() for h in chunk.section.split(" > ")}
        long_headings = [h for h in headings if len(h.split()) >= 5]
        for start, end in split_sentences(chunk.text):
            text = chunk.text[start:end]
            lower = text.strip().lower()
            if lower in headings or any(lower.startswith(h) for h in long_headings) \
                    or len(text.split()) < 8 or text.rstrip().endswith(":") \
                    or text.count("(") != text.count(")") or text[:1].islower() \
                    or not any(ch.islower() for ch in text) \
                    or starts_with_label(text) and not _STATEMENT_LABEL.match(text) \
                    or not text.rstrip().endswith(SENTENCE_ENDS) and not read_label(text)[0] \
                    or CONTACT_DETAIL.search(text) \
                    or LEANS_BACK.match(text) or _FOOTNOTE.match(text) \
                    or numbered_rows_run_together(chunk.text, start, end) \
                    or text.rstrip().endswith("?"):
                continue
            out.append(Sentence(chunk, start, end, len(out)))
    return out


def _rank_sections(sections: list[Section]) -> list[Section]:
    """Top-level sections (or a part's subsections), the leading ones first, then the larger ones."""
    if not sections:
        return []
    top = min(s.level for s in sections)
    pool = []
    for section in (s for s in sections if s.level == top):
        # A part made of subsections ("4. Feedback" > "4.1 …", "4.2 …") is summarised through them.
        children = [s for s in sections if s.level == top + 1 and s.path.startswith(section.path + " > ")]
        pool.extend(children if len(children) >= 2 else [section])
    leading = [s for s in pool if LEADING.search(s.heading)]
    rest = [s for s in pool if s not in leading]
    # Larger sections say more about the paper than short ones.
    rest.sort(key=lambda s: -(s.seq_end - s.seq_start))
    return leading + rest
