"""Typology tags from sentence embeddings and a scikit-learn head (``method="model"``).

The artefact lives in ``models/typology/`` (``train.py`` writes it):

* ``head.skops`` — per label a ``LogisticRegression`` over the normalised all-MiniLM-L6-v2
  embedding of a sentence (``class_weight="balanced"``) and a one-feature
  ``LogisticRegression`` that maps its decision value to a calibrated probability (Platt
  scaling fitted on out-of-fold decision values of case sentences only, so the
  probabilities follow the base rates of real notes, not of the lexicon examples), and
  the screen's word filter (a ``LogisticRegression`` over hashed words);
* ``meta.json`` — labels, per-label thresholds, the screen, library versions, the
  embedding model's name and weights hash, the training-data hash, ``enabled``;
* ``MODEL_CARD.md`` — cross-validated figures (split by case) and limits.

``load_classifier`` returns ``None`` when there is no artefact (or it says
``"enabled": false``). ``Classifier.tag`` runs the ``Screen`` (which sentences are worth
embedding), embeds the survivors, and returns one ``Tag`` per (sentence, label) whose
calibrated probability reaches the label's threshold. A tag's ``anchor`` — the words that
push the label's score most (the head is linear over mean-pooled token states, so the score
splits exactly into per-token parts) — lets the lexicon's ConText rules decide assertion
and actor for a model tag as they do for a lexicon match: pass ``rules`` (from
``tags.load_typology``) to ``tag`` or call ``assert_hits``. ``combine`` merges lexicon and
model tags, one per (sentence, label).

Loading the head and the embedding model happens on first use, never at import.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..model import Passage, Tag
from ..paths import models_dir
from .embed import MODEL_NAME, Embedder, ModelError, get_embedder

ARTEFACT = "head.skops"
META = "meta.json"
CARD = "MODEL_CARD.md"
SUBDIR = "typology"
FORMAT = 1
# the only types head.skops may contain (checked before loading)
_TRUSTED = frozenset({
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.ndarray", "numpy.dtype", "numpy.float64", "numpy.int64", "numpy.int32",
    "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
    "builtins.dict", "builtins.list", "builtins.str", "builtins.int", "builtins.float",
    "builtins.tuple", "builtins.NoneType",
})

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
# form fields of a record, never behaviour ("Mother: …" is not here: it often is)
_HEADER = re.compile(r"^(date|time|type|worker|present|attendees|apologies|agenda|status|"
                     r"dob|d\.o\.b\.?|address|allocated worker|re|subject|to|from|cc)\s*:",
                     re.IGNORECASE)


# --- which sentences the model sees ----------------------------------------------------

@dataclass(frozen=True)
class Screen:
    """Which sentences are worth embedding: the embedding model is most of the run time.

    Two steps, both cheap:

    * rules: fewer than ``min_words`` words, a form field or header line (``Date: …``,
      ``Present: …``), a line in capitals → skipped;
    * a learned word filter (when trained): a logistic regression over hashed words and
      word pairs that scores "might carry any label"; a sentence scoring below
      ``threshold`` is skipped. Training sets the threshold so that ``recall`` of the
      labelled sentences pass, out of fold.

    ``max_chars`` cuts very long passages (pasted reports) to their start: the model reads
    at most 256 word pieces anyway."""

    min_words: int = 4
    skip_headers: bool = True
    max_chars: int = 1500
    recall: float | None = 0.97  # target when training the word filter; None = rules only
    threshold: float | None = None
    n_features: int = 2 ** 17
    words: Any = field(default=None, compare=False, repr=False)  # LogisticRegression

    def keep_rule(self, text: str) -> bool:
        words = _WORD.findall(text)
        if len(words) < self.min_words:
            return False
        if self.skip_headers:
            if _HEADER.match(text) and len(words) <= 12:
                return False
            letters = [c for c in text if c.isalpha()]
            if letters and all(c.isupper() for c in letters):
                return False
        return True

    def vectorizer(self) -> Any:
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(n_features=self.n_features, ngram_range=(1, 2),
                                 alternate_sign=False, norm="l2", lowercase=True)

    def word_scores(self, texts: Sequence[str]) -> np.ndarray:
        """The word filter's probability that each text carries some label (1.0 without
        a trained filter)."""
        if self.words is None or not texts:
            return np.ones(len(texts))
        return self.words.predict_proba(self.vectorizer().transform(list(texts)))[:, 1]

    def keep_mask(self, texts: Sequence[str]) -> np.ndarray:
        mask = np.array([self.keep_rule(t) for t in texts], dtype=bool)
        if self.words is not None and self.threshold is not None and mask.any():
            idx = np.flatnonzero(mask)
            mask[idx] = self.word_scores([texts[i] for i in idx]) >= self.threshold
        return mask

    def select(self, passages: Sequence[Passage]) -> list[Passage]:
        mask = self.keep_mask([p.text for p in passages])
        return [p for p, k in zip(passages, mask, strict=True) if k]

    def to_json(self) -> dict[str, Any]:
        return {"min_words": self.min_words, "skip_headers": self.skip_headers,
                "max_chars": self.max_chars, "recall": self.recall,
                "threshold": self.threshold, "n_features": self.n_features,
                "word_filter": self.words is not None}

    @classmethod
    def from_json(cls, d: dict[str, Any] | None, words: Any = None) -> Screen:
        d = dict(d or {})
        d.pop("word_filter", None)
        return cls(**d, words=words)


# --- the head ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Head:
    """Per-label linear scores and their Platt calibration, stacked for speed."""

    labels: tuple[str, ...]
    coef: np.ndarray  # (labels, dim)
    intercept: np.ndarray  # (labels,)
    cal_a: np.ndarray  # (labels,)
    cal_b: np.ndarray  # (labels,)

    @classmethod
    def from_estimators(cls, heads: dict[str, dict[str, Any]]) -> Head:
        labels = tuple(sorted(heads))
        if not labels:
            return cls((), np.zeros((0, 0)), np.zeros(0), np.zeros(0), np.zeros(0))
        coef = np.vstack([heads[k]["clf"].coef_[0] for k in labels])
        inter = np.array([heads[k]["clf"].intercept_[0] for k in labels])
        a = np.array([heads[k]["cal"].coef_[0, 0] for k in labels])
        b = np.array([heads[k]["cal"].intercept_[0] for k in labels])
        return cls(labels, coef, inter, a, b)

    def decision(self, x: np.ndarray) -> np.ndarray:
        return x @ self.coef.T + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, shape (rows, labels)."""
        z = self.decision(x) * self.cal_a + self.cal_b
        return 1.0 / (1.0 + np.exp(-z))


