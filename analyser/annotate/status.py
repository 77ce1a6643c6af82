"""The case's status over time (EH, CIN, CP, LAC, closed, unknown).

Two sources, in this order of trust:

* ``status_change`` events. The status a change leads to is read again from the
  event's evidence with the status cues (``lexicons/status/status.yaml``, the same cues
  that made the event): where several match, the last one wins ("CP plan ended, now
  CIN" → CIN). An event whose evidence names no status falls back on its note's type
  ("Case closure" → closed); one that still names none is left out.
* The case metadata's ``status`` (from the printout's front sheet). It applies from the
  date the front sheet gives ("Status: Child Protection - ICPC 30/01/2023"), else from
  the first note's date, unless the notes say otherwise: when the notes themselves
  record the case entering that status, the notes' date is used instead.
* Without a front sheet, what the notes show the case already is before its first
  change ("remain subject to CP plans", "open as CIN since June", a CIN review or core
  group: ``lexicons/status/meetings.yaml``) runs from the first note's date.

Consecutive periods with the same status are merged; each period names the note whose
words started it (``None`` for the metadata).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..model import STATUSES, Event, Note, StatusPeriod
from .dates import DateRules, find_dates, load_date_rules
from .events import EventRules, load_event_rules, status_mentions


def event_status(event: Event, note: Note | None, rules: EventRules) -> str | None:
    """The status a ``status_change`` event leads to, read from its evidence (then from
    its note's type, then from the whole note)."""
    texts = [event.evidence.text]
    if note is not None and note.note_type_raw:
        texts.append(note.note_type_raw)
    for text in texts:
        found = status_mentions(text, rules)
        # the event is already affirmed; its words say which status ("will step down to
        # CIN from today"); a named status beats "plan ended" (unknown); the last one wins
        affirmed = [m for m in found if m.affirmed]
        for pool in ([m for m in affirmed if m.status != "unknown"],
                     [m for m in found if m.status != "unknown"], affirmed, found):
            if pool:
                return pool[-1].status
    return None


def _standing_status(notes: Sequence[Note], events: Sequence[Event], before: dt.date | None,
                     rules: EventRules) -> str | None:
    """The status the notes show the case already has before its first change: "remain
    subject to CP plans", "open as CIN since June", a CIN review or core group."""
    meetings: dict[str, str] = {}
    for ev in events:
        if ev.kind == "meeting" and ev.meeting_type in rules.meeting_status:
            meetings.setdefault(ev.note_id, rules.meeting_status[ev.meeting_type])
    for n in sorted((n for n in notes if n.date is not None), key=lambda n: (n.date, n.index)):
        if before is not None and n.date >= before:
            return None
        standing = [m for m in status_mentions(n.text, rules) if m.standing
                    and m.status != "unknown"]
        if standing:
            return standing[0].status
        if n.note_id in meetings:
            return meetings[n.note_id]
    return None


def _metadata_status(metadata: Mapping[str, Any]) -> tuple[str | None, dt.date | None]:
    """The front sheet's status and the date it gives for it, if any."""
    status = metadata.get("status")
    if status not in STATUSES:
        return None, None
    raw = metadata.get("status_raw")
    when = None
    if isinstance(raw, str) and raw.strip():
        found = [d for d in find_dates(raw, None, _date_rules()) if d.precision == "day"]
        if found:
            when = found[-1].date
    return status, when


def status_timeline(notes: Sequence[Note], events: Sequence[Event],
                    metadata: Mapping[str, Any] | None = None,
                    rules: EventRules | None = None) -> list[StatusPeriod]:
    """Status periods in date order: ``StatusPeriod(start, status, evidence_note_id)``."""
    rules = rules or _event_rules()
    by_id = {n.note_id: n for n in notes}
    order = {n.note_id: n.index for n in notes}
    changes: list[tuple[dt.date, int, int, str, str | None]] = []
    for ev in events:
        if ev.kind != "status_change" or ev.date is None or getattr(ev, "duplicate_of", None):
            continue
        status = event_status(ev, by_id.get(ev.note_id), rules)
        if status is not None:
            changes.append((ev.date, order.get(ev.note_id, 0), ev.evidence.start, status,
                            ev.note_id))
    changes.sort(key=lambda c: (c[0], c[1], c[2]))

    meta, meta_date = _metadata_status(metadata or {})
    standing = False
    if meta is None:  # no front sheet: what the first notes show the case already is
        meta = _standing_status(notes, events, changes[0][0] if changes else None, rules)
        standing = meta is not None
    if meta is not None:
        start = meta_date or min((n.date for n in notes if n.date is not None), default=None)
        dated_by_notes = bool(changes) and changes[0][3] == meta
        # a front sheet states the status at export: the notes may reach it later
        current_status = not standing and meta_date is None and meta in {c[3] for c in changes}
        if start is not None and not dated_by_notes and not current_status:
            changes.append((start, -1, 0, meta, None))
            changes.sort(key=lambda c: (c[0], c[1], c[2]))

    periods: list[StatusPeriod] = []
    for when, _i, _s, status, note_id in changes:
        if periods and periods[-1].start == when:  # the last word on a day stands
            periods.pop()
        if periods and periods[-1].status == status:
            continue
        periods.append(StatusPeriod(when, status, note_id))
    return periods


@lru_cache(maxsize=2)
def _event_rules() -> EventRules:
    """The default event rules, loaded on first use (never at import time)."""
    return load_event_rules()


@lru_cache(maxsize=2)
def _date_rules() -> DateRules:
    return load_date_rules()
