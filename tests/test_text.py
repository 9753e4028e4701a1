"""The one text-analysis module (common.text) and its table-line readers (common.rows): phrases, terms, figures and
rows as the rest of the code reads them."""

from __future__ import annotations

from common.counts import counts_in_words, counts_of, numbered
from common.rows import (
    column_line,
    labelled_figures,
    names_row,
    names_row_by_column,
    row_cells,
    row_label,
    table_header,
)
from common.text import (
    PERSON_NAME,
    REFERENCE_SECTION,
    amounts,
    amounts_in_words,
    event_date_in,
    figures_in,
    gives_share,
    is_sum,
    names_someone,
    nearly_same,
    normalise_ws,
    numbered_rows_run_together,
    phrases,
    quantities,
    query_terms,
    small_words_in_capitals,
    split_sentences,
    words,
    written_as_name,
)


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


def test_a_row_of_figures_is_read_as_its_label_and_its_cells() -> None:
    assert row_label("Maidstone 68,263.60 68,085.50 115,145.5 -0.26%") == "Maidstone"
    assert row_label("KS A – – – – – £24,513") == "KS A"  # empty cells are printed as dashes
    assert row_label("Aged 18 to 20 £6.15 £6.45 £10.00") == "Aged 18 to 20"  # a range in the label stays in it
    assert row_label("D 9/9 1,610.82 1,691.19 80.37") == "D"  # a fraction is a cell ("Proportion of Band D")
    assert row_label("2019/20 £5.1m £6.2m") == "2019/20"  # a financial year is a label, not a fraction
    band = "Table 6.1 – Proposed Council Tax Increases by Band > Band Proportion of Band D Tax Rate 2024-25 £p"
    assert names_row_by_column("H 18/9 3,221.64 3,382.38 160.74", band, "What will a Band H home pay?")
    assert not names_row_by_column("A 6/9 1,073.88 1,127.46 53.58", band, "What will a Band D home pay?")
    assert names_row_by_column("KS R £1 £2", "Kent Scheme pay scale > Grade | Entry | Top", "the top of grade KS R")
    assert column_line("Band Proportion of Band D Tax Rate 2024-25 (incl. ASCL) £p 2025-26 £p Increase £p")
    assert not column_line("RESERVES") and not column_line("October, 27th November")  # headings, not columns
    assert not column_line("JLP total local housing requirement (2018-2037) 7,904 10,165 18,069")  # a row
    assert row_label("The council spent £5m in 2019.") == ""  # a sentence, not a row
    assert row_label("Latest: 71% Target: 85%") == ""  # one trailing figure is not a row of them
    header = table_header("2025/26 Kent Scheme pay scale > Grade | Entry | Middle | Top")
    assert header == ["Grade", "Entry", "Middle", "Top"]
    assert table_header("Economic & Fiscal Context > National Living/Minimum Wage") == []
    assert row_cells("KS R £217,528 £227,370 £247,055", header) == [
        ("Grade", "KS R"), ("Entry", "£217,528"), ("Middle", "£227,370"), ("Top", "£247,055")]
    assert row_cells("KS R £217,528 £247,055", header) == []  # cells and columns do not pair: say nothing
    drafts = ["Initial Draft (Nov 2024)", "Cabinet Draft (Jan 2025)", "Final Draft (Feb 2025)"]
    assert row_cells("Spending Growth +£117.2m +£150.4m +£151.2m", drafts) == [
        ("", "Spending Growth"), ("Initial Draft (Nov 2024)", "+£117.2m"), ("Cabinet Draft (Jan 2025)", "+£150.4m"),
        ("Final Draft (Feb 2025)", "+£151.2m")]  # a header of the figures' columns only
    assert row_cells("KS R £1 £2 £3", ["Grade", "Entry", "Top"]) == []  # a label column: one figure too many


def test_a_question_names_a_row_by_every_word_of_its_label() -> None:
    asked = set(words("what is the top salary point of grade ks r in the 2025/26 pay scale?"))
    assert names_row("KS R £217,528 £222,449 £247,055", asked)
    assert not names_row("KS Q £168,222 £175,205 £210,120", asked)  # "q" is not asked
    assert not names_row("2025 26 £1 £2", asked | {"2025", "26"})  # numbers alone name no row