def head_versions() -> dict[str, str]:
    import sklearn
    import skops
    import torch
    import transformers

    return {"scikit-learn": sklearn.__version__, "skops": skops.__version__,
            "torch": torch.__version__, "transformers": transformers.__version__,
            "numpy": np.__version__}


def _renumber(schema: Any) -> Any:
    """skops names arrays and memo entries by ``id()`` of the Python object: renumber them
    in order of appearance so the same head gives the same file."""
    ids: dict[int, int] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "__id__" and isinstance(v, int):
                    out[k] = ids.setdefault(v, len(ids) + 1)
                elif k == "file" and isinstance(v, str) and v.endswith(".npy") and v[:-4].isdigit():
                    out[k] = f"{ids.setdefault(int(v[:-4]), len(ids) + 1)}.npy"
                else:
                    out[k] = walk(v)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema), ids


def save_head(heads: dict[str, dict[str, Any]], path: Path, screen_words: Any = None) -> str:
    """Write the head with skops, made reproducible: object-id names renumbered, members
    in name order with a fixed timestamp. Returns the file's sha256."""
    import hashlib
    import io
    import zipfile

    import skops.io as sio

    raw = sio.dumps({"format": FORMAT, "heads": {k: heads[k] for k in sorted(heads)},
                     "screen": screen_words})
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        members = {n: src.read(n) for n in src.namelist()}
    schema, ids = _renumber(json.loads(members.pop("schema.json")))
    renamed = {"schema.json": json.dumps(schema, sort_keys=True).encode("utf-8")}
    for name, data in members.items():
        stem = name[:-4] if name.endswith(".npy") else ""
        if not stem.isdigit() or int(stem) not in ids:
            raise ModelError(f"unexpected member {name!r} in a skops file")
        renamed[f"{ids[int(stem)]}.npy"] = data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(renamed):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, renamed[name])
    data = buf.getvalue()
    path.write_bytes(data)
    return "sha256:" + hashlib.sha256(data).hexdigest()


