"""Council names in a paper's text, and the vote for the council that issued the paper.

The council is the body that issued the paper, not any council the text mentions: a council named
on its own line at the top of page 1, in the running header or as the paper's addressee ("Report
to Kent County Council") counts for much; the file name or folder ("kent-cc"), the paper's e-mail
domain and its acronym ("KCC") count for some; mentions in the body count for little. A minister's
letter is issued by the minister's department.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common.types import Page
from ingest.frontsheet import Front, front_blocks, starts_with_label
from ingest.wording import clean, is_council_name, smart_case

_KINDS = ("County Council", "City Council", "District Council", "Metropolitan Borough Council", "Borough Council",
          "Parish Council", "Town Council", "Community Council", "Unitary Council")
_KIND_RE = "|".join(k.replace(" ", r"\s+") for k in _KINDS)
_WORD = r"(?!Councils?\b)[A-Z][\w'’.-]*"
# "Kent County Council", "Tonbridge and Malling Borough Council", "Newcastle upon Tyne City Council"
_COUNCIL_RE = re.compile(rf"((?:{_WORD}\s+(?:(?:and|upon|on|of|&)\s+)?){{1,6}})({_KIND_RE})(?!s)\b")
_BARE_COUNCIL_RE = re.compile(rf"^((?:{_WORD}\s+){{1,3}})Council\b")  # "Walsall Council" at the top of a page
_CONNECTORS = {"and", "upon", "on", "of", "&"}
_NAME_STOP = {
    "The", "A", "An", "Of", "To", "For", "By", "And", "With", "Report", "Reports", "Dear", "Council", "Our", "This",
    "That", "These", "County", "City", "District", "Borough", "Parish", "Town", "Full", "Each", "Every", "Whole",
    "Other", "Minutes", "Meeting", "Agenda", "Members", "Member", "Leader", "Leaders", "Chairman", "Chair", "Cabinet",
    "Committee", "Notice", "All", "Both", "Under", "From", "In", "On", "At", "As", "If", "When", "Within", "Across",
    "Including", "Cllr", "Councillor", "Mr", "Mrs", "Ms", "Dr", "Record", "Decision", "Response", "Letter", "Item",
    "Extraordinary", "Annual", "Special", "Ordinary", "Summons", "Welcome", "Since", "Following", "Whilst", "While",
}
_KIND_NAMES = {"county", "city", "district", "borough", "metropolitan", "parish", "town", "community", "unitary"}
_MONTH_WORDS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December"}
_ACRONYM_RE = re.compile(r"\b([A-Z]{1,4}?)(MBC|CC|DC|BC|PC|TC)\b")
_ACRONYM_KINDS = {"CC": ("County Council", "City Council"), "DC": ("District Council",), "BC": ("Borough Council",),
                  "MBC": ("Metropolitan Borough Council",), "PC": ("Parish Council",), "TC": ("Town Council",)}
_DOMAIN_RE = re.compile(r"(?:@|\bwww\.)([a-z][a-z-]*)\.gov\.uk\b", re.IGNORECASE)
_AUTHOR_LIKE = (  # wording that shows the council wrote the paper: "Fenland District Council has produced …"
    r"{name}\s+(?:has|have)\s+(?:produced|prepared|published|adopted|set\s+out|developed)\b",
    r"{name}\s+wants\b",
    r"\b(?:adopted|published|prepared|produced|issued)\s+(?:at\s+a\s+(?:full\s+)?meeting\s+of|by)\s+{name}",
    r"\bon\s+behalf\s+of\s+{name}",
)
# Central government writes to councils too: a minister's portfolio names the department.
_DEPARTMENTS = (
    ("local government|housing|communities|levelling up|devolution",
     "Ministry of Housing, Communities and Local Government"),
    ("education|schools|skills|children", "Department for Education"),
    ("health|social care", "Department of Health and Social Care"),
    ("transport|roads|rail", "Department for Transport"),
    ("environment|food|rural", "Department for Environment, Food and Rural Affairs"),
    ("treasury|exchequer", "HM Treasury"),
    ("policing|crime|home office", "Home Office"),
)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in ".!?:;•|–-(" or bool(re.search(r"(?:^|\s)\(?\w{1,3}[.)]$", before))


def council_names(text: str, vocab: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Council names in `text` in order, each with leading words that are not part of the name dropped.

    A capitalised word that starts a sentence and is also used in lower case in the paper
    ("Following Derbyshire County Council") is an ordinary word, not part of the name.
    """
    text = smart_case(text)
    names = []
    for m in _COUNCIL_RE.finditer(text):
        words = m.group(1).split()
        start = m.start()
        while words and (words[0] in _NAME_STOP or words[0] in _CONNECTORS
                         or (words[0].lower() in vocab and _sentence_start(text, start))):
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        kind = re.sub(r"\s+", " ", m.group(2))
        if not words or (len(words) == 1 and words[0] in _MONTH_WORDS and kind not in ("Town Council",
                                                                                         "Parish Council")):
            continue
        names.append(" ".join(words + [kind]))
    return names


