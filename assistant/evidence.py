"""Evidence selection: the sentences of the retrieved passages that best answer a lookup question.

Used for lookups, yes/no questions and each side of a comparison: refusal looks at the evidence before
anything is generated, the extractive answerer quotes it, and the LLM answerers see the passages that
hold it first. (Lists and summaries take their evidence from the paper's structure: assistant.outline.)

Sentences are scored by similarity to the question (embeddings), by the question's rare terms they
contain (IDF from the index), by whether they hold what was asked for (a figure for "how much", a
date for "when"), and by whether they are about the council the question names; among the close ones, the
one holding what the question asks for answers (assistant/preferred.py). The answer stops when the
question is answered: a further sentence is added only when it adds something.
"""

from __future__ import annotations

import re

import numpy as np

from assistant.answer_kinds import (
    about_councils,
    echoes,
    gives_contact,
    gives_date,
    gives_reason,
    gives_status,
    in_another_sense,
    paragraph_before,
    passes_verdict,
    referred_back,
    sense_pairs,
    states_change,
    terms_in,
    wanted_test,
)
from assistant.candidates import COVER_ADDRESS, sentence_candidates
from assistant.intent import Intent
from assistant.neighbours import (
    contact_block,
    header_row_for,
    paragraph_of,
    row_opening_for,
    runs_on,
    same_paragraph,
)
from assistant.preferred import as_read, figure_of_asked, named_row, preferred
from assistant.question import QuestionAnalysis
from assistant.types import Evidence, Passage, Retrieval
from common.rows import names_row_by_column
from common.text import (
    ANSWER_HEADING,
    DECISION_NUMBER,
    FREQUENCY_MENTION,
    PARTY,
    REFERENCE_SECTION,
    WEAK_WORDS,
    amounts,
    amounts_in_words,
    is_sum,
    last_heading,
    name_phrases,
    names_someone,
    nearly_same,
    query_terms,
    states_sum,
    stem,
)
from common.wording import equivalents, holds
from vectorstore.embeddings import Embedder

# The last paragraph before a position that starts a paragraph: its text in group 1.
_MONEYISH = re.compile(r"\b(cost|budget|savings?|reserves?|funding|spend|gap|paid|pay)\b", re.IGNORECASE)


# In a paper's say on a topic (`select(broad=True)`), a sentence on it giving a sum this close to the best is quoted.
BROAD_SHARE = 0.5
# A paper's say on a topic (`select(broad=True)`) is quoted as the best sentence's whole paragraph up to this long.
PARAGRAPH_WORDS = 130
# A sentence giving another figure for the same words, scored this close to the best, is quoted beside it.
TIED = 0.98


