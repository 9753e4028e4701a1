"""Retrieval, evidence, refusal and citation checks against the real demo index (extractive mode)."""

from __future__ import annotations

import pytest

from assistant.ask import AskRequest
from assistant.citations import locate, verify
from assistant.conversation import Turn
from assistant.types import Citation, Filters
from common.types import InvalidRequest


@pytest.mark.parametrize(
    ("question", "doc_id", "needle"),
    [
        ("How much in budget reductions did Derbyshire County Council manage between 2010 and 2018?",
         "derbyshire-cc-corporate-peer-challenge-2018", "£263m"),
        ("What did the peer team say about Cotmanhay?", "derbyshire-cc-corporate-peer-challenge-2018", "Cotmanhay"),
        ("What was Derby City Council's net revenue budget for 2017/18?", "derby-city-corporate-peer-challenge-2017",
         "£215m"),
        ("How many apprentices did Derbyshire County Council have in October 2018?",
         "derbyshire-cc-corporate-peer-challenge-2018", "141 new apprentices"),
        # Words side by side in the question and the passage ("internal audit function"), none of them rare.
        ("What did the 2018 peer team think of Derbyshire County Council's internal audit function?",
         "derbyshire-cc-corporate-peer-challenge-2018", "internal audit function"),
    ],
)
def test_retrieval_finds_figures_and_names(demo_services, question: str, doc_id: str, needle: str) -> None:  # type: ignore[no-untyped-def]
    passages = demo_services.retriever.search(question).passages[:3]
    assert any(p.chunk.doc_id == doc_id and needle in p.chunk.text for p in passages), [
        (p.chunk.doc_id, p.chunk.text[:80]) for p in passages]


def test_langchain_retriever_interface(demo_services) -> None:  # type: ignore[no-untyped-def]
    docs = demo_services.retriever.invoke("budget reductions of £263m")
    assert docs and "£263m" in docs[0].page_content
    assert docs[0].metadata["doc_id"] == "derbyshire-cc-corporate-peer-challenge-2018"
    assert docs[0].metadata["page"] == 8


def test_filters_restrict_both_sides(demo_services) -> None:  # type: ignore[no-untyped-def]
    question = "What did the peer team say about financial planning?"
    by_council = demo_services.retriever.search(question, Filters(councils=["Derby City Council"])).passages
    assert by_council and {p.doc.council for p in by_council} == {"Derby City Council"}
    by_doc = demo_services.retriever.search(question, Filters(doc_ids=["derbyshire-cc-productivity-plan-2024"]))
    assert {p.chunk.doc_id for p in by_doc.passages} == {"derbyshire-cc-productivity-plan-2024"}
    by_date = demo_services.retriever.search(question, Filters(date_from="2020", date_to="2020-12")).passages
    assert by_date and all(p.doc.date.startswith("2020") for p in by_date)
    by_type = demo_services.retriever.search(question, Filters(document_types=["Cabinet report"])).passages
    assert by_type and {p.doc.document_type for p in by_type} == {"Cabinet report"}
    nothing = demo_services.retriever.search(question, Filters(councils=["Nottinghamshire County Council"]))
    assert nothing.passages == []


def test_extractive_answer_quotes_the_figure_with_a_verified_citation(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest(
        "How much in budget reductions did Derbyshire County Council manage between 2010 and 2018?"))
    assert not answer.refused
    assert "£263m" in answer.answer
    cited = [c for c in answer.citations if "£263m" in c.quote]
    assert cited and cited[0].page == 8 and cited[0].doc_id == "derbyshire-cc-corporate-peer-challenge-2018"
    assert f"[{cited[0].n}]" in answer.answer
    chunks = {p.chunk.chunk_id: p.chunk for p in answer.retrieved}
    assert all(verify(c, chunks.get(c.chunk_id)) for c in answer.citations)


def test_list_question_quotes_the_items(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("What were the peer team's key recommendations to Derby City Council?"))
    assert not answer.refused
    assert "Close the 2015/16 and 2016/17 accounts" in answer.answer
    assert len(answer.citations) >= 3


