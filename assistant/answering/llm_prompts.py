"""The local model's prompts by intent: what it is sent, and what its answer is checked against.

Only what the answer needs goes in, in the shape the context has (assistant.context): a lookup gets the
evidence sentences with a sentence either side, a list the whole list as numbered lines, a summary its sections
in order. A comparison is one prompt per side, each holding that side's passages only, so the model cannot
put one council's words under the other's name. The system prompt is the same for every question and comes
first, so llama.cpp reuses its KV cache. The templates are files in prompts/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answering.compose import list_lead, summary_lead
from assistant.answering.models import Messages
from assistant.intent import Intent
from assistant.prompts import PromptLibrary
from assistant.types import Context, Evidence, EvidenceGroup, Passage
from common.rows import column_line, table_header
from common.text import last_heading, split_sentences
from common.types import Chunk, DocumentRecord

# Tokens an answer may take, by intent (and never more than the answerer's max_tokens): a lookup is one to
# three sentences, a list one line per item, a comparison side one or two sentences.
INTENT_TOKENS: dict[str, int] = {"lookup": 160, "list": 400, "summary": 320, "comparison": 150}
# A list longer than this is sent without its sub-items (the top-level items carry the answer). One with more than
# LIST_ITEMS_SHOWN items is quoted as the paper prints it, without the model: retyping it takes minutes on 2 cores.
LIST_ITEMS_IN_FULL = 12
LIST_ITEMS_SHOWN = 15
# Sentences of a summary's sections shown to the model: this many in all, one of each section first, then one more of
# each section that has more, in turn (a paper's own summary, read a sentence a paragraph, has more to give); of a
# summary of one section, its first four (more only made the model cite sentences off the question's point).
SUMMARY_SENTENCES = 10
ONE_SECTION_SENTENCES = 4
SUMMARY_TOKENS_MANY = 240  # a summary of more than four sections: about one sentence each
AROUND = 1  # sentences either side of a lookup's evidence sentence


@dataclass
class Prompt:
    """What the model is sent, and what its answer is checked against."""

    intent: str
    messages: Messages
    sources: list[list[Passage]]  # the passages behind each numbered source [n]
    passages: list[Passage]  # every passage the model saw in whole or in part (attribution may cite them)
    headings: list[str] = field(default_factory=list)  # prompt lines that are headings, not claims
    max_tokens: int = 400
    checked: list[Passage] = field(default_factory=list)  # what attribution may cite: `passages`, then the rest
    question: str = ""
    # The answer's first line, written by the system (a list's or summary's paper, pages and what it is): shown
    # while the model reads, always naming the right paper and pages, and not the model's to write.
    lead: str = ""

    @property
    def status(self) -> str:
        return reading(self.passages)


def reading(passages: list[Passage], how: str = "") -> str:
    """What the page shows while the model reads: "Reading 3 passages from 2 papers…"."""
    n = len({p.chunk.chunk_id for p in passages})
    papers = len({p.doc.doc_id for p in passages})
    return f"Reading {n} passage{'s' if n != 1 else ''} from {papers} paper{'s' if papers != 1 else ''}{how}…"


class PromptBuilder:
    """Turns a question's context into the prompt(s) for its intent."""

    def __init__(self, prompts: PromptLibrary, passages: int = 3, max_tokens: int = 400,
                 intent_tokens: dict[str, int] | None = None) -> None:
        self.prompts = prompts
        self.passages = passages
        self.max_tokens = max_tokens
        self.intent_tokens = {**INTENT_TOKENS, **(intent_tokens or {})}

    def build(self, context: Context) -> Prompt:
        """The one prompt of a lookup, list or summary (a comparison is asked side by side: `sides`)."""
        intent = context.intent
        if intent == Intent.LIST and context.groups:
            prompt = self._list(context)
        elif intent == Intent.SUMMARY and context.groups:
            prompt = self._summary(context)
        else:
            prompt = self._lookup(context)
        return self._finish(prompt, context, context.retrieval.passages)

    def sides(self, context: Context) -> list[Prompt | None]:
        """One prompt per side of a comparison, holding that side's passages only (None for a side whose papers
        say nothing on it). Attribution may cite the side's other passages found, never the other side's."""
        prompts: list[Prompt | None] = []
        for group in context.groups:
            if not group.items:
                prompts.append(None)
                continue
            passages = _passages_of(group.items)
            doc = group.items[0].passage.doc
            # (The council once: "[1] Derby City Council (Corporate Peer Challenge 2017, page 9)", not twice, which
            # the model copied into its answer: "Derby City Council (Derby City Council: Corporate Peer …) states".)
            where = _where(doc, _pages(group.items), council=doc.council != group.heading)
            body = "\n".join(f"- {_flat(i.text)}" for i in group.items)
            user = self.prompts.render("answer_comparison_side", side=group.heading,
                                       sources=f"[1] {group.heading} ({where})\n{body}",
                                       question=context.analysis.text)
            prompt = Prompt("comparison", [self._system(), {"role": "user", "content": user}], [passages], passages,
                            headings=[group.heading])
            docs = {p.doc.doc_id for p in passages}
            prompts.append(self._finish(prompt, context, [p for p in context.retrieval.passages
                                                          if p.doc.doc_id in docs]))
        return prompts

    def _finish(self, prompt: Prompt, context: Context, also_citable: list[Passage]) -> Prompt:
        prompt.max_tokens = min(self.max_tokens, prompt.max_tokens, self.intent_tokens.get(prompt.intent,
                                                                                            self.max_tokens))
        # A model may copy a source's label line into its answer: a heading, not a claim.
        prompt.headings += _labels(prompt.messages[-1]["content"])
        # Attribution may also cite the other passages found: what the model read was cut from them, and a
        # sentence it got right is worth citing wherever the papers say it.
        prompt.question = context.analysis.text
        seen = {p.chunk.chunk_id for p in prompt.passages}
        prompt.checked = [*prompt.passages, *(p for p in also_citable if p.chunk.chunk_id not in seen)]
        return prompt

    def _system(self) -> dict[str, str]:
        # The system prompt is the same for every question and intent: llama.cpp keeps its KV cache.
        return {"role": "system", "content": self.prompts.render("answer_system")}

    def messages(self, template: str, sources: str, question: str) -> Messages:
        return [self._system(),
                {"role": "user", "content": self.prompts.render(template, sources=sources, question=question)}]

    def _asked(self, context: Context) -> str:
        """The question as the model sees it: one that asks two things says so and names them, or a small model
        answers the first and stops."""
        parts = context.analysis.parts
        if not parts:
            return context.analysis.text
        listed = " ".join(f"({n}) {part.text.strip(' ?')}?" for n, part in enumerate(parts, start=1))
        return self.prompts.render("answer_parts", question=context.analysis.text, count=str(len(parts)),
                                   parts=listed).strip()

    def _lookup(self, context: Context) -> Prompt:
        """The passages holding the evidence (best first, 3 at most), each cut to the evidence sentences and
        one sentence either side; a list the evidence introduces follows as numbered lines."""
        groups = context.groups
        evidence = list(groups[0].items) if groups else list(context.evidence)
        chosen: list[Passage] = []
        for item in evidence:
            if item.passage.chunk.chunk_id not in {p.chunk.chunk_id for p in chosen}:
                chosen.append(item.passage)
        if not chosen:
            chosen = list(context.retrieval.passages)
        chosen = chosen[: self.passages]
        blocks, sources = [], []
        for n, passage in enumerate(chosen, start=1):
            items = [e for e in evidence if e.passage.chunk.chunk_id == passage.chunk.chunk_id]
            pages = [passage.chunk.page_at(e.start) for e in items] or [passage.chunk.page_start]
            # A row of figures means nothing to the model without its columns, which the chunk keeps in its section:
            # split into columns, or as the one line they were printed on ("Band Proportion of Band D Tax Rate …").
            header = _columns_line(passage.chunk) if passage.chunk.kind == "table" else ""
            header = f"Columns: {header}\n" if header else ""
            blocks.append(f"[{n}] ({_where(passage.doc, pages)})\n{header}{_excerpt(passage, items)}")
            sources.append([passage])
        passages = list(chosen)
        for group in groups[1:]:
            n = len(sources) + 1
            blocks.append(f"[{n}] {_group_label(group)}\n{_list_lines(group)}")
            group_passages = _passages_of(group.items)
            sources.append(group_passages)
            passages += [p for p in group_passages if p not in passages]
        return Prompt("lookup", self.messages("answer_lookup", "\n\n".join(blocks), self._asked(context)),
                      sources, passages)

    def _list(self, context: Context) -> Prompt:
        group = context.groups[0]
        items = group.items
        if len(items) > LIST_ITEMS_IN_FULL:
            items = [i for i in items if i.depth == 0] or items
        shown = EvidenceGroup(group.heading, group.doc, items[:LIST_ITEMS_SHOWN], group.note)
        # Each item up to the end of its first sentence, the lead-in its last: what a line of the answer needs.
        block = f"[1] {_group_label(group, lead_in=True)}\n{_list_lines(shown, first_sentence=True)}"
        passages = _passages_of(group.items)
        return Prompt("list", self.messages("answer_list", block, context.analysis.text), [passages], passages,
                      headings=[group.heading], lead=list_lead(group))

    def _summary(self, context: Context) -> Prompt:
        """The sections in the paper's order, each with its first sentences; the paper named once when all are
        from one paper (a paper's gist has up to eight sections: their labels alone were ~120 tokens)."""
        blocks, sources, passages = [], [], []
        shown = _shares([len(g.items) for g in context.groups],
                        SUMMARY_SENTENCES if len(context.groups) > 1 else ONE_SECTION_SENTENCES)
        docs = {(g.doc or g.items[0].passage.doc).doc_id: (g.doc or g.items[0].passage.doc) for g in context.groups
                if g.doc or g.items}
        one_paper = next(iter(docs.values())) if len(docs) == 1 else None
        for n, group in enumerate(context.groups, start=1):
            lines = [f"- {_flat(i.text)}" for i in group.items[:shown[n - 1]]]
            if one_paper is not None:
                label = f"“{_flat(group.heading)}” ({_pages_text(_pages(group.items))})" if group.heading else \
                    f"({_pages_text(_pages(group.items))})"
            else:
                label = _group_label(group)
            blocks.append(f"[{n}] {label}\n" + "\n".join(lines))
            group_passages = _passages_of(group.items)
            sources.append(group_passages)
            passages += [p for p in group_passages if p not in passages]
        headings = [g.heading for g in context.groups]
        if one_paper is not None:
            blocks.insert(0, f"From {_where(one_paper, [])}:")
            headings.append(blocks[0])
        prompt = Prompt("summary", self.messages("answer_summary", "\n\n".join(blocks), context.analysis.text),
                        sources, passages, headings=headings, lead=summary_lead(context.groups, own_words=False))
        if len(context.groups) > 4:
            prompt.max_tokens = SUMMARY_TOKENS_MANY  # one sentence a section
        return prompt


