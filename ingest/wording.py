"""Small text shapes shared by the metadata readers: capitals, trimming, meeting and council names.

Front sheets, file names, titles and the issuer vote all need to turn "PAY POLICY STATEMENT" into
"Pay Policy Statement", trim a value, and tell a meeting ("Cabinet", "County Council") from a
council ("Kent County Council"). Those tests live here, below every reader, so the readers do not
import each other for them.
"""

from __future__ import annotations

import re

from ingest.dates import WEEKDAY_RE, date_spans

_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
                "upon", "with"}
_KEEP_UPPER = {"MP", "OBE", "MBE", "CBE", "KC", "QC", "UK", "NHS", "MTFP", "KCC", "EQIA", "DPIA", "SEND", "CIL",
               "SHLAA", "ICS", "MHCLG", "LGA", "II", "III", "IV"}


def smart_case(text: str) -> str:
    """Title case for a line printed in capitals ("PAY POLICY STATEMENT" → "Pay Policy Statement")."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    first = True

    def word(m: re.Match[str]) -> str:
        nonlocal first
        w = m.group(0)
        low = w.lower()
        out = w if w in _KEEP_UPPER else low if (not first and low in _SMALL_WORDS) else low.capitalize()
        first = False
        return out

    return re.sub(r"[A-Za-z][A-Za-z'’]*", word, text)


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \t.,;:–—-")


# A meeting body as printed: "Cabinet", "County Council", "Scrutiny Committee", "Parish Council".
BODY_WORDS = ("Cabinet", "Council", "Committee", "Sub-Committee", "Board", "Panel", "Executive", "Forum",
              "Commission", "Assembly", "Meeting", "Group", "Partnership")
_BODY_RE = re.compile(
    rf"^(?:[A-Z][\w&'’-]*\s+(?:(?:and|of|&|for)\s+)?){{0,6}}(?:{'|'.join(BODY_WORDS)})$"
)


def meeting_name(text: str) -> str:
    """`text` as a meeting body ("CABINET" → "Cabinet"), or "" when it is not one."""
    name = clean(smart_case(text))
    name = re.sub(r"^(?:all\s+members\s+of\s+)?(?:the\s+)?", "", name, flags=re.IGNORECASE)
    name = re.sub(r"^(?:an?\s+)?(?:extraordinary|special|ordinary|annual)\s+meeting\s+of\s+(?:the\s+)?", "",
                  name, flags=re.IGNORECASE)
    if not name or len(name.split()) > 8 or not _BODY_RE.match(name):
        return ""
    return name


def split_meeting(value: str) -> tuple[str, str]:
    """"Cabinet – 30 January 2025" → ("Cabinet", "2025-01-30"); ("", "") when it names no meeting."""
    spans = date_spans(value)
    name_part = value[: spans[0][1]] if spans else value
    name_part = re.sub(r"\bdate\s*:?\s*$", "", WEEKDAY_RE.sub(" ", name_part), flags=re.IGNORECASE)
    name = meeting_name(name_part)
    return (name, spans[0][0] if spans else "") if name else ("", "")


_KIND_WORDS = {"county", "city", "district", "borough", "metropolitan", "parish", "town", "unitary", "full"}


def is_council_name(name: str) -> bool:
    """"Kent County Council" names a council; "County Council" and "Cabinet" name meetings."""
    words = name.split()
    return len(words) >= 2 and words[-1] == "Council" and words[0].lower() not in _KIND_WORDS
