"""Answers on the real Kent County Council papers (../shared/external), as a user reads them: tables of figures,
performance-indicator cards, decision numbers, summaries. Skipped when the papers are absent."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.ask import AskRequest, turn_of
from tests.conftest import assert_quotes_verified


def test_a_row_of_a_table_is_quoted_with_the_column_of_each_figure(kent) -> None:  # type: ignore[no-untyped-def]
    question = "What is the top salary point of grade KS R in the 2025/26 Kent Scheme pay scale?"
    answer = kent.ask.ask(AskRequest(question))
    assert not answer.refused
    assert "“KS R £217,528 £222,449 £227,370 £237,213 £242,134 £247,055”" in answer.answer
    assert "Top: £247,055" in answer.answer
    assert_quotes_verified(answer)
    precept = kent.ask.ask(AskRequest("How much council tax precept will Maidstone raise for Kent County Council in "
                                      "2025-26?"))
    assert "2025-26 Precept @ £1,691.19 (incl. ASCL) £000s: 115,145.5" in precept.answer
    # The row named by its label answers: not with a sentence on the adult social care precept beside it.
    assert len(precept.citations) == 1 and "adult social care" not in precept.answer


def test_a_row_named_by_its_column_is_the_answer_with_its_column_line(kent) -> None:  # type: ignore[no-untyped-def]
    # Table 6.1's caption and loose column lines are one passage, its rows ("H 18/9 3,221.64 3,382.38 160.74",
    # "6/9" a fraction, not a label) the next: the rows come with the caption, "Band H" names the row, and the
    # row is read under its column line, not replaced by a sentence about Band D that shares more words.
    answer = kent.ask.ask(AskRequest("How much council tax will a Band H property pay to Kent in 2025-26?"))
    assert not answer.refused and "“H 18/9 3,221.64 3,382.38 160.74”" in answer.answer
    assert "(under “Band Proportion of Band D Tax Rate 2024-25" in answer.answer and len(answer.citations) == 1
    assert_quotes_verified(answer)
    # A figure for another year is not the answer when a row for the year asked about is close.
    band_d = kent.ask.ask(AskRequest("What does a band D household pay in Kent County Council tax in 2025-26?"))
    assert not band_d.refused and "1,691.19" in band_d.answer and "for 2024-25 (£1,610.82" not in band_d.answer


def test_the_model_reads_a_row_with_its_column_line(kent) -> None:  # type: ignore[no-untyped-def]
    # The LLM answerer is given the column line of a row whose columns are not split, as the extractive answer is.
    from assistant.answering.llm import LLMAnswerer
    from assistant.answering.models import ChatModel, Messages
    from assistant.prompts import PromptLibrary
    from assistant.settings import PROJECT_ROOT
    from common.types import Filters

    class Silent(ChatModel):
        name = "silent"

        def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
            yield from ()

    question = "How much council tax will a Band H property pay to Kent in 2025-26?"
    context = kent.contexts.build(kent.ask.analyse(question, []), Filters())
    prompt = LLMAnswerer(Silent(), PromptLibrary(PROJECT_ROOT / "prompts"), passages=3).prompt(context)
    sent = prompt.messages[-1]["content"]
    assert "H 18/9 3,221.64 3,382.38 160.74" in sent
    assert "Columns: Band Proportion of Band D Tax Rate 2024-25 (incl. ASCL) £p 2025-26" in sent


def test_a_table_row_is_not_an_answer_about_another_row(kent) -> None:  # type: ignore[no-untyped-def]
    # The Chief Executive's Department's budget line is not the Chief Executive's salary.
    answer = kent.ask.ask(AskRequest("What is the annual salary of Kent County Council's Chief Executive?"))
    assert "Chief Executive’s Department 30.5" not in answer.answer


def test_a_follow_up_percentage_is_read_from_the_indicator_card(kent) -> None:  # type: ignore[no-untyped-def]
    first = kent.ask.ask(AskRequest("How many potholes did Kent Highways repair within 28 days in Quarter 3 of "
                                    "2024/25?"))
    answer = kent.ask.ask(AskRequest("What percentage of repairs does that represent?", [turn_of(first)]))
    assert not answer.refused and "94%" in answer.answer
    assert "(under “Percentage of routine pothole repairs completed within 28 days GREEN”)" in answer.answer
    assert_quotes_verified(answer)


def test_a_follow_up_for_another_role_names_its_holder_alone(kent) -> None:  # type: ignore[no-untyped-def]
    # "its vice-chairman" asks for the holder of that role: the sentence naming the Vice-Chairman answers, not the
    # Chairman's foreword that shares more of the Board's name.
    first = kent.ask.ask(AskRequest("Who chairs the Kent & Medway Civilian-Military Partnership Board?"))
    answer = kent.ask.ask(AskRequest("And who is its vice-chairman?", [turn_of(first)]))
    assert not answer.refused and "Vice-Chairman Cllr Vince Maple" in answer.answer
    assert len(answer.citations) == 1 and "When I became Chairman" not in answer.answer
    assert_quotes_verified(answer)


def test_that_after_a_question_dated_by_its_meeting_is_no_date(kent) -> None:  # type: ignore[no-untyped-def]
    # "… update Cabinet on at its meeting on 30 January 2025?" is about what he reported, not about a date: "is that
    # going to get sorted?" does not ask whether "30 January 2025" will be.
    first = kent.ask.ask(AskRequest("What did the Cabinet Member for Environment update Cabinet on at its meeting on "
                                    "30 January 2025?"))
    follow = kent.ask.ask(AskRequest("Which of the tips he mentioned can't take old sofas at the moment, and is that "
                                     "going to get sorted?", [turn_of(first)]))
    assert "30 January 2025" not in follow.standalone_question


def test_what_a_council_asks_its_cabinet_members_to_do_is_read_in_its_minutes(kent) -> None:  # type: ignore[no-untyped-def]
    # "the cabinet members" are people asked to act, not a Cabinet paper named: the Council's own minutes answer.
    answer = kent.ask.ask(AskRequest("What did Kent's full council end up agreeing on disposable vapes in March 2025, "
                                     "and what is it asking the cabinet members to do?"))
    assert not answer.refused
    assert {c.doc_id for c in answer.citations} == {"council-2025-03-13_printed-minutes"}
    assert "Write again to the government" in answer.answer
    assert_quotes_verified(answer)


def test_a_decision_number_is_found_on_the_agenda(kent) -> None:  # type: ignore[no-untyped-def]
    answer = kent.ask.ask(AskRequest("What decision number does the Commissioning Plan for Education Provision in "
                                     "Kent 2025-29 have?"))
    assert "24/00096" in answer.answer
    assert_quotes_verified(answer)


def test_a_summary_does_not_quote_an_item_the_page_cut_off(kent) -> None:  # type: ignore[no-untyped-def]
    answer = kent.ask.ask(AskRequest("Summarise the section 25 statement"))
    assert not answer.refused and "Conclusions" in answer.answer
    assert "(sections”" not in answer.answer
    # Nor a footnote ("1 This excludes the grant for employer national insurance cost increases …").
    assert "This excludes the grant" not in answer.answer
    assert_quotes_verified(answer)


def test_a_summary_quotes_statements_not_headings_or_cover_fields(kent) -> None:  # type: ignore[no-untyped-def]
    # The cover sheet's "By: Peter Oakford – Deputy Leader …" says who wrote it, its "Summary: …" what it is about,
    # and that is given first.
    answer = kent.ask.ask(AskRequest("What is the Pay Policy Statement about?"))
    assert answer.intent == "summary" and "- Summary: “This paper addresses" in answer.answer
    assert "By: Peter Oakford" not in answer.answer
    assert answer.answer.count("This paper addresses the actions") == 1  # not again under its heading ("Item No")
    # The cover sheet's summary, before any heading, is the paper's own summary: given first.
    answer = kent.ask.ask(AskRequest("Summarise the Section 25 assurance statement."))
    first = answer.answer.splitlines()[2]
    assert first.startswith("- Summary: “This report sets out an assessment of the robustness"), answer.answer
    # A heading the section path holds cut short ("Issue 1 – Whether the Spatial Portrait, … positively pr") is
    # still a heading where the page prints it whole.
    answer = kent.ask.ask(AskRequest("What did the inspector conclude about the Kent Minerals and Waste Local Plan?"))
    assert "“Issue 1 – Whether" not in answer.answer and "appropriate basis" in answer.answer
    assert_quotes_verified(answer)
    # A form prints its "Data Category: Basic Data | …" row on two pages: quoted once.
    answer = kent.ask.ask(AskRequest("Summarise the data protection impact assessment for the Strengthening "
                                     "Independence Service transfer."))
    quotes = [" ".join(c.quote.split()) for c in answer.citations]
    assert answer.intent == "summary" and len(quotes) == len(set(quotes)), answer.answer
    # The cover repeats the recommendations of section 5 with "[Cabinet]" added: quoted once.
    answer = kent.ask.ask(AskRequest("Summarise the devolution white paper report."))
    assert answer.answer.count("(1) Endorse the ongoing joint work") == 1, answer.answer


def test_a_recorded_vote_is_read_with_its_counts_and_names(kent) -> None:  # type: ignore[no-untyped-def]
    answer = kent.ask.ask(AskRequest("How did the council vote on the section 25 report in February 2025?"))
    assert not answer.refused
    # "…the voting was as follows:" brings the vote as the minutes record it, the few abstainers named.
    for count in ("For (57)", "Against (0)", "Abstain (2)"):
        assert count in answer.answer
    assert "Mr B Lewis, Mr D Ross" in answer.answer
    assert_quotes_verified(answer)
    answer = kent.ask.ask(AskRequest("Who abstained on the section 25 report motion at the February 2025 budget "
                                     "meeting?"))
    assert not answer.refused and "Mr B Lewis, Mr D Ross" in answer.answer
    assert_quotes_verified(answer)


def test_how_many_voted_against_what_a_meeting_decided_is_its_motion_s_vote(kent) -> None:  # type: ignore[no-untyped-def]
    # "The budget" names the budget papers, but a vote is recorded in the minutes of the meeting they were for: the
    # substantive motion under the budget item (For 41, Against 10), not an amendment's vote or the section 25
    # motion's, though both mention the budget.
    answer = kent.ask.ask(AskRequest("How many councillors voted against the budget?"))
    assert not answer.refused and answer.answer.startswith("Minutes of the County Council meeting, 13 February 2025")
    assert "Revenue Budget 2025-26" in answer.answer.split("\n")[0]
    assert "Against (10)" in answer.answer and "For (41)" in answer.answer and "Mr Campkin" in answer.answer
    assert "Against (43)" not in answer.answer and "For (57)" not in answer.answer
    assert_quotes_verified(answer)
    # A follow-up naming no subject asks about the vote just shown, not about any vote of that meeting.
    again = kent.ask.ask(AskRequest("And how many abstained?", [turn_of(answer)]))
    assert "Abstain (7)" in again.answer and "Abstain (8)" not in again.answer
    # A model asked for it would only retype the counts and names (and its "Against (10)" alone checks out as
    # nothing): the LLM modes quote the vote as the minutes print it, without calling the model.
    from assistant.answering.base import Draft
    from assistant.answering.llm import LLMAnswerer
    from assistant.answering.models import ChatModel, Messages
    from assistant.prompts import PromptLibrary
    from assistant.settings import PROJECT_ROOT
    from common.types import Filters

    class Unused(ChatModel):
        name = "unused"

        def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
            raise AssertionError("the model was asked to retype a recorded vote")

    context = kent.contexts.build(kent.ask.analyse("How many councillors voted against the budget?", []), Filters())
    answerer = LLMAnswerer(Unused(), PromptLibrary(PROJECT_ROOT / "prompts"), embedder=kent.embedder)
    draft = list(answerer.stream(context))[-1]
    assert isinstance(draft, Draft) and "Against (10)" in draft.text and len(draft.citations) == 4
    # An amendment, when the question asks about one; and another meeting's motion by what it was on.
    answer = kent.ask.ask(AskRequest("How many voted for the fly tipping amendment?"))
    assert "For (13)" in answer.answer and "Amendment lost." in answer.answer
    answer = kent.ask.ask(AskRequest("Did anyone vote against the section 25 report?"))
    assert "“290. Section 25 Report”" in answer.answer.split("\n")[0] and "Against (0)" in answer.answer
    # Under an item with several votes, the substantive motion's (put without a paragraph to point at), not a part
    # of it put on its own; and "governance" is no word of "Local Government Reorganisation Update".
    governance = kent.ask.ask(AskRequest("Who voted against the governance updates?"))
    assert "“306. Governance Updates”" in governance.answer.split("\n")[0], governance.answer
    assert "substantive motion" in governance.answer.split("\n")[0] and "For (37)" in governance.answer
    # Asked next about the budget, the vote is the budget meeting's, not one of the meeting just asked about.
    budget = kent.ask.ask(AskRequest("How many councillors voted against the budget?", [turn_of(governance)]))
    assert "13 February 2025" in budget.answer.split("\n")[0] and "Against (10)" in budget.answer
    answer = kent.ask.ask(AskRequest("Which councillors abstained on the pay policy statement?"))
    assert "13 March 2025" in answer.answer.split("\n")[0] and "Mr Lehmann, Mr Sole" in answer.answer
    assert_quotes_verified(answer)


def test_a_quoted_count_brings_the_rest_of_its_vote(kent) -> None:  # type: ignore[no-untyped-def]
    # "How many voted for" shares no word with "For (57)": the abstentions are found, and with them the whole vote.
    answer = kent.ask.ask(AskRequest("In the minutes of the February 2025 County Council budget meeting, how many "
                                     "members voted for the section 25 report motion, and who abstained?"))
    assert not answer.refused and "For (57)" in answer.answer and "Mr B Lewis, Mr D Ross" in answer.answer
    assert answer.answer.count("Abstain (2)") == 1
    assert_quotes_verified(answer)


def test_what_a_meeting_resolved_is_read_from_its_minutes_not_the_report(kent) -> None:  # type: ignore[no-untyped-def]
    # The adoption report to Cabinet has its own list ("Next Steps") and names the plan in its title; what Council
    # resolved is in the minutes of its meeting.
    answer = kent.ask.ask(AskRequest("What did Kent County Council resolve about the Minerals and Waste Local Plan "
                                     "in March 2025?"))
    assert answer.intent == "list" and "RESOLVED that Council" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"council-2025-03-13_printed-minutes"}
    assert "Notes the Inspector’s Report" in answer.answer
    assert_quotes_verified(answer)


def test_who_to_contact_about_a_paper_is_its_contact_block(kent) -> None:  # type: ignore[no-untyped-def]
    answer = kent.ask.ask(AskRequest("Who should I contact about the pay policy statement?"))
    assert "Louise Gavin People Strategy Adviser 03000 416135" in answer.answer  # printed as a heading there
    assert {c.doc_id for c in answer.citations} == {"council-2025-03-13_pay-policy-statement-2025-26"}
    assert_quotes_verified(answer)
    # The section 25 statement prints no contact details: saying so beats another paper's contact.
    statement = kent.ask.ask(AskRequest("Who should I contact about the section 25 statement?"))
    assert statement.refused and "@" not in statement.answer


def test_what_cabinet_decided_on_an_item_is_its_resolution_not_the_discussion(kent) -> None:  # type: ignore[no-untyped-def]
    # The minute of the item holds who introduced it and what Members noted, then "RESOLVED that Cabinet agree to:"
    # and the decisions: those are the answer, not the whole minute.
    answer = kent.ask.ask(AskRequest("What did Cabinet decide about the Integrated Care Strategy Delivery Plan?"))
    assert answer.intent == "list" and "under “RESOLVED that Cabinet agree to:”" in answer.answer
    assert "(a) Adopt the Integrated Care Strategy Delivery Plan" in answer.answer
    assert "Dr Gosh" not in answer.answer and "it was noted" not in answer.answer
    assert len(answer.citations) == 3
    assert_quotes_verified(answer)


def test_what_a_meeting_decided_about_a_named_report_is_in_its_minutes(kent) -> None:  # type: ignore[no-untyped-def]
    # The question names the report ("the Commissioning Plan for Education Provision …"), but what Cabinet decided
    # is in the minutes: its one-line resolution, not the report, nor who introduced the item.
    answer = kent.ask.ask(AskRequest("What did Cabinet decide on the Commissioning Plan for Education Provision in "
                                     "Kent 2025-29?"))
    assert "RESOLVED that Cabinet agree the Commissioning Plan for Education Provision in Kent 2025-29" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"cabinet-2025-01-30_printed-minutes"}
    assert "Mr Love" not in answer.answer and len(answer.citations) == 1
    # Asked in the passive, the same: the decisions.
    passive = kent.ask.ask(AskRequest("What was resolved on the KCC Integrated Care Strategy Delivery Plan?"))
    assert passive.intent == "list" and "(a) Adopt the Integrated Care Strategy Delivery Plan" in passive.answer
    assert_quotes_verified(answer)


def test_what_a_meeting_decided_is_every_item_s_resolution(kent) -> None:  # type: ignore[no-untyped-def]
    answer = kent.ask.ask(AskRequest("What decisions did the Cabinet take at its meeting on 30 January 2025?"))
    assert answer.intent == "list" and "the decisions recorded under 5 items" in answer.answer
    for said in ("endorsed the draft budget", "transfer the statutory functions", "(a) Adopt the Integrated Care",
                 "agree the Commissioning Plan for Education Provision",
                 # lettered like "A) … b) … c)" though the page set them deeper: decisions too
                 "d) Note the progress on the delivery of savings", "f) Note the Reserves",
                 # each under its numbered item, not a wrapped line of the item's title
                 "“90. 24/00109 - Transfer the 18-25 section"):
        assert said in answer.answer
    assert {c.doc_id for c in answer.citations} == {"cabinet-2025-01-30_printed-minutes"}
    assert_quotes_verified(answer)
    # Asked as "List the decisions …": "decisions" is also a word of a paper's title ("Cabinet reconsideration of
    # Decision 24/00093"), but written after "List the" it is what is listed (it was the meeting's consultations).
    listed = kent.ask.ask(AskRequest("List the decisions taken at the Cabinet meeting on 30 January 2025."))
    assert "the decisions recorded under 5 items" in listed.answer and "Postural Stability" not in listed.answer
    # "5) RESOLVED that:" is followed by paragraphs, "8) RESOLVED that Council:" by numbered decisions that run on
    # into the next passage: those are the decisions, not the lead-in alone.
    council = kent.ask.ask(AskRequest("What did the County Council decide at its meeting on 13 March 2025?"))
    assert "Members note all that is being done to deliver the Armed Forces Covenant" in council.answer
    assert "Agrees that the Chair of the Scrutiny Committee should be mandated" in council.answer
    assert "RESOLVED that:" not in council.answer and "Mr Gough proposed" not in council.answer
    assert_quotes_verified(council)


def test_a_sentence_that_only_repeats_a_row_s_heading_is_not_quoted_with_it(kent) -> None:  # type: ignore[no-untyped-def]
    # "Aged 18 to 20 £6.15 … £10.00" is read under "National Living/Minimum Wage": a sentence adding only the words
    # "minimum wage" (and another figure, 16.3%) adds nothing to the answer.
    answer = kent.ask.ask(AskRequest("What minimum wage rate applies to workers aged 18 to 20 in 2025-26?"))
    assert "“Aged 18 to 20 £6.15 £6.45 £6.56 £6.83 £6.83 £7.49 £8.60 £10.00”" in answer.answer
    assert "16.3%" not in answer.answer and len(answer.citations) == 1


def test_a_list_question_naming_one_paper_far_ahead_is_not_answered_from_another(kent) -> None:  # type: ignore[no-untyped-def]
    # "The Seashells and Millmead family hubs" names the call-in report's title (no word for its kind): its lists are
    # not what Cabinet decided, and the Minerals and Waste report's "Cabinet is asked to: …" is not either.
    answer = kent.ask.ask(AskRequest("What did the Cabinet decide about the Seashells and Millmead family hubs?"))
    assert answer.citations, answer.answer
    assert {c.doc_id for c in answer.citations} <= {"cabinet-2025-03-04_scrutiny-call-in-family-hubs",
                                                    "council-2025-03-13_printed-minutes"}, answer.answer
    assert "Minerals" not in answer.answer


def test_a_follow_up_with_a_word_of_other_titles_stays_with_the_paper_it_follows(kent) -> None:  # type: ignore[no-untyped-def]
    # "Cabinet" is in the titles of the Cabinet minutes and of many reports; the question names none of them.
    first = kent.ask.ask(AskRequest("What did the Cabinet decide about the Seashells and Millmead family hubs?"))
    answer = kent.ask.ask(AskRequest("Who is the cabinet member responsible?", history=[turn_of(first)]))
    assert "Mrs Chandler, Cabinet Member for Integrated Children’s Services" in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_a_comparison_of_two_months_reports_reads_each_month_s_main_report(kent) -> None:  # type: ignore[no-untyped-def]
    # Each month has several budget papers ("Budget Risks Register", the amendments pack): "the January and February
    # budget reports" are the draft budget report of each meeting, not an appendix or an amendment.
    answer = kent.ask.ask(AskRequest("Compare what the January and February budget reports said about reserves."))
    cited = {c.doc_id for c in answer.citations}
    assert cited == {"cabinet-2025-01-30_draft-revenue-budget-MTFP-capital-programme",
                     "council-2025-02-13_budget-report"}, answer.answer
    assert "£12.1m" in answer.answer and "£12.6m" in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_what_a_named_paper_recommends_in_prose_is_read_under_its_heading(kent) -> None:  # type: ignore[no-untyped-def]
    # The inspector's report lists no recommendations; it says them under "Overall Conclusion and Recommendation".
    # The Cabinet report's "Cabinet is asked to: (i) NOTE the Inspector's Report …" is not what the inspector said.
    answer = kent.ask.ask(AskRequest("What did the inspector recommend for the Kent Minerals and Waste Local Plan?"))
    assert {c.doc_id for c in answer.citations} == {"cabinet-2025-03-04_appA_planning-inspectors-report-KMWLP"}, \
        answer.answer
    assert "I recommend non-adoption of it as submitted" in answer.answer
    assert "with the recommended Main Modifications set out in the Appendix" in answer.answer
    assert_quotes_verified(answer)


def test_a_paper_filed_twice_is_not_two_sides_of_a_comparison(kent) -> None:  # type: ignore[no-untyped-def]
    # Budget Amendment 8 is in the papers twice (the same title and meeting): "how did council tax change …" is not a
    # comparison of the two copies, each quoting the same sentence.
    analysis = kent.ask.analyse("How did council tax change in the 2025-26 budget?", [])
    labels = [side.label for side in analysis.sides]
    assert len(labels) == len(set(labels)), labels
    answer = kent.ask.ask(AskRequest("How did council tax change in the 2025-26 budget?"))
    quotes = [" ".join(c.quote.split()) for c in answer.citations]
    assert quotes and len(quotes) == len(set(quotes)), answer.answer


def test_a_question_put_to_a_cabinet_member_is_read_under_that_member_s_heading(kent) -> None:  # type: ignore[no-untyped-def]
    # "What did councillors ask …" asks what was asked (not for a list of councillors), and the questions put to a
    # member are printed under "Cabinet Member for Highways and Transport": that heading names the member asked.
    answer = kent.ask.ask(AskRequest("What did councillors ask the Cabinet Member for Highways and Transport at the "
                                     "March 2025 council meeting?"))
    assert not answer.refused and answer.intent != "list", answer.answer
    assert "council-2025-03-13_questions-put-and-answers-given" in {c.doc_id for c in answer.citations}
    assert_quotes_verified(answer)


def test_who_examined_it_and_what_she_concluded_follow_the_role(kent) -> None:  # type: ignore[no-untyped-def]
    # "Examined" is what a planning inspector does; "she" is then the inspector the last question asked for.
    first = kent.ask.ask(AskRequest("What is the Kent Minerals and Waste Local Plan?"))
    second = kent.ask.ask(AskRequest("Who examined it?", history=[turn_of(first)]))
    assert "Joanne Burston" in second.answer, second.answer
    third = kent.ask.ask(AskRequest("What did she conclude?", history=[turn_of(first), turn_of(second)]))
    assert third.standalone_question == "What did the inspector conclude?"
    assert {c.doc_id for c in third.citations} == {"cabinet-2025-03-04_appA_planning-inspectors-report-KMWLP"}, \
        third.answer
    assert_quotes_verified(third)


def test_two_papers_each_named_by_its_title_are_the_two_sides(kent) -> None:  # type: ignore[no-untyped-def]
    # "Q3" is how people name the "… Quarter 3" reports; each report named by its own title words holds only part of
    # the question's naming words, so the comparison was read as a lookup and answered from the finance report alone.
    question = "Compare the Q3 performance report and the Q3 finance monitoring report on adult social care."
    analysis = kent.ask.analyse(question, [])
    assert analysis.intent == "comparison"
    assert sorted(side.label for side in analysis.sides) == [
        "Finance Monitoring Report – As at November 2024-25 – Quarter 3", "Quarterly Performance Report – Quarter 3"]
    answer = kent.ask.ask(AskRequest(question))
    assert answer.answer.startswith("Comparing ") and "20,087 people contact adult social care" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"cabinet-2025-03-04_QPR-Q3-performance-report",
                                                   "cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25"}
    assert_quotes_verified(answer)


def test_what_happened_with_a_named_matter_is_its_paper_s_gist(kent) -> None:  # type: ignore[no-untyped-def]
    # It quoted the paper's "Subject:" line and nothing else.
    answer = kent.ask.ask(AskRequest("What happened with the Seashells and Millmead family hubs?"))
    assert answer.intent == "summary"
    assert "Cabinet may confirm, amend or rescind the decision." in answer.answer
    assert "the Scrutiny Committee considered a call-in made by Mrs Jackie Meade and Mr Barry Lewis" in answer.answer
    assert_quotes_verified(answer)


def test_a_summary_of_the_report_named_is_its_gist_not_one_line(kent) -> None:  # type: ignore[no-untyped-def]
    # The plan's report and its equality impact assessment were named alike: the summary gave way to one quote.
    answer = kent.ask.ask(AskRequest("Summarise the education commissioning plan report."))
    assert answer.intent == "summary"
    assert {c.doc_id for c in answer.citations} == {"cabinet-2025-01-30_24-00096_education-commissioning-plan-report"}
    assert "Conclusion:" in answer.answer and len(answer.citations) >= 8
    # Nor its background documents and equalities implications: sections every report has, no gist of this one.
    assert "Background Documents" not in answer.answer and "Equalities implications" not in answer.answer
    assert_quotes_verified(answer)


def test_a_summary_gives_each_sections_point_in_its_prose_not_its_table_rows(kent) -> None:  # type: ignore[no-untyped-def]
    # Each directorate's section was summed up by one of its service rows ("Key Service: Older People - Community
    # Based Services | Revenue Budget: 35.4 | …"), whose figures outweighed the sentence stating the directorate's
    # position; and "1 | Introduction and Headlines" was shown as "| Introduction and Headlines".
    answer = kent.ask.ask(AskRequest("Summarise the Q3 finance monitoring report."))
    assert answer.intent == "summary" and not answer.refused
    assert "The Children, Young People & Education directorate is projected to be underspent by -£9.9m" in answer.answer
    assert "The Growth, Environment & Transport Directorate is projected to be overspent by £6.3m." in answer.answer
    assert "Key Service: Older People" not in answer.answer and "- |" not in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_a_heading_over_a_table_alone_is_no_gist_of_the_topic(kent) -> None:  # type: ignore[no-untyped-def]
    # "Adult Social Care" heads only the report's KPI summary table: its one row ("Cabinet Member Corporate Director:
    # 2 | Dan Watkins Richard Smith: 3 1 2 4") was the whole answer.
    answer = kent.ask.ask(AskRequest("What did the Quarter 3 performance report say about adult social care?"))
    assert "Dan Watkins Richard Smith" not in answer.answer
    assert "Quarter 3 saw 20,087 people contact adult social care." in answer.answer
    assert_quotes_verified(answer)


def test_whether_a_meeting_took_a_decision_is_read_from_its_minutes(kent) -> None:  # type: ignore[no-untyped-def]
    # The question names the adoption report, which only proposes: "the papers found do not record" a decision.
    answer = kent.ask.ask(AskRequest("Did the council adopt the Kent Minerals and Waste Local Plan?"))
    assert not answer.refused
    assert "Adopts the Kent Minerals and Waste Local Plan 2024-2039" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"council-2025-03-13_printed-minutes"}
    assert_quotes_verified(answer)
    # A decision the minutes do not record on that subject is still not one.
    assert kent.ask.ask(AskRequest("Did the council approve the Invicta House refurbishment?")).refused


def test_when_alone_asks_when_the_decision_before_was_taken(kent) -> None:  # type: ignore[no-untyped-def]
    # "When?" was searched as it stood and quoted agenda dates of another paper.
    first = kent.ask.ask(AskRequest("Did the council adopt the Kent Minerals and Waste Local Plan?"))
    answer = kent.ask.ask(AskRequest("When?", [turn_of(first)]))
    assert answer.standalone_question == "When did the council adopt the Kent Minerals and Waste Local Plan?"
    assert not answer.refused and "13 March 2025" in answer.answer
    assert "Adopts the Kent Minerals and Waste Local Plan 2024-2039" in answer.answer
    assert_quotes_verified(answer)


def test_what_someone_will_be_paid_asks_for_a_sum(kent) -> None:  # type: ignore[no-untyped-def]
    # Asked without "how much", it quoted an amendment form's header line ("Directorate: Chief Executive's Department
    # Proposer: …") for its words "Chief Executive" and "paid". No paper gives the chief executive's pay.
    answer = kent.ask.ask(AskRequest("What will the chief executive be paid?"))
    assert answer.refused and "amount paid" in answer.refusal_reason
    assert "Proposer" not in answer.answer


def test_what_a_named_letter_asks_is_answered_from_it_not_its_letterhead(kent) -> None:  # type: ignore[no-untyped-def]
    # The minister's letter, filed in Kent's papers, is written "To: Leaders of all two-tier councils": it was refused
    # as "not from or about kent" although the question names the letter itself; then its letterhead ("… 2 Marsham
    # Street London SW1P 4DF") was quoted as what it asked.
    answer = kent.ask.ask(AskRequest("What did the minister's letter ask Kent to do?"))
    assert not answer.refused and "We will ask you to work with other councils in your area" in answer.answer
    assert "Marsham Street" not in answer.answer
    assert_quotes_verified(answer)


def test_the_asker_s_this_year_is_the_papers_present(kent) -> None:  # type: ignore[no-untyped-def]
    # "year" was a word to match: "… the planned 2-year £1.5m budget reduction" answered.
    answer = kent.ask.ask(AskRequest("How much is Kent overspending this year?"))
    assert not answer.refused and "£23.3m" in answer.answer and "£1.5m" not in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_a_paper_named_by_its_whole_title_is_where_the_answer_comes_from(kent) -> None:  # type: ignore[no-untyped-def]
    # "Economic & Fiscal Context" has no word for a paper's kind; "risks" names the Budget Risks Register, and the
    # Section 25 statement's list of "main risks" was given.
    answer = kent.ask.ask(AskRequest("What are the key economic risks facing Kent according to the Economic & Fiscal "
                                     "Context?"))
    assert not answer.refused and {c.doc_id for c in answer.citations} == {
        "cabinet-2025-01-30_budget_appK_economic-fiscal-context"}, answer.answer
    assert "war in Ukraine" in answer.answer
    assert_quotes_verified(answer)


def test_why_alone_asks_the_reason_for_what_the_answer_gave(kent) -> None:  # type: ignore[no-untyped-def]
    first = kent.ask.ask(AskRequest("Which directorate is overspending the most?"))
    assert "Adult Social Care & Health (+£35.4m)" in first.answer, first.answer
    answer = kent.ask.ask(AskRequest("Why?", [turn_of(first)]))
    assert answer.standalone_question == "Why is Adult Social Care & Health overspending the most?"
    assert "£26.2m relates to savings unable to be delivered" in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_two_figures_scored_all_but_the_same_are_both_quoted(kent) -> None:  # type: ignore[no-untyped-def]
    # "Note the forecast overspend on Schools' Delegated Budgets of £30.4m" outscored "Note the forecast revenue
    # overspend of £23.3m" by 0.002 and was the only answer; the reader now sees both and which is which.
    answer = kent.ask.ask(AskRequest("What is Kent's forecast overspend for 2024-25?"))
    assert not answer.refused and "£23.3m" in answer.answer and "£30.4m" in answer.answer, answer.answer
    assert_quotes_verified(answer)
    # Not a second sentence without a sum beside a name asked for.
    chair = kent.ask.ask(AskRequest("Who chairs the Kent & Medway Civilian-Military Partnership Board?"))
    assert "Sweetland" in chair.answer and len(chair.citations) == 1, chair.answer



def test_the_points_a_minute_item_leads_in_follow_it(kent) -> None:  # type: ignore[no-untyped-def]
    # "4. Mr Baker, … provided an update on the following:" is followed by "(a) On the topic of buses, …" and "(b) In
    # regard to the extensive roadwork …" as paragraphs, (b) ending in a lead-in of its own: the answer gives them.
    answer = kent.ask.ask(AskRequest("What did Mr Baker update Cabinet on in January 2025?"))
    assert "On the topic of buses" in answer.answer and "extensive roadwork" in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_what_reserves_are_held_for_is_no_figure_asked_for(kent) -> None:  # type: ignore[no-untyped-def]
    answer = kent.ask.ask(AskRequest("What are reserves held for according to the draft budget?"))
    assert not answer.refused, answer.refusal_reason
    assert "unforeseen" in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_the_amendments_lost_are_each_given_with_what_it_proposed_the_vote_and_the_outcome(kent) -> None:  # type: ignore[no-untyped-def]
    # Refused before ("the question asks for a figure"), then answered with one amendment form that says nothing
    # of what happened to it. The budget meeting's minutes record six amendments, each proposed in one numbered
    # paragraph and put to the vote in a later one ("… the amendment set out in paragraph 11 above …").
    answer = kent.ask.ask(AskRequest("Which amendments to the budget were rejected?"))
    assert answer.intent == "list" and not answer.refused, answer.answer
    assert answer.answer.startswith("Minutes of the County Council meeting, 13 February 2025, pages 6–12: 6 "
                                    "amendments put to the vote, all lost"), answer.answer
    blocks = answer.answer.split("\n\n")[1:]
    assert [b.split("\n")[0] for b in blocks][:2] == [
        "“(7) Mr Brady proposed, and Ms Meade seconded the following amendment:” (page 6):",
        "“(11) Mr Hood proposed, and Mr Lewis seconded the following amendment:” (page 7):"]
    hood = blocks[1]
    assert "- Allocate up to £75k from the money earmarked for general reserves" in hood, hood
    assert "- For (16)" in hood and "- Against (41)" in hood and "Amendment lost." in hood
    # Read across a page break: the proposal on one passage, what it proposes on the next; a long list of names
    # broken by the page before the last count.
    assert "Local Electric Vehicle Infrastructure" in blocks[2] and "- Abstain (10)" in blocks[3], answer.answer
    assert all("lost" in b for b in blocks[:6]), answer.answer
    assert_quotes_verified(answer)
    # Asked for those carried, another meeting's: none of the budget meeting's amendments was.
    carried = kent.ask.ask(AskRequest("Which motions were carried at the County Council meeting on 13 March 2025?"))
    assert "13 March 2025" in carried.answer.split("\n")[0] and "all carried" in carried.answer.split("\n")[0]
    assert "Amendment lost" not in carried.answer


def test_amendments_asked_for_as_agreed_when_none_was_are_given_with_that_said(kent) -> None:  # type: ignore[no-untyped-def]
    # The budget meeting carried two motions and no amendment: they were given as "2 amendments put to the vote, all
    # carried"; asked yes or no, refused as recording no decision.
    lead = "Minutes of the County Council meeting, 13 February 2025, pages 6–12: 6 amendments put to the vote, none " \
           "carried: all lost"
    for question in ("Which budget amendments were agreed?", "Were any amendments passed at the budget meeting?"):
        answer = kent.ask.ask(AskRequest(question))
        assert not answer.refused and answer.answer.startswith(lead), (question, answer.answer)
        assert "seconded the motion" not in answer.answer and answer.answer.count("Amendment lost") == 6
        assert_quotes_verified(answer)
    # One amendment carried at another meeting: laid out as a vote, not as "3 items under …".
    march = kent.ask.ask(AskRequest("Which amendments were passed at the March council meeting?"))
    assert march.answer.startswith("Minutes of the County Council meeting, 13 March 2025, page 13: 1 amendment put "
                                   "to the vote, carried"), march.answer
    assert "Amendment carried" in march.answer and "Motion carried" not in march.answer
    assert_quotes_verified(march)


def test_who_proposed_the_amendments_is_each_amendment_under_its_proposer(kent) -> None:  # type: ignore[no-untyped-def]
    # Not the first amendment's record alone ("Amendment Name: Labour Group's Alternative Budget … Proposer: …").
    answer = kent.ask.ask(AskRequest("Who proposed the budget amendments?"))
    assert "6 amendments put to the vote" in answer.answer, answer.answer
    assert "Mr Brady proposed" in answer.answer and "Mr Hood proposed" in answer.answer
    assert_quotes_verified(answer)


def test_a_figure_asked_of_one_service_is_that_services_not_the_councils_whole(kent) -> None:  # type: ignore[no-untyped-def]
    # "… the forecast overspend in children's services …" was answered with the council's whole £23.3m overspend and
    # the schools' £30.4m, sentences sharing "forecast overspend" and nothing of children's services. The report
    # says children's services are forecast to underspend: that is the answer, in its words.
    answer = kent.ask.ask(AskRequest("What is the forecast overspend in children's services at quarter 3?"))
    assert not answer.refused and "Integrated Children’s Services" in answer.answer, answer.answer
    assert "-£5.3m" in answer.answer and "£23.3m" not in answer.answer and "£30.4m" not in answer.answer
    assert_quotes_verified(answer)
    # The same asked as a follow-up naming only the service.
    first = kent.ask.ask(AskRequest("What is the forecast overspend in adult social care at quarter 3?"))
    assert "+£35.4m" in first.answer
    follow = kent.ask.ask(AskRequest("And in children's services?", [turn_of(first)]))
    assert follow.standalone_question == "What is the forecast overspend in children's services at quarter 3?"
    assert "-£5.3m" in follow.answer and "£23.3m" not in follow.answer, follow.answer


def test_it_after_a_question_naming_a_paper_is_what_was_asked_of_the_paper(kent) -> None:  # type: ignore[no-untyped-def]
    # "it" was read as "the Q3 finance monitoring report", and the follow-up's resolved words ("forecast revenue
    # overspend") named the revenue budget reports, so the answer left the paper the conversation was about.
    first = kent.ask.ask(AskRequest("What is the forecast revenue overspend in the Q3 finance monitoring report?"))
    follow = kent.ask.ask(AskRequest("Which directorate is driving it?", [turn_of(first)]))
    assert follow.standalone_question == "Which directorate is driving the forecast revenue overspend?"
    assert {c.doc_id for c in follow.citations} == {"cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25"}
    assert_quotes_verified(follow)


def test_the_rows_rated_as_asked_are_listed_from_the_performance_report(kent) -> None:  # type: ignore[no-untyped-def]
    # "Which KPIs were rated red?": every row of the Q3 report's tables rated Red, once each, each cited; not the
    # sentences saying what a Red rating means, nor the key "KPI Summary GREEN | …: AMBER RED".
    answer = kent.ask.ask(AskRequest("Which KPIs were rated red in quarter 3?"))
    assert not answer.refused and "9 rows rated Red" in answer.answer
    assert "% of complaints responded to within timescale | Latest: RED" in answer.answer
    assert "Number of foster households | Latest: RED" in answer.answer
    assert "| Latest: GREEN" not in answer.answer and "KPI Summary" not in answer.answer
    assert len(answer.citations) == 9
    assert_quotes_verified(answer)
    green = kent.ask.ask(AskRequest("Which indicators were green?"))
    assert "17 rows rated Green" in green.answer and "KPI Summary" not in green.answer
    # A "which … is …" question whose word is no rating the tables hold is answered as before.
    driving = kent.ask.ask(AskRequest("Which directorate is overspending the most?"))
    assert "rows rated" not in driving.answer and "Adult Social Care & Health (+£35.4m)" in driving.answer


def test_why_is_answered_by_what_led_to_it_not_by_the_subject_line(kent) -> None:  # type: ignore[no-untyped-def]
    # The cover sheet's "Subject: Cabinet reconsideration of Decision 24/00093 - …" is the title; "Cabinet may confirm,
    # amend or rescind the decision." is what follows, not why; its summary says why: "Following the Scrutiny
    # Committee's referral of this decision to Full Council …".
    answer = kent.ask.ask(AskRequest("Why did the Cabinet reconsider the family hubs decision?"))
    assert "Following the Scrutiny Committee’s referral of this decision to Full Council" in answer.answer
    assert "Subject:" not in answer.answer
    assert_quotes_verified(answer)


def test_how_much_council_tax_goes_up_is_the_increase_proposed(kent) -> None:  # type: ignore[no-untyped-def]
    # "council" in "council tax" names the tax, not a council, and "tax" is asked about though it names the Council
    # Tax Reduction Scheme amendment; "going up" asks for the increase, and what each 1% of it would raise is not it.
    for question in ("How much is Kent's council tax going up?",
                     "What is the proposed council tax increase for 2025-26?"):
        answer = kent.ask.ask(AskRequest(question))
        assert not answer.refused, question
        assert "4.99% proposed increase in Council Tax" in answer.answer, question
        assert "Each 1% increase" not in answer.answer, question
        assert_quotes_verified(answer)


def test_what_the_inspector_said_of_a_plan_named_whole_is_the_reports_gist(kent) -> None:  # type: ignore[no-untyped-def]
    # Every word of the question names the inspector's report: what it said is the report as a whole, opening with
    # its own summary's conclusion, not two policy paragraphs of the appendix that share the plan's name.
    answer = kent.ask.ask(AskRequest("What did the inspector say about the minerals and waste plan?"))
    assert not answer.refused and answer.intent == "summary"
    assert "This report concludes that the Kent Minerals and Waste Local Plan 2024 – 2039 (the Plan) provides an " \
           "appropriate basis" in answer.answer
    assert_quotes_verified(answer)
    # With a topic of its own, what the inspector said is that section's, not the report's whole gist.
    topic = kent.ask.ask(AskRequest("What did the inspector say about the duty to co-operate?"))
    assert "“Assessment of Duty to Co-operate” (page 7)" in topic.answer and "This report concludes" not in topic.answer


def test_a_lead_in_that_brings_nothing_is_no_answer(kent) -> None:  # type: ignore[no-untyped-def]
    # "(17) Mr Streatfeild proposed, and Mr Hook seconded the following amendment:" leads in form fields, not a list
    # or a vote: quoted alone it is a colon with nothing after it, which tells the asker nothing.
    proposed = kent.ask.ask(AskRequest("Who proposed amendment 8?"))
    answer = kent.ask.ask(AskRequest("Was it carried?", [turn_of(proposed)]))
    assert answer.standalone_question == "Was amendment 8 carried?"
    assert ":”" not in answer.answer


def test_a_share_asked_of_the_papers_short_form_is_the_count_they_give_in_its_long_form(kent) -> None:  # type: ignore[no-untyped-def]
    # The report defines "38 Key Performance Indicators (KPIs)" and summarises "17 of the 38¹ indicators are rated as
    # Green"; the question says "KPIs" and asks a percentage. Not one indicator's card ("Latest: 35% … (Green)").
    answer = kent.ask.ask(AskRequest("What percentage of KPIs were green in quarter 3?"))
    assert not answer.refused
    assert "17 of the 38¹ indicators are rated as Green" in answer.answer
    assert "Latest:" not in answer.answer
    # The citation's quote keeps the footnote mark a mark: "381" would be a wrong figure in the sources panel.
    assert any("17 of the 38¹ indicators" in c.quote for c in answer.citations)
    assert_quotes_verified(answer)


def test_a_directorate_asked_by_its_short_form_is_that_directorate_not_a_paper_naming_it(kent) -> None:  # type: ignore[no-untyped-def]
    # "ASCH" is defined by the budget papers ("ASCH - Adult Social Care and Health") and is a word of one paper's title
    # ("… Transfer from CYPE to ASCH"): asked alone, it is the directorate, whose overspend the monitoring report gives.
    answer = kent.ask.ask(AskRequest("How much is the ASCH overspend?"))
    assert "The Adult Social Care & Health directorate has a projected net overspend of +£35.4m" in answer.answer
    assert "£23.3m" not in answer.answer  # the council's whole overspend is another figure
    assert_quotes_verified(answer)


def test_a_figure_asked_of_a_directorate_by_its_short_form_is_that_directorates(kent) -> None:  # type: ignore[no-untyped-def]
    # "CYPE" is written in capitals, a name: its figure is the directorate's, given under its long form ("Children,
    # Young People & Education … underspent by -£9.9m"), not the council's whole "£23.3m" overspend beside the words
    # "forecast" and "overspend". (That it underspends answers "how much is it forecast to overspend?" too.)
    answer = kent.ask.ask(AskRequest("How much is CYPE forecast to overspend?"))
    assert not answer.refused
    assert "-£9.9m" in answer.answer
    assert "£23.3m" not in answer.answer
    assert_quotes_verified(answer)
    first = answer
    # Asked as what it did, its figure is given under its long form too: not refused for a "sentence not naming ASCH".
    answer = kent.ask.ask(AskRequest("How much did ASCH overspend?"))
    assert "+£35.4m" in answer.answer
    assert_quotes_verified(answer)
    # A follow-up that is only another directorate's short form asks the same of it; "GET" spells a small word and
    # is the directorate when written in capitals.
    asch = kent.ask.ask(AskRequest("And ASCH?", [turn_of(first)]))
    assert asch.standalone_question == "How much is ASCH forecast to overspend?"
    assert "+£35.4m" in asch.answer
    # (As the third turn, "GET" was read inside "budgets": the Schools' Delegated Budgets' £30.4m was quoted.)
    follow = kent.ask.ask(AskRequest("What about GET?", [turn_of(first), turn_of(asch)]))
    assert "The Growth, Environment & Transport Directorate is projected to be overspent by £6.3m." in follow.answer
    assert "£23.3m" not in follow.answer
    assert_quotes_verified(follow)
    # A count asked next is of what it counts: not the finance report's "green waste contract … 621.0" row (its
    # "market analysis indicating" held "indicators", KPIs' long form, and the row's figure passed as a count).
    kpis = kent.ask.ask(AskRequest("How many KPIs were green?", [turn_of(first), turn_of(asch), turn_of(follow)]))
    assert "green waste" not in kpis.answer
    # Asked on its own, the performance report's count answers: a passage counting what is asked ("17 of the 38¹
    # indicators are rated as Green") is found among the KPI cards that each say "Green".
    alone = kent.ask.ask(AskRequest("How many KPIs were green?"))
    assert not alone.refused and "17 of the 38¹ indicators are rated as Green" in alone.answer


def test_a_short_form_spelling_a_common_word_must_be_written_by_the_answer(kent) -> None:  # type: ignore[no-untyped-def]
    # "IT" is a stopword to every search: "How much did the council spend on IT?" quoted the budget's whole
    # "spending growth … of £150.4m", a wrong figure with a right-looking citation. The papers give no IT spend.
    answer = kent.ask.ask(AskRequest("How much did the council spend on IT?"))
    assert answer.refused and "£150.4m" not in answer.answer
    assert "do not mention IT" in answer.refusal_reason
    # Where a sentence writes it, it answers.
    reserve = kent.ask.ask(AskRequest("How much is in the IT reserves?"))
    assert not reserve.refused and "IT reserve" in reserve.answer


def test_what_a_role_asked_about_is_for_is_looked_for_though_it_names_a_paper(kent) -> None:  # type: ignore[no-untyped-def]
    # "Education" also names the Commissioning Plan for Education Provision, so it was read as naming the paper
    # only, and a KPI table's header row ("Cabinet Members Corporate Director: Summary 3 | Sue Chandler …") was
    # quoted for holding "member".
    answer = kent.ask.ask(AskRequest("Who is the Cabinet Member for Education?"))
    assert not answer.refused and "Rory Love, Cabinet Member for Education and Skills" in answer.answer
    assert "Summary 3" not in answer.answer
    assert_quotes_verified(answer)


def test_a_sum_in_a_money_column_is_no_count(kent) -> None:  # type: ignore[no-untyped-def]
    # A budget amendment's row on training "our in-house staff" ("… | 2025-26 £000's: -16.6 | …") was quoted for
    # "how many staff": its figure is money. The papers give no head count.
    answer = kent.ask.ask(AskRequest("How many staff does the council employ?"))
    assert answer.refused and "-16.6" not in answer.answer


def test_a_total_line_under_its_heading_answers_how_many(kent) -> None:  # type: ignore[no-untyped-def]
    # "A total of 38FE across the Plan period and up to 810 temporary Year 7 places" says "secondary" only in its
    # heading ("Secondary School Commissioning Intentions"), and "38FE" (forms of entry) is a figure with its unit.
    answer = kent.ask.ask(AskRequest("How many extra secondary school places does Kent's education commissioning "
                                     "plan for 2025-29 say will be needed?"))
    assert not answer.refused, answer.refusal_reason
    assert "A total of 38FE across the Plan period and up to 810 temporary Year 7 places" in answer.answer
    assert_quotes_verified(answer)


def test_the_main_points_of_an_answer_are_its_gist_not_a_list_elsewhere(kent) -> None:  # type: ignore[no-untyped-def]
    # "What are the main points of …" asks for a gist: it was read as a list of "points" and quoted a list of
    # documents from the performance report ("Plan Bee … the following documents have been finalised").
    answer = kent.ask.ask(AskRequest("What are the main points of the Environment cabinet member's answer to the "
                                     "question about battery fire risk at solar farms and water quality at Faversham "
                                     "Creek?"))
    assert {c.doc_id for c in answer.citations} == {"council-2025-03-13_questions-put-and-answers-given"}, answer.answer
    assert "no such requirement for solar farms" in answer.answer and "Plan Bee" not in answer.answer
    assert_quotes_verified(answer)


def test_who_holds_a_cabinet_role_is_the_person_named_with_it(kent) -> None:  # type: ignore[no-untyped-def]
    # "Cabinet Member" is the role asked about: the Director of Adult Social Care was named ("Mr Albiston (Director of
    # Adult Social Care) advised …"), a wrong person cited confidently. Typed in lower case, what the role is for
    # ("education") is what is asked about, though it also names the education commissioning plan.
    answer = kent.ask.ask(AskRequest("Who is the Cabinet Member for Adult Social Care?"))
    assert "Watkins" in answer.answer and "Albiston" not in answer.answer, answer.answer
    lower = kent.ask.ask(AskRequest("who is the cabinet member for education?"))
    assert "Rory Love, Cabinet Member for Education and Skills" in lower.answer, lower.answer
    assert_quotes_verified(answer)
    assert_quotes_verified(lower)


def test_a_paper_described_by_what_it_is_on_is_summarised_whole(kent) -> None:  # type: ignore[no-untyped-def]
    # "the letter on reorganisation and devolution" says which paper: its gist is every section, not the one headed
    # "Local government reorganisation".
    answer = kent.ask.ask(AskRequest("What's the gist of the minister's December 2024 letter on reorganisation and "
                                     "devolution that went to Kent's extraordinary council meeting?"))
    assert answer.intent == "summary" and answer.answer.startswith("Summary of Letter from Jim McMahon"), answer.answer
    for heading in ("Local government reorganisation", "Devolution", "Timelines and next steps"):
        assert f"- {heading}:" in answer.answer
    assert_quotes_verified(answer)


def test_two_things_of_one_paper_compared_are_the_two_sides(kent) -> None:  # type: ignore[no-untyped-def]
    # "How does X for A compare with B" in the paper named: sides A and B, each searched for its own thing (the
    # answer was two papers' sides, the adoption report's summary quoted for one of them).
    answer = kent.ask.ask(AskRequest("In the inspector's report on the Kent minerals plan, how does the supply "
                                     "position for sharp sand and gravel compare with soft sand?"))
    assert answer.intent == "comparison", answer.answer
    blocks = answer.answer.split("\n\n")
    sharp = next(b for b in blocks if b.startswith("sharp sand and gravel ("))
    soft = next(b for b in blocks if b.startswith("soft sand ("))
    assert "sharp sand and gravel" in sharp.split("\n", 1)[1] and "soft sand" in soft.split("\n", 1)[1]
    assert {c.doc_id for c in answer.citations} == {"cabinet-2025-03-04_appA_planning-inspectors-report-KMWLP"}
    assert_quotes_verified(answer)


def test_a_paper_asked_for_by_a_year_it_is_not_of_is_said_not_held(kent) -> None:  # type: ignore[no-untyped-def]
    # The budget risk register held is 2025-26's: asked for 2023-24's, the answer says so rather than quote 2025-26's
    # risks as though they were the earlier year's.
    older = kent.ask.ask(AskRequest("What does Kent's 2023-24 budget risk register say about SEND?"))
    assert older.refused and "Budget Risks Register 2025-26, not one of 2023-24" in older.refusal_reason
    held = kent.ask.ask(AskRequest("What does Kent's 2025-26 budget risk register say about SEND?"))
    assert not held.refused and any("Budget Risks Register" in c.title for c in held.citations)


def test_the_main_points_of_a_report_to_a_meeting_are_its_summary(kent) -> None:  # type: ignore[no-untyped-def]
    # "main points" are the summary's words, not what it is of: the question names the Leader's report to the
    # 13 March Council, one item of its minutes, and is its digest (it was a lookup quoting his answer to a member).
    answer = kent.ask.ask(AskRequest("Give me the main points from the Leader's report at the March 2025 full council "
                                     "meeting."))
    assert answer.intent == "summary" and not answer.refused
    assert "“Report by Leader of the Council”" in answer.answer
    assert "Devolution Priority Programme" in answer.answer and "In response to Mr Brady" not in answer.answer
    assert_quotes_verified(answer)


def test_a_question_put_reworded_is_answered_by_its_written_answer(kent) -> None:  # type: ignore[no-untyped-def]
    # A member's question in the questions paper reads like the asker's own ("… diverted down small country lanes
    # … Verges are chewed up"): it is found first, and the Cabinet Member's answer under it is what answers.
    answer = kent.ask.ask(AskRequest("When a main road is shut and lorries end up churning up narrow country lanes "
                                     "instead, can the county make anyone pay for the repairs?"))
    assert not answer.refused and "will look to recover costs where possible" in answer.answer
    assert "Verges are chewed up" not in answer.answer
    assert_quotes_verified(answer)
    # What was asked, asked for, is the question put.
    asked = kent.ask.ask(AskRequest("What did Sean Holden ask about road closures and country lanes?"))
    assert "diverted down small country lanes" in asked.answer


def test_a_comparison_members_made_is_read_in_the_minutes_of_their_meeting(kent) -> None:  # type: ignore[no-untyped-def]
    # "how did members say X compares with Y?" asks for a comparison they made, as minuted, not for sides searched
    # one by one in the budget papers the question's words name.
    question = ("When Cabinet looked at the draft budget in January 2025, how did members say Kent's government "
                "funding compares with Birmingham's?")
    assert kent.ask.analyse(question, []).intent != "comparison"
    answer = kent.ask.ask(AskRequest(question))
    assert not answer.refused and "Birmingham City Council, which was 27% smaller in terms of population" \
        in answer.answer
    assert {c.doc_id for c in answer.citations} == {"cabinet-2025-01-30_printed-minutes"}
    assert_quotes_verified(answer)
