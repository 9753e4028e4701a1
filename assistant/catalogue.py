"""How a question names councils and papers, read against the index's catalogue.

"Derby City" is Derby City Council, "Derbyshire" the county council and not Derbyshire Dales, "the 2018 peer
challenge" and "the section 25 statement" each pick out one paper. The question analyser (`assistant.analysis`)
and the conversation (`assistant.conversation`) both ask the catalogue, so a follow-up's councils and papers
are read the same way as a first question's.
"""

from __future__ import annotations

import math
import re

from assistant.cues import (
    BODY_NOUN,
    BODY_WORDS,
    COUNCIL_KINDS,
    COUNCIL_NAME,
    COUNCIL_WORDS,
    MONTHS,
    PAPER_KIND_WORDS,
    flat_words,
)
from common.text import STOPWORDS, YEAR_WRITTEN, one_year_form, query_terms, words
from common.types import DocumentRecord

# A council named by its kind alone: "the parish council", "our district council".
_THE_KIND_OF_COUNCIL = re.compile(rf"\b(?:the|our|its|this)\s+({'|'.join(sorted(COUNCIL_KINDS))})\s+council\b",
                                  re.IGNORECASE)
ALIKE = 0.05  # papers whose naming weights differ by less are named alike
OTHER_KIND = 0.9  # a paper named alike with another, but of a kind the question does not say


