"""Small check functions, registered by name, that a policy's rules point at.

A check reads a :class:`CaseContext` and its rule's parameters and returns :class:`Hit`s
(a date, the evidence ids behind it and the words its message template may use). The
engine turns hits into flags; severity, wording, policy reference and action come from
the policy. New thresholds are YAML; new logic is one more function here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from ..model import Event
from .context import CaseContext, ordinal, uk, uk_list
from .schema import Vocab

ONE_DAY = dt.timedelta(days=1)

Kinds = Annotated[tuple[str, ...], Vocab("kinds")]
Outcomes = Annotated[tuple[str, ...], Vocab("outcomes")]
MeetingTypes = Annotated[tuple[str, ...], Vocab("meeting_types")]
Statuses = Annotated[tuple[str, ...], Vocab("statuses")]
Labels = Annotated[tuple[str, ...], Vocab("labels")]
Assertions = Annotated[tuple[str, ...], Vocab("assertions")]
Label = Annotated[str, Vocab("labels")]
Family = Annotated[str, Vocab("families")]


@dataclass(frozen=True)
class Hit:
    """One firing of a rule before it becomes a flag."""

    date: dt.date
    evidence: tuple[str, ...]
    fields: Mapping[str, Any]
    variant: str = "default"
    subtypes: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class CheckSpec:
    name: str
    fn: Callable[[CaseContext, Any], list[Hit]]
    params: type
    variants: Mapping[str, frozenset[str]]
    active: Callable[[Any], frozenset[str]] | None = None

    def active_variants(self, params: Any) -> frozenset[str]:
        """The message variants a rule with these parameters can produce."""
        return self.active(params) if self.active else frozenset(self.variants)


CHECKS: dict[str, CheckSpec] = {}
COMMON_FIELDS = frozenset({"date", "status"})


def check(name: str, params: type, variants: Mapping[str, Iterable[str]],
          active: Callable[[Any], frozenset[str]] | None = None) -> Callable:
    """Register ``fn`` under ``name`` with its parameter class, the fields each message
    variant may use (the engine adds ``date`` and ``status``) and, when not every variant
    is always possible, a function giving the variants the parameters make possible."""
    def deco(fn: Callable[[CaseContext, Any], list[Hit]]) -> Callable[[CaseContext, Any], list[Hit]]:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = CheckSpec(name, fn, params,
                                 {v: frozenset(f) | COMMON_FIELDS for v, f in variants.items()}, active)
        return fn
    return deco


# --- shared parameter pieces ---------------------------------------------------------------

@dataclass(frozen=True)
class EventFilter:
    """Which events count: kinds, and optionally outcomes and meeting types."""

    kinds: Kinds
    outcomes: Outcomes | None = None
    meeting_types: MeetingTypes | None = None
    exclude_meeting_types: MeetingTypes = ()
    exclude_unannounced: bool = False

    def matches(self, ev: Event) -> bool:
        if ev.kind not in self.kinds:
            return False
        if self.outcomes is not None and ev.outcome not in self.outcomes:
            return False
        if self.meeting_types is not None and ev.meeting_type not in self.meeting_types:
            return False
        if ev.meeting_type is not None and ev.meeting_type in self.exclude_meeting_types:
            return False
        return not (self.exclude_unannounced and ev.planned is False)


def _ids(items: Iterable[Any]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for it in items:
        out[getattr(it, "event_id", None) or it.tag_id] = None
    return tuple(out)


# --- runs of visits: consecutive_missed_visits, sudden_disengagement ------------------------

@dataclass(frozen=True)
class VisitRunParams:
    kinds: Kinds
    failed_outcomes: Outcomes
    took_place_outcomes: Outcomes
    unannounced_failures_count: bool
    failures: int
    repeat: bool
    min_took_place_before: int

    def validate(self) -> str | None:
        if set(self.failed_outcomes) & set(self.took_place_outcomes):
            return "failed_outcomes and took_place_outcomes overlap"
        if self.failures < 1:
            return "failures must be at least 1"
        return None


@check("visit_run", VisitRunParams,
       {"default": {"ordinal", "Ordinal", "count", "what", "dates", "took_place", "took_place_dates"}})
def visit_run(ctx: CaseContext, p: VisitRunParams) -> list[Hit]:
    """Consecutive failed visits, optionally straight after a run of visits that took place.

    Visits that are neither failed nor took place (cancelled by the agency, no outcome) and,
    unless ``unannounced_failures_count``, unannounced failures neither count nor break a run.
    """
    hits: list[Hit] = []
    took: list[Event] = []
    before: list[Event] = []
    fails: list[Event] = []
    for ev in ctx.events:
        if ev.kind not in p.kinds:
            continue
        if ev.outcome in p.took_place_outcomes:
            if fails:
                took = []
            fails = []
            took.append(ev)
        elif ev.outcome in p.failed_outcomes:
            if ev.planned is False and not p.unannounced_failures_count:
                continue
            if not fails:
                before, took = took, []
            fails.append(ev)
            n = len(fails)
            if len(before) >= p.min_took_place_before and (n == p.failures or (p.repeat and n > p.failures)):
                run = fails[-n:]
                same = len({(e.kind, e.outcome, bool(e.planned)) for e in run}) == 1
                if same:
                    what, dates = ctx.wording.event(ev), uk_list([e.date for e in run], ev.date)
                else:
                    what = "failed visit"
                    dates = ", ".join(f"{ctx.wording.event(e)} {uk(e.date, ev.date)}" for e in run)
                hits.append(Hit(ev.date, _ids(before[-p.min_took_place_before:] if p.min_took_place_before else [])
                                + _ids(run), {
                    "ordinal": ordinal(n), "Ordinal": ordinal(n).capitalize(), "count": n, "what": what,
                    "dates": dates, "took_place": len(before),
                    "took_place_dates": uk_list([e.date for e in before], ev.date)}))
    return hits


# --- access to the child denied ------------------------------------------------------------

@dataclass(frozen=True)
class AccessDeniedParams:
    outcomes: Outcomes
    not_seen_labels: Labels
    assertions: Assertions


@check("access_denied", AccessDeniedParams, {"default": {"what", "labels"}})
def access_denied(ctx: CaseContext, p: AccessDeniedParams) -> list[Hit]:
    """An event with a refusing outcome, or with the child not seen in a note that records
    refusal."""
    hits = []
    for ev in ctx.events:
        tags = ctx.note_tags(ev.note_id, p.not_seen_labels, p.assertions) if ev.child_seen is False else []
        if ev.outcome in p.outcomes:
            what = ctx.wording.event(ev)
        elif tags:
            what = f"{ctx.wording.event(ev)}, child not seen"
        else:
            continue
        labels = ", ".join(sorted({t.label for t in tags})) or "none"
        hits.append(Hit(ev.date, _ids([ev, *tags]), {"what": what, "labels": labels}))
    return hits


# --- gaps in seeing the child (alone) -------------------------------------------------------

@dataclass(frozen=True)
class SeenGapParams:
    seen_field: Literal["child_seen", "child_seen_alone"]
    unit: Literal["days", "working_days"]
    limits: Annotated[Mapping[str, int], Vocab(keys="statuses")]
    stop_at_last_note: bool
    horizon_days: int = 366
    kept_kinds: Kinds = ()
    kept_outcomes: Outcomes = ()
    kept_labels: Labels = ()
    kept_assertions: Assertions = ("affirmed",)
    kept_statuses: Statuses | None = None

    def validate(self) -> str | None:
        if not self.limits:
            return "limits must name at least one status"
        if bool(self.kept_labels) != bool(self.kept_outcomes):
            return "kept_labels and kept_outcomes go together (both empty turns the variant off)"
        return None


_GAP_FIELDS = {"limit", "units", "since", "elapsed", "elapsed_ordinal"}


@check("seen_gap", SeenGapParams,
       {"gap": _GAP_FIELDS, "gap_start": _GAP_FIELDS, "kept": {"what", "labels"}},
       active=lambda p: frozenset({"gap", "gap_start"} | ({"kept"} if p.kept_labels else set())))
def seen_gap(ctx: CaseContext, p: SeenGapParams) -> list[Hit]:
    """Too long without the child being seen (alone), while the case is in one of the
    ``limits`` statuses. The clock starts at the later of the first note and the start of
    the unbroken run of such statuses (a change between them does not restart it), restarts
    at each sighting, and fires once per gap on the first (working) day past the limit for
    the status of that day. Also, optionally, on a visit that took place where the note
    records the family keeping the child from being seen (the ``kept`` variant)."""
    hits = _gap_hits(ctx, p)
    if p.kept_labels:
        for ev in ctx.events:
            if (ev.kind in p.kept_kinds and ev.outcome in p.kept_outcomes
                    and getattr(ev, p.seen_field) is False
                    and (p.kept_statuses is None or ctx.status_at(ev.date) in p.kept_statuses)):
                tags = ctx.note_tags(ev.note_id, p.kept_labels, p.kept_assertions)
                if tags:
                    hits.append(Hit(ev.date, _ids([ev, *tags]), {
                        "what": ctx.wording.event(ev),
                        "labels": " and ".join(sorted({t.label for t in tags}))}, variant="kept"))
    return hits


def _gap_hits(ctx: CaseContext, p: SeenGapParams) -> list[Hit]:
    if ctx.first_note is None:
        return []
    sightings: dict[dt.date, list[Event]] = {}
    for ev in ctx.events:
        if getattr(ev, p.seen_field) is True:
            sightings.setdefault(ev.date, []).append(ev)
    end = ctx.last_note if p.stop_at_last_note else ctx.last_note + dt.timedelta(days=p.horizon_days)
    working = p.unit == "working_days"
    cal = ctx.calendar
    hits: list[Hit] = []
    anchor: dt.date | None = None
    anchor_ev: list[Event] = []
    elapsed = 0
    fired = False
    day = ctx.first_note
    while day <= end:
        status = ctx.status_at(day)
        if status not in p.limits:
            anchor, fired = None, False
        elif day in sightings:
            anchor, anchor_ev, elapsed, fired = day, sightings[day], 0, False
        elif anchor is None:
            anchor, anchor_ev, elapsed, fired = day, [], 0, False
        else:
            counts = not working or cal.is_working_day(day)
            if counts:
                elapsed += 1
            limit = p.limits[status]
            if counts and not fired and elapsed > limit:
                fired = True
                units = "working days" if working else "days"
                hits.append(Hit(day, _ids(anchor_ev), {
                    "limit": limit, "units": units, "since": uk(anchor, day), "elapsed": elapsed,
                    "elapsed_ordinal": ordinal(elapsed)}, variant="gap" if anchor_ev else "gap_start"))
        day += ONE_DAY
    return hits


# --- letters with no answer ----------------------------------------------------------------

@dataclass(frozen=True)
class LetterParams:
    letter_kinds: Kinds
    contacts: tuple[EventFilter, ...]
    limits: Annotated[Mapping[str, int], Vocab(keys="statuses_default")]
    require_notes_reach_deadline: bool

    def validate(self) -> str | None:
        return None if "default" in self.limits else "limits needs a 'default' entry"


@check("letter_unanswered", LetterParams, {"default": {"letter_date", "limit", "deadline"}})
def letter_unanswered(ctx: CaseContext, p: LetterParams) -> list[Hit]:
    """A letter with no later contact within the working-day limit for the status on the
    letter's date; fires on the deadline day if the notes reach it."""
    hits = []
    for ev in ctx.events:
        if ev.kind not in p.letter_kinds:
            continue
        status = ctx.status_at(ev.date)
        limit = p.limits.get(status, p.limits["default"])
        deadline = ctx.calendar.add_working_days(ev.date, limit)
        if p.require_notes_reach_deadline and (ctx.last_note is None or ctx.last_note < deadline):
            continue
        answered = any(ev.date < c.date <= deadline and any(f.matches(c) for f in p.contacts)
                       for c in ctx.events)
        if not answered:
            hits.append(Hit(deadline, _ids([ev]), {
                "letter_date": uk(ev.date, deadline), "limit": limit, "deadline": uk(deadline, deadline)}))
    return hits


