"""The LLM answerer: the question's prompt(s) sent to the model, its answer streamed, then attributed.

1. The prompt (assistant.answering.llm_prompts) sends only what the answer needs, in the shape the context
   has. A comparison is asked side by side, one prompt per side with that side's passages only, and the
   system writes each side's heading itself: the model never sees the other side, so it cannot quote one
   council under the other's name (it did, with a citation, before).
2. While the model reads, a Status says what it is reading, and a list's or summary's first line (its paper, pages
   and what it is: assistant.answering.compose) is shown at once, written by the system; the model's text streams
   as it comes (with its own [n] markers held back: the final answer numbers citations itself).
3. Attribution (assistant.attribution) finds the passage sentences behind each sentence and list item
   and writes the citations; a sentence with no support is kept, unmarked, and listed as unsupported.
   When most of the answer is unsupported, the Draft has no citations and the caller shows the papers'
   own words instead (assistant.ask).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import replace

from assistant.answering.base import Answerer, AnswerEvent, Draft, Status, TextDelta
from assistant.answering.compose import Quoter, comparison_lead, compose, quotes_votes, side_heading, side_quotes
from assistant.answering.llm_prompts import LIST_ITEMS_IN_FULL, LIST_ITEMS_SHOWN, Prompt, PromptBuilder, reading
from assistant.answering.models import ChatModel
from assistant.attribution import Attribution, Attributor, mostly_unsupported
from assistant.intent import Intent
from assistant.prompts import PromptLibrary
from assistant.types import Citation, Context
from vectorstore.embeddings import Embedder, SentenceTransformerEmbedder

__all__ = ["LLMAnswerer", "MarkerFilter", "Prompt"]


class LLMAnswerer(Answerer):
    def __init__(self, model: ChatModel, prompts: PromptLibrary, passages: int = 3, mode: str = "local",
                 max_tokens: int = 400, embedder: Embedder | None = None,
                 intent_tokens: dict[str, int] | None = None) -> None:
        self.model = model
        self.mode = mode
        self.builder = PromptBuilder(prompts, passages, max_tokens, intent_tokens)
        # Attribution needs sentence embeddings: without them a changed verb or a wrong conclusion whose words are
        # all in the passages passes (4 of 82 supported sentences on the local sample, docs/benchmarks.md). The
        # services hand in their embedder; otherwise the packaged model is loaded on first use.
        self.attributor = Attributor(embedder if embedder is not None else SentenceTransformerEmbedder())
        self.description = f"{'Local model' if mode == 'local' else 'Model server'} ({model.name})"

    def stream(self, context: Context) -> Iterator[AnswerEvent]:
        if _quoted_as_printed(context):
            # Retyping a long list, or rows of a table, would take the model minutes and add nothing.
            yield Status(f"Quoting the list of {sum(len(g.items) for g in context.groups)} items from the paper…")
            text, citations = compose(context)
            yield TextDelta(text)
            yield Draft(text, citations)
            return
        if context.intent == Intent.COMPARISON and context.groups:
            yield from self._side_by_side(context)
            return
        prompt = self.prompt(context)
        yield Status(prompt.status)
        if prompt.lead:
            yield TextDelta(f"{prompt.lead}\n\n")
        text = yield from self._generate(prompt)
        yield Status("Checking the answer against the papers…")
        yield self.check(text, prompt)

    def prompt(self, context: Context) -> Prompt:
        return self.builder.build(context)

    def check(self, text: str, prompt: Prompt) -> Draft:
        """Attribute the answer; a Draft without citations when most of it has no support (the caller then
        shows the papers' own words)."""
        if prompt.lead:
            text = _without_lead_in(text)
        attribution = self.attribute(text, prompt)
        answer = f"{prompt.lead}\n\n{attribution.text}" if prompt.lead else attribution.text
        return _draft(answer, attribution.citations, attribution.unsupported, attribution.supported_count)

    def attribute(self, text: str, prompt: Prompt) -> Attribution:
        return self.attributor.attribute(text, prompt.checked or prompt.passages, prompt.sources, prompt.headings,
                                         prompt.question)

    def _generate(self, prompt: Prompt) -> Generator[AnswerEvent, None, str]:
        """Streams the model's text (its own markers held back) and returns all of it."""
        pieces: list[str] = []
        shown = MarkerFilter()
        for delta in self.model.stream(prompt.messages, prompt.max_tokens):
            pieces.append(delta)
            text = shown.feed(delta)
            if text:
                yield TextDelta(text)
        rest = shown.flush()
        if rest:
            yield TextDelta(rest)
        text = "".join(pieces).strip()
        if len(pieces) >= prompt.max_tokens - 1:
            text = _complete_part(text)  # cut off at the token cap: its last sentence is unfinished
        return text

    def _side_by_side(self, context: Context) -> Iterator[AnswerEvent]:
        """A comparison: each side's heading written by the system, then the model's answer from that side's
        passages, attributed to them alone; the whole is checked as one answer."""
        prompts = self.builder.sides(context)
        yield Status(reading([p for prompt in prompts if prompt is not None for p in prompt.passages],
                             ", one side at a time"))
        lead = comparison_lead(context.groups)
        yield TextDelta(lead)
        blocks, citations, unsupported, supported = [lead], [], [], 0
        for group, prompt in zip(context.groups, prompts, strict=True):
            heading = side_heading(group)
            yield TextDelta(f"\n\n{heading}\n" if prompt else f"\n\n{heading}")
            if prompt is None:
                blocks.append(heading)
                continue
            written = _without_heading((yield from self._generate(prompt)), group.heading)
            attribution = self.attribute(written, prompt)
            unsupported += attribution.unsupported
            if attribution.mostly_unsupported or not attribution.citations:
                # A side the model got wrong ("Derby City Council looked more financially resilient …", of the
                # paragraph on its £135m budget pressures) is shown in the side's own words; the rest stays the
                # model's. Its sentences are listed as unsupported, as a whole answer's are.
                quoter = Quoter()
                text = side_quotes(group, quoter)
                side_citations, supported = quoter.citations, supported + len(group.items)
            else:
                text, side_citations = attribution.text, attribution.citations
                supported += attribution.supported_count
            blocks.append(f"{heading}\n{_renumbered(text, len(citations))}")
            citations += [replace(c, n=c.n + len(citations)) for c in side_citations]
        yield _draft("\n\n".join(blocks), citations, unsupported, supported)


class MarkerFilter:
    """Holds back the model's own [n] markers (and the space before them) from the streamed text: the answer's
    citations are numbered after attribution, so the model's numbers would only mislead."""

    _COMPLETE = re.compile(r"[ \t]*\[\d{1,3}(?:\s*,\s*\d{1,3})*\]")
    _PARTIAL = re.compile(r"[ \t]*(?:\[[\d,\s]*)?$")

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, delta: str) -> str:
        self.pending = self._COMPLETE.sub("", self.pending + delta)
        match = self._PARTIAL.search(self.pending)
        cut = match.start() if match else len(self.pending)
        out, self.pending = self.pending[:cut], self.pending[cut:]
        return out

    def flush(self) -> str:
        out, self.pending = self._COMPLETE.sub("", self.pending), ""
        return out


