"""The abbreviations the papers define, read from their text: a question in either form finds the other."""

from __future__ import annotations

from pathlib import Path

from assistant.glossary import Glossary, listed_form, long_form
from common.wording import holds, with_equivalents
from tests.conftest import make_services


def test_a_short_form_s_letters_are_the_initials_of_the_words_before_it() -> None:
    assert long_form("KPIs", "This report includes 38 Key Performance Indicators") == "Key Performance Indicators"
    assert long_form("DfE", "funding from the Department for Education") == "Department for Education"
    assert long_form("EHCP", "Completion of Education, Health and Care Plan") == "Education Health and Care Plan"
    assert long_form("OBR", "forecasts of the Office of Budget Responsibility") == "Office of Budget Responsibility"
    # Not a definition: the letters are not the words' initials, or the bracket holds a word.
    assert long_form("SAP", "the Council's ERP Application") == ""
    assert long_form("Chairman", "Mr B J Sweetland") == ""
    assert long_form("DSG", "Central Schools’ ") == ""
    # The long form does not reach back across a sentence's end.
    assert long_form("KPI", "Reports on performance. Indicators") == ""


def test_a_list_of_abbreviations_gives_each_short_form_the_words_after_it() -> None:
    assert listed_form("ASCH", "Adult Social Care and Health CYPE - Children, Young People") == \
        "Adult Social Care and Health"
    assert listed_form("AONB", "Area of Outstanding Natural Beauty (National Landscapes) BNG") == \
        "Area of Outstanding Natural Beauty"
    assert listed_form("GET", "Growth, Environment & Transport CED - Chief") == "Growth Environment & Transport"
    assert listed_form("THE", "Council agreed the budget") == ""
    glossary = Glossary.read(["Directorates – abbreviations in this report\n\nASCH - Adult Social Care and Health "
                              "CYPE - Children, Young People and Education GET - Growth, Environment & Transport"])
    assert glossary.entries["cype"] == ["children young people and education"]
    cype = glossary.equivalents("What did CYPE spend?", ["cype", "spend"])
    assert holds("the children, young people & education directorate", "cype", cype)  # "&" or "and" alike
    assert glossary.equivalents("How much is GET overspending?", ["get", "overspending"]) == \
        {"get": ("growth environment & transport",)}
    # A term is held at the start of a word: "GET" is not in "budgets", nor "care" in "healthcare".
    assert not holds("the forecast overspend on schools' delegated budgets", "get")
    assert holds("how much will we get?", "get") and not holds("healthcare", "care") and holds("social care", "care")


def _glossary() -> Glossary:
    return Glossary.read([
        "This report includes 38 Key Performance Indicators (KPIs), where progress is assessed against Targets.",
        "The High Needs Block of Dedicated Schools Grant (DSG) is in deficit. The Care Quality Commission (CQC) "
        "inspected. Making a Difference Everyday (MADE) is a programme. Most of it was made by hand.",
        "Education, Health and Care Plans (EHCPs) and the Bus Service Improvement Plan (BSIP) were approved.",
    ])


def test_a_question_s_short_form_holds_in_a_sentence_that_spells_it_out_or_names_its_class() -> None:
    glossary = _glossary()
    learned = glossary.equivalents("What percentage of KPIs were green?", ["percentage", "kpis", "green"])
    assert learned == {"kpis": ("key performance indicators", "indicators")}
    summary = "in quarter 3, 17 of the 38 indicators are rated as green"
    assert holds(summary, "kpis", learned) and not holds(summary, "kpis")
    # A long form's words are whole words: "indicators" is not "indicating" (a green waste contract's row).
    assert not holds("review of green waste contract, with market analysis indicating a reduction", "kpis", learned)
    assert "indicators" in with_equivalents(["kpis"], learned)
    # An organisation's head noun alone is not it ("commissioning" is not the CQC); nor is a head noun that ends
    # more than one defined name ("plans": education, health and care plans, and the bus service plan).
    cqc = glossary.equivalents("What did the CQC find?", ["cqc", "find"])
    assert cqc == {"cqc": ("care quality commission",)}
    assert not holds("the commissioning of services", "cqc", cqc)
    ehcp = glossary.equivalents("How many EHCPs were issued?", ["ehcps", "issued"])
    assert ehcp == {"ehcps": ("education health and care plans",)}


def test_a_spelled_out_name_holds_in_a_sentence_that_uses_its_short_form() -> None:
    glossary = _glossary()
    terms = ["dedicated", "schools", "grant", "deficit"]
    learned = glossary.equivalents("What is the dedicated schools grant deficit?", terms)
    assert learned == {"dedicated": ("dsg",), "schools": ("dsg",), "grant": ("dsg",)}
    assert all(holds("dsg deficits have grown to £0.7bn", t, learned) for t in terms)


def test_a_short_form_the_papers_also_use_as_a_word_is_the_short_form_only_in_capitals() -> None:
    glossary = _glossary()
    assert glossary.equivalents("Who made the decision?", ["made", "decision"]) == {}
    assert glossary.equivalents("What is MADE?", ["made"]) == {"made": ("making a difference everyday",)}


def test_the_index_s_glossary_is_read_from_its_papers(demo_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    services = make_services(demo_home, embedder)
    try:
        analysis = services.ask.analyse("What did the LGA say about Derby's finances?", [])
    finally:
        services.close()
    assert analysis.learned.get("lga") == ("local government association",)


def test_a_word_after_non_is_its_opposite() -> None:
    # "How many UASC were in care?": not "The number of non-UASC children in care … 1,409".
    assert not holds("the number of non-uasc children in care decreased", "uasc")
    assert holds("non-uasc 1,409 and uasc 475", "uasc")
    assert not holds("non-domestic rates", "domestic") and holds("non-domestic and domestic rates", "domestic")
    assert not holds("a nonsense result", "sense")  # a word inside another is not held (nor is its opposite)