def test_a_line_of_labelled_figures_has_no_subject_of_its_own() -> None:
    assert labelled_figures("Latest: 94% Target: 90%, Floor: 80% Previous: 97% (Green)")
    # A text table's row names its subject in a cell; a sentence says what it is about.
    assert not labelled_figures("Key Service: Older People | Revenue Budget: 97.5 | Revenue Forecast: 124.9")
    assert not labelled_figures("The target was 90%: the council reached 94%.")


def test_the_day_of_a_date_is_not_an_amount() -> None:
    assert quantities("backed up to 31 March 2026") == ["31"]  # a figure the attribution check still compares
    assert amounts("backed up to 31 March 2026") == []
    assert amounts("by 10th January we had spent £5m over 12 days") == ["£5m", "12"]
    assert amounts("on March 3 the reserves were 43%") == ["43%"]


def test_a_large_amount_in_words_is_an_amount() -> None:
    # "How much mileage had they wiped off?": "over two million miles" gives it, in words. (Read apart from the
    # figures in digits, which the ingest and the attribution check compare.)
    assert amounts_in_words("a gang that removed over two million miles from vehicle odometers") == ["two million"]
    assert amounts("a gang that removed over two million miles from vehicle odometers") == []
    assert amounts_in_words("£5m for half a million visits") == ["half a million"]
    assert amounts_in_words("one of the thousand-year-old churches, two of the members") == []


def test_a_reference_to_a_part_of_the_paper_is_not_an_amount() -> None:
    # "How much…" wants an amount: "Table 7.4 shows …" and "see paragraph 2.9" number parts of the paper, and
    # "2024- 25" is a financial year broken at the end of a line, not the figure 25.
    assert quantities("Table 7.4 shows the net increases in core funded spending") == []
    assert quantities("as set out in paragraph 2.9 and Appendix B") == []
    assert quantities("based on variations from the approved budget for 2024- 25.") == []
    assert quantities("Table 2 shows £149.6m of growth, 7.1% more") == ["£149.6m", "7.1%"]


def test_a_person_is_named_after_a_role_and_a_colon() -> None:
    # A contact list names the clerk as "Clerk: Barbara McGarry - 01869 345931", with no "Mr" or "Councillor".
    assert PERSON_NAME.search("Clerk: Barbara McGarry - 01869 345931")
    assert PERSON_NAME.search("Chairman: Nick Oakhill - 01869 345784")
    assert not PERSON_NAME.search("Clerk: to be appointed")
    assert not PERSON_NAME.search("Clerks Report and Actions from previous meeting")
    # A peer team's list: "LGA peer challenge manager: Judith Hurcombe", "Judith Hurcombe, LGA Peer Challenge Manager".
    assert PERSON_NAME.search("LGA peer challenge manager: Judith Hurcombe")
    assert PERSON_NAME.search("Judith Hurcombe, LGA Peer Challenge Manager")
    # A role word must be whole: "People Directorate" is not a person who is a Director.
    assert not PERSON_NAME.search("The People Directorate was particularly flagged by both councillors and managers")
    # A status cell run into the text is not a name and a role: "Review In Progress – Undertaken in conjunction …".
    assert not PERSON_NAME.search("Review In Progress – Undertaken in conjunction with Better Lives Programme")


def test_a_firm_brought_in_is_someone_a_who_question_asks_for() -> None:
    assert names_someone("Commissioned Newton Europe to implement the Council's Better Lives programme")
    assert names_someone("Proving Services Ltd, a consultancy based at Cranfield School of Management")
    assert names_someone("Price Waterhouse Coopers (PwC) were commissioned by Derbyshire County Council")
    assert not names_someone("The Better Lives programme has commenced")
    assert not names_someone("the leadership of the Chief Executive and Chief Officer Group")


def test_a_section_listing_the_papers_drawn_on_is_known_by_its_heading() -> None:
    assert REFERENCE_SECTION.match("4. Background Papers") and REFERENCE_SECTION.match("References")
    assert not REFERENCE_SECTION.match("4.4 Financial planning and viability")
    assert not REFERENCE_SECTION.match("Background")  # a report's background says what happened


