"""Checks on eval/questions.jsonl: schema, coverage, and that every evidence string really
occurs in the PDF text of its source document (the text the app will index)."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from eval.questions import (
    CATEGORIES,
    EvalQuestion,
    load_questions,
    missing_evidence,
    normalise_for_match,
)
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS_PATH = ROOT / "eval" / "questions.jsonl"
FALLBACK_PAPERS_DIR = SHARED / "corpus" / "pdf"
EXPECTED_DOC_IDS = frozenset(
    {
        "derby-city-corporate-peer-challenge-2017",
        "derbyshire-cc-corporate-peer-challenge-2018",
        "derbyshire-cc-cabinet-enterprising-council-phase-2-2020",
        "derbyshire-dales-council-vision-derbyshire-2020",
        "derbyshire-cc-productivity-plan-2024",
    }
)


def papers_dir() -> Path:
    """The project's demo copies of the PDFs, falling back to the shared corpus."""
    project = ROOT / "data" / "council-papers"
    if project.is_dir() and any(project.glob("*.pdf")):
        return project
    return FALLBACK_PAPERS_DIR


def pdf_paths() -> dict[str, Path]:
    return {path.stem: path for path in sorted(papers_dir().glob("*.pdf"))}


@cache
def pdf_text(doc_id: str) -> str:
    """Page texts joined with spaces, exactly as the harness extracts them."""
    reader = PdfReader(pdf_paths()[doc_id])
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def questions() -> list[EvalQuestion]:
    return load_questions(QUESTIONS_PATH)


def test_file_loads(questions: list[EvalQuestion]) -> None:
    assert questions, "questions.jsonl is empty"


def test_at_least_60_questions(questions: list[EvalQuestion]) -> None:
    assert len(questions) >= 60


def test_at_least_12_unanswerable(questions: list[EvalQuestion]) -> None:
    unanswerable = [q for q in questions if not q.answerable]
    assert len(unanswerable) >= 12
    assert all(q.category == "unanswerable" for q in unanswerable)


def test_every_category_present(questions: list[EvalQuestion]) -> None:
    counts = Counter(q.category for q in questions)
    # "naming" (questions that name a paper by its kind) is the Kent set's category (eval/questions_kent.jsonl).
    expected = set(CATEGORIES) - {"naming"}
    assert expected <= set(counts), f"missing: {sorted(expected - set(counts))}"


def test_papers_dir_has_the_five_documents() -> None:
    assert set(pdf_paths()) >= EXPECTED_DOC_IDS, f"PDFs found in {papers_dir()}: {sorted(pdf_paths())}"


def test_sources_are_known_doc_ids(questions: list[EvalQuestion]) -> None:
    known = EXPECTED_DOC_IDS & set(pdf_paths())
    unknown = [(q.id, s) for q in questions for s in q.sources if s not in known]
    assert not unknown, f"unknown source doc_ids: {unknown}"


def test_cross_document_questions_cite_two_documents(questions: list[EvalQuestion]) -> None:
    bad = [q.id for q in questions if q.category == "cross-document" and len(set(q.sources)) < 2]
    assert not bad, f"cross-document questions with fewer than two sources: {bad}"


def test_follow_ups_have_history(questions: list[EvalQuestion]) -> None:
    bad = [q.id for q in questions if (q.category == "follow-up") != bool(q.history)]
    assert not bad, f"history must be set exactly for follow-up questions: {bad}"


def test_evidence_is_short_and_plain(questions: list[EvalQuestion]) -> None:
    bad = []
    for q in questions:
        for evidence in q.evidence:
            words = len(evidence.split())
            has_markup = any(mark in evidence for mark in ("**", "#", "\u2022", "\uf0b7"))
            if has_markup or evidence.lstrip().startswith("- ") or not 4 <= words <= 30:
                bad.append((q.id, evidence))
    assert not bad, f"evidence too long/short or containing markup: {bad}"


