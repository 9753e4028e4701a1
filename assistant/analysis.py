"""The question, analysed once: what kind of answer it wants, which papers it is about, what to look for.

Retrieval, evidence, refusal and every answerer read the one `QuestionAnalysis` made here, instead of
each tokenising the question its own way:

- intent: a single fact (lookup), a list ("list the key recommendations…"), a summary ("summarise the
  Productivity Plan"), a comparison ("compare the two peer challenges…") or a yes/no judgement;
- scope: the councils, papers and years it names, read against the catalogue (`assistant.catalogue`, so
  "Derby City", "Derbyshire" and "the 2018 peer challenge" resolve to what the index holds);
- the content terms to search for, the figures it mentions, and what it wants back (a figure, a date,
  a name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.catalogue import Catalogue, singular
from assistant.cues import (
    ABOUT_PHRASE,
    AGENT_WORDS,
    AMOUNTS_COMPARED,
    CHANGE_ASKED,
    CHANGE_WORDS,
    COMPARE_WORDS,
    CONTACT_ASKED,
    COUNCIL_THING,
    COUNCIL_WORDS,
    COUNT_ASKED,
    COUNT_WORDS,
    COUNTED_NOUN,
    MONEY_ASKED,
    MONEY_KINDS,
    MONTHS,
    OUTCOME_ASKED,
    PAY_ASKED,
    PERCENT_ASKED,
    PREPOSITION_PHRASE,
    PRESENT_ASKED,
    RANKING_WORDS,
    RATED_ASKED,
    REASON_ASKED,
    RECORD_ASKED,
    ROLE_ASKED,
    ROLE_OF_VERB,
    STATED_COUNT,
    SUMMARY_WORDS,
    TIME_YEAR,
    VERB_ROLE_ASKED,
    VERDICT_ASKED,
    VIEW_CUE,
    VIEW_HOLDERS,
    VOTE_ASKED,
    WANTS_DATE,
    WANTS_FREQUENCY,
    WANTS_NAME,
    WANTS_STATUS,
    WHICH_NOUN,
    WHICH_WORD,
    amount_asked,
    answer_shape,
    asked_from_now,
    flat_words,
    quoted_phrases,
    set_aside,
)
from assistant.glossary import Glossary
from assistant.intent import Intent, read_intent
from assistant.parts import asked_in_parts
from assistant.sides import Side, comparison_sides
from common.text import STOPWORDS, WANTS_FIGURE, WEAK_WORDS, figures_in, is_year, query_terms, words, written_as_name
from common.types import DocumentRecord
from common.wording import merged, phrasal_nouns

# Words that name at most this many papers name those papers; a word in more titles ("cabinet") names none.
FEW_PAPERS = 3


@dataclass
class QuestionAnalysis:
    text: str  # the standalone question (a follow-up already resolved)
    intent: Intent
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
        return re.sub(r"['’]s$", "", counted.group(1)).lower() if counted else ""

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


class QuestionAnalyzer:
    """Analyses questions against the catalogue of the index (council names, paper titles, years)."""

    def __init__(self, documents: list[DocumentRecord], glossary: Glossary | None = None) -> None:
        self.catalogue = Catalogue(documents)
        self.documents = self.catalogue.documents
        self.glossary = glossary or Glossary({})

    def _ranks_what_is_asked(self, term: str, question: str) -> bool:
        """A word that ranks the noun after it ("the main risks", "the key findings") says what is asked, not which
        paper, unless the two words stand together in a title ("the SHLAA Main Report")."""
        if term not in RANKING_WORDS:
            return False
        after = re.search(rf"\b{re.escape(term)}\s+([\w'’-]+)", question, re.IGNORECASE)
        return after is not None and not self.catalogue.titled_as(flat_words(f"{term} {after.group(1)}"))

    def analyse(self, question: str, inherited_councils: list[str] | None = None) -> QuestionAnalysis:
        shaped, points = answer_shape(question)  # "in three points" is no topic
        shaped, aside = set_aside(shaped)  # nor is what the question puts aside ("apart from the core questions")
        terms = query_terms(asked_from_now(shaped))  # nor "this year": the papers' present is the asker's
        # A short form the papers define that spells a small word is one when written in capitals ("GET": Growth,
        # Environment & Transport; "IT").
        terms += list(dict.fromkeys(w.lower() for w in words(shaped) if len(w) > 1 and w.isupper()
                                    and w.lower() in STOPWORDS and self.glossary.defines(w.lower())))
        councils = self.catalogue.councils_named(question) or list(inherited_councils or [])
        # "council", "county", "city" on their own name every paper of a council corpus, so name none.
        # Words quoted from the papers are what is asked about ("'Securing Kent's Future'"), unless they are a
        # paper's title ("the Dales 'New Vision for Derbyshire' report").
        quoted = quoted_phrases(question)
        topic = {t for q in quoted if not self.catalogue.titled_as(q) for t in query_terms(q)}
        naming = [t for t in terms if t not in COUNCIL_WORDS and t not in topic
                  and self.catalogue.names_some_paper(t) and not self._ranks_what_is_asked(t, question)]
        # A number after a word of a paper's name is part of that name ("the Regulation 18 Preferred Options Local
        # Plan"), not a figure to look for ("… 18 dwellings"); unless a title numbers that word otherwise, when the
        # number tells which one is meant ("Phase 1" asked of the "Enterprising Council Phase 2" report).
        naming += [t for t in terms if t not in naming and t.isdigit() and any(
            re.search(rf"\b{re.escape(n)}\s+{t}\b", question, re.IGNORECASE)
            and not self.catalogue.numbered_otherwise(n, t) for n in naming)]
        # "council tax" is asked about, though "tax" names the Council Tax Reduction Scheme amendment.
        thing = {t for m in COUNCIL_THING.finditer(question) for t in query_terms(m.group())}
        naming = [t for t in naming if t not in thing]
        # A short form the papers define ("How much is the ASCH overspend?") is the thing it stands for, though a title
        # holds it ("… Transfer from CYPE to ASCH"); it names a paper beside another word of that paper's name.
        naming = [t for t in naming if not self.glossary.defines(t)
                  or any(o != t and self.catalogue.named_together(o, t) for o in naming)]
        content = [t for t in terms if t not in naming and (t not in COUNCIL_WORDS or t in thing)]
        change = next((word for word, asked in CHANGE_ASKED.items() if asked.search(shaped)), "")
        change = change or next((t for t in content if t in CHANGE_WORDS), "")
        if change and change not in content:
            content.append(change)
        written_out = self.catalogue.written_out(question)
        role_match = ROLE_ASKED.search(question)
        role = role_match.group(1).lower() if role_match else ""
        if role and role in naming and role not in content:
            content.insert(0, role)  # the holder of the role is asked for, not only its paper
        verb = VERB_ROLE_ASKED.search(question)
        if not role and verb:
            role = ROLE_OF_VERB[verb.group(1).lower()]  # "who managed …": its manager
            content = [role, *content]  # (the verb stays: "… appointed Planning Inspector … to examine the Plan")
        named = {singular(t) for t in naming}
        doc_weights = self.catalogue.naming_weights(named, question)
        figures = figures_in(question)
        analysis = QuestionAnalysis(
            text=question,
            intent=Intent.LOOKUP,
            councils=councils,
            explicit_councils=[c for c in councils if c in self.catalogue.councils_named(question, explicit=True)],
            doc_weights={d: w for d, w in doc_weights.items() if w > 0},
            titled_docs=list(dict.fromkeys([*self.catalogue.titled(terms), *written_out])),
            years=[f for f in figures if is_year(f)],
            terms=content,
            naming_terms=naming,
            names=[t for t in terms if written_as_name(t, question)],
            figures=figures,
            quoted=quoted,
            points=points,
            wants_figure=bool(WANTS_FIGURE.search(question) or PAY_ASKED.search(question)) or amount_asked(question),
            wants_date=bool(WANTS_DATE.search(question)),
            wants_frequency=bool(WANTS_FREQUENCY.search(question)),
            change=change,
            wants_status=bool(WANTS_STATUS.search(question)),
            wants_name=bool(WANTS_NAME.search(question)),
            wants_reason=bool(REASON_ASKED.search(question)),
            learned=merged(self.glossary.equivalents(question, terms), phrasal_nouns(question, terms)),
        )
        analysis.wants_percent = analysis.wants_figure and bool(PERCENT_ASKED.search(question))
        analysis.wants_money = analysis.wants_figure and not analysis.wants_percent \
            and bool(MONEY_ASKED.search(question)) and not COUNT_ASKED.search(question)
        if analysis.wants_money:
            analysis.money_kind = next((kind for kind, pattern in MONEY_KINDS if pattern.search(question)), "")
        unit = re.search(r"\bhow many\s+(hours|days|weeks|months|years|minutes|miles|kilometres|km|metres|hectares|"
                         r"acres|tonnes)\b", question, re.IGNORECASE)
        analysis.unit = unit.group(1).lower() if unit else ""
        analysis.asks_view = bool(VIEW_CUE.search(question))
        analysis.asks_verdict = bool(VERDICT_ASKED.search(question))
        rated = RATED_ASKED.search(question)
        analysis.rated_value = rated.group("value").lower() if rated and rated.group("value").lower() not in STOPWORDS \
            else ""
        topic = [t for t in analysis.terms if t not in VIEW_HOLDERS]
        if analysis.asks_view and topic:
            analysis.terms = topic  # "what did the peer team make of the pool?": the team holds the view, not its topic
        analysis.wants_party = bool(re.search(r"\b(which|what) (political )?part(y|ies)\b", question, re.I))
        if analysis.wants_party:  # the kind asked for, which papers do not write: "Cllr Phil Davies, … (Labour)"
            analysis.terms = [t for t in analysis.terms if t not in ("party", "parties", "political")]
        analysis.wants_reference = bool(re.search(r"\bdecision (number|no|reference|ref)\b", question, re.I))
        analysis.wants_contact = bool(CONTACT_ASKED.search(question))
        kind = analysis.which_noun or role
        if kind and kind in content:
            analysis.asked_kind = kind  # "which consultancy", "who is the Board's vice-chairman", "who managed …"
        minuted = not self.catalogue.unminuted_body(question)  # none of "the Scrutiny Committee" are held here
        analysis.asks_record = minuted and bool(RECORD_ASKED.search(question))
        analysis.asks_outcome = minuted and bool(OUTCOME_ASKED.search(question))
        analysis.asks_vote = minuted and bool(VOTE_ASKED.search(question))
        analysis.time_years = list(dict.fromkeys(m.group(1).lower() for m in TIME_YEAR.finditer(question)))
        analysis.set_aside = aside
        analysis.intent, analysis.list_noun = read_intent(analysis.asked_text, content, analysis, self.catalogue)
        noun = analysis.list_noun
        if written_out and noun in naming and not any(noun in query_terms(self.documents[d].title)
                                                      for d in written_out):
            # A list asked of a paper named by its whole title ("the key economic risks … according to the Economic &
            # Fiscal Context"): the list's noun is what is asked, though it names another paper too ("risks": the
            # Budget Risks Register).
            analysis.terms = [*analysis.terms, noun]
        count = STATED_COUNT.search(question)
        if analysis.intent == Intent.LIST and count:
            word = count.group(1).lower()
            analysis.list_count = COUNT_WORDS.get(word) or int(word)
        if analysis.intent == Intent.COMPARISON:
            analysis.terms = [t for t in content if t not in COMPARE_WORDS]
            analysis.sides = comparison_sides(question, analysis, self.catalogue)
            if len(analysis.sides) < 2:
                analysis.intent = Intent.LOOKUP
            else:
                analysis.compares_amounts = bool(AMOUNTS_COMPARED.search(question))
        if analysis.intent in (Intent.LOOKUP, Intent.JUDGEMENT):
            analysis.parts = asked_in_parts(question, self.analyse)
        if analysis.parts:
            # A status asked in one part only is looked for by that part: preferred for the whole question, a
            # status line ("… Accelerator completed.") pushes out the answer to the other part ("where and when did
            # it run": "… ran in Shirebrook between February and June 2019").
            analysis.wants_status = all(part.wants_status for part in analysis.parts)
        return analysis
