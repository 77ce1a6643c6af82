"""Events: what happened, on which day, with what outcome, and whether the child was seen.

A note yields zero or more events. The note's header (or type column) names one contact,
dated by the header; the text may describe that contact (its outcome, whether the child
was seen alone) and others besides ("Mum did not attend the core group on Monday; I
visited on Wednesday and saw J alone"), each dated by a date in its own clause.

The rules are data, in ``lexicons/events/*.yaml`` (and the status cues in
``lexicons/status/status.yaml``). Every file holds cue entries of one *layer*:

* ``trigger`` — words that name an event of a kind ("I visited", "core group", "rang",
  "police attended"). ``strength`` says how much the words alone prove: ``strong``
  (an undated mention is an event on the note's date), ``weak`` ("arranged by phone":
  an event only when the clause dates it), ``reference_only`` ("the appointment": only
  ever the contact the header names). Calls and letters look for the other party
  (``counterpart``): a call with a professional is information, not an event.
* ``status`` — a child made subject to a plan, stepped down, accommodated, case closed:
  triggers of kind ``status_change``; ``status.py`` re-reads them for the new status.
* ``sink`` — nouns that own dates and outcomes but are never events ("her GP
  appointment", "my voicemail on Friday"), so neither attaches to the wrong event.
* ``outcome``, ``planned``, ``seen`` — what a contact's words set ("no answer", "rang to
  cancel", "unannounced", "seen alone in his bedroom").
* ``block`` — words that make a nearby cue not a fact: planned only ("next HV booked",
  "to be arranged"), hypothetical, negated, a failed call ("rang out").
* ``counterpart`` — words naming who the other party of a call or letter is (family,
  the worker's own service, another agency, a third party); in an agency's own log its
  own people count as the service (``own_agency_words`` in ``_settings.yaml``).
* ``anaphor`` — "the same day", "that afternoon": the date written before them.

How the pieces fit, for one note:

1. Cues are matched on the rules' own tokenisation (``PhraseTokenizer``; phrases on
   normalised tokens, token patterns on tokeniser attributes), excludes applied,
   overlaps resolved longest-first within a layer.
2. Each trigger mention is checked: blocked? professional counterpart? A date in the
   same clause is attached to the nearest mention (a date after a mention is preferred
   to one before it); a future date makes the mention planned only, a date long before
   the note makes it background history.
3. Mentions become *slots*: an undated mention of the header's kind is the header's
   event; a mention with its own date is an event on that date; a definite reference
   ("the visit on 12/02") is an event only if its clause says what happened at it.
4. Outcome, planned and child-seen cues attach to the nearest applicable mention of
   their sentence, else to the contact being described (the last one named), else to
   the note's most recent applicable event.
5. Each slot resolves to an :class:`Event` whose evidence is the sentence(s) it rests on.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import LexiconError
from ..lexicon import (
    PhraseTokenizer,
    Vocabulary,
    check_keys,
    check_token_pattern,
    expand_all,
    load_vocabulary,
    load_yaml,
)
from ..model import (
    EVENT_KINDS,
    MEETING_TYPES,
    OUTCOMES,
    STATUSES,
    DateValue,
    Event,
    Note,
    Passage,
    Span,
)

LAYERS = ("trigger", "status", "sink", "outcome", "planned", "seen", "block", "counterpart",
          "anaphor")
# layers whose matches compete for the same words (longest wins inside a group)
_GROUP = {"trigger": "mention", "status": "status", "sink": "mention", "outcome": "outcome",
          "planned": "planned", "seen": "seen", "block": "block", "counterpart": "counterpart",
          "anaphor": "anaphor"}
_COMMON_KEYS = ("id", "phrases", "patterns", "exclude", "exclude_patterns", "requires",
                "examples", "note")
_LAYER_KEYS: dict[str, tuple[str, ...]] = {
    "trigger": ("kind", "meeting_type", "strength", "inherit_date", "counterpart",
                "new_contact", "child_seen", "verb"),
    "status": ("status", "inherit_date"),
    "sink": (),
    "outcome": ("outcome", "applies_to", "implies"),
    "planned": ("planned",),
    "seen": ("child_seen", "child_seen_alone"),
    "block": ("direction", "window", "scope", "blocks", "kinds", "unless_done_at",
              "dated_ok"),
    "counterpart": ("party",),
    "anaphor": (),
}
_LAYER_REQUIRED: dict[str, tuple[str, ...]] = {
    "trigger": ("kind",), "status": ("status",), "outcome": ("outcome",),
    "planned": ("planned",), "block": ("direction",), "counterpart": ("party",),
}
STRENGTHS = ("strong", "weak", "reference_only")
PARTIES = ("family", "service", "professional", "third_party")
COUNTERPART_SIDES = ("none", "before", "after", "around")
DIRECTIONS = ("forward", "backward", "both")
SCOPES = ("clause", "sentence")
BLOCKABLE = ("trigger", "status", "outcome", "planned", "seen")
VISIT = "visit"  # a trigger kind that takes the header's visit kind (home or office)
ATTENDED = "attended"  # an outcome cue: a family member took part in the meeting
ENTERED = "entered"  # an outcome cue: the worker got into the home
CONTACT_KINDS = ("home_visit", "office_visit", "phone_call", "meeting")
_DONE_AT = ("status_change", "allocation")  # records that say a meeting took place
SEEN_KINDS = ("home_visit", "office_visit")
EXAMPLE_KINDS = ("match", "no_match")
_FILE_KEYS = ("layer", "entries")
_FILE_OPTIONAL = ("version", "description", "example_kind", "example_meeting_type",
                  "example_date")


# ------------------------------------------------------------------------------ rules

@dataclass(frozen=True)
class EventCue:
    """One lexicon entry: the words, what they set (``fields``) and worked examples."""

    id: str
    layer: str
    file: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    exclude: tuple[str, ...] = ()
    exclude_patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    requires: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    examples: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    example_kind: str | None = None
    example_meeting_type: str | None = None
    example_date: dt.date = dt.date(2024, 3, 14)

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


@dataclass(frozen=True)
class EventSettings:
    """Numbers and word lists from ``_settings.yaml`` that the engine's steps use."""

    history_days: int
    date_window: int
    date_before_cost: float
    definite_window: int
    counterpart_window: int
    max_evidence_chars: int
    determiners: frozenset[str]
    temporal_preps: frozenset[str]
    clause_breaks: frozenset[str]
    spaced_breaks: frozenset[str]
    date_skip_before: frozenset[str]
    arrangement_words: frozenset[str]
    first_person: frozenset[str]
    first_person_objects: frozenset[str]
    third_person_objects: frozenset[str]
    attributive_dates: frozenset[str]
    narrative_kinds: tuple[str, ...]
    failed_outcomes: tuple[str, ...]
    outcome_priority: tuple[str, ...]
    absorb_window: int
    own_agency_words: Mapping[str, frozenset[str]]
    professional_meetings: frozenset[str]
    kind_labels: Mapping[str, str]
    meeting_labels: Mapping[str, str]
    outcome_labels: Mapping[str, str]


@dataclass(frozen=True)
class Hit:
    """A cue matched in a text: token and character offsets."""

    cue: EventCue
    start: int
    end: int
    start_char: int
    end_char: int


