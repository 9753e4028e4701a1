"""A follow-up that names only what changes: "And in 2018?", "What about Derby City?", "And in children's services?".

Such a follow-up asks the previous question again with one thing swapped: its year for the new year, the council it
named for the new council, or the thing it asked of for the new thing. "What is the forecast overspend in adult
social care at quarter 3?" then "And in children's services?" means "What is the forecast overspend in children's
services at quarter 3?": the phrase after the same word ("in") is the one swapped. Without such a word ("What about
governance?") the previous question's only phrase of that kind is, or the one sharing a word with the new one
("quarter 2" for "quarter 3"); when that is not clear, nothing is swapped and the follow-up is read as it stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.cues import PREPOSITION_PHRASE
from common.text import YEAR_IN_TEXT, query_terms

WHAT_ABOUT = re.compile(r"^\s*(?:and\s+|but\s+)?(?:what|how)\s+(?:about|of)\s+(?:(?P<xprep>for|in|on)\s+)?"
                        r"(?P<x>.+?)\s*\??\s*$"
                        r"|^\s*(?:and|also|same for)\s+(?:(?P<yprep>for|in|on)\s+)?(?P<y>(?!(?:what|which|how|who|"
                        r"when|why|where|did|does|do|is|was|were|are|has|have|had|can|could|should|will|would)\b)"
                        r"(?:[\w'’/&-]+\s*){1,6}?)\s*\?\s*$", re.IGNORECASE)


def asked_again(question: str, base: str, councils_named: Callable[[str], list[str]],
                mention: Callable[[str], str]) -> str:
    """`base` (the previous question as understood) with what `question` names in place of its counterpart; "" when
    `question` is not of this kind or its counterpart is not clear. `mention` gives how `base` names the council
    the conversation is about ("" when it names none)."""
    match = WHAT_ABOUT.match(question)
    if not match:
        return ""
    subject = (match.group("x") or match.group("y") or "").strip().rstrip("?")
    preposition = (match.group("xprep") or match.group("yprep") or "").lower()
    new_years = YEAR_IN_TEXT.findall(subject)
    old_years = YEAR_IN_TEXT.findall(base)
    if new_years and old_years:
        return base.replace(old_years[0], new_years[0], 1)
    if new_years:
        return f"{base.rstrip(' ?')} in {new_years[0]}?"
    new_councils = councils_named(subject)
    target = mention(base)
    if target and new_councils:
        return base.replace(target, new_councils[0], 1)
    span = None if new_councils else _counterpart(base, subject, preposition) or _named_counterpart(base, subject)
    if span is not None:
        return f"{base[:span[0]]}{subject}{base[span[1]:]}"
    return base.replace(target, subject, 1) if target else ""


# A name: capitalised words ("Adult Social Care & Health"), a short form ("CYPE").
_NAME = r"[A-Z][\w'’&-]*(?:\s+(?:&\s+)?[A-Z][\w'’&-]*)*"


def _named_counterpart(base: str, subject: str) -> tuple[int, int] | None:
    """Where the previous question's only name is, for a follow-up that is only a name: "And ASCH?" after "How much is
    CYPE forecast to overspend?". Not the question's first word, which is capitalised whatever it is."""
    if not re.fullmatch(_NAME, subject.strip()):
        return None
    names = list(re.finditer(rf"(?<=\s){_NAME}", base))
    return (names[0].start(), names[0].end()) if len(names) == 1 else None


def _counterpart(base: str, subject: str, preposition: str) -> tuple[int, int] | None:
    """Where in `base` the phrase is that `subject` takes the place of: after the same preposition, or sharing a word
    with it, or the only one; not a year's ("in 2024-25")."""
    found = [m for m in PREPOSITION_PHRASE.finditer(base)
             if not YEAR_IN_TEXT.search(m.group("phrase")) and query_terms(m.group("phrase"))]
    if preposition:
        found = [m for m in found if m.group("prep").lower() == preposition]
    words = set(query_terms(subject))
    sharing = [m for m in found if words & set(query_terms(m.group("phrase")))]
    chosen = sharing[0] if len(sharing) == 1 else found[0] if len(found) == 1 else None
    if chosen is None:
        return None
    # The phrase itself, without the space before the next word.
    return chosen.start("phrase"), chosen.start("phrase") + len(chosen.group("phrase").rstrip())
