"""What minutes record: the decisions taken on each item, the recorded votes, and the motions put to them.

Minutes print a decision as "RESOLVED that Cabinet agree to:" with lettered decisions under it, as "5) RESOLVED
that:" followed by paragraphs, or in one line; a recorded vote as counts ("For (57)", "Against (0)") each followed
by the names it counts. Both are read from what ingestion stored (list items and chunks), so every part is quoted
and cited like any other passage. (assistant.outline finds the list a question asks for; this module reads these
two shapes of it.) A motion or amendment put to the vote is read as minutes print it: "(11) Mr Hood proposed, and
Mr Lewis seconded the following amendment:", what it proposed, "(12) … the Chairman put to the vote the amendment
set out in paragraph 11 above and the voting was as follows:", the counts, and "Amendment lost.".
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.types import Evidence, EvidenceGroup, Passage
from common.text import COUNT_LABEL, LIST_LABEL, query_terms, split_sentences, stem
from common.types import Chunk, DocumentRecord, ListItem
from vectorstore.sqlite_index import SqliteIndex

# How minutes lead in the decisions taken: "RESOLVED that Cabinet agree to:", "It was AGREED that:".
RESOLUTION_LEAD = re.compile(r"\s*(?:it was\s+)?(?:resolved|agreed|decided)\b", re.IGNORECASE)
# Words that ask what a meeting decided, not what about ("What decisions did the Cabinet take at its meeting …").
DECISION_WORDS = frozenset(stem(w) for w in """resolve resolved resolution resolutions decide decided decision
    decisions agree agreed take taken make made meeting""".split())
PARAGRAPH = re.compile(r"\S[^\n]*(?:\n(?!\n)[^\n]*)*")  # a run of lines up to a blank line
_FEW_NAMES = 400  # a count's names are quoted with it up to this many characters ("Abstain (2) Mr B Lewis, …")
_DECISION_PARAGRAPHS = 6
# "(12) Following the debate, the Chairman put to the vote the amendment set out in paragraph 11 above and the voting
# was as follows:", "(3) The Chairman put the motion set out in paragraph 2 to the vote and the voting was …:", and
# "7) Following the debate, the Chairman put the substantive motion to the vote and …:" (no paragraph to point at).
VOTE_PUT = re.compile(r"\bput\b.{0,80}?\b(?P<kind>amendment|motion)\b(?:.{0,120}?\bparagraph\s+(?P<para>\d+)\b)?"
                      r".*\bvot\w*\b.*:\s*$", re.IGNORECASE | re.DOTALL)
OUTCOME = re.compile(r"\b(?:(?:substantive\s+)?motion|amendment)\s+(?P<result>lost|carried|agreed|defeated|fell|"
                     r"withdrawn)\b\.?", re.IGNORECASE)
LOST = frozenset({"lost", "defeated", "fell"})
# A minute's numbered paragraph ("(19) Mr Passmore proposed …", "2) Mr Holden proposed …").
_NUMBERED = re.compile(r"(?:^|\n)\s*(?:\(\d+\)|\d+\))\s")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Cllr|Councillor)\b")
# How minutes record a decision in a sentence of the minute itself, as a parish council's do, with no "RESOLVED that:"
# list: "JH proposed HD seconded and it was RESOLVED to co-opt both Kate and Rob.", "It was agreed to accept the price
# increase for 25/26.", "The following accounts were approved for payment:". Not one taken before ("as previously
# agreed", "It was previously agreed that …").
DECIDED_IN_SENTENCE = re.compile(r"\bRESOLVED\b|(?i:\bit\s+(?:was|has\s+been|had\s+been)\s+(?:unanimously\s+)?"
                                 r"(?:resolved|agreed|decided)\b|\b(?:was|were|has\s+been|have\s+been)\s+"
                                 r"(?:unanimously\s+)?(?:approved|adopted)\b)")
# ("… once it has been decided where our priorities lie": not decided yet.)
_NOT_TAKEN = re.compile(r"\bpreviously\b|\b(?:once|until|unless|if|when|whether)\s+(?:it|they)\b", re.IGNORECASE)
# A minute's number where its paragraph starts: "02.25.07 Co-option of Councillor …", "90. 24/00109 - …", "(3) …".
MINUTE_NUMBER = re.compile(r"\s*(\d{1,2}\.\d{2}\.\d{1,3}|\d{1,3}\.(?:\d{1,2}\.?)?|\(\d{1,3}\))\s")
MOTION_NOUNS = frozenset({"amendments", "motions"})  # lists of what minutes record as put to the vote
# Words a question uses for what happened to a motion ("Which amendments were rejected?").
_LOST_ASKED = re.compile(r"\b(?:lost|reject(?:ed)?|defeated|fell|failed|voted down|turned down)\b", re.IGNORECASE)
_CARRIED_ASKED = re.compile(r"\b(?:carried|pass(?:ed)?|agreed?|approved?|accept(?:ed)?|adopt(?:ed)?)\b", re.IGNORECASE)


def _paragraphs_in(head: ListItem, chunk: Chunk, offset: int, most: int) -> tuple[list[ListItem], bool]:
    """The paragraphs of `chunk` from `offset` that `head` introduces, and whether they ended before the chunk did
    (at the minute's next paragraph, "9) …" after "8) RESOLVED that Council:", or at `most`)."""
    items: list[ListItem] = []
    for match in PARAGRAPH.finditer(chunk.text, offset):
        label = LIST_LABEL.match(match.group())
        if len(items) == most or label and _follows(head.label, label.group().strip()):
            return items, True
        start = match.start() + (label.end() if label else 0)
        items.append(replace(head, label=label.group().strip() if label else "", depth=0, lead_in=head.text,
                             text=chunk.text[start:match.end()], chunk_id=chunk.chunk_id,
                             page=chunk.page_at(start), start=start, end=match.end()))
    return items, False


def item_heading(section: str) -> str:
    """The agenda item a minute is under: the deepest numbered heading of its section path ("90. 24/00109 - Transfer
    of the 18-25 section …", not "Social Care and Health Directorate", the rest of that title wrapped onto a line of
    its own); the last heading when none is numbered."""
    parts = [p.strip() for p in section.split(" > ") if p.strip()]
    numbered = [p for p in parts if re.match(r"\d+[.)]?\s", p)]
    return numbered[-1] if numbered else (parts[-1] if parts else "")


def _decided_items(head: ListItem, rest: list[ListItem]) -> list[ListItem]:
    """The items under a resolution, as a list of its own. An item lettered like the first ("d)" after "A) … b) …
    c) …", which a page's layout set deeper) is one of them, not a sub-item."""
    if not rest:
        return []
    shape = _label_shape(rest[0].label)
    base = rest[0].depth
    return [replace(c, depth=0 if _label_shape(c.label) == shape else max(c.depth - base, 0), lead_in=head.text)
            for c in rest if c.depth >= base]


def _label_shape(label: str) -> str:
    """"A)" and "d)" are one kind of label, "(ii)" and "(iv)" another, "1." and "12." a third."""
    return re.sub(r"[a-z]+", "a", re.sub(r"\d+", "0", label.lower())) if label else ""


def _follows(label: str, other: str) -> bool:
    """Whether `other` numbers a later paragraph of the same run as `label` ("9)" after "8)"; not "1." after "8)")."""
    shape, other_shape = re.sub(r"\d+", "0", label), re.sub(r"\d+", "0", other)
    numbers, other_numbers = re.findall(r"\d+", label), re.findall(r"\d+", other)
    return bool(numbers and other_numbers) and shape == other_shape and int(other_numbers[0]) > int(numbers[0])


class Minutes:
    """Decisions and recorded votes, read from a paper's stored structure."""

    def __init__(self, sqlite: SqliteIndex) -> None:
        self.sqlite = sqlite

    def decisions(self, groups: list[list[ListItem]]) -> list[list[ListItem]]:
        """The decisions among a paper's list items (each group an item with its sub-items), in page order:
        "4. RESOLVED that Cabinet agree to:" with its lettered decisions, "5) RESOLVED that:" with the paragraphs
        after it, or one decision in a line ("3) RESOLVED that Council endorses the report.")."""
        heads = [(head, rest) for head, *rest in groups if RESOLUTION_LEAD.match(head.text)]
        chunks = self.sqlite.get_chunks({head.chunk_id for head, _ in heads})
        decisions = []
        for head, rest in heads:
            children = _decided_items(head, rest)
            chunk = chunks.get(head.chunk_id)
            if not children and head.text.rstrip().endswith(":") and chunk is not None:
                children = self._paragraphs_after(head, chunk)
            decisions.append(children or [head])
        decisions.sort(key=lambda items: (items[0].page, items[0].ord))
        return decisions

    def decided_in_sentences(self, doc_id: str) -> list[EvidenceGroup]:
        """The decisions minutes record in their own sentences (`DECIDED_IN_SENTENCE`), each minute's under its
        number ("Minute 02.25.07"; a minute without one under the last numbered one before it, or its heading), in
        order. Empty for minutes that print their decisions as "RESOLVED that:" lists, which `decisions` reads."""
        doc = self.sqlite.get_document(doc_id)
        if doc is None or any(RESOLUTION_LEAD.match(i.text) for i in self.sqlite.list_items(doc_id)):
            return []
        groups: dict[str, EvidenceGroup] = {}
        minute = ""
        for chunk in self.sqlite.chunks_of(doc_id):
            for paragraph in PARAGRAPH.finditer(chunk.text):
                number = MINUTE_NUMBER.match(paragraph.group())
                minute = f"Minute {number.group(1).rstrip('.')}" if number else minute or item_heading(chunk.section)
                for start, end in split_sentences(paragraph.group()):
                    text = paragraph.group()[start:end]
                    found = DECIDED_IN_SENTENCE.search(text)
                    if found is None or _NOT_TAKEN.search(text[:found.end()]):
                        continue
                    at = paragraph.start() + start
                    group = groups.setdefault(minute, EvidenceGroup(minute, doc))
                    group.items.append(Evidence(Passage(chunk, doc, 1.0), 0, at, at + len(text), text))
        return list(groups.values())

    def _paragraphs_after(self, head: ListItem, chunk: Chunk) -> list[ListItem]:
        """The paragraphs a lead-in with no list items introduces ("8) RESOLVED that Council:" then "1. Notes with
        thanks …", "2. Comments on …"), as items; read on into the next passage when they run to its end."""
        items, ended = _paragraphs_in(head, chunk, head.end, _DECISION_PARAGRAPHS)
        if not ended and len(items) < _DECISION_PARAGRAPHS:
            for following in self.sqlite.chunks_of(chunk.doc_id, chunk.seq + 1, chunk.seq + 1):
                if item_heading(following.section) == item_heading(chunk.section):  # not the next item's minute
                    items += _paragraphs_in(head, following, 0, _DECISION_PARAGRAPHS - len(items))[0]
        return items

    def recorded_vote_after(self, sentence: Evidence) -> EvidenceGroup | None:
        """The recorded vote a sentence introduces ("…the voting was as follows:"), as minutes print it: each count
        ("For (57)", "Against (0)", "Abstain (2)") with the names it counts when they are few; None when what
        follows the sentence is not a count."""
        chunk, doc = sentence.passage.chunk, sentence.passage.doc
        group = EvidenceGroup(sentence.text.strip(), doc)
        after_label = False
        for part in self.sqlite.chunks_of(doc.doc_id, chunk.seq, chunk.seq + 2):
            offset = sentence.end if part.chunk_id == chunk.chunk_id else 0
            for match in PARAGRAPH.finditer(part.text, offset):
                start, end, text = match.start(), match.end(), match.group(0)
                if COUNT_LABEL.match(text):
                    group.items.append(Evidence(Passage(part, doc, 1.0), 0, start, end, text))
                    after_label = True
                elif after_label and group.items:
                    label = group.items[-1]
                    if label.passage.chunk.chunk_id == part.chunk_id and end - label.start <= _FEW_NAMES:
                        group.items[-1] = replace(label, end=end, text=part.text[label.start:end])
                    after_label = False
                elif group.items and _names_only(text):
                    continue  # a count's long list of names, broken by the page: the next count follows
                else:
                    return group if group.items else None
        return group if group.items else None

    def recorded_vote_of(self, count: Evidence) -> EvidenceGroup | None:
        """The whole recorded vote a quoted count belongs to ("Abstain (2) Mr B Lewis, Mr D Ross" is one count of
        "…the voting was as follows: For (57) … Against (0) … Abstain (2) …"), found from the paragraph introducing
        it in the count's chunk or the two before; None when no such paragraph is found."""
        chunk, doc = count.passage.chunk, count.passage.doc
        for part in reversed(self.sqlite.chunks_of(doc.doc_id, max(chunk.seq - 2, 0), chunk.seq)):
            limit = count.start if part.chunk_id == chunk.chunk_id else len(part.text)
            paragraphs = list(PARAGRAPH.finditer(part.text, 0, limit))
            for match in reversed(paragraphs):
                if match.group(0).rstrip().endswith(":"):
                    intro = Evidence(Passage(part, doc, 1.0), 0, match.start(), match.end(), match.group(0))
                    vote = self.recorded_vote_after(intro)
                    counted = vote is not None and any(i.passage.chunk.chunk_id == chunk.chunk_id
                                                       and i.start == count.start for i in vote.items)
                    return vote if counted else None
        return None

    def motions_voted(self, doc_id: str, kind: str | None = None) -> list[EvidenceGroup]:
        """Every motion and amendment a paper's minutes put to the vote, in order: each a group headed by who
        proposed it ("(11) Mr Hood proposed, and Mr Lewis seconded the following amendment:"), with the first
        sentence of what it proposed, the counts and the outcome ("Amendment lost.") as items. Only the amendments
        when `kind` is "amendment" (as the minutes put it to the vote: "put to the vote the amendment set out …")."""
        doc = self.sqlite.get_document(doc_id)
        if doc is None:
            return []
        chunks = self.sqlite.chunks_of(doc_id)
        groups = []
        for at, chunk in enumerate(chunks):
            for match in PARAGRAPH.finditer(chunk.text):
                put = VOTE_PUT.search(match.group())
                if put is None or kind is not None and put.group("kind").lower() != kind:
                    continue
                intro = Evidence(Passage(chunk, doc, 1.0), 0, match.start(), match.end(), match.group())
                vote = self.recorded_vote_after(intro)
                if vote is None:
                    continue
                # (A part of a motion put on its own, "put part 4 of the substantive motion at paragraph 2", is
                # headed by what was put, not by the whole motion's proposal.)
                whole = not re.search(r"\bparts?\s+\w+\s+of\b", match.group(), re.IGNORECASE)
                para = put.group("para")
                proposal = _proposal(chunks[:at + 1], para, chunk, match.start(), doc) if whole and para else []
                group = EvidenceGroup(proposal[0].text if proposal else intro.text, doc)
                group.items = [*proposal[1:], *vote.items]
                last = vote.items[-1]
                outcome = _outcome_after(chunks[at:at + 3], last)
                if outcome is not None and not (outcome.passage.chunk.chunk_id == last.passage.chunk.chunk_id
                                                and outcome.end <= last.end):
                    group.items.append(outcome)  # (not when quoted already, after the last count's few names)
                groups.append(group)
        return groups


# Share of a question's words for what was decided or voted on that a minute must hold to be the one asked about.
ON_SUBJECT = 2 / 3


def subject_words(terms: list[str], doc: DocumentRecord) -> list[str]:
    """The question's words for what a decision is about: not those naming the meeting's minutes ("Minutes of the
    Cabinet meeting, 30 January 2025", its council and committee), words for deciding, or numbers."""
    meeting = set(query_terms(" ".join([doc.title, doc.council, doc.committee])))
    return [t for t in terms if t not in meeting and stem(t) not in DECISION_WORDS and not t.isdigit()]


def outcome_asked(question: str) -> bool | None:
    """Whether a question asks for the motions lost (True), those carried (False), or all of them (None)."""
    lost, carried = bool(_LOST_ASKED.search(question)), bool(_CARRIED_ASKED.search(question))
    return lost if lost != carried else None


def outcome_of(group: EvidenceGroup) -> bool | None:
    """Whether a motion put to the vote was lost (True), carried (False), or its outcome is not printed (None)."""
    last = OUTCOME.search(group.items[-1].text) if group.items else None
    last = last or (OUTCOME.search(group.items[-2].text) if len(group.items) > 1 else None)
    return None if last is None else last.group("result").lower() in LOST


def _proposal(chunks: list[Chunk], number: str, last: Chunk, before: int, doc: DocumentRecord) -> list[Evidence]:
    """The paragraph numbered `number` that proposed the motion, nearest before the vote on it ("(11) Mr Hood
    proposed, and …"), and the first sentence of what it proposed (after a label such as "Proposed Purpose:").
    Empty when it is not found."""
    label = re.compile(rf"(?:\(\s*{number}\s*\)|{number}\))\s")  # "(11) Mr Hood proposed …", "2) Mr …"
    for chunk in reversed(chunks):
        limit = before if chunk.chunk_id == last.chunk_id else len(chunk.text)
        found = [m for m in PARAGRAPH.finditer(chunk.text, 0, limit) if label.match(m.group())]
        if not found:
            continue
        head = found[-1]
        items = [Evidence(Passage(chunk, doc, 1.0), 0, head.start(), head.end(), head.group())]
        proposed = _first_statement([chunk, *chunks[chunks.index(chunk) + 1:][:1]], chunk, head.end(), doc)
        return items + ([proposed] if proposed is not None else [])
    return []


def _first_statement(chunks: list[Chunk], first: Chunk, offset: int, doc: DocumentRecord) -> Evidence | None:
    """The first sentence of what a proposal quotes, after labels such as "Proposed Purpose:", read on into the
    next passage; None when the next numbered paragraph comes first."""
    for chunk in chunks:
        for match in PARAGRAPH.finditer(chunk.text, offset if chunk is first else 0):
            text = match.group()
            if LIST_LABEL.match(text):
                return None  # the next numbered paragraph: nothing was quoted
            if text.rstrip().endswith(":") or len(text.split()) < 4:
                continue
            spans = split_sentences(text)
            start, end = match.start(), match.start() + (spans[0][1] if spans else len(text))
            if chunk.text[start] in "“\"" and chunk.text[start + 1:end].count("”") == 0:
                start += 1  # the opening mark of a quotation whose first sentence is quoted alone
            return Evidence(Passage(chunk, doc, 1.0), 0, start, end, chunk.text[start:end])
    return None


def _outcome_after(chunks: list[Chunk], count: Evidence) -> Evidence | None:
    """The outcome printed after a vote's last count ("Mr Shonk Amendment lost."), in its passage or the next two,
    before the minute's next numbered paragraph."""
    for chunk in chunks:
        if chunk.seq < count.passage.chunk.seq:
            continue
        start = count.start + 1 if chunk.chunk_id == count.passage.chunk.chunk_id else 0
        following = _NUMBERED.search(chunk.text, start)
        stop = following.start() if following else len(chunk.text)
        found = OUTCOME.search(chunk.text, start, stop)
        if found is not None:
            return Evidence(Passage(chunk, count.passage.doc, 1.0), 0, found.start(), found.end(), found.group())
        if following is not None:
            return None
    return None


def _names_only(text: str) -> bool:
    """A paragraph that is only names ("Jeffrey, Mr Kennedy, Mr Love, OBE, …"), as a count's list goes on."""
    return len(_HONORIFIC.findall(text)) >= 2 and not COUNT_LABEL.match(text) and not text.rstrip().endswith(":") \
        and not _NUMBERED.match(text)
