"""Scoring predicted analysis JSON against gold annotations (shared/spec/formats.md, end).

- Notes: predicted notes in source order are aligned with the gold notes (an
  order-keeping alignment that maximises matching dates); note-date recall = gold notes
  whose date is matched / gold notes.
- Events: a gold event matches an unused predicted event with the same date and kind,
  preferring one with the same outcome; P/R/F1 on (date, kind) and (date, kind, outcome);
  child_seen / child_seen_alone accuracy on matched pairs whose gold value is not null.
- Tags: affirmed predicted tags only. A gold (sentence, label) is found when an affirmed
  tag with that label overlaps the sentence's span; an affirmed tag overlapping no gold
  sentence with its label is a false positive (overlapping ones of a label count once).
  Micro and macro F1 over the 14 main labels; secondary families separately; the share of
  gold negatives overlapped by any affirmed tag.
- Flags: a gold flag matches an unused predicted flag with the same rule and a date within
  3 days; P/R/F1 per rule and overall.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAIN_LABELS = (
    "ambivalence", "avoidance", "denial", "disguised_compliance", "non_compliance",
    "unresponsiveness", "selective_engagement", "misinforming", "refusal", "migration",
    "confrontation", "hostility", "vexatious_complaints", "pleasing",
)
FLAG_WINDOW_DAYS = 3


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_json(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"right": self.right, "total": self.total, "accuracy": round(self.value, 4)}


@dataclass
class Scores:
    cases: int = 0
    missing_predictions: list[str] = field(default_factory=list)
    note_dates: Accuracy = field(default_factory=Accuracy)
    events_dk: PRF = field(default_factory=PRF)
    events_dko: PRF = field(default_factory=PRF)
    child_seen: Accuracy = field(default_factory=Accuracy)
    child_seen_alone: Accuracy = field(default_factory=Accuracy)
    labels: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    negatives: Accuracy = field(default_factory=Accuracy)  # right = negatives overlapped
    flags: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))

    def label_summary(self, labels: tuple[str, ...] | None) -> tuple[PRF, float]:
        """(micro PRF, macro F1) over ``labels`` (None = every label not in MAIN_LABELS)."""
        chosen = [k for k in sorted(self.labels) if (k in labels if labels else k not in MAIN_LABELS)]
        micro = PRF()
        f1s = []
        for k in chosen:
            micro.add(self.labels[k])
            if self.labels[k].tp + self.labels[k].fn + self.labels[k].fp:
                f1s.append(self.labels[k].f1)
        return micro, (sum(f1s) / len(f1s) if f1s else 0.0)

    def flags_total(self) -> PRF:
        total = PRF()
        for v in self.flags.values():
            total.add(v)
        return total

    def to_json(self) -> dict[str, Any]:
        main_micro, main_macro = self.label_summary(MAIN_LABELS)
        sec_micro, sec_macro = self.label_summary(None)
        return {
            "cases": self.cases,
            "missing_predictions": self.missing_predictions,
            "notes": {"date_recall": self.note_dates.to_json()},
            "events": {"date_kind": self.events_dk.to_json(),
                       "date_kind_outcome": self.events_dko.to_json(),
                       "child_seen": self.child_seen.to_json(),
                       "child_seen_alone": self.child_seen_alone.to_json()},
            "tags": {"main_micro": main_micro.to_json(), "main_macro_f1": round(main_macro, 4),
                     "secondary_micro": sec_micro.to_json(),
                     "secondary_macro_f1": round(sec_macro, 4),
                     "per_label": {k: v.to_json() for k, v in sorted(self.labels.items())},
                     "negatives_affirmed": self.negatives.to_json()},
            "flags": {"overall": self.flags_total().to_json(),
                      "per_rule": {k: v.to_json() for k, v in sorted(self.flags.items())}},
        }


# ---- loading ---------------------------------------------------------------------------
def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    files = [gold_dir] if gold_dir.is_file() else sorted(
        p for p in gold_dir.rglob("*.json") if p.name.lower().startswith("gold"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in files]


def load_predictions(pred_dir: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for p in sorted(pred_dir.rglob("*.json")):
        if p.name.lower().startswith("gold"):
            continue
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        if isinstance(doc, dict) and "schema_version" in doc and "case_id" in doc:
            out[str(doc["case_id"])] = doc
    return out


# ---- scoring ---------------------------------------------------------------------------
def evaluate(gold_docs: list[dict[str, Any]], preds: dict[str, dict[str, Any]]) -> Scores:
    s = Scores()
    for gold in sorted(gold_docs, key=lambda g: str(g.get("case_id"))):
        s.cases += 1
        pred = preds.get(str(gold.get("case_id")))
        if pred is None:
            s.missing_predictions.append(str(gold.get("case_id")))
            pred = {"notes": [], "events": [], "tags": [], "flags": []}
        score_case(gold, pred, s)
    return s


def score_case(gold: dict[str, Any], pred: dict[str, Any], s: Scores) -> None:
    gnotes = sorted(gold.get("notes", []), key=lambda n: n["index"])
    pnotes = pred.get("notes", [])
    pairs = align_notes([n.get("date") for n in gnotes], [n.get("date") for n in pnotes])
    note_map: dict[int, dict[str, Any]] = {}
    for gi, pi in pairs:
        note_map[gnotes[gi]["index"]] = pnotes[pi]
        if gnotes[gi].get("date") == pnotes[pi].get("date"):
            s.note_dates.right += 1
    s.note_dates.total += len(gnotes)
    _score_events(gold.get("events", []), pred.get("events", []), s)
    _score_tags(gold, pred, note_map, s)
    _score_flags(gold.get("flags", []), pred.get("flags", []), s)


def align_notes(gold_dates: list[Any], pred_dates: list[Any]) -> list[tuple[int, int]]:
    """Order-keeping alignment maximising equal dates (ties: pair positions anyway, so a
    note with a wrong date still lines up with its neighbour)."""
    n, m = len(gold_dates), len(pred_dates)
    if not n or not m:
        return []
    # score: 2 for equal dates, 1 for an aligned pair with different dates
    dp = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, nxt = dp[i], dp[i + 1]
        gd = gold_dates[i]
        for j in range(m - 1, -1, -1):
            pair = nxt[j + 1] + (2 if gd is not None and gd == pred_dates[j] else 1)
            row[j] = max(pair, nxt[j], row[j + 1])
    out = []
    i = j = 0
    while i < n and j < m:
        gain = 2 if gold_dates[i] is not None and gold_dates[i] == pred_dates[j] else 1
        if dp[i][j] == dp[i + 1][j + 1] + gain:
            out.append((i, j))
            i += 1
            j += 1
        elif dp[i][j] == dp[i + 1][j]:
            i += 1
        else:
            j += 1
    return out


def _score_events(gold: list[dict], pred: list[dict], s: Scores) -> None:
    used: set[int] = set()
    matched = 0
    for g in gold:
        cands = [i for i, p in enumerate(pred) if i not in used and p.get("date") == g.get("date")
                 and p.get("kind") == g.get("kind")]
        if not cands:
            continue
        best = next((i for i in cands if pred[i].get("outcome") == g.get("outcome")), cands[0])
        used.add(best)
        matched += 1
        for key, acc in (("child_seen", s.child_seen), ("child_seen_alone", s.child_seen_alone)):
            if g.get(key) is not None:
                acc.total += 1
                acc.right += int(pred[best].get(key) == g.get(key))
    s.events_dk.add(PRF(matched, len(pred) - matched, len(gold) - matched))
    used = set()
    matched = 0
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and all(p.get(k) == g.get(k) for k in ("date", "kind", "outcome")):
                used.add(i)
                matched += 1
                break
    s.events_dko.add(PRF(matched, len(pred) - matched, len(gold) - matched))


_WS = re.compile(r"\s+")


def locate(sentence: str, text: str) -> tuple[int, int] | None:
    """Span of ``sentence`` in ``text``: exact, else ignoring differences in white space."""
    i = text.find(sentence)
    if i >= 0:
        return i, i + len(sentence)
    parts = [re.escape(p) for p in sentence.split()]
    if not parts:
        return None
    m = re.search(r"\s+".join(parts), text)
    return (m.start(), m.end()) if m else None


def _find(sentence: str, note_index: int, note_map: dict[int, dict], pnotes: list[dict]
          ) -> tuple[str, int, int] | None:
    note = note_map.get(note_index)
    if note is not None:
        span = locate(sentence, note.get("text", ""))
        if span:
            return note["note_id"], span[0], span[1]
    for n in pnotes:
        span = locate(sentence, n.get("text", ""))
        if span:
            return n["note_id"], span[0], span[1]
    return None


def _score_tags(gold: dict, pred: dict, note_map: dict[int, dict], s: Scores) -> None:
    pnotes = pred.get("notes", [])
    affirmed = [t for t in pred.get("tags", []) if t.get("assertion") == "affirmed"]
    by_note: dict[str, list[dict]] = defaultdict(list)
    for t in affirmed:
        by_note[t.get("note_id")].append(t)
    covered: set[int] = set()  # ids of tags that overlap a gold sentence with their label
    for sent in gold.get("sentences", []):
        where = _find(sent["text"], sent["note_index"], note_map, pnotes)
        for label in sent.get("labels", []):
            hit = False
            if where:
                nid, a, b = where
                for t in by_note.get(nid, []):
                    if t.get("label") == label and t["start"] < b and t["end"] > a:
                        hit = True
                        covered.add(id(t))
            if hit:
                s.labels[label].tp += 1
            else:
                s.labels[label].fn += 1
    # false positives: clusters of overlapping uncovered tags of one label in one note
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for t in affirmed:
        if id(t) not in covered:
            groups[(t.get("note_id"), t.get("label"))].append((t["start"], t["end"]))
    for (_, label), spans in groups.items():
        spans.sort()
        clusters, end = 0, -1
        for a, b in spans:
            if a >= end:
                clusters += 1
            end = max(end, b)
        s.labels[label].fp += clusters
    for neg in gold.get("negatives", []):
        s.negatives.total += 1
        where = _find(neg["text"], neg["note_index"], note_map, pnotes)
        if where:
            nid, a, b = where
            if any(t["start"] < b and t["end"] > a for t in by_note.get(nid, [])):
                s.negatives.right += 1


def _score_flags(gold: list[dict], pred: list[dict], s: Scores) -> None:
    used: set[int] = set()
    for g in sorted(gold, key=lambda f: (f["rule"], f["date"])):
        gd = dt.date.fromisoformat(g["date"])
        best, best_gap = None, None
        for i, p in enumerate(pred):
            if i in used or p.get("rule") != g["rule"] or not p.get("date"):
                continue
            gap = abs((dt.date.fromisoformat(p["date"]) - gd).days)
            if gap <= FLAG_WINDOW_DAYS and (best_gap is None or gap < best_gap):
                best, best_gap = i, gap
        if best is None:
            s.flags[g["rule"]].fn += 1
        else:
            used.add(best)
            s.flags[g["rule"]].tp += 1
    for i, p in enumerate(pred):
        if i not in used:
            s.flags[p.get("rule", "?")].fp += 1
