"""What kind of answer a question wants: a single fact (lookup), a list, a summary, a comparison or a yes/no judgement.

Read once, by the question analysis (`assistant.analysis`), from the question's wording and what it names; retrieval,
the context, refusal and composition branch on it ("list the key recommendations …" gets the whole list, "compare
the two peer challenges" a block per paper).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TYPE_CHECKING

from assistant.catalogue import Catalogue
from assistant.cues import (
    ASKED_TO,
    COMPARE_CUE,
    JUDGEMENT_CUE,
    LIST_CUE,
    LIST_NOUNS,
    LIST_VERB,
    MEMBERS_ASKED,
    NOT_LISTS,
    ON_A_LIST,
    PART_JOIN,
    PLURAL_ASKED,
    REASONS_ASKED,
    SUMMARY_CUE,
    SUMMARY_OF_PAPER,
    VERB_NOUNS,
    WHICH_COUNCIL,
)
from assistant.sides import names_two_papers, since_sides
from common.text import WEAK_WORDS, query_terms

if TYPE_CHECKING:
    from assistant.question import QuestionAnalysis


class Intent(StrEnum):
    LOOKUP = "lookup"
    LIST = "list"
    SUMMARY = "summary"
    COMPARISON = "comparison"
    JUDGEMENT = "judgement"  # yes/no: "Was Derby behind other councils…?"


def read_intent(question: str, content: list[str], analysis: QuestionAnalysis, catalogue: Catalogue
                ) -> tuple[Intent, str]:
    """The kind of answer a question wants, and the noun of the list it asks for ("recommendations"; "" when none).
    `content`: its content terms; `analysis`: what it wants back and names, read already."""
    if analysis.wants_contact:
        return Intent.LOOKUP, ""  # "what are the contact details …": one paper's contact block, not a list
    lowered = question.lower()
    plural = PLURAL_ASKED.match(question)
    asked = plural.group("noun").lower() if plural and plural.group("noun").lower() not in WEAK_WORDS else ""
    # Not a word of a paper's title ("the Preferred Options Local Plan" asks for no options).
    list_noun = asked if asked in LIST_NOUNS else next((t for t in query_terms(lowered) if t in LIST_NOUNS
                                                        and t not in analysis.naming_terms), "")
    verb = LIST_VERB.search(question)
    if verb and not list_noun:
        list_noun = VERB_NOUNS[(verb.group(1) or verb.group(2)).lower()]
    if verb and not (analysis.wants_figure or analysis.wants_date) and not COMPARE_CUE.search(question):
        return Intent.LIST, list_noun  # "what did the peer team recommend": their recommendations
    if MEMBERS_ASKED.search(question):
        return Intent.LIST, list_noun or "members"
    if REASONS_ASKED.search(question) and not (analysis.wants_figure or analysis.wants_date):
        return Intent.LIST, "reasons"
    if ASKED_TO.search(question):
        return Intent.LIST, "recommendations"  # what a meeting is asked to decide is the report's recommendations
    if COMPARE_CUE.search(question) and not REPORTED_COMPARISON.search(question) \
            or councils_side_by_side(question, analysis, catalogue) \
            or names_two_papers(analysis, catalogue.documents) or WHICH_COUNCIL.search(question) \
            or since_sides(question, catalogue):
        return Intent.COMPARISON, list_noun
    if analysis.asks_view and not content and analysis.clearly_named_docs:
        return Intent.SUMMARY, ""  # "What did the inspector say about the Minerals and Waste Plan?": all of it
    # (The summary's own words are not what it is of: "the main points from the Leader's report" is of his report.)
    summary = SUMMARY_CUE.search(question)
    if summary and len(set(content) - set(query_terms(summary.group()))) <= 3 or SUMMARY_OF_PAPER.search(question):
        return Intent.SUMMARY, ""
    if list_noun and (LIST_CUE.search(question) or list_noun.endswith("s") and not analysis.wants_figure
                      and not JUDGEMENT_CUE.search(question)) \
            and not (analysis.wants_date or analysis.wants_name or analysis.wants_status):
        return Intent.LIST, list_noun
    if LIST_CUE.search(question) and re.match(r"^\s*(list|name|enumerate|set out)\b", question, re.I) \
            or ON_A_LIST.search(question):
        return Intent.LIST, list_noun
    if asked and asked not in NOT_LISTS and not (
            analysis.wants_figure or analysis.wants_date or analysis.wants_name or analysis.wants_status):
        return Intent.LIST, asked
    if JUDGEMENT_CUE.search(question):
        return Intent.JUDGEMENT, ""
    return Intent.LOOKUP, ""


# A comparison someone made, asked for as what they said: "how did members say Kent's funding compares with
# Birmingham's?" is answered by the sentence recording it, not by sides searched one by one (two councils or papers
# named as such still are: `councils_side_by_side`, `names_two_papers`).
REPORTED_COMPARISON = re.compile(r"\b(?:say|says|said|tell|told|note|noted|argue|argued)\s+(?:that\s+)?(?:[\w'’-]+\s+)"
                                 r"{1,6}?(?:compares?|compared)\b", re.IGNORECASE)


def councils_side_by_side(question: str, analysis: QuestionAnalysis, catalogue: Catalogue) -> bool:
    """Two councils named as councils ("Derby City in 2017 or Derbyshire County in 2018"), or each in its own
    part of the question ("… in Derby City in 2017, and how does … describe Derbyshire's …"); not a place
    beside a council ("Oxfordshire County Council's proposed Souldern 20mph order": no parish council side)."""
    if len(analysis.explicit_councils) >= 2:
        return True
    by_part = [catalogue.councils_named(clause) for clause in PART_JOIN.split(question)]
    return len(by_part) >= 2 and len({c for named in by_part for c in named}) >= 2 \
        and all(len(named) <= 1 for named in by_part)
