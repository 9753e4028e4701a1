"""The abbreviations the papers define, so a question in either form finds the sentence in the other.

Council papers spell a name out once, with its short form in brackets ("This report includes 38 Key Performance
Indicators (KPIs)", "the Dedicated Schools Grant (DSG)"), then use either. People ask in either too: "What
percentage of KPIs were green?" is answered by "17 of the 38 indicators are rated as Green". The glossary is read
from the index's own text when its catalogue changes (`assistant.analyzers`), not from a list kept by hand, so it
holds what these papers define and nothing else. The question analysis turns it into the question's own
equivalents (`QuestionAnalysis.learned`), which lexical search and evidence selection read beside the fixed groups
of `common.wording`.

A definition is accepted when the short form's letters are the initials of the words just before the bracket, small
words ("and", "of", "for") optionally skipped or spelling a lower-case letter ("DfE": "Department for Education");
or, in a list of abbreviations, of the capitalised words just after it ("ASCH - Adult Social Care and Health").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from assistant.catalogue import singular
from common.text import query_terms

# A short form: two to eight letters, at least two of them capitals, a plural "s" allowed ("KPIs", "DfE", "CIPFA").
_DEFINED = re.compile(r"\(([A-Z][A-Za-z&]{1,7})\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*|&")
_LOWER_WORD = re.compile(r"\b[a-z]{2,9}\b")
_SMALL = frozenset({"and", "of", "for", "the", "&", "in", "on", "to", "at"})
# Sentence or line ends before the bracket: the long form does not reach back across them.
_BREAK = re.compile(r"[.;:!?\n()]")


def _letters(short: str) -> str:
    """A short form's letters, without a plural "s" ("KPIs" -> "KPI")."""
    return short[:-1] if len(short) > 2 and short.endswith("s") and short[:-1].isupper() else short


def short_key(short: str) -> str:
    """The lookup form of a short form: lower-cased, a plural "s" dropped ("KPIs" -> "kpi")."""
    return _letters(short).lower()


def long_form(short: str, before: str) -> str:
    """The words just before "(SHORT)" that it abbreviates, or "" when its letters are not their initials."""
    letters = _letters(short)
    if sum(ch.isupper() for ch in letters) < 2:
        return ""  # "(Chairman)", "(Labour)": a word, not a short form
    words = _WORD.findall(_BREAK.split(before)[-1])[-(len(letters) + 4):]
    start = _align(letters.lower(), [w.lower() for w in words])
    if start is None or len(words) - start < 2:
        return ""
    return " ".join(words[start:])


# A line of a list of abbreviations: the short form, then its words ("ASCH - Adult Social Care and Health CYPE - …",
# "AONB Area of Outstanding Natural Beauty BNG Biodiversity Net Gain …").
_LISTED = re.compile(r"(?<![\w&])([A-Z][A-Z&]{1,7})\s*[-–:]?\s+(?=[A-Z][a-z])")


def listed_form(short: str, after: str) -> str:
    """The capitalised words just after a listed SHORT that it abbreviates, or "" when its letters are not the
    initials of the first of them."""
    words: list[str] = []
    for word in _WORD.findall(_BREAK.split(after)[0].replace(",", " ")):
        if word.isupper() and len(word) > 1 and word != "&":
            break  # the next short form of the list
        if not (word[0].isupper() or word.lower() in _SMALL):
            break
        words.append(word)
    for end in range(2, min(len(words), len(short) + 4) + 1):
        if words[end - 1].lower() not in _SMALL and _align(short.lower(), [w.lower() for w in words[:end]]) == 0:
            return " ".join(words[:end])
    return ""


def _align(letters: str, words: list[str]) -> int | None:
    """The index of the first word of the shortest run of words ending the list whose initials spell `letters`."""

    def back(li: int, wi: int) -> int | None:
        if li < 0:
            return wi + 1
        if wi < 0:
            return None
        word = words[wi]
        if li == 0 and word in _SMALL and wi > 0:
            # A name does not start with a small word: "Office of Budget Responsibility (OBR)", not "of …".
            found = back(li, wi - 1)
            if found is not None:
                return found
        if word[0] == letters[li]:
            found = back(li - 1, wi - 1)
            if found is not None:
                return found
        return back(li, wi - 1) if word in _SMALL and li < len(letters) - 1 else None

    return back(len(letters) - 1, len(words) - 1)


