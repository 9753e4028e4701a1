"""The answerer interface: passages in, a stream of text and then a draft with citations out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.evidence import Evidence
from assistant.types import Citation, Retrieval


@dataclass
class TextDelta:
    text: str


@dataclass
class Draft:
    """An answer before the citation check: `text` uses [n] markers that index `citations`."""

    text: str
    citations: list[Citation]
    unsupported: list[str] = field(default_factory=list)
    refused: bool = False  # the answerer itself found no answer in the passages


AnswerEvent = TextDelta | Draft


class Answerer:
    mode: str = "base"
    description: str = ""

    def stream(self, question: str, retrieval: Retrieval, evidence: list[Evidence]) -> Iterator[AnswerEvent]:
        """Yield TextDelta events while writing, then exactly one Draft."""
        raise NotImplementedError

    def rewrite_followup(self, question: str, history: list[str]) -> str | None:
        """A standalone version of a follow-up question, or None to use the rule-based rewrite."""
        return None

    def available(self) -> tuple[bool, str]:
        return True, ""
