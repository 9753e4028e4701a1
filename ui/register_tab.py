"""The "Recommendations" tab: the register of what reviews recommended and meetings were asked to decide.

Officers filter by council, paper and kind, read each recommendation verbatim with a link to its page,
see passages of later papers that may bear on it (labelled "possibly related", never "done"), and export
what they see to CSV. Built here so the chat page (ui.chat) only has to add it; everything from a paper
goes through `render.esc`.
"""

from __future__ import annotations

import csv
import logging
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.register import KINDS, RegisterEntry
from assistant.services import Services
from common.text import normalise_ws
from ui import render

log = logging.getLogger(__name__)

PRIVATE: dict[str, Any] = {"api_visibility": "private"}
# Finding later passages takes a retrieval per recommendation: done for one paper's list at a time, not for all.
LINK_LIMIT = 15
INTRO = ("Every recommendation the papers hold: the key recommendations of peer reviews, and what a meeting is "
         "asked to decide. Each is quoted as printed, with a link to its page. Passages of later papers that may "
         "bear on it are listed as *possibly related*: a later passage on the same topic does not mean that the "
         "recommendation was carried out.")


class RegisterView:
    """The tab's handlers, apart from the layout so they can be tested on their own."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def choices(self) -> tuple[list[str], list[tuple[str, str]]]:
        """Councils and papers (label, doc_id) that have recommendations."""
        entries = self.services.register.entries(follow_ups=False)
        councils = sorted({e.doc.council for e in entries if e.doc.council})
        papers: dict[str, str] = {}
        for e in entries:
            papers.setdefault(e.doc.doc_id, f"{e.doc.title} ({e.doc.date})" if e.doc.date else e.doc.title)
        return councils, [(label, doc_id) for doc_id, label in papers.items()]

    def refresh(self) -> tuple[Any, ...]:
        councils, papers = self.choices()
        return gr.update(choices=councils), gr.update(choices=papers)

    def show(self, councils: Sequence[str] | None, doc_ids: Sequence[str] | None,
             kinds: Sequence[str] | None) -> tuple[str, Any]:
        register = self.services.register
        entries = register.entries(list(doc_ids or ()), list(councils or ()), list(kinds or ()), follow_ups=False)
        linked = len(entries) <= LINK_LIMIT
        if linked:
            try:
                for entry in entries:
                    entry.follow_ups = register.follow_ups(entry.recommendation)
            except Exception:  # the register itself still shows; the log has the details
                log.exception("finding later passages failed")
                linked = False
        return register_html(entries, linked), gr.update(value=export_csv(entries), interactive=bool(entries))


def add_register_tab(services: Services, demo: gr.Blocks) -> None:
    """Add the tab inside the page's gr.Tabs (call it there) and fill its choices when the page loads."""
    view = RegisterView(services)
    with gr.Tab("Recommendations", id="recommendations"):
        gr.Markdown(INTRO)
        with gr.Row():
            council = gr.Dropdown([], multiselect=True, label="Council", value=[], elem_id="cc-reg-council")
            paper = gr.Dropdown([], multiselect=True, label="Paper", value=[], elem_id="cc-reg-paper")
            kind = gr.Dropdown(list(KINDS), multiselect=True, label="Kind", value=[], elem_id="cc-reg-kind")
        with gr.Row():
            show = gr.Button("Show recommendations", variant="primary", elem_id="cc-reg-show")
            export = gr.DownloadButton("Export to CSV", interactive=False, elem_id="cc-reg-export")
        output = gr.HTML(empty_html(), elem_id="cc-register")
    inputs, outputs = [council, paper, kind], [output, export]
    # Named, so they never take the names the chat page's own handlers ("refresh") are known by.
    show.click(view.show, inputs, outputs, api_name="recommendations_show", **PRIVATE)
    for dropdown in inputs:
        dropdown.input(view.show, inputs, outputs, api_name=False, **PRIVATE)
    demo.load(view.refresh, None, [council, paper], api_name="recommendations_refresh", **PRIVATE)


def empty_html() -> str:
    return ('<p class="cc-reason">Choose a council, a paper or a kind (or none, for everything) and press '
            "<strong>Show recommendations</strong>.</p>")