class EvidenceSelector:
    def __init__(self, embedder: Embedder, max_sentences: int = 3, embed_limit: int = 24) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.embed_limit = embed_limit

    def select(self, analysis: QuestionAnalysis, retrieval: Retrieval, most: int | None = None,
               broad: bool = False) -> list[Evidence]:
        """The sentences that answer, best first, in reading order within each paper. `broad`: what a paper says
        on a topic (a comparison's side): a sum it gives on it is quoted too, though it adds no word."""
        cands = self.candidates(retrieval)
        wanted = wanted_test(analysis)
        referent = set(query_terms(analysis.referent))

        def is_referent(cand: Evidence) -> bool:
            return bool(referent) and _mostly_of(set(query_terms(cand.text)), referent)

        # A follow-up wants what the earlier answers did not already show; but the item it refers to answers when
        # its words are asked for, or when it holds what is asked ("when was the value for money one due to meet
        # first?": "… first due to meet in early 2019"), not when a view of it is ("was the cleanest city one
        # realistic?").
        # (Nor when it asks why and the sentence gives the reason: "Why are they so bothered about lots of them
        # bunching together?" after a gist of the takeaways policy that quoted "The primary reason being …".)
        fresh = [c for c in cands if " ".join(c.text.lower().split()) not in analysis.seen
                 or is_referent(c) and (analysis.wants_wording or (wanted is not None and wanted(c)))
                 or analysis.wants_reason and gives_reason(c)]
        named = name_phrases(analysis.text)
        if wanted is not None and named and not any(wanted(c) and _holds_any(c, named) for c in fresh):
            # So does a sentence shown before that gives what is asked about the thing the question names, when no
            # new one does ("How much will it save?" after "What is the Better Lives programme?": its £21 million,
            # not the "Live Life Better Derbyshire Service"'s £500,000).
            fresh += [c for c in cands if c not in fresh and wanted(c) and _holds_any(c, named)]
        if wanted is not None and not any(wanted(c) for c in fresh):
            # And a sentence shown before is the answer when no new one holds the kind of thing asked for: "Which
            # parties were they from?" after the councillors on the peer team ("Cllr Phil Davies, … (Labour)").
            fresh += [c for c in cands if c not in fresh and wanted(c)]
        cands = fresh or cands
        if not cands:
            return []
        self.score(analysis, retrieval, cands, broad)
        cands.sort(key=lambda c: -c.score)
        # A member's question put, reworded by the asker, is found first; what it asked is in the written answer that
        # follows it (`HybridRetriever._answer_to`), which answers (unless what was asked is asked for).
        replies = written_answer(cands[0].passage, analysis, retrieval)
        answer = [c for c in cands if c.passage.chunk.chunk_id in replies]
        if answer:
            cands = answer
        if analysis.wants_wording:
            # "What does the unitarisation one say?": the item itself, in the paper's words, where it is found.
            own = [c for c in cands if is_referent(c)]
            if own:
                return sorted(own[:(most or self.max_sentences)], key=lambda c: (c.rank, c.start))
        if analysis.councils:
            # About the council asked about, when anything close is; otherwise refusal sees the mismatch.
            on_scope = [c for c in cands if about_councils(c, analysis.councils)]
            if on_scope and on_scope[0].score >= 0.6 * cands[0].score:
                cands = on_scope
        best, row = preferred(analysis, cands, wanted)
        if analysis.wants_contact and gives_contact(analysis, best):
            return [contact_block(best)]  # one paper's contact, whole: the name, then its phone and email lines
        chosen = [best]
        # What the best sentence covers is read as it was scored: "Aged 18 to 20 £6.15 …" under "… Minimum Wage"
        # covers "minimum wage", so a sentence that only adds those words adds nothing.
        covered = terms_in(as_read(best, analysis, named_row(best, analysis.asked_words)), analysis.terms,
                           analysis.learned)
        status_row = analysis.wants_status and gives_status(best)
        if status_row:
            # What the row whose status it is names.
            covered |= terms_in(paragraph_before(best), analysis.terms, analysis.learned)
        names = {t for t in analysis.terms if any(ch.isdigit() for ch in t) or t in analysis.names}
        limit = most or self.max_sentences
        kind = stem(analysis.asked_kind) if analysis.asked_kind else ""  # "which consultancy", "… vice-chairman"
        named = {t for t in names if not any(ch.isdigit() for ch in t)}  # "Growth, Environment & Transport"
        # It names what the figure is asked of ("children's services").
        best_of_asked = bool(figure_of_asked(analysis, best, cands))
        for cand in cands:
            if len(chosen) >= limit or best is row:
                break  # (the row the question names by its column is the answer in full)
            if cand is best or analysis.intent == Intent.JUDGEMENT and echoes(cand, analysis):
                continue
            if status_row and gives_status(cand):
                if same_paragraph(cand, best):
                    chosen.append(cand)  # the rest of the row's status ("… on hold for twelve months …")
                continue  # another row's status ("Review In Progress – …" of the next row) is not asked for
            if cand.score < 0.8 * best.score:
                continue
            answered = wanted is not None and wanted(best)
            if answered and not wanted(cand) and cand.score < best.score:
                # The best sentence gives the figure, date or name asked for: a weaker sentence without one adds
                # background, not answer ("…statutory override in place…" beside "…the deficit (c£77m)").
                continue
            if answered and kind and kind in best.text.lower() and kind not in cand.text.lower():
                continue  # the vice-chairman is named: the chairman's name beside it is not the answer
            holds = terms_in(cand.text, analysis.terms, analysis.learned) | set(referred_back(cand, analysis.terms))
            new = holds - covered
            if answered and (named & covered and not named & holds
                             or best_of_asked and not figure_of_asked(analysis, cand, cands)):
                # The answer names what was asked about ("Growth, Environment & Transport … overspent by £6.3m"): a
                # sentence naming none of it is about something else (one service's "Revenue Variance: +3.4"; the
                # council's whole overspend beside children's services').
                continue
            # Stop when the question is answered: more sentences only when they add what is still missing
            # (two more of its terms, or one when almost as good as the best), or are as good as the best.
            adds = len(new) >= 2 or bool(new & names) or (len(new) == 1 and cand.score >= 0.9 * best.score
                                                           and len(holds) >= 2)
            # (As good as the best by its score alone is not enough when it holds none of the words the best one
            # matched: "The make-up of the peer team …" beside the pool's £35m for "what did they make of the pool?")
            close = cand.score >= 0.95 * best.score and (bool(holds) or not covered)
            if answered and not new and analysis.wants_figure and not broad and cand.score >= TIED * best.score \
                    and holds >= covered and _another_figure(cand.text, best.text):
                # Two figures for what was asked, scored all but the same ("… overspend on Schools' Delegated Budgets
                # of £30.4m", "… revenue overspend of £23.3m"): the reader sees which is meant, not a hair's breadth.
                chosen.append(cand)
                continue
            if (answered and not new) or not (adds or close):
                continue
            chosen.append(cand)
            covered |= new
        header = header_row_for(best, cands)
        if header is not None and header not in chosen:
            chosen.append(header)  # a row of figures is read with its table's header row
        opening = row_opening_for(best, cands) if status_row else None
        if opening is not None and opening not in chosen:
            chosen.append(opening)  # a status line is read with the opening of the row it ends, which names it
        follow = runs_on(analysis, best, cands)
        if follow is not None and follow not in chosen and (analysis.wants_name or len(chosen) < limit + 1):
            chosen.append(follow)
        if broad and len(chosen) < limit + 1:
            chosen += _one_more_on(analysis, best, [c for c in cands if c not in chosen], chosen)
        if broad and not (analysis.wants_figure or analysis.wants_name or analysis.wants_date):
            # A paper's say on a topic is the paragraph it says it in, when that is short: quoted whole, it keeps
            # the point a sentence of it leaves out. (A figure, name or date asked for is one sentence's.)
            whole = paragraph_of(best, PARAGRAPH_WORDS)
            if whole is not None:
                chosen = [whole if c is best else c for c in chosen]
        doc_order = list(dict.fromkeys(c.passage.doc.doc_id for c in chosen))
        chosen.sort(key=lambda c: (doc_order.index(c.passage.doc.doc_id), c.passage.chunk.seq, c.start))
        return _drop_overlaps(chosen)

    def candidates(self, retrieval: Retrieval) -> list[Evidence]:
        return sentence_candidates(retrieval)

    def score(self, analysis: QuestionAnalysis, retrieval: Retrieval, cands: list[Evidence], broad: bool = False
              ) -> None:
        # Squared IDF: a rare name in the question ("Cotmanhay") should outweigh common words. For "what did the
        # peer team make of the pool", the words for who said it do not pick the sentence: the topic does.
        base = retrieval.term_weights or {t: 1.0 for t in analysis.terms}
        topic = set(analysis.topic_terms) if analysis.asks_view else set()
        if topic:
            base = {t: w for t, w in base.items() if t in topic} or base
        weights = {t: w * w for t, w in base.items()}
        names = {t for t in weights if any(ch.isdigit() for ch in t) or t in analysis.names}
        asked_words = analysis.asked_words
        named_rows = {id(c): named_row(c, asked_words) for c in cands}
        read = {id(c): as_read(c, analysis, named_rows[id(c)]) for c in cands}
        # A word the papers never use ("smallest", "you'd") tells none of their sentences apart: it does not dilute
        # the share of the question's words a sentence holds (in a question in the asker's own words, most of it).
        unused = {t for t in retrieval.missing_terms if not equivalents(t) and t not in analysis.learned}
        total = sum(w for t, w in weights.items() if t not in unused) or 1.0
        pairs = sense_pairs(analysis.phrased or analysis.text, list(weights))
        other_sense: set[int] = set()
        for cand in cands:
            lower = read[id(cand)]
            matched = [t for t in weights if holds(lower, t, analysis.learned)]
            cand.lexical = sum(weights[t] for t in matched) / total
            if (len(matched) == 1 and matched[0] not in names) or (matched and set(matched) <= WEAK_WORDS):
                # One shared common word is not evidence ("behind" in "left behind" for a question about
                # accounts being behind): it counts for little unless it is a name or a figure.
                cand.lexical *= 0.3
                if len(matched) == 1 and in_another_sense(cand, matched[0], pairs):
                    cand.lexical = 0.0  # "resilience" in "a culture of self-help and resilience", asked "financial …"
                    other_sense.add(id(cand))
        # Embedding sentences is the slow part (~10 ms each on 2 cores): only the most promising
        # candidates by the cheap scores are embedded; the rest keep similarity 0.
        promising = sorted(cands, key=lambda c: -(c.lexical + 0.1 / (1 + c.rank)))[: self.embed_limit]
        # (And every sentence of a written answer to a question put: it answers in its own words, not the asker's.)
        promising += [c for c in cands if ANSWER_HEADING.match(last_heading(c.passage.chunk.section))
                      and c not in promising]
        # The full question, not the retriever's naming-free query: sentence choice is better with it.
        q_vec = np.asarray(self.embedder.embed_query(analysis.asked_text))
        s_vecs = np.asarray(self.embedder.embed_documents([c.text for c in promising]))
        for cand, sim in zip(promising, s_vecs @ q_vec, strict=True):
            cand.similarity = float(sim)
        wants_figure = analysis.wants_figure or bool(_MONEYISH.search(analysis.text))
        # A passage pulled in because it continues a hit ("1.3 …" after "1.2 …") was not scored by the dense
        # search: it counts as close to the question as the passage it continues.
        closeness = {p.chunk.chunk_id: p.similarity for p in retrieval.passages}
        for cand in cands:
            lower = cand.text.lower()
            bonus = 0.0
            if wants_figure and (amounts(cand.text) or amounts_in_words(cand.text)):
                bonus += 0.1
            if analysis.wants_date and gives_date(analysis, cand.text):
                bonus += 0.1
            if analysis.wants_frequency and FREQUENCY_MENTION.search(cand.text):
                bonus += 0.1
            if analysis.wants_name and names_someone(cand.text):
                bonus += 0.1
            change = states_change(analysis, cand.text)
            if change is not None:
                # "How much is council tax going up?": the increase proposed, not what each 1% of it would raise.
                bonus += 0.15 if change else -0.1
            if analysis.wants_status and gives_status(cand):
                bonus += 0.1
            if analysis.wants_party and PARTY.search(cand.text):
                bonus += 0.15
            if analysis.wants_reference and DECISION_NUMBER.search(cand.text):
                bonus += 0.15
            if analysis.wants_contact and gives_contact(analysis, cand):
                # Contact details belong to a paper: those of the paper the question names ("the Dales report"),
                # not the LGA adviser's in another paper.
                bonus += 0.15 + 0.15 * analysis.doc_weights.get(cand.passage.doc.doc_id, 0.0)
            if analysis.asks_verdict and cand.lexical > 0 and passes_verdict(cand):
                bonus += 0.1  # a verdict on what was asked about: "… has been significant and fast paced"
            if analysis.asked_kind and stem(analysis.asked_kind) in lower:
                bonus += 0.1  # "which consultancy": "Proving Services Ltd, a consultancy based at …"
            if analysis.figures and any(f in lower for f in analysis.figures):
                bonus += 0.05
            if named_rows[id(cand)]:
                bonus += 0.15  # the row the question names ("Maidstone", "grade KS R") in a table of figures
                if names_row_by_column(cand.text, cand.passage.chunk.section, analysis.text):
                    bonus += 0.15  # by its column too ("Band D"): a surer sign than the words a sentence shares
            if analysis.councils and not about_councils(cand, analysis.councils):
                bonus -= 0.15  # another council's paper, not mentioning the one asked about
            if cand.passage.neighbour_of:
                bonus -= 0.03
            if COVER_ADDRESS.match(cand.text) and not (analysis.wants_name or analysis.wants_date):
                bonus -= 0.15  # "What can Cabinet do now?": not "To: Cabinet - 4 March 2025"
            if not (analysis.wants_date or analysis.wants_reference) \
                    and REFERENCE_SECTION.match(last_heading(cand.passage.chunk.section)):
                bonus -= 0.15  # a list of the papers drawn on names them; it says nothing of what they found
            if analysis.terms:
                # Under a heading that names what is asked ("4.4 Financial planning and viability").
                heading = cand.passage.chunk.section.lower()
                bonus += 0.15 * sum(1 for t in analysis.terms if stem(t) in heading) / len(analysis.terms)
            # The passage around the sentence counts too: a sentence in a passage on the question's subject
            # ("financial planning") beats a stray one sharing a word with it.
            passage_similarity = cand.passage.similarity or closeness.get(cand.passage.neighbour_of, 0.0)
            # What a paper says on a topic is not a sentence using its word in another sense, however close the two
            # read to the embedder ("… a culture of self-help and resilience" for "financially resilient").
            closeness_weight = 0.2 if broad and id(cand) in other_sense else 0.45
            cand.score = (closeness_weight * cand.similarity + 0.45 * cand.lexical + 0.2 * passage_similarity + bonus
                          + 0.05 / (1 + cand.rank))


