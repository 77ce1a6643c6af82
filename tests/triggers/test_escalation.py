"""The escalation ladder (002 appendix 1): cue examples from the YAML files, step detection
from events and note text, the path, the next step, and strict cue loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyser.errors import LexiconError
from analyser.resources import lexicon_dir
from analyser.triggers import Policy, load_policy
from analyser.triggers.escalation import load_cues
from tests.triggers.builders import Case


def _examples() -> list[tuple[str, str, str, bool]]:
    cues = load_cues(lexicon_dir() / "escalation")
    out = []
    for sig, cue_set in sorted(cues.items()):
        for entry in cue_set.entries:
            for kind, texts in sorted(entry.examples.items()):
                out.extend((sig, entry.id, text, kind == "match") for text in texts)
    return out


EXAMPLES = _examples()


@pytest.mark.parametrize(("signal", "entry_id", "text", "should_match"), EXAMPLES,
                         ids=[f"{e[1]}-{'match' if e[3] else 'no_match'}-{i}" for i, e in enumerate(EXAMPLES)])
def test_escalation_cue_examples(signal: str, entry_id: str, text: str, should_match: bool, policy: Policy) -> None:
    hits = policy.cues[signal].find(text)
    if should_match:
        assert any(entry.id == entry_id for entry, _, _ in hits), f"{entry_id} should match {text!r}"
    else:
        assert not hits, f"{signal} should not match {text!r}: {[(e.id, text[a:b]) for e, a, b in hits]}"


def test_escalation_every_cue_file_has_both_kinds_of_example(policy: Policy) -> None:
    for sig, cue_set in policy.cues.items():
        kinds = {k for e in cue_set.entries for k in e.examples}
        assert kinds == {"match", "no_match"}, sig


def cin_case_with_steps() -> Case:
    c = Case("C", [("2024-01-01", "CIN")])
    c.visit("2024-03-01", "no_access")
    c.visit("2024-03-07", "no_access", text="No answer again. Discussed with my manager this afternoon.")
    c.event("2024-03-08", "letter", text="Letter from TM offering a visit on 14/03.")
    c.event("2024-03-20", "meeting", "did_not_attend", meeting_type="network",
            text="Network meeting; parents did not attend. Agreed to consult the CPO if the child is not seen.")
    c.event("2024-03-22", "letter", text="Letter setting out what will happen.")
    return c


def test_escalation_cin_steps_from_events_and_cues(policy: Policy) -> None:
    esc = cin_case_with_steps().run(policy).escalation
    assert esc is not None
    assert (esc["path"], esc["from"], esc["steps_recorded"], esc["next_step"]) == ("CIN", "2024-03-07", [1, 2, 3, 4], 5)
    steps = {s["step"]: s for s in esc["steps"]}
    assert steps[1]["evidence"] == ["C-n0001"] and steps[1]["date"] == "2024-03-07"
    assert steps[2]["evidence"] == ["C-e0002"]           # the letter before the network meeting
    assert steps[3]["evidence"] == ["C-e0003"]
    assert steps[4]["evidence"] == ["C-e0004"]           # the letter after it
    assert steps[6]["recorded"] is False                 # "agreed to consult the CPO if ..." is a plan
    assert [s["step"] for s in esc["steps"]] == [1, 2, 3, 4, 5, 6]
    assert all(s["label"] for s in esc["steps"])


def test_escalation_cp_path_and_first_missing_step(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN"), ("2024-03-04", "CP")])
    c.visit("2024-01-10", "no_access")
    c.visit("2024-01-17", "no_access")                    # CIN flag: not on the CP ladder's stretch
    c.visit("2024-03-07", "no_access")
    c.visit("2024-03-14", "no_access", text="Reported to my manager. Conference chair informed.")
    c.event("2024-03-18", "meeting", "completed", meeting_type="core_group")
    esc = c.run(policy).escalation
    assert esc["path"] == "CP"
    assert esc["steps_recorded"] == [1, 4] and esc["next_step"] == 2
    assert esc["from"] == "2024-03-07"                    # third missed visit in a row, the first while CP


def test_escalation_after_highest_option(tmp_path: Path) -> None:
    path = tmp_path / "la.yaml"
    path.write_text("escalation:\n  next_step: after_highest\n", encoding="utf-8")
    la = load_policy(overrides=path)
    esc = cin_case_with_steps().run(la).escalation
    assert esc["next_step"] == 5
    c = Case("C", [("2024-01-01", "CIN")])
    c.visit("2024-03-01", "no_access")
    c.visit("2024-03-07", "no_access")
    assert c.run(la).escalation["next_step"] == 1


def test_escalation_none_without_non_engagement_flags(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.visit("2024-01-01")
    c.note("2024-01-05", labels=["hostility"], text="Discussed with my manager.")
    result = c.run(policy)
    assert [f.rule for f in result.flags] == ["hostility_incident"]
    assert result.escalation is None


def test_escalation_steps_before_the_flags_do_not_count(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.event("2024-02-01", "letter", text="Discussed with my manager.")
    c.visit("2024-02-10")
    c.visit("2024-03-01", "no_access")
    c.visit("2024-03-07", "no_access")
    esc = c.run(policy).escalation
    assert esc["steps_recorded"] == [] and esc["next_step"] == 1


def test_escalation_strategy_meeting_by_event_or_cue(policy: Policy) -> None:
    c = Case("C", [("2024-01-01", "CIN")])
    c.visit("2024-03-01", "no_access")
    c.visit("2024-03-07", "no_access")
    c.note("2024-03-08", text="Strategy discussion held with police; S47 agreed. Consulted the CPO.")
    esc = c.run(policy).escalation
    assert esc["steps_recorded"] == [5, 6]


def write_cues(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    (folder / "_blockers.yaml").write_text("window_words: 4\nbefore: ['\\bwill\\b']\n", encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


GOOD = ("signal: tell_tm\nentries:\n  - id: tell_tm.told.v1\n    phrases: ['told {TM|my manager}']\n"
        "    examples:\n      match: ['Told TM.']\n")


def test_escalation_cue_loading_good(tmp_path: Path) -> None:
    cues = load_cues(write_cues(tmp_path / "esc", {"tell_tm.yaml": GOOD}))
    assert [e for e, _, _ in cues["tell_tm"].find("I told my manager.")]
    assert not cues["tell_tm"].find("I will have told my manager.")


@pytest.mark.parametrize(("text", "entry", "words"), [
    (GOOD.replace("tell_tm.told.v1", "told.v1"), "told.v1", "cue id must look like"),
    (GOOD.replace("signal: tell_tm", "signal: other"), "signal", "must match the file name"),
    (GOOD.replace("    examples:\n      match: ['Told TM.']\n", ""), "tell_tm.told.v1", "missing key(s): examples"),
    (GOOD.replace("phrases: ['told {TM|my manager}']", "regex: ['told (TM']"), "tell_tm.told.v1",
     "bad regular expression"),
    (GOOD.replace("phrases: ['told {TM|my manager}']", "colour: red"), "tell_tm.told.v1", "unknown key(s): colour"),
    (GOOD.replace("match: ['Told TM.']", "match: []"), "tell_tm.told.v1", "non-empty list"),
])
def test_escalation_cue_loading_is_strict(tmp_path: Path, text: str, entry: str, words: str) -> None:
    folder = write_cues(tmp_path / "esc", {"tell_tm.yaml": text})
    with pytest.raises(LexiconError) as info:
        load_cues(folder)
    assert info.value.file == str(folder / "tell_tm.yaml") and info.value.entry == entry and words in str(info.value)


def test_escalation_cue_folder_needs_blockers(tmp_path: Path) -> None:
    folder = tmp_path / "esc"
    folder.mkdir()
    (folder / "tell_tm.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(LexiconError, match="file not found"):
        load_cues(folder)