def load_head(path: Path) -> tuple[Head, Any]:
    """The head and the screen's word filter (or None) from ``head.skops``."""
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # a damaged or foreign file
        raise ModelError(f"{path}: not a readable skops file ({exc.__class__.__name__})") from exc
    bad = sorted(set(untrusted) - _TRUSTED)
    if bad:
        raise ModelError(f"{path}: holds types this loader does not trust: {', '.join(bad)}")
    obj = sio.load(path, trusted=list(untrusted))
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise ModelError(f"{path}: unknown head format (expected format {FORMAT})")
    return Head.from_estimators(obj["heads"]), obj.get("screen")


# --- predictions ------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelHit:
    """A label the head gives a sentence: its probability and the words that carry it
    (``anchor_start``/``anchor_end``, offsets into the note like the passage's)."""

    passage: Passage
    label: str
    probability: float
    anchor_start: int
    anchor_end: int

    def tag(self, assertion: str = "affirmed", actor: str | None = None) -> Tag:
        p = self.passage
        anchor = p.text[self.anchor_start - p.start:self.anchor_end - p.start]
        return Tag(tag_id="", note_id=p.note_id, label=self.label, subtype=None,
                   assertion=assertion, actor=actor, confidence=round(self.probability, 4),
                   method="model", start=p.start, end=p.end, text=p.text,
                   explain=f"model p={self.probability:.2f} on {anchor!r}")


def _anchor(contrib: np.ndarray, offsets: Sequence[tuple[int, int]], text: str) -> tuple[int, int]:
    """Character span (in ``text``) of the word(s) adding most to a label's score: the
    best word, widened by neighbours that add at least half as much (at most 4 words)."""
    if not len(offsets):
        return 0, len(text)
    # word pieces → words (a piece that starts where the last ended continues a word)
    words: list[list[Any]] = []  # [start, end, score]
    for (a, b), c in zip(offsets, contrib.tolist(), strict=True):
        if words and a == words[-1][1] and text[a - 1:a].isalnum() and text[a:a + 1].isalnum():
            words[-1][1] = b
            words[-1][2] += c
        else:
            words.append([a, b, c])
    best = max(range(len(words)), key=lambda i: (words[i][2], -i))
    lo = hi = best
    top = words[best][2]
    while hi - lo < 3:
        left = words[lo - 1][2] if lo > 0 else -np.inf
        right = words[hi + 1][2] if hi + 1 < len(words) else -np.inf
        if max(left, right) < 0.5 * top:
            break
        if right >= left:
            hi += 1
        else:
            lo -= 1
    return int(words[lo][0]), int(words[hi][1])


