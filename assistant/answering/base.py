"""The answerer interface: the question's context in, a stream of text and then a draft with citations out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.types import Citation, Context


@dataclass
class TextDelta:
    text: str


@dataclass
class Status:
    """What the answerer is doing while no text has come yet ("Reading 3 passages from 2 papers…")."""

    text: str


@dataclass
class Draft:
    """An answer before the citation check: `text` uses [n] markers that index `citations`."""

    text: str
    citations: list[Citation]
    unsupported: list[str] = field(default_factory=list)
    refused: bool = False  # the answerer itself found no answer in the passages
    quoted_instead: bool = False  # a model's answer gave way to the papers' own words (nothing of it checked out)


AnswerEvent = TextDelta | Status | Draft


class Answerer:
    mode: str = "base"
    description: str = ""

    def stream(self, context: Context) -> Iterator[AnswerEvent]:
        """Yield Status and TextDelta events while working, then exactly one Draft."""
        raise NotImplementedError

    def available(self) -> tuple[bool, str]:
        return True, ""
