"""What a question asks, read once (`QuestionAnalysis`): its intent, scope, terms and what it wants back.

Made by the analyzer (`assistant.analysis`) and read by retrieval, evidence, refusal and every answerer. The
properties here read further things off the question as asked (what a figure is asked of, what a "how many"
counts, which papers it names clearly) so that no module re-reads the question its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.cues import (
    ABOUT_PHRASE,
    AGENT_WORDS,
    COUNTED_NOUN,
    MONTHS,
    PREPOSITION_PHRASE,
    PRESENT_ASKED,
    SUMMARY_WORDS,
    WHICH_NOUN,
    WHICH_WORD,
)
from assistant.intent import Intent
from assistant.sides import Side
from common.text import WEAK_WORDS, query_terms, words

# Words that name at most this many papers name those papers; a word in more titles ("cabinet") names none.
FEW_PAPERS = 3


@dataclass
class QuestionAnalysis:
    text: str  # the standalone question (a follow-up already resolved)
    intent: Intent
    # For a comparison's side, searched by its topic's words alone ("attempts commercial"): the question as asked,
    # which says which of them stand together as one phrase ("… attempts to be more commercial": none).
    phrased: str = ""
    councils: list[str] = field(default_factory=list)  # councils the question names or implies ("Derbyshire")
    # Councils it names outright ("Derby City Council", "Derbyshire County"), not by a bare place name:
    # only these make an answer about another council a wrong answer.
    explicit_councils: list[str] = field(default_factory=list)
    doc_weights: dict[str, float] = field(default_factory=dict)  # how strongly it names each paper (0..1)
    # Papers two or more of whose title words (not the council's name) the question uses, one of them the word for
    # the kind of paper it is: "the Productivity Plan", "the section 25 statement", "the budget risk register", not
    # "the Strengthening Independence Service" (a service an assessment is about). doc_weights are relative (the
    # best is 1.0 even when only "plan" matched).
    titled_docs: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)  # years and financial years it names ("2017", "2017/18")
    terms: list[str] = field(default_factory=list)  # content terms: what to search passages for
    naming_terms: list[str] = field(default_factory=list)  # terms that only say which paper
    # Terms written as names in the question, capitalised mid-sentence ("Cotmanhay", "CQC", "Enterprising Council"):
    # kept when a side or part of the question is searched with other text.
    names: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)  # figures as written in the question
    # Short forms in capitals that spell a common word and the papers do not define ("how much was spent on IT?"):
    # no search word finds them, and a sentence not writing them ("… spending growth of £150.4m") does not answer.
    capital_forms: list[str] = field(default_factory=list)
    quoted: list[str] = field(default_factory=list)  # the paper's words it quotes ("'much to do'"), lower-cased
    wants_figure: bool = False
    wants_money: bool = False  # the figure is an amount of money
    money_kind: str = ""  # what the money is: "paid", "saved", "spent", "cost", … ("" when not said)
    unit: str = ""  # the unit a "how many" counts in, when it is a measure: "hours", "days", "years"
    wants_percent: bool = False  # the figure is a percentage or rate
    wants_date: bool = False
    wants_frequency: bool = False  # "how often …": "on an annual basis", "quarterly"
    change: str = ""  # the change a figure is asked of, in the papers' word: "increase" for "going up"
    wants_status: bool = False  # "what is the status of …": where a piece of work stands ("on hold", "completed")
    wants_name: bool = False
    wants_reason: bool = False  # "why …", "on what grounds …": a sentence giving a reason answers best
    asks_view: bool = False  # "what did the peer team say about …", "how did they see …": a topic's gist
    asks_verdict: bool = False  # "how did the verdict on … change", "has … improved since": sentences that pass one
    rated_value: str = ""  # "which KPIs were rated red": the rating whose rows are asked for ("red")
    wants_party: bool = False  # "which party …": a political party's name
    wants_reference: bool = False  # "what decision number …"
    wants_contact: bool = False  # "who should I contact about …", "how do I reach them"
    # The kind of thing a "which …" question asks for ("which consultancy helped …" -> "consultancy"): the sentence
    # that names the answer usually names its kind too ("Proving Services Ltd, a consultancy based at …").
    asked_kind: str = ""
    asks_record: bool = False  # what a meeting decided or how it voted: the minutes are the source
    asks_outcome: bool = False  # "did councillors approve …": whether a decision was taken
    asks_vote: bool = False  # "how many voted against the budget?": the recorded vote on it
    time_years: list[str] = field(default_factory=list)  # years it asks about ("in 2019"), not paper names
    # Sentences the conversation has already shown (a follow-up wants something new, not the same quote).
    seen: frozenset[str] = frozenset()
    # The earlier answer's item a follow-up refers to ("the unitarisation one"), and whether it asks for its words.
    referent: str = ""
    wants_wording: bool = False
    # A follow-up's papers: those the answer it follows cited. Searched first; everything if they do not answer.
    conversation_docs: list[str] = field(default_factory=list)
    list_noun: str = ""  # what a list question asks for ("recommendations")
    set_aside: str = ""  # a clause putting something aside, as written ("Apart from the usual core questions, ")
    # A paper named with a year none of the papers so named is of, as what is held instead (`Catalogue.year_not_held`).
    year_not_held: str = ""
    list_count: int = 0  # how many it says there are ("the five key outcomes"), 0 when it does not say
    points: int = 0  # how many points the answer is asked in ("summarise it in three points"), 0 when not said
    sides: list[Side] = field(default_factory=list)  # comparison sides (two or more)
    compares_amounts: bool = False  # "how did the net revenue budget in … compare with …": each side gives a figure
    # A question that asks two things ("how many voted for it, and who abstained?"): each as its own analysis.
    # Read them through `asked_parts`, which gives each the whole question's scope.
    parts: list[QuestionAnalysis] = field(default_factory=list)
    # What the papers also call the question's words: the abbreviations they define ("kpis": "key performance
    # indicators"; "grant", in "the dedicated schools grant": "dsg"), the noun a verb and its particle make
    # ("called" in "who called in …": "call-in"); read with `common.wording.holds`.
    learned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A part of a question whose parts each name a different paper ("…in the 2018 peer challenge, and how will the
    # productivity plan be monitored?"): it is looked for in its own paper, not with the other part's words.
    own_paper: bool = False

    def asked_parts(self) -> list[QuestionAnalysis]:
        """Each question of a two-part question as a lookup, with what it asks for (its words, a figure, a name)
        and the whole question's scope (its councils, papers, years, the conversation); a part that clearly names
        a paper of its own (`own_paper`) is looked for in that paper."""
        return [replace(self, intent=Intent.LOOKUP, parts=[], **{name: getattr(part, name) for name in _ASKING},
                        **({name: getattr(part, name) for name in _NAMING} if part.own_paper else {}))
                for part in self.parts]

    @property
    def asked_words(self) -> set[str]:
        """Every word of the question as written, lower-cased (stopwords and single letters too: a table row's
        label "KS R" is named by them)."""
        return set(words(self.text.lower()))

    @property
    def asked_text(self) -> str:
        """The question without what it puts aside: what its meaning is searched by."""
        return " ".join(self.text.replace(self.set_aside, " ").split()) if self.set_aside else self.text

    @property
    def topic_terms(self) -> list[str]:
        """The content terms that say what the question is about: those after "about"/"on" when it has such a
        phrase, never words for who said it ("the peer team"), weak ones ("happy", "saw") or, in a summary, its
        request ("what did the newsletter cover?")."""
        match = ABOUT_PHRASE.search(self.text)
        scope = set(query_terms(match.group(1))) if match else set(self.terms)
        return [t for t in self.terms if t in scope and t not in WEAK_WORDS and t not in AGENT_WORDS
                and t != self.list_noun and not t.isdigit()
                and not (self.intent == Intent.SUMMARY and t in SUMMARY_WORDS)]

    @property
    def figure_of(self) -> list[str]:
        """What a figure is asked of, in the question's phrases after what it measures ("What is the forecast
        overspend in children's services at quarter 3?" -> "children"), and a short form the papers define written
        as a name ("How much is CYPE forecast to overspend?": the directorate's figure, not the council's): the
        sentence that answers names it. Not years, figures or weak words; empty when no figure is asked for."""
        if not self.wants_figure:
            return []
        scope = {t for m in PREPOSITION_PHRASE.finditer(self.text) for t in query_terms(m.group("phrase"))}
        scope |= set(self.names) & set(self.learned)
        return [t for t in self.terms if t in scope and t not in WEAK_WORDS and t not in AGENT_WORDS
                and not any(ch.isdigit() for ch in t)]

    @property
    def counted_noun(self) -> str:
        """What a "how many" question counts, lower-cased: the last word before its verb ("how many local partnerships
        will …" -> "partnerships", "how many KPIs were red?" -> "kpis"); "" for a question that does not ask one."""
        counted = COUNTED_NOUN.search(self.text)
        noun = re.sub(r"['’]s$", "", counted.group(1)).lower() if counted else ""
        # "… and how many of them stayed on the island?": what the question before it counted, not a word to find.
        return "" if noun in ("them", "these", "those", "they", "it", "us", "you") else noun

    @property
    def which_noun(self) -> str:
        """The head of the noun after "which", lower-cased: "which consultancy helped …", "which case recording
        system will …"; "" for a question that does not ask "which …"."""
        which = WHICH_NOUN.match(self.text) or WHICH_WORD.match(self.text)
        return which.group(1).lower() if which else ""

    @property
    def named_docs(self) -> list[str]:
        """Papers the question names clearly (the strongest match, when it is strong)."""
        if not self.doc_weights:
            return []
        best = max(self.doc_weights.values())
        if best < 0.5:
            return []
        return [d for d, w in self.doc_weights.items() if w >= best - 1e-9]

    @property
    def months(self) -> list[str]:  # the months the question names ("… at its February 2025 meeting"), lower-cased
        return [month for month in MONTHS if re.search(rf"\b{month}\b", self.text, re.IGNORECASE)]

    def dated_as_asked(self, date: str) -> bool:
        """Whether a paper's date ("2025-02-27") is of the year and month the question names, when it names them
        ("… at its February 2025 meeting"): False when it names none."""
        months = [MONTHS.index(m) + 1 for m in self.months]
        years = self.calendar_years
        if not (years or months) or len(date) < 7 or not date[5:7].isdigit():
            return False
        return (not years or date[:4] in years) and (not months or int(date[5:7]) in months)

    @property
    def asks_present(self) -> bool:  # "Who is the clerk?": of today, naming no year or month
        return bool(PRESENT_ASKED.search(self.text)) and not self.years and not self.months

    @property
    def calendar_years(self) -> list[str]:  # the years it names as calendar years ("2025"; not "2025-26")
        return [y for y in self.years if len(y) == 4]

    @property
    def clearly_named_docs(self) -> list[str]:
        """The papers a question names beyond doubt, to search first: by words of their titles, a strong match,
        shared by at most three papers ("savings plan" does not name the Productivity Plan; "the Productivity
        Plan" does)."""
        if not self.doc_weights or not self.titled_docs:
            return []
        best = max(self.doc_weights.values())
        named = [d for d, w in self.doc_weights.items() if w >= best - 0.05]
        runner_up = max((w for w in self.doc_weights.values() if w < best - 0.05), default=0.0)
        clear = best >= 0.6 and best - runner_up >= 0.25 and len(named) <= FEW_PAPERS
        return named if clear and set(named) <= set(self.titled_docs) else []


# What a part of a two-part question asks for, as opposed to the scope it shares with the whole.
_ASKING = ("own_paper", "text", "terms", "figures", "wants_figure", "wants_money", "money_kind", "unit",
           "wants_percent", "wants_date", "wants_frequency", "wants_status", "wants_name", "asks_view", "asks_verdict",
           "wants_party", "wants_reference", "wants_contact", "asks_record", "asks_outcome", "asks_vote",
           "asked_kind")
# The papers a part names, when it names its own.
_NAMING = ("doc_weights", "titled_docs", "naming_terms")
