"""LLM answerers: the claim checker (no model), an OpenAI-compatible server (llama.cpp's own server with
the packaged 0.5B model, on loopback) and the in-process GGUF path. Slow, but run by `make test`."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.answering.base import Draft, TextDelta
from assistant.answering.llm import LLMAnswerer, _without_heading
from assistant.answering.llm_prompts import _shares
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
        self.messages: Messages = []

    def stream(self, messages: Messages, max_tokens: int) -> Iterator[str]:
        self.messages = messages
        for word in self.reply.split(" "):
            yield word + " "


def _answer_with(demo_services, reply: str):  # type: ignore[no-untyped-def]
    answerer = LLMAnswerer(ScriptedModel(reply), PromptLibrary(PROJECT_ROOT / "prompts"), passages=3,
                           embedder=demo_services.embedder)
    demo_services.__dict__["answerer"] = answerer
    demo_services.__dict__.pop("ask", None)
    return demo_services.ask


def _nothing_unsourced_looks_sourced(answer) -> None:  # type: ignore[no-untyped-def]
    """Every [n] in the answer names a verified citation, and no unsupported sentence carries a marker."""
    from assistant.citations import verify

    chunks = {p.chunk.chunk_id: p.chunk for p in answer.retrieved}
    assert all(verify(c, chunks.get(c.chunk_id)) for c in answer.citations)
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)} <= {c.n for c in answer.citations}
    for claim in answer.unsupported:
        at = answer.answer.find(claim)
        if at >= 0:  # (a fallback answer shows the papers' words instead of the claim)
            assert not re.match(r"\s*\[\d+\]", answer.answer[at + len(claim):]), claim


def test_supported_claim_gets_a_verified_quote(demo_services) -> None:  # type: ignore[no-untyped-def]
    ask = _answer_with(demo_services, "The council managed budget reductions of £263m between 2010 and 2018. [1]")
    answer = ask.ask(AskRequest(QUESTION))
    assert not answer.refused and not answer.unsupported
    assert answer.citations[0].n == 1 and "£263m" in answer.citations[0].quote
    assert answer.citations[0].page == 8
    assert answer.answer == "The council managed budget reductions of £263m between 2010 and 2018 [1]."


def test_wrong_figure_and_invented_claim_are_flagged_and_a_bad_marker_corrected(demo_services) -> None:  # type: ignore[no-untyped-def]
    reply = ("The council managed budget reductions of £300m between 2010 and 2018. [1] "
             "It also sold the county hall to investors for a large sum. "
             "Budget reductions were managed between 2010 and 2018. [9]")
    answer = _answer_with(demo_services, reply).ask(AskRequest(QUESTION))
    assert answer.unsupported == ["The council managed budget reductions of £300m between 2010 and 2018.",
                                  "It also sold the county hall to investors for a large sum."]
    # Most of what the model wrote has no support, so the papers' own words are shown instead, with a note.
    assert "could not be checked against the papers" in answer.answer
    assert answer.quoted_instead and answer.to_json()["quoted_instead"]
    assert answer.citations and all("£300m" not in c.quote for c in answer.citations)
    assert any("£263m" in c.quote for c in answer.citations)
    _nothing_unsourced_looks_sourced(answer)


def test_one_unsupported_sentence_is_shown_unmarked_and_the_rest_kept(demo_services) -> None:  # type: ignore[no-untyped-def]
    reply = ("Between 2010 and 2018 the council managed budget reductions of £263m [2]. "
             "Further reductions of £70m need to be made by 2021/22. "
             "The council also sold County Hall to investors [1].")
    answer = _answer_with(demo_services, reply).ask(AskRequest(QUESTION))
    assert "could not be checked" not in answer.answer and not answer.quoted_instead
    assert answer.unsupported == ["The council also sold County Hall to investors."]
    assert answer.answer.endswith("The council also sold County Hall to investors.")
    assert re.search(r"£263m \[1\]\. Further reductions of £70m need to be made by 2021/22 \[1\]\.", answer.answer)
    _nothing_unsourced_looks_sourced(answer)


# The two answers of issue 11, as the 1.5B model wrote them: right, and formerly all thrown away.
LIST_QUESTION = "List the key recommendations of the 2018 Derbyshire County Council corporate peer challenge."
LIST_REPLY = """The key recommendations of the 2018 Derbyshire County Council corporate peer challenge are:
1. Undertake more work on the Enterprising Council concept.
2. Develop a clear operating model to reflect the development of the Enterprising Council.
3. Take active and deliberate steps to move towards a One Council approach and strengthen corporate capacity.
4. Clarify the intentions within the Council Plan (the Corporate Plan) by refining priorities and underpinning these \
with more visible targets and identifiable resources.
5. Develop a more consistent and strategic approach to the council's budget and financial systems, aligned to \
corporate priorities."""
FINANCE_QUESTION = "What did the peer team say about Derby City Council's finances?"
# What the 1.5B model wrote for it from the "Financial planning and viability" section this question now reads.
FINANCE_REPLY = ("The peer team said that Derby City Council's net revenue budget for 2017/18 is £215m, and steps have "
                 "been taken to improve the multi-year financial planning process including a modelling and a "
                 "strategic approach to multi-year savings programmes.")


