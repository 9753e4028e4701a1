"""The Gradio page: chat with streamed, cited answers; sources panel; filters; library; upload; feedback."""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answering.base import Status, TextDelta
from assistant.conversation import turn_from_json
from assistant.services import Services
from assistant.types import Answer
from common.types import InvalidRequest
from ui import render
from ui.asking import Asker, ModeInfo, make_filters
from ui.register_tab import add_register_tab
from ui.uploads import UploadRejected, ingest_uploads

log = logging.getLogger(__name__)

EXAMPLES = [
    "How much in budget reductions did Derbyshire County Council manage between 2010 and 2018?",
    "What did the peer team say about Cotmanhay?",
    "What were the key recommendations of the Derby City peer challenge?",
    "What are the four thematic areas of the 2024 productivity plan?",
]
UNEXPECTED = "Something went wrong while answering; please try again. (The details are in the server log.)"
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # UI events are not an API; the API lives under /api
# Gradio's temporary copies of uploads and exports: every 10 minutes, delete those older than an hour (and all
# of them when the server stops). Gradio runs this in the lifespan of the app it is mounted on, too.
CACHE_CLEANUP = (600, 3600)  # (frequency, age) in seconds
Chat = list[dict[str, Any]]
Turns = list[dict[str, Any]]


def _choices(services: Services) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    docs = services.sqlite.list_documents()
    councils = sorted({d.council for d in docs if d.council})
    types = sorted({d.document_type for d in docs if d.document_type})
    titles = [(f"{d.title} ({d.date})" if d.date else d.title, d.doc_id) for d in docs]
    return councils, types, titles


def _export_file(turns: Turns) -> str:
    folder = Path(tempfile.mkdtemp(prefix="councilchat-export-"))
    path = folder / "councilchat-conversation.md"
    path.write_text(render.conversation_markdown(turns), encoding="utf-8")
    return str(path)


class ChatHandlers:
    """Event handlers, kept apart from the layout so they can be read (and tested) on their own."""

    def __init__(self, services: Services, asker: Asker) -> None:
        self.services = services
        self.asker = asker
        self._feedback_lock = threading.Lock()

    def titles(self) -> dict[str, str]:
        return {d.doc_id: d.short_title or d.title for d in self.services.sqlite.list_documents()}

    def respond(self, message: str, chat: Chat | None, turns: Turns | None, councils: list[str] | None,
                types: list[str] | None, date_from: str, date_to: str, doc_ids: list[str] | None
                ) -> Iterator[tuple[Any, ...]]:
        chat = list(chat or [])
        turns = list(turns or [])
        question = message or ""
        no_export = gr.update()
        chat += [{"role": "user", "content": render.question_html(question)},
                 {"role": "assistant", "content": render.working_html()}]
        yield "", chat, gr.update(), turns, no_export
        history = [turn_from_json(t["question"], t["answer"]) for t in turns if t.get("answer")]
        try:
            filters = make_filters(councils, types, doc_ids, date_from, date_to)
            scope = render.filters_summary(filters, self.titles())
            text, answer = "", None
            for event in self.asker.stream(question, history, filters):
                if isinstance(event, Status) and not text:
                    chat[-1] = {"role": "assistant", "content": render.working_html(event.text)}
                    yield "", chat, gr.update(), turns, no_export
                elif isinstance(event, TextDelta):
                    text += event.text
                    chat[-1] = {"role": "assistant", "content": render.streaming_html(text)}
                    yield "", chat, gr.update(), turns, no_export
                elif isinstance(event, Answer):
                    answer = event
        except InvalidRequest as err:
            chat[-1] = {"role": "assistant", "content": render.message_html(str(err))}
            turns.append({"question": question, "answer": None, "message": str(err)})
            yield message, chat, gr.update(), turns, no_export
            return
        except Exception:
            # Logged in full; the page gets a plain message (never the error text, which may name paths),
            # instead of a bubble left at "Searching the papers…".
            log.exception("answering failed")
            chat[-1] = {"role": "assistant", "content": render.message_html(UNEXPECTED)}
            turns.append({"question": question, "answer": None, "message": UNEXPECTED})
            yield message, chat, gr.update(), turns, no_export
            return
        assert answer is not None
        chat[-1] = {"role": "assistant", "content": render.answer_html(answer)}
        turns.append({"question": question, "answer": answer.to_json(), "filters": scope})
        yield "", chat, render.sources_html(answer, scope), turns, gr.update(value=_export_file(turns),
                                                                               interactive=True)

    def feedback(self, turns: Turns | None, comment: str, data: gr.LikeData) -> tuple[str, str]:
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        turn_no = int(index) // 2
        turns = turns or []
        if not 0 <= turn_no < len(turns) or not turns[turn_no].get("answer"):
            return "Nothing to rate there.", comment
        turn = turns[turn_no]
        answer = turn["answer"]
        rating = "up" if data.liked is True or data.liked == "Like" else "down"
        record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "rating": rating, "comment": (comment or "")[:2000],
                  "question": turn["question"], "answer": answer["answer"], "refused": answer["refused"],
                  "citations": answer["citations"], "mode": answer["mode"], "filters": turn.get("filters", "")}
        path = self.services.settings.feedback_path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._feedback_lock, path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return f"Thank you: your rating (thumbs {rating}) of answer {turn_no + 1} was recorded.", ""

    def refresh(self) -> tuple[Any, ...]:
        councils, types, titles = _choices(self.services)
        return (gr.update(choices=councils), gr.update(choices=types), gr.update(choices=titles),
                render.library_html(self.services.sqlite.list_documents()))

    def upload(self, password: str, files: list[str] | None, progress: gr.Progress = gr.Progress()  # noqa: B008
               ) -> tuple[Any, ...]:
        def report(done: int, total: int, line: str) -> None:
            progress((done, total), desc=line)

        try:
            lines = ingest_uploads(self.services, password, files or [], report)
            result = render.lines_html(lines)
        except UploadRejected as err:
            result = render.lines_html([str(err)], "cc-results cc-error")
        return (result, *self.refresh())


