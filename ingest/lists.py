"""Numbered and bulleted lists: which blocks are list items, their labels, nesting and list.

Council papers number what matters: recommendations ("1. Undertake more work on …" with "a."–"e."
under it), decisions sought ("(i) approve …"), numbered paragraphs ("2.1 …"). Parsing gives
paragraphs and bullet items; this pass reads the labels, nests a label style under the style it
follows ("a." under "1."), and numbers the lists so an item stays with its sub-items and with a
paragraph that continues it. It works on blocks, so every format (PDF, DOCX, HTML, text) gets it.
"""

from __future__ import annotations

import re

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


def read_label(text: str) -> tuple[str, str]:
    """(style, label) of a list label at the start of `text`, or ("", "")."""
    for style, pattern in _STYLES:
        match = pattern.match(text)
        if match:
            return style, match.group(1)
    return "", ""


def _number(label: str) -> int:
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

    def close(self) -> None:
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
        if not self.styles:
            return
        self.gap += 1
        if self.gap > _MAX_CONTINUATIONS or block.text.rstrip().endswith(":"):
            self.close()  # prose again, or the lead-in of another list
            return
        block.list_no, block.depth = self.list_no, self.depth

    def _item(self, block: Block, style: str, label: str) -> None:
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
            self.last_top = number
        block.kind, block.label, block.depth, block.list_no = BlockKind.LIST_ITEM, label, depth, self.list_no
        self.depth = depth
        self.gap = 0
