"""A question that asks two things, read as two: "…how many members voted for the motion, and who abstained?".

Each part is analysed on its own (what it asks for, the words to look for) and answered part by part; a later part
that has no subject of its own is about the first part's ("which directorate is the main cause" of the overspend).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.cues import PART_JOIN
from common.text import WEAK_WORDS

if TYPE_CHECKING:
    from assistant.question import QuestionAnalysis


def asked_in_parts(question: str, analyse: Callable[[str], QuestionAnalysis]) -> list[QuestionAnalysis]:
    """The questions a question joins with "and" ("…how many members voted for the motion, and who
    abstained?"), each with words of its own to look for; none when it asks one thing."""
    clauses = [c.strip(" ,?") for c in PART_JOIN.split(question)]
    if len(clauses) < 2:
        return []
    parts = [analyse(clause) for clause in clauses]
    if not [t for t in parts[0].terms + parts[0].naming_terms if t not in WEAK_WORDS]:
        return []
    named = [set(part.clearly_named_docs) for part in parts]
    if all(named) and all(not a & b for i, a in enumerate(named) for b in named[i + 1:]):
        for part in parts:
            part.own_paper = True
    kept = [parts[0]]
    for part in parts[1:]:
        if not [t for t in part.terms if t not in WEAK_WORDS] and not (
                part.asks_view or part.wants_figure or part.wants_date or part.wants_frequency or part.wants_name
                or part.wants_status):
            continue  # "… and why?": nothing to look for beyond the first part
        # A later part is about what the first is about: "which directorate is the main cause" (of the
        # overspend), "what did she conclude" (on the plan).
        # Unless each part names its own paper: then each asks about its paper.
        if not part.own_paper:
            part.terms = part.terms + [t for t in parts[0].terms + parts[0].naming_terms if t not in part.terms]
        kept.append(part)
    return kept if len(kept) >= 2 else []