def test_every_evidence_is_in_its_source_pdf_text(questions: list[EvalQuestion]) -> None:
    doc_ids = {s for q in questions for s in q.sources} & set(pdf_paths())
    text_by_doc = {doc_id: pdf_text(doc_id) for doc_id in doc_ids}
    missing = missing_evidence(questions, text_by_doc)
    assert not missing, f"evidence not found in source PDF text: {missing}"


def test_cross_document_evidence_covers_every_source(questions: list[EvalQuestion]) -> None:
    bad = []
    for q in questions:
        if q.category != "cross-document":
            continue
        for source in q.sources:
            text = normalise_for_match(pdf_text(source))
            if not any(normalise_for_match(e) in text for e in q.evidence):
                bad.append((q.id, source))
    assert not bad, f"cross-document sources without any evidence: {bad}"


def test_every_fact_group_is_grounded_in_a_source(questions: list[EvalQuestion]) -> None:
    bad = []
    for q in questions:
        texts = [normalise_for_match(pdf_text(s)) for s in q.sources]
        for group in q.facts:
            if not any(normalise_for_match(alt) in text for alt in group for text in texts):
                bad.append((q.id, group))
    assert not bad, f"fact groups with no alternative in the source text: {bad}"


# --- normalise_for_match ---------------------------------------------------------------


def test_normalise_for_match() -> None:
    assert (
        normalise_for_match("  The Council\u2019s\n\t  \u201cSuper  Six\u201d ")
        == 'the council\'s "super six"'
    )
    assert normalise_for_match("2017\u201318 \u2014 x") == "2017\u201318 \u2014 x"  # dashes kept
    assert normalise_for_match("\ufb01nance") == "finance"  # NFKC unfolds the ligature
    assert normalise_for_match("STRASSE") == normalise_for_match("straße")


# --- load_questions error handling -------------------------------------------------------

_GOOD = {
    "id": "q001",
    "category": "fact",
    "question": "What was the net revenue budget?",
    "answerable": True,
    "sources": ["derby-city-corporate-peer-challenge-2017"],
    "evidence": ["The council's net revenue budget for 2017/18 is £215m"],
    "facts": [["£215m", "£215 million"]],
    "history": [],
}


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_accepts_a_good_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "q.jsonl", [json.dumps(_GOOD), "", json.dumps({**_GOOD, "id": "q002"})])
    assert [q.id for q in load_questions(path)] == ["q001", "q002"]


def test_load_rejects_malformed_json_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "q.jsonl", [json.dumps(_GOOD), '{"id": "q002", "category": '])
    with pytest.raises(ValueError, match=r"line 2"):
        load_questions(path)


def test_load_rejects_invalid_record(tmp_path: Path) -> None:
    no_evidence = {**_GOOD, "id": "q002", "evidence": []}
    path = _write(tmp_path / "q.jsonl", [json.dumps(_GOOD), json.dumps(no_evidence)])
    with pytest.raises(ValueError, match=r"line 2"):
        load_questions(path)


def test_load_rejects_duplicate_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "q.jsonl", [json.dumps(_GOOD), json.dumps(_GOOD)])
    with pytest.raises(ValueError, match=r"line 2.*duplicate id 'q001'"):
        load_questions(path)


@pytest.mark.parametrize(
    "changes",
    [
        {"category": "opinion"},
        {"answerable": False, "category": "unanswerable"},  # still has sources/evidence/facts
        {"facts": []},
        {"sources": []},
        {"facts": [[]]},
        {"history": ["an earlier question"]},  # history only for follow-ups
        {"category": "follow-up"},  # follow-up without history
        {"category": "unanswerable"},  # answerable but categorised unanswerable
    ],
)
def test_model_rejects_inconsistent_records(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        EvalQuestion.model_validate({**_GOOD, **changes})


def test_model_accepts_unanswerable() -> None:
    q = EvalQuestion.model_validate(
        {"id": "u1", "category": "unanswerable", "question": "Bin day?", "answerable": False}
    )
    assert q.sources == q.evidence == q.facts == q.history == []
