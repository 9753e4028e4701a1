"""How a question says what it wants: the wording cues question analysis reads (assistant.analysis).

A list ("what were the key recommendations"), a summary ("give me the gist"), a comparison ("how did … compare"),
a yes/no judgement ("was Derby behind …"), and what kind of answer is wanted (an amount, a percentage, a date, a
name, what a meeting decided). Patterns only: the decisions are made in assistant.analysis.
"""

from __future__ import annotations

import re

from common.counts import COUNT_WORDS
from common.text import STOPWORDS, YEAR_WRITTEN

# Words that say "a list of things": what a list question asks for.
LIST_NOUNS = frozenset(
    """recommendations recommendation priorities pledges principles themes areas outcomes barriers projects
    actions decisions proposals objectives aims ambitions commitments options risks steps measures strands
    workstreams programmes initiatives boards members peers questions components challenges findings achievements
    strengths issues lessons values targets benefits reasons conditions modifications policies amendments
    motions""".split())
LIST_CUE = re.compile(
    r"^\s*(list|name|enumerate|set out|itemi[sz]e)\b|\bwhat (are|were) (all )?(the|its|their|his|her)\b"
    r"|\bwhich \w+(?: \w+)? (are|were)\b|\bwhat (did|does|do) (?:[\w'’ -]+ )?(recommend|propose|ask|pledge|commit)"
    r"|\bwhat (recommendations|decisions|actions|priorities|pledges)\b",
    re.IGNORECASE)
# "What was on the peer team's 'much to do' list?": the items of a list, whatever it is called.
ON_A_LIST = re.compile(r"\bwhat (?:is|was|are|were|goes|went) (?:on|in) (?:the|its|their|his|her|this|that) "
                       r"[^?]*\blist\b", re.IGNORECASE)
# "Who was on the peer team?", "Who sits on the Board?": its members, a list the papers give ("The peers who
# delivered the peer challenge … were:"), not the one name that best matches.
# "Which of the peer team were councillors?" picks from those members.
MEMBERS_ASKED = re.compile(r"^\s*(?:and\s+)?(?:who (?:was|were|is|are|sat|sits|served|serves) (?:on|in)|which of) "
                           r"(?:the|its|their|that|this) [^?]*?\b(?:team|board|panel|committee|group|forum|"
                           r"partnership)\b", re.IGNORECASE)
# Who to get in touch with, and how: reports end with their contact officer's details.
CONTACT_ASKED = re.compile(r"\bhow (?:do|can|could|would|should|might) (?:i|we|you|one|people|residents) "
                           r"(?:contact|reach|get (?:in touch|hold)|email|e-mail|phone|ring|call|speak|talk)\b"
                           r"|\bwho (?:should|do|can|could|would|might) (?:i|we|you|one) (?:contact|ask|email|e-mail|"
                           r"phone|ring|call|speak to|talk to|get in touch)\b"
                           r"|\bcontact (?:details|officer|person|name|number|email)\b|\bpoint of contact\b"
                           r"|\b(?:email address|phone number|telephone number)\b", re.IGNORECASE)
# "What did the peer team recommend…" asks for the recommendations.
# "What was resolved on …", "what was agreed about …" ask it in the passive.
LIST_VERB = re.compile(r"\bwhat (?:did|does|do|has|have|had|will|would) (?:[\w'’ -]+ )?"
                        r"(recommend|suggest|advise|propose|pledge|commit to|resolve|decide|agree|achieve|deliver)\b"
                        r"|\bwhat (?:was|were|has been|have been|had been) "
                        r"(recommend|propos|pledg|resolv|decid|agre)ed\b",
                        re.IGNORECASE)
# "On what grounds does the coalition object …?": its reasons, which papers list ("The following are the reasons
# the Coalition believes the application must be refused. In summary: …").
REASONS_ASKED = re.compile(r"\b(?:on what grounds|for what reasons?|"
                           r"what (?:are|were) (?:the|its|their) (?:grounds|reasons))\b", re.IGNORECASE)
ASKED_TO = re.compile(r"\bwhat (?:was|were|is|are) [\w'’ ]{0,40}?\basked to (decide|agree|approve|note|endorse|"
                       r"consider|do)\b", re.IGNORECASE)
VERB_NOUNS = {"recommend": "recommendations", "suggest": "recommendations", "advise": "recommendations",
              "propose": "proposals", "pledge": "pledges", "commit to": "commitments", "resolve": "decisions",
              "decide": "decisions", "agree": "decisions", "achieve": "achievements", "deliver": "achievements",
              "propos": "proposals", "pledg": "pledges", "resolv": "decisions", "decid": "decisions",
              "agre": "decisions"}
