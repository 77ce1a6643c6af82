"""casechron command line: thin typer commands over the pipeline, evaluation and writers.

This is the only code that prints. It never prints note text.
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="casechron: case notes into chronologies, typology tags and escalation flags, offline.",
)
console = Console(stderr=True, soft_wrap=True)
out_console = Console(soft_wrap=True)


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


def _settings(columns: Path | None, explain: bool, spacy_model: str | None, policy: Path | None = None):
    from analyser.errors import CasechronError
    from analyser.lexicon import load_yaml
    from analyser.settings import Settings

    column_map: dict[str, str] = {}
    if columns is not None:
        try:
            doc = load_yaml(columns)
        except CasechronError as exc:
            _fail(str(exc))
        known = {"case_id", "date", "time", "text", "note_type", "author", "agency", "note_id"}
        if not isinstance(doc, dict) or not set(doc) <= known:
            _fail(f"{columns}: a mapping of field to column name; fields: {', '.join(sorted(known))}")
        column_map = {str(k): str(v) for k, v in doc.items()}
    if policy is not None and not policy.is_file():
        _fail(f"{policy}: no such policy file")
    return Settings(column_map=column_map, explain=explain, spacy_model=spacy_model, policy=policy)


# Worker-process state for --workers > 1 (each process loads resources once).
_WORKER: dict[str, Any] = {}


def _init_worker(settings) -> None:
    from analyser.resources import load_resources

    _WORKER["settings"] = settings
    _WORKER["resources"] = load_resources(settings)


def _run_case(case):
    from analyser.pipeline import analyse_case

    return analyse_case(case, _WORKER["resources"], _WORKER["settings"])


def _run(path: Path, out: Path, settings, workers: int, writers) -> None:
    """Analyse every case under ``path`` and hand each result to ``writers``; print the summary."""
    from analyser.errors import CasechronError
    from analyser.ingest import load_cases
    from analyser.resources import load_resources

    t0 = time.perf_counter()
    try:
        resources = load_resources(settings)
        cases = load_cases(path, resources.read_context(settings.column_map))
    except CasechronError as exc:
        _fail(str(exc))
    out.mkdir(parents=True, exist_ok=True)
    n_notes = n_warn = 0
    files: dict[str, int] = {}
    warned: dict[str, int] = {}
    progress = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True,
                        disable=len(cases) <= 1)
    with progress:
        task = progress.add_task("cases", total=len(cases))
        if workers > 1 and len(cases) > 1:
            pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(settings,))
            results = pool.map(_run_case, cases, chunksize=max(1, len(cases) // (workers * 8)))
        else:
            from analyser.pipeline import analyse_case

            pool = None
            results = (analyse_case(c, resources, settings) for c in cases)
        try:
            for result in results:
                for write in writers:
                    write(result, out)
                n_notes += len(result.notes)
                n_warn += len(result.warnings)
                for f, k in result.notes_per_file.items():
                    files[f] = files.get(f, 0) + k
                for w in result.warnings:
                    warned[w.source.file] = warned.get(w.source.file, 0) + 1
                progress.advance(task)
        finally:
            if pool is not None:
                pool.shutdown()
    problem_files = [(f, k, warned.get(f, 0)) for f, k in sorted(files.items()) if k == 0 or warned.get(f)]
    summary = {"cases": len(cases), "notes": n_notes, "warnings": n_warn,
               "files": [{"file": f, "notes": k, "warnings": warned.get(f, 0)}
                         for f, k in sorted(files.items())]}
    (out / "run_summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    if problem_files:
        table = Table(title="files with warnings or no notes", show_lines=False)
        for col in ("file", "notes read", "warnings"):
            table.add_column(col)
        for f, k, w in problem_files[:50]:
            table.add_row(f, str(k), str(w))
        console.print(table)
        if len(problem_files) > 50:
            console.print(f"... and {len(problem_files) - 50} more (see {out / 'run_summary.json'})")
    dt_s = time.perf_counter() - t0
    out_console.print(f"{len(cases)} cases, {n_notes} notes, {n_warn} warnings, "
                      f"{len(files)} files in {dt_s:.1f}s -> {out}/ (per-file counts: "
                      f"{out / 'run_summary.json'})")


def _json_writer(explain: bool):
    from analyser.report.json_report import write_case_json

    return lambda result, out: write_case_json(result, out, explain)


@app.command()
def analyse(
    path: Annotated[Path, typer.Argument(help="A case file, a folder of case files, or a folder of case folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for one analysis JSON per case.")] = Path("out"),
    columns: Annotated[Path | None, typer.Option(
        help="YAML mapping of field to column name for table exports, e.g. 'date: Visit Date'.")] = None,
    explain: Annotated[bool, typer.Option(help="Add the rule entry id or model score behind each tag.")] = False,
    spacy_model: Annotated[str | None, typer.Option(
        help="Installed spaCy pipeline for parsing (default: rules on blank English).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes for bulk runs.")] = 1,
    policy: Annotated[Path | None, typer.Option(
        help="Local policy YAML overriding trigger thresholds (see lexicons/policy/example-override.yaml).")] = None,
) -> None:
    """Analyse case notes into analysis JSON (one file per case).

    Example: casechron analyse sample_notes --out out
    """
    settings = _settings(columns, explain, spacy_model, policy)
    _run(path, out, settings, workers, [_json_writer(explain)])


@app.command()
def chronology(
    path: Annotated[Path, typer.Argument(help="A case file, a folder of case files, or a folder of case folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the chronologies.")] = Path("out"),
    columns: Annotated[Path | None, typer.Option(help="YAML mapping of field to column name for tables.")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes for bulk runs.")] = 1,
    policy: Annotated[Path | None, typer.Option(help="Local policy YAML overriding trigger thresholds.")] = None,
) -> None:
    """Write each case's chronology as CSV and XLSX (frozen header, filters) beside its analysis JSON.

    Example: casechron chronology sample_notes/S01 --out out
    """
    from analyser.report.chronology_table import write_chronology_csv, write_chronology_xlsx
    from analyser.report.json_report import safe_name

    def tables(result, out_dir: Path) -> None:
        stem = safe_name(result.case_id)
        write_chronology_csv(result, out_dir / f"{stem}_chronology.csv")
        write_chronology_xlsx(result, out_dir / f"{stem}_chronology.xlsx")

    settings = _settings(columns, False, None, policy)
    _run(path, out, settings, workers, [_json_writer(False), tables])


@app.command()
def flags(
    path: Annotated[Path, typer.Argument(help="An analysis JSON file, or case notes to analyse now.")],
    columns: Annotated[Path | None, typer.Option(help="YAML mapping of field to column name for tables.")] = None,
    policy: Annotated[Path | None, typer.Option(help="Local policy YAML overriding trigger thresholds.")] = None,
) -> None:
    """Print a case's flags as a table (rule, date, severity, status, explanation).

    Example: casechron flags out/S01.json   (or: casechron flags sample_notes/S01/case_notes.txt)
    """
    from analyser.errors import CasechronError
    from analyser.report.flags_table import flag_rows

    docs: list[dict[str, Any]] = []
    if path.is_file() and path.suffix.lower() == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            _fail(f"{path}: not JSON ({exc})")
        if not isinstance(doc, dict) or "schema_version" not in doc:
            _fail(f"{path}: not an analysis JSON file")
        docs.append(doc)
    else:
        from analyser.ingest import load_cases
        from analyser.pipeline import analyse_case
        from analyser.report.json_report import case_json
        from analyser.resources import load_resources

        settings = _settings(columns, False, None, policy)
        try:
            resources = load_resources(settings)
            cases = load_cases(path, resources.read_context(settings.column_map))
        except CasechronError as exc:
            _fail(str(exc))
        docs = [case_json(analyse_case(c, resources, settings)) for c in cases]
    for doc in docs:
        rows = flag_rows(doc)
        table = Table(title=f"case {doc.get('case_id')}: {len(rows)} flags", show_lines=True)
        for col, style in (("date", None), ("rule", None), ("severity", None), ("status", None),
                           ("explanation", None)):
            table.add_column(col, style=style, overflow="fold")
        colour = {"high": "red", "medium": "yellow", "low": "green"}
        for r in rows:
            sev = r["severity"]
            table.add_row(r["date"], r["rule"], f"[{colour.get(sev, 'white')}]{sev}[/]", r["status"],
                          r["explanation"])
        out_console.print(table)
        esc = doc.get("escalation")
        if esc:
            out_console.print(f"escalation ({esc.get('path')} path): steps recorded "
                              f"{esc.get('steps_recorded')}, next step {esc.get('next_step')}")


def _cv_predictions(gold_dir: Path, k: int) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]], bool]:
    """Analysis JSON for every gold case, twice: with each case's fold classifier (trained
    without that case, k-fold by case), and as shipped (the fold classifiers only if the
    model card enables the classifier). Returns (shipped, with_model, enabled)."""
    from dataclasses import replace

    from analyser.annotate.classifier import load_classifier
    from analyser.ingest import load_cases
    from analyser.pipeline import analyse_case
    from analyser.report.json_report import case_json
    from analyser.resources import load_resources
    from analyser.settings import Settings
    from analyser.train import cross_validate

    settings = Settings(use_classifier=False)
    resources = load_resources(settings)
    enabled = load_classifier() is not None
    cases = {c.case_id: c for c in load_cases(gold_dir, resources.read_context())}
    console.print(f"cross-validating the classifier: {k} folds by case (a few minutes)")
    report = cross_validate(gold_dir, k=k)
    with_model: dict[str, dict[str, Any]] = {}
    for fold in report.folds:
        fold_res = replace(resources, classifier=fold.classifier)
        for cid in fold.held_out:
            if cid in cases:
                with_model[cid] = case_json(analyse_case(cases[cid], fold_res, settings))
    lexicon_only = {cid: case_json(analyse_case(c, resources, settings)) for cid, c in cases.items()}
    for cid, doc in lexicon_only.items():  # cases without gold are in no fold
        with_model.setdefault(cid, doc)
    return (with_model if enabled else lexicon_only), with_model, enabled


@app.command()
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder holding gold*.json annotations (searched recursively).")],
    pred: Annotated[Path, typer.Option("--pred", help="Folder of analysis JSON produced by 'analyse'.")] = Path("out"),
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the scores as JSON here.")] = None,
    cv: Annotated[int, typer.Option(
        help="Instead of --pred: analyse GOLD_DIR with the classifier retrained K times, each time "
             "without the held-out cases (k-fold by case), and score the held-out output.")] = 0,
) -> None:
    """Score analysis JSON against gold annotations (notes, events, tags, flags).

    Example: casechron evaluate sample_notes --pred out      (case-held-out: --cv 5)
    """
    from analyser.evaluate import MAIN_LABELS, load_gold, load_predictions
    from analyser.evaluate import evaluate as run

    if not gold_dir.exists():
        _fail(f"{gold_dir}: no such folder")
    golds = load_gold(gold_dir)
    if not golds:
        _fail(f"{gold_dir}: no gold*.json files")
    model_note = ""
    if cv:
        shipped, with_model, enabled = _cv_predictions(gold_dir, cv)
        scores = run(golds, shipped)
        alt = run(golds, with_model)
        micro, macro = alt.label_summary(MAIN_LABELS)
        model_note = (f"classifier {'enabled' if enabled else 'switched off by its model card'}; "
                      f"scores below are the pipeline as shipped. With each fold's classifier "
                      f"(trained without the held-out cases): main micro F1 {micro.f1:.3f}, macro F1 "
                      f"{macro:.3f}, negatives tagged affirmed {alt.negatives.value:.3f}, "
                      f"flags F1 {alt.flags_total().f1:.3f}")
    else:
        scores = run(golds, load_predictions(pred))
    data = scores.to_json()
    if model_note:
        data["cross_validation"] = model_note
        out_console.print(model_note)
    if json_out:
        json_out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    t = Table(title=f"casechron evaluate: {scores.cases} gold cases")
    for col in ("measure", "P", "R", "F1 / acc", "counts"):
        t.add_column(col)

    def prf(name: str, v) -> None:
        t.add_row(name, f"{v.precision:.3f}", f"{v.recall:.3f}", f"{v.f1:.3f}",
                  f"tp={v.tp} fp={v.fp} fn={v.fn}")

    def acc(name: str, v) -> None:
        t.add_row(name, "", "", f"{v.value:.3f}", f"{v.right}/{v.total}")

    acc("note-date recall", scores.note_dates)
    prf("events (date, kind)", scores.events_dk)
    prf("events (date, kind, outcome)", scores.events_dko)
    acc("child_seen accuracy", scores.child_seen)
    acc("child_seen_alone accuracy", scores.child_seen_alone)
    main_micro, main_macro = scores.label_summary(MAIN_LABELS)
    sec_micro, sec_macro = scores.label_summary(None)
    prf("tags main (micro)", main_micro)
    t.add_row("tags main (macro F1)", "", "", f"{main_macro:.3f}", "")
    prf("tags secondary (micro)", sec_micro)
    acc("negatives tagged affirmed", scores.negatives)
    prf("flags (overall)", scores.flags_total())
    out_console.print(t)
    for title, first, rows in (("per label", "label", scores.labels), ("per flag rule", "rule", scores.flags)):
        if not rows:
            continue
        pt = Table(title=title)
        for col in (first, "P", "R", "F1", "counts"):
            pt.add_column(col)
        for k, v in sorted(rows.items()):
            pt.add_row(k, f"{v.precision:.2f}", f"{v.recall:.2f}", f"{v.f1:.2f}",
                       f"tp={v.tp} fp={v.fp} fn={v.fn}")
        out_console.print(pt)
    if scores.missing_predictions:
        console.print(f"[yellow]no prediction for:[/yellow] {', '.join(scores.missing_predictions)}")


@app.command()
def train(
    samples: Annotated[Path, typer.Argument(help="Annotated cases (gold*.json beside their notes).")] = Path(
        "sample_notes"),
    out: Annotated[Path | None, typer.Option(help="Artefact folder (default models/typology/).")] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds, split by case (0 skips).")] = 5,
    exclude: Annotated[list[str] | None, typer.Option(help="Case ids to leave out of training.")] = None,
) -> None:
    """Rebuild the typology classifier deterministically, with its model card and case-held-out scores.

    Example: casechron train sample_notes
    """
    from analyser.errors import CasechronError
    from analyser.train import train as run_train

    try:
        report = run_train(samples, out_dir=out, exclude_cases=tuple(exclude or ()), k=folds)
    except (CasechronError, ValueError) as exc:
        _fail(str(exc))
    for w in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
    state = "enabled" if report.enabled else "switched off"
    out_console.print(f"classifier written to {report.out_dir} ({state}): {report.reason}")
    out_console.print(f"model card: {report.out_dir / 'MODEL_CARD.md'}")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
