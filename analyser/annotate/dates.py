"""Date expressions in note text → :class:`DateValue`, UK day-first, resolved against
the note's own date.

The rules are data (``lexicons/dates/*.yaml``): each ``date`` entry is a regex built
from calendar macros and names the resolver below that turns its groups into a date.
``block`` entries claim text that must never be read as a date (Act years, fractions,
money); ``prefix`` entries let a date take in the words before it ("Tues 14/3");
``skip``, ``future``, ``past`` and ``week_of`` entries are cue words looked for just
before (or after) a chosen date; ``join`` entries merge two dates into one range.

Finding: the note is lower-cased once (ASCII, offsets kept) and each entry whose
``needs`` occur in it runs one case-sensitive regex pass over the whole note; then
"longest span wins" (blocks win ties); cues and resolution run only for the spans that
won. No dateparser: resolving is plain calendar arithmetic, exact and fast.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import string
from bisect import bisect_left
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import LexiconError
from ..lexicon import alternation, check_keys, compile_regex, load_yaml
from ..model import PRECISIONS, DateValue

LOCALES = ("en-GB", "en-US")
ROLES = ("date", "block", "prefix", "skip", "future", "past", "week_of", "join")
CALENDAR_FILE = "calendar.yaml"
VOCAB_FILE = "vocabulary.yaml"
_ONE_DAY = dt.timedelta(days=1)
_COARSER = {"day": "week", "week": "month", "month": "year", "year": "year"}


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Festival:
    month: int | None
    day: int | None
    easter: int | None
    precision: str
    bare: bool


@dataclass(frozen=True, eq=False)
class DateVocab:
    """Calendar words (calendar.yaml) and counting words, seasons, festivals (vocabulary.yaml)."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    ambiguous: frozenset[str]
    numbers: Mapping[str, int]
    approximate: Mapping[str, int]
    units: Mapping[str, tuple[str, int]]
    month_parts: Mapping[str, tuple[tuple[int, int], tuple[int, int]]]
    seasons: Mapping[str, tuple[int, ...]]
    festivals: Mapping[str, Festival]
    which: Mapping[str, int]
    cue_window: int
    min_year: int
    max_year: int
    yy_ahead: int
    boundary: re.Pattern[str]


@dataclass(frozen=True)
class DateExample:
    """A worked example from a rule's ``examples.match``: text in, one value out."""

    rule: str
    text: str
    ref: dt.date | None
    span: str
    date: dt.date
    date_end: dt.date | None
    precision: str
    relative: bool
    future: bool
    ambiguous: bool
    locale: str | None


@dataclass(frozen=True)
class NoMatchExample:
    """A text from a rule's ``examples.no_match``: no date may be found in it."""

    rule: str
    text: str
    ref: dt.date | None
    locale: str | None


@dataclass(frozen=True, eq=False)
class DateRule:
    id: str
    file: str
    role: str
    patterns: tuple[re.Pattern[str], ...]
    resolve: str | None
    params: Mapping[str, Any]
    side: str
    requires_cue: str | None
    before: re.Pattern[str] | None
    needs: tuple[re.Pattern[str], ...]  # all must occur in a text for the rule to run
    applies_to: tuple[str, ...]  # prefix rules: the date rules they may extend
    examples: tuple[DateExample, ...]
    no_match: tuple[NoMatchExample, ...]


@dataclass(frozen=True, eq=False)
class DateRules:
    """Compiled date rules; build once with :func:`load_date_rules` and share."""

    vocab: DateVocab
    rules: tuple[DateRule, ...]
    locale: str = "en-GB"
    # rules grouped by "role/side" ("date+block" holds the finders, in file order)
    groups: Mapping[str, tuple[DateRule, ...]] = field(
        default_factory=lambda: MappingProxyType({}))

    def group(self, role: str, side: str = "before") -> tuple[DateRule, ...]:
        return self.groups.get(f"{role}/{side}", ())

    def prefixes(self, rule_id: str) -> tuple[DateRule, ...]:
        return self.groups.get(f"prefix:{rule_id}", ())


@dataclass(frozen=True)
class DateMatch:
    """A found date with the id of the rule that made it and the cues that shaped it."""

    value: DateValue
    rule: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImpossibleDate:
    """Text shaped like a date that no calendar has (31/02/2024): callers may warn."""

    start: int
    end: int
    text: str
    rule: str


# ----------------------------------------------------------------------- loading


def _norm(word: str) -> str:
    return " ".join(word.lower().replace("’", "'").rstrip(".").split())


def _words_regex(words: Any, *, dotted: frozenset[str] = frozenset()) -> str:
    """Alternation of words, longest first; spaces match any white space, ' matches ’;
    words in ``dotted`` (abbreviations) may end with a full stop."""
    parts = []
    for w in alternation(str(x) for x in words).split("|"):
        dot = _unescape(w) in dotted
        w = w.replace(r"\ ", r"\s+").replace("'", "['’]")
        parts.append(w + (r"\.?" if dot else ""))
    return r"\b(?:" + "|".join(parts) + r")(?![a-z])"


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)


def _mapping(obj: Any, *, file: str, entry: str) -> Mapping[str, Any]:
    if not isinstance(obj, Mapping) or not obj:
        raise LexiconError(file, "expected a non-empty mapping", entry)
    return obj


def _int_map(obj: Any, *, file: str, key: str) -> dict[str, int]:
    if not isinstance(obj, Mapping) or not obj:
        raise LexiconError(file, f"'{key}' must be a non-empty mapping")
    out: dict[str, int] = {}
    for k, v in obj.items():
        if not isinstance(v, int) or isinstance(v, bool):
            raise LexiconError(file, f"'{key}.{k}' must be an integer")
        out[_norm(str(k))] = v
    return out


