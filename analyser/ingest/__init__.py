"""Input files to cases: find the cases under a path, read each file with its reader.

- a folder of folders: each sub-folder is a case (its name is the case id);
- a folder of files, or one file: each file is a case (its stem is the case id);
- a table or JSONL with a case-id column splits into the cases it names, wherever it lies;
- several files in one case folder merge into one case (files in name order).
Files named ``gold*.json`` are annotations, never input. Anything else that cannot be read
becomes a warning on its case; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import CaseInput, InputWarning, RawNote, SourceLoc
from .base import FileResult, ReadContext
from .jsonl import read_jsonl
from .pdf import read_pdf
from .table import read_csv, read_xlsx
from .text import read_text
from .word import read_docx

Reader = Callable[[Path, str, ReadContext], FileResult]

READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
}


@dataclass(frozen=True)
class Container:
    """A case folder or a single case file, before reading."""

    case_id: str
    files: tuple[tuple[Path, str], ...]  # (path, path relative to the input root)


def is_annotation(path: Path) -> bool:
    return path.name.lower().startswith("gold") and path.suffix.lower() == ".json"


def _skip(path: Path) -> bool:
    return path.name.startswith((".", "~$")) or is_annotation(path)


def discover(root: Path) -> list[Container]:
    """The case containers under ``root``, in name order."""
    if not root.exists():
        raise InputError(f"{root}: no such file or folder")
    if root.is_file():
        return [Container(root.stem, ((root, root.name),))]
    containers: list[Container] = []
    for child in sorted(root.iterdir(), key=lambda p: p.name):
        if _skip(child):
            continue
        if child.is_dir():
            files = tuple((p, p.relative_to(root).as_posix())
                          for p in sorted(child.rglob("*"), key=lambda p: p.relative_to(child).as_posix())
                          if p.is_file() and not any(_skip(q) for q in p.relative_to(root).parents
                                                     if q.name) and not _skip(p))
            containers.append(Container(child.name, files))
        elif child.is_file():
            containers.append(Container(child.stem, ((child, child.name),)))
    return containers


def read_container(container: Container, ctx: ReadContext) -> Iterator[tuple[str, FileResult]]:
    """(case id of the container, file result) for each file; unsupported files warn."""
    for path, rel in container.files:
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            res = FileResult(rel)
            res.warnings.append(InputWarning(SourceLoc(rel), f"unsupported file type "
                                             f"{path.suffix or '(none)'!r}; not read", "unsupported"))
            yield container.case_id, res
            continue
        try:
            res = reader(path, rel, ctx)
        except OSError as exc:
            res = FileResult(rel)
            res.warnings.append(InputWarning(SourceLoc(rel), f"cannot read file: {exc.strerror}",
                                             "unreadable"))
        except Exception as exc:  # noqa: BLE001 - a broken file must not stop the other files
            res = FileResult(rel)
            res.warnings.append(InputWarning(
                SourceLoc(rel), f"not a readable {path.suffix.lower()} file ({type(exc).__name__}); "
                "no notes read", "unreadable"))
        yield container.case_id, res


def load_cases(root: Path, ctx: ReadContext) -> list[CaseInput]:
    """Every case under ``root``, notes in source order, sorted by case id."""
    notes: dict[str, list[RawNote]] = {}
    meta: dict[str, dict] = {}
    warns: dict[str, list[InputWarning]] = {}
    files: dict[str, list[str]] = {}
    order: list[str] = []

    def case(cid: str) -> str:
        if cid not in notes:
            notes[cid], meta[cid], warns[cid], files[cid] = [], {}, [], []
            order.append(cid)
        return cid

    for container in discover(root):
        touched = False
        for cid, res in read_container(container, ctx):
            ids = {n.case_id or cid for n in res.notes} or {cid}
            for nid in sorted(ids):
                case(nid)
                touched = True
                if res.file not in files[nid]:
                    files[nid].append(res.file)
                for k, v in res.metadata.items():
                    meta[nid].setdefault(k, v)
            for n in res.notes:
                notes[n.case_id or cid].append(n)
            # a file's warnings go to the container's case, or to the first case it names
            target = cid if cid in ids else sorted(ids)[0]
            warns[case(target)].extend(res.warnings)
        if not touched:
            case(container.case_id)
            warns[container.case_id].append(InputWarning(
                SourceLoc(container.case_id), "case folder holds no readable files", "empty"))
    return [CaseInput(cid, tuple(notes[cid]), meta[cid], tuple(warns[cid]), tuple(files[cid]))
            for cid in sorted(order)]
