"""Attribution after generation (assistant.attribution): each sentence and list item of a model's answer is
matched to the passage sentences that support it, and the system writes the citations itself. No model and
no index: passages are built here (one test uses the session's embedding model)."""

from __future__ import annotations

import re

from assistant.answering.base import Status, TextDelta
from assistant.answering.llm import LLMAnswerer, MarkerFilter, Prompt
from assistant.answering.models import ChatModel, Messages
from assistant.attribution import Attributor
from assistant.citations import verify
from assistant.claims import split_claims, supports
from assistant.prompts import PromptLibrary
from assistant.settings import PROJECT_ROOT
from assistant.types import Passage
from common.text import split_sentences
from common.types import Chunk, DocumentRecord

SURVEY = ("The survey of residents undertaken in early 2017 shows some very positive results about the city including "
          "a 90% satisfaction score with their area as a place to live, however satisfaction with the council at 59% "
          "is below the national average.")
BUDGET = ("DCC is well placed to respond to future challenges and appears to be prudently managed financially. Between "
          "2010 and 2018 the council managed budget reductions of £263m, including £34m in 2017/18 and further "
          "reductions of £70m need to be made by 2021/22.")
APPRENTICES = "In October 2018 the council had 141 new apprentices in post. Sickness absence is 10 days per FTE."
RECOMMENDATIONS = ("The following are the peer team's key recommendations to the council:\n"
                   "1. Undertake more work on the Enterprising Council concept. Enterprising Council is a key theme "
                   "for the administration and is at an early stage of development, not yet fully embedded.\n"
                   "2. Develop a clear operating model to reflect the development of the Enterprising Council.\n"
                   "3. Take active and deliberate steps to move towards a One Council approach and strengthen "
                   "corporate capacity.")
ACCOUNTS = ("At the time of the onsite element of the peer challenge Derby was only one of two councils in England "
            "that "
            "had not finalised its 2015/16 financial accounts. The appointment of a new interim Director of Finance "
            "has boosted capability.")


def passage(text: str, doc_id: str = "derby-city-corporate-peer-challenge-2017", council: str = "Derby City Council",
            title: str = "Corporate Peer Challenge 2017", page: int = 5, seq: int = 0) -> Passage:
    chunk = Chunk(f"{doc_id}-{seq:04d}", doc_id, seq, text, "4. Feedback", page, page, 0, len(text), [(0, page)])
    return Passage(chunk, DocumentRecord(doc_id=doc_id, title=title, short_title=title, council=council), 1.0)


DERBYSHIRE = {"doc_id": "derbyshire-corporate-peer-challenge-2018", "council": "Derbyshire County Council",
              "title": "Corporate Peer Challenge 2018", "page": 8}


def attribute(answer: str, *passages: Passage, embedder=None):  # type: ignore[no-untyped-def]
    return Attributor(embedder).attribute(answer, list(passages), [[p] for p in passages])


def assert_sourced_only_when_supported(result) -> None:  # type: ignore[no-untyped-def]
    """Every marker in the text names a citation that verifies; no unsupported sentence carries one."""
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", result.text)}
    assert numbers == {c.n for c in result.citations}
    for claim in result.unsupported:
        at = result.text.find(claim)
        assert at >= 0, claim
        assert not re.match(r"\s*\[\d+\]", result.text[at + len(claim):]), f"unsupported but marked: {claim}"
        assert "[" not in claim


def test_figure_next_to_other_words_in_the_passage_is_caught() -> None:
    survey = passage(SURVEY)
    wrong = attribute("90% of residents were satisfied with the council [1].", survey)
    assert wrong.unsupported == ["90% of residents were satisfied with the council."] and not wrong.citations
    assert "[1]" not in wrong.text
    # The same figure in its own context is fine, in any word order.
    for claim in ("Satisfaction with the council was 59%, below the national average.",
                  "In the early 2017 survey, 59% of residents were satisfied with the council, which is below the "
                  "national average.",
                  "Residents gave a 90% satisfaction score to their area as a place to live."):
        right = attribute(claim, survey)
        assert not right.unsupported and len(right.citations) == 1, claim
        assert verify(right.citations[0], survey.chunk)
    assert not supports("90% of residents were satisfied with the council", SURVEY)
    assert not supports("59% of residents were satisfied with their area as a place to live", SURVEY)


