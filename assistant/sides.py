"""The sides of a comparison: which papers each side of "compare …" covers, and how it is labelled.

Read by the question analysis (`assistant.analysis`) when a question compares: councils named ("Derby City in 2017
or Derbyshire in 2018"), papers named by year ("the 2018 peer challenge and the 2020 Cabinet report"), papers of one
year told apart by their meetings' months ("the January draft budget … the final budget report in February"), the
papers of the kind named ("the two peer challenges"), or a paper and its council's papers since ("… since the 2018
peer challenge"). And what a comparison asks of every side (`side_terms`), searched in each side's papers by the
context builder (`assistant.context`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.catalogue import Catalogue, singular
from assistant.cues import (
    AGENT_WORDS,
    COMPARE_WORDS,
    MONTH_NAMED,
    MONTHS,
    RELATION_BETWEEN,
    ROLE_OF_VERB,
    SIDE_POINTER_WORDS,
    SINCE_PAPER,
    VERDICT_ASKED,
    WHICH_COUNCIL,
)
from common.text import name_phrases, query_terms
from common.types import DocumentRecord

if TYPE_CHECKING:
    from assistant.question import QuestionAnalysis

MOST_SIDES = 4  # more papers or councils than this is no comparison an answer can lay side by side
STRONGLY_NAMED = 0.6  # a paper is named by words that hold at least this share of their naming weight


@dataclass
class Side:
    """One side of a comparison: a label for the answer and the papers it covers."""

    label: str
    doc_ids: list[str]
    named_by: str = ""  # the question's words that name it, when they are no topic ("the peers visited in 2018")
    # What this side is, when the sides are two things of the same papers ("sharp sand and gravel" beside "soft
    # sand"): searched for in this side only, beside what is asked of both.
    topic: str = ""


def comparison_sides(question: str, analysis: QuestionAnalysis, catalogue: Catalogue) -> list[Side]:
    """The sides of a comparison: councils named (each with the papers of it the question points at), or every
    council of the papers ("which council had the bigger …"); else the papers named by year ("between the 2018
    peer challenge and the 2020 Cabinet report"), by month, by their titles, or by the kind named ("the two peer
    challenges"); or a paper and its council's papers since ("… since the 2018 peer challenge")."""
    since = since_sides(question, catalogue)
    if since:
        return since
    councils = analysis.councils
    if not councils and WHICH_COUNCIL.search(question):
        # "Which council had the bigger budget gap?": each council whose papers these are (not a ministry's letter).
        councils = [c for c in catalogue.councils if re.search(r"\bcouncil\b", c, re.IGNORECASE)]
        councils = councils if len(councils) <= MOST_SIDES else []
    if len(councils) >= 2 and not related(question, councils, catalogue):
        sides = []
        for council in councils:
            docs = [d for d, doc in catalogue.documents.items() if doc.council == council]
            year = year_after(question, council)
            dated = [d for d in docs if year and catalogue.documents[d].date.startswith(year)]
            sides.append(Side(council, dated or _best_named(docs, analysis.doc_weights)))
        return sides
    years = list(dict.fromkeys(y[:4] for y in analysis.years))
    by_year = [_best_named([d for d in catalogue.documents if catalogue.documents[d].date.startswith(y)],
                           analysis.doc_weights) for y in years]
    if len(years) >= 2 and all(by_year):
        labels = catalogue.labels([docs[0] for docs in by_year if len(docs) == 1])
        return [Side(labels[docs[0]] if len(docs) == 1 else y, docs) for y, docs in zip(years, by_year,
                                                                                        strict=True)]
    by_month = _sides_by_month(question, analysis, catalogue)
    if by_month:
        return by_month
    joined = _joined_sides(question, catalogue)
    if joined:
        return joined
    things = _things_compared(question, analysis)
    if things:
        return things
    # Papers named by title words and kind; the kind may be a word searching drops ("the Q3 performance report").
    titled = catalogue.titled(analysis.naming_terms, question)
    if len(analysis.councils) == 1 and not titled:
        return []  # one council's papers all weigh the same for naming it: that names no two papers
    best = max(analysis.doc_weights.values(), default=0.0)
    strong = [d for d, w in analysis.doc_weights.items() if w >= max(best - 0.05, 0.6)]
    if len(strong) < 2 and titled:
        # Papers named each by its own title ("the Q3 performance report and the Q3 finance monitoring report"):
        # each holds only its share of the question's naming words, so neither weighs near the whole. The one
        # paper named most strongly stays a side though no word for its kind is said ("the Q3 finance
        # monitoring" beside "the draft budget").
        strong = list(dict.fromkeys([*strong, *titled]))
    # A paper filed twice (the same title and meeting) is one side, not two sides that agree word for word.
    copies: dict[tuple[str, str], list[str]] = {}
    for d in sorted(strong, key=lambda d: catalogue.documents[d].date):
        copies.setdefault((catalogue.documents[d].title.lower(), catalogue.documents[d].date), []).append(d)
    titles = {title for title, _ in copies}
    if 2 <= len(titles) < len(copies):
        # Beside another paper, one title at two meetings ("the draft budget": to Cabinet in January, to Council in
        # February) is one side, the paper as it went last; set against itself it stays two (the draft and final).
        latest = {title: (title, date) for title, date in copies}  # sorted by date: the last meeting's stays
        copies = {key: copies[key] for key in latest.values()}
    if 2 <= len(copies) <= MOST_SIDES:
        labels = catalogue.labels([docs[0] for docs in copies.values()])
        filed = [_named_as_filed(analysis, docs, catalogue) for docs in copies.values()]
        shared = set.intersection(*filed)  # "the Q3 performance report and the Q3 finance monitoring": their quarter
        return [Side(labels[docs[0]], docs, " ".join(sorted(words - shared)))
                for docs, words in zip(copies.values(), filed, strict=True)]
    return []


# Two papers named side by side: "the quarter 3 finance monitoring report and the 2025-26 treasury management
# strategy (each say …)", "the budget's economic and fiscal context appendix and the section 25 statement".
_PAPERS_JOINED = re.compile(r"\bthe\s+(?P<pair>[^?,;:]+?\band\s+(?:the\s+)?[^?,;:]+?)(?=\s+(?:each|both|say|says|said|"
                            r"describe|describes|described|put|puts|see|sees|saw|on|about|over)\b|[?,;:.]|$)",
                            re.IGNORECASE)


def _joined_sides(question: str, catalogue: Catalogue) -> list[Side]:
    """Two papers named by their own words, joined by "and": each side the one paper its words name. The "and" that
    joins them is the one with a paper named on each side of it (not the one inside "economic and fiscal")."""
    for match in _PAPERS_JOINED.finditer(question):
        pair = match.group("pair")
        for join in re.finditer(r"\s+and\s+(?:the\s+)?", pair):
            ends = (pair[:join.start()], pair[join.end():])
            named = [_one_paper(end, catalogue) for end in ends]
            if all(named) and named[0] != named[1]:
                labels = catalogue.labels([docs[0] for docs in named])
                # Words both are named by ("the Q3 performance report and the Q3 finance monitoring report") are
                # asked of both: their quarter.
                words = [set(query_terms(end)) for end in ends]
                shared = words[0] & words[1]
                return [Side(labels[docs[0]], docs, " ".join(sorted(own - shared)))
                        for docs, own in zip(named, words, strict=True)]
    return []


# Two things of the papers named, compared ("how does the supply position for sharp sand and gravel compare with soft
# sand?", "how do the housing targets for Babergh and Mid Suffolk compare?"): what is asked of both, then each thing.
# Joined by "and", both are names (capitalised): "sharp sand and gravel" is one thing.
_COMPARED_WITH = re.compile(r"\b(?:does|do|did)\s+(?P<shared>[\w'’ -]+?)\s+(?:for|of|on|in)\s+(?P<one>[\w'’ -]+?)\s+"
                            r"compare\s+(?:with|to|against)\s+(?:that\s+(?:for|of)\s+)?"
                            r"(?P<other>[\w'’ -]+?)\s*(?:[?,.]|$)", re.IGNORECASE)
_NAMED = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*"
_NAMES_COMPARED = re.compile(rf"\b(?:does|do|did)\s+(?P<shared>[\w'’ -]+?)\s+(?:for|of|in|between)\s+(?P<one>{_NAMED})"
                             rf"\s+and\s+(?P<other>{_NAMED})\s+(?:compare|differ)\b")


def _things_compared(question: str, analysis: QuestionAnalysis) -> list[Side]:
    """Two things compared within the papers the question names (each side all of them), or none."""
    match = _COMPARED_WITH.search(question) or _NAMES_COMPARED.search(question)
    docs = analysis.named_docs
    if match is None or not docs or len(docs) > MOST_SIDES:
        return []
    ends = [match.group("one").strip(), match.group("other").strip()]
    if not all(query_terms(end) for end in ends) or set(query_terms(ends[0])) == set(query_terms(ends[1])):
        return []
    return [Side(end, list(docs), topic=end) for end in ends]


def _one_paper(words: str, catalogue: Catalogue) -> list[str]:
    """The paper (with its copies) that words name strongly and alone; none when they name no paper, or several."""
    named = {singular(t) for t in query_terms(words) if catalogue.names_some_paper(t)}
    weights = catalogue.naming_weights(named, words)
    best = max(weights.values(), default=0.0)
    top = [d for d, w in weights.items() if best >= STRONGLY_NAMED and w >= best - 1e-9]
    papers = {(catalogue.documents[d].title.lower(), catalogue.documents[d].date) for d in top}
    return top if len(papers) == 1 else []


def _named_as_filed(analysis: QuestionAnalysis, doc_ids: list[str], catalogue: Catalogue) -> set[str]:
    """The question's words that name papers as they are filed, not as their titles read ("the Q3 finance monitoring"
    for "… – Quarter 3"): they name the side, so are not looked for in it ("… further reviewed in Q3 2024")."""
    filed = {t for d in doc_ids for t in query_terms(d.replace("-", " "))}
    titled = {t for d in doc_ids for t in query_terms(catalogue.documents[d].title)}
    return {t for t in analysis.naming_terms if t in filed and t not in titled}


def since_sides(question: str, catalogue: Catalogue) -> list[Side]:
    """"How have children's services fared with Ofsted since the 2018 peer challenge?": the paper named after
    "since", and its council's papers written after it; what it said then, set against what they say now. None
    unless the words after "since" name one paper (its copies aside) and its council has later papers."""
    match = SINCE_PAPER.search(question)
    if match is None:
        return []
    what = match.group("what")
    then = _one_paper(what, catalogue)
    if not then:
        return []  # "since the budget was set": many papers, none of them the one meant
    first = catalogue.documents[then[0]]
    later = sorted((d for d, doc in catalogue.documents.items()
                    if doc.council == first.council and doc.date > first.date and d not in then),
                   key=lambda d: catalogue.documents[d].date)
    if not later or not first.date:
        return []
    owner = f"{first.council}'s" if first.council else "the"
    # Told apart from a later paper of the same title (the final budget report after the draft of that name).
    label = catalogue.labels([then[0], *later])[then[0]]
    return [Side(label, then, named_by=what), Side(f"{owner} later papers", later)]


def related(question: str, councils: list[str], catalogue: Catalogue) -> bool:
    """Whether the councils named are the ends of one relation ("joint working between Derby City Council and
    Derbyshire County Council"), not sides to set against each other."""
    match = RELATION_BETWEEN.search(question)
    ends = set(catalogue.councils_named(match.group("ends"))) if match else set()
    return len(ends) >= 2 and ends >= set(councils)


def _sides_by_month(question: str, analysis: QuestionAnalysis, catalogue: Catalogue) -> list[Side]:
    """Papers of one year told apart by their meetings' months ("the January draft budget … the final budget
    report in February"): for each month named, the paper of that month the question's words name best. None
    unless every month has a paper named by the question's words and the papers differ."""
    months = list(dict.fromkeys(m.group(1).lower() for m in MONTH_NAMED.finditer(question)))
    if len(months) < 2:
        return []
    years = {y[:4] for y in analysis.years}
    year = years.pop() if len(years) == 1 else ""  # "the January … the February report" of one year named
    asked = {singular(w) for w in analysis.asked_words}
    chosen: list[str] = []
    for month in months:
        number = f"-{MONTHS.index(month) + 1:02d}-"
        dated = [d for d, doc in catalogue.documents.items() if doc.date[4:8] == number and doc.date.startswith(year)]
        best = max((analysis.doc_weights.get(d, 0.0) for d in dated), default=0.0)
        named = _the_report([d for d in dated if best > 0 and analysis.doc_weights.get(d, 0.0) >= best - 1e-9],
                            asked, catalogue)
        if len(named) != 1 or named[0] in chosen:
            return []
        chosen.append(named[0])
    labels = catalogue.labels(chosen)
    return [Side(labels[d], [d]) for d in chosen]


def _the_report(doc_ids: list[str], asked: set[str], catalogue: Catalogue) -> list[str]:
    """Of papers a month's words name equally, those whose kind the question says ("the January budget report": the
    draft budget, a Cabinet report, not the budget risk register of the same meeting), and of those the paper
    itself rather than its appendices."""
    if len(doc_ids) < 2:
        return doc_ids
    said = {d: len(catalogue.kinds[d] & asked) for d in doc_ids}
    most = max(said.values())
    kind = [d for d in doc_ids if said[d] == most]
    main = [d for d in kind if not catalogue.documents[d].part_of]
    return main or kind


def names_two_papers(analysis: QuestionAnalysis, documents: dict[str, DocumentRecord]) -> bool:
    """Two different years that each date a paper ("the 2018 peers … the September 2020 Cabinet report")."""
    years = {y[:4] for y in analysis.years}
    dated = {y for y in years if any(d.date.startswith(y) for d in documents.values())}
    return len(dated) >= 2 and not analysis.time_years


def _best_named(doc_ids: list[str], weights: dict[str, float]) -> list[str]:
    """Of a side's papers, those the question names most strongly (all of them when it names none)."""
    best = max((weights.get(d, 0.0) for d in doc_ids), default=0.0)
    return [d for d in doc_ids if weights.get(d, 0.0) >= best - 1e-9] if best > 0 else list(doc_ids)


def year_after(question: str, council: str) -> str:
    """The year written right after a council's name ("Derby City in 2017", "Derbyshire County (2018)")."""
    words = [w for w in council.split() if w.lower() != "council"]
    pattern = r"\s+".join(map(re.escape, words)) + r"(?:\s+Council)?(?:['’]s)?\s*(?:\(|in\s+|,\s*)?((?:19|20)\d\d)"
    match = re.search(pattern, question, re.IGNORECASE)
    return match.group(1) if match else ""


def side_terms(analysis: QuestionAnalysis) -> list[str]:
    """What a comparison asks of every side, searched in each side's papers: the question's words without those
    that name the sides or make it a comparison ("Enterprising Council" stays when it is the topic). Words every
    side's label shares ("Draft Revenue Budget …" of both budget reports) tell no side apart: when the question
    uses them, they are its topic ("the net revenue budget"); words of a paper's version ("draft", "final") name
    a side even when its label does not use them, and "the figure in …" points back at what is compared."""
    labels = [set(query_terms(side.label)) for side in analysis.sides]
    side_words = set().union(*labels) - set.intersection(*labels) if labels else set()
    side_words |= {t for side in analysis.sides for d in side.doc_ids for t in query_terms(d.replace("-", " "))
                   if t.isdigit()}
    side_words |= {t for side in analysis.sides for t in query_terms(f"{side.named_by} {side.topic}")}
    # The verdict asked for is looked for by what a sentence says of the topic (assistant.answer_kinds), not by its
    # word: "what progress has the county made on Enterprising Council" is not about the word "progress".
    side_words |= {t for m in VERDICT_ASKED.finditer(analysis.text) for t in query_terms(m.group(0))}
    # The council whose papers both sides are ("Derbyshire's low profile on digital … since") is their scope; but
    # councils named as the ends of a relation ("joint working between Derby City Council and …") are its topic.
    relation = RELATION_BETWEEN.search(analysis.text)
    ends = set(query_terms(relation.group("ends"))) if relation else set()
    side_words |= {t for council in analysis.councils for t in query_terms(council) if t not in ends}
    # "Who managed …": each side's manager (the analysis reads the verb as the role it names).
    asked = [analysis.asked_kind if ROLE_OF_VERB.get(t) == analysis.asked_kind else t
             for t in query_terms(analysis.text)]
    # A year asked of every side ("how much did each save between 2010 and 2018") is searched in each; one that
    # tells the sides apart ("Derby City in 2017 or Derbyshire County in 2018") or names a paper is not.
    side_years = {year_after(analysis.text, side.label) for side in analysis.sides}
    return [t for t in asked if t not in side_words and t not in COMPARE_WORDS
            and t not in AGENT_WORDS and t not in MONTHS and t not in SIDE_POINTER_WORDS  # ("the January draft")
            and (not t.isdigit() or t in analysis.time_years and t not in side_years)]


def side_text(analysis: QuestionAnalysis, terms: list[str]) -> str:
    """What each side's passages are searched for by meaning: the side terms, with a name the question writes whole
    ("Enterprising Council", whose "Council" is no word to search): "enterprising" alone is closer to the paper's
    every passage on it than to the one that says how it went."""
    names = [n for n in name_phrases(analysis.text) if set(query_terms(n)) & set(terms)]
    named = {t for n in names for t in query_terms(n)}
    return " ".join([*names, *(t for t in terms if t not in named)]) or analysis.text
