"""Where a question turns into an answer.

    question (+ earlier turns, filters)
      -> follow-up resolved against the conversation (assistant.conversation)
      -> the question analysed once: intent, scope, terms (assistant.analysis)
      -> context by intent: passages, and the evidence laid out as the answer needs it (assistant.context)
      -> refusal check, before any generation (assistant.refusal)
      -> answerer: extractive quotes or an LLM (assistant.answering)
      -> citation check: only verified citations are shown (assistant.citations)
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from assistant.analyzers import AnalyzerSource
from assistant.answering.base import Answerer, Draft, Status, TextDelta
from assistant.answering.compose import Quoter, compose
from assistant.citations import keep_verified
from assistant.context import ContextBuilder
from assistant.conversation import ConversationResolver, Turn
from assistant.intent import Intent
from assistant.question import FEW_PAPERS, QuestionAnalysis
from assistant.refusal import REFUSAL_TEXT, Refusal, RefusalPolicy
from assistant.settings import Settings
from assistant.types import Answer, Context, Filters
from common.text import query_terms
from common.types import InvalidRequest

MAX_QUESTION_CHARS = 2000
MAX_K = 20
MAX_TURNS = 10


@dataclass
class AskRequest:
    """One question as every front end sends it; filters are checked when built (common.types.Filters).

    `history` holds the earlier turns, oldest first: Turns (question, answer, what it was about), or
    just the earlier questions as strings.
    """

    question: str
    history: Sequence[Turn | str] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    k: int | None = None  # passages to retrieve; None = settings.top_k

    def __post_init__(self) -> None:
        if self.k is not None and not 1 <= self.k <= MAX_K:
            raise InvalidRequest(f"k must be between 1 and {MAX_K} (got {self.k}).")

    def turns(self) -> list[Turn]:
        turns = [t if isinstance(t, Turn) else Turn(question=t) for t in self.history]
        return [Turn(clean_question(t.question), t.answer, t.standalone, list(t.councils), list(t.doc_ids))
                for t in turns if t.question and re.search(r"\w", t.question)][-MAX_TURNS:]


def clean_question(text: str) -> str:
    """Trim, collapse whitespace and cap the length; reject questions with nothing to search for."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if not re.search(r"\w", text):
        raise InvalidRequest("Please type a question about the council papers.")
    return text[:MAX_QUESTION_CHARS]


def turn_of(answer: Answer) -> Turn:
    """The turn a front end keeps for the next question's follow-up resolution."""
    return Turn(answer.question, answer.answer, answer.standalone_question, list(answer.councils),
                list(dict.fromkeys(c.doc_id for c in answer.citations)))