class _Matchers:
    """spaCy matchers for every cue (phrases, token patterns, excludes, requires)."""

    def __init__(self, cues: Sequence[EventCue], tokenizer: PhraseTokenizer) -> None:
        from spacy.matcher import Matcher, PhraseMatcher  # nothing at import time

        self.phrases = PhraseMatcher(tokenizer.vocab, attr="NORM")
        self.patterns = Matcher(tokenizer.vocab)
        for i, cue in enumerate(cues):
            for tag, phrases in (("m", cue.phrases), ("x", cue.exclude), ("r", cue.requires)):
                if phrases:
                    self.phrases.add(f"{tag}{i}", tokenizer.pipe(phrases))
            for tag, pats in (("m", cue.patterns), ("x", cue.exclude_patterns)):
                if pats:
                    self.patterns.add(f"{tag}{i}", [list(p) for p in pats])

    def __call__(self, doc: Any) -> list[tuple[str, int, int, int]]:
        strings = doc.vocab.strings
        out = []
        for match_id, s, e in list(self.phrases(doc)) + list(self.patterns(doc)):
            key = strings[match_id]
            out.append((key[0], int(key[1:]), s, e))
        return out


@dataclass(frozen=True)
class EventRules:
    """Everything ``extract_events`` needs, loaded and compiled once."""

    cues: tuple[EventCue, ...]
    settings: EventSettings
    tokenizer: PhraseTokenizer
    matchers: _Matchers
    files: tuple[str, ...]
    meeting_status: Mapping[str, str] = field(default_factory=dict)

    def by_layer(self, layer: str) -> tuple[EventCue, ...]:
        return tuple(c for c in self.cues if c.layer == layer)

    def hits(self, doc: Any, sentence_of: Sequence[int] | None = None) -> list[Hit]:
        """Cue matches in a tokenised text, excludes and ``requires`` applied, overlaps
        resolved longest-first within each group of layers. ``sentence_of`` gives each
        token's sentence (the whole text is one sentence when it is None)."""
        raw = self.matchers(doc)
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        vetoes: dict[int, list[tuple[int, int]]] = defaultdict(list)
        needs: dict[int, set[int]] = defaultdict(set)
        sent = sentence_of if sentence_of is not None else [0] * len(doc)
        for tag, i, s, e in raw:
            if tag == "m":
                found[i].append((s, e))
            elif tag == "x":
                vetoes[i].append((s, e))
            else:
                needs[i].add(sent[s])
        groups: dict[str, list[Hit]] = defaultdict(list)
        for i, spans in found.items():
            cue = self.cues[i]
            for s, e in set(spans):
                if any(vs < e and ve > s for vs, ve in vetoes.get(i, ())):
                    continue
                if cue.requires and sent[s] not in needs.get(i, set()):
                    continue
                groups[_GROUP[cue.layer]].append(
                    Hit(cue, s, e, doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)))
        out: list[Hit] = []
        for hits in groups.values():
            hits.sort(key=lambda h: (-(h.end - h.start), h.start, h.cue.id))
            taken: list[Hit] = []
            for h in hits:
                if all(h.end <= t.start or h.start >= t.end for t in taken):
                    taken.append(h)
            out.extend(taken)
        out.sort(key=lambda h: (h.start, h.end, h.cue.id))
        return out


def _bool(value: Any, *, file: str, entry: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise LexiconError(file, f"{key} must be true or false", entry)
    return value


def _kinds(value: Any, *, file: str, entry: str, key: str, extra: tuple[str, ...] = ()
           ) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise LexiconError(file, f"{key} must be a list of event kinds", entry)
    bad = [v for v in value if v not in EVENT_KINDS + extra]
    if bad:
        raise LexiconError(file, f"{key}: unknown kind(s) {bad}", entry)
    return tuple(value)


def _check_fields(layer: str, row: Mapping[str, Any], file: str, ident: str) -> dict[str, Any]:
    """Validate the layer-specific keys of one entry and return them with defaults."""
    f: dict[str, Any] = {}
    if layer == "trigger":
        kind = row["kind"]
        if kind not in EVENT_KINDS + (VISIT,):
            raise LexiconError(file, f"unknown kind {kind!r}", ident)
        f["kind"] = kind
        mt = row.get("meeting_type")
        if mt is not None and (kind != "meeting" or mt not in MEETING_TYPES):
            raise LexiconError(file, f"meeting_type {mt!r} needs kind meeting and one of "
                               f"{MEETING_TYPES}", ident)
        f["meeting_type"] = mt
        strength = row.get("strength", "strong")
        if strength not in STRENGTHS:
            raise LexiconError(file, f"strength must be one of {STRENGTHS}", ident)
        f["strength"] = strength
        side = row.get("counterpart", "none")
        if side not in COUNTERPART_SIDES:
            raise LexiconError(file, f"counterpart must be one of {COUNTERPART_SIDES}", ident)
        f["counterpart"] = side
        f["inherit_date"] = _bool(row.get("inherit_date", False), file=file, entry=ident,
                                  key="inherit_date")
        f["new_contact"] = _bool(row.get("new_contact", False), file=file, entry=ident,
                                 key="new_contact")
        f["verb"] = _bool(row.get("verb", False), file=file, entry=ident, key="verb")
        if "child_seen" in row:
            f["child_seen"] = _bool(row["child_seen"], file=file, entry=ident, key="child_seen")
    elif layer == "status":
        if row["status"] not in STATUSES:
            raise LexiconError(file, f"status must be one of {STATUSES}", ident)
        f.update(status=row["status"], kind="status_change", meeting_type=None,
                 strength="strong", counterpart="none",
                 inherit_date=_bool(row.get("inherit_date", True), file=file, entry=ident,
                                    key="inherit_date"))
    elif layer == "outcome":
        if row["outcome"] not in OUTCOMES + (ATTENDED, ENTERED):
            raise LexiconError(file, f"outcome must be one of {OUTCOMES + (ATTENDED, ENTERED)}",
                               ident)
        f["outcome"] = row["outcome"]
        f["applies_to"] = _kinds(row.get("applies_to", list(CONTACT_KINDS)), file=file,
                                 entry=ident, key="applies_to")
        implies = row.get("implies")
        if implies is not None and implies not in EVENT_KINDS:
            raise LexiconError(file, f"implies: unknown kind {implies!r}", ident)
        f["implies"] = implies
    elif layer == "planned":
        f["planned"] = _bool(row["planned"], file=file, entry=ident, key="planned")
    elif layer == "seen":
        for key in ("child_seen", "child_seen_alone"):
            if key in row:
                f[key] = _bool(row[key], file=file, entry=ident, key=key)
        if not f:
            raise LexiconError(file, "a seen entry sets child_seen and/or child_seen_alone",
                               ident)
    elif layer == "block":
        if row["direction"] not in DIRECTIONS:
            raise LexiconError(file, f"direction must be one of {DIRECTIONS}", ident)
        window = row.get("window", 4)
        if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 60:
            raise LexiconError(file, f"window must be an integer 0..60, got {window!r}", ident)
        scope = row.get("scope", "clause")
        if scope not in SCOPES:
            raise LexiconError(file, f"scope must be one of {SCOPES}", ident)
        blocks = row.get("blocks", ["trigger", "status"])
        if isinstance(blocks, str):
            blocks = [blocks]
        if not isinstance(blocks, list) or not blocks or any(b not in BLOCKABLE for b in blocks):
            raise LexiconError(file, f"blocks must be a list among {BLOCKABLE}", ident)
        kinds = _kinds(row["kinds"], file=file, entry=ident, key="kinds") if "kinds" in row \
            else ()
        f.update(direction=row["direction"], window=window, scope=scope,
                 blocks=tuple(blocks), kinds=kinds,
                 unless_done_at=_bool(row.get("unless_done_at", False), file=file,
                                      entry=ident, key="unless_done_at"),
                 dated_ok=_bool(row.get("dated_ok", False), file=file, entry=ident,
                                key="dated_ok"))
    elif layer == "counterpart":
        if row["party"] not in PARTIES:
            raise LexiconError(file, f"party must be one of {PARTIES}", ident)
        f["party"] = row["party"]
    return f


_STRING_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "SHAPE", "PREFIX", "SUFFIX"})