@pytest.mark.parametrize(
    "question",
    [
        "What did the LGA corporate peer challenge say about Nottinghamshire County Council's finances?",
        "What is Derby City Council's net revenue budget for 2024/25?",
        "Which day are household bins collected in Matlock?",
        "How much does a residents' parking permit cost in Derby city centre?",
    ],
)
def test_refuses_questions_the_papers_do_not_answer(demo_services, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest(question))
    assert answer.refused, answer.answer
    assert answer.citations == []
    assert answer.answer.startswith("The papers provided do not say")
    assert answer.refusal_reason
    assert answer.retrieved, "a refusal still shows the nearest passages"


def test_citation_check_rejects_tampered_quotes(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("What was Derby City Council's net revenue budget for 2017/18?"))
    good = answer.citations[0]
    chunk = next(p.chunk for p in answer.retrieved if p.chunk.chunk_id == good.chunk_id)
    assert verify(good, chunk)
    tampered_figure = Citation(**{**good.__dict__, "quote": good.quote.replace("£215m", "£251m")})
    assert "£215m" in good.quote and not verify(tampered_figure, chunk)
    wrong_page = Citation(**{**good.__dict__, "page": good.page + 1})
    assert not verify(wrong_page, chunk)
    wrong_doc = Citation(**{**good.__dict__, "doc_id": "derbyshire-cc-productivity-plan-2024"})
    assert not verify(wrong_doc, chunk)
    assert not verify(Citation(**{**good.__dict__, "quote": "  "}), chunk)
    # Whitespace differences alone do not fail a quote.
    assert locate(good.quote.replace(" ", "\n  "), chunk.text) >= 0


def test_followup_questions_are_rewritten(demo_services) -> None:  # type: ignore[no-untyped-def]
    history = ["How much did Derbyshire County Council's budget reductions come to between 2010 and 2018?"]
    swapped = demo_services.ask.analyse("What about Derby City?", [Turn(q) for q in history])
    assert swapped.text.startswith("How much did Derby City Council")
    answer = demo_services.ask.ask(AskRequest("What was its net revenue budget for 2017/18?",
                                              ["What did the peer team say about Derby City Council's finances?"]))
    assert "Derby City Council" in answer.standalone_question
    assert "£215m" in answer.answer
    assert demo_services.ask.analyse("What is the budget gap?", []).text == "What is the budget gap?"


@pytest.mark.parametrize("question", ["", "   ", "?!...", "<>"])
def test_empty_questions_are_rejected(demo_services, question: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidRequest):
        demo_services.ask.ask(AskRequest(question))


def test_answer_json_shape(demo_services) -> None:  # type: ignore[no-untyped-def]
    data = demo_services.ask.ask(AskRequest("What did the peer team say about Cotmanhay?")).to_json()
    assert {"answer", "refused", "citations", "retrieved", "latency_ms"} <= set(data)
    assert {"n", "doc_id", "title", "page", "section", "quote"} <= set(data["citations"][0])
    assert {"doc_id", "page", "section", "text", "score"} <= set(data["retrieved"][0])


def test_a_count_written_in_words_answers_how_many(demo_services) -> None:  # type: ignore[no-untyped-def]
    # Both were refused ("no sentence on its subject gives" a number): the papers write small counts in words.
    answer = demo_services.ask.ask(AskRequest("How many local partnerships will lead joined up care in Derbyshire?"))
    assert not answer.refused and "the creation of seven local partnerships" in answer.answer
    answer = demo_services.ask.ask(AskRequest("How many joint venture companies were created for the county's "
                                              "property services?"))
    assert not answer.refused and "two new joint venture companies" in answer.answer
    # A count in words of something else is no answer: "purchased eight electric vehicles" for charging points.
    answer = demo_services.ask.ask(AskRequest("How many electric vehicle charging points has Derbyshire County "
                                              "Council installed?"))
    assert answer.refused
