"""Escalation triggers: a policy (YAML rules over registered checks) run against a case.

``load_policy`` reads ``lexicons/policy/default.yaml`` and an optional override file;
``run_triggers`` returns the flags, the escalation ladder and the weekly risk series.
"""

from __future__ import annotations

from .engine import TriggerResult, run_triggers
from .policy import Policy, Rule, load_policy
from .workdays import WorkingCalendar

__all__ = ["Policy", "Rule", "TriggerResult", "WorkingCalendar", "load_policy", "run_triggers"]
