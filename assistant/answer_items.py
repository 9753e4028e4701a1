"""What an earlier answer showed, as a follow-up reads it: its quoted sentences and list items, and an item as a
short noun phrase ("the unitarisation one" -> "the creation of a unitary council for Derbyshire").

Read by the conversation resolver (`assistant.conversation`): a follow-up wants something new, not the quotes it
was already shown, and "the X one" is put back into the question as the item it picks out.
"""

from __future__ import annotations

import re

from common.text import split_sentences

# An answer's citation markers, and one that ends a claim of a run-in list ("… tariff [1]; the creation …").
_MARKER = re.compile(r"\[\d+(?:,\s*\d+)*\]|\[unverified\]")
_MARKER_THEN_BREAK = re.compile(r"(?<=\])[;,]\s+(?=\w)")
# The lead of an answer that is one quote ("From Quarterly Performance Report – Quarter 3, page 23: “…” [1]").
_QUOTE_LEAD = re.compile(r"^From [^“\n]*?:\s+(?=“)")


def answer_items(answer: str) -> list[str]:
    """The quoted sentences or list items of an answer, without markers and quotation marks."""
    items = []
    # A citation marker closes a claim: a model's run-in list ("… energy tariff [1]; the creation of 2,000 jobs …
    # [2]; …") is as many items as it has markers, like the quotes of a numbered list.
    claims = (claim for line in answer.splitlines() for claim in re.split(_MARKER_THEN_BREAK, line))
    for line in claims:
        line = re.sub(r"\s+(?=[.;,]$)", "", re.sub(_MARKER, "", line).rstrip())
        line = line.strip().lstrip("-•*").strip()
        line = _QUOTE_LEAD.sub("", line)  # the lead of a one-quote answer: "From …, page 23: “…”"
        line = re.sub(r"^(?:\(?\w{1,4}[.)])\s+", "", line)  # a list label
        line = line.strip("“”\"' ")
        for start, end in split_sentences(line):
            if len(line[start:end].split()) >= 3:
                items.append(line[start:end].strip("“”\"' "))
    return items


def short_phrase(item: str, wanted: set[str] | None = None, most: int = 14) -> str:
    """An item as a noun phrase: up to where its first clause ends (a comma, " to …", " which …"), keeping
    the words that picked it out, at most `most` words, without the final stop."""
    clause = re.split(r"[;:]|\s[–-]\s", item)[0].strip().rstrip(".")
    words = clause.split()
    keep = max((i for i, w in enumerate(words) if wanted and any(t in w.lower() for t in wanted)), default=0)
    for i, word in enumerate(words):
        ends_clause = word.lower() in ("to", "which", "that", "who", "where") or words[i - 1][-1:] == ","
        if i > keep and i >= 2 and ends_clause:
            words = words[:i]
            break
    words = [w.rstrip(",") for w in words]
    if words and words[0][:1].isupper() and words[0].lower() in {"the", "a", "an"}:
        words[0] = words[0].lower()
    return " ".join(words[:most])