class Glossary:
    """Short form -> the long forms the papers give it (lower-cased), read from the papers' text."""

    def __init__(self, entries: dict[str, set[str]], words: set[str] | None = None) -> None:
        self.entries = {short: sorted(forms) for short, forms in entries.items()}
        self.words = words or set()
        self._heads: dict[str, set[str]] = defaultdict(set)
        for short, forms in self.entries.items():
            for form in forms:
                self._heads[_head(form)].add(short)
        # Each long form as a question's terms would spell it, read once, not for every question.
        self._spelled = [(short, " ".join(query_terms(form)), query_terms(form))
                         for short, forms in self.entries.items() for form in forms]

    @classmethod
    def read(cls, texts: Iterable[str]) -> Glossary:
        entries: dict[str, set[str]] = defaultdict(set)
        lower_words: set[str] = set()
        for text in texts:
            lower_words.update(_LOWER_WORD.findall(text))
            for match in _DEFINED.finditer(text):
                form = long_form(match.group(1), text[max(0, match.start() - 200):match.start()])
                if form:
                    entries[short_key(match.group(1))].add(form.lower())
            for match in _LISTED.finditer(text):
                form = listed_form(match.group(1), text[match.end():match.end() + 200])
                if form:
                    entries[short_key(match.group(1))].add(form.lower())
        # Short forms the papers also use as plain words ("made", "send", "lift"): such a word in a question is
        # read as the short form only when the question writes it in capitals.
        return cls(entries, {s for s in entries if s in lower_words or s + "s" in lower_words})

    def equivalents(self, question: str, terms: list[str]) -> dict[str, tuple[str, ...]]:
        """For each of the question's terms, what the papers also call it: a short form's long forms (and their
        head noun alone, "indicators" for "KPIs", when it names a class of things and no other defined name ends
        in it); each word of a long form the question spells out, its short form ("dedicated schools grant":
        "dsg")."""
        out: dict[str, list[str]] = defaultdict(list)
        for term in terms:
            key = self._key(term)
            if key is None or (key in self.words and not _written_short(question, term)):
                continue  # "made" asked as a word, not as the "MADE" programme
            for form in self.entries[key]:
                out[term].append(form)
                # A class of things ("Key Performance Indicators") is referred to by its head noun ("17 of the 38
                # indicators"); an organisation's ("Care Quality Commission") is not safe to: "commissioning".
                head = _head(form)
                if form.endswith("s") and not form.endswith("ss") and self._heads.get(head) == {key}:
                    out[term].append(form.split()[-1])
        flat = " ".join(query_terms(question))
        for short, spelled, form_terms in self._spelled:
            if spelled and re.search(rf"\b{re.escape(spelled)}s?\b", flat):
                for word in form_terms:
                    if word in terms:
                        out[word].append(short)
        return {term: tuple(dict.fromkeys(forms)) for term, forms in out.items()}

    def defines(self, term: str) -> bool:
        """Whether a question word is a short form the papers define ("asch", "kpis")."""
        return self._key(term) is not None

    def _key(self, term: str) -> str | None:
        """The entry a question word is the short form of ("kpis" -> "kpi"), or None."""
        for key in (short_key(term), term.rstrip("s")):
            if key in self.entries:
                return key
        return None

    def __len__(self) -> int:
        return len(self.entries)


def _written_short(question: str, term: str) -> bool:
    """Whether the question writes `term` in capitals, as a short form ("KPIs", "SEND")."""
    return any(sum(ch.isupper() for ch in w) >= 2 for w in re.findall(r"[A-Za-z&]+", question)
               if w.lower() == term)


def _head(form: str) -> str:
    """The last word of a long form, singular: "key performance indicators" -> "indicator"."""
    return singular(form.split()[-1])
