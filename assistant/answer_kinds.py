"""What a question asks for, and whether a sentence holds it: a figure, a percentage, a date, how often, a name,
a party, a decision number, contact details, or the kind a "which …" question names; whether a sentence answers a
question by itself; what a row of bare figures is about (its table's title and columns); whether a sentence is
about a council, or about another year than the one asked; whether it only repeats the question, or holds a word
of it in another sense; whether it passes a verdict; which of the question's words it points back at ("the approach").

Read by evidence selection (to prefer the sentence that holds what is asked), by the context builder (whether a
part of a two-part question is answered) and by refusal (whether anything found gives what is asked).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from assistant.catalogue import one_letter_apart
from assistant.cues import (
    COMPARATIVES,
    COUNCIL_KINDS,
    COUNCIL_NAME,
    COUNCIL_WORDS,
    COUNT_ASKED,
    DECISION_WORD,
    PAST_DATE_ASKED,
    STATUS_ASKED_WORDS,
    STRUCTURE_WORDS,
)
from assistant.figure_given import counts_asked
from assistant.intent import Intent
from assistant.question import QuestionAnalysis
from assistant.types import Evidence
from common.rows import labelled_figures, row_label
from common.text import (
    CONTACT_DETAIL,
    DATE_MENTION,
    DECISION_NUMBER,
    FREQUENCY_MENTION,
    JUDGEMENT_WORDS,
    LIST_LABEL,
    PARTY,
    STATUS_MENTION,
    STOPWORDS,
    WEAK_WORDS,
    amounts,
    event_date_in,
    gives_share,
    names_someone,
    other_years_only,
    query_terms,
    split_sentences,
    stem,
    term_pairs,
    year_forms,
)
from common.wording import holds


def wanted_test(analysis: QuestionAnalysis) -> Callable[[Evidence], bool] | None:
    """The test for a sentence holding the kind of thing asked for: a percentage, a figure, a date, a name, a
    political party, a decision number, where a piece of work stands, or what a "which …" question names."""
    if analysis.wants_contact:
        return lambda item: gives_contact(analysis, item)
    if analysis.wants_party or analysis.wants_reference:
        return _has_party if analysis.wants_party else _has_reference
    if analysis.wants_frequency:
        return _has_frequency
    if analysis.wants_date and analysis.asks_outcome:
        # "When were the CIL rates adopted?": the date of the decision ("… was adopted on 1 July 2014"), not the
        # summary's "effective from 1 January 2024".
        return lambda item: gives_date(analysis, item.text) and DECISION_WORD.search(item.text) is not None
    if analysis.wants_figure and not analysis.wants_percent and COUNT_ASKED.search(analysis.text):
        # "… the creation of seven local partnerships": a count in words of what is counted.
        return lambda item: _has_figure(item) or bool(counts_asked(item.text, analysis))
    if analysis.wants_percent or analysis.wants_figure or analysis.wants_date or analysis.wants_name:
        return _has_percent if analysis.wants_percent else _has_figure if analysis.wants_figure \
            else (lambda item: gives_date(analysis, item.text)) if analysis.wants_date else _has_name
    if analysis.wants_status:
        return gives_status
    if analysis.asked_kind:
        kind = stem(analysis.asked_kind)
        return lambda item: kind in item.text.lower()  # "which consultancy": a sentence naming a consultancy
    return None


def answers(analysis: QuestionAnalysis, item: Evidence) -> bool:
    """Whether a sentence answers the question by itself: it holds the kind of thing asked for (if any) and most
    of the question's own words ("…a minimum housing requirement of 784 … a total of 13,328 in the modified plan
    period" answers "what total does that give over the modified plan period")."""
    if analysis.wants_contact:
        return gives_contact(analysis, item)  # contact lines share no words with "how do I reach them"
    wanted = wanted_test(analysis)
    # "Status" says what kind of thing is asked for, as "how much" does: a status line does not hold the word.
    terms = [t for t in analysis.terms if not (analysis.wants_status and t in STATUS_ASKED_WORDS)]
    own = [t for t in terms if t in query_terms(analysis.text)] or terms
    # Without a kind of thing to hold, the words must say it: two thirds of them, not "highways" and "fleet" of
    # "which consultancy helped with the highways and fleet management review".
    share = 0.5 if wanted is not None else 0.67
    # Words naming where to look are held by the heading the sentence stands under ("In the early start progress
    # table, where … did the Thriving Communities accelerator run": "PROGRESS ON EARLY START SERVICE REVIEWS").
    read = f"{item.text} {item.passage.chunk.section}"
    if analysis.wants_status:
        read += " " + paragraph_before(item)  # a status line is the status of the row it ends
    held = terms_in(read, own, analysis.learned)
    return (wanted is None or wanted(item)) and len(held) >= max(1, share * len(own))


