"""Numbered and bulleted lists: which blocks are list items, their labels, nesting and list, and label arithmetic.

Council papers number what matters: recommendations ("1. Undertake more work on …" with "a."–"e."
under it), decisions sought ("(i) approve …"), numbered paragraphs ("2.1 …"). Parsing gives
paragraphs and bullet items; this pass reads the labels, nests a label style under the style it
follows ("a." under "1."), and numbers the lists so an item stays with its sub-items and with a
paragraph that continues it. It works on blocks, so every format (PDF, DOCX, HTML, text) gets it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from common.types import Block, BlockKind, Page

BULLET = "•"

# Label styles, most specific first. Each pattern captures the label as printed.
_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("decimal", re.compile(r"^(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\.?)\s+(?=\S)")),  # 2.1  2.1.3
    ("number", re.compile(r"^(\d{1,2}[.)])\s+(?=[A-Z(“\"'‘£\d])")),  # 1.  1)
    ("paren-number", re.compile(r"^(\(\d{1,2}\))\s+(?=\S)")),  # (1)
    ("roman", re.compile(r"^(\(?(?:x|ix|iv|v?i{1,3}|v|xi{1,3})[.)])\s+(?=\S)")),  # (iv)  iv.  ii)
    ("letter", re.compile(r"^(\(?[a-z][.)])\s+(?=\S)")),  # a.  (a)  a)
    ("capital", re.compile(r"^(\(?[A-Z][.)])\s+(?=[A-Z])")),  # A.  (B)
)
# An unlabelled paragraph ends a list when the run of such paragraphs grows longer than this.
_MAX_CONTINUATIONS = 2
# ... unless the list's next item follows after at most this many in all: an item argued over more paragraphs than
# the others ("• Noise pollution" with three before "• Power Infrastructure") is still one of the list.
_MAX_CONTINUATIONS_BEFORE_NEXT_ITEM = 4
# Styles whose list goes on after a longer item. Not numbered paragraphs ("2.1", "2.2"): they are the paper's prose.
_RESUMABLE = frozenset({"bullet", "number", "paren-number", "roman", "letter", "capital"})


def read_label(text: str) -> tuple[str, str]:
    """(style, label) of a list label at the start of `text`, or ("", "")."""
    for style, pattern in _STYLES:
        match = pattern.match(text)
        if match:
            return style, match.group(1)
    return "", ""


def _number(label: str) -> int:
    """The first number in a label, to see a numbered list restart ("1." again after "6."); 0 for letters."""
    digits = re.findall(r"\d+", label)
    return int(digits[0]) if digits else 0


def mark_lists(pages: list[Page]) -> None:
    """Set label, depth and list_no on the blocks of `pages`, in place; labelled paragraphs become list items."""
    lists = _ListTracker()
    for page in pages:
        for block in page.blocks:
            lists.visit(block)


class _ListTracker:
    def __init__(self) -> None:
        self.list_no = -1
        self.styles: list[str] = []  # open label styles, outermost first
        self.depth = 0  # depth of the last item (a continuing paragraph takes it)
        self.gap = 0  # unlabelled paragraphs since the last item
        self.last_top = 0  # number of the last top-level numbered item
        self.top_label = ""  # and its label
        self.paused: _Paused | None = None  # a list closed by a run of paragraphs, that its next item may resume

    def close(self) -> None:
        self.styles = []
        self.gap = 0
        self.paused = None

    def pause(self, block: Block) -> None:
        """Close the list after one paragraph too many, keeping what it takes to go on with it when its next
        item comes soon after (`block` and the paragraphs after it then continue its last item)."""
        self.paused = _Paused(self.list_no, self.styles, self.depth, self.last_top, self.top_label, [block])
        self.styles = []
        self.gap = 0

    def visit(self, block: Block) -> None:
        if block.kind == BlockKind.HEADING or block.kind == BlockKind.TABLE_ROW:
            self.close()
            return
        style, label = read_label(block.text)
        if block.kind == BlockKind.LIST_ITEM and not style:
            style, label = "bullet", BULLET
        if style == "roman" and self.styles and self.styles[-1] == "letter" and len(label.strip("().")) == 1:
            style = "letter"  # "i." after "h." is a letter
        if not style:
            self._paragraph(block)
            return
        self._item(block, style, label)

    def _paragraph(self, block: Block) -> None:
        if self.paused is not None:
            self.paused.blocks.append(block)
            if block.text.rstrip().endswith(":") or self.paused.gap > _MAX_CONTINUATIONS_BEFORE_NEXT_ITEM:
                self.close()
            return
        if not self.styles:
            return
        if block.text.rstrip().endswith(":"):
            self.close()  # the lead-in of another list
            return
        if not block.text[:1].islower():  # (one in lower case is the one before, carried over a page)
            self.gap += 1
        if self.gap > _MAX_CONTINUATIONS:
            self.pause(block)  # prose again, most likely
            return
        block.list_no, block.depth = self.list_no, self.depth

    def _resume(self, style: str, label: str) -> None:
        """Go on with the paused list when `label` is its next top-level item: the paragraphs since its last item
        are that item's too."""
        paused, self.paused = self.paused, None
        if paused is None or style not in _RESUMABLE or style != paused.styles[0]:
            return
        if style != "bullet" and successor(printed_number(paused.top_label)) != printed_number(label):
            return
        self.list_no, self.styles, self.depth = paused.list_no, paused.styles, paused.depth
        self.last_top, self.top_label = paused.last_top, paused.top_label
        for block in paused.blocks:
            block.list_no, block.depth = paused.list_no, paused.depth

    def _item(self, block: Block, style: str, label: str) -> None:
        if self.paused is not None:
            self._resume(style, label)
        number = _number(label)
        restarts = bool(self.styles) and style == self.styles[0] and style in ("number", "paren-number") \
            and number == 1 and self.last_top >= 1
        if not self.styles or restarts:
            self.list_no += 1
            self.styles = [style]
            depth = 0
        elif style in self.styles:
            depth = self.styles.index(style)
            del self.styles[depth + 1:]
        else:
            self.styles.append(style)
            depth = len(self.styles) - 1
        if depth == 0:
            self.last_top, self.top_label = number, label
        block.kind, block.label, block.depth, block.list_no = BlockKind.LIST_ITEM, label, depth, self.list_no
        self.depth = depth
        self.gap = 0


