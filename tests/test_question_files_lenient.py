"""An outside evaluator's question file: `category` may be left out and extra fields are ignored, with a
warning, instead of failing the whole file with pydantic's "Field required" / "Extra inputs" errors."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from eval.questions import CATEGORIES, EvalQuestion, load_questions

# The documented format (eval/README.md), without `category`.
ANSWERABLE = {
    "id": "e001",
    "question": "What was Derby City Council's net revenue budget for 2017/18?",
    "answerable": True,
    "sources": ["derby-city-corporate-peer-challenge-2017"],
    "evidence": ["The council's net revenue budget for 2017/18 is £215m"],
    "facts": [["£215m", "£215 million"]],
    "history": [],
}
UNANSWERABLE = {"id": "e002", "question": "Which day is bin collection in Matlock?", "answerable": False,
                "sources": [], "evidence": [], "facts": []}


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.parametrize("lenient", [False, True])
def test_category_defaults_from_answerable(tmp_path: Path, lenient: bool) -> None:
    path = _write(tmp_path / "theirs.jsonl", [ANSWERABLE, UNANSWERABLE, {**UNANSWERABLE, "id": "e003",
                                                                          "category": None}])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to warn about: every field is known
        questions = load_questions(path, allow_unknown_categories=lenient)
    assert [(q.id, q.category) for q in questions] == [("e001", "fact"), ("e002", "unanswerable"),
                                                        ("e003", "unanswerable")]
    assert questions[0].facts == [["£215m", "£215 million"]]


def test_a_given_category_is_kept(tmp_path: Path) -> None:
    path = _write(tmp_path / "theirs.jsonl", [{**ANSWERABLE, "category": "table"}])
    assert load_questions(path)[0].category == "table"
    with pytest.raises(ValueError, match="category must not be empty"):
        EvalQuestion.model_validate({**ANSWERABLE, "category": "  "})


def test_unknown_fields_are_ignored_with_one_warning_per_file(tmp_path: Path) -> None:
    records = [{**ANSWERABLE, "difficulty": "hard", "notes": "from the 2024 set"},
               {**UNANSWERABLE, "difficulty": "easy"},
               {**ANSWERABLE, "id": "e004", "reviewer": "AB"}]
    path = _write(tmp_path / "theirs.jsonl", records)
    with pytest.warns(UserWarning) as caught:
        questions = load_questions(path, allow_unknown_categories=True)
    assert [q.id for q in questions] == ["e001", "e002", "e004"]
    messages = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert len(messages) == 1, messages
    (message,) = messages
    assert str(path) in message
    for name, line in (("difficulty", 1), ("notes", 1), ("reviewer", 3)):
        assert f"'{name}' (first on line {line})" in message, message
    assert not hasattr(questions[0], "difficulty") and "difficulty" not in questions[0].model_dump()


def test_the_harness_mode_still_checks_what_matters(tmp_path: Path) -> None:
    """Leniency is about categories and extra fields; an answerable question still needs its evidence."""
    path = _write(tmp_path / "theirs.jsonl", [ANSWERABLE, {**ANSWERABLE, "id": "e005", "evidence": []}])
    with pytest.raises(ValueError, match=r"(?s)line 2.*needs at least one of each of: evidence"):
        load_questions(path, allow_unknown_categories=True)
    path = _write(tmp_path / "dupes.jsonl", [ANSWERABLE, ANSWERABLE])
    with pytest.raises(ValueError, match="duplicate id 'e001'"):
        load_questions(path, allow_unknown_categories=True)
    path = _write(tmp_path / "contradiction.jsonl", [{**UNANSWERABLE, "facts": [["x"]]}])
    with pytest.raises(ValueError, match="unanswerable question must have no facts"):
        load_questions(path, allow_unknown_categories=True)


def test_the_project_file_stays_strict() -> None:
    """Without `allow_unknown_categories` (the project's own file), categories must be known and consistent."""
    with pytest.raises(ValueError, match="unknown category"):
        EvalQuestion.model_validate({**ANSWERABLE, "category": "opinion"})
    with pytest.raises(ValueError, match="requires category 'unanswerable'"):
        EvalQuestion.model_validate({**UNANSWERABLE, "category": "fact"})
    with pytest.raises(ValueError, match="only follow-up questions may have a history"):
        EvalQuestion.model_validate({**ANSWERABLE, "history": ["an earlier question"]})  # defaults to "fact"
    lenient = EvalQuestion.model_validate({**ANSWERABLE, "category": "opinion"},
                                          context={"allow_unknown_categories": True})
    assert lenient.category == "opinion"


@pytest.mark.parametrize("category", ["summary", "comparison", "paraphrase", "table", "naming"])
def test_new_categories_are_known(category: str) -> None:
    assert category in CATEGORIES
    assert EvalQuestion.model_validate({**ANSWERABLE, "category": category}).category == category

