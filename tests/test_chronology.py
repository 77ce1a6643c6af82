"""Cross-agency merging, conflicts, and the chronology table writers."""

from __future__ import annotations

import csv
import datetime as dt

from analyser.chronology import merge_records, primary_events
from analyser.model import CaseResult, Event, Note, SourceLoc, Span
from analyser.report.chronology_table import (
    COLUMNS,
    chronology_rows,
    write_chronology_csv,
    write_chronology_xlsx,
)

D = dt.date(2024, 3, 14)


def _note(i, agency, file):
    return Note(note_id=f"C-n{i:04d}", index=i, case_id="C", text="Visit. Seen.", source=SourceLoc(file, 1, 2),
                date=D, time=None, note_type=None, note_type_raw=None, meeting_type=None, author=None,
                author_role=None, agency=agency)


def _ev(i, note, kind="home_visit", outcome="completed", seen=True, mt=None):
    return Event(event_id=f"C-e{i:04d}", note_id=note.note_id, kind=kind, outcome=outcome, planned=True,
                 child_seen=seen, child_seen_alone=None, meeting_type=mt, date=D, date_end=None,
                 date_precision="day", date_source="header", date_text=None, summary="Home visit.",
                 evidence=Span(0, 6, "Visit."), agency=note.agency)


def test_chronology_same_contact_two_agencies_merges():
    a, b = _note(0, "Children's Social Care", "csc.txt"), _note(1, "Health", "hv.csv")
    out = merge_records([_ev(0, a), _ev(1, b, seen=None)], [a, b])
    assert out[0].also_recorded_in == ("C-e0001",) and out[1].duplicate_of == "C-e0000"
    assert [e.event_id for e in primary_events(out)] == ["C-e0000"]


def test_chronology_conflicting_accounts_are_marked_not_merged():
    a, b = _note(0, "Children's Social Care", "csc.txt"), _note(1, "Health", "hv.csv")
    out = merge_records([_ev(0, a), _ev(1, b, outcome="no_access", seen=False)], [a, b])
    assert not out[0].also_recorded_in and out[1].duplicate_of is None
    assert "C-e0001" in out[0].conflict and "no_access" in out[0].conflict
    assert "C-e0000" in out[1].conflict


def test_chronology_same_agency_two_visits_same_day_stay_apart():
    a, b = _note(0, "Children's Social Care", "csc.txt"), _note(1, "Children's Social Care", "csc.txt")
    out = merge_records([_ev(0, a, outcome="no_access", seen=False), _ev(1, b)], [a, b])
    assert all(e.conflict is None and e.duplicate_of is None for e in out)


def test_chronology_different_meetings_same_day_stay_apart():
    a, b = _note(0, "CSC", "a.txt"), _note(1, "Police", "b.txt")
    out = merge_records([_ev(0, a, "meeting", mt="strategy"), _ev(1, b, "meeting", mt="core_group")], [a, b])
    assert all(e.duplicate_of is None for e in out)


def test_chronology_table_writers(tmp_path):
    a, b = _note(0, "Children's Social Care", "csc.txt"), _note(1, "Health", "hv.csv")
    events = merge_records([_ev(0, a), _ev(1, b)], [a, b])
    result = CaseResult("C", [a, b], events=events)
    rows = chronology_rows(result)
    assert len(rows) == 1
    assert rows[0]["Agency / source"] == "Children's Social Care; Health"
    assert rows[0]["Date"] == "14/03/2024" and rows[0]["Source line"] == "csc.txt:1; hv.csv:1"
    path = write_chronology_csv(result, tmp_path / "c.csv")
    with path.open(encoding="utf-8-sig") as fh:
        got = list(csv.DictReader(fh))
    assert list(got[0]) == list(COLUMNS) and got[0]["Outcome"] == "Took place"
    from openpyxl import load_workbook

    ws = load_workbook(write_chronology_xlsx(result, tmp_path / "c.xlsx")).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert [c.value for c in ws[1]] == list(COLUMNS)
