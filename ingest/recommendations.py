"""Recommendations read at ingest: what a peer review recommended, and what a meeting is asked to decide.

Officers checking what a review asked for want the whole list, verbatim, with its page; retrieval finds
the best passages, not every item. Papers print recommendations in a few places that their structure and
wording give away (../shared/docs/council-papers-anatomy.md): under a heading or label such as "2. Key
recommendations", "Recommendation(s):", "RECOMMENDATION" or "7. Officer's Recommendations", or after a
lead-in such as "The Cabinet is asked to:" / "It is recommended that Cabinet:" followed by a list. This
reads them from the rendered blocks the chunker cuts (ingest.lists labelled the items), so every record
is a verbatim slice of the text and points at the chunk that holds its first line. Nothing here knows a
particular paper or council.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from common.text import normalise_ws, split_sentences
from common.types import BlockKind, Chunk, DocumentMetadata, ParsedDocument, Recommendation
from ingest.chunking import ChunkedDocument, RenderedBlock, render
from ingest.lists import inline_label, ordinal, plain_number, printed_number, read_label, successor

# A heading or a short label paragraph that opens a recommendations block ("2. Key recommendations",
# "9 Recommendation(s):", "2 | Recommendations", "7. Officer's Recommendations", "Decisions sought").
_NUMBERING = r"(?:(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z][.)]|[ivx]{1,4}[.)])\s*(?:[|:–-]\s*)?)?"
_LABEL = re.compile(
    _NUMBERING
    + r"(?:(?:the|key|main|summary\s+of|officers?['’]?s?|proposed|our|formal)\s+)*"
    r"(?:recommendations?(?:\s*\(s\))?(?:\s+(?:to|for)\s+(?:the\s+)?[A-Z][\w’' ]{1,40})?"
    r"|recommended\s+(?:decisions?|resolutions?)|decisions?\s+(?:sought|required|requested))"
    r"\s*[:.]?\s*$",
    re.IGNORECASE)
_KEY = re.compile(r"\bkey\s+recommendations?\b", re.IGNORECASE)
_PEER = re.compile(r"\bpeer\s+(?:challenge|review)s?\b", re.IGNORECASE)
# What a meeting is asked to do: "Cabinet is asked to", "Members are recommended to", "It is recommended that".
_ASKED = re.compile(r"\b(?:is|are)\s+(?:being\s+)?(?:asked|recommended|requested|invited)\s+to\b"
                    r"|\bit\s+is\s+(?:therefore\s+)?recommended\s+that\b|\brecommend(?:s|ed)?\s+that\s+(?:the\s+)?"
                    r"(?:cabinet|council|committee|board|panel|members?)\b", re.IGNORECASE)
# A list's lead-in ends with a colon, or breaks off before the list ("Cabinet is asked to").
_OPEN_END = re.compile(r"(?::|\b(?:to|that))\s*$", re.IGNORECASE)
# The words recommendations open with, in committee reports and in peer reviews ("Consistently engage …").
_VERBS = frozenset("""note approve agree endorse delegate consider adopt confirm recommend authorise authorize resolve
    receive comment support undertake develop take clarify ensure review close seek re-establish focus strengthen
    commit establish build improve create set continue explore introduce invest make put use accept amend rescind
    request refer instruct require prioritise define communicate articulate appoint publish prepare implement
    consistently provide reduce increase grant allocate release""".split())
_POINTER = re.compile(r"\s*[(\[]?(?:please\s+)?(?:refer\s+to|see)\s+(?:the\s+)?(?:sections?|paragraphs?|paras?\.?"
                      r"|appendix|appendices|annex|table)\b[^.;:\n]{0,60}[)\]]?\.?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;:][\"'”’)\]]*$")
_MAX_INTRO = 3  # prose paragraphs skipped between a label and its list ("There are a range of suggestions…")
_MAX_LABEL_WORDS = 9


@dataclass
class _Found:
    number: str
    start: int  # span in the full text, label excluded
    end: int
    section: str
    kind: str
    lead_in: str
    block: int = 0  # which recommendations block of the paper it was read from
    page: int = 0
    pages: list[int] = field(default_factory=list)  # where it is printed again


def extract_recommendations(parsed: ParsedDocument, chunked: ChunkedDocument) -> list[Recommendation]:
    """The paper's recommendations, each once, in the order printed (the chunker's text must be `render`'s)."""
    full, units, _ = render(parsed)
    if full != chunked.full_text or not chunked.chunks:
        return []
    return find_recommendations(parsed.metadata, full, units, chunked.chunks)


