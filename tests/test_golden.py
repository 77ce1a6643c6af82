"""Golden files: every case in sample_notes/ against its expected analysis JSON in
tests/golden/. After an intended change: ``pytest tests/test_golden.py --update-golden``
and review the diff."""

from __future__ import annotations

import pytest

from analyser.ingest import load_cases
from analyser.pipeline import analyse_case
from analyser.report.json_report import case_json, dumps, safe_name
from tests.conftest import GOLDEN, SAMPLE_NOTES


@pytest.fixture(scope="module")
def sample_results(resources, settings, ctx):
    cases = load_cases(SAMPLE_NOTES, ctx)
    return {c.case_id: dumps(case_json(analyse_case(c, resources, settings))) for c in cases}


def test_golden_sample_notes(sample_results, request):
    update = request.config.getoption("--update-golden")
    assert sample_results, "sample_notes/ holds no cases"
    if update:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.json"):
            old.unlink()
        for cid, text in sample_results.items():
            (GOLDEN / f"{safe_name(cid)}.json").write_text(text, encoding="utf-8")
        return
    expected = {p.stem: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.json")}
    got = {safe_name(cid): text for cid, text in sample_results.items()}
    assert sorted(got) == sorted(expected), "cases changed: run pytest --update-golden and review"
    changed = [cid for cid in got if got[cid] != expected[cid]]
    assert not changed, f"output changed for {changed}: run pytest --update-golden and review the diff"


def test_golden_sample_notes_have_no_warnings(sample_results):
    import json

    noisy = {cid: json.loads(t)["warnings"] for cid, t in sample_results.items() if json.loads(t)["warnings"]}
    assert not noisy
