"""Text analysis shared by every layer: terms, figures, stems and the one sentence splitter.

Ingestion cuts over-long blocks at sentence ends, the lexical index turns questions into terms,
retrieval and evidence weigh terms and figures, citations quote whole sentences and the answer check
splits a model's answer into claims. They all use these functions, so "a sentence" and "a term" mean
the same thing everywhere. A table's lines (a row of figures, its label, its columns) are read by `common.rows`.
"""

from __future__ import annotations

import re
import unicodedata

from common.counts import COUNT_WORDS

# Words too common in questions to say anything about where the answer is.
STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just me more most my no nor not now of off on
    once only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours tell say said says papers paper report
    reports document documents please give show list mention mentioned much many according often long big
    large approximately roughly around latest recent got went come came make made take took get per since
    describe described think thought find found see saw kind sort way ways else themselves cannot can't won't
    don't doesn't didn't isn't aren't wasn't weren't shouldn't couldn't wouldn't hasn't haven't hadn't""".split()
)

# Common words that say little about a paper's subject: a question may use them ("Were people happy…",
# "…get on?", "…knew how its costs stacked up") without the passage that answers using them.
WEAK_WORDS = frozenset(
    """able actually again against ago almost already always anyone anything anywhere back bad bag behind best
    better big bit came can't could've couldn't did didn't does doesn't doing done don't early enough even ever
    every everyone everything exactly fair far feel felt few fine first free full gave get gets getting give given
    go goes going gone good got great happen happened happy hard help high hold huge idea isn't just keep kept
    kind knew know known last late least left less let like likely little look looked looking lot lots low main
    maybe mean meant mostly much must need needed needs new next nice none nothing old once one open overall
    part particular people pretty probably put quite rather ready real really right said same seem seemed seems
    set several shall short should've show simply since small so-called some someone something sometimes soon
    still straight stuff sure take taken takes tell thing things think though thought told took tried true try
    trying turn turned two up upon use used using usually want wanted wants wasn't way well went weren't whether
    whole why wide won't work worked worse worst wouldn't wrong yet""".split()
)

# Digits printed small and raised (a footnote's mark, a unit's power), as ingestion writes them.
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Word characters but superscripts: a footnote's mark ("contribution²⁶", "38¹") is not part of the word or figure.
_TOKEN = re.compile(rf"(?:[^\W{SUPERSCRIPT_DIGITS}]|[£$€%])+(?:[./,'’-][^\W{SUPERSCRIPT_DIGITS}]+)*", re.UNICODE)
# A figure may carry its unit: "£263m", "43%", "44.9FE" (forms of entry), "12MW", "3ha".
_FIGURE = re.compile(rf"(?<![\w.])[£$€]?\d[\d,.]*(?:[/-]\d+)?(?:%|(?:m|bn|k)\b|(?-i:FE|[MGk]Wh?|ha|km)\b|\b|"
                     rf"(?=[{SUPERSCRIPT_DIGITS}]))", re.IGNORECASE)
_YEAR = re.compile(r"(19|20)\d\d(?:[/-]\d{2}(?:\d{2})?)?")
YEAR_IN_TEXT = re.compile(r"\b(?:19|20)\d\d(?:[/-]\d{2}(?:\d{2})?)?\b")


def other_years_only(text: str, asked: list[str]) -> bool:
    """The sentence names years, and none of them is one the question asks about."""
    lower = text.lower()
    return bool(YEAR_IN_TEXT.search(text)) and not any(form in lower for y in asked for form in year_forms(y))


# A year as written, or a financial year in any of its forms: "2024", "2024/25", "2024-2025".
YEAR_WRITTEN = r"(?:19|20)\d\d(?:[/-]\d{2}(?:\d{2})?)?"
_FINANCIAL_YEAR = re.compile(r"((?:19|20)\d\d)[/-](\d{2}|\d{4})")


def year_forms(year: str) -> list[str]:
    """How a year may be written: a financial year "2024/25" also as "2024-25", "2024/2025", "2024-2025"."""
    match = _FINANCIAL_YEAR.fullmatch(year)
    if not match:
        return [year]
    first, second = match.group(1), match.group(2)[-2:]
    return [f"{first}{sep}{end}" for sep in "/-" for end in (second, first[:2] + second)]


