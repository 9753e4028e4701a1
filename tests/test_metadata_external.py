"""Metadata read from real council papers that come with no catalogue (../shared/external).

The expected values were written by reading each paper: its header block, minutes heading, agenda
front sheet, letterhead or form fields, and its file name. Skips cleanly when ../shared/external is
absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from common.types import DocumentMetadata
from ingest.parse import parse_file
from tests.conftest import EXTERNAL, requires_external

pytestmark = requires_external()

KENT = EXTERNAL / "pdfs" / "kent-cc"
LOCAL_PLANS = EXTERNAL / "pdfs" / "local-plans"
PARISH = EXTERNAL / "pdfs" / "souldern-pc"

# stem: (words the title must contain, committee, date, kind of paper, decision number, part_of)
EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    "cabinet-2025-01-30_24-00096_EQIA": (
        "Commissioning Plan for Education Provision in Kent 2025-29", "Cabinet", "2025-01-30",
        "Equality impact assessment", "24/00096", "Commissioning Plan for Education Provision in Kent 2025-29"),
    "cabinet-2025-01-30_24-00096_education-commissioning-plan-report": (
        "Commissioning Plan for Education Provision in Kent 2025-29", "Cabinet", "2025-01-30", "Cabinet report",
        "24/00096", ""),
    "cabinet-2025-01-30_24-00108_finance-monitoring-Q3-2024-25": (
        "Finance Monitoring Report", "Cabinet", "2025-01-30", "Cabinet report", "24/00108", ""),
    "cabinet-2025-01-30_24-00109_appC_DPIA-screening-tool": (
        "Strengthening Independence Service", "Cabinet", "2025-01-30", "Data protection impact assessment",
        "24/00109", "Strengthening Independence Service (SIS) Transfer from CYPE to ASCH"),
    "cabinet-2025-01-30_agenda-frontsheet": (
        "Agenda: Cabinet, 30 January 2025", "Cabinet", "2025-01-30", "Agenda", "", ""),
    "cabinet-2025-01-30_budget_appI_risk-register": (
        "Budget Risks Register 2025-26", "Cabinet", "2025-01-30", "Risk register", "", "Budget report"),
    "cabinet-2025-01-30_budget_appK_economic-fiscal-context": (
        "Economic & Fiscal Context", "Cabinet", "2025-01-30", "Appendix", "", "Budget report"),
    "cabinet-2025-01-30_budget_appL_treasury-management-strategy": (
        "Treasury Management Strategy", "Cabinet", "2025-01-30", "Strategy", "", "Budget report"),
    "cabinet-2025-01-30_draft-revenue-budget-MTFP-capital-programme": (
        "Draft Revenue Budget 2025-26", "Cabinet", "2025-01-30", "Cabinet report", "", ""),
    "cabinet-2025-01-30_printed-minutes": (
        "Minutes of the Cabinet meeting, 30 January 2025", "Cabinet", "2025-01-30", "Minutes", "", ""),
    "cabinet-2025-03-04_QPR-Q3-performance-report": (
        "Quarterly Performance Report", "Cabinet", "2025-03-04", "Performance report", "", ""),
    "cabinet-2025-03-04_adoption-of-KMWLP-report": (
        "Adoption of the Kent Minerals and Waste Local Plan 2024-2039", "Cabinet", "2025-03-04", "Cabinet report",
        "", ""),
    # The inspector dated the report; it went to Cabinet on 4 March as appendix A of the adoption report.
    "cabinet-2025-03-04_appA_planning-inspectors-report-KMWLP": (
        "Report on the Examination of the Kent Minerals & Waste Local Plan", "Cabinet", "2025-02-06",
        "Inspector's report", "", ""),
    "cabinet-2025-03-04_scrutiny-call-in-family-hubs": (
        "Future of Commissioned Services at Seashells and Millmead Family Hubs", "Cabinet", "2025-03-04",
        "Cabinet report", "24/00093", ""),
    "council-2025-01-09_agenda-frontsheet": (
        "Agenda: County Council, 9 January 2025", "County Council", "2025-01-09", "Agenda", "", ""),
    "council-2025-01-09_appA_ministerial-letter": (
        "Letter from Jim McMahon", "County Council", "2024-12-16", "Letter", "", ""),
    "council-2025-01-09_devolution-white-paper-report": (
        "English Devolution White Paper", "County Council", "2025-01-09", "Council report", "", ""),
    "council-2025-02-13_amendment-8-CTRS": (
        "Termination of Support for Council Tax Reduction Schemes", "County Council", "2025-02-13",
        "Budget amendment", "", ""),
    "council-2025-02-13_amendment-8-CTRS_1-near-duplicate": (
        "Termination of Support for Council Tax Reduction Schemes", "County Council", "2025-02-13",
        "Budget amendment", "", ""),
    "council-2025-02-13_budget-amendments-pack": (
        "Budget Amendments: County Council, 13 February 2025", "County Council", "2025-02-13", "Budget amendment",
        "", ""),
    "council-2025-02-13_budget-report": (
        "Draft Revenue Budget 2025-26", "County Council", "2025-02-13", "Council report", "", ""),
    "council-2025-02-13_budget_appE_budget-by-directorate": (
        "2025-26 Proposed Budget by Directorate", "County Council", "2025-02-13", "Appendix", "", "Budget report"),
    "council-2025-02-13_printed-minutes": (
        "Minutes of the County Council meeting, 13 February 2025", "County Council", "2025-02-13", "Minutes", "", ""),
    "council-2025-02-13_section-25-statement": (
        "Section 25 Assurance Statement", "County Council", "2025-02-13", "Statement", "", ""),
    "council-2025-03-13_app1_Kent-CMPB-2024-annual-report": (
        "Implementation of the Armed Forces Covenant in Kent", "County Council", "2025-03-13", "Annual report", "",
        ""),
    "council-2025-03-13_pay-policy-statement-2025-26": (
        "Pay Policy Statement 2025/26", "County Council", "2025-03-13", "Statement", "", ""),
    "council-2025-03-13_printed-minutes": (
        "Minutes of the County Council meeting, 13 March 2025", "County Council", "2025-03-13", "Minutes", "", ""),
    "council-2025-03-13_questions-put-and-answers-given": (
        "Questions and answers: County Council, 13 March 2025", "County Council", "2025-03-13",
        "Questions and answers", "", ""),
}

# Titles that say nothing about the paper: PDF /Title templates, section headings, table headers.
GENERIC = {"the report", "agenda template", "pay bargaining", "background and introduction", "appendices",
           "appendix", "minutes", "agenda", "contents", "introduction", "summary", "item no", "report"}
SHORT_KINDS = {"Treasury Management Strategy", "Economic & Fiscal Context", "English Devolution White Paper"}


@pytest.fixture(scope="module")
def kent() -> dict[str, DocumentMetadata]:
    if not KENT.is_dir():
        pytest.skip("the Kent papers are not in ../shared/external")
    return {pdf.stem: parse_file(pdf, ocr=False).metadata for pdf in sorted(KENT.glob("*.pdf"))}


def test_every_kent_paper_is_in_the_table(kent: dict[str, DocumentMetadata]) -> None:
    assert sorted(kent) == sorted(EXPECTED)


def _meaningful(title: str, stem: str) -> None:
    assert title.strip().lower() not in GENERIC, title
    assert not title.isupper(), title
    assert len(title.split()) >= 3 or title in SHORT_KINDS, title
    assert title != stem.replace("_", " ").replace("-", " "), f"{stem}: only the file name"
    assert not title.lower().startswith(("directorate risk title", "appendix ")), title


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_kent_paper_metadata(kent: dict[str, DocumentMetadata], stem: str) -> None:
    meta = kent[stem]
    words, committee, date, kind, decision, part_of = EXPECTED[stem]
    _meaningful(meta.title, stem)
    assert words in meta.title
    assert meta.committee == committee
    assert meta.date == date
    assert meta.document_type == kind
    assert meta.decision_number == decision
    assert meta.part_of == part_of


def test_kent_issued_every_paper_but_the_ministers_letter(kent: dict[str, DocumentMetadata]) -> None:
    councils = {stem: meta.council for stem, meta in kent.items()}
    letter = councils.pop("council-2025-01-09_appA_ministerial-letter")
    assert letter == "Ministry of Housing, Communities and Local Government"  # read from the letter's letterhead
    assert set(councils.values()) == {"Kent County Council"}, councils


def test_every_kent_paper_has_a_meeting_and_a_date(kent: dict[str, DocumentMetadata]) -> None:
    assert all(meta.committee for meta in kent.values())
    assert all(len(meta.date) == 10 for meta in kent.values())


# Other councils' papers: (folder, stem, council, words the title must contain)
SPOT_CHECKS = [
    (LOCAL_PLANS, "fenland-local-plan-adopted-2014", "Fenland District Council", "Fenland Local Plan"),
    (LOCAL_PLANS, "tewkesbury-borough-plan-2011-2031", "Tewkesbury Borough Council", "Tewkesbury Borough Plan"),
    (LOCAL_PLANS, "watford-local-plan-inspectors-report", "Watford Borough Council",
     "Report on the Examination of the Watford Local Plan"),
    # Named "Breckland Council" or "Breckland District Council" only after 30 pages of contents; the file is
    # named after Breckland.
    (LOCAL_PLANS, "breckland-local-plan-reg18-preferred-options-2024", "Breckland District Council",
     "Preferred Options"),
    # A body that is no council; its file says so ("broads-authority-…").
    (LOCAL_PLANS, "broads-authority-core-strategy-2007", "Broads Authority", "Core Strategy"),
    (PARISH, "spc-minutes-2025-02-27", "Souldern Parish Council",
     "Minutes of the Souldern Parish Council meeting, 27 February 2025"),
    (PARISH, "spc-financial-regulations-2024", "Souldern Parish Council", "Financial Regulations"),
    (PARISH, "occ-20mph-statement-of-reasons", "Oxfordshire County Council", "Statement of Reasons"),
]


@pytest.mark.parametrize(("folder", "stem", "council", "words"), SPOT_CHECKS, ids=[s[1] for s in SPOT_CHECKS])
def test_other_councils_papers(folder: Path, stem: str, council: str, words: str) -> None:
    pdf = folder / f"{stem}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf.name} is not in ../shared/external")
    meta = parse_file(pdf, ocr=False).metadata
    _meaningful(meta.title, stem)
    assert words in meta.title
    assert meta.council == council
    assert meta.date


def test_without_the_folder_name_the_council_is_never_a_guess(tmp_path: Path) -> None:
    """Out of the "kent-cc" folder, papers that name their issuer keep it; papers that do not get none."""
    import shutil

    if not KENT.is_dir():
        pytest.skip("the Kent papers are not in ../shared/external")
    expected = {
        "cabinet-2025-01-30_printed-minutes": "Kent County Council",  # "KENT COUNTY COUNCIL" heads the minutes
        "cabinet-2025-03-04_appA_planning-inspectors-report-KMWLP": "Kent County Council",  # "Report to …"
        "council-2025-02-13_printed-minutes": "Kent County Council",
        "council-2025-01-09_devolution-white-paper-report": "",  # says "KCC" and "Kent", never the full name
        "cabinet-2025-03-04_scrutiny-call-in-family-hubs": "",  # mentions Swale Borough Council only in passing
        "cabinet-2025-01-30_budget_appK_economic-fiscal-context": "",  # never names its council
    }
    # Nor does a file named after a place make a council of it: "black-country-core-strategy" is four councils'.
    black_country = LOCAL_PLANS / "black-country-core-strategy-2011.pdf"
    if black_country.is_file():
        assert parse_file(black_country, ocr=False).metadata.council == ""
    for stem, council in expected.items():
        shutil.copy(KENT / f"{stem}.pdf", tmp_path / f"{stem}.pdf")
        assert parse_file(tmp_path / f"{stem}.pdf", ocr=False).metadata.council == council, stem