def _check_strings(pattern: Any, *, file: str, entry: str) -> None:
    """Text attributes take strings: YAML reads a bare on/off/yes/no as true/false."""
    for spec in pattern if isinstance(pattern, list) else ():
        if not isinstance(spec, Mapping):
            continue
        for attr, value in spec.items():
            if attr not in _STRING_ATTRS:
                continue
            values = value.get("IN", []) + value.get("NOT_IN", []) \
                if isinstance(value, Mapping) else [value]
            bad = [v for v in values if not isinstance(v, str)]
            if bad:
                raise LexiconError(file, f"{attr} values must be strings, got {bad!r} (quote "
                                   "on/off/yes/no in YAML)", entry)


def _load_cue_file(path: Path, vocab: Vocabulary, seen: set[str]) -> list[EventCue]:
    file = str(path)
    data = check_keys(load_yaml(path), file=file, entry=None, required=_FILE_KEYS,
                      optional=_FILE_OPTIONAL)
    layer = data["layer"]
    if layer not in LAYERS:
        raise LexiconError(file, f"layer must be one of {LAYERS}, got {layer!r}")
    ex_kind = data.get("example_kind")
    if ex_kind is not None and ex_kind not in EVENT_KINDS:
        raise LexiconError(file, f"example_kind: unknown kind {ex_kind!r}")
    ex_mt = data.get("example_meeting_type")
    if ex_mt is not None and ex_mt not in MEETING_TYPES:
        raise LexiconError(file, f"example_meeting_type: unknown {ex_mt!r}")
    ex_date = data.get("example_date", dt.date(2024, 3, 14))
    if isinstance(ex_date, str):
        try:
            ex_date = dt.date.fromisoformat(ex_date)
        except ValueError:
            raise LexiconError(file, f"example_date must be ISO, got {ex_date!r}") from None
    if not isinstance(ex_date, dt.date):
        raise LexiconError(file, "example_date must be an ISO date")
    rows = data["entries"]
    if not isinstance(rows, list) or not rows:
        raise LexiconError(file, "entries must be a non-empty list")
    prefix = path.stem
    lists = vocab.lists
    cues: list[EventCue] = []
    for row in rows:
        ident = row.get("id") if isinstance(row, Mapping) else None
        check_keys(row, file=file, entry=ident, required=("id",) + _LAYER_REQUIRED.get(layer, ()),
                   optional=_COMMON_KEYS + _LAYER_KEYS[layer])
        if not isinstance(ident, str) or not ident.startswith(prefix + ".") or \
                not ident.rsplit(".", 1)[-1][:1] == "v" or ident.count(".") != 2:
            raise LexiconError(file, f"entry id must look like {prefix}.<name>.v<N>, "
                               f"got {ident!r}", str(ident))
        if ident in seen:
            raise LexiconError(file, "duplicate entry id", ident)
        seen.add(ident)
        if "phrases" not in row and "patterns" not in row:
            raise LexiconError(file, "entry needs phrases or patterns", ident)

        def phrases(key: str, row: Mapping[str, Any] = row, ident: str = ident
                    ) -> tuple[str, ...]:
            return expand_all(row[key], lists, file=file, entry=ident, key=key) \
                if row.get(key) else ()

        def patterns(key: str, row: Mapping[str, Any] = row, ident: str = ident
                     ) -> tuple[tuple[dict[str, Any], ...], ...]:
            value = row.get(key)
            if value is None:
                return ()
            if not isinstance(value, list) or not value:
                raise LexiconError(file, f"{key} must be a non-empty list of token patterns",
                                   ident)
            for p in value:
                _check_strings(p, file=file, entry=ident)
            return tuple(tuple(check_token_pattern(p, file=file, entry=ident)) for p in value)

        examples: dict[str, tuple[str, ...]] = {}
        ex = row.get("examples")
        if ex is not None:
            check_keys(ex, file=file, entry=ident, optional=EXAMPLE_KINDS)
            for kind, items in ex.items():
                if not isinstance(items, list) or not all(isinstance(s, str) and s for s in items):
                    raise LexiconError(file, f"examples.{kind} must be a list of strings", ident)
                examples[kind] = tuple(items)
        cues.append(EventCue(
            id=ident, layer=layer, file=file, phrases=phrases("phrases"),
            patterns=patterns("patterns"), exclude=phrases("exclude"),
            exclude_patterns=patterns("exclude_patterns"), requires=phrases("requires"),
            fields=_check_fields(layer, row, file, ident), examples=examples,
            example_kind=ex_kind, example_meeting_type=ex_mt, example_date=ex_date,
        ))
    return cues


def _words(data: Mapping[str, Any], key: str, file: str) -> frozenset[str]:
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(file, f"{key} must be a list of strings", key)
    return frozenset(v.lower() for v in value)


def _int(data: Mapping[str, Any], key: str, file: str, lo: int, hi: int) -> int:
    v = data[key]
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise LexiconError(file, f"{key} must be an integer {lo}..{hi}", key)
    return v


def _labels(data: Mapping[str, Any], key: str, names: Iterable[str], file: str
            ) -> dict[str, str]:
    value = check_keys(data[key], file=file, entry=key, required=tuple(names))
    return {str(k): str(v) for k, v in value.items()}


_SETTINGS_KEYS = ("version", "history_days", "date_window", "date_before_cost",
                  "definite_window", "counterpart_window", "max_evidence_chars", "determiners",
                  "temporal_preps", "clause_breaks", "spaced_breaks", "date_skip_before",
                  "arrangement_words",
                  "first_person", "first_person_objects", "third_person_objects",
                  "attributive_dates",
                  "narrative_kinds", "failed_outcomes", "outcome_priority", "absorb_window",
                  "own_agency_words", "professional_meetings",
                  "kind_labels", "meeting_labels",
                  "outcome_labels")


def _agency_words(data: Mapping[str, Any], file: str) -> dict[str, frozenset[str]]:
    value = data["own_agency_words"]
    if not isinstance(value, Mapping):
        raise LexiconError(file, "own_agency_words must map an agency to its words",
                           "own_agency_words")
    return {str(k): _words(value, k, file) for k in value}


def _priority(data: Mapping[str, Any], file: str) -> tuple[str, ...]:
    value = data["outcome_priority"]
    if not isinstance(value, list) or sorted(value) != sorted(o for o in OUTCOMES
                                                             if o != "completed"):
        raise LexiconError(file, "outcome_priority must list every outcome but completed",
                           "outcome_priority")
    return tuple(value)