# "What changes …", "Which service transformation examples …", "What were the risks …": a question for several
# things. (Not "What did councillors ask …": after "did" the noun is who did it.)
PLURAL_ASKED = re.compile(r"^\s*(?:(?:what|which)\s+(?!(?:did|do|does|have|has|had|will|would|can|could|should)\b)"
                          r"(?:(?:were|are)\s+)?|(?:list|name|enumerate|set out)\s+(?:all\s+)?)(?:the\s+)?"
                          r"(?:[\w'’-]+\s+){0,3}?(?P<noun>[a-z]{3,}[^suio\W]s)\b(?!['’])", re.IGNORECASE)
# ("The main points of …" are a gist asked for, not a list printed in the paper.)
NOT_LISTS = frozenset("""reserves savings finances accounts costs funds resources relations relationships means
    arrangements news series species points""".split())
VIEW_CUE = re.compile(r"\b(say|said|says|think|thought|find|found|conclude|concluded|report|reported|"
                       r"comment|commented|note|noted)\b.{0,40}\b(about|on|regarding|of)\b|\bmake of\b|"
                       r"\bhow (?:did|does|do) "
                       r".{3,60}\b(see|view|describe|assess|rate|judge|find)\b|\bview (?:of|on)\b", re.IGNORECASE)
# "Which KPIs were rated red in quarter 3?", "which risks are high?": the rows of a paper's tables with that rating
# (assistant.rated, which reads the ratings the rows hold).
RATED_ASKED = re.compile(r"\bwhich\s+(?:of\s+the\s+)?(?:[\w'’-]+\s+){1,3}?(?:are|were|is|was|have\s+been|has\s+been|"
                         r"had\s+been)\s+(?:(?:rated|graded|assessed|marked|scored|flagged|rag[- ]rated)\s+(?:as\s+)?)?"
                         r"(?P<value>[a-z]+)\b", re.IGNORECASE)
# A question after a verdict, or how one changed ("how did the verdict on Enterprising Council change", "has the
# digital offer improved since …", "how far had things moved"): the sentences that pass one answer it, not those that
# only describe the subject ("The approach was launched in February 2018 …"). (Progress asked about, not a paper's
# "progress table".)
VERDICT_ASKED = re.compile(r"\b(verdicts?|fared|(?:what|any|much|real) progress|progressed|improved|changed?|moved|"
                           r"assess(?:ed|ment)|judged|opinions?)\b", re.IGNORECASE)
# A word that marks what follows as the topic asked about ("what the plan says about digital", "the report on …").
TOPIC_MARKER = re.compile(r"\b(?:about|on|regarding|concerning|in relation to|with regard to)\b", re.IGNORECASE)
ABOUT_PHRASE = re.compile(r"\b(?:about|on|regarding|concerning|of)\s+((?:[\w'’,-]+\s*){1,8}?)\s*"
                           r"(?:\?|$|\bin (?:19|20)\d\d)", re.IGNORECASE)
# A phrase after a preposition: where a figure is asked of ("the forecast overspend in children's services", "spend
# on agency staff"), what a follow-up swaps ("And in adult social care?"); up to the next such word or verb ("… in
# adult social care at quarter 3").
PREPOSITION_PHRASE = re.compile(r"\b(?P<prep>in|for|of|on|within|across|about)\s+(?P<phrase>(?:(?!(?:in|for|of|on|at|"
                                r"by|to|from|and|or|over|during|between|within|across|about|than|since|as|per|after|before|"
                                r"until|following|with|without|under|into|did|does|"
                                r"do|is|was|were|are|has|have|had|will|would|can|could|should)\b)[\w'’&-]+\s*){1,5})",
                                re.IGNORECASE)
# Who says something, not what it is about: the people who hold a view ("what did the peer team make of …"), and
# the papers and summaries that give one.
VIEW_HOLDERS = frozenset("""team teams peer peers cabinet committee members member officers officer inspector
    inspectors panel board""".split())
AGENT_WORDS = VIEW_HOLDERS | frozenset("""council councils report reports paper papers review reviews challenge
    challenges plan sum gist summary summarise summarize overview brief briefly quick quickly main key points
    nutshell""".split())
