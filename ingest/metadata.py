"""Document metadata: from a folder's catalogue.csv when present, else read from the paper itself.

Without a catalogue row the paper is read the way a clerk reads it: the report header's labels, the
minutes' heading, the agenda front sheet, a letter's letterhead, a form's fields (`ingest.frontsheet`),
the running header and the file name (`ingest.filename`). Each field then takes the most trustworthy
source that has it: the header block over the first page's heading over the PDF's /Title field
(often a template's: "THE REPORT", "Agenda Template") over the file name. The issuing council is
voted for in `ingest.councils`, the title and kind of paper chosen in `ingest.titles`, dates read in
`ingest.dates`; this module puts the fields together and keeps the catalogue.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from common.types import Page
from ingest.councils import council_names, find_council, path_hints, place_of, resolve_council
from ingest.dates import find_date, human_date
from ingest.filename import FileName, read_file_name
from ingest.frontsheet import Front, read_front
from ingest.titles import choose_title, find_document_type, read_appendix, report_kind, title_kind
from ingest.wording import clean, is_council_name, meeting_name

__all__ = ["CATALOGUE_FIELDS", "CATALOGUE_NAME", "Catalogue", "council_names", "extract_metadata", "find_council",
           "find_date", "find_document_type", "title_kind"]

CATALOGUE_NAME = "catalogue.csv"
CATALOGUE_FIELDS = ("title", "short_title", "council", "document_type", "date", "committee", "author",
                    "decision_number", "part_of")


@dataclass
class Catalogue:
    """Rows of a catalogue.csv keyed by file stem (the document id)."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    path: Path | None = None

    @classmethod
    def load(cls, csv_path: Path) -> Catalogue:
        rows: dict[str, dict[str, str]] = {}
        with Path(csv_path).open(newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                key = Path((row.get("file") or "").strip()).stem
                if key:
                    rows[key] = {k: (row.get(k) or "").strip() for k in CATALOGUE_FIELDS}
        return cls(rows, Path(csv_path))

    @classmethod
    def find_for(cls, path: Path) -> Catalogue | None:
        """The catalogue.csv next to `path` (or one folder up, as in corpus/pdf + corpus/catalogue.csv).

        Cached per folder until the CSV changes.
        """
        folder = Path(path).parent
        csv_path = folder / CATALOGUE_NAME
        if not csv_path.is_file():
            csv_path = folder.parent / CATALOGUE_NAME
            if not csv_path.is_file():
                return None
        key = (str(csv_path.resolve()), csv_path.stat().st_mtime_ns)
        if key not in _CACHE:
            _CACHE[key] = cls.load(csv_path)
        return _CACHE[key]

    def get(self, doc_id: str) -> dict[str, str] | None:
        row = self.rows.get(doc_id)
        return dict(row) if row is not None else None


_CACHE: dict[tuple[str, int], Catalogue] = {}


# --- putting it together -----------------------------------------------------------------------


def _committee(front: Front, info: dict[str, str], file: FileName, council: str, path: Path | None) -> str:
    """The meeting the paper went to: its header, the minutes' or agenda's heading, the running header,
    else the file name ("cabinet-2025-01-30_…")."""
    body = front.body
    if body and is_council_name(body):  # "Souldern Parish Council" met as its full council
        body = body[len(place_of(body)):].strip()
    place = place_of(council).split()
    if body and place and body.split()[0] == place[0] and len(body.split()) > 1:
        body = " ".join(body.split()[1:])  # "Souldern Annual Parish Meeting" → "Annual Parish Meeting"
    if not body:
        for part in info.get("running_header", "").split(" | "):
            name = meeting_name(part)
            if name and not is_council_name(name):
                body = name
                break
    body = body or file.body
    # A county council's full meeting is "County Council"; the meeting is the folder's council's even
    # for a paper someone else wrote (a minister's letter put before it).
    owners = [council] + [kinds[0] for _, kinds, _ in path_hints(path, "") if kinds]
    if body in ("Council", "Full Council") and any(o.endswith("County Council") for o in owners):
        body = "County Council"
    return body


def extract_metadata(
    doc_id: str, pages: list[Page], pdf_info: dict[str, str], path: Path | None = None
) -> dict[str, str]:
    """Title, council, committee, date, kind of paper, decision number and parent report; "" when not found.

    `path` (the file's location) lets the folder name count as a hint for the council ("kent-cc").
    """
    front = read_front(pages, pdf_info)
    file = read_file_name(doc_id)
    council = resolve_council(pages, pdf_info, front, path, doc_id)
    committee = _committee(front, pdf_info, file, council, path)
    appendix, parent = read_appendix(pages, pdf_info, file)
    date = front.meeting_date or front.own_date
    title = choose_title(front, pages, pdf_info, file, doc_id)
    date = date or find_date(title) or file.date or file.year
    if front.kind == "minutes":
        kind = "Minutes"
    elif front.kind == "agenda":
        kind = "Agenda"
    elif front.kind == "questions":
        kind = "Questions and answers"
        title = "Questions and answers: " + ", ".join(x for x in (committee, human_date(date)) if x)
    else:
        form_kind = title_kind(front.form_kind + " form") if front.kind == "form" else ""
        kind = (form_kind or title_kind(title) or ("Letter" if front.kind == "letter" else "")
                or ("Inspector's report" if front.inspector else "") or ("Appendix" if appendix else "")
                or (report_kind(committee) if committee or front.kind == "report" else ""))
        if front.kind == "form" and title == clean(front.title):
            if kind.endswith("impact assessment"):
                title = f"{kind}: {title}"
            else:
                title = f"{front.form_kind} {front.form_number}".strip() + f": {title}"
    part_of = ""
    if kind.endswith("impact assessment") and front.kind == "form":
        part_of = clean(front.title)  # an assessment belongs to the report on what it assesses
    elif appendix:
        part_of = parent
    decision = "" if kind in ("Minutes", "Agenda") else front.decision_number or file.decision_number
    author = ""
    if front.kind == "report":
        author = front.fields.get("from") or front.fields.get("by") or ""
    elif front.kind == "letter":
        author = ", ".join(x for x in (front.writer, front.role) if x)
    return {
        "title": title,
        "author": author or pdf_info.get("author", "").strip(),
        "council": council,
        "date": date,
        "document_type": kind,
        "committee": committee,
        "decision_number": decision,
        "part_of": part_of,
        "appendix": appendix,
    }