def test_issue_examples_are_answered_in_the_models_own_verified_words(demo_services) -> None:  # type: ignore[no-untyped-def]
    listed = _answer_with(demo_services, LIST_REPLY).ask(AskRequest(LIST_QUESTION))
    assert not listed.unsupported and "could not be checked" not in listed.answer
    lines = listed.answer.splitlines()
    # The first line is the system's, naming the paper and pages; the model's own lead-in ("… are:") is dropped.
    assert lines[0].startswith("Corporate Peer Challenge 2018, pages 2–3: 7 items under") and lines[1] == ""
    assert len(lines) == 7 and not any(line.endswith("are:") for line in lines)
    assert all(re.search(r"\[\d+\]\.$", line) for line in lines[2:]), listed.answer
    assert {c.page for c in listed.citations} <= {2, 3} and len(listed.citations) == 5
    _nothing_unsourced_looks_sourced(listed)

    finance = _answer_with(demo_services, FINANCE_REPLY).ask(AskRequest(FINANCE_QUESTION))
    assert not finance.unsupported and "could not be checked" not in finance.answer
    lead, _, said = finance.answer.partition("\n\n")
    assert lead == "Corporate Peer Challenge 2017, “Financial planning and viability” (pages 9–10):"
    assert re.fullmatch(r"The peer team said that .* savings programmes (\[\d\])+\.", said), finance.answer
    assert any("£215m" in c.quote for c in finance.citations)
    _nothing_unsourced_looks_sourced(finance)


COMPARE_QUESTION = ("Which council looked more financially resilient to its peer team - Derby City in 2017 or "
                    "Derbyshire County in 2018?")


def test_a_comparison_is_answered_side_by_side_and_no_side_cites_the_other(demo_services) -> None:  # type: ignore[no-untyped-def]
    # The 1.5B model, shown both sides in one prompt, wrote the county's verdict under the city's name with the
    # county's page as its citation. Asked side by side, the same sentence is checked against each side's own
    # passages: sourced under the county; under the city it has no support, so that side is shown in the city's
    # own words (its quotes) and the sentence is listed as unsupported.
    verdict = "DCC is well placed to respond to future challenges and appears to be prudently managed financially."
    answer = _answer_with(demo_services, verdict).ask(AskRequest(COMPARE_QUESTION))
    assert answer.answer.startswith("Comparing Derby City Council and Derbyshire County Council:")
    city, county = answer.answer.split("\n\n")[1:3]
    assert city.startswith("Derby City Council (Corporate Peer Challenge 2017, page")
    assert county.startswith("Derbyshire County Council (Corporate Peer Challenge 2018, page")
    assert verdict not in city and all(re.fullmatch(r"- “.+” \[\d\]", line) for line in city.splitlines()[1:]), city
    assert re.fullmatch(re.escape(verdict[:-1]) + r" (\[\d\])+\.", county.splitlines()[1]), county
    assert answer.unsupported == [verdict] and not answer.quoted_instead
    cited = {c.doc_id for c in answer.citations}
    assert cited == {"derby-city-corporate-peer-challenge-2017", "derbyshire-cc-corporate-peer-challenge-2018"}
    _nothing_unsourced_looks_sourced(answer)


