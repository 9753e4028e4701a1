"""A follow-up that only asks "Why?": the reason for what the previous answer gave.

"Which directorate is overspending the most?" was answered "Overspends are being reported in Adult Social Care &
Health (+£35.4m), …"; a next "Why?" (or "Why is that?", "How come?") means "Why is Adult Social Care & Health
overspending the most?". Asked alone, "Why?" has nothing to search with. The previous question is turned into its
"why" form: a "which X" question with the name its answer gave first in place of the X, a "how much" question
without the amount, a yes/no question as it stands. A question that cannot be turned so is left as it was.
"""

from __future__ import annotations

import re

WHY_ALONE = re.compile(r"^\s*(?:and\s+|but\s+|so\s+)?(?:why|how come|for what reason|what(?:['’]s| is| was) the "
                       r"reason)(?:\s+(?:is|was|were|are)\s+(?:that|this|it|they)(?:\s+so)?)?\s*\??\s*$",
                       re.IGNORECASE)
_AUX = r"is|are|was|were|has|have|had|did|does|do|will|would|can|could"
_WHICH = re.compile(rf"^\s*(?:and\s+)?(?:which|what)\s+(?P<noun>[a-z][\w-]*)\s+(?P<verb>{_AUX})\s+(?P<rest>[^?]+?)"
                    r"\s*\??\s*$", re.IGNORECASE)
_HOW_MUCH = re.compile(rf"^\s*(?:and\s+)?how much\s+(?P<verb>{_AUX})\s+(?P<rest>[^?]+?)\s*\??\s*$", re.IGNORECASE)
_YES_NO = re.compile(rf"^\s*(?:and\s+)?(?P<verb>{_AUX})\s+(?P<rest>[^?]+?)\s*\??\s*$", re.IGNORECASE)
_QUOTE = re.compile(r"“([^”]+)”")
# A name as a paper writes it: capitalised words, with "&", "and", "of", "the" between them ("Adult Social Care &
# Health", "Growth, Environment & Transport" is two names here, which is as well: the first is the answer).
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w'’-]*(?:\s+(?:&|and|of|the|for|[A-Z][\w'’-]*))*\s+[A-Z][\w'’-]*"
                   r"|(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+[A-Z][\w'’-]*")


def why_of(question: str, previous_question: str, previous_answer: str) -> str:
    """The "why" the follow-up `question` asks of the previous question and its answer; "" when it asks more than
    "why", or the previous question cannot be turned."""
    if not WHY_ALONE.match(question):
        return ""
    which = _WHICH.match(previous_question)
    if which:
        value = answer_value(previous_question, previous_answer)
        return f"Why {which.group('verb').lower()} {value} {which.group('rest')}?" if value else ""
    how_much = _HOW_MUCH.match(previous_question) or _YES_NO.match(previous_question)
    if how_much:
        return f"Why {how_much.group('verb').lower()} {how_much.group('rest')}?"
    return ""


def answer_value(question: str, answer: str) -> str:
    """The name the answer to a "which X" question gives first, in its first quote, that the question did not say
    itself ("Adult Social Care & Health"); "" when it names none."""
    quote = _QUOTE.search(answer)
    if quote is None:
        return ""
    asked = question.lower()
    for match in _NAME.finditer(quote.group(1)):
        name = match.group(0).strip()
        if name.lower() not in asked:
            return name
    return ""