def _shares(sizes: list[int], budget: int) -> list[int]:
    """How many of each group's items to show: one each (as long as the budget lasts), then one more of each group
    that has more, in turn, until `budget` are shown."""
    shown = [0] * len(sizes)
    while sum(shown) < budget:
        more = [i for i, size in enumerate(sizes) if shown[i] < size]
        if not more:
            break
        for i in more[:budget - sum(shown)]:
            shown[i] += 1
    return shown


def _labels(user: str) -> list[str]:
    """The label lines of the numbered sources ("[2] Derbyshire County Council (…, page 10)"), whole and in parts."""
    labels: list[str] = []
    for match in re.finditer(r"^\[\d+\] (.+)$", user, re.MULTILINE):
        label = match.group(1)
        labels += [label, *re.findall(r"\(([^()]*)\)", label), *re.findall(r"“([^”]*)”", label),
                   re.split(r" [(—]", label)[0]]
    return labels


def _columns_line(chunk: Chunk) -> str:
    """A table chunk's column names as one line, if its section names them."""
    columns = table_header(chunk.section)
    if columns:
        return " | ".join(columns)
    heading = last_heading(chunk.section)
    return heading if column_line(heading) else ""


def _where(doc: DocumentRecord, pages: list[int], council: bool = True) -> str:
    # The council's name goes in the label: passages say "the council" or "DCC", and a small model will
    # not link that to a question about "Derbyshire County Council" on its own.
    named = f"{doc.council}: " if doc.council and council else ""
    unique = sorted(set(pages))
    if not unique:
        where = ""
    elif len(unique) == 1:
        where = f", page {unique[0]}"
    else:
        where = f", pages {unique[0]}–{unique[-1]}"
    return f"{named}{doc.short_title or doc.title or doc.doc_id}{where}"


