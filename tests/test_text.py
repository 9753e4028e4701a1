"""The one text-analysis module (common.text): phrases, terms and figures as the rest of the code reads them."""

from __future__ import annotations

from common.text import phrases, query_terms


def test_phrases_are_pairs_of_terms_side_by_side_in_the_question() -> None:
    question = "What did the 2018 peer team think of Derbyshire County Council's internal audit function?"
    terms = ["team", "internal", "audit", "function"]
    found = phrases(question, terms)
    assert len(found) == 2  # "internal audit", "audit function"; not "team … internal" (apart in the question)
    assert found[0].search("there is an active and well-resourced internal audit function")
    assert found[1].search("the council's audit functions were reviewed")
    assert not any(p.search("an audit of internal controls") for p in found)


def test_phrases_need_a_distinctive_word_when_asked() -> None:
    question = "Which case recording system will the service move onto when it transfers to Adult Social Care?"
    terms = [t for t in query_terms(question) if t not in {"service", "transfers"}]
    found = phrases(question, terms, distinctive={"recording"})
    patterns = [p.pattern for p in found]
    assert len(found) == 2 and all("record" in p for p in patterns)  # "case recording", "recording system"
    assert not phrases("In 2024 25 budgets", ["2024", "25", "budgets"])  # figures are not phrase words
