"""``analyse_case``: one case from ingested notes to a result. The only place steps are wired.

notes → sentences → dates → events (header + text) → chronology (sorted, numbered,
cross-agency records merged) → status timeline → typology tags (lexicon, plus the
classifier when its model card enables it) → triggers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .annotate.classifier import combine
from .annotate.dates import ImpossibleDate, scan_dates
from .annotate.events import extract_events
from .annotate.status import status_timeline
from .annotate.tags import tag_doc
from .chronology import merge_records, primary_events
from .model import CaseInput, CaseResult, Event, InputWarning, Note, Passage, SourceLoc, Tag
from .notes import build_notes, effective_dates
from .resources import Resources
from .settings import Settings
from .timing import NULL_TIMER, StageTimer
from .triggers import run_triggers


def analyse_case(case: CaseInput, res: Resources, settings: Settings,
                 timer: StageTimer | None = None) -> CaseResult:
    clock = timer or NULL_TIMER
    notes, warnings = build_notes(case, res.vocab)
    warnings = list(case.warnings) + warnings
    eff = effective_dates(notes)

    events: list[Event] = []
    tags: list[Tag] = []
    model_input: list[tuple[str, list[Passage], dt.date | None]] = []
    for note, ref in zip(notes, eff, strict=True):
        with clock.stage("segment"):
            doc, passages = res.segmenter.segment(note.text, note.note_id)
        with clock.stage("dates"):
            found, impossible = scan_dates(note.text, ref, res.dates)  # one pass for both
            dates = [m.value for m in found]
            warnings.extend(_date_warnings(note, impossible))
        with clock.stage("events"):
            events.extend(extract_events(note, doc, passages, dates, res.events))
        with clock.stage("tags"):
            tags.extend(tag_doc(doc, note.note_id, passages, res.typology, note_date=ref))
        model_input.append((note.note_id, passages, ref))
    if res.classifier is not None:
        with clock.stage("classifier"):
            tags = combine(tags, res.classifier.tag_notes(model_input, rules=res.typology))

    with clock.stage("chronology"):
        events = merge_records(number_events(case.case_id, notes, events), notes)
        tags = number_tags(case.case_id, notes, tags)
        timeline = status_timeline(notes, events, case.metadata, res.events)
    with clock.stage("triggers"):
        triggered = run_triggers(case.case_id, notes, primary_events(events), tags, timeline, res.policy)

    per_file = {f: 0 for f in case.files}
    for n in notes:
        per_file[n.source.file] = per_file.get(n.source.file, 0) + 1
    return CaseResult(
        case_id=case.case_id, notes=notes, events=events, tags=tags, flags=triggered.flags,
        status_timeline=timeline, warnings=warnings, metadata=dict(case.metadata),
        escalation=triggered.escalation, risk_series=triggered.risk_series,
        notes_per_file=per_file,
    )


def _date_warnings(note: Note, impossible: list[ImpossibleDate]) -> list[InputWarning]:
    """Dates in the text that cannot exist (31/02/2024): reported, never guessed."""
    out = []
    for bad in impossible:
        start, text = bad.start, bad.text
        line = note.text.count("\n", 0, start)
        where = SourceLoc(note.source.file,
                          note.source.line_start + 1 + line if note.source.line_start else None,
                          sheet=note.source.sheet)
        out.append(InputWarning(where, f"{note.note_id}: impossible date {text!r} in the text; "
                                       "not used", "bad_date"))
    return out


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


def number_tags(case_id: str, notes: list[Note], tags: list[Tag]) -> list[Tag]:
    """Tags in note order, then position, then label; stable ids in that order."""
    index = {n.note_id: n.index for n in notes}
    ordered = sorted(tags, key=lambda t: (index[t.note_id], t.start, t.end, t.label, t.assertion))
    return [replace(t, tag_id=f"{case_id}-t{i:04d}") for i, t in enumerate(ordered)]
