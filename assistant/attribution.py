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
from assistant.types import Citation, Passage
from common.text import STOPWORDS, WEAK_WORDS, figures_in, is_year, quantities, query_terms, split_sentences, stem
from vectorstore.embeddings import Embedder

# Markers as models write them: [1], [1, 2], [1][2]; "…2018. [1] It…" puts them after the full stop.
MARKER = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
_MARKERS_WITH_SPACE = re.compile(r"[ \t]*\[\d{1,3}(?:\s*,\s*\d{1,3})*\]")
_MARKERS_AFTER_STOP = re.compile(r"([.!?;:])((?:[ \t]*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+)")
CANNOT = re.compile(r"papers provided do not say|(papers|passages|sources|documents) (provided )?(do|does) not "
                    r"(say|contain|mention|state|give|include)|do not (say|contain|mention)|no information",
                    re.IGNORECASE)
# A list label at the start of a claim: "1.", "a)", "(iv)", "-", "*", "•".
_LABEL = re.compile(r"^(?:[-*•–]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,5})[.)])[ \t]+", re.IGNORECASE)
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}[ \t]+", re.MULTILINE)
_NEGATION = re.compile(r"\b(not|no|never|none|nor|cannot|without|unable|neither|n['’]t)\b|n['’]t\b", re.IGNORECASE)
_PASSAGE_NEGATION = re.compile(r"\b(not|no|never|none|nor|cannot|without|unable|neither|lack\w*|absen\w*|fail\w*|"
                               r"unclear|insufficient|yet to|missing|n['’]t)\b|n['’]t\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’&-]*")
# Words a model capitalises without naming anything in particular.
_NOT_NAMES = frozenset("i a an the this that these those it its they their there he she we our council councils "
                       "however also overall in on at for of and but or as by to from with firstly secondly "
                       "finally additionally furthermore yes no".split())
_MILLION = re.compile(r"(\d)\s*(?:million|mn)\b", re.IGNORECASE)
_BILLION = re.compile(r"(\d)\s*billion\b", re.IGNORECASE)
_PERCENT = re.compile(r"(\d)\s*(?:per\s*cent|percent)\b", re.IGNORECASE)

MAX_UNITS = 3  # units one claim may cite
LEXICAL_ENOUGH = 0.6  # share of a claim's (rarity-weighted) content words that supports it on its own
# With an embedding similarity at least `similarity`, a lower word share is enough.
# (word share, similarity): with the embedder, a claim needs one of these pairs. The first is the floor for a claim
# the words alone support: "The interim Director of Finance resigned" shares its words with "The appointment of
# a new interim Director of Finance has boosted capability" (similarity 0.51), not its meaning.
SEMANTIC_TIERS: tuple[tuple[float, float], ...] = ((LEXICAL_ENOUGH, 0.55), (0.45, 0.65), (0.3, 0.75))


def normalise_figures(text: str) -> str:
    """"£263 million" and "£263m", "43 per cent" and "43%" compare equal."""
    text = _MILLION.sub(r"\1m", text)
    text = _BILLION.sub(r"\1bn", text)
    return _PERCENT.sub(r"\1%", text)


# --- the checks a claim must pass --------------------------------------------------------------------------

def supports(claim: str, passage: str) -> bool:
    """The passage holds every figure of the claim, in the same context, and a fair share of its content words
    (the simple whole-passage check; `Attributor` is the one answers go through)."""
    claim, passage = normalise_figures(claim), normalise_figures(passage)
    lower = passage.lower()
    if any(f not in lower for f in figures_in(claim)):
        return False
    terms = query_terms(claim)
    if terms and sum(1 for t in terms if stem(t) in lower) / len(terms) < 0.4:
        return False
    return all(figure_in_context(figure, claim, passage) for figure in quantities(claim))


def figure_in_context(figure: str, claim: str, passage: str, near: int = 6, far: int = 8, around: str = "") -> bool:
    """A figure must say the same thing in the passage as in the claim: the claim's words next to it
    must mostly stand next to it in the passage too. "90% of residents were satisfied with the council"
    fails against "a 90% satisfaction score with their area …, however satisfaction with the council
    at 59%", although both the figure and the words occur in that sentence.

    Fewer of them will do (a third) when the rest are elsewhere in the passage but next to none of its
    other figures: "In the early 2017 survey, 59% of residents were satisfied with the council" against the
    same sentence ("survey", "residents" open it; "satisfaction with the council at 59%"), or in `around` (the
    other sentences cited with it, for a claim that joins two)."""
    claim_context = _context_terms(claim, figure, near)
    if not claim_context:
        return True
    lower = passage.lower()
    windows = [_context_terms(passage, figure, far, occurrence=i) for i in range(lower.count(figure))]
    others: set[str] = set()
    for other in set(quantities(passage)):
        if figure not in other and other not in figure:
            for i in range(lower.count(other)):
                others |= _context_terms(passage, other, far, occurrence=i)
    everywhere = _stems(passage) | _stems(around)
    wide = _context_terms(claim, figure, far)
    for window in windows:
        if sum(1 for t in claim_context if _among(t, window)) / len(claim_context) >= 0.6:
            return True
        shared = {t for t in wide if _among(t, window)}
        rest = wide - shared
        if shared and len(shared) / len(wide) >= 1 / 3 and all(_among(t, everywhere) for t in rest) and \
                not any(_among(t, others) for t in rest):
            return True
    return False