def test_a_statement_printed_twice_with_a_few_words_changed_is_one_statement() -> None:
    said = ("There was a decision made to transfer the 18-25 section of the Strengthening Independence Service (SIS) "
            "from the Children Young People and Education directorate to the Adult Social Care and Health directorate")
    assert nearly_same(said, "The aim of this project is to " + said)
    cover = "(2) Endorse the proposed decision by the Leader of the Council [Cabinet] to submit a request to Government"
    assert nearly_same(cover, cover.replace(" [Cabinet]", ""))
    # Different figures are different statements, and a short line is too short to tell.
    row = "includes an assumed net impact on the MTFP from the use of reserves of +£12.1m in 2025-26 on the budget"
    assert not nearly_same(row, row.replace("£12.1m", "£12.6m"))
    assert not nearly_same("Review completed.", "Review completed. Work continues.")


def test_a_deadline_is_no_date_of_an_event() -> None:
    assert not event_date_in("4. Approve plans to take forward … the Council's strategy and roadmap by January 2021.")
    assert not event_date_in("Work will continue until March 2025, and be reported by the end of 2025.")
    assert event_date_in("… the Enterprising Council strategy which was approved by Cabinet on 31 January 2019.")
    assert event_date_in("The approach was launched in February 2018.")


def test_a_numbered_tables_rows_run_together_are_no_sentences() -> None:
    """"9. Addressing … climate change 10." then "Flood defence … management 11.": each ends with the next row's
    number. A sentence ending in a number is one when nothing counts up to it."""
    text = ("9. Addressing and planning for the impacts of sea level rise and climate change 10. Flood defence and "
            "the impacts of the Broads Flood Alleviation Project 11. The appropriate level of development 12.")
    starts = [0, text.index("Flood"), text.index("The appropriate")]
    ends = [text.index(" Flood"), text.index(" The appropriate"), len(text)]
    assert all(numbered_rows_run_together(text, s, e) for s, e in zip(starts, ends, strict=True))
    plain = "The council has allocated sites for 12. The number of homes built rose to 45."
    assert not numbered_rows_run_together(plain, plain.index("The number"), len(plain))


def test_the_papers_words_for_plain_ones() -> None:
    from common.wording import equivalents, holds, with_equivalents

    assert "dwellings" in equivalents("homes") and "homes" in equivalents("dwelling")
    assert holds("at least 7,445 dwellings will be provided", "homes")
    assert holds("employee numbers (fte) decreased", "staff")
    assert not holds("the budget was set", "money")  # no group: a budget is not any money
    assert equivalents("budget") == ()
    assert with_equivalents(["staff", "budget"]) == ["staff", "employees", "workforce", "budget"]


def test_a_verb_and_its_particle_are_the_noun_the_papers_make_of_them() -> None:
    from common.wording import holds, phrasal_nouns

    learned = phrasal_nouns("Who called in the family hubs decision?", ["called", "family", "hubs", "decision"])
    assert holds("the committee considered a call-in made by mrs meade", "called", learned)
    assert not holds("the decision maker was mrs chandler", "called", learned)
    assert "signed" in phrasal_nouns("When was the plan signed off?", ["plan", "signed"])
    assert phrasal_nouns("When was the plan signed?", ["plan", "signed"]) == {}
    # A verb that only ends in "d" is no past form: "hand off" made "han-off".
    assert phrasal_nouns("Which decisions can't it hand off?", ["decisions", "hand"]) == {}
    assert phrasal_nouns("Which services were phased out?", ["services", "phased"])["phased"][-1] == "phase-out"


def test_a_negation_is_no_search_word_whichever_apostrophe() -> None:
    assert query_terms("Which decisions can't it hand off, and which won’t they take?") == ["decisions", "hand"]


def test_a_footnote_mark_is_neither_part_of_a_word_nor_of_a_figure() -> None:
    text = "This represents 5% of the national contribution²⁶. In Quarter 3, 17 of the 38¹ indicators are Green."
    assert query_terms(text) == ["represents", "5%", "national", "contribution", "quarter", "3", "17", "38",
                                 "indicators", "green"]
    assert figures_in(text) == ["5%", "3", "17", "38"]
    assert [text[a:b] for a, b in split_sentences(text)][0].endswith("contribution²⁶.")
    # Normalised for display or a citation's quote, the mark stays a mark.
    assert normalise_ws("17 of the 38¹\u00a0indicators") == "17 of the 38¹ indicators"


