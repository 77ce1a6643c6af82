"""Load and validate a trigger policy: the default YAML plus an optional override file.

The default policy is ``lexicons/policy/default.yaml``. A local authority's override file
(``--policy my-la.yaml``) has the same shape and holds only what it changes: any rule's
``params``, ``severity``, ``message``, ``policy_ref``, ``recommended_action``,
``description`` or ``enabled: false``, and the ``working_days``, ``wording``,
``escalation`` and ``risk_series`` sections. Mappings merge key by key; lists and scalars
replace. Unknown sections, rules, keys and parameters are load errors that name the file
and the entry (``rules.drift.params.reviews``).
"""

from __future__ import annotations

import dataclasses as dc
import datetime as dt
import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from ..errors import LexiconError
from ..lexicon import FAMILIES, check_keys, load_labels, load_yaml
from ..model import ASSERTIONS, EVENT_KINDS, MEETING_TYPES, OUTCOMES, STATUSES
from .checks import CHECKS, CountSource, EventFilter, Statuses
from .context import Wording
from .escalation import CueSet, LadderStep, load_cues
from .schema import Vocab, Where, build, convert
from .workdays import WorkingCalendar

SEVERITIES = ("low", "medium", "high")
PATHS = ("CIN", "CP")
TOP_KEYS = ("name", "description", "working_days", "wording", "rules", "escalation", "risk_series")
TOP_REQUIRED = ("name", "working_days", "wording", "rules", "escalation", "risk_series")
RULE_REQUIRED = ("check", "params", "severity", "policy_ref", "message", "recommended_action")
RULE_OPTIONAL = ("enabled", "description")
OVERRIDABLE = tuple(k for k in RULE_REQUIRED + RULE_OPTIONAL if k != "check")
Level = Annotated[str, Vocab("severities")]


@dc.dataclass(frozen=True)
class Severity:
    """``default``, raised or lowered by the case status or by the hostility subtype."""

    default: Level
    by_status: Annotated[Mapping[str, str], Vocab(keys="statuses", values="severities")] = \
        dc.field(default_factory=dict)
    by_subtype: Annotated[Mapping[str, str], Vocab(keys="subtypes", values="severities")] = \
        dc.field(default_factory=dict)
    unknown_subtype: Level | None = None

    def level(self, status: str, subtypes: tuple[str | None, ...] = ()) -> str:
        """The highest level among the status's and each subtype's (unknown subtype: its own
        setting, else ``default``)."""
        levels = [self.by_status.get(status, self.default)]
        for sub in subtypes:
            if sub is None:
                levels.append(self.unknown_subtype or self.default)
            else:
                levels.append(self.by_subtype.get(sub, self.default))
        return max(levels, key=SEVERITIES.index)


@dc.dataclass(frozen=True)
class Rule:
    """One trigger rule: a registered check, its parameters and what a flag says."""

    id: str
    check: str
    enabled: bool
    params: Any
    severity: Severity
    policy_ref: str
    messages: Mapping[str, str]
    recommended_action: Mapping[str, str]
    description: str = ""

    def action_for(self, status: str) -> str:
        return self.recommended_action.get(status, self.recommended_action["default"])


@dc.dataclass(frozen=True)
class CalendarConfig:
    country: str
    subdiv: str | None = None


@dc.dataclass(frozen=True)
class EscalationConfig:
    """Which flags start escalation, how the path is chosen, and the two ladders."""

    rules: Annotated[tuple[str, ...], Vocab("rules")]
    cp_statuses: Statuses
    next_step: Literal["first_missing", "after_highest"]
    lookback_days: int
    paths: Annotated[Mapping[str, tuple[LadderStep, ...]], Vocab(keys="paths")]

    def validate(self) -> str | None:
        for path in PATHS:
            steps = self.paths.get(path)
            if not steps:
                return f"paths.{path} must list its steps"
            numbers = [s.step for s in steps]
            if numbers != list(range(1, len(steps) + 1)):
                return f"paths.{path}: steps must be numbered 1..{len(steps)} in order"
            free = {s.step for s in steps if s.after_step is None and s.before_step is None}
            for s in steps:
                for ref in (s.after_step, s.before_step):
                    if ref is not None and ref not in free:
                        return (f"paths.{path} step {s.step}: after_step/before_step must name a step "
                                "of the same path that has no such constraint itself")
        return None


@dc.dataclass(frozen=True)
class RiskSeriesConfig:
    window_days: int
    failed_contacts: CountSource
    resistance_tags: CountSource


