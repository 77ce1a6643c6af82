"""The status timeline: from status_change events (re-read with the status cues) and from
the case metadata's status."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from analyser.annotate.dates import find_dates, load_date_rules
from analyser.annotate.events import extract_events, load_event_rules
from analyser.annotate.status import event_status, status_timeline
from analyser.model import Event, Note, SourceLoc, Span, StatusPeriod
from analyser.resources import lexicon_dir
from analyser.segment import Segmenter, load_segment_rules

D = dt.date


@pytest.fixture(scope="module")
def rules():
    return load_event_rules()


def note(i: int, when: dt.date | None, text: str = "", raw: str | None = None,
         kind: str | None = None) -> Note:
    return Note(f"C-n{i:04d}", i, "C", text, SourceLoc("notes.txt"), when, None, kind, raw,
                None, None, None, None)


def change(n: Note, text: str, when: dt.date | None = None) -> Event:
    start = n.text.find(text) if text in n.text else 0
    return Event("", n.note_id, "status_change", None, None, None, None, None,
                 when or n.date, None, "day", "header", None, "Status change.",
                 Span(start, start + len(text), text))


def periods(tl: list[StatusPeriod]) -> list[tuple[str, str]]:
    return [(p.start.isoformat(), p.status) for p in tl]


@pytest.mark.parametrize(("text", "status"), [
    ("ICPC: children made subject to CP plans under the category of neglect.", "CP"),
    ("Stepped down to early help from today.", "EH"),
    ("Case closed.", "closed"),
    ("CP plan ended, now CIN.", "CIN"),
    ("Both children accommodated under s20 and placed with foster carers.", "LAC"),
    ("Initial CIN meeting held and a CIN plan agreed.", "CIN"),
    ("RCPC: CP plans ended.", "unknown"),
])
def test_status_event_status_reads_the_evidence(text, status, rules):
    n = note(0, D(2024, 3, 1), text)
    assert event_status(change(n, text), n, rules) == status


def test_status_note_type_is_the_fallback(rules):
    n = note(0, D(2024, 3, 1), "Manager agreed; letters sent to the family.", raw="Case closure")
    assert event_status(change(n, n.text), n, rules) == "closed"


def test_status_timeline_from_events(rules):
    a = note(0, D(2024, 1, 8), "Initial CIN meeting held today and a CIN plan agreed.")
    b = note(1, D(2024, 3, 4), "ICPC: Jayden made subject to a CP plan.")
    c = note(2, D(2024, 9, 2), "RCPC: CP plan ended, now CIN.")
    events = [change(a, "a CIN plan agreed"), change(b, b.text), change(c, c.text)]
    tl = status_timeline([a, b, c], events, {}, rules)
    assert periods(tl) == [("2024-01-08", "CIN"), ("2024-03-04", "CP"), ("2024-09-02", "CIN")]
    assert [p.evidence_note_id for p in tl] == [a.note_id, b.note_id, c.note_id]


def test_status_same_status_twice_is_one_period(rules):
    a = note(0, D(2024, 1, 8), "CIN plan agreed.")
    b = note(1, D(2024, 2, 8), "CIN plan agreed again at review.")
    tl = status_timeline([a, b], [change(a, a.text), change(b, b.text)], {}, rules)
    assert periods(tl) == [("2024-01-08", "CIN")]


def test_status_metadata_applies_from_first_note(rules):
    notes = [note(0, D(2024, 4, 15)), note(1, D(2024, 5, 1))]
    assert periods(status_timeline(notes, [], {"status": "CIN"}, rules)) == \
        [("2024-04-15", "CIN")]


def test_status_metadata_date_on_the_front_sheet(rules):
    notes = [note(0, D(2023, 2, 6))]
    meta = {"status": "CP", "status_raw": "Child Protection (neglect) - ICPC 30/01/2023"}
    assert periods(status_timeline(notes, [], meta, rules)) == [("2023-01-30", "CP")]


def test_status_notes_date_the_metadata_status(rules):
    a = note(0, D(2024, 4, 15), "CIN plan agreed at the initial CIN meeting last Wednesday.")
    ev = change(a, "CIN plan agreed", when=D(2024, 4, 10))
    assert periods(status_timeline([a], [ev], {"status": "CIN"}, rules)) == \
        [("2024-04-10", "CIN")]


def test_status_metadata_current_status_reached_later(rules):
    a = note(0, D(2024, 1, 8), "CIN plan agreed.")
    b = note(1, D(2024, 3, 4), "Children made subject to CP plans.")
    tl = status_timeline([a, b], [change(a, a.text), change(b, b.text)], {"status": "CP"},
                         rules)
    assert periods(tl) == [("2024-01-08", "CIN"), ("2024-03-04", "CP")]


def test_status_metadata_before_a_change(rules):
    a = note(0, D(2024, 1, 8), "Home visit.")
    b = note(1, D(2024, 6, 3), "RCPC: CP plan ended, now CIN.")
    tl = status_timeline([a, b], [change(b, b.text)], {"status": "CP"}, rules)
    assert periods(tl) == [("2024-01-08", "CP"), ("2024-06-03", "CIN")]


def test_status_unknown_metadata_and_no_events(rules):
    assert status_timeline([note(0, D(2024, 1, 1))], [], {"status": "Open"}, rules) == []
    assert status_timeline([], [], {}, rules) == []


def test_status_events_without_a_status_are_left_out(rules):
    a = note(0, D(2024, 1, 8), "Discussed with the manager.")
    assert status_timeline([a], [change(a, a.text)], {}, rules) == []


def test_status_end_to_end_from_notes(rules):
    segmenter = Segmenter(spacy.blank("en"), load_segment_rules(lexicon_dir()))
    date_rules = load_date_rules()
    notes = [
        note(0, D(2024, 1, 8), "Case allocated to me. Initial CIN meeting held today at school "
             "and a CIN plan agreed.", raw="Case note"),
        note(1, D(2024, 3, 4), "Initial child protection conference. Jayden made subject to a "
             "CP plan. Mum did not attend.", raw="ICPC", kind="meeting"),
        note(2, D(2024, 6, 3), "Children to remain subject to CP plans.", raw="RCPC",
             kind="meeting"),
    ]
    events = []
    for n in notes:
        doc, passages = segmenter.segment(n.text, n.note_id)
        events += extract_events(n, doc, passages, find_dates(n.text, n.date, date_rules), rules)
    assert [e.date for e in events if e.kind == "status_change"] == [D(2024, 1, 8), D(2024, 3, 4)]
    assert periods(status_timeline(notes, events, {}, rules)) == \
        [("2024-01-08", "CIN"), ("2024-03-04", "CP")]