def one_year_form(year: str) -> str:
    """A financial year in one form, "2024-25", however written ("2024/25", "2024-2025"); anything else as it is."""
    match = _FINANCIAL_YEAR.fullmatch(year)
    return f"{match.group(1)}-{match.group(2)[-2:]}" if match else year


# Answer types: a date, a person's name, a committee decision number.
_MONTH_OR_DAY = (r"january|february|march|april|may|june|july|august|september|october|november|december|monday|"
                 r"tuesday|wednesday|thursday|friday|saturday|sunday")
DATE_MENTION = re.compile(rf"\b(19|20)\d\d\b|\b({_MONTH_OR_DAY})\b", re.IGNORECASE)
# A date that is a deadline ("Approve plans … by January 2021", "until March 2025"): when something is to be done by,
# not when it happened. Read before the date.
DEADLINE_BEFORE = re.compile(r"\b(?:by|until|till|before|no later than)\s+(?:the\s+)?(?:end\s+of\s+)?"
                             r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?$", re.IGNORECASE)


# A date written whole ("31 January 2019", "January 2021", "Monday", "2017/18"), so a deadline is read once before it.
_WHOLE_DATE = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTH_OR_DAY})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?"
                         r"(?:,?\s+(?:19|20)\d\d)?\b|\b(?:19|20)\d\d\b", re.IGNORECASE)


def event_date_in(text: str) -> bool:
    """Whether the text gives a date that is not only a deadline ("… approved by Cabinet on 31 January 2019")."""
    return any(not DEADLINE_BEFORE.search(text[max(0, m.start() - 30):m.start()]) for m in _WHOLE_DATE.finditer(text))


# How often something happens ("on an annual basis", "quarterly", "every six weeks"): what "how often" asks for.
FREQUENCY_MENTION = re.compile(
    r"\b(annual(ly)?|yearly|biannual(ly)?|bi-annual(ly)?|quarterly|monthly|bi-monthly|fortnightly|weekly|daily|"
    r"twice|(once|one|two|three|four) times?|every (day|week|fortnight|month|quarter|year|\w+ (days|weeks|months|"
    r"years))|each (day|week|month|quarter|year)|per (annum|year|month|quarter|week)|a (year|month|week))\b",
    re.IGNORECASE)
PERSON_NAME = re.compile(
    r"\b(?:Cllr\.?|Councillor|Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Baroness|Professor)\s+[A-Z]"
    # "Paul Wilson - Chief Executive", "Judith Hurcombe, LGA …"; not "In Progress – Undertaken" (a first name is no
    # preposition or article).
    r"|\b(?!(?:In|On|At|Of|For|To|By|The|An?|And|Or|As|With|From|This|That|Its|Our)\s)"
    r"[A-Z][a-z]+(?:\s+[A-Z]\.?)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s*(?:,|\(|–|-|\n)\s*"
    r"(?:[A-Z][a-z]+|[A-Z]{2,5}\s+[A-Z][a-z]+|Chair|Leader|Cabinet)"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?,?\s+(?:the\s+)?(?:Interim\s+|Deputy\s+|Acting\s+)?"
    r"(?:Chief|Corporate|Executive|Director|Head|Leader|Chair|Chairman|Cabinet Member|Minister|Inspector|Officer)\b"
    r"|\b(?:Inspector|Director|Officer|Leader|Chair(?:man)?|Minister|Member)\s+[A-Z][a-z]+\s+[A-Z][a-z]+"
    # A contact list's "Clerk: Barbara McGarry", "Chairman: Nick Oakhill".
    r"|\b(?:Clerk|Chair(?:man|woman|person)?|Vice[- ]Chair(?:man)?|Treasurer|Secretary|Mayor|Leader|Inspector|"
    r"Director|Officer|[Mm]anager|[Aa]dvis[eo]r)\s*:\s*[A-Z][a-z]+\s+(?:Mc|Mac|O['’])?[A-Z][a-z]+")
