"""Raw notes of a case into identified, typed notes (ids, note-type normalisation)."""

from __future__ import annotations

from .ingest.vocab import IngestVocab
from .model import CaseInput, InputWarning, Note, SourceLoc


def note_id(case_id: str, index: int) -> str:
    return f"{case_id}-n{index:04d}"


def build_notes(case: CaseInput, vocab: IngestVocab) -> tuple[list[Note], list[InputWarning]]:
    """Notes in source order with stable ids; note types mapped to the event-kind vocabulary
    where the header names one. Warns about notes without text."""
    notes: list[Note] = []
    warnings: list[InputWarning] = []
    for i, raw in enumerate(case.notes):
        nt = vocab.classify_type(raw.note_type_raw) if raw.note_type_raw else None
        notes.append(Note(
            note_id=note_id(case.case_id, i), index=i, case_id=case.case_id, text=raw.text,
            source=raw.source, date=raw.date, time=raw.time,
            note_type=nt.kind if nt else None, note_type_raw=raw.note_type_raw,
            meeting_type=nt.meeting_type if nt else None, author=raw.author,
            author_role=raw.author_role, agency=raw.agency, external_id=raw.external_id,
        ))
        if not raw.text.strip():
            warnings.append(InputWarning(SourceLoc(raw.source.file, raw.source.line_start,
                                                   sheet=raw.source.sheet),
                                         "note has a header but no text", "no_text"))
    return notes, warnings


def effective_dates(notes: list[Note]) -> list:
    """Each note's date, or for an undated note the date of the note before it (the
    position the warning promises); None before the first dated note."""
    out = []
    last = None
    for n in notes:
        if n.date is not None:
            last = n.date
        out.append(n.date if n.date is not None else last)
    return out
