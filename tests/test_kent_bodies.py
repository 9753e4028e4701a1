"""Which body decided, and which papers a comparison sets side by side, on the real Kent papers (../shared/external):
a committee whose minutes are not held is read in the report that tells what it did; a council's decision on a
report is its minute; "the Q3 finance monitoring" names a paper though its title says "Quarter 3". Skipped when the
papers are absent."""

from __future__ import annotations

from assistant.ask import AskRequest, turn_of
from assistant.catalogue import Catalogue
from common.types import DocumentRecord
from tests.conftest import assert_quotes_verified


def test_a_committee_s_decision_is_read_where_it_is_reported_and_the_council_s_in_its_minutes(kent) -> None:  # type: ignore[no-untyped-def]
    scrutiny = kent.ask.ask(AskRequest("What did the Scrutiny Committee decide about the family hubs decision?"))
    # Not the County Council's resolution on the same decision (its minutes are the only ones on it).
    assert "RESOLVED that the County Council" not in scrutiny.answer
    assert "the Scrutiny Committee unanimously agreed the following motion:" in scrutiny.answer
    assert "That implementation of Decision 24/00093 be postponed pending review by the full Council." \
        in scrutiny.answer
    assert_quotes_verified(scrutiny)
    council = kent.ask.ask(AskRequest("And what did the council decide?", [turn_of(scrutiny)]))
    assert "RESOLVED that the County Council makes comments but does not require reconsideration of the decision." \
        in council.answer
    assert "300. Review of Decision 24/00093" in council.answer and "299." not in council.answer
    assert_quotes_verified(council)
    # Asked whole, the same: the words naming the report name the minute's item.
    whole = kent.ask.ask(AskRequest("What did the council decide about the family hubs decision?"))
    assert "RESOLVED that the County Council makes comments" in whole.answer


def test_a_paper_named_as_it_is_filed_is_a_side_beside_one_named_by_its_title(kent) -> None:  # type: ignore[no-untyped-def]
    answer = kent.ask.ask(AskRequest("Compare the Q3 finance monitoring with the draft budget on the overspend."))
    sides = [line for line in answer.answer.splitlines() if line.endswith(":") and "(page" in line]
    assert len(sides) == 2, answer.answer
    assert sides[0].startswith("Finance Monitoring Report – As at November 2024-25 – Quarter 3")
    assert sides[1].startswith("Draft Revenue Budget 2025-26")  # the draft, once: not at Cabinet and at Council
    assert "£23.3m" in answer.answer  # the overspend, not "… further reviewed in Q3 2024"
    assert "reviewed in Q3" not in answer.answer
    assert_quotes_verified(answer)


def _paper(doc_id: str, title: str, kind: str) -> DocumentRecord:
    return DocumentRecord(doc_id=doc_id, title=title, council="Kent County Council", document_type=kind)


def test_a_body_is_unminuted_when_no_minutes_held_name_it() -> None:
    catalogue = Catalogue([_paper("m1", "Minutes of the County Council meeting, 13 March 2025", "Minutes"),
                           _paper("m2", "Minutes of the Souldern Parish Council Planning Meeting", "Minutes"),
                           _paper("r1", "Cabinet reconsideration of Decision 24/00093", "Cabinet report")])
    assert catalogue.unminuted_body("What did the Scrutiny Committee decide about the family hubs?")
    assert catalogue.unminuted_body("What did the Health and Wellbeing Board agree?")
    assert not catalogue.unminuted_body("What did the planning committee decide?")  # its meeting's minutes
    assert not catalogue.unminuted_body("What did the committee decide?")  # no body named by its own words
    assert not catalogue.unminuted_body("What did the council decide about the family hubs?")


def test_a_cover_sheet_s_address_line_is_no_answer_to_what_a_body_can_do(kent) -> None:  # type: ignore[no-untyped-def]
    scrutiny = kent.ask.ask(AskRequest("What did the Scrutiny Committee decide about the family hubs decision?"))
    # "To: Cabinet - 4 March 2025" is closest by meaning to a question whose only word is "Cabinet"; it names the
    # meeting the paper went to, and says nothing of what Cabinet may do.
    now = kent.ask.ask(AskRequest("What can Cabinet do now?", [turn_of(scrutiny)]))
    assert "Cabinet may confirm, amend or rescind the decision." in now.answer
    assert "To: Cabinet" not in now.answer
    assert_quotes_verified(now)


def test_who_called_a_decision_in_is_who_made_the_call_in(kent) -> None:  # type: ignore[no-untyped-def]
    # "called in" is "a call-in made by …"; not the sentence after it, "The decision maker was Mrs Chandler".
    answer = kent.ask.ask(AskRequest("Who called in the family hubs decision?"))
    assert "a call-in made by Mrs Jackie Meade and Mr Barry Lewis" in answer.answer
    assert "The decision maker was" not in answer.answer
    assert_quotes_verified(answer)


def test_a_paper_named_with_a_year_it_is_not_of_is_said_not_held() -> None:
    catalogue = Catalogue([
        DocumentRecord(doc_id="r", title="Budget Risks Register 2025-26", council="Kent County Council",
                       document_type="Risk register", date="2025-02-13"),
        DocumentRecord(doc_id="b", title="Revenue Budget 2024/25", council="Kent County Council",
                       document_type="Budget report", date="2024-02-19"),
        DocumentRecord(doc_id="p", title="Corporate peer challenge", council="Kent County Council",
                       document_type="Peer challenge report")])
    said = catalogue.year_not_held("What did Kent put against SEND in its 2024-25 budget risk register?")
    assert said == "Budget Risks Register 2025-26, not one of 2024-25"
    # The year held, written any way, or an end of the span held, is no other year.
    for question in ("What is in the 2025/26 budget risk register?", "What is in the 2025-2026 risk register?",
                     "What is in the 2026 risk register?", "What does the 2024-25 revenue budget say?",
                     "What does the 2024 revenue budget say?"):
        assert catalogue.year_not_held(question) == "", question
    assert catalogue.year_not_held("What does the 2022-23 revenue budget say?") == \
        "Revenue Budget 2024/25, not one of 2022-23"
    # A paper named by no year may be of any; a year before words that name no paper is not a paper's year.
    assert catalogue.year_not_held("What did the 2019 peer challenge find?") == ""
    assert catalogue.year_not_held("How many homes were built in 2019 in the district?") == ""
    # A period the question asks over is no paper's year.
    assert catalogue.year_not_held("What is the need over 2018-2037 in the revenue budget?") == ""