# Asking what a member asked: "what did Mr Holden ask about road closures?", "what question was put …?".
QUESTION_PUT_ASKED = re.compile(r"\b(?:ask|asks|asked|asking|question|questions|put to)\b", re.IGNORECASE)


def written_answer(put: Passage, analysis: QuestionAnalysis, retrieval: Retrieval) -> set[str]:
    """When `put` is a member's question put, the chunk ids of its written answer among the passages: the chunks
    under the "Answer" heading right after it (`HybridRetriever._answer_to`); none when it is no question put, or
    when what was asked is asked for."""
    if ANSWER_HEADING.match(last_heading(put.chunk.section)) or QUESTION_PUT_ASKED.search(analysis.text):
        return set()
    answer = {p.chunk.seq: p.chunk.chunk_id for p in retrieval.passages if p.chunk.doc_id == put.chunk.doc_id
              and ANSWER_HEADING.match(last_heading(p.chunk.section))}
    out: set[str] = set()
    seq = put.chunk.seq + 1
    while seq in answer:
        out.add(answer[seq])
        seq += 1
    return out


def _another_figure(text: str, best: str) -> bool:
    """Whether a sentence gives a sum or a percentage, as the best sentence does, and not the best one's."""
    def measured(sentence: str) -> dict[str, set[str]]:
        found = amounts(sentence)
        return {"money": {f for f in found if is_sum(f)},
                "percent": {f for f in found if f.endswith("%")}}
    mine, theirs = measured(text), measured(best)
    return any(mine[kind] and theirs[kind] and not mine[kind] & theirs[kind] for kind in mine)


