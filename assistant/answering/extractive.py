"""The default answerer: no LLM. It quotes the evidence verbatim, laid out by intent, each quote cited."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.answering.base import Answerer, AnswerEvent, Draft, TextDelta
from assistant.answering.compose import compose
from assistant.types import Context


class ExtractiveAnswerer(Answerer):
    mode = "extractive"
    description = "Extractive: quotes the papers (no language model)"

    def stream(self, context: Context) -> Iterator[AnswerEvent]:
        if not context.evidence:
            draft = Draft("The passages found do not contain a sentence that answers this.", [], refused=True)
            yield TextDelta(draft.text)
            yield draft
            return
        text, citations = compose(context)
        for piece in re.findall(r"\S+\s*", text):
            yield TextDelta(piece)
        yield Draft(text, citations)
