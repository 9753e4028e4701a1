"""Attribution after generation: which passage sentences back each sentence of a model's answer.

The model writes its answer freely (it is asked to cite, but small models cite loosely). Afterwards the
answer is split into claims — its sentences and list items (common.text.split_sentences) — and each is
matched against the sentences and list lines ("units") of the passages the model was shown. A claim is
supported by one to three units when:

- every figure of the claim (amounts, counts, years, financial years) stands in those units, and every
  amount next to the same words as in the claim (`figure_in_context`: "90% of residents were satisfied
  with the council" is not "a 90% satisfaction score with their area"); a year may come from the paper's
  own title or date ("the 2018 peer challenge");
- every name it capitalises (people, places, bodies, programmes, months) stands in those units, the
  passage's section heading, or its paper's title and council ("Derbyshire County Council" for a passage
  that says "the council");
- a negated claim ("the accounts have not been closed") is backed by a negated sentence;
- enough of its content words are in the units, each weighted by how rare it is among the passages
  shown: 60%, or less when the sentence embeddings agree that the two say the same thing; with the embedder
  (the services' sentence-transformers model, one batched call per answer) even a claim whose words all match
  needs a similarity of 0.55, which catches a changed verb ("resigned" for "was appointed").

The system then writes the citations itself: each supported claim gets [n] markers for the units that
support it (numbered in order of first use, each a verbatim quote, so it verifies), wherever the model put
its own markers or whether it put any. A claim with no support keeps its text, loses any marker and is
listed as unsupported, so nothing unsourced looks sourced. Framing ("The recommendations were:"), short
fragments and "the papers do not say" are neither cited nor counted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.citations import make_citation
from assistant.claims import (
    Claim,
    Unit,
    among,
    clean_answer,
    figure_in_context,
    names_in,
    normalise_figures,
    root,
    split_claims,
    stems,
    units_of,
)
from assistant.types import Citation, Passage
from common.text import JUDGEMENT_WORDS, WEAK_WORDS, figures_in, is_year, quantities, query_terms
from vectorstore.embeddings import Embedder

_NEGATION = re.compile(r"\b(not|no|never|none|nor|cannot|without|unable|neither|n['’]t)\b|n['’]t\b", re.IGNORECASE)

MAX_UNITS = 3  # units one claim may cite
LEXICAL_ENOUGH = 0.6  # share of a claim's (rarity-weighted) content words that supports it on its own
# (word share, similarity): with the embedder, a claim needs one of these pairs. The first is the floor for a claim
# the words alone support: "The interim Director of Finance resigned" shares its words with "The appointment of
# a new interim Director of Finance has boosted capability" (similarity 0.51), not its meaning.
SEMANTIC_TIERS: tuple[tuple[float, float], ...] = ((LEXICAL_ENOUGH, 0.55), (0.45, 0.65), (0.3, 0.75))



@dataclass
class Judgement:
    claim: Claim
    units: list[Unit] = field(default_factory=list)
    coverage: float = 0.0
    similarity: float | None = None
    reason: str = ""  # why it is not supported ("" when it is)

    @property
    def supported(self) -> bool:
        return bool(self.units) and not self.reason


@dataclass
class Attribution:
    text: str  # the answer with the system's own [n] markers
    citations: list[Citation]
    judgements: list[Judgement]

    @property
    def checked(self) -> list[Judgement]:
        return [j for j in self.judgements if j.claim.kind == "claim"]

    @property
    def unsupported(self) -> list[str]:
        return [j.claim.text for j in self.checked if not j.supported]

    @property
    def supported_count(self) -> int:
        return sum(1 for j in self.checked if j.supported)

    @property
    def mostly_unsupported(self) -> bool:
        return mostly_unsupported(len(self.unsupported), self.supported_count)


def mostly_unsupported(unsupported: int, supported: int) -> bool:
    """More of an answer's claims unsupported than supported: the answer as a whole cannot be shown as sourced."""
    return unsupported > supported