def build_ui(services: Services, asker: Asker, mode: ModeInfo) -> gr.Blocks:
    settings = services.settings
    handlers = ChatHandlers(services, asker)
    councils, types, titles = _choices(services)
    with gr.Blocks(title="councilchat: council papers, answered with sources", analytics_enabled=False,
                   fill_width=True, delete_cache=CACHE_CLEANUP) as demo:
        turns = gr.State([])
        gr.HTML('<div class="cc-header"><h1>councilchat</h1><p>Answers from the council papers, each one cited '
                "to the document, page and words it rests on — or a plain statement that the papers do not say."
                "</p></div>" + render.mode_html(mode.description, mode.notice), elem_id="cc-header")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"), gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=380):
                    with gr.Accordion("Filters — apply to the next question", open=False, elem_id="cc-filters"):
                        with gr.Row():
                            council = gr.Dropdown(councils, multiselect=True, label="Council", value=[],
                                                  elem_id="cc-council")
                            dtype = gr.Dropdown(types, multiselect=True, label="Document type", value=[])
                        with gr.Row():
                            date_from = gr.Textbox(label="Dated from", placeholder="e.g. 2018", max_lines=1)
                            date_to = gr.Textbox(label="Dated to", placeholder="e.g. 2020-01", max_lines=1)
                        only_docs = gr.Dropdown(titles, multiselect=True, label="Only these documents",
                                                value=[])
                    chatbot = gr.Chatbot(label="Conversation", height=560, render_markdown=False,
                                         sanitize_html=True, allow_tags=False, elem_id="cc-chat",
                                         examples=[{"text": q} for q in EXAMPLES],
                                         feedback_options=("Like", "Dislike"), buttons=["copy"],
                                         placeholder="Ask about the council papers, or pick an example.")
                    with gr.Row():
                        question = gr.Textbox(show_label=False, placeholder="Ask a question about the papers…",
                                              scale=5, max_lines=4, elem_id="cc-question", autofocus=True)
                        ask = gr.Button("Ask", variant="primary", scale=1, min_width=80, elem_id="cc-ask")
                    with gr.Row():
                        comment = gr.Textbox(label="Optional comment, sent when you rate an answer (thumbs up / down)",
                                             max_lines=2, scale=3)
                        with gr.Column(scale=1, min_width=160):
                            export = gr.DownloadButton("Export conversation (.md)", interactive=False,
                                                       size="sm")
                            clear = gr.Button("New conversation", size="sm")
                    feedback_status = gr.Markdown()
                with gr.Column(scale=2, min_width=320):
                    sources = gr.HTML(render.empty_sources_html(), elem_id="cc-sources")
            with gr.Tab("Documents", id="documents"):
                gr.Markdown("The papers in the index. Titles open the original document.")
                library = gr.HTML(render.library_html(services.sqlite.list_documents()), elem_id="cc-library")
            add_register_tab(services, demo)
            if settings.admin_password.get_secret_value():
                with gr.Tab("Upload", id="upload"):
                    gr.Markdown("Add PDF or Word (.docx) files to the index. The admin password is required; "
                                "each file's result is listed below.")
                    password = gr.Textbox(label="Admin password", type="password", max_lines=1)
                    files = gr.File(label="Files", file_count="multiple", file_types=[".pdf", ".docx"],
                                    type="filepath")
                    add = gr.Button("Add to index", variant="primary")
                    results = gr.HTML()
                    add.click(handlers.upload, [password, files], [results, council, dtype, only_docs, library],
                              concurrency_limit=1, **PRIVATE)

        ask_inputs = [question, chatbot, turns, council, dtype, date_from, date_to, only_docs]
        ask_outputs = [question, chatbot, sources, turns, export]
        question.submit(handlers.respond, ask_inputs, ask_outputs, **PRIVATE)
        ask.click(handlers.respond, ask_inputs, ask_outputs, **PRIVATE)
        chatbot.example_select(_example_text, None, question, **PRIVATE).then(
            handlers.respond, ask_inputs, ask_outputs, **PRIVATE)
        chatbot.like(handlers.feedback, [turns, comment], [feedback_status, comment], **PRIVATE)
        clear.click(lambda: ([], [], render.empty_sources_html(), gr.update(value=None, interactive=False), ""),
                    None, [chatbot, turns, sources, export, feedback_status], **PRIVATE)
        demo.load(handlers.refresh, None, [council, dtype, only_docs, library], **PRIVATE)
    return demo


def _example_text(data: gr.SelectData) -> str:
    value = data.value
    return str(value.get("text", "")) if isinstance(value, dict) else str(value)
