"""Throughput of the whole analysis on sample_notes/ (replicated to a chosen size).

    .venv/bin/python bench/throughput.py [--copies 5] [--json]

Reports resource load time, ingest time, words per second overall and the share of time
each pipeline stage takes. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analyser.ingest import load_cases  # noqa: E402
from analyser.pipeline import analyse_case  # noqa: E402
from analyser.resources import load_resources  # noqa: E402
from analyser.settings import Settings  # noqa: E402
from analyser.timing import StageTimer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", type=Path, default=ROOT / "sample_notes")
    ap.add_argument("--copies", type=int, default=3, help="analyse the input this many times")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    settings = Settings()
    t0 = time.perf_counter()
    res = load_resources(settings)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    cases = load_cases(args.input, res.read_context())
    t_ingest = time.perf_counter() - t0
    words = sum(len(n.text.split()) for c in cases for n in c.notes)
    notes = sum(len(c.notes) for c in cases)
    timer = StageTimer()
    t0 = time.perf_counter()
    for _ in range(args.copies):
        for case in cases:
            analyse_case(case, res, settings, timer)
    t_an = time.perf_counter() - t0
    out = {
        "cases": len(cases) * args.copies, "notes": notes * args.copies, "words": words * args.copies,
        "load_s": round(t_load, 2), "ingest_s_per_copy": round(t_ingest, 3), "analyse_s": round(t_an, 2),
        "words_per_s": round(words * args.copies / t_an), "notes_per_s": round(notes * args.copies / t_an, 1),
        "stage_share": {k: round(v / t_an, 3) for k, v in sorted(timer.seconds.items(), key=lambda kv: -kv[1])},
    }
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        print(f"{out['cases']} cases, {out['notes']} notes, {out['words']} words")
        print(f"resources {t_load:.1f}s; ingest {t_ingest:.2f}s per copy; analyse {t_an:.1f}s "
              f"= {out['words_per_s']:,} words/s, {out['notes_per_s']} notes/s (1 process)")
        for k, v in out["stage_share"].items():
            print(f"  {k:<11} {v:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