class _ClaimTerms:
    """What a claim must find in its support: content words (weighted by rarity), figures, names, negation."""

    def __init__(self, text: str, weights: dict[str, float]) -> None:
        self.text = text
        self.lower = normalise_figures(text).lower()
        self.terms = stems(text)
        self.figures = set(figures_in(self.lower))
        self.names = set(names_in(text))
        self.negated = bool(_NEGATION.search(text))
        self.verdicts = {root(w) for w in query_terms(text) if w in JUDGEMENT_WORDS}
        top = max(weights.values(), default=1.0)
        # A word no passage has counts as much as the rarest that one has; a figure for more.
        self.need = {t: weights.get(t, top) for t in self.terms} | {f: 1.5 * top for f in self.figures}
        self.total = sum(self.need.values()) or 1.0

    def covered(self, units: Sequence[Unit]) -> set[str]:
        return {k for k in self.need if any(_has(u, k) for u in units)}

    def named(self, units: Sequence[Unit], covered: set[str]) -> set[str]:
        """Words of the claim that only name the units' paper ("the 2018 peer challenge", "Derbyshire County
        Council" for a sentence that says "DCC"): they neither support the claim nor count against it."""
        return {k for k in self.need if k not in covered and any(k in u.naming_roots or (k[0].isdigit() and k in
                                                                                          u.naming) for u in units)}

    def share(self, units: Sequence[Unit]) -> float:
        covered = self.covered(units)
        rest = self.total - sum(self.need[k] for k in self.named(units, covered))
        return sum(self.need[k] for k in covered) / rest if rest > 0 else 0.0


# --- the attributor --------------------------------------------------------------------------------------------