# --- one flag a note with a label -----------------------------------------------------------

@dataclass(frozen=True)
class NoteTagParams:
    label: Label
    assertions: Assertions
    quote_chars: int = 160


@check("note_tag", NoteTagParams, {"default": {"quote", "subtypes", "label"}})
def note_tag(ctx: CaseContext, p: NoteTagParams) -> list[Hit]:
    """One hit for each dated note that carries the label, on the note's date."""
    hits = []
    for note in ctx.notes:
        if note.date is None:
            continue
        tags = ctx.note_tags(note.note_id, [p.label], p.assertions)
        if not tags:
            continue
        tags.sort(key=lambda t: (t.start, t.end, t.tag_id))
        quote = " ".join(tags[0].text.split())
        if len(quote) > p.quote_chars:
            quote = quote[: p.quote_chars - 1].rstrip() + "…"
        subs = sorted({t.subtype for t in tags if t.subtype})
        hits.append(Hit(note.date, _ids(tags), {
            "quote": quote, "label": p.label,
            "subtypes": ", ".join(s.replace("_", " ") for s in subs) or "type not recorded"},
            subtypes=tuple(t.subtype for t in tags)))
    return hits


# --- counts within a rolling window ---------------------------------------------------------

@dataclass(frozen=True)
class CountSource:
    name: str
    plural: str | None = None
    events: EventFilter | None = None
    tag_labels: Labels | None = None
    tag_family: Family | None = None
    assertions: Assertions = ("affirmed",)
    per: Literal["event", "tag", "note_label", "note"] = "event"
    skip_notes_with_events: bool = False

    def validate(self) -> str | None:
        is_tags = self.tag_labels is not None or self.tag_family is not None
        if (self.events is None) == (not is_tags):
            return f"source {self.name!r} needs exactly one of events or tag_labels/tag_family"
        if self.events is not None and self.per != "event":
            return f"source {self.name!r}: events are counted per event"
        if is_tags and self.per == "event":
            return f"source {self.name!r}: tags are counted per tag, note_label or note"
        return None


