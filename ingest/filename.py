"""What a council paper's file name says about it: meeting, date, decision number, appendix letter.

Council websites name downloads after the meeting and the item
("cabinet-2025-01-30_24-00096_appL_treasury-management-strategy"); when the paper itself is silent
the file name is the fallback for the meeting, the date, the decision number and the report an
appendix belongs to, and its words help choose between candidate titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.dates import iso_date
from ingest.wording import BODY_WORDS

_APPENDIX_TOKEN_RE = re.compile(r"^(?:app|appendix|annex)[-_ ]?([a-z]{1,2}|\d{1,2})$", re.IGNORECASE)
_FILE_DECISION_RE = re.compile(r"(?<![\d-])(\d{2})-(\d{5})(?![\d])")
_FILE_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})(?:-(\d{2}))?(?!\d)")


@dataclass
class FileName:
    """What a file name such as "cabinet-2025-01-30_budget_appL_treasury-management-strategy" says."""

    date: str = ""
    year: str = ""
    body: str = ""  # "Cabinet", "Council"
    decision_number: str = ""
    appendix: str = ""  # "Appendix L"
    parent: str = ""  # the report an appendix belongs to, as the name gives it ("Budget report", "Decision …")
    words: set[str] = field(default_factory=set)


def read_file_name(stem: str) -> FileName:
    out = FileName()
    for m in _FILE_DATE_RE.finditer(stem):
        out.date = iso_date(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
        if out.date:
            break
    years = [t for t in re.split(r"[-_ .]+", stem) if re.fullmatch(r"(?:19|20)\d{2}", t)]
    out.year = years[0] if len(years) == 1 else ""  # "plan-2011-2031" is a period, not a date
    m = _FILE_DECISION_RE.search(stem)
    out.decision_number = f"{m.group(1)}/{m.group(2)}" if m else ""
    lead = re.match(r"^([a-z][a-z-]*?)[-_](?:19|20)\d{2}-\d{2}", stem, re.IGNORECASE)
    if lead:
        words = lead.group(1).replace("-", " ").split()
        if words and words[-1].lower() in {w.lower() for w in BODY_WORDS} - {"meeting", "group"}:
            out.body = " ".join(w.capitalize() for w in words if w.lower() != "full")
    parts = re.split(r"_+", stem)
    for i, part in enumerate(parts):
        if _APPENDIX_TOKEN_RE.match(part):
            out.appendix = "Appendix " + _APPENDIX_TOKEN_RE.match(part).group(1).upper()
            prev = parts[i - 1] if i else ""
            if _FILE_DECISION_RE.fullmatch(prev):
                out.parent = f"Decision {prev.replace('-', '/')}"
            elif prev and not _FILE_DATE_RE.search(prev) and re.fullmatch(r"[a-z][a-z-]*", prev, re.IGNORECASE):
                out.parent = prev.replace("-", " ").capitalize() + " report"
    out.words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", stem)}
    return out
