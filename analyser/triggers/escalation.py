"""The non-engagement escalation ladder of guidance 002 appendix 1.

For a case with non-engagement flags, report which path applies (child in need or child
protection), which of its steps the record shows and which step is next. Steps are found
from events (letters, meetings by type) and from cue phrases in the note text, kept in
``lexicons/escalation/<signal>.yaml`` ("discussed with my manager", "conference chair
informed", "consulted the CPO" ...). Words that make a cue a plan, a condition or a
negation ("agreed to consult the CPO if ...", "will discuss with my manager") are kept in
``lexicons/escalation/_blockers.yaml`` and stop it counting.
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from ..errors import LexiconError
from ..lexicon import check_keys, compile_regex, expand_all, load_yaml
from ..model import Flag
from .checks import EventFilter
from .context import CaseContext
from .schema import Vocab

if TYPE_CHECKING:
    from .policy import Policy

_ID = re.compile(r"[a-z][a-z0-9_]*\.[a-z0-9_]+\.v\d+")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[\w'’()]+")


@dc.dataclass(frozen=True)
class LadderStep:
    """One rung: found from matching events and/or cue signals, optionally only after (on or
    after the first evidence of) or before another step of the same path."""

    step: int
    label: str
    events: tuple[EventFilter, ...] = ()
    cues: Annotated[tuple[str, ...], Vocab("signals")] = ()
    after_step: int | None = None
    before_step: int | None = None

    def validate(self) -> str | None:
        if not self.events and not self.cues:
            return f"step {self.step} needs events or cues"
        return None


@dc.dataclass(frozen=True)
class CueEntry:
    id: str
    signal: str
    file: str
    pattern: re.Pattern[str]
    examples: Mapping[str, tuple[str, ...]]


@dc.dataclass(frozen=True)
class Blockers:
    """Words near a cue that make it a plan, condition or negation."""

    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    window_words: int
    file: str = ""


@dc.dataclass(frozen=True)
class CueSet:
    signal: str
    file: str
    description: str
    entries: tuple[CueEntry, ...]
    blockers: Blockers

    def find(self, text: str) -> list[tuple[CueEntry, int, int]]:
        """Unblocked matches of this signal in ``text``: (entry, start, end)."""
        out = []
        for entry in self.entries:
            for m in entry.pattern.finditer(text):
                if not _blocked(text, m.start(), m.end(), self.blockers):
                    out.append((entry, m.start(), m.end()))
        return sorted(out, key=lambda t: (t[1], t[2], t[0].id))


def _blocked(text: str, start: int, end: int, b: Blockers) -> bool:
    """True when blocker words sit within ``window_words`` of the match in its sentence."""
    left = _SENTENCE_END.split(text[:start])[-1]
    right = _SENTENCE_END.split(text[end:])[0]
    before = " ".join(_WORD.findall(left)[-b.window_words:]) if b.window_words else ""
    after = " ".join(_WORD.findall(right)[: b.window_words]) if b.window_words else ""
    return bool((b.before and b.before.search(before)) or (b.after and b.after.search(after)))


def _phrase_regex(phrases: Iterable[str]) -> str:
    alts = sorted({r"\s+".join(re.escape(w) for w in p.split()) for p in phrases}, key=lambda s: (-len(s), s))
    return r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)"


def _regex_list(raw: Any, file: str, entry: str, key: str) -> re.Pattern[str] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise LexiconError(file, f"{key} must be a non-empty list of regular expressions", entry)
    for r in raw:
        compile_regex(r, file=file, entry=entry)
    return compile_regex("|".join(f"(?:{r})" for r in raw), file=file, entry=entry)


def load_blockers(path: Path) -> Blockers:
    file = str(path)
    data = check_keys(load_yaml(path), file=file, entry=None, required=("window_words",),
                      optional=("before", "after", "description"))
    win = data["window_words"]
    if isinstance(win, bool) or not isinstance(win, int) or not 0 <= win <= 30:
        raise LexiconError(file, f"window_words must be an integer 0..30, got {win!r}", "window_words")
    return Blockers(before=_regex_list(data.get("before"), file, "before", "before"),
                    after=_regex_list(data.get("after"), file, "after", "after"), window_words=win, file=file)


def load_cues(folder: Path) -> dict[str, CueSet]:
    """Every ``<signal>.yaml`` in ``folder`` (``_blockers.yaml`` holds the shared blockers)."""
    if not folder.is_dir():
        raise LexiconError(str(folder), "escalation cue folder not found")
    blockers_path = folder / "_blockers.yaml"
    if not blockers_path.is_file():
        raise LexiconError(str(blockers_path), "file not found")
    blockers = load_blockers(blockers_path)
    out: dict[str, CueSet] = {}
    seen_ids: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        file = str(path)
        data = check_keys(load_yaml(path), file=file, entry=None, required=("signal", "entries"),
                          optional=("description",))
        signal = data["signal"]
        if signal != path.stem:
            raise LexiconError(file, f"signal {signal!r} must match the file name {path.stem!r}", "signal")
        rows = data["entries"]
        if not isinstance(rows, list) or not rows:
            raise LexiconError(file, "entries must be a non-empty list")
        entries = []
        for row in rows:
            ident = row.get("id") if isinstance(row, Mapping) else None
            check_keys(row, file=file, entry=ident, required=("id", "examples"),
                       optional=("phrases", "regex", "note"))
            if not isinstance(ident, str) or not _ID.fullmatch(ident) or not ident.startswith(signal + "."):
                raise LexiconError(file, f"cue id must look like {signal}.<name>.v<N>, got {ident!r}", str(ident))
            if ident in seen_ids:
                raise LexiconError(file, "duplicate cue id", ident)
            seen_ids.add(ident)
            if "phrases" not in row and "regex" not in row:
                raise LexiconError(file, "a cue needs phrases or regex", ident)
            parts = []
            if "phrases" in row:
                parts.append(_phrase_regex(expand_all(row["phrases"], {}, file=file, entry=ident, key="phrases")))
            if "regex" in row:
                rx = _regex_list(row["regex"], file, ident, "regex")
                assert rx is not None
                parts.append(rx.pattern)
            pattern = compile_regex("|".join(f"(?:{p})" for p in parts), file=file, entry=ident)
            ex = check_keys(row["examples"], file=file, entry=ident, required=("match",), optional=("no_match",))
            examples: dict[str, tuple[str, ...]] = {}
            for kind, items in ex.items():
                if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items) or not items:
                    raise LexiconError(file, f"examples.{kind} must be a non-empty list of strings", ident)
                examples[kind] = tuple(items)
            entries.append(CueEntry(ident, signal, file, pattern, examples))
        out[signal] = CueSet(signal, file, str(data.get("description") or ""), tuple(entries), blockers)
    if not out:
        raise LexiconError(str(folder), "no escalation cue files found")
    return out


# --- the ladder for one case ---------------------------------------------------------------

@dc.dataclass(frozen=True)
class _Evidence:
    date: dt.date
    ids: tuple[str, ...]


def build_escalation(ctx: CaseContext, flags: list[Flag], policy: Policy) -> dict[str, Any] | None:
    """The escalation block of the analysis JSON, or None when no non-engagement flag."""
    cfg = policy.escalation
    relevant = [f for f in flags if f.rule in cfg.rules]
    if not relevant:
        return None

    def path_of(status: str) -> str:
        return "CP" if status in cfg.cp_statuses else "CIN"

    path = path_of(relevant[-1].status)
    start = relevant[-1].date
    for f in reversed(relevant):
        if path_of(f.status) != path:
            break
        start = f.date
    since = start - dt.timedelta(days=cfg.lookback_days)
    steps = cfg.paths[path]
    found: dict[int, list[_Evidence]] = {}
    signal_hits = _signals(ctx, policy, since)
    for s in steps:
        ev: list[_Evidence] = []
        for e in ctx.events:
            if e.date >= since and any(f.matches(e) for f in s.events):
                ev.append(_Evidence(e.date, (e.event_id,)))
        for sig in s.cues:
            ev.extend(signal_hits.get(sig, []))
        found[s.step] = sorted(ev, key=lambda x: (x.date, x.ids))
    # constraints relative to another (unconstrained) step's first evidence
    first = {n: ev[0].date for n, ev in found.items() if ev}
    for s in steps:
        if s.after_step is not None and s.after_step in first:
            found[s.step] = [e for e in found[s.step] if e.date >= first[s.after_step]]
        if s.after_step is not None and s.after_step not in first:
            found[s.step] = []
        if s.before_step is not None and s.before_step in first:
            found[s.step] = [e for e in found[s.step] if e.date < first[s.before_step]]
    recorded = [s.step for s in steps if found[s.step]]
    if cfg.next_step == "first_missing":
        missing = [s.step for s in steps if s.step not in recorded]
        nxt = missing[0] if missing else None
    else:
        top = max(recorded, default=0)
        nxt = top + 1 if top < len(steps) else None
    out_steps = []
    for s in steps:
        ev = found[s.step]
        out_steps.append({
            "step": s.step, "label": s.label, "recorded": bool(ev),
            "evidence": list(dict.fromkeys(i for e in ev for i in e.ids)),
            "date": ev[0].date.isoformat() if ev else None,
        })
    return {"path": path, "from": start.isoformat(), "steps_recorded": recorded, "next_step": nxt,
            "steps": out_steps}


def _signals(ctx: CaseContext, policy: Policy, since: dt.date) -> dict[str, list[_Evidence]]:
    out: dict[str, list[_Evidence]] = {}
    for note in ctx.notes:
        if note.date is None or note.date < since:
            continue
        for sig, cues in policy.cues.items():
            if cues.find(note.text):
                out.setdefault(sig, []).append(_Evidence(note.date, (note.note_id,)))
    return out