def test_a_sides_first_line_repeating_its_name_is_dropped() -> None:
    # The system writes each side's heading; the model's echo of it ("Derbyshire County Council (Corporate Peer
    # Challenge 2018, pages 8–9)") was shown as a second heading.
    echoed = "Derbyshire County Council (Corporate Peer Challenge 2018, pages 8–9)\n- DCC is well placed [1]."
    assert _without_heading(echoed, "Derbyshire County Council") == "- DCC is well placed [1]."
    said = "Derbyshire County Council is well placed to respond to future challenges.\nIt underspends."
    assert _without_heading(said, "Derbyshire County Council") == said  # a sentence about it is no heading


def test_stream_yields_text_before_the_answer(demo_services) -> None:  # type: ignore[no-untyped-def]
    ask = _answer_with(demo_services, "The council managed budget reductions of £263m between 2010 and 2018. [1]")
    events = list(ask.stream(AskRequest(QUESTION)))
    deltas = [e for e in events if isinstance(e, TextDelta)]
    assert len(deltas) > 5 and not isinstance(events[-1], (TextDelta, Draft))


def test_a_lists_first_line_is_shown_before_the_model_is_asked(demo_services) -> None:  # type: ignore[no-untyped-def]
    ask = _answer_with(demo_services, LIST_REPLY)
    model = ask.answerer.model
    events = ask.stream(AskRequest(LIST_QUESTION))
    first = next(e for e in events if isinstance(e, TextDelta))
    assert first.text.startswith("Corporate Peer Challenge 2018, pages 2–3: 7 items under") and not model.messages
    rest = [e for e in events if isinstance(e, TextDelta)]
    assert model.messages and rest, "the model's items follow"
    assert "written for you" in model.messages[-1]["content"]


def _prompt(demo_services, question: str):  # type: ignore[no-untyped-def]
    from common.types import Filters

    answerer = LLMAnswerer(ScriptedModel(""), PromptLibrary(PROJECT_ROOT / "prompts"), passages=3)
    context = demo_services.contexts.build(demo_services.ask.analyse(question, []), Filters())
    return context, answerer.prompt(context)


def test_prompts_by_intent_send_the_contexts_structure(demo_services) -> None:  # type: ignore[no-untyped-def]
    context, lookup = _prompt(demo_services, QUESTION)
    system, user = lookup.messages[0]["content"], lookup.messages[1]["content"]
    assert lookup.intent == "lookup" and "[1] (Derbyshire County Council: " in user and QUESTION in user
    assert "£263m" in user and "[1]" in user
    # Only what the answer needs: the evidence and a sentence either side, not whole passages.
    assert len(user) < sum(len(p.chunk.text) for p in lookup.passages) + 1000
    assert lookup.max_tokens <= 160

    _, listed = _prompt(demo_services, LIST_QUESTION)
    user = listed.messages[1]["content"]
    assert listed.intent == "list" and listed.messages[0]["content"] == system, "one system prompt for every intent"
    numbered = [line for line in user.splitlines() if re.match(r"\s*\d\. ", line)]
    assert [line[:2] for line in numbered] == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]
    assert "key recommendations" in user

    context, compared = _prompt(demo_services, "Staff sickness: what did the peer teams find at Derby City and at "
                                               "Derbyshire County?")
    if context.intent == "comparison":
        # One prompt per side, holding that side's passages and naming only that side.
        sides = LLMAnswerer(ScriptedModel(""), PromptLibrary(PROJECT_ROOT / "prompts")).builder.sides(context)
        assert len(sides) == len(context.groups) and len(sides) >= 2
        for side, group in zip(sides, context.groups, strict=True):
            assert side is not None and side.messages[0]["content"] == system
            user = side.messages[1]["content"]
            assert f"[1] {group.heading} (" in user and "[2]" not in user
            assert f"{group.heading}: " not in user  # the council named once in its label, not twice
            assert all(other.heading not in user for other in context.groups if other is not group)
            assert {p.doc.doc_id for p in side.checked} == {i.passage.doc.doc_id for i in group.items}

    context, summary = _prompt(demo_services, "Give me the gist of the 2018 peer challenge of Derbyshire County "
                                              "Council.")
    if summary.intent == "summary":
        user = summary.messages[1]["content"]
        positions = [user.find(f"“{' '.join(g.heading.split())}”") for g in context.groups if g.heading]
        assert positions == sorted(positions) and -1 not in positions, "sections in the paper's order"
        # Its own summary, read a sentence a paragraph, gives the model more than one sentence: the reserves are
        # its third paragraph's point.
        assert "relatively higher levels of reserves" in user