def test_citations_attached_where_the_model_left_none_or_put_them_wrong() -> None:
    budget, apprentices = passage(BUDGET, **DERBYSHIRE), passage(APPRENTICES, **DERBYSHIRE, seq=1)
    result = attribute("Between 2010 and 2018 the council managed budget reductions of £263m [2]. "
                       "It had 141 new apprentices in post in October 2018.", budget, apprentices)
    assert not result.unsupported
    assert re.fullmatch(r"Between .*£263m \[1\]\. It had 141 .* October 2018 \[2\]\.", result.text), result.text
    assert "£263m" in result.citations[0].quote and "141" in result.citations[1].quote
    assert verify(result.citations[0], budget.chunk) and verify(result.citations[1], apprentices.chunk)
    assert_sourced_only_when_supported(result)


def test_a_year_the_paper_is_dated_by_needs_no_passage_that_prints_it() -> None:
    # "The 2018 peer team" is the paper's own year: the audit sentence backs the claim alone, without a second
    # [n] for a sentence that only shares the year.
    audit = passage("There is an active and well-resourced internal audit function which makes a significant "
                    "amount of improvement recommendations each year.", **DERBYSHIRE)
    plan = passage("The Council Plan 2017-2021 was refreshed earlier in 2018.", **DERBYSHIRE, seq=1)
    result = attribute("The 2018 peer team thought the internal audit function was active and well-resourced "
                       "[1][2].", audit, plan)
    assert not result.unsupported
    assert result.text.endswith("well-resourced [1].") and len(result.citations) == 1, result.text
    assert "internal audit" in result.citations[0].quote
    # A year the paper is not dated by still needs a passage that gives it.
    wrong = attribute("The internal audit function was active and well-resourced in 2016 [1].", audit, plan)
    assert wrong.unsupported


def test_unsupported_sentence_is_kept_unmarked_with_the_rest() -> None:
    budget = passage(BUDGET, **DERBYSHIRE)
    result = attribute("The council managed budget reductions of £263m between 2010 and 2018 [1]. "
                       "It also sold the county hall to investors for a large sum [1]. "
                       "Further reductions of £70m need to be made by 2021/22 [1].", budget)
    assert result.unsupported == ["It also sold the county hall to investors for a large sum."]
    assert "It also sold the county hall to investors for a large sum. Further" in result.text
    assert result.supported_count == 2 and not result.mostly_unsupported
    assert_sourced_only_when_supported(result)


def test_wrong_amount_is_unsupported() -> None:
    result = attribute("The council managed budget reductions of £300m between 2010 and 2018.", passage(BUDGET))
    assert result.unsupported and not result.citations
    # "£263 million" is the passage's "£263m".
    assert not attribute("Budget reductions of £263 million were managed between 2010 and 2018.",
                         passage(BUDGET)).unsupported


def test_list_items_each_cited_and_the_lead_in_not_counted() -> None:
    recs = passage(RECOMMENDATIONS, **DERBYSHIRE)
    answer = ("The key recommendations of the 2018 Derbyshire County Council corporate peer challenge are:\n"
              "1. Undertake more work on the Enterprising Council concept.\n"
              "2. Develop a clear operating model to reflect the development of the Enterprising Council.\n"
              "3. Take active and deliberate steps to move towards a One Council approach.")
    result = attribute(answer, recs)
    assert not result.unsupported and len(result.checked) == 3
    lines = result.text.splitlines()
    assert lines[0].endswith("are:"), "a lead-in is not a claim: no marker"
    assert [line[:2] for line in lines[1:]] == ["1.", "2.", "3."]
    assert all(re.search(r"\[\d\]\.?$", line) for line in lines[1:])
    assert "Enterprising Council concept" in result.citations[0].quote
    assert_sourced_only_when_supported(result)


def test_names_must_be_in_the_passages_or_the_paper() -> None:
    team = passage("The peer team was led by Wendy Thomson, Managing Director of Norfolk County Council.")
    assert attribute("The peer team was led by Jo Miller, Managing Director of Norfolk County Council.",
                     team).unsupported
    assert not attribute("Wendy Thomson, Managing Director of Norfolk County Council, led the peer team.",
                         team).unsupported
    # The council the passage calls "DCC" and the year in the paper's title count as named.
    ambition = passage("DCC has a clear ambition to become an Enterprising Council and this is widely recognised.",
                       **DERBYSHIRE)
    assert not attribute("The 2018 peer challenge found Derbyshire County Council has a clear ambition to become "
                         "an Enterprising Council.", ambition).unsupported
    assert attribute("The 2019 peer challenge found DCC has a clear ambition to become an Enterprising Council.",
                     ambition).unsupported


