"""DOCX, HTML and plain text / Markdown to Pages of Blocks.

These formats carry their structure explicitly (styles, tags, "#" marks), so there is no
guessing from fonts here; DOCX and HTML have no fixed pages and land on page 1.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from common.types import Block, BlockKind, Page
from ingest.cleaning import heading_level, is_table_row, normalize_text, split_bullet
from ingest.errors import DocumentError

_HEADING_STYLE_RE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)", re.IGNORECASE)
_MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_MD_BOLD_RE = re.compile(r"(\*\*|__)(.+?)\1")
_MD_TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")


# ---------------------------------------------------------------- DOCX


def parse_docx(path: Path) -> tuple[list[Page], dict[str, str]]:
    from docx import Document  # imported here so PDF-only use does not need python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise DocumentError(f"corrupt DOCX: {exc}") from exc
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            block = _docx_paragraph(item)
            if block:
                blocks.append(block)
        elif isinstance(item, Table):
            blocks.extend(_docx_table(item))
    props = document.core_properties
    info = {"title": props.title or "", "author": props.author or ""}
    return [Page(1, blocks)], {k: v for k, v in info.items() if v}


def _docx_paragraph(paragraph: object) -> Block | None:
    text = normalize_text(paragraph.text)  # type: ignore[attr-defined]
    if not text:
        return None
    style = (paragraph.style.name or "") if paragraph.style is not None else ""  # type: ignore[attr-defined]
    match = _HEADING_STYLE_RE.match(style)
    if match:
        return Block(BlockKind.HEADING, text, int(match.group(1)))
    if style.lower() == "title":
        return Block(BlockKind.HEADING, text, 1)
    if "list" in style.lower():
        return Block(BlockKind.LIST_ITEM, split_bullet(text)[1])
    is_bullet, rest = split_bullet(text)
    return Block(BlockKind.LIST_ITEM if is_bullet else BlockKind.PARAGRAPH, rest)


def _docx_table(table: object) -> list[Block]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.cells:
            text = normalize_text(cell.text)
            if not cells or text != cells[-1]:  # merged cells repeat their text
                cells.append(text)
        line = " | ".join(c for c in cells if c)
        if line:
            rows.append(Block(BlockKind.TABLE_ROW, line))
    return rows


# ---------------------------------------------------------------- HTML


def parse_html(path: Path) -> tuple[list[Page], dict[str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_bytes(path.read_bytes()), "html.parser")
    for tag in soup(["script", "style", "nav", "noscript", "template", "header", "footer"]):
        tag.decompose()
    blocks: list[Block] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "blockquote"]):
        # Nested matches (a <p> inside an <li>) are covered by the outer element.
        if el.find_parent(["li", "tr", "p", "blockquote"]) is not None:
            continue
        if el.name == "tr":
            cells = [normalize_text(c.get_text(" ")) for c in el.find_all(["td", "th"])]
            line = " | ".join(c for c in cells if c)
            if line:
                blocks.append(Block(BlockKind.TABLE_ROW, line))
            continue
        text = normalize_text(el.get_text(" "))
        if not text:
            continue
        if el.name and el.name[0] == "h":
            blocks.append(Block(BlockKind.HEADING, text, int(el.name[1])))
        elif el.name == "li":
            blocks.append(Block(BlockKind.LIST_ITEM, text))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, text))
    title = normalize_text(soup.title.get_text()) if soup.title else ""
    return [Page(1, blocks)], ({"title": title} if title else {})


# ---------------------------------------------------------------- TXT / Markdown


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1252, else latin-1, which never fails."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse_text(path: Path) -> tuple[list[Page], dict[str, str]]:
    text = decode_bytes(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")
    markdown = path.suffix.lower() == ".md"
    pages = [Page(n, text_blocks(chunk, markdown)) for n, chunk in enumerate(text.split("\f"), start=1)]
    return pages, {}


def _strip_md(text: str) -> str:
    text = _MD_BOLD_RE.sub(r"\2", text)
    return re.sub(r"(?<!\w)[*_]([^*_\s][^*_]*?)[*_](?!\w)", r"\1", text)


def text_blocks(text: str, markdown: bool) -> list[Block]:
    """Blank lines separate paragraphs; "#", bullets, numbered short lines and tables are kept apart."""
    blocks: list[Block] = []
    current: Block | None = None
    for raw in text.split("\n"):
        line = normalize_text(raw)
        if not line:
            current = None
            continue
        if markdown and _MD_TABLE_SEP_RE.match(line):
            continue
        md_heading = _MD_HEADING_RE.match(line) if markdown else None
        if md_heading:
            blocks.append(Block(BlockKind.HEADING, _strip_md(md_heading.group(2)), len(md_heading.group(1))))
            current = None
            continue
        line = _strip_md(line) if markdown else line
        if line.startswith("|") and line.endswith("|") and line.count("|") >= 3:
            cells = [normalize_text(c) for c in line.strip("|").split("|")]
            blocks.append(Block(BlockKind.TABLE_ROW, " | ".join(c for c in cells if c)))
            current = None
            continue
        is_bullet, rest = split_bullet(line)
        if is_bullet:
            current = Block(BlockKind.LIST_ITEM, rest)
            blocks.append(current)
            continue
        if is_table_row(line):
            blocks.append(Block(BlockKind.TABLE_ROW, line))
            current = None
            continue
        level = heading_level(line, False, 80.0, has_fonts=False) if current is None else None
        if level is not None:
            blocks.append(Block(BlockKind.HEADING, line, level))
            current = None
        elif current is not None:
            current.text = f"{current.text} {line}"
        else:
            current = Block(BlockKind.PARAGRAPH, line)
            blocks.append(current)
    return blocks
