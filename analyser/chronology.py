"""The chronology: events in date order, one contact recorded by several agencies merged,
conflicting accounts kept side by side and marked.

Two records are of the same event when they fall on the same day, are of the same kind
(and meeting type) and come from different notes, and their outcomes agree (or one does
not say). Records from different agencies or files that disagree on the outcome or on
whether the child was seen are a conflict: both stay, each marked with the other's account.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .model import Event, Note

MERGEABLE = ("home_visit", "office_visit", "phone_call", "meeting", "incident", "referral",
             "status_change", "allocation", "complaint", "move", "letter")


def _source(ev: Event, notes: dict[str, Note]) -> tuple[str | None, str]:
    n = notes[ev.note_id]
    return (ev.agency or n.agency), n.source.file


def merge_records(events: list[Event], notes: list[Note]) -> list[Event]:
    """Mark duplicates and conflicts; ``events`` must already be numbered and sorted."""
    by_id = {n.note_id: n for n in notes}
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, ev in enumerate(events):
        if ev.date is not None and ev.kind in MERGEABLE:
            groups[(ev.date, ev.kind, ev.meeting_type)].append(i)
    out = list(events)
    for members in groups.values():
        if len(members) < 2:
            continue
        primaries: list[int] = []
        for i in members:
            ev = out[i]
            home = next((p for p in primaries if out[p].note_id != ev.note_id
                         and _agree(out[p], ev)), None)
            if home is None:
                primaries.append(i)
                continue
            p = out[home]
            out[home] = replace(p, also_recorded_in=p.also_recorded_in + (ev.event_id,),
                                child_seen=p.child_seen if p.child_seen is not None else ev.child_seen,
                                child_seen_alone=(p.child_seen_alone if p.child_seen_alone is not None
                                                  else ev.child_seen_alone),
                                outcome=p.outcome or ev.outcome)
            out[i] = replace(ev, duplicate_of=p.event_id)
        for a in primaries:
            for b in primaries:
                if a >= b:
                    continue
                ea, eb = out[a], out[b]
                if _source(ea, by_id) == _source(eb, by_id) or ea.note_id == eb.note_id:
                    continue
                if _agree(ea, eb):
                    continue
                out[a] = replace(ea, conflict=_append(ea.conflict, _account(eb, by_id)))
                out[b] = replace(eb, conflict=_append(eb.conflict, _account(ea, by_id)))
    return out


def _agree(a: Event, b: Event) -> bool:
    if a.outcome and b.outcome and a.outcome != b.outcome:
        return False
    return not (a.child_seen is not None and b.child_seen is not None and a.child_seen != b.child_seen)


def _account(ev: Event, notes: dict[str, Note]) -> str:
    agency, file = _source(ev, notes)
    seen = {True: "child seen", False: "child not seen", None: None}[ev.child_seen]
    what = ", ".join(x for x in (ev.outcome, seen) if x) or "no outcome"
    return f"{ev.event_id} ({agency or file}): {what}"


def _append(existing: str | None, more: str) -> str:
    return more if not existing else f"{existing}; {more}"


def primary_events(events: list[Event]) -> list[Event]:
    """One record per event: what the triggers count."""
    return [e for e in events if e.duplicate_of is None]
