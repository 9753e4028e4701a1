"""Follow-up questions: what "they", "it", "that programme" or "the cleanest city one" refer to.

A conversation is a list of earlier turns, each with its question, its answer and what it was about
(the councils and papers it covered). A follow-up is resolved against them into a question that
stands alone, and it inherits the earlier scope when it names none of its own:

- "What about Derby City?" / "And in 2018?" swap the council or year of the previous question;
- "the cleanest city one", "that programme", "the same period" become the item, name or years of the
  earlier question or answer they point at;
- "they", "it", "its" become the council or paper the conversation is about;
- "Why?" ("When?") asks the previous question's why, of what its answer gave (assistant.question_word).
No keywords are appended: what a follow-up means is put into its words, and its scope is carried as
scope (see QuestionAnalysis), so retrieval looks in the same papers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.analysis import QuestionAnalyzer
from assistant.answer_items import answer_items, short_phrase
from assistant.cues import MONTHS, PART_JOIN, VIEW_CUE
from assistant.intent import Intent
from assistant.question_word import asked_of
from assistant.what_about import asked_again
from common.text import (
    STOPWORDS,
    WEAK_WORDS,
    YEAR_IN_TEXT,
    names_as_written,
    normalise_ws,
    query_terms,
    small_words_in_capitals,
    stem,
)


@dataclass
class Turn:
    """One earlier exchange, as the front end remembers it."""

    question: str
    answer: str = ""  # the answer shown (quotes and all); "" when only the question is known
    standalone: str = ""  # the question as it was understood
    councils: list[str] = field(default_factory=list)  # councils it was about
    doc_ids: list[str] = field(default_factory=list)  # papers its answer cited

    @property
    def understood(self) -> str:
        return self.standalone or self.question


def turn_from_json(question: str, answer: dict) -> Turn:
    """A turn from an answer's JSON (`Answer.to_json()`), as the chat page and API clients keep it."""
    doc_ids = [c.get("doc_id", "") for c in answer.get("citations", []) if isinstance(c, dict)]
    return Turn(question, str(answer.get("answer", "")), str(answer.get("standalone_question", "")),
                [str(c) for c in answer.get("councils", [])], list(dict.fromkeys(d for d in doc_ids if d)))


@dataclass
class Resolved:
    standalone: str
    is_followup: bool = False
    seen: frozenset[str] = frozenset()  # the quotes earlier answers showed, normalised
    councils: list[str] = field(default_factory=list)  # inherited councils (when the question names none)
    doc_ids: list[str] = field(default_factory=list)  # inherited papers
    # The earlier answer's item "the unitarisation one" picks out, and whether its own words are asked for ("what
    # does the unitarisation one actually say?") rather than something new about it.
    referent: str = ""
    wants_wording: bool = False
    # Whether the follow-up, as typed, points back at what the conversation is about ("it", "they", "their").
    points_back: bool = False


_CUE = re.compile(r"^\s*(and|also|but|so|then|what about|how about|what of|same for)\b|"
                  r"\b(it|its|it's|they|their|them|theirs|he|she|his|her|that|this|those|these|there|same|"
                  r"former|latter|above|previous|earlier)\b", re.IGNORECASE)
_THE_X_ONE = re.compile(r"\b(?:the|that|this)\s+(?P<words>(?:[\w'’-]+\s+){0,4}?[\w'’-]+)\s+one\b"
                        r"|\bthe one (?:about|on|for|regarding|concerning|that (?:mentions?|says?|is about))\s+"
                        r"(?P<about>(?:the\s+)?(?:[\w'’-]+\s*){1,5}?)(?=[-–,?;:]|\s[-–]|$)", re.IGNORECASE)
# Asking for an item's own words, not a new fact about it: "what does the X one say", "more on the X one".
_ASKS_WORDING = re.compile(r"\b(?:say|says|said|mean|means|meant|involve|involves|cover|covers|entail|entails)\b"
                           r"|\bmore (?:about|on)\b|\bin full\b|\bexact(?:ly)? (?:words?|wording)\b"
                           r"|\bwhat (?:is|was) (?:the|that|this) (?:[\w'’-]+\s+){0,4}?one about\b", re.IGNORECASE)