# The verbs of a decision asked about ("Did the council adopt …?"): no words of its subject.
_OUTCOME_VERBS = r"approve|agree|adopt|accept|reject|vote|endorse|pass"
OUTCOME_VERB = re.compile(rf"(?:{_OUTCOME_VERBS})(?:s|d|ed|ing)?$", re.IGNORECASE)
DECISION_WORD = re.compile(rf"\b(?:{_OUTCOME_VERBS})\w*\b", re.IGNORECASE)  # in a sentence: "… was adopted on …"
# "Did the councillors approve …?", "Was the plan adopted?": asks whether a decision was taken (or when: the
# minute that records it is of a meeting on a date).
OUTCOME_ASKED = re.compile(
    r"^\s*(?:when\s+)?(?:did|has|have|had)\s+(?:the\s+)?[\w'’ ]{0,40}?\b(?:council|councillors|cabinet|committee|"
    r"members|meeting|"
    rf"board|authority|panel)\b.{{0,40}}?\b(?:{_OUTCOME_VERBS})\w*\b"
    r"|^\s*(?:when\s+)?(?:was|were)\b.{0,60}\b(?:approved|adopted|agreed|rejected|endorsed|passed)\b", re.IGNORECASE)
# What a meeting decided, or how it voted: the minutes record it, the report only proposed it.
RECORD_ASKED = re.compile(r"\bwhat did (?:the )?(?:[\w'’-]+ ){0,2}?(?:cabinet|council|committee|members|councillors|"
                          r"meeting|board|panel)"
                          r"\b.{0,40}?\b(?:decide|agree)\b|"
                          r"\b(resolved?|decided|voted|votes?|abstain\w*|carried|minutes|at (its|the) \w+ meeting|"
                           r"moved|seconded|amendments?|motions?)\b|"
                          # What members said at a meeting is minuted: "how did members say … compares …?"
                          r"\b(?:members|councillors)\s+(?:say|said)\b", re.IGNORECASE)
# How a meeting voted on something: its counts, or who was among them ("How many councillors voted against the
# budget?", "Who abstained on the pay policy statement?", "How did the council vote on the devolution update?").
VOTE_ASKED = re.compile(r"\b(?:how many|who|which (?:councillors|members))\b[^?]{0,60}?\b"
                        r"(?:vot(?:e|ed|ing)|abstain\w*)\b|\bhow did\b[^?]{0,60}?\bvote\b"
                        r"|\b(?:votes?|voting) (?:on|for|against)\b", re.IGNORECASE)
# Asked for a summary in so many words.
_SUMMARY_WORDING = r"summari[sz]e|summary of|sum up|gist|overview|in a nutshell|main points|key points|brief me"
SUMMARY_CUE = re.compile(
    rf"\b({_SUMMARY_WORDING}|tl;?dr|what is (the|this) "
    r"[\w' -]+ about|what('s| is) in (the|this)|what does (the|this) [\w' -]+ (say|cover|set out)|"
    r"what did (the|this) [\w' -]+ cover|what did (?:the|this) [\w'’ -]+ say(?=\s*\??\s*$)|"
    r"what (?:did|does) (?:the|this) [\w' -]+ conclude|what (?:has )?happened (?:with|to|about|over))\b",
    re.IGNORECASE)
# A summary asked of a paper described by what it does: "the gist of the paper asking Cabinet to reconsider the
# family hubs decision": the words after it say which paper, not a topic of it.
SUMMARY_OF_PAPER = re.compile(rf"\b(?:{_SUMMARY_WORDING})\s+(?:of\s+)?(?:the|this|that)\s+(?:[\w'’-]+\s+){{0,3}}?"
                              r"(?:paper|report|document|statement|letter)\s+(?:asking|setting|which|that|on|about|"
                              r"from|to|for|by|seeking|proposing|recommending)\b", re.IGNORECASE)
# Asked for a summary in so many words, not for what a paper concluded or said about something.
SUMMARY_ASKED = re.compile(rf"\b({_SUMMARY_WORDING})\b", re.IGNORECASE)
# Asked what a paper covers ("What did the newsletter cover?", "what's in the report?"): every topic it has.
CONTENTS_ASKED = re.compile(r"\bwhat (?:does|did|do) (?:the|this|that|its) [\w'’ -]+ cover\b"
                            r"|\bwhat(?:'s|’s| is| was) in (?:the|this|that|its)\b|\bwhat topics\b", re.IGNORECASE)
# The words of a request for a summary ("summarise", "what did the newsletter cover?"): no topic of it.
SUMMARY_WORDS = frozenset("summarise summarize summary sum gist overview cover covers covered brief nutshell".split())
COMPARE_CUE = re.compile(
    r"\b(compare[ds]?|comparison|contrast|differ(s|ed|ence|ences)?|versus|vs\.?|both|the two|each of the|"
    r"each (?:say|says|said|describe|describes|described|put|puts|see|sees|saw|expects?|expected|requires?|required|"
    r"proposes?|proposed|recommends?|recommended|concludes?|concluded|finds?|found|allows?|allowed|wants?|wanted|"
    r"deals? with|dealt with|sets? out|states?|stated|plans?|planned|treats?|treated|handles?|handled)|"
    r"similar(ity|ities)?|in common|change[ds]? between|how did .{3,60} (compare|change))\b", re.IGNORECASE)