@dc.dataclass(frozen=True)
class Policy:
    """A loaded, validated policy. Build it with :func:`load_policy`."""

    name: str
    files: tuple[str, ...]
    rules: tuple[Rule, ...]
    calendar: WorkingCalendar
    wording: Wording
    escalation: EscalationConfig
    risk_series: RiskSeriesConfig
    cues: Mapping[str, CueSet]
    label_family: Mapping[str, str]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)


def default_policy_path() -> Path:
    from ..paths import lexicon_dir  # imported here: resources pulls in spaCy

    return lexicon_dir() / "policy" / "default.yaml"


def load_policy(path: Path | None = None, overrides: Path | None = None) -> Policy:
    """Load the policy at ``path`` (default ``lexicons/policy/default.yaml``), then apply the
    override file ``overrides`` if given. Raises :class:`LexiconError` naming file and entry."""
    from ..paths import lexicon_dir

    root = lexicon_dir()
    path = Path(path) if path is not None else default_policy_path()
    labels, cues = _labels_and_cues(root / "labels.yaml", root / "escalation", _stamp(root))
    base = load_yaml(path)
    file = str(path)
    # the base file on its own must be complete and valid ...
    policy = _build(base, file, (file,), labels, cues)
    if overrides is None:
        return policy
    ofile = str(overrides)
    odata = load_yaml(Path(overrides))
    if odata is None:  # an empty override file changes nothing
        odata = {}
    _check_override(odata, base, ofile)
    # ... so anything wrong after merging comes from the override file
    return _build(_merge(_normalise(base), _normalise(odata)), ofile, (file, ofile), labels, cues)