# Asking to set side by side what the last two answers gave: "how does that compare?", "which is bigger?".
_COMPARED = re.compile(r"^\s*(?:and\s+|so\s+)?(?:how (?:does|do|did) (?:that|this|it|they|these|those|the two) "
                       r"compare\b|compare (?:them|the two|these|those|both)\b|which (?:one |of the two )?(?:is|was) "
                       r"(?:the )?(?:bigger|larger|higher|lower|smaller|better|worse|more|less)\b|what(?:['’]s| is) "
                       r"the difference\b)", re.IGNORECASE)
_ORDINALS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "last",
             "final", "next", "previous", "other"}
# Who did something in the previous question: "they" usually means them ("the 2018 peer challenge": its team).
_AGENT = re.compile(r"\b(the (?:\w+ )?(?:peer team|peers|peer challenge|peer review|review team|team|inspector|panel|"
                    r"committee|cabinet|board|auditors?|government|minister|officers?|members|councillors))\b",
                    re.IGNORECASE)
# A named thing of the previous question: "it" usually means it ("the Better Lives programme").
_ENTITY_NOUNS = (r"(?i:programme|program|plan|strategy|review|scheme|project|initiative|policy|fund|board|service|"
                 r"model|study|pilot|approach|authority|partnership|deal|report|statement|library|centre|facility|register|"
                 r"assessment|letter|budget|amendment|group|committee|panel|forum|commission|network|taskforce|trust)")
_ENTITY = re.compile(r"\b((?:the\s+)?(?!(?:Which|What|How|When|Who|Why|Where|Did|Does|Do|Is|Was|Were|Are|Has|Have|"
                     r"And|The)\b)(?:[A-Z][\w'’&-]*\s+){1,6}" + _ENTITY_NOUNS + r")\b"
                     r"|\b(the\s+(?:[\w'’&-]+\s+){0,6}" + _ENTITY_NOUNS + r")\b"
                     # A numbered one: "amendment 8", "recommendation 3", "Policy SP2", "item 88".
                     r"|\b((?i:amendment|recommendation|item|motion|question|policy|decision|minute|appendix)"
                     r"\s+[A-Z]{0,3}\d[\w/.-]*)")
_ABOUT = re.compile(r"\b(?:about|on|regarding|concerning|of)\s+(?P<topic>(?:(?:the|its|their|[A-Z][\w'’-]*['’]s)\s+)?"
                    r"(?:[\w'’-]+\s*){1,5}?)\s*(?:\?|$|,| in \d{4}| at | for )", re.IGNORECASE)
_SUBJECT = re.compile(r"\b(?:was|were|is|are)\s+(?P<topic>(?:the\s+|(?:[A-Z][\w'’-]*\s+){0,4}[\w'’-]+['’]s\s+)"
                      r"(?:[\w'’-]+\s+){0,3}?[\w'’-]+?"
                      # Or a name without "the": "What is Vision Derbyshire?"
                      r"|(?-i:[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,5}))"
                      r"(?=\s+(?:it|they|that|which|who|for|of|in|at|over|by|on)\b|\s*\?|\s*$)", re.IGNORECASE)
# What a "which X …" question asks about, after its verb: "Which directorate is driving the overspend?" -> "the
# overspend" (the directorate is what it asks for, not what a next "what is being done about it?" means).
_OBJECT = re.compile(r"^\s*(?:which|what)\s+[a-z-]+\s+(?:[\w'’-]+\s+){1,3}?(?P<topic>the\s+(?:[\w'’-]+\s+){0,3}"
                     r"[\w'’-]+)\s*\??\s*$", re.IGNORECASE)