def paragraph_before(item: Evidence) -> str:
    """The text of the sentence's paragraph before it. A status line names no subject: it is the status of the row
    or paragraph it ends ("6. Highways and Fleet Management … Review Completed – Implementation of Improvement Plans
    underway")."""
    return item.passage.chunk.text[:item.start].rsplit("\n\n", 1)[-1]


# A sentence giving a reason: "The following are the reasons the Coalition believes …", "… because …", "… due to …".
# Or what led to it: "Summary: Following the Scrutiny Committee's referral …, Cabinet must reconsider the decision".
REASON_GIVEN = re.compile(r"\b(?:reasons?|because|due to|owing to|on the grounds|grounds for|as a result of|"
                          r"in order to|so that|caused by|driven by|as a consequence of|in (?:the )?light of|"
                          r"in response to)\b|^\s*(?:\w+:\s*)?following\b", re.IGNORECASE)


# A figure of one unit of a rate ("Each 1% increase in the Council Tax rate generates circa £9.5m"): what a change
# would bring, not what the change is.
_PER_UNIT = re.compile(r"\b(?:each|every|per|for every)\s+(?:additional\s+|extra\s+|further\s+)?$", re.IGNORECASE)
_AFTER_THING = "for|in|from|to|of|and|by|on|at|this|next|is|was|will|would|which|that|with|over|per"
_FIGURE = r"[£$€]?\d[\d,.]*(?:%|m\b|bn\b|k\b| million\b| billion\b| per ?cent\b)"


def states_change(analysis: QuestionAnalysis, text: str) -> bool | None:
    """Whether a sentence gives a figure of the change asked of the thing asked: "a 4.99% proposed increase in
    Council Tax", "Council Tax increase of 4.99%"; False when its only such figure is one unit of a rate ("Each
    1% increase in the Council Tax rate …"); None when it gives none."""
    if not analysis.change:
        return None
    patterns = _change_patterns(analysis.change, tuple(analysis.terms))
    if patterns is None:
        return None
    *stated, per_unit = patterns
    for pattern in stated:
        if any(not _PER_UNIT.search(text[:m.start(1)]) for m in pattern.finditer(text)):
            return True
    return False if any(_PER_UNIT.search(text[:m.start(1)]) for m in per_unit.finditer(text)) else None


@lru_cache(maxsize=64)
def _change_patterns(asked_change: str, terms: tuple[str, ...]) -> tuple[re.Pattern[str], ...] | None:
    """The patterns of a change figure of the thing asked, built once per question (every candidate is tested):
    the three ways a change of it is stated, then a figure of one unit of the change."""
    change = re.escape(stem(asked_change)) + r"\w*"
    things = [re.escape(stem(t)) + r"\w*" for t in terms
              if stem(t) != stem(asked_change) and t not in WEAK_WORDS and t not in STOPWORDS]
    if not things:
        return None
    # The thing asked, all of it: "an increase in Council Tax funding" is the funding's, not the tax's.
    one = rf"(?:{'|'.join(things)})"
    run = rf"{one}(?:\s+{one}){{0,2}}"
    thing = rf"{run}(?=\s*[.,;:()]|\s*$|\s+(?:{_AFTER_THING})\b)"
    patterns = (rf"({_FIGURE})\s+(?:[\w-]+\s+){{0,2}}{change}\s+(?:in|to|of|on)\s+(?:the\s+)?{thing}",
                rf"\b{run}\s+{change}\s+(?:of|by)\s+(?:up to\s+)?({_FIGURE})",
                rf"\b{change}\s+(?:in|of)\s+(?:the\s+)?{thing}\s+(?:[\w-]+\s+){{0,3}}?(?:of|by)\s+({_FIGURE})",
                rf"({_FIGURE})\s+(?:[\w-]+\s+){{0,2}}{change}")
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def gives_reason(item: Evidence) -> bool:
    return bool(REASON_GIVEN.search(item.text))


