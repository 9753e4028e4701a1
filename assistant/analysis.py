"""The question, analysed once: what kind of answer it wants, which papers it is about, what to look for.

Retrieval, evidence, refusal and every answerer read the one `QuestionAnalysis` (`assistant.question`) made
here, instead of each tokenising the question its own way:

- intent: a single fact (lookup), a list ("list the key recommendations…"), a summary ("summarise the
  Productivity Plan"), a comparison ("compare the two peer challenges…") or a yes/no judgement;
- scope: the councils, papers and years it names, read against the catalogue (`assistant.catalogue`, so
  "Derby City", "Derbyshire" and "the 2018 peer challenge" resolve to what the index holds);
- the content terms to search for, the figures it mentions, and what it wants back (a figure, a date,
  a name).
"""

from __future__ import annotations

import re

from assistant.catalogue import Catalogue, singular
from assistant.cues import (
    AMOUNTS_COMPARED,
    CHANGE_ASKED,
    CHANGE_WORDS,
    COMPARE_WORDS,
    CONTACT_ASKED,
    COUNCIL_THING,
    COUNCIL_WORDS,
    COUNT_ASKED,
    COUNT_WORDS,
    MONEY_ASKED,
    MONEY_KINDS,
    OUTCOME_ASKED,
    PAY_ASKED,
    PERCENT_ASKED,
    RANKING_WORDS,
    RATED_ASKED,
    REASON_ASKED,
    RECORD_ASKED,
    ROLE_ASKED,
    ROLE_FOR,
    ROLE_HOLDERS,
    ROLE_OF_VERB,
    STATED_COUNT,
    TIME_YEAR,
    VERB_ROLE_ASKED,
    VERDICT_ASKED,
    VIEW_CUE,
    VIEW_HOLDERS,
    VOTE_ASKED,
    WANTS_DATE,
    WANTS_FREQUENCY,
    WANTS_NAME,
    WANTS_STATUS,
    amount_asked,
    answer_shape,
    asked_from_now,
    flat_words,
    quoted_phrases,
    role_subject,
    set_aside,
)
from assistant.glossary import Glossary
from assistant.intent import Intent, read_intent
from assistant.parts import asked_in_parts
from assistant.question import QuestionAnalysis
from assistant.sides import comparison_sides
from common.text import (
    STOPWORDS,
    WANTS_FIGURE,
    figures_in,
    is_year,
    query_terms,
    small_words_in_capitals,
    written_as_name,
)
from common.types import DocumentRecord
from common.wording import merged, phrasal_nouns