class Catalogue:
    """The index's papers as names: the words that name each paper, its title words and kind, the councils."""

    def __init__(self, documents: list[DocumentRecord]) -> None:
        self.documents = {d.doc_id: d for d in documents}
        self.naming = {d.doc_id: _naming_tokens(d) for d in documents}
        self.titles = {d.doc_id: ({singular(t) for t in query_terms(f"{d.title} {d.short_title}")}
                                  | _quarters(d.title)) - COUNCIL_WORDS - {singular(t) for t in query_terms(d.council)}
                       for d in documents}
        self.councils = sorted({d.council for d in documents if d.council})
        # The words of each council's papers' titles: "the Broads Core Strategy" names the Broads Authority.
        self.title_words: dict[str, set[str]] = {c: set() for c in self.councils}
        for d in documents:
            if d.council:
                self.title_words[d.council] |= {w.lower() for w in re.findall(r"[A-Za-z]+", d.title)}
        # Every word of the title and kind, "report" too (a stopword for searching, but it says what a paper is).
        self.kinds = {d.doc_id: {singular(t) for t in words(f"{d.title} {d.document_type}".lower())}
                      & PAPER_KIND_WORDS for d in documents}
        self.written = {d.doc_id: _when_written(d) for d in documents}
        # Titles as a question may write them out whole (two words or more): read once, not per question.
        self.plain_titles = {d.doc_id: f" {_plain(d.title)} " for d in documents if len(query_terms(d.title)) >= 2}

    def titled_as(self, phrase: str) -> bool:
        """Whether a phrase (as `cues.flat_words`) is in some paper's title."""
        return any(phrase in flat_words(doc.title) for doc in self.documents.values())

    def names_some_paper(self, term: str) -> bool:
        """Whether a question word is one of the words that name a paper (its title, council, year, …)."""
        return any(singular(term) in toks for toks in self.naming.values())

    def named_together(self, a: str, b: str) -> bool:
        """Whether two question words are both words naming one paper."""
        return any(singular(a) in toks and singular(b) in toks for toks in self.naming.values())

    def naming_weights(self, named: set[str], question: str = "") -> dict[str, float]:
        """How strongly the question names each paper: the share of its naming words a paper's name holds,
        each word weighted by how few papers it names ("section 25" picks one paper, "2025-26" many). Of papers
        named alike, one whose kind the question says ("the education commissioning plan report") comes before
        one of another kind (the plan's equality impact assessment)."""
        if not named:
            return {}
        total = len(self.naming) or 1
        idf = {t: math.log((total + 1) / (sum(1 for toks in self.naming.values() if t in toks) + 0.5))
               for t in named}
        mass = sum(idf.values()) or 1.0
        weights = {doc_id: sum(idf[t] for t in named & toks) / mass for doc_id, toks in self.naming.items()}
        # ("report" is no word to search for, so it is read from the question, not from `named`.)
        kinds = _kinds_said(question)
        best = max(weights.values(), default=0.0)
        alike = [d for d, w in weights.items() if w > 0 and w >= best - ALIKE]
        said = {d: len(kinds & self.kinds[d]) for d in alike}
        most = max(said.values(), default=0)
        for d, count in said.items():
            if count < most:
                weights[d] *= OTHER_KIND
        return weights

    def year_not_held(self, question: str) -> str:
        """A paper the question names with a year none of the papers so named is of ("its 2024-25 budget risk
        register" when the register held is 2025-26's), as what is held instead ("Budget Risks Register 2025-26, not
        one of 2024-25"); "" when there is none. Named means: one paper's name holds every naming word written."""
        for match in _YEAR_BEFORE_PAPER.finditer(question):
            year, name = one_year_form(match.group(1)), match.group(2)
            if any(w.lower() in STOPWORDS for w in name.split()):
                continue  # a period, not a paper's year: "over 2018-2037 in the Joint Local Plan"
            named = {singular(t) for t in query_terms(name) if self.names_some_paper(t)}
            weights = self.naming_weights(named, name)
            papers = [d for d, w in weights.items() if w >= 1.0 - 1e-9]
            if named and papers and not any(_of_year(year, self.naming[d] | {self.documents[d].date[:4]})
                                            for d in papers):
                titles = sorted({self.documents[d].title for d in papers})
                return f"{'; '.join(titles)}, not one of {year}"
        return ""

    def unminuted_body(self, question: str) -> bool:
        """Whether the question names a committee, board or panel by its own words ("What did the Scrutiny Committee
        agree?") whose minutes are not among the papers: what it did is read in the papers that report it (the
        call-in report), not in another meeting's minutes (the County Council's on the same decision)."""
        minuted = {w for d in self.documents.values() if d.document_type == "Minutes" for w in meeting_body(d.title)}
        for match in BODY_NOUN.finditer(question):
            named: list[str] = []
            for word in reversed(re.findall(r"[A-Za-z&'’-]+|[^\sA-Za-z]", question[:match.start()])[-4:]):
                if word.lower() in ("and", "&") or word.lower() in MONTHS:
                    continue
                if not word[:1].isalpha() or word.lower() in STOPWORDS or word.lower() in BODY_WORDS:
                    break
                named.append(word.lower())
            if named and not set(named) <= minuted:
                return True
        return False

    def titled(self, terms: list[str], question: str = "") -> list[str]:
        """Papers named by title words, one of them the word for their kind; or by their kind and when they were
        written ("the December 2016 newsletter", whose title has no other word than "Newsletter"). The kind may be
        a word searching drops ("the Q3 performance report"): it is read from the question."""
        asked = {singular(t) for t in terms} | _kinds_said(question)
        dated = [d for d, kinds in self.kinds.items() if asked & kinds and self.written[d] and self.written[d] <= asked]
        return list(dict.fromkeys([*(d for d in self.sharing_title(asked) if asked & self.kinds[d]), *dated]))

    def written_out(self, question: str) -> list[str]:
        """Papers whose whole title (two words or more) the question writes out ("… according to the Economic &
        Fiscal Context"): named beyond doubt, though the title has no word for the paper's kind."""
        asked = f" {_plain(question)} "
        return [d for d, title in self.plain_titles.items() if title in asked]

    def numbered_otherwise(self, word: str, number: str) -> bool:
        """Whether a paper's title gives `word` another number than `number` ("Phase 2" beside "Phase 1")."""
        pattern = re.compile(rf"\b{re.escape(word)}\s+(\d+)\b", re.IGNORECASE)
        return any(m.group(1) != number for d in self.documents.values() for m in pattern.finditer(d.title))

    def names_a_paper(self, text: str) -> bool:
        """Whether the text names a paper by its title ("the Productivity Plan", "the 2018 peer challenge"):
        at least two words of one paper's title (its council's name alone does not name a paper)."""
        return bool(self.sharing_title({singular(t) for t in query_terms(text)}))

    def sharing_title(self, words: set[str]) -> list[str]:
        """Papers two or more of whose title words (not their council's name) are among `words`."""
        return [d for d, toks in self.titles.items() if len(words & toks) >= 2]

    def councils_named(self, text: str, explicit: bool = False) -> list[str]:
        """Councils the text names: catalogue councils by all the distinctive words of their name, and its kind
        if it gives one ("Derby City" is Derby City Council, "Derbyshire" is Derbyshire County Council, not
        Derbyshire Dales), and any other council named in full ("Chesterfield Borough Council").

        A place inside a longer name ("Vision Derbyshire", "Derbyshire Fire and Rescue") or before
        "councils" ("the Derbyshire councils") names no one council."""
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
        found = []
        for name in self.councils:
            parts = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
            distinctive = [w for w in parts if w not in BODY_WORDS]
            if not distinctive or not all(w in words for w in distinctive):
                continue
            kinds = [w for w in parts if w in COUNCIL_KINDS]
            said_kind = [k for k in COUNCIL_KINDS if re.search(rf"\b{distinctive[-1]}\s+{k}\b", text, re.I)]
            if said_kind and kinds and said_kind[0] not in kinds:
                continue  # "Derby City" does not name "Derby County Council"
            if name not in text and not said_kind and (explicit or not _names_alone(text, distinctive,
                                                                                    self.title_words[name])):
                continue
            found.append(name)
        for match in COUNCIL_NAME.finditer(text):
            # A capitalised word before the name is not part of it: "The", "And", or the "Did" that starts a
            # question ("Did Derby City Council think …").
            words = match.group(1).split()
            while len(words) > 2 and words[0].lower() in STOPWORDS:
                words.pop(0)
            other = " ".join(words)
            # Nor a word before a known council's name ("Compare Derbyshire County Council and …").
            if other not in found and not any(other.lower() == c.lower() or other.lower().endswith(" " + c.lower())
                                              for c in self.councils):
                found.append(other)
        if not found:
            # "the parish council", when the papers are of one parish council only: that one.
            for kind in dict.fromkeys(m.group(1).lower() for m in _THE_KIND_OF_COUNCIL.finditer(text)):
                of_kind = self._told_apart([c for c in self.councils if kind in c.lower().split()])
                if len(of_kind) == 1:
                    found.append(of_kind[0])
        # A name inside a longer one ("Derbyshire County Council" in "Derbyshire Dales District Council"
        # would need "dales"): keep the most specific names only.
        return [n for n in found
                if not any(o != n and set(distinctive_words(n)) < set(distinctive_words(o)) for o in found)]

    def _told_apart(self, councils: list[str]) -> list[str]:
        """Councils less a name one letter off another's that more papers give: a scan's misreading ("Soulderm
        Parish Council" beside the thirteen papers of Souldern Parish Council) is no council of its own."""
        papers = {c: sum(1 for d in self.documents.values() if d.council == c) for c in councils}
        return [c for c in councils if not any(papers[o] > papers[c] and one_letter_apart(c, o) for o in councils)]

    def labels(self, doc_ids: list[str]) -> dict[str, str]:
        """Each paper's short title, told apart from the others' (see `distinct_labels`)."""
        return distinct_labels([self.documents[d] for d in doc_ids])