def _among(term: str, roots: set[str]) -> bool:
    return term in roots or any(len(r) >= 4 and len(term) >= 4 and (r.startswith(term) or term.startswith(r))
                                for r in roots)


def _context_terms(text: str, figure: str, width: int, occurrence: int = 0) -> set[str]:
    words = text.lower().split()
    positions = [i for i, w in enumerate(words) if figure in w]
    if len(positions) <= occurrence:
        return set()
    at = positions[occurrence]
    window = " ".join(words[max(0, at - width):at] + words[at + 1:at + 1 + width])
    return _stems(window)


def best_sentence(claim: str, passage: str) -> tuple[int, int]:
    """The passage sentence sharing most of the claim's words and figures (shorter wins a tie)."""
    terms = {stem(t) for t in query_terms(claim)} | set(figures_in(claim))
    best, best_score = (0, len(passage)), -1.0
    for start, end in split_sentences(passage):
        lower = passage[start:end].lower()
        score = sum(1 for t in terms if t in lower) / (1 + 0.01 * (end - start))
        if score > best_score:
            best, best_score = (start, end), score
    return best


# --- claims and units -----------------------------------------------------------------------------------------

@dataclass
class Claim:
    """One sentence or list item of the answer (its label and markers left out)."""

    start: int  # offsets in the cleaned answer text
    end: int
    text: str
    hints: list[int] = field(default_factory=list)  # the sources (0-based) the model cited for it
    kind: str = "claim"  # "claim" (checked), "frame" (lead-in, heading, fragment) or "cannot"


@dataclass(eq=False)
class Unit:
    """A sentence or list line of a passage: what a citation quotes."""

    passage: Passage
    start: int
    end: int
    text: str
    lower: str  # lower-cased, figures normalised
    stems: frozenset[str]
    figures: frozenset[str]
    negated: bool
    position: int  # order among all units
    naming: str = ""  # its paper's title, council and section heading, lower-cased: words that name, not claim
    naming_roots: frozenset[str] = frozenset()


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
        """More of its claims unsupported than supported: the answer as a whole cannot be shown as sourced."""
        return len(self.unsupported) > self.supported_count


def clean_answer(text: str) -> tuple[str, list[tuple[int, list[int]]]]:
    """The answer without markers or markdown emphasis, and where each marker stood (offset, numbers)."""
    text = _MARKDOWN.sub("", text)
    text = _MARKERS_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    out: list[str] = []
    marks: list[tuple[int, list[int]]] = []
    pos = 0
    length = 0
    for match in _MARKERS_WITH_SPACE.finditer(text):
        out.append(text[pos:match.start()])
        length += match.start() - pos
        numbers = [int(n) for group in MARKER.findall(match.group(0)) for n in re.split(r"\s*,\s*", group)]
        marks.append((length, numbers))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), marks


def split_claims(text: str, marks: Sequence[tuple[int, list[int]]] = (), sources: int = 0,
                 headings: Sequence[str] = ()) -> list[Claim]:
    """The claims of a cleaned answer, each with the sources its markers named (0-based, valid ones only)."""
    heading_keys = {_key(h) for h in headings if h.strip()}
    claims: list[Claim] = []
    for start, end in split_sentences(text):
        label = _LABEL.match(text[start:end])
        if label:
            start += label.end()
        if start >= end:
            continue
        claims.append(Claim(start, end, text[start:end]))
    for offset, numbers in marks:
        owner = next((c for c in claims if c.start <= offset <= c.end + 1), None)
        if owner is None:
            owner = next((c for c in reversed(claims) if c.end <= offset), None)
        if owner is not None:
            owner.hints.extend(n - 1 for n in numbers if 1 <= n <= sources and n - 1 not in owner.hints)
    for claim in claims:
        body = claim.text.strip()
        words = re.findall(r"\w+", body)
        if CANNOT.search(body):
            claim.kind = "cannot"
        elif len(words) < 3 or _key(body) in heading_keys:
            claim.kind = "frame"
        elif body.endswith(":"):
            claim.kind = "frame"  # "The peer team's key recommendations were:" (its figures are still checked)
    return claims


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def units_of(passages: Sequence[Passage]) -> list[Unit]:
    units: list[Unit] = []
    seen: set[tuple[str, int]] = set()
    for passage in passages:
        text = passage.chunk.text
        doc = passage.doc
        naming = " ".join([doc.title, doc.short_title, doc.council, doc.date, doc.doc_id.replace("-", " "),
                           passage.chunk.section]).lower()
        for start, end in split_sentences(text):
            if (passage.chunk.chunk_id, start) in seen:
                continue
            seen.add((passage.chunk.chunk_id, start))
            sentence = text[start:end]
            lower = normalise_figures(sentence).lower()
            units.append(Unit(passage, start, end, sentence, lower, frozenset(_stems(sentence)),
                              frozenset(figures_in(lower)), bool(_PASSAGE_NEGATION.search(sentence)), len(units),
                              naming, frozenset(_stems(naming))))
    return units


