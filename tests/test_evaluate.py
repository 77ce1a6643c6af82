"""Scoring against gold: alignment, event matching, tag overlap, flag windows."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from analyser.evaluate import align_notes, evaluate, locate
from cli import app
from tests.conftest import SHARED


def _pred(notes=(), events=(), tags=(), flags=()):
    return {"case_id": "C", "schema_version": "1", "notes": list(notes), "events": list(events),
            "tags": list(tags), "flags": list(flags)}


def test_evaluate_alignment_survives_a_split_note():
    gold = ["2024-01-01", "2024-01-05", "2024-01-09"]
    pred = ["2024-01-01", None, "2024-01-05", "2024-01-09"]
    pairs = align_notes(gold, pred)
    assert [(g, p) for g, p in pairs if gold[g] == pred[p]] == [(0, 0), (1, 2), (2, 3)]


def test_evaluate_note_dates_recall():
    gold = {"case_id": "C", "notes": [{"index": 0, "date": "2024-01-01"}, {"index": 1, "date": "2024-01-02"}]}
    pred = _pred(notes=[{"note_id": "C-n0", "date": "2024-01-01", "text": ""},
                        {"note_id": "C-n1", "date": "2024-01-03", "text": ""}])
    s = evaluate([gold], {"C": pred})
    assert (s.note_dates.right, s.note_dates.total) == (1, 2)


def test_evaluate_events_prefer_same_outcome():
    gold = {"case_id": "C", "notes": [], "events": [
        {"date": "2024-01-01", "kind": "home_visit", "outcome": "no_access", "child_seen": False,
         "child_seen_alone": None}]}
    pred = _pred(events=[
        {"date": "2024-01-01", "kind": "home_visit", "outcome": "completed", "child_seen": True},
        {"date": "2024-01-01", "kind": "home_visit", "outcome": "no_access", "child_seen": False}])
    s = evaluate([gold], {"C": pred})
    assert (s.events_dk.tp, s.events_dk.fp, s.events_dk.fn) == (1, 1, 0)
    assert (s.events_dko.tp, s.events_dko.fp) == (1, 1)
    assert (s.child_seen.right, s.child_seen.total) == (1, 1)
    assert s.child_seen_alone.total == 0


def test_evaluate_tags_overlap_and_fp_clusters():
    text = "No answer at the door. Mum shouted at me. Weather was fine."
    gold = {"case_id": "C", "notes": [{"index": 0, "date": "2024-01-01"}],
            "sentences": [{"note_index": 0, "text": "No answer at the door.", "labels": ["avoidance"]},
                          {"note_index": 0, "text": "Mum shouted at me.", "labels": ["hostility"]}],
            "negatives": [{"note_index": 0, "text": "Weather was fine.", "why": "x"}]}

    def tag(label, a, b, assertion="affirmed"):
        return {"note_id": "C-n0", "label": label, "assertion": assertion, "start": a, "end": b}

    pred = _pred(notes=[{"note_id": "C-n0", "date": "2024-01-01", "text": text}], tags=[
        tag("avoidance", 0, 22), tag("hostility", 23, 41, "negated"),
        tag("denial", 42, 59), tag("denial", 45, 50)])
    s = evaluate([gold], {"C": pred})
    assert s.labels["avoidance"].tp == 1
    assert s.labels["hostility"].fn == 1  # negated tags do not count
    assert s.labels["denial"].fp == 1  # two overlapping false positives count once
    assert (s.negatives.right, s.negatives.total) == (1, 1)


def test_evaluate_flags_within_three_days():
    gold = {"case_id": "C", "notes": [], "flags": [{"rule": "drift", "date": "2024-01-10"},
                                                  {"rule": "drift", "date": "2024-03-01"}]}
    pred = _pred(flags=[{"rule": "drift", "date": "2024-01-13"}, {"rule": "drift", "date": "2024-03-05"}])
    s = evaluate([gold], {"C": pred})
    assert (s.flags["drift"].tp, s.flags["drift"].fp, s.flags["drift"].fn) == (1, 1, 1)


@pytest.mark.parametrize("sentence,text,expected", [
    ("Mum said no.", "Visit. Mum said no. End.", (7, 19)),
    ("Mum said\nno.", "Visit. Mum said no. End.", (7, 19)),
    ("absent", "Visit.", None),
])
def test_evaluate_locate(sentence, text, expected):
    assert locate(sentence, text) == expected


def test_evaluate_cli_on_e01(tmp_path):
    src = tmp_path / "cases"
    (src / "E01").mkdir(parents=True)
    shutil.copy(SHARED / "examples" / "E01" / "case_notes.txt", src / "E01" / "case_notes.txt")
    shutil.copy(SHARED / "examples" / "E01" / "gold.json", src / "E01" / "gold.json")
    runner = CliRunner()
    assert runner.invoke(app, ["analyse", str(src), "--out", str(tmp_path / "out")]).exit_code == 0
    res = runner.invoke(app, ["evaluate", str(src), "--pred", str(tmp_path / "out"),
                              "--json", str(tmp_path / "scores.json")])
    assert res.exit_code == 0, res.output
    scores = json.loads((tmp_path / "scores.json").read_text())
    assert scores["notes"]["date_recall"]["accuracy"] == 1.0
    assert "note-date recall" in res.output
