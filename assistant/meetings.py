"""What a meeting put to the vote and decided, found for a question: which meeting's minutes, and what of them.

"Which budget amendments were lost?" and "What did Souldern Parish Council decide at its February 2025 meeting?"
are answered from the minutes of one meeting: the one whose papers the question names (by their date), else, for
votes, the minutes retrieval ranks best. What minutes hold is read by `assistant.minutes`; this module picks the
meeting and the part of its record asked for. (Decisions printed as "RESOLVED that:" lists are lists, found by
`assistant.outline` like any other.)
"""

from __future__ import annotations

from assistant.analysis import QuestionAnalysis
from assistant.minutes import Minutes, outcome_asked, outcome_of, subject_words
from assistant.retrieval import HybridRetriever
from assistant.types import EvidenceGroup, Filters
from common.text import stem
from common.types import DocumentRecord


class MeetingRecords:
    def __init__(self, retriever: HybridRetriever, minutes: Minutes) -> None:
        self.retriever = retriever
        self.minutes = minutes

    def motions(self, analysis: QuestionAnalysis, docs: dict[str, DocumentRecord], allowed: set[str] | None
                ) -> list[EvidenceGroup]:
        """The motions and amendments put to the vote at the meeting whose minutes answer best ("Which amendments to
        the budget were lost?"): each with what it proposed, the counts and the outcome; only the amendments when
        it asks for those, and only those lost (or carried) when it asks which were. When none of that meeting's
        were, all of them: the answer then says none was (not another meeting's, nor its motions as amendments)."""
        minutes = _minutes(docs, allowed)
        ranked = self.retriever.search(analysis, Filters(doc_ids=minutes)).passages if minutes else []
        wanted = outcome_asked(analysis.text)
        kind = "amendment" if analysis.list_noun == "amendments" else None
        found = [p.chunk.doc_id for p in ranked]
        # "… at the budget meeting": the minutes of the meeting the papers it names were for, then those with the
        # most passages found.
        by_passages = sorted(dict.fromkeys(found), key=lambda d: (-found.count(d), found.index(d)))
        for doc_id in dict.fromkeys([*_named_meeting(analysis, docs, minutes), *by_passages]):
            voted = self.minutes.motions_voted(doc_id, kind)
            if voted:
                return [g for g in voted if wanted is None or outcome_of(g) == wanted] or voted
        return []

    def decided(self, analysis: QuestionAnalysis, docs: dict[str, DocumentRecord], allowed: set[str] | None
                ) -> list[EvidenceGroup]:
        """What the meeting the question names decided, as its minutes record it in their sentences ("… it was
        RESOLVED to co-opt both Kate and Rob."), minute by minute; only the minutes on what the question names
        ("… decide about the grass cutting?"). Empty when it names no meeting by its month or year, or its minutes
        print their decisions as lists."""
        if not analysis.named_docs:
            return []
        for doc_id in _named_meeting(analysis, docs, _minutes(docs, allowed), dated=True):
            subject = [stem(t) for t in subject_words(analysis.terms, docs[doc_id])]
            groups = self.minutes.decided_in_sentences(doc_id)
            for group in groups:
                group.items = [i for i in group.items if not subject or any(t in i.text.lower() for t in subject)]
            groups = [g for g in groups if g.items]
            if len(groups) == 1:
                count = len(groups[0].items)
                groups[0].about = f"the decision{'' if count == 1 else 's'} recorded under {groups[0].heading}"
            if groups:
                return groups
        return []


def _minutes(docs: dict[str, DocumentRecord], allowed: set[str] | None) -> list[str]:
    return [d for d, doc in docs.items() if doc.document_type == "Minutes" and (allowed is None or d in allowed)]


def _named_meeting(analysis: QuestionAnalysis, docs: dict[str, DocumentRecord], minutes: list[str],
                   dated: bool = False) -> list[str]:
    """The minutes of the meeting whose papers the question names most strongly (by their date); `dated`: only of
    the year and month the question names ("… at its March 2025 meeting" is not the March 2019 one)."""
    weights = analysis.doc_weights
    strongest = max(weights.values(), default=0.0)
    dates = {docs[d].date for d, w in weights.items() if d in docs and w == strongest} - {""}
    return [d for d in minutes if docs[d].date in dates and (not dated or analysis.dated_as_asked(docs[d].date))]
