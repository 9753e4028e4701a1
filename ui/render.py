"""HTML for answers, sources, the library table and exports.

Every piece of document text, model output and user input goes through `esc` before it reaches the
page: the chat bubbles and the HTML panels render HTML, so nothing from outside is ever inserted raw.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from assistant.catalogue import distinct_labels
from assistant.citations import citation_runs
from assistant.register import page_url
from assistant.types import Answer, Citation, Filters, Passage
from common.text import last_heading
from common.types import DocumentRecord

_MARKER = re.compile(r"\[(\d{1,3})\]")
_UNVERIFIED = "[unverified]"
# Characters that mean something to template engines (JS template strings, Handlebars) as well as HTML.
_EXTRA = str.maketrans({"$": "&#36;", "{": "&#123;", "}": "&#125;", "`": "&#96;"})


def esc(text: object) -> str:
    """HTML-escape text (quotes and template characters too); safe inside elements and attributes."""
    return html.escape(str(text), quote=True).translate(_EXTRA)


# Links to a paper's page: the same URLs the register's JSON gives.
pdf_href = page_url


def _loose(quote: str) -> re.Pattern[str] | None:
    """The quote as a pattern that tolerates any whitespace (line breaks) between its words."""
    words = re.findall(r"\S+", quote)
    return re.compile(r"\s+".join(re.escape(w) for w in words)) if words else None


def highlight(text: str, quote: str) -> tuple[str, bool]:
    """Escaped `text` with the quoted words wrapped in <mark>; the flag says whether the quote was found."""
    pattern = _loose(quote)
    match = pattern.search(text) if pattern else None
    if not match:
        return esc(text), False
    return (esc(text[: match.start()]) + "<mark>" + esc(match.group(0)) + "</mark>" + esc(text[match.end():]),
            True)


def _paragraphs(fragment: str) -> str:
    parts = [p.strip() for p in re.split(r"\n\s*\n", fragment) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in parts)


def _markers(escaped: str) -> str:
    escaped = escaped.replace(
        esc(_UNVERIFIED),
        '<span class="cc-unverified" title="This citation failed the check against the papers">[unverified]</span>',
    )
    return _MARKER.sub(r'<span class="cc-marker">[\1]</span>', escaped)


def answer_body(text: str, unsupported: Sequence[str] = ()) -> str:
    """The answer text as HTML: markers styled, sentences no citation supports flagged with ⚠."""
    spans: list[tuple[int, int]] = []
    for claim in unsupported:
        pattern = _loose(claim)
        match = pattern.search(text) if pattern else None
        if match and not any(s < match.end() and match.start() < e for s, e in spans):
            spans.append((match.start(), match.end()))
    out, pos = [], 0
    for start, end in sorted(spans):
        out.append(_markers(esc(text[pos:start])))
        out.append('<span class="cc-unsupported" title="No cited passage supports this sentence">⚠ '
                   + _markers(esc(text[start:end])) + "</span>")
        pos = end
    out.append(_markers(esc(text[pos:])))
    return _paragraphs("".join(out))


def question_html(question: str) -> str:
    return _paragraphs(esc(question)) or "<p></p>"


def streaming_html(text: str) -> str:
    return answer_body(text) + '<p class="cc-working">…</p>'


def working_html(status: str = "Searching the papers…") -> str:
    return f'<p class="cc-working">{esc(status)}</p>'


def message_html(text: str) -> str:
    return f'<p class="cc-message">{esc(text)}</p>'


def _cite_line(run: list[Citation], name: str) -> str:
    """One line for a run of citations to the same page and section ("[1]–[6] Corporate Peer Challenge 2017, page 6
    — 4.4 Financial planning and viability")."""
    first, last = run[0], run[-1]
    markers = f"[{first.n}]" if len(run) == 1 else f"[{first.n}]–[{last.n}]"
    heading = last_heading(first.section)
    return (f'<span class="cc-marker">{markers}</span> <a href="{esc(pdf_href(first.doc_id, first.page))}"'
            f' target="_blank" rel="noopener">{esc(name)}</a>, page {int(first.page)}'
            + (f" — {esc(heading)}" if heading else ""))



def _cited_names(citations: list[Citation], docs: dict[str, DocumentRecord]) -> dict[str, str]:
    """Each cited paper's name for the footer; papers cited under the same name (the January and February "Draft
    Revenue Budget 2025-26 …" reports) also say which meeting and when, as comparison sides do."""
    cited = list(dict.fromkeys(c.doc_id for c in citations))
    names = distinct_labels([docs[d] for d in cited if d in docs])
    return {c.doc_id: names.get(c.doc_id) or c.title or c.doc_id for c in citations}


def read_as(question: str, standalone: str) -> str:
    """How a follow-up was understood ("Why?" -> "Why is Adult Social Care & Health overspending the most?"), so the
    reader can tell what the answer answers; "" when the question stood alone."""
    understood = " ".join(standalone.split())
    return "" if understood == " ".join(question.split()) else understood


def _read_as(answer: Answer) -> str:
    understood = read_as(answer.question, answer.standalone_question)
    return f'<p class="cc-reason cc-read-as">Read as: “{esc(understood)}”</p>' if understood else ""


def answer_html(answer: Answer) -> str:
    """The final answer for the chat bubble."""
    read_as = _read_as(answer)
    if answer.refused:
        reason = f'<p class="cc-reason">Why: {esc(answer.refusal_reason)}.</p>' if answer.refusal_reason else ""
        return (f'<div class="cc-refusal">{read_as}<p><strong>{esc(answer.answer)}</strong></p>{reason}'
                '<p class="cc-reason">Sources lists the nearest passages, each labelled as not answering.</p></div>')
    docs = {p.doc.doc_id: p.doc for p in answer.retrieved}
    parts = [read_as, answer_body(answer.answer, answer.unsupported)]
    if answer.unsupported:
        n = len(answer.unsupported)
        parts.append(f'<p class="cc-unsupported-note">⚠ {n} sentence{"s" if n > 1 else ""} marked ⚠ '
                     f'{"are" if n > 1 else "is"} not backed by a cited passage: check the papers before relying '
                     f'on {"them" if n > 1 else "it"}.</p>')
    if answer.citations:
        names = _cited_names(answer.citations, docs)
        lines = "<br>".join(_cite_line(run, names[run[0].doc_id]) for run in citation_runs(answer.citations))
        parts.append(f'<p class="cc-cites">{lines}</p>')
    return "".join(parts)


def filters_summary(filters: Filters, titles: Mapping[str, str] | None = None) -> str:
    """Plain text describing active filters ("" when none)."""
    bits: list[str] = []
    if filters.councils:
        bits.append("council: " + ", ".join(filters.councils))
    if filters.document_types:
        bits.append("type: " + ", ".join(filters.document_types))
    if filters.doc_ids:
        names = [(titles or {}).get(d, d) for d in filters.doc_ids]
        bits.append("documents: " + "; ".join(names))
    if filters.date_from or filters.date_to:
        bits.append(f"dated {filters.date_from or '…'} to {filters.date_to or '…'}")
    return " · ".join(bits)


def _doc_meta(doc: DocumentRecord | None, page: int, section: str) -> str:
    bits = []
    if doc and doc.council:
        bits.append(esc(doc.council))
    if doc and doc.date:
        bits.append(esc(doc.date))
    bits.append(f'<span class="cc-page">page {int(page)}</span>')
    if section:
        bits.append(f"§ {esc(section)}")
    return " · ".join(bits)


def _card(label: str, doc_id: str, title: str, doc: DocumentRecord | None, page: int, section: str, body: str,
          css: str = "") -> str:
    link = (f'<a href="{esc(pdf_href(doc_id, page))}" target="_blank" rel="noopener" '
            f'title="Open the original at page {int(page)}">{esc(title or doc_id)}</a>')
    return (f'<div class="cc-source {css}"><div class="cc-source-head">{label} {link}</div>'
            f'<div class="cc-source-meta">{_doc_meta(doc, page, section)}</div>'
            f'<div class="cc-passage">{body}</div></div>')


def _passage_card(passage: Passage, label: str, css: str) -> str:
    chunk = passage.chunk
    return _card(label, chunk.doc_id, passage.doc.title, passage.doc, chunk.page_start, chunk.section,
                 esc(chunk.text), css)


def sources_html(answer: Answer, active_filters: str = "") -> str:
    """The sources panel: each cited passage with the quoted words highlighted, or the nearest passages."""
    scope = f'<p class="cc-scope">Searched only: {esc(active_filters)}</p>' if active_filters else ""
    if answer.refused:
        head = ('<div class="cc-refused-head"><strong>The papers do not answer this question.</strong>'
                + (f" ({esc(answer.refusal_reason)})" if answer.refusal_reason else "") + "</div>")
        if not answer.retrieved:
            return f"<h3>Sources</h3>{scope}{head}<p>No passages matched.</p>"
        cards = "".join(_passage_card(p, '<span class="cc-label">Nearest passage, does not answer</span>',
                                      "cc-nearest") for p in answer.retrieved)
        return (f"<h3>Sources</h3>{scope}{head}<p class=\"cc-reason\">These are the closest passages found; "
                f"they are shown so you can check, not as an answer.</p>{cards}")
    by_chunk = {p.chunk.chunk_id: p for p in answer.retrieved}
    cards = []
    for c in answer.citations:
        passage = by_chunk.get(c.chunk_id)
        marker = f'<span class="cc-marker">[{c.n}]</span>'
        if passage is None:
            body = f"<mark>{esc(c.quote)}</mark>"
            cards.append(_card(marker, c.doc_id, c.title, None, c.page, c.section, body, "cc-cited"))
            continue
        body, found = highlight(passage.chunk.text, c.quote)
        if not found:
            body = f'<blockquote><mark>{esc(c.quote)}</mark></blockquote>{body}'
        cards.append(_card(marker, c.doc_id, c.title, passage.doc, c.page, c.section, body, "cc-cited"))
    cited = {c.chunk_id for c in answer.citations}
    others = [p for p in answer.retrieved if p.chunk.chunk_id not in cited]
    seen: set[str] = set()
    extra = []
    for p in others:
        if p.chunk.chunk_id not in seen:
            seen.add(p.chunk.chunk_id)
            extra.append(_passage_card(p, '<span class="cc-label">Retrieved, not cited</span>', "cc-other"))
    more = (f"<details><summary>Other passages retrieved ({len(extra)})</summary>{''.join(extra)}</details>"
            if extra else "")
    if not cards:
        cards.append("<p>No citations.</p>")
    return f"<h3>Sources</h3>{scope}{''.join(cards)}{more}"


def empty_sources_html() -> str:
    return ('<h3>Sources</h3><p class="cc-reason">Ask a question: the passages each answer is based on appear '
            "here, with the quoted words highlighted and a link to the page in the original document.</p>")


def library_html(docs: Iterable[DocumentRecord]) -> str:
    rows = []
    for d in docs:
        rows.append(
            f"<tr><td><a href=\"{esc(pdf_href(d.doc_id, 1))}\" target=\"_blank\" rel=\"noopener\">{esc(d.title)}"
            f"</a></td><td>{esc(d.council)}</td><td>{esc(d.document_type)}</td><td>{esc(d.date)}</td>"
            f"<td class=\"cc-num\">{int(d.page_count)}</td></tr>"
        )
    if not rows:
        return "<p>No documents in the index yet.</p>"
    return ('<table class="cc-library"><thead><tr><th>Title</th><th>Council</th><th>Type</th><th>Date</th>'
            f'<th>Pages</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def mode_html(description: str, notice: str = "") -> str:
    note = f'<div class="cc-notice">{esc(notice)}</div>' if notice else ""
    return f'<div class="cc-mode">Answer mode: <strong>{esc(description)}</strong></div>{note}'


def lines_html(lines: Iterable[str], css: str = "cc-results") -> str:
    return f'<ul class="{css}">' + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


def conversation_markdown(turns: Sequence[Mapping[str, Any]], when: datetime | None = None) -> str:
    """Questions, answers and citations as a Markdown document (from `Answer.to_json()` dicts)."""
    stamp = (when or datetime.now()).strftime("%Y-%m-%d %H:%M")
    out = [f"# councilchat conversation\n\nExported {stamp}.\n"]
    for i, turn in enumerate(turns, start=1):
        out.append(f"## {i}. {turn['question']}\n")
        answer = turn.get("answer")
        if not answer:
            out.append(f"_{turn.get('message', 'No answer.')}_\n")
            continue
        if turn.get("filters"):
            out.append(f"_Searched only: {turn['filters']}_\n")
        understood = read_as(str(answer.get("question", turn["question"])), str(answer.get("standalone_question", "")))
        if understood:
            out.append(f"_Read as: “{understood}”_\n")  # a follow-up, as the chat page shows it
        out.append(answer["answer"].strip() + "\n")
        if answer.get("refused"):
            out.append(f"_Not answered by the papers ({answer.get('refusal_reason', '')})._\n")
        for sentence in answer.get("unsupported", []):
            out.append(f"> ⚠ Not backed by a cited passage: {sentence}\n")
        if answer.get("citations"):
            out.append("**Sources**\n")
            for c in answer["citations"]:
                section = f", {c['section']}" if c.get("section") else ""
                out.append(f"- [{c['n']}] {c['title']}, page {c['page']}{section}: “{c['quote']}”")
            out.append("")
    return "\n".join(out).rstrip() + "\n"