def register_html(entries: Sequence[RegisterEntry], linked: bool = True) -> str:
    """The register as HTML: one card per paper, each recommendation verbatim with its page and later passages."""
    if not entries:
        return '<p class="cc-reason">No recommendations in the papers for these filters.</p>'
    n = len(entries)
    head = f'<p class="cc-scope">{n} recommendation{"s" if n != 1 else ""}.'
    if not linked:
        head += f" Choose one paper (at most {LINK_LIMIT} recommendations) to see possibly related later passages."
    parts = [head + "</p>"]
    current: tuple[str, str, str] | None = None
    for entry in entries:
        doc, r = entry.doc, entry.recommendation
        if current is None or current[0] != doc.doc_id:
            if current is not None:
                parts.append("</div>")
            meta = " · ".join(bit for bit in (render.esc(doc.council), render.esc(doc.date),
                                              render.esc(doc.document_type)) if bit)
            parts.append(f'<div class="cc-reg-paper"><h3><a href="{render.esc(render.pdf_href(doc.doc_id, 1))}" '
                         f'target="_blank" rel="noopener">{render.esc(doc.title or doc.doc_id)}</a></h3>'
                         f'<div class="cc-source-meta">{meta}</div>')
        if current is None or current != (doc.doc_id, r.section, r.lead_in):
            lead = f" — {render.esc(r.lead_in)}" if r.lead_in else ""
            parts.append(f'<p class="cc-reg-section">§ {render.esc(r.section)}{lead}</p>')
        current = (doc.doc_id, r.section, r.lead_in)
        parts.append(_item_html(entry, linked))
    parts.append("</div>")
    return f'<div class="cc-register">{"".join(parts)}</div>'


def _item_html(entry: RegisterEntry, linked: bool) -> str:
    r = entry.recommendation
    number = f'<span class="cc-marker">{render.esc(r.number)}</span> ' if r.number else ""
    page = (f'<a href="{render.esc(render.pdf_href(r.doc_id, r.page))}" target="_blank" rel="noopener" '
            f'title="Open the paper at page {int(r.page)}">page {int(r.page)}</a>')
    again = f" (also printed on page {', '.join(str(int(p)) for p in r.also_on_pages)})" if r.also_on_pages else ""
    meta = f'<span class="cc-label">{render.esc(r.kind)}</span> {page}{again}'
    # Sub-items and continuing paragraphs on their own lines, without the blank lines between them.
    text = render.esc(re.sub(r"\n\s*\n", "\n", r.text))
    body = f'<div class="cc-passage cc-reg-text">{number}{text}</div>'
    return (f'<div class="cc-source cc-cited cc-reg-item" data-doc="{render.esc(r.doc_id)}">'
            f'<div class="cc-source-meta">{meta}</div>{body}{_follow_ups_html(entry, linked)}</div>')


def _follow_ups_html(entry: RegisterEntry, linked: bool) -> str:
    if not linked:
        return ""
    if not entry.follow_ups:
        return '<p class="cc-reason cc-reg-none">No closely matching passage in later papers of this council.</p>'
    items = []
    for f in entry.follow_ups:
        link = (f'<a href="{render.esc(render.pdf_href(f.doc_id, f.page))}" target="_blank" rel="noopener">'
                f"{render.esc(f.title or f.doc_id)}</a>")
        items.append(f'<li class="cc-reg-link">{link} ({render.esc(f.date)}), page {int(f.page)} · match '
                     f'{f.strength:.2f}<blockquote>{render.esc(f.quote)}</blockquote></li>')
    return (f'<details class="cc-reg-follow" open><summary>Possibly related in later papers ({len(items)}) — '
            f'not a statement that it was done</summary><ul>{"".join(items)}</ul></details>')


_COLUMNS = ["council", "paper", "date", "doc_id", "kind", "section", "number", "recommendation", "page", "link",
            "also_on_pages", "possibly_related_later_passages"]


def export_csv(entries: Sequence[RegisterEntry]) -> str | None:
    """The entries as a CSV file (one row per recommendation); its path, or None when there are none."""
    if not entries:
        return None
    folder = Path(tempfile.mkdtemp(prefix="councilchat-export-"))
    path = folder / "councilchat-recommendations.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(_COLUMNS)
        for entry in entries:
            r, d = entry.recommendation, entry.doc
            related = "\n".join(f"{f.title} ({f.date}), page {f.page}, match {f.strength:.2f}: {f.quote}"
                                for f in entry.follow_ups)
            writer.writerow([_cell(v) for v in (
                d.council, d.title, d.date, d.doc_id, r.kind, r.section, r.number, normalise_ws(r.text), r.page,
                render.pdf_href(r.doc_id, r.page), ", ".join(map(str, r.also_on_pages)), related)])
    return str(path)


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (text from a paper may start with "=", "+", "-", "@")."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