def find_council(texts: list[str]) -> str:
    """The council mentioned most often in `texts`; "" when none is."""
    vocab = {w for t in texts for w in re.findall(r"\b[a-z]+\b", t)}
    counts = Counter(n for t in texts for n in council_names(t, vocab))
    if not counts:
        return ""
    order = {n: i for i, n in enumerate(counts)}
    return max(counts, key=lambda n: (counts[n], len(n.split()), -order[n]))


def place_of(name: str) -> str:
    for kind in _KINDS:
        if name.endswith(kind):
            return name[: -len(kind)].strip()
    return name.rsplit(" ", 1)[0] if name.endswith(" Council") else name


def _initials(name: str) -> str:
    place = [w for w in place_of(name).split() if w[:1].isupper()]
    kind = name[len(place_of(name)):].split()
    return "".join(w[0] for w in place) + "".join(w[0] for w in kind)


def path_hints(path: Path | None, stem: str) -> list[tuple[str, tuple[str, ...], float]]:
    """(place, possible kinds, weight) from the file name and its folders: "kent-cc" → ("kent", County/City
    Council, 3); the file's own name weighs more than its folder's."""
    names = [stem] + ([path.parent.name, path.parent.parent.name] if path is not None else [])
    kinds = {"cc": ("County Council", "City Council"), "dc": ("District Council",), "bc": ("Borough Council",),
             "mbc": ("Metropolitan Borough Council",), "pc": ("Parish Council",), "tc": ("Town Council",),
             "county": ("County Council",), "city": ("City Council",), "district": ("District Council",),
             "borough": ("Borough Council",), "parish": ("Parish Council",), "town": ("Town Council",),
             "council": (), "authority": ("Authority",)}  # ("broads-authority": a body that is no council)
    skip = {"cabinet", "council", "minutes", "agenda", "report", "appendix", "app", "the", "and", "of", "draft",
            "final", "papers", "pdfs", "pdf", "docs", "documents", "local", "planning"}
    hints = []
    for weight, name in zip((4, 3, 2), names, strict=False):
        tokens = [t for t in re.split(r"[-_ .]+", name.lower()) if t]
        for i, token in enumerate(tokens):
            if token not in kinds or i == 0 or (len(token) > 3 and token not in ("council", "authority") and (
                    i + 1 >= len(tokens) or tokens[i + 1] != "council")):  # "annual-parish-meeting" is no council
                continue
            place = []
            for prev in reversed(tokens[max(0, i - 3): i]):
                if not prev.isalpha() or prev in skip or prev in kinds:
                    break
                place.insert(0, prev)
            if place:
                hints.append((" ".join(place), kinds[token], weight))
                break
    return hints


@dataclass
class _Ballot:
    """Council candidates with the weight of the evidence for each.

    Mentions (the full name or its acronym in the text) are weak evidence: a candidate needs some
    strong evidence too (a place where papers name their issuer, the PDF's author field, the file
    name or folder, the e-mail domain on page 1, or wording that shows the council wrote the paper:
    "Fenland District Council has produced this Local Plan").
    """

    scores: Counter[str] = field(default_factory=Counter)
    strong: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, weight: float, strong: bool = True) -> None:
        if name:
            self.scores[name] += weight
            self.strong[name] += weight if strong else 0

    def support(self, test, weight: float, strong: bool = True) -> bool:  # type: ignore[no-untyped-def]
        hit = [n for n in self.scores if test(n)]
        for n in hit:
            self.add(n, weight, strong)
        return bool(hit)

    def winner(self) -> str:
        order = {name: i for i, name in enumerate(self.scores)}  # ties: the one met first (page 1 first)
        ranked = [n for n, score in self.scores.items() if self.strong[n] > 0 and score >= 2]
        return max(ranked, key=lambda n: (self.scores[n], self.strong[n], -order[n])) if ranked else ""


def _expand_acronym(acronym: str, count: int, body: str, vocab: set[str], domains: set[str]) -> str:
    """"KCC" in a paper that says "Kent" and "County Council" often enough → "Kent County Council"."""
    m = _ACRONYM_RE.fullmatch(acronym)
    if not m or len(m.group(1)) != 1:
        return ""
    kinds = _ACRONYM_KINDS[m.group(2)]
    kind = max(kinds, key=lambda k: body.count(k))
    if body.count(kind) == 0:
        return ""
    letter = m.group(1)
    place = next((d.capitalize() for d in sorted(domains) if d[0] == letter.lower() and d.isalpha()), "")
    if not place and count >= 2:
        words = Counter(w for w in re.findall(rf"\b{letter}[a-z]{{2,}}\b", body)
                        if w.lower() not in vocab and w not in _NAME_STOP and w not in _MONTH_WORDS
                        and w.lower() not in _KIND_NAMES)
        place = words.most_common(1)[0][0] if words and words.most_common(1)[0][1] >= 2 else ""
    return f"{place} {kind}" if place else ""


