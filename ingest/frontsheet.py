"""Reading what a council paper says about itself on its first page(s).

Council papers share an anatomy (see the shared "council-papers-anatomy" notes): a report's header
block of labels ("From:", "To: Cabinet – 30 January 2025", "Subject:", "Decision No:"), the
minutes' heading ("MINUTES of a meeting of the Cabinet held … on Thursday, 30 January 2025"), an
agenda front sheet ("AGENDA", the meeting, its date), a letter's letterhead, date line and
signature, a form's labelled fields ("Amendment Name:", "EQIA Title") and ModernGov's generated PDF
titles ("(Public Pack)… for County Council, 13/02/2025 09:30"). This module reads those pieces into
a `Front`; the file name is read by `ingest.filename`, and `ingest.metadata` weighs them against
each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from common.types import BlockKind, Page
from ingest.dates import date_line, date_spans, find_date, human_date
from ingest.wording import BODY_WORDS, clean, is_council_name, meeting_name, smart_case, split_meeting

FRONT_STOP_RE = re.compile(r"^(?:\d{1,2}(?:\.\d+)*\.?\s+[A-Z]|contents\b|table of contents\b)", re.IGNORECASE)


def front_blocks(pages: list[Page], limit: int = 25) -> list[tuple[BlockKind, str]]:
    """Page 1's blocks up to the first numbered section (the paper's header and front matter)."""
    out: list[tuple[BlockKind, str]] = []
    for page in pages[:3]:
        if out:
            break
        for block in page.blocks[:limit]:
            if out and block.kind in (BlockKind.HEADING, BlockKind.LIST_ITEM) and FRONT_STOP_RE.match(block.text) \
                    and not date_line(block.text):  # "1. Introduction" ends the front matter
                break
            out.append((block.kind, block.text.strip()))
    return out


# --- labelled header fields --------------------------------------------------------------------

_LABELS = (
    "From", "By", "To", "Subject", "Title", "Date", "Report Date", "Meeting Date", "Date of Meeting", "Meeting",
    "Decision No", "Decision Number", "Decision Ref", "Key Decision", "Classification", "Amendment Name",
    "Amendment Number", "Name", "Project ID", "Item No", "Summary", "Electoral Division", "Directorate",
    "Proposer", "Seconder", "Ask for", "Telephone", "Email", "e-mail", "Direct Dial/Ext", "Recommendations",
    "Recommendation", "Recommendation(s)", "Author", "Contact", "Wards Affected", "Portfolio",
    "Past Pathway of report", "Past Pathway of Paper", "Future Pathway of report", "Future Pathway of Paper",
)
_LABEL_RE = re.compile(
    r"(?:^|(?<=\s))(" + "|".join(re.escape(x) for x in sorted(_LABELS, key=len, reverse=True)) + r")\.?\s*:",
    re.IGNORECASE,
)
_END_LABELS = {"summary", "recommendations", "recommendation", "recommendation(s)"}


def starts_with_label(text: str) -> bool:
    """True for a header line such as "Title: …", "Email: …", "Decision No: …"."""
    m = _LABEL_RE.match(text)
    return bool(m and m.group(1)[0].isupper())


def labelled_fields(blocks: list[tuple[BlockKind, str]]) -> dict[str, str]:
    """Label → value for the header block ("to" → "Cabinet – 30 January 2025"); labels lower-cased.

    A label printed alone on its line takes the next line as its value ("Title:" / "Strengthening …");
    a short heading ending in "Title" ("EQIA Title") does the same. The first value of a label wins.
    """
    fields: dict[str, str] = {}
    pending = ""
    for kind, text in blocks:
        matches = [m for m in _LABEL_RE.finditer(text) if m.group(1)[0].isupper()]
        if pending and (not matches or matches[0].start() > 0):
            fields.setdefault(pending, clean(text[: matches[0].start()] if matches else text))
            pending = ""
            if not matches:
                continue
        pending = ""
        if not matches:
            if kind == BlockKind.HEADING and re.fullmatch(r"(?:\w+\s+){0,3}Title", text.strip()):
                pending = "title"
            continue
        for i, m in enumerate(matches):
            label = re.sub(r"\s+", " ", m.group(1).lower())
            value = clean(text[m.end(): matches[i + 1].start() if i + 1 < len(matches) else len(text)])
            if value:
                fields.setdefault(label, value)
            elif i == len(matches) - 1:
                pending = label
        if any(re.sub(r"\s+", " ", m.group(1).lower()) in _END_LABELS for m in matches) and "to" in fields:
            break
    return fields


# --- the kinds of front sheet ------------------------------------------------------------------

_DECISION_RE = re.compile(r"\b(\d{2}/\d{5})\b")
_MINUTES_RE = re.compile(
    r"^minutes\s+of\s+(?:an?\s+|the\s+)?(?:(?:extraordinary|special|ordinary|annual|adjourned)\s+)?meeting\s+of\s+"
    r"(?:the\s+)?(?P<body>.+?)\s+held\b(?P<rest>.{0,240})",
    re.IGNORECASE | re.DOTALL,
)
_MINUTES_OF_RE = re.compile(
    r"^minutes\s+of\s+(?:the\s+)?(?P<body>.+?\bmeeting)\b(?P<rest>.{0,160})", re.IGNORECASE | re.DOTALL
)
_AGENDA_RE = re.compile(
    r"^(?:a\s?g\s?e\s?n\s?d\s?a\b(?!\s+item)|summons\s+to\s+and\s+agenda|agenda\s*(?:&|and)\s*summons|"
    r"notice\s+of\s+meeting\s+and\s+agenda|agenda\s+for\b)",
    re.IGNORECASE,
)
_MEETING_OF_RE = re.compile(
    r"\bmeeting\s+of\s+the\s+((?:[A-Z][\w&'’-]*\s+){0,5}?(?:" + "|".join(BODY_WORDS) + r"))\b(?:\s+will\b|\s+to\b)"
)
_YOURS_RE = re.compile(r"^yours\s+(?:sincerely|faithfully|ever|truly)\b", re.IGNORECASE)
_ROLE_RE = re.compile(
    r"\b((?:Parliamentary\s+Under[- ])?(?:Secretary\s+of\s+State|Minister(?:\s+of\s+State)?|Chief\s+Executive|"
    r"Leader|Chair(?:man)?|Director|Clerk)\b(?:\s+(?:for|of|to)\s+[A-Z][^\d\n,]*)?)",
)
_QUESTION_RE = re.compile(r"^question\s+(?:\d+\s+)?(?:by|from|to)\b", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^by\s+\S", re.IGNORECASE)
_MODERNGOV_RE = re.compile(
    r"^\((?:public|private)\s+pack\)\s*(?P<name>.*?)\s*(?:agenda\s+supplement|agenda\s+document|document\s+pack|"
    r"agenda|supplement)?\s*for\s+(?P<body>[^,]+),\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})",
    re.IGNORECASE,
)


@dataclass
class Front:
    """What the first page(s) say about the paper."""

    kind: str = ""  # "report", "minutes", "agenda", "letter", "questions", "form", "" (none recognised)
    title: str = ""  # a structural title ("Subject:", minutes/agenda heading, a form's name, a letter's writer)
    body: str = ""  # the meeting as printed ("Cabinet", "County Council", "Souldern Parish Council")
    meeting_date: str = ""
    own_date: str = ""  # the paper's own date: a letter's date line, "Date:", "Adopted 8 June 2022", a byline
    decision_number: str = ""
    form_kind: str = ""  # a form's heading without "Form": "Budget Amendment", "EQIA Submission", "DPIA"
    form_number: str = ""
    writer: str = ""  # a letter's writer ("Jim McMahon OBE MP")
    role: str = ""  # and role ("Minister of State for Local Government and English Devolution")
    inspector: bool = False  # a planning inspector's examination report
    fields: dict[str, str] = field(default_factory=dict)


def read_front(pages: list[Page], info: dict[str, str]) -> Front:
    blocks = front_blocks(pages)
    front = Front(fields=labelled_fields(blocks))
    fields = front.fields
    texts = [t for _, t in blocks]
    _own_date(front, texts, fields)
    for label in ("decision no", "decision number", "decision ref"):
        m = _DECISION_RE.search(fields.get(label, ""))
        if m:
            front.decision_number = m.group(1)
            break
    if _moderngov(front, info):
        return front
    if "to" in fields and ("subject" in fields or "from" in fields or "by" in fields):
        front.kind = "report"
        front.body, front.meeting_date = split_meeting(fields["to"])
        if not front.meeting_date and fields.get("date"):
            front.meeting_date = find_date(fields["date"])
        front.title = fields.get("subject", "")
    elif not (_minutes(front, texts) or _agenda(front, pages) or _questions(front, pages) or _letter(front, texts)
              or _form(front, blocks, fields)):
        _report_of(front, texts)
        front.inspector = any(re.search(r"\binspector\s+appointed\s+by\b", t, re.IGNORECASE) for t in texts[:8])
        if front.inspector and not front.title:  # "Report on the Examination of the … Local Plan"
            front.title = next((clean(t) for t in texts[:10] if re.match(r"report\s+on\s+the\s+", t, re.I)), "")
    if not front.decision_number:
        m = re.search(r"(?:\bdecision\s+(?:no\.?\s*)?|^)(\d{2}/\d{5})\b", front.title, re.IGNORECASE)
        front.decision_number = m.group(1) if m else ""
    return front


def _own_date(front: Front, texts: list[str], fields: dict[str, str]) -> None:
    for label in ("date", "report date"):
        if fields.get(label):
            front.own_date = find_date(fields[label])
            if front.own_date:
                return
    for text in texts[:14]:
        if len(text) > 250:
            continue
        iso = date_line(text)
        if not iso and _BYLINE_RE.match(text):
            spans = date_spans(text)
            iso = spans[-1][0] if spans and spans[-1][2] >= len(text.rstrip(" .")) - 1 else ""
        if iso:
            front.own_date = iso
            return


def _moderngov(front: Front, info: dict[str, str]) -> bool:
    """ModernGov's own PDF title: "(Public Pack)Budget Amendments Agenda Supplement for County Council, 13/02/2025"."""
    m = _MODERNGOV_RE.match(re.sub(r"\s+", " ", info.get("title", "")).strip())
    if not m:
        return False
    front.body = meeting_name(m.group("body")) or clean(m.group("body"))
    front.meeting_date = find_date(m.group("date"))
    name = clean(m.group("name"))
    front.kind = "pack" if name else "agenda"
    label = f"{front.body}, {human_date(front.meeting_date)}".strip(", ")
    front.title = f"{name}: {label}" if name else f"Agenda: {label}"
    return True