# Words that set one thing against another ("the bigger budget gap"): they say which, not what the thing is.
COMPARATIVES = frozenset("""more less most least better best worse worst bigger biggest larger largest smaller
    smallest higher highest lower lowest greater greatest further furthest""".split())
# "Which council had the bigger budget gap?": every council of the papers is a side.
WHICH_COUNCIL = re.compile(r"^\s*(?:and\s+)?which (?:council|authority|of the councils)\b.*\b(?:"
                           + "|".join(sorted(COMPARATIVES)) + r")\b", re.IGNORECASE)
# Councils named as the two ends of a relation ("joint working between Derby City Council and Derbyshire County
# Council", "the partnership between …"): what they do together is asked about, not each side by side.
RELATION_BETWEEN = re.compile(r"\b(?:joint(?:ly)?|partnerships?|relationships?|relations|collaboration|collaborative|"
                              r"co-?operation|links?|working together|shared|agreements?)\b(?:\s+[\w'’-]+){0,3}?\s+"
                              r"between\s+(?P<ends>.+?\s+and\s+.+?)(?=\s+(?:is|are|was|were|in|on|at|from|since|"
                              r"during|by|over)\b|[,?]|$)", re.IGNORECASE)
# "… since the 2018 peer challenge?": what that paper said, set against what the council's later papers say.
SINCE_PAPER = re.compile(r"\bsince\s+(?:the|its|their|that)\s+(?P<what>[^,.;?]+)", re.IGNORECASE)
JUDGEMENT_CUE = re.compile(r"^\s*(is|was|are|were|did|does|do|has|have|had|can|could|should|will|would)\b",
                            re.IGNORECASE)
# Words that make a question a comparison but say nothing about what to look for in each paper.
COMPARE_WORDS = frozenset("""compare compared compares comparison contrast differ differs differed difference
    differences
    versus vs both two three each similar similarity similarities common change changed changes verdict verdicts view
    views opinion opinions looked looks seemed seems appeared appears commented described far things moved""".split())
# Words that say where in a paper to look ("in the early start progress table", "the appendix"), not what about.
STRUCTURE_WORDS = frozenset("""table tables appendix appendices annex annexes chart charts page pages section sections
    paragraph paragraphs""".split())
# Words that in a comparison tell the sides apart or point back at what is compared, not what each side is asked
# about: a paper's version ("the January draft budget report", "the final budget report"), "the figure in …".
SIDE_POINTER_WORDS = frozenset("draft drafts final revised interim updated original provisional figure figures".split())
# "When…" at the start (not "…move onto when it transfers"), or a date asked for anywhere.
# (Not "When the council asks housebuilders to chip in, how often does it get what it asked for?": a clause setting
# the scene, the question after its comma.)
WANTS_DATE = re.compile(r"^\s*(?:and\s+|so\s+|but\s+)?when\b(?![^?,]*,\s*(?:how|what|which|who|whose|why|where|is|are|"
                        r"was|were|does|do|did|can|could|will|would|should|has|have)\b)|\b(what date|which year|"
                        r"what year|by when|how long ago|which day|what day|on what date|by what date)\b",
                        re.IGNORECASE)
# When something happened, not by when it is to be done ("On what date did Cabinet approve …?", "When was the plan
# adopted?"; not "By what date did the minister want …?"): a deadline in a sentence does not answer it.
PAST_DATE_ASKED = re.compile(r"(?<!\bby )\b(?:when|what date|which date|what day|which day|on what date)\s+"
                             r"(?:did|was|were|had|has|have)\b", re.IGNORECASE)
# A question asking for a reason: "Why do the parish councils object …?", "On what grounds …", "What were the
# reasons …".
REASON_ASKED = re.compile(r"^\s*(?:and\s+|but\s+|so\s+)?(?:why\b|how come\b|for what reasons?\b|on what grounds\b|"
                          r"what (?:are|were|is|was) the (?:main |key )?(?:reasons?|grounds)\b)", re.IGNORECASE)
# Where a piece of work stands: "what is the status of …", "what stage has … reached", "how far along is …".
WANTS_STATUS = re.compile(r"\bstatus\b|\b(what|which) stage\b|\bhow far (along|advanced|on)\b", re.IGNORECASE)
STATUS_ASKED_WORDS = frozenset({"status", "stage"})  # words that ask for a status, not what it is the status of
WANTS_FREQUENCY = re.compile(r"\b(how often|how frequently|how regularly|at what frequency|what frequency)\b",
                             re.IGNORECASE)
