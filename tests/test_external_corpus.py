"""Ingest the 56 real local-government files in ../shared/external once, and check every outcome (and one answer
that needs papers of several bodies in one index).

Slow (minutes: ~1650 pages are parsed, scanned pages OCR'd when tesseract is installed, thousands of
chunks embedded), so the folder is ingested ONCE per module. Skips cleanly when the folder is absent.
Run with `-s` to see the per-file outcome table.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.ask import AskRequest, turn_of
from ingest.ocr import unavailable_reason
from ingest.pipeline import FileOutcome, IngestSummary
from tests.conftest import EXTERNAL, assert_quotes_verified, make_services, requires_external

pytestmark = requires_external()

POSTSCRIPT = "spc-agenda-2020-06-25_NOT-A-PDF-postscript.pdf"


def _manifest() -> list[dict]:
    return json.loads((EXTERNAL / "manifest.json").read_text())


@pytest.fixture(scope="module")
def external(external_ingest, embedder):  # type: ignore[no-untyped-def]
    home, summary = external_ingest
    services = make_services(home, embedder)
    outcomes = {Path(o.path).name: o for o in summary.outcomes}
    yield services, summary, outcomes
    services.close()


def _table(summary: IngestSummary) -> str:
    rows = [f"{'file':<68} {'status':<9} {'pages':>5} {'chunks':>6}  detail"]
    for o in sorted(summary.outcomes, key=lambda o: o.path):
        detail = o.reason or (f"duplicate of {o.duplicate_of}" if o.duplicate_of else "")
        if o.ocr_pages:
            detail += f"OCR on p. {','.join(map(str, o.ocr_pages))}"
        if o.scanned_pages:
            detail += f" no text, not indexed: p. {','.join(map(str, o.scanned_pages))} ({o.note or 'scanned'})"
        rows.append(f"{Path(o.path).name[:68]:<68} {o.status:<9} {o.pages:>5} {o.chunks:>6}  {detail.strip()}")
    return "\n".join(rows)


def test_every_file_gets_one_outcome(external) -> None:  # type: ignore[no-untyped-def]
    _, summary, outcomes = external
    print("\n" + _table(summary) + "\n" + summary.line())
    names = {entry["name"] for entry in _manifest()}
    assert len(names) == 56
    assert set(outcomes) == names
    assert len(summary.outcomes) == len(names)  # one each, nothing removed, nothing reported twice
    for outcome in summary.outcomes:
        assert outcome.status in ("added", "duplicate", "failed"), outcome.describe()
        line = outcome.describe()
        assert "\n" not in line and len(line) < 400


def test_born_digital_files_are_ingested_with_their_pages(external) -> None:  # type: ignore[no-untyped-def]
    _, _, outcomes = external
    for entry in _manifest():
        outcome: FileOutcome = outcomes[entry["name"]]
        if entry["name"] == POSTSCRIPT:
            continue
        assert outcome.status == "added", outcome.describe()
        assert outcome.pages == entry["pages"], outcome.describe()
        assert outcome.chunks > 0


def test_postscript_named_pdf_is_refused_with_a_plain_reason(external) -> None:  # type: ignore[no-untyped-def]
    _, summary, outcomes = external
    outcome = outcomes[POSTSCRIPT]
    assert outcome.status == "failed"
    assert outcome.reason == "not a PDF (PostScript)"
    assert summary.count("failed") == 1


def test_pages_without_text_are_ocrd_or_listed(external) -> None:  # type: ignore[no-untyped-def]
    _, _, outcomes = external
    image_only = [e for e in _manifest() if e["text_status"].startswith(("SCANNED", "NO TEXT", "MIXED"))]
    assert len(image_only) == 7
    ocr_here = not unavailable_reason()
    for entry in image_only:
        outcome = outcomes[entry["name"]]
        unread = set(range(1, entry["pages"] + 1)) - set(outcome.ocr_pages)
        if entry["text_status"].startswith("MIXED"):
            unread -= {3}  # page 3 has a real text layer
        if ocr_here:
            assert outcome.ocr_pages, outcome.describe()
        # Every page without text is either OCR'd or listed as scanned: never silently lost.
        assert unread <= set(outcome.scanned_pages), outcome.describe()
        if outcome.scanned_pages:
            assert "not indexed" in outcome.describe()


def test_ocr_text_is_searchable(external) -> None:  # type: ignore[no-untyped-def]
    if unavailable_reason():
        pytest.skip(unavailable_reason())
    services, _, _ = external
    hits = services.sqlite.search("Agenda Summons to Councillors", 5)
    docs = {c.doc_id for c in services.sqlite.get_chunks([cid for cid, _ in hits]).values()}
    assert "spc-agenda-2021-09-30_SCANNED" in docs


def test_budget_rows_keep_their_label_next_to_their_figures(external) -> None:  # type: ignore[no-untyped-def]
    services, _, _ = external
    expected = {
        # Finance monitoring Q3 2024-25, p. 6: budget, forecast, variance, % variance for one directorate.
        "cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25":
            "Adult Social Care & Health 586.1 621.6 +35.4 +6.0%",
        # 2025-26 budget by directorate (one oversized landscape page): the "Pay" row.
        "council-2025-02-13_budget_appE_budget-by-directorate": "Pay 21,845.7 626.9 22,472.6",
    }
    for doc_id, row in expected.items():
        chunks = services.sqlite.get_chunks(services.sqlite.chunk_ids_for(doc_id)).values()
        assert any(row in c.text for c in chunks), f"{row!r} not kept together in {doc_id}"


def test_index_is_consistent_after_the_batch(external) -> None:  # type: ignore[no-untyped-def]
    services, summary, _ = external
    report = services.index.check()
    assert report.consistent, report.lines()
    assert services.index.stats()["documents"] == summary.count("added")


def test_a_body_named_as_the_papers_owner_is_not_answered_from_another_bodys_paper(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # The City of London's CIL summary is indexed, but it has no office rate for 2026: a Kent budget line on the
    # rates of its office estate is not the answer.
    answer = services.ask.ask(AskRequest("What CIL rate will the City of London charge on offices in 2026?"))
    assert answer.refused and "london" in answer.refusal_reason
    answer = services.ask.ask(AskRequest("What is the City of London's indexed CIL rate for residential development "
                                         "in the Riverside zone?"))
    assert not answer.refused and "City of London Annual CIL Rate Summary 2024" in answer.answer


def test_a_list_is_taken_from_the_council_or_paper_the_question_names(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # Broxbourne's scheme prints its timetable as a table, not a list: a numbered list from the Watford inspector's
    # report is not the answer, whatever its words share with the question.
    answer = services.ask.ask(AskRequest("What are the milestone dates in Broxbourne's Local Development Scheme "
                                         "timetable for the new Local Plan?"))
    assert answer.citations and {c.doc_id for c in answer.citations} <= {"broxbourne-local-development-scheme-2025"}
    # "Preferred Options" is the plan's title, not options asked for: the figures are looked up, both parts.
    answer = services.ask.ask(AskRequest("What is Breckland's minimum housing requirement in the Regulation 18 "
                                         "Preferred Options Local Plan, and what is that per year?"))
    assert answer.intent == "lookup" and "16,525" in answer.answer and "661" in answer.answer


def test_a_parish_meetings_decisions_are_read_from_its_minutes_sentences(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # Souldern's minutes print no "RESOLVED that:" list: "… JH proposed HD seconded and it was RESOLVED to co-opt both
    # Kate and Rob." sits inside minute 02.25.07. The financial regulations' "must not delegate any decision" list
    # is not what the meeting decided.
    answer = services.ask.ask(AskRequest("What did Souldern Parish Council decide at its February 2025 meeting?"))
    assert {c.doc_id for c in answer.citations} == {"spc-minutes-2025-02-27"}, answer.answer
    assert "RESOLVED to co-opt both Kate and Rob" in answer.answer and "“Minute 02.25.07”" in answer.answer
    assert "It was agreed to accept the price increase" in answer.answer
    # Asked about one matter, only the decision on it; a decision taken before ("as previously agreed") or not yet
    # ("once it has been decided …") is none of the meeting's.
    answer = services.ask.ask(AskRequest("What did Souldern Parish Council decide about grass cutting in February "
                                         "2025?"))
    assert "price increase" in answer.answer and "co-opt" not in answer.answer and len(answer.citations) == 1
    # No minutes of a March 2025 meeting are indexed: not the March 2019 ones, nor the regulations' list.
    answer = services.ask.ask(AskRequest("What did Souldern Parish Council decide at its March 2025 meeting?"))
    assert answer.refused and "March 2025" in answer.refusal_reason, answer.answer
    decided = services.contexts.meetings.minutes.decided_in_sentences(
        "spc-annual-parish-meeting-minutes-2024-05-23")
    assert not any("once it has been decided" in i.text for g in decided for i in g.items)


def test_a_word_ranking_what_is_asked_names_no_paper(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # "main" is in the SHLAA's title ("… Main Report"), "risk assessment" in the parish council's: "the main risks"
    # asks for its most serious risks, it does not name the SHLAA.
    analysis = services.ask.analyse("What are the main risks in the parish council's risk assessment?", [])
    assert "main" not in analysis.naming_terms and analysis.named_docs == ["spc-risk-assessment-2023"]
    assert "main" in services.ask.analyse("What does the SHLAA main report say about windfalls?", []).naming_terms


def test_why_is_answered_by_the_reasons_not_by_the_title_or_the_stance(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # The objection's title line ("Puy du Fou – Coalition of Local Parish Councils – Objection") says nothing, and
    # "… we strongly object to the proposals …" says what, not why: the reasons it lists do.
    answer = services.ask.ask(AskRequest("Why do the parish councils object to the Puy du Fou application?"))
    assert "Coalition of Local Parish Councils – Objection" not in answer.answer
    assert "The following are the reasons the Coalition believes the application must be refused" in answer.answer
    assert "Best and Most Versatile" in answer.answer and "Archaeology" in answer.answer


def test_who_is_answered_with_everyone_the_paragraph_names_for_it(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # "Kate Green was attending with a view to be co-opted …" and, next, "Rob Large is also willing to be co-opted …".
    answer = services.ask.ask(AskRequest("Who did Souldern Parish Council co-opt as councillors at its February 2025 "
                                         "meeting?"))
    assert "Kate Green" in answer.answer and "Rob Large" in answer.answer


def test_figures_asked_in_the_plural_are_the_tables_rows(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # Every rate, the Riverside one too (the two rows sharing most words with the question left it out).
    answer = services.ask.ask(AskRequest("What are the CIL rates in the City of London?"))
    assert len(answer.citations) == 7 and "Zone: Riverside | City CIL Rate (£ per m2): £150" in answer.answer
    # The rows the question names (both zones' residential rates); one named row is answered as before.
    answer = services.ask.ask(AskRequest("What are the residential CIL rates in the City of London?"))
    assert len(answer.citations) == 2 and "£150" in answer.answer and "£95" in answer.answer
    answer = services.ask.ask(AskRequest("What are the CIL rates for offices in the City of London?"))
    assert "Land Use: Offices" in answer.answer and "Riverside" not in answer.answer
    # "When were they adopted?": the rates', so the date of the decision, not the summary's "effective from …".
    rates = services.ask.ask(AskRequest("What are the CIL rates in the City of London?"))
    answer = services.ask.ask(AskRequest("When were they adopted?", [turn_of(rates)]))
    assert "was adopted on 1 July 2014" in answer.answer, answer.answer


def test_a_plan_is_named_by_the_body_that_wrote_it(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # The Broads Authority's plan is titled "Core Strategy 2007 - 2021", the Black Country's "Black Country Core
    # Strategy": "the Broads Core Strategy" is the first.
    answer = services.ask.ask(AskRequest("What does the Broads Core Strategy say about flood risk?"))
    assert answer.citations and {c.doc_id for c in answer.citations} == {"broads-authority-core-strategy-2007"}


def test_a_list_argued_item_by_item_is_read_to_its_end(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # "Noise pollution" is argued over three paragraphs and a page break; the reasons after it are the list's too.
    answer = services.ask.ask(AskRequest("On what grounds does the coalition of parish councils object to the Puy du "
                                         "Fou application at Bucknell?"))
    assert "Noise pollution" in answer.answer and "Transport and travel" in answer.answer, answer.answer


def test_a_gist_quotes_no_footnotes(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    answer = services.ask.ask(AskRequest("What did the inspector conclude about the Watford Local Plan?"))
    assert "provides an appropriate basis for the planning of the Borough" in answer.answer
    assert "Oral evidence by the Council" not in answer.answer and "Economic Study 2016" not in answer.answer


def test_a_paper_asked_to_be_summarised_by_a_description_is_summarised_whole(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # "consultation" is what the user calls the paper, not a topic of it: no section is on it, and the answer is the
    # paper's gist, not the one sentence that says "Consultation Report".
    answer = services.ask.ask(AskRequest("Summarise the Breckland preferred options consultation document."))
    assert answer.intent == "summary" and len({c.page for c in answer.citations}) >= 5, answer.answer
    assert {c.doc_id for c in answer.citations} == {"breckland-local-plan-reg18-preferred-options-2024"}
    # "cover" asks for its contents, it is no topic: every item of the newsletter, not its welcome line.
    answer = services.ask.ask(AskRequest("What did the Souldern newsletter in December 2016 cover?"))
    assert answer.intent == "summary" and "Football" in answer.answer and "Defibrillator" in answer.answer
    assert "Playground" in answer.answer and "Summer Event" in answer.answer  # all of its items, not eight


def test_who_holds_a_role_now_is_read_from_the_latest_paper_naming_one(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # The December 2016 newsletter's "Clerk: Barbara McGarry" shares as many words; the February 2025 agenda's
    # "Cathy Fleet – Parish Clerk" is who the clerk is. Asked of 2016, the newsletter answers.
    answer = services.ask.ask(AskRequest("Who is the clerk of Souldern Parish Council?"))
    assert "Cathy Fleet" in answer.answer and "McGarry" not in answer.answer, answer.answer
    answer = services.ask.ask(AskRequest("Who was the clerk of Souldern Parish Council in December 2016?"))
    assert "Barbara McGarry" in answer.answer, answer.answer


def test_a_follow_up_naming_several_papers_stays_with_the_one_the_conversation_is_about(external) -> None:  # type: ignore[no-untyped-def]
    services = external[0]
    # "he" is the inspector, who wrote both inspectors' reports indexed; the conversation is about Watford's, and
    # his conclusion is the one he heads once ("Overall Conclusion and Recommendation"), not an issue's.
    first = services.ask.ask(AskRequest("Who examined the Watford Local Plan?"))
    answer = services.ask.ask(AskRequest("What did he conclude?", [turn_of(first)]))
    assert {c.doc_id for c in answer.citations} == {"watford-local-plan-inspectors-report"}, answer.answer
    assert "Overall Conclusion and Recommendation" in answer.answer


def test_a_follow_up_pointing_back_stays_with_the_paper_that_answered(external) -> None:  # type: ignore[no-untyped-def]
    # "the inspector's report" names the two inspectors' reports indexed; "it" is Broxbourne's plan, whose timetable
    # (the Local Development Scheme) answered the question before and says why two years are allowed.
    services = external[0]
    first = services.ask.ask(AskRequest("When is Broxbourne planning to submit its new Local Plan for examination?"))
    answer = services.ask.ask(AskRequest("And why does it allow two years after that for the inspector's report to "
                                         "come back?", [turn_of(first)]))
    assert {c.doc_id for c in answer.citations} == {"broxbourne-local-development-scheme-2025"}, answer.answer
    assert "it took 25 months" in answer.answer, answer.answer


def test_the_parish_councils_figure_is_not_answered_from_a_county_councils_paper(external) -> None:  # type: ignore[no-untyped-def]
    # "The parish council" is Souldern's (the one parish council here; a scan's "Soulderm" is no other): Kent's
    # "money earmarked for general reserves" is shown as Kent's, with the plain statement that it is not the parish's.
    answer = external[0].ask.ask(AskRequest("How much money does the parish council have in reserves?"))
    assert answer.refused
    assert "They give this for Kent County Council, not for Souldern Parish Council" in answer.answer
    # (Its own accounting statement, a scan read as "Soulderm Parish Council", is the parish's: when it is found, it
    # answers; it is not found by these words, so the reserves are not given: a false refusal, but a plain one.)
    if unavailable_reason():
        return  # the statement is a scan: without OCR it is not indexed
    balances = external[0].ask.ask(AskRequest("What were the parish council's total balances and reserves at the "
                                              "end of the year?"))
    assert not balances.refused and "16,053 16,450" in balances.answer


def test_what_a_report_said_is_its_gist(external) -> None:  # type: ignore[no-untyped-def]
    answer = external[0].ask.ask(AskRequest("What did the county councillor report say?"))
    assert answer.intent == "summary" and "County Councillor’s Report" in answer.answer.splitlines()[0]
    assert "£24.1 million savings" in answer.answer and "Co-option of Councillor" not in answer.answer


def test_a_chairmans_report_is_summed_up_by_its_news_not_its_thanks(external) -> None:  # type: ignore[no-untyped-def]
    # "what the chairman reported" names the section ("4. Chairman's Report"): its words are no topic within it
    # ("sum" read as one matched "summer"), and thanks are no news: the new playground and the 20mph zone are.
    answer = external[0].ask.ask(AskRequest("Sum up what the chairman reported at the Souldern annual parish meeting "
                                            "in May 2024"))
    assert answer.intent == "summary" and "Chairman's Report" in answer.answer.splitlines()[0], answer.answer
    assert "new playground operational" in answer.answer and "20mph zone" in answer.answer
    assert "I would like to thank" not in answer.answer and "Many thanks" not in answer.answer
    assert_quotes_verified(answer)


def test_a_list_of_decisions_a_rule_reserves_is_the_list_not_a_record(external) -> None:  # type: ignore[no-untyped-def]
    # "Which decisions does the council have to take itself …": the financial regulations' list of what it must not
    # delegate, though it records no decision (only "what did … decide?" asks for what was resolved).
    answer = external[0].ask.ask(AskRequest("Which decisions does Souldern Parish Council have to take itself as a "
                                            "full council and can't hand off to anyone else under its financial regs?"))
    assert answer.intent == "list" and "must not delegate any decision" in answer.answer.splitlines()[0], answer.answer
    for item in ("setting the final budget or the precept", "approving accounting statements", "borrowing;"):
        assert item in answer.answer
    assert_quotes_verified(answer)


def test_two_places_of_one_joint_plan_compared_are_the_two_sides(external) -> None:  # type: ignore[no-untyped-def]
    answer = external[0].ask.ask(AskRequest("How do the housing targets for Babergh and Mid Suffolk compare in their "
                                            "joint local plan?"))
    assert answer.intent == "comparison", answer.answer
    assert answer.answer.startswith("Comparing Babergh and Mid Suffolk"), answer.answer
    assert "minimum of 7,904 net additional dwellings" in answer.answer
    assert_quotes_verified(answer)


def test_why_a_rule_is_there_is_the_reason_beside_it(external) -> None:  # type: ignore[no-untyped-def]
    # The policy box scores best ("To avoid the over-concentration of hot food takeaways, …"); its explanation in the
    # same section says why, in words the question does not use, and was quoted in the gist before: it answers.
    services = external[0]
    first = services.ask.ask(AskRequest("What does the Tewkesbury Borough Plan say about hot food takeaways?"))
    answer = services.ask.ask(AskRequest("Why are they so bothered about lots of them bunching together?",
                                         [turn_of(first)]))
    assert "The primary reason being that these uses are often closed during the day" in answer.answer, answer.answer
    assert answer.answer.count("Lead to more than two hot food takeaway outlets") == 1  # once, in its list item
    assert_quotes_verified(answer)


def test_the_county_council_in_a_parish_paper_is_the_county_council_asked_about(external) -> None:  # type: ignore[no-untyped-def]
    # The county councillor's report to Souldern is a parish paper; its "The County Council has set out its Budget"
    # is about Oxfordshire County Council, the one county council it can mean. It was refused as "about Souldern
    # Parish Council, not Oxfordshire County Council".
    services = external[0]
    answer = services.ask.ask(AskRequest("Sum up what the county councillor told Souldern about Oxfordshire County "
                                         "Council's budget in the March 2026 report."))
    assert not answer.refused, answer.refusal_reason
    assert "minimum of £24.1 million savings by 2028-9" in answer.answer
    assert_quotes_verified(answer)
