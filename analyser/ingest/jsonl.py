"""JSON Lines exports: one note an object with case_id, date, text and optional
note_type, author, agency, note_id (other common key spellings are accepted)."""

from __future__ import annotations

import json
from pathlib import Path

from ..model import InputWarning, RawNote, SourceLoc
from .base import FileResult, ReadContext, decoded_text
from .table import _date_of
from .vocab import fold


def read_jsonl(path: Path, rel: str, ctx: ReadContext) -> FileResult:
    res = FileResult(rel)
    text = decoded_text(path, res)
    if text is None:
        return res
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        loc = SourceLoc(rel, n, n)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            res.warnings.append(InputWarning(loc, f"not valid JSON ({exc.msg}); line skipped",
                                             "unreadable"))
            continue
        if not isinstance(obj, dict):
            res.warnings.append(InputWarning(loc, "not a JSON object; line skipped", "unreadable"))
            continue
        rec = _fields(obj, ctx)
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            res.warnings.append(InputWarning(loc, "record has no note text; skipped", "no_text"))
            continue
        date, time, raw, problem = _date_of(rec.get("date"), rec.get("time"), ctx)
        if problem:
            res.warnings.append(InputWarning(loc, problem, "bad_date" if raw else "no_date"))
        author_raw = _str(rec.get("author"))
        author, role = ctx.headers.split_person(author_raw) if author_raw else (None, None)
        agency = _str(rec.get("agency")) or (ctx.vocab.agency_for(role) if role else None)
        res.notes.append(RawNote(
            text=text.replace("\r\n", "\n").replace("\r", "\n").strip(), source=loc, date=date,
            time=time, note_type_raw=_str(rec.get("note_type")), author=author, author_role=role,
            agency=agency, case_id=_str(rec.get("case_id")), external_id=_str(rec.get("note_id")),
            date_raw=raw))
    return res


def _fields(obj: dict, ctx: ReadContext) -> dict:
    """Map an object's keys to fields: exact spec keys first, then column-name synonyms."""
    out = {k: obj[k] for k in ("case_id", "date", "time", "text", "note_type", "author",
                               "agency", "note_id") if k in obj}
    folded = {fold(str(k)): k for k in obj}
    for fname, names in ctx.vocab.columns.items():
        if fname in out:
            continue
        for name in names:
            if name in folded:
                out[fname] = obj[folded[name]]
                break
    for fname, key in ctx.column_map.items():
        if key in obj:
            out[fname] = obj[key]
    return out


def _str(v) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None
