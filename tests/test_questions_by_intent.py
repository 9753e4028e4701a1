"""Questions that are not single facts: lists, summaries, comparisons, follow-ups, paraphrases, wrong-subject traps.

The six examples of issue 10 run against the demo index in extractive mode (no model), plus the
analysis and follow-up rules they rest on. Expected words come from reading the papers.
"""

from __future__ import annotations

import re

import pytest

from assistant.analysis import QuestionAnalyzer
from assistant.answer_kinds import sense_pairs
from assistant.ask import AskRequest, turn_of
from assistant.conversation import ConversationResolver, Turn, _asked_noun
from assistant.cues import PAST_DATE_ASKED
from assistant.intent import Intent
from assistant.question import QuestionAnalysis
from assistant.question_word import asked_of
from assistant.sides import comparison_sides, side_terms
from assistant.what_about import asked_again
from common.types import DocumentRecord
from tests.conftest import assert_quotes_verified

PEER_2018 = "derbyshire-cc-corporate-peer-challenge-2018"
PEER_2017 = "derby-city-corporate-peer-challenge-2017"


def _doc(doc_id: str, title: str, council: str, date: str, kind: str = "Peer challenge report") -> DocumentRecord:
    return DocumentRecord(doc_id=doc_id, title=title, short_title=title, council=council, document_type=kind, date=date,
                          status="complete")


@pytest.fixture(scope="module")
def analyzer() -> QuestionAnalyzer:
    return QuestionAnalyzer([
        _doc(PEER_2017, "Corporate Peer Challenge 2017", "Derby City Council", "2017-06-16"),
        _doc(PEER_2018, "Corporate Peer Challenge 2018", "Derbyshire County Council", "2018-10-25"),
        _doc("dales", "New Vision for Derbyshire", "Derbyshire Dales District Council", "2020-01-16", "Council report"),
        _doc("plan", "Productivity Plan 2024", "Derbyshire County Council", "2024-07", "Productivity plan"),
    ])


@pytest.mark.parametrize(("question", "intent"), [
    ("List the key recommendations of the 2018 Derbyshire County Council corporate peer challenge.", Intent.LIST),
    ("What were Derby City Council's 'Super Six' pledges?", Intent.LIST),
    ("What did the 2018 peer challenge recommend for Derbyshire County Council?", Intent.LIST),
    ("Summarise the Productivity Plan.", Intent.SUMMARY),
    ("Give me the gist of the 2018 peer challenge.", Intent.SUMMARY),
    # A paper described by what it does: its words say which paper, not what of it to sum up.
    ("Give me the gist of the report asking Cabinet to approve the next phase of the Enterprising Council "
     "programme.", Intent.SUMMARY),
    ("Compare what the two peer challenges said about financial resilience.", Intent.COMPARISON),
    ("How many people did the peer teams speak to at Derby City and Derbyshire County?", Intent.COMPARISON),
    ("How did Ofsted rate children's services in Derby City in 2017, and how does the 2024 productivity plan describe "
     "Derbyshire's latest Ofsted result?", Intent.COMPARISON),  # a council in each part of the question
    ("Was Derby behind other councils in getting its year-end books signed off back in 2017?", Intent.JUDGEMENT),
    ("What was Derby City Council's net revenue budget for 2017/18?", Intent.LOOKUP),
    ("What did the second workshop focus on?", Intent.LOOKUP),
    ("What did the 2018 peer challenge say?", Intent.SUMMARY),  # all it said: its gist
    ("What did the 2018 peer team say about Cotmanhay?", Intent.LOOKUP),
    ("On what grounds did Derby City Council's peer team criticise the accounts?", Intent.LIST),  # the reasons
])
def test_intent(analyzer: QuestionAnalyzer, question: str, intent: Intent) -> None:
    assert analyzer.analyse(question).intent == intent


def test_councils_are_read_against_the_catalogue(analyzer: QuestionAnalyzer) -> None:
    named_in = analyzer.catalogue.councils_named
    assert named_in("What is Derby City's budget?") == ["Derby City Council"]
    assert named_in("What is Derbyshire's budget?") == ["Derbyshire County Council"]
    assert named_in("What did Derbyshire Dales decide?") == ["Derbyshire Dales District Council"]
    # A place inside a longer name, or the councils of a place, is not one council.
    assert named_in("What does the Vision Derbyshire report set out?") == []
    assert named_in("What did the Derbyshire councils agree?") == []
    # A council the index holds no papers of is still a council the question is about.
    assert named_in("How did Chesterfield Borough Council vote?") == ["Chesterfield Borough Council"]
    # The word that opens a question is not part of the name ("they" resolved to the council it follows).
    assert named_in("Did Derby City Council think the cleanest city one was realistic?") == ["Derby City Council"]
    assert named_in("Does Chesterfield Borough Council publish it?") == ["Chesterfield Borough Council"]
    named = analyzer.analyse("What is Derbyshire's budget?")
    assert named.councils == ["Derbyshire County Council"] and named.explicit_councils == []


def test_a_council_named_by_its_kind_is_the_one_of_that_kind() -> None:
    """"The parish council" is the one parish council the papers are of; a scan's misreading of its name is not a
    second one. Of two county councils, "the county council" names neither."""
    analyzer = QuestionAnalyzer([
        *[_doc(f"minutes-{n}", f"Minutes {n}", "Souldern Parish Council", f"202{n}-01-01", "Minutes")
          for n in range(3)],
        _doc("scan", "Accounting statements", "Soulderm Parish Council", "2025-04-01", "Accounts"),
        _doc("kent", "Budget", "Kent County Council", "2025-02-13", "Budget"),
        _doc("oxon", "Statement of Reasons", "Oxfordshire County Council", "2025-01-01", "Statement"),
    ])
    question = "How much money does the parish council have in reserves?"
    assert analyzer.catalogue.councils_named(question) == ["Souldern Parish Council"]
    assert analyzer.analyse(question).explicit_councils == ["Souldern Parish Council"]  # a mismatch is refused
    assert analyzer.catalogue.councils_named("What did the county council decide?") == []
    assert analyzer.catalogue.councils_named("Who sits on a parish council?") == []


def test_a_body_that_is_no_council_is_named_by_its_place() -> None:
    """"The Broads Core Strategy" is the Broads Authority's, not the Black Country's (whose title says "Core
    Strategy" too)."""
    analyzer = QuestionAnalyzer([
        _doc("broads", "Core Strategy 2007 - 2021", "Broads Authority", "2007-09-28", "Plan"),
        _doc("black-country", "Black Country Core Strategy", "", "2011-02", "Plan"),
    ])
    assert analyzer.catalogue.councils_named("What does the Broads Core Strategy say about flood risk?") \
        == ["Broads Authority"]
    assert analyzer.analyse("What does the Broads Core Strategy say about flood risk?").named_docs[:1] == ["broads"]


def test_a_year_that_names_a_paper_is_not_the_time_asked_about(analyzer: QuestionAnalyzer) -> None:
    assert analyzer.analyse("What did the 2018 peer challenge say about reserves?").time_years == []
    assert analyzer.analyse("How many potholes were repaired in 2019?").time_years == ["2019"]


def test_a_question_that_asks_two_things_is_read_as_two_parts(analyzer: QuestionAnalyzer) -> None:
    two = analyzer.analyse("How much did Derby City Council hold in reserves in 2017, and who managed the peer "
                           "challenge?")
    assert [p.text for p in two.parts] == ["How much did Derby City Council hold in reserves in 2017",
                                           "who managed the peer challenge"]
    first, second = two.asked_parts()
    assert first.wants_figure and not first.wants_name and "reserves" in first.terms
    assert second.wants_name and not second.wants_figure and "manager" in second.terms  # the role "managed" names
    # Each part keeps the whole question's scope, and a later part is about what the first is about.
    assert first.councils == second.councils == ["Derby City Council"] and "reserves" in second.terms
    assert first.intent == second.intent == Intent.LOOKUP and not first.parts
    # "…and why?" has nothing of its own to look for; "and" inside a part joins no question.
    assert analyzer.analyse("What did Derby City Council decide about reserves and why?").parts == []
    assert analyzer.analyse("What did the peer team say about finances and reserves?").parts == []
    # A list or a comparison is not split: its "and" joins the items or the sides.
    assert analyzer.analyse("Compare what Derby City and what Derbyshire County said about reserves.").parts == []
    # Two question words joined by "and" ask one question ("where and when did it run"); the next "and" splits.
    asked = analyzer.analyse("Where and when did the Thriving Communities accelerator run, and what's its status?")
    assert [p.text for p in asked.parts] == ["Where and when did the Thriving Communities accelerator run",
                                             "what's its status"]


def test_what_a_question_asks_for_is_read_after_a_phrase_saying_where_to_look(analyzer: QuestionAnalyzer) -> None:
    assert analyzer.analyse("According to the 2018 peer challenge, what deficit did Derbyshire face?").wants_figure
    assert analyzer.analyse("In the Productivity Plan, what savings are planned?").wants_figure
    # A clause in the middle of a question is not a place to look.
    assert not analyzer.analyse("What did the report, which the Cabinet noted, say about the plan?").wants_figure
    assert analyzer.analyse("Which consultancy supported the review?").asked_kind == "consultancy"
    assert analyzer.analyse("Which of these is about cleanliness?").asked_kind == ""


def test_the_role_a_who_question_asks_about_is_looked_for(analyzer: QuestionAnalyzer) -> None:
    # "inspector" also names the Inspector's report; asked "who was the inspector", the holder is looked for.
    docs = [_doc("insp", "Report on the Examination of the Local Plan, Inspector's report", "Kent County Council",
                 "2025-02-06", "Inspector's report")]
    analysis = QuestionAnalyzer(docs).analyse("Who was the inspector on the local plan?")
    assert "inspector" in analysis.terms and "inspector" in analysis.naming_terms
    assert "inspector" not in QuestionAnalyzer(docs).analyse("What did the inspector's report say?").terms


def test_a_cabinet_role_asked_in_lower_case_is_read_with_what_it_is_for() -> None:
    docs = [_doc("ecp", "Commissioning Plan for Education Provision in Kent 2025-29", "Kent County Council",
                 "2025-01-30", "Cabinet report")]
    analysis = QuestionAnalyzer(docs).analyse("who is the cabinet member for education and skills at Kent?")
    assert analysis.asked_kind == "member" and analysis.wants_name
    assert "education" in analysis.terms and "skills" in analysis.terms


def test_a_role_after_a_possessive_and_the_passive_decisions_are_read(analyzer: QuestionAnalyzer) -> None:
    vice = analyzer.analyse("And who is the Kent & Medway Civilian-Military Partnership Board's vice-chairman?")
    assert vice.asked_kind == "vice-chairman" and vice.wants_name
    resolved = analyzer.analyse("What was resolved on the Integrated Care Strategy Delivery Plan?")
    assert resolved.intent == Intent.LIST and resolved.list_noun == "decisions"
    assert analyzer.analyse("What did the County Council decide on the pay policy?").asks_record


def test_names_are_the_words_written_capitalised_mid_sentence(analyzer: QuestionAnalyzer) -> None:
    analysis = analyzer.analyse("How did the verdict on Enterprising Council change between the two reports?")
    assert "enterprising" in analysis.names and "verdict" not in analysis.names and "how" not in analysis.names


