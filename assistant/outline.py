"""Whole lists read from a paper's structure.

"List the key recommendations of the 2018 peer challenge" wants the list itself, complete and in the
paper's numbering, not the five passages most like the question. Lists come from what ingestion stored
(ingest.structure): list items with their labels, nesting and lead-in, and the section tree. Every
item is located in a chunk, so each one is cited and checked like any other quote. (Summaries, the
other answer read from structure, are in assistant.digest.)
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from assistant.catalogue import distinctive_words
from assistant.cues import flat_words
from assistant.digest import bare
from assistant.minutes import RESOLUTION_LEAD, Minutes
from assistant.question import QuestionAnalysis
from assistant.types import Evidence, EvidenceGroup, Passage, Retrieval
from common.text import WEAK_WORDS, last_heading, normalise_ws, query_terms, split_sentences, stem, uncut
from common.types import DocumentRecord, ListItem, Section
from vectorstore.embeddings import Embedder
from vectorstore.sqlite_index import SqliteIndex

# Words that qualify a list without saying which one ("the five key recommendations").
GENERIC_WORDS = frozenset("""key main principal major top all new five four three six seven eight nine ten two one
    first latest current overall important biggest various different set""".split())
MAX_LIST_ITEMS = 40
_DECISIONS = stem("decisions")
# A list is what the question asks for when its heading and lead-in are at least this close to it in meaning.
MEANING_FLOOR = 0.4
# … and at least this close when its heading and lead-in neither name what is asked for nor hold a word of the question.
MEANING_ALONE = 0.55
# One paper named this strongly, and every other at most this, is the only paper whose lists are looked at.
FAR_AHEAD_BEST = 0.9
FAR_AHEAD_NEXT = 0.3
# "Thematic Area 1: Transformation", "Priority 2 – …", "Outcome 3. …": a numbered heading and its stem.
_NUMBERED_HEADING = re.compile(r"^(?P<stem>[A-Za-z][A-Za-z ]{2,40}?)\s+(?:\d{1,2}|[IVX]{1,4})\s*[:.–-]\s*\S")
_TOPIC = re.compile(r"\b(?:about|on|regarding|concerning|relating to|in relation to|around|for)\s+(?:the\s+)?"
                    r"((?:[\w'’-]+\s*){1,6}?)\s*(?:\?|$|,|\bin (?:19|20)\d\d\b)", re.IGNORECASE)
# "Which of the peer team were councillors?": what the items picked are.
_PICKED_AS = re.compile(r"\bwhich of\b[^?]*\b(?:is|are|was|were)\s+(?:an?\s+|the\s+)?((?:[\w'’-]+\s*){1,4}?)"
                        r"\s*(?:\?|$)", re.IGNORECASE)
# A list item is on a topic named in other words when this close to it, and clearly closer than any other item.
TOPIC_MATCH = 0.3
TOPIC_MARGIN = 0.08
_FIRST_SENTENCE_OVER = 45  # words: a longer item is quoted up to the end of its first sentence



@dataclass
class FoundList:
    doc: DocumentRecord
    items: list[ListItem]
    score: float

    @property
    def heading(self) -> str:
        lead = self.items[0].lead_in
        return lead or last_heading(self.items[0].section)


class Outline:
    """Lists and sections of the indexed papers, looked up for a question."""

    def __init__(self, sqlite: SqliteIndex, embedder: Embedder) -> None:
        self.sqlite = sqlite
        self.embedder = embedder
        self.minutes = Minutes(sqlite)
        # What each list is about (its heading and lead-in), embedded once per version of its paper.
        self._label_vectors: dict[tuple[str, float, str], np.ndarray] = {}

    # --- lists -------------------------------------------------------------------------------
    def find_list(self, analysis: QuestionAnalysis, query: str, docs: dict[str, DocumentRecord],
                  retrieval: Retrieval, allowed: set[str] | None) -> FoundList | None:
        """The list the question asks for: its heading and lead-in mean what is asked ("the key
        recommendations", "'Super Six' pledges"), in the paper the question names or where the best passages
        are. `query` is the question without the words that only name a paper."""
        hit_chunks = {p.chunk.chunk_id: 1.0 / (1 + rank) for rank, p in enumerate(retrieval.passages[:5])}
        hit_docs: dict[str, float] = defaultdict(float)
        for rank, p in enumerate(retrieval.passages[:5]):
            hit_docs[p.chunk.doc_id] = max(hit_docs[p.chunk.doc_id], 1.0 / (1 + rank))
        candidates = set(analysis.doc_weights) | set(hit_docs) | {d for d in docs if docs[d].council in
                                                                  analysis.councils}
        if allowed is not None:
            candidates &= allowed
        noun = stem(analysis.list_noun) if analysis.list_noun else ""
        wanted = [t for t in analysis.terms if t not in GENERIC_WORDS and stem(t) != noun]
        pools = _pools(analysis, candidates, docs, hit_docs)
        for pool in pools:
            found = self._best_list(analysis, query, [d for d in pool if d in docs], docs, noun, wanted, hit_chunks,
                                    hit_docs)
            if found is not None:
                return found
        return None

    def _best_list(self, analysis: QuestionAnalysis, query: str, doc_ids: list[str], docs: dict[str, DocumentRecord],
                   noun: str, wanted: list[str], hit_chunks: dict[str, float], hit_docs: dict[str, float]
                   ) -> FoundList | None:
        lists = [(docs[d], items) for d in doc_ids for items in self._lists_of(d)]
        if not lists:
            return None
        question = np.asarray(self.embedder.embed_query(query))
        aside = [t for t in query_terms(analysis.set_aside) if t not in WEAK_WORDS]
        best: FoundList | None = None
        for (doc, items), label in zip(lists, self._labels(lists), strict=True):
            meaning = float(label @ question)
            label_text = list_label(items)
            # "What did Cabinet resolve on …": the decisions are the list a minute leads in with "RESOLVED that …".
            # So does a list whose lead-in the question quotes ("the 'much to do' list": "There is much to do:").
            named = bool(noun) and (noun in label_text or noun == _DECISIONS and bool(
                RESOLUTION_LEAD.match(items[0].lead_in))) or any(q in flat_words(label_text) for q in analysis.quoted)
            if meaning < MEANING_FLOOR and not (named and meaning >= MEANING_FLOOR - 0.1):
                continue  # the paper may be right, the list is not what was asked for
            counted = bool(analysis.list_count) and sum(1 for i in items if i.depth == 0) == analysis.list_count
            if not (named or counted) and wanted and not any(stem(t) in label_text for t in wanted) \
                    and meaning < MEANING_ALONE:
                continue  # close in meaning only: "key achievements" for "the biggest risks to its finances"
            score = 3.0 * meaning + (1.0 if named else 0.0) + _relevance(items, label_text, wanted, hit_chunks) \
                + _scope(analysis, doc, hit_docs)
            if doc.document_type == "Minutes":
                score += 0.5 if analysis.asks_record else -0.5
                if noun == _DECISIONS and not any(RESOLUTION_LEAD.match(t) for i in items for t in (i.lead_in, i.text)):
                    score -= 1.0  # the decisions asked for are what was resolved, not a motion or what was noted
            if _puts_aside(label_text, aside):
                score -= 1.5  # "apart from the usual core questions": the list of core questions is not asked for
            if counted:
                score += 1.0  # "the five key outcomes": a list of five is more likely the one than one of 33
            if best is None or score > best.score:
                best = FoundList(doc, items, score)
        return best

    def _labels(self, lists: list[tuple[DocumentRecord, list[ListItem]]]) -> list[np.ndarray]:
        """The embedding of each list's heading and lead-in (cached per version of its paper)."""
        keys = [(doc.doc_id, doc.ingested_at, f"{items[0].list_no}:{items[0].ord}:{items[0].lead_in[:40]}")
                for doc, items in lists]
        todo = [(key, list_label(items)) for key, (_, items) in zip(keys, lists, strict=True)
                if key not in self._label_vectors]
        if todo:
            vectors = self.embedder.embed_documents([text for _, text in todo])
            self._label_vectors.update({key: np.asarray(v) for (key, _), v in zip(todo, vectors, strict=True)})
        return [self._label_vectors[key] for key in keys]

    def _lists_of(self, doc_id: str) -> list[list[ListItem]]:
        """Every list of a paper: its numbered and bulleted lists, the sub-items of each item (a list of
        their own, introduced by the item: "This needs to address two fundamental issues:"), and runs of
        sibling headings that number the paper's parts ("Thematic Area 1: …", "Thematic Area 2: …")."""
        stored = self.stored_lists(doc_id)
        lists = list(stored)
        for items in stored:
            for group in with_children(items):
                children = [i for i in group[1:] if i.depth == group[0].depth + 1]
                if len(children) >= 2:
                    lead = group[0].text
                    lists.append([replace(c, depth=0, lead_in=lead) for c in children])
        lists.extend(self._heading_lists(doc_id))
        return lists

    def stored_lists(self, doc_id: str) -> list[list[ListItem]]:
        """The paper's numbered and bulleted lists as ingestion stored them, each in order."""
        by_list: dict[int, list[ListItem]] = defaultdict(list)
        for item in self.sqlite.list_items(doc_id):
            by_list[item.list_no].append(item)
        return list(by_list.values())

    def _heading_lists(self, doc_id: str) -> list[list[ListItem]]:
        """Sibling headings sharing a numbered stem ("Thematic Area 1: Transformation", "… 2: Digital") as a
        list whose items are the headings, located in the chunk each section starts with."""
        sections = self.sqlite.sections(doc_id)
        runs: dict[tuple[int, str], list[Section]] = defaultdict(list)
        for section in sections:
            match = _NUMBERED_HEADING.match(bare(section.heading))
            if match:
                runs[(section.level, match.group("stem").lower())].append(section)
        lists = []
        for (_, heading_stem), run in runs.items():
            if len(run) < 2:
                continue
            by_seq = {c.seq: c for c in self.sqlite.chunks_of(doc_id, run[0].seq_start, run[-1].seq_end)}
            parent = run[0].path.rsplit(" > ", 1)[0] if " > " in run[0].path else ""
            items = []
            for n, section in enumerate(run):
                chunk = by_seq.get(section.seq_start)
                words = uncut(section.heading)
                start = chunk.text.find(words) if chunk else -1
                if chunk is None or start < 0:
                    continue
                items.append(ListItem(doc_id, n, -1, parent, "", 0, -1, words, section.page_start,
                                      chunk.chunk_id, start, start + len(words), heading_stem))
            if len(items) >= 2:
                lists.append(items)
        return lists

    def list_introduced_by(self, sentence: Evidence) -> FoundList | None:
        """The list whose lead-in is this sentence ("…made a commitment to 'Super Six' pledges:"), if any."""
        wanted = normalise_ws(sentence.text)
        doc = sentence.passage.doc
        # Also a list nested in the item that introduces it ("1.2 The key aims of the study were to:" over its
        # bullets): its sub-items are a list of their own, led in by the item.
        for items in self._lists_of(doc.doc_id):
            led_in = [i for i in items if i.lead_in and normalise_ws(i.lead_in).endswith(wanted)]
            if led_in:
                return FoundList(doc, led_in, 1.0)
        # Or the items under an item that ends in a colon ("6. Following the debate, the Scrutiny Committee
        # unanimously agreed the following motion:" over its one "a. That implementation … be postponed …").
        wanted = bare(wanted)
        if not wanted.endswith(":"):
            return None
        for items in self._lists_of(doc.doc_id):
            for n, item in enumerate(items):
                if normalise_ws(item.text).endswith(wanted):
                    under = []
                    for after in items[n + 1:]:
                        if after.depth <= item.depth:
                            break
                        under.append(after)
                    if under:
                        return FoundList(doc, under, 1.0)
        return None

    def list_group(self, found: FoundList, analysis: QuestionAnalysis, heading: str | None = None) -> EvidenceGroup:
        """The list as evidence: top-level items (up to their first sentence when long) with their sub-items,
        or only the items on the question's topic when it narrows the list ("recommended about finance").
        `heading` names the group instead of the list's lead-in."""
        items = found.items
        label_text = (items[0].section + " " + items[0].lead_in).lower()
        topic = [t for t in query_terms(topic_phrase(analysis.text)) if t in analysis.terms and t not in GENERIC_WORDS
                 and not _word_of(t, label_text)]
        if topic:
            tops = with_children(items)
            matching = [group for group in tops if any(_word_of(t, _spelt_out(" ".join(i.text for i in group)))
                                                       for t in topic)]
            if not matching:
                matching = self._closest_in_meaning(tops, " ".join(topic))
            if matching and len(matching) < len(tops):
                items = [i for group in matching for i in group]
        chunks = self.sqlite.get_chunks({i.chunk_id for i in items})
        decided = found.doc.document_type == "Minutes" and any(
            RESOLUTION_LEAD.match(text) for text in (items[0].lead_in, items[0].text))
        group = EvidenceGroup(found.heading if heading is None else heading, found.doc)
        for item in items[:MAX_LIST_ITEMS]:
            chunk = chunks.get(item.chunk_id)
            if chunk is None:
                continue
            passage = Passage(chunk, found.doc, found.score)
            # A decision is quoted whole ("RESOLVED that the County Council makes comments … In particular, the
            # Council urges …"): its second sentence is part of what was decided, not a headline's gloss.
            end = item.end if decided else _first_sentence_end(chunk.text, item.start, item.end)
            group.items.append(Evidence(passage, 0, item.start, end, chunk.text[item.start:end],
                                        score=found.score, label=item.label, depth=item.depth))
        if len(items) > MAX_LIST_ITEMS:
            group.note = f"The list goes on for {len(items) - MAX_LIST_ITEMS} more items in the paper."
        return group


    def _closest_in_meaning(self, tops: list[list[ListItem]], topic: str) -> list[list[ListItem]]:
        """The one item a topic names in other words ("cleanliness" for "Making Derby the cleanest English city"):
        the item closest to it in meaning, when it is close and clearly closer than every other; else none."""
        if len(tops) < 2:
            return []
        vectors = np.asarray(self.embedder.embed_documents([" ".join(i.text for i in group) for group in tops]))
        similarity = vectors @ np.asarray(self.embedder.embed_query(topic))
        order = np.argsort(-similarity)
        best, runner_up = float(similarity[order[0]]), float(similarity[order[1]])
        return [tops[int(order[0])]] if best >= TOPIC_MATCH and best - runner_up >= TOPIC_MARGIN else []


def _pools(analysis: QuestionAnalysis, candidates: set[str], docs: dict[str, DocumentRecord],
           hit_docs: dict[str, float]) -> list[list[str]]:
    """The papers to look for the list in, in turn. A paper the question names is searched first; the others only
    when it has no such list and the question does not name it beyond doubt, nor a council the list must be of
    ("Broxbourne's Local Development Scheme": not another council's list). What a meeting resolved is in its
    minutes, when the search found them: before the report that proposed it."""
    candidates = {d for d in candidates if d in docs}
    named = [d for d in analysis.named_docs if d in candidates]
    councils = {doc.council for doc in docs.values()}
    own = sorted(d for d in candidates if docs[d].council in analysis.councils
                 and _told_apart(docs[d].council, councils))
    # (Papers named by their date, "… in February 2025", are the meeting's: another paper's list is not its record.)
    dated = bool(named) and all(analysis.dated_as_asked(docs[d].date) for d in named)
    if named and (set(analysis.clearly_named_docs) & set(named) or _far_ahead(analysis) or dated):
        pools = [named]
    elif own:
        pools = [[d for d in named if d in own], own]
    else:
        pools = [named, sorted(candidates)]
    if analysis.asks_record:
        minutes = [d for d in sorted(hit_docs, key=lambda d: -hit_docs[d])
                   if d in candidates and docs[d].document_type == "Minutes"]
        if analysis.councils:
            # The minutes of the council asked about ("What did Souldern Parish Council decide …"), not another
            # council's that the search found: those the search found first, else all of that council's.
            minutes = [d for d in minutes if docs[d].council in analysis.councils] or sorted(
                d for d in candidates if docs[d].document_type == "Minutes" and docs[d].council in analysis.councils)
        pools = [minutes, *pools]
    return [pool for pool in pools if pool]


def _far_ahead(analysis: QuestionAnalysis) -> bool:
    """Whether one paper is named far more strongly than any other ("the Seashells and Millmead family hubs": the
    call-in report's title at 1.0, the next paper at 0.06): a list of another paper is not what was asked for."""
    weights = sorted(analysis.doc_weights.values(), reverse=True)
    return bool(weights) and weights[0] >= FAR_AHEAD_BEST and (len(weights) == 1 or weights[1] <= FAR_AHEAD_NEXT)


def _told_apart(council: str, councils: set[str]) -> bool:
    """Whether a council's name, said short, names no other council of the index ("Broxbourne's" does; "Derbyshire"
    could be the county or Derbyshire Dales)."""
    words = set(distinctive_words(council))
    return bool(words) and not any(o != council and words <= set(distinctive_words(o)) for o in councils)


def _word_of(term: str, text: str) -> bool:
    """Whether `text` uses `term` or a word of its family ("financial" for "finance"), not a shorter word it
    starts with ("council" is not "councillors")."""
    bare_term = term.rstrip("s")
    return any(stem(w) == stem(term) and not (len(bare_term) > len(w.rstrip("s")) + 2 and bare_term.startswith(w))
               for w in re.findall(r"\w+", text))


def _spelt_out(text: str) -> str:
    """An item's words lower-cased, with the titles papers shorten written out ("Cllr Phil Davies": a councillor)."""
    return _CLLR.sub("councillor", text).lower()


_CLLR = re.compile(r"\bCllrs?\b\.?")


def list_label(items: list[ListItem]) -> str:
    """What a list says it is: its section's heading and its lead-in."""
    return " ".join([last_heading(items[0].section), items[0].lead_in]).strip().lower()


def _puts_aside(label_text: str, aside: list[str]) -> bool:
    """Whether a list is what the question puts aside: its heading and lead-in hold most of the clause's words."""
    return bool(aside) and sum(1 for t in aside if stem(t) in label_text) >= max(1, (len(aside) + 1) // 2)


def _relevance(items: list[ListItem], label_text: str, wanted: list[str], hit_chunks: dict[str, float]) -> float:
    """Further signs a list is the one asked for: its heading, lead-in and items hold the question's words,
    the best passages are in it; one item is not a list."""
    body = " ".join(i.text for i in items).lower()
    score = 0.0
    if wanted:
        score += 1.0 * sum(1 for t in wanted if stem(t) in label_text) / len(wanted)
        score += 0.5 * sum(1 for t in wanted if stem(t) in body) / len(wanted)
    score += max((hit_chunks.get(i.chunk_id, 0.0) for i in items), default=0.0)
    if len([i for i in items if i.depth == 0]) < 2:
        score -= 1.0
    return score


def _scope(analysis: QuestionAnalysis, doc: DocumentRecord, hit_docs: dict[str, float]) -> float:
    """How much the question is about this paper: it names it, its council, or the best passages are in it."""
    score = 1.5 * analysis.doc_weights.get(doc.doc_id, 0.0) + 0.5 * hit_docs.get(doc.doc_id, 0.0)
    if analysis.councils and doc.council in analysis.councils:
        score += 0.5
    return score


def topic_phrase(question: str) -> str:
    """What a list question narrows to: "…recommend about finance?" -> "finance" ("" when it does not)."""
    match = _TOPIC.search(question) or _PICKED_AS.search(question)
    return match.group(1) if match else ""


def with_children(items: list[ListItem]) -> list[list[ListItem]]:
    groups: list[list[ListItem]] = []
    for item in items:
        if item.depth == 0 or not groups:
            groups.append([item])
        else:
            groups[-1].append(item)
    return groups


def _first_sentence_end(text: str, start: int, end: int) -> int:
    """A long item is quoted up to the end of its first sentence (its headline); a short one whole."""
    span = text[start:end]
    if len(span.split()) <= _FIRST_SENTENCE_OVER:
        return end
    sentences = split_sentences(span)
    return start + sentences[0][1] if sentences else end