def find_recommendations(meta: DocumentMetadata, full: str, units: Sequence[RenderedBlock],
                         chunks: Sequence[Chunk]) -> list[Recommendation]:
    texts = [full[u.start:u.end] for u in units]
    peer_paper = bool(_PEER.search(f"{meta.title} {meta.document_type}"))
    found: list[_Found] = []
    used = -1  # units up to this index belong to a block already read
    for i, unit in enumerate(units):
        if i <= used:
            continue
        if _is_label(unit, texts[i]):
            block, used = _read_block(full, units, texts, i + 1, texts[i].strip(), _KEY.search(texts[i]) or peer_paper)
            found.extend(_in_block(block, i))
        elif _is_lead_in(unit, texts[i]) and i + 1 < len(units) and _is_item(units[i + 1]):
            section = unit.section.rsplit(" > ", 1)[-1]
            block, used = _read_block(full, units, texts, i, section, peer_paper)
            found.extend(_in_block(block, i))
    starts = [c.char_start for c in chunks]
    for item in found:
        chunk = _chunk_at(chunks, starts, item.start)
        item.page = chunk.page_at(item.start - chunk.char_start) if chunk else 0
    return _records(meta.doc_id, full, chunks, _once(full, [f for f in found if f.page]))


def _in_block(found: list[_Found], block: int) -> list[_Found]:
    for item in found:
        item.block = block
    return found


def _chunk_at(chunks: Sequence[Chunk], starts: list[int], offset: int) -> Chunk | None:
    chunk = chunks[max(bisect.bisect_right(starts, offset) - 1, 0)]
    return chunk if chunk.char_start <= offset < chunk.char_end else None


def _is_label(unit: RenderedBlock, text: str) -> bool:
    if unit.block == BlockKind.TABLE_ROW or len(text.split()) > _MAX_LABEL_WORDS:
        return False
    return bool(_LABEL.match(text.strip()))


def _is_item(unit: RenderedBlock) -> bool:
    return unit.block == BlockKind.LIST_ITEM and unit.list_no >= 0


def _is_lead_in(unit: RenderedBlock, text: str) -> bool:
    """"The Cabinet is asked to:" — the paper's own words, not a motion it quotes (minutes quote them)."""
    return not unit.heading and unit.block == BlockKind.PARAGRAPH and bool(_ASKED.search(text)) \
        and bool(_OPEN_END.search(text)) and not _quoted(text)


def _quoted(text: str) -> bool:
    return text.lstrip()[:1] in "“\"‘'"


def _is_decision(text: str, peer: bool) -> bool:
    """A paragraph that is itself a recommendation: "Cabinet is asked to agree …", "Approve the …"."""
    if _quoted(text):
        return False
    if _ASKED.search(text):
        return True
    first = re.match(r"[\w-]+", text.strip())
    return bool(first) and first.group(0).lower() in _VERBS and (peer or text[:1].isupper())


def _kind(peer: bool, lead_in: str, first_text: str) -> str:
    if peer and not _ASKED.search(lead_in) and not _ASKED.search(first_text[:200]):
        return Recommendation.PEER_REVIEW
    return Recommendation.DECISION_SOUGHT


def _read_block(full: str, units: Sequence[RenderedBlock], texts: list[str], j: int, section: str,
                peer: object) -> tuple[list[_Found], int]:
    """Recommendations from units[j:] up to the next heading: numbered items (a list, or table rows whose first
    cell is numbered, after an optional lead-in) or paragraphs that each read as a decision. Returns them and
    the index of the last unit read."""
    found: list[_Found] = []
    lead_in = ""
    skipped = 0
    last = j - 1
    while j < len(units) and not units[j].heading:
        unit, text = units[j], texts[j]
        if _is_item(unit) or _row_label(unit, text):
            items, last = _read_items(full, units, texts, j)
            kind = _kind(bool(peer), lead_in, full[items[0][1]:items[0][2]] if items else "")
            found.extend(_Found(n, s, e, section, kind, lead_in) for n, s, e in items)
            break
        if _is_lead_in(unit, text) or (_OPEN_END.search(text) and text.rstrip().endswith(":")):
            lead_in = _last_sentences(text)
        elif _is_decision(text, bool(peer)) and unit.block != BlockKind.TABLE_ROW:
            start = unit.start + len(text) - len(text.lstrip())
            found.append(_Found("", start, unit.end, section, _kind(bool(peer), lead_in, text), lead_in))
        elif found or lead_in or skipped >= _MAX_INTRO:
            break
        else:
            skipped += 1
        last = j
        j += 1
    return found, last


