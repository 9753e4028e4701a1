"""Counts as council papers write them, each with what it counts: "seven local partnerships", "38¹ indicators".

A "how many" question is answered by a count of what it asks about, not by any number near its words (a year, an
amount, a share, a duration). Read by retrieval (a passage counting what is asked ranks higher), by the question
cues (small numbers in words) and by `assistant.figure_given` (whether a sentence gives the count asked for).
"""

from __future__ import annotations

import re

# Small numbers as papers write them in words ("two new joint venture companies", "nine indicators").
COUNT_WORDS = {w: n for n, w in enumerate("two three four five six seven eight nine ten eleven twelve".split(), 2)}
# A count in words before what it counts: "seven local partnerships", not "one of the", "two-tier" or "ten-year".
_COUNT_IN_WORDS = re.compile(r"\b(" + "|".join(COUNT_WORDS) + r")\s+(?!of\b|and\b|or\b|to\b|per\b|times\b|years?\b|"
                             r"months?\b|weeks?\b|days?\b|hours?\b)[a-z]", re.IGNORECASE)


# A whole number in figures, not part of an amount ("£4m"), a decimal ("99.2"), a fraction or a year ("2024",
# "2024/25"): in group 1.
_WHOLE_NUMBER = r"(?<![£$€\d.,/-])\b(?!(?:19|20)\d\d\b)(\d{1,3}(?:,\d{3})+|\d+)"
# A count in figures before what it counts: "38¹ indicators", "1,192 posts"; not a share ("12%") or a time ("12
# months").
_COUNT_IN_FIGURES = re.compile(_WHOLE_NUMBER + r"[¹²³⁴⁵⁶⁷⁸⁹⁰]*(?![\d.,/%-]\d|\s*%|\s*per\s*cent)"
                               r"\s+(?!of\b|and\b|or\b|to\b|per\b|times\b|years?\b|months?\b|weeks?\b|days?\b|"
                               r"hours?\b)[a-z]", re.IGNORECASE)


# What a count that follows counts, named before it: "employee numbers (FTE excluding schools) decreased by 1,192
# from 7,977 to 6,785", "the number of looked after children rose to 1,020".
_NUMBERS_OF = re.compile(r"\b(?:([a-z][a-z-]+)\s+(?:numbers|headcount)|(?:number|numbers|headcount)\s+of\s+"
                         r"((?:[a-z-]+\s+){0,2}[a-z-]+))\b", re.IGNORECASE)
# A count in figures: not an amount, a share or a year.
_FIGURE_COUNT = re.compile(_WHOLE_NUMBER + r"\b(?![.,/%]\d|\s*%|\s*per\s*cent)")


def counts_of(text: str) -> list[tuple[str, str]]:
    """Counts, in figures or in words, each with the four words after it, lower-cased: ("38", "indicators are rated
    as") and ("nine", "indicators not achieving the") in "… 17 of the 38¹ indicators are rated as Green … with nine
    indicators not achieving the floor standard"; and counts that follow what they count, named as a number of it
    (`numbered`)."""
    in_figures = [(m.group(1), " ".join(text[m.end(1):].lstrip("¹²³⁴⁵⁶⁷⁸⁹⁰").split()[:4]).lower())
                  for m in _COUNT_IN_FIGURES.finditer(text)]
    return in_figures + counts_in_words(text) + numbered(text)


def numbered(text: str) -> list[tuple[str, str]]:
    """Counts in figures in the dozen words after "<noun> numbers" or "the number of <noun>", each with that noun,
    lower-cased: ("6,785", "employee") in "employee numbers (FTE excluding schools) decreased by 1,192 from 7,977 to
    6,785". Up to the sentence's end: a count in the next sentence is of something else."""
    out = []
    for match in _NUMBERS_OF.finditer(text):
        noun = (match.group(1) or match.group(2)).lower()
        after = re.split(r"[.;!?](?:\s|$)", text[match.end():], maxsplit=1)[0]
        after = " ".join(after.split()[:12])
        out += [(m.group(1), noun) for m in _FIGURE_COUNT.finditer(after)]
    return out


def counts_in_words(text: str) -> list[tuple[str, str]]:
    """Counts written as words, lower-cased, each with the four words after it, which say what it counts: ("two", "new
    joint venture companies") in "the creation of two new joint venture companies to deliver …"."""
    return [(m.group(1).lower(), " ".join(text[m.end(1):].split()[:4]).lower()) for m in _COUNT_IN_WORDS.finditer(text)]
