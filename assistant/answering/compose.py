"""Answers made of the papers' own words, laid out by intent (the extractive answer, and the LLM fallback).

Every answer opens with a one-line lead naming the paper(s) and page(s) it quotes, then:
- a lookup: the sentences that answer, each quoted with its [n];
- a list: the list as the paper prints it (its labels, sub-items indented), one citation per item;
- a summary: one line per section, in document order, each cited;
- a comparison: one block per side, each with its quotes, or a plain note that the side's papers say
  nothing on it.
"""

from __future__ import annotations

from assistant.citations import make_citation
from assistant.intent import Intent
from assistant.minutes import MOTION_NOUNS, outcome_asked, outcome_of
from assistant.types import Citation, Context, Evidence, EvidenceGroup
from common.rows import column_line, labelled_figures, row_cells, row_label, table_header
from common.text import COUNT_LABEL, last_heading
from common.types import DocumentRecord

INDENT = "\u00a0" * 4  # sub-items: non-breaking, so the page keeps the indent too


class Quoter:
    """Numbers citations as quotes are added; one citation per distinct span."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._seen: dict[tuple[str, int, int], int] = {}

    def cite(self, item: Evidence) -> int:
        key = (item.passage.chunk.chunk_id, item.start, item.end)
        if key not in self._seen:
            n = len(self.citations) + 1
            self.citations.append(make_citation(n, item.passage, item.start, item.end))
            self._seen[key] = n
        return self._seen[key]

    def quote(self, item: Evidence) -> str:
        quoted = f"“{_flat(item.text)}” [{self.cite(item)}]"
        chunk = item.passage.chunk
        cells = row_cells(item.text, table_header(chunk.section)) if chunk.kind == "table" else []
        if cells:
            # A row of figures means little without its columns: each figure with the column it stands in.
            quoted += " (" + "; ".join(f"{column}: {value}" for column, value in cells[1:]) + ")"
        elif labelled_figures(item.text) and chunk.section or chunk.kind == "table" and row_label(item.text) \
                and column_line(last_heading(chunk.section)):
            # "Latest: 94% Target: 90%" says nothing of what it measures: the heading above it does; a row whose
            # columns could not be told apart ("D 9/9 1,610.82 1,691.19 80.37") is read with its column line.
            quoted += f" (under “{_flat(last_heading(chunk.section))}”)"
        return quoted


def compose(context: Context) -> tuple[str, list[Citation]]:
    """The answer text with [n] markers, and its citations."""
    quoter = Quoter()
    if not context.groups:
        return _lookup(context.evidence, quoter), quoter.citations
    if context.intent == Intent.LIST:
        if len(context.groups) > 1 or votes_put(context):
            return _decisions_by_item(context.groups, quoter, context.analysis.list_noun,
                                      outcome_asked(context.analysis.text)), quoter.citations
        return _list(context.groups[0], quoter), quoter.citations
    if context.intent == Intent.SUMMARY:
        return _summary(context.groups, quoter), quoter.citations
    if context.intent == Intent.COMPARISON:
        return _comparison(context.groups, quoter), quoter.citations
    # A lookup whose evidence introduced a list: the sentences, then the list.
    parts = [_lookup(context.groups[0].items, quoter)]
    parts += [_list_body(group, quoter) for group in context.groups[1:]]
    return "\n".join(parts), quoter.citations


def lead_for(items: list[Evidence], named: str = "") -> str:
    """"Corporate Peer Challenge 2018, page 8" / "…, pages 2–3" / two papers joined with "and"; only the pages
    of a paper whose name `named` (a heading that already names it) begins with."""
    by_doc: dict[str, tuple[DocumentRecord, list[int]]] = {}
    for item in items:
        doc = item.passage.doc
        page = item.passage.chunk.page_at(item.start)
        by_doc.setdefault(doc.doc_id, (doc, []))[1].append(page)
    parts = [_pages(pages) if named.startswith(paper_name(doc)) else f"{paper_name(doc)}, {_pages(pages)}"
             for doc, pages in by_doc.values()]
    return " and ".join(parts) if len(parts) <= 2 else "; ".join(parts)


def paper_name(doc: DocumentRecord) -> str:
    return doc.short_title or doc.title or doc.doc_id


def _lookup(items: list[Evidence], quoter: Quoter) -> str:
    lead = f"From {lead_for(items)}:"
    if len(items) == 1:
        return f"{lead} {quoter.quote(items[0])}"
    return lead + "\n\n" + "\n".join(f"- {quoter.quote(item)}" for item in items)


def _list(group: EvidenceGroup, quoter: Quoter) -> str:
    return f"{list_lead(group)}\n\n{_list_body(group, quoter)}"


def list_lead(group: EvidenceGroup) -> str:
    """A list answer's first line: the paper, its pages and what the list is ("Corporate Peer Challenge 2018,
    pages 2–3: 7 items under “The following are the peer team's key recommendations …”")."""
    doc = group.doc
    where = f"{paper_name(doc)}, " if doc else ""
    count = sum(1 for item in group.items if item.depth == 0)
    pages = _pages_of(group.items)
    if group.about:
        return f"{where}{pages}, {group.about}:"
    heading = f" under “{_flat(group.heading)}”" if group.heading else ""
    return f"{where}{pages}: {count} item{'' if count == 1 else 's'}{heading}"


