"""The vocabulary ingest needs: note types, agencies, table column names, calendar words.

Loaded from ``lexicons/ingest/*.yaml`` and ``lexicons/dates/calendar.yaml`` (strict), once
per process by :func:`analyser.resources.ingest_vocab`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import LexiconError
from ..lexicon import check_keys, load_yaml
from ..model import EVENT_KINDS, MEETING_TYPES

_FOLD = re.compile(r"[^a-z0-9&+]+")


def fold(s: str) -> str:
    """Lower-case, fold punctuation/underscores to single spaces ("Children's" keeps 's)."""
    s = s.lower().replace("\u2019", "'").replace("'", "")
    return _FOLD.sub(" ", s).strip()


@dataclass(frozen=True)
class NoteType:
    id: str
    kind: str | None
    meeting_type: str | None


@dataclass(frozen=True)
class IngestVocab:
    note_types: dict[str, NoteType]  # folded phrase -> type
    agencies: dict[str, str]  # folded phrase -> agency name
    columns: dict[str, tuple[str, ...]]  # field -> folded column names in preference order
    months: dict[str, int]
    weekdays: dict[str, int]
    ambiguous_words: frozenset[str]

    def classify_type(self, field: str) -> NoteType | None:
        """The note type a header field names: the whole field, else its longest leading phrase."""
        f = fold(field)
        if not f:
            return None
        if f in self.note_types:
            return self.note_types[f]
        words = f.split()
        for n in range(min(len(words) - 1, 6), 0, -1):
            head = " ".join(words[:n])
            if head in self.note_types:
                return self.note_types[head]
        # a type named after its source: "Police DA notification", "School safeguarding log"
        for n in range(min(len(words) - 1, 6), 1, -1):
            tail = " ".join(words[-n:])
            if tail in self.note_types:
                return self.note_types[tail]
        return None

    def agency_for(self, field: str) -> str | None:
        """The agency a field (agency name or role) names, if any."""
        f = fold(field)
        if not f:
            return None
        if f in self.agencies:
            return self.agencies[f]
        words = f.split()
        # a role or agency at the end ("Jane Doe, Social Worker") or the start ("Police - PC 123")
        for n in range(min(len(words), 5), 0, -1):
            for part in (" ".join(words[-n:]), " ".join(words[:n])):
                if part in self.agencies:
                    return self.agencies[part]
        return None


def load_ingest_vocab(lexicons: Path) -> IngestVocab:
    ingest = lexicons / "ingest"
    types_file = ingest / "note_types.yaml"
    doc = check_keys(load_yaml(types_file), file=str(types_file), entry=None,
                     required=("version", "types"))
    note_types: dict[str, NoteType] = {}
    for item in doc["types"]:
        tid = item.get("id") if isinstance(item, dict) else None
        check_keys(item, file=str(types_file), entry=tid, required=("id", "kind", "phrases"),
                   optional=("meeting_type", "examples"))
        kind, mt = item["kind"], item.get("meeting_type")
        if kind is not None and kind not in EVENT_KINDS:
            raise LexiconError(str(types_file), f"unknown kind {kind!r}", tid)
        if mt is not None and mt not in MEETING_TYPES:
            raise LexiconError(str(types_file), f"unknown meeting_type {mt!r}", tid)
        nt = NoteType(tid, kind, mt)
        for phrase in item["phrases"]:
            key = fold(str(phrase))
            if key in note_types and note_types[key] != nt:
                raise LexiconError(str(types_file), f"phrase {phrase!r} listed twice", tid)
            note_types[key] = nt

    ag_file = ingest / "agencies.yaml"
    doc = check_keys(load_yaml(ag_file), file=str(ag_file), entry=None,
                     required=("version", "agencies"))
    agencies: dict[str, str] = {}
    for item in doc["agencies"]:
        check_keys(item, file=str(ag_file), entry=str(item.get("name")),
                   required=("name", "phrases"))
        for phrase in item["phrases"]:
            agencies.setdefault(fold(str(phrase)), str(item["name"]))

    col_file = ingest / "columns.yaml"
    doc = check_keys(load_yaml(col_file), file=str(col_file), entry=None,
                     required=("version", "fields"))
    known = {"case_id", "date", "time", "text", "note_type", "author", "agency", "note_id"}
    columns: dict[str, tuple[str, ...]] = {}
    for fname, names in doc["fields"].items():
        if fname not in known:
            raise LexiconError(str(col_file), f"unknown field {fname!r}", fname)
        columns[fname] = tuple(fold(str(n)) for n in names)

    cal_file = lexicons / "dates" / "calendar.yaml"
    cal = load_yaml(cal_file)
    if not isinstance(cal, dict) or "months" not in cal or "weekdays" not in cal:
        raise LexiconError(str(cal_file), "needs 'months' and 'weekdays'")
    return IngestVocab(
        note_types=note_types,
        agencies=agencies,
        columns=columns,
        months={str(k).lower(): int(v) for k, v in cal["months"].items()},
        weekdays={str(k).lower(): int(v) for k, v in cal["weekdays"].items()},
        ambiguous_words=frozenset(str(w).lower() for w in cal.get("ambiguous_words", [])),
    )
