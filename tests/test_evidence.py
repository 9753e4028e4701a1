"""Evidence candidates: which spans of the retrieved passages can be quoted as what a paper says."""

from __future__ import annotations

from dataclasses import replace

from assistant.evidence import EvidenceSelector
from assistant.figure_given import gives_figure
from assistant.intent import Intent
from assistant.question import QuestionAnalysis
from assistant.refusal import RefusalPolicy
from assistant.types import Context, Evidence, Passage, Retrieval
from common.types import Chunk, DocumentRecord

TEXT = ("The council also asked the peer challenge to explore:\n\n"
        "Costs and becoming more commercially minded\n\n"
        "There are clear aspirations for the council to become more commercially minded.\n\n"
        "The peers who delivered the peer challenge were:\n\n"
        "Cllr Phil Davies, Leader of the Council (Labour), Wirral Council\n\n"
        "Wendy Thomson, Managing Director, Norfolk County Council\n\n"
        "High Needs Block 345.5 322.7 22.8")


def test_a_heading_inside_a_passage_is_not_quoted_but_a_name_line_or_a_row_is() -> None:
    chunk = Chunk("peer-0050", "peer", 50, TEXT, "4. Feedback > 4.6 Capacity to deliver", 12, 12, 0, len(TEXT),
                  [(0, 12)])
    passage = Passage(chunk, DocumentRecord(doc_id="peer", title="Corporate Peer Challenge 2018"), 1.0)
    quoted = [c.text for c in EvidenceSelector(embedder=None).candidates(Retrieval("q", [passage]))]  # type: ignore[arg-type]
    assert "Costs and becoming more commercially minded" not in quoted  # a sub-heading names a topic, says nothing
    assert "There are clear aspirations for the council to become more commercially minded." in quoted
    assert "Cllr Phil Davies, Leader of the Council (Labour), Wirral Council" in quoted
    assert "Wendy Thomson, Managing Director, Norfolk County Council" in quoted
    assert "High Needs Block 345.5 322.7 22.8" in quoted


def test_a_contents_list_without_dot_leaders_and_a_numbered_section_heading_are_not_quoted() -> None:
    text = ("Revenue Strategy and Revised Draft Budget 9\n\n"
            "£1,530.9m Assumed net revenue budget for 2025-26.\n\n"
            "2025-26 Budget Consultation (Let’s Talk Kent) inc. the Budget Consultation report 5\n"
            "Revenue and Capital 2024-25 Budget Monitoring Report – Quarter 3 6\n"
            "Securing Kent’s Future – Budget Recovery Strategy 7\n\n"
            "Number of libraries open on Sundays 12\n"
            "Number of mobile library stops each week 40")
    chunk = Chunk("budget-0171", "budget", 171, text, "Revenue Strategy", 30, 30, 0, len(text), [(0, 30)])
    passage = Passage(chunk, DocumentRecord(doc_id="budget", title="Draft Revenue Budget 2025-26"), 1.0)
    quoted = " ".join(c.text for c in EvidenceSelector(embedder=None).candidates(Retrieval("q", [passage])))  # type: ignore[arg-type]
    assert "Revised Draft Budget 9" not in quoted and "Quarter 3 6" not in quoted and "Strategy 7" not in quoted
    assert "£1,530.9m Assumed net revenue budget for 2025-26." in quoted
    # Lines of figures whose numbers do not count up are rows, not contents.
    assert "Number of libraries open on Sundays 12" in quoted


def test_an_agenda_heading_with_a_decision_number_can_be_quoted() -> None:
    text = "9. 24/00096 - Commissioning Plan for Education Provision in Kent 2025-29 (Pages\n\n461 - 610)"
    section = "UNRESTRICTED ITEMS > 9. 24/00096 - Commissioning Plan for Education Provision in Kent 2025-29 (Pages"
    chunk = Chunk("agenda-0009", "agenda", 9, text, section, 1, 1, 0, len(text), [(0, 1)], kind="table")
    passage = Passage(chunk, DocumentRecord(doc_id="agenda", title="Cabinet agenda"), 1.0)
    quoted = [c.text for c in EvidenceSelector(embedder=None).candidates(Retrieval("q", [passage]))]  # type: ignore[arg-type]
    # Other headings say only what a section is about; this one gives the item's decision number.
    assert quoted == ["9. 24/00096 - Commissioning Plan for Education Provision in Kent 2025-29 (Pages"]


