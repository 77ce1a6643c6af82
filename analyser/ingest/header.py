"""Header lines of case-note printouts: their date, type, author and agency.

A header is a line that starts with a date (or a ``Date:`` key) followed by short fields
(type, worker, role, agency) split by ``|``, spaced dashes, tabs or wide gaps. Prose that
merely begins with a date ("14/03/2024 was the day of the ICPC ...") is not a header.
A dated line whose first field is prose ("14/03/2024 - Mum rang to cancel.") is an
*inline* header: the printout parser treats it as a note of its own only when the file
has no ordinary headers (a diary-style chronology).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..lexicon import alternation, compile_regex
from .vocab import IngestVocab, fold

_SRC = "analyser/ingest/header.py"


@dataclass(frozen=True)
class DateField:
    """An absolute date (and time) read from the start of a header or a table cell."""

    date: dt.date | None
    time: str | None
    start: int
    end: int
    raw: str
    error: str | None = None


@dataclass(frozen=True)
class Header:
    date: DateField
    style: str  # "kv", "fields" or "inline"
    note_type_raw: str | None = None
    author: str | None = None
    author_role: str | None = None
    agency: str | None = None
    inline_start: int | None = None  # offset in the line where inline note text begins


class HeaderParser:
    """Compiled header patterns over an :class:`IngestVocab`."""

    def __init__(self, vocab: IngestVocab) -> None:
        self.vocab = vocab
        mon = alternation(vocab.months)
        wd = alternation(vocab.weekdays)
        time = (r"(?:\s*(?:,|\bat\b|@|-|\s)\s*(?P<time>(?:[01]?\d|2[0-3])[:.][0-5]\d"
                r"(?::[0-5]\d)?(?:\s*(?:am|pm|hrs|h)\b)?|(?:1[0-2]|0?[1-9])\s*(?:am|pm)\b))?")
        date = (
            rf"(?:(?P<wd>{wd})\.?,?\s+)?(?:the\s+)?"
            r"(?:(?P<y2>(?:19|20)\d\d)-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})(?:T(?=\d))?"
            r"|(?P<d1>\d{1,2})(?P<s1>[/.\-])(?P<m1>\d{1,2})(?P=s1)(?P<y1>\d{4}|\d{2})(?!\d)"
            rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(?P<mon3>{mon})\.?,?[\s\-]+"
            r"(?P<y3>\d{4}|\d{2})(?!\d)"
            rf"|(?P<mon4>{mon})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y4>\d{{4}})(?!\d))"
        )
        self._date = compile_regex(date + time, file=_SRC, entry="date")
        self._lead = compile_regex(r"\s*(?:#{1,6}\s+|>\s*)?(?:\*\*|__)?\s*(?P<br>\[)?\s*",
                                   file=_SRC, entry="lead")
        self._kv_date = compile_regex(
            r"\s*(?:#{1,6}\s+|\*\*)?\s*(?:date(?:\s+of\s+(?:contact|visit|event|note|entry))?|"
            r"contact\s+date|event\s+date|note\s+date|entry\s+date|recorded(?:\s+on)?)"
            r"\s*(?:\*\*)?\s*[:\-]\s*(?:\*\*)?\s*", file=_SRC, entry="kv_date")
        self._kv_key = compile_regex(
            r"(?:^|\s{2,}|\t|\|\s*|;\s*|,\s+)(?P<key>type|contact\s+type|note\s+type|event\s+type|"
            r"activity|worker|author|recorded\s+by|by|practitioner|officer|agency|service|team|"
            r"organisation|role|time)\s*:\s*", file=_SRC, entry="kv_key")
        self._sep = compile_regex(r"\s*\|\s*|\s+[-\u2013\u2014]+\s+|\s*[\u2013\u2014]\s*|\t+|\s{2,}",
                                  file=_SRC, entry="separator")
        self._role = compile_regex(r"^(?P<name>.+?)\s*\((?P<role>[^()]+)\)\s*$|"
                                   r"^(?P<name2>[^,]+?),\s*(?P<role2>[^,]+)$",
                                   file=_SRC, entry="role")
        self._person = compile_regex(
            r"^(?:(?:mr|mrs|ms|miss|dr|pc|dc|ps|ds|sgt|insp|Mr|Mrs|Ms|Miss|Dr|PC|DC|PS|DS|Sgt|Insp)"
            r"\.?\s+(?:\d{2,6}\s+)?)?(?:[A-Z][\w'\-]*\.?\s*){1,4}$", file=_SRC, entry="person", flags=0)
        self._time_only = compile_regex(
            r"^(?:at\s+)?(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*(?:am|pm|hrs|h))?$|"
            r"^(?:1[0-2]|0?[1-9])\s*(?:am|pm)$", file=_SRC, entry="time_only")

    # ---- dates ---------------------------------------------------------------------
    def parse_date(self, text: str, pos: int = 0) -> DateField | None:
        """Read an absolute date (optionally weekday-led and followed by a time) at ``pos``."""
        m = self._date.match(text, pos)
        if not m:
            return None
        g = m.groupdict()
        if g["y2"]:
            y, mo, d = int(g["y2"]), int(g["m2"]), int(g["d2"])
        elif g["d1"]:
            y, mo, d = _year(g["y1"]), int(g["m1"]), int(g["d1"])
        elif g["d3"]:
            y, mo, d = _year(g["y3"]), self.vocab.months[g["mon3"].lower()], int(g["d3"])
        else:
            y, mo, d = int(g["y4"]), self.vocab.months[g["mon4"].lower()], int(g["d4"])
        end = m.end()
        raw = text[m.start():end]
        time = _norm_time(g["time"]) if g.get("time") else None
        try:
            value = dt.date(y, mo, d)
        except ValueError:
            hint = " (it reads as month-first)" if 1 <= d <= 12 < mo <= 31 else ""
            return DateField(None, time, m.start(), end, raw, f"impossible date {raw.strip()!r}{hint}")
        if g["wd"] and self.vocab.weekdays[g["wd"].lower()] != value.weekday():
            return DateField(value, time, m.start(), end, raw,
                             f"weekday {g['wd']!r} does not match {value.isoformat()}")
        return DateField(value, time, m.start(), end, raw)

    def parse_cell_date(self, text: str) -> DateField | None:
        """A whole table cell as a date: the date must fill the cell (a time may follow)."""
        s = text.strip()
        f = self.parse_date(s)
        if f is None:
            return None
        rest = s[f.end:].strip(" ,")
        if rest and not re.fullmatch(r"(?:T|\s)?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?",
                                     rest):
            return None
        return f

    # ---- headers -------------------------------------------------------------------
    def parse(self, line: str) -> Header | None:
        """The header this line is, or None for an ordinary line."""
        if len(line) > 400 or not line.strip():
            return None
        m = self._kv_date.match(line)
        if m:
            f = self.parse_date(line, m.end())
            if f is not None:
                return self._kv_header(line, f)
        lead = self._lead.match(line)
        pos = lead.end() if lead else 0
        f = self.parse_date(line, pos)
        if f is None:
            return None
        end = f.end
        tail = line[end:]
        closing = re.match(r"\s*\]", tail) if lead and lead.group("br") else None
        if lead and lead.group("br") and not closing:
            return None
        if closing:
            end += closing.end()
        emph = re.match(r"\s*(?:\*\*|__)", line[end:])
        if emph:
            end += emph.end()
        rest = line[end:]
        if not rest.strip(" :-|\t*_"):
            return Header(f, "fields")
        sep = re.match(r"\s*(?:[|:,\u2013\u2014]|-+\s|\t|\s{2,})\s*", rest)
        bracketed = closing is not None
        body_start = end + (sep.end() if sep else len(rest) - len(rest.lstrip()))
        return self._fields_header(line, f, body_start, explicit_sep=bool(sep) or bracketed)

    def _kv_header(self, line: str, f: DateField) -> Header:
        keys = list(self._kv_key.finditer(line, f.end))
        values: dict[str, str] = {}
        inline: int | None = None
        for i, k in enumerate(keys):
            stop = keys[i + 1].start() if i + 1 < len(keys) else len(line)
            values.setdefault(fold(k.group("key")), line[k.end():stop].strip(" |;,\t*"))
        time = f.time or values.get("time")
        f = DateField(f.date, time, f.start, f.end, f.raw, f.error)
        ntype = next((values[k] for k in ("type", "contact type", "note type", "event type",
                                          "activity") if values.get(k)), None)
        who = next((values[k] for k in ("worker", "author", "recorded by", "by", "practitioner",
                                        "officer") if values.get(k)), None)
        agency_raw = next((values[k] for k in ("agency", "service", "team", "organisation")
                           if values.get(k)), None)
        author, role = self.split_person(who) if who else (None, None)
        if values.get("role"):
            role = values["role"]
        agency = agency_raw or (self.vocab.agency_for(role) if role else None)
        if not keys:
            rest = line[f.end:].strip(" |;,\t*-")
            if rest:
                head = self.parse_fields(rest)
                if head is not None:
                    ntype, author, role, agency_f, inline_rel = head
                    agency = agency or agency_f
                    if inline_rel is not None:
                        inline = len(line) - len(line[f.end:].lstrip(" |;,\t*-")) + inline_rel
        return Header(f, "kv", ntype, author, role, agency, inline)

    def _fields_header(self, line: str, f: DateField, start: int, explicit_sep: bool) -> Header | None:
        rest = line[start:]
        parsed = self.parse_fields(rest, need_type_first=not explicit_sep)
        if parsed is None:
            if explicit_sep and _is_prose(rest):
                return Header(f, "inline", inline_start=start)
            return None
        ntype, author, role, agency, inline_rel = parsed
        inline = start + inline_rel if inline_rel is not None else None
        return Header(f, "fields", ntype, author, role, agency, inline)

    def parse_fields(self, rest: str, need_type_first: bool = False):
        """Split the part of a header after its date into (type, author, role, agency, inline).

        Returns None when the first field is prose (so the line is not a header)."""
        pieces: list[tuple[int, str]] = []
        pos = 0
        for m in self._sep.finditer(rest):
            pieces.append((pos, rest[pos:m.start()]))
            pos = m.end()
        pieces.append((pos, rest[pos:]))
        pieces = [(o, p) for o, p in pieces if p.strip(" *_")]
        ntype = author = role = agency = None
        inline: int | None = None
        for i, (off, piece) in enumerate(pieces):
            field = piece.strip(" *_")
            colon = re.match(r"^(?P<t>[^:]{2,40}):\s+(?P<b>\S.*)$", field)
            if colon and ntype is None and self.vocab.classify_type(colon.group("t")):
                ntype = colon.group("t").strip()
                inline = off + piece.index(colon.group("b"))
                break
            if i == 0 and need_type_first and self.vocab.classify_type(field) is None:
                return None
            if self._time_only.match(field):
                continue
            if _is_prose(field):
                if i == 0:
                    return None
                inline = off
                break
            kind = self._classify_field(field, have_type=ntype is not None)
            if i == 0 and kind == "person" and any(
                    self._classify_field(p.strip(" *_"), have_type=True) == "person" for _, p in pieces[1:]):
                kind = "type"  # "Family Time | J. Price (Family Time Worker)": the author comes later
            if i == 0 and ntype is None and kind in ("agency", "other") and \
                    fold(self._split_role(field)[0]) not in self.vocab.agencies:
                kind = "type"  # "Police log", "School safeguarding record": a type named by its source
            if kind == "type" and ntype is None:
                ntype = field
            elif kind == "type" and author is None and agency is None:
                ntype = f"{ntype} - {field}"  # "CIN review - step down"
            elif kind == "agency" and agency is None:
                name, inner = self._split_role(field)
                if inner and self._looks_person(inner) and author is None:
                    author = inner  # "Police (PC Hollis)"
                else:
                    role = role or (field if fold(field) not in _AGENCY_NAMES else None)
                agency = self.vocab.agency_for(field)
            elif kind == "person" and author is None:
                author, prole = self.split_person(field)
                role = prole or role
                if prole and agency is None:
                    agency = self.vocab.agency_for(prole)
            elif author is None and re.search(r"[A-Z]", field):
                author = field  # an unrecognised name ("PC 2291 Hollis"), kept as written
            elif agency is None:
                agency = field
        return ntype, author, role, agency, inline

    def _classify_field(self, field: str, have_type: bool) -> str:
        if not have_type and self.vocab.classify_type(field) and not self._looks_person(field):
            return "type"
        name, _ = self._split_role(field)
        if fold(name) in self.vocab.agencies:
            return "agency"
        if self._looks_person(name):
            return "person"
        if self.vocab.agency_for(field):
            return "agency"
        return "type" if self.vocab.classify_type(field) else "other"

    def _split_role(self, field: str) -> tuple[str, str | None]:
        m = self._role.match(field.strip())
        if not m:
            return field.strip(), None
        name = m.group("name") or m.group("name2")
        role = m.group("role") or m.group("role2")
        return name.strip(), role.strip()

    def split_person(self, field: str) -> tuple[str | None, str | None]:
        name, role = self._split_role(field)
        if fold(name) in self.vocab.agencies and role is None:
            return None, name
        return (name or None), role

    def _looks_person(self, s: str) -> bool:
        s = s.strip()
        if not s or fold(s) in self.vocab.agencies or self.vocab.classify_type(s):
            return False
        return bool(self._person.match(s)) and len(s.split()) <= 4


_AGENCY_NAMES = frozenset(fold(n) for n in (
    "Children's Social Care", "Childrens Services", "Children's Services", "Health", "Police",
    "Education", "Early Help", "Housing", "Probation", "Adult Services", "School"))


def _is_prose(s: str) -> bool:
    """A field that reads as a sentence rather than a header value."""
    s = s.strip()
    words = s.split()
    if len(words) >= 8:
        return True
    return len(words) >= 4 and s[-1:] in ".!?" and not re.search(r"\b[A-Z]{1,4}\.$", s)


def _year(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _norm_time(s: str) -> str | None:
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(am|pm)?", s.strip().lower())
    if not m:
        return None
    h, mi, ap = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if ap == "pm" and h < 12:
        h += 12
    if ap == "am" and h == 12:
        h = 0
    if h > 23:
        return None
    return f"{h:02d}:{mi:02d}"