def _read_items(full: str, units: Sequence[RenderedBlock], texts: list[str], j: int
                ) -> tuple[list[tuple[str, int, int]], int]:
    """Numbered items from units[j]: a list, or table rows, and further lists or rows as long as their numbers
    carry on from the last item ("2.1" in a list, "2.2"–"2.5" as table rows, "2.6" in a list again)."""
    items: list[tuple[str, int, int]] = []
    last = j - 1
    while j < len(units) and not units[j].heading:
        unit, text = units[j], texts[j]
        label = _row_label(unit, text)
        if _is_item(unit):
            number = printed_number(unit.label)
        elif label:
            number = printed_number(label)
        else:
            break
        if items and number != successor(items[-1][0]):
            break
        if _is_item(unit):
            more, last = _read_list(full, units, texts, j)
        else:
            # The label may have a cell of its own ("2.2 | Note … | Please refer to …"): the item is the next cell.
            skip = _label_width(text, label)
            while skip < len(text) and text[skip] in "| ":
                skip += 1
            cell = text.find(" | ", skip)
            start, end = unit.start + skip, unit.start + cell if cell > 0 else unit.end
            more, last = _split_inline(full, number, start, end, end), j
        items.extend(more)
        j = last + 1
    return items, last


def _row_label(unit: RenderedBlock, text: str) -> str:
    """The label a table row's first cell opens with ("2.2" in "2.2 Note the … | Please refer to …")."""
    if unit.block != BlockKind.TABLE_ROW:
        return ""
    style, label = read_label(text)
    return label if style in ("decimal", "number", "paren-number", "roman", "letter") else ""


def _read_list(full: str, units: Sequence[RenderedBlock], texts: list[str], j: int
               ) -> tuple[list[tuple[str, int, int]], int]:
    """The top-level items of the list starting at units[j], each spanning its sub-items and continuing
    paragraphs, as (number, start, end); and the index of the list's last unit."""
    list_no = units[j].list_no
    members: list[int] = []
    k = j
    while k < len(units) and not units[k].heading and units[k].list_no == list_no:
        members.append(k)
        k += 1
    # A paragraph after the last item continues it only when it is prose (a signature line is not).
    while members and not _is_item(units[members[-1]]) and not _SENTENCE_END.search(texts[members[-1]].rstrip()):
        members.pop()
    tops = [m for m in members if _is_item(units[m]) and units[m].depth == 0]
    tops = _increasing(units, tops)
    members = [m for m in members if not tops or m < _list_end(units, members, tops)]
    tops += _lost_numbers(units, members, tops)
    tops.sort()
    items: list[tuple[str, int, int]] = []
    for n, top in enumerate(tops):
        following = [m for m in members if m > top and (n + 1 == len(tops) or m < tops[n + 1])]
        end = units[following[-1]].end if following else units[top].end
        label = units[top].label
        start = units[top].start + _label_width(texts[top], label)
        items.extend(_split_inline(full, printed_number(label), start, units[top].end, end))
    return items, members[-1] if members else j


def _increasing(units: Sequence[RenderedBlock], tops: list[int]) -> list[int]:
    """The items up to the first whose number does not follow on (a "2)" after "6." starts other text)."""
    kept: list[int] = []
    previous: tuple[int, ...] | None = None
    for top in tops:
        current = ordinal(units[top].label)
        letter = printed_number(units[top].label).lower()
        if previous is not None and len(letter) == 1 and previous == (ord(letter) - 97,):
            current = (ord(letter) - 96,)  # "i." after "h." is a letter
        if previous is not None and current is not None and (current <= previous or len(current) != len(previous)):
            break
        kept.append(top)
        previous = current if current is not None else previous
    return kept


def _list_end(units: Sequence[RenderedBlock], members: list[int], tops: list[int]) -> int:
    """Index of the first unit after the last kept item's sub-items (the next top-level item, if any)."""
    later = [m for m in members if m > tops[-1] and _is_item(units[m]) and units[m].depth == 0]
    return later[0] if later else len(units)