# An organisation a council brings in, by the word that makes it a firm ("Newton Europe", "Proving Services Ltd",
# "Price Waterhouse Coopers"): "who is delivering it?" is answered by one as often as by a person. Not "Group",
# "Partners" or "Ventures": a council's "Chief Officer Group", "Teckal Joint Ventures" are no firm brought in.
COMPANY_NAME = re.compile(r"\b[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}\s+(?:Ltd|Limited|LLP|plc|PLC|Europe|"
                          r"Consulting|Consultancy|Consultants|Coopers|Associates)\b")


def names_someone(text: str) -> bool:
    """The text names a person or a firm: what a "who …" question asks for."""
    return bool(PERSON_NAME.search(text) or COMPANY_NAME.search(text))


DECISION_NUMBER = re.compile(r"\b\d{2}/\d{5}\b")
# How to reach someone, as reports print it under "Contact details": an email address or a UK phone number
# ("03000 410 066", "01629 761125", "03000416892").
CONTACT_DETAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b")
# Where a piece of work stands, as progress reports and their status columns put it ("Review Completed –
# Implementation underway", "on hold for twelve months", "Review in Progress"): what "what is its status" asks for.
STATUS_MENTION = re.compile(
    r"\b(completed?|concluded|finished|in progress|under ?way|ongoing|on hold|paused|suspended|postponed|delayed|"
    r"deferred|not (yet )?(started|begun|commenced)|on track|off track|behind schedule|ahead of schedule|"
    r"implemented|cancelled|withdrawn|superseded)\b", re.IGNORECASE)
# UK political parties, for questions that ask which party.
PARTY = re.compile(r"\b(Labour|Conservatives?|Tory|Tories|Liberal Democrats?|Lib Dems?|Green Party|Greens|"
                    r"Reform UK|Independents?|UKIP|Plaid Cymru|SNP)\b")

WANTS_FIGURE = re.compile(
    r"\b(how (much|many|big|large)|what (proportion|percentage|share|level|value|amount|number|sum|figure)|"
    r"what rate|what savings)\b", re.IGNORECASE)


def words(text: str) -> list[str]:
    """Tokens as written (figures kept whole: "£263m", "2017/18", "1,192")."""
    return _TOKEN.findall(text)


def query_terms(text: str) -> list[str]:
    """Content terms, lower-cased, stopwords and single letters dropped, in order, without repeats."""
    terms: list[str] = []
    for raw in _TOKEN.findall(text):
        token = re.sub(r"['’]s$", "", raw).strip("'’").lower()
        stop = token in STOPWORDS or token.replace("’", "'") in STOPWORDS  # "can’t" typed with a curly apostrophe
        if token and not stop and not (len(token) == 1 and not token.isdigit()):
            terms.append(token)
    return list(dict.fromkeys(terms))


def term_pairs(text: str, terms: list[str], distinctive: set[str] | None = None) -> list[tuple[str, str]]:
    """Pairs of `terms` that stand side by side in `text` ("financial resilience", "internal audit"), in order, each
    once. With `distinctive`, only pairs with one word of it."""
    wanted = set(terms)
    tokens = [re.sub(r"['’]s$", "", t).lower() for t in _TOKEN.findall(text)]
    pairs = [(a, b) for a, b in zip(tokens, tokens[1:], strict=False) if a in wanted and b in wanted and a != b
             and not any(ch.isdigit() for ch in a + b)
             and (distinctive is None or a in distinctive or b in distinctive)]
    return list(dict.fromkeys(pairs))


def phrases(text: str, terms: list[str], distinctive: set[str] | None = None) -> list[re.Pattern[str]]:
    """Pairs of `terms` that stand side by side in `text` ("internal audit", "audit function"), as patterns that
    find them side by side elsewhere, either word with an ending ("audit functions"). With `distinctive`, only
    pairs with one word of it."""
    return [re.compile(rf"\b{re.escape(stem(a))}\w*\W+{re.escape(stem(b))}", re.IGNORECASE)
            for a, b in term_pairs(text, terms, distinctive)]