def _load_settings(path: Path) -> EventSettings:
    file = str(path)
    data = check_keys(load_yaml(path), file=file, entry=None, required=_SETTINGS_KEYS,
                      optional=("description",))
    cost = data["date_before_cost"]
    if isinstance(cost, bool) or not isinstance(cost, int | float) or cost < 1:
        raise LexiconError(file, "date_before_cost must be a number >= 1", "date_before_cost")
    failed = data["failed_outcomes"]
    if not isinstance(failed, list) or any(o not in OUTCOMES for o in failed):
        raise LexiconError(file, "failed_outcomes must list outcomes", "failed_outcomes")
    return EventSettings(
        history_days=_int(data, "history_days", file, 0, 3650),
        date_window=_int(data, "date_window", file, 0, 60),
        date_before_cost=float(cost),
        definite_window=_int(data, "definite_window", file, 0, 8),
        counterpart_window=_int(data, "counterpart_window", file, 0, 12),
        max_evidence_chars=_int(data, "max_evidence_chars", file, 40, 5000),
        determiners=_words(data, "determiners", file),
        temporal_preps=_words(data, "temporal_preps", file),
        clause_breaks=_words(data, "clause_breaks", file),
        spaced_breaks=_words(data, "spaced_breaks", file),
        date_skip_before=_words(data, "date_skip_before", file),
        arrangement_words=_words(data, "arrangement_words", file),
        first_person=_words(data, "first_person", file),
        first_person_objects=_words(data, "first_person_objects", file),
        third_person_objects=_words(data, "third_person_objects", file),
        attributive_dates=_words(data, "attributive_dates", file),
        narrative_kinds=_kinds(data["narrative_kinds"], file=file, entry="narrative_kinds",
                               key="narrative_kinds"),
        failed_outcomes=tuple(failed),
        outcome_priority=_priority(data, file),
        absorb_window=_int(data, "absorb_window", file, 0, 12),
        own_agency_words=_agency_words(data, file),
        professional_meetings=_words(data, "professional_meetings", file),
        kind_labels=_labels(data, "kind_labels", EVENT_KINDS, file),
        meeting_labels=_labels(data, "meeting_labels", MEETING_TYPES, file),
        outcome_labels=_labels(data, "outcome_labels", OUTCOMES, file),
    )


def load_event_rules(dir: Path | None = None) -> EventRules:
    """Load ``lexicons/events/`` (``_vocab.yaml``, ``_settings.yaml`` and every cue file)
    and ``lexicons/status/status.yaml`` beside it, strictly."""
    if dir is None:
        from ..paths import lexicon_dir  # here: resources imports this module

        dir = lexicon_dir() / "events"
    folder = Path(dir)
    vocab = load_vocabulary(folder / "_vocab.yaml")
    settings = _load_settings(folder / "_settings.yaml")
    files = sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))
    status_file = folder.parent / "status" / "status.yaml"
    if status_file.exists():
        files.append(status_file)
    if not files:
        raise LexiconError(str(folder), "no cue files found")
    seen: set[str] = set()
    cues: list[EventCue] = []
    for path in files:
        cues.extend(_load_cue_file(path, vocab, seen))
    tokenizer = PhraseTokenizer(vocab.norms)
    return EventRules(cues=tuple(cues), settings=settings, tokenizer=tokenizer,
                      matchers=_Matchers(cues, tokenizer), files=tuple(str(p) for p in files),
                      meeting_status=_load_meeting_status(folder.parent / "status" /
                                                          "meetings.yaml"))


def _load_meeting_status(path: Path) -> dict[str, str]:
    """``status/meetings.yaml``: the status a review meeting shows the case has."""
    if not path.exists():
        return {}
    file = str(path)
    data = check_keys(load_yaml(path), file=file, entry=None, required=("meeting_status",),
                      optional=("version", "description"))
    table = data["meeting_status"]
    if not isinstance(table, Mapping):
        raise LexiconError(file, "meeting_status must map a meeting type to a status")
    for mt, status in table.items():
        if mt not in MEETING_TYPES or status not in STATUSES:
            raise LexiconError(file, f"{mt!r}: {status!r} is not a meeting type and status", mt)
    return {str(k): str(v) for k, v in table.items()}


# --------------------------------------------------------------------------- analysis

@dataclass
class _Mention:
    hit: Hit
    kind: str | None  # None for a sink
    meeting_type: str | None
    strength: str
    sent: int
    clause: int
    definite: bool = False
    anchor_only: bool = False  # "since the ICPC": a time reference, owns dates only
    valid: bool = True
    date: DateValue | None = None
    date_cost: float = 0.0
    slot: _Slot | None = None


@dataclass
class _Slot:
    kind: str
    meeting_type: str | None
    date: dt.date | None
    date_end: dt.date | None
    precision: str | None
    source: str  # header | text
    date_text: str | None
    order: int
    header: bool = False
    mentions: list[_Mention] = field(default_factory=list)
    outcomes: list[tuple[int, str]] = field(default_factory=list)
    planned: list[tuple[int, bool]] = field(default_factory=list)
    seen: list[bool] = field(default_factory=list)
    alone: list[bool] = field(default_factory=list)
    passages: set[int] = field(default_factory=set)
    default_seen: bool | None = None  # family time: the child is there unless told otherwise


class _NoteScan:
    """One note tokenised, split into sentences and clauses, with its cue hits."""

    def __init__(self, text: str, passages: Sequence[Passage], rules: EventRules) -> None:
        st = rules.settings
        self.doc = doc = rules.tokenizer(text)
        self.starts = [t.idx for t in doc]
        bounds = [(p.start, p.end) for p in passages] or [(0, len(text))]
        self.passage_spans = bounds
        pstarts = [b[0] for b in bounds]
        self.sent = [max(0, bisect_right(pstarts, t.idx) - 1) for t in doc]
        clause, cur, prev_sent = [], 0, None
        for i, tok in enumerate(doc):
            if self.sent[i] != prev_sent:
                cur += 1
                prev_sent = self.sent[i]
            norm = tok.norm_
            if norm in st.clause_breaks or (norm in st.spaced_breaks and i > 0
                                            and doc[i - 1].whitespace_):
                cur += 1
            clause.append(cur)
        self.clause = clause
        self.hits = rules.hits(doc, self.sent)

    def tok_at(self, char: int) -> int:
        return max(0, bisect_right(self.starts, char) - 1)


def _blockers(hit: Hit, layer: str, kind: str | None, blocks: Sequence[Hit],
              scan: _NoteScan) -> list[Hit]:
    """The blockers that stop ``hit`` (a cue of ``layer``; ``kind`` for a trigger)."""
    out = []
    for b in blocks:
        f = b.cue.fields
        if layer not in f["blocks"] or (f["kinds"] and kind not in f["kinds"]):
            continue
        if scan.sent[b.start] != scan.sent[hit.start]:
            continue
        if f["scope"] == "clause" and scan.clause[b.start] != scan.clause[hit.start]:
            continue
        w = f["window"]
        d = f["direction"]
        if (d in ("forward", "both") and b.start < hit.start and hit.start - b.end <= w) or \
                (d in ("backward", "both") and b.end > hit.end and b.start - hit.end <= w):
            out.append(b)
    return out


