"""What every reader returns, and the context readers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import InputWarning, RawNote, SourceLoc
from .decode import decode_bytes
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


def decoded_text(path: Path, res: FileResult) -> str | None:
    """The file's text, or None after recording why it cannot be read; a lossy decode
    is read but warned about."""
    decoded = decode_bytes(path.read_bytes())
    res.encoding = decoded.encoding
    if decoded.text is None:
        res.warnings.append(InputWarning(SourceLoc(res.file), f"{decoded.problem}; no notes read",
                                         "unreadable"))
        return None
    if decoded.problem:
        res.warnings.append(InputWarning(SourceLoc(res.file), decoded.problem, "encoding"))
    return decoded.text