def written_as_name(term: str, text: str, capitals: bool = True) -> bool:
    """Whether a term is written with a capital mid-sentence in `text`: a name ("Cotmanhay"), or with `capitals` one
    in capitals ("CQC", "UASC")."""
    written = re.escape(term[:1].upper() + term[1:]) + (f"|{re.escape(term.upper())}" if capitals else "")
    return bool(re.search(rf"(?<![.?!]\s)(?<!^)\b(?:{written})", text))


def small_words_in_capitals(text: str) -> list[str]:
    """Short forms in capitals that spell a common word ("IT", "GET", "US"), lower-cased: only the capitals tell them
    from the word, which searching drops. None in a text written in capitals throughout ("HOW MUCH IS IT?")."""
    tokens = [w for w in words(text) if len(w) > 1 and any(ch.isalpha() for ch in w)]
    if sum(w.isupper() for w in tokens) * 2 > len(tokens):
        return []
    return list(dict.fromkeys(w.lower() for w in tokens if w.isupper() and w.lower() in STOPWORDS))


_NAME_PHRASE = re.compile(r"(?<![.?!]\s)(?<!^)\b((?:[A-Z][\w'’&-]*\s+)+[A-Z][\w'’&-]*)")


def names_as_written(text: str) -> list[str]:
    """Names of two or more capitalised words written mid-sentence, as written ("Vision Derbyshire", "Kent
    Highways")."""
    return [m.group(1) for m in _NAME_PHRASE.finditer(text)]


def name_phrases(text: str) -> list[str]:
    """Names of two or more capitalised words written mid-sentence ("the Better Lives programme" -> "better lives",
    "Kent Highways"), lower-cased."""
    return [" ".join(name.lower().split()) for name in names_as_written(text)]


def stem(term: str) -> str:
    """A crude prefix stem, enough to see "recommendations" in "recommended"."""
    if any(ch.isdigit() for ch in term):
        return term
    return term[:6] if len(term) > 6 else term.rstrip("s")


def figures_in(text: str) -> list[str]:
    """Figures, years and amounts as written ("£263m", "2017/18", "1,192", "43%"), lower-cased."""
    return [m.group(0).rstrip(".,").lower() for m in _FIGURE.finditer(text) if any(ch.isdigit() for ch in m.group(0))]


def is_year(figure: str) -> bool:
    return bool(_YEAR.fullmatch(figure))


_REFERENCE = re.compile(r"\b(?:tables?|figures?|charts?|graphs?|appendix|appendices|annex|sections?|paragraphs?|"
                        r"paras?|pages?|pp?\.)\s+\d+(?:\.\d+)*[a-z]?\b", re.IGNORECASE)
_BROKEN_YEARS = re.compile(r"\b((?:19|20)\d\d)-\s+(\d\d)\b")


def quantities(text: str) -> list[str]:
    """Figures that are amounts or counts: not bare years, not a paragraph number ("1.3 The study…")."""
    text = re.sub(r"^\s*\d+(\.\d+)*\s+", "", text)
    text = _REFERENCE.sub(" ", text)  # "Table 7.4 shows …", "see paragraph 2.9" number a part of the paper
    text = _BROKEN_YEARS.sub(r"\1-\2", text)  # "2024- 25", a financial year broken at a line's end
    # Years and phone numbers ("01629 761125") are not amounts.
    return [f for f in figures_in(text) if not is_year(f) and not re.fullmatch(r"0\d{4,}", f)]


def amounts_in_words(text: str) -> list[str]:
    """Large amounts written in words, lower-cased: "two million" in "over two million miles". An answer's figure
    when "how much" is asked; not a figure the ingest or the attribution check reads (they compare digits)."""
    return [m.group(0).lower() for m in _AMOUNT_IN_WORDS.finditer(text)]


# A large amount written in words: "over two million miles", "half a million", "three hundred thousand".
_AMOUNT_IN_WORDS = re.compile(r"\b(?:a|half\s+a|one|" + "|".join(COUNT_WORDS) + r"|twenty|thirty|forty|fifty|hundreds|"
                              r"thousands)\s+(?:hundred\s+)?(?:thousand|million|billion)\b", re.IGNORECASE)