def _blocked(hit: Hit, layer: str, kind: str | None, blocks: Sequence[Hit], scan: _NoteScan
             ) -> bool:
    return bool(_blockers(hit, layer, kind, blocks, scan))


def _inside_blocker(hit: Hit, blocks: Sequence[Hit]) -> bool:
    """A cue that is part of a blocker's words ("held" in "to be held")."""
    return any(b.start <= hit.start and hit.end <= b.end
               and (b.end - b.start) > (hit.end - hit.start) for b in blocks)


def _live_blockers(hits: Sequence[Hit]) -> list[Hit]:
    """Blockers that are not part of another cue ("not" in "did not attend"); a blocker
    limited to some kinds ("no answer" stops a call) always counts."""
    others = [h for h in hits if h.cue.layer in ("outcome", "seen", "planned")]
    return [b for b in hits if b.cue.layer == "block" and (
        b.cue.fields["kinds"] or not any(o.start <= b.start and b.end <= o.end
                                         and (o.end - o.start) > (b.end - b.start)
                                         for o in others))]


def _definite(m: _Mention, scan: _NoteScan, st: EventSettings) -> tuple[bool, bool]:
    """(definite, anchor_only): a determiner just before the mention ("the visit",
    "today's visit"), a temporal preposition before it ("since the ICPC")."""
    doc = scan.doc
    window = 1 if m.strength == "reference_only" else st.definite_window
    definite = anchor = False
    i = m.hit.start - 1
    if m.strength == "reference_only":  # "Visit cut short ...": the note's own contact
        j = i
        while j >= 0 and scan.sent[j] == m.sent and (doc[j].is_punct or doc[j].is_space):
            j -= 1
        if j < 0 or scan.sent[j] != m.sent:
            return True, False
    steps = 0
    while i >= 0 and steps <= window and scan.sent[i] == m.sent:
        tok = doc[i]
        norm = tok.norm_
        if scan.clause[i] != m.clause or (tok.is_punct and norm not in st.determiners):
            break
        if norm in st.determiners:
            definite = True
        if norm in st.temporal_preps:
            anchor = True
            break
        steps += 1
        i -= 1
    return definite, anchor


def _party(m: _Mention, scan: _NoteScan, parties: Sequence[Hit], st: EventSettings,
           agency: str | None = None) -> str:
    """Who is at the other end of a call or letter: ``family`` (the default: notes name
    family members and give professionals their role), ``service`` (the worker's own
    service: duty line, manager, health visitor), ``professional`` (another agency) or
    ``third_party``. Only a call or letter with the family is a contact."""
    side = m.hit.cue.get("counterpart", "none")
    if side == "none" or m.kind not in ("phone_call", "letter"):
        return "family"
    w = st.counterpart_window
    doc = scan.doc
    own = st.own_agency_words.get(agency or "", frozenset())

    def on(lo: int, hi: int) -> str | None:
        found = [h for h in parties if h.start >= lo and h.end <= hi
                 and scan.clause[h.start] == m.clause]
        if not found:
            return None
        near = min(found, key=lambda h: min(abs(h.start - m.hit.end), abs(m.hit.start - h.end)))
        if scan.doc[near.start:near.end].text.lower() in own:
            return "service"  # the school's own log: "dad rang the school office"
        return near.cue.fields["party"]

    before_lo = max(0, m.hit.start - w)
    after_hi = min(len(doc), m.hit.end + w)
    if side == "after":  # "call from X", "letter to X"
        return on(m.hit.end, after_hi) or "family"
    if side == "around":  # "arranged with mum by phone", "checked with the GP by phone"
        near = on(before_lo, after_hi)
        return near if near in ("professional", "third_party") else "family"
    # before: the subject calls; when the worker is the subject, the object is the party
    before = [i for i in range(before_lo, m.hit.start) if scan.clause[i] == m.clause]
    first_person = any(doc[i].norm_ in st.first_person for i in before)
    to_worker = any(doc[i].norm_ in st.first_person_objects
                    for i in range(max(m.hit.start, m.hit.end - 1), min(len(doc), m.hit.end + 1)))
    obj = None if to_worker else on(m.hit.end, after_hi)
    if first_person:
        return obj or "family"
    if m.hit.end < len(doc) and doc[m.hit.end].norm_ in st.third_person_objects:
        return "third_party"  # "Ryan rang her": a call the worker was not part of
    if obj in ("professional", "third_party"):  # mum rang the school: not a contact with us
        return obj
    subject = on(before_lo, m.hit.start)
    return "family" if subject in (None, "family") else subject


def _date_for(m: _Mention, dates: Sequence[tuple[int, int, DateValue]], scan: _NoteScan,
              st: EventSettings) -> list[tuple[float, int]]:
    """(cost, date index) for dates in the mention's clause within the window."""
    out = []
    for k, (ds, de, _dv) in enumerate(dates):
        if scan.sent[ds] != m.sent or scan.clause[ds] != m.clause:
            continue
        if ds >= m.hit.end:
            gap = ds - m.hit.end
            cost = float(gap)
        elif de <= m.hit.start:
            if m.anchor_only:
                continue
            gap = m.hit.start - de
            cost = gap * st.date_before_cost + 1
        else:
            gap, cost = 0, 0.0
        if gap <= st.date_window:
            out.append((cost, k))
    return out


def _is_future(dv: DateValue, ref: dt.date | None) -> bool:
    """After the note's date; without one, what the date's own cues say ("next week")."""
    return dv.date > ref if ref is not None else dv.future


def _text_dates(text: str, dates: Sequence[DateValue], scan: _NoteScan,
                anaphors: Sequence[Hit], st: EventSettings, ref: dt.date | None,
                arranged: list[DateValue]) -> list[tuple[int, int, DateValue]]:
    """The note's dates as token spans, without those that bound a period ("since
    02/03") or name a kind of thing ("the Wednesday clinic"); "the same day" stands for
    the date written before it."""
    out: list[tuple[int, int, DateValue]] = []
    doc = scan.doc
    for dv in sorted(dates, key=lambda d: d.start):
        if dv.start >= len(text) or dv.end > len(text) or dv.end <= dv.start:
            continue
        s, e = scan.tok_at(dv.start), scan.tok_at(dv.end - 1) + 1
        prev = doc[s - 1].norm_ if s > 0 else ""
        if prev in st.date_skip_before:
            continue
        if s > 1 and doc[s - 2].norm_ in st.date_skip_before and prev in ("the", "on", "of"):
            continue
        if prev == "the" and doc[s].norm_ in st.attributive_dates and e - s == 1:
            continue
        # "as agreed yesterday", "booked with mum last week": when it was arranged; a
        # future one is still the date the contact is planned for
        back = []
        for i in range(s - 1, max(-1, s - 5), -1):
            if doc[i].is_punct:
                break
            back.insert(0, doc[i].norm_)
        if any(w in st.arrangement_words or " ".join(back[k:k + 2]) in st.arrangement_words
               for k, w in enumerate(back)) and \
                not _is_future(dv, ref):
            arranged.append(dv)
        out.append((s, e, dv))
    for h in anaphors:
        before = [dv for _s, _e, dv in out if dv.end <= h.start_char]
        if before:
            ref = before[-1]
            out.append((h.start, h.end, replace(ref, start=h.start_char, end=h.end_char,
                                                text=text[h.start_char:h.end_char])))
    out.sort(key=lambda t: t[0])
    return out