# (Not "What is the Kent Minerals …": what one thing is asks for no kind of thing; "What are the CIL rates?" asks
# for the rates.)
_WHICH_NOUN = re.compile(r"^\s*(?:which|what)\s+(?!(?:is|was)\b)(?:of\s+(?:the|them|these|those)\s+)?"
                         r"(?:[a-z-]+\s+){0,3}?"
                         r"(?P<noun>[a-z]{3,}[^suio\W]s)\b|^\s*(?:which|what)\s+(?P<single>[a-z]+)", re.IGNORECASE)
# "How many potholes did Kent Highways repair within 28 days …?": the things counted and how they were.
_COUNTED = re.compile(r"^\s*how many\s+(?P<noun>(?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+(?:did|do|does|were|was|are|have|has|"
                      r"will|had)\s+(?P<rest>[^?]+?)\s*\??\s*$", re.IGNORECASE)
# "that" standing for a thing, not pointing at a noun: "how does that compare", "what share does that represent".
_THAT_PRONOUN = re.compile(r"\b(?:does|did|is|was|will|would|has)\s+(that|this)\b(?!\s+(?:programme|plan|report|"
                           r"one|board|scheme|project))|\b(that|this)\s+(?=(?:compare|compares|represent|represents|"
                           r"mean|means|include|includes|cover|covers)\b)", re.IGNORECASE)
_DEMONSTRATIVE_END = re.compile(r"\b(?:about|with|on|for|of|to|into)\s+(it|that|this|them)\b(?=\s*(?:\?|$|,|\s+\w))",
                                re.IGNORECASE)
_THAT_NOUN = re.compile(r"\b(?:that|this|the same|those|these)\s+(?P<noun>programme|program|plan|report|strategy|"
                        r"review|scheme|project|recommendation|pledge|priority|board|initiative|policy|paper|"
                        r"document|council|team|budget|fund|approach|concept|service|study|statement|meeting)s?\b",
                        re.IGNORECASE)
_SAME_TIME = re.compile(r"\b(?:over |in |during |for )?(?:that|the same|this) (?:period|year|time)\b|\bback then\b",
                        re.IGNORECASE)
# "which of them" after a list: of the things it listed.
_OF_THEM = re.compile(r"\b(of|among)\s+(?:them|these|those)\b", re.IGNORECASE)
_POINTS_BACK = re.compile(r"\b(?:it|its|they|them|their)\b", re.IGNORECASE)