def quotes_votes(context: Context) -> bool:
    """Whether a list answer quotes recorded votes: counts ("For (12)") with the names counted."""
    return context.intent == Intent.LIST and bool(context.groups) \
        and any(COUNT_LABEL.match(i.text.split("\n")[0]) for i in context.groups[0].items)


def votes_put(context: Context) -> bool:
    """Whether a list answer is of motions put to the vote, each with its recorded counts ("For (12)"): laid out
    under who proposed each, as several are when there is one."""
    return context.analysis.list_noun in MOTION_NOUNS and quotes_votes(context)


def _decisions_by_item(groups: list[EvidenceGroup], quoter: Quoter, noun: str = "decisions",
                       asked: bool | None = None) -> str:
    """What a meeting resolved, item by item: each item's decisions under its heading and pages; or the motions
    put to the vote, each under who proposed it."""
    items = [i for g in groups for i in g.items]
    doc = items[0].passage.doc
    pages = _pages_of(items)
    if noun in MOTION_NOUNS:
        outcomes = {outcome_of(g) for g in groups}
        how = {frozenset({True}): ", all lost", frozenset({False}): ", all carried"}.get(frozenset(outcomes), "")
        # Asked which were carried (or lost) when none was, the meeting's are all given: the lead says so first.
        if asked is not None and asked not in outcomes:
            how = f", none {'lost' if asked else 'carried'}" + how.replace(",", ":")
        if len(groups) == 1:
            noun, how = noun.removesuffix("s"), how.replace("all ", "").replace("none ", "not ")
        lead = f"{len(groups)} {noun} put to the vote{how}"
    else:
        lead = f"the decisions recorded under {len(groups)} items"
    lines = [f"{paper_name(doc)}, {pages}: {lead}", ""]
    for group in groups:
        where = _pages_of(group.items)
        title = f"“{_flat(group.heading)}” ({where})" if group.heading else where[:1].upper() + where[1:]
        lines += [f"{title}:", _list_body(group, quoter), ""]
    return "\n".join(lines).rstrip()


def _list_body(group: EvidenceGroup, quoter: Quoter) -> str:
    lines = []
    for item in group.items:
        label = item.label if item.label and item.label != "•" else "-"
        # An item with sub-items printed on their own lines (a recommendation from the register) keeps them.
        first, *rest = [line.strip() for line in item.text.splitlines() if line.strip()] or [""]
        lines.append(f"{INDENT * item.depth}{label} {_flat(first)} [{quoter.cite(item)}]")
        lines.extend(f"{INDENT * (item.depth + 1)}{_flat(line)}" for line in rest)
    if group.note:
        lines.append(f"({group.note})")
    return "\n".join(lines)


def _summary(groups: list[EvidenceGroup], quoter: Quoter) -> str:
    lines = [summary_lead(groups, own_words=True), ""]
    if len(groups) == 1 and groups[0].heading:
        # One section: the gist of what the paper says on the question's topic.
        lines.extend(f"- {quoter.quote(item)}" for item in groups[0].items)
        return "\n".join(lines)
    for group in groups:
        quotes = " ".join(quoter.quote(i) for i in group.items)
        lines.append(f"- {group.heading}: {quotes}" if group.heading else f"- {quotes}")
    return "\n".join(lines)


def summary_lead(groups: list[EvidenceGroup], own_words: bool) -> str:
    """A summary's first line: the paper and pages, and the section when it is one ("Corporate Peer Challenge 2017,
    “Financial planning and viability” (pages 9–10):"); `own_words` when every line after it is a quote."""
    items = [i for g in groups for i in g.items]
    doc = items[0].passage.doc
    pages = _pages_of(items)
    how = ", in the paper's own words:" if own_words else ":"
    if len(groups) == 1 and groups[0].heading:
        return f"{paper_name(doc)}, “{groups[0].heading}” ({pages}){how}"
    return f"Summary of {paper_name(doc)} ({pages}){', section by section' if own_words else ''}{how}"


def comparison_lead(groups: list[EvidenceGroup]) -> str:
    labels = [g.heading for g in groups]
    return f"Comparing {', '.join(labels[:-1])} and {labels[-1]}:"


def side_heading(group: EvidenceGroup) -> str:
    """A comparison side's first line: its name and pages, or its name and why its papers say nothing."""
    if group.items:
        return f"{group.heading} ({lead_for(group.items, group.heading)}):"
    return f"{group.heading}: {group.note}"


def _comparison(groups: list[EvidenceGroup], quoter: Quoter) -> str:
    lines = [comparison_lead(groups)]
    for group in groups:
        lines += ["", side_heading(group)]
        if group.items:
            lines.append(side_quotes(group, quoter))
    return "\n".join(lines)


def side_quotes(group: EvidenceGroup, quoter: Quoter) -> str:
    """A comparison side in the paper's own words: its items quoted, a line each."""
    return "\n".join(f"- {quoter.quote(item)}" for item in group.items)


def _pages_of(items: list[Evidence]) -> str:
    """The pages the items are quoted from, as `_pages` writes them."""
    return _pages([i.passage.chunk.page_at(i.start) for i in items])


def _pages(pages: list[int]) -> str:
    unique = sorted(set(pages))
    if not unique:
        return ""
    if len(unique) == 1:
        return f"page {unique[0]}"
    if unique == list(range(unique[0], unique[-1] + 1)):
        return f"pages {unique[0]}–{unique[-1]}"
    return "pages " + ", ".join(map(str, unique))


def _flat(text: str) -> str:
    return " ".join(text.split())
