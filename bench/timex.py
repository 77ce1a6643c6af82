"""Score ``find_dates`` on the TempEval-3 platinum test set (TimeML TIMEX3).

Usage (from the repo root)::

    .venv/bin/python bench/timex.py [CORPUS_DIR] [--locale en-GB|en-US|both] [--json] [--errors]

The corpus is research-only: this script reads it where it lies and never writes its
text anywhere (``--errors`` prints mismatches to the terminal only).

Scoring, as TempEval-3 defines it: extents *strict* (same characters) and *relaxed*
(overlap), precision / recall / F1; value accuracy over relaxed matches; "value F1"
counts a prediction correct when it overlaps a gold expression and has its value.
Two gold settings:

* ``DATE`` (primary): gold = TIMEX3 of type DATE. A prediction that overlaps only a
  TIME, DURATION or SET expression ("Friday afternoon" is TIME) is left out of the
  precision count: those types are out of scope, not wrong.
* ``all``: gold = every TIMEX3 (the TE3 setting behind the published HeidelTime
  figure); our finder never emits durations or sets, so recall is capped.

Our values map to TIMEX3 as: precision day → YYYY-MM-DD, month → YYYY-MM (a meteorological
season → YYYY-SP/SU/FA/WI), year → YYYY, week → YYYY-Www, a Saturday-Sunday range →
YYYY-Www-WE; other ranges take their first day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyser.annotate.dates import DateRules, find_dates, load_date_rules
from analyser.model import DateValue
from analyser.resources import ROOT

DEFAULT_CORPUS = ROOT / ".." / "shared" / "benchmarks" / "timex" / "tempeval3-platinum"
HEIDELTIME_VALUE_F1 = 77.6  # TempEval-3 task A, HeidelTime, value F1 (all TIMEX3 types)
SEASONS = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True)
class Doc:
    name: str
    dct: dt.date
    text: str
    gold: tuple[Gold, ...]


def read_tml(path: Path) -> Doc:
    """Plain text of <TEXT> with tags stripped, TIMEX3 offsets into it, and the DCT."""
    root = ET.parse(path).getroot()
    dct_el = root.find("DCT/TIMEX3")
    text_el = root.find("TEXT")
    if dct_el is None or text_el is None:
        raise ValueError(f"{path.name}: no DCT or TEXT")
    dct = dt.date.fromisoformat(dct_el.get("value", "")[:10])
    parts: list[str] = []
    gold: list[Gold] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3":
            gold.append(Gold(start, pos, el.get("type", ""), el.get("value", ""),
                             "".join(parts)[start:pos]))

    walk(text_el)
    return Doc(path.stem, dct, "".join(parts), tuple(gold))


def timex_value(v: DateValue) -> str:
    """Our date and precision as a TIMEX3 value."""
    d = v.date
    if v.precision == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if v.precision == "month":
        if (v.date_end and d.day == 1 and d.month in SEASONS
                and (v.date_end.year * 12 + v.date_end.month) - (d.year * 12 + d.month) == 2):
            return f"{d.year}-{SEASONS[d.month]}"
        return f"{d.year}-{d.month:02d}"
    if v.precision == "year":
        return f"{d.year}"
    if v.date_end == d + dt.timedelta(days=1) and d.weekday() == 5:
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}-WE"
    return d.isoformat()


def _prf(hit_p: int, n_pred: int, hit_g: int, n_gold: int) -> dict[str, float]:
    p = hit_p / n_pred if n_pred else 0.0
    r = hit_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(100 * f, 1)}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(docs: list[Doc], preds: list[list[DateValue]], types: set[str] | None,
          errors: list[str] | None = None) -> dict[str, Any]:
    """TE3-style extent and value scores; ``types`` None means every TIMEX3 type."""
    n_gold = n_pred = strict = relaxed = value_ok = 0
    for doc, pv in zip(docs, preds, strict=True):
        gold = [g for g in doc.gold if types is None or g.type in types]
        other = [g for g in doc.gold if types is not None and g.type not in types]
        pv = [v for v in pv if any(_overlap((v.start, v.end), (g.start, g.end)) for g in gold)
              or not any(_overlap((v.start, v.end), (g.start, g.end)) for g in other)]
        n_gold += len(gold)
        n_pred += len(pv)
        used: set[int] = set()
        for g in gold:
            j = next((i for i, v in enumerate(pv) if i not in used
                      and _overlap((v.start, v.end), (g.start, g.end))), None)
            if j is None:
                if errors is not None:
                    errors.append(f"{doc.name}\tMISS\t{g.type}\t{g.value}\t{g.text!r}")
                continue
            used.add(j)
            v = pv[j]
            relaxed += 1
            strict += (v.start, v.end) == (g.start, g.end)
            ok = timex_value(v) == g.value
            value_ok += ok
            if errors is not None and (not ok or (v.start, v.end) != (g.start, g.end)):
                errors.append(f"{doc.name}\t{'VALUE' if not ok else 'EXTENT'}\t{g.type}\t"
                              f"gold {g.value} {g.text!r}\tours {timex_value(v)} {v.text!r}")
        if errors is not None:
            for i, v in enumerate(pv):
                if i not in used:
                    errors.append(f"{doc.name}\tFALSE\t-\tours {timex_value(v)} {v.text!r}")
    out = {
        "gold": n_gold,
        "predicted": n_pred,
        "strict": _prf(strict, n_pred, strict, n_gold),
        "relaxed": _prf(relaxed, n_pred, relaxed, n_gold),
        "value": _prf(value_ok, n_pred, value_ok, n_gold),
        "value_accuracy": round(100 * value_ok / relaxed, 1) if relaxed else 0.0,
    }
    return out


def run(corpus: Path, locales: list[str], rules: DateRules,
        show_errors: bool = False) -> dict[str, Any]:
    files = sorted(corpus.glob("*.tml"))
    if not files:
        raise SystemExit(f"no .tml files in {corpus}")
    docs = [read_tml(f) for f in files]
    words = sum(len(d.text.split()) for d in docs)
    result: dict[str, Any] = {
        "corpus": str(corpus.resolve()),
        "documents": len(docs),
        "words": words,
        "gold_by_type": {t: sum(g.type == t for d in docs for g in d.gold)
                         for t in ("DATE", "TIME", "DURATION", "SET")},
        "heideltime_value_f1": HEIDELTIME_VALUE_F1,
        "runs": [],
    }
    for loc in locales:
        secs = float("inf")
        for _ in range(5):  # best of five: the corpus is small, timings are noisy
            t0 = time.perf_counter()
            preds = [find_dates(d.text, d.dct, rules, locale=loc) for d in docs]
            secs = min(secs, time.perf_counter() - t0)
        for label, types in (("DATE", {"DATE"}), ("all", None)):
            errs: list[str] | None = [] if show_errors and label == "DATE" else None
            row = {"locale": loc, "gold_set": label, **score(docs, preds, types, errs),
                   "words_per_s": round(words / secs) if secs else None}
            result["runs"].append(row)
            if errs:
                print(f"# mismatches, {loc}, DATE gold", file=sys.stderr)
                print("\n".join(errs), file=sys.stderr)
    return result


def table(res: dict[str, Any]) -> str:
    head = (f"TempEval-3 platinum: {res['documents']} docs, {res['words']} words, gold "
            + ", ".join(f"{k} {v}" for k, v in res["gold_by_type"].items()))
    cols = ("locale", "gold", "strict P/R/F1", "relaxed P/R/F1", "value P/R/F1", "val acc",
            "HeidelTime val F1", "words/s")
    rows = [cols]
    for r in res["runs"]:
        def prf(k: str, r: dict[str, Any] = r) -> str:
            return f"{r[k]['p']:.1f}/{r[k]['r']:.1f}/{r[k]['f1']:.1f}"
        rows.append((r["locale"], f"{r['gold_set']} ({r['gold']})", prf("strict"),
                     prf("relaxed"), prf("value"), f"{r['value_accuracy']:.1f}",
                     f"{res['heideltime_value_f1']:.1f}", f"{r['words_per_s']:,}"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(cols))]
    lines = [head, ""]
    for i, row in enumerate(rows):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append("HeidelTime: published TE3 value F1 over all TIMEX3 types (DATE, TIME, "
                 "DURATION, SET); compare with the 'all' rows.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                    help="folder of TempEval-3 .tml files (default: %(default)s)")
    ap.add_argument("--locale", choices=("en-GB", "en-US", "both"), default="both",
                    help="reading of numeric dates (the corpus is US news: en-US)")
    ap.add_argument("--rules", type=Path, default=None, help="date rule folder")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--errors", action="store_true",
                    help="list misses, false positives and wrong values on stderr")
    args = ap.parse_args(argv)
    locales = ["en-GB", "en-US"] if args.locale == "both" else [args.locale]
    res = run(args.corpus, locales, load_date_rules(args.rules), args.errors)
    print(json.dumps(res, indent=2) if args.json else table(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
