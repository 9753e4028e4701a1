"""A follow-up that is only a question word: "Why?", "When?", "Where?" of what the previous answer gave.

"Which directorate is overspending the most?" was answered "Overspends are being reported in Adult Social Care &
Health (+£35.4m), …"; a next "Why?" (or "Why is that?", "How come?") means "Why is Adult Social Care & Health
overspending the most?". After "Did the council adopt the Kent Minerals and Waste Local Plan?", "When?" means "When
did the council adopt …?". Asked alone, the word has nothing to search with. The previous question is turned into
its why (when, where) form: a "which X" question with the name its answer gave first in place of the X, a "how
much" question without the amount (for "why" only), a yes/no question as it stands. A question that cannot be turned
so is left as it was.
"""

from __future__ import annotations

import re

QUESTION_WORD_ALONE = re.compile(
    r"^\s*(?:and\s+|but\s+|so\s+)?(?P<word>why|how come|for what reason|what(?:['’]s| is| was) the reason|when|where)"
    r"(?:\s+(?:is|was|were|are|did|does)\s+(?:that|this|it|they)(?:\s+so)?)?\s*\??\s*$", re.IGNORECASE)
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


# What each question word asks about, as a refusal says it lacks ("… does not say what it asks the time of").
ASKS_ABOUT = {"Why": "the reason for", "When": "the time of", "Where": "the place of"}


def word_alone(question: str) -> str:
    """"Why", "When" or "Where" when the question is only that word ("How come?" is "Why"); "" otherwise."""
    alone = QUESTION_WORD_ALONE.match(question)
    if alone is None:
        return ""
    word = alone.group("word").lower()
    return word.capitalize() if word in ("when", "where") else "Why"


def asked_of(question: str, previous_question: str, previous_answer: str) -> str:
    """The why (when, where) the follow-up `question` asks of the previous question and its answer; "" when it asks
    more than the question word, or the previous question cannot be turned."""
    word = word_alone(question)
    if not word:
        return ""
    which = _WHICH.match(previous_question)
    if which:
        value = answer_value(previous_question, previous_answer)
        return f"{word} {which.group('verb').lower()} {value} {which.group('rest')}?" if value else ""
    # ("How much is Kent overspending?" has a why; its when and where are the question's own.)
    turned = (_HOW_MUCH.match(previous_question) if word == "Why" else None) or _YES_NO.match(previous_question)
    if turned:
        return f"{word} {turned.group('verb').lower()} {turned.group('rest')}?"
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
