"""Rule-based rewriting of follow-up questions into standalone ones (the extractive mode's way).

"What about Derby City?" after "How much did Derbyshire County Council save between 2010 and 2018?"
becomes "How much did Derby City save between 2010 and 2018?"; "And how big was its capital
programme?" gets the previous question's names and years appended so retrieval can find them.
"""

from __future__ import annotations

import re

_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(?:for\s+|in\s+)?(?P<subject>.+?)\s*\??\s*$",
                         re.IGNORECASE)
_FOLLOWUP_CUE = re.compile(r"^\s*(and|also|but|so|what about|how about|then)\b|\b(it|its|they|their|them|that|"
                           r"this|those|these|there|same|over that period|the council)\b", re.IGNORECASE)
_ENTITY = re.compile(r"\b(?:[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)*(?:\s+(?:City|County|District|Borough|Parish|"
                     r"Town)\s+Council)?)\b|\b(?:19|20)\d\d(?:/\d\d)?\b|£\d[\d,.]*\w*")
_QUESTION_WORDS = {"what", "how", "when", "which", "who", "why", "where", "did", "does", "do", "is", "are", "was",
                   "were", "and", "in", "the", "according", "between"}


def entities(text: str) -> list[str]:
    found = []
    for match in _ENTITY.finditer(text):
        value = match.group(0)
        if value.lower() not in _QUESTION_WORDS:
            found.append(value)
    return list(dict.fromkeys(found))


def is_followup(question: str) -> bool:
    return bool(_FOLLOWUP_CUE.search(question)) or len(question.split()) <= 4


def rewrite(question: str, history: list[str]) -> str:
    """A standalone question; unchanged when there is no history or it already stands alone."""
    previous = next((h for h in reversed(history) if h.strip()), "")
    if not previous or not is_followup(question):
        return question
    match = _WHAT_ABOUT.match(question)
    if match:
        subject = match.group("subject")
        prev_entities = [e for e in entities(previous) if not re.match(r"^(19|20)\d\d|£", e)]
        if prev_entities:
            # Swap the previous question's main subject (the longest name) for the new one.
            target = max(prev_entities, key=len)
            return previous.replace(target, subject, 1)
        return f"{previous.rstrip('?')} — {subject}?"
    context = [e for e in entities(previous) if e.lower() not in question.lower()]
    if not context:
        return question
    return f"{question.rstrip().rstrip('?')} ({', '.join(context)})?"
