"""The engine around the checks: ids and order, merging, status and wording, determinism,
the risk series and the flags table."""

from __future__ import annotations

import dataclasses
import random

from analyser.model import Flag
from analyser.report.flags_table import flag_rows
from analyser.report.json_report import flag_json
from analyser.triggers import Policy, run_triggers
from tests.triggers.builders import Case


def example_case() -> Case:
    c = Case("C014", [("2024-01-10", "CIN"), ("2024-03-04", "CP")])
    c.visit("2024-01-10", alone=True)
    c.visit("2024-02-26", alone=True)
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-14", "no_access", labels=["hostility"], subtype="threat")
    c.note("2024-03-20")
    return c


def test_engine_ids_follow_date_then_rule(policy: Policy) -> None:
    flags = example_case().flags(policy)
    keys = [(f.date, f.rule) for f in flags]
    assert keys == sorted(keys)
    assert [f.flag_id for f in flags] == [f"C014-f{i:04d}" for i in range(len(flags))]
    assert ("2024-03-14", "consecutive_missed_visits") in [(f.date.isoformat(), f.rule) for f in flags]


def test_engine_explanation_status_action(policy: Policy) -> None:
    (f,) = example_case().flags(policy, "consecutive_missed_visits")
    assert f.explanation == "Second consecutive planned home visit with no access (07/03, 14/03)."
    assert f.status == "CP" and f.severity == "high" and f.policy_ref == "002 §7.1"
    assert f.evidence == ("C014-e0002", "C014-e0003")
    assert f.recommended_action == policy.rule("consecutive_missed_visits").recommended_action["CP"]
    (h,) = example_case().flags(policy, "hostility_incident")
    assert h.severity == "high" and "(threat)" in h.explanation and h.evidence == ("C014-t0000",)


def test_engine_cin_wording_of_action(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-14", "no_access")
    (f,) = c.flags(policy, "consecutive_missed_visits")
    assert f.status == "CIN"
    assert f.recommended_action == policy.rule("consecutive_missed_visits").recommended_action["default"]
    assert "conference chair" not in f.recommended_action


def test_engine_status_unknown_before_the_timeline(policy: Policy) -> None:
    c = Case("C", [])
    c.visit("2024-03-07", "refused_entry")
    (f,) = c.flags(policy, "access_to_child_denied")
    assert f.status == "unknown"


def test_engine_one_flag_per_rule_and_date(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.visit("2024-03-07", "refused_entry")
    c.visit("2024-03-07", "refused_entry", kind="office_visit")
    c.note("2024-03-07", labels=["hostility"], subtype="verbal_abuse")
    c.note("2024-03-07", labels=["hostility"], subtype="physical_violence")
    flags = c.flags(policy)
    assert [(f.rule, len(f.evidence)) for f in flags if f.rule in ("access_to_child_denied", "hostility_incident")] \
        == [("access_to_child_denied", 2), ("hostility_incident", 2)]
    assert [f.severity for f in flags if f.rule == "hostility_incident"] == ["high"]


def test_engine_is_deterministic_and_order_independent(policy: Policy) -> None:
    c = example_case()
    first = c.run(policy)
    rng = random.Random(7)
    for _ in range(3):
        notes, events, tags = list(c.notes), list(c.events), list(c.tags)
        rng.shuffle(events)
        rng.shuffle(tags)
        again = run_triggers(c.case_id, notes, events, tags, list(reversed(c.timeline())), policy)
        assert again == first


def test_engine_undated_notes_and_events_are_skipped(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.event(None, "home_visit", "refused_entry", note_day=None, labels=["hostility", "migration"])
    result = c.run(policy)
    assert result.flags == [] and result.escalation is None and result.risk_series == []


def test_engine_risk_series_weekly_rows(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.visit("2024-01-03", "no_access", labels=["avoidance", "avoidance"])    # Wed, week of 01/01
    c.event("2024-01-10", "meeting", "did_not_attend", meeting_type="core_group", labels=["child_voice"])
    c.event("2024-01-12", "phone_call", "no_access", labels=["denial"], assertion="negated")
    c.visit("2024-01-15", planned=False)
    c.note("2024-04-08")
    rows = c.run(policy).risk_series
    assert rows[0] == {"week": "2024-01-01", "failed_contacts_90d": 1, "resistance_tags_90d": 2}
    assert rows[1] == {"week": "2024-01-08", "failed_contacts_90d": 3, "resistance_tags_90d": 2}
    assert [r["week"] for r in rows[:3]] == ["2024-01-01", "2024-01-08", "2024-01-15"]
    assert rows[-1]["week"] == "2024-04-08" and len(rows) == 15
    # 90 days ending Sunday 07/04 reach back to 09/01: the 03/01 items have left the window
    assert rows[-2] == {"week": "2024-04-01", "failed_contacts_90d": 2, "resistance_tags_90d": 0}


def test_engine_flags_table_rows(policy: Policy) -> None:
    flags = example_case().flags(policy)
    doc = {"flags": [flag_json(f) for f in reversed(flags)]}
    rows = flag_rows(doc)
    assert [r["rule"] for r in rows] == [f.rule for f in flags]
    assert rows[0] == {"rule": flags[0].rule, "date": flags[0].date.strftime("%d/%m/%Y"),
                       "severity": flags[0].severity, "status": flags[0].status,
                       "explanation": flags[0].explanation}
    assert flag_rows({}) == [] and flag_rows({"flags": None}) == []


def test_engine_flag_is_frozen(policy: Policy) -> None:
    (f,) = example_case().flags(policy, "consecutive_missed_visits")
    assert isinstance(f, Flag) and dataclasses.is_dataclass(f)
    try:
        f.rule = "x"  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:  # pragma: no cover
        raise AssertionError("Flag must be frozen")
