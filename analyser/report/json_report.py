"""The analysis JSON of the contract (shared/spec/formats.md, schema 1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ..model import CaseResult, Event, Flag, Note, Tag

SCHEMA_VERSION = "1"


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def note_json(n: Note) -> dict[str, Any]:
    return {
        "note_id": n.note_id, "date": _d(n.date), "time": n.time, "note_type": n.note_type,
        "note_type_raw": n.note_type_raw, "meeting_type": n.meeting_type, "author": n.author,
        "author_role": n.author_role, "agency": n.agency, "external_id": n.external_id,
        "text": n.text, "source": n.source.to_json(),
    }


def event_json(e: Event) -> dict[str, Any]:
    out = {
        "event_id": e.event_id, "note_id": e.note_id, "kind": e.kind, "outcome": e.outcome,
        "planned": e.planned, "child_seen": e.child_seen, "child_seen_alone": e.child_seen_alone,
        "meeting_type": e.meeting_type, "date": _d(e.date), "date_end": _d(e.date_end),
        "date_precision": e.date_precision, "date_source": e.date_source,
        "date_text": e.date_text, "summary": e.summary, "evidence": e.evidence.to_json(),
        "agency": e.agency,
    }
    if e.also_recorded_in:
        out["also_recorded_in"] = list(e.also_recorded_in)
    if e.duplicate_of:
        out["duplicate_of"] = e.duplicate_of
    if e.conflict:
        out["conflict"] = e.conflict
    return out


def tag_json(t: Tag, explain: bool) -> dict[str, Any]:
    out = {
        "tag_id": t.tag_id, "note_id": t.note_id, "label": t.label, "subtype": t.subtype,
        "assertion": t.assertion, "actor": t.actor, "confidence": round(t.confidence, 4),
        "method": t.method, "start": t.start, "end": t.end, "text": t.text,
    }
    if explain:
        out["explain"] = t.explain
    return out


def flag_json(f: Flag) -> dict[str, Any]:
    return {
        "flag_id": f.flag_id, "rule": f.rule, "severity": f.severity, "date": _d(f.date),
        "status": f.status, "explanation": f.explanation, "evidence": list(f.evidence),
        "policy_ref": f.policy_ref, "recommended_action": f.recommended_action,
    }


def case_json(r: CaseResult, explain: bool = False) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "case_id": r.case_id,
        "metadata": r.metadata,
        "status_timeline": [{"from": _d(p.start), "status": p.status} for p in r.status_timeline],
        "notes": [note_json(n) for n in r.notes],
        "events": [event_json(e) for e in r.events],
        "tags": [tag_json(t, explain) for t in r.tags],
        "flags": [flag_json(f) for f in r.flags],
        "escalation": r.escalation,
        "risk_series": r.risk_series,
        "inputs": [{"file": f, "notes": n} for f, n in r.notes_per_file.items()],
        "warnings": [w.to_json() for w in r.warnings],
    }


def dumps(doc: dict[str, Any]) -> str:
    """Deterministic text: fixed key order as built, UTF-8, trailing newline."""
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def safe_name(case_id: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "_" for c in case_id).strip(".")
    return keep or "case"


def write_case_json(r: CaseResult, out_dir: Path, explain: bool = False) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{safe_name(r.case_id)}.json"
    path.write_text(dumps(case_json(r, explain)), encoding="utf-8")
    return path