def test_a_share_is_a_percentage_or_a_count_of_a_whole() -> None:
    assert gives_share("In Quarter 3, 17 of the 38¹ indicators are rated as Green")
    assert gives_share("Latest: 35% Target: 50%") and gives_share("rose by 5 per cent")
    assert gives_share("two councils: 9 out of 12 were")
    assert not gives_share("12 indicators reached the floor standard")
    assert not gives_share("see page 2 of 5")
    assert not gives_share("The council tax collection rate was ranked at 16 out of 27 county councils.")



def test_a_name_is_written_capitalised_or_in_capitals_mid_sentence() -> None:
    assert written_as_name("cotmanhay", "How many homes are planned in Cotmanhay?")
    assert written_as_name("cqc", "What did the CQC rate the homes?")  # a short form in capitals is a name too
    assert not written_as_name("homes", "How many homes are planned in Cotmanhay?")
    assert not written_as_name("how", "How many homes are planned?")  # a sentence's first word says nothing
    assert not written_as_name("cqc", "What did the CQC rate the homes?", capitals=False)


def test_a_count_in_words_is_a_count_before_what_it_counts() -> None:
    assert counts_in_words("the creation of two new joint venture companies to deliver") == \
        [("two", "new joint venture companies")]
    assert counts_in_words("with nine indicators not achieving the floor standard")[0][0] == "nine"
    # Not a part of something, a span of time or a compound: "one of the", "three years", "two-tier".
    assert counts_in_words("one of the best; over three years; a two-tier area; ten times") == []


def test_a_short_form_spelling_a_common_word_is_read_by_its_capitals() -> None:
    assert small_words_in_capitals("How much did the council spend on IT?") == ["it"]
    assert small_words_in_capitals("What about GET and ASCH?") == ["get"]  # ("ASCH" is no common word)
    assert small_words_in_capitals("HOW MUCH IS IT?") == []  # a question in capitals throughout
    assert small_words_in_capitals("Is it on track?") == []


def test_a_count_is_read_with_what_it_counts_in_figures_or_words() -> None:
    text = ("In Quarter 3, 2024/25, 17 of the 38¹ indicators are rated as Green. 12 indicators reached the floor "
            "standard, with nine indicators not achieving it.")
    assert counts_of(text) == [("38", "indicators are rated as"), ("12", "indicators reached the floor"),
                               ("nine", "indicators not achieving it.")]
    # Not an amount, a share, a decimal, a year or a time.
    assert counts_of("£4m saved; 12% more; 99.2 days; in 2024 posts rose; for 12 months; 5 per cent") == []


def test_a_figure_is_read_with_its_unit() -> None:
    assert amounts("A total of 44.9FE across the Plan period and up to 120 temporary Year R places") == \
        ["44.9fe", "120"]
    assert amounts("a 12MW solar farm on a 3ha site, 5km away") == ["12mw", "3ha", "5km"]
    # A unit is no sum of money: only "£", "m", "bn" and "k" make one.
    assert [is_sum(f) for f in ("£4m", "4m", "211k", "1.5bn", "5km", "44.9fe", "43%")] == \
        [True, True, True, True, False, False, False]


def test_a_count_after_what_it_counts_is_read_as_a_number_of_it() -> None:
    text = ("Between 2019/20 and 2023/24, employee numbers (FTE excluding schools) decreased by 1,192 from 7,977 to "
            "6,785, and savings of £47 million were achieved. 12 posts were new.")
    assert numbered(text) == [("1,192", "employee"), ("7,977", "employee"), ("6,785", "employee")]
    assert numbered("The number of looked after children rose to 1,020 in 2023/24.") == \
        [("1,020", "looked after children")]
    # Not a sum, a share or a year; nor a figure in the next sentence.
    assert numbered("The number of complaints fell by 12% to £4m in 2024. There were 30 staff.") == []
