"""The whole path from files to analysis JSON: contract, evidence invariant, determinism."""

from __future__ import annotations

import importlib.util
import json
import shutil

from typer.testing import CliRunner

from analyser.ingest import load_cases
from analyser.pipeline import analyse_case
from analyser.report.json_report import case_json, dumps
from cli import app
from tests.conftest import SHARED

E01 = SHARED / "examples" / "E01"


def _check_output():
    spec = importlib.util.spec_from_file_location("check_output", SHARED / "tools" / "check_output.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_pipeline_e01_contract_and_invariants(tmp_path, resources, settings, ctx):
    shutil.copy(E01 / "case_notes.txt", tmp_path / "E01.txt")
    [case] = load_cases(tmp_path, ctx)
    doc = case_json(analyse_case(case, resources, settings))
    assert _check_output().check(doc, "E01.json") == []
    notes = {n["note_id"]: n for n in doc["notes"]}
    for ev in doc["events"]:
        span = ev["evidence"]
        assert notes[ev["note_id"]]["text"][span["start"]:span["end"]] == span["text"]
    for tag in doc["tags"]:
        assert notes[tag["note_id"]]["text"][tag["start"]:tag["end"]] == tag["text"]
    assert len(doc["notes"]) == 11
    assert [e["event_id"] for e in doc["events"]] == sorted(e["event_id"] for e in doc["events"])


def test_pipeline_deterministic_bytes(tmp_path, resources, settings, ctx):
    shutil.copy(E01 / "case_notes.txt", tmp_path / "E01.txt")
    runs = []
    for _ in range(2):
        [case] = load_cases(tmp_path, ctx)
        runs.append(dumps(case_json(analyse_case(case, resources, settings))))
    assert runs[0] == runs[1]


def test_pipeline_cli_analyse_writes_contract_json(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(E01 / "case_notes.txt", src / "E01.txt")
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["analyse", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "2 cases, 11 notes" in res.output
    assert _check_output().main([str(out)]) == 0
    summary = json.loads((out / "run_summary.json").read_text())
    assert {"file": "empty.txt", "notes": 0, "warnings": 1} in summary["files"]
    empty = json.loads((out / "empty.json").read_text())
    assert empty["notes"] == [] and "empty file" in empty["warnings"][0]["message"]
    # no note text on the terminal
    assert "Jayden" not in res.output


def test_pipeline_cli_workers_same_bytes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("A", "B", "C"):
        shutil.copy(E01 / "case_notes.txt", src / f"{name}.txt")
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        res = CliRunner().invoke(app, ["analyse", str(src), "--out", str(out), "--workers", workers])
        assert res.exit_code == 0, res.output
        outs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.json")) if p.name != "run_summary.json"})
    assert outs[0] == outs[1]


def test_pipeline_cli_help_has_examples():
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for cmd in ("analyse", "evaluate"):
        res = runner.invoke(app, [cmd, "--help"])
        assert res.exit_code == 0 and "Example:" in res.output


def test_pipeline_cli_missing_input(tmp_path):
    res = CliRunner().invoke(app, ["analyse", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "no such file" in res.output


def test_pipeline_cli_chronology_and_flags(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(E01 / "case_notes.txt", src / "E01.txt")
    out = tmp_path / "out"
    runner = CliRunner()
    res = runner.invoke(app, ["chronology", str(src), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert (out / "E01_chronology.csv").is_file() and (out / "E01_chronology.xlsx").is_file()
    doc = json.loads((out / "E01.json").read_text())
    res = runner.invoke(app, ["flags", str(out / "E01.json")])
    assert res.exit_code == 0, res.output
    assert f"case E01: {len(doc['flags'])} flags" in res.output
    assert doc["flags"], "E01 raises flags"
    # flags straight from case notes give the same count
    res2 = runner.invoke(app, ["flags", str(src / "E01.txt")])
    assert res2.exit_code == 0 and f"{len(doc['flags'])} flags" in res2.output


def test_pipeline_cli_policy_override_changes_flags(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(E01 / "case_notes.txt", src / "E01.txt")
    policy = tmp_path / "la.yaml"
    policy.write_text("rules:\n  hostility_incident:\n    enabled: false\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["analyse", str(src), "--out", str(tmp_path / "a")]).exit_code == 0
    res = runner.invoke(app, ["analyse", str(src), "--out", str(tmp_path / "b"), "--policy", str(policy)])
    assert res.exit_code == 0, res.output
    rules_a = {f["rule"] for f in json.loads((tmp_path / "a" / "E01.json").read_text())["flags"]}
    rules_b = {f["rule"] for f in json.loads((tmp_path / "b" / "E01.json").read_text())["flags"]}
    assert "hostility_incident" in rules_a and rules_b == rules_a - {"hostility_incident"}
