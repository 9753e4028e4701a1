"""Catalogue lookups and metadata guessed from the text when there is no catalogue row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from common.types import Block, BlockKind, Page
from ingest.dates import date_line
from ingest.filename import read_file_name
from ingest.metadata import (
    Catalogue,
    council_names,
    extract_metadata,
    find_council,
    find_date,
    find_document_type,
    title_kind,
)
from ingest.parse import parse_file
from tests.conftest import SHARED

ROOT = Path(__file__).parents[1]
LOCAL = ROOT / "data" / "council-papers"
CORPUS = LOCAL if LOCAL.is_dir() else SHARED / "corpus" / "pdf"
CATALOGUE = CORPUS / "catalogue.csv" if (CORPUS / "catalogue.csv").is_file() else CORPUS.parent / "catalogue.csv"

needs_demo = pytest.mark.skipif(not CATALOGUE.is_file(), reason="demo corpus not available")


@needs_demo
def test_catalogue_metadata_for_demo_pdfs(tmp_path: Path) -> None:
    for pdf in sorted(CORPUS.glob("*.pdf")):
        shutil.copy(pdf, tmp_path / pdf.name)
    shutil.copy(CATALOGUE, tmp_path / "catalogue.csv")
    catalogue = Catalogue.find_for(tmp_path / "x.pdf")
    assert catalogue is not None and catalogue.get("missing") is None
    doc = parse_file(tmp_path / "derbyshire-cc-productivity-plan-2024.pdf")
    meta = doc.metadata
    assert meta.title == "Derbyshire County Council Productivity Plan (2024)"
    expected = ("Productivity Plan 2024", "2024-07", "Derbyshire County Council")
    assert (meta.short_title, meta.date, meta.council) == expected
    assert meta.page_count == 5 and len(meta.content_hash) == 64
    assert meta.doc_id == "derbyshire-cc-productivity-plan-2024"
    cabinet = parse_file(tmp_path / "derbyshire-cc-cabinet-enterprising-council-phase-2-2020.pdf", catalogue).metadata
    assert (cabinet.committee, cabinet.document_type, cabinet.date) == ("Cabinet", "Cabinet report", "2020-09-10")


@needs_demo
@pytest.mark.parametrize(
    ("stem", "title_part", "council", "date"),
    [
        ("derby-city-corporate-peer-challenge-2017", "Derby City Council", "Derby City Council", "2017-06-16"),
        (
            "derbyshire-cc-cabinet-enterprising-council-phase-2-2020",
            "Enterprising Council Phase 2",
            "Derbyshire County Council",
            "2020-09-10",
        ),
        (
            "derbyshire-dales-council-vision-derbyshire-2020",
            "New Vision for Derbyshire",
            "Derbyshire Dales District Council",
            "2020-01-16",
        ),
        ("derbyshire-cc-corporate-peer-challenge-2018", "Derbyshire County Council", "Derbyshire County Council",
         "2018-10-25"),
        ("derbyshire-cc-productivity-plan-2024", "Productivity Plan", "Derbyshire County Council", "2024"),
    ],
)
def test_extracted_metadata_without_catalogue(
    tmp_path: Path, stem: str, title_part: str, council: str, date: str
) -> None:
    pdf = tmp_path / f"{stem}.pdf"
    shutil.copy(CORPUS / f"{stem}.pdf", pdf)
    meta = parse_file(pdf).metadata
    assert title_part in meta.title
    assert meta.council == council
    assert meta.date == date
    assert meta.short_title == ""


def test_find_date_formats() -> None:
    assert find_date("CABINET\n10 SEPTEMBER 2020") == "2020-09-10"
    assert find_date("13th – 16th June 2017") == "2017-06-16"
    assert find_date("Council 16 January 2020") == "2020-01-16"
    assert find_date("Meeting on 3/2/2025") == "2025-02-03"
    assert find_date("Published July 2024") == "2024-07"
    assert find_date("no date here 2019/20") == ""


def test_find_council_and_type() -> None:
    texts = [
        "Report to Council",
        "Derbyshire Dales District Council agreed",
        "Derbyshire County Council said",
        "Derbyshire Dales District Council noted",
        "Sevenoaks District Council",
    ]
    assert find_council(texts) == "Derbyshire Dales District Council"
    assert find_council(["Minutes of Souldern Parish Council"] * 2 + ["Cherwell District Council"]) == (
        "Souldern Parish Council"
    )
    assert find_council(["nothing here"]) == ""
    assert find_document_type("Minutes of the meeting") == "Minutes"
    assert find_document_type("Corporate Peer Challenge Feedback Report") == "Peer challenge report"
    assert find_document_type("Draft Local Plan 2040") == "Local plan"


# --- rules on small synthetic papers -----------------------------------------------------------
# Each paper is a list of (kind, text) blocks on page 1 (and optionally more pages), as parsing
# gives them; nothing here depends on one real file's wording.

H, P, L, T = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW


def _pages(*pages: list[tuple[BlockKind, str]]) -> list[Page]:
    return [Page(n, [Block(kind, text) for kind, text in blocks]) for n, blocks in enumerate(pages, start=1)]


def _meta(stem: str, *pages: list[tuple[BlockKind, str]], info: dict[str, str] | None = None,
          path: Path | None = None) -> dict[str, str]:
    return extract_metadata(stem, _pages(*pages), info or {}, path=path)


REPORT = [
    (H, "From: Jane Smith, Cabinet Member for Finance"),
    (H, "John Brown, Corporate Director of Finance"),
    (H, "To: Cabinet – 30 January 2025"),
    (H, "Subject: Revenue Budget Monitoring 2024-25"),
    (P, "Decision No: 24/00108"),
    (P, "Classification: Unrestricted"),
    (P, "Electoral Division: All"),
    (P, "Summary: This report sets out the forecast outturn. Swale Borough Council and Swale Borough Council agree."),
    (H, "1. Introduction"),
    (L, "1.1 The County Council is forecasting an overspend of £1m, and KCC will act on it."),
]


def test_report_header_block_gives_title_meeting_date_and_decision() -> None:
    meta = _meta("paper", REPORT, info={"title": "THE REPORT"}, path=Path("/papers/kent-cc/paper.pdf"))
    assert meta["title"] == "Revenue Budget Monitoring 2024-25"
    assert (meta["committee"], meta["date"], meta["decision_number"]) == ("Cabinet", "2025-01-30", "24/00108")
    assert meta["document_type"] == "Cabinet report"
    assert meta["author"] == "Jane Smith, Cabinet Member for Finance"
    # Swale is only mentioned; the folder ("kent-cc") and the acronym name the issuer.
    assert meta["council"] == "Kent County Council"


def test_mentions_alone_never_name_the_council() -> None:
    meta = _meta("paper", REPORT)
    assert meta["council"] == ""


def test_report_labels_on_one_line_and_a_title_that_names_the_kind() -> None:
    meta = _meta("pay", [
        (H, "Item No"),
        (P, "By: Peter Jones – Deputy Leader"),
        (P, "To: County Council Date: 13 March 2025"),
        (P, "Subject: Pay Policy Statement 2025/26"),
        (P, "Summary: This paper sets out the pay policy."),
    ], info={"title": "PAY BARGAINING"})
    assert (meta["title"], meta["document_type"]) == ("Pay Policy Statement 2025/26", "Statement")
    assert (meta["committee"], meta["date"]) == ("County Council", "2025-03-13")


def test_a_report_about_a_plan_is_not_the_plan() -> None:
    meta = _meta("adoption", [
        (P, "From: Derek Black – Cabinet Member for Economic Development"),
        (P, "To: Cabinet – 4 March 2025"),
        (P, "Subject: Adoption of the Kent Minerals and Waste Local Plan 2024-2039"),
    ])
    assert meta["document_type"] == "Cabinet report"
    assert title_kind("Adoption of the Kent Minerals and Waste Local Plan 2024-2039") == ""
    assert title_kind("Draft Local Plan – Full Update") == "Local plan"
    assert title_kind("Babergh and Mid Suffolk – Joint Local Plan- Part 1") == "Local plan"
    assert title_kind("Section 25 Assurance Statement") == "Statement"
    assert title_kind("Report on the Examination of the Watford Local Plan 2018-2036") == "Inspector's report"


MINUTES = [
    (H, "KENT COUNTY COUNCIL"),
    (H, "CABINET"),
    (P, "MINUTES of a meeting of the Cabinet held in the Council Chamber, Sessions House, County Hall, "
        "Maidstone on Thursday, 30 January 2025."),
    (P, "PRESENT: Mr R Gough (Chairman), Mr N Baker"),
    (H, "84. Apologies"),
    (P, "The Kent Youth County Council met the Leader; the Kent Youth County Council and Swale Borough Council "
        "were thanked. Kent Youth County Council again."),
    (H, "86. Minutes of the Meeting held on 9th January 2025"),
]


def test_minutes_heading() -> None:
    meta = _meta("printed-minutes", MINUTES, info={"title": "Minutes"})
    assert meta["title"] == "Minutes of the Cabinet meeting, 30 January 2025"
    assert (meta["document_type"], meta["committee"], meta["date"]) == ("Minutes", "Cabinet", "2025-01-30")
    assert meta["council"] == "Kent County Council"  # the heading, not the youth council the text mentions
    assert meta["decision_number"] == ""


def test_parish_minutes_heading_spread_over_lines() -> None:
    meta = _meta("spc-minutes", [
        (P, "Glendale, Duns Tew, Bicester, Oxfordshire"),
        (P, "MINUTES OF THE SOULDERN PARISH COUNCIL MEETING"),
        (P, "HELD IN THE VILLAGE HALL"),
        (P, "ON 27th February 2025"),
        (P, "Present: Nick Oak (NO) CHAIR"),
    ])
    assert meta["title"] == "Minutes of the Souldern Parish Council meeting, 27 February 2025"
    assert (meta["council"], meta["committee"], meta["date"]) == ("Souldern Parish Council", "Parish Council",
                                                                  "2025-02-27")


def test_agenda_front_sheet() -> None:
    meta = _meta("frontsheet", [
        (T, "AGENDA"),
        (T, "CABINET"),
        (T, "Thursday, 30th January, 2025, at 10.00 am Ask for: Jo Bloggs Council Chamber, County Hall"),
        (H, "UNRESTRICTED ITEMS"),
        (L, "3. Minutes of the Meeting held on 9th January 2025 (Pages 1 - 10)"),
        (L, "5. 24/00108 - Revenue and Capital Budget Monitoring Report – November 2024-25"),
    ], [(H, "Wednesday, 22 January 2025")], info={"title": "Agenda Template"})
    assert meta["title"] == "Agenda: Cabinet, 30 January 2025"
    assert (meta["document_type"], meta["committee"], meta["date"]) == ("Agenda", "Cabinet", "2025-01-30")
    assert meta["decision_number"] == ""  # an agenda lists decisions; it is none of them


def test_agenda_summons_names_the_meeting_on_a_later_page() -> None:
    meta = _meta("summons", [
        (H, "Summons to and Agenda for an Extraordinary Meeting on"),
        (H, "Thursday, 9th January, 2025"),
        (P, "at 10.00 am"),
    ], [], [(P, "To: All Members of the County Council"),
            (P, "An extraordinary meeting of the County Council will be held in the Council Chamber")])
    assert meta["title"] == "Agenda: County Council, 9 January 2025"
    assert meta["committee"] == "County Council"


def test_ministerial_letter_is_issued_by_the_department() -> None:
    meta = _meta("appA_letter", [
        (P, "To: Leaders of all two-tier councils and neighbouring unitary authorities"),
        (H, "Jane Doe MP"),
        (P, "Minister of State for Local Government and English Devolution 2 Marsham Street London SW1P 4DF"),
        (P, "16 December 2024"),
        (P, "Dear Leaders"),
        (P, "I am writing to all councils in two-tier areas, including Kent County Council and Kent County Council."),
    ], path=Path("/x/kent-cc/council-2025-01-09_appA_letter.pdf"))
    assert meta["title"] == ("Letter from Jane Doe MP, Minister of State for Local Government and English "
                             "Devolution")
    assert meta["council"] == "Ministry of Housing, Communities and Local Government"
    assert (meta["document_type"], meta["date"]) == ("Letter", "2024-12-16")


def test_forms_take_their_named_fields() -> None:
    amendment = _meta("council-2025-02-13_amendment-8", [
        (H, "Budget Amendment Form"),
        (P, "Amendment Name:"),
        (P, "Reversal – Termination of Support for Council Tax Reduction Schemes"),
        (P, "Amendment Number: 8"),
        (P, "Directorate: Chief Executive's Department Proposer: A Person Seconder: B Person"),
    ])
    assert amendment["title"] == (
        "Budget Amendment 8: Reversal – Termination of Support for Council Tax Reduction Schemes")
    assert amendment["document_type"] == "Budget amendment"
    assert (amendment["committee"], amendment["date"]) == ("Council", "2025-02-13")  # from the file name
    eqia = _meta("cabinet-2025-01-30_24-00096_EQIA", [
        (P, "EQIA Submission Form Information collected from the EQIA Submission"),
        (H, "EQIA Title"),
        (P, "Commissioning Plan for Education Provision 2025-29"),
        (H, "Responsible Officer"),
    ], info={"title": "Commissioning Plan for Education Provision 2025-29"})
    assert eqia["title"] == "Equality impact assessment: Commissioning Plan for Education Provision 2025-29"
    assert eqia["document_type"] == "Equality impact assessment"
    assert eqia["part_of"] == "Commissioning Plan for Education Provision 2025-29"
    assert eqia["decision_number"] == "24/00096"


def test_appendix_title_from_running_header_not_table_header() -> None:
    header = (H, "Directorate Risk Title Source/Cause of Risk Risk Event Consequence Likelihood")
    pages = [[header, (P, f"Risk {n} text.")] for n in range(4)]
    meta = _meta("cabinet-2025-01-30_budget_appI_risk-register", *pages,
                 info={"running_header": "Appendix I: Budget Risks Register 2025-26 | DRAFT"})
    assert meta["title"] == "Budget Risks Register 2025-26"
    assert (meta["document_type"], meta["part_of"], meta["date"]) == ("Risk register", "Budget report", "2025-01-30")


def test_appendix_without_a_kind_of_its_own() -> None:
    meta = _meta("council-2025-02-13_budget_appE_budget-by-directorate", [
        (H, "APPENDIX E - 2025-26 Proposed Budget by Directorate"),
        (T, "Adult Social Care 1,000 2,000"),
    ], info={"title": "Appendix E"})
    assert (meta["title"], meta["document_type"]) == ("2025-26 Proposed Budget by Directorate", "Appendix")
    assert meta["part_of"] == "Budget report"


def test_first_page_title_skips_boilerplate_and_joins_subtitles() -> None:
    meta = _meta("qpr", [
        (H, "Kent County Council"),
        (H, "Quarterly Performance Report"),
        (H, "Quarter 3"),
        (P, "Produced by: Analytics E-mail: performance@kent.gov.uk"),
    ])
    assert meta["title"] == "Quarterly Performance Report – Quarter 3"
    assert meta["council"] == "Kent County Council"
    assert meta["document_type"] == "Performance report"
    plan = _meta("fenland-local-plan-2014", [(H, "Adopted May 2014"), (H, "Fenland Local Plan")],
                 [(P, "This Local Plan was adopted at a full meeting of Fenland District Council on 8 May 2014.")])
    assert (plan["title"], plan["date"]) == ("Fenland Local Plan", "2014-05")
    assert plan["council"] == "Fenland District Council"  # clearly the author: "adopted at a meeting of …"


def test_a_masthead_naming_the_paper_and_its_council_is_the_title_after_a_sidebar() -> None:
    # A newsletter set in columns reads its sidebar first; the masthead says what the paper is and whose.
    meta = _meta("spc-newsletter-2016-12", [
        (H, "Horticultural Society"),
        (P, "On Friday 27th January the Horticultural society are hosting their annual Cheese and Wine evening."),
        (H, "Parish Council Meetings"),
        (P, "Please remember that Parish Council meetings are open to all residents."),
        (H, "Newsletter from Souldern Parish Council"),
        (H, "December 2016"),
        (P, "Welcome to the Winter Edition of our Quarterly Newsletter."),
    ])
    assert (meta["title"], meta["document_type"]) == ("Newsletter from Souldern Parish Council", "Newsletter")
    assert (meta["council"], meta["date"]) == ("Souldern Parish Council", "2016-12")
    # A heading that names a kind of paper but no council is no masthead ("Equality Impact Assessment" further on).
    report = _meta("report", [(H, "Highways Asset Management Plan"), (P, "The plan sets out how roads are kept."),
                              (H, "Equality Impact Assessment")])
    assert report["title"] == "Highways Asset Management Plan"


def test_inspectors_report() -> None:
    meta = _meta("inspector", [
        (H, "Report to Watford Borough Council"),
        (P, "by A Person BA MRTPI an Inspector appointed by the Secretary of State Date: 20 September 2022"),
        (P, "Planning and Compulsory Purchase Act 2004 (as amended) Section 20"),
        (H, "Report on the Examination of the Watford Local Plan 2018-2036"),
    ])
    assert meta["title"] == "Report on the Examination of the Watford Local Plan 2018-2036"
    assert (meta["council"], meta["document_type"], meta["date"]) == ("Watford Borough Council",
                                                                      "Inspector's report", "2022-09-20")


def test_questions_and_answers() -> None:
    meta = _meta("questions", [
        (H, "Thursday 13 March 2025"),
        (P, "Question by A Member to B Member,"),
        (H, "Cabinet Member for Education"),
        (P, "Would the Cabinet Member tell us more?"),
        (H, "Answer"),
        (P, "Yes."),
    ], info={"running_header": "Question 1 | COUNTY COUNCIL"})
    assert meta["title"] == "Questions and answers: County Council, 13 March 2025"
    assert (meta["document_type"], meta["committee"], meta["date"]) == ("Questions and answers", "County Council",
                                                                        "2025-03-13")


def test_moderngov_pack_title() -> None:
    title = "(Public Pack)Budget Amendments Agenda Supplement  for County Council, 13/02/2025 09:30"
    meta = _meta("pack", [(H, "Dear Member"), (H, "Yours sincerely")], info={"title": title})
    assert meta["title"] == "Budget Amendments: County Council, 13 February 2025"
    assert (meta["document_type"], meta["committee"], meta["date"]) == ("Budget amendment", "County Council",
                                                                        "2025-02-13")


def test_council_names() -> None:
    assert council_names("Members of Tonbridge and Malling Borough Council agreed") == [
        "Tonbridge and Malling Borough Council"]
    assert council_names("tributes would be heard at the March County Council meeting") == []
    assert council_names("KENT COUNTY COUNCIL – RECORD OF DECISION") == ["Kent County Council"]
    assert council_names("the County Councils Network and the County Council") == []
    assert council_names("Babergh District Council & Mid Suffolk District Council") == [
        "Babergh District Council", "Mid Suffolk District Council"]
    assert council_names("Following Derbyshire County Council's review", {"following"}) == ["Derbyshire County Council"]


def test_file_names() -> None:
    name = read_file_name("cabinet-2025-01-30_budget_appL_treasury-management-strategy")
    assert (name.date, name.body) == ("2025-01-30", "Cabinet")
    assert (name.appendix, name.parent) == ("Appendix L", "Budget report")
    name = read_file_name("cabinet-2025-01-30_24-00109_appC_DPIA-screening-tool")
    assert (name.decision_number, name.parent) == ("24/00109", "Decision 24/00109")
    assert read_file_name("tewkesbury-borough-plan-2011-2031").year == ""  # a plan period, not a date
    assert read_file_name("derbyshire-cc-productivity-plan-2024").year == "2024"


def test_dates_on_their_own_lines() -> None:
    assert date_line("Adopted 8 June 2022") == "2022-06-08"
    assert date_line("Thursday, 9th January, 2025 at 10.00 am") == "2025-01-09"
    assert date_line("NOVEMBER 2023") == "2023-11"
    assert date_line("As at November 2024-25 – Quarter 3") == ""  # a financial year, not a date
    assert date_line("Risk assessment reviewed and adopted November 2023") == ""
    assert find_date("DPIA planning began 10/21/2024") == ""  # US order is no UK date


def test_catalogue_row_wins_and_extraction_fills_its_gaps(tmp_path: Path) -> None:
    paper = tmp_path / "cabinet-2025-01-30_24-00108_monitoring.txt"
    paper.write_text("From: Jane Smith, Cabinet Member\n\nTo: Cabinet – 30 January 2025\n\n"
                     "Subject: Revenue Budget Monitoring\n\nDecision No: 24/00108\n\nSummary: Forecasts.\n",
                     encoding="utf-8")
    (tmp_path / "catalogue.csv").write_text(
        "file,title,council,document_type,date,decision_number,part_of\n"
        "cabinet-2025-01-30_24-00108_monitoring,Budget monitoring Q3,Kent County Council,Cabinet report,,,\n",
        encoding="utf-8")
    meta = parse_file(paper).metadata
    assert (meta.title, meta.council) == ("Budget monitoring Q3", "Kent County Council")
    assert (meta.decision_number, meta.date, meta.committee) == ("24/00108", "2025-01-30", "Cabinet")
    (tmp_path / "catalogue.csv").write_text(
        "file,title,decision_number\ncabinet-2025-01-30_24-00108_monitoring,Budget monitoring Q3,24/99999\n",
        encoding="utf-8")
    assert parse_file(paper).metadata.decision_number == "24/99999"
