"""Concise builders for trigger tests: notes, events and tags from a few words, and a
gold.json turned into the engine's inputs."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyser.model import Event, Flag, Note, SourceLoc, Span, StatusPeriod, Tag
from analyser.triggers import Policy, TriggerResult, run_triggers


def d(value: str | dt.date) -> dt.date:
    """'2024-03-14' or '14/03/2024' → date."""
    if isinstance(value, dt.date):
        return value
    if "/" in value:
        day, month, year = value.split("/")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(value)


def make_note(case_id: str, index: int, day: str | dt.date | None, text: str = "") -> Note:
    return Note(note_id=f"{case_id}-n{index:04d}", index=index, case_id=case_id, text=text,
                source=SourceLoc("case.txt", index + 1, index + 1), date=d(day) if day else None, time=None,
                note_type=None, note_type_raw=None, meeting_type=None, author=None, author_role=None,
                agency=None)


def make_event(event_id: str, note_id: str, day: str | dt.date | None, kind: str, outcome: str | None = None,
               planned: bool | None = None, seen: bool | None = None, alone: bool | None = None,
               meeting_type: str | None = None) -> Event:
    return Event(event_id=event_id, note_id=note_id, kind=kind, outcome=outcome, planned=planned, child_seen=seen,
                 child_seen_alone=alone, meeting_type=meeting_type, date=d(day) if day else None, date_end=None,
                 date_precision="day" if day else None, date_source="header", date_text=None, summary=kind,
                 evidence=Span(0, 0, ""))


def make_tag(tag_id: str, note_id: str, label: str, assertion: str = "affirmed", subtype: str | None = None,
             text: str = "") -> Tag:
    return Tag(tag_id=tag_id, note_id=note_id, label=label, subtype=subtype, assertion=assertion, actor=None,
               confidence=1.0, method="gold", start=0, end=len(text), text=text)


@dataclass
class Case:
    """A case built note by note: each call adds a note on ``day`` with optional events and tags.

    ``Case("C", [("2024-01-01", "CIN")])`` then ``.visit("2024-01-08", "no_access")``,
    ``.note("2024-01-09", labels=["hostility"])``, ``.run(policy)``.
    """

    case_id: str = "C"
    status: list[tuple[str, str]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)

    def note(self, day: str | None, text: str = "", labels: tuple[str, ...] | list[str] = (),
             assertion: str = "affirmed", subtype: str | None = None) -> str:
        n = make_note(self.case_id, len(self.notes), day, text)
        self.notes.append(n)
        for label in labels:
            self.tags.append(make_tag(f"{self.case_id}-t{len(self.tags):04d}", n.note_id, label, assertion, subtype,
                                      text))
        return n.note_id

    def event(self, day: str | None, kind: str, outcome: str | None = None, *, planned: bool | None = None,
              seen: bool | None = None, alone: bool | None = None, meeting_type: str | None = None,
              labels: tuple[str, ...] | list[str] = (), note_day: str | None = None, text: str = "",
              subtype: str | None = None, assertion: str = "affirmed") -> str:
        """A note (dated ``note_day`` or ``day``) holding one event; returns the event id."""
        note_id = self.note(note_day or day, text, labels, assertion, subtype)
        eid = f"{self.case_id}-e{len(self.events):04d}"
        self.events.append(make_event(eid, note_id, day, kind, outcome, planned, seen, alone, meeting_type))
        return eid

    def visit(self, day: str, outcome: str = "completed", *, planned: bool | None = True,
              seen: bool | None = None, alone: bool | None = None, kind: str = "home_visit", **kw: Any) -> str:
        """A home visit; a failed one defaults to child not seen, a completed one to seen alone."""
        failed = outcome not in ("completed", "cut_short")
        if seen is None:
            seen = not failed
        if alone is None:
            alone = seen
        return self.event(day, kind, outcome, planned=planned, seen=seen, alone=alone, **kw)

    def timeline(self) -> list[StatusPeriod]:
        return [StatusPeriod(d(day), st) for day, st in self.status]

    def run(self, policy: Policy) -> TriggerResult:
        return run_triggers(self.case_id, self.notes, self.events, self.tags, self.timeline(), policy)

    def flags(self, policy: Policy, rule: str | None = None) -> list[Flag]:
        return [f for f in self.run(policy).flags if rule is None or f.rule == rule]

    def dates(self, policy: Policy, rule: str) -> list[str]:
        return [f.date.isoformat() for f in self.flags(policy, rule)]


# --- gold.json → engine inputs -----------------------------------------------------------------

@dataclass(frozen=True)
class GoldCase:
    case_id: str
    notes: list[Note]
    events: list[Event]
    tags: list[Tag]
    timeline: list[StatusPeriod]
    flags: set[tuple[str, str]]


def load_gold(path: Path, case_text: str | None = None) -> GoldCase:
    """Notes → Note (index-based ids and dates), events → Event, each sentence label → one
    affirmed Tag on its note (hostility subtype unknown), status_timeline → StatusPeriod."""
    g = json.loads(path.read_text(encoding="utf-8"))
    cid = g["case_id"]
    texts: dict[int, list[str]] = {}
    for s in g.get("sentences", []):
        texts.setdefault(s["note_index"], []).append(s["text"])
    notes = [make_note(cid, n["index"], n.get("date"), " ".join(texts.get(n["index"], []))) for n in g["notes"]]
    by_index = {n.index: n for n in notes}
    events = []
    for i, e in enumerate(g.get("events", [])):
        events.append(make_event(f"{cid}-e{i:04d}", by_index[e["note_index"]].note_id, e.get("date"), e["kind"],
                                 e.get("outcome"), e.get("planned"), e.get("child_seen"), e.get("child_seen_alone"),
                                 e.get("meeting_type")))
    tags = []
    for s in g.get("sentences", []):
        for label in s["labels"]:
            tags.append(make_tag(f"{cid}-t{len(tags):04d}", by_index[s["note_index"]].note_id, label,
                                 subtype=s.get("subtype") if label == "hostility" else None, text=s["text"]))
    timeline = [StatusPeriod(d(p["from"]), p["status"]) for p in g.get("status_timeline", [])]
    flags = {(f["rule"], f["date"]) for f in g.get("flags", [])}
    return GoldCase(cid, notes, events, tags, timeline, flags)


def run_gold(gold: GoldCase, policy: Policy) -> TriggerResult:
    return run_triggers(gold.case_id, gold.notes, gold.events, gold.tags, gold.timeline, policy)