_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")


def root(word: str) -> str:
    """A word's first five letters once a common ending is off: "needed" and "need", "finances" and "financial",
    "satisfied" and "satisfaction" meet; "hall" is not in "challenge"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:5]


def _stems(text: str) -> set[str]:
    return {root(t) for t in query_terms(text) if not any(ch.isdigit() for ch in t)}


def names_in(claim: str) -> list[str]:
    """Words the claim capitalises mid-sentence (names of people, places, bodies, programmes, months), lower-cased.
    The first word counts only when it is an acronym or starts a run of capitalised words."""
    found: list[str] = []
    tokens = list(_CAPITALISED.finditer(claim))
    for i, match in enumerate(tokens):
        word = re.sub(r"['’]s$", "", match.group(0)).strip("'’-")
        lower = word.lower()
        if lower in _NOT_NAMES or lower in STOPWORDS or len(word) < 2:
            continue
        at_start = not claim[:match.start()].strip(" \"'“‘(")
        if at_start and not word.isupper():
            following = tokens[i + 1] if i + 1 < len(tokens) else None
            if following is None or claim[match.end():following.start()].strip():
                continue
        found.append(lower)
    return list(dict.fromkeys(found))


class _ClaimTerms:
    """What a claim must find in its support: content words (weighted by rarity), figures, names, negation."""

    def __init__(self, text: str, weights: dict[str, float]) -> None:
        self.text = text
        self.lower = normalise_figures(text).lower()
        self.terms = _stems(text)
        self.figures = set(figures_in(self.lower))
        self.names = set(names_in(text))
        self.negated = bool(_NEGATION.search(text))
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
                  headings: Sequence[str] = ()) -> Attribution:
        """`passages`: every passage the model saw (in whole or part); `sources`: the passages behind each [n] of
        the prompt, for the model's own markers (a hint, never a requirement); `headings`: lines of the prompt
        that are headings, not claims."""
        text, marks = clean_answer(answer)
        claims = split_claims(text, marks, len(sources), headings)
        units = units_of(passages)
        hinted = [{p.chunk.chunk_id for p in source} for source in sources]
        weights = _rarity(units)
        judgements = [Judgement(c) for c in claims]
        candidates: list[Judgement] = []
        for judgement in judgements:
            claim = judgement.claim
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
        claim = _ClaimTerms(judgement.claim.text, weights)

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
            if best is None or (not reason, coverage) > (not best[3], best[1]):
                best = (not reason, coverage, chosen, reason)
            if not reason and coverage >= self.lexical_enough:
                break
        assert best is not None
        _, judgement.coverage, judgement.units, judgement.reason = best

    def _cover(self, seed: Unit, units: list[Unit], claim: _ClaimTerms) -> tuple[list[Unit], float]:
        """`seed` and up to two more units, each adding what the claim has that the others lack."""
        chosen = [seed]
        share = claim.share(chosen)
        while len(chosen) < MAX_UNITS:
            covered = claim.covered(chosen)
            missing_hard = (claim.figures - covered) or {n for n in claim.names if not _named(n, chosen)}
            if share >= self.lexical_enough and not missing_hard:
                break
            # Next: the unit that adds most, preferring the chosen units' neighbours (a point that runs on).
            best, best_gain = None, 0.0
            for unit in units:
                if unit in chosen or not any(_has(unit, k) for k in claim.need if k not in covered):
                    continue
                near = any(unit.passage is c.passage and abs(unit.position - c.position) == 1 for c in chosen)
                gain = claim.share([*chosen, unit]) - share + (0.05 if near else 0.0)
                if any(_has(unit, f) for f in claim.figures - covered):
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
        if not all(any(figure_in_context(q, claim.lower, u.lower, around=joined) for u in chosen if q in u.lower)
                   for q in quantities(claim.lower)):
            return "a figure stands next to other words in the passage"
        unnamed = [n for n in claim.names if not _named(n, chosen)]
        if unnamed:
            return "a name is not in the passages: " + ", ".join(unnamed)
        if claim.negated and not any(u.negated for u in chosen):
            return "the passages do not say it in the negative"
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
        vectors = self._embed([j.claim.text for j in candidates] + [u.text for j in candidates for u in j.units])
        for judgement in candidates:
            claim_vec = vectors[judgement.claim.text]
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
    return _among(key, unit.stems)


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