def gives_status(item: Evidence) -> bool:
    return bool(STATUS_MENTION.search(item.text))


def figures_context(item: Evidence) -> str:
    """The heading path a line of bare figures takes its subject from: the title and columns of the table of a row
    of figures ("2025/26 Kent Scheme pay scale > Grade | Entry | … | Top"), the heading above a line of labelled
    figures ("… > Percentage of routine pothole repairs completed within 28 days" for "Latest: 94% Target: 90%") or
    above a short line that is no sentence ("… > Secondary School Commissioning Intentions" for "A total of 38FE
    across the Plan period and up to 810 temporary Year 7 places"); "" for a sentence, which says what it is about
    itself."""
    chunk = item.passage.chunk
    if chunk.kind == "table" and row_label(item.text) or labelled_figures(item.text) or _label_line(item.text):
        return chunk.section
    return ""


def _label_line(text: str) -> bool:
    """A short line with figures that does not end as a sentence does: a total or a caption under its heading."""
    text = text.strip()
    # (Not a contact line, "Paul Wilson - Chief Executive Telephone: 01629 761125": its number is no figure.)
    return len(text.split()) <= _LABEL_LINE_WORDS and text[-1:] not in ".!?:;" and bool(amounts(text)) \
        and not CONTACT_DETAIL.search(text)


# A line of figures this short, not ended as a sentence, is a label of what its heading names.
_LABEL_LINE_WORDS = 20


def lead_in_of(item: Evidence, most: int = 12) -> str:
    """The lead-in of the list a short item stands in ("The team then spent 4 days onsite at Matlock during which
    they:" for "Spoke to more than 100 people …"): the nearest paragraph before it ending in a colon, over at most
    `most` short paragraphs (its sibling items); "" when there is none in its passage."""
    before = item.passage.chunk.text[:item.start].rpartition("\n\n")[0]  # the paragraphs before the item's own
    for paragraph in reversed(before.split("\n\n")[-most:]):
        paragraph = paragraph.strip()
        if paragraph.endswith(":"):
            return paragraph
        if len(paragraph.split()) > 40:
            return ""
    return ""


def about_councils(item: Evidence, councils: list[str]) -> bool:
    """Whether a sentence is about one of `councils`: in that council's paper (one a scan misread the name of, too),
    or naming it."""
    own = item.passage.doc.council
    if own in councils or own and any(one_letter_apart(own, council) for council in councils):
        return True
    if any(_mentions(item.text, council) for council in councils):
        return True
    # "The County Council has set out its Budget" in a parish council's paper is about the county council the
    # question names: the one council of that kind the paper can mean (not in a county council's own paper,
    # where "the County Council" is itself).
    kinds = {m.group(1).lower() for m in _KIND_NAMED.finditer(item.text)}
    return any(_kind_of(council) in kinds and _kind_of(council) != _kind_of(own) for council in councils)


# A council named by its kind alone, as papers write it: "the County Council", "the District Council".
_KIND_NAMED = re.compile(r"\b(?:the|The)\s+(" + "|".join(k.capitalize() for k in sorted(COUNCIL_KINDS))
                         + r")\s+Council\b")


def _kind_of(council: str) -> str:
    """The kind of a council by its name: "county" for "Oxfordshire County Council"; "" when its name gives none."""
    words = council.lower().split()
    return words[-2] if len(words) >= 2 and words[-1] == "council" and words[-2] in COUNCIL_KINDS else ""