# Where one question joins a second ("how many voted for it, and who abstained?", "what was the overspend and which
# directorate is the main cause?"): "and" before a question word, not between two ("where and when did it run?").
PART_JOIN = re.compile(r"(?<!\bwhere)(?<!\bwhen)(?<!\bwho)(?<!\bwhat)(?<!\bwhich)(?<!\bhow)(?<!\bwhy)"
                       r",?\s+and\s+(?=(?:who|whom|whose|what|which|when|where|how|why|did|does|do|is|are|was|were|"
                       r"has|have|had|will|would|can|could)\b)", re.IGNORECASE)
# "What was the net revenue budget…", "What is the cost of…": an amount, although no "how much"; also after a
# phrase naming where to look ("According to the section 25 statement, what DSG deficit…").
_AMOUNT_NOUNS = (r"(budget|cost|costs|spend|spending|reserves|funding|savings?|deficit|gap|salary|pay|fee|"
                 r"price|rate|percentage|proportion|share|total|value|amount|figure|number|income|"
                 r"surplus|overspend|underspend|allocation|grant|precept|level|variance|limit|tax|charge|"
                 r"levy|rent)s?\b")
# An amount word that names a paper ("What does the budget report say …"), not an amount.
_NAMES_A_PAPER = (r"(?!\s+(?:reports?|papers?|statements?|strateg(?:y|ies)|plans?|books?|documents?|monitoring|"
                  r"amendments?|proposals?)\b)")
AMOUNT_ASKED = re.compile(r"^\s*(?:(?:according to|in|on|for|from|under|within|at)\b[^,?]{0,80},\s*)?"
                          r"(what|which)\s+(?:(?:is|was|were|are|will be|would be)\s+)?(the\s+)?"
                          r"[\w'’ ,&]{0,60}?\b" + _AMOUNT_NOUNS + _NAMES_A_PAPER, re.IGNORECASE)
# A comparison of amounts: "How did the net revenue budget in the January report compare with …", "… compared
# with the figure in the final report": each side's answer is a figure.
# ("How did the January budget report differ …" compares papers: the amount word names the paper there.)
AMOUNTS_COMPARED = re.compile(r"\bhow did (?:the\s+)?[\w'’ ,&-]{0,60}?\b" + _AMOUNT_NOUNS + _NAMES_A_PAPER
                              + r"[^?]{0,120}?\b(compare|change|differ)|\bcompared? (?:with|to) the "
                              r"(figure|amount|total|sum)s?\b", re.IGNORECASE)
# What someone is paid, asked without "how much" ("What will the chief executive be paid?"): a sum of money.
# ("What did the council say about the grant paid to districts?" asks what was said: the pay ends the question.)
PAY_ASKED = re.compile(r"\bwhat\s+(?:will|would|is|was|are|were|does|do|did)\b[^?]{0,60}?\b(?:paid|earn|earns|earned)"
                       r"(?:\s+(?:a|per|each|every)\s+(?:year|month|week|hour|annum))?\s*\??\s*$", re.IGNORECASE)
MONEY_ASKED = re.compile(r"\bhow much\b.*\b(money|funding|cost|spend|spent|sav\w*|budget|paid|pay|invest\w*|fund\w*|"
                          r"grant|worth|raise\w*|bring in|receive\w*|cut|reduction\w*)\b|\b(cost|price|fee|salary)\b|"
                          + PAY_ASKED.pattern, re.IGNORECASE)
# What a sum of money is, when the question says: the answer's figure must be that kind of sum.
MONEY_KINDS = (
    ("paid", re.compile(r"\b(pay|paid|payment|fee|contract)\b", re.IGNORECASE)),
    ("saved", re.compile(r"\bsav(e|ed|es|ing|ings)\b", re.IGNORECASE)),
    ("spent", re.compile(r"\b(spend|spent|spending)\b", re.IGNORECASE)),
    ("invested", re.compile(r"\binvest\w*\b", re.IGNORECASE)),
)
PERCENT_ASKED = re.compile(r"\b(percentage|per ?cent|proportion|what share)\b", re.IGNORECASE)
# A year after one of these is the time asked about ("in 2019"); otherwise it may only name a paper
# ("the 2018 peer challenge").
TIME_YEAR = re.compile(r"\b(?:in|during|for|by|since|until|till|before|after|between|from|to|of|and)\s+"
                        rf"(?:the\s+(?:year|financial year)\s+)?({YEAR_WRITTEN})\b",
                        re.IGNORECASE)
