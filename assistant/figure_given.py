"""Whether a sentence gives the kind of figure a question asks for: money for "how much does it cost", a percentage
for "what share", a count for "how many", a number of the unit asked ("how many hours").

Refusal reads it before anything is generated: a question asking for a figure that no sentence on its subject gives
is refused rather than answered with another kind of number.
"""

from __future__ import annotations

import re

from assistant.cues import COUNT_ASKED
from assistant.question import QuestionAnalysis
from common.counts import counts_in_words, counts_of
from common.text import LIST_LABEL, amounts, amounts_in_words, gives_share, is_sum, stem
from common.wording import holds


def gives_figure(text: str, analysis: QuestionAnalysis, table: str = "") -> bool:
    """A figure of the kind asked for: money for "how much does it cost", a percentage for "what share". A list
    label ("6)", "(b)", "3.") is not a figure. A row of figures says what its money is in its `table` title and
    columns ("… Kent Scheme pay scale > Grade | Entry | … | Top")."""
    text = LIST_LABEL.sub("", text, count=1)
    counted = not analysis.unit and bool(COUNT_ASKED.search(analysis.text))
    if counted:
        text = _DURATION.sub(" ", text)  # "How many staff …": not "… increased over the last 2 years"
        text = _MONEY_CELL.sub(" ", text)  # nor a row's "2025-26 £000's: -16.6", which is money
    found = amounts(text) + amounts_in_words(text)  # "over two million miles" gives "how much mileage"
    if counted:
        # Nor "… agency employees and consultants was 9.26% of the total staffing budget": a share or a sum of
        # money is no count of anything. A count in words is one ("the creation of seven local partnerships").
        found = [f for f in found if not f.endswith("%") and not is_sum(f) and f not in _counts_of_some(text, analysis)]
        found += counts_asked(text, analysis)
    if analysis.unit:
        # "How many hours…": a count of hours, not of libraries.
        return bool(re.search(rf"\b\d[\d,.]*\s*(?:\w+\s+)?{analysis.unit[:-1]}s?\b", text, re.IGNORECASE))
    if analysis.wants_money:
        money = any(is_sum(f) for f in found) or bool(_MONEY_WORDS.search(text)) \
            or bool(found and _MONEY_COLUMNS.search(table))  # "High Needs Block 345.5 …" under "2025-26 £m | …"
        # "How much did the council pay …": a sum paid, not one saved.
        return money and (not analysis.money_kind
                          or bool(_MONEY_KIND_WORDS[analysis.money_kind].search(f"{text} {table}")))
    if analysis.wants_percent:
        return gives_share(text)
    return bool(found)


# A table row's cell under a money column, as rows are written ("… | 2025-26 £000's: -16.6 | …").
_MONEY_CELL = re.compile(r"[^|:]*[£$€][^|:]*:\s*[-+−]?[\d.,]+")
_DURATION = re.compile(r"\b\d[\d,.]*\s*-?\s*(?:years?|months?|weeks?|days?|hours?|minutes?)\b", re.IGNORECASE)


_MONEY_KIND_WORDS = {
    "paid": re.compile(r"\b(pay|paid|payment|fee|cost|contract|price|tax|charge|levy|rent)\b", re.IGNORECASE),
    "saved": re.compile(r"\b(sav\w*|reduc\w*|cut)\b", re.IGNORECASE),
    "spent": re.compile(r"\b(spen\w*|expenditure|cost)\b", re.IGNORECASE),
    "invested": re.compile(r"\b(invest\w*|capital|fund\w*)\b", re.IGNORECASE),
}
_MONEY_COLUMNS = re.compile(r"[£$€]\s?(?:m|bn|k|p|000s?)\b|[£$€]\s?['’]000|\([£$€]\)", re.IGNORECASE)  # £p: pence
# A sum, or a share of one ("spend on agency employees … was 9.26% of the total staffing budget").
_MONEY_WORDS = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(million|billion|thousand|pounds)\b|\b\d[\d.]*\s?%\s+of\s+"
                          r"(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?:budgets?|spend|spending|expenditure|income|"
                          r"costs?|funding)\b", re.IGNORECASE)


# What a count's things had done to them, after the thing counted: "102 pupils were permanently excluded".
_DONE_TO = re.compile(r"^\S+\s+(?:were|was|are|is|have been|has been|had been)\s+(?:\w+ly\s+)?([a-z]+ed)\b")


def _counts_of_some(text: str, analysis: QuestionAnalysis) -> set[str]:
    """Counts of only some of what a "how many" question counts: those that something was done to which the
    question does not ask about ("102 pupils were permanently excluded" for "how many pupils are there in Kent
    schools?"); not "4,512 potholes were repaired" for "how many potholes were repaired …"."""
    noun = analysis.counted_noun
    if not noun:
        return set()
    asked = {stem(w) for w in analysis.asked_words}
    out = set()
    for count, after in counts_of(text):
        done = _DONE_TO.match(after)
        if holds(after.split(" ", 1)[0], noun, analysis.learned) and done and stem(done.group(1)) not in asked:
            out.add(count.lower())
    return out


def counts_asked(text: str, analysis: QuestionAnalysis, in_figures: bool = False) -> list[str]:
    """Counts written as words of what a "how many" question counts: "seven" in "the creation of seven local
    partnerships" for "how many local partnerships …", "nine" in "nine indicators" for "how many KPIs …" (the long form
    the papers define); not "eight" in "purchased eight electric vehicles" for "how many … charging points". With
    `in_figures`, counts in figures too ("38¹ indicators")."""
    noun = analysis.counted_noun
    if not noun:
        return []
    counts = counts_of(text) if in_figures else counts_in_words(text)
    return [count for count, after in counts if holds(after, noun, analysis.learned)]
