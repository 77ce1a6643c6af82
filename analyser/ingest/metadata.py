"""Case metadata from the block before a printout's first note header.

Reads ``Key: value`` pairs (several on a line, split by wide gaps, tabs or ``|``):
family, parents, children with dates of birth, status, allocated worker, team, case id.
Title lines ("CHILDREN'S SERVICES - CASE NOTES") are passed over; any other text is
returned as a line range so the caller can keep it as an undated note.
"""

from __future__ import annotations

import re
from typing import Any

from .header import HeaderParser
from .vocab import fold

_PAIR = re.compile(r"(?:^|\s{2,}|\t|\|\s*|(?<=[.;])\s+)(?P<key>[A-Z][A-Za-z /'()\-]{1,40}?)\s*:\s+")
_CHILD = re.compile(r"(?P<name>[^;,()]+?)\s*\(\s*(?:DOB|D\.O\.B\.?|born|d\.o\.b)\s*:?\s*"
                    r"(?P<dob>[^)]+?)\s*\)", re.I)
_TITLE = re.compile(r"^[^a-z]*$")

KEYS = {
    "family": "family", "family name": "family", "surname": "family",
    "mother": "mother", "mum": "mother", "father": "father", "dad": "father",
    "child": "children", "children": "children", "child name": "children",
    "childrens names": "children", "child ren": "children", "subject": "children",
    "young person": "children", "name": "children",
    "status": "status", "case status": "status", "legal status": "status", "plan": "status",
    "allocated worker": "allocated_worker", "worker": "allocated_worker",
    "social worker": "allocated_worker", "allocated social worker": "allocated_worker",
    "team": "team", "case id": "case_id", "case ref": "case_id", "case reference": "case_id",
    "case number": "case_id", "address": "address", "agency": "agency", "school": "school",
    "gp": "gp", "partner": "partner", "carer": "carer", "category": "category",
    "parents": "parents", "parent": "parents", "resident parent": "resident_parent",
    "category of abuse": "category",
}
STATUS_WORDS = {
    "cin": "CIN", "child in need": "CIN", "s17": "CIN", "cp": "CP", "cpp": "CP",
    "child protection": "CP", "child protection plan": "CP", "cp plan": "CP",
    "subject to cp plan": "CP", "lac": "LAC", "cla": "LAC", "looked after": "LAC",
    "child looked after": "LAC", "looked after child": "LAC", "eh": "EH", "early help": "EH",
    "closed": "closed", "case closed": "closed",
}


def _is_heading(s: str) -> bool:
    """A title or heading line: markdown heading, all capitals, or a few words without a full stop."""
    if s.startswith("#") or (_TITLE.match(s) and len(s) < 80):
        return True
    return len(s.split()) <= 12 and s[-1:] not in ".!?"


def status_code(text: str) -> str | None:
    """The case status a phrase names (CIN, CP, LAC, EH, closed), if any."""
    f = fold(text)
    if f in STATUS_WORDS:
        return STATUS_WORDS[f]
    for words, code in sorted(STATUS_WORDS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{re.escape(words)}\b", f):
            return code
    return None


def parse_metadata(lines: list[str], parser: HeaderParser) -> tuple[dict[str, Any], tuple[int, int] | None]:
    meta: dict[str, Any] = {}
    other: list[int] = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or re.fullmatch(r"(?:[-=_*~#]\s*){3,}", s):
            continue
        pairs = [p for p in _PAIR.finditer(line) if len(p.group("key").split()) <= 4]
        children = list(_CHILD.finditer(line))
        if not pairs:
            if children:
                meta.setdefault("children", []).extend(_children(line, parser))
                meta.setdefault("title", s)
                continue
            if _is_heading(s):
                meta.setdefault("title", s.lstrip("# ").strip())
                continue
            other.append(i)
            continue
        for n, p in enumerate(pairs):
            stop = pairs[n + 1].start() if n + 1 < len(pairs) else len(line)
            value = line[p.end():stop].strip(" |;,\t")
            key = KEYS.get(fold(p.group("key")), fold(p.group("key")).replace(" ", "_"))
            if not value:
                continue
            if key == "children":
                meta.setdefault("children", []).extend(_children(value, parser))
            elif key == "status":
                meta["status"] = status_code(value) or value
                meta["status_raw"] = value
            else:
                meta.setdefault(key, value)
    leftover = (other[0], other[-1]) if other else None
    return meta, leftover


def _children(value: str, parser: HeaderParser) -> list[dict[str, Any]]:
    found = []
    for m in _CHILD.finditer(value):
        f = parser.parse_cell_date(m.group("dob"))
        name = re.sub(r"^(?:and|&)\s+", "", m.group("name").strip(" ,;&"), flags=re.I)
        found.append({"name": name,
                      "dob": f.date.isoformat() if f and f.date else None})
    if not found:
        found = [{"name": n.strip(), "dob": None}
                 for n in re.split(r"\s*(?:;|,|&|\band\b)\s*", value) if n.strip()]
    return found