class QuestionAnalyzer:
    """Analyses questions against the catalogue of the index (council names, paper titles, years)."""

    def __init__(self, documents: list[DocumentRecord], glossary: Glossary | None = None) -> None:
        self.catalogue = Catalogue(documents)
        self.documents = self.catalogue.documents
        self.glossary = glossary or Glossary({})

    def _ranks_what_is_asked(self, term: str, question: str) -> bool:
        """A word that ranks the noun after it ("the main risks", "the key findings") says what is asked, not which
        paper, unless the two words stand together in a title ("the SHLAA Main Report")."""
        if term not in RANKING_WORDS:
            return False
        after = re.search(rf"\b{re.escape(term)}\s+([\w'’-]+)", question, re.IGNORECASE)
        return after is not None and not self.catalogue.titled_as(flat_words(f"{term} {after.group(1)}"))

    def analyse(self, question: str, inherited_councils: list[str] | None = None) -> QuestionAnalysis:
        shaped, points = answer_shape(question)  # "in three points" is no topic
        shaped, aside = set_aside(shaped)  # nor is what the question puts aside ("apart from the core questions")
        terms = query_terms(asked_from_now(shaped))  # nor "this year": the papers' present is the asker's
        # A short form the papers define that spells a small word is one when written in capitals ("GET": Growth,
        # Environment & Transport). One they do not define ("IT") is searched for by no word: a sentence that
        # answers must write it (refusal reads `capital_forms`).
        capitals = small_words_in_capitals(shaped)
        terms += [w for w in capitals if self.glossary.defines(w)]
        councils = self.catalogue.councils_named(question) or list(inherited_councils or [])
        # "council", "county", "city" on their own name every paper of a council corpus, so name none.
        # Words quoted from the papers are what is asked about ("'Securing Kent's Future'"), unless they are a
        # paper's title ("the Dales 'New Vision for Derbyshire' report").
        quoted = quoted_phrases(question)
        topic = {t for q in quoted if not self.catalogue.titled_as(q) for t in query_terms(q)}
        naming = [t for t in terms if t not in COUNCIL_WORDS and t not in topic
                  and self.catalogue.names_some_paper(t) and not self._ranks_what_is_asked(t, question)]
        # A number after a word of a paper's name is part of that name ("the Regulation 18 Preferred Options Local
        # Plan"), not a figure to look for ("… 18 dwellings"); unless a title numbers that word otherwise, when the
        # number tells which one is meant ("Phase 1" asked of the "Enterprising Council Phase 2" report).
        naming += [t for t in terms if t not in naming and t.isdigit() and any(
            re.search(rf"\b{re.escape(n)}\s+{t}\b", question, re.IGNORECASE)
            and not self.catalogue.numbered_otherwise(n, t) for n in naming)]
        # "council tax" is asked about, though "tax" names the Council Tax Reduction Scheme amendment.
        thing = {t for m in COUNCIL_THING.finditer(question) for t in query_terms(m.group())}
        # "… Member for Education": what the role is for is asked about, though it names a paper.
        thing |= {t for m in ROLE_FOR.finditer(question) for t in query_terms(role_subject(m))}
        # "… asking the cabinet members to do": the holders of a role, not a Cabinet paper (unless named as one too).
        for held in ROLE_HOLDERS.finditer(question):
            rest = query_terms(question[:held.start()] + " " + question[held.end():])
            thing |= {t for t in query_terms(held.group(1)) if t not in rest}
        naming = [t for t in naming if t not in thing]
        # A short form the papers define ("How much is the ASCH overspend?") is the thing it stands for, though a title
        # holds it ("… Transfer from CYPE to ASCH"); it names a paper beside another word of that paper's name.
        naming = [t for t in naming if not self.glossary.defines(t)
                  or any(o != t and self.catalogue.named_together(o, t) for o in naming)]
        content = [t for t in terms if t not in naming and (t not in COUNCIL_WORDS or t in thing)]
        change = next((word for word, asked in CHANGE_ASKED.items() if asked.search(shaped)), "")
        change = change or next((t for t in content if t in CHANGE_WORDS), "")
        if change and change not in content:
            content.append(change)
        written_out = self.catalogue.written_out(question)
        role_match = ROLE_ASKED.search(question)
        role = role_match.group(1).lower().split()[-1] if role_match else ""  # "cabinet member": a member
        if role and role in naming and role not in content:
            content.insert(0, role)  # the holder of the role is asked for, not only its paper
        verb = VERB_ROLE_ASKED.search(question)
        if not role and verb:
            role = ROLE_OF_VERB[verb.group(1).lower()]  # "who managed …": its manager
            content = [role, *content]  # (the verb stays: "… appointed Planning Inspector … to examine the Plan")
        named = {singular(t) for t in naming}
        doc_weights = self.catalogue.naming_weights(named, question)
        figures = figures_in(question)
        analysis = QuestionAnalysis(
            text=question,
            intent=Intent.LOOKUP,
            councils=councils,
            explicit_councils=[c for c in councils if c in self.catalogue.councils_named(question, explicit=True)],
            doc_weights={d: w for d, w in doc_weights.items() if w > 0},
            titled_docs=list(dict.fromkeys([*self.catalogue.titled(terms), *written_out])),
            years=[f for f in figures if is_year(f)],
            terms=content,
            naming_terms=naming,
            names=[t for t in terms if written_as_name(t, question)],
            figures=figures,
            quoted=quoted,
            points=points,
            wants_figure=bool(WANTS_FIGURE.search(question) or PAY_ASKED.search(question)) or amount_asked(question),
            wants_date=bool(WANTS_DATE.search(question)),
            wants_frequency=bool(WANTS_FREQUENCY.search(question)),
            change=change,
            wants_status=bool(WANTS_STATUS.search(question)),
            wants_name=bool(WANTS_NAME.search(question)),
            wants_reason=bool(REASON_ASKED.search(question)),
            learned=merged(self.glossary.equivalents(question, terms), phrasal_nouns(question, terms)),
        )
        analysis.wants_percent = analysis.wants_figure and bool(PERCENT_ASKED.search(question))
        analysis.wants_money = analysis.wants_figure and not analysis.wants_percent \
            and bool(MONEY_ASKED.search(question)) and not COUNT_ASKED.search(question)
        if analysis.wants_money:
            analysis.money_kind = next((kind for kind, pattern in MONEY_KINDS if pattern.search(question)), "")
        unit = re.search(r"\bhow many\s+(hours|days|weeks|months|years|minutes|miles|kilometres|km|metres|hectares|"
                         r"acres|tonnes)\b", question, re.IGNORECASE)
        analysis.unit = unit.group(1).lower() if unit else ""
        analysis.asks_view = bool(VIEW_CUE.search(question))
        analysis.asks_verdict = bool(VERDICT_ASKED.search(question))
        rated = RATED_ASKED.search(question)
        analysis.rated_value = rated.group("value").lower() if rated and rated.group("value").lower() not in STOPWORDS \
            else ""
        topic = [t for t in analysis.terms if t not in VIEW_HOLDERS]
        if analysis.asks_view and topic:
            analysis.terms = topic  # "what did the peer team make of the pool?": the team holds the view, not its topic
        analysis.wants_party = bool(re.search(r"\b(which|what) (political )?part(y|ies)\b", question, re.I))
        if analysis.wants_party:  # the kind asked for, which papers do not write: "Cllr Phil Davies, … (Labour)"
            analysis.terms = [t for t in analysis.terms if t not in ("party", "parties", "political")]
        analysis.wants_reference = bool(re.search(r"\bdecision (number|no|reference|ref)\b", question, re.I))
        analysis.wants_contact = bool(CONTACT_ASKED.search(question))
        kind = analysis.which_noun or role
        if kind and kind in content:
            analysis.asked_kind = kind  # "which consultancy", "who is the Board's vice-chairman", "who managed …"
        minuted = not self.catalogue.unminuted_body(question)  # none of "the Scrutiny Committee" are held here
        analysis.asks_record = minuted and bool(RECORD_ASKED.search(question))
        analysis.asks_outcome = minuted and bool(OUTCOME_ASKED.search(question))
        analysis.asks_vote = minuted and bool(VOTE_ASKED.search(question))
        analysis.time_years = list(dict.fromkeys(m.group(1).lower() for m in TIME_YEAR.finditer(question)))
        analysis.set_aside = aside
        analysis.year_not_held = self.catalogue.year_not_held(question)
        analysis.capital_forms = [w.upper() for w in capitals if w not in terms]
        analysis.intent, analysis.list_noun = read_intent(analysis.asked_text, content, analysis, self.catalogue)
        noun = analysis.list_noun
        if written_out and noun in naming and not any(noun in query_terms(self.documents[d].title)
                                                      for d in written_out):
            # A list asked of a paper named by its whole title ("the key economic risks … according to the Economic &
            # Fiscal Context"): the list's noun is what is asked, though it names another paper too ("risks": the
            # Budget Risks Register).
            analysis.terms = [*analysis.terms, noun]
        count = STATED_COUNT.search(question)
        if analysis.intent == Intent.LIST and count:
            word = count.group(1).lower()
            analysis.list_count = COUNT_WORDS.get(word) or int(word)
        if analysis.intent == Intent.COMPARISON:
            analysis.terms = [t for t in content if t not in COMPARE_WORDS]
            analysis.sides = comparison_sides(question, analysis, self.catalogue)
            if len(analysis.sides) < 2:
                analysis.intent = Intent.LOOKUP
            else:
                analysis.compares_amounts = bool(AMOUNTS_COMPARED.search(question))
        if analysis.intent in (Intent.LOOKUP, Intent.JUDGEMENT):
            analysis.parts = asked_in_parts(question, self.analyse)
        if analysis.parts:
            # A status asked in one part only is looked for by that part: preferred for the whole question, a
            # status line ("… Accelerator completed.") pushes out the answer to the other part ("where and when did
            # it run": "… ran in Shirebrook between February and June 2019").
            analysis.wants_status = all(part.wants_status for part in analysis.parts)
        return analysis
