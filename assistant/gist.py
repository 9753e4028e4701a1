"""Which sentences of a section make its gist: the scoring that picks a few quotable sentences out of many.

`assistant.digest` finds what to summarise (a paper's main sections, or the one section on the question's topic)
and which of its sentences can be quoted at all; this module weighs those that can, kept apart because the weighing
is one concern with its own reasons (centrality, openings, figures, the question's topic, sentences that lean on
others) and grew past what digest.py could hold. A sentence is central when it shares many words with the rest of
its section; it counts for more when it carries figures, opens the section or a paragraph (papers state their point
first) or is close in meaning to the question's topic, and for less when its subject is something named before it
("However the approach needs …"). Picks share few words with each other, and a paragraph gives a second sentence only
after every paragraph has given one, so the gist covers the section rather than repeating itself.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from common.text import STOPWORDS, WEAK_WORDS, amounts, query_terms, stem
from common.types import Chunk
from vectorstore.embeddings import Embedder

COMMON_IN_SECTION = 0.4  # a word in more of a section's sentences than this share counts for none of them
PARAGRAPH_AGAIN = 0.5  # what a second sentence of a paragraph already quoted loses, while others have none quoted
PARAGRAPH_OPENING = 0.3  # what the first sentence of a paragraph gains
SECTION_OPENING = 0.4  # and the section's first: where it often states its verdict ("DCC is well placed to respond …")
# A sentence whose subject is something named before it: "However the approach needs to be much wider …" (the
# approach is the previous paragraph's "aspiration … to be more commercially minded"), "This rationalisation supports
# …", "Similar to other elements of corporate working, it is at an early stage …" (it: the workforce planning the
# sentence before names). Quoted alone it does not say what it is about, so it is a weaker quote than its neighbours;
# not excluded, as sentences that cannot stand alone at all are (digest.LEANS_BACK, "These relate to …"): "However, the
# evidence indicates a need for around 500 additional wheelchair user homes." still informs. Not "This report …", the
# paper naming itself, nor an "it" that stands for what follows ("it is clear that …", "It is important to …").
REFERS_BACK = re.compile(r"\s*(?:(?:However|Yet|So|Thus|Hence|Therefore|Nevertheless|Nonetheless|Instead|Similarly|"
                         r"Likewise|Equally|Again|Consequently),?\s+(?:the|this|that|these|those|such|its|their|they)\b|"
                         r"(?!This (?:report|paper|document)\b)(?:This|That|These|Those|Such)\s+[a-z]+\s+(?:is|are|was|"
                         r"were|has|have|had|will|would|can|could|should|may|might|must|needs?|\w+s)\b|"
                         r"(?:[A-Z][^,.;:]{0,80},\s*)?(?:It|it|they)\s+(?:is|are|was|were|has|have|had|will|would|remains?)\b"
                         r"(?!(?:\s+[\w-]+){0,3}?\s+(?:that|to|whether|if|how|for)\b))")
REFERS_BACK_COST = 0.4
# Thanks and acknowledgements ("Firstly, I would like to thank my fellow councillors …", "Many thanks to Tim Vincent and
# his team …"): courtesy, not what a report says happened; a chairman's report opens with them and they name people,
# so they would otherwise take the places of its news (a councillor's resignation, the new playground).
COURTESY = re.compile(r"\b(?:I|we)\s+(?:would|should|must|wish to|want to)\s+(?:also\s+)?(?:like\s+to\s+)?"
                      r"(?:thank|acknowledge|pay tribute)|\b(?:many|special|our|my) thanks\b|"
                      r"\bthanks? (?:go|goes) to\b|\b(?:we are|I am) (?:very )?grateful\b", re.IGNORECASE)
COURTESY_COST = 0.8
# What a sentence gains per unit of cosine similarity to the question's topic above the section's average (and loses
# below it). Raw similarity, not its spread in the section: a section all on the topic ("money situation" read in
# "Financial planning and viability") varies little and is read for its centrality; one with asides far from the topic
# ("… EDI requirements …" under "Reducing Wasteful Expenditure", asked about cutting wasteful spending) has them
# clearly below the rest. 3.0 moves a sentence 0.1 closer by about as much as a paragraph's opening gains.
TOPIC_CLOSENESS = 3.0


@dataclass
class Sentence:
    """A quotable sentence of a section: where it is in its chunk, and its place among the section's sentences."""
    chunk: Chunk
    start: int
    end: int
    order: int

    @property
    def text(self) -> str:
        return self.chunk.text[self.start:self.end]

    @property
    def opens_paragraph(self) -> bool:
        return not self.chunk.text[:self.start].strip(" \t") or self.chunk.text[:self.start].endswith("\n\n")

    @property
    def paragraph(self) -> tuple[int, int]:
        """Which paragraph of the paper it is in: its chunk, and the paragraph breaks before it there."""
        return self.chunk.seq, self.chunk.text.count("\n\n", 0, self.start)