def _stamp(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of the files the label and cue loads read."""
    files = [root / "labels.yaml", *sorted((root / "escalation").glob("*.yaml"))]
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files if f.is_file())


@lru_cache(maxsize=8)
def _labels_and_cues(labels_path: Path, cue_dir: Path, stamp: tuple) -> tuple[Mapping[str, Any], Mapping[str, CueSet]]:
    """Labels and escalation cues, read again only when a file changes (both are frozen)."""
    return MappingProxyType(load_labels(labels_path)), MappingProxyType(load_cues(cue_dir))


def _check_override(odata: Any, base: Mapping[str, Any], file: str) -> None:
    data = check_keys(odata, file=file, entry=None, optional=TOP_KEYS)
    rules = data.get("rules")
    if rules is None:
        return
    if not isinstance(rules, Mapping):
        raise LexiconError(file, "rules must map a rule id to what it changes", "rules")
    for rid, entry in rules.items():
        where = f"rules.{rid}"
        if rid not in base["rules"]:
            raise LexiconError(file, f"unknown rule {rid!r}; known: {', '.join(base['rules'])}", where)
        if isinstance(entry, Mapping) and "check" in entry:
            raise LexiconError(file, "a rule's check cannot be overridden (change its params instead)", where)
        check_keys(entry, file=file, entry=where, optional=OVERRIDABLE)


def _normalise(doc: Any) -> Any:
    """A copy in which a rule's single ``severity`` or ``recommended_action`` string becomes
    ``{default: ...}``, so that an override of one status or subtype merges with it."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("rules"), Mapping):
        return doc
    rules = {}
    for rid, entry in doc["rules"].items():
        if isinstance(entry, Mapping):
            entry = {k: ({"default": v} if k in ("severity", "recommended_action") and isinstance(v, str) else v)
                     for k, v in entry.items()}
        rules[rid] = entry
    return {**doc, "rules": rules}


def _merge(base: Any, over: Any) -> Any:
    """``over`` on top of ``base``: mappings merge key by key, anything else replaces."""
    if isinstance(base, Mapping) and isinstance(over, Mapping):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return over


def _vocabs(labels: Mapping[str, Any], cues: Mapping[str, CueSet], rule_ids: Any) -> dict[str, frozenset[str]]:
    subtypes = {s for lab in labels.values() for s in lab.subtypes}
    return {
        "kinds": frozenset(EVENT_KINDS), "outcomes": frozenset(OUTCOMES),
        "meeting_types": frozenset(MEETING_TYPES), "statuses": frozenset(STATUSES),
        "statuses_default": frozenset(STATUSES) | {"default"}, "assertions": frozenset(ASSERTIONS),
        "labels": frozenset(labels), "families": frozenset(FAMILIES), "subtypes": frozenset(subtypes),
        "severities": frozenset(SEVERITIES), "signals": frozenset(cues), "paths": frozenset(PATHS),
        "rules": frozenset(str(r) for r in rule_ids),
    }


def _build(data: Any, file: str, files: tuple[str, ...], labels: Mapping[str, Any],
           cues: Mapping[str, CueSet]) -> Policy:
    data = check_keys(data, file=file, entry=None, required=TOP_REQUIRED, optional=TOP_KEYS)
    rules_raw = data["rules"]
    if not isinstance(rules_raw, Mapping) or not rules_raw:
        raise LexiconError(file, "rules must be a non-empty mapping of rule id to rule", "rules")
    vocabs = _vocabs(labels, cues, rules_raw)
    top = Where(file, "")
    cal = build(CalendarConfig, data["working_days"], vocabs, top.at("working_days"))
    calendar = WorkingCalendar(cal.country, cal.subdiv)
    try:
        calendar.is_bank_holiday(dt.date(2024, 1, 1))
    except (NotImplementedError, KeyError, ValueError) as exc:
        raise top.at("working_days").error(f"the holidays library does not know this calendar: {exc}") from None
    rules = tuple(_rule(str(rid), entry, vocabs, top.at("rules").at(rid)) for rid, entry in rules_raw.items())
    return Policy(
        name=convert(str, data["name"], vocabs, top.at("name")), files=files, rules=rules, calendar=calendar,
        wording=build(Wording, data["wording"], vocabs, top.at("wording")),
        escalation=build(EscalationConfig, data["escalation"], vocabs, top.at("escalation")),
        risk_series=build(RiskSeriesConfig, data["risk_series"], vocabs, top.at("risk_series")),
        cues=cues, label_family=MappingProxyType({k: v.family for k, v in labels.items()}),
    )


def _rule(rid: str, entry: Any, vocabs: Mapping[str, frozenset[str]], where: Where) -> Rule:
    if not rid.replace("_", "").isalnum() or not rid.islower():
        raise where.error("rule ids are lower_case_with_underscores")
    entry = check_keys(entry, file=where.file, entry=where.entry, required=RULE_REQUIRED, optional=RULE_OPTIONAL)
    name = entry["check"]
    spec = CHECKS.get(name)
    if spec is None:
        raise where.at("check").error(f"unknown check {name!r}; registered: {', '.join(sorted(CHECKS))}")
    params = build(spec.params, entry["params"], vocabs, where.at("params"))
    sev_raw = entry["severity"]
    severity = build(Severity, {"default": sev_raw} if isinstance(sev_raw, str) else sev_raw, vocabs,
                     where.at("severity"))
    messages = _messages(entry["message"], spec.variants, spec.active_variants(params), where.at("message"))
    action_raw = entry["recommended_action"]
    action = convert(Annotated[Mapping[str, str], Vocab(keys="statuses_default")],
                     {"default": action_raw} if isinstance(action_raw, str) else action_raw, vocabs,
                     where.at("recommended_action"))
    if "default" not in action:
        raise where.at("recommended_action").error("needs a 'default' action (for statuses not listed)")
    enabled = convert(bool, entry.get("enabled", True), vocabs, where.at("enabled"))
    desc = entry.get("description") or ""
    return Rule(id=rid, check=name, enabled=enabled, params=params, severity=severity,
                policy_ref=convert(str, entry["policy_ref"], vocabs, where.at("policy_ref")),
                messages=messages, recommended_action=action, description=str(desc))


def _messages(raw: Any, variants: Mapping[str, frozenset[str]], active: frozenset[str],
              where: Where) -> Mapping[str, str]:
    """Templates per variant: every active variant needs one; each may use only its fields."""
    if isinstance(raw, str):
        if set(variants) != {"default"}:
            raise where.error(f"this check has message variants {sorted(variants)}: give one template each")
        raw = {"default": raw}
    if not isinstance(raw, Mapping):
        raise where.error("message must be a template or a mapping of variant to template")
    missing = sorted(active - set(raw))
    unknown = sorted(set(raw) - set(variants))
    if missing or unknown:
        raise where.error(f"message variants: missing {missing}, unknown {unknown} "
                          f"(this rule needs {sorted(active)}, the check knows {sorted(variants)})")
    out = {}
    for variant, template in raw.items():
        w = where.at(variant) if len(variants) > 1 else where
        if not isinstance(template, str) or not template.strip():
            raise w.error("a message template must be a non-empty string")
        try:
            names = [f for _, f, spec, conv in string.Formatter().parse(template) if f is not None]
        except ValueError as exc:
            raise w.error(f"bad template {template!r}: {exc}") from None
        allowed = variants[variant]
        bad = [n for n in names if n not in allowed]
        if bad:
            raise w.error(f"template uses unknown field(s) {bad}; available: {sorted(allowed)}")
        out[variant] = template
    return MappingProxyType(out)


__all__ = ["Policy", "Rule", "Severity", "load_policy", "EventFilter", "default_policy_path"]
