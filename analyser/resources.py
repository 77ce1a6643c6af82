"""The one place that finds and loads lexicons, policy and models.

Data paths are resolved here once. Loading happens when asked, never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from .annotate.classifier import Classifier, load_classifier
from .annotate.dates import DateRules, load_date_rules
from .annotate.events import EventRules, load_event_rules
from .annotate.tags import TypologyRules, load_typology
from .errors import LexiconError
from .ingest.base import ReadContext
from .ingest.header import HeaderParser
from .ingest.vocab import IngestVocab, load_ingest_vocab
from .paths import ROOT, lexicon_dir, models_dir
from .segment import Segmenter, load_segment_rules
from .settings import Settings
from .triggers import Policy, load_policy

__all__ = ["ROOT", "lexicon_dir", "models_dir"]


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
    dates: DateRules
    events: EventRules
    typology: TypologyRules
    policy: Policy
    classifier: Classifier | None = None  # None when absent, disabled by its card, or off

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
        dates=load_date_rules(root / "dates"),
        events=load_event_rules(root / "events"),
        typology=load_typology(root),
        policy=load_policy(root / "policy" / "default.yaml", settings.policy),
        classifier=load_classifier(settings.models / "typology" if settings.models else None)
        if settings.use_classifier else None,
    )