@dataclass
class _Paused:
    list_no: int
    styles: list[str]
    depth: int
    last_top: int
    top_label: str
    blocks: list[Block]  # paragraphs since the list was paused

    @property
    def gap(self) -> int:
        """Paragraphs since the list's last item, as `_ListTracker.gap` counts them: the list paused after
        _MAX_CONTINUATIONS of them, on the first of `blocks`."""
        return sum(1 for b in self.blocks if not b.text[:1].islower()) + _MAX_CONTINUATIONS


# --- label arithmetic: the number a label prints, its place in a sequence, the label that follows ---
_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def printed_number(label: str) -> str:
    """The number as printed, without brackets and final dot: "(ii)" -> "ii", "2.1." -> "2.1", "•" -> ""."""
    return label.strip().strip("()").rstrip(".)").lstrip("(") if re.search(r"\w", label) else ""


def successor(number: str) -> str:
    """The label expected after `number` ("2.2" -> "2.3", "1" -> "2", "ii" -> "iii", "b" -> "c"), or ""."""
    if re.fullmatch(r"(\d+\.)*\d+", number):
        head, _, tail = number.rpartition(".")
        return f"{head}.{int(tail) + 1}" if head else str(int(number) + 1)
    if number.lower() in _ROMANS[:-1]:
        nxt = _ROMANS[_ROMANS.index(number.lower()) + 1]
        return nxt.upper() if number.isupper() else nxt
    if re.fullmatch(r"[a-y]", number, re.IGNORECASE):
        return chr(ord(number) + 1)
    return ""


def ordinal(label: str) -> tuple[int, ...] | None:
    """A label's place in its sequence: "2.1" -> (2, 1), "iv" -> (4,), "c." -> (3,); None for a bullet."""
    number = printed_number(label)
    if re.fullmatch(r"(\d+\.)*\d+", number):
        return tuple(int(p) for p in number.split("."))
    if number.lower() in _ROMANS:
        return (_ROMANS.index(number.lower()) + 1,)
    return (ord(number.lower()) - 96,) if re.fullmatch(r"[a-z]", number, re.IGNORECASE) else None


def plain_number(label: str) -> int | None:
    """The number of a plain numbered label ("3.", "(3)", "3)"); None for letters, romans and "2.1"."""
    digits = re.fullmatch(r"\(?(\d{1,2})[.)]?", label.strip())
    return int(digits.group(1)) if digits else None


def inline_label(number: str) -> re.Pattern[str]:
    """A label `number` inside running text, as a list prints it: "2.3", "(2)", "2.", "ii)"."""
    label = re.escape(number) + r"\.?" if "." in number else \
        r"(?:\(" + re.escape(number) + r"\)|" + re.escape(number) + r"[.)])"
    return re.compile(r"\s" + label + r"\s+(?=[A-Z(“\"‘'£])")
