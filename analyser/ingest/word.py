"""Word (.docx) printouts: paragraphs (and table cells) as lines, then the printout parser."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..model import InputWarning, SourceLoc
from .base import FileResult, ReadContext
from .text import from_lines


def read_docx(path: Path, rel: str, ctx: ReadContext) -> FileResult:
    import docx  # python-docx; imported when a .docx is read

    res = FileResult(rel, encoding="docx")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        res.warnings.append(InputWarning(SourceLoc(rel), f"not a readable .docx file "
                                         f"({type(exc).__name__}); no notes read", "unreadable"))
        return res
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.extend(_para_text(child).split("\n"))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.rsplit("}", 1)[-1] == "tr":
                    cells = [_para_text(c) for c in row.iter()
                             if c.tag.rsplit("}", 1)[-1] == "tc"]
                    lines.append("   ".join(c.replace("\n", " ") for c in cells))
    return from_lines(lines, rel, ctx, res)


def _para_text(el) -> str:
    parts = []
    for node in el.iter():
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "t" and node.text:
            parts.append(node.text)
        elif tag == "tab":
            parts.append("\t")
        elif tag in ("br", "cr") or tag == "p" and parts and node is not el:
            parts.append("\n")
    return "".join(parts)