class ConversationResolver:
    def __init__(self, analyzer: QuestionAnalyzer) -> None:
        self.analyzer = analyzer

    def resolve(self, question: str, history: list[Turn]) -> Resolved:
        # A short form in capitals that spells a small word is no pronoun: "How much did the council spend on IT?"
        # was read as "… spend on the number of KPIs green?". Each is held as a name while the question is read.
        points_back = bool(_POINTS_BACK.search(question))
        forms = [w.upper() for w in small_words_in_capitals(question)]
        for n, form in enumerate(forms):
            question = re.sub(rf"\b{form}\b", f"Shortform{n}x", question)
        resolved = self._resolve(question, history)
        for n, form in enumerate(forms):
            resolved.standalone = resolved.standalone.replace(f"Shortform{n}x", form)
        resolved.points_back = resolved.is_followup and points_back
        return resolved

    def _resolve(self, question: str, history: list[Turn]) -> Resolved:
        previous = next((t for t in reversed(history) if t.question.strip()), None)
        if previous is None:
            return Resolved(question)
        previous = self._with_councils(previous)
        own_councils = self.analyzer.catalogue.councils_named(question)
        names_paper = self.analyzer.catalogue.names_a_paper(question)
        cued = bool(_CUE.search(question)) or len(question.split()) <= 5 or bool(_THE_X_ONE.search(question))
        if not cued and (own_councils or names_paper):
            return Resolved(question)  # a new question about something it names
        first, *rest = PART_JOIN.split(question)
        if rest and not _CUE.search(first) and (_ENTITY.search(first) or own_councils or names_paper):
            # "How much is the Better Lives programme meant to save, and who was brought in to deliver it?": "it" is
            # what the question's own first part names, not something from before.
            return Resolved(question)
        compared = self._compared(question, history)
        text = compared or asked_again(question, previous.understood, self.analyzer.catalogue.councils_named,
                                       lambda text: self._mention(text, previous.councils)) \
            or asked_of(question, previous.understood, previous.answer) or question
        text, item = self._the_x_one(text, history, previous)
        text = self._that_noun(text, history)
        text = self._same_time(text, previous)
        text = self._of_them(text, previous)
        text = self._references(text, previous, own_councils)
        councils = [] if own_councils else list(previous.councils)
        # What earlier answers showed is not shown again, unless it is asked to be set side by side, or it holds
        # what the follow-up newly asks about ("And how much in efficiency savings did it make?" after the sentence
        # giving the staff numbers "… and efficiency savings of over £47 million were achieved"). Not when a view is
        # asked of it: "what did they make of the pool?" after the pledge to build one wants what was said of it.
        new = set() if VIEW_CUE.search(question) else {stem(t) for t in query_terms(question) if t not in WEAK_WORDS} \
            - {stem(t) for t in query_terms(previous.understood)}
        shown = (normalise_ws(item).lower() for turn in history for item in answer_items(turn.answer))
        seen = frozenset() if compared else frozenset(item for item in shown if not any(w in item for w in new))
        # The papers it follows: those the answer cited, or, when it cited none (it was refused), those the question
        # named beyond doubt ("… Kent's education commissioning plan …" -> "And how much at primary level?").
        followed = previous.doc_ids or self.analyzer.analyse(previous.understood).clearly_named_docs
        return Resolved(_tidy(text), is_followup=True, councils=councils, seen=seen,
                        doc_ids=[] if own_councils or names_paper else list(followed), referent=item,
                        wants_wording=bool(item and _ASKS_WORDING.search(question)))

    def _with_councils(self, turn: Turn) -> Turn:
        """A turn known only by its question (an eval history, an API client's): what it named is what it was
        about."""
        if turn.councils:
            return turn
        return replace(turn, councils=self.analyzer.catalogue.councils_named(turn.understood))

    def _compared(self, question: str, history: list[Turn]) -> str:
        """"How does that compare?" after one question asked of two councils in turn ("What did the 2018 peer
        challenge say about Derbyshire's reserves?", "And Derby City's?"): that question, of both, side by side."""
        turns = [t for t in history if t.question.strip()][-2:]
        if not _COMPARED.search(question) or len(turns) < 2:
            return ""
        named = [self._with_councils(t).councils for t in turns]
        if any(len(councils) != 1 for councils in named) or named[0] == named[1]:
            return ""
        first = turns[0].understood
        mention = self._mention(first, named[0])
        if not mention:
            return ""
        each = "each council's" if mention.endswith(("'s", "’s")) else "each council"
        return f"Compare {named[0][0]} and {named[1][0]}: {first.replace(mention, each, 1)}"

    def _mention(self, text: str, councils: list[str]) -> str:
        """How `text` names one of `councils` ("Derbyshire County Council", or just "Derbyshire")."""
        for council in councils:
            if council in text:
                return council
            words = [w for w in council.split() if w.lower() not in ("council", "county", "city", "district",
                                                                     "borough")]
            pattern = r"\b" + r"\s+".join(map(re.escape, words)) + r"(?:\s+(?:County|City|District|Borough))?" \
                      r"(?:\s+Council)?(?:['’]s)?"
            match = re.search(pattern, text)
            if match:
                return match.group(0)
        return ""

    def _the_x_one(self, text: str, history: list[Turn], previous: Turn) -> tuple[str, str]:
        """"the cleanest city one" / "the one about the operating model" -> the item of an earlier answer (or
        question) those words pick out; "the second one" -> "the second workshop" (the thing last asked about).
        Also returns the earlier answer's item itself, when it was one ("" otherwise)."""
        match = _THE_X_ONE.search(text)
        if not match:
            return text, ""
        words = match.group("words") or match.group("about") or ""
        if words.lower() in _ORDINALS:
            noun = _asked_noun(previous.understood)
            return (text[:match.start()] + f"the {words.lower()} {noun}" + text[match.end():] if noun else text), ""
        wanted = set(query_terms(words))
        if not wanted:
            return text, ""
        best, best_score, from_answer = "", 0.0, False
        for turn in reversed(history):
            items = answer_items(turn.answer)
            for line in [*items, turn.understood]:
                have = set(query_terms(line))
                score = len(wanted & have) / len(wanted)
                if score > best_score:
                    best, best_score, from_answer = line, score, line in items
            if best_score >= 1.0:
                break
        if best_score < (1.0 if len(wanted) <= 2 else 0.67):
            return text, ""  # no earlier item is clearly the one meant: the words themselves are searched
        return text[:match.start()] + short_phrase(best, wanted) + text[match.end():], best if from_answer else ""

    def _that_noun(self, text: str, history: list[Turn]) -> str:
        """"that programme" -> the programme an earlier turn named ("the Better Lives programme")."""
        match = _THAT_NOUN.search(text)
        if not match:
            return text
        noun = match.group("noun").lower().rstrip("s")
        pattern = re.compile(rf"\b((?:[A-Z][\w'’-]*\s+){{1,5}}){noun}s?\b", re.IGNORECASE)
        for turn in reversed(history):
            for source in (turn.understood, turn.answer):
                for found in pattern.finditer(source):
                    words = [w for w in found.group(1).split() if w[:1].isupper() and w.lower() not in STOPWORDS]
                    if words:
                        phrase = " ".join(words) + " " + noun
                        return text[:match.start()] + "the " + phrase + text[match.end():]
        return text

    def _same_time(self, text: str, previous: Turn) -> str:
        years = YEAR_IN_TEXT.findall(previous.understood)
        if not years or YEAR_IN_TEXT.search(text):
            return text
        return _SAME_TIME.sub(f"in {years[0]}", text, count=1)

    def _of_them(self, text: str, previous: Turn) -> str:
        """"which of them" after a list question -> which of the things that question listed ("Which of the key
        recommendations of the 2018 peer challenge is about the budget?"), so the list is searched, not the
        council."""
        if not _OF_THEM.search(text):
            return text
        before = previous.understood
        analysis = self.analyzer.analyse(before)
        if analysis.intent != Intent.LIST or not analysis.list_noun:
            return text
        noun = re.escape(analysis.list_noun.rstrip("s"))
        listed = re.search(rf"\b(?:the|its|their)\s+[^?.]*?\b{noun}s?\b[^?.]*", before, re.IGNORECASE) or \
            re.search(rf"(?:(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*['’]s\s+)?(?:['‘][^'’]+['’]\s+)?\b{noun}s?\b[^?.]*", before)
        if not listed:
            return text
        return _OF_THEM.sub(lambda m: f"{m.group(1)} {listed.group(0).strip()}", text, count=1)

    def _references(self, text: str, previous: Turn, own_councils: list[str]) -> str:
        """"about it" / "with that" -> what the previous question was about; "it" -> the thing it named;
        "they" -> who it asked about (the peer team, the cabinet), else the plural it asked for, else the
        council."""
        before = previous.understood
        topic = _topic(before)
        text = _DEMONSTRATIVE_END.sub(lambda m: m.group(0)[: -len(m.group(1))] + topic if topic else m.group(0), text,
                                      count=1)
        if topic:
            text = _THAT_PRONOUN.sub(lambda m: m.group(0).replace(m.group(1) or m.group(2), topic, 1), text, count=1)
        council = previous.councils[0] if len(previous.councils) == 1 and not own_councils else ""
        entity_match = _ENTITY.search(before)
        entity = next((g for g in entity_match.groups() if g), "") if entity_match else ""
        noun = _asked_noun(before)
        # What that question asked the state of: "What was it the year before?" after "What is KCC's pay multiple?"
        # (but "its" is an owner's: "how big was its capital programme?" after "… Derby City Council's budget").
        subject = _SUBJECT.search(before)
        if entity and (noun or subject) and self.analyzer.catalogue.names_a_paper(entity):
            # "What overspend did the Q3 finance monitoring report forecast?", "What is the forecast revenue overspend
            # in the Q3 finance monitoring report?" -> "which directorate is driving it?": "it" is the overspend
            # asked about, not the paper that gives it (the follow-up stays with that paper).
            entity = ""
        agent = _AGENT.search(before)
        asked = _asked_noun(before, plural=True)
        owner = entity or (f"the {noun}" if noun else "") or council
        # Else a name the question wrote ("… towards Vision Derbyshire?"), not a council's.
        named = next((name for name in names_as_written(before) if not self.analyzer.catalogue.councils_named(name)),
                     "")
        it = entity or (subject.group("topic").strip() if subject else "") or owner or named
        they = (agent.group(1) if agent else "") or (f"the {asked}" if asked else "") or council
        if owner:
            text = re.sub(r"\bits\b", _possessive(owner), text, count=1, flags=re.IGNORECASE)
        if it:
            text = re.sub(r"\bit\b(?!['’]s)", it, text, count=1, flags=re.IGNORECASE)
        if they:
            text = re.sub(r"\btheir\b", _possessive(they), text, count=1, flags=re.IGNORECASE)
            text = re.sub(r"\b(they|them)\b", they, text, count=1, flags=re.IGNORECASE)
        # "What did she conclude?" after "Who examined it?": the holder of the role that question asked for (its
        # answer named the person; the role is what the papers call them).
        person = re.search(r"\b(?:he|she|his|her)\b", text, re.IGNORECASE)
        asked_who = re.match(r"^\s*(?:and\s+)?who\b", before, re.IGNORECASE)
        role = self.analyzer.analyse(before).asked_kind if person and asked_who else ""  # (analysed only then)
        if role:
            text = re.sub(r"\b(?:he|she)\b", f"the {role}", text, count=1, flags=re.IGNORECASE)
            text = re.sub(r"\b(?:his|her)\b", _possessive(f"the {role}"), text, count=1, flags=re.IGNORECASE)
        return text