def _minutes(front: Front, texts: list[str]) -> bool:
    for i, text in enumerate(texts[:10]):
        if not re.match(r"minutes\s+of\b", text, re.IGNORECASE):
            continue
        joined = " ".join(texts[i: i + 4])
        m = _MINUTES_RE.match(joined)
        body = clean(m.group("body")) if m else ""
        if not m:
            m = _MINUTES_OF_RE.match(joined)
            body = clean(m.group("body")) if m else ""
            if re.search(r"(?:" + "|".join(BODY_WORDS[:-2]) + r")\s+meeting$", body, re.IGNORECASE):
                body = body[: -len("meeting")].strip()
        body = smart_case(body)
        if not m or not body or body.lower() == "meeting" or len(body.split()) > 8:
            continue
        front.kind, front.body = "minutes", body
        front.meeting_date = find_date(m.group("rest"))
        when = f", {human_date(front.meeting_date)}" if front.meeting_date else ""
        front.title = f"Minutes of the {body}{'' if body.lower().endswith('meeting') else ' meeting'}{when}"
        return True
    return False


def _agenda(front: Front, pages: list[Page]) -> bool:
    first = [b.text.strip() for b in (pages[0].blocks[:12] if pages else [])]
    at = next((i for i, t in enumerate(first) if _AGENDA_RE.match(t)), -1)
    if at < 0:
        return False
    sheet = [b.text.strip() for p in pages[:3] for b in p.blocks[:40]]
    body = ""
    for text in first[at: at + 3]:  # "AGENDA" / "CABINET" / "Thursday, 30th January, 2025 …"
        body = meeting_name(re.sub(r"^a\s?g\s?e\s?n\s?d\s?a\b", "", text, flags=re.IGNORECASE)) or body
        if body:
            break
    for text in sheet if not body else []:
        m = _MEETING_OF_RE.search(text)
        to = re.match(r"^to:\s*(.+)$", text, re.IGNORECASE)
        body = (m and meeting_name(m.group(1))) or (to and split_meeting(to.group(1))[0]) or ""
        if body:
            break
    if not body:  # a parish front sheet: "Souldern Parish Council 27th February 2025 at 7.30pm …"
        for text in first[:3]:
            spans = date_spans(text)
            if spans and meeting_name(text[: spans[0][1]]):
                body = meeting_name(text[: spans[0][1]])
                break
    front.kind, front.body = "agenda", body
    front.meeting_date = next((s[0][0] for s in (date_spans(t) for t in sheet) if s and len(s[0][0]) == 10), "")
    label = ", ".join(x for x in (body, human_date(front.meeting_date)) if x)
    front.title = f"Agenda: {label}" if label else "Agenda"
    return True