def test_a_count_in_a_recorded_vote_is_quoted_with_the_names_it_counts() -> None:
    text = ("Against (0)\n\nAbstain (2)\n\nMr B Lewis, Mr D Ross Motion carried.\n\n"
            "(4) RESOLVED that the report be noted.")
    chunk = Chunk("minutes-0011", "minutes", 11, text, "290. Section 25 Report", 3, 3, 0, len(text), [(0, 3)])
    passage = Passage(chunk, DocumentRecord(doc_id="minutes", title="Minutes"), 1.0)
    quoted = [c.text for c in EvidenceSelector(embedder=None).candidates(Retrieval("q", [passage]))]  # type: ignore[arg-type]
    assert quoted == ["Abstain (2)\n\nMr B Lewis, Mr D Ross Motion carried.", "(4) RESOLVED that the report be noted."]


def test_a_heading_that_states_an_amount_can_be_quoted() -> None:
    text = ("2.1 Note the forecast revenue overspend of £23.3m (excluding Schools) Please refer to Section 3\n\n"
            "2.2 | Note the forecast overspend on Schools’ Delegated Budgets of £30.4m | Please refer to Section 3g")
    line = "2.1 Note the forecast revenue overspend of £23.3m (excluding Schools) Please refer to Section 3"
    section = f"2 | Recommendations > {line}"
    chunk = Chunk("fm-0003", "fm", 3, text, section, 4, 4, 0, len(text), [(0, 4)])
    passage = Passage(chunk, DocumentRecord(doc_id="fm", title="Finance Monitoring Report"), 1.0)
    quoted = [c.text for c in EvidenceSelector(embedder=None).candidates(Retrieval("q", [passage]))]  # type: ignore[arg-type]
    # The first line is also the section's heading, but it says what the overspend is: it is not left out.
    assert quoted[0] == line


class _SameVector:
    """Every text as close to the question as every other: only the scores' other parts tell sentences apart."""

    def embed_query(self, text: str) -> list[float]:
        return [1.0, 0.0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[0.5, 0.0] for _ in texts]


def test_a_passage_pulled_in_as_a_hits_continuation_counts_as_close_as_the_hit() -> None:
    """"1.3 … includes £149.6m of core funded spending growth" continues the hit "1.2 …": the dense search never
    scored it, so it counts as close to the question as the passage it continues (less a small step for being a
    neighbour), not as far as a passage the search found unrelated."""
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis

    doc = DocumentRecord(doc_id="budget", title="Draft Revenue Budget")
    hit_text = "1.2 The draft budget includes £12.1m of core funded spending growth from reserves."
    next_text = "1.3 The draft budget includes £149.6m of core funded spending growth in all."
    hit = Passage(Chunk("budget-0007", "budget", 7, hit_text, "1", 2, 2, 0, len(hit_text), [(0, 2)]), doc, 0.03,
                  similarity=0.6)
    continuation = Passage(Chunk("budget-0008", "budget", 8, next_text, "1", 2, 2, 0, len(next_text), [(0, 2)]),
                           doc, 0.015, neighbour_of="budget-0007")
    analysis = QuestionAnalysis("How much core funded spending growth does the draft budget include?", Intent.LOOKUP,
                                terms=["core", "funded", "spending", "growth", "include"], wants_figure=True)
    retrieval = Retrieval(analysis.text, [hit, continuation])
    selector = EvidenceSelector(embedder=_SameVector())  # type: ignore[arg-type]
    candidates = selector.candidates(retrieval)
    selector.score(analysis, retrieval, candidates)
    score = {e.passage.chunk.chunk_id: e.score for e in candidates}
    assert 0 < score["budget-0007"] - score["budget-0008"] <= 0.06  # its rank and the step; 0.18 when "far"