# A council named in full, whether or not the index holds its papers ("Chesterfield Borough Council").
COUNCIL_NAME = re.compile(r"\b((?:[A-Z][\w'’-]+\s+){1,3}(?:County|City|District|Borough|Parish|Town|Metropolitan "
                           r"Borough)\s+Council)\b")
# The role a "who" question asks the holder of ("who was the inspector on …", "which chairman …", "who is the
# Board's vice-chairman?"): what to look for, even when the same word also names a paper (the Inspector's report);
# a sentence naming the holder names the role too ("… along with the Vice-Chairman Cllr Vince Maple").
ROLE_ASKED = re.compile(r"\b(?:who (?:is|was|are|were) (?:the |its |their )?(?:(?:[\w&'’-]+\s+){0,8}?[\w-]+['’]s\s+)?"
                        r"|(?:which|what) (?:planning )?)((?:vice-|deputy )?(?:inspector|chair|chairman|chairwoman|"
                        r"leader|minister|auditor|director|officer|author|cabinet member|portfolio holder))\b",
                        re.IGNORECASE)
# "Who managed …", "who chaired …": the holder of the role the verb names, and a sentence naming the holder names
# the role ("Judith Hurcombe, LGA Peer Challenge Manager"), not the verb.
# (Not "who wrote …": a paper names its author by "From:" or "Report Author:", and "author" is in "authority".)
# A local plan is examined by a planning inspector.
ROLE_OF_VERB = {"managed": "manager", "manages": "manager", "chaired": "chair", "chairs": "chair",
                "audited": "auditor", "audits": "auditor", "examined": "inspector", "examines": "inspector"}
VERB_ROLE_ASKED = re.compile(rf"^\s*(?:and\s+)?who\s+({'|'.join(ROLE_OF_VERB)})\b", re.IGNORECASE)
# A change asked for in plain words ("how much is council tax going up?"): the papers' word for it.
CHANGE_ASKED = {"increase": re.compile(r"\b(?:go(?:es|ing)?|went|gone) up\b|\brising\b|\brises?\b", re.IGNORECASE),
                # (Not "falls within the remit", "falls to the council": where a thing belongs.)
                "reduction": re.compile(r"\b(?:go(?:es|ing)?|went|gone) down\b|\b(?:falling|falls?)\b"
                                        r"(?!\s+(?:within|under|to|into|outside|short|behind))", re.IGNORECASE)}
CHANGE_WORDS = frozenset("increase increases rise rises reduction reductions decrease decreases cut cuts".split())
WANTS_NAME = re.compile(r"^\s*who\b|\bwho (is|was|chairs|chaired|leads|led|wrote|signed)\b|\bwhose\b|"
                         r"\b(which|what) (planning )?(inspector|chair|chairman|leader|minister|chief executive|"
                         r"cabinet member|auditor)\b|\bwhat is the name\b|"
                         r"\bwhich (officer|councillor|member|director|person)s?\b|\bwhich people\b",
                         re.IGNORECASE)
# Asked of the present ("Who is the clerk?", "who chairs …", "the current leader"): the papers' latest say answers.
PRESENT_ASKED = re.compile(r"^\s*(?:who|which \w+)\s+(?:is|are|chairs|leads|runs)\b|\b(?:current|currently|now)\b",
                           re.IGNORECASE)
# Words of a council's name that say what kind of council it is, not which one.
COUNCIL_KINDS = {"county", "city", "district", "borough", "parish", "town", "metropolitan", "unitary"}
# Nouns for kinds of paper: a question that names a paper by its title uses one ("the pay policy statement").
PAPER_KIND_WORDS = frozenset({"report", "statement", "plan", "strategy", "register", "minute", "agenda", "assessment",
                              "letter", "amendment", "challenge", "review", "appendix", "answer", "policy",
                              "programme", "framework", "charter", "budget", "newsletter"})
COUNCIL_WORDS = COUNCIL_KINDS | {"council", "of", "the", "and"}
# A paper described by what it is on, in a summary ("the gist of the minister's letter on reorganisation and devolution
# that went to …"): those words say which paper, not a section of it to narrow the gist to.
PAPER_DESCRIBED = re.compile(r"\b(?:" + "|".join(sorted(PAPER_KIND_WORDS)) + r")s?\s+"
                             r"(?:on|about|regarding|concerning)\s+((?:(?!(?:that|which|who|to|from|for|in|at|says?|said)\b)[\w'’-]+\s*){1,6})",
                             re.IGNORECASE)