def _minister_department(front: Front) -> str:
    if not re.match(r"(?:Parliamentary\s+Under[- ])?(?:Secretary\s+of\s+State|Minister)\b", front.role):
        return ""
    portfolio = front.role.lower()
    return next((dept for words, dept in _DEPARTMENTS if re.search(rf"\b(?:{words})\b", portfolio)), "HM Government")


def _file_named_for_place(ballot: _Ballot, stem: str, whole: str, vocab: set[str]) -> None:
    """A file named after its council's place ("breckland-local-plan-…", "dacorum-SHLAA-…"): support for the
    council of that place the paper names twice or more anywhere in it (a plan's first pages are its contents).
    The file name is no council name by itself: "black-country-…" names none."""
    opening = [t for t in re.split(r"[-_ .]+", stem.lower()) if t][:2]
    mentions = Counter(council_names(whole, vocab))
    for size in (2, 1):
        place = " ".join(opening[:size])
        named = [n for n, count in mentions.items() if count >= 2 and place_of(n).lower() == place]
        if len(opening) >= size and named:
            ballot.add(max(named, key=mentions.__getitem__), 2)
            return


def resolve_council(pages: list[Page], info: dict[str, str], front: Front, path: Path | None, stem: str) -> str:
    """The body that issued the paper (see the module docstring for the weights)."""
    department = _minister_department(front)
    if department:
        return department
    texts = [b.text for p in pages[:8] for b in p.blocks]
    vocab = {w for t in texts for w in re.findall(r"\b[a-z]+\b", t)}
    ballot = _Ballot()
    for _, text in front_blocks(pages, limit=14):
        names = council_names(text, vocab)
        lead = re.sub(r"^(?:report|letter)\s+(?:to|for|from)\s+", "", smart_case(text), flags=re.IGNORECASE)
        headerish = len(text.split()) <= 14 and not starts_with_label(text)  # not "Summary: … Swale BC …"
        for name in names:
            ballot.add(name, 8 if lead.startswith(name) else 5 if headerish else 0)
        bare = _BARE_COUNCIL_RE.match(lead)
        if not names and bare and len(lead.split()) <= 6 and bare.group(1).split()[0] not in _NAME_STOP:
            ballot.add(clean(bare.group(0)), 6)
    for part in info.get("running_header", "").split(" | "):
        for name in council_names(part, vocab):
            ballot.add(name, 6)
    for key in ("author", "company"):
        value = clean(info.get(key, ""))
        broad = re.match(r"^(Borough|District|City)\s+of\s+([A-Z][\w ]+)$", value)
        value = f"{broad.group(2)} {broad.group(1)} Council" if broad else value
        if is_council_name(value) and council_names(value):
            ballot.add(council_names(value)[0], 4)
    mentions = Counter(n for t in texts for n in council_names(t, vocab))
    body = "\n".join(texts)
    for name, n in mentions.items():
        ballot.add(name, min(0.5 * n, 2.5), strong=False)
        if any(re.search(p.format(name=re.escape(name)), body) for p in _AUTHOR_LIKE):
            ballot.add(name, 2)
    for place, kinds, weight in path_hints(path, stem):
        def same_place(n: str, place: str = place) -> bool:
            return " ".join(w for w in re.split(r"[\s&]+", place_of(n).lower()) if w != "and") == place

        if not kinds:  # "derbyshire-dales-council": the place only
            ballot.support(same_place, weight - 1)
        elif not ballot.support(lambda n, k=kinds, s=same_place: s(n) and n.endswith(k), weight):
            ballot.add(" ".join(w.capitalize() for w in place.split()) + " " + kinds[0], weight)
    whole = "\n".join(b.text for p in pages for b in p.blocks)  # acronyms: the whole paper
    # The paper's own e-mail or web domain sits in its letterhead or contact block on page 1.
    top = " ".join([*(t for _, t in front_blocks(pages, limit=30)), info.get("running_header", "")])
    domains = {d.lower() for d in _DOMAIN_RE.findall(top)}
    for acronym, n in Counter(m.group(0) for m in _ACRONYM_RE.finditer(whole)).items():
        def same(c: str, a: str = acronym) -> bool:
            return _initials(c) == a

        if not ballot.support(same, min(0.5 * n, 2), strong=False):
            ballot.add(_expand_acronym(acronym, n, whole, vocab, domains), min(0.5 * n, 2), strong=False)
    if not path_hints(None, stem):
        _file_named_for_place(ballot, stem, whole, vocab)
    for domain in domains:
        ballot.support(lambda n, d=domain: place_of(n).lower().replace(" ", "").startswith(d.replace("-", "")), 1.5)
    return ballot.winner()