class Attributor:
    """Finds the support for each claim of an answer and writes the citations (see the module docstring)."""

    def __init__(self, embedder: Embedder | None = None, lexical_enough: float = LEXICAL_ENOUGH,
                 semantic_tiers: tuple[tuple[float, float], ...] = SEMANTIC_TIERS) -> None:
        self.embedder = embedder
        self.lexical_enough = lexical_enough
        self.semantic_tiers = semantic_tiers
        self._vectors: dict[str, np.ndarray] = {}

    def attribute(self, answer: str, passages: Sequence[Passage], sources: Sequence[Sequence[Passage]] = (),
                  headings: Sequence[str] = (), question: str = "") -> Attribution:
        """`passages`: every passage the model saw (in whole or part); `sources`: the passages behind each [n] of
        the prompt, for the model's own markers (a hint, never a requirement); `headings`: lines of the prompt
        that are headings, not claims; `question`: what a bare figure ("93%") answers."""
        text, marks = clean_answer(answer)
        claims = split_claims(text, marks, len(sources), headings)
        units = units_of(passages)
        hinted = [{p.chunk.chunk_id for p in source} for source in sources]
        weights = _rarity(units)
        judgements = [Judgement(c) for c in claims]
        candidates: list[Judgement] = []
        for judgement in judgements:
            claim = judgement.claim
            if claim.kind == "frame" and question and figures_in(claim.text) and len(claim.text.split()) < 3:
                # A bare figure ("93%") is an answer to the question: checked as the question answered by it.
                claim.kind, claim.context = "claim", question
            # A lead-in with a figure ("The 2018 peer challenge made seven recommendations:") still needs it.
            if claim.kind == "frame" and not all(any(f in u.lower for u in units) or _in_metadata(f, units)
                                                 for f in figures_in(normalise_figures(claim.text).lower())):
                claim.kind = "claim"
            if claim.kind != "claim":
                continue
            chunk_hints = set().union(*(hinted[i] for i in claim.hints)) if claim.hints else set()
            self._judge_words(judgement, units, weights, chunk_hints)
            if not judgement.reason:
                candidates.append(judgement)
        self._judge_meaning(candidates)
        return self._write(text, judgements)

    # Words, figures and names.
    def _judge_words(self, judgement: Judgement, units: list[Unit], weights: dict[str, float],
                     hinted: set[str]) -> None:
        if not units:
            judgement.reason = "no passage to check against"
            return
        claim = _ClaimTerms(judgement.claim.checked_text, weights)

        def rank(u: Unit) -> float:
            return claim.share([u]) + (0.05 if u.passage.chunk.chunk_id in hinted else 0.0)

        ranked = sorted(units, key=rank, reverse=True)
        # Covers grown from a few starting units: the best by words first; for a negated claim the best negated
        # sentences too ("had not finalised its accounts" rather than "Close the accounts").
        seeds = ranked[:3]
        if claim.negated:
            seeds = [u for u in ranked if u.negated][:3] + seeds
        best: tuple[bool, float, list[Unit], str] | None = None
        for seed in dict.fromkeys(seeds):
            chosen, coverage = self._cover(seed, units, claim)
            reason = self._check(claim, chosen, coverage)
            if reason and len(chosen) < MAX_UNITS:
                # The words were there but a figure's neighbours or a name were not: a claim that joins two
                # sentences ("the budget is £215m, with a need for senior managers to …") needs both.
                fuller, fuller_coverage = self._cover(seed, units, claim, fill=True)
                fuller_reason = self._check(claim, fuller, fuller_coverage)
                if not fuller_reason:
                    chosen, coverage, reason = fuller, fuller_coverage, fuller_reason
            if best is None or (not reason, coverage) > (not best[3], best[1]):
                best = (not reason, coverage, chosen, reason)
            if not reason and coverage >= self.lexical_enough:
                break
        assert best is not None
        _, judgement.coverage, judgement.units, judgement.reason = best

    def _cover(self, seed: Unit, units: list[Unit], claim: _ClaimTerms, fill: bool = False
               ) -> tuple[list[Unit], float]:
        """`seed` and up to two more units, each adding what the claim has that the others lack (until the words
        are covered enough, or with `fill` for as long as a unit adds something)."""
        chosen = [seed]
        share = claim.share(chosen)
        while len(chosen) < MAX_UNITS:
            covered = claim.covered(chosen)
            # A year the chosen units' paper is dated or titled by needs no unit that prints it ("The 2018 peer
            # team thought …" is not also backed by "The Council Plan … was refreshed earlier in 2018").
            missing_figures = {f for f in claim.figures - covered if not (is_year(f) and _in_metadata(f, chosen))}
            missing_hard = missing_figures or {n for n in claim.names if not _named(n, chosen)}
            if share >= self.lexical_enough and not missing_hard and not fill:
                break
            # Next: the unit that adds most, preferring the chosen units' neighbours (a point that runs on).
            best, best_gain = None, 0.0
            for unit in units:
                if unit in chosen or not any(_has(unit, k) for k in claim.need if k not in covered):
                    continue
                near = any(unit.passage is c.passage and abs(unit.position - c.position) == 1 for c in chosen)
                gain = claim.share([*chosen, unit]) - share + (0.05 if near else 0.0)
                if any(_has(unit, f) for f in missing_figures):
                    gain += 0.2
                if gain > best_gain:
                    best, best_gain = unit, gain
            if best is None or best_gain < 0.1:
                break
            chosen.append(best)
            share = claim.share(chosen)
        chosen.sort(key=lambda u: u.position)
        return chosen, share

    def _check(self, claim: _ClaimTerms, chosen: list[Unit], coverage: float) -> str:
        """Why `chosen` does not support the claim ("" when nothing rules it out)."""
        joined = " ".join(u.lower for u in chosen)
        missing = [f for f in claim.figures if f not in joined and not (is_year(f) and _in_metadata(f, chosen))]
        if missing:
            return f"the passages do not give {', '.join(sorted(missing))}"
        around = " ".join([joined, *(u.naming for u in chosen)])
        if not all(any(figure_in_context(q, claim.lower, u.lower, around=around) if u.cell is None
                       else u.cell.fits(claim.lower) and figure_in_context(q, claim.lower, u.lower)
                       for u in chosen if q in u.lower)
                   for q in quantities(claim.lower)):
            return "a figure stands next to other words in the passage"
        unnamed = [n for n in claim.names if not _named(n, chosen)]
        if unnamed:
            return "a name is not in the passages: " + ", ".join(unnamed)
        if claim.negated and not any(u.negated for u in chosen):
            return "the passages do not say it in the negative"
        unjudged = claim.verdicts - {r for u in chosen for r in stems(u.text)}
        if unjudged:
            return "the passages do not pass that verdict"  # "a positive assessment of the new swimming pool"
        covered = claim.covered(chosen)
        matched = sum(1 for t in claim.terms if t in covered)
        if matched < min(2, len(claim.terms - claim.named(chosen, covered))) or \
                coverage < min(t for t, _ in self.semantic_tiers):
            return "too few of its words are in the passages"
        return ""

    # Meaning: embeddings, for every claim the words and figures leave standing.
    def _judge_meaning(self, candidates: list[Judgement]) -> None:
        if self.embedder is None:
            for judgement in candidates:
                if judgement.coverage < self.lexical_enough:
                    judgement.reason = "too few of its words are in the passages"
            return
        if not candidates:
            return
        texts = [j.claim.checked_text for j in candidates] + [u.text for j in candidates for u in j.units]
        vectors = self._embed(texts)
        for judgement in candidates:
            claim_vec = vectors[judgement.claim.checked_text]
            unit_vecs = np.asarray([vectors[u.text] for u in judgement.units])
            # The claim against its best unit, and against the units together (a claim that joins two sentences).
            joined = unit_vecs.sum(axis=0)
            norm = float(np.linalg.norm(joined)) or 1.0
            judgement.similarity = max(float((unit_vecs @ claim_vec).max()), float(joined @ claim_vec) / norm)
            if not any(judgement.coverage >= words and judgement.similarity >= similarity
                       for words, similarity in self.semantic_tiers):
                judgement.reason = "the passages do not say this"

    def _embed(self, texts: list[str]) -> dict[str, np.ndarray]:
        """One batched call for what is not cached (passage sentences come back question after question)."""
        assert self.embedder is not None
        wanted = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if wanted:
            if len(self._vectors) > 4000:
                self._vectors.clear()
            for text, vector in zip(wanted, self.embedder.embed_documents(wanted), strict=True):
                self._vectors[text] = np.asarray(vector)
        return {t: self._vectors[t] for t in texts}

    # The answer with the system's own markers.
    def _write(self, text: str, judgements: list[Judgement]) -> Attribution:
        citations: list[Citation] = []
        numbers: dict[tuple[str, int, int], int] = {}
        inserts: list[tuple[int, str]] = []
        for judgement in judgements:
            if judgement.claim.kind != "claim" or not judgement.supported:
                continue
            marks = []
            for unit in judgement.units:
                key = (unit.passage.chunk.chunk_id, unit.start, unit.end)
                if key not in numbers:
                    numbers[key] = len(citations) + 1
                    citations.append(make_citation(numbers[key], unit.passage, unit.start, unit.end))
                marks.append(f"[{numbers[key]}]")
            claim_text = text[judgement.claim.start:judgement.claim.end]
            body = claim_text.rstrip()
            stop = len(body) - len(body.rstrip(".!?;:,"))
            at = judgement.claim.start + len(body) - stop
            inserts.append((at, " " + "".join(marks)))
        for at, mark in sorted(inserts, reverse=True):
            text = text[:at] + mark + text[at:]
        return Attribution(text.strip(), citations, judgements)


def _has(unit: Unit, key: str) -> bool:
    """Whether a unit says a claim's term (a stem) or figure."""
    if any(ch.isdigit() for ch in key):
        return key in unit.lower
    # One root may be the other's start ("plan" and "plann" from "planning").
    return among(key, unit.stems)


def _named(name: str, units: Sequence[Unit]) -> bool:
    """A name counts when the units, their section headings or their papers' titles and councils hold it."""
    return any(name in unit.lower or name in unit.naming for unit in units)


def _in_metadata(figure: str, units: Sequence[Unit]) -> bool:
    """A year in a paper's title, date or section heading ("the 2018 peer challenge")."""
    return any(figure in unit.naming for unit in units)


def _rarity(units: Sequence[Unit]) -> dict[str, float]:
    """Inverse document frequency of each stem over the units shown: "council" counts for little, "Moorways" much."""
    df: dict[str, int] = {}
    for unit in units:
        for s in unit.stems:
            df[s] = df.get(s, 0) + 1
    n = len(units)
    weights = {s: math.log((n + 1) / (count + 0.5)) for s, count in df.items()}
    for s in weights:
        if s in WEAK_WORDS:
            weights[s] *= 0.5
    return weights