def _lost_numbers(units: Sequence[RenderedBlock], members: list[int], tops: list[int]) -> list[int]:
    """Sub-items that stand where a number is missing ("1.", "2.", "•", "4."): the printing lost the "3.",
    so the lone bullet between 2 and 4 is the third item, not a part of the second."""
    extra = []
    for a, b in zip(tops, tops[1:], strict=False):
        inside = [m for m in members if a < m < b]
        numbers = (plain_number(units[a].label), plain_number(units[b].label))
        if len(inside) == 1 and _is_item(units[inside[0]]) and None not in numbers \
                and numbers[1] - numbers[0] == 2 and not plain_number(units[inside[0]].label):
            extra.append(inside[0])
    return extra


def _label_width(text: str, label: str) -> int:
    """Characters of `text` taken by its printed label and the spaces after it."""
    skip = len(label) if label and text.startswith(label) else 0
    return skip + len(text[skip:]) - len(text[skip:].lstrip())


def _split_inline(full: str, number: str, start: int, own_end: int, end: int) -> list[tuple[str, int, int]]:
    """Items the PDF ran together in one block ("2.2 Note … 2.3 Note …", "(1) Endorse … (2) Endorse …"):
    each following label in sequence starts a new item."""
    out: list[tuple[str, int, int]] = []
    while True:
        nxt = successor(number)
        found = inline_label(nxt).search(full, start, own_end) if nxt else None
        if not found:
            out.append((number, start, _trim(full, start, end)))
            return out
        out.append((number, start, _trim(full, start, found.start())))
        number, start = nxt, found.end()


def _trim(full: str, start: int, end: int) -> int:
    """`end` moved back over trailing spaces and a trailing pointer to where the report discusses the item
    ("… Please refer to Section 3"): the pointer is the report's cross-reference, not the recommendation."""
    while end > start and full[end - 1].isspace():
        end -= 1
    pointer = _POINTER.search(full, start, end)
    if pointer and pointer.start() > start:
        end = pointer.start()
    return end


def _last_sentences(text: str) -> str:
    spans = split_sentences(text)
    return normalise_ws(text[spans[-1][0]:spans[-1][1]] if spans else text)


def _once(full: str, found: list[_Found]) -> list[_Found]:
    """A recommendation printed twice (a summary box and the final section) counts once, at its first full
    printing; the pages of the other printings are kept. Items of one block are never the same item."""
    kept: list[_Found] = []
    keys: list[str] = []
    for item in found:
        key = _key(full[item.start:item.end])
        if not key:
            continue
        same = next((n for n, k in enumerate(keys) if kept[n].block != item.block and _same(k, key)), None)
        if same is None:
            kept.append(item)
            keys.append(key)
        elif len(key) > len(keys[same]) * 1.2:  # the earlier printing was cut short: keep the full one
            item.pages = kept[same].pages + [kept[same].page]
            kept[same], keys[same] = item, key
        else:
            kept[same].pages.append(item.page)
    return kept


def _same(a: str, b: str) -> bool:
    if a == b or (min(len(a), len(b)) > 30 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9£%]+", " ", normalise_ws(text).lower()).strip()


def _records(doc_id: str, full: str, chunks: Sequence[Chunk], found: list[_Found]) -> list[Recommendation]:
    starts = [c.char_start for c in chunks]
    records: list[Recommendation] = []
    for item in found:
        chunk = _chunk_at(chunks, starts, item.start)
        if chunk is None:
            continue
        first = _first_line(full, item.start, min(item.end, chunk.char_end))
        start, end = item.start - chunk.char_start, first - chunk.char_start
        records.append(Recommendation(
            doc_id=doc_id, ord=len(records), number=item.number, text=full[item.start:item.end],
            page=chunk.page_at(start), section=item.section, kind=item.kind, chunk_id=chunk.chunk_id,
            start=start, end=end, quote=chunk.text[start:end], lead_in=item.lead_in,
            also_on_pages=sorted({p for p in item.pages if p and p != item.page})))
    return records


def _first_line(full: str, start: int, limit: int) -> int:
    """End of the recommendation's first sentence (within its own block and its chunk)."""
    stop = full.find("\n", start, limit)
    stop = limit if stop < 0 else stop
    spans = split_sentences(full[start:stop])
    return _trim(full, start, start + spans[0][1] if spans else stop)