def distinct_labels(documents: list[DocumentRecord]) -> dict[str, str]:
    """Each paper's short title; papers shown together under the same title (a draft budget to Cabinet and the
    final one to County Council: two sides of a comparison, two papers an answer cites) also get their meeting and
    date, so they can be told apart."""
    titles = {d.doc_id: d.short_title or d.title or d.doc_id for d in documents}
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    labels = {}
    for doc in documents:
        title = titles[doc.doc_id]
        where = ", ".join(p for p in (doc.committee or doc.document_type, doc.date) if p)
        labels[doc.doc_id] = f"{title} ({where})" if title in repeated and where else title
    return labels


def _names_alone(text: str, distinctive: list[str], own_titles: set[str]) -> bool:
    """Whether the place words stand for the council in `text`: not inside a longer capitalised name, not
    followed by "councils" (plural), not a part of a name like "Derbyshire Fire and Rescue"; but before the title of
    a paper of the council's (`own_titles`: their words) they do ("the Broads Core Strategy")."""
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in distinctive) + r"\b"
    for match in re.finditer(pattern, text, re.IGNORECASE):
        before = text[:match.start()].rstrip()
        after = text[match.end():]
        prev_word = re.findall(r"([A-Za-z][\w'’-]*)$", before)
        next_word = re.match(r"\s+([A-Za-z][\w'’-]*)", after)
        prev_capital = bool(prev_word) and prev_word[0][:1].isupper() and before and before[-1] not in ".?!:" \
            and prev_word[0].lower() not in _SENTENCE_STARTERS
        next_capital = bool(next_word) and next_word.group(1)[:1].isupper() \
            and next_word.group(1).lower() not in own_titles
        plural = bool(next_word) and next_word.group(1).lower() in ("councils", "authorities")
        if not (prev_capital or next_capital or plural):
            return True
    return False


