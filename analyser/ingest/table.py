"""Table exports (.csv, .xlsx): one note a row, columns recognised by name.

Column names are matched against ``lexicons/ingest/columns.yaml``; a user's mapping
(``--columns mapping.yaml``: ``field: Column Name``) overrides the guess. A case-id column
splits one table into the cases it names. Row numbers are 1-based spreadsheet rows (the
header is row 1); for CSV, the physical line where the row starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from ..model import InputWarning, RawNote, SourceLoc
from .base import FileResult, ReadContext, decoded_text
from .vocab import fold

FIELDS = ("case_id", "date", "time", "text", "note_type", "author", "agency", "note_id")


def detect_columns(header: list[str], ctx: ReadContext) -> tuple[dict[str, int], list[str]]:
    """Map fields to column indexes; returns (mapping, problems)."""
    folded = [fold(h or "") for h in header]
    mapping: dict[str, int] = {}
    problems: list[str] = []
    for fname, col in ctx.column_map.items():
        if col in header:
            mapping[fname] = header.index(col)
        elif fold(col) in folded:
            mapping[fname] = folded.index(fold(col))
        else:
            problems.append(f"mapped column {col!r} for {fname} not in the table")
    taken = set(mapping.values())
    for fname in FIELDS:
        if fname in mapping:
            continue
        for name in ctx.vocab.columns.get(fname, ()):
            if name in folded and folded.index(name) not in taken:
                mapping[fname] = folded.index(name)
                taken.add(mapping[fname])
                break
    # Second pass: a header that contains a known name as whole words ("Contact Date/Time",
    # "Case Note Text", "Worker Name (Author)"); the longest known name wins, text and date first.
    for fname in ("text", "date", "author", "note_type", "agency", "time", "case_id", "note_id"):
        if fname in mapping:
            continue
        best: tuple[int, int] | None = None
        for name in ctx.vocab.columns.get(fname, ()):
            # "case", "note", "when": too generic to find inside other names; "date" is not
            if len(name) < 5 and not (fname == "date" and name == "date"):
                continue
            for i, h in enumerate(folded):
                if fname == "date" and any(w in h.split() for w in ("birth", "dob", "due", "review")):
                    continue  # a date column, but not the note's date
                if i not in taken and f" {name} " in f" {h} " and (best is None or len(name) > best[0]):
                    best = (len(name), i)
        if best is not None:
            mapping[fname] = best[1]
            taken.add(best[1])
    return mapping, problems


def read_csv(path: Path, rel: str, ctx: ReadContext) -> FileResult:
    res = FileResult(rel)
    text = decoded_text(path, res)
    if text is None:
        return res
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[Any]]] = []
    try:
        line = 1
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        res.warnings.append(InputWarning(SourceLoc(rel, line), f"CSV parse error: {exc}; "
                                         "rows after this line not read", "unreadable"))
    return _rows_to_notes(rows, rel, ctx, res, sheet=None)


def read_xlsx(path: Path, rel: str, ctx: ReadContext) -> FileResult:
    import zipfile

    from openpyxl import load_workbook

    res = FileResult(rel, encoding="xlsx")
    try:
        wb = load_workbook(str(path), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        res.warnings.append(InputWarning(SourceLoc(rel), f"not a readable .xlsx file "
                                         f"({type(exc).__name__}); no notes read", "unreadable"))
        return res
    try:
        for ws in wb.worksheets:
            rows = [(i, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
            if any(any(c not in (None, "") for c in r) for _, r in rows):
                _rows_to_notes(rows, rel, ctx, res, sheet=ws.title)
    finally:
        wb.close()
    return res


def _rows_to_notes(rows: list[tuple[int, list[Any]]], rel: str, ctx: ReadContext,
                   res: FileResult, sheet: str | None) -> FileResult:
    rows = [(n, r) for n, r in rows if any(_cell(c) for c in r)]
    if not rows:
        res.warnings.append(InputWarning(SourceLoc(rel, sheet=sheet), "empty table; no notes read",
                                         "unreadable"))
        return res
    head_line, header = rows[0]
    mapping, problems = detect_columns([_cell(c) for c in header], ctx)
    for p in problems:
        res.warnings.append(InputWarning(SourceLoc(rel, head_line, sheet=sheet), p, "columns"))
    if "text" not in mapping or "date" not in mapping:
        missing = [f for f in ("date", "text") if f not in mapping]
        res.warnings.append(InputWarning(
            SourceLoc(rel, head_line, sheet=sheet),
            f"no {' or '.join(missing)} column recognised among {[_cell(c) for c in header]}; "
            "use --columns to map them; no notes read", "columns"))
        return res

    def get(row: list[Any], fname: str) -> Any:
        i = mapping.get(fname)
        return row[i] if i is not None and i < len(row) else None

    for line, row in rows[1:]:
        loc = SourceLoc(rel, line, line, sheet)
        text = _cell(get(row, "text"))
        if not text.strip():
            res.warnings.append(InputWarning(loc, "row has no note text; skipped", "no_text"))
            continue
        date, time, raw, problem = _date_of(get(row, "date"), get(row, "time"), ctx)
        if problem:
            res.warnings.append(InputWarning(loc, problem, "bad_date" if raw else "no_date"))
        case = _cell(get(row, "case_id")).strip() or None
        author_raw = _cell(get(row, "author")).strip() or None
        author, role = (ctx.headers.split_person(author_raw) if author_raw else (None, None))
        agency = _cell(get(row, "agency")).strip() or None
        if agency is None and role:
            agency = ctx.vocab.agency_for(role)
        res.notes.append(RawNote(
            text=text.replace("\r\n", "\n").replace("\r", "\n").strip(),
            source=loc, date=date, time=time,
            note_type_raw=_cell(get(row, "note_type")).strip() or None,
            author=author, author_role=role, agency=agency, case_id=case,
            external_id=_cell(get(row, "note_id")).strip() or None, date_raw=raw,
        ))
    return res


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _date_of(value: Any, time_value: Any, ctx: ReadContext
             ) -> tuple[dt.date | None, str | None, str | None, str | None]:
    """(date, time, raw text, problem) for a date cell."""
    time = None
    if isinstance(time_value, (dt.time, dt.datetime)):
        time = time_value.strftime("%H:%M")
    elif _cell(time_value).strip():
        f = ctx.headers.parse_date("01/01/2000 " + _cell(time_value).strip())
        time = f.time if f else None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0) and time is None:
            time = value.strftime("%H:%M")
        return value.date(), time, value.isoformat(), None
    if isinstance(value, dt.date):
        return value, time, value.isoformat(), None
    raw = _cell(value).strip()
    if not raw:
        return None, time, None, "row has no date; placed after the previous note"
    f = ctx.headers.parse_cell_date(raw)
    if f is None:
        return None, time, raw, f"date {raw!r} not understood; placed after the previous note"
    if f.error:
        return f.date, f.time or time, raw, f"date cell: {f.error}"
    return f.date, f.time or time, raw, None