def _questions(front: Front, pages: list[Page]) -> bool:
    blocks = [b for p in pages[:2] for b in p.blocks]
    if not any(_QUESTION_RE.match(b.text) for b in blocks) or not any(
        b.text.strip().lower() in ("answer", "reply", "response") for b in blocks
    ):
        return False
    front.kind = "questions"
    front.meeting_date = next((d for d in (date_line(b.text) for b in blocks[:6]) if d), "")
    return True


def _letter(front: Front, texts: list[str]) -> bool:
    dear = next((i for i, t in enumerate(texts[:20]) if re.match(r"^dear\b", t, re.IGNORECASE)), -1)
    if dear < 0:
        return False
    front.kind = "letter"
    head = texts[:dear]
    for i, text in enumerate(head):
        role = _ROLE_RE.search(text)
        if role and role.start() == 0:
            front.role = clean(role.group(1))
            before = head[i - 1] if i else ""
            if before and len(before.split()) <= 6 and not re.search(r"\d|:", before):
                front.writer = before
            break
    date = next((d for d in (date_line(t) for t in head) if d), "")
    front.own_date = date or front.own_date
    if front.role or front.writer:
        who = ", ".join(x for x in (front.writer, front.role) if x)
        front.title = f"Letter from {'the ' if not front.writer else ''}{who}"
    return True