# A short label with a count, heading what follows it: "For (57)", "Against (0)", "Abstain (2)" over the names of
# a recorded vote.
COUNT_LABEL = re.compile(r"^\s*[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,2}\s*\(\d+\)\s*$")

_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_DAY_OF_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
                           re.IGNORECASE)


# A share written as a count of a whole: "17 of the 38 indicators", "two out of five", "9 of its 12 KPIs".
_PROPORTION = re.compile(rf"(?<!page )\b\d[\d,]*\s+(?:out\s+)?of\s+(?:the\s+|its\s+|all\s+|these\s+)?"
                         rf"\d[\d,]*(?![\d,]*%)(?=[{SUPERSCRIPT_DIGITS}\s.,;:)]|$)")


# A place in a ranking is no share: "ranked at 16 out of 27 county councils".
_RANK_BEFORE = re.compile(r"\b(?:rank\w*|position\w*|placed|came)\s+(?:at\s+|as\s+|number\s+)?$", re.IGNORECASE)


def gives_share(text: str) -> bool:
    """Whether a sentence gives a percentage, "per cent", or a share as a count of a whole ("17 of the 38")."""
    return any(f.endswith("%") for f in figures_in(text)) or bool(re.search(r"\bper ?cent\b", text, re.I)) \
        or any(not _RANK_BEFORE.search(text[:m.start()]) for m in _PROPORTION.finditer(text))


def amounts(text: str) -> list[str]:
    """The quantities that are amounts asked for by "how much", "what level": not the day of a date ("31 March
    2026" gives no amount)."""
    return quantities(_DAY_OF_MONTH.sub(" ", text))


def is_sum(figure: str) -> bool:
    """Whether a figure as `amounts` gives it is a sum of money: "£263m", "$5", "1.5bn", "211k"."""
    return figure[:1] in "£$€" or bool(re.fullmatch(r"[\d,.]+(?:m|bn|k)", figure))