def _draft(text: str, citations: list[Citation], unsupported: list[str], supported: int) -> Draft:
    """The checked answer; without citations when most of it has no support. No marker survives into a draft
    whose citations are all dropped. A model that says the papers do not say is not taken at its word: refusal
    was decided before generation (assistant.refusal), and the papers' own words are shown instead (a small model
    says it too readily: 3 of 25 answerable questions before issue 11)."""
    if mostly_unsupported(len(unsupported), supported) or not citations:
        return Draft(_unmarked(text), [], unsupported)
    return Draft(text, citations, unsupported)


def _without_heading(text: str, label: str) -> str:
    """A side's answer without a first line of the model's that only repeats the side's name (the system wrote its
    heading): "Derbyshire County Council (Corporate Peer Challenge 2018, pages 8–9)"."""
    first, _, rest = text.strip().partition("\n")
    echoes = first.strip().lower().startswith(label.lower()) and not re.search(r"[.!?]$", first.strip())
    return rest.strip() if echoes and rest.strip() else text


def _without_lead_in(text: str) -> str:
    """The model's answer without a lead-in line of its own ("The key recommendations are:") before the items: the
    system wrote the answer's first line already."""
    first, _, rest = text.partition("\n")
    return rest.strip() if rest.strip() and first.rstrip().endswith(":") else text


def _renumbered(text: str, offset: int) -> str:
    """A side's answer with its [n] markers moved past the citations of the sides before it."""
    return re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", text) if offset else text


def _quoted_as_printed(context: Context) -> bool:
    """A long list, one of table rows ("which KPIs were rated red?": each row's label and ratings), or of motions put
    to the vote with their counts and the names counted (or one recorded vote), which the model could only retype."""
    if context.intent != Intent.LIST or not context.groups:
        return False
    if quotes_votes(context):
        return True
    items = context.groups[0].items
    if all(i.passage.chunk.kind == "table" for i in items):
        return True
    return len([i for i in items if i.depth == 0] if len(items) > LIST_ITEMS_IN_FULL else items) > LIST_ITEMS_SHOWN


def _complete_part(text: str) -> str:
    """The text up to its last finished sentence or list line (all of it when none is finished)."""
    if re.search(r"[.!?:;)\]\"”’]\s*$", text):
        return text
    if "\n" in text:  # a list: its last whole line
        return text[: text.rindex("\n")].strip()
    ends = [m.end() for m in re.finditer(r"[.!?][)\]\"”’]*(?=\s)", text)]
    return text[: ends[-1]].strip() if ends else text


def _unmarked(text: str) -> str:
    return re.sub(r"[ \t]*\[\d+\]", "", text)
