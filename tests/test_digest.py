"""A section's gist: which of its sentences are quoted (assistant.gist, through assistant.digest)."""

from __future__ import annotations

import pytest

from assistant.ask import AskRequest
from assistant.gist import REFERS_BACK, Sentence, central
from common.types import Chunk


def _sentences(*paragraphs: str) -> list[Sentence]:
    """One chunk of `paragraphs` (one sentence each), as the sentences digest reads from a section."""
    text = "\n\n".join(paragraphs)
    chunk = Chunk("c1", "doc", 0, text, "4.4 Financial planning", 1, 1, 0, len(text))
    return [Sentence(chunk, text.index(p), text.index(p) + len(p), n) for n, p in enumerate(paragraphs)]


@pytest.mark.parametrize("sentence", [
    "However the approach needs to be much wider and more strategic if it is to make a meaningful contribution.",
    "This rationalisation supports better working conditions and service delivery transformation.",
    "Similar to other elements of corporate working, it is at an early stage and is not yet in line with budget.",
    "Nevertheless, these sites were found sound following the examination of the plan in 2019.",
])
def test_a_sentence_whose_subject_was_named_before_it_refers_back(sentence: str) -> None:
    assert REFERS_BACK.match(sentence)


@pytest.mark.parametrize("sentence", [
    "This report provides a summary of the peer team's findings.",  # the paper naming itself
    "However, it is clear that there is a need to protect the remaining stock of offices.",  # "it": what follows
    "It is important to understand the likelihood of higher levels of growth being delivered.",
    "The approach to the budget needs to be less fragmented and become more strategic.",
    "A sharper focus on commercialism backed by a clear plan is needed if it is to be successful.",
    "In addition, savings targets need to have clear plans so that assumptions are underpinned.",
])
def test_a_sentence_that_names_its_subject_does_not_refer_back(sentence: str) -> None:
    assert not REFERS_BACK.match(sentence)


def test_of_two_like_sentences_the_gist_quotes_the_one_that_names_its_subject() -> None:
    sentences = _sentences(
        "Reserves were used to set the budget last year.",
        "However the approach needs wider income targets across every service budget plan.",
        "A commercial approach needs wider income targets across every service budget plan.",
    )
    # Alike in every other way (both open a paragraph, share the same words): the first is passed over.
    assert [s.order for s in central(sentences, 1, [])] == [2]


def test_a_gist_passes_over_thanks_even_at_the_opening() -> None:
    sentences = _sentences(
        "Firstly, I would like to thank my fellow councillors and our clerk for their efforts over the year.",
        "With the resignation of one councillor the council is now two councillors short this year.",
        "Many thanks to the volunteers and their team for their work on the village green this year.",
        "The new playground was opened in March after a year of fundraising by the village.",
    )
    # The opening is kept when the section is the whole answer: the first statement that is no courtesy.
    assert [s.order for s in central(sentences, 2, [], opening_kept=True)] == [1, 3]


def test_a_sections_gist_on_a_topic_quotes_what_is_closest_to_it() -> None:
    sentences = _sentences(
        "Staff complete an equality module during their induction and again every year.",
        "Agency staff are engaged for over a year in some services across the county.",
        "Tighter spending controls were introduced to eliminate non-essential spending.",
    )
    # Without a topic the section's opening wins; asked about cutting wasteful spending, the spending controls do.
    assert [s.order for s in central(sentences, 1, [])] == [0]
    assert [s.order for s in central(sentences, 1, [], near_topic=[0.05, 0.25, 0.5])] == [2]


def test_a_topic_gist_leaves_out_asides_far_from_the_topic(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "Reducing Wasteful Expenditure" ends with the paper's equality and training arrangements: asked what the council
    # does to cut wasteful spending, its gist quotes the cost reductions, not those.
    answer = demo_services.ask.ask(AskRequest(
        "What does the Productivity Plan say the council is doing to cut wasteful spending?"))
    assert "Reducing Wasteful Expenditure" in answer.answer.splitlines()[0], answer.answer
    for point in ("Cost reduction opportunities", "£4.164m", "9.26%"):
        assert point in answer.answer, (point, answer.answer)
    for aside in ("EDI requirements", "External training costs"):
        assert aside not in answer.answer, (aside, answer.answer)


def test_a_topic_gist_quotes_the_point_closest_to_the_topic(demo_services) -> None:  # type: ignore[no-untyped-def]
    # The 2018 peer team's finances: besides the sums, that budgets and financial management are run department by
    # department, close in meaning to "finances" though its words are not the section's most shared.
    answer = demo_services.ask.ask(AskRequest("Sum up how the 2018 peer team saw Derbyshire County Council's "
                                              "finances."))
    assert "departmental" in answer.answer, answer.answer


def test_a_gist_passes_over_a_sentence_that_refers_back(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "However the approach needs to be much wider …": which approach is in the paragraph before it.
    answer = demo_services.ask.ask(AskRequest("What did the 2017 peer team conclude about Derby City Council's "
                                              "money situation?"))
    assert "Financial planning and viability" in answer.answer.splitlines()[0], answer.answer
    assert "However the approach needs" not in answer.answer, answer.answer
