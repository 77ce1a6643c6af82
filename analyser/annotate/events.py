"""Events: what happened on which day.

The note's header (or type column) names a contact: that gives one event on the note's
date, its kind from the note type. Events found inside the text (several per note, dated
by the text) extend this list.
"""

from __future__ import annotations

from ..model import Event, Note, Passage, Span

_SUMMARY = {
    "home_visit": "Home visit", "office_visit": "Office / clinic visit", "phone_call": "Phone call",
    "letter": "Letter to family", "meeting": "Meeting", "referral": "Referral",
    "incident": "Incident", "complaint": "Complaint", "move": "Move",
    "allocation": "Worker allocated", "status_change": "Status change", "other": "Event",
}
_MEETINGS = {
    "strategy": "Strategy meeting", "icpc": "Initial child protection conference",
    "rcpc": "Review child protection conference", "core_group": "Core group",
    "cin_review": "CIN review", "network": "Network / professionals meeting",
    "lac_review": "LAC review", "legal_planning": "Legal planning meeting", "other": "Meeting",
}


def header_event(note: Note, passages: list[Passage]) -> Event | None:
    """The event a note's header names, dated by the header; evidence is the note's
    first sentence (the words that describe the contact)."""
    if note.note_type is None:
        return None
    first = passages[0] if passages else None
    evidence = Span(first.start, first.end, first.text) if first else Span(0, 0, "")
    summary = _MEETINGS.get(note.meeting_type or "", "") if note.note_type == "meeting" else ""
    return Event(
        event_id="", note_id=note.note_id, kind=note.note_type, outcome=None, planned=None,
        child_seen=None, child_seen_alone=None, meeting_type=note.meeting_type,
        date=note.date, date_end=None, date_precision="day" if note.date else None,
        date_source="header", date_text=None,
        summary=(summary or _SUMMARY[note.note_type]) + ".", evidence=evidence,
        agency=note.agency,
    )