def test_negated_claim_needs_a_negated_passage() -> None:
    closed = passage("The council has closed its 2015/16 accounts and published them.")
    assert attribute("The council has not closed its 2015/16 accounts.", closed).unsupported
    result = attribute("Derby had not finalised its 2015/16 financial accounts.", passage(ACCOUNTS), closed)
    assert not result.unsupported and "not finalised" in result.citations[0].quote


def test_a_verdict_needs_a_passage_that_passes_it() -> None:
    pool = passage("The council will start building a new swimming pool by the end of 2017.")
    result = attribute("The peer team made a positive assessment of the new swimming pool by the end of 2017.", pool)
    assert result.unsupported and not result.citations
    assert_sourced_only_when_supported(result)
    # The same verdict in the passage supports it: "very positive results" for "positive results".
    survey = attribute("The 2017 survey of residents showed very positive results about the city.", passage(SURVEY))
    assert not survey.unsupported and "positive results" in survey.citations[0].quote


def test_refusals_fragments_and_headings_are_not_claims() -> None:
    claims = split_claims("The papers provided do not say.\nFinancial planning:\nYes.\nThe budget is £215m.",
                          headings=["Financial planning"])
    assert [c.kind for c in claims] == ["cannot", "frame", "frame", "claim"]
    result = attribute("The papers provided do not say.", passage(BUDGET))
    assert not result.checked and not result.citations


def test_embeddings_decide_what_the_words_cannot(embedder) -> None:  # type: ignore[no-untyped-def]
    accounts = passage(ACCOUNTS)
    # A paraphrase sharing too few words is supported when the meaning agrees…
    paraphrase = "Hiring an interim Director of Finance strengthened the finance team."
    assert attribute(paraphrase, accounts).unsupported
    judged = attribute(paraphrase, accounts, embedder=embedder).judgements[0]
    assert judged.supported and judged.similarity is not None and judged.similarity >= 0.75
    # …and a claim sharing its words but not its meaning is not: the verb changed.
    changed = "The interim Director of Finance resigned in 2017."
    assert not attribute(changed, accounts).unsupported, "words alone cannot see it"
    assert attribute(changed, accounts, embedder=embedder).unsupported == [changed]
    # Embeddings never rescue a claim the figures rule out.
    assert attribute("Derby had not finalised its 2016/17 financial accounts.", accounts, embedder=embedder).unsupported


def test_stream_holds_back_the_models_markers() -> None:
    shown = MarkerFilter()
    parts = [shown.feed(d) for d in ["The budget is £215m", " [", "1", "]. Savings", " of £5m [2, ", "3]."]]
    assert "".join(parts) + shown.flush() == "The budget is £215m. Savings of £5m."
    assert parts[0] == "The budget is £215m", "text streams as soon as it cannot be a marker"


class Scripted(ChatModel):
    name = "scripted"

    def __init__(self, reply: str) -> None:
        self.reply = reply

    def stream(self, messages: Messages, max_tokens: int):  # type: ignore[no-untyped-def]
        yield from (w + " " for w in self.reply.split(" "))


def test_mostly_unsupported_answer_leaves_no_citation() -> None:
    budget = passage(BUDGET, **DERBYSHIRE)
    answerer = LLMAnswerer(Scripted(""), PromptLibrary(PROJECT_ROOT / "prompts"))
    prompt = Prompt("lookup", [], [[budget]], [budget])
    draft = answerer.check("Budget reductions of £263m were managed between 2010 and 2018 [1]. The council sold "
                           "its county hall [1]. It closed six libraries in 2017 [1].", prompt)
    assert not draft.citations and len(draft.unsupported) == 2 and "[" not in draft.text
    kept = answerer.check("Budget reductions of £263m were managed between 2010 and 2018 [1]. Further reductions "
                          "of £70m are needed by 2021/22. The council sold its county hall [1].", prompt)
    assert len(kept.citations) == 1 and kept.unsupported == ["The council sold its county hall."]
    assert kept.text.count("[1]") == 2


