"""What a meeting put to the vote and decided, found for a question: which meeting's minutes, and what of them.

"Which budget amendments were lost?" and "What did Souldern Parish Council decide at its February 2025 meeting?"
are answered from the minutes of one meeting: the one whose papers the question names (by their date), else, for
votes, the minutes retrieval ranks best. What minutes hold is read by `assistant.minutes`; this module picks the
meeting and the part of its record asked for. Decisions printed as "RESOLVED that:" lists are lists, found by
`assistant.outline` like any other; which of a meeting's lists are its decisions, and the minute recording what a
meeting decided on a report, are picked here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.catalogue import meeting_body, singular
from assistant.cues import OUTCOME_VERB
from assistant.intent import Intent
from assistant.minutes import (
    DECISION_WORDS,
    ON_SUBJECT,
    RESOLUTION_LEAD,
    item_heading,
    outcome_asked,
    outcome_of,
    subject_words,
)
from assistant.outline import GENERIC_WORDS, FoundList, Outline, list_label, with_children
from assistant.question import QuestionAnalysis
from assistant.retrieval import HybridRetriever
from assistant.types import EvidenceGroup, Filters, Retrieval
from common.text import normalise_ws, query_terms, stem
from common.types import DocumentRecord

# Words of a question about a vote that say it is one, not what it was on ("how many councillors voted against …").
_VOTE_WORDS = frozenset(stem(w) for w in """vote voted votes voting against abstain abstained abstention abstentions
    councillors councillor members member many anyone anybody everyone nobody""".split())


class MeetingRecords:
    def __init__(self, retriever: HybridRetriever, outline: Outline) -> None:
        self.retriever = retriever
        self.outline = outline
        self.minutes = outline.minutes

    def meeting_decisions(self, found: FoundList, analysis: QuestionAnalysis) -> list[FoundList]:
        """Every decision list of the meeting, in order, when the question asks what a meeting decided without
        naming an item ("What did the Cabinet decide on 30 January 2025?"): each item's "RESOLVED that …" list,
        not the one that ranked best. Empty when the question names what it is about, or the list found is not
        a meeting's decisions."""
        if found.doc.document_type != "Minutes" or not RESOLUTION_LEAD.match(found.items[0].lead_in):
            return []
        # Named: the question's words (its content words and those that named a paper) are in the item found,
        # beyond the words for the meeting itself ("Minutes of the Cabinet meeting, 30 January 2025").
        own = list_label(found.items) + " " + " ".join(i.text for i in found.items).lower()
        asked = [t for t in [*analysis.terms, *analysis.naming_terms] if t not in GENERIC_WORDS]
        if any(stem(t) in own for t in subject_words(asked, found.doc)):
            return []
        groups = [group for items in self.outline.stored_lists(found.doc.doc_id) for group in with_children(items)]
        return [FoundList(found.doc, items, found.score) for items in self.minutes.decisions(groups)]

    def resolutions_in(self, found: FoundList) -> FoundList | None:
        """The decisions of a minute found whole: "What did Cabinet decide on the Commissioning Plan?" is answered
        by its "RESOLVED that Cabinet agree …", not by who introduced the item and what Members noted."""
        if found.doc.document_type != "Minutes" or RESOLUTION_LEAD.match(found.items[0].lead_in):
            return None
        decided = self.minutes.decisions(with_children(found.items))
        return FoundList(found.doc, [i for items in decided for i in items], found.score) if decided else None

    def recorded_decision(self, analysis: QuestionAnalysis, docs: dict[str, DocumentRecord], allowed: set[str] | None,
                          k: int | None, about: list[str]) -> tuple[EvidenceGroup, Retrieval] | None:
        """Whether a meeting took a decision ("Did the council adopt the Kent Minerals and Waste Local Plan?") is
        recorded in its minutes, not in the report that proposed it, though that report is the paper the question
        names: the minute's "RESOLVED that Council: … (iii) Adopts the …", when the minutes hold one on the subject.
        `about`: the papers of the answer a follow-up naming no subject follows ("And what did the council
        decide?"), whose titles name the minute's item."""
        minutes = [d for d in _minutes(docs, allowed) if not analysis.councils or docs[d].council in analysis.councils]
        asked = {w.lower() for w in re.findall(r"[A-Za-z]+", analysis.text)}
        # "What did the Cabinet decide …": the Cabinet's minutes, not the County Council's, when it names the body.
        minutes = [d for d in minutes if (body := meeting_body(docs[d].title)) and body <= asked] or minutes
        if not minutes:
            return None
        # The words that named the report name the minute's item ("299. Kent Minerals and Waste Local Plan 2024-39").
        subject = [*analysis.terms, *analysis.naming_terms]
        titles = list(dict.fromkeys(t for d in about if d in docs for t in query_terms(docs[d].title)))
        by_title = bool(titles) and not [t for t in subject if stem(t) not in DECISION_WORDS
                                         and not OUTCOME_VERB.match(t)]
        subject = titles if by_title else subject
        # (By meaning too: what the council decided about that report.)
        text = f"{analysis.text.rstrip('?')} about {'; '.join(docs[d].title for d in about if d in docs)}?" \
            if by_title else analysis.text
        asked = replace(analysis, text=text, intent=Intent.LIST, list_noun="decisions", asks_record=True,
                        doc_weights={}, titled_docs=[], naming_terms=[], terms=subject)
        retrieval = self.retriever.search(asked, Filters(doc_ids=minutes), k)
        found = self.outline.find_list(asked, self.retriever.dense_query(asked.asked_text, asked), docs, retrieval,
                                       set(minutes)) if retrieval.passages else None
        if found is None or found.doc.document_type != "Minutes":
            return None
        found = self.resolutions_in(found) or found
        heading = item_heading(found.items[0].section)
        if by_title:
            # A report's title says more than its minute's heading ("Cabinet reconsideration of Decision 24/00093 -
            # Future of Commissioned Services at …" for "300. Review of Decision 24/00093 - Commissioned Family
            # Hubs"): the heading's words are looked for in the title.
            wanted = [t for t in query_terms(heading) if not t.isdigit()]
            said = " ".join(titles)
        else:
            said = f"{heading} {' '.join(i.text for i in found.items)}".lower()
            wanted = [t for t in subject if not t.isdigit() and not OUTCOME_VERB.match(t)]
        if not wanted or sum(1 for t in wanted if stem(t) in said) < ON_SUBJECT * len(wanted):
            return None  # a minute on something else: the question is answered from the papers as usual
        return self.outline.list_group(found, analysis, heading=heading), retrieval

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

    def vote_on(self, analysis: QuestionAnalysis, docs: dict[str, DocumentRecord], allowed: set[str] | None
                ) -> EvidenceGroup | None:
        """The recorded vote on what the question names ("How many councillors voted against the budget?"): at the
        meeting whose papers it names, else the meeting whose minutes answer best, the motion on it (an amendment
        only when it asks about one) with what was proposed, each count with its names, and the outcome. The motion
        is the one whose agenda item names the subject ("291. Capital Programme 2025-35 and Revenue Budget
        2025-26"), before one that only mentions it (the section 25 motion's "… the proposed budget")."""
        minutes = _minutes(docs, allowed)
        if not minutes:
            return None
        kind = "amendment" if re.search(r"\bamendments?\b", analysis.text, re.IGNORECASE) else "motion"
        ranked = [p.chunk.doc_id for p in self.retriever.search(analysis, Filters(doc_ids=minutes)).passages]
        for doc_id in dict.fromkeys([*_named_meeting(analysis, docs, minutes), *ranked]):
            words = subject_words([*analysis.terms, *analysis.naming_terms], docs[doc_id])
            # Words as written (a plural aside): "governance" is not "government", as their stems would have it.
            subject = {singular(t) for t in words if stem(t) not in _VOTE_WORDS and singular(t) != kind}
            voted = self.minutes.motions_voted(doc_id, kind)
            if not subject:
                # "And how many abstained?" names no subject: the vote the answer before showed, if one did.
                shown = next((g for g in voted if _was_shown(g, analysis.seen)), None)
                return _labelled(shown) if shown is not None else None
            # The item's heading naming the subject counts first; of the votes under it, the last (the substantive
            # motion, after the amendments and any part put on its own).
            best, best_score = None, (0.0, 0.0)
            for group in voted:
                in_item = len(subject & _words(_item_of(group))) / len(subject)
                in_text = len(subject & _words(_said(group))) / len(subject)
                if max(in_item, in_text) >= ON_SUBJECT and (in_item, in_text) >= best_score:
                    best, best_score = group, (in_item, in_text)
            if best is not None:
                return _labelled(best)
        return None

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


def _item_of(vote: EvidenceGroup) -> str:
    """The agenda item a vote was taken under ("291. Capital Programme 2025-35 and Revenue Budget 2025-26 …")."""
    return item_heading(vote.items[0].passage.chunk.section) if vote.items else ""


def _words(text: str) -> set[str]:
    return {singular(t) for t in query_terms(text)}


def _said(vote: EvidenceGroup) -> str:
    return normalise_ws(" ".join([vote.heading, *(i.text for i in vote.items)])).lower()


def _was_shown(vote: EvidenceGroup, seen: frozenset[str]) -> bool:
    """Whether an earlier answer showed this vote: one of its sentences (of three words or more) is in it."""
    said = _said(vote)
    return any(len(s.split()) >= 3 and s in said for s in seen)


def _labelled(vote: EvidenceGroup) -> EvidenceGroup:
    item = _item_of(vote)
    vote.about = f"the recorded vote{f' under “{item}”' if item else ''}, on “{vote.heading.rstrip(' :')}”"
    return vote


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