class AskService:
    def __init__(self, analyzers: AnalyzerSource, contexts: ContextBuilder, answerer: Answerer,
                 settings: Settings) -> None:
        self.analyzers = analyzers
        self.contexts = contexts
        self.answerer = answerer
        self.settings = settings
        self.refusal = RefusalPolicy(settings.refusal_min_similarity, settings.refusal_min_coverage)

    @property
    def mode(self) -> str:
        return self.answerer.mode

    def ask(self, request: AskRequest) -> Answer:
        answer: Answer | None = None
        for event in self.stream(request):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None  # stream always ends with an Answer
        return answer

    def analyse(self, question: str, history: list[Turn]) -> QuestionAnalysis:
        """The question understood: a follow-up resolved against the conversation, then analysed."""
        analyzer = self.analyzers.current()
        resolved = ConversationResolver(analyzer).resolve(question, history)
        analysis = analyzer.analyse(resolved.standalone, resolved.councils)
        analysis.seen = resolved.seen
        analysis.referent, analysis.wants_wording = resolved.referent, resolved.wants_wording
        # Words that name a few papers ("which parties were the peer team from?": the two peer challenges) name
        # those; a word in many titles ("who is the cabinet member responsible?": fourteen Cabinet papers) none.
        # Of the words that name them, those the earlier question did not use: the follow-up's own, or what its
        # resolution brought in ("the inspector" for "she"), or a paper's whole title ("did the council adopt the Kent
        # Minerals and Waste Local Plan?"); not the earlier question's own subject ("the forecast revenue overspend"
        # for "it", whose "revenue" names the revenue budget reports though it was asked of the Q3 monitoring report).
        # ("Which directorate is driving it?" asks for a directorate: "directorate" names no paper it means.)
        earlier = set(query_terms(history[-1].understood)) | {analysis.which_noun} if history else set()
        titled = analyzer.catalogue.names_a_paper(resolved.standalone)
        own_naming = any(t not in earlier for t in analysis.naming_terms) or titled
        names_few = 0 < len(analysis.named_docs) <= FEW_PAPERS and own_naming
        # Of the few papers it names, the one the conversation is about: "What did he conclude?" after "Who examined
        # the Watford Local Plan?" is "the inspector", who wrote two of the reports, the Watford one here.
        # (Not a paper named by its title: "did the council adopt the Kent Minerals and Waste Local Plan?".)
        ongoing = [d for d in analysis.named_docs if d in resolved.doc_ids] \
            if resolved.is_followup and not titled else []
        if names_few and ongoing and len(ongoing) < len(analysis.named_docs):
            analysis.doc_weights = {d: w for d, w in analysis.doc_weights.items() if d in ongoing}
            analysis.conversation_docs = ongoing
        elif resolved.is_followup and resolved.doc_ids and (not names_few or resolved.points_back) \
                and not (analysis.asks_vote and own_naming):
            # A follow-up that names no paper stays with the papers of the answer it follows. (Not a vote on something
            # it names, "… against the budget?" after another vote: words naming many papers name what was voted on.)
            # So does one that points back at what it follows, though its words name a few papers too: "And why does
            # it allow two years … for the inspector's report to come back?" after Broxbourne's timetable (the
            # inspectors' reports are searched too when that paper does not answer).
            analysis.doc_weights = analysis.doc_weights | {
                d: max(0.75, analysis.doc_weights.get(d, 0.0)) for d in resolved.doc_ids}
            analysis.conversation_docs = list(resolved.doc_ids)
        elif resolved.is_followup and not analysis.doc_weights:
            # Or else with the papers of the council it inherits.
            docs = [d.doc_id for d in analyzer.documents.values() if d.council in resolved.councils]
            analysis.doc_weights = dict.fromkeys(docs, 0.5)
        return analysis

    def context(self, analysis: QuestionAnalysis, filters: Filters, k: int | None) -> Context:
        """The context for the question. A question that clearly names a paper ("according to the section 25
        statement") is first looked for in that paper, and a follow-up in the papers of the answer it follows
        (where "they" and "that" point); everywhere else only if those papers do not answer it."""
        # A decision number is printed on the agenda and minutes that list a report, seldom in the report itself;
        # what a meeting decided about a report, or whether it decided at all, is in the minutes of that meeting.
        named = [] if analysis.conversation_docs or analysis.wants_reference or analysis.asks_record \
            or analysis.asks_outcome else analysis.clearly_named_docs
        first = analysis.conversation_docs or named
        documents = self.analyzers.current().documents
        if (analysis.asks_record or analysis.asks_outcome) and not any(
                documents[d].document_type == "Minutes" for d in first if d in documents):
            first = []  # "And what did the council decide?" after the report on it: the minutes record that
        scoped = [d for d in first if not filters.doc_ids or d in filters.doc_ids]
        if scoped and analysis.intent != Intent.COMPARISON:
            context = self.contexts.build(analysis, replace(filters, doc_ids=scoped), k)
            refusal = self.refusal.decide(context)
            # The paper the question names not answering is the answer ("the statement does not give it for
            # 2025"), unless nothing in it matched at all.
            if refusal is None or (named and context.evidence):
                return context
        return self.contexts.build(analysis, filters, k)

    def stream(self, request: AskRequest) -> Iterator[TextDelta | Status | Answer]:
        """Yields status and text as it is written, then the final, checked Answer."""
        started = time.perf_counter()
        question = clean_question(request.question)
        analysis = self.analyse(question, request.turns())
        context = self.context(analysis, request.filters, request.k)

        def finish(text: str, refused: bool, citations: list, reason: str = "", unsupported: list | None = None,
                   quoted_instead: bool = False) -> Answer:
            return Answer(question, text, refused, citations, context.retrieval.passages, self.mode, analysis.text,
                          (time.perf_counter() - started) * 1000, unsupported=unsupported or [],
                          refusal_reason=reason, intent=context.intent.value, councils=analysis.councils,
                          quoted_instead=quoted_instead, searched_in=list(context.retrieval.filters.doc_ids))

        refusal = self.refusal.decide(context)
        if refusal is not None:
            text, citations = _refusal_text(refusal)
            yield TextDelta(text)
            yield finish(text, True, keep_verified(citations, context.retrieval.passages), refusal.reason)
            return
        draft: Draft | None = None
        for event in self.answerer.stream(context):
            if isinstance(event, Draft):
                draft = event
            else:
                yield event
        assert draft is not None
        verified = keep_verified(draft.citations, context.retrieval.passages)
        if not verified and not draft.refused and self.answerer.mode != "extractive":
            # The model wrote nothing that checks out against the papers: show the papers' own words
            # instead of an answer nobody can verify, and say so.
            draft = _quote_instead(context, draft)
            yield TextDelta("\n\n" + draft.text)
            verified = keep_verified(draft.citations, context.retrieval.passages)
        text = draft.text
        for n in {c.n for c in draft.citations} - {c.n for c in verified}:
            # A marker whose citation failed the check must not look sourced.
            text = text.replace(f"[{n}]", "[unverified]")
        refused = draft.refused and not verified
        # "…, and who was brought in to deliver it?": one part quoted, the other not found; say so. (A model reads
        # the whole passages and may answer that part from them; its sentences are checked one by one instead.)
        missing = [] if refused or self.answerer.mode != "extractive" else self.refusal.unanswered(context)
        if missing:
            note = "The papers found do not answer " + " or ".join(f"“{part.strip(' ?')}?”" for part in missing)
            yield TextDelta("\n\n" + note)
            text += "\n\n" + note
        yield finish(REFUSAL_TEXT if refused else text, refused, verified,
                     "the model found no answer in the passages" if refused else "", draft.unsupported,
                     draft.quoted_instead)


def _refusal_text(refusal: Refusal) -> tuple[str, list]:
    """The refusal, and what the papers give instead when they give something close (quoted, cited)."""
    if not refusal.instead:
        return REFUSAL_TEXT, []
    quoter = Quoter()
    quotes = "\n".join(f"- {quoter.quote(item)}" for item in refusal.instead)
    return f"The papers provided do not say. {refusal.instead_note}\n\n{quotes}", quoter.citations


def _quote_instead(context: Context, draft: Draft) -> Draft:
    text, citations = compose(context)
    note = "The model's answer could not be checked against the papers, so here are the papers' own words."
    unsupported = draft.unsupported or ([draft.text.strip()] if draft.text.strip() else [])
    return Draft(f"{note}\n\n{text}", citations, unsupported, quoted_instead=True)
