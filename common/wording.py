"""The papers' words for what people say plainly: "homes" are "dwellings" in a local plan, "staff" are
"employees" in a budget.

A question in the asker's own words shares few words with the sentence that answers it, and the lexical side
of retrieval and evidence selection only sees shared words. Each group below is one thing, named the ways
council papers and their readers name it; a question's word also matches a sentence holding another word of
its group. Kept to groups whose words mean the same thing in council papers whichever one is used (not
"money" for "budget": a budget is not any money). What the papers themselves define ("Key Performance
Indicators (KPIs)") is read from them (`assistant.glossary`) and passed in as a question's `learned`
equivalents. Read by retrieval (the lexical search) and evidence selection (which of the question's words a
sentence holds).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from common.text import stem

_GROUPS = (
    ("homes", "houses", "dwellings", "housing"),
    ("staff", "employees", "workforce"),
    ("pay", "salary", "salaries", "remuneration"),
    ("councillors", "members"),
    ("roads", "highways"),
    ("bins", "refuse"),
    ("jobs", "employment"),
    ("shops", "retail"),
    ("kids", "children"),
    ("cars", "vehicles"),
    ("rules", "regulations"),
    ("flooding", "flood"),
    ("selling", "sale", "sales", "disposal", "disposals"),
)


@lru_cache(maxsize=1)
def _by_word() -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for group in _GROUPS:
        for word in group:
            out[word] = tuple(w for w in group if w != word)
    return out


def equivalents(term: str) -> tuple[str, ...]:
    """The other words the papers use for `term` (a lower-case query term), none when it has no group."""
    by_word = _by_word()
    return by_word.get(term) or by_word.get(term.rstrip("s")) or by_word.get(term + "s") or ()


def holds(lower: str, term: str, learned: Mapping[str, tuple[str, ...]] | None = None) -> bool:
    """Whether lower-cased text holds a query term, or another word of its group ("dwellings" for "homes"), or what
    the papers define it as (`learned`, a question's: "key performance indicators" for "kpis")."""
    return _held(lower, stem(term)) or any(_held(lower, stem(word)) for word in equivalents(term)) \
        or any(_phrase(form).search(lower) for form in (learned or {}).get(term, ()))


def _held(lower: str, stemmed: str) -> bool:
    """The stem at the start of a word of the text ("get", the GET directorate, is not in "budgets"), not only as the
    opposite it names after "non-" ("non-UASC children" are not UASC)."""
    if stemmed not in lower:
        return False
    return any((i == 0 or not lower[i - 1].isalnum()) and not lower.endswith(("non-", "non ", "non‐"), 0, i)
               for i in _starts(lower, stemmed))


def _starts(lower: str, part: str) -> list[int]:
    found, i = [], lower.find(part)
    while i >= 0:
        found.append(i)
        i = lower.find(part, i + 1)
    return found


def with_equivalents(terms: list[str], learned: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """The terms, each followed by the papers' other words for it: what the lexical search looks for."""
    return list(dict.fromkeys(word for term in terms for word in (
        term, *equivalents(term), *(w for form in (learned or {}).get(term, ()) for w in form.split()))))


# A verb and its particle ("called in", "signed off", "opted out"): papers name the act by the two as one noun ("the
# call-in", "sign-off", "an opt-out").
# (A past form ends in "ed", or "d" after an "e": "phased out"; "hand off" is no "han" + "d".)
_PHRASAL = re.compile(r"\b([a-z]{2,}?)(ed|(?<=e)d)?\s+(in|off|out|up|back|over|down)\b", re.IGNORECASE)


def phrasal_nouns(question: str, terms: list[str]) -> dict[str, tuple[str, ...]]:
    """For each of the question's terms that is a verb with its particle, the noun the two make: "called" (in "who
    called in the decision?") -> "call-in"."""
    out: dict[str, tuple[str, ...]] = {}
    for match in _PHRASAL.finditer(question):
        verb = match.group(0).split()[0].lower()
        if verb in terms and match.group(2):
            base, particle = match.group(1).lower(), match.group(3).lower()
            out[verb] = tuple(dict.fromkeys((f"{base}-{particle}", f"{base}e-{particle}")))
    return out


def merged(*learned: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Equivalents from several sources, each term's in order, once."""
    out: dict[str, tuple[str, ...]] = {}
    for source in learned:
        for term, forms in source.items():
            out[term] = tuple(dict.fromkeys((*out.get(term, ()), *forms)))
    return out


@lru_cache(maxsize=1024)
def _phrase(form: str) -> re.Pattern[str]:
    """A defined name as its words in order, singular or plural, whatever the spacing or punctuation between them,
    "&" or "and" alike ("Children, Young People & Education"). Each word whole but for a plural "s": a name's word cut
    to a stem is another word ("indicators" is not "indicating")."""
    return re.compile(r"\b" + r"\W+".join("(?:and|&)" if w in ("and", "&") else re.escape(w.removesuffix("s")) + r"s?"
                                          for w in form.split()) + r"\b")
