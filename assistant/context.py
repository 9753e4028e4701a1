"""Context by intent: what each kind of question needs from the papers before anything is answered.

- lookup / yes-no: the best passages (hybrid retrieval) and the sentences in them that answer; a question
  that asks two things also has each part looked up on its own;
- list: the whole list the question names, in order, with its numbering (assistant.outline);
- summary: the paper's main sections in order, each with its opening sentences;
- comparison: a retrieval per side (council or paper), merged, so every side is represented.

A list or summary that cannot be found in the structure falls back to a lookup, so a question is never
worse off for being read as a list.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.answer_kinds import about_councils, answers
from assistant.cues import CONTENTS_ASKED, PAPER_DESCRIBED, RECORD_ASKED, SUMMARY_ASKED, TOPIC_MARKER
from assistant.digest import LEANS_BACK, MOST_SECTIONS, Digest
from assistant.evidence import EvidenceSelector
from assistant.intent import Intent
from assistant.leadins import lists_introduced
from assistant.meetings import MeetingRecords
from assistant.minutes import MOTION_NOUNS, RESOLUTION_LEAD, item_heading
from assistant.outline import Outline, topic_phrase
from assistant.question import QuestionAnalysis
from assistant.rated import rated_rows
from assistant.retrieval import HybridRetriever
from assistant.sides import side_terms, side_text
from assistant.table_asked import asked_table
from assistant.types import Context, Evidence, EvidenceGroup, Filters, Passage, Retrieval
from common.text import query_terms, stem
from common.types import DocumentRecord, Recommendation

SIDE_PASSAGES = 5
SIDE_SENTENCES = 3
SIDE_GIST = 4  # sentences of a paper's gist standing for it in a comparison that names no topic
MOST_COVERED = 20  # sections of a paper listed when asked what it covers
SECTION_SENTENCES = 6  # sentences of a section's digest standing for what it says
PART_PASSAGES = 5  # passages looked up for each part of a question that asks two things


class ContextBuilder:
    def __init__(self, retriever: HybridRetriever, evidence: EvidenceSelector, outline: Outline,
                 digest: Digest) -> None:
        self.retriever = retriever
        self.evidence = evidence
        self.outline = outline
        self.digest = digest
        self.meetings = MeetingRecords(retriever, outline)

    def build(self, analysis: QuestionAnalysis, filters: Filters, k: int | None = None) -> Context:
        retrieval = self.retriever.search(analysis, filters, k)
        rows = rated_rows(analysis, retrieval, self.retriever.index.sqlite)  # "which KPIs were rated red?"
        rows = rows or asked_table(analysis, retrieval, self.retriever.index.sqlite)  # "what are the CIL rates?"
        if rows is not None:
            return _with_groups(replace(analysis, intent=Intent.LIST), retrieval, [rows])
        vote = self.meetings.vote_on(analysis, self._docs(), self._allowed(filters)) if analysis.asks_vote else None
        if vote is not None:  # "How many councillors voted against the budget?": the recorded vote on it, whole
            return _with_groups(replace(analysis, intent=Intent.LIST), retrieval, [vote], lead=True)
        if analysis.intent == Intent.LIST:
            context = self._list(analysis, filters, retrieval)
        elif analysis.intent == Intent.COMPARISON:
            context = self._comparison(analysis, filters, retrieval)
        elif analysis.intent == Intent.SUMMARY or analysis.asks_view and not analysis.parts:
            context = self._summary(analysis, filters, retrieval)
        elif analysis.asks_outcome or analysis.wants_name and MOTION_NOUNS & analysis.asked_words:
            # "Were any amendments passed?", "Who proposed the amendments?": those put to the vote, each under who
            # proposed it, with its outcome. (Not "who proposed amendment 8?": its own record answers.)
            context = self._voted_on(analysis, filters, retrieval) or (
                self._recorded_decision(analysis, filters, k) if analysis.asks_outcome else None)
        else:
            context = None
        return context or self._lookup(analysis, retrieval, filters)

    def _voted_on(self, analysis: QuestionAnalysis, filters: Filters, retrieval: Retrieval) -> Context | None:
        """Whether amendments (or motions) were carried ("Were any amendments passed at the budget meeting?"): those
        the meeting put to the vote, each with its outcome, as the list "Which amendments were passed?" gives."""
        words = {stem(t) for t in (*analysis.terms, *analysis.naming_terms)}
        voted = [noun for noun in sorted(MOTION_NOUNS) if stem(noun) in words]  # amendments before motions
        if not voted:
            return None
        asked = replace(analysis, intent=Intent.LIST, list_noun=voted[0])
        motions = self.meetings.motions(asked, self._docs(), self._allowed(filters))
        return _with_groups(asked, retrieval, motions) if motions else None

    def _recorded_decision(self, analysis: QuestionAnalysis, filters: Filters, k: int | None,
                           about: list[str] | None = None) -> Context | None:
        """Whether (or what) a meeting decided on a report's subject, from its minutes (assistant.meetings)."""
        found = self.meetings.recorded_decision(analysis, self._docs(), self._allowed(filters), k, about or [])
        if found is None:
            return None
        group, retrieval = found
        return _with_groups(replace(analysis, intent=Intent.LIST), retrieval, [group])

    def _lookup(self, analysis: QuestionAnalysis, retrieval: Retrieval, filters: Filters) -> Context:
        if analysis.intent in (Intent.LIST, Intent.SUMMARY, Intent.COMPARISON):
            analysis = replace(analysis, intent=Intent.LOOKUP)  # nothing structured found: answer as a lookup
        evidence, retrieval = self._answering(analysis, retrieval, filters) if retrieval.passages else ([], retrieval)
        groups = lists_introduced(analysis, evidence, self.outline, self.retriever.index.sqlite)
        # A lead-in that brought nothing ("(17) Mr Streatfeild proposed … the following amendment:", its amendment
        # printed as form fields) is a colon with nothing after it: no answer.
        brought = {id(g.introduced_by) for g in groups if g.introduced_by is not None}
        evidence = [e for e in evidence if id(e) in brought or not e.text.rstrip().endswith(":")]
        if groups:
            # A quoted count is shown once, in its vote; a sentence once, in the list item that holds it ("2. Lead to
            # more than two hot food takeaway outlets …" inside "1. Result in …; and 2. Lead to …").
            shown = [(i.passage.chunk.chunk_id, i.start, i.end) for g in groups for i in g.items]
            evidence = [e for e in evidence if not any(
                chunk == e.passage.chunk.chunk_id and start <= e.start and e.end <= end for chunk, start, end in shown)]
            return _with_groups(analysis, retrieval, [EvidenceGroup("", None, evidence), *groups])
        return Context(analysis, retrieval, evidence, elsewhere=self._elsewhere(analysis, retrieval))

    def _answering(self, analysis: QuestionAnalysis, retrieval: Retrieval, filters: Filters
                   ) -> tuple[list[Evidence], Retrieval]:
        """The sentences that answer. A question that asks two things has each part looked for on its own too
        ("who was the inspector" in the report naming her, "what did she conclude" in her report): the best
        sentence for a part joins the answer when the whole question's sentences do not already hold it."""
        chosen = self.evidence.select(analysis, retrieval)
        passages = list(retrieval.passages)
        known = {p.chunk.chunk_id for p in passages}
        quoted = {(e.passage.chunk.chunk_id, e.start) for e in chosen}
        for part in analysis.asked_parts():
            if any(_answers_part(part, item) for item in chosen):
                continue  # one sentence can answer both ("784 homes a year … a total of 13,328")
            own = self.retriever.search(part, filters, PART_PASSAGES)
            # Looked for among the whole question's passages too, unless the part names a paper of its own.
            pool = own if part.own_paper else replace(own, passages=[*retrieval.passages, *(
                p for p in own.passages if p.chunk.chunk_id not in known)])
            # The part's best sentence not already quoted, if it answers the part: the quoted ones do not.
            found = [e for e in self.evidence.select(part, pool, most=2)
                     if (e.passage.chunk.chunk_id, e.start) not in quoted]
            best = max(found, key=lambda e: e.score, default=None)
            if best is None or not _answers_part(part, best):
                continue  # nothing found answers this part: better said by its absence than by a loose quote
            chosen.append(best)
            quoted.add((best.passage.chunk.chunk_id, best.start))
            if best.passage.chunk.chunk_id not in known:
                known.add(best.passage.chunk.chunk_id)
                passages.append(best.passage)
        return chosen, replace(retrieval, passages=passages)

    def _elsewhere(self, analysis: QuestionAnalysis, retrieval: Retrieval) -> list[Evidence]:
        """For a question about a council: the best sentence about any other council, if it is better."""
        if not analysis.explicit_councils or not retrieval.passages:
            return []
        unscoped = replace(analysis, councils=[], explicit_councils=[])
        best = self.evidence.select(unscoped, retrieval, most=1)
        return [e for e in best if not about_councils(e, analysis.explicit_councils)]

    def _list(self, analysis: QuestionAnalysis, filters: Filters, retrieval: Retrieval) -> Context | None:
        docs = self._docs()
        allowed = self._allowed(filters)
        if analysis.list_noun.startswith("recommend"):
            # What a review or report recommended: the register read at ingest has every recommendation whole.
            # Those of the paper the question names; else what it recommends in prose ("… I recommend …"), under
            # a heading that says so; else those of the best-ranked paper that has any.
            named = self._named(analysis, docs, allowed)
            group = self._register(analysis, docs, named)
            written = self._written_recommendation(analysis, docs, named, retrieval) if group is None else None
            if written is not None:
                return written
            ranked = [p.chunk.doc_id for p in retrieval.passages[:5] if allowed is None or p.chunk.doc_id in allowed]
            group = group or self._register(analysis, docs, list(dict.fromkeys(ranked)), named=bool(named))
            if group is not None:
                return _with_groups(analysis, retrieval, [group])
        if analysis.list_noun in MOTION_NOUNS:
            motions = self.meetings.motions(analysis, docs, allowed)
            if motions:
                return _with_groups(analysis, retrieval, motions)
        decided = self.meetings.decided(analysis, docs, allowed) if analysis.list_noun == "decisions" else []
        if decided:  # decisions a parish council's minutes record in their own sentences
            return _with_groups(analysis, retrieval, decided)
        query = self.retriever.dense_query(analysis.asked_text, analysis)
        found = self.outline.find_list(analysis, query, docs, retrieval, allowed)
        named = self._named(analysis, docs, allowed) or analysis.conversation_docs
        if analysis.list_noun == "decisions" and analysis.asks_record and named \
                and not any(docs[d].document_type == "Minutes" for d in named if d in docs) \
                and (found is None or found.doc.document_type != "Minutes" or bool(analysis.conversation_docs)):
            # "What did the council decide about the family hubs decision?": the words naming a report name the
            # minute's item on it, which records the decision; the report only proposed or explained it. ("And what
            # did the council decide?" after an answer from that report: the report's title names the item.)
            recorded = self._recorded_decision(analysis, filters, None, analysis.conversation_docs)
            if recorded is not None:
                return recorded
        if found is None:
            # "What are the risks of …?" asked of a paper that lists none: the section its heading names ("RISK
            # ASSESSMENT", with "Legal" and "Financial" under it) says what they are.
            # (By its words: "Considerations" is close in meaning to "risks", and says nothing of them.)
            return self._section_on(analysis, retrieval, allowed, [analysis.list_noun], by_meaning=False) \
                if analysis.list_noun else None
        if analysis.list_noun == "decisions":
            found = self.meetings.resolutions_in(found) or found
            # (Not "which decisions must the council take itself?": a rule's list of decisions, not a record of any.)
            if RECORD_ASKED.search(analysis.asked_text) and found.doc.document_type != "Minutes" and not any(
                    RESOLUTION_LEAD.match(text) for item in found.items for text in (item.lead_in, item.text)):
                # A report's list that mentions a decision ("As a consequence of the Scrutiny Committee's decision,
                # section 17.73 applies: …") is not what was decided: the sentence that says so answers.
                return None
        meeting = self.meetings.meeting_decisions(found, analysis)
        if len(meeting) > 1:
            # What the meeting decided, item by item: each block named by its agenda item's heading.
            return _with_groups(analysis, retrieval, [self.outline.list_group(
                f, analysis, heading=item_heading(f.items[0].section)) for f in meeting])
        return _with_groups(analysis, retrieval, [self.outline.list_group(found, analysis)])

    @staticmethod
    def _named(analysis: QuestionAnalysis, docs: dict[str, DocumentRecord], allowed: set[str] | None) -> list[str]:
        """The papers the question names clearly, among those it may be answered from."""
        return [d for d in analysis.named_docs if d in docs and (allowed is None or d in allowed)]

    def _register(self, analysis: QuestionAnalysis, docs: dict[str, DocumentRecord], pool: list[str],
                  named: bool = True) -> EvidenceGroup | None:
        """The recommendations of the first paper of `pool` that has any in the register, complete and verbatim;
        only those on its topic when it asks "… recommend about X". A pool of papers the question does not name
        must be the council's it names, if it names one."""
        for doc_id in pool:
            recs = self.retriever.index.sqlite.recommendations([doc_id])
            if recs and (named or not analysis.councils or docs[doc_id].council in analysis.councils):
                return self._register_group(recs, docs[doc_id], analysis)
        return None

    def _written_recommendation(self, analysis: QuestionAnalysis, docs: dict[str, DocumentRecord],
                                named: list[str], retrieval: Retrieval) -> Context | None:
        """What a paper the question names recommends in prose, under a heading that says so: an inspector's
        "Overall Conclusion and Recommendation" ("I recommend non-adoption of it as submitted … with the
        recommended Main Modifications … is sound"), not another paper's list of what Cabinet is asked to do."""
        if len(named) != 1:
            return None
        noun = stem(analysis.list_noun)
        headed = [s for s in self.retriever.index.sqlite.sections(named[0]) if noun in s.heading.lower()]
        if not headed:
            return None
        group = self.digest.section(docs[named[0]], headed[-1], analysis, SECTION_SENTENCES)
        return _with_groups(replace(analysis, intent=Intent.SUMMARY), retrieval, [group]) if group.items else None

    def _register_group(self, recs: list[Recommendation], doc: DocumentRecord, analysis: QuestionAnalysis
                        ) -> EvidenceGroup | None:
        topic = [t for t in query_terms(topic_phrase(analysis.text)) if t in analysis.terms]
        on_topic = [r for r in recs if topic and any(stem(t) in r.text.lower() for t in topic)]
        chosen = on_topic or recs
        chunks = self.retriever.index.sqlite.get_chunks({r.chunk_id for r in chosen})
        group = EvidenceGroup(recs[0].lead_in or recs[0].section, doc)
        if on_topic and len(on_topic) < len(recs):
            group.about = f"the {len(on_topic)} of its {len(recs)} recommendations that concern {' '.join(topic)}"
        for rec in chosen:
            chunk = chunks.get(rec.chunk_id)
            if chunk is not None:
                label = f"{rec.number}." if rec.number and rec.number[-1].isalnum() else rec.number or "-"
                group.items.append(Evidence(Passage(chunk, doc, 1.0), 0, rec.start, rec.end, rec.text, label=label))
        return group if group.items else None

    def _summary(self, analysis: QuestionAnalysis, filters: Filters, retrieval: Retrieval) -> Context | None:
        """The gist of the section the question's topic names ("…saw the council's finances"), or of the
        whole paper when it names no topic ("Summarise the Productivity Plan")."""
        allowed = self._allowed(filters)
        named, candidates = self._candidates(analysis, retrieval, allowed)
        # "The gist of the minister's letter on reorganisation and devolution": what the one paper named is on says
        # which paper, not a section of it to narrow the gist to (its "Local government reorganisation").
        described = {t for phrase in PAPER_DESCRIBED.findall(analysis.asked_text) for t in query_terms(phrase)}
        if analysis.intent == Intent.SUMMARY and len(named) == 1 and described:
            rest = [t for t in analysis.topic_terms if t not in described]  # a topic besides, if it heads a section
            found = self._section_on(analysis, retrieval, allowed, rest) if rest else None
            if found is not None:
                return found
        elif analysis.topic_terms:
            # (A narrow topic, "…about Cotmanhay", names no section: then the best sentences answer it.)
            found = self._section_on(analysis, retrieval, allowed, analysis.topic_terms)
            if found is not None or not SUMMARY_ASKED.search(analysis.asked_text) \
                    or TOPIC_MARKER.search(analysis.asked_text):
                return found
            # "Summarise the Breckland preferred options consultation document": no topic is marked, and no section
            # is on "consultation". The words say what the paper is: it is summarised whole. (Not "What did the
            # assessment conclude?": its concluding sentence answers.)
        if analysis.intent != Intent.SUMMARY or len(named) > 1 or not candidates:
            return None
        # "Summarise it in three points": its three main sections; "what did it cover?": all of them (a line each).
        contents = bool(CONTENTS_ASKED.search(analysis.asked_text))
        most = analysis.points or (MOST_COVERED if contents else MOST_SECTIONS)
        groups = self.digest.paper(candidates[0], most_sections=most, summary_whole=not (analysis.points or contents))
        return _with_groups(analysis, retrieval, groups) if groups else None

    def _section_on(self, analysis: QuestionAnalysis, retrieval: Retrieval, allowed: set[str] | None,
                    topic: list[str], by_meaning: bool = True) -> Context | None:
        """The gist of the section whose heading names the topic, in the papers named or else the best found."""
        found = self.digest.topic_section(self._candidates(analysis, retrieval, allowed)[1], topic, by_meaning)
        if found is None:
            return None
        doc, section = found
        group = self.digest.section(doc, section, analysis, SECTION_SENTENCES, grows=True)
        if all(item.passage.chunk.kind == "table" for item in group.items):
            # A heading over a table and nothing else ("Adult Social Care" over a performance report's KPI summary):
            # its cells are no gist of what the paper says on the topic; the sentences that answer best are.
            return None
        return _with_groups(replace(analysis, intent=Intent.SUMMARY), retrieval, [group])

    def _candidates(self, analysis: QuestionAnalysis, retrieval: Retrieval, allowed: set[str] | None
                    ) -> tuple[list[str], list[DocumentRecord]]:
        """The papers the question names (allowed by the filters), and the papers to read: those, else the two
        best found."""
        docs = self._docs()
        named = self._named(analysis, docs, allowed)
        # Of those, the council's the question names ("Derbyshire County Council's finances": not the Dales paper).
        named = [d for d in named if docs[d].council in analysis.explicit_councils] or named
        ranked = list(dict.fromkeys(p.chunk.doc_id for p in retrieval.passages))[:2]
        return named, [docs[d] for d in (named or ranked) if d in docs]

    def _comparison(self, analysis: QuestionAnalysis, filters: Filters, retrieval: Retrieval) -> Context | None:
        groups: list[EvidenceGroup] = []
        allowed = self._allowed(filters)
        terms = side_terms(analysis)
        # Each side answers with its figure, not with the sentences around it, when amounts are compared.
        # A year that tells the sides apart ("Derby City in 2017 and Derbyshire County in 2018") is not looked for
        # in each side's passages: it would lift any passage printing "2017/18" over the one that answers.
        side_analysis = replace(analysis, text=side_text(analysis, terms), phrased=analysis.text, intent=Intent.LOOKUP,
                                councils=[], doc_weights={}, naming_terms=[], terms=terms,
                                figures=[f for f in analysis.figures if f in terms],
                                wants_figure=analysis.wants_figure or analysis.compares_amounts)
        docs = self._docs()
        for side in analysis.sides:
            doc_ids = [d for d in side.doc_ids if allowed is None or d in allowed]
            if not doc_ids:
                continue
            doc = docs.get(doc_ids[0]) if len(doc_ids) == 1 else None
            if not terms and doc is not None:
                # "Compare the two peer reviews": no topic to search, so each paper's own gist (its summary
                # section's central sentences) stands for it.
                gist = self.digest.paper(doc, most_sections=1, budget=SIDE_SENTENCES)
                evidence = gist[0].items[:SIDE_GIST] if gist else []
                groups.append(EvidenceGroup(side.label, doc, evidence))
                continue
            # A side's own council is no word to search its papers for (every page of them names it): in "joint
            # working between Derby City Council and Derbyshire County Council", the other end is.
            own = {t for d in doc_ids if d in docs for t in query_terms(docs[d].council)}
            own_terms = [t for t in terms if t not in own]
            asked = replace(side_analysis, text=" ".join(own_terms), terms=own_terms) \
                if own_terms and own_terms != terms else side_analysis
            if side.topic:  # two things of the same papers: each side searched for its own, beside what both are asked
                topic_terms = [*query_terms(side.topic), *(t for t in asked.terms if t not in query_terms(side.topic))]
                asked = replace(asked, text=f"{side.topic} {asked.text}", terms=topic_terms)
            side_retrieval = self.retriever.search(asked, Filters(doc_ids=doc_ids), SIDE_PASSAGES)
            evidence = self.evidence.select(asked, side_retrieval, most=SIDE_SENTENCES, broad=True) \
                if side_retrieval.passages else []
            # A lead-in ("To deliver its ambitions, the council needs to:") says nothing without its list, nor a
            # sentence that leans on the one before ("These are at an early stage …") without it.
            evidence = [e for e in evidence if not e.text.rstrip().endswith(":") and not LEANS_BACK.match(e.text)]
            group = EvidenceGroup(side.label, doc, evidence)
            if not evidence:
                group.note = f"Nothing found on this in the papers of {side.label}."
            groups.append(group)
            retrieval.passages.extend(p for p in side_retrieval.passages if p not in retrieval.passages)
        if sum(1 for g in groups if g.items) < 1:
            return None
        return _with_groups(analysis, retrieval, groups)

    def _docs(self) -> dict[str, DocumentRecord]:
        return {d.doc_id: d for d in self.retriever.index.sqlite.list_documents()}

    def _allowed(self, filters: Filters) -> set[str] | None:
        allowed = self.retriever.index.sqlite.allowed_doc_ids(filters)
        return set(allowed) if allowed is not None else None


def _with_groups(analysis: QuestionAnalysis, retrieval: Retrieval, groups: list[EvidenceGroup], lead: bool = False
                 ) -> Context:
    """A structured context: the groups' passages join the retrieval, so their citations can be checked; `lead`:
    ahead of the search's (the structure found them where the search did not: a vote's counts share no word with
    "how many voted against the budget")."""
    quoted = list({item.passage.chunk.chunk_id: item.passage for group in groups for item in group.items}.values())
    first, then = (quoted, retrieval.passages) if lead else (retrieval.passages, quoted)
    known = {p.chunk.chunk_id for p in first}
    retrieval = replace(retrieval, passages=[*first, *(p for p in then if p.chunk.chunk_id not in known)])
    evidence = [item for group in groups for item in group.items]
    return Context(analysis, retrieval, evidence, [g for g in groups if g.items or g.note])


def _answers_part(part: QuestionAnalysis, item: Evidence) -> bool:
    """Whether a sentence answers one part of a two-part question; a part that names its own paper is answered
    from that paper, not by a sentence of the other's."""
    return answers(part, item) and (not part.own_paper or item.passage.doc.doc_id in part.clearly_named_docs)