def test_status_comes_before_the_first_token(demo_services) -> None:  # type: ignore[no-untyped-def]
    from assistant.ask import AskRequest

    answerer = LLMAnswerer(Scripted("Between 2010 and 2018 the council managed budget reductions of £263m [1]."),
                           PromptLibrary(PROJECT_ROOT / "prompts"), embedder=demo_services.embedder)
    demo_services.__dict__["answerer"] = answerer
    events = list(demo_services.ask.stream(AskRequest(
        "How much in budget reductions did Derbyshire County Council manage between 2010 and 2018?")))
    first_text = next(i for i, e in enumerate(events) if isinstance(e, TextDelta))
    statuses = [e.text for e in events[:first_text] if isinstance(e, Status)]
    assert statuses and re.fullmatch(r"Reading \d+ passages? from \d+ papers?…", statuses[-1]), statuses
    assert "[1]" not in "".join(e.text for e in events if isinstance(e, TextDelta))
    answer = events[-1]
    assert answer.answer.endswith("£263m [1].") and not answer.unsupported


def test_an_answer_cut_off_at_the_token_cap_ends_at_its_last_whole_sentence() -> None:
    from assistant.answering.llm import _complete_part

    assert _complete_part("The budget is £215m [1]. Reserves of £5.98m were") == "The budget is £215m [1]."
    assert _complete_part("The recommendations are:\n1. Close the accounts.\n2. Review the capab") == \
        "The recommendations are:\n1. Close the accounts."
    assert _complete_part("All of it.") == "All of it."


def test_a_bare_figure_is_checked_as_the_answer_to_the_question() -> None:
    savings = passage("The Budget Strategy Group of officers monitors progress on delivery of savings plans. Savings "
                      "plan performance for 2017/18 was at 93%.", **DERBYSHIRE)
    question = "What was Derbyshire County Council's savings plan performance in 2017/18?"
    right = Attributor().attribute("93% [1]", [savings], [[savings]], question=question)
    assert right.text == "93% [1]" and not right.unsupported and "93%" in right.citations[0].quote
    assert Attributor().attribute("95%", [savings], question=question).unsupported == ["95%"]


def test_a_long_list_is_quoted_without_the_model() -> None:
    from assistant.answering.base import Draft
    from assistant.answering.compose import compose
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis
    from assistant.types import Context, Evidence, EvidenceGroup, Retrieval

    text = "\n".join(f"{n}. Achievement number {n} of the council." for n in range(1, 21))
    recs = passage(text, **DERBYSHIRE)
    items = []
    for n, (start, end) in enumerate(split_sentences(text), start=1):
        items.append(Evidence(recs, 0, start, end, text[start:end], label=f"{n}."))
    context = Context(QuestionAnalysis("What were the achievements?", Intent.LIST), Retrieval("q", [recs]), items,
                      [EvidenceGroup("Key achievements", recs.doc, items)])

    class Unused(ChatModel):
        def stream(self, messages: Messages, max_tokens: int):  # type: ignore[no-untyped-def]
            raise AssertionError("a 20-item list is not retyped by the model")

    events = list(LLMAnswerer(Unused(), PromptLibrary(PROJECT_ROOT / "prompts")).stream(context))
    assert isinstance(events[0], Status) and events[0].text.startswith("Quoting the list of 20 items")
    draft = events[-1]
    assert isinstance(draft, Draft) and (draft.text, draft.citations) == compose(context)


def test_rows_of_a_table_are_quoted_without_the_model() -> None:
    """"Which KPIs were rated red?": three rows, but rows of a table: the model could only retype them."""
    from assistant.answering.base import Draft
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis
    from assistant.types import Context, Evidence, EvidenceGroup, Retrieval

    text = "\n".join(f"KPI {n}: complaints answered | Latest: RED | DoT Previous: RED" for n in range(1, 4))
    chunk = Chunk("qpr-0007", "qpr", 7, text, "Executive Summary", 4, 4, 0, len(text), [(0, 4)], kind="table")
    rows = Passage(chunk, DocumentRecord(doc_id="qpr", title="Quarterly Performance Report"), 1.0)
    starts = [0, *(i + 1 for i, ch in enumerate(text) if ch == "\n")]
    items = [Evidence(rows, 0, start, start + len(line), line) for start, line in zip(starts, text.splitlines(),
                                                                                     strict=True)]
    context = Context(QuestionAnalysis("Which KPIs were rated red?", Intent.LIST), Retrieval("q", [rows]), items,
                      [EvidenceGroup("", rows.doc, items, about="3 rows rated Red")])

    class Unused(ChatModel):
        def stream(self, messages: Messages, max_tokens: int):  # type: ignore[no-untyped-def]
            raise AssertionError("rows of a table are not retyped by the model")

    events = list(LLMAnswerer(Unused(), PromptLibrary(PROJECT_ROOT / "prompts")).stream(context))
    draft = events[-1]
    assert isinstance(draft, Draft) and "3 rows rated Red" in draft.text and len(draft.citations) == 3


