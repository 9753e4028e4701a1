"""Catalogue lookups and metadata guessed from the text when there is no catalogue row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.metadata import Catalogue, find_council, find_date, find_document_type
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
