"""Case-note printouts (lines of text from .txt, .md, .docx, .pdf) split into notes.

Each note starts at a header line (see :mod:`header`); a line of dashes, equals signs or
stars may separate notes; text before the first header is case metadata when it looks
like it. Line numbers are 1-based and count the lines the reader produced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import InputWarning, RawNote, SourceLoc
from .header import Header, HeaderParser
from .metadata import parse_metadata

_SEPARATOR = re.compile(r"^\s*(?:[-=_*~#\u2014\u2013\u2500\u2550]\s*){3,}$")


@dataclass
class ParsedPrintout:
    notes: list[RawNote] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[InputWarning] = field(default_factory=list)


def is_separator(line: str) -> bool:
    return bool(_SEPARATOR.match(line))


def parse_printout(lines: list[str], file: str, parser: HeaderParser) -> ParsedPrintout:
    """Split a printout's lines into notes. Never raises on content; problems become warnings."""
    out = ParsedPrintout()
    headers: dict[int, Header] = {}
    for i, line in enumerate(lines):
        h = parser.parse(line)
        if h is not None:
            headers[i] = h
    # Inline ("14/03/2024 - Mum rang ...") lines are notes only in a file without ordinary
    # headers; elsewhere they are dated lines inside a note's body.
    if any(h.style != "inline" for h in headers.values()):
        headers = {i: h for i, h in headers.items() if h.style != "inline"}
    # A bare date line directly inside a body ("12/05/2016" under DOB) is only a header
    # when followed by text and preceded by a break.
    headers = {i: h for i, h in headers.items() if not _is_stray_date(lines, i, h)}

    first = min(headers) if headers else len(lines)
    preamble = lines[:first]
    meta, leftover = parse_metadata(preamble, parser)
    out.metadata = meta
    if leftover:
        # Text before the first header that is not metadata: keep it as an undated note.
        start, end = leftover
        text = _join(lines[start:end + 1])
        if text.strip():
            loc = SourceLoc(file, start + 1, end + 1)
            out.notes.append(RawNote(text=text, source=loc))
            out.warnings.append(InputWarning(
                SourceLoc(file, start + 1), "text before the first note header has no date; "
                "kept as an undated note", "no_date"))

    order = sorted(headers)
    for n, i in enumerate(order):
        stop = order[n + 1] if n + 1 < len(order) else len(lines)
        h = headers[i]
        body: list[tuple[int, str]] = []
        if h.inline_start is not None:
            body.append((i, lines[i][h.inline_start:]))
        j = i + 1
        while j < stop:
            line = lines[j]
            if is_separator(line):
                # A separator right under the header belongs to it; a later one ends the
                # note, and any text after it up to the next header is a note of its own.
                if any(t.strip() for _, t in body):
                    break
            else:
                body.append((j, line))
            j += 1
        out.notes.append(_make_note(h, body, file, i))
        if j < stop:
            orphan = [(k, lines[k]) for k in range(j, stop)
                      if lines[k].strip() and not is_separator(lines[k])]
            if orphan:
                k0, k1 = orphan[0][0], orphan[-1][0]
                text = _join([lines[k] for k in range(k0, k1 + 1)])
                out.notes.append(RawNote(text=text, source=SourceLoc(file, k0 + 1, k1 + 1)))
                out.warnings.append(InputWarning(
                    SourceLoc(file, k0 + 1), "note has no header date; placed after the "
                    "previous note", "no_date"))
        if h.date.error:
            out.warnings.append(InputWarning(SourceLoc(file, i + 1),
                                              f"note header: {h.date.error}", "bad_date"))
    return out


def _is_stray_date(lines: list[str], i: int, h: Header) -> bool:
    if h.style != "fields" or h.note_type_raw or h.author or h.agency:
        return False
    before = lines[i - 1] if i > 0 else ""
    return bool(before.strip()) and not is_separator(before)


def _make_note(h: Header, body: list[tuple[int, str]], file: str, header_idx: int) -> RawNote:
    while body and not body[0][1].strip():
        body.pop(0)
    while body and not body[-1][1].strip():
        body.pop()
    text = _join([t for _, t in body])
    last = body[-1][0] if body else header_idx
    return RawNote(
        text=text,
        source=SourceLoc(file, header_idx + 1, last + 1),
        date=h.date.date,
        time=h.date.time,
        note_type_raw=h.note_type_raw,
        author=h.author,
        author_role=h.author_role,
        agency=h.agency,
        date_raw=h.date.raw.strip(),
    )


def _join(lines: list[str]) -> str:
    return "\n".join(line.rstrip() for line in lines).strip("\n")