def _holds_any(cand: Evidence, phrases: list[str]) -> bool:
    lower = " ".join(cand.text.lower().split())
    return any(phrase in lower for phrase in phrases)


def _mostly_of(words: set[str], item: set[str]) -> bool:
    """Whether a sentence's words are mostly those of an item (it is the item, or a sentence of it)."""
    shared = len(words & item)
    return shared >= 3 and shared >= 0.8 * min(len(words), len(item))


def _one_more_on(analysis: QuestionAnalysis, best: Evidence, rest: list[Evidence], chosen: list[Evidence]
                 ) -> list[Evidence]:
    """A paper's say on a topic, when no sentence chosen gives a sum: the best one on it that does ("How did the
    peer teams see the use of reserves?": the county's 43% beside how it uses them)."""
    if analysis.wants_name or analysis.wants_date or any(states_sum(c.text) for c in chosen):
        return []
    topic = set(analysis.topic_terms)
    return [c for c in rest if c.score >= BROAD_SHARE * best.score and states_sum(c.text)
            and terms_in(c.text, analysis.terms, analysis.learned) & topic][:1]


def _drop_overlaps(chosen: list[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for cand in chosen:
        if any(o.passage.chunk.chunk_id == cand.passage.chunk.chunk_id and o.start <= cand.start < o.end
               or nearly_same(o.text, cand.text) for o in out):
            continue  # overlapping, or the same statement printed twice
        out.append(cand)
    return out