def test_words_both_sides_titles_share_are_what_a_comparison_asks_of_each() -> None:
    from assistant.sides import Side

    title = "Draft Revenue Budget 2025-26 and 2025-28 MTFP"
    analysis = QuestionAnalysis(
        "How did the net revenue budget in the January draft budget report to Cabinet compare with the figure in the "
        "final budget report to County Council in February?", Intent.COMPARISON,
        sides=[Side(f"{title} (Cabinet, 2025-01-30)", ["jan"]), Side(f"{title} (County Council, 2025-02-13)", ["feb"])])
    terms = side_terms(analysis)
    assert {"net", "revenue", "budget"} <= set(terms)  # the topic, though every side's title has "revenue budget"
    assert "cabinet" not in terms and "january" not in terms and "compare" not in terms  # these tell sides apart
    # A paper's version tells the sides apart too ("the January draft", "the final … report"), though the February
    # paper's title says "Draft"; "the figure in …" points back at the budget, it is not looked for.
    assert not {"draft", "final", "figure"} & set(terms)


def test_a_comparison_of_amounts_wants_each_sides_figure() -> None:
    title = "Draft Revenue Budget 2025-26 and 2025-28 MTFP"
    docs = [DocumentRecord("cab", title=title, council="Kent County Council", committee="Cabinet", date="2025-01-30"),
            DocumentRecord("cc", title=title, council="Kent County Council", committee="County Council",
                           date="2025-02-13")]
    analyzer = QuestionAnalyzer(docs)
    amounts = analyzer.analyse("How did the net revenue budget in the January draft budget report compare with the "
                               "figure in the final budget report in February?")
    assert amounts.intent == Intent.COMPARISON and amounts.compares_amounts
    assert not amounts.wants_figure  # the whole question's search is unchanged; each side's answer is a figure
    views = analyzer.analyse("How did the January draft budget report and the final budget report in February "
                             "differ in their view of the risks?")
    assert views.intent == Intent.COMPARISON and not views.compares_amounts


def test_a_list_word_in_a_papers_title_does_not_make_a_list() -> None:
    docs = [_doc("reg18", "Draft Local Plan – Full Update – Preferred Options", "Breckland Council", "2024-11-01",
                 "Local plan")]
    analyzer = QuestionAnalyzer(docs)
    analysis = analyzer.analyse("What is Breckland's minimum housing requirement in the Preferred Options Local Plan?")
    assert "options" in analysis.naming_terms and analysis.intent == Intent.LOOKUP
    assert analyzer.analyse("What options does the Preferred Options plan set out for growth?").intent == Intent.LIST
    # A number after a word of a paper's name is part of the name, not a figure to look for ("18 dwellings").
    analyzer = QuestionAnalyzer([*docs, _doc("regs", "Financial Regulations", "Breckland Council", "2024", "Rules"),
                                 _doc("phase2", "Enterprising Council Phase 2", "Breckland Council", "2020-09-10")])
    regulation = analyzer.analyse("What is Breckland's minimum housing requirement in the Regulation 18 Preferred "
                                  "Options Local Plan?")
    assert "18" in regulation.naming_terms and "18" not in regulation.terms
    assert "18" in analyzer.analyse("How many homes does the plan allocate to sites of 18 hectares?").terms
    # Unless a title numbers that word otherwise: "Phase 1" asked of the Phase 2 report tells which phase is meant.
    assert "1" in analyzer.analyse("What did Phase 1 of Enterprising Council deliver?").terms


def test_a_paper_named_by_its_kind_and_when_it_was_written_is_searched_first() -> None:
    analyzer = QuestionAnalyzer([
        _doc("news16", "Newsletter from Souldern Parish Council", "Souldern Parish Council", "2016-12", "Newsletter"),
        _doc("news17", "Newsletter from Souldern Parish Council", "Souldern Parish Council", "2017-03", "Newsletter"),
        _doc("mins", "Minutes of the Souldern Parish Council meeting", "Souldern Parish Council", "2016-12-08",
             "Minutes"),
    ])
    asked = analyzer.analyse("Who was clerk to Souldern Parish Council according to the December 2016 newsletter?")
    assert asked.clearly_named_docs == ["news16"]
    assert analyzer.analyse("Who was clerk to Souldern Parish Council in December 2016?").clearly_named_docs == []


def test_of_papers_named_alike_the_one_of_the_kind_the_question_says_is_named() -> None:
    # A plan's report and its equality impact assessment share every title word; "report" tells them apart
    # (and "assessment" the other way), though it is no word to search for.
    analyzer = QuestionAnalyzer([
        _doc("eqia", "Equality impact assessment: Commissioning Plan for Education Provision in Kent 2025-29",
             "Kent County Council", "2025-01-30", "Equality impact assessment"),
        _doc("report", "Commissioning Plan for Education Provision in Kent 2025-29", "Kent County Council",
             "2025-01-30", "Cabinet report"),
    ])
    assert analyzer.analyse("Summarise the education commissioning plan report.").named_docs == ["report"]
    assert analyzer.analyse("What did the assessment of the education commissioning plan conclude?"
                            ).named_docs == ["eqia"]
    # Saying no kind, both are named.
    assert sorted(analyzer.analyse("What does the education commissioning plan say about births?").named_docs
                  ) == ["eqia", "report"]


def test_what_someone_is_paid_asks_for_a_sum_of_money(analyzer: QuestionAnalyzer) -> None:
    for question in ("What will the chief executive be paid?", "What does the Leader get paid a year?",
                     "What are councillors paid?"):
        asked = analyzer.analyse(question)
        assert asked.wants_figure and asked.wants_money, question
    # The pay as the topic of what was said is no sum asked for.
    assert not analyzer.analyse("What did the council say about the grant paid to districts?").wants_money


