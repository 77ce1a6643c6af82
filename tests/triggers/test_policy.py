"""Policy loading: the default file, override files that change rules, and strict errors
that name the file and the entry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analyser.errors import LexiconError
from analyser.triggers import Policy, load_policy
from analyser.triggers.policy import default_policy_path
from tests.triggers.builders import Case


def write(tmp_path: Path, data: object, name: str = "my-la.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def three_missed_visits() -> Case:
    c = Case("C", [("2024-01-01", "CP")])
    for day in ("2024-03-01", "2024-03-07", "2024-03-14"):
        c.visit(day, "no_access")
    return c


def test_policy_default_loads_every_rule_of_the_spec(policy: Policy) -> None:
    assert [r.id for r in policy.rules] == [
        "consecutive_missed_visits", "access_to_child_denied", "child_not_seen_alone", "child_not_seen",
        "letter_not_answered", "sudden_disengagement", "hostility_incident", "cumulative_non_engagement", "drift",
        "family_moved", "complaints_pattern", "worker_turnover"]
    assert policy.files == (str(default_policy_path()),)
    assert all(r.enabled and r.policy_ref and r.recommended_action["default"] for r in policy.rules)


def test_policy_override_changes_a_threshold(tmp_path: Path, policy: Policy) -> None:
    assert three_missed_visits().dates(policy, "consecutive_missed_visits") == ["2024-03-07", "2024-03-14"]
    la = load_policy(overrides=write(tmp_path, {"rules": {"consecutive_missed_visits": {"params": {"failures": 3}}}}))
    assert three_missed_visits().dates(la, "consecutive_missed_visits") == ["2024-03-14"]
    # the other parameters of the rule are kept from the default file
    assert la.rule("consecutive_missed_visits").params.kinds == ("home_visit", "office_visit")
    assert la.files[-1].endswith("my-la.yaml")


def test_policy_override_changes_working_day_limit_and_window(tmp_path: Path, policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CP")])
    c.event("2024-03-04", "letter")
    c.note("2024-03-12")
    assert c.dates(policy, "letter_not_answered") == ["2024-03-06"]
    la = load_policy(overrides=write(tmp_path, {"rules": {"letter_not_answered": {"params": {"limits": {"CP": 3}}}}}))
    assert c.dates(la, "letter_not_answered") == ["2024-03-07"]


def test_policy_override_severity_message_action_ref_and_disable(tmp_path: Path, policy: Policy) -> None:
    la = load_policy(overrides=write(tmp_path, {"rules": {
        "consecutive_missed_visits": {
            "severity": "medium", "message": "{count} missed in a row: {dates}.", "policy_ref": "LA visits policy 4.2",
            "recommended_action": {"CP": "Ring the chair."}},
        "sudden_disengagement": {"enabled": False},
    }}))
    flags = three_missed_visits().flags(la)
    assert {f.rule for f in flags} == {"consecutive_missed_visits"}
    f = flags[0]
    assert (f.severity, f.explanation, f.policy_ref, f.recommended_action) == (
        "medium", "2 missed in a row: 01/03, 07/03.", "LA visits policy 4.2", "Ring the chair.")
    # the CIN wording of the action still comes from the default file
    assert la.rule("consecutive_missed_visits").action_for("CIN") == policy.rule(
        "consecutive_missed_visits").action_for("CIN")


def test_policy_override_can_count_reported_tags(tmp_path: Path, policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CP")])
    c.note("2024-03-01", labels=["migration"], assertion="reported")
    assert c.dates(policy, "family_moved") == []
    la = load_policy(overrides=write(tmp_path, {"rules": {"family_moved": {"params": {
        "assertions": ["affirmed", "reported"]}}}}))
    assert c.dates(la, "family_moved") == ["2024-03-01"]


def test_policy_override_one_status_keeps_the_default(tmp_path: Path, policy: Policy) -> None:
    la = load_policy(overrides=write(tmp_path, {"rules": {"drift": {
        "severity": {"by_status": {"CP": "high"}}, "recommended_action": {"CP": "Tell the chair."}}}}))
    drift = la.rule("drift")
    assert drift.severity.level("CP") == "high" and drift.severity.level("CIN") == "medium"
    assert drift.action_for("CP") == "Tell the chair."
    assert drift.action_for("CIN") == policy.rule("drift").action_for("CIN")
    hostile = la.rule("hostility_incident")
    assert hostile.action_for("CP") == hostile.action_for("default")


def test_policy_override_unknown_subtype_severity(tmp_path: Path) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.note("2024-03-01", labels=["hostility"])
    la = load_policy(overrides=write(tmp_path, {"rules": {"hostility_incident": {"severity": {
        "unknown_subtype": "high"}}}}))
    assert [f.severity for f in c.flags(la, "hostility_incident")] == ["high"]


def test_policy_override_other_sections(tmp_path: Path) -> None:
    la = load_policy(overrides=write(tmp_path, {
        "working_days": {"subdiv": "SCT"}, "escalation": {"next_step": "after_highest"},
        "wording": {"kinds": {"home_visit": "home call"}}}))
    assert la.calendar.subdiv == "SCT" and la.escalation.next_step == "after_highest"
    assert la.wording.kind("home_visit") == "home call" and la.wording.kind("office_visit") == "office appointment"


def test_policy_empty_override_changes_nothing(tmp_path: Path, policy: Policy) -> None:
    la = load_policy(overrides=write(tmp_path, ""))
    assert la.rules == policy.rules


@pytest.mark.parametrize(("override", "entry", "words"), [
    ({"rules": {"no_such_rule": {"enabled": False}}}, "rules.no_such_rule", "unknown rule"),
    ({"rules": {"drift": {"threshold": 3}}}, "rules.drift", "unknown key(s): threshold"),
    ({"rules": {"drift": {"params": {"reviewz": 3}}}}, "rules.drift.params", "unknown key(s): reviewz"),
    ({"rules": {"drift": {"params": {"reviews": "two"}}}}, "rules.drift.params.reviews", "must be an integer"),
    ({"rules": {"drift": {"params": {"reviews": -1}}}}, "rules.drift.params.reviews", "negative"),
    ({"rules": {"drift": {"enabled": "no"}}}, "rules.drift.enabled", "true or false"),
    ({"rules": {"drift": {"check": "visit_run"}}}, "rules.drift", "cannot be overridden"),
    ({"rules": {"drift": {"severity": "critical"}}}, "rules.drift.severity.default", "unknown severities"),
    ({"rules": {"drift": {"params": {"meeting_types": ["tea_party"]}}}}, "rules.drift.params.meeting_types.0",
     "unknown meeting_types"),
    ({"rules": {"drift": {"params": {"labels": ["grumpiness"]}}}}, "rules.drift.params.labels.0", "unknown labels"),
    ({"rules": {"consecutive_missed_visits": {"params": {"failed_outcomes": ["missed"]}}}},
     "rules.consecutive_missed_visits.params.failed_outcomes.0", "unknown outcomes"),
    ({"rules": {"consecutive_missed_visits": {"params": {"took_place_outcomes": ["no_access"]}}}},
     "rules.consecutive_missed_visits.params", "overlap"),
    ({"rules": {"child_not_seen": {"params": {"limits": {"CPP": 10}}}}}, "rules.child_not_seen.params.limits",
     "unknown statuses key"),
    ({"rules": {"drift": {"message": "Drift since {start}."}}}, "rules.drift.message", "unknown field(s) ['start']"),
    ({"rules": {"drift": {"message": "Drift {"}}}, "rules.drift.message", "bad template"),
    ({"rules": {"child_not_seen": {"message": "Not seen."}}}, "rules.child_not_seen.message", "variants"),
    ({"rules": {"child_not_seen": {"params": {"kept_labels": ["refusal"], "kept_outcomes": ["completed"]}}}},
     "rules.child_not_seen.message", "missing ['kept']"),
    ({"rules": {"drift": {"recommended_action": {"CPP": "x"}}}}, "rules.drift.recommended_action",
     "unknown statuses_default key"),
    ({"rules": {"cumulative_non_engagement": {"params": {"sources": [{"name": "x"}]}}}},
     "rules.cumulative_non_engagement.params.sources.0", "exactly one of events"),
    ({"escalation": {"rules": ["hostility_incidents"]}}, "escalation.rules.0", "unknown rules"),
    ({"escalation": {"next_step": "soonest"}}, "escalation.next_step", "must be one of"),
    ({"working_days": {"country": "XX"}}, "working_days", "holidays library"),
    ({"colour": "red"}, None, "unknown key(s): colour"),
    ({"rules": ["drift"]}, "rules", "must map a rule id"),
])
def test_policy_override_errors_name_file_and_entry(tmp_path: Path, override: object, entry: str | None,
                                                     words: str) -> None:
    path = write(tmp_path, override)
    with pytest.raises(LexiconError) as info:
        load_policy(overrides=path)
    err = info.value
    assert err.file == str(path)
    assert err.entry == entry
    assert words in str(err)


def test_policy_bad_yaml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "rules: [unclosed\n")
    with pytest.raises(LexiconError, match="not valid YAML") as info:
        load_policy(overrides=path)
    assert info.value.file == str(path)


def test_policy_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_policy(overrides=tmp_path / "nope.yaml")


def base_doc() -> dict:
    return yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))


@pytest.mark.parametrize(("mutate", "entry", "words"), [
    (lambda doc: doc["rules"]["drift"].pop("params"), "rules.drift", "missing key(s): params"),
    (lambda doc: doc["rules"]["drift"]["params"].pop("reviews"), "rules.drift.params", "missing key(s): reviews"),
    (lambda doc: doc["rules"]["drift"].update(check="no_such_check"), "rules.drift.check", "unknown check"),
    (lambda doc: doc.pop("escalation"), None, "missing key(s): escalation"),
    (lambda doc: doc["escalation"]["paths"]["CP"].pop(0), "escalation", "numbered 1.."),
    (lambda doc: doc["escalation"]["paths"]["CIN"][1].update(cues=["telepathy"]),
     "escalation.paths.CIN.1.cues.0", "unknown signals"),
    (lambda doc: doc["escalation"]["paths"]["CIN"][1].update(before_step=4), "escalation", "after_step/before_step"),
    (lambda doc: doc["rules"].update({"Bad-Id": doc["rules"]["drift"]}), "rules.Bad-Id", "lower_case"),
])
def test_policy_full_file_is_strict(tmp_path: Path, mutate, entry: str | None, words: str) -> None:
    doc = base_doc()
    mutate(doc)
    path = write(tmp_path, doc, "full.yaml")
    with pytest.raises(LexiconError) as info:
        load_policy(path)
    assert info.value.file == str(path) and info.value.entry == entry and words in str(info.value)


def test_policy_full_file_path_loads(tmp_path: Path) -> None:
    doc = base_doc()
    doc["name"] = "Copied policy"
    pol = load_policy(write(tmp_path, doc, "full.yaml"))
    assert pol.name == "Copied policy" and len(pol.rules) == 12


def test_policy_example_override_loads() -> None:
    la = load_policy(overrides=default_policy_path().parent / "example-override.yaml")
    assert la.rule("consecutive_missed_visits").params.failures == 3
    assert la.rule("letter_not_answered").params.limits["CP"] == 3
    assert la.rule("letter_not_answered").params.limits["default"] == 7
    assert not la.rule("worker_turnover").enabled and la.calendar.subdiv == "WLS"
    assert three_missed_visits().dates(la, "consecutive_missed_visits") == ["2024-03-14"]