# Where "council" is part of the name of a thing asked about, not of a council: "council tax", "council housing".
COUNCIL_THING = re.compile(r"\bcouncil[- ](?:tax|housing|homes)\b", re.IGNORECASE)
# What a role asked about is for, in its title as written: "the Cabinet Member for Education", "the Director of
# Finance". Those words say whose the role is, though they also name a paper ("… Education Provision …").
# Members of a body, as people asked about: "the cabinet members", "committee members" (not one role's title, "the
# Cabinet Member for Education", which `ROLE_FOR` reads).
ROLE_HOLDERS = re.compile(r"\b(cabinet|committee|board|panel)\s+members\b", re.IGNORECASE)
# Typed in lower case too ("who is the cabinet member for education?"): the title's words then run to the first
# small word other than "and" (`role_subject`).
ROLE_FOR = re.compile(r"\b(?:member|director|head|lead|officer|chair(?:man)?|spokesperson|holder)\s+(?:for|of)\s+"
                      r"((?:[\w&'’-]+(?:\s+|(?=\W|$))){1,6})", re.IGNORECASE)


def role_subject(match: re.Match[str]) -> str:
    """The words a ROLE_FOR match says the role is for, up to the first small word but "and" ("Education and
    Skills" of "… Member for Education and Skills at Kent")."""
    words = []
    for word in match.group(1).split():
        if word.lower() in STOPWORDS and word.lower() not in ("and", "&"):
            break
        words.append(word)
    return " ".join(words)
# And of a body that issues papers without being a council: "the Broads" names the Broads Authority.
BODY_WORDS = COUNCIL_WORDS | {"authority"}
# A committee, board or panel, by the words before it ("the Scrutiny Committee", "Health and Wellbeing Board").
BODY_NOUN = re.compile(r"\b(?:sub-committee|committee|board|panel)s?\b", re.IGNORECASE)
MONTHS = ("january february march april may june july august september october november december").split()
# A month named as a meeting's ("the January draft budget"): capitalised, as in "May" but not "may".
MONTH_NAMED = re.compile(r"\b(" + "|".join(month.capitalize() for month in MONTHS) + r")\b")
# "the five key outcomes", "all seven recommendations": how many things a list question expects (COUNT_WORDS).
STATED_COUNT = re.compile(r"\b(?:the|all|its|their|these|those)\s+(" + "|".join(COUNT_WORDS) + r"|[2-9]|1[0-9])\b"
                          r"(?![-/–]|\s*(?:%|per\b|years?\b|months?\b|weeks?\b|days?\b|hours?\b|times\b|"
                          + "|".join(MONTHS) + r"))", re.IGNORECASE)  # not "the 16 January meeting", "the 18-25 …"
# How the answer should be laid out ("in three points", "in a few sentences", "as bullet points"): not its topic.
ANSWER_SHAPE = re.compile(
    r"\b(?:in|as|using)\s+(?:(?P<count>\d+|a few|a couple of|one|" + "|".join(COUNT_WORDS) + r")\s+)?"
    r"(?:short\s+|brief\s+|simple\s+|key\s+|main\s+)?(?:bullet\s+points?|bullets|points|lines|sentences|paragraphs|"
    r"(?<=one\s)(?:point|line|sentence|paragraph))\b|\bbriefly\b", re.IGNORECASE)


# The time a question is asked from ("how much is Kent overspending this year?", "what is the council doing at the
# moment"): the papers write from their own present ("The Council is forecasting a revenue overspend of …"), so these
# words say no topic; "year" of them would match "the planned 2-year £1.5m budget reduction".
ASKED_FROM_NOW = re.compile(r"\b(?:(?:so far )?this (?:financial )?year|at (?:the )?(?:moment|present)|right now|"
                            r"these days|currently|at this time)\b", re.IGNORECASE)


def asked_from_now(question: str) -> str:
    """The question without the words that place it in the asker's present."""
    return " ".join(ASKED_FROM_NOW.sub(" ", question).split())


def answer_shape(question: str) -> tuple[str, int]:
    """The question without the words that ask for a layout, and the number of points asked for (0: not said)."""
    match = ANSWER_SHAPE.search(question)
    if not match:
        return question, 0
    count = (match.group("count") or "").lower()
    points = int(count) if count.isdigit() else 1 if count == "one" else COUNT_WORDS.get(count, 0)
    return " ".join(f"{question[:match.start()]} {question[match.end():]}".split()), points