def test_a_sentence_naming_none_of_what_was_asked_about_is_not_added_to_the_answer() -> None:
    """The directorate's overspend answers "what was Growth, Environment & Transport's forecast variance?"; one
    service's row ("Revenue Variance: +3.4") shares the question's words "revenue" and "variance" but names none of
    the directorate asked about: it is about something else, not more of the answer."""
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis

    doc = DocumentRecord(doc_id="fm", title="Finance Monitoring Report")
    texts = ["The Growth, Environment & Transport Directorate is projected to be overspent by £6.3m.",
             "Key Service: Concessionary Travel | Revenue Budget: 13.0 | Revenue Forecast: 16.4 | "
             "Revenue Variance: +3.4 | Summary: Update to the re-imbursement calculator"]
    passages = [Passage(Chunk(f"fm-{n:04d}", "fm", n, t, "Directorates", 15, 15, 0, len(t), [(0, 15)]), doc,
                        0.03, similarity=0.6) for n, t in enumerate(texts)]
    question = "What was Growth, Environment & Transport's forecast revenue variance?"
    analysis = QuestionAnalysis(question, Intent.LOOKUP, wants_figure=True,
                                terms=["growth", "environment", "transport", "forecast", "revenue", "variance"],
                                names=["growth", "environment", "transport"])
    chosen = EvidenceSelector(embedder=_SameVector()).select(analysis, Retrieval(question, passages))  # type: ignore[arg-type]
    assert [c.text for c in chosen] == [texts[0]]


def test_a_name_in_the_question_stays_a_name_when_a_side_is_searched_with_other_text() -> None:
    """A comparison searches each side with the question's bare terms ("verdict enterprising"), lower-cased: that
    "Enterprising" was written as a name is kept with the analysis, so one shared name still counts in full."""
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis

    doc = DocumentRecord(doc_id="peer", title="Corporate Peer Challenge 2018")
    text = "A clearer narrative for the Enterprising Council will be required."
    passage = Passage(Chunk("peer-0001", "peer", 1, text, "4. Feedback", 6, 6, 0, len(text), [(0, 6)]), doc, 0.03)
    side = QuestionAnalysis("verdict enterprising", Intent.LOOKUP, terms=["verdict", "enterprising"],
                            names=["enterprising"])
    selector = EvidenceSelector(embedder=_SameVector())  # type: ignore[arg-type]
    candidates = selector.candidates(Retrieval(side.text, [passage]))
    selector.score(side, Retrieval(side.text, [passage]), candidates)
    assert candidates[0].lexical == 0.5  # half the question's weight, not cut to 0.15 as one common shared word


_ENTERPRISING = ("Whilst the initial focus of the programme was on a few service areas, the Enterprising Council "
                 "approach has subsequently been embraced across the council. Progress, since the launch of the "
                 "approach in early 2018, has been significant and fast paced. The approach was launched in February "
                 "2018, with "
                 "an initial focus on five workstreams.")


def test_a_sentence_pointing_back_at_the_subject_is_read_as_about_it() -> None:
    """"Progress, since the launch of the approach …" follows "the Enterprising Council approach": it is about
    Enterprising Council though it does not name it. "the council" points back at nothing: it heads every council's
    name, so a sentence about the council is not read as about Enterprising Council."""
    from assistant.answer_kinds import referred_back
    from assistant.types import Evidence

    doc = DocumentRecord(doc_id="cab", title="Enterprising Council Phase 2")
    text = _ENTERPRISING + " Staff across the council were consulted."
    passage = Passage(Chunk("cab-0001", "cab", 1, text, "2. Information", 1, 1, 0, len(text), [(0, 1)]), doc, 0.03)

    def at(sentence: str) -> Evidence:
        start = text.index(sentence)
        return Evidence(passage, 0, start, start + len(sentence), sentence)

    assert referred_back(at("Progress, since the launch of the approach in early 2018, has been significant and fast "
                            "paced."), ["enterprising"]) == ["enterprising"]
    assert referred_back(at("Staff across the council were consulted."), ["enterprising"]) == []
    # A sentence holding the word already needs nothing read into it; and only the two sentences before count.
    assert referred_back(at(text[:text.index(" Progress")]), ["enterprising"]) == []


