"""Every rule of the spec's table, from small event lists: cases that fire and cases that stay
quiet. Each scenario builds a case and names the rule and the dates it must flag."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from analyser.triggers import Policy
from tests.triggers.builders import Case

Scenario = Callable[[], tuple[Case, str, list[str]]]
FAIL = ("no_access", "did_not_attend", "cancelled_by_family", "refused_entry")


def cin(start: str = "2024-01-01") -> Case:
    return Case("C", [(start, "CIN")])


def cp(start: str = "2024-01-01") -> Case:
    return Case("C", [(start, "CP")])


# --- consecutive_missed_visits ----------------------------------------------------------------

def cmv_two_planned_no_access():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-14", "no_access")
    return c, "consecutive_missed_visits", ["2024-03-14"]


def cmv_again_on_each_further_failure():
    c = cin()
    for day in ("2024-03-01", "2024-03-07", "2024-03-14", "2024-03-21"):
        c.visit(day, "no_access")
    return c, "consecutive_missed_visits", ["2024-03-07", "2024-03-14", "2024-03-21"]


def cmv_planned_unknown_counts():
    c = cin()
    c.visit("2024-03-07", "no_access", planned=None)
    c.visit("2024-03-14", "did_not_attend", planned=None, kind="office_visit")
    return c, "consecutive_missed_visits", ["2024-03-14"]


def cmv_mixed_failures():
    c = cin()
    c.visit("2024-03-07", "cancelled_by_family")
    c.visit("2024-03-14", "refused_entry")
    return c, "consecutive_missed_visits", ["2024-03-14"]


def cmv_unannounced_failure_neither_counts_nor_breaks():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-10", "no_access", planned=False)
    c.visit("2024-03-14", "no_access")
    return c, "consecutive_missed_visits", ["2024-03-14"]


def cmv_agency_cancellation_neither_counts_nor_breaks():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-10", "cancelled_by_agency")
    c.visit("2024-03-14", "no_access")
    return c, "consecutive_missed_visits", ["2024-03-14"]


def cmv_meeting_between_does_not_break():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.event("2024-03-10", "meeting", "completed", meeting_type="core_group")
    c.visit("2024-03-14", "no_access")
    return c, "consecutive_missed_visits", ["2024-03-14"]


def cmv_quiet_visit_took_place_between():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-10", "completed")
    c.visit("2024-03-14", "no_access")
    return c, "consecutive_missed_visits", []


def cmv_quiet_cut_short_breaks():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-10", "cut_short", planned=False)
    c.visit("2024-03-14", "no_access")
    return c, "consecutive_missed_visits", []


def cmv_quiet_unannounced_only():
    c = cin()
    c.visit("2024-03-07", "no_access", planned=False)
    c.visit("2024-03-14", "no_access", planned=False)
    return c, "consecutive_missed_visits", []


def cmv_quiet_agency_cancellations():
    c = cin()
    c.visit("2024-03-07", "cancelled_by_agency")
    c.visit("2024-03-14", "cancelled_by_agency")
    return c, "consecutive_missed_visits", []


def cmv_quiet_phone_calls_are_not_visits():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.event("2024-03-10", "phone_call", "no_access")
    return c, "consecutive_missed_visits", []


def cmv_quiet_undated_event_skipped():
    c = cin()
    c.visit("2024-03-07", "no_access")
    c.event(None, "home_visit", "no_access", planned=True, note_day="2024-03-14")
    return c, "consecutive_missed_visits", []


# --- access_to_child_denied --------------------------------------------------------------------

def acd_refused_entry():
    c = cin()
    c.visit("2024-03-07", "refused_entry")
    return c, "access_to_child_denied", ["2024-03-07"]


def acd_seen_false_with_refusal():
    c = cin()
    c.visit("2024-01-23", "completed", seen=False, alone=False, labels=["refusal"])
    return c, "access_to_child_denied", ["2024-01-23"]


def acd_refusal_on_any_event_kind():
    c = cin()
    c.event("2024-01-23", "office_visit", "did_not_attend", seen=False, labels=["refusal"])
    return c, "access_to_child_denied", ["2024-01-23"]


def acd_quiet_not_seen_without_refusal():
    c = cin()
    c.visit("2024-01-23", "completed", seen=False, alone=False, labels=["avoidance"])
    return c, "access_to_child_denied", []


def acd_quiet_refusal_negated():
    c = cin()
    c.visit("2024-01-23", "completed", seen=False, alone=False, labels=["refusal"], assertion="negated")
    return c, "access_to_child_denied", []


def acd_quiet_refusal_but_child_seen():
    c = cin()
    c.visit("2024-01-23", "completed", seen=True, alone=False, labels=["refusal"])
    return c, "access_to_child_denied", []


def acd_quiet_refusal_reported_only():
    c = cin()
    c.visit("2024-01-23", "no_access", labels=["refusal"], assertion="reported")
    return c, "access_to_child_denied", []


# --- child_not_seen_alone ------------------------------------------------------------------------

def cnsa_day_29_after_last_seen_alone():
    c = cin()
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.note("2024-03-01")
    return c, "child_not_seen_alone", ["2024-02-08"]


def cnsa_clock_from_first_note():
    c = cin("2023-12-01")
    c.note("2024-01-05")
    c.note("2024-03-01")
    return c, "child_not_seen_alone", ["2024-02-03"]


def cnsa_clock_from_period_start_after_first_note():
    c = Case("C", [("2024-01-01", "EH"), ("2024-02-01", "CIN")])
    c.note("2024-01-01")
    c.note("2024-04-01")
    return c, "child_not_seen_alone", ["2024-03-01"]


def cnsa_cin_to_cp_does_not_restart():
    c = Case("C", [("2024-01-01", "CIN"), ("2024-01-20", "CP")])
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.note("2024-03-01")
    return c, "child_not_seen_alone", ["2024-02-08"]


def cnsa_once_per_gap():
    c = cin()
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.note("2024-05-01")
    return c, "child_not_seen_alone", ["2024-02-08"]


def cnsa_each_gap():
    c = cin()
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.visit("2024-03-01", alone=True)
    c.note("2024-04-15")
    return c, "child_not_seen_alone", ["2024-02-08", "2024-03-30"]


def cnsa_seen_but_not_alone_does_not_reset():
    c = cp()
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.visit("2024-02-01", seen=True, alone=False)
    c.note("2024-02-20")
    return c, "child_not_seen_alone", ["2024-02-08"]


def cnsa_kept_from_being_seen_alone_avoidance():
    c = cin()
    c.visit("2024-01-23", "completed", seen=True, alone=False, labels=["avoidance"])
    return c, "child_not_seen_alone", ["2024-01-23"]


def cnsa_kept_cut_short_refusal():
    c = cin()
    c.visit("2024-01-23", "cut_short", planned=False, seen=True, alone=False, labels=["refusal"])
    return c, "child_not_seen_alone", ["2024-01-23"]


def cnsa_quiet_seen_alone_on_day_29():
    c = cin()
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.visit("2024-02-08", alone=True)
    c.note("2024-02-20")
    return c, "child_not_seen_alone", []


def cnsa_quiet_notes_stop_on_day_28():
    c = cin()
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.note("2024-02-07")
    return c, "child_not_seen_alone", []


def cnsa_quiet_not_cin_or_cp():
    c = Case("C", [("2024-01-01", "EH")])
    c.note("2024-01-01")
    c.note("2024-04-01")
    return c, "child_not_seen_alone", []


def cnsa_quiet_lac_is_not_counted():
    c = Case("C", [("2024-01-01", "LAC")])
    c.note("2024-01-01")
    c.note("2024-04-01")
    return c, "child_not_seen_alone", []


def cnsa_quiet_broken_period_restarts_clock():
    c = Case("C", [("2024-01-01", "CIN"), ("2024-01-20", "closed"), ("2024-02-01", "CIN")])
    c.note("2024-01-01")
    c.visit("2024-01-10", alone=True)
    c.note("2024-02-25")
    return c, "child_not_seen_alone", []


def cnsa_quiet_kept_needs_tag():
    c = cin()
    c.visit("2024-01-23", "completed", seen=True, alone=False, labels=["denial"])
    return c, "child_not_seen_alone", []


def cnsa_quiet_kept_tag_negated():
    c = cin()
    c.visit("2024-01-23", "completed", seen=True, alone=False, labels=["refusal"], assertion="negated")
    return c, "child_not_seen_alone", []


def cnsa_quiet_kept_needs_visit_that_took_place():
    c = cin()
    c.visit("2024-01-23", "no_access", labels=["avoidance"])
    return c, "child_not_seen_alone", []


# --- child_not_seen -------------------------------------------------------------------------------

def cns_cp_first_working_day_past_10():
    c = cp()
    c.visit("2024-03-01")
    c.note("2024-03-20")
    return c, "child_not_seen", ["2024-03-18"]


def cns_cin_20_working_days_over_easter():
    c = cin()
    c.visit("2024-03-01")
    c.note("2024-04-10")
    return c, "child_not_seen", ["2024-04-03"]


def cns_cp_over_christmas_and_new_year():
    c = cp("2023-12-01")
    c.visit("2023-12-20")
    c.note("2024-01-15")
    return c, "child_not_seen", ["2024-01-09"]


def cns_move_to_cp_past_the_cp_limit_fires_at_once():
    c = Case("C", [("2024-01-08", "CIN"), ("2024-03-04", "CP")])
    c.note("2024-01-08")
    c.visit("2024-02-06")
    c.note("2024-03-11")
    return c, "child_not_seen", ["2024-03-04"]


def cns_cp_starting_on_a_saturday_fires_next_working_day():
    c = Case("C", [("2024-01-01", "CIN"), ("2024-01-27", "CP")])
    c.visit("2024-01-02")
    c.note("2024-02-05")
    return c, "child_not_seen", ["2024-01-29"]


def cns_sighting_by_any_event_resets():
    c = cp()
    c.visit("2024-03-01")
    c.event("2024-03-14", "office_visit", "completed", seen=True)
    c.note("2024-04-03")
    return c, "child_not_seen", ["2024-04-02"]     # Good Friday and Easter Monday skipped


def cns_quiet_notes_stop_before_limit():
    c = cp()
    c.visit("2024-03-01")
    c.note("2024-03-15")
    return c, "child_not_seen", []


def cns_quiet_seen_on_the_day():
    c = cp()
    c.visit("2024-03-01")
    c.visit("2024-03-18")
    c.note("2024-03-20")
    return c, "child_not_seen", []


def cns_quiet_early_help():
    c = Case("C", [("2024-01-01", "EH")])
    c.note("2024-01-01")
    c.note("2024-06-01")
    return c, "child_not_seen", []


def cns_quiet_cin_within_20():
    c = cin()
    c.visit("2024-03-01")
    c.note("2024-03-28")
    return c, "child_not_seen", []


# --- letter_not_answered -------------------------------------------------------------------------

def lna_cin_five_working_days():
    c = cin()
    c.event("2024-03-04", "letter")
    c.note("2024-03-12")
    return c, "letter_not_answered", ["2024-03-11"]


def lna_cp_two_working_days():
    c = cp()
    c.event("2024-03-04", "letter")
    c.note("2024-03-08")
    return c, "letter_not_answered", ["2024-03-06"]


def lna_over_easter():
    c = cin()
    c.event("2024-03-27", "letter")
    c.note("2024-04-10")
    return c, "letter_not_answered", ["2024-04-05"]


def lna_contact_too_late():
    c = cin()
    c.event("2024-03-04", "letter")
    c.visit("2024-03-12")
    return c, "letter_not_answered", ["2024-03-11"]


def lna_failed_contact_is_no_answer():
    c = cin()
    c.event("2024-03-04", "letter")
    c.visit("2024-03-06", "no_access")
    c.note("2024-03-11")
    return c, "letter_not_answered", ["2024-03-11"]


def lna_strategy_meeting_is_not_contact():
    c = cin()
    c.event("2024-03-04", "letter")
    c.event("2024-03-06", "meeting", "completed", meeting_type="strategy")
    c.event("2024-03-07", "meeting", "completed", meeting_type="legal_planning")
    c.note("2024-03-11")
    return c, "letter_not_answered", ["2024-03-11"]


def lna_same_day_contact_is_not_later():
    c = cin()
    c.visit("2024-03-04")
    c.event("2024-03-04", "letter")
    c.note("2024-03-11")
    return c, "letter_not_answered", ["2024-03-11"]


def lna_quiet_visit_on_deadline():
    c = cin()
    c.event("2024-03-04", "letter")
    c.visit("2024-03-11")
    return c, "letter_not_answered", []


def lna_quiet_phone_call():
    c = cin()
    c.event("2024-03-04", "letter")
    c.event("2024-03-05", "phone_call", "completed")
    c.note("2024-03-20")
    return c, "letter_not_answered", []


def lna_quiet_core_group():
    c = cp()
    c.event("2024-03-04", "letter")
    c.event("2024-03-06", "meeting", "completed", meeting_type="core_group")
    c.note("2024-03-20")
    return c, "letter_not_answered", []


def lna_quiet_notes_do_not_reach_deadline():
    c = cin()
    c.event("2024-03-04", "letter")
    c.note("2024-03-08")
    return c, "letter_not_answered", []


# --- sudden_disengagement --------------------------------------------------------------------------

def sd_after_three_visits():
    c = cin()
    for day in ("2024-02-01", "2024-02-08", "2024-02-15"):
        c.visit(day)
    c.visit("2024-02-22", "no_access")
    c.visit("2024-02-29", "did_not_attend", kind="office_visit")
    return c, "sudden_disengagement", ["2024-02-29"]


def sd_unannounced_visits_that_took_place_count():
    c = cin()
    c.visit("2024-02-01", planned=False)
    c.visit("2024-02-08")
    c.visit("2024-02-15", "cut_short")
    c.visit("2024-02-22", "no_access")
    c.visit("2024-02-25", "no_access", planned=False)
    c.visit("2024-02-29", "refused_entry")
    return c, "sudden_disengagement", ["2024-02-29"]


def sd_fires_once_per_run():
    c = cin()
    for day in ("2024-02-01", "2024-02-08", "2024-02-15"):
        c.visit(day)
    for day in ("2024-02-22", "2024-02-29", "2024-03-07"):
        c.visit(day, "no_access")
    return c, "sudden_disengagement", ["2024-02-29"]


def sd_quiet_only_two_before():
    c = cin()
    for day in ("2024-02-08", "2024-02-15"):
        c.visit(day)
    c.event("2024-02-18", "phone_call", "completed")
    c.visit("2024-02-22", "no_access")
    c.visit("2024-02-29", "no_access")
    return c, "sudden_disengagement", []


def sd_quiet_failures_not_consecutive():
    c = cin()
    for day in ("2024-02-01", "2024-02-08", "2024-02-15"):
        c.visit(day)
    c.visit("2024-02-22", "no_access")
    c.visit("2024-02-25")
    c.visit("2024-02-29", "no_access")
    return c, "sudden_disengagement", []


def sd_quiet_single_failure():
    c = cin()
    for day in ("2024-02-01", "2024-02-08", "2024-02-15"):
        c.visit(day)
    c.visit("2024-02-22", "no_access")
    return c, "sudden_disengagement", []


# --- hostility_incident -----------------------------------------------------------------------------

def hi_one_flag_a_note():
    c = cin()
    c.note("2024-03-11", labels=["hostility"], subtype="verbal_abuse")
    c.note("2024-03-20", labels=["hostility", "hostility"], subtype="threat")
    return c, "hostility_incident", ["2024-03-11", "2024-03-20"]


def hi_quiet_negated():
    c = cin()
    c.note("2024-03-11", labels=["hostility"], assertion="negated")
    c.note("2024-03-12", labels=["hostility"], assertion="hypothetical")
    c.note("2024-03-13", labels=["confrontation"])
    return c, "hostility_incident", []


def hi_quiet_undated_note():
    c = cin()
    c.note(None, labels=["hostility"])
    return c, "hostility_incident", []


# --- cumulative_non_engagement --------------------------------------------------------------------

LABELS6 = ("denial", "avoidance", "refusal", "misinforming", "non_compliance", "ambivalence")


def cne_six_labels():
    c = cin()
    for i, label in enumerate(LABELS6):
        c.note(f"2024-01-{i * 5 + 1:02d}", labels=[label])
    return c, "cumulative_non_engagement", ["2024-01-26"]


def cne_visits_meetings_and_labels():
    c = cin()
    c.visit("2024-01-02", "no_access", labels=["avoidance"])          # 2 items
    c.visit("2024-01-09", "no_access", planned=False)                  # 1 item (any failed visit)
    c.event("2024-01-16", "meeting", "did_not_attend", meeting_type="core_group")  # 1 item
    c.note("2024-01-20", labels=["denial"])                            # 1 item
    c.event("2024-01-23", "office_visit", "cancelled_by_family")       # 6th item
    return c, "cumulative_non_engagement", ["2024-01-23"]


def cne_quiet_period_then_again():
    c = cin()
    for i, label in enumerate(LABELS6):
        c.note(f"2024-01-{i + 1:02d}", labels=[label])
    for i, label in enumerate(LABELS6):          # 01/02..06/02: inside the 90 quiet days
        c.note(f"2024-02-{i + 1:02d}", labels=[label])
    for i, label in enumerate(LABELS6):          # 90 days after 06/01 is 05/04
        c.note(f"2024-04-{i + 3:02d}", labels=[label])
    return c, "cumulative_non_engagement", ["2024-01-06", "2024-04-05"]


def cne_quiet_five():
    c = cin()
    for i, label in enumerate(LABELS6[:5]):
        c.note(f"2024-01-{i + 1:02d}", labels=[label])
    return c, "cumulative_non_engagement", []


def cne_quiet_window_is_90_days():
    c = cin()
    c.note("2024-01-01", labels=["denial"])
    for i, label in enumerate(LABELS6[1:]):
        c.note(f"2024-03-{i + 27:02d}", labels=[label])   # 31/03/2024 is 90 days after 01/01
    return c, "cumulative_non_engagement", []


def cne_quiet_note_counted_once_per_label():
    c = cin()
    c.note("2024-01-01", labels=["denial", "denial", "denial"])
    c.note("2024-01-02", labels=["avoidance", "avoidance"])
    c.note("2024-01-03", labels=["refusal"])
    return c, "cumulative_non_engagement", []


def cne_quiet_secondary_and_unaffirmed():
    c = cin()
    for i, label in enumerate(("child_voice", "factor_mental_health", "worker_change", "practice_remote_contact")):
        c.note(f"2024-01-{i + 1:02d}", labels=[label])
    c.note("2024-01-06", labels=["denial", "avoidance", "refusal"], assertion="negated")
    c.visit("2024-01-07")
    c.visit("2024-01-08", "cancelled_by_agency")
    return c, "cumulative_non_engagement", []


# --- drift ------------------------------------------------------------------------------------------

def drift_two_reviews():
    c = cp()
    c.event("2024-02-01", "meeting", "completed", meeting_type="core_group", labels=["unresponsiveness"])
    c.event("2024-02-20", "meeting", "completed", meeting_type="strategy", labels=["unresponsiveness"])
    c.event("2024-03-01", "meeting", "completed", meeting_type="rcpc", labels=["unresponsiveness"])
    c.event("2024-03-20", "meeting", "completed", meeting_type="core_group", labels=["unresponsiveness"])
    return c, "drift", ["2024-03-01"]


def drift_cin_reviews():
    c = cin()
    c.event("2024-02-01", "meeting", "completed", meeting_type="cin_review", labels=["unresponsiveness"])
    c.event("2024-03-01", "meeting", "completed", meeting_type="cin_review", labels=["unresponsiveness"])
    return c, "drift", ["2024-03-01"]


def drift_quiet_progress_between():
    c = cp()
    c.event("2024-02-01", "meeting", "completed", meeting_type="core_group", labels=["unresponsiveness"])
    c.event("2024-02-15", "meeting", "completed", meeting_type="core_group")
    c.event("2024-03-01", "meeting", "completed", meeting_type="rcpc", labels=["unresponsiveness"])
    return c, "drift", []


def drift_quiet_label_in_another_note():
    c = cp()
    c.event("2024-02-01", "meeting", "completed", meeting_type="core_group", labels=["unresponsiveness"])
    c.event("2024-03-01", "meeting", "completed", meeting_type="rcpc")
    c.note("2024-03-02", labels=["unresponsiveness"])
    return c, "drift", []


# --- family_moved -------------------------------------------------------------------------------------

def fm_migration():
    c = cp()
    c.note("2024-03-01", labels=["migration"])
    c.note("2024-03-05", labels=["migration", "migration"])
    return c, "family_moved", ["2024-03-01", "2024-03-05"]


def fm_quiet_reported_or_hypothetical():
    c = cp()
    c.note("2024-03-01", labels=["migration"], assertion="reported")
    c.note("2024-03-05", labels=["migration"], assertion="hypothetical")
    c.event("2024-03-06", "move")
    return c, "family_moved", []


# --- complaints_pattern ---------------------------------------------------------------------------------

def cp_complaint_then_vexatious_note():
    c = cin()
    c.event("2024-01-10", "complaint")
    c.note("2024-06-20", labels=["vexatious_complaints"])
    return c, "complaints_pattern", ["2024-06-20"]


def cp_two_complaints_then_quiet_then_again():
    c = cin()
    c.event("2024-01-10", "complaint")
    c.event("2024-01-20", "complaint")
    c.event("2024-03-01", "complaint")
    c.event("2024-07-10", "complaint")     # 172 days after the flag: still quiet
    c.event("2024-07-20", "complaint")     # 182 days after: fires again
    return c, "complaints_pattern", ["2024-01-20", "2024-07-20"]


def cp_quiet_complaint_and_tag_in_one_note():
    c = cin()
    c.event("2024-01-10", "complaint", labels=["vexatious_complaints"])
    return c, "complaints_pattern", []


def cp_quiet_note_counted_once():
    c = cin()
    c.note("2024-01-10", labels=["vexatious_complaints", "vexatious_complaints"])
    return c, "complaints_pattern", []


def cp_quiet_180_days_apart():
    c = cin()
    c.event("2024-01-01", "complaint")
    c.event("2024-06-29", "complaint")     # 180 days later: outside the window
    return c, "complaints_pattern", []


# --- worker_turnover ---------------------------------------------------------------------------------------

def wt_three_allocations():
    c = cin()
    for day in ("2024-01-01", "2024-04-01", "2024-09-01", "2024-10-01"):
        c.event(day, "allocation")
    return c, "worker_turnover", ["2024-09-01"]


def wt_quiet_spread_over_more_than_a_year():
    c = cin()
    for day in ("2024-01-01", "2024-06-01", "2024-12-31"):   # 31/12/2024 is 365 days after 01/01
        c.event(day, "allocation")
    return c, "worker_turnover", []


SCENARIOS: list[Scenario] = [
    cmv_two_planned_no_access, cmv_again_on_each_further_failure, cmv_planned_unknown_counts, cmv_mixed_failures,
    cmv_unannounced_failure_neither_counts_nor_breaks, cmv_agency_cancellation_neither_counts_nor_breaks,
    cmv_meeting_between_does_not_break, cmv_quiet_visit_took_place_between, cmv_quiet_cut_short_breaks,
    cmv_quiet_unannounced_only, cmv_quiet_agency_cancellations, cmv_quiet_phone_calls_are_not_visits,
    cmv_quiet_undated_event_skipped,
    acd_refused_entry, acd_seen_false_with_refusal, acd_refusal_on_any_event_kind, acd_quiet_not_seen_without_refusal,
    acd_quiet_refusal_negated, acd_quiet_refusal_but_child_seen, acd_quiet_refusal_reported_only,
    cnsa_day_29_after_last_seen_alone, cnsa_clock_from_first_note, cnsa_clock_from_period_start_after_first_note,
    cnsa_cin_to_cp_does_not_restart, cnsa_once_per_gap, cnsa_each_gap, cnsa_seen_but_not_alone_does_not_reset,
    cnsa_kept_from_being_seen_alone_avoidance, cnsa_kept_cut_short_refusal, cnsa_quiet_seen_alone_on_day_29,
    cnsa_quiet_notes_stop_on_day_28, cnsa_quiet_not_cin_or_cp, cnsa_quiet_lac_is_not_counted,
    cnsa_quiet_broken_period_restarts_clock, cnsa_quiet_kept_needs_tag, cnsa_quiet_kept_tag_negated,
    cnsa_quiet_kept_needs_visit_that_took_place,
    cns_cp_first_working_day_past_10, cns_cin_20_working_days_over_easter, cns_cp_over_christmas_and_new_year,
    cns_move_to_cp_past_the_cp_limit_fires_at_once, cns_cp_starting_on_a_saturday_fires_next_working_day,
    cns_sighting_by_any_event_resets, cns_quiet_notes_stop_before_limit, cns_quiet_seen_on_the_day,
    cns_quiet_early_help, cns_quiet_cin_within_20,
    lna_cin_five_working_days, lna_cp_two_working_days, lna_over_easter, lna_contact_too_late,
    lna_failed_contact_is_no_answer, lna_strategy_meeting_is_not_contact, lna_same_day_contact_is_not_later,
    lna_quiet_visit_on_deadline, lna_quiet_phone_call, lna_quiet_core_group, lna_quiet_notes_do_not_reach_deadline,
    sd_after_three_visits, sd_unannounced_visits_that_took_place_count, sd_fires_once_per_run,
    sd_quiet_only_two_before, sd_quiet_failures_not_consecutive, sd_quiet_single_failure,
    hi_one_flag_a_note, hi_quiet_negated, hi_quiet_undated_note,
    cne_six_labels, cne_visits_meetings_and_labels, cne_quiet_period_then_again, cne_quiet_five,
    cne_quiet_window_is_90_days, cne_quiet_note_counted_once_per_label, cne_quiet_secondary_and_unaffirmed,
    drift_two_reviews, drift_cin_reviews, drift_quiet_progress_between, drift_quiet_label_in_another_note,
    fm_migration, fm_quiet_reported_or_hypothetical,
    cp_complaint_then_vexatious_note, cp_two_complaints_then_quiet_then_again, cp_quiet_complaint_and_tag_in_one_note,
    cp_quiet_note_counted_once, cp_quiet_180_days_apart,
    wt_three_allocations, wt_quiet_spread_over_more_than_a_year,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
def test_rules_fire_and_stay_quiet(scenario: Scenario, policy: Policy) -> None:
    case, rule, expected = scenario()
    assert case.dates(policy, rule) == expected


def test_rules_every_rule_has_scenarios_both_ways(policy: Policy) -> None:
    fired: set[str] = set()
    quiet: set[str] = set()
    for scenario in SCENARIOS:
        _, rule, expected = scenario()
        (fired if expected else quiet).add(rule)
    rules = {r.id for r in policy.rules}
    assert fired == rules and quiet == rules


@pytest.mark.parametrize(("subtypes", "severity"), [
    (["threat"], "high"), (["physical_violence"], "high"), (["verbal_abuse"], "medium"),
    (["intimidation", "physical_violence"], "high"), ([None], "medium"), (["damage", None], "medium"),
])
def test_rules_hostility_severity_by_subtype(subtypes: list[str | None], severity: str, policy: Policy) -> None:
    c = cin()
    nid = c.note("2024-03-11")
    from tests.triggers.builders import make_tag
    for i, sub in enumerate(subtypes):
        c.tags.append(make_tag(f"C-t{i:04d}", nid, "hostility", subtype=sub, text="She threatened me."))
    (flag,) = c.flags(policy, "hostility_incident")
    assert flag.severity == severity


@pytest.mark.parametrize(("status", "severity"), [("CP", "high"), ("CIN", "medium")])
def test_rules_child_not_seen_severity_by_status(status: str, severity: str, policy: Policy) -> None:
    c = Case("C", [("2024-01-01", status)])
    c.note("2024-01-01")
    c.note("2024-04-01")
    (flag,) = c.flags(policy, "child_not_seen")
    assert flag.severity == severity and flag.status == status