def test_when_something_happened_is_not_answered_with_a_deadline(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "4. Approve plans … by January 2021" was quoted as the date Cabinet approved the strategy (it was 31 January 2019,
    # in a passage the search ranks eighth): a deadline is no date of an event.
    answer = demo_services.ask.ask(AskRequest("On what date did Cabinet approve Derbyshire County Council's "
                                              "Enterprising Council strategy?"))
    assert "by January 2021" not in answer.answer or answer.refused
    assert answer.refused or "31 January 2019" in answer.answer
    # By when something is to be done is asked with "by": the deadline answers that.
    assert not PAST_DATE_ASKED.search("By what date did the minister want a council's request?")
    assert PAST_DATE_ASKED.search("When was the Local Plan adopted?")


def test_a_place_beside_a_council_is_not_a_second_side() -> None:
    analyzer = QuestionAnalyzer([
        _doc("order", "Statement of Reasons", "Oxfordshire County Council", "2025-10-01", "Statement"),
        _doc("mins", "Minutes", "Souldern Parish Council", "2025-02-27", "Minutes"),
    ])
    speed = analyzer.analyse("What speed limit would Oxfordshire County Council's proposed Souldern 20mph order "
                             "replace?")
    assert speed.intent == Intent.LOOKUP and speed.councils == ["Oxfordshire County Council",
                                                                "Souldern Parish Council"]
    both = analyzer.analyse("What did Oxfordshire County Council and Souldern Parish Council say about speeding?")
    assert both.intent == Intent.COMPARISON


def test_amounts_asked_for_in_the_plural_are_figures_not_a_list(analyzer: QuestionAnalyzer) -> None:
    # "What … limits" asks for the limits' amounts ("Counterparty limit: £10m | Sector limit: £50m"), not a list.
    limits = analyzer.analyse("What counterparty and sector limits does the treasury management strategy set for "
                              "unsecured investments with registered providers?")
    assert limits.wants_figure and limits.intent == Intent.LOOKUP
    assert analyzer.analyse("What fees and charges did the council raise?").wants_figure
    assert not analyzer.analyse("What limitations did the peer team find?").wants_figure
    # After "did", the noun is who did it: "What did councillors ask …" asks what they asked, not for councillors.
    assert analyzer.analyse("What did councillors ask about potholes?").intent != Intent.LIST
    assert analyzer.analyse("What were the main risks identified?").intent == Intent.LIST
    # What a review suggests or advises is what it recommends.
    suggested = analyzer.analyse("What did the 2017 peer team suggest doing about the political culture?")
    assert suggested.intent == Intent.LIST and suggested.list_noun == "recommendations"
    # Things asked for in a paper or of an amount are not the amount: "the biggest risks in the budget …".
    assert not analyzer.analyse("What are the biggest risks in the budget risk register?").wants_figure
    assert not analyzer.analyse("What were the main reasons for the overspend?").wants_figure
    assert analyzer.analyse("What is the size of the budget gap?").wants_figure


def test_one_council_against_a_national_figure_is_not_a_comparison_of_its_papers(analyzer: QuestionAnalyzer) -> None:
    # Naming Derbyshire County Council weighs all its papers alike: that names no two papers to set side by side.
    analysis = analyzer.analyse("How does Derbyshire County Council's sickness absence rate compare with the national "
                                "average?")
    assert analysis.sides == [] and analysis.intent == Intent.LOOKUP


def test_follow_ups_resolve_to_what_they_refer_to(analyzer: QuestionAnalyzer) -> None:
    resolver = ConversationResolver(analyzer)
    swap = resolver.resolve("What about Derby City?", [Turn("How much did Derbyshire County Council save in 2017?")])
    assert swap.standalone == "How much did Derby City Council save in 2017?"
    pledges = Turn("What were Derby City Council's Super Six pledges?",
                   "From the papers:\n- “Making Derby the cleanest English city within 4 years” [1]\n"
                   "- “Delivery of 500 affordable homes to rent or buy by March 2020” [2]",
                   councils=["Derby City Council"], doc_ids=[PEER_2017])
    one = resolver.resolve("Did the peer team think the cleanest city one was realistic?", [pledges])
    assert "Making Derby the cleanest English city within 4 years" in one.standalone
    assert one.doc_ids == [PEER_2017] and "(" not in one.standalone  # no bracketed keywords
    they = resolver.resolve("What did they recommend?", [Turn("What did the peer team say about Cotmanhay?")])
    assert they.standalone == "What did the peer team recommend?"
    # A peer challenge says things through its team: "they" is it, not the council it reviewed.
    # "It" is the name the question before asked about or wrote, without "the" ("Vision Derbyshire").
    towards = resolver.resolve("How much will the Dales pay towards it?", [Turn("What is Vision Derbyshire?")])
    assert towards.standalone == "How much will the Dales pay towards Vision Derbyshire?"
    assert resolver.resolve("Who signed it off?", [Turn(towards.standalone)]).standalone == \
        "Who signed Vision Derbyshire off?"
    # "IT" in capitals is a short form, not a pronoun for what the question before asked about.
    assert resolver.resolve("How much did the council spend on IT?", [Turn("How many KPIs were green?")]).standalone \
        == "How much did the council spend on IT?"
    # After an answer that cited nothing (a refusal), the follow-up stays with the paper that question named.
    refused = Turn("How many new posts does the Productivity Plan say will be created?", answer="")
    assert resolver.resolve("And at primary level?", [refused]).doc_ids == ["plan"]
    said = resolver.resolve("What did they say about digital?",
                            [Turn("What did the 2018 peer challenge say about Derbyshire's reserves?")])
    assert said.standalone == "What did the 2018 peer challenge say about digital?"
    programme = resolver.resolve("How much is that programme supposed to save?",
                                 [Turn("Which consultancy runs the Better Lives programme?")])
    assert "the Better Lives programme" in programme.standalone
    body = resolver.resolve("Who chairs it?", [Turn("What did the Leader say about the Kent Leaders Devolution "
                                                    "Working Group?")])
    assert body.standalone == "Who chairs the Kent Leaders Devolution Working Group?"
    share = resolver.resolve("What percentage of repairs does that represent?",
                             [Turn("How many potholes did Kent Highways repair within 28 days in Quarter 3?")])
    assert share.standalone == ("What percentage of repairs does the number of potholes Kent Highways repair within "
                                "28 days in Quarter 3 represent?")  # "that" is the count asked for before
    before = resolver.resolve("What was it the year before?", [Turn("What is KCC's pay multiple?")])
    assert before.standalone == "What was KCC's pay multiple the year before?"  # "it": what was asked the state of
    # A word before a council's name is not part of it ("Compare Derbyshire County Council and …").
    assert analyzer.catalogue.councils_named("Compare Derbyshire County Council and Derby City Council on reserves") \
        == ["Derby City Council", "Derbyshire County Council"]
    owner = resolver.resolve("And how big was its capital programme?",
                             [Turn("What was Derby City Council's net revenue budget for 2017/18?")])
    assert owner.standalone == "And how big was Derby City Council's capital programme?"  # "its": an owner's
    # "they": the things asked for, past a word or three before them ("the CIL rates").
    rates = resolver.resolve("When were they adopted?", [Turn("What are the CIL rates in the City of London?")])
    assert rates.standalone == "When were the rates adopted?"
    # "it": a thing the question named by its number.
    numbered = resolver.resolve("Was it carried?", [Turn("Who proposed amendment 8?")])
    assert numbered.standalone == "Was amendment 8 carried?"
    assert resolver.resolve("Is it on track?", [Turn("What does recommendation 3 ask for?")]).standalone \
        == "Is recommendation 3 on track?"


def test_a_follow_up_does_not_repeat_a_one_quote_answer_unless_it_asks_what_that_quote_holds(
        analyzer: QuestionAnalyzer) -> None:
    # A one-quote answer ("From …, page 23: “…” [1]") was not read as shown, so a follow-up quoted it again.
    potholes = Turn("How many potholes did Kent Highways repair within 28 days in Quarter 3 of 2024/25?",
                    "From Quarterly Performance Report – Quarter 3, page 23: “The number of potholes repaired within "
                    "28 days this quarter was 3,058 out of a possible 3,243 giving a Green RAG rating of 94%.” [1]")
    shown = "the number of potholes repaired within 28 days this quarter was 3,058 out of a possible 3,243 giving a " \
            "green rag rating of 94%."
    resolver = ConversationResolver(analyzer)
    assert shown in resolver.resolve("What percentage of repairs does that represent?", [potholes]).seen
    # It is asked for again when it holds what the follow-up newly asks about; not when a view of it is asked.
    staff = Turn("How many FTE employees did Derbyshire County Council have in 2023/24?",
                 "From Productivity Plan 2024, page 1: “Between 2019/20 and 2023/24, employee numbers decreased by "
                 "1,192 from 7,977 to 6,785, and efficiency savings of over £47 million were achieved.” [1]")
    assert not resolver.resolve("And how much in efficiency savings did it make over that period?", [staff]).seen
    pool = Turn("What were Derby City Council's Super Six pledges?",
                "From the papers:\n- “The council will start building a new swimming pool by the end of 2017.” [1]")
    assert resolver.resolve("And what did they make of the pool?", [pool]).seen


def test_what_a_figure_is_asked_of_is_read_from_the_phrase_after_what_it_measures(analyzer: QuestionAnalyzer) -> None:
    assert analyzer.analyse("What is the forecast overspend in children's services at quarter 3?").figure_of == \
        ["children", "services"]  # not "quarter 3", after "at"
    reserves = analyzer.analyse("What level of unringfenced reserves did Derby City Council hold as a percentage of "
                                "its revenue spending in 2017?")
    assert reserves.figure_of == ["unringfenced", "reserves", "revenue", "spending"]  # up to the verb; not the year
    assert analyzer.analyse("What is the net revenue budget for 2025-26?").figure_of == []
    assert analyzer.analyse("What did the peer team say about the cabinet's approach to digital?").figure_of == []


def test_a_follow_up_naming_only_what_changes_swaps_its_counterpart(analyzer: QuestionAnalyzer) -> None:
    # "And in children's services?" was left as it stood (no year, no council to swap), so it was searched alone.
    resolver = ConversationResolver(analyzer)
    overspend = [Turn("What is the forecast overspend in adult social care at quarter 3?")]
    assert resolver.resolve("And in children's services?", overspend).standalone == \
        "What is the forecast overspend in children's services at quarter 3?"  # after the same word, "in"
    assert resolver.resolve("What about Growth, Environment and Transport?", overspend).standalone == \
        "What is the forecast overspend in Growth, Environment and Transport at quarter 3?"  # the only such phrase
    # Not the council's name, when what changes is not a council: "its" then stands for the council.
    savings = resolver.resolve("What about its savings?", [Turn("What did the 2018 peer challenge say about "
                                                                "Derbyshire's reserves?")])
    assert savings.standalone == "What did the 2018 peer challenge say about Derbyshire County Council's savings?"
    # The phrase sharing a word with the new one; a year's phrase is never swapped for a thing.
    assert resolver.resolve("What about quarter 2?", [Turn("How many potholes were repaired in March in quarter 3?")]
                            ).standalone == "How many potholes were repaired in March in quarter 2?"
    unclear = "What about the libraries?"
    assert resolver.resolve(unclear, [Turn("How much was spent on roads in Kent in 2024?")]).standalone == unclear


def test_asking_what_an_earlier_item_says_keeps_that_item(analyzer: QuestionAnalyzer) -> None:
    resolver = ConversationResolver(analyzer)
    pledges = Turn("What were Derby City Council's Super Six pledges?",
                   "From the papers:\n- “Making Derby the cleanest English city within 4 years” [1]\n"
                   "- “Delivery of 500 affordable homes to rent or buy by March 2020” [2]",
                   councils=["Derby City Council"], doc_ids=[PEER_2017])
    item = "Making Derby the cleanest English city within 4 years"
    says = resolver.resolve("What does the cleanest city one actually say?", [pledges])
    assert says.referent == item and says.wants_wording  # its words are the answer
    judged = resolver.resolve("Did the peer team think the cleanest city one was realistic?", [pledges])
    assert judged.referent == item and not judged.wants_wording  # something new about it is wanted
    asked = resolver.resolve("What does the affordable homes one say?",
                             [Turn("Which pledge was about affordable homes?")])
    assert asked.referent == "" and not asked.wants_wording  # matched an earlier question, not an answer's item
    # A model's answer lists them run in, one marker each: its items are told apart by the markers.
    run_in = Turn(pledges.question, "The introduction of a Derby energy tariff [1]; the creation of 2,000 jobs and "
                  "apprenticeships by March 2019 [2]; making Derby the cleanest English city within 4 years [3]; "
                  "delivery of 500 affordable homes to rent or buy by March 2020 [4].",
                  councils=["Derby City Council"], doc_ids=[PEER_2017])
    model = resolver.resolve("Did the peer team think the cleanest city one was realistic?", [run_in])
    assert model.referent == "making Derby the cleanest English city within 4 years"
    assert "energy tariff" not in model.standalone


def test_list_answer_is_the_whole_list_as_numbered_in_the_paper(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest(
        "List the key recommendations of the 2018 Derbyshire County Council corporate peer challenge."))
    assert not answer.refused and answer.intent == "list"
    text = answer.answer
    headlines = ["Undertake more work on the Enterprising Council concept", "Develop a clear operating model",
                 "Take active and deliberate steps to move towards a One Council approach",
                 "Clarify the intentions within the Council Plan", "Develop a more consistent and strategic approach",
                 "Ensure members receive transparent and timely reports", "Partnership working is mixed"]
    positions = [text.index(h) for h in headlines]
    assert positions == sorted(positions)
    for n, headline in enumerate(headlines, start=1):
        assert re.search(rf"^{n}\. {re.escape(headline)}", text, re.MULTILINE), headline
    assert re.search(r"^\s+a\. Further define its role and purpose$", text, re.MULTILINE)  # sub-items indented
    assert "pages 2–3" in text.splitlines()[0]  # the lead names the paper and pages
    # No quote is a bare list label ("1.", "a.").
    assert all(len(c.quote.split()) >= 3 for c in answer.citations)
    assert {c.doc_id for c in answer.citations} == {PEER_2018}
    assert_quotes_verified(answer)


def test_summary_walks_the_paper_in_order(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("Summarise the Productivity Plan."))
    assert not answer.refused and answer.intent == "summary"
    lines = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    areas = [n for n in range(1, 5) if any(f"Thematic Area {n}" in line for line in lines)]
    assert areas == [1, 2, 3, 4]
    # A section made of a list ("Key examples include: …") is given its own prose first, then the items.
    transformation = next(line for line in lines if "Thematic Area 1" in line)
    assert transformation.index("efficiency savings of over £47 million") < transformation.index(
        "Adult Social Care Transformation:")
    assert all(re.search(r"\[\d+\]", line) for line in lines)
    assert_quotes_verified(answer)


@pytest.mark.parametrize(("question", "rest", "points"), [
    ("Sum up the plan in 5 bullet points", "Sum up the plan", 5),
    ("Give me the gist in one sentence", "Give me the gist", 1),
    ("Explain briefly what the plan is", "Explain what the plan is", 0),
    ("What does it say in paragraph 3.2?", "What does it say in paragraph 3.2?", 0),  # a place in the paper
    ("What are the key points of the plan?", "What are the key points of the plan?", 0),  # what is asked
])
def test_the_layout_asked_for_is_told_from_the_question(question: str, rest: str, points: int) -> None:
    from assistant.cues import answer_shape

    assert answer_shape(question) == (rest, points)


def test_a_summary_asked_in_so_many_points_gives_that_many_sections(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "in three points" says how to lay the answer out, not what it is about: it was searched for as the topic and
    # answered with one sentence. The report's title, printed again as its first headings, is no point of its own.
    analysis = demo_services.ask.analyse("Summarise the Dales report in three points", [])
    assert analysis.intent == "summary" and analysis.points == 3 and not {"three", "points"} & set(analysis.terms)
    answer = demo_services.ask.ask(AskRequest("Summarise the Dales report in three points"))
    lines = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert [line.split(":")[0] for line in lines] == ["- PURPOSE OF REPORT", "- RECOMMENDATION", "- BACKGROUND"]
    assert_quotes_verified(answer)


@pytest.mark.parametrize("question", ["What is the Dales 'New Vision for Derbyshire' report about?",
                                      "Give me the gist of the 2018 peer challenge of Derbyshire County Council."])
def test_a_summary_quotes_each_statement_once(demo_services, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest(question))
    assert answer.intent == "summary" and not answer.refused
    # A list's first item is not also quoted as the prose before the list ("1. Note progress …" then "Note
    # progress …"), and a heading in capitals ("NEW VISION FOR DERBYSHIRE - NON STUCTURAL REFORM") is no statement.
    bare_quotes = [re.sub(r"^\s*\d+(?:\.\d+)*\.?\s+", "", c.quote).strip() for c in answer.citations]
    assert len(bare_quotes) == len(set(bare_quotes)), answer.answer
    assert all(any(ch.islower() for ch in c.quote) for c in answer.citations), answer.answer
    assert_quotes_verified(answer)


def test_a_quoted_lead_in_brings_the_list_nested_under_it(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "1.4 … Key interview topics for discussion, included:" is a numbered item whose bullets are its sub-items;
    # a lookup that quotes the lead-in shows them, not a colon with nothing after it.
    answer = demo_services.ask.ask(AskRequest("What was the PwC study behind Vision Derbyshire meant to achieve?"))
    dangling = [c.quote for c in answer.citations if c.quote.rstrip().endswith(":")]
    assert dangling, answer.answer  # the case this test is about: a lead-in quoted
    for lead_in in dangling:
        after = answer.answer[answer.answer.index(lead_in) + len(lead_in):]
        assert re.match(r"”\s*\[\d+\]\s*\n\s*- \w", after), answer.answer
    assert "Ways of working, culture and behaviours, enablers and barriers" in answer.answer
    assert_quotes_verified(answer)


def test_words_the_question_quotes_are_read_as_written(analyzer: QuestionAnalyzer) -> None:
    analysis = analyzer.analyse("On governance at Derby City, what was on the peer team's 'much to do' list?")
    assert analysis.quoted == ["much to do"]  # not "team's" up to the next quote: an apostrophe opens no quote
    assert analysis.intent == Intent.LIST
    assert analyzer.analyse("What did the \u201cSuper Six\u201d pledges promise?").quoted == ["super six"]
    assert analyzer.analyse("What is the 'commercial' approach?").quoted == []  # one word is searched anyway
    # An apostrophe inside a quote is part of it; a quote that is no paper's title is the topic, not a paper's name.
    kent = QuestionAnalyzer([_doc("budget", "Budget 2025-26", "Kent County Council", "2025-02-13", "Budget report"),
                             _doc("future", "Framing Kent's Future", "Kent County Council", "2022-05-26", "Strategy")])
    skf = kent.analyse("What does the budget report say about 'Securing Kent's Future'?")
    assert skf.quoted == ["securing kent's future"] and "future" in skf.terms and "future" not in skf.naming_terms
    assert not skf.wants_figure  # "the budget report" names a paper: no amount is asked for
    assert "vision" in analyzer.analyse("What is the Dales 'New Vision for Derbyshire' report about?").naming_terms


def test_a_list_named_by_its_quoted_lead_in_is_given_whole(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "There is much to do:" leads seven bullets on governance; none of them says "much to do", and the words
    # searched alone ("much", "to", "do") are no words at all.
    answer = demo_services.ask.ask(AskRequest("On governance and internal control at Derby City, what was on the "
                                              "peer team's 'much to do' list?"))
    assert "There is much to do:" in answer.answer.splitlines()[0], answer.answer
    for item in ("Audit Committee", "Internal Audit", "asset register", "Human Resources", "health and safety",
                 "complaints", "boundaries"):
        assert item in answer.answer, (item, answer.answer)
    assert_quotes_verified(answer)


def test_a_list_item_is_read_with_its_lead_in(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "Spoke to more than 100 people …" names no team: its lead-in ("The team then spent 4 days onsite …, during
    # which they:") does, and the index keeps the two in one passage.
    answer = demo_services.ask.ask(AskRequest("How many people did the 2018 peer team talk to?"))
    assert not answer.refused, answer.refusal_reason
    assert "Spoke to more than 100 people" in answer.answer
    assert_quotes_verified(answer)


def test_a_count_asked_for_is_not_answered_with_a_share(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "In 2023/24, spend on agency employees and consultants was 9.26% of the total staffing budget." holds the
    # question's words and a figure, but a percentage counts no staff.
    answer = demo_services.ask.ask(AskRequest("How many staff does Derbyshire employ?"))
    assert "9.26%" not in answer.answer, answer.answer
    assert answer.refused or "6,785" in answer.answer, answer.answer


def test_examples_printed_as_paragraphs_follow_their_lead_in(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "… increasing value from assets. Examples include:" is followed by paragraphs, none marked as a list item: the
    # answer gives them, not the other "Examples include:" list of the paper (Thematic Area 2's data sharing).
    answer = demo_services.ask.ask(AskRequest("Where has Derbyshire taken a more commercial approach, according to "
                                              "its Productivity Plan?"))
    for example in ("joint venture", "countryside service", "waste contracts", "Jacobs"):
        assert example in answer.answer, (example, answer.answer)
    assert "Children's Residential Placements" not in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_what_an_amount_is_for_asks_no_figure(analyzer: QuestionAnalyzer) -> None:
    for question in ("What are reserves held for?", "What are reserves held for according to the draft budget?",
                     "What is the grant spent on?"):
        assert not analyzer.analyse(question).wants_figure, question
    assert analyzer.analyse("What level of reserves does the council hold?").wants_figure
    assert analyzer.analyse("What forecast overspend for 2024-25 did he base it on?").wants_figure


def test_an_amount_word_that_something_was_done_about_asks_no_figure(analyzer: QuestionAnalyzer) -> None:
    # These were refused on a Kent index as "the question asks for a figure and no sentence gives one".
    for question in ("What did councillors vote on the budget in February?",
                     "Which amendments to the budget were rejected?", "What did the budget amendments propose?"):
        assert not analyzer.analyse(question).wants_figure, question
    assert analyzer.analyse("What did the council spend on agency staff?").wants_figure
    assert analyzer.analyse("What was the net revenue budget for 2024?").wants_figure


def test_an_amount_word_as_the_topic_of_a_view_asks_no_figure(analyzer: QuestionAnalyzer) -> None:
    assert not analyzer.analyse("What did the 2017 peer team say about Derby City's reserves?").wants_figure
    assert analyzer.analyse("What was Derby City Council's net revenue budget for 2017/18?").wants_figure
    # The amount asked before the view's verb is still an amount asked for.
    assert analyzer.analyse("What was the total spend reported on agency staff in 2023/24?").wants_figure


@pytest.mark.parametrize(("question", "said"), [
    ("What did the 2018 peer challenge say about Derbyshire's reserves?", "at 43% the county council had"),
    ("What did the 2017 peer team say about Derby City's reserves?", "utilised £5.98m of reserves"),
])
def test_what_a_paper_said_about_an_amount_is_answered(demo_services, question: str, said: str) -> None:  # type: ignore[no-untyped-def]
    # Not refused for want of a figure, and searched for its topic ("reserves"), not for the words naming the paper
    # ("2018 peer challenge": its cover and its "Spoke to more than 100 people …").
    answer = demo_services.ask.ask(AskRequest(question))
    assert not answer.refused and said in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_a_topic_summary_reads_the_section_on_it(demo_services) -> None:  # type: ignore[no-untyped-def]
    question = "Sum up how the 2018 peer team saw Derbyshire County Council's finances."
    answer = demo_services.ask.ask(AskRequest(question))
    assert "Financial planning and viability" in answer.answer.splitlines()[0]
    # The section is the whole answer and long (about 40 sentences in 14 paragraphs): its gist reads further than
    # six of them, a point from each of its paragraphs on the reductions made, the reserves held and the gap ahead.
    for point in ("£263m", "43%", "£70m"):
        assert point in answer.answer, (point, answer.answer)
    assert len(answer.citations) > 6


def test_a_sections_gist_opens_with_the_sections_own_point(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "4.4 Financial planning and viability" states its verdict first, in words the rest of it does not repeat
    # (the reductions, reserves and gaps that follow share more words with each other).
    answer = demo_services.ask.ask(AskRequest("Sum up how the 2018 peer team saw Derbyshire County Council's "
                                              "finances."))
    quotes = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert quotes[0].startswith("- “DCC is well placed to respond to future challenges"), answer.answer
    assert_quotes_verified(answer)


def test_a_sections_gist_takes_a_point_from_each_paragraph(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "Financial planning and viability" makes one point a paragraph: the funding lost, the reserves used, the
    # capital programme. Sentences full of the words every sentence uses ("council", "budget") are not its gist.
    answer = demo_services.ask.ask(AskRequest("What did the 2017 peer team conclude about Derby City Council's "
                                              "money situation?"))
    assert "Financial planning and viability" in answer.answer.splitlines()[0]
    for point in ("£28m", "£5.98m", "£213m"):
        assert point in answer.answer, (point, answer.answer)
    assert_quotes_verified(answer)


def test_a_papers_own_summary_is_read_more_fully_and_a_gist_quotes_statements(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("Give me a quick overview of what the 2017 peer challenge found at "
                                              "Derby City Council."))
    summary = next(line for line in answer.answer.splitlines() if line.startswith("- Executive Summary"))
    assert "many priorities" in summary and "Public Interest Report" in summary, summary
    # Not a pledge quoted without its list, nor the adviser's phone number.
    assert "“Making Derby the cleanest English city within 4 years”" not in answer.answer, answer.answer
    assert "07747" not in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_a_gist_does_not_quote_a_sentence_that_leans_on_the_one_before(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "This enables the Council to access professional support …" says what a contract with Jacobs enables; quoted
    # alone under "Reducing Wasteful Expenditure" it reads as if the council's spending controls did.
    answer = demo_services.ask.ask(AskRequest("Summarise the Derbyshire County Council Productivity Plan for me."))
    assert answer.intent == "summary" and "Reducing Wasteful Expenditure" in answer.answer
    assert "This enables the Council" not in answer.answer, answer.answer


def test_comparison_has_a_block_per_paper(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest(
        "How many people did the peer teams speak to during the Derby City and Derbyshire County peer challenges?"))
    assert answer.intent == "comparison" and not answer.refused
    assert "more than 160 people" in answer.answer and "more than 100 people" in answer.answer
    assert answer.answer.index("Derby City Council (") < answer.answer.index("Derbyshire County Council (")
    assert {c.doc_id for c in answer.citations} >= {PEER_2017, PEER_2018}
    assert_quotes_verified(answer)


def test_a_word_of_the_topic_used_in_another_sense_is_not_the_topic(demo_services) -> None:  # type: ignore[no-untyped-def]
    # Issue 10's third example: the 2017 side quoted "Locality teams in Adults are creating a culture of self-help
    # and resilience", which shares one word with "financial resilience" and nothing of its sense.
    assert sense_pairs("what they said about financial resilience", ["said", "financial", "resilience"]) == [
        ("financial", "resilience")]
    assert sense_pairs("Which inspector examined the Watford Local Plan?", ["inspector", "examined", "watford"]) \
        == []  # a noun and its verb are no phrase
    assert sense_pairs("Which council had the bigger budget gap?", ["bigger", "budget", "gap"]) == [
        ("budget", "gap")]  # a word comparing says which, not what
    answer = demo_services.ask.ask(AskRequest("Compare what the two peer challenges said about financial "
                                              "resilience."))
    assert answer.intent == "comparison" and "self-help" not in answer.answer
    assert {c.doc_id for c in answer.citations} == {PEER_2017, PEER_2018}
    cited = {c.chunk_id for c in answer.citations}
    assert all("Financial planning and viability" in p.chunk.section for p in answer.retrieved
               if p.chunk.chunk_id in cited)
    assert_quotes_verified(answer)


def test_which_council_did_more_sets_every_council_side_by_side(demo_services) -> None:  # type: ignore[no-untyped-def]
    # Asked of no council by name, "which council …" was answered with one sentence from one paper.
    answer = demo_services.ask.ask(AskRequest("Which council had the bigger budget gap?"))
    assert answer.intent == "comparison" and not answer.refused
    text = answer.answer
    assert text.startswith("Comparing Derby City Council, Derbyshire County Council and Derbyshire Dales District "
                           "Council:")
    assert "cumulative budget gap of £70m" in text and "meet the budget gap by 2019-20" in text
    assert "Derbyshire Dales District Council: Nothing found on this" in text
    assert_quotes_verified(answer)
    # Not when the question names the council, nor when it asks no "which … more".
    assert demo_services.ask.analyse("Which council services had the bigger overspend at Derbyshire?", []).intent \
        != "comparison"
    assert demo_services.ask.analyse("Which council commissioned PwC?", []).intent != "comparison"


def test_a_comparison_side_quotes_the_sum_its_paper_gives_on_the_topic(demo_services) -> None:  # type: ignore[no-untyped-def]
    # The county's side quoted how it uses its reserves and the sentence after, not the 43% the peer team measured
    # them at (it adds no word of the question to "reserves"); a side giving no sum gets the best one on the topic.
    answer = demo_services.ask.ask(AskRequest("Compare how the peer teams saw the use of reserves at Derby City "
                                              "Council and at Derbyshire County Council."))
    city, county = answer.answer.split("\n\n")[1:3]
    assert "£5.98m of reserves" in city and "at 43% the county council had the second highest level" in county
    assert_quotes_verified(answer)
    # Both sides are Derbyshire's papers: "Derbyshire" is their scope, not a word to find in each ("… more than 370
    # hours … the equivalent of one person spending more than 10 weeks in Derbyshire").
    from assistant.sides import side_terms

    digital = demo_services.ask.analyse("The 2018 peer challenge criticised Derbyshire's low profile on digital. What "
                                        "does the 2024 productivity plan say the council has done since?", [])
    assert len(digital.sides) == 2 and side_terms(digital) == ["criticised", "low", "profile", "digital", "done"]


def test_comparison_of_two_papers_quotes_what_they_found_not_questions_they_asked(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("Compare what the two peer challenges said about financial resilience."))
    assert answer.intent == "comparison" and not answer.refused
    text = answer.answer
    assert text.index("Corporate Peer Challenge 2017 (") < text.index("Corporate Peer Challenge 2018 (")
    assert not any(c.quote.rstrip("”’\"' ").endswith("?") for c in answer.citations), answer.answer
    assert_quotes_verified(answer)


def test_a_comparison_naming_no_topic_sets_each_papers_gist_side_by_side(demo_services) -> None:  # type: ignore[no-untyped-def]
    # Nothing to search each paper for: each side is its executive summary's gist, not "This report provides a
    # summary of the peer team's findings." and a line on the follow-up visit.
    answer = demo_services.ask.ask(AskRequest("Compare the two peer reviews."))
    assert answer.intent == "comparison" and not answer.refused
    by_doc = {doc: [c for c in answer.citations if c.doc_id == doc] for doc in (PEER_2017, PEER_2018)}
    assert all(len(cited) >= 3 for cited in by_doc.values()), answer.answer
    # Each side's headline findings: the 2017 council's governance issues, the 2018 council's ambition and reserves.
    assert "governance and accountability issues" in answer.answer and "financially better placed" in answer.answer
    assert "ambition to be an Enterprising Council" in answer.answer
    assert "This report provides a summary" not in answer.answer
    # Nor a sentence that leans on the one before: "These relate to the lack of resources …" are perceptions the
    # peers warn against, which the quote alone would present as their finding.
    assert "These relate to" not in answer.answer
    assert_quotes_verified(answer)


def test_a_verdict_compared_is_what_each_paper_found_not_the_papers_it_lists(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("How did the verdict on Enterprising Council change between the 2018 "
                                              "peer challenge and the 2020 Cabinet report?"))
    assert answer.intent == "comparison" and not answer.refused
    assert "early stage" in answer.answer  # the peers' verdict, looked for as "Enterprising Council", not "verdict"
    # The Cabinet report's "Background Papers" line ("Cabinet Report – Enterprising Council Strategy 31 January
    # 2019 …") names papers; it is no finding.
    assert not any("Background papers held on file" in c.quote for c in answer.citations), answer.answer
    assert_quotes_verified(answer)


def test_since_a_paper_sets_it_against_its_councils_later_papers(analyzer: QuestionAnalyzer) -> None:
    analysis = analyzer.analyse("How have Derbyshire's children's services fared with Ofsted since the 2018 peer "
                                "challenge?")
    assert analysis.intent == Intent.COMPARISON
    assert [(side.label, side.doc_ids) for side in analysis.sides] == [
        ("Corporate Peer Challenge 2018", [PEER_2018]), ("Derbyshire County Council's later papers", ["plan"])]
    assert "ofsted" in analysis.terms and "2018" not in side_terms(analysis)
    # Words after "since" that name no one paper, or a paper with nothing after it, make no comparison.
    assert analyzer.analyse("How much revenue funding has Derby City lost since the 2010/11 settlement?").intent \
        == Intent.LOOKUP
    assert analyzer.analyse("What has Derby City Council done since the 2017 peer challenge?").sides == []


def test_since_a_paper_quotes_it_and_what_came_after(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("How have Derbyshire's children's services fared with Ofsted since "
                                              "the 2018 peer challenge?"))
    assert answer.intent == "comparison", answer.answer
    then, later = answer.answer.split("Derbyshire County Council's later papers (")
    assert "areas for improvement in child protection planning" in then, answer.answer
    assert "good for all four graded judgements" in later, answer.answer
    assert_quotes_verified(answer)


def test_comparison_sides_of_papers_with_one_title_are_told_apart() -> None:
    title = "Draft Revenue Budget 2025-26 and 2025-28 MTFP"
    docs = [DocumentRecord("cab", title=title, council="Kent County Council", committee="Cabinet", date="2025-01-30"),
            DocumentRecord("cc", title=title, council="Kent County Council", committee="County Council",
                           date="2025-02-13"),
            DocumentRecord("pay", title="Pay Policy Statement", council="Kent County Council", date="2025-03-13")]
    analysis = QuestionAnalysis("How did the draft budget compare with the final one?", Intent.COMPARISON,
                                doc_weights={"cab": 1.0, "cc": 1.0, "pay": 0.1})
    sides = comparison_sides(analysis.text, analysis, QuestionAnalyzer(docs).catalogue)
    assert [(s.label, s.doc_ids) for s in sides] == [(f"{title} (Cabinet, 2025-01-30)", ["cab"]),
                                                     (f"{title} (County Council, 2025-02-13)", ["cc"])]


def test_comparison_sides_of_two_papers_joined_by_and_are_the_paper_each_names() -> None:
    """"… the budget's economic and fiscal context appendix and the section 25 statement describe that risk": the
    "and" joining two papers is the one with a paper named on each side (not the one in "economic and fiscal"); a
    third paper the question's words also touch is no side. "… each say about them" compares."""
    docs = [DocumentRecord("appk", title="Economic & Fiscal Context", council="Kent County Council", date="2025-01-30"),
            DocumentRecord("s25", title="Section 25 Assurance Statement", council="Kent County Council",
                           date="2025-02-13"),
            DocumentRecord("risk", title="Budget Risks Register 2025-26", council="Kent County Council",
                           date="2025-01-30"),
            DocumentRecord("fm", title="Finance Monitoring Report – Quarter 3", council="Kent County Council",
                           date="2025-01-30"),
            DocumentRecord("tms", title="Treasury Management Strategy", council="Kent County Council",
                           date="2025-01-30")]
    analyzer = QuestionAnalyzer(docs)
    question = ("Compare how the budget's economic and fiscal context appendix and the section 25 statement describe "
                "that risk.")
    sides = comparison_sides(question, analyzer.analyse(question), analyzer.catalogue)
    assert [s.doc_ids for s in sides] == [["appk"], ["s25"]]
    lobo = ("How much is in LOBO loans, and what do the quarter 3 finance monitoring report and the treasury "
            "management strategy each say about them?")
    analysis = analyzer.analyse(lobo)
    assert analysis.intent == Intent.COMPARISON and [s.doc_ids for s in analysis.sides] == [["fm"], ["tms"]]
    # Words joined by "and" that name no paper are no sides.
    assert comparison_sides("Compare the county and the districts on housing.", analysis, analyzer.catalogue) == []


def test_comparison_sides_told_apart_by_the_month_of_their_meeting() -> None:
    """"The January draft budget … the final budget report in February": two papers of one title and year, each
    named by its month (in the question's order). Months alone, with no paper of that month named, are no sides."""
    title = "Draft Revenue Budget 2025-26 and 2025-28 MTFP"
    docs = [DocumentRecord("cc", title=title, council="Kent County Council", committee="County Council",
                           date="2025-02-13"),
            DocumentRecord("cab", title=title, council="Kent County Council", committee="Cabinet", date="2025-01-30"),
            DocumentRecord("mins", title="Minutes", council="Kent County Council", date="2025-01-30"),
            DocumentRecord("pay", title="Pay Policy Statement", council="Kent County Council", date="2025-03-13")]
    analyzer = QuestionAnalyzer(docs)
    question = ("How much core funded spending growth did the January draft budget include, compared with the "
                "final budget report in February?")
    analysis = QuestionAnalysis(question, Intent.COMPARISON, doc_weights={"cab": 0.79, "cc": 0.86, "mins": 0.1})
    assert [s.doc_ids for s in comparison_sides(question, analysis, analyzer.catalogue)] == [["cab"], ["cc"]]
    unnamed = "How did spending compare between January and March?"
    analysis = QuestionAnalysis(unnamed, Intent.COMPARISON, doc_weights={"cab": 0.8})
    assert comparison_sides(unnamed, analysis, analyzer.catalogue) == []


def test_follow_up_about_an_item_of_the_previous_answer(demo_services) -> None:  # type: ignore[no-untyped-def]
    first = demo_services.ask.ask(AskRequest("What were the Super Six pledges made by Derby City Council's "
                                             "Cabinet in April 2017?"))
    assert "cleanest English city" in first.answer
    answer = demo_services.ask.ask(AskRequest("Did the peer team think the cleanest city one was realistic?",
                                              [turn_of(first)]))
    assert "cleanest English city" in answer.standalone_question
    assert not answer.refused and {c.doc_id for c in answer.citations} == {PEER_2017}


def test_what_an_item_of_the_previous_list_says_is_that_item_in_full(demo_services) -> None:  # type: ignore[no-untyped-def]
    first = demo_services.ask.ask(AskRequest("What principles for collaboration does the Vision Derbyshire report "
                                             "set out?"))
    assert "unitarisation" in first.answer
    answer = demo_services.ask.ask(AskRequest("What does the unitarisation one actually say?", [turn_of(first)]))
    assert not answer.refused and len(answer.citations) == 1
    assert "viable alternative to local government unitarisation" in answer.answer
    assert "whilst maintaining appropriate local control" in answer.answer  # the whole item, not its first words
    assert_quotes_verified(answer)


def test_the_item_referred_to_answers_when_it_holds_what_is_asked(demo_services) -> None:  # type: ignore[no-untyped-def]
    first = demo_services.ask.ask(AskRequest("Which new boards did Derbyshire County Council create to improve "
                                             "partnership working, according to the 2018 peer challenge?"))
    assert "first due to meet in early 2019" in first.answer
    # The item the earlier answer showed holds the date asked for: it is the answer, though already shown.
    answer = demo_services.ask.ask(AskRequest("When did the value for money one first meet?", [turn_of(first)]))
    assert not answer.refused and "early 2019" in answer.answer
    assert_quotes_verified(answer)


def test_a_figure_shown_before_answers_a_follow_up_that_asks_for_it(demo_services) -> None:  # type: ignore[no-untyped-def]
    first = demo_services.ask.ask(AskRequest("What is the Better Lives programme?"))
    assert "£21 million a year" in first.answer
    # "How much will it save?": the programme's £21 million again, not the £500,000 of the "Live Life Better
    # Derbyshire Service" because the earlier answer already showed the programme's sentence.
    answer = demo_services.ask.ask(AskRequest("How much will it save?", [turn_of(first)]))
    assert not answer.refused and "£21 million a year" in answer.answer and "£500,000" not in answer.answer
    assert_quotes_verified(answer)
    # "Who is delivering it?": a firm is who ("Commissioned Newton Europe to implement …"), shown before or not.
    answer = demo_services.ask.ask(AskRequest("Who is delivering it?", [turn_of(first)]))
    assert "Newton Europe" in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_how_does_that_compare_sets_the_last_two_answers_side_by_side(demo_services) -> None:  # type: ignore[no-untyped-def]
    # One question asked of one council, then of another, then "which is bigger?": the question of both, side by
    # side (it was read as a new lookup about the second council only), each side searched for the period asked.
    first = demo_services.ask.ask(AskRequest("How much did Derbyshire County Council save between 2010 and 2018?"))
    second = demo_services.ask.ask(AskRequest("What about Derby City?", [turn_of(first)]))
    answer = demo_services.ask.ask(AskRequest("Which is bigger?", [turn_of(first), turn_of(second)]))
    assert answer.standalone_question == ("Compare Derbyshire County Council and Derby City Council: How much did each "
                                          "council save between 2010 and 2018?")
    assert answer.intent == "comparison" and "£263m" in answer.answer and "£135m" in answer.answer
    assert_quotes_verified(answer)
    # What the earlier answers showed is shown again: the comparison is of exactly those.
    reserves = demo_services.ask.ask(AskRequest("What did the 2018 peer challenge say about Derbyshire's reserves?"))
    city = demo_services.ask.ask(AskRequest("And Derby City's?", [turn_of(reserves)]))
    assert "£5.98m" in city.answer
    compared = demo_services.ask.ask(AskRequest("How does that compare?", [turn_of(reserves), turn_of(city)]))
    assert compared.intent == "comparison" and "£5.98m" in compared.answer
    assert compared.answer.startswith("Comparing Derby City Council and Derbyshire County Council:")


def test_a_stated_count_picks_the_list_of_that_many(analyzer: QuestionAnalyzer, demo_services) -> None:  # type: ignore[no-untyped-def]
    assert analyzer.analyse("List the five key outcomes of the strategy.").list_count == 5
    assert analyzer.analyse("What were all 7 recommendations?").list_count == 7
    assert analyzer.analyse("Which recommendations were approved at the 16 January meeting?").list_count == 0
    answer = demo_services.ask.ask(AskRequest("List the five key outcomes of the Enterprising Council strategy."))
    # The strategy's five outcomes (page 2), not the 33 achievements listed under them on pages 7-9.
    assert "5 items under" in answer.answer and "self-sufficient communities" in answer.answer
    assert "Vision Derbyshire" not in answer.answer
    assert_quotes_verified(answer)


def test_what_a_question_puts_aside_is_not_what_it_asks_for(analyzer: QuestionAnalyzer, demo_services) -> None:  # type: ignore[no-untyped-def]
    question = ("Apart from the usual core questions, what extra things did Derbyshire County ask its 2018 peer team "
                "to look into?")
    analysis = analyzer.analyse(question)
    assert analysis.set_aside.startswith("Apart from the usual core questions")
    assert "core" not in analysis.terms and "core" not in analysis.asked_text
    assert analyzer.analyse("Which grants does Kent get, other than the Revenue Support Grant?").set_aside
    assert not analyzer.analyse("Which councils other than Kent were written to?").set_aside  # no clause of its own
    answer = demo_services.ask.ask(AskRequest(question))
    # The four questions the council added (page 4), not the five every peer challenge asks.
    assert "Midlands Engine" in answer.answer and "self-reliant, resilient communities" in answer.answer
    assert "Understanding of the local place" not in answer.answer
    assert_quotes_verified(answer)


def test_a_judgement_of_an_item_is_what_was_said_of_it_not_the_item(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("Did the peer team think making Derby the cleanest English city within "
                                              "4 years was realistic?"))
    # The pledge as listed on page 6 only repeats the question; page 12 says what the peer team made of it.
    assert "it does not appear that resources follow this priority" in answer.answer
    assert "“Making Derby the cleanest English city within 4 years”" not in answer.answer
    assert_quotes_verified(answer)


def test_councils_joined_by_a_relation_are_its_topic_not_its_sides(analyzer: QuestionAnalyzer, demo_services) -> None:  # type: ignore[no-untyped-def]
    question = ("What joint working between Derby City Council and Derbyshire County Council is mentioned in the 2017 "
                "peer challenge and the 2024 productivity plan?")
    assert [s.label for s in analyzer.analyse(question).sides] == ["Corporate Peer Challenge 2017",
                                                                   "Productivity Plan 2024"]
    apart = analyzer.analyse("What is the difference in reserves between Derby City Council and Derbyshire County "
                             "Council?")
    assert [s.label for s in apart.sides] == ["Derby City Council", "Derbyshire County Council"]
    answer = demo_services.ask.ask(AskRequest(question))
    # Each paper searched for the other council: the city's paper names the county, the county's the city.
    assert "jointly funded waste disposal plan" in answer.answer
    assert "joint safeguarding children's board with Derby City Council" in answer.answer
    assert_quotes_verified(answer)


def test_who_to_contact_is_the_contact_block_of_the_paper_named(analyzer: QuestionAnalyzer, demo_services) -> None:  # type: ignore[no-untyped-def]
    for question in ("Who should I contact about the Productivity Plan?", "How do I reach them?",
                     "What are the contact details for the 2018 peer challenge?"):
        analysis = analyzer.analyse(question)
        assert analysis.wants_contact and analysis.intent == Intent.LOOKUP, question
    assert not analyzer.analyse("Who chairs the board?").wants_contact
    answer = demo_services.ask.ask(AskRequest("How do I contact the author of the Dales Vision Derbyshire report?"))
    # The name and phone line, and the email line under it; not the LGA adviser another paper names as contact.
    assert "Paul Wilson - Chief Executive Telephone: 01629 761125" in answer.answer
    assert "paul.wilson@derbyshiredales.gov.uk" in answer.answer and "Edgell" not in answer.answer
    assert len(answer.citations) == 1
    assert_quotes_verified(answer)
    # No paper on pay policy in this index: another paper's contact would answer a different question.
    assert demo_services.ask.ask(AskRequest("Who should I contact about the pay policy statement?")).refused


def test_which_of_them_after_a_list_picks_from_that_list(demo_services) -> None:  # type: ignore[no-untyped-def]
    first = demo_services.ask.ask(AskRequest("List the key recommendations of the 2018 Derbyshire County Council "
                                             "corporate peer challenge."))
    answer = demo_services.ask.ask(AskRequest("Which of them is about the budget?", [turn_of(first)]))
    assert "key recommendations of the 2018" in answer.standalone_question  # "them": what was listed
    assert not answer.refused and "strategic approach to the council's budget" in answer.answer
    assert "Undertake more work on the Enterprising Council" not in answer.answer  # only the one on the budget
    assert_quotes_verified(answer)


def test_who_was_on_a_team_is_its_members_and_which_of_them_picks_from_them(demo_services) -> None:  # type: ignore[no-untyped-def]
    first = demo_services.ask.ask(AskRequest("Who was on the peer team that reviewed Derby City Council in 2017?"))
    for member in ("Kersten England", "Cllr Phil Davies", "Cllr Elaine Atkinson", "Helen Isaacs", "Judith Hurcombe"):
        assert member in first.answer, first.answer  # the whole team, not the one name that matched best
    answer = demo_services.ask.ask(AskRequest("Which of them were councillors?", [turn_of(first)]))
    # "Cllr" is a councillor; "Council" (in every member's employer) is not.
    for councillor in ("Cllr Phil Davies", "Cllr Chris Read", "Cllr Elaine Atkinson"):
        assert councillor in answer.answer, answer.answer
    assert "Kersten England" not in answer.answer and "Helen Isaacs" not in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_which_of_them_picks_an_item_named_in_other_words(demo_services) -> None:  # type: ignore[no-untyped-def]
    first = demo_services.ask.ask(AskRequest("What were the Super Six pledges made by Derby City Council's Cabinet "
                                             "in April 2017?"))
    answer = demo_services.ask.ask(AskRequest("Which of these is about cleanliness?", [turn_of(first)]))
    # No pledge says "cleanliness": the one closest in meaning, and clearly so, is the answer.
    assert "Making Derby the cleanest English city within 4 years" in answer.answer
    assert "1 item under" in answer.answer and "Derby energy tariff" not in answer.answer
    assert_quotes_verified(answer)


def test_another_councils_figure_is_not_given_as_the_answer(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("What level of unringfenced reserves did Derby City Council hold as a "
                                              "percentage of its revenue spending in 2017?"))
    assert answer.refused
    # It says plainly what the papers give instead, and whose figure it is.
    assert "Derbyshire County Council, not for Derby City Council" in answer.answer and "43%" in answer.answer
    assert_quotes_verified(answer)
    # Nor another council's person: the 2017 peer team's chief executive is Bradford's, not Derby City's.
    answer = demo_services.ask.ask(AskRequest("What is the name of Derby City Council's chief executive praised in "
                                              "the 2017 peer review?"))
    assert answer.refused and "for Bradford City Council, not for Derby City Council" in answer.answer, answer.answer
    answer = demo_services.ask.ask(AskRequest("Who was the chief executive of Bradford City Council on the 2017 peer "
                                              "team?"))
    assert not answer.refused and "Kersten England" in answer.answer


@pytest.mark.parametrize(("before", "answer", "why"), [
    ("Which directorate is overspending the most?", "From the report, page 5: “Overspends are being reported in "
     "Adult Social Care & Health (+£35.4m), Growth Environment & Transport (+£6.3m) …” [1]",
     "Why is Adult Social Care & Health overspending the most?"),
    ("How much is Kent overspending this year?", "“… overspend of £23.3m” [1]", "Why is Kent overspending this year?"),
    ("Did the peer team recommend closing the accounts?", "", "Why did the peer team recommend closing the accounts?"),
    # Nothing to put in the place of "which council": left as it was.
    ("Which council had the second highest reserves?", "“The setting of the current year's budget …” [1]", ""),
    ("What did the peer team say about the budget?", "", ""),
])
def test_why_alone_is_the_previous_question_asked_why(before: str, answer: str, why: str) -> None:
    assert asked_of("Why?", before, answer) == why
    assert asked_of("How come?", before, answer) == why
    assert asked_of("Why did they say that?", before, answer) == ""  # more than "why": resolved otherwise


def test_when_alone_is_the_previous_yes_no_question_asked_when() -> None:
    before = "Did the council adopt the Kent Minerals and Waste Local Plan?"
    assert asked_of("When?", before, "") == "When did the council adopt the Kent Minerals and Waste Local Plan?"
    assert asked_of("And when was that?", before, "") == asked_of("When?", before, "")
    assert asked_of("Where?", "Was the consultation held online?", "") == "Where was the consultation held online?"
    # A "how much" question has a why, not a when of its own.
    assert asked_of("When?", "How much is Kent overspending this year?", "“… overspend of £23.3m” [1]") == ""
    assert asked_of("When did it happen?", before, "") == ""  # more than "when": resolved otherwise


def test_why_alone_that_cannot_be_turned_is_not_answered_with_any_quotes(demo_services) -> None:  # type: ignore[no-untyped-def]
    # The previous answer sets three councils side by side: no name of it says what "Why?" asks about, and "Why?"
    # searched as it stands quoted the restriction on staff's use of social media.
    first = demo_services.ask.ask(AskRequest("Which council had the second highest level of unringfenced reserves of "
                                             "all county councils?"))
    answer = demo_services.ask.ask(AskRequest("Why?", [turn_of(first)]))
    assert answer.refused and "asks the reason for" in answer.refusal_reason and not answer.citations


def test_a_figure_whose_subject_no_paper_uses_is_not_answered(demo_services) -> None:  # type: ignore[no-untyped-def]
    # No demo paper says "overspend(ing)" of Derby City: "Making Derby the cleanest English city within 4 years" was
    # quoted as the amount, for its "4".
    answer = demo_services.ask.ask(AskRequest("How much is Derby City Council overspending this year?"))
    assert answer.refused and "cleanest" not in answer.answer, answer.answer
    # A count of staff is not a span of time: "… staff grievances … increased over the last 2 years" is no answer.
    staff = demo_services.ask.ask(AskRequest("How many staff does the county employ currently?"))
    assert "over the last 2 years" not in staff.answer, staff.answer


def test_words_that_place_the_question_in_the_askers_present_are_no_topic(analyzer: QuestionAnalyzer) -> None:
    assert analyzer.analyse("How much is Derby City Council overspending this year?").terms == ["overspending"]
    assert "currently" not in analyzer.analyse("What is Derbyshire County Council doing currently about digital?"
                                               ).terms


def test_what_happened_is_refused_when_the_papers_say_it_was_still_to_come(demo_services) -> None:  # type: ignore[no-untyped-def]
    # The Productivity Plan gives Ofsted's grades "(awaiting CQC outcome for Adult Social Care)": no CQC rating.
    rating = demo_services.ask.ask(AskRequest("What rating did the CQC give Derbyshire County Council's adult social "
                                              "care?"))
    assert rating.refused and "still to come" in rating.answer and "awaiting CQC outcome" in rating.answer
    assert_quotes_verified(rating)
    later = demo_services.ask.ask(AskRequest("What did Derbyshire County Council's next corporate peer challenge, due "
                                             "before 2023, conclude?"))
    assert later.refused and "will commission their next Peer Challenge before 2023" in later.answer
    # What was said of it is not what happened: answered.
    said = demo_services.ask.ask(AskRequest("What did the Productivity Plan say about the CQC?"))
    assert not said.refused and "awaiting CQC outcome" in said.answer
    # The view of a body whose view the papers say was awaited is still to come ("awaiting CQC outcome").
    view = demo_services.ask.ask(AskRequest("What did the CQC conclude about Derbyshire County Council's adult social "
                                            "care?"))
    assert view.refused and "still to come" in view.answer
    assert not demo_services.ask.ask(AskRequest("What did the peer team say about the CQC?")).refused


def test_a_list_close_in_meaning_only_is_not_the_list_asked_for(demo_services) -> None:  # type: ignore[no-untyped-def]
    # No paper lists the county's financial risks: its 33 "key achievements" (close to the question in meaning only,
    # their heading holding none of its words) were given as the list; nor is "Considerations" a section on risks.
    answer = demo_services.ask.ask(AskRequest("What are the biggest risks to Derbyshire County Council's finances?"))
    assert "KEY ACHIEVEMENTS" not in answer.answer and "Considerations" not in answer.answer, answer.answer
    assert "Derbyshire Dales" not in answer.answer  # nor the Dales paper's risks: another council's
    # A list of the count asked for still answers by meaning ("the four themes": "Thematic Area 1: …", …).
    themes = demo_services.ask.ask(AskRequest("What are the four themes the county's 2024 Productivity Plan is "
                                              "organised around?"))
    assert "4 items" in themes.answer and "Thematic Area 4: Barriers" in themes.answer


def test_a_list_items_subject_is_read_from_its_lead_in(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "Spoke to more than 160 people …" is an item under "The team then spent 4 days onsite at Derby, during which
    # they:"; "speak to" is what was done, not what the sentence must name.
    answer = demo_services.ask.ask(AskRequest("How many people did the 2017 peer team speak to?"))
    assert not answer.refused and "more than 160 people" in answer.answer
    assert_quotes_verified(answer)


def test_the_words_for_an_amount_asked_are_not_its_subject(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "money" and "save" say what kind of figure is asked; "Budget savings of £46m …" holds neither word as written.
    answer = demo_services.ask.ask(AskRequest("how much money is derbyshire trying to save?"))
    assert not answer.refused and "£" in answer.answer, answer.answer
    assert_quotes_verified(answer)
    # A share of a budget answers "how much" too; it was refused as giving no amount spent.
    agency = demo_services.ask.ask(AskRequest("How much agency spend was there?"))
    assert not agency.refused and "9.26% of the total staffing budget" in agency.answer


def test_a_list_asked_of_a_paper_without_one_is_the_section_its_heading_names(demo_services) -> None:  # type: ignore[no-untyped-def]
    # The Dales report lists no risks; its "RISK ASSESSMENT" section (2.1 Legal, 2.2 Financial) says what they are.
    # It was one sentence ("the legal risk is low") and nothing on money.
    answer = demo_services.ask.ask(AskRequest("What are the risks of the Vision Derbyshire work for the Dales?"))
    assert "“RISK ASSESSMENT”" in answer.answer.splitlines()[0]
    assert "the legal risk is low" in answer.answer and "there are no financial risks at this stage" in answer.answer
    assert_quotes_verified(answer)


def test_a_paraphrase_is_answered(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest(
        "Was Derby behind other councils in getting its year-end books signed off back in 2017?"))
    assert not answer.refused
    assert "not finalised its 2015/16 financial accounts" in answer.answer


def test_what_a_review_recommended_about_a_topic_comes_from_the_register(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("What did the Derby City peer review recommend about finance?"))
    assert answer.intent == "list" and not answer.refused
    assert "of its 11 recommendations that concern finance" in answer.answer.splitlines()[0]
    # Verbatim and whole: the recommendation's later sentences are there too, not only its headline.
    assert "Close the 2015/16 and 2016/17 accounts. Progress is needed urgently" in answer.answer
    assert "Re-establish the Derby Plan" not in answer.answer  # not about finance
    assert_quotes_verified(answer)


def test_a_question_that_asks_two_things_gets_both_answered(demo_services) -> None:  # type: ignore[no-untyped-def]
    answer = demo_services.ask.ask(AskRequest("What was Derby City Council's net revenue budget for 2017/18, and how "
                                              "much of its reserves did it use to set it?"))
    assert not answer.refused
    assert "£215m" in answer.answer and "£5.98m of reserves" in answer.answer
    assert_quotes_verified(answer)
    # "Which consultancy" finds the sentence naming a consultancy, beside the one answering "when".
    answer = demo_services.ask.ask(AskRequest("Which consultancy helped with the highways and fleet management "
                                              "review, and when did Cabinet approve the Future Highways Model?"))
    assert "Proving Services Ltd, a consultancy" in answer.answer and "31 January 2019" in answer.answer
    assert_quotes_verified(answer)
    # One sentence that answers both parts is quoted alone.
    answer = demo_services.ask.ask(AskRequest("How much is the Better Lives programme meant to reduce council spending "
                                              "by each year, and what pathways does it assess?"))
    assert "£21 million a year" in answer.answer and len(answer.citations) == 1
    # A part the papers found do not answer is said to be unanswered, and the other part is still answered.
    answer = demo_services.ask.ask(AskRequest("What was Derby City Council's net revenue budget for 2017/18, and "
                                              "which political party proposed it?"))
    assert not answer.refused and "£215m" in answer.answer
    assert answer.answer.endswith("The papers found do not answer “which political party proposed it?”")
    assert len(answer.citations) == 1  # no loose quote about "political" standing in for a party
    # A part answered by a quote is not said to be unanswered: "in the early start progress table" says where to
    # look (the table's rows do not say "table"), not what the sentence must be about.
    answer = demo_services.ask.ask(AskRequest("When did the Thriving Communities accelerator run, according to the "
                                              "early start progress table, and what's its status?"))
    assert "between February and June 2019" in answer.answer
    assert "do not answer" not in answer.answer, answer.answer


def test_a_status_asked_for_is_the_line_that_gives_it(analyzer: QuestionAnalyzer, demo_services) -> None:  # type: ignore[no-untyped-def]
    assert analyzer.analyse("What stage has the libraries review reached?").wants_status
    assert not analyzer.analyse("How many libraries were transferred?").wants_status
    # The status column of the early start table, printed after each row's text: the row's status, not its
    # first sentences only.
    answer = demo_services.ask.ask(AskRequest("In the June 2020 progress table of early start reviews, what is the "
                                              "status of Occupational Health?"))
    assert "Review Completed – Implementation underway as part of HR Review" in answer.answer, answer.answer
    assert "Review In Progress" not in answer.answer  # the next row's status
    assert_quotes_verified(answer)
    # The rest of the row's status comes with it.
    answer = demo_services.ask.ask(AskRequest("What's the status of the Countryside Services review in the early "
                                              "start table?"))
    assert "on hold for twelve months" in answer.answer, answer.answer
    # A status line names no subject: it answers the part asking for it as the status of the row it ends.
    answer = demo_services.ask.ask(AskRequest("What status does the Cabinet appendix give the highways and fleet "
                                              "management review, and which consultancy supported it?"))
    assert "Review Completed – Implementation of Improvement Plans underway" in answer.answer, answer.answer
    assert "Proving Services Ltd, a consultancy" in answer.answer
    # Asked in one part only, a status does not push out the other part's answer (where and when it ran).
    answer = demo_services.ask.ask(AskRequest("In the early start progress table, where and when did the Thriving "
                                              "Communities accelerator run, and what's its status?"))
    assert "ran in Shirebrook between February and June 2019" in answer.answer, answer.answer
    assert "Thriving Communities Accelerator completed" in answer.answer, answer.answer
    assert_quotes_verified(answer)


def test_who_did_something_asks_for_the_holder_of_the_role_the_verb_names(analyzer: QuestionAnalyzer,
                                                                         demo_services) -> None:  # type: ignore[no-untyped-def]
    analysis = analyzer.analyse("Who managed the 2017 peer challenge?")
    assert analysis.asked_kind == "manager" and "manager" in analysis.terms and analysis.wants_name
    assert analyzer.analyse("Who chaired the meeting?").asked_kind == "chair"
    # "Which …": the head of the noun it names, not its first word.
    assert analyzer.analyse("Which consultancy helped with the Better Lives programme?").asked_kind == "consultancy"
    assert analyzer.analyse("Which case recording system will the service move onto?").asked_kind == "system"
    # The peer team's list names the manager by the role, not by the verb; "managers" in a finding is no answer.
    answer = demo_services.ask.ask(AskRequest("Who managed the 2017 peer challenge?"))
    assert "Judith Hurcombe" in answer.answer and "People Directorate" not in answer.answer, answer.answer
    assert_quotes_verified(answer)
    # Asked of two councils: each side's passage naming someone by that role, not one printing "2017/18" (the years
    # tell the sides apart; they are not looked for in each side's passages).
    answer = demo_services.ask.ask(AskRequest("Who managed the LGA corporate peer challenges of Derby City Council in "
                                              "2017 and Derbyshire County Council in 2018?"))
    assert answer.answer.count("Judith Hurcombe") == 2, answer.answer
    assert_quotes_verified(answer)


def test_a_part_that_names_its_own_paper_is_answered_from_that_paper(demo_services) -> None:  # type: ignore[no-untyped-def]
    # The second part names the Productivity Plan: it is looked for there, not answered by the peer challenge's
    # sentences about monitoring, nor searched with the first part's words.
    answer = demo_services.ask.ask(AskRequest("What level of sickness absence did the 2018 peer challenge report, and "
                                              "how will the productivity plan be monitored?"))
    assert not answer.refused and "10 days per full time equivalent" in answer.answer
    assert "quarterly performance and budget monitoring cycle" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"derbyshire-cc-corporate-peer-challenge-2018",
                                                    "derbyshire-cc-productivity-plan-2024"}
    assert_quotes_verified(answer)


def test_how_often_wants_how_often(analyzer: QuestionAnalyzer, demo_services) -> None:  # type: ignore[no-untyped-def]
    assert analyzer.analyse("How frequently does the board meet?").wants_frequency
    assert not analyzer.analyse("How many times larger is the budget?").wants_frequency
    # The first part's sentences saying how often ("on an annual basis") outrank those that only mention reports.
    answer = demo_services.ask.ask(AskRequest("How often is performance reported to Cabinet according to the 2018 "
                                              "peer challenge, and what did agency staff cost according to the "
                                              "productivity plan?"))
    assert not answer.refused and "on an annual basis" in answer.answer and "9.26%" in answer.answer
    assert_quotes_verified(answer)


def test_a_pronoun_for_what_the_question_itself_names_is_not_taken_from_before(analyzer: QuestionAnalyzer) -> None:
    question = "How much is the Better Lives programme meant to save a year, and who was brought in to deliver it?"
    earlier = Turn("Which consultancy helped with the highways and fleet management review?")
    assert ConversationResolver(analyzer).resolve(question, [earlier]).standalone == question


def test_it_is_the_thing_asked_about_not_the_paper_that_gives_it(analyzer: QuestionAnalyzer) -> None:
    resolver = ConversationResolver(analyzer)
    first = Turn("What savings did the Productivity Plan identify?")
    second = resolver.resolve("Which directorate is driving it?", [first])
    assert second.standalone == "Which directorate is driving the saving?"
    # What "which directorate …" asked about, not the directorate it asked for, is what "about it" means next.
    third = resolver.resolve("What is being done about it?", [first, Turn(second.standalone)])
    assert third.standalone == "What is being done about the saving?"
    # "She" after a "who …" question is the holder of the role it asked for.
    assert resolver.resolve("What did she conclude?", [Turn("Who chaired the meeting?")]).standalone == \
        "What did the chair conclude?"
    # A thing with a name stays what "it" means ("What is the Better Lives programme?" -> "… deliver it?").
    named = resolver.resolve("Who is delivering it?", [Turn("What is the Better Lives programme?")])
    assert named.standalone == "Who is delivering the Better Lives programme?"


def test_what_a_named_council_decided_is_looked_for_in_its_own_minutes() -> None:
    """"What did Souldern Parish Council decide …?" asks for a meeting's record: the minutes the search found are
    another council's (Kent's, on budgets), so the parish council's own minutes are searched for the list first."""
    from assistant.outline import _pools

    docs = {d.doc_id: d for d in [
        DocumentRecord("kent-mins", title="Minutes of the County Council meeting", council="Kent County Council",
                       document_type="Minutes", date="2025-02-13"),
        DocumentRecord("spc-mins", title="Minutes of the Souldern Parish Council meeting",
                       council="Souldern Parish Council", document_type="Minutes", date="2025-02-27"),
        DocumentRecord("spc-regs", title="Financial Regulations", council="Souldern Parish Council",
                       document_type="Policy", date="2024-05-23")]}
    analysis = QuestionAnalysis("What did Souldern Parish Council decide at its meeting on 27 February 2025?",
                                Intent.LIST, councils=["Souldern Parish Council"], asks_record=True)
    pools = _pools(analysis, set(docs), docs, {"kent-mins": 1.0, "spc-regs": 0.5})
    assert pools[0] == ["spc-mins"]


def test_which_motions_were_lost_or_carried_is_a_list_from_the_minutes(analyzer: QuestionAnalyzer) -> None:
    from assistant.minutes import outcome_asked

    analysis = analyzer.analyse("Which amendments to the budget were rejected?")
    assert analysis.intent == Intent.LIST and analysis.list_noun == "amendments" and analysis.asks_record
    assert outcome_asked(analysis.text) is True
    assert outcome_asked("What motions were carried in March?") is False
    assert outcome_asked("What amendments were put to the vote?") is None
    assert outcome_asked("Did the council agree any amendments to the budget?") is False  # the verb, not only "-ed"
    assert outcome_asked("Did councillors reject the amendment?") is True


def test_a_which_question_asks_for_the_thing_it_names_not_an_amount(analyzer: QuestionAnalyzer) -> None:
    # "Which directorate …" asks for a directorate, though "overspend" follows; what is being done about an
    # amount asks for actions, not the amount.
    assert not analyzer.analyse("Which directorate is driving the overspend?").wants_figure
    assert not analyzer.analyse("What is being done about the forecast overspend?").wants_figure
    assert analyzer.analyse("Which savings were the largest?").wants_figure  # the thing named is an amount


def test_a_question_after_a_verdict_or_how_one_changed_is_read_so(analyzer: QuestionAnalyzer) -> None:
    for question in ("How did the verdict on Enterprising Council change between the 2018 peer challenge and the 2020 "
                     "Cabinet report?", "Has Derbyshire's digital offer improved since its 2018 peer challenge?",
                     "What progress has the county made on Enterprising Council since the peers visited in 2018?"):
        assert analyzer.analyse(question).asks_verdict, question
    # A paper's "progress table" is where to look, not a verdict asked for; nor is a plain lookup one.
    assert not analyzer.analyse("In the June 2020 progress table of early start reviews, what is the status of "
                                "Occupational Health?").asks_verdict
    assert not analyzer.analyse("What was Derby City Council's net revenue budget for 2017/18?").asks_verdict


def test_a_name_the_question_writes_is_searched_whole_on_each_side(analyzer: QuestionAnalyzer) -> None:
    """"Enterprising Council": its "Council" is no word to search, but by meaning the name is searched whole;
    "enterprising" alone is as close to every passage of the paper about it."""
    from assistant.sides import side_terms, side_text

    analysis = analyzer.analyse("How did the verdict on Enterprising Council change between the 2018 peer challenge "
                                "and the 2020 Cabinet report?")
    assert side_text(analysis, side_terms(analysis)).startswith("enterprising council")
    plain = analyzer.analyse("Compare what the two peer challenges said about financial resilience.")
    assert side_text(plain, side_terms(plain)) == " ".join(side_terms(plain))


def test_a_verdict_word_and_the_words_naming_the_paper_since_are_not_searched(analyzer: QuestionAnalyzer) -> None:
    """"What progress has the county made on Enterprising Council since the peers visited in 2018?": each side is
    searched for Enterprising Council; not for the word "progress" (the verdict asked for: "A more detailed update
    on … progress … can be found in Appendix A" is no answer), nor "visited" (it names the 2018 paper)."""
    from assistant.sides import side_terms

    analysis = analyzer.analyse("What progress has the county made on Enterprising Council since the peers visited "
                                "in 2018?")
    assert analysis.intent == Intent.COMPARISON and analysis.sides[0].doc_ids == [PEER_2018]
    assert side_terms(analysis) == ["enterprising"]


def test_a_paper_is_dated_as_asked_by_the_month_and_calendar_year_the_question_names() -> None:
    """"… at its February 2025 meeting" is the meeting of 27 February 2025, not one of March 2019 or February 2024; a
    financial year ("2025-26") dates no paper, and a question naming no date dates none."""
    docs = [DocumentRecord("feb25", title="Minutes", council="Souldern Parish Council", date="2025-02-27"),
            DocumentRecord("mar19", title="Minutes", council="Souldern Parish Council", date="2019-03-28")]
    analysis = QuestionAnalyzer(docs).analyse("What did Souldern Parish Council decide at its February 2025 meeting?")
    assert analysis.months == ["february"] and analysis.calendar_years == ["2025"]
    assert analysis.dated_as_asked("2025-02-27")
    assert not analysis.dated_as_asked("2019-03-28") and not analysis.dated_as_asked("2024-02-22")
    budget = QuestionAnalyzer(docs).analyse("How did the 2025-26 net revenue budget compare?")
    assert budget.calendar_years == [] and not budget.dated_as_asked("2025-02-13")
    assert not QuestionAnalyzer(docs).analyse("What did the council decide?").dated_as_asked("2025-02-27")


def test_a_change_asked_in_plain_words_is_the_papers_word_for_it(analyzer: QuestionAnalyzer) -> None:
    from assistant.answer_kinds import states_change

    analysis = analyzer.analyse("How much is the council tax going up?")
    assert analysis.change == "increase" and {"council", "tax", "increase"} <= set(analysis.terms)
    assert states_change(analysis, "The draft budget includes a 4.99% proposed increase in Council Tax.") is True
    assert states_change(analysis, "A Council Tax increase of 2.99% is proposed.") is True
    # What one unit of the change would raise is not the change; nor is an increase in something else.
    assert states_change(analysis, "Each 1% increase in the Council Tax rate generates circa £9.5m.") is False
    assert states_change(analysis, "It results in an increase in Council Tax funding of £11.4m.") is None
    assert analyzer.analyse("Are fees falling?").change == "reduction"
    assert analyzer.analyse("Did income fall in 2024?").change == "reduction"
    assert analyzer.analyse("Which wards fall within the plan area?").change == ""  # where they belong
    assert analyzer.analyse("What did the peer team say about finances?").change == ""


def test_a_follow_up_that_is_only_a_name_takes_the_place_of_the_earlier_questions_name() -> None:
    def none(text: str) -> list[str]:
        return []

    def unmentioned(text: str) -> str:
        return ""

    base = "How much is CYPE forecast to overspend?"
    assert asked_again("And ASCH?", base, none, unmentioned) == "How much is ASCH forecast to overspend?"
    assert asked_again("And Adult Social Care & Health?", base, none, unmentioned) == \
        "How much is Adult Social Care & Health forecast to overspend?"
    # Not a plain word, nor when the earlier question names no one thing ("How" is only its first word).
    assert asked_again("And the schools?", base, none, unmentioned) == ""
    assert asked_again("And ASCH?", "How much is the overspend?", none, unmentioned) == ""
    assert asked_again("And ASCH?", "How do CYPE and GET compare?", none, unmentioned) == ""


def test_a_when_clause_setting_the_scene_asks_for_no_date(analyzer: QuestionAnalyzer) -> None:
    scene = analyzer.analyse("When the county council asks housebuilders to chip in for local infrastructure, how "
                             "often does it actually get what it asked for?")
    assert not scene.wants_date and scene.wants_frequency
    assert analyzer.analyse("When, if ever, was the plan adopted?").wants_date
    assert analyzer.analyse("And when did Cabinet meet?").wants_date


def test_a_side_s_topic_word_alone_keeps_its_sense_when_it_leads_the_phrase(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "financially resilient": "resilience" alone is another sense ("a culture of self-help and resilience"), but
    # "financially" alone is not ("… appears to be prudently managed financially"); and a sentence using the word in
    # another sense is no side's say on the topic, however close the embedder reads it.
    answer = demo_services.ask.ask(AskRequest("Which council looked more financially resilient to its peer team - "
                                              "Derby City in 2017 or Derbyshire County in 2018?"))
    assert answer.intent == "comparison" and "self-help" not in answer.answer, answer.answer
    assert "prudently managed financially" in answer.answer and "£135m" in answer.answer, answer.answer
    # A side is searched by its topic's words alone ("attempts commercial"): which stand together is read from the
    # question as asked, so "commercialism" is not read as "commercial" in another sense.
    commercial = demo_services.ask.ask(AskRequest("Compare the two peer teams' views on each council's attempts to "
                                                  "be more commercial."))
    assert "commercialism" in commercial.answer and "election cycle" not in commercial.answer, commercial.answer
    assert_quotes_verified(answer)
    assert_quotes_verified(commercial)


def test_a_question_naming_nothing_is_refused_not_answered_with_any_row(demo_services) -> None:  # type: ignore[no-untyped-def]
    # "HOW MUCH IS IT?" with nothing before it quoted an arbitrary row of a budget table.
    answer = demo_services.ask.ask(AskRequest("HOW MUCH IS IT?"))
    assert answer.refused and "does not say what it asks about" in answer.refusal_reason, answer.answer
    # After a question, "it" is what that question asked about (and "What is the …" asks of no kind of thing).
    first = demo_services.ask.ask(AskRequest("What is the Better Lives programme?"))
    follow = demo_services.ask.ask(AskRequest("How much will it save?", history=[turn_of(first)]))
    assert "Better Lives programme" in follow.standalone_question and not follow.refused, follow.answer


def test_how_many_of_them_counts_what_the_part_before_counted() -> None:
    # "… how many Sheppey residents have gone into a residential care home, and how many of them stayed on the
    # island?": the answer's "37 (74%) remaining on the Isle of Sheppey" was said not to answer the second part,
    # which was read as counting the word "them".
    part = QuestionAnalysis("how many of them stayed on the island", Intent.LOOKUP, wants_figure=True)
    assert part.counted_noun == ""
    assert QuestionAnalysis("How many KPIs were red?", Intent.LOOKUP).counted_noun == "kpis"


def test_what_one_thing_is_asks_for_no_kind_but_what_things_are_asks_for_them() -> None:
    assert _asked_noun("What is the Kent Minerals and Waste Local Plan?") == ""  # not "mineral"
    assert _asked_noun("What are the CIL rates in the City of London?", plural=True) == "rates"
    assert _asked_noun("Which workshops were held?") == "workshop"
