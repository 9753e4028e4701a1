"""Deterministic refusal, decided before any generation: does the context answer the question?

Refusal reads the meaning of the question (its analysis) against what was found, not its words
against the passage's words, so a paraphrase whose answer was found is answered. Checks, in order
(each names its reason, which the UI and `--json` show):

1. nothing found in the selected papers;
2. the question names something the index has never seen: a proper name or a figure
   ("Nottinghamshire", "2024/25") that occurs in no passage at all;
3. nothing found is close to the question: neither in meaning (embedding similarity) nor in its
   distinctive words;
4. the answer found is about another council than the one asked about: refused, and the answer says
   what the papers do give ("The papers give Derbyshire County Council's …, not Derby City Council's");
5. the question is about a year the answer does not cover ("in 2019") — likewise;
6. the sentences found do not mention the body or name the question asks about ("CQC"), nor, in the
   sentence or its paper, the body whose paper the question names ("the City of London's CIL rate");
7. what happened is asked ("What rating did the CQC give …?") and every sentence found says it was still to come
   ("awaiting CQC outcome"): refused, with those sentences;
8. the question asks for a figure (an amount of money, a percentage) or a name and no sentence on its
   subject gives one. A question that asks two things ("how much …, and who …?") is checked part by
   part: answered when one part is, with the part the papers found do not answer named (`unanswered`).
Thresholds live in settings and were calibrated on eval/questions.jsonl (see eval/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer_kinds import (
    about_councils,
    figures_context,
    gives_contact,
    gives_date,
    lead_in_of,
    other_councils_named,
    shares_no_word,
)
from assistant.cues import COUNCIL_WORDS, STRUCTURE_WORDS, flat_words
from assistant.figure_given import gives_figure
from assistant.intent import Intent
from assistant.question import QuestionAnalysis
from assistant.question_word import ASKS_ABOUT, word_alone
from assistant.types import Context, Evidence
from common.rows import names_row
from common.text import (
    DATE_MENTION,
    DECISION_NUMBER,
    PARTY,
    WEAK_WORDS,
    YEAR_IN_TEXT,
    names_someone,
    other_years_only,
    query_terms,
    written_as_name,
    year_forms,
)
from common.wording import holds

# Words for the kind of figure asked for, not for what it is a figure of ("what percentage of council tax").
_MEASURE_WORDS = frozenset("""percentage percent proportion share number amount total figure level rate value sum
    cost costs price date day year years month rating score count money save spend""".split())

# What a "how many" question may count without saying what: any persons, any occasions.
_ANY_COUNTED = frozenset({"people", "persons", "individuals", "residents", "times", "occasions"})

REFUSAL_TEXT = "The papers provided do not say. The nearest passages are shown below, so you can check."


@dataclass
class Refusal:
    reason: str
    # What the papers give instead (another council's figure, another year's), shown with the refusal.
    instead: list[Evidence] = field(default_factory=list)
    instead_note: str = ""


@dataclass(frozen=True)
class RefusalPolicy:
    min_similarity: float = 0.3
    min_coverage: float = 0.35
    # Sentences sharing no word with a lookup answer it only when at least this close in meaning.
    close_in_meaning: float = 0.5

    def decide(self, context: Context) -> Refusal | None:
        """None to answer, else why not (and what the papers give instead, when they give something)."""
        analysis, retrieval, evidence = context.analysis, context.retrieval, context.evidence
        word = word_alone(analysis.text)
        if word:
            # "Why?" ("When?") that the conversation could not turn into a question (assistant.question_word):
            # nothing says what of.
            return Refusal(f"the question does not say what it asks {ASKS_ABOUT[word]}; ask it with what you mean "
                           f"(“{word} did …?”)")
        if analysis.intent in (Intent.LOOKUP, Intent.JUDGEMENT) and not (
                analysis.terms or analysis.naming_terms or analysis.figures or analysis.names
                or analysis.conversation_docs):
            # "How much is it?" with nothing before it to say what "it" is: any row of figures would do, so none.
            return Refusal("the question does not say what it asks about; ask it with what you mean (“How much is "
                           "the … ?”)")
        if not retrieval.passages or not evidence:
            return Refusal("nothing in the selected papers matches the question")
        if analysis.year_not_held:  # "its 2024-25 budget risk register", when 2025-26's is the one held
            return Refusal(f"the papers hold {analysis.year_not_held}")
        unknown = [t for t in retrieval.missing_terms if _is_name_or_figure(t, analysis.text)]
        if unknown:
            return Refusal(f"the papers never mention {', '.join(unknown)}")
        when = _of_other_dates(context)
        if when:
            return Refusal(f"the passages that answer best are from papers of other dates than {when}, not naming it")
        if context.structured and analysis.intent in (Intent.LIST, Intent.SUMMARY, Intent.COMPARISON):
            return self._structured(context)
        closeness = max([retrieval.best_similarity] + [e.similarity for e in evidence])
        if closeness < self.min_similarity and retrieval.coverage < self.min_coverage:
            return Refusal(f"nothing found is close to the question (best similarity {closeness:.2f}, "
                           f"{retrieval.coverage:.0%} of its terms)")
        if shares_no_word(analysis, evidence) and closeness < self.close_in_meaning:
            # A question in the asker's own words is answered by meaning; but sentences that use none of its words
            # and are not close in meaning either are about something else ("… Grade 1 to 3 agricultural land" for
            # "how often does it get what it asked housebuilders to chip in for?").
            return Refusal(f"the sentences found use none of the question's words and are not close to it in meaning "
                           f"(best similarity {closeness:.2f})")
        named = analysis.explicit_councils
        if named and not any(about_councils(e, named) for e in evidence):
            given = _councils_of(evidence)
            return Refusal(f"the passages found are about {given}, not {_join(named)}",
                           evidence[:2], f"They give this for {given}, not for {_join(named)}:")
        missing_years = _years_not_covered(context)
        if missing_years:
            # What they give for another year, when the sentence is about a year at all.
            dated = [e for e in evidence if YEAR_IN_TEXT.search(e.text)][:2]
            return Refusal(f"the passages that answer best do not cover {', '.join(missing_years)}", dated,
                           f"They do not give it for {', '.join(missing_years)}; for other years they give:")
        names = [t for t in _key_terms(context) if _is_name_or_figure(t, analysis.text) and t not in COUNCIL_WORDS]
        # A table row's title and columns count ("Band" of "H 18/9 3,221.64 …" under "… Band Proportion …").
        # (A short form the papers define is mentioned by its long form: "ASCH" by "Adult Social Care & Health".)
        if names and not any(holds(f"{e.text} {figures_context(e)}".lower(), t, analysis.learned)
                             for e in evidence for t in names):
            return Refusal(f"the sentences that answer best do not mention {' or '.join(names)}")
        # A short form in capitals that spells a common word ("IT") only the capitals find: as written, in the
        # sentence or the heading it stands under.
        unwritten = [form for form in analysis.capital_forms if not any(
            re.search(rf"\b{form}\b", f"{e.text} {e.passage.chunk.section}") for e in evidence)]
        if unwritten:
            return Refusal(f"the sentences that answer best do not mention {' or '.join(unwritten)}")
        # A name that says whose paper to look in ("the City of London's CIL rate") must be the paper's or the
        # sentence's: a Kent budget line on office rates does not answer it.
        owners = [t for t in analysis.naming_terms if _is_name_or_figure(t, analysis.text)
                  and not any(ch.isdigit() for ch in t) and t not in COUNCIL_WORDS and not DATE_MENTION.fullmatch(t)]
        # (Or the heading the sentence stands under: a question put to the "Cabinet Member for Highways and
        # Transport" is printed under that heading.)
        # (Not when the question names the paper itself by its title: "What did the minister's letter ask Kent to
        # do?" is answered from the letter, written to every two-tier council and filed in Kent's papers.)
        titled = set(analysis.titled_docs)
        if owners and not any(holds(f"{e.text} {e.passage.chunk.section} {e.passage.doc.title} "
                                    f"{e.passage.doc.council}".lower(), t, analysis.learned)
                              for e in evidence for t in owners) \
                and not (titled and all(e.passage.doc.doc_id in titled for e in evidence)):
            return Refusal(f"the passages found are not from or about {' or '.join(owners)}")
        if _still_to_come(analysis, evidence):
            # "What rating did the CQC give …?": "(awaiting CQC outcome for Adult Social Care)"; "On what date did the
            # 20mph limit come into force?": "… will be made in the coming weeks". Not given yet when written.
            return Refusal("the papers found say it was still to come when they were written", evidence[:2],
                           "They say it was still to come:")
        parts = analysis.asked_parts()
        if not parts:
            return self._asked_for(context, analysis)
        # A question that asks two things is answered when one part is (the answer says which part the papers
        # do not answer: `unanswered`); refused only when neither is.
        refusals = [self._asked_for(context, part) for part in parts]
        return refusals[0] if all(refusals) else None

    def unanswered(self, context: Context) -> list[str]:
        """The parts of a two-part question that the sentences found do not answer (when the other part is)."""
        parts = context.analysis.asked_parts()
        if context.structured or not parts:
            return []
        missing = [part.text for part in parts if self._asked_for(context, part) is not None]
        return missing if len(missing) < len(parts) else []

    def _asked_for(self, context: Context, analysis: QuestionAnalysis) -> Refusal | None:
        """Whether the sentences found give what the question (or one part of it) asks for: a figure on its
        subject, a name, a date, a party, a decision number, a decision."""
        evidence = context.evidence
        named = analysis.explicit_councils
        key_terms = _key_terms(context, analysis)

        def on_topic(item: Evidence) -> bool:
            # The sentence's line counts too, and a row's table: a table row's cells and a paragraph's later
            # sentences take their subject from it ("Risk Title: Revenue Inflation | … Potential estimated to cost
            # £14m.", "KS R … £247,055" under "Kent Scheme pay scale > Grade | … | Top").
            # A list item's too, from its lead-in ("The team then spent 4 days onsite …, during which they:").
            around = f"{_line_of(item)} {figures_context(item)} {lead_in_of(item)}".lower()
            return (not key_terms or any(holds(around, t, analysis.learned) for t in key_terms)) and (
                # A count is of what the question counts, said around it or in its heading: not a green waste
                # contract's "621.0" for "how many KPIs were green?".
                not counted or holds(f"{around} {item.passage.chunk.section.lower()}", counted, analysis.learned))

        # (Not a word for any persons or occasions: "how many people turned up" is answered by "240 delegates".)
        counted = analysis.counted_noun if analysis.wants_figure and not analysis.unit \
            and analysis.counted_noun not in _ANY_COUNTED else ""

        asked_words = analysis.asked_words

        def table_of(item: Evidence) -> str:
            # A table's title and columns say what the figures of the row the question names are ("High Needs
            # Block 345.5 …" under "2025-26 £m"); not those of any row ("Chief Executive's Department 30.5 …" for
            # the Chief Executive's salary).
            return figures_context(item) if names_row(item.text, asked_words) else ""

        giving = [e for e in evidence
                  if analysis.wants_figure and gives_figure(e.text, analysis, table_of(e)) and on_topic(e)]
        if giving and analysis.time_years and all(other_years_only(e.text, analysis.time_years) for e in giving):
            # "27,000 incidents reported in 2022-23" for a question about 2024-25: the figure is another year's.
            years = ", ".join(dict.fromkeys(analysis.time_years))
            return Refusal(f"the sentences that give the figure are about other years, not {years}", giving[:2],
                           f"They do not give it for {years}; for other years they give:")
        if analysis.wants_figure and giving and not key_terms and _subject_unknown(context, analysis):
            # "How much is Derby City Council overspending?" of papers that never say "overspending": a figure
            # found ("… the cleanest English city within 4 years") has nothing to say it is of that.
            return Refusal(f"the question asks for a figure on {', '.join(_subject(analysis))}, which no paper "
                           f"found uses")
        if analysis.wants_figure and not giving:
            kind = (f"the amount {analysis.money_kind}" if analysis.money_kind else "an amount of money") \
                if analysis.wants_money else "a percentage" if analysis.wants_percent \
                else f"a number of {analysis.unit}" if analysis.unit else "a figure"
            other = [e for e in context.elsewhere if gives_figure(e.text, analysis) and on_topic(e)]
            if other:
                given = _councils_of(other)
                return Refusal(f"the question asks for {kind} for {_join(named)} and the papers give one only for "
                               f"{given}", other, f"They give this for {given}, not for {_join(named)}:")
            return Refusal(f"the question asks for {kind} and no sentence on its subject gives one")
        named_papers = set(analysis.named_docs)

        def about_it(item: Evidence) -> bool:
            # A byline or signature ("From: John Betts, …") is about the paper the question names.
            return on_topic(item) or item.passage.doc.doc_id in named_papers

        # "Who should I contact": a line of contact details answers, with or without a name the pattern knows.
        naming = [e for e in evidence if names_someone(e.text) and about_it(e)]
        if analysis.wants_name and not analysis.wants_contact and not naming:
            return Refusal("the question asks for a name and no sentence on its subject gives one")
        others = {id(e): other_councils_named(e, named) for e in naming} if analysis.wants_name and named else {}
        if naming and others and all(others.values()):
            # "…Derby City Council's chief executive…": "Kersten England, Chief Executive, Bradford City Council".
            given = _join(list(dict.fromkeys(c for councils in others.values() for c in councils)))
            return Refusal(f"the names found are of {given}, not {_join(named)}", naming[:2],
                           f"They name this for {given}, not for {_join(named)}:")
        if analysis.wants_date and not any(gives_date(analysis, e.text) and on_topic(e) for e in evidence):
            return Refusal("the question asks for a date and no sentence on its subject gives one")
        if analysis.wants_party and not any(PARTY.search(e.text) for e in evidence):
            return Refusal("the question asks for a political party and no sentence names one")
        if analysis.wants_reference and not any(DECISION_NUMBER.search(e.text) for e in evidence):
            return Refusal("the question asks for a decision number and no sentence gives one")
        # A question that names no paper: the contact must be on its subject.
        if analysis.wants_contact and not any(gives_contact(analysis, e) and (analysis.doc_weights or on_topic(e))
                                              for e in evidence):
            return Refusal("the question asks for contact details and the papers found give none for it")
        if analysis.asks_outcome and not any(_DECIDED.search(e.text) and on_topic(e) for e in evidence):
            return Refusal("the question asks whether a decision was taken and the papers found do not record one")
        return None

    def _structured(self, context: Context) -> Refusal | None:
        missing_years = [] if context.intent == Intent.COMPARISON else _years_not_covered(context)
        if missing_years:
            return Refusal(f"the papers found do not cover {', '.join(missing_years)}")
        named = context.analysis.explicit_councils
        if named and context.intent != Intent.COMPARISON and \
                not any(about_councils(e, named) for e in context.evidence):
            return Refusal(f"the papers found are about {_councils_of(context.evidence)}, not {_join(named)}")
        return None


# Something still to come when the paper was written: awaited, pending, expected, in the coming weeks.
_PENDING = re.compile(r"\b(?:awaiting|awaited|pending|not yet|yet to|to be (?:confirmed|decided|agreed|announced|"
                      r"determined|published)|in the (?:coming|next few) (?:weeks|months)|"
                      r"(?:it is|is|are) (?:therefore )?anticipated)\b", re.IGNORECASE)
# What happened asked of the past ("What rating did the CQC give …?", "On what date did … come into force?"), not a
# view of it ("what did the peer team say about the inspection?") nor a yes/no question ("Did …?").
_WHAT_HAPPENED = re.compile(r"^\s*(?:and\s+)?(?:on\s+)?(?:what|when|which|who|how)\b[^?]*\bdid\b", re.IGNORECASE)


# Whose view a view question asks for: "What did the CQC conclude about …" -> "CQC".
_HOLDER = re.compile(r"\bdid\s+(?:the\s+)?(?P<holder>[\w'’ -]{2,40}?)\s+(?:say|think|find|conclude|report|decide|rate|"
                     r"judge)\b", re.IGNORECASE)


def _still_to_come(analysis: QuestionAnalysis, evidence: list[Evidence]) -> bool:
    """Whether every sentence found says that what the question asks had not happened yet. A view asked for
    ("What did the CQC conclude about …?") only when it is that body's that is awaited ("awaiting CQC outcome"), not
    when what was said of it is asked ("What did the peer team say about the CQC?")."""
    if not _WHAT_HAPPENED.search(analysis.text) or not all(_PENDING.search(e.text) for e in evidence):
        return False
    if not analysis.asks_view:
        return True
    holder = _HOLDER.search(analysis.text)
    words = query_terms(holder.group("holder")) if holder else []
    awaited = [re.compile(rf"(?:{_PENDING.pattern})\W+(?:\w+\W+){{0,2}}?{re.escape(w)}\b", re.IGNORECASE)
               for w in words]
    return bool(awaited) and all(any(p.search(e.text) for p in awaited) for e in evidence)


# A decision recorded as taken, not one proposed ("it is recommended that …").
_DECIDED = re.compile(r"\b(approved|agreed|adopted|resolved|endorsed|accepted|rejected|voted|carried|signed off|"
                      r"was decided|were decided)\b", re.IGNORECASE)
def _of_other_dates(context: Context) -> str:
    """The month and year asked about ("March 2025"), when every passage that answers is from a paper of another date
    and does not name them; "" otherwise. "What did Souldern Parish Council decide at its March 2025 meeting?": a
    meeting's record is its papers, not another meeting's (March 2019) nor the council's financial regulations. Nor,
    asked what happened in a month ("… co-opt in January 2021?"), a paper of another month that does not name it.
    (A year alone counts for a meeting's record only: "in 2019" of other questions is `_years_not_covered`'s; a month
    alone names no date.)"""
    analysis = context.analysis
    months, years = analysis.months, analysis.calendar_years
    if len(months) > 1 or len(years) > 1 or not (years and (months or analysis.asks_record)):
        return ""  # (not "between January and March", nor "the January draft … the final report in February")
    when = " ".join([*(m.capitalize() for m in months), *years])
    named = any(analysis.dated_as_asked(e.passage.doc.date) or when.lower() in flat_words(e.passage.chunk.text)
                for e in context.evidence)
    return "" if named else when


def _years_not_covered(context: Context) -> list[str]:
    """Years the question asks about ("in 2019"; not those that only name a paper) that neither the evidence
    nor the dates of its papers mention."""
    analysis = context.analysis
    asked = analysis.time_years
    if not asked:
        return []
    text = " ".join(e.passage.chunk.text for e in context.evidence).lower()
    dates = " ".join(f"{e.passage.doc.date} {e.passage.doc.title}" for e in context.evidence).lower()
    return [y for y in dict.fromkeys(asked) if not any(form in text for form in year_forms(y))
            and not any(year in dates for year in _years_of(y))]


def _years_of(year: str) -> list[str]:
    """The calendar years a paper about `year` may be dated in (a financial year's report comes in its second)."""
    first = year[:4]
    return [first, str(int(first) + 1)] if len(year) > 4 else [first]


def _key_terms(context: Context, analysis: QuestionAnalysis | None = None) -> list[str]:
    """The rarest content terms of the question (or of one part of it) that the index knows (at most two); not
    words for where to look ("in the early start progress table"): a table's rows do not say "table"."""
    retrieval = context.retrieval
    analysis = analysis or context.analysis
    # The verb a "did …" question ends on is what was done, in the paper's words or others ("How many people did
    # the peer team talk to?": "Spoke to more than 100 people"), not what the sentence must be about.
    done = _DONE.search(analysis.text)
    terms = [t for t in analysis.terms if not done or t != done.group(1).lower()]
    known = [t for t in terms if t in retrieval.term_weights and t not in retrieval.missing_terms
             and not any(ch.isdigit() for ch in t) and t not in WEAK_WORDS and t not in _MEASURE_WORDS
             and t not in STRUCTURE_WORDS]
    return sorted(known, key=lambda t: -retrieval.term_weights[t])[:2]


def _subject(analysis: QuestionAnalysis) -> list[str]:
    """The words that say what a figure asked for is of: not the words for a measure ("how much", "level")."""
    return [t for t in analysis.terms if t not in WEAK_WORDS and t not in _MEASURE_WORDS and not t.isdigit()]


def _subject_unknown(context: Context, analysis: QuestionAnalysis) -> bool:
    """Whether every word of the figure's subject is one the index has nowhere."""
    subject = _subject(analysis)
    return bool(subject) and all(t in context.retrieval.missing_terms for t in subject)


_DONE = re.compile(r"\b(?:did|do|does)\s[^?]*?\b([a-z]{3,})(?:\s+(?:to|with|about|for|on|of|from|into|up|out))?"
                   r"\s*\??\s*$", re.IGNORECASE)


def _line_of(item: Evidence) -> str:
    """The line (a paragraph or a table row) of its passage that the evidence sentence stands in."""
    text = item.passage.chunk.text
    start = text.rfind("\n", 0, item.start) + 1
    end = text.find("\n", item.end)
    return text[start:end if end >= 0 else len(text)]


def _councils_of(evidence: list[Evidence]) -> str:
    councils = list(dict.fromkeys(e.passage.doc.council for e in evidence if e.passage.doc.council))
    return _join(councils) if councils else "other bodies"


def _join(names: list[str]) -> str:
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _is_name_or_figure(term: str, question: str) -> bool:
    # Or capitalised mid-sentence in the question: a proper name (a council, a place, a body). Not a short form in
    # capitals: that is often the body a whole paper is by or about ("the Kent & Medway CMPB"), which its sentences
    # do not repeat; a place or a person a sentence does not name is another's.
    return any(ch.isdigit() for ch in term) or written_as_name(term, question, capitals=False)