def _header_planned(note: Note, rules: EventRules) -> bool | None:
    if not note.note_type_raw:
        return None
    doc = rules.tokenizer(note.note_type_raw)
    found = [h.cue.fields["planned"] for h in rules.hits(doc) if h.cue.layer == "planned"]
    return found[-1] if found else None


def _compatible(slot: _Slot, kind: str, meeting_type: str | None) -> bool:
    if slot.kind != kind:
        return False
    if kind != "meeting":
        return True
    return meeting_type in (None, "other") or slot.meeting_type in (None, "other") or \
        slot.meeting_type == meeting_type


def extract_events(note: Note, doc: Any, passages: list[Passage], dates: list[DateValue],
                   rules: EventRules) -> list[Event]:
    """Every event a note records: the header's contact and those the text describes.

    ``doc`` is the segmenter's Doc (kept for callers with a parse; cues are matched on
    the rules' own tokenisation so results do not depend on the model). ``dates`` are
    the note's :func:`analyser.annotate.dates.find_dates` values. Events come back in
    text order with ``event_id`` empty: the pipeline numbers them.
    """
    st = rules.settings
    text = note.text
    header_kind = note.note_type
    if not text.strip():
        h = header_event(note, passages)
        return [h] if h is not None else []
    scan = _NoteScan(text, passages, rules)
    by_layer: dict[str, list[Hit]] = defaultdict(list)
    for h in scan.hits:
        by_layer[h.cue.layer].append(h)
    blocks = _live_blockers(scan.hits)

    arranged: list[DateValue] = []
    tdates = _text_dates(text, dates, scan, by_layer["anaphor"], st, note.date, arranged)

    # mentions: triggers, status cues and sinks
    mentions: list[_Mention] = []
    stops: dict[int, list[Hit]] = {}
    for h in by_layer["trigger"] + by_layer["status"] + by_layer["sink"]:
        f = h.cue.fields
        kind = f.get("kind")
        if kind == VISIT:
            kind = header_kind if header_kind in SEEN_KINDS else "home_visit"
        m = _Mention(h, kind, f.get("meeting_type"), f.get("strength", "strong"),
                     scan.sent[h.start], scan.clause[h.start])
        if kind is None:
            m.valid = False
        else:
            m.definite, m.anchor_only = _definite(m, scan, st)
            if f.get("verb"):  # "The HV visited": a subject's article, not a reference
                m.definite = False
            stops[id(m)] = _blockers(h, h.cue.layer, kind, blocks, scan)
            if m.anchor_only or \
                    _party(m, scan, by_layer["counterpart"], st, note.agency) != "family":
                m.valid = False
        mentions.append(m)
    mentions.sort(key=lambda m: (m.hit.start, m.hit.end))

    # each date goes to the nearest mention of its clause
    owner: dict[int, tuple[float, int]] = {}
    for mi, m in enumerate(mentions):
        for cost, k in _date_for(m, tdates, scan, st):
            if k not in owner or cost < owner[k][0]:
                owner[k] = (cost, mi)
    for k, (cost, mi) in owner.items():
        m = mentions[mi]
        if m.date is None or cost < m.date_cost:
            m.date, m.date_cost = tdates[k][2], cost

    def not_future(m: _Mention) -> bool:
        dv = m.date
        return dv is not None and not _is_future(dv, note.date)

    # something recorded as done at a meeting ("CIN plan agreed at the initial CIN meeting")
    done_at = {m.clause for m in mentions if m.kind in _DONE_AT and m.valid
               and not stops.get(id(m))}
    for m in mentions:
        if not m.valid:
            continue
        left = [b for b in stops.get(id(m), [])
                if not (b.cue.fields["unless_done_at"] and m.clause in done_at)
                and not (b.cue.fields["dated_ok"] and m.hit.cue.layer == "status"
                         and not_future(m))]
        if left:
            m.valid = False

    def own_date(m: _Mention) -> DateValue | None:
        """The mention's text date when it differs from the header's day, else None;
        marks the mention invalid when the date is in the future or long past."""
        dv = m.date
        if dv is None:
            return None
        if m.kind not in ("phone_call", "letter") and any(dv is a for a in arranged):
            return None  # the day it was arranged (by phone or letter), not the day itself
        ref = note.date
        if _is_future(dv, ref):
            far = ref is not None and (dv.date - ref).days > 2 * st.history_days
            if m.kind in ("phone_call", "letter") or far:
                # "letter posted inviting her on 12/02"; a year-less date read as next year
                m.date = None
                return None
            m.valid = False
            return None
        if ref is not None and (ref - dv.date).days > st.history_days:
            m.valid = False
            return None
        if ref is not None and dv.date == ref and dv.precision == "day":
            return None
        return dv

    texts = {id(m): own_date(m) for m in mentions if m.valid}
    for m in mentions:
        if m.valid and texts.get(id(m)) is None and m.hit.cue.get("inherit_date"):
            donors = [o for o in mentions if o.valid and o is not m and o.sent == m.sent
                      and texts.get(id(o)) is not None]
            if donors:
                donor = min(donors, key=lambda o: abs(o.hit.start - m.hit.start))
                texts[id(m)] = donor.date
                m.date = donor.date

    outcome_clauses = {scan.clause[h.start] for h in by_layer["outcome"]
                       if not _inside_blocker(h, blocks)}
    slots: list[_Slot] = []
    header: _Slot | None = None
    if header_kind is not None:
        header = _Slot(header_kind, note.meeting_type, note.date, None,
                       "day" if note.date else None, "header", None, 0, header=True)
        slots.append(header)

    def new_slot(m: _Mention, dv: DateValue | None) -> _Slot:
        if dv is None:
            s = _Slot(m.kind or "other", m.meeting_type, note.date, None,
                      "day" if note.date else None, "header", None, len(slots))
        else:
            s = _Slot(m.kind or "other", m.meeting_type, dv.date, dv.date_end, dv.precision,
                      "text", dv.text, len(slots))
        slots.append(s)
        return s

    for m in mentions:
        if not m.valid:
            continue
        dv = texts.get(id(m))
        kind = m.kind or "other"
        # something recorded as done at it ("CIN plan agreed at the initial CIN meeting")
        same_clause_trigger = m.clause in done_at and m.kind not in _DONE_AT
        happened = m.clause in outcome_clauses or same_clause_trigger
        target: _Slot | None = None
        if m.strength == "reference_only" and (dv is not None or not m.definite):
            m.valid = False
            continue
        if m.strength == "weak" and m.date is None:
            m.valid = False  # "arranged by phone": a contact only when the clause dates it
            continue
        if m.hit.cue.get("new_contact"):  # "we went back at 4.45pm"
            target = new_slot(m, dv)
        elif dv is not None:
            if m.definite and not happened and m.strength == "strong":
                m.valid = False
                continue
            target = next((s for s in slots if _compatible(s, kind, m.meeting_type)
                           and s.date == dv.date and s.precision == dv.precision), None)
            if target is None:
                target = new_slot(m, dv)
        else:
            pool = [s for s in slots if _compatible(s, kind, m.meeting_type)]
            if kind in st.narrative_kinds:  # the one just told about, else the note's own
                told = [s for s in pool if s.mentions]
                pool = told or [s for s in pool if s.source == "header"]
            else:
                pool = [s for s in pool if s.source == "header"]
            if pool:
                target = max(pool, key=lambda s: (s.mentions[-1].hit.start if s.mentions
                                                  else -1, s.order))
            elif m.strength == "reference_only" or (m.definite and not happened):
                m.valid = False
                continue
            else:
                target = new_slot(m, None)
        if kind == "meeting" and target.meeting_type in (None, "other") and m.meeting_type:
            target.meeting_type = m.meeting_type
        if m.hit.cue.get("child_seen") is not None:
            target.default_seen = m.hit.cue.get("child_seen")
        m.slot = target
        target.mentions.append(m)
        target.passages.add(m.sent)

    # the header's contact described only with a date of its own ("I visited on Monday")
    if header is not None and not header.mentions:
        dated = [s for s in slots if not s.header and s.kind == header.kind
                 and s.source == "text" and _compatible(s, header.kind, header.meeting_type)]
        if len(dated) == 1:
            slots.remove(header)
            header = None
    # a call note whose only calls are with professionals records no contact
    if header is not None and header.kind == "phone_call" and not header.mentions:
        calls = [m for m in mentions if m.kind == "phone_call" and m.hit.cue.layer == "trigger"
                 and m.hit.cue.get("strength") == "strong"]
        if calls and not any(m.valid for m in calls):
            slots.remove(header)
            header = None

    _attach_attributes(note, scan, mentions, slots, header, by_layer, blocks, tdates, rules)
    return _events(note, scan, slots, header, rules)


