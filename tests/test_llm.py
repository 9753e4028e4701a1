"""LLM answerers: the claim checker (no model), an OpenAI-compatible server (llama.cpp's own server with
the packaged 0.5B model, on loopback) and the in-process GGUF path. Slow, but run by `make test`."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.answering.base import Draft, TextDelta
from assistant.answering.llm import LLMAnswerer
from assistant.answering.models import ChatModel, Messages
from assistant.ask import AskRequest
from assistant.prompts import PromptLibrary
from assistant.settings import PROJECT_ROOT
from tests.conftest import make_services
from tests.web import free_port

QUESTION = "How much in budget reductions did Derbyshire County Council manage between 2010 and 2018?"


class ScriptedModel(ChatModel):
    """Replies with fixed text, streamed word by word: tests the checking, not a model."""

    name = "scripted"

    def __init__(self, reply: str) -> None:
        self.reply = reply

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        for word in self.reply.split(" "):
            yield word + " "


def _answer_with(demo_services, reply: str):  # type: ignore[no-untyped-def]
    answerer = LLMAnswerer(ScriptedModel(reply), PromptLibrary(PROJECT_ROOT / "prompts"), passages=3)
    demo_services.__dict__["answerer"] = answerer
    demo_services.__dict__.pop("ask", None)
    return demo_services.ask


def test_supported_claim_gets_a_verified_quote(demo_services) -> None:  # type: ignore[no-untyped-def]
    ask = _answer_with(demo_services, "The council managed budget reductions of £263m between 2010 and 2018. [1]")
    answer = ask.ask(AskRequest(QUESTION))
    assert not answer.refused and not answer.unsupported
    assert answer.citations[0].n == 1 and "£263m" in answer.citations[0].quote
    assert answer.citations[0].page == 8


def test_wrong_figure_uncited_claim_and_bad_marker_are_flagged(demo_services) -> None:  # type: ignore[no-untyped-def]
    reply = ("The council managed budget reductions of £300m between 2010 and 2018. [1] "
             "It also sold the county hall to investors for a large sum. "
             "Budget reductions were managed between 2010 and 2018. [9]")
    answer = _answer_with(demo_services, reply).ask(AskRequest(QUESTION))
    assert len(answer.unsupported) == 3, answer.unsupported
    # Nothing the model wrote checked out, so the papers' own words are shown instead, with a note.
    assert "could not be checked against the papers" in answer.answer
    assert answer.citations and all("£300m" not in c.quote for c in answer.citations)
    assert any("£263m" in c.quote for c in answer.citations)


def test_stream_yields_text_before_the_answer(demo_services) -> None:  # type: ignore[no-untyped-def]
    ask = _answer_with(demo_services, "The council managed budget reductions of £263m between 2010 and 2018. [1]")
    events = list(ask.stream(AskRequest(QUESTION)))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 5 and not isinstance(events[-1], (TextDelta, Draft))


def test_prompt_labels_passages_and_keeps_instructions_out_of_passages(demo_services) -> None:  # type: ignore[no-untyped-def]
    answerer = LLMAnswerer(ScriptedModel(""), PromptLibrary(PROJECT_ROOT / "prompts"), passages=3)
    retrieval = demo_services.retriever.search(QUESTION)
    evidence, _ = demo_services.evidence.select(QUESTION, retrieval)
    passages = answerer.choose_passages(retrieval, evidence)
    assert len(passages) == 3 and passages[0].chunk.chunk_id == evidence[0].passage.chunk.chunk_id
    user = answerer.messages(QUESTION, passages)[1]["content"]
    assert "[1] (Derbyshire County Council: " in user and QUESTION in user


@pytest.fixture(scope="module")
def small_model() -> Path:
    pytest.importorskip("llama_cpp", reason="the 'local' extra is not installed")
    from assistant.answering.local_model import QWEN_0_5B, ModelNotInstalled, ensure_model

    try:
        return ensure_model(QWEN_0_5B)
    except ModelNotInstalled as err:
        pytest.skip(str(err))


@pytest.fixture(scope="module")
def llama_server(small_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(small_model), "--model_alias", "qwen-small",
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "2", "--verbose", "False"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("llama_cpp.server did not start within 120 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_openai_compatible_server_end_to_end(llama_server: str, demo_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    services = make_services(demo_home, embedder, answer_mode="server", openai_base_url=llama_server,
                             openai_model="qwen-small", llm_max_tokens=120)
    try:
        assert services.answerer.mode == "server"
        events = list(services.ask.stream(AskRequest(QUESTION)))
        answer = events[-1]
        assert sum(isinstance(e, TextDelta) for e in events) > 1, "tokens must stream"
        assert answer.mode == "server" and answer.answer.strip()
        # Whatever the small model wrote, nothing unverified is shown as sourced.
        chunks = {p.chunk.chunk_id: p.chunk for p in answer.retrieved}
        from assistant.citations import verify

        assert all(verify(c, chunks[c.chunk_id]) for c in answer.citations)
        assert answer.citations or answer.unsupported or answer.refused
        # Refusal is decided before generation: an out-of-scope question never reaches the model.
        outside = services.ask.ask(AskRequest("Which day are household bins collected in Matlock?"))
        assert outside.refused and outside.refusal_reason != "the model found no answer in the passages"
    finally:
        services.close()


@pytest.mark.slow
def test_in_process_gguf_smoke(small_model: Path, demo_home: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    services = make_services(demo_home, embedder, answer_mode="local", local_model_path=str(small_model),
                             llm_max_tokens=80)
    try:
        answer = services.ask.ask(AskRequest("What did the peer team say about Cotmanhay?"))
        assert answer.mode == "local" and answer.answer.strip()
        assert answer.citations or answer.unsupported or answer.refused
        assert "Local model" in services.answerer.description
    finally:
        services.close()


@pytest.mark.slow
def test_packaged_default_model_is_verified() -> None:
    pytest.importorskip("llama_cpp", reason="the 'local' extra is not installed")
    from assistant.answering.local_model import QWEN_1_5B, ModelNotInstalled, ensure_model

    try:
        path = ensure_model(QWEN_1_5B)
    except ModelNotInstalled as err:
        pytest.skip(str(err))
    assert path.stat().st_size == QWEN_1_5B.size
    assert path.with_suffix(".verified").is_file()


def test_figure_taken_from_the_wrong_part_of_a_sentence_is_flagged() -> None:
    from assistant.citations import supports

    passage = ("The survey of residents undertaken in early 2017 shows some very positive results about the city "
               "including a 90% satisfaction score with their area as a place to live, however satisfaction with "
               "the council at 59% is below the national average.")
    # Seen from the 1.5B model in local mode: the right sentence, the wrong figure.
    assert not supports("90% of residents were satisfied with the council", passage)
    assert supports("Satisfaction with the council was 59%, below the national average", passage)
    assert supports("Residents gave a 90% satisfaction score to their area as a place to live", passage)