def _form(front: Front, blocks: list[tuple[BlockKind, str]], fields: dict[str, str]) -> bool:
    heading = next((t for _, t in blocks[:4] if re.search(r"\b(?:form|project information)\b", t, re.IGNORECASE)), "")
    name = fields.get("amendment name") or fields.get("title") or fields.get("name") or ""
    if not heading or not name:
        return False
    m = re.match(r"^(.*?)\s*\b(?:submission\s+)?(?:form|project information)\b", heading, re.IGNORECASE)
    front.kind, front.form_kind, front.title = "form", clean(m.group(1) if m else heading), name
    front.form_number = clean(fields.get("amendment number", ""))
    return True


def _report_of(front: Front, texts: list[str]) -> None:
    """The older header: "CABINET" / "10 SEPTEMBER 2020" / "Report of the Executive Director" / title."""
    for i, text in enumerate(texts[:8]):
        if not front.body:
            body, date = split_meeting(text)
            if body and not is_council_name(body) and len(text) < 80:
                date = date or next((d for d in (date_line(t) for t in texts[i + 1: i + 3]) if d), "")
                if date:
                    front.body, front.meeting_date = body, date
        elif re.match(r"^report\s+(?:of|by)\s+the\b", text, re.IGNORECASE):
            front.kind = "report"
            title = next((t for t in texts[i + 1: i + 3] if t.isupper() and 2 <= len(t.split()) <= 16), "")
            front.title = smart_case(title)
            return
