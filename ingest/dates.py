"""Dates as council papers print them, read into ISO form and written back for titles.

A paper's dates turn up in its header ("To: Cabinet – 30 January 2025"), the minutes' heading, a
letter's date line, a byline ("Adopted 8 June 2022"), ModernGov's "13/02/2025" and its file name;
every reader of a paper's metadata (`ingest.frontsheet`, `ingest.filename`, `ingest.titles`,
`ingest.metadata`) takes them from here, so a date means the same wherever it is found.
"""

from __future__ import annotations

import re

_MONTH_NAMES = ("january february march april may june july august september october november december").split()
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
# "10 SEPTEMBER 2020", "13th – 16th June 2017", "Thursday, 30th January, 2025"; not "2024-25" years.
_DAY_DATE_RE = re.compile(
    rf"\b(\d{{1,2}}){_ORD}(?:\s*[–-]\s*(\d{{1,2}}){_ORD})?\s+({_MONTH_ALT})\.?,?\s+(\d{{4}})\b(?![-/–]\d)",
    re.IGNORECASE,
)
_MONTH_DATE_RE = re.compile(rf"\b({_MONTH_ALT})\.?,?\s+(\d{{4}})\b(?![-/–]\d)", re.IGNORECASE)
_NUMERIC_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
WEEKDAY_RE = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b,?", re.IGNORECASE)
_TIME_RE = re.compile(r"\b(?:at\s+)?\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b", re.IGNORECASE)
# Words that may stand beside a paper's own date on a line of its own.
_DATE_LABEL_RE = re.compile(
    r"^\W*(?:(?:report\s+)?date[d]?|adopted|published|issued|updated|revised|approved|effective(?:\s+from)?|"
    r"as\s+at|produced)\b[\s:]*",
    re.IGNORECASE,
)


def iso_date(year: int, month: int, day: int | None = None) -> str:
    if not 1 <= month <= 12 or not 1900 <= year <= 2100 or (day is not None and not 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def date_spans(text: str) -> list[tuple[str, int, int]]:
    """Every date in `text` as (ISO date, start, end), in order; a day range gives its last day."""
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []

    def add(iso: str, start: int, end: int) -> None:
        if iso and not any(s < end and start < e for s, e in taken):
            found.append((iso, start, end))
            taken.append((start, end))

    for m in _DAY_DATE_RE.finditer(text):
        first, last, month, year = m.groups()
        add(iso_date(int(year), _MONTHS[month.lower()], int(last or first)), m.start(), m.end())
    for m in _NUMERIC_DATE_RE.finditer(text):
        day, month, year = (int(x) for x in m.groups())
        add(iso_date(year, month, day), m.start(), m.end())  # UK order: day/month/year
    for m in _MONTH_DATE_RE.finditer(text):
        add(iso_date(int(m.group(2)), _MONTHS[m.group(1).lower()]), m.start(), m.end())
    return sorted(found, key=lambda f: f[1])


def find_date(text: str) -> str:
    """The first date in `text` as ISO ("2020-09-10", "2024-07"); a full date beats a month and year."""
    spans = date_spans(text)
    full = [s for s in spans if len(s[0]) == 10]
    return (full or spans or [("", 0, 0)])[0][0]


def date_line(text: str) -> str:
    """The date when `text` is nothing but a date ("Adopted 8 June 2022", "Thursday, 9th January, 2025")."""
    spans = date_spans(text)
    if len(spans) != 1:
        return ""
    iso, start, end = spans[0]
    rest = text[:start] + " " + text[end:]
    rest = _TIME_RE.sub(" ", WEEKDAY_RE.sub(" ", rest))
    rest = _DATE_LABEL_RE.sub("", rest.strip())
    return iso if len(re.sub(r"[\W\d_]+", "", rest)) <= 2 else ""


def human_date(iso: str) -> str:
    """"2025-01-30" → "30 January 2025"; "2024-07" → "July 2024"."""
    parts = iso.split("-")
    if len(parts) < 2:
        return iso
    month = _MONTH_NAMES[int(parts[1]) - 1].capitalize()
    return f"{int(parts[2])} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