def _load_vocab(folder: Path) -> tuple[DateVocab, dict[str, str]]:
    cal_file = folder / CALENDAR_FILE
    cal = check_keys(
        load_yaml(cal_file), file=str(cal_file), entry=None,
        required=("version", "months", "weekdays", "ambiguous_words"),
    )
    months = _int_map(cal["months"], file=str(cal_file), key="months")
    weekdays = _int_map(cal["weekdays"], file=str(cal_file), key="weekdays")
    if sorted(set(months.values())) != list(range(1, 13)):
        raise LexiconError(str(cal_file), "months must cover 1..12")
    if sorted(set(weekdays.values())) != list(range(7)):
        raise LexiconError(str(cal_file), "weekdays must cover 0..6")
    ambiguous = frozenset(_norm(str(w)) for w in cal["ambiguous_words"])

    vf = folder / VOCAB_FILE
    f = str(vf)
    voc = check_keys(
        load_yaml(vf), file=f, entry=None,
        required=("version", "settings", "numbers", "approximate_numbers", "units",
                  "month_parts", "seasons", "festivals", "which", "parts_of_day",
                  "name_verbs", "fragments"),
    )
    st = check_keys(
        voc["settings"], file=f, entry="settings",
        required=("cue_window", "min_year", "max_year", "two_digit_year_ahead",
                  "cue_boundary"),
    )
    units: dict[str, tuple[str, int]] = {}
    for k, v in _mapping(voc["units"], file=f, entry="units").items():
        u = check_keys(v, file=f, entry=f"units.{k}", required=("unit", "size"))
        if u["unit"] not in ("day", "week", "month", "year"):
            raise LexiconError(f, f"unknown unit {u['unit']!r}", f"units.{k}")
        units[_norm(k)] = (u["unit"], int(u["size"]))
    parts: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
    for k, v in _mapping(voc["month_parts"], file=f, entry="month_parts").items():
        p = check_keys(v, file=f, entry=f"month_parts.{k}", required=("days", "months"))
        parts[_norm(k)] = (tuple(p["days"]), tuple(p["months"]))  # type: ignore[assignment]
    seasons = {_norm(k): tuple(int(m) for m in v)
               for k, v in _mapping(voc["seasons"], file=f, entry="seasons").items()}
    festivals: dict[str, Festival] = {}
    for k, v in _mapping(voc["festivals"], file=f, entry="festivals").items():
        e = check_keys(v, file=f, entry=f"festivals.{k}", required=("precision", "bare"),
                       optional=("month", "day", "easter"))
        if ("easter" in e) == ("month" in e and "day" in e):
            raise LexiconError(f, "give either month and day, or easter", f"festivals.{k}")
        if e["precision"] not in PRECISIONS:
            raise LexiconError(f, f"unknown precision {e['precision']!r}", f"festivals.{k}")
        festivals[_norm(k)] = Festival(e.get("month"), e.get("day"), e.get("easter"),
                                       e["precision"], bool(e["bare"]))
    vocab = DateVocab(
        months=MappingProxyType(months),
        weekdays=MappingProxyType(weekdays),
        ambiguous=ambiguous,
        numbers=MappingProxyType(_int_map(voc["numbers"], file=f, key="numbers")),
        approximate=MappingProxyType(
            _int_map(voc["approximate_numbers"], file=f, key="approximate_numbers")),
        units=MappingProxyType(units),
        month_parts=MappingProxyType(parts),
        seasons=MappingProxyType(seasons),
        festivals=MappingProxyType(festivals),
        which=MappingProxyType(_int_map(voc["which"], file=f, key="which")),
        cue_window=int(st["cue_window"]),
        min_year=int(st["min_year"]),
        max_year=int(st["max_year"]),
        yy_ahead=int(st["two_digit_year_ahead"]),
        boundary=compile_regex(st["cue_boundary"], file=f, entry="settings.cue_boundary",
                               flags=0),
    )
    # Abbreviations (shorter than the longest name for the same number) take a dot.
    def longest(names: Mapping[str, int]) -> dict[int, int]:
        return {n: max(len(k) for k, v in names.items() if v == n) for n in names.values()}

    def abbrevs(names: Mapping[str, int]) -> frozenset[str]:
        top = longest(names)
        return frozenset(k for k, v in names.items() if len(k) < top[v])

    macros = {
        "MONTH": _words_regex(months, dotted=abbrevs(months)),
        "WEEKDAY": _words_regex(weekdays, dotted=abbrevs(weekdays)),
        "WEEKDAY_FULL": _words_regex(k for k in weekdays if k not in abbrevs(weekdays)),
        "NUM": r"(?:[0-9]{1,3}|" + _words_regex(
            list(vocab.numbers) + list(vocab.approximate))[2:] + ")",
        "UNIT": _words_regex(units),
        "PART": _words_regex(parts),
        "SEASON": _words_regex(seasons),
        "FESTIVAL": _words_regex(festivals),
        "FESTIVAL_DAY": _words_regex([k for k, v in festivals.items() if v.bare]),
        "WHICH": _words_regex(vocab.which),
        "PART_OF_DAY": _words_regex(voc["parts_of_day"]),
        "NAME_VERB": _words_regex(voc["name_verbs"]),
    }
    for k, v in _mapping(voc["fragments"], file=f, entry="fragments").items():
        macros[str(k)] = "(?:" + _expand(str(v), macros, file=f, entry=f"fragments.{k}") + ")"
    return vocab, macros


_MACRO = re.compile(r"%([A-Z][A-Z0-9_]*)%")