def _attach_attributes(note: Note, scan: _NoteScan, mentions: list[_Mention],
                       slots: list[_Slot], header: _Slot | None,
                       by_layer: Mapping[str, list[Hit]], blocks: list[Hit],
                       tdates: Sequence[tuple[int, int, DateValue]], rules: EventRules) -> None:
    """Give each outcome, planned and child-seen cue to the contact it is about: the
    nearest applicable mention in its sentence (its own clause first) unless a word that
    is not an event is its object; else the contact being described (the last one
    named); else the note's most recent applicable event; a failed visit told without
    naming it ("No answer. Card left.") makes one."""
    attrs = sorted(by_layer["outcome"] + by_layer["planned"] + by_layer["seen"],
                   key=lambda h: (h.start, h.end))
    by_sent: dict[int, list[_Mention]] = defaultdict(list)
    for m in mentions:
        if not m.anchor_only:
            by_sent[m.sent].append(m)
    current = header
    last_sent = -1
    created: list[_Slot] = []

    def applicable(h: Hit, kind: str | None) -> bool:
        if kind is None:
            return True  # a sink absorbs what is said about it
        layer = h.cue.layer
        if layer == "outcome":
            return kind in h.cue.fields["applies_to"]
        if layer == "planned":
            return kind in CONTACT_KINDS
        return kind in SEEN_KINDS or kind == "other"

    def advance(to_sent: int) -> None:
        nonlocal current, last_sent
        for s in range(last_sent + 1, to_sent):
            valid = [m for m in by_sent.get(s, []) if m.valid and m.slot is not None
                     and m.slot.kind in CONTACT_KINDS + ("other",)]
            if valid:
                current = valid[-1].slot
        last_sent = max(last_sent, to_sent - 1)

    for h in attrs:
        sent = scan.sent[h.start]
        advance(sent)
        if _inside_blocker(h, blocks):
            continue
        if _blocked(h, h.cue.layer, None, [b for b in blocks if not b.cue.fields["kinds"]],
                    scan):
            continue
        here = [m for m in by_sent.get(sent, []) if applicable(h, m.kind)
                and not (m.hit.start < h.end and m.hit.end > h.start and not m.valid)]

        def dist(m: _Mention, h: Hit = h) -> int:
            return min(abs(m.hit.start - h.end), abs(h.start - m.hit.end))

        clause_no = scan.clause[h.start]
        valid = [m for m in here if m.valid and m.slot is not None]
        # the nearest valid mention, its own clause first
        best = min(valid, key=lambda m: (m.clause != clause_no, dist(m)), default=None)
        # words that are not an event absorb what is said about them when they are its
        # object ("cancelled the hair strand appointment", "did not attend her GP appt")
        absorber = min((m for m in here if not (m.valid and m.slot is not None)
                        and m.clause == clause_no and _object_of(h, m, scan, rules.settings)),
                       key=dist, default=None)
        if absorber is not None and (best is None or dist(absorber) < dist(best)):
            continue
        target: _Slot | None = best.slot if best is not None else None
        if target is None:
            cands = [s for s in slots if applicable(h, s.kind)]
            if current is not None and current in slots and applicable(h, current.kind):
                target = current
            elif cands:
                target = max(cands, key=lambda s: (
                    max((m.hit.start for m in s.mentions if m.hit.start <= h.start), default=-1),
                    s.header))
            elif h.cue.layer == "outcome" and h.cue.fields.get("implies") and \
                    not by_sent.get(sent):
                target = _implied(note, scan, h, slots, created, tdates)
        if target is None:
            continue
        target.passages.add(sent)
        f = h.cue.fields
        if h.cue.layer == "outcome":
            target.outcomes.append((h.start, f["outcome"]))
        elif h.cue.layer == "planned":
            target.planned.append((h.start, f["planned"]))
        else:
            if "child_seen" in f:
                target.seen.append(f["child_seen"])
            if "child_seen_alone" in f:
                target.alone.append(f["child_seen_alone"])
                if f["child_seen_alone"]:
                    target.seen.append(True)


def _object_of(h: Hit, m: _Mention, scan: _NoteScan, st: EventSettings) -> bool:
    """``m`` follows cue ``h`` closely, with no conjunction or comma between."""
    if m.hit.start < h.end or m.hit.start - h.end > st.absorb_window:
        return False
    return not any(scan.doc[i].norm_ in (",", "and", "but", "or", ";")
                   for i in range(h.end, m.hit.start))


def _implied(note: Note, scan: _NoteScan, h: Hit, slots: list[_Slot], created: list[_Slot],
             tdates: Sequence[tuple[int, int, DateValue]]) -> _Slot | None:
    """A failed visit told without naming it ("No answer at the door; card left.")."""
    kind = h.cue.fields["implies"]
    for s in created:
        if s.kind == kind:
            return s
    sent = scan.sent[h.start]
    dv = next((d for s, _e, d in tdates if scan.sent[s] == sent), None)
    if dv is not None and _is_future(dv, note.date):
        return None
    if dv is not None and note.date and dv.date == note.date and dv.precision == "day":
        dv = None
    if dv is None:
        slot = _Slot(kind, None, note.date, None, "day" if note.date else None, "header",
                     None, len(slots))
    else:
        slot = _Slot(kind, None, dv.date, dv.date_end, dv.precision, "text", dv.text,
                     len(slots))
    slots.append(slot)
    created.append(slot)
    return slot


