"""Plain-text and Markdown printouts."""

from __future__ import annotations

from pathlib import Path

from ..model import InputWarning, SourceLoc
from .base import FileResult, ReadContext, decoded_text
from .printout import parse_printout


def read_text(path: Path, rel: str, ctx: ReadContext) -> FileResult:
    res = FileResult(rel)
    text = decoded_text(path, res)
    if text is None:
        return res
    return from_lines(text.split("\n"), rel, ctx, res)


def from_lines(lines: list[str], rel: str, ctx: ReadContext, res: FileResult) -> FileResult:
    parsed = parse_printout(lines, rel, ctx.headers)
    res.notes.extend(parsed.notes)
    res.metadata.update(parsed.metadata)
    res.warnings.extend(parsed.warnings)
    if not parsed.notes and any(line.strip() for line in lines):
        res.warnings.append(InputWarning(SourceLoc(rel, 1), "no note header with a date "
                                         "found; no notes read", "no_notes"))
    return res