def test_motions_put_to_the_vote_are_quoted_without_the_model() -> None:
    """"Were any amendments passed?": who proposed each, the counts with the names counted, the outcome. The model
    could only retype them, and its retyping failed the check (the papers' words were then shown after ~40 s)."""
    from dataclasses import replace

    from assistant.answering.base import Draft
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis
    from assistant.types import Context, Evidence, EvidenceGroup, Retrieval

    text = "For (12)\n\nMr Baldock, Mr Brady\n\nAgainst (42)\n\nAbstain (7)\n\nAmendment lost."
    minutes = passage(text, **DERBYSHIRE)
    spans = [(m.start(), m.end()) for m in re.finditer(r"For \(12\)\n\nMr Baldock, Mr Brady|Against \(42\)|"
                                                       r"Abstain \(7\)|Amendment lost\.", text)]
    items = [Evidence(minutes, 0, start, end, text[start:end]) for start, end in spans]
    asked = replace(QuestionAnalysis("Were any amendments passed at the budget meeting?", Intent.LIST),
                    list_noun="amendments")
    context = Context(asked, Retrieval("q", [minutes]), items,
                      [EvidenceGroup("(7) Mr Brady proposed, and Ms Meade seconded the following amendment:",
                                     minutes.doc, items)])

    class Unused(ChatModel):
        def stream(self, messages: Messages, max_tokens: int):  # type: ignore[no-untyped-def]
            raise AssertionError("a recorded vote is not retyped by the model")

    events = list(LLMAnswerer(Unused(), PromptLibrary(PROJECT_ROOT / "prompts")).stream(context))
    draft = events[-1]
    assert isinstance(draft, Draft) and "1 amendment put to the vote, not carried: lost" in draft.text, draft.text
    assert len(draft.citations) == 4


def test_a_figure_of_a_table_row_is_checked_against_its_column() -> None:
    # The row is printed as figures only; the chunk's section holds the table's title and its columns.
    text = "KS R £217,528 £222,449 £247,055\nKS Q £168,222 £175,205 £210,120"
    section = "2025/26 Kent Scheme pay scale > Grade | Entry | Temporary transition point | Top"
    chunk = Chunk("pay-0017", "pay", 17, text, section, 6, 6, 0, len(text), [(0, 6)], kind="table")
    pay = Passage(chunk, DocumentRecord(doc_id="pay", title="Pay Policy Statement 2025/26",
                                        short_title="Pay Policy Statement 2025/26", council="Kent County Council"), 1.0)
    right = attribute("The top point of grade KS R on the 2025/26 Kent Scheme pay scale is £247,055 [1].", pay)
    assert right.unsupported == [] and right.citations[0].quote.startswith("KS R £217,528")
    # The same row's other figure, or another row's, under the words of the top point: not what the table says.
    assert attribute("The top point of grade KS R on the pay scale is £222,449 [1].", pay).unsupported
    assert attribute("The top point of grade KS R on the pay scale is £210,120 [1].", pay).unsupported
    assert attribute("The entry point of grade KS R is £222,449 [1].", pay).unsupported
    assert attribute("Grade KS R enters the 2025/26 Kent Scheme pay scale at £217,528, its Entry point [1].",
                     pay).unsupported == []


def test_a_line_of_labelled_figures_is_checked_under_its_heading() -> None:
    text = "Latest: 71% Target: 85%, Floor: 80% Previous: 71% (Red)"
    section = "Key Performance Indicators > Percentage of complaints responded to within timescale RED"
    chunk = Chunk("qpr-0036", "qpr", 36, text, section, 9, 9, 0, len(text), [(0, 9)], kind="table")
    report = "Quarterly Performance Report"
    card = Passage(chunk, DocumentRecord(doc_id="qpr", title=report, short_title=report, council="Kent County Council"),
                   1.0)
    right = attribute("The target for complaints responded to within timescale is 85% [1].", card)
    assert right.unsupported == []
    assert attribute("The target for complaints responded to within timescale is 80% [1].", card).unsupported