def test_a_summary_shows_the_model_one_sentence_of_each_section_then_more_in_turn() -> None:
    assert _shares([10, 5, 1, 1], 10) == [4, 4, 1, 1]
    assert _shares([2, 1], 10) == [2, 1]
    assert _shares([3] * 12, 10) == [1] * 10 + [0, 0]


def test_a_question_that_asks_two_things_is_put_to_the_model_part_by_part(demo_services) -> None:  # type: ignore[no-untyped-def]
    question = ("What was Derby City Council's net revenue budget for 2017/18, and how much of its reserves did it "
                "use to set it?")
    _, lookup = _prompt(demo_services, question)
    user = lookup.messages[1]["content"]
    # Both parts' evidence is in the sources, and the model is told there are two things to answer.
    assert "£215m" in user and "£5.98m" in user
    assert ("It asks 2 things. Answer each of them, in this order: (1) What was Derby City Council's net revenue "
            "budget for 2017/18? (2) how much of its reserves did it use to set it?") in user


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
        _nothing_unsourced_looks_sourced(answer)
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
        _nothing_unsourced_looks_sourced(answer)
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
    from assistant.claims import supports

    passage = ("The survey of residents undertaken in early 2017 shows some very positive results about the city "
               "including a 90% satisfaction score with their area as a place to live, however satisfaction with "
               "the council at 59% is below the national average.")
    # Seen from the 1.5B model in local mode: the right sentence, the wrong figure.
    assert not supports("90% of residents were satisfied with the council", passage)
    assert supports("Satisfaction with the council was 59%, below the national average", passage)
    assert supports("Residents gave a 90% satisfaction score to their area as a place to live", passage)


@pytest.mark.slow
def test_llm_bench_times_every_variant(small_model: Path, demo_home: Path, tmp_path: Path) -> None:
    """`python -m bench.llm` on one lookup with the 0.5B model: the bench follows the app's code (it once
    broke unseen when the prompt builder moved). Timings are recorded, never asserted."""
    from bench import llm as llm_bench

    out = tmp_path / "llm.json"
    results = llm_bench.main(["--home", str(demo_home), "--model", str(small_model), "--per-intent", "1",
                              "--intents", "lookup,list", "--variants", "before,after,after-cold", "--out", str(out)])
    calls = results["calls"]
    assert [(call["intent"], call["variant"]) for call in calls] == [
        (intent, variant) for intent in ("lookup", "list") for variant in ("before", "after", "after-cold")]
    for call in calls:
        assert call["prompt_tokens"] > 0
        assert 0 < call["first_token_s"] <= call["total_s"] and 0 < call["first_model_token_s"] <= call["total_s"]
    assert calls[1]["citations"] is not None  # the app's path gave a checked answer
    # A list's first line is the system's: it reaches the caller before the model's first token.
    assert calls[4]["first_token_s"] < calls[4]["first_model_token_s"]
    assert set(results["summary"]["lookup"]) == set(results["summary"]["list"]) == {"before", "after", "after-cold"}
    assert out.exists()
