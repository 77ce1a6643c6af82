"""The one place that finds and loads lexicons, policy and models.

Data paths are resolved here once. Loading happens when asked, never at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from .errors import LexiconError
from .ingest.base import ReadContext
from .ingest.header import HeaderParser
from .ingest.vocab import IngestVocab, load_ingest_vocab
from .segment import Segmenter, load_segment_rules
from .settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ENV_LEXICONS = "CASECHRON_LEXICONS"
ENV_MODELS = "CASECHRON_MODELS"


def lexicon_dir() -> Path:
    """Root of the rule files (``lexicons/``); ``$CASECHRON_LEXICONS`` overrides it."""
    return Path(os.environ.get(ENV_LEXICONS, ROOT / "lexicons"))


def models_dir() -> Path:
    """Root of trained artefacts (``models/``); ``$CASECHRON_MODELS`` overrides it."""
    return Path(os.environ.get(ENV_MODELS, ROOT / "models"))


@lru_cache(maxsize=4)
def ingest_vocab(root: Path | None = None) -> IngestVocab:
    """Note types, agencies, column names and calendar words (cached per lexicon root)."""
    return load_ingest_vocab(root or lexicon_dir())


@lru_cache(maxsize=4)
def header_parser(root: Path | None = None) -> HeaderParser:
    return HeaderParser(ingest_vocab(root))


@dataclass(frozen=True)
class Resources:
    """Everything loaded once per process and shared by every case."""

    vocab: IngestVocab
    headers: HeaderParser
    segmenter: Segmenter

    def read_context(self, column_map: dict[str, str] | None = None) -> ReadContext:
        return ReadContext(self.vocab, self.headers, dict(column_map or {}))


def load_spacy(model: str | None) -> Language:
    """The spaCy pipeline: a named installed package, or blank English (always available)."""
    import spacy

    if not model:
        return spacy.blank("en")
    try:
        return spacy.load(model)
    except OSError as exc:
        raise LexiconError(model, "spaCy model is not installed (install its package, or "
                           "leave the setting empty to use blank English)") from exc


def load_resources(settings: Settings) -> Resources:
    root = settings.lexicons or lexicon_dir()
    vocab = ingest_vocab(root)
    nlp = load_spacy(settings.spacy_model)
    return Resources(
        vocab=vocab,
        headers=header_parser(root),
        segmenter=Segmenter(nlp, load_segment_rules(root)),
    )