@dataclass(frozen=True)
class WindowedCountParams:
    sources: tuple[CountSource, ...]
    threshold: int
    window_days: int
    quiet_days: int

    def validate(self) -> str | None:
        if not self.sources:
            return "sources must not be empty"
        if self.threshold < 1 or self.window_days < 1:
            return "threshold and window_days must be at least 1"
        return None


@dataclass(frozen=True)
class _Item:
    date: dt.date
    source: int
    ids: tuple[str, ...]


def count_items(ctx: CaseContext, sources: Iterable[CountSource]) -> list[_Item]:
    """The dated items the sources count, in date order."""
    items: list[_Item] = []
    sources = list(sources)
    event_notes: set[str] = set()
    for si, s in enumerate(sources):
        if s.events is not None:
            for ev in ctx.events:
                if s.events.matches(ev):
                    items.append(_Item(ev.date, si, (ev.event_id,)))
                    event_notes.add(ev.note_id)
    for si, s in enumerate(sources):
        if s.events is not None:
            continue
        labels = set(s.tag_labels or ()) | (ctx.labels_of_family(s.tag_family) if s.tag_family else set())
        groups: dict[tuple, list[str]] = {}
        for t in ctx.tags:
            if t.label not in labels or t.assertion not in s.assertions:
                continue
            if s.skip_notes_with_events and t.note_id in event_notes:
                continue
            day = ctx.note_date.get(t.note_id)
            if day is None:
                continue
            key = {"tag": (t.tag_id,), "note_label": (t.note_id, t.label), "note": (t.note_id,)}[s.per]
            groups.setdefault((day, *key), []).append(t.tag_id)
        for key, ids in groups.items():
            items.append(_Item(key[0], si, tuple(ids)))
    items.sort(key=lambda it: (it.date, it.source, it.ids))
    return items


