"""PDF printouts with a text layer: page text as lines, then the printout parser."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ..model import InputWarning, SourceLoc
from .base import FileResult, ReadContext
from .text import from_lines

_PAGE_NO = re.compile(r"^\s*(?:page\s+)?\d+\s*(?:of|/)\s*\d+\s*$|^\s*page\s+\d+\s*$", re.I)


def read_pdf(path: Path, rel: str, ctx: ReadContext) -> FileResult:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    res = FileResult(rel, encoding="pdf")
    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        res.warnings.append(InputWarning(SourceLoc(rel), f"not a readable PDF "
                                         f"({type(exc).__name__}); no notes read", "unreadable"))
        return res
    if not any(p.strip() for p in pages):
        res.warnings.append(InputWarning(SourceLoc(rel), "PDF has no text layer (scanned "
                                         "image?); no notes read", "unreadable"))
        return res
    lines: list[str] = []
    for page in pages:
        for line in page.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            # page furniture ("Page 2 of 5") is layout, not note text
            if not _PAGE_NO.match(line):
                lines.append(line)
    return from_lines(lines, rel, ctx, res)
