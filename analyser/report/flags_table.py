"""Rows of a case's flags for a terminal table (the CLI renders them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

COLUMNS = ("rule", "date", "severity", "status", "explanation")


def _uk(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def flag_rows(case_doc: dict[str, Any]) -> list[dict[str, str]]:
    """One row per flag of an analysis JSON document, in (date, rule) order, the date
    written UK style (dd/mm/yyyy)."""
    flags = sorted(case_doc.get("flags") or [],
                   key=lambda f: (f.get("date") or "", f.get("rule") or "", f.get("flag_id") or ""))
    return [{
        "rule": str(f.get("rule") or ""),
        "date": _uk(f.get("date")),
        "severity": str(f.get("severity") or ""),
        "status": str(f.get("status") or ""),
        "explanation": str(f.get("explanation") or ""),
    } for f in flags]
