"""Which of the close candidates answers: the best-scored sentence gives way to a close runner-up that holds what
the question asks for and the best does not.

Evidence selection (assistant/evidence.py) scores the passages' sentences by meaning, rare words and what they hold;
the scores are close more often than they are right. These preferences, each for one kind of question, pick among the
sentences scoring at least RUNNER_UP of the best: a figure for "how much", a date for "when", a name for "who", the
latest paper's name for who holds a role now, a reason for "why", the figure of what it is asked of ("… in children's
services"), the table row the question names, the year asked about. Each moves the answer only to a sentence that
scores close to the best, so a rule never quotes something far off the question.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer_kinds import (
    echoes,
    for_other_years,
    gives_reason,
    names_year,
    paragraph_before,
    referred_back,
    terms_in,
)
from assistant.intent import Intent
from assistant.neighbours import column_names, figures_row
from assistant.question import QuestionAnalysis
from assistant.types import Evidence
from common.rows import labelled_figures, names_row, names_row_by_column, row_label, table_header
from common.text import CONTACT_DETAIL, last_heading

RUNNER_UP = 0.6  # a close runner-up scores at least this share of the best
NAMED_RUNNER_UP = 0.4  # … or this, when it gives the figure of a body the question names and the best does not
REASON_BESIDE = 0.3  # … or this, when it gives the reason in the best one's section and no close one gives any


def preferred(analysis: QuestionAnalysis, cands: list[Evidence], wanted: Callable[[Evidence], bool] | None
              ) -> tuple[Evidence, Evidence | None]:
    """The sentence that answers of `cands` (sorted best-scored first): the best, or a close runner-up holding
    what the question asks for when the best does not; and the table row the question names, if one is close."""
    best = cands[0]
    if analysis.intent == Intent.JUDGEMENT and echoes(best, analysis):
        # "Did the peer team think making Derby the cleanest English city within 4 years was realistic?": the
        # pledge as listed only says what was asked about; a close runner-up that says more of it answers.
        best = close_runner_up(cands[1:], best, lambda c: not echoes(c, analysis)) or best
    if column_names(best):
        # A table's header row names its columns ("… | ASCH Core £000s | …", which holds every word of "Adult Social
        # Care and Health"); the row of figures under it answers, and is shown with it (`header_row_for`).
        best = close_runner_up(cands, best, lambda c: figures_row(c) and c.passage.doc == best.passage.doc) or best
    if wanted is not None and not wanted(best):
        # "How much…" wants a figure, "when" a date, "who" a name: a close runner-up that has one answers better.
        best = close_runner_up(cands, best, wanted) or best
    if analysis.wants_name and analysis.asks_present and wanted is not None:
        # "Who is the clerk?": the latest paper naming one ("Cathy Fleet – Parish Clerk", February 2025), not a
        # 2016 newsletter's "Clerk: Barbara McGarry" that shares as many words.
        # (And of the same: not another board's chair.)
        said = terms_in(best.text.lower(), analysis.terms, analysis.learned)
        best = close_runner_up(cands, best, lambda c: wanted(c) and c.passage.doc.date > best.passage.doc.date
                                and c.passage.doc.council == best.passage.doc.council
                                and said <= terms_in(c.text.lower(), analysis.terms, analysis.learned)) or best
    if analysis.wants_reason and not gives_reason(best):
        # "Why do the parish councils object …?": "The following are the reasons …", not "… we strongly object
        # to the proposals …", which says what is asked about and not why. (A preference, not a test refusal
        # applies: many a reason is given without a word for one.)
        best = close_runner_up(cands, best, gives_reason) or reason_beside(cands, best) or best
    def of_asked(cand: Evidence) -> set[str]:
        return figure_of_asked(analysis, cand, cands)

    if analysis.figure_of and wanted is not None and not of_asked(best):
        # "… the forecast overspend in children's services": the council's whole overspend is another figure; a
        # close runner-up giving one for what it is asked of answers ("Integrated Children's Services … -£5.3m").
        # A name the figure is asked of ("How much is CYPE forecast to overspend?") makes another body's figure a
        # wrong answer, not a weaker one: the directorate's "-£9.9m" is taken from further down than a close runner-up.
        named = set(analysis.figure_of) & set(analysis.names)
        best = close_runner_up(cands, best, lambda c: wanted(c) and bool(of_asked(c)),
                               NAMED_RUNNER_UP if named else RUNNER_UP) or best
    row = close_runner_up(cands, best, lambda c: c.passage.chunk.kind == "table" and (names_row_by_column(
        c.text, c.passage.chunk.section, analysis.text) or named_by_name(c, analysis)))
    if row is not None:
        # "Band H", "Maidstone": that row of the table answers, not a sentence about Band D, or about the adult
        # social care precept, that shares more words with the question.
        best = row
    years = analysis.time_years
    if years and analysis.wants_figure and for_other_years(best, years):
        # "…for 2025-26?": "…the household charge for 2024-25 (£1,610.82 …)" is another year's figure; a close
        # runner-up for the year asked about answers ("D 9/9 1,610.82 1,691.19 80.37" under "… 2025-26 …").
        # (Not for what happened in a year: "in 2017, was Derby behind with its 2015/16 accounts?")
        best = close_runner_up(cands[1:], best, lambda c: (wanted is None or wanted(c))
                                and not for_other_years(c, years) and names_year(c, years)) or best
    return best, row


def figure_of_asked(analysis: QuestionAnalysis, cand: Evidence, cands: list[Evidence]) -> set[str]:
    """What of the question's figure_of words a sentence gives its figure for, read after what leads up to it ("…
    Children's Services … This is a priority for the Council, which has invested £5.3 million to support
    improvements." gives the figure for children's services)."""
    read = as_read(cand, analysis, named_row(cand, analysis.asked_words))
    return terms_in(f"{lead_up(cand, cands).lower()} {read}", analysis.figure_of, analysis.learned)


