"""Where the data lives: resolved once here (imports nothing of the package)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_LEXICONS = "CASECHRON_LEXICONS"
ENV_MODELS = "CASECHRON_MODELS"


def lexicon_dir() -> Path:
    """Root of the rule files (``lexicons/``); ``$CASECHRON_LEXICONS`` overrides it."""
    return Path(os.environ.get(ENV_LEXICONS, ROOT / "lexicons"))


def models_dir() -> Path:
    """Root of trained artefacts (``models/``); ``$CASECHRON_MODELS`` overrides it."""
    return Path(os.environ.get(ENV_MODELS, ROOT / "models"))
