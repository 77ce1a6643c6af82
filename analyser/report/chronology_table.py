"""Chronology rows in the columns reviewers use, and their CSV and XLSX writers.

Columns: date, time, agency / source, event, outcome, child seen, seen alone, significance,
source note and line. A contact recorded by several agencies is one row naming them all;
conflicting accounts are rows of their own, marked.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from ..model import CaseResult

COLUMNS = ("Date", "Time", "Agency / source", "Event", "Outcome", "Child seen", "Seen alone",
           "Significance", "Source note", "Source line", "Evidence")

_OUTCOME = {
    "completed": "Took place", "no_access": "No access", "did_not_attend": "Did not attend",
    "cancelled_by_family": "Cancelled by family", "cancelled_by_agency": "Cancelled by agency",
    "refused_entry": "Refused entry", "cut_short": "Cut short",
}


def _yn(v: bool | None) -> str:
    return {True: "Yes", False: "No", None: ""}[v]


def _uk(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "undated"


def chronology_rows(result: CaseResult) -> list[dict[str, str]]:
    notes = {n.note_id: n for n in result.notes}
    by_id = {e.event_id: e for e in result.events}
    flags_by_event: dict[str, list[str]] = defaultdict(list)
    for f in result.flags:
        for ref in f.evidence:
            flags_by_event[ref].append(f.rule.replace("_", " "))
    labels_by_note: dict[str, set[str]] = defaultdict(set)
    for t in result.tags:
        if t.assertion == "affirmed":
            labels_by_note[t.note_id].add(t.label.replace("_", " "))
    rows = []
    for ev in result.events:
        if ev.duplicate_of:
            continue
        records = [ev] + [by_id[i] for i in ev.also_recorded_in if i in by_id]
        note = notes[ev.note_id]
        sources = []
        for r in records:
            n = notes[r.note_id]
            sources.append(r.agency or n.agency or n.author or n.source.file)
        sig = []
        if ev.conflict:
            sig.append(f"Conflicting account: {ev.conflict}")
        for r in records:
            sig.extend(f"Flag: {x}" for x in flags_by_event.get(r.event_id, []))
        if labels_by_note.get(ev.note_id):
            sig.append("Typology: " + ", ".join(sorted(labels_by_note[ev.note_id])))
        rows.append({
            "Date": _uk(ev.date) + (f" to {_uk(ev.date_end)}" if ev.date_end else ""),
            "Time": (note.time or "") if ev.date_source == "header" else "",
            "Agency / source": "; ".join(dict.fromkeys(s for s in sources if s)),
            "Event": ev.summary,
            "Outcome": _OUTCOME.get(ev.outcome or "", ""),
            "Child seen": _yn(ev.child_seen),
            "Seen alone": _yn(ev.child_seen_alone),
            "Significance": "; ".join(dict.fromkeys(sig)),
            "Source note": ", ".join(r.note_id for r in records),
            "Source line": "; ".join(_line(notes[r.note_id]) for r in records),
            "Evidence": ev.evidence.text,
        })
    return rows


def _line(note) -> str:
    s = note.source
    where = f"{s.file}" + (f" [{s.sheet}]" if s.sheet else "")
    return f"{where}:{s.line_start}" if s.line_start else where


def write_chronology_csv(result: CaseResult, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: Excel opens UTF-8 right
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(chronology_rows(result))
    return path


def write_chronology_xlsx(result: CaseResult, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Chronology"
    ws.append(list(COLUMNS))
    for row in chronology_rows(result):
        ws.append([row[c] for c in COLUMNS])
    widths = {"Date": 12, "Time": 7, "Agency / source": 24, "Event": 30, "Outcome": 18,
              "Child seen": 10, "Seen alone": 10, "Significance": 40, "Source note": 16,
              "Source line": 22, "Evidence": 60}
    for i, col in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = widths[col]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F0")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    stamp = max((n.date for n in result.notes if n.date), default=dt.date(2000, 1, 1))
    wb.properties.created = wb.properties.modified = dt.datetime.combine(stamp, dt.time())
    wb.properties.creator = "casechron"
    wb.save(str(path))
    return path