def numbered_rows_run_together(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a numbered table's row read as a sentence: "9. Addressing … climate change 10.",
    then "Flood defence and … flood management 11.": it ends with the number that follows the one labelling it or
    ending the "sentence" before it."""
    ending = re.search(r"\s(\d{1,3})\.\s*$", text[start:end])
    if ending is None:
        return False
    before = re.search(r"(\d{1,3})\.\s*$", text[:start])
    label = re.match(r"\s*(\d{1,3})\.\s", text[start:end])
    return any(m is not None and int(m.group(1)) == int(ending.group(1)) - 1 for m in (before, label))


def states_sum(text: str) -> bool:
    """Gives a sum of money or a percentage ("£23.3m", "5%"), not only a count ("within 28 days", "the 50 pledges")."""
    return any(a[:1] in "£$€" or a.endswith(("%", "m", "bn")) for a in amounts(text))


# Words that pass a verdict ("a positive assessment", "praised", "realistic"): a sentence saying one about what a
# paper reports must find the same verdict in it, not only the same subject.
JUDGEMENT_WORDS = frozenset("""positive negative good poor strong weak excellent outstanding impressive praised
    welcomed criticised criticized realistic unrealistic successful unsuccessful""".split())


# A section that lists the papers a report drew on ("4. Background Papers", "References"): titles and dates, no
# findings.
# The heading of a written answer to a question put ("Answer"), in a council's questions paper.
ANSWER_HEADING = re.compile(r"^\W*(?:answer|response|reply)\W*$", re.IGNORECASE)
REFERENCE_SECTION = re.compile(r"^\W*(?:\d+(?:\.\d+)*\.?\s+)?(?:background papers|references|bibliography|"
                               r"list of background papers)\b", re.IGNORECASE)


# A heading longer than the index keeps ends with this where it was cut, at a word's end (ingest.chunking).
CUT_MARK = " …"


def uncut(heading: str) -> str:
    """A stored heading without its cut mark: the words the heading starts with in the paper's text."""
    return heading[: -len(CUT_MARK)] if heading.endswith(CUT_MARK) else heading


def last_heading(section: str) -> str:
    """The innermost heading of a chunk's section path ("4. Feedback > 4.4 Financial planning" -> "4.4 Financial
    planning")."""
    return section.rsplit(" > ", 1)[-1]


# A statement quoted twice with a few words changed or put before it: a repeat when the shorter is long enough to
# tell (12 words), at least four fifths of the longer's length, and nine in ten of its words are the longer one's,
# with the same figures.
NEAR_REPEAT_WORDS = 12
NEAR_REPEAT_LENGTH = 0.8
NEAR_REPEAT_SHARE = 0.9


def nearly_same(text: str, other: str) -> bool:
    """The same statement printed twice, but for a few words ("… the Leader of the Council [Cabinet] to submit …"
    on a cover and without "[Cabinet]" in section 5; "The aim of this project is to There was a decision made …" in a
    form beside "There was a decision made …"); not two rows or sentences that differ in a figure."""
    mine, theirs = (words(normalise_ws(t).lower()) for t in (text, other))
    if mine == theirs:
        return True
    if sorted(amounts(text)) != sorted(amounts(other)):
        return False  # "… £12.1m in 2025-26" and "… £12.6m in 2025-26" say different things
    shorter, longer = sorted((mine, theirs), key=len)
    return len(shorter) >= NEAR_REPEAT_WORDS and len(shorter) >= NEAR_REPEAT_LENGTH * len(longer) \
        and len(set(shorter) & set(longer)) >= NEAR_REPEAT_SHARE * len(set(shorter))


def nfkc(text: str) -> str:
    """NFKC (ligatures, full-width forms, no-break spaces) except superscript digits: a footnote mark is not a digit
    of the figure it follows ("38¹" must not read "381")."""
    return "".join(part if part in SUPERSCRIPT_DIGITS else unicodedata.normalize("NFKC", part)
                   for part in re.split(f"([{SUPERSCRIPT_DIGITS}])", text))


def normalise_ws(text: str) -> str:
    return re.sub(r"\s+", " ", nfkc(text)).strip()


# --- sentences ---------------------------------------------------------------------------------
_ABBREVIATIONS = frozenset(
    "e.g i.e etc no nos mr mrs ms dr cllr st vs approx para paras ref fig cf inc ltd co dept est min max vol "
    "p pp ch sec art jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# A sentence ends at . ! ? (and a closing quote or bracket) before a space and a capital, digit, quote,
# bracket or bullet; a line break always ends one (chunk text holds one block per line).
_END = re.compile(r"([.!?][\"'”’)\]]*)[ \t]+(?=[A-Z0-9“\"'‘(£$€•])|[ \t]*\n\s*")
# The label a list item opens with ("1.", "a)", "(iv)", "2.3.", "-", "•") and the space after it: numbering,
# not words or figures of the item.
LIST_LABEL = re.compile(r"^\s*(?:[-*•–]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,5})[.)])\s+", re.IGNORECASE)
# A list label at the start of a line ("1.", "a.", "iv.", "2.3.") is numbering, not a sentence.
_LABEL = re.compile(r"(?:^|\n)[ \t]*\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxlc]{1,5})[.)]$", re.IGNORECASE)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in `text`, trimmed of surrounding whitespace.

    Does not end a sentence after an abbreviation ("e.g.", "No."), an initial ("J. Smith"), inside a
    figure ("£1.5m"), or after a list label ("1.", "a.") at the start of a line.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        end = match.start() + len(match.group(1) or "")
        before = text[start:end]
        if match.group(1):
            last = re.findall(r"([\w.]+)\.[\"'”’)\]]*$", before)
            word = last[0].lower().lstrip("(\"'“‘") if last else ""
            if word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                continue
            if len(before.strip()) <= 6 and _LABEL.search(text[:end]):
                continue
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        segment = text[s:e]
        lead = len(segment) - len(segment.lstrip())
        trail = len(segment.rstrip())
        if trail > lead:
            out.append((s + lead, s + trail))
    return out
