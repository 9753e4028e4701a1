"""The evaluation question set: its schema, loader and the one text-matching rule.

Each line of ``eval/questions.jsonl`` is one :class:`EvalQuestion`. Evidence strings and
fact alternatives are matched against text with :func:`normalise_for_match` on both sides;
the harness and the tests use that function and nothing else.

An evaluator's file may leave out ``category`` (it defaults from ``answerable``: "fact" or
"unanswerable") and may carry fields of its own, which are ignored with one warning per file.
"""

from __future__ import annotations

import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

CATEGORIES: frozenset[str] = frozenset(
    {"fact", "list", "peer-review", "cross-document", "follow-up", "unanswerable",
     "summary", "comparison", "paraphrase", "table", "naming"}
)

# Curly quotes, primes and apostrophe look-alikes -> straight ASCII. En/em dashes are kept.
_QUOTE_MAP: dict[int, str] = {
    ord("\u2018"): "'",  # left single quotation mark
    ord("\u2019"): "'",  # right single quotation mark
    ord("\u201a"): "'",  # single low-9 quotation mark
    ord("\u201b"): "'",  # single high-reversed-9 quotation mark
    ord("\u2032"): "'",  # prime
    ord("\u02bc"): "'",  # modifier letter apostrophe
    ord("\u201c"): '"',  # left double quotation mark
    ord("\u201d"): '"',  # right double quotation mark
    ord("\u201e"): '"',  # double low-9 quotation mark
    ord("\u201f"): '"',  # double high-reversed-9 quotation mark
    ord("\u2033"): '"',  # double prime
}

_WHITESPACE_RUN = re.compile(r"\s+")


def normalise_for_match(text: str) -> str:
    """Normalise text for substring matching of evidence and facts.

    NFKC, curly quotes/apostrophes to straight ones (en/em dashes kept as they are),
    every run of whitespace collapsed to one space, stripped, casefolded.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTE_MAP)
    text = _WHITESPACE_RUN.sub(" ", text)
    return text.strip().casefold()


class EvalQuestion(BaseModel):
    """One evaluation question, with what a correct, grounded answer must contain."""

    # Unknown fields are dropped (load_questions warns about them once per file).
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: str = Field(min_length=1)
    # Optional: when a record has none (or null), "fact" if answerable else "unanswerable".
    category: str = ""
    question: str = Field(min_length=1)
    answerable: bool
    sources: list[str] = Field(default_factory=list)
    evidence: list[str] = Field(default_factory=list)
    facts: list[list[str]] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _category_null_is_absent(cls, data: object) -> object:
        if isinstance(data, dict) and "category" in data and data["category"] is None:
            return {key: value for key, value in data.items() if key != "category"}
        return data

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            raise ValueError("category must not be empty")
        if value not in CATEGORIES and not _lenient(info):
            raise ValueError(f"unknown category {value!r}; expected one of {sorted(CATEGORIES)}")
        return value

    @field_validator("sources", "evidence", "history")
    @classmethod
    def _no_blank_strings(cls, values: list[str]) -> list[str]:
        if any(not v.strip() for v in values):
            raise ValueError("must not contain empty strings")
        return values

    @field_validator("facts")
    @classmethod
    def _non_empty_fact_groups(cls, groups: list[list[str]]) -> list[list[str]]:
        for group in groups:
            if not group or any(not alt.strip() for alt in group):
                raise ValueError("each fact group needs at least one non-empty alternative")
        return groups

    @model_validator(mode="after")
    def _answerability_is_consistent(self, info: ValidationInfo) -> EvalQuestion:
        lenient = _lenient(info)
        if not self.category:  # not given (an explicit "" is refused above)
            self.category = "fact" if self.answerable else "unanswerable"
        if self.answerable:
            missing = [name for name in ("sources", "evidence", "facts") if not getattr(self, name)]
            if missing:
                raise ValueError(f"answerable question needs at least one of each of: {', '.join(missing)}")
            if self.category == "unanswerable" and not lenient:
                raise ValueError("category 'unanswerable' requires answerable=false")
        else:
            present = [name for name in ("sources", "evidence", "facts") if getattr(self, name)]
            if present:
                raise ValueError(f"unanswerable question must have no {', '.join(present)}")
            if self.category != "unanswerable" and not lenient:
                raise ValueError("answerable=false requires category 'unanswerable'")
        if self.category == "follow-up" and not self.history:
            raise ValueError("follow-up question needs a non-empty history")
        if self.category != "follow-up" and self.history and not lenient:
            raise ValueError("only follow-up questions may have a history")
        return self


def _lenient(info: ValidationInfo) -> bool:
    return bool(isinstance(info.context, dict) and info.context.get("allow_unknown_categories"))


def load_questions(path: Path, allow_unknown_categories: bool = False) -> list[EvalQuestion]:
    """Load and validate a JSONL question file.

    With ``allow_unknown_categories`` (an outside evaluator's file), any non-empty category is
    accepted and the category-specific rules (unanswerable <-> answerable=false, history only on
    follow-up) are not enforced; the answerable/evidence/facts rules still are.
    In both modes a record without ``category`` gets "fact" (answerable) or "unanswerable", and
    fields the schema does not know are ignored, with one warning per file naming them.
    Blank lines are skipped. Raises ``ValueError`` naming the (1-based) line number on
    invalid JSON, a record that fails validation, or a duplicate id.
    """
    questions: list[EvalQuestion] = []
    seen: dict[str, int] = {}
    unknown: dict[str, int] = {}  # field -> first line it is on
    with Path(path).open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}: line {lineno}: invalid JSON: {exc}") from exc
            if isinstance(raw, dict):
                for name in raw.keys() - EvalQuestion.model_fields.keys():
                    unknown.setdefault(name, lineno)
            try:
                question = EvalQuestion.model_validate(
                    raw, context={"allow_unknown_categories": allow_unknown_categories}
                )
            except ValidationError as exc:
                raise ValueError(f"{path}: line {lineno}: invalid question: {exc}") from exc
            if question.id in seen:
                first = seen[question.id]
                raise ValueError(
                    f"{path}: line {lineno}: duplicate id {question.id!r} (first seen on line {first})"
                )
            seen[question.id] = lineno
            questions.append(question)
    if unknown:
        names = ", ".join(f"{name!r} (first on line {line})" for name, line in sorted(unknown.items()))
        warnings.warn(f"{path}: ignored field(s) the question schema does not know: {names}",
                      UserWarning, stacklevel=2)
    return questions


def missing_evidence(
    questions: Iterable[EvalQuestion], text_by_doc: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(question id, evidence) pairs whose evidence is in none of the question's source texts.

    Both sides are compared after :func:`normalise_for_match`. A source missing from
    ``text_by_doc`` counts as empty text.
    """
    normalised = {doc_id: normalise_for_match(text) for doc_id, text in text_by_doc.items()}
    missing: list[tuple[str, str]] = []
    for question in questions:
        haystacks = [normalised.get(doc_id, "") for doc_id in question.sources]
        for evidence in question.evidence:
            needle = normalise_for_match(evidence)
            if not any(needle in hay for hay in haystacks):
                missing.append((question.id, evidence))
    return missing
