"""Plain data that flows through the pipeline. No I/O, no behaviour beyond small helpers.

Every object that makes a claim about a note carries the note id and character offsets
into that note's ``text``; ``note.text[start:end] == text`` always holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

EVENT_KINDS = (
    "home_visit", "office_visit", "phone_call", "letter", "meeting", "referral", "incident",
    "complaint", "move", "allocation", "status_change", "other",
)
OUTCOMES = (
    "completed", "no_access", "did_not_attend", "cancelled_by_family", "cancelled_by_agency",
    "refused_entry", "cut_short",
)
MEETING_TYPES = (
    "strategy", "icpc", "rcpc", "core_group", "cin_review", "network", "lac_review",
    "legal_planning", "other",
)
PRECISIONS = ("day", "week", "month", "year")
STATUSES = ("EH", "CIN", "CP", "LAC", "closed", "unknown")
ASSERTIONS = ("affirmed", "negated", "hypothetical", "historical", "reported")
ACTORS = ("mother", "father", "partner", "carer", "child", "professional", "other")


@dataclass(frozen=True)
class SourceLoc:
    """Where a note (or a problem) sits in the input: file relative to the input root,
    1-based line numbers for printouts, the row number for tables."""

    file: str
    line_start: int | None = None
    line_end: int | None = None
    sheet: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.file}
        if self.line_start is not None:
            out["line_start"] = self.line_start
        if self.line_end is not None:
            out["line_end"] = self.line_end
        if self.sheet is not None:
            out["sheet"] = self.sheet
        return out


@dataclass(frozen=True)
class InputWarning:
    """A problem with the input, reported and never fatal to the other notes."""

    source: SourceLoc
    message: str
    code: str = "input"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source.to_json(), "message": self.message, "code": self.code}


@dataclass(frozen=True)
class RawNote:
    """A note as a reader found it, before the case gives it an id."""

    text: str
    source: SourceLoc
    date: dt.date | None = None
    time: str | None = None
    note_type_raw: str | None = None
    author: str | None = None
    author_role: str | None = None
    agency: str | None = None
    case_id: str | None = None
    external_id: str | None = None
    date_raw: str | None = None


@dataclass(frozen=True)
class Note:
    note_id: str
    index: int
    case_id: str
    text: str
    source: SourceLoc
    date: dt.date | None
    time: str | None
    note_type: str | None
    note_type_raw: str | None
    meeting_type: str | None
    author: str | None
    author_role: str | None
    agency: str | None
    external_id: str | None = None


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Passage:
    """A sentence (or bullet / line) of a note with its offsets."""

    note_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DateValue:
    """A date expression found in note text, normalised against the note's date."""

    start: int
    end: int
    text: str
    date: dt.date
    date_end: dt.date | None
    precision: str
    relative: bool = False
    ambiguous: bool = False
    future: bool = False


@dataclass(frozen=True)
class Event:
    event_id: str
    note_id: str
    kind: str
    outcome: str | None
    planned: bool | None
    child_seen: bool | None
    child_seen_alone: bool | None
    meeting_type: str | None
    date: dt.date | None
    date_end: dt.date | None
    date_precision: str | None
    date_source: str
    date_text: str | None
    summary: str
    evidence: Span
    agency: str | None = None
    also_recorded_in: tuple[str, ...] = ()  # ids of the same event recorded in other notes
    duplicate_of: str | None = None  # set on those other records: the id of the primary
    conflict: str | None = None  # another record of the same contact says otherwise


@dataclass(frozen=True)
class Tag:
    tag_id: str
    note_id: str
    label: str
    subtype: str | None
    assertion: str
    actor: str | None
    confidence: float
    method: str
    start: int
    end: int
    text: str
    explain: str | None = None


@dataclass(frozen=True)
class Flag:
    flag_id: str
    rule: str
    severity: str
    date: dt.date
    status: str
    explanation: str
    evidence: tuple[str, ...]
    policy_ref: str
    recommended_action: str


@dataclass(frozen=True)
class StatusPeriod:
    start: dt.date
    status: str
    evidence_note_id: str | None = None


@dataclass(frozen=True)
class CaseInput:
    """One case as ingest hands it over: its notes in source order, metadata, warnings."""

    case_id: str
    notes: tuple[RawNote, ...]
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[InputWarning, ...] = ()
    files: tuple[str, ...] = ()


@dataclass
class CaseResult:
    case_id: str
    notes: list[Note]
    events: list[Event] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    status_timeline: list[StatusPeriod] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    escalation: dict[str, Any] | None = None
    risk_series: list[dict[str, Any]] = field(default_factory=list)
    notes_per_file: dict[str, int] = field(default_factory=dict)