@check("windowed_count", WindowedCountParams,
       {"default": {"count", "threshold", "window_days", "first", "breakdown", "dates"}})
def windowed_count(ctx: CaseContext, p: WindowedCountParams) -> list[Hit]:
    """Items from the sources within ``window_days`` (the day and the days before it) reach
    ``threshold``: fires on the item date the count reaches it, then not again until
    ``quiet_days`` have passed."""
    items = count_items(ctx, p.sources)
    hits: list[Hit] = []
    last: dt.date | None = None
    for day in sorted({it.date for it in items}):
        if last is not None and (day - last).days < p.quiet_days:
            continue
        lo = day - dt.timedelta(days=p.window_days - 1)
        window = [it for it in items if lo <= it.date <= day]
        if len(window) < p.threshold:
            continue
        last = day
        parts = []
        for si, s in enumerate(p.sources):
            n = sum(1 for it in window if it.source == si)
            if n:
                parts.append(f"{n} {s.name if n == 1 else (s.plural or s.name + 's')}")
        ids = [i for it in window for i in it.ids]
        hits.append(Hit(day, tuple(dict.fromkeys(ids)), {
            "count": len(window), "threshold": p.threshold, "window_days": p.window_days,
            "first": uk(window[0].date, day), "breakdown": ", ".join(parts),
            "dates": uk_list(sorted({it.date for it in window}), day)}))
    return hits


# --- consecutive reviews with a label ------------------------------------------------------

@dataclass(frozen=True)
class ReviewRunParams:
    meeting_types: MeetingTypes
    labels: Labels
    assertions: Assertions
    reviews: int
    repeat: bool


@check("review_run", ReviewRunParams, {"default": {"count", "ordinal", "dates", "labels"}})
def review_run(ctx: CaseContext, p: ReviewRunParams) -> list[Hit]:
    """Consecutive review meetings whose notes carry one of the labels."""
    hits: list[Hit] = []
    run: list[tuple[Event, list]] = []
    for ev in ctx.events:
        if ev.kind != "meeting" or ev.meeting_type not in p.meeting_types:
            continue
        tags = ctx.note_tags(ev.note_id, p.labels, p.assertions)
        if not tags:
            run = []
            continue
        run.append((ev, tags))
        n = len(run)
        if n == p.reviews or (p.repeat and n > p.reviews):
            hits.append(Hit(ev.date, _ids([x for e, ts in run for x in (e, *ts)]), {
                "count": n, "ordinal": ordinal(n), "dates": uk_list([e.date for e, _ in run], ev.date),
                "labels": ", ".join(p.labels)}))
    return hits