def test_a_question_after_a_verdict_prefers_the_sentence_that_passes_one() -> None:
    """"How did the verdict on Enterprising Council change …": the sentence saying how it went ("significant and
    fast paced") beats the one that only says when it was launched, with the same words and the same closeness."""
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis

    doc = DocumentRecord(doc_id="cab", title="Enterprising Council Phase 2")
    passage = Passage(Chunk("cab-0001", "cab", 1, _ENTERPRISING, "2. Information", 1, 1, 0, len(_ENTERPRISING),
                            [(0, 1)]), doc, 0.03, similarity=0.5)
    analysis = QuestionAnalysis("enterprising council", Intent.LOOKUP, terms=["enterprising"], asks_verdict=True)
    selector = EvidenceSelector(embedder=_SameVector())  # type: ignore[arg-type]
    retrieval = Retrieval(analysis.text, [passage])
    candidates = selector.candidates(retrieval)
    selector.score(analysis, retrieval, candidates)
    score = {c.text[:12]: c.score for c in candidates}
    assert score["Progress, si"] > score["The approach"]
    analysis.asks_verdict = False
    selector.score(analysis, retrieval, candidates)
    assert {c.text[:12]: c.score for c in candidates}["Progress, si"] <= score["The approach"] + 0.01


def test_a_rows_rating_is_its_first_cell_after_the_label_and_a_key_rates_nothing() -> None:
    from assistant.rated import row_rating

    assert row_rating("Customer Services KPIs: % of complaints answered | Latest: RED | DoT Previous: AMBER") == "red"
    assert row_rating("S106 contributions secured | RAG rating DoT Latest Previous: AMBER RED") == "amber"
    assert row_rating("A sentence with no cells.") == ""
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis
    from assistant.rated import rated_rows

    text = ("Cabinet Member: KPI Summary GREEN | Dylan Jeffrey: AMBER RED\n"
            "Complaints answered in time | Latest: RED | DoT Previous: RED\n"
            "Calls answered | Latest: GREEN | DoT Previous: AMBER\n"
            "Complaints answered in time | Latest: RED | DoT Previous: RED")
    chunk = Chunk("qpr-0001", "qpr", 1, text, "Executive Summary", 4, 4, 0, len(text), [(0, 4)], kind="table")
    doc = DocumentRecord(doc_id="qpr", title="Quarterly Performance Report")

    class _Index:
        def chunks_of(self, doc_id: str) -> list[Chunk]:
            return [chunk]

    retrieval = Retrieval("q", [Passage(chunk, doc, 1.0)])
    red = QuestionAnalysis("Which KPIs were rated red?", Intent.LOOKUP, rated_value="red")
    group = rated_rows(red, retrieval, _Index())  # type: ignore[arg-type]
    assert group is not None and [i.text for i in group.items] == [text.splitlines()[1]]  # once; not the key
    assert group.about == "1 row rated Red"
    assert rated_rows(QuestionAnalysis("Which KPIs were late?", Intent.LOOKUP, rated_value="late"), retrieval,
                      _Index()) is None  # type: ignore[arg-type]


_STP = ("4.1 Understanding of the local place\n\n"
        "The Derbyshire Sustainability and Transformation Plan (STP) is rated by NHS England as advanced, however the "
        "STP at the time of our onsite work had become stalled. This risks Derby being left behind as others take the "
        "lead. Closer working with health and social care partners is needed if the city is to achieve better health "
        "and social care integration for its residents.\n\n"
        "The absence of a clear plan for community safety is a retrograde step for partnership working.")