def amount_asked(question: str) -> bool:
    """ "What was the net revenue budget …", "what was the total spend reported on …" ask for an amount; "what did
    the peer team say about Derby City's reserves?" asks what was said, with or without a figure: the amount word
    is the topic of the view asked for."""
    amount = AMOUNT_ASKED.search(question)
    if amount is None:
        return False
    # "Which directorate is driving the overspend?": the thing after "which" is asked for, not the amount after it.
    thing = re.match(r"\s*which\s+([a-z]+)\s+(?:is|was|are|were|has|have|had|did|does|do|will|would|can|could)\b",
                     question, re.IGNORECASE)
    if thing and not re.fullmatch(_AMOUNT_NOUNS, thing.group(1), re.IGNORECASE):
        return False
    view = VIEW_CUE.search(question)
    # "What are the biggest risks in the budget risk register?", "what were the reasons for the overspend?": things
    # are asked for, and the amount word says where or of what.
    before = question[amount.start():amount.start(3)]
    things = re.search(r"\b\w{3,}s\s+(?:in|of|for|within|under|from|behind|to)\b", before)  # "amendments to …"
    # "What did councillors vote on the budget?": the amount word is what something was done about (after a verb
    # and its preposition), not an amount asked for, as it is in "what did the council spend on …".
    done_about = re.search(r"\b(?:did|does|do|will|would|has|have|had|being)\b.*\b(?:on|about|over|against|with|to)\s+"
                           r"(?:the|its|their|this|that)\s+(?:[\w'’-]+\s+){0,3}$", before, re.IGNORECASE)
    # "What are reserves held for?", "What is the grant spent on?": what the amount is for, not how much it is.
    # (Not "What forecast overspend did he base it on?": an amount again.)
    purpose = re.search(r"\b(?:held|used|spent|kept|set aside|earmarked|allocated|needed|meant|intended|going)\s+"
                        r"(?:for|on)(?:\s*,?\s*(?:according to|in|under|as set out in)\b[^?]*)?\s*\??\s*$",
                        question, re.IGNORECASE)
    return not (view and amount.start() < view.start() < amount.end()) and not things and not purpose \
        and not done_about


# A clause that puts something aside ("Apart from the usual core questions, what extra things …", "…, other than
# council tax?"): what it names is not what is asked about.
SET_ASIDE = re.compile(r"(?:^|,)\s*(?:apart from|other than|aside from|besides|except for|excluding|leaving aside|"
                       r"not counting)\s+[^,?]+?(?:\s*,\s*|\s*(?=\?|$))", re.IGNORECASE)


def set_aside(question: str) -> tuple[str, str]:
    """The question without a clause that puts something aside, and that clause as written ("" when none)."""
    match = SET_ASIDE.search(question)
    if match is None:
        return question, ""
    return " ".join(f"{question[:match.start()]} {question[match.end():]}".split()), match.group(0)


# Words a question quotes from a paper ("what was on the peer team's 'much to do' list?", "the 'Super Six'
# pledges"): a quote opens after a space or bracket (not the apostrophe of "team's") and closes before one.
_QUOTED = re.compile(r"(?<![\w'’])['‘\"“]((?:[^'‘’\"“”?]|['’](?=\w))+?)['’\"”](?![\w'’])")


def quoted_phrases(question: str) -> list[str]:
    """The phrases of two to eight words the question quotes ("Kent's" and all), as `flat_words`: one word is
    searched anyway."""
    return [flat_words(m.group(1)) for m in _QUOTED.finditer(question) if 2 <= len(m.group(1).split()) <= 8]


# Words that rank what they stand before ("the main risks", "its key findings", "the top priorities").
RANKING_WORDS = frozenset({"main", "key", "principal", "major", "top", "chief", "biggest", "primary"})


def flat_words(text: str) -> str:
    """Text lower-cased, on one line, with one kind of apostrophe: to find a quoted phrase in a passage."""
    return " ".join(text.replace("’", "'").lower().split())


# The noun a "which" question asks for ("which consultancy helped …", "which case recording system will …").
WHICH_NOUN = re.compile(r"^\s*(?:and\s+)?which\s+(?:[a-z][\w-]*\s+){0,3}?([a-z][\w-]*)\s+(?:will|would|did|does|do|is|"
                         r"was|are|were|has|have|had|can|could|should|must)\b", re.IGNORECASE)
WHICH_WORD = re.compile(r"^\s*(?:and\s+)?which\s+([a-z][\w-]*)", re.IGNORECASE)
COUNT_ASKED = re.compile(r"\bhow many\b", re.IGNORECASE)
# The word before a "how many" question's verb (or one ending "-ed": "how many people turned up").
COUNTED_NOUN = re.compile(r"\bhow many\s+(?:[\w'’-]+\s+){0,4}?([\w'’-]+)\s*(?:\?|$|\s(?:will|would|did|does|do|is|"
                          r"was|are|were|has|have|had|can|could|should|must|in|on|of|for|at|by|with|from|to|that|"
                          r"which|who|\w+ed)\b)", re.IGNORECASE)