def _expand(pattern: str, macros: Mapping[str, str], *, file: str, entry: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in macros:
            raise LexiconError(file, f"unknown macro %{name}%", entry)
        return macros[name]

    return _MACRO.sub(sub, pattern)


_EXAMPLE_KEYS = ("ref", "span", "date_end", "relative", "future", "ambiguous", "locale")


def _load_examples(
    raw: Any, *, file: str, entry: str, default_ref: Any
) -> tuple[tuple[DateExample, ...], tuple[NoMatchExample, ...]]:
    if raw is None:
        return (), ()
    ex = check_keys(raw, file=file, entry=entry, optional=("match", "no_match"))
    matches: list[DateExample] = []
    for item in ex.get("match") or ():
        m = check_keys(item, file=file, entry=entry, required=("text", "date", "precision"),
                       optional=_EXAMPLE_KEYS)
        ref = m.get("ref", default_ref)
        span = m.get("span", m["text"])
        for key, val in (("date", m["date"]), ("date_end", m.get("date_end")), ("ref", ref)):
            if (val is None and key == "date") or (val is not None and (
                    not isinstance(val, dt.date) or isinstance(val, dt.datetime))):
                raise LexiconError(file, f"example {key} must be an ISO date: {val!r}", entry)
        if m["precision"] not in PRECISIONS:
            raise LexiconError(file, f"unknown precision {m['precision']!r}", entry)
        if span not in m["text"]:
            raise LexiconError(file, f"example span {span!r} not in its text", entry)
        loc = m.get("locale")
        if loc is not None and loc not in LOCALES:
            raise LexiconError(file, f"unknown locale {loc!r}", entry)
        matches.append(DateExample(
            entry, m["text"], ref, span, m["date"], m.get("date_end"), m["precision"],
            bool(m.get("relative", False)), bool(m.get("future", False)),
            bool(m.get("ambiguous", False)), loc))
    nos: list[NoMatchExample] = []
    for item in ex.get("no_match") or ():
        if isinstance(item, str):
            nos.append(NoMatchExample(entry, item, default_ref, None))
            continue
        n = check_keys(item, file=file, entry=entry, required=("text",),
                       optional=("ref", "locale"))
        nos.append(NoMatchExample(entry, n["text"], n.get("ref", default_ref), n.get("locale")))
    return tuple(matches), tuple(nos)


_RULE_KEYS = ("pattern", "resolve", "params", "side", "max_gap_words", "requires_cue",
              "before", "needs", "applies_to", "examples", "note")
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _lower_pattern(p: str) -> str:
    """Lower-case a regex's literal letters (escapes and group syntax untouched), so it
    can run case-sensitively (fast) on text lower-cased the same way."""
    out: list[str] = []
    i = 0
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            out.append(p[i:i + 2])
            i += 2
        elif p.startswith("(?P", i):
            out.append("(?P")
            i += 3
        else:
            out.append(ch.translate(_LOWER))
            i += 1
    return "".join(out)


def _compile(pattern: str, *, file: str, entry: str) -> re.Pattern[str]:
    return compile_regex(_lower_pattern(pattern), file=file, entry=entry, flags=0)


def _load_rule_file(
    path: Path, macros: Mapping[str, str], seen: set[str]
) -> list[DateRule]:
    f = str(path)
    doc = check_keys(load_yaml(path), file=f, entry=None, required=("version", "entries"),
                     optional=("description", "example_ref"))
    default_ref = doc.get("example_ref")
    out: list[DateRule] = []
    for i, raw in enumerate(doc["entries"] or ()):
        eid = raw.get("id") if isinstance(raw, Mapping) else None
        entry = str(eid or f"#{i}")
        e = check_keys(raw, file=f, entry=entry, required=("id", "role"), optional=_RULE_KEYS)
        if not re.fullmatch(r"dates\.[a-z0-9_.]+\.v[0-9]+", str(eid)):
            raise LexiconError(f, "id must look like dates.<name>.v<N>", entry)
        if entry in seen:
            raise LexiconError(f, "duplicate id", entry)
        seen.add(entry)
        role = e["role"]
        if role not in ROLES:
            raise LexiconError(f, f"unknown role {role!r} (one of {', '.join(ROLES)})", entry)
        side = e.get("side", "before")
        if side not in ("before", "after") or (side == "after" and role not in
                                                ("skip", "future")):
            raise LexiconError(f, f"side {side!r} not allowed for role {role}", entry)
        raw_pats = e.get("pattern")
        pats = [raw_pats] if isinstance(raw_pats, str) else list(raw_pats or [])
        if not pats:
            raise LexiconError(f, "pattern is required", entry)
        gap = e.get("max_gap_words", 0)
        if not isinstance(gap, int) or gap < 0:
            raise LexiconError(f, "max_gap_words must be a whole number", entry)
        compiled = []
        for p in pats:
            if not isinstance(p, str):
                raise LexiconError(f, "pattern must be a string", entry)
            body = _expand(p, macros, file=f, entry=entry)
            if role in ("skip", "future", "past", "week_of"):
                if side == "before":
                    body = f"(?:{body})(?:\\s+\\S+){{0,{gap}}}[\\s,:;(\\-–]*$"
                else:
                    body = f"^[\\s,:;)\\-–]*(?:\\S+\\s+){{0,{gap}}}(?:{body})"
            elif role == "prefix":
                body = f"(?:{body})$"
            elif role == "join":
                body = f"(?:{body})"
            compiled.append(_compile(body, file=f, entry=entry))
        resolve = e.get("resolve")
        params = dict(e.get("params") or {})
        if role == "date":
            if resolve not in _RESOLVERS:
                raise LexiconError(f, f"unknown resolver {resolve!r}", entry)
            need, allowed = _RESOLVER_SIGS[resolve]
            unknown = sorted(set(params) - set(allowed))
            if unknown:
                raise LexiconError(f, f"unknown param(s) {', '.join(unknown)}", entry)
            for c in compiled:
                missing = [g for g in need if g not in c.groupindex]
                if missing:
                    raise LexiconError(
                        f, f"pattern lacks group(s) {', '.join(missing)} for {resolve}", entry)
        elif resolve is not None or params:
            raise LexiconError(f, "resolve/params only apply to role date", entry)
        req = e.get("requires_cue")
        if req not in (None, "future"):
            raise LexiconError(f, f"requires_cue must be 'future', not {req!r}", entry)
        before = None
        if e.get("before") is not None:
            if role != "join":
                raise LexiconError(f, "'before' only applies to role join", entry)
            before = _compile("(?:" + _expand(e["before"], macros, file=f, entry=entry)
                              + r")\s*$", file=f, entry=entry)
        applies = e.get("applies_to") or []
        if (role == "prefix") != bool(applies) or not isinstance(applies, list):
            raise LexiconError(f, "applies_to (a list of date rule ids) goes with role prefix",
                               entry)
        needs = e.get("needs") or []
        if not isinstance(needs, list) or (needs and role not in ("date", "block")):
            raise LexiconError(f, "needs must be a list (roles date and block only)", entry)
        gates = tuple(_compile(_expand(str(n), macros, file=f, entry=entry), file=f,
                               entry=entry) for n in needs)
        examples, no_match = _load_examples(e.get("examples"), file=f, entry=entry,
                                            default_ref=default_ref)
        out.append(DateRule(entry, path.name, role, tuple(compiled), resolve,
                            MappingProxyType(params), side, req, before, gates,
                            tuple(map(str, applies)), examples, no_match))
    return out


def load_date_rules(dir: Path | None = None, *, locale: str = "en-GB") -> DateRules:
    """Load and compile every rule file in ``dir`` (default ``lexicons/dates``), strictly."""
    if locale not in LOCALES:
        raise ValueError(f"locale must be one of {LOCALES}, not {locale!r}")
    if dir is None:
        from ..paths import lexicon_dir  # late: resources may import this module

        dir = lexicon_dir() / "dates"
    folder = Path(dir)
    vocab, macros = _load_vocab(folder)
    seen: set[str] = set()
    rules: list[DateRule] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name not in (CALENDAR_FILE, VOCAB_FILE):
            rules.extend(_load_rule_file(path, macros, seen))
    if not any(r.role == "date" for r in rules):
        raise LexiconError(str(folder), "no date rules found")
    groups: dict[str, list[DateRule]] = {}
    dates = {r.id for r in rules if r.role == "date"}
    for r in rules:
        groups.setdefault(f"{r.role}/{r.side}", []).append(r)
        if r.role in ("date", "block"):
            groups.setdefault("date+block/before", []).append(r)
        for target in r.applies_to:
            if target not in dates:
                raise LexiconError(str(folder / r.file), f"applies_to: no date rule {target!r}",
                                   r.id)
            groups.setdefault(f"prefix:{target}", []).append(r)
    return DateRules(vocab=vocab, rules=tuple(rules), locale=locale,
                     groups=MappingProxyType({k: tuple(v) for k, v in groups.items()}))


# ---------------------------------------------------------------- calendar helpers


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _shift_month(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = _shift_month(d.year, d.month, n)
    return dt.date(y, m, min(d.day, _last_day(y, m)))


def _easter(y: int) -> dt.date:
    """Easter Sunday (Gregorian; anonymous algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(y, month, day + 1)


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _pick(cands: list[dt.date], ref: dt.date, future: bool, strict: bool = False) -> dt.date | None:
    """Nearest candidate on or before ref (or on or after when future; strictly if asked)."""
    if future:
        ok = [c for c in cands if c > ref or (c == ref and not strict)]
        return min(ok) if ok else None
    ok = [c for c in cands if c < ref or (c == ref and not strict)]
    return max(ok) if ok else None


# --------------------------------------------------------------------- resolvers


@dataclass(frozen=True)
class _Val:
    date: dt.date
    precision: str
    date_end: dt.date | None = None
    relative: bool = False
    ambiguous: bool = False


class _Impossible:
    pass


IMPOSSIBLE = _Impossible()
_Result = _Val | _Impossible | None


@dataclass(frozen=True)
class _Ctx:
    ref: dt.date | None
    day_first: bool
    future: bool
    vocab: DateVocab
    params: Mapping[str, Any]


def _g(g: Mapping[str, str | None], key: str) -> str | None:
    v = g.get(key)
    return v if v else None


def _month(s: str, v: DateVocab) -> int | None:
    return int(s) if s.isdigit() else v.months.get(_norm(s))


def _weekday(g: Mapping[str, str | None], v: DateVocab) -> int | None:
    s = _g(g, "weekday")
    return v.weekdays.get(_norm(s)) if s else None


def _which(g: Mapping[str, str | None], c: _Ctx, key: str = "which") -> int | None:
    s = _g(g, key)
    if s is None:
        return None
    s = _norm(s)
    if s in ("gone", "just gone"):
        return -1
    return c.vocab.which.get(s)


def _year(s: str | None, c: _Ctx) -> int | None:
    """A written year → int; two digits by the pivot; None when out of range."""
    if s is None:
        return None
    s = s.lstrip("'’")
    y = int(s)
    if len(s) <= 2:
        base = c.ref.year if c.ref else 2000
        y += 2000
        if y > base + c.vocab.yy_ahead:
            y -= 100
    return y if c.vocab.min_year <= y <= c.vocab.max_year else None


def _yearless(m: int, d: int, c: _Ctx, weekday: int | None = None) -> dt.date | None:
    """Day-month without a year: nearest on or before the note (after, if future wording);
    a weekday written beside it may choose the year instead."""
    assert c.ref is not None
    years = range(c.ref.year - 8, c.ref.year + 9) if (m, d) == (2, 29) else range(
        c.ref.year - 1, c.ref.year + 2)
    cands = [x for y in years if (x := _date(y, m, d))]
    best = _pick(cands, c.ref, c.future)
    if weekday is not None and (best is None or best.weekday() != weekday):
        wd = [x for x in cands if x.weekday() == weekday]
        if wd:
            best = min(wd, key=lambda x: abs((x - c.ref).days))  # type: ignore[operator]
    return best


def _possible_dm(m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= (29 if m == 2 else _last_day(2001, m))


def r_numeric(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    """d/m/y (en-GB) or m/d/y (en-US). Ambiguous when the other order is also a date
    (or is the only one); a weekday written beside it settles the order when it fits
    only one reading."""
    a, b = int(g["a"] or 0), int(g["b"] or 0)
    ys = _g(g, "year")
    if ys is None and g.get("sep") != "/":
        return None  # 10.30, 3-5: times and ranges, not dates
    year = _year(ys, c)
    if ys is not None and year is None:
        return None
    if year is None and c.ref is None:
        return None
    wd = _weekday(g, c.vocab)
    readings: list[tuple[dt.date, bool]] = []  # (date, is the locale's own order)
    orders = ((a, b), (b, a)) if c.day_first else ((b, a), (a, b))
    for own, (d, m) in zip((True, False), orders, strict=True):
        x = _date(year, m, d) if year else _yearless(m, d, c, wd) if _possible_dm(m, d) else None
        if x is not None and all(x != r for r, _ in readings):
            readings.append((x, own))
    if not readings:
        return IMPOSSIBLE if year else None
    if wd is not None and len(readings) == 2:
        fits = [x for x, _ in readings if x.weekday() == wd]
        if len(fits) == 1:
            return _Val(fits[0], "day", relative=year is None)
    x, own = readings[0]
    return _Val(x, "day", relative=year is None, ambiguous=len(readings) == 2 or not own)


def r_iso(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    y = _year(g["year"], c)
    if y is None:
        return None
    x = _date(y, int(g["month"] or 0), int(g["day"] or 0))
    return _Val(x, "day") if x else IMPOSSIBLE


def r_named(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    m = _month(g["month"] or "", c.vocab)
    d = int(g["day"] or 0)
    if m is None:
        return None
    ys = _g(g, "year")
    if ys is not None:
        y = _year(ys, c)
        if y is None:
            return None
        x = _date(y, m, d)
        return _Val(x, "day") if x else IMPOSSIBLE
    if not _possible_dm(m, d):
        return IMPOSSIBLE
    if c.ref is None:
        return None
    x = _yearless(m, d, c, _weekday(g, c.vocab))
    return _Val(x, "day", relative=True) if x else None


def _month_year(m: int, g: Mapping[str, str | None], c: _Ctx) -> tuple[int, bool] | None:
    """Year for a month named without a day: written, shifted by last/this/next, or nearest."""
    ys = _g(g, "year")
    if ys is not None:
        y = _year(ys, c)
        return (y, False) if y else None
    if c.ref is None:
        return None
    ref = c.ref
    w = _which(g, c)
    if w == 0:
        return ref.year, True
    if (w is not None and w < 0) or (w is None and not c.future):
        strict = w is not None
        y = ref.year if (m < ref.month or (m == ref.month and not strict)) else ref.year - 1
        return y, True
    strict = w is not None
    y = ref.year if (m > ref.month or (m == ref.month and not strict)) else ref.year + 1
    return y, True


def r_month(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    m = _month(g["month"] or "", c.vocab)
    if m is None:
        return None
    yr = _month_year(m, g, c)
    if yr is None:
        return None
    y, rel = yr
    part = _g(g, "part")
    if part:
        (d1, d2), _ = c.vocab.month_parts[_norm(part.replace("-", " "))]
        return _Val(dt.date(y, m, d1), "month", dt.date(y, m, min(d2, _last_day(y, m))),
                    relative=rel)
    return _Val(dt.date(y, m, 1), "month", relative=rel)


def _year_part(y: int, part: str | None, c: _Ctx, rel: bool) -> _Val:
    if part:
        _, (m1, m2) = c.vocab.month_parts[_norm(part.replace("-", " "))]
        return _Val(dt.date(y, m1, 1), "year", dt.date(y, m2, _last_day(y, m2)), relative=rel)
    return _Val(dt.date(y, 1, 1), "year", relative=rel)


def r_year(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    y = _year(g["year"], c)
    if y is None:
        return None
    y2s = _g(g, "year2")
    if y2s is not None:
        y2 = int(y2s) if len(y2s) == 4 else y // 100 * 100 + int(y2s)
        if not y < y2 <= c.vocab.max_year:
            return None
        return _Val(dt.date(y, 1, 1), "year", dt.date(y2, 12, 31))
    return _year_part(y, _g(g, "part"), c, False)


def r_relative_day(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    if c.ref is None:
        return None
    return _Val(c.ref + dt.timedelta(days=int(c.params.get("offset", 0))), "day",
                relative=True)


def _count(g: Mapping[str, str | None], c: _Ctx) -> tuple[int, bool] | None:
    s = _norm(g["num"] or "")
    if s.isdigit():
        return int(s), False
    if s in c.vocab.numbers:
        return c.vocab.numbers[s], False
    if s in c.vocab.approximate:
        return c.vocab.approximate[s], True
    return None


def r_offset(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    """N units ago (direction -1) or N units' time (direction +1)."""
    n = _count(g, c)
    if n is None or c.ref is None:
        return None
    num, approx = n
    unit, size = c.vocab.units[_norm(g["unit"] or "")]
    k = num * size * int(c.params.get("direction", -1))
    if unit == "day":
        x, prec = c.ref + dt.timedelta(days=k), "day"
    elif unit == "week":
        x, prec = c.ref + dt.timedelta(days=7 * k), "week"
    elif unit == "month":
        x, prec = _add_months(c.ref, k), "month"
    else:
        x, prec = _add_months(c.ref, 12 * k), "year"
    if x.year < c.vocab.min_year:
        return None
    return _Val(x, _COARSER[prec] if approx else prec, relative=True)


def r_period(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    """last/this/next week, month, year (shift from the `which` group or params)."""
    if c.ref is None:
        return None
    shift = c.params.get("shift")
    if shift is None:
        shift = _which(g, c)
    if shift is None:
        return None
    unit = _norm(g["unit"] or "")
    if unit == "week":
        return _Val(_monday(c.ref) + dt.timedelta(weeks=shift), "week", relative=True)
    if unit == "month":
        y, m = _shift_month(c.ref.year, c.ref.month, shift)
        part = _g(g, "part")
        if part:
            (d1, d2), _ = c.vocab.month_parts[_norm(part.replace("-", " "))]
            return _Val(dt.date(y, m, d1), "month", dt.date(y, m, min(d2, _last_day(y, m))),
                        relative=True)
        return _Val(dt.date(y, m, 1), "month", relative=True)
    return _year_part(c.ref.year + shift, _g(g, "part"), c, True)


def r_weekday(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    """A weekday: last/next/this, or by default the most recent one before the note
    (the next one after it when the wording says future)."""
    wd = _weekday(g, c.vocab)
    if wd is None or c.ref is None:
        return None
    ref = c.ref
    w = c.params.get("which")
    if w is None:
        w = _which(g, c)
    if w is None:
        w = _which(g, c, "which2")
    if w == 0:
        x = _monday(ref) + dt.timedelta(days=wd)
    elif w == 1 or (w is None and c.future):
        x = ref + dt.timedelta(days=(wd - ref.weekday()) % 7 or 7)
    else:
        x = ref - dt.timedelta(days=(ref.weekday() - wd) % 7 or 7)
    return _Val(x + dt.timedelta(weeks=int(c.params.get("weeks", 0))), "day", relative=True)


def r_weekday_in_week(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    wd, w = _weekday(g, c.vocab), _which(g, c)
    if wd is None or w is None or c.ref is None:
        return None
    return _Val(_monday(c.ref) + dt.timedelta(weeks=w, days=wd), "day", relative=True)


def r_weekend(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    """Saturday to Sunday of the weekend meant (precision day, date_end Sunday)."""
    if c.ref is None:
        return None
    ref = c.ref
    w = c.params.get("shift")
    if w is None:
        w = _which(g, c)
    recent = ref - dt.timedelta(days=(ref.weekday() - 5) % 7)  # last Saturday on/before ref
    if w == 0:
        sat = _monday(ref) + dt.timedelta(days=5)
    elif w is not None and w > 0:
        sat = ref + dt.timedelta(days=(5 - ref.weekday()) % 7 or 7)
    elif w is not None and w < 0:
        sat = recent - dt.timedelta(weeks=1 if ref.weekday() >= 5 else 0)
        sat -= dt.timedelta(weeks=-1 - w)
    elif c.future:
        sat = ref + dt.timedelta(days=(5 - ref.weekday()) % 7)
    else:
        sat = recent
    return _Val(sat, "day", sat + _ONE_DAY, relative=True)


def r_day_of_month(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    """'on the 3rd': that day in the note's month or the nearest month before it."""
    if c.ref is None:
        return None
    d = int(g["day"] or 0)
    cands = [x for k in range(-12, 13)
             if (x := _date(*_shift_month(c.ref.year, c.ref.month, k), d))]
    wd = _weekday(g, c.vocab)
    if wd is not None:
        near = [x for x in cands if x.weekday() == wd and abs((x - c.ref).days) < 120]
        x = _pick(near, c.ref, c.future) or (
            min(near, key=lambda y: abs((y - c.ref).days)) if near else None)  # type: ignore[operator]
    else:
        x = _pick(cands, c.ref, c.future)
    return _Val(x, "day", relative=True) if x else None


def r_season(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    months = c.vocab.seasons[_norm(g["season"] or "")]

    def span(y: int) -> tuple[dt.date, dt.date]:
        ey, em = _shift_month(y, months[0], len(months) - 1)
        return dt.date(y, months[0], 1), dt.date(ey, em, _last_day(ey, em))

    ys = _g(g, "year")
    if ys is not None:
        y = _year(ys, c)
        if y is None:
            return None
        s, e = span(y)
        return _Val(s, "month", e)
    if c.ref is None:
        return None
    ref = c.ref
    spans = [span(y) for y in range(ref.year - 2, ref.year + 2)]
    w = _which(g, c)
    if w == 0:
        pick = next(((s, e) for s, e in spans if s <= ref <= e), None) or next(
            (s, e) for s, e in spans if s.year == ref.year)
    elif w is not None and w < 0:
        pick = max((s, e) for s, e in spans if e < ref)
    elif w is not None and w > 0:
        pick = min((s, e) for s, e in spans if s > ref)
    elif c.future:
        pick = min((s, e) for s, e in spans if e >= ref)
    else:
        pick = max((s, e) for s, e in spans if s <= ref)
    return _Val(pick[0], "month", pick[1], relative=True)


def r_festival(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    fest = c.vocab.festivals[_norm(g["festival"] or "")]

    def on(y: int) -> dt.date:
        if fest.easter is not None:
            return _easter(y) + dt.timedelta(days=fest.easter)
        return dt.date(y, fest.month or 1, fest.day or 1)

    ys = _g(g, "year")
    if ys is not None:
        y = _year(ys, c)
        return _Val(on(y), fest.precision) if y else None
    if c.ref is None:
        return None
    ref = c.ref
    w = _which(g, c)
    cands = [on(y) for y in range(ref.year - 1, ref.year + 2)]
    if w == 0:
        x: dt.date | None = on(ref.year)
    elif w is not None:
        x = _pick(cands, ref, w > 0, strict=True)
    else:
        x = _pick(cands, ref, c.future)
    return _Val(x, fest.precision, relative=True) if x else None


def r_day_range(g: Mapping[str, str | None], c: _Ctx) -> _Result:
    """'3-5 March', 'between 3 and 5 March', '28 Feb - 3 March 2024', 'March 3-5'."""
    m1 = _month(g["month"] or "", c.vocab)
    m2 = _month(g["month2"], c.vocab) if _g(g, "month2") else m1
    if m1 is None or m2 is None:
        return None
    d1, d2 = int(g["day"] or 0), int(g["day2"] or 0)
    if not (_possible_dm(m1, d1) and _possible_dm(m2, d2)):
        return IMPOSSIBLE
    if (m2, d2) == (m1, d1) or (m1 == m2 and d2 < d1):
        return None
    wrap = (m2, d2) < (m1, d1)
    ys = _g(g, "year")
    if ys is not None:
        y2 = _year(ys, c)
        if y2 is None:
            return None
        s, e = _date(y2 - wrap, m1, d1), _date(y2, m2, d2)
        return _Val(s, "day", e) if s and e else IMPOSSIBLE
    if c.ref is None:
        return None
    s = _yearless(m1, d1, c)
    if s is None:
        return None
    e = _date(s.year + wrap, m2, d2)
    return _Val(s, "day", e, relative=True) if e else None


_Resolver = Callable[[Mapping[str, "str | None"], _Ctx], _Result]
_RESOLVERS: dict[str, _Resolver] = {
    "numeric": r_numeric,
    "iso": r_iso,
    "named": r_named,
    "month": r_month,
    "year": r_year,
    "relative_day": r_relative_day,
    "offset": r_offset,
    "period": r_period,
    "weekday": r_weekday,
    "weekday_in_week": r_weekday_in_week,
    "weekend": r_weekend,
    "day_of_month": r_day_of_month,
    "season": r_season,
    "festival": r_festival,
    "day_range": r_day_range,
}
# resolver → (groups every pattern must have, params allowed)
_RESOLVER_SIGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "numeric": (("a", "b", "sep"), ()),
    "iso": (("year", "month", "day"), ()),
    "named": (("day", "month"), ()),
    "month": (("month",), ()),
    "year": (("year",), ()),
    "relative_day": ((), ("offset",)),
    "offset": (("num", "unit"), ("direction",)),
    "period": (("unit",), ("shift",)),
    "weekday": (("weekday",), ("which", "weeks")),
    "weekday_in_week": (("weekday", "which"), ()),
    "weekend": ((), ("shift",)),
    "day_of_month": (("day",), ()),
    "season": (("season",), ()),
    "festival": (("festival",), ()),
    "day_range": (("day", "day2", "month"), ()),
}


# ------------------------------------------------------------------------ finding


@dataclass(frozen=True)
class _Cand:
    start: int
    end: int
    rule: DateRule
    groups: dict[str, str | None]
    prefix: str | None = None


def _case_ok(text: str, m: re.Match[str], start: int, v: DateVocab) -> int | None:
    """Apply the capitalisation rule for words that are also English ('may', 'sat').
    Returns the (possibly trimmed) span start, or None to drop the match."""
    gi = m.re.groupindex
    anchored = any(k in gi and m.group(k) for k in ("a", "day", "year"))
    for key in ("weekday", "month", "month2"):
        if key not in gi or not m.group(key):
            continue
        tok = text[m.start(key):m.end(key)]
        if _norm(tok) not in v.ambiguous or not tok[0].islower():
            continue
        if key == "weekday":
            if not anchored:
                return None
            if m.start(key) == start:
                start = m.end(key)
                while start < len(m.string) and m.string[start] in " .,\t":
                    start += 1
            continue
        has = any(k in gi and m.group(k) for k in ("year", "ord"))
        if not has:
            return None
    return start


def _candidates(text: str, low: str, rules: DateRules, gate: bool = True) -> list[_Cand]:
    out: list[_Cand] = []
    present: dict[str, bool] = {}

    def has(p: re.Pattern[str]) -> bool:
        if p.pattern not in present:
            present[p.pattern] = p.search(low) is not None
        return present[p.pattern]

    for rule in rules.group("date+block"):
        if gate and not all(has(n) for n in rule.needs):
            continue
        for pat in rule.patterns:
            has_span = "span" in pat.groupindex
            for m in pat.finditer(low):
                s, e = m.span("span") if has_span and m.group("span") is not None else m.span()
                if rule.role == "date":
                    s2 = _case_ok(text, m, s, rules.vocab)
                    if s2 is None:
                        continue
                    s = s2
                    if text[e - 1] == ".":  # "on Tues." – the full stop ends the sentence
                        e -= 1
                groups = m.groupdict()
                pid = None
                for pr in rules.prefixes(rule.id):
                    pm = pr.patterns[0].search(low, max(0, s - 40), s)
                    if pm and _case_ok(text, pm, pm.start(), rules.vocab) == pm.start():
                        s, pid = pm.start(), pr.id
                        groups.update(pm.groupdict())
                        break
                if e > s:
                    out.append(_Cand(s, e, rule, groups, pid))
    return out


def _window(text: str, low: str, start: int, end: int, v: DateVocab,
            before: bool) -> tuple[int, str]:
    """Lower-cased text just before (or after) a span, cut at the nearest sentence
    boundary (found in the original text: the boundary rule looks at capitals)."""
    if before:
        lo = max(0, start - v.cue_window)
        cut = lo
        for b in v.boundary.finditer(text, lo, start):
            cut = b.end()
        return cut, low[cut:start]
    hi = min(len(text), end + v.cue_window)
    b = v.boundary.search(text, end, hi)
    return end, low[end:b.start() if b else hi]


def _cues(
    rules: DateRules, role: str, side: str, window: str
) -> tuple[str | None, re.Match[str] | None]:
    for r in rules.group(role, side):
        for p in r.patterns:
            m = p.search(window)
            if m:
                return r.id, m
    return None, None


def scan_dates(
    text: str, ref: dt.date | None, rules: DateRules, *, locale: str | None = None,
    _gate: bool = True,
) -> tuple[list[DateMatch], list[ImpossibleDate]]:
    """Find date expressions and impossible dates in one pass (see :func:`find_dates`)."""
    loc = locale or rules.locale
    if loc not in LOCALES:
        raise ValueError(f"locale must be one of {LOCALES}, not {loc!r}")
    if isinstance(ref, dt.datetime):
        ref = ref.date()
    v = rules.vocab
    low = text.translate(_LOWER)  # same length, same offsets
    cands = _candidates(text, low, rules, _gate)
    order = {r.id: i for i, r in enumerate(rules.rules)}
    cands.sort(key=lambda c: (c.start - c.end, c.rule.role != "block", c.start,
                              order[c.rule.id]))
    taken_s: list[int] = []
    taken_e: list[int] = []
    found: list[DateMatch] = []
    bad: list[ImpossibleDate] = []

    def free(s: int, e: int) -> bool:
        i = bisect_left(taken_s, e)
        return i == 0 or taken_e[i - 1] <= s

    def take(s: int, e: int) -> None:
        i = bisect_left(taken_s, s)
        taken_s.insert(i, s)
        taken_e.insert(i, e)

    for c in cands:
        s, e = c.start, c.end
        if not free(s, e):
            continue
        if c.rule.role == "block":
            take(s, e)
            continue
        lo, before = _window(text, low, s, e, v, True)
        _, after = _window(text, low, s, e, v, False)
        skip_id, _ = _cues(rules, "skip", "before", before)
        if skip_id is None:
            skip_id, _ = _cues(rules, "skip", "after", after)
        if skip_id is not None:
            take(s, e)  # a date of birth: claim it so no part of it is read
            continue
        cues: list[str] = []
        fut_id, _ = _cues(rules, "future", "before", before)
        if fut_id is None:
            fut_id, _ = _cues(rules, "future", "after", after)
        past_id, _ = _cues(rules, "past", "before", before)
        future = fut_id is not None and past_id is None
        if c.rule.requires_cue == "future" and not future:
            continue
        cues += [x for x in (fut_id, past_id) if x]
        gd = c.groups
        if c.prefix:
            cues.append(c.prefix)
        ctx = _Ctx(ref, loc == "en-GB", future, v, c.rule.params)
        assert c.rule.resolve is not None
        val = _RESOLVERS[c.rule.resolve](gd, ctx)
        if val is None:
            continue
        take(s, e)
        if isinstance(val, _Impossible):
            bad.append(ImpossibleDate(s, e, text[s:e], c.rule.id))
            continue
        week_id, wm = _cues(rules, "week_of", "before", before)
        if week_id is not None and wm is not None and val.precision == "day" \
                and val.date_end is None:
            s = lo + wm.start()
            val = replace(val, precision="week")
            cues.append(week_id)
        found.append(_make(text, s, e, val, ref, future, c.rule.id, tuple(cues)))
    found.sort(key=lambda d: d.value.start)
    return _join(text, low, found, rules), sorted(bad, key=lambda b: b.start)


def _make(text: str, s: int, e: int, val: _Val, ref: dt.date | None, cue_future: bool,
          rule: str, cues: tuple[str, ...]) -> DateMatch:
    future = val.date > ref if ref is not None else cue_future
    dv = DateValue(start=s, end=e, text=text[s:e], date=val.date, date_end=val.date_end,
                   precision=val.precision, relative=val.relative, ambiguous=val.ambiguous,
                   future=future)
    return DateMatch(dv, rule, cues)


def _period_end(d: DateValue) -> dt.date:
    if d.date_end is not None:
        return d.date_end
    x = d.date
    if d.precision == "week":
        return _monday(x) + dt.timedelta(days=6)
    if d.precision == "month":
        return dt.date(x.year, x.month, _last_day(x.year, x.month))
    if d.precision == "year":
        return dt.date(x.year, 12, 31)
    return x


def _join(text: str, low: str, found: list[DateMatch], rules: DateRules) -> list[DateMatch]:
    joins = rules.group("join")
    if not joins or len(found) < 2:
        return found
    out: list[DateMatch] = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found):
            b = found[i + 1]
            av, bv = a.value, b.value
            gap = low[av.end:bv.start]
            if (av.precision == bv.precision and av.date_end is None
                    and bv.date_end is None and bv.date > av.date and len(gap) <= 12):
                _, before = _window(text, low, av.start, av.end, rules.vocab, True)
                for j in joins:
                    if any(p.fullmatch(gap) for p in j.patterns) and (
                            j.before is None or j.before.search(before)):
                        end = _period_end(bv)
                        dv = replace(av, end=bv.end, text=text[av.start:bv.end],
                                     date_end=end, relative=av.relative or bv.relative,
                                     ambiguous=av.ambiguous or bv.ambiguous)
                        out.append(DateMatch(dv, j.id, a.cues + (a.rule, b.rule) + b.cues))
                        i += 2
                        break
                else:
                    out.append(a)
                    i += 1
                continue
        out.append(a)
        i += 1
    return out


def find_dates(
    text: str, ref: dt.date | None, rules: DateRules, *, locale: str | None = None
) -> list[DateValue]:
    """Date expressions in ``text``, sorted by start, non-overlapping (longest wins).

    ``ref`` is the note's own date: relative and year-less expressions are resolved
    against it and dropped when it is None. ``locale`` ("en-GB" day-first, "en-US"
    month-first) only changes how numeric dates such as 03/04/2024 are read; it defaults
    to ``rules.locale``. Dates of birth are skipped; impossible dates are not returned
    (see :func:`impossible_dates`).
    """
    return [m.value for m in scan_dates(text, ref, rules, locale=locale)[0]]


def explain_dates(
    text: str, ref: dt.date | None, rules: DateRules, *, locale: str | None = None
) -> list[DateMatch]:
    """Like :func:`find_dates`, with the rule id and cue ids behind each value."""
    return scan_dates(text, ref, rules, locale=locale)[0]


def impossible_dates(
    text: str, rules: DateRules, *, locale: str | None = None
) -> list[tuple[int, int, str]]:
    """Spans written as a date that does not exist (31/02/2024, 30th February)."""
    return [(b.start, b.end, b.text) for b in scan_dates(text, None, rules, locale=locale)[1]]
