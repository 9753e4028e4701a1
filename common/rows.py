"""Reading a table's lines: a row of figures and its label, the columns a chunk's section names, a line of labelled
figures, a question naming a row by its label or its first column.

Tables reach the index as lines ("Maidstone 68,263.60 68,085.50 115,145.5 -0.26%") under a section path whose last
heading may name the columns ("District | 2024-25 … | % change"; `ingest.tabletext` writes both). Retrieval,
evidence selection, refusal and the answerers read them through these helpers; the words and figures of a line are
read by `common.text`.
"""

from __future__ import annotations

import re

from common.text import YEAR_IN_TEXT, last_heading, words

# A table cell's figure: an amount, a percentage, a fraction ("6/9" of Band D), or a dash for none.
_CELL_FIGURE = re.compile(r"^[(\[]?[-–+−]?[£$€]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:%|m|k|bn|p)?[)\]]?,?$"
                          r"|^\d{1,2}/\d{1,2}$|^[-–—]$")


def row_label(line: str) -> str:
    """The label of a table row of figures ("Maidstone 68,263.60 68,085.50 115,145.5 -0.26%" -> "Maidstone",
    "Aged 18 to 20 £6.15 … £10.00" -> "Aged 18 to 20"): the words before its run of two or more trailing
    figures; "" for a line that is not such a row."""
    tokens = line.split()
    cut = len(tokens)
    while cut > 0 and _CELL_FIGURE.match(tokens[cut - 1]):
        cut -= 1
    if cut and tokens[cut - 1].lower() in ("to", "and", "-", "–"):
        cut += 1  # "Aged 18 to 20": a range in the label, not its first cell
    if len(tokens) - cut < 2 or cut == 0:
        return ""
    return " ".join(tokens[:cut])


# "Latest: 94%", "Target: 90%," "Previous: 97% (Green)": a label and its figure.
_LABELLED_FIGURE = re.compile(r"\b[A-Z][A-Za-z ]{0,25}:\s*[-+−£$€(]?\d[\d,.]*(?:%|m|k|bn)?\)?(?:\s*\([A-Za-z]+\))?,?")


def labelled_figures(line: str) -> bool:
    """A line of labelled figures with no subject of its own ("Latest: 94% Target: 90%, Floor: 80% Previous: 97%
    (Green)", a performance indicator's card): what its figures measure is the heading above it."""
    rest = _LABELLED_FIGURE.sub(" ", line)
    return len(_LABELLED_FIGURE.findall(line)) >= 2 and len(re.findall(r"[A-Za-z]{2,}", rest)) <= 2


def names_row(line: str, asked_words: set[str]) -> bool:
    """Whether a question (its lower-cased `words`) names this table row: every word of the row's label is in
    it, and not only numbers ("Maidstone", "grade KS R", "workers aged 18 to 20")."""
    label_words = set(words(row_label(line).lower()))
    return bool(label_words) and label_words <= asked_words and any(not w.isdigit() for w in label_words)


def column_line(heading: str) -> bool:
    """Whether a table's heading reads as its column names printed as one line ("Band Proportion of Band D Tax Rate
    2024-25 (incl. ASCL) £p 2025-26 … Increase £p"): words naming years or units, not a row of figures itself
    ("JLP total … 7,904 10,165 18,069") nor a heading inside the table ("RESERVES")."""
    return len(heading.split()) >= 3 and " | " not in heading and not row_label(heading) and _years_or_units(heading)


def _years_or_units(column: str) -> bool:
    """A column name that says which year or unit its figures are in ("2025-26 … £p", "Cabinet Draft (Jan 2025)"),
    as a label column ("District", "Grade") does not."""
    return bool(YEAR_IN_TEXT.search(column) or re.search(r"[£$€%]", column))


def names_row_by_column(line: str, section: str, question: str) -> bool:
    """Whether a question names this table row by its first column and label ("Band D" for the row "D 9/9 …" under
    "Band | Proportion …", "grade KS R"): a label of one or two letters is otherwise too easily an ordinary word."""
    label = row_label(line)
    header = table_header(section) or last_heading(section).split()[:1]
    column = header[0].split()[-1] if header and header[0].split() else ""
    return bool(label and column) and re.search(rf"\b{re.escape(column)}\s+{re.escape(label)}\b", question,
                                                 re.IGNORECASE) is not None


def table_header(section: str) -> list[str]:
    """The column names a table chunk's section ends with ("Table 6.2 … > District | 2024-25 … | % change"),
    or [] when it names none."""
    last = last_heading(section)
    return [c.strip() for c in last.split(" | ")] if " | " in last else []


def row_cells(line: str, header: list[str]) -> list[tuple[str, str]]:
    """A row of figures paired with its table's columns, label first ([("District", "Maidstone"),
    ("2025-26 Precept … £000s", "115,145.5"), …]); [] unless the cells and the columns pair one to one. A header
    that names only the figures' columns ("Initial Draft (Nov 2024) | Cabinet Draft (Jan 2025) | …": a year or a
    unit in the first, where a label column says "District" or "Grade") pairs with the figures, the label unnamed."""
    label = row_label(line)
    if not label or not header:
        return []
    values = line.split()[len(label.split()):]
    if len(values) + 1 == len(header):
        return list(zip(header, [label, *values], strict=True))
    if len(values) == len(header) and _years_or_units(header[0]):
        return [("", label), *zip(header, values, strict=True)]
    return []
