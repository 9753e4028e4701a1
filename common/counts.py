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


# A count in figures before what it counts: "38¹ indicators", "1,192 posts"; not an amount ("£4m"), a share ("12%"),
# a decimal ("99.2"), a year ("2024", "2024/25") or a time ("12 months").
_COUNT_IN_FIGURES = re.compile(r"(?<![£$€\d.,/-])\b(?!(?:19|20)\d\d\b)(\d{1,3}(?:,\d{3})+|\d+)[¹²³⁴⁵⁶⁷⁸⁹⁰]*"
                               r"(?![\d.,/%-]\d|\s*%|\s*per\s*cent)"
                               r"\s+(?!of\b|and\b|or\b|to\b|per\b|times\b|years?\b|months?\b|weeks?\b|days?\b|"
                               r"hours?\b)[a-z]", re.IGNORECASE)


def counts_of(text: str) -> list[tuple[str, str]]:
    """Counts, in figures or in words, each with the four words after it, lower-cased: ("38", "indicators are rated
    as") and ("nine", "indicators not achieving the") in "… 17 of the 38¹ indicators are rated as Green … with nine
    indicators not achieving the floor standard"."""
    in_figures = [(m.group(1), " ".join(text[m.end(1):].lstrip("¹²³⁴⁵⁶⁷⁸⁹⁰").split()[:4]).lower())
                  for m in _COUNT_IN_FIGURES.finditer(text)]
    return in_figures + counts_in_words(text)


def counts_in_words(text: str) -> list[tuple[str, str]]:
    """Counts written as words, lower-cased, each with the four words after it, which say what it counts: ("two", "new
    joint venture companies") in "the creation of two new joint venture companies to deliver …"."""
    return [(m.group(1).lower(), " ".join(text[m.end(1):].split()[:4]).lower()) for m in _COUNT_IN_WORDS.finditer(text)]