@dataclass
class Classifier:
    """A trained head plus the settings it was trained with. Build through
    ``load_classifier`` (or ``train.fit_classifier``); the embedder loads on first use."""

    head: Head
    thresholds: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    screen: Screen = field(default_factory=Screen)
    directory: Path | None = None
    embedder: Embedder | None = None
    stats: dict[str, float] = field(default_factory=lambda: {"passages": 0, "embedded": 0})

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(k for k in self.head.labels if k in self.thresholds)

    @property
    def enabled(self) -> bool:
        return bool(self.meta.get("enabled", True))

    def _embedder(self) -> Embedder:
        if self.embedder is None:
            emb = get_embedder(self.meta.get("embedding_model", MODEL_NAME))
            want = self.meta.get("embedding_weights_sha256")
            if want and emb.weights_hash != want:
                raise ModelError(
                    f"{self.directory or 'classifier'}: trained on embedding weights {want}, "
                    f"but {emb.model_dir} holds {emb.weights_hash}; retrain (casechron train)")
            self.embedder = emb
        return self.embedder

    def lexicon_warning(self, lexicons: Path) -> str | None:
        """A message when the lexicon under ``lexicons`` is not the one the thresholds were
        tuned against (the classifier still works; its thresholds may no longer be best)."""
        want = self.meta.get("lexicon_sha256")
        if want and lexicon_hash(Path(lexicons)) != want:
            return ("the typology lexicon has changed since the classifier was trained; "
                    "retrain it (casechron train) to retune its thresholds")
        return None

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities for ``texts`` (no screen), shape (texts, head labels)."""
        if not texts:
            return np.zeros((0, len(self.head.labels)))
        cut = [t[:self.screen.max_chars] for t in texts]
        return self.head.proba(self._embedder().encode(cut))

    def predict(self, passages: Sequence[Passage]) -> list[ModelHit]:
        """Screen, embed and threshold passages (of one note or many: pass a whole case at
        once, batches across notes are much faster). Hits in passage order, then label."""
        chosen = self.screen.select(passages)
        self.stats["passages"] += len(passages)
        self.stats["embedded"] += len(chosen)
        labels = self.labels
        if not chosen or not labels:
            return []
        rows = [self.head.labels.index(k) for k in labels]
        texts = [p.text[:self.screen.max_chars] for p in chosen]
        emb, parts = self._embedder().encode(texts, project=self.head.coef[rows])
        probs = self.head.proba(emb)[:, rows]
        out: list[ModelHit] = []
        for r, p in enumerate(chosen):
            for c, label in enumerate(labels):
                prob = float(probs[r, c])
                if prob < self.thresholds[label]:
                    continue
                a, b = _anchor(parts[r].scores[:, c], parts[r].offsets, texts[r])
                out.append(ModelHit(p, label, prob, p.start + a, p.start + b))
        return out

    def tag(self, note_id: str, passages: Sequence[Passage], *, rules: Any = None,
            note_date: dt.date | None = None) -> list[Tag]:
        """Model tags for one note, in sentence order then label order.

        Without ``rules`` every tag is ``affirmed`` with no actor; with the typology rules
        (``tags.load_typology()``) assertion and actor come from the ConText cues around
        each tag's anchor, and main-label tags whose actor is a professional are dropped,
        as the lexicon tagger does. ``tag_id`` is left empty."""
        return self.tag_notes([(note_id, passages, note_date)], rules=rules)

    def tag_notes(self, notes: Sequence[tuple[str, Sequence[Passage], dt.date | None]], *,
                  rules: Any = None) -> list[Tag]:
        """``tag`` for several notes (note id, passages, note date) in one embedding pass:
        the way to call it for a case."""
        hits = self.predict([p for _, ps, _ in notes for p in ps])
        by_note: dict[str, list[ModelHit]] = {}
        for h in hits:
            by_note.setdefault(h.passage.note_id, []).append(h)
        out: list[Tag] = []
        for note_id, ps, note_date in notes:
            got = by_note.get(note_id, [])
            if rules is None:
                out.extend(h.tag() for h in got)
            else:
                out.extend(assert_hits(got, ps, rules, note_date=note_date))
        return out


def assert_hits(hits: Sequence[ModelHit], passages: Sequence[Passage], rules: Any, *,
                note_date: dt.date | None = None) -> list[Tag]:
    """Tags for ``hits`` with assertion and actor decided by the lexicon's ConText rules
    over each hit's anchor words. ``passages`` are all the note's passages in order (role
    words in earlier sentences resolve "she"/"he")."""
    from .assertion import RoleMemory, actor_from_words, analyse_sentence, assertion_for

    by_passage: dict[int, list[ModelHit]] = {}
    for h in hits:
        by_passage.setdefault(h.passage.index, []).append(h)
    if not by_passage:
        return []
    note_year = note_date.year if note_date else None
    memory = RoleMemory()
    out: list[Tag] = []
    last = max(by_passage)
    for p in passages:
        if p.index > last:
            break
        sdoc = next(iter(rules.tokenizer.pipe([p.text])))
        ctx = analyse_sentence(rules.assertion, sdoc, note_year=note_year)
        for h in by_passage.get(p.index, ()):
            a, b = h.anchor_start - p.start, h.anchor_end - p.start
            toks = [t.i for t in sdoc if t.idx < b and t.idx + len(t.text) > a]
            s, e = (toks[0], toks[-1] + 1) if toks else (0, len(sdoc))
            actor = actor_from_words(rules.assertion, ctx, s, e, memory)
            ldef = rules.labels.get(h.label)
            if actor == "professional" and ldef is not None and ldef.family == "main" \
                    and not ldef.professional_actor_ok:
                continue
            assertion = assertion_for(rules.assertion, ctx, s, e, label=h.label, actor=actor,
                                      behaviour_spans=[(s, e)], memory=memory)
            out.append(h.tag(assertion, actor))
        memory.update(ctx.roles)
    return out


def lexicon_hash(lexicons: Path) -> str:
    """sha256 over the lexicon files the thresholds were tuned against (labels, typology,
    assertion cues): when it changes, retrain."""
    import hashlib

    h = hashlib.sha256()
    files = [lexicons / "labels.yaml", *sorted((lexicons / "typology").glob("*.yaml")),
             *sorted((lexicons / "assertion").glob("*.yaml"))]
    for p in files:
        if p.is_file():
            h.update(p.relative_to(lexicons).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()


# --- combining with the lexicon -----------------------------------------------------------

def combine(lexicon_tags: Sequence[Tag], model_tags: Sequence[Tag]) -> list[Tag]:
    """One tag per (sentence, label).

    A model tag that overlaps a lexicon tag of the same label in the same note merges into
    it: the lexicon tag's span, assertion, actor and subtype stand (its words were matched
    and its cues anchored on them), ``method`` becomes ``"both"``, ``confidence`` is the
    larger of the two (each is already a probability-like score; taking the larger does
    not pretend the two are independent evidence), and ``explain`` joins both. Tags found
    by one method only pass through unchanged. Output order: note id, start, end, label.
    """
    out: list[Tag] = []
    used: set[int] = set()
    by_key: dict[tuple[str, str], list[tuple[int, Tag]]] = {}
    for i, m in enumerate(model_tags):
        by_key.setdefault((m.note_id, m.label), []).append((i, m))
    for t in lexicon_tags:
        match = None
        for i, m in by_key.get((t.note_id, t.label), ()):
            if i not in used and m.start < t.end and t.start < m.end:
                match = (i, m)
                break
        if match is None:
            out.append(t)
            continue
        i, m = match
        used.add(i)
        explain = "; ".join(x for x in (t.explain, m.explain) if x) or None
        out.append(replace(t, method="both", confidence=max(t.confidence, m.confidence),
                           explain=explain))
    out.extend(m for i, m in enumerate(model_tags) if i not in used)
    out.sort(key=lambda t: (t.note_id, t.start, t.end, t.label))
    return out


# --- loading ----------------------------------------------------------------------------

def default_dir() -> Path:
    return models_dir() / SUBDIR


def read_meta(directory: Path) -> dict[str, Any]:
    return json.loads((directory / META).read_text(encoding="utf-8"))


def load_classifier(dir: Path | str | None = None, *, include_disabled: bool = False
                    ) -> Classifier | None:
    """The trained classifier in ``dir`` (default ``models/typology/``), or ``None`` when
    there is no artefact there — or when its ``meta.json`` says ``"enabled": false``
    (cross-validation found it does not help), unless ``include_disabled``. A damaged
    artefact raises ``ModelError``. The embedding model is loaded later, on first use."""
    directory = Path(dir) if dir is not None else default_dir()
    if not (directory / ARTEFACT).is_file() or not (directory / META).is_file():
        return None
    try:
        meta = read_meta(directory)
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"{directory / META}: cannot read ({exc})") from exc
    if meta.get("format") != FORMAT:
        raise ModelError(f"{directory / META}: unknown format {meta.get('format')!r}")
    if not meta.get("enabled", True) and not include_disabled:
        return None
    head, words = load_head(directory / ARTEFACT)
    thresholds = {k: float(v) for k, v in (meta.get("thresholds") or {}).items()
                  if v is not None and k in head.labels}
    return Classifier(head=head, thresholds=thresholds, meta=meta,
                      screen=Screen.from_json(meta.get("screen"), words), directory=directory)