def _resolve(slot: _Slot, header_planned: bool | None, st: EventSettings
             ) -> tuple[str | None, bool | None, bool | None, bool | None]:
    kind = slot.kind
    outcomes = [o for _, o in sorted(slot.outcomes)]
    attended = ATTENDED in outcomes
    if ENTERED in outcomes:  # got in, then told to leave: cut short, not refused entry
        outcomes = ["cut_short" if o == "refused_entry" else o for o in outcomes]
    no_family = kind == "meeting" and slot.meeting_type in st.professional_meetings
    fails = [o for o in outcomes if o in OUTCOMES and o != "completed"
             and not ((attended or no_family) and o == "did_not_attend")]
    if fails:  # the strongest failure the note records
        outcome: str | None = min(fails, key=st.outcome_priority.index)
    elif kind in CONTACT_KINDS or slot.default_seen is not None:
        outcome = "completed"
    else:
        outcome = None
    planned_vals = [v for _, v in sorted(slot.planned)]
    if slot.header and header_planned is not None:
        planned_vals.append(header_planned)
    # "unannounced" is said on purpose; "planned" may be about other visits
    planned = False if False in planned_vals else (True if planned_vals else None)
    if kind not in SEEN_KINDS and slot.default_seen is None:
        return outcome, planned, None, None
    if outcome in st.failed_outcomes:
        return outcome, planned, False, (False if kind in SEEN_KINDS else None)
    seen = True if True in slot.seen else (False if False in slot.seen else slot.default_seen)
    if kind not in SEEN_KINDS:
        return outcome, planned, seen, (True if True in slot.alone else None)
    if seen is None and slot.alone:
        seen = True if True in slot.alone else None
    if seen is False:
        alone: bool | None = False
    elif True in slot.alone:
        alone = True
    elif seen or False in slot.alone:
        alone = False
    else:
        alone = None
    return outcome, planned, seen, alone


def _summary(slot: _Slot, outcome: str | None, planned: bool | None, seen: bool | None,
             alone: bool | None, st: EventSettings) -> str:
    what = st.kind_labels[slot.kind]
    if slot.kind == "meeting" and slot.meeting_type:
        what = st.meeting_labels[slot.meeting_type]
    if planned is True and slot.kind in SEEN_KINDS:
        what = "Planned " + what[:1].lower() + what[1:]
    elif planned is False:
        what = "Unannounced " + what[:1].lower() + what[1:]
    parts = [what]
    if outcome and outcome != "completed":
        parts.append(st.outcome_labels[outcome])
    if alone:
        parts.append("child seen alone")
    elif seen:
        parts.append("child seen, not alone")
    elif seen is False and outcome in (None, "completed", "cut_short"):
        parts.append("child not seen")
    return ", ".join(parts) + "."


def _evidence(slot: _Slot, scan: _NoteScan, note: Note, st: EventSettings) -> Span:
    """The sentence that names the event, grown to the sentences that set its outcome and
    child-seen values while it stays short; ``note.text[start:end] == text``."""
    spans = scan.passage_spans
    text = note.text
    if slot.mentions:
        first = slot.mentions[0].sent
    elif slot.passages:
        first = min(slot.passages)
    else:
        first = 0
    a, b = spans[first]
    for p in sorted(slot.passages):
        pa, pb = spans[p]
        if max(b, pb) - min(a, pa) <= st.max_evidence_chars:
            a, b = min(a, pa), max(b, pb)
    return Span(a, b, text[a:b])


def _events(note: Note, scan: _NoteScan, slots: list[_Slot], header: _Slot | None,
            rules: EventRules) -> list[Event]:
    st = rules.settings
    header_planned = _header_planned(note, rules) if header is not None else None
    out: list[tuple[int, int, Event]] = []
    for slot in slots:
        outcome, planned, seen, alone = _resolve(slot, header_planned, st)
        ev = _evidence(slot, scan, note, st)
        out.append((ev.start, slot.order, Event(
            event_id="", note_id=note.note_id, kind=slot.kind, outcome=outcome,
            planned=planned, child_seen=seen, child_seen_alone=alone,
            meeting_type=slot.meeting_type if slot.kind == "meeting" else None,
            date=slot.date, date_end=slot.date_end, date_precision=slot.precision,
            date_source=slot.source, date_text=slot.date_text,
            summary=_summary(slot, outcome, planned, seen, alone, st), evidence=ev,
            agency=note.agency,
        )))
    out.sort(key=lambda t: (t[0], t[1]))
    return [e for _, _, e in out]


def cue_hits(text: str, rules: EventRules, layers: Iterable[str] | None = None) -> list[Hit]:
    """Cue matches in ``text`` (one sentence), for tests and for re-reading evidence."""
    wanted = set(layers) if layers is not None else None
    return [h for h in rules.hits(rules.tokenizer(text))
            if wanted is None or h.cue.layer in wanted]


@dataclass(frozen=True)
class StatusMention:
    """A status cue in a text: ``affirmed`` (nothing stops it), ``standing`` (the status
    the case already has: "remain subject to CP plans", "open as CIN since June")."""

    start: int
    end: int
    status: str
    affirmed: bool
    standing: bool


def status_mentions(text: str, rules: EventRules) -> list[StatusMention]:
    """Every status cue in ``text``, in text order, with what stops it."""
    doc = rules.tokenizer(text)
    scan_hits = rules.hits(doc)
    blocks = _live_blockers(scan_hits)

    class _Flat:  # one sentence, clauses split as in extraction
        def __init__(self) -> None:
            st = rules.settings
            self.doc = doc
            self.sent = [0] * len(doc)
            cur, clause = 0, []
            for i, tok in enumerate(doc):
                if tok.norm_ in st.clause_breaks or (tok.norm_ in st.spaced_breaks and i > 0
                                                     and doc[i - 1].whitespace_):
                    cur += 1
                clause.append(cur)
            self.clause = clause

    flat = _Flat()
    out = []
    for h in scan_hits:
        if h.cue.layer != "status":
            continue
        stops = _blockers(h, "status", "status_change", blocks, flat)  # type: ignore[arg-type]
        out.append(StatusMention(h.start_char, h.end_char, h.cue.fields["status"], not stops,
                                 bool(stops) and all(b.cue.fields["kinds"] for b in stops)))
    return out


# ----------------------------------------------------------------- header-only event

def header_event(note: Note, passages: list[Passage]) -> Event | None:
    """The event a note's header names, dated by the header, with nothing read from the
    text (the fallback when a note has no text): evidence is the first sentence."""
    if note.note_type is None:
        return None
    first = passages[0] if passages else None
    evidence = Span(first.start, first.end, first.text) if first else Span(0, 0, "")
    return Event(
        event_id="", note_id=note.note_id, kind=note.note_type, outcome=None, planned=None,
        child_seen=None, child_seen_alone=None, meeting_type=note.meeting_type,
        date=note.date, date_end=None, date_precision="day" if note.date else None,
        date_source="header", date_text=None,
        summary=(_HEADER_SUMMARY.get(note.meeting_type or "", "Meeting")
                 if note.note_type == "meeting" else _HEADER_SUMMARY[note.note_type]) + ".",
        evidence=evidence, agency=note.agency,
    )


_HEADER_SUMMARY = {
    "home_visit": "Home visit", "office_visit": "Office / clinic visit",
    "phone_call": "Phone call", "letter": "Letter to family", "meeting": "Meeting",
    "referral": "Referral", "incident": "Incident", "complaint": "Complaint", "move": "Move",
    "allocation": "Worker allocated", "status_change": "Status change", "other": "Event",
    "strategy": "Strategy meeting", "icpc": "Initial child protection conference",
    "rcpc": "Review child protection conference", "core_group": "Core group",
    "cin_review": "CIN review", "network": "Network / professionals meeting",
    "lac_review": "LAC review", "legal_planning": "Legal planning meeting",
}
