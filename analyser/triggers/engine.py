"""Run a policy against one case's chronology: flags, the escalation ladder, the risk series.

Every enabled rule's check runs over a :class:`CaseContext`; hits of one rule on one date
merge into one flag (their evidence joined). Flags are sorted by (date, rule) and numbered
``<case_id>-f0000`` upwards in that order. The status of a flag is the case status on its
date; the severity and recommended action follow that status (and, for hostility, the
subtype). Nothing here reads files or the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..model import Event, Flag, Note, StatusPeriod, Tag
from .checks import CHECKS, Hit, count_items
from .context import CaseContext, build_context, uk
from .escalation import build_escalation
from .policy import Policy, Rule


@dataclass(frozen=True)
class TriggerResult:
    flags: list[Flag]
    escalation: dict[str, Any] | None = None
    risk_series: list[dict[str, Any]] = field(default_factory=list)


def run_triggers(case_id: str, notes: list[Note], events: list[Event], tags: list[Tag],
                 status_timeline: list[StatusPeriod], policy: Policy) -> TriggerResult:
    """Apply ``policy`` to one case. Undated events and notes are skipped by every rule."""
    ctx = build_context(case_id, notes, events, tags, status_timeline, policy.calendar,
                        policy.label_family, policy.wording)
    flags = evaluate(ctx, policy)
    return TriggerResult(flags=flags, escalation=build_escalation(ctx, flags, policy),
                         risk_series=risk_series(ctx, policy))


def evaluate(ctx: CaseContext, policy: Policy) -> list[Flag]:
    """The flags of every enabled rule, merged per (rule, date), sorted and numbered."""
    grouped: dict[tuple[dt.date, str], list[Hit]] = {}
    rules = {r.id: r for r in policy.rules if r.enabled}
    for rule in rules.values():
        for hit in CHECKS[rule.check].fn(ctx, rule.params):
            grouped.setdefault((hit.date, rule.id), []).append(hit)
    flags = []
    for i, key in enumerate(sorted(grouped)):
        day, rid = key
        flags.append(_flag(f"{ctx.case_id}-f{i:04d}", rules[rid], day, grouped[key], ctx))
    return flags


def _flag(flag_id: str, rule: Rule, day: dt.date, hits: list[Hit], ctx: CaseContext) -> Flag:
    status = ctx.status_at(day)
    texts: list[str] = []
    evidence: dict[str, None] = {}
    subtypes: list[str | None] = []
    for hit in hits:
        fields = {**hit.fields, "date": uk(day), "status": status}
        text = rule.messages[hit.variant].format(**fields)
        if text not in texts:
            texts.append(text)
        evidence.update(dict.fromkeys(hit.evidence))
        subtypes.extend(hit.subtypes)
    return Flag(flag_id=flag_id, rule=rule.id, severity=rule.severity.level(status, tuple(subtypes)), date=day,
                status=status, explanation=" ".join(texts), evidence=tuple(evidence),
                policy_ref=rule.policy_ref, recommended_action=rule.action_for(status))


def risk_series(ctx: CaseContext, policy: Policy) -> list[dict[str, Any]]:
    """Weekly rows over the case's span: failed contacts and resistance tags in the rolling
    window that ends on the last day (Sunday) of each week."""
    span = ctx.span()
    if span is None:
        return []
    cfg = policy.risk_series
    failed = count_items(ctx, [cfg.failed_contacts])
    tags = count_items(ctx, [cfg.resistance_tags])
    week = span[0] - dt.timedelta(days=span[0].weekday())
    rows = []
    while week <= span[1]:
        end = week + dt.timedelta(days=6)
        lo = end - dt.timedelta(days=cfg.window_days - 1)
        rows.append({
            "week": week.isoformat(),
            "failed_contacts_90d": sum(1 for it in failed if lo <= it.date <= end),
            "resistance_tags_90d": sum(1 for it in tags if lo <= it.date <= end),
        })
        week += dt.timedelta(days=7)
    return rows
