"""A read-only view of one case that every check works from.

Built once per run: dated events in date order (source order within a day; undated events
are skipped), tags grouped by note, note dates, the first and last note dates, the status
at any date and the working-day calendar.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Annotated

from ..model import Event, Note, StatusPeriod, Tag
from .schema import AllowEmpty, Vocab
from .workdays import WorkingCalendar


@dataclass(frozen=True)
class Wording:
    """Words for event kinds and outcomes used in explanations (policy data)."""

    kinds: Annotated[Mapping[str, str], Vocab(keys="kinds")] = field(default_factory=dict)
    outcomes: Annotated[Mapping[str, str], Vocab(keys="outcomes"), AllowEmpty()] = field(default_factory=dict)

    def kind(self, k: str) -> str:
        return self.kinds.get(k, k.replace("_", " "))

    def outcome(self, o: str | None) -> str:
        return self.outcomes.get(o or "", (o or "").replace("_", " "))

    def event(self, ev: Event) -> str:
        """e.g. "planned home visit with no access"."""
        head = ("planned " if ev.planned else "") + self.kind(ev.kind)
        return f"{head} {self.outcome(ev.outcome)}".strip()


@dataclass(frozen=True)
class CaseContext:
    case_id: str
    notes: tuple[Note, ...]
    events: tuple[Event, ...]
    tags: tuple[Tag, ...]
    timeline: tuple[StatusPeriod, ...]
    calendar: WorkingCalendar
    note_date: Mapping[str, dt.date | None]
    tags_by_note: Mapping[str, tuple[Tag, ...]]
    first_note: dt.date | None
    last_note: dt.date | None
    label_family: Mapping[str, str]
    wording: Wording

    def status_at(self, day: dt.date) -> str:
        """The case status on ``day``: the last period starting on or before it, else unknown."""
        starts = [p.start for p in self.timeline]
        i = bisect.bisect_right(starts, day)
        return self.timeline[i - 1].status if i else "unknown"

    def note_tags(self, note_id: str, labels: Iterable[str], assertions: Iterable[str]) -> list[Tag]:
        """Tags of ``note_id`` with one of ``labels`` and one of ``assertions``."""
        labels, assertions = set(labels), set(assertions)
        return [t for t in self.tags_by_note.get(note_id, ())
                if t.label in labels and t.assertion in assertions]

    def labels_of_family(self, family: str) -> frozenset[str]:
        return frozenset(lab for lab, fam in self.label_family.items() if fam == family)

    def span(self) -> tuple[dt.date, dt.date] | None:
        """First and last date the case's dated notes and events reach."""
        days = [d for d in self.note_date.values() if d] + [e.date for e in self.events if e.date]
        return (min(days), max(days)) if days else None


def build_context(case_id: str, notes: list[Note], events: list[Event], tags: list[Tag],
                  status_timeline: list[StatusPeriod], calendar: WorkingCalendar,
                  label_family: Mapping[str, str], wording: Wording) -> CaseContext:
    """Sort and index the case's records for the checks."""
    dated = [(e.date, i, e) for i, e in enumerate(events) if e.date is not None]
    dated.sort(key=lambda t: (t[0], t[1]))
    by_note: dict[str, list[Tag]] = {}
    for t in tags:
        by_note.setdefault(t.note_id, []).append(t)
    note_date = {n.note_id: n.date for n in notes}
    days = sorted(d for d in note_date.values() if d is not None)
    timeline = tuple(sorted(status_timeline, key=lambda p: p.start))
    return CaseContext(
        case_id=case_id, notes=tuple(notes), events=tuple(e for _, _, e in dated), tags=tuple(tags),
        timeline=timeline, calendar=calendar, note_date=MappingProxyType(note_date),
        tags_by_note=MappingProxyType({k: tuple(v) for k, v in by_note.items()}),
        first_note=days[0] if days else None, last_note=days[-1] if days else None,
        label_family=label_family, wording=wording,
    )


def uk(day: dt.date, year_of: dt.date | None = None) -> str:
    """``dd/mm``, with ``/yyyy`` added when the year differs from ``year_of`` (or none given)."""
    if year_of is not None and day.year == year_of.year:
        return day.strftime("%d/%m")
    return day.strftime("%d/%m/%Y")


def uk_list(days: Iterable[dt.date], year_of: dt.date) -> str:
    return ", ".join(uk(d, year_of) for d in days)


ORDINALS = ("zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth", "eleventh", "twelfth")


def ordinal(n: int) -> str:
    if n < len(ORDINALS):
        return ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
