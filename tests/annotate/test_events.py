"""Events from notes: every example in lexicons/events/*.yaml and lexicons/status/
status.yaml is a test (test ids are entry ids), plus whole notes: several events in one
note, the header's contact and the text's account of it as one event, planned-only
notes, calls between professionals, strict loading.

What an example means depends on its file's layer (see each file's description):
trigger and status examples run as a case note and must (``match``) or must not
(``no_match``) give an event of the entry's kind; outcome, planned and child-seen
examples run inside a note of the file's ``example_kind`` and must (not) give an event
with the value the entry sets; blocker examples must match and leave the note with no
event; counterpart, sink and anaphor examples are matched as words.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import spacy

from analyser.annotate.dates import find_dates, load_date_rules
from analyser.annotate.events import (
    ATTENDED,
    ENTERED,
    VISIT,
    cue_hits,
    extract_events,
    header_event,
    load_event_rules,
)
from analyser.annotate.status import event_status
from analyser.errors import LexiconError
from analyser.model import Event, Note, SourceLoc
from analyser.resources import ROOT, lexicon_dir
from analyser.segment import Segmenter, load_segment_rules

THURSDAY = dt.date(2024, 3, 14)


@pytest.fixture(scope="module")
def rules():
    return load_event_rules()


@pytest.fixture(scope="module")
def date_rules():
    return load_date_rules()


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(spacy.blank("en"), load_segment_rules(lexicon_dir()))


@pytest.fixture(scope="module")
def run(rules, date_rules, segmenter):
    def run(text: str, kind: str | None = None, meeting_type: str | None = None,
            date: dt.date | None = THURSDAY, raw: str | None = None) -> list[Event]:
        note = Note("C-n0000", 0, "C", text, SourceLoc("notes.txt"), date, None, kind,
                    raw, meeting_type, None, None, None)
        doc, passages = segmenter.segment(text, note.note_id)
        events = extract_events(note, doc, passages, find_dates(text, date, date_rules), rules)
        for ev in events:  # every event points at its words
            assert text[ev.evidence.start:ev.evidence.end] == ev.evidence.text
            assert ev.event_id == "" and ev.note_id == note.note_id
        return events
    return run


def _example_cases() -> list:
    cases = []
    for cue in load_event_rules().cues:
        for kind, texts in cue.examples.items():
            for i, text in enumerate(texts):
                cases.append(pytest.param(cue.id, kind, text, id=f"{cue.id}-{kind}-{i}"))
    return cases


def _sets(cue) -> dict:
    if cue.layer == "outcome":
        out = cue.fields["outcome"]
        if out == ENTERED:  # the worker got in: told to leave is cut short, not refused
            return {"outcome": "cut_short"}
        return {"outcome": "completed" if out == ATTENDED else out}
    if cue.layer == "planned":
        return {"planned": cue.fields["planned"]}
    return {k: cue.fields[k] for k in ("child_seen", "child_seen_alone") if k in cue.fields}


@pytest.mark.parametrize(("cue_id", "kind", "text"), _example_cases())
def test_events_lexicon_example(cue_id, kind, text, rules, run):
    cue = next(c for c in rules.cues if c.id == cue_id)
    words = any(h.cue.id == cue_id for h in cue_hits(text, rules))
    if cue.layer in ("trigger", "status"):
        events = run(text, date=cue.example_date)
        want_kind = cue.fields["kind"]
        found = [e for e in events if (e.kind == want_kind or (
            want_kind == VISIT and e.kind in ("home_visit", "office_visit")))
            and (cue.fields.get("meeting_type") in (None, e.meeting_type))]
        if cue.layer == "status":
            found = [e for e in found if event_status(e, None, rules) == cue.fields["status"]]
        summary = [(e.kind, e.meeting_type, str(e.date)) for e in events]
        assert bool(found) == (kind == "match"), summary
    elif cue.layer in ("outcome", "planned", "seen"):
        note_kind = cue.example_kind
        applies = cue.fields.get("applies_to")
        if applies and note_kind not in applies:
            note_kind = applies[0]
        mt = cue.example_meeting_type or ("core_group" if note_kind == "meeting" else None)
        events = run(text, kind=note_kind, meeting_type=mt, date=cue.example_date)
        want = _sets(cue)
        found = [e for e in events if all(getattr(e, k) == v for k, v in want.items())]
        summary = [(e.kind, e.outcome, e.planned, e.child_seen, e.child_seen_alone)
                   for e in events]
        assert bool(found) == (kind == "match"), summary
    elif cue.layer == "block":
        assert words == (kind == "match"), "blocker words"
        if kind == "match":
            assert run(text, date=cue.example_date) == []
    else:  # counterpart, sink, anaphor
        assert words == (kind == "match")


# ------------------------------------------------------------------ whole notes

def _brief(events):
    return [(e.kind, e.meeting_type, e.outcome, e.date.isoformat() if e.date else None,
             e.date_source) for e in events]


def test_events_two_events_in_one_sentence(run):
    friday = dt.date(2024, 3, 15)
    events = run("Mum did not attend the core group on Monday; I visited on Wednesday and saw "
                 "J alone in his bedroom.", date=friday)
    assert _brief(events) == [
        ("meeting", "core_group", "did_not_attend", "2024-03-11", "text"),
        ("home_visit", None, "completed", "2024-03-13", "text"),
    ]
    visit = events[1]
    assert (visit.child_seen, visit.child_seen_alone) == (True, True)
    assert visit.date_text and "Wednesday" in visit.date_text


def test_events_header_and_text_are_one_event(run):
    events = run("Planned HV at 11am. No answer at the door although mum's car was on the "
                 "drive. Card left.", kind="home_visit")
    assert len(events) == 1
    ev = events[0]
    assert (ev.kind, ev.outcome, ev.planned, ev.child_seen, ev.child_seen_alone) == \
        ("home_visit", "no_access", True, False, False)
    assert ev.date == THURSDAY and ev.date_source == "header"


def test_events_shorthand_no_access(run):
    [ev] = run("HV - NA. Card left.", kind="home_visit")
    assert ev.outcome == "no_access"


def test_events_unannounced_no_answer(run):
    [ev] = run("Unannounced visit at 4pm. No answer, lights on upstairs.", kind="home_visit")
    assert (ev.outcome, ev.planned, ev.child_seen) == ("no_access", False, False)


def test_events_child_kept_from_view_is_a_completed_visit(run):
    [ev] = run("Planned HV. Mum came to the door. Mum said Jayden was asleep and would not "
               "let me see him.", kind="home_visit")
    assert (ev.outcome, ev.child_seen, ev.child_seen_alone) == ("completed", False, False)


def test_events_refused_entry_and_cut_short(run):
    [ev] = run("Lee opened the door on the chain and said I was not coming in.",
               kind="home_visit")
    assert ev.outcome == "refused_entry"
    [ev] = run("Visit cut short as mum had to go out. Both children seen.", kind="home_visit")
    assert (ev.outcome, ev.child_seen, ev.child_seen_alone) == ("cut_short", True, False)


def test_events_cancellations(run):
    [visit, call] = sorted(run("Tomasz rang at 12.30 to cancel, saying the family were at "
                               "the hospital.", kind="home_visit"), key=lambda e: e.kind)
    assert (call.kind, visit.kind, visit.outcome) == \
        ("phone_call", "home_visit", "cancelled_by_family")
    [ev] = run("Planned HV cancelled by us - I was off sick.", kind="home_visit")
    assert ev.outcome == "cancelled_by_agency"


def test_events_header_without_cue_still_an_event(run):
    [ev] = run("Mum reports things are calmer at home.", kind="home_visit")
    assert (ev.kind, ev.outcome, ev.date_source) == ("home_visit", "completed", "header")
    [ev] = run("Meeting notes to follow.", kind="meeting", meeting_type="strategy")
    assert (ev.kind, ev.meeting_type) == ("meeting", "strategy")
    note = Note("C-n0001", 1, "C", "", SourceLoc("f"), THURSDAY, None, "letter", "Letter",
                None, None, None, None)
    assert header_event(note, []).kind == "letter"


def test_events_empty_text_keeps_header_event(rules):
    note = Note("C-n0001", 1, "C", "", SourceLoc("f"), THURSDAY, None, "letter", "Letter",
                None, None, None, None)
    [ev] = extract_events(note, None, [], [], rules)
    assert ev.kind == "letter" and ev.evidence.text == ""


def test_events_meeting_dna_needs_nobody_from_the_family(run):
    [ev] = run("Initial child protection conference. Jayden made subject to a CP plan. "
               "Mum did not attend.", kind="meeting", meeting_type="icpc")[:1]
    assert ev.outcome == "did_not_attend"
    events = run("Core group at school. Donna arrived 25 minutes late. Lee did not attend "
                 "again.", kind="meeting", meeting_type="core_group")
    assert [e.outcome for e in events] == ["completed"]


@pytest.mark.parametrize("text", [
    "Next HV booked for 12/3 at 2pm.",
    "Will visit next week.",
    "Jo to visit next week; joint visit not possible before then.",
    "Plan: core group 21/03, next HV in a fortnight.",
    "Core group set for 21/03/2024.",
    "If we cannot see Jayden we will need to consider a strategy discussion.",
    "Mum agreed to a first home visit on 29/03.",
])
def test_events_planned_only_is_not_an_event(text, run):
    assert run(text) == []


def test_events_letter_offering_a_visit_is_only_the_letter(run):
    events = run("Letter sent to mum offering a home visit on 20/03/2024 and setting out our "
                 "concerns.", kind="letter")
    assert _brief(events) == [("letter", None, None, "2024-03-14", "header")]


@pytest.mark.parametrize(("text", "kind"), [
    ("Call from Mrs Quinn (DSL, Brook Lane): Tyler upset in class.", None),
    ("Call from the school DSL about attendance.", "phone_call"),
    ("Spoke to the GP by phone yesterday about mum's medication.", None),
    ("I rang the school to check his attendance.", None),
    ("An anonymous caller rang duty today saying the family are moving.", None),
    ("Mum rang the school to say he was ill.", None),
])
def test_events_calls_between_professionals_are_not_events(text, kind, run):
    assert [e for e in run(text, kind=kind) if e.kind == "phone_call"] == []


@pytest.mark.parametrize("text", [
    "Gareth rang me, polite.",
    "Call to Donna to confirm Thursday's visit.",
    "Tomasz rang the EH manager on Tuesday and told her to stop harassing his wife.",
    "Ruby rang me from the school office in tears.",
])
def test_events_calls_with_the_family_are_events(text, run):
    assert [e.kind for e in run(text)] == ["phone_call"]


def test_events_two_visits_in_one_case_note(run):
    events = run("Visited on Tuesday - no answer. I went back on Wednesday, mum answered and "
                 "both children were seen alone.")
    assert _brief(events) == [
        ("home_visit", None, "no_access", "2024-03-12", "text"),
        ("home_visit", None, "completed", "2024-03-13", "text"),
    ]
    assert events[1].child_seen_alone is True


def test_events_text_dates_a_second_contact(run):
    events = run("Donna rang on Friday asking to move today's visit to the afternoon. "
                 "Planned HV at 2pm. Both children seen in the lounge.", kind="home_visit")
    assert _brief(events) == [
        ("phone_call", None, "completed", "2024-03-08", "text"),
        ("home_visit", None, "completed", "2024-03-14", "header"),
    ]
    assert (events[1].child_seen, events[1].child_seen_alone) == (True, False)


def test_events_same_day_text_is_part_of_the_visit(run):
    events = run("Planned HV. No answer at the door. Mum texted later to say she was at the "
                 "doctor's.", kind="home_visit")
    assert [e.kind for e in events] == ["home_visit"]


def test_events_incident_dated_by_its_clause(run):
    events = run("Police notification this morning: officers attended at 23:40 on Saturday "
                 "after mum called 999. Lee arrested.", kind="incident")
    assert _brief(events) == [("incident", None, None, "2024-03-09", "text")]


def test_events_history_is_not_an_event(run):
    assert run("HV notes from 2019 record that dad was arrested for assault.") == []


def test_events_seen_alone_at_school_is_an_office_visit(run):
    events = run("Introductory visit, arranged by letter. Saw Tyler first at school in the "
                 "family room (on his own). Then HV at 3.30pm: Donna, both children home.",
                 kind="home_visit")
    by_kind = {e.kind: e for e in events}
    assert set(by_kind) == {"home_visit", "office_visit"}
    assert by_kind["office_visit"].child_seen_alone is True
    assert (by_kind["home_visit"].planned, by_kind["home_visit"].child_seen,
            by_kind["home_visit"].child_seen_alone) == (True, True, False)


def test_events_status_change_takes_its_meetings_date(run):
    events = run("Transfer in from the assessment team. CIN plan agreed at the initial CIN "
                 "meeting last Wednesday.", date=dt.date(2024, 4, 15))
    got = {(e.kind, e.date.isoformat()) for e in events}
    assert got == {("allocation", "2024-04-15"), ("meeting", "2024-04-10"),
                   ("status_change", "2024-04-10")}


def test_events_summaries_are_short_and_nameless(run):
    [ev] = run("Planned HV at 10am: no access, curtains drawn.", kind="home_visit")
    assert ev.summary == "Planned home visit, no access."


# ------------------------------------------------------------------ the worked example

def test_events_worked_example_e01(rules, date_rules, segmenter):
    from analyser.ingest import load_cases
    from analyser.ingest.base import ReadContext
    from analyser.notes import build_notes
    from analyser.resources import header_parser, ingest_vocab

    folder = ROOT.parent / "shared" / "examples" / "E01"
    if not folder.exists():
        pytest.skip("shared example not available")
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    vocab = ingest_vocab()
    case = load_cases(folder, ReadContext(vocab, header_parser(), {}))[0]
    notes, _ = build_notes(case, vocab)
    got = []
    for note in notes:
        doc, passages = segmenter.segment(note.text, note.note_id)
        dates = find_dates(note.text, note.date, date_rules)
        got += [(note.index, e.date.isoformat(), e.kind, e.outcome, e.child_seen_alone)
                for e in extract_events(note, doc, passages, dates, rules)]
    want = [(e["note_index"], e["date"], e["kind"], e["outcome"], e["child_seen_alone"])
            for e in gold["events"]]
    assert sorted(got, key=str) == sorted(want, key=str)


# ------------------------------------------------------------------ strict loading

def _copy_lexicons(tmp_path: Path) -> Path:
    dst = tmp_path / "lexicons"
    for sub in ("events", "status"):
        shutil.copytree(lexicon_dir() / sub, dst / sub)
    return dst


@pytest.mark.parametrize(("file", "bad", "message"), [
    ("kinds.yaml", "  - id: kinds.bad.v1\n    kind: visitation\n    phrases: [x]\n",
     "unknown kind"),
    ("kinds.yaml", "  - id: kinds.bad.v1\n    kind: letter\n    phrases: [x]\n    colour: red\n",
     "unknown key"),
    ("outcomes.yaml", "  - id: outcomes.bad.v1\n    outcome: lost\n    phrases: [x]\n",
     "outcome must be"),
    ("kinds.yaml", "  - id: kinds.bad.v1\n    kind: letter\n    patterns: [[{LEMMA: x}]]\n",
     "not allowed"),
    ("kinds.yaml", "  - id: wrong.v1\n    kind: letter\n    phrases: [x]\n", "entry id"),
    ("kinds.yaml", "  - id: kinds.bad.v1\n    kind: letter\n    phrases: ['{@NOPE} x']\n",
     "unknown vocabulary"),
    ("kinds.yaml", "  - id: kinds.bad.v1\n    kind: letter\n    patterns: [[{NORM: {IN: [on, at]}}]]\n",
     "must be strings"),
    ("blockers.yaml", "  - id: blockers.bad.v1\n    direction: sideways\n    phrases: [x]\n",
     "direction must be"),
])
def test_events_loading_is_strict(tmp_path, file, bad, message):
    root = _copy_lexicons(tmp_path)
    path = root / "events" / file
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + bad,
                    encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_event_rules(root / "events")
    assert message in str(err.value) and file in str(err.value)


@pytest.mark.parametrize("text,kind,meeting_type", [
    ("Gemma rang, apologised, said she had a migraine yesterday.", "phone_call", None),
    ("Strategy discussion held following police DA notification over the weekend.", "meeting", "strategy"),
])
def test_events_date_in_a_subordinate_clause_does_not_date_the_contact(run, text, kind, meeting_type):
    # the date belongs to the migraine / the incident, not to the call or meeting of the note
    events = [e for e in run(text, kind=kind, meeting_type=meeting_type) if e.kind == kind]
    assert events and all(e.date == THURSDAY and e.date_source == "header" for e in events)