def _possessive(phrase: str) -> str:
    return phrase + ("’" if phrase.endswith("s") else "'s")


def _topic(question: str) -> str:
    """What a question is about: the words after "about"/"on" ("…say about sickness absence at …"), else
    what it asks the size or state of ("how big was the budget gap it still faced" -> "the budget gap"), else
    the count it asks for ("how many potholes did Kent Highways repair …" -> "the number of potholes Kent
    Highways repair …", what "what percentage does that represent" is a percentage of)."""
    counted = _COUNTED.search(question)
    if counted:
        return f"the number of {counted.group('noun')} {counted.group('rest')}"
    match = _ABOUT.search(question) or _SUBJECT.search(question) or _OBJECT.search(question)
    if not match:
        return ""
    topic = match.group("topic").strip()
    # A date is when, not what: "… update Cabinet on at its meeting on 30 January 2025?" is about no "30 January 2025"
    # that "is that going to get sorted?" could mean.
    said = [t for t in query_terms(topic) if t not in MONTHS and not any(ch.isdigit() for ch in t)]
    return topic if said and topic.lower() not in ("it", "that", "this", "them") else ""


def _asked_noun(question: str, plural: bool = False) -> str:
    """The thing a "which/what X" question asked for ("workshops" -> "workshop"), or ""."""
    match = _WHICH_NOUN.match(question)
    noun = (match.group("noun") or match.group("single") or "") if match else ""
    if not noun:
        many = re.search(r"\bhow many\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+s)\b", question, re.IGNORECASE)
        noun = many.group("noun") if many else ""
    noun = noun.lower()
    if not noun:
        return ""
    if noun in STOPWORDS or noun in ("was", "were", "is", "are", "did", "does", "do", "has", "have", "happened"):
        return ""
    if plural:
        return noun if noun.endswith("s") else ""
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _tidy(text: str) -> str:
    return re.sub(r"\s{2,}", " ", text).strip()