_SENTENCE_STARTERS = {"what", "which", "how", "when", "who", "why", "where", "did", "does", "do", "is", "was",
                      "were", "are", "has", "have", "had", "and", "in", "for", "compare", "list", "summarise",
                      "summarize", "according", "at", "by", "on", "of", "the", "from", "about", "can", "could",
                      "should", "will", "would", "tell", "give", "show", "between", "with"}


def meeting_body(title: str) -> set[str]:
    """The words of a minutes' title that name its meeting's body ("Minutes of the Cabinet meeting, 30 January
    2025": "cabinet"; "… the County Council meeting …": "county", "council"), without the words every minutes'
    title has, months and figures."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", title)} - _MINUTES_WORDS - set(MONTHS)


_MINUTES_WORDS = frozenset({"minutes", "minute", "of", "the", "meeting", "held", "on", "at", "and"})


def distinctive_words(name: str) -> list[str]:
    """The words of a council's name that tell it from others ("derbyshire", "dales"), lower-cased."""
    return [w.lower() for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in BODY_WORDS]


def _month(doc: DocumentRecord) -> str:
    if len(doc.date) >= 7 and doc.date[5:7].isdigit() and 1 <= int(doc.date[5:7]) <= 12:
        return MONTHS[int(doc.date[5:7]) - 1]
    return ""


def _when_written(doc: DocumentRecord) -> set[str]:
    """The month and year that date a paper ("december", "2016"); empty unless both are known."""
    month = _month(doc)
    return {month, doc.date[:4]} if month and doc.date[:4].isdigit() else set()


# A year written right before a paper's name: "its 2024-25 budget risk register", "the 2019 peer challenge".
_YEAR_BEFORE_PAPER = re.compile(rf"\b({YEAR_WRITTEN})\s+((?:[\w'’&-]+\s+){{0,4}}(?:"
                                + "|".join(sorted(PAPER_KIND_WORDS)) + r")s?)\b", re.IGNORECASE)


def _of_year(year: str, naming: set[str]) -> bool:
    """Whether a paper named by `naming` may be of `year` (a year or a span, as `one_year_form` writes it). A span
    the paper is named by must be the same span; a year must be one the paper is named by or one end of its span; a
    paper named by no year at all may be of any."""
    spans = {form for form in map(one_year_form, naming) if re.fullmatch(r"(?:19|20)\d\d-\d\d", form)}
    years = {t for t in naming if re.fullmatch(r"(?:19|20)\d\d", t)}
    if not spans and not years:
        return True
    if len(year) == 7:
        return year in spans if spans else bool({year[:4], year[:2] + year[5:]} & years)
    return year in years or any(year in (s[:4], s[:2] + s[5:]) for s in spans)


def _naming_tokens(doc: DocumentRecord) -> set[str]:
    """The words that name a paper: its title, council, kind, committee, year and month."""
    text = " ".join([doc.title, doc.short_title, doc.council, doc.document_type, doc.committee, doc.date[:4],
                     _month(doc), doc.decision_number])
    return {singular(t) for t in query_terms(text)} | _quarters(text)


def _kinds_said(question: str) -> set[str]:
    """The words for a paper's kind the question writes, stopwords to searching included ("report", "minutes")."""
    return {singular(w) for w in words(question.lower())} & PAPER_KIND_WORDS


def _quarters(title: str) -> set[str]:
    """"Q3" for a paper titled "… Quarter 3": the way people name quarterly monitoring reports."""
    return {f"q{n}" for n in re.findall(r"\bquarter\s+([1-4])\b", title, re.IGNORECASE)}


def singular(term: str) -> str:
    """"challenges" and "challenge" name the same paper."""
    if len(term) > 4 and term.endswith("s") and not term.endswith("ss") and term.isalpha():
        return term[:-1]
    return term


def _plain(text: str) -> str:
    """Lower-case words only, "&" as "and": a title as a question may write it."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("&", " and ")))


def one_letter_apart(a: str, b: str) -> bool:
    """Whether two names of the same length differ in one letter only (a scan's "Soulderm" for "Souldern")."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1