def other_councils_named(item: Evidence, councils: list[str]) -> list[str]:
    """The councils a sentence names in full when it names none of `councils` ("Kersten England, Chief Executive,
    Bradford City Council" in Derby City's paper is about Bradford's chief executive)."""
    if any(_mentions(item.text, council) for council in councils):
        return []
    return list(dict.fromkeys(m.group(1) for m in COUNCIL_NAME.finditer(item.text)))


def _mentions(text: str, council: str) -> bool:
    words = [w for w in council.split() if w.lower() != "council"]
    return bool(re.search(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b", text, re.IGNORECASE))


def terms_in(text: str, terms: list[str], learned: Mapping[str, tuple[str, ...]] | None = None) -> set[str]:
    """The terms the text holds, as written or in the papers' other words for them (`common.wording.holds`)."""
    lower = text.lower()
    return {t for t in terms if holds(lower, t, learned)}


def _has_figure(item: Evidence) -> bool:
    return bool(amounts(LIST_LABEL.sub("", item.text, count=1)))  # a list label ("4.9.") is no figure


def _has_percent(item: Evidence) -> bool:
    return gives_share(item.text)


def gives_date(analysis: QuestionAnalysis, text: str) -> bool:
    """Whether a sentence gives the date a date question asks for: any date, or for when something happened, one
    that is not only a deadline ("… by January 2021" is no date "Cabinet approved" anything)."""
    return event_date_in(text) if PAST_DATE_ASKED.search(analysis.text) else bool(DATE_MENTION.search(text))


def for_other_years(item: Evidence, years: list[str]) -> bool:
    """The sentence (a table row: with its table's title and columns) names years, none of them one asked about."""
    return other_years_only(f"{item.text} {figures_context(item)}", years)


def names_year(item: Evidence, years: list[str]) -> bool:
    """The sentence (a table row: with its table's title and columns) names a year asked about."""
    around = f"{item.text} {figures_context(item)}".lower()
    return any(form in around for year in years for form in year_forms(year))


def _has_frequency(item: Evidence) -> bool:
    return bool(FREQUENCY_MENTION.search(item.text))


def _has_name(item: Evidence) -> bool:
    return names_someone(item.text)


def _has_party(item: Evidence) -> bool:
    return bool(PARTY.search(item.text))


def _has_reference(item: Evidence) -> bool:
    return bool(DECISION_NUMBER.search(item.text))


def _has_contact(item: Evidence) -> bool:
    return bool(CONTACT_DETAIL.search(item.text))


def gives_contact(analysis: QuestionAnalysis, item: Evidence) -> bool:
    """Contact details for what the question asks about. They belong to their paper: when the question names one
    ("the Dales report"), they must be that paper's, not the LGA adviser another paper gives."""
    if not _has_contact(item):
        return False
    return not analysis.doc_weights or analysis.doc_weights.get(item.passage.doc.doc_id, 0.0) >= 0.5


def echoes(item: Evidence, analysis: QuestionAnalysis) -> bool:
    """Whether a sentence only repeats what the question names: nearly all its words are the question's."""
    words = set(query_terms(item.text))
    return len(words) >= 2 and len(words - set(query_terms(analysis.text))) <= len(words) // 5


def sense_pairs(text: str, terms: list[str]) -> list[tuple[str, str]]:
    """Pairs of the question's words side by side that make one sense together ("financial resilience", "internal
    audit"): neither a weak word ("the use of reserves"), a word comparing ("the bigger budget gap") nor a verb's form
    ("which inspector examined …")."""
    return [(a, b) for a, b in term_pairs(text, terms) if not {a, b} & (WEAK_WORDS | COMPARATIVES)
            and not any(w.endswith(("ed", "ing")) for w in (a, b))]


def in_another_sense(item: Evidence, term: str, pairs: list[tuple[str, str]]) -> bool:
    """Whether a sentence holds the last word of a phrase the question uses ("resilience" of "financial resilience")
    with the word before it nowhere in its paragraph or headings: the word in another sense ("Locality teams in
    Adults are creating a culture of self-help and resilience"). The word before keeps its sense alone: "financially"
    of "financially resilient" in "DCC … appears to be prudently managed financially"."""
    others = [a for a, b in pairs if b == term]
    if not others:
        return False
    chunk = item.passage.chunk
    paragraph = " ".join([paragraph_before(item), item.text, chunk.text[item.end:].split("\n\n", 1)[0],
                          chunk.section]).lower()
    return not any(stem(other) in paragraph for other in others)


# Words that pass a verdict on how a thing stands or goes ("at an early stage of development", "significant and fast
# paced", "a comparatively low profile", "had become stalled", "prudently managed"), beside praise and blame.
_EVALUATIVE = re.compile(r"\b(?:early stages?|fast[- ]paced|slow|pace|(?:low|high) profile|stalled|significant(?:ly)?|"
                         r"limited|under-?developed|embedded|robust|(?:in)?effective|(?:un)?sustainable|prudent(?:ly)?|"
                         r"healthy|inadequate|well placed|improv(?:ed|ing)|lack(?:s|ing)?|unclear|"
                         + "|".join(sorted(JUDGEMENT_WORDS)) + r")\b", re.IGNORECASE)


def passes_verdict(item: Evidence) -> bool:
    """Whether a sentence judges how its subject stands or goes, rather than only describing it ("The approach was
    launched in February 2018, with an initial focus on …")."""
    return bool(_EVALUATIVE.search(item.text))


# "the approach", "this programme": a noun pointing back at a phrase the sentences before named.
_POINTER = re.compile(r"\b(?:the|this|that|these|its)\s+([a-z][a-z-]+)\b", re.IGNORECASE)
# Nouns that point at the paper itself. Fewer than cues.PAPER_KIND_WORDS: "the programme", "the strategy", "the
# framework" point back at a topic as often as at a paper.
_PAPER_NOUNS = frozenset("report paper plan document statement appendix minutes agenda letter".split())


def referred_back(item: Evidence, terms: list[str]) -> list[str]:
    """The question's words a sentence is about without writing them, by a noun pointing back at the phrase that
    held them in one of the two sentences before it: "Progress, since the launch of the approach in early 2018, has
    been significant and fast paced …" after "… the Enterprising Council approach has subsequently been embraced …"
    is about Enterprising Council. Not by a council word ("the council" heads every council's name), nor by a word
    for a paper ("the Plan", "this report": the paper itself, whatever its title holds)."""
    lower = item.text.lower()
    missing = [t for t in terms if stem(t) not in lower]
    nouns = {m.group(1).lower() for m in _POINTER.finditer(item.text)} - COUNCIL_WORDS - _PAPER_NOUNS - STOPWORDS
    if not missing or not nouns:
        return []
    text = item.passage.chunk.text
    spans = [span for span in _sentences_of(text) if span[1] <= item.start][-2:]
    before = text[spans[0][0]:item.start] if spans else ""
    return [t for t in missing if any(re.search(rf"\b{re.escape(stem(t))}\w*(?:[\s-]+\w+){{0,2}}?[\s-]+{noun}\b",
                                                before, re.IGNORECASE) for noun in nouns)]


@lru_cache(maxsize=256)
def _sentences_of(text: str) -> tuple[tuple[int, int], ...]:
    """A passage's sentences, split once: every candidate sentence of a passage looks back in it, at every scoring."""
    return tuple(split_sentences(text))


def shares_no_word(analysis: QuestionAnalysis, evidence: list[Evidence]) -> bool:
    """Whether a lookup's sentences, read with their headings, hold none of its content words (not a council's, not
    a word for where to look)."""
    if analysis.intent not in (Intent.LOOKUP, Intent.JUDGEMENT):
        return False
    terms = [t for t in analysis.terms if t not in COUNCIL_WORDS and t not in STRUCTURE_WORDS
             and t not in WEAK_WORDS]
    return bool(terms) and not any(holds(f"{e.text} {e.passage.chunk.section}".lower(), t, analysis.learned)
                                   for e in evidence for t in terms)