def test_a_papers_say_on_a_topic_is_the_short_paragraph_it_says_it_in() -> None:
    """A comparison's side quotes the paragraph of its best sentence whole when it is short: the point ("the STP …
    had become stalled") may be in a sentence sharing no word with the question. A lookup quotes the sentence."""
    from assistant.intent import Intent
    from assistant.question import QuestionAnalysis

    doc = DocumentRecord(doc_id="peer", title="Corporate Peer Challenge 2017")
    passage = Passage(Chunk("peer-0004", "peer", 4, _STP, "4. Feedback", 5, 5, 0, len(_STP), [(0, 5)]), doc, 0.03,
                      similarity=0.5)
    side = QuestionAnalysis("health social care integration", Intent.LOOKUP,
                            terms=["health", "social", "care", "integration"])
    selector = EvidenceSelector(embedder=_SameVector())  # type: ignore[arg-type]
    broad = selector.select(side, Retrieval(side.text, [passage]), most=3, broad=True)
    assert [c.text for c in broad] == [_STP.split("\n\n")[1]]
    assert _STP[broad[0].start:broad[0].end] == broad[0].text  # a span of the passage: its citation checks
    lookup = selector.select(side, Retrieval(side.text, [passage]), most=3)
    assert "stalled" not in " ".join(c.text for c in lookup)
    asked_figure = replace(side, wants_figure=True)  # a figure asked of each side is one sentence's
    assert all(c.text != broad[0].text for c in selector.select(asked_figure, Retrieval(side.text, [passage]),
                                                                 most=3, broad=True))


def test_sentences_sharing_no_word_answer_only_when_close_in_meaning() -> None:
    text = "The Local Aggregates Assessment considers the last 10 years' sales data the most reliable metric."
    chunk = Chunk("plan-0001", "plan", 1, text, "Policy CSM 2", 11, 11, 0, len(text), [(0, 11)])
    passage = Passage(chunk, DocumentRecord(doc_id="plan", title="Inspector's Report"), 1.0, 0.46)
    question = QuestionAnalysis(text="How often does the council get what it asks housebuilders to chip in?",
                                intent=Intent.LOOKUP, terms=["asks", "housebuilders", "chip"])

    def decide(similarity: float) -> object:
        sentence = Evidence(passage, 0, 0, len(text), text, similarity=similarity)
        retrieval = Retrieval(question.text, [passage], best_similarity=similarity, coverage=0.4,
                              term_weights={"asks": 4.0, "housebuilders": 8.5, "chip": 8.5})
        return RefusalPolicy().decide(Context(question, retrieval, [sentence]))

    refused = decide(0.46)
    assert refused is not None and "none of the question's words" in refused.reason  # type: ignore[attr-defined]
    # As close in meaning as a paraphrase that answers ("Did Derby council workers feel their employer was straight
    # with them?"), it is not refused for sharing no word.
    close = decide(0.62)
    assert close is None or "none of the question's words" not in close.reason  # type: ignore[attr-defined]


def test_a_count_of_some_of_what_is_counted_is_not_the_count_asked() -> None:
    excluded = ("In the 12-month period to December 2024, 102 pupils were permanently excluded which equates to "
                "0.04% of the school population.")
    all_pupils = QuestionAnalysis(text="How many pupils are there in Kent schools?", intent=Intent.LOOKUP,
                                  wants_figure=True)
    assert not gives_figure(excluded, all_pupils)  # a count of the pupils excluded, not of all pupils
    asked = QuestionAnalysis(text="How many pupils were permanently excluded?", intent=Intent.LOOKUP,
                             wants_figure=True)
    assert gives_figure(excluded, asked)
    assert gives_figure("There were 240 delegates at the conference.",
                        QuestionAnalysis(text="How many delegates came?", intent=Intent.LOOKUP, wants_figure=True))
