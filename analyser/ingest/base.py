"""What every reader returns, and the context readers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import InputWarning, RawNote
from .header import HeaderParser
from .vocab import IngestVocab


@dataclass(frozen=True)
class ReadContext:
    vocab: IngestVocab
    headers: HeaderParser
    column_map: dict[str, str] = field(default_factory=dict)  # field -> exact column name


@dataclass
class FileResult:
    """Notes read from one file, in source order; ``case_id`` on a note overrides the
    container's case id (tables and JSONL with a case-id column)."""

    file: str
    notes: list[RawNote] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[InputWarning] = field(default_factory=list)
    encoding: str | None = None