def _pages_text(pages: list[int]) -> str:
    unique = sorted(set(pages))
    if len(unique) == 1:
        return f"page {unique[0]}"
    return f"pages {unique[0]}–{unique[-1]}" if unique else ""


def _pages(items: list[Evidence]) -> list[int]:
    return [i.passage.chunk.page_at(i.start) for i in items]


def _group_label(group: EvidenceGroup, lead_in: bool = False) -> str:
    doc = group.doc or (group.items[0].passage.doc if group.items else None)
    where = _where(doc, _pages(group.items)) if doc else ""
    heading = _last_sentence(group.heading) if lead_in else group.heading
    heading = f" — “{_flat(heading)}”" if heading else ""
    return f"({where}){heading}"


def _list_lines(group: EvidenceGroup, first_sentence: bool = False) -> str:
    lines = []
    for item in group.items:
        label = item.label if item.label and item.label != "•" else "-"
        text = _first_sentence(item.text) if first_sentence else item.text
        lines.append(f"{'   ' * item.depth}{label} {_flat(text)}")
    if group.note:
        lines.append(f"({group.note})")
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[0][0]:spans[0][1]] if spans else text


def _last_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[-1][0]:spans[-1][1]] if spans else text


def _passages_of(items: list[Evidence]) -> list[Passage]:
    out: list[Passage] = []
    for item in items:
        if item.passage.chunk.chunk_id not in {p.chunk.chunk_id for p in out}:
            out.append(item.passage)
    return out


def _excerpt(passage: Passage, items: list[Evidence], around: int = AROUND) -> str:
    """The passage cut to the evidence sentences and `around` sentences either side ("…" marks a cut);
    the opening sentences when no evidence is in it."""
    text = passage.chunk.text
    spans = split_sentences(text)
    if not items:
        keep = set(range(min(4, len(spans))))
    else:
        hits = {i for i, (s, e) in enumerate(spans) for item in items if s < item.end and item.start < e}
        keep = {j for i in hits for j in range(i - around, i + around + 1) if 0 <= j < len(spans)}
    parts: list[str] = []
    previous = -2
    for i in sorted(keep):
        if previous >= 0 and i != previous + 1:
            parts.append("…")
        parts.append(_flat(text[spans[i][0]:spans[i][1]]))
        previous = i
    if keep and min(keep) > 0:
        parts.insert(0, "…")
    if keep and max(keep) < len(spans) - 1:
        parts.append("…")
    return " ".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())