def closeness(embedder: Embedder, sentences: list[Sentence], topic: list[str]) -> list[float] | None:
    """How close each sentence is in meaning to the topic's words ("cut wasteful spending"; not the whole question,
    whose council and paper every sentence of the paper shares), or None without a topic."""
    if not topic or not sentences:
        return None
    vectors = np.asarray(embedder.embed_documents([s.text for s in sentences]))
    return [float(x) for x in vectors @ np.asarray(embedder.embed_query(" ".join(topic)))]


def central(sentences: list[Sentence], count: int, topic: list[str], opening_kept: bool = False,
            near_topic: list[float] | None = None) -> list[Sentence]:
    """`count` sentences that together give the section's gist, in document order: each pick shares many
    words with the rest of the section (favouring figures, the opening sentence and the question's topic)
    but few with the sentences already picked, so the gist covers the section rather than repeating itself.
    `opening_kept`: the first sentence is one of them, whatever its merit. `near_topic`: each sentence's closeness
    in meaning to the question's topic (`closeness`), when the section is the answer to a question on a topic."""
    if not sentences:
        return []
    words = [{t for t in query_terms(s.text) if t not in STOPWORDS and t not in WEAK_WORDS and not t.isdigit()}
             for s in sentences]
    frequency = Counter(t for ws in words for t in ws)
    # A word in most of the section's sentences ("council" in a council's paper) says nothing of which is central.
    telling = {t: n - 1 for t, n in frequency.items() if n <= COMMON_IN_SECTION * len(sentences) or len(sentences) < 6}
    wanted = {stem(t) for t in topic}
    # The section is the answer to a question on its topic: what it says on that topic is its gist for the asker,
    # not its asides ("The Council's approach is to embed statutory EDI requirements …" asked about cutting waste).
    near = TOPIC_CLOSENESS * (np.asarray(near_topic) - np.mean(near_topic)) if near_topic else np.zeros(len(sentences))

    def merit(i: int) -> float:
        shared = sum(telling.get(t, 0) for t in words[i]) / (len(words[i]) + 5)
        # Sums are what a reader checks: a sentence giving more of them says more ("£263m, including £34m … £70m").
        figures = min(len(set(amounts(sentences[i].text))), 3) * 0.3 + 0.3 if amounts(sentences[i].text) else 0.0
        # The section's first sentence, and a paragraph's: papers state their point first, then explain it.
        opening = SECTION_OPENING if i == 0 else PARAGRAPH_OPENING if sentences[i].opens_paragraph else 0.0
        on_topic = sum(1 for t in wanted if t in sentences[i].text.lower()) / len(wanted) if wanted else 0.0
        leaning = REFERS_BACK_COST if REFERS_BACK.match(sentences[i].text) else 0.0
        courtesy = COURTESY_COST if COURTESY.search(sentences[i].text) else 0.0
        return shared + figures + opening + on_topic + float(near[i]) - leaning - courtesy

    base = [merit(i) for i in range(len(sentences))]
    # (The opening kept is the first statement that is no courtesy: "Firstly, I would like to thank …" says nothing.)
    opening = next((i for i, s in enumerate(sentences) if not COURTESY.search(s.text)), 0)
    picked: list[int] = [opening] if opening_kept else []
    covered: set[str] = set(words[opening]) if picked else set()
    # (The opening states the section's point, not its first paragraph's: that paragraph still makes its own.)
    paragraphs: set[tuple[int, int]] = set()
    every_paragraph = len({s.paragraph for s in sentences})
    while len(picked) < min(count, len(sentences)):
        # A paragraph makes one point: its second sentence comes after every paragraph has given one.
        again = len(paragraphs) < every_paragraph
        gains = {i: base[i] - 0.8 * len(words[i] & covered) / (len(words[i]) or 1)
                 - (PARAGRAPH_AGAIN if again and sentences[i].paragraph in paragraphs else 0.0)
                 for i in range(len(sentences)) if i not in picked}
        best = max(gains, key=gains.__getitem__)
        picked.append(best)
        covered |= words[best]
        paragraphs.add(sentences[best].paragraph)
    return [sentences[i] for i in sorted(picked)]