def lead_up(cand: Evidence, cands: list[Evidence]) -> str:
    """What a sentence is read after: its paragraph before it; or, when it opens one, the paragraph before, which may
    end the passage before ("There is a statutory override …, which means that DSG deficits do not have to be …" / "If
    the override is not continued …, the Council would have insufficient reserves to cover the deficit (c£77m).")."""
    before = paragraph_before(cand)
    if before.strip():
        return before
    earlier = cand.passage.chunk.text[:cand.start].rstrip()
    if earlier:
        return earlier.rsplit("\n\n", 1)[-1]
    chunk = cand.passage.chunk
    previous = next((c.passage.chunk for c in cands if c.passage.chunk.doc_id == chunk.doc_id
                     and c.passage.chunk.seq == chunk.seq - 1), None)
    return previous.text.rstrip().rsplit("\n\n", 1)[-1] if previous else ""


def close_runner_up(cands: list[Evidence], best: Evidence, test: Callable[[Evidence], bool],
                    share: float = RUNNER_UP) -> Evidence | None:
    """The best-scored candidate that passes `test` and scores at least `share` of `best`: it answers better than a
    `best` that fails the test."""
    return next((c for c in cands if test(c) and c.score >= share * best.score), None)


def reason_beside(cands: list[Evidence], best: Evidence) -> Evidence | None:
    """The reason given in the section of the best candidate, by one scoring at least REASON_BESIDE of it: a paper
    states its rule and gives the reason beside it, in words the question does not use (asked why the council minds
    takeaways bunching together, the policy "To avoid the over-concentration of hot food takeaways, …" is best; its
    explanation below says why: "The primary reason being that these uses are often closed during the day …")."""
    chunk = best.passage.chunk
    if chunk.kind == "table":
        return None  # a table's section holds many rows, each with its own reasons
    return next((c for c in cands if gives_reason(c) and c.score >= REASON_BESIDE * best.score
                 and c.passage.chunk.kind != "table"
                 and c.passage.chunk.doc_id == chunk.doc_id and c.passage.chunk.section == chunk.section), None)


def named_row(cand: Evidence, asked_words: set[str]) -> bool:
    return cand.passage.chunk.kind == "table" and names_row(cand.text, asked_words)


def named_by_name(cand: Evidence, analysis: QuestionAnalysis) -> bool:
    """A table row the question names by a name ("Maidstone" for "Maidstone 68,263.60 …"), not only by words."""
    label = row_label(cand.text)
    return named_row(cand, analysis.asked_words) and any(
        w.lower() in analysis.names for w in label.split() if w[:1].isupper())


def as_read(cand: Evidence, analysis: QuestionAnalysis, named_row: bool) -> str:
    """The sentence, lower-cased, with what it is read under. The row the question names is read with its columns:
    "top" is asked of "KS R … £247,055" under "… | Top". Other rows of the table are not: the columns say nothing
    about which row answers. A header of loose column lines ("Band Proportion of Band D Tax Rate 2024-25 …") is not
    split into columns: the table's title and that line say what its figures are. "Latest: 94% Target: 90%"
    measures what the heading above it names; "Paul Wilson - Chief Executive Telephone: 01629 761125" is a contact
    under "4. CONTACT INFORMATION"."""
    lower = cand.text.lower()
    section = cand.passage.chunk.section
    if named_row:
        return lower + " " + (" ".join(table_header(section)) or section).lower()
    if labelled_figures(cand.text) or analysis.wants_contact and CONTACT_DETAIL.search(cand.text):
        return lower + " " + last_heading(section).lower()
    referred = referred_back(cand, analysis.terms)  # "the approach", after "the Enterprising Council approach"
    return " ".join([lower, *referred])


