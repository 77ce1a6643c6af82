"""``analyse_case``: one case from ingested notes to a result. The only place steps are wired."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .annotate.events import header_event
from .chronology import merge_records
from .model import CaseInput, CaseResult, Event, Note, Passage
from .notes import build_notes, effective_dates
from .resources import Resources
from .settings import Settings


def analyse_case(case: CaseInput, res: Resources, settings: Settings) -> CaseResult:
    notes, note_warnings = build_notes(case, res.vocab)
    passages: dict[str, list[Passage]] = {}
    for note in notes:
        _, passages[note.note_id] = res.segmenter.segment(note.text, note.note_id)

    events: list[Event] = []
    for note in notes:
        ev = header_event(note, passages[note.note_id])
        if ev is not None:
            events.append(ev)
    events = merge_records(number_events(case.case_id, notes, events), notes)

    per_file = {f: 0 for f in case.files}
    for n in notes:
        per_file[n.source.file] = per_file.get(n.source.file, 0) + 1
    return CaseResult(
        case_id=case.case_id, notes=notes, events=events,
        warnings=list(case.warnings) + note_warnings, metadata=dict(case.metadata),
        notes_per_file=per_file,
    )


def number_events(case_id: str, notes: list[Note], events: list[Event]) -> list[Event]:
    """Sort by date then source order (an undated event sits at its note's position) and
    give stable ids in that order."""
    eff = dict(zip((n.note_id for n in notes), effective_dates(notes), strict=True))
    index = {n.note_id: n.index for n in notes}

    def key(item: tuple[int, Event]) -> tuple:
        pos, ev = item
        d = ev.date or eff.get(ev.note_id) or dt.date.max
        return (d, index[ev.note_id], ev.evidence.start, pos)

    ordered = [ev for _, ev in sorted(enumerate(events), key=key)]
    return [replace(ev, event_id=f"{case_id}-e{i:04d}") for i, ev in enumerate(ordered)]
