"""Tests for analyser.annotate.dates: the YAML examples, false friends, invariants,
locales, impossible dates and strict loading."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from analyser.annotate.dates import (
    DateExample,
    DateRule,
    NoMatchExample,
    explain_dates,
    find_dates,
    impossible_dates,
    load_date_rules,
    scan_dates,
)
from analyser.errors import LexiconError
from analyser.model import PRECISIONS, DateValue
from analyser.resources import lexicon_dir

RULES = load_date_rules()  # collection needs the examples; loading takes ~0.1 s
REF = dt.date(2024, 3, 14)  # a Thursday

MATCH = [pytest.param(r, ex, id=f"{r.id}#{i}")
         for r in RULES.rules for i, ex in enumerate(r.examples)]
NO_MATCH = [pytest.param(r, ex, id=f"{r.id}#no{i}")
            for r in RULES.rules for i, ex in enumerate(r.no_match)]
ALL_TEXTS = [ex.text for r in RULES.rules for ex in (*r.examples, *r.no_match)]

# Words and numbers that must never come out as dates (DEPENDENCIES.md, the brief).
FALSE_FRIENDS = [
    "Mum may attend the meeting.",
    "May I ask whether he is eating?",
    "He may not come.",
    "He came second in the race.",
    "It was the second time he ran away.",
    "June attended the core group.",
    "Jan said she was fine.",
    "J sat on the sofa.",
    "Sat on the floor, J cried.",
    "They sat in the sun all afternoon.",
    "Sun cream was applied.",
    "The children will march in the parade.",
    "March was hard, Mum said.",
    "Jayden is aged 3.",
    "He is 10 years old.",
    "a 10 year old boy",
    "Jayden P (DOB 12/05/2016)",
    "D.O.B. 12/05/2016",
    "D.O.B: 12.05.16",
    "born on 12/05/2016",
    "She was born on 3rd May 2016.",
    "Date of birth: 14 March 2016",
    "Visit at 10:30.",
    "Visit at 10.30.",
    "Visit at 3pm.",
    "Mum owes £20.",
    "He drank 3/4 of a bottle.",
    "2 children live at the address.",
    "Section 47 under the Children Act 1989.",
    "Children aged 3-5 attend the nursery.",
    "Children aged 3 to 5.",
    "Young people aged 12/13.",
    "She is supported 24/7.",
    "Mood rated 7/10.",
    "The case stepped down from S47/17.",
    "Mum works Tuesdays.",
    "Contact every Saturday.",
    "Open Monday to Friday.",
    "Now he is settled.",
    "a couple of times",
    "The team took in 2019 referrals.",
]


def check_invariants(text: str, values: list[DateValue]) -> None:
    last_end = -1
    for v in values:
        assert text[v.start:v.end] == v.text
        assert v.start >= last_end, "overlapping or unsorted"
        last_end = v.end
        assert v.precision in PRECISIONS
        assert v.date_end is None or v.date_end > v.date


@pytest.mark.parametrize(("rule", "ex"), MATCH)
def test_dates_yaml_example_match(rule: DateRule, ex: DateExample) -> None:
    found = explain_dates(ex.text, ex.ref, RULES, locale=ex.locale)
    assert len(found) == 1, [m.value.text for m in found]
    m = found[0]
    assert rule.id == m.rule or rule.id in m.cues, (m.rule, m.cues)
    v = m.value
    got = (v.text, v.date, v.date_end, v.precision, v.relative, v.future, v.ambiguous)
    assert got == (ex.span, ex.date, ex.date_end, ex.precision, ex.relative, ex.future,
                   ex.ambiguous)
    check_invariants(ex.text, [v])


@pytest.mark.parametrize(("rule", "ex"), NO_MATCH)
def test_dates_yaml_example_no_match(rule: DateRule, ex: NoMatchExample) -> None:
    assert find_dates(ex.text, ex.ref, RULES, locale=ex.locale) == []


@pytest.mark.parametrize("text", FALSE_FRIENDS)
def test_dates_false_friends(text: str) -> None:
    assert find_dates(text, REF, RULES) == []


def test_dates_every_rule_has_examples() -> None:
    for r in RULES.rules:
        assert r.examples or r.no_match, r.id
        if r.role in ("date", "prefix", "future", "past", "week_of", "join"):
            assert r.examples, f"{r.id} has no match example"


NOTE = """Date: 27/02/2024   Type: Home Visit   Worker: Sam Ortiz
Child: Jayden P (DOB 12/05/2016), aged 7. Planned HV at 10am: no access. Neighbour said
mum and Jayden went to her sister's at the weekend. Mum texted on Sunday. She said she
started the course last Tuesday and was seen by the GP 3 days ago (19/2). ICPC on
04/03/2024; core group booked for 11/3. I will visit next Monday. S47 under the
Children Act 1989 began two weeks ago. Mum drank 3/4 of a bottle of wine last night."""


def test_dates_case_note() -> None:
    ref = dt.date(2024, 2, 27)  # a Tuesday
    got = [(v.text, v.date.isoformat(), v.date_end and v.date_end.isoformat(), v.precision,
            v.future) for v in find_dates(NOTE, ref, RULES)]
    assert got == [
        ("27/02/2024", "2024-02-27", None, "day", False),
        ("the weekend", "2024-02-24", "2024-02-25", "day", False),
        ("Sunday", "2024-02-25", None, "day", False),
        ("last Tuesday", "2024-02-20", None, "day", False),
        ("3 days ago", "2024-02-24", None, "day", False),
        ("19/2", "2024-02-19", None, "day", False),
        ("04/03/2024", "2024-03-04", None, "day", True),
        ("11/3", "2024-03-11", None, "day", True),
        ("next Monday", "2024-03-04", None, "day", True),
        ("two weeks ago", "2024-02-13", None, "week", False),
        ("last night", "2024-02-26", None, "day", False),
    ]


def test_dates_offsets_on_all_examples_joined() -> None:
    text = "\n".join(ALL_TEXTS)
    check_invariants(text, find_dates(text, REF, RULES))


def test_dates_needs_gate_changes_nothing() -> None:
    for text in ["\n".join(ALL_TEXTS), NOTE, *ALL_TEXTS]:
        assert scan_dates(text, REF, RULES) == scan_dates(text, REF, RULES, _gate=False)


@pytest.mark.parametrize(
    ("text", "locale", "date", "ambiguous"),
    [
        ("03/04/2024", "en-GB", dt.date(2024, 4, 3), True),
        ("03/04/2024", "en-US", dt.date(2024, 3, 4), True),
        ("03/14/2024", "en-GB", dt.date(2024, 3, 14), True),
        ("14/03/2024", "en-US", dt.date(2024, 3, 14), True),
        ("14/03/2024", "en-GB", dt.date(2024, 3, 14), False),
        ("04/04/2024", "en-US", dt.date(2024, 4, 4), False),
        ("2024-03-04", "en-US", dt.date(2024, 3, 4), False),
        ("4 March 2024", "en-US", dt.date(2024, 3, 4), False),
        ("Mon 4/3/24", "en-US", dt.date(2024, 3, 4), False),  # the weekday settles it
    ],
)
def test_dates_locale(text: str, locale: str, date: dt.date, ambiguous: bool) -> None:
    (v,) = find_dates(text, REF, RULES, locale=locale)
    assert (v.date, v.ambiguous) == (date, ambiguous)


def test_dates_unknown_locale() -> None:
    with pytest.raises(ValueError):
        find_dates("14/03/2024", REF, RULES, locale="fr-FR")
    with pytest.raises(ValueError):
        load_date_rules(locale="de")


def test_dates_impossible() -> None:
    text = "Seen 31/02/2024, 30th February 2024 and 29/02/2023; fine on 29/02/2024."
    assert [t for _, _, t in impossible_dates(text, RULES)] == [
        "31/02/2024", "30th February 2024", "29/02/2023"]
    assert [v.text for v in find_dates(text, REF, RULES)] == ["29/02/2024"]
    for s, e, t in impossible_dates(text, RULES):
        assert text[s:e] == t


def test_dates_without_note_date() -> None:
    text = "Seen 14/03/2024 and yesterday, then on 3/3 and last Tuesday."
    assert [v.text for v in find_dates(text, None, RULES)] == ["14/03/2024"]


def test_dates_deterministic() -> None:
    # speed is measured by bench/, not asserted here (timed tests are flaky)
    text = "\n".join(ALL_TEXTS * 20)
    first = find_dates(text, REF, RULES)
    assert first == find_dates(text, REF, RULES)


# ---------------------------------------------------------------- strict loading


@pytest.fixture
def rule_dir(tmp_path: Path) -> Path:
    dst = tmp_path / "dates"
    shutil.copytree(lexicon_dir() / "dates", dst)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("numeric.yaml", "    resolve: numeric\n", "    resolve: numeric\n    colour: red\n",
         "unknown key(s): colour"),
        ("numeric.yaml", "resolve: numeric", "resolve: nonesuch", "unknown resolver"),
        ("numeric.yaml", "(?P<a>[0-9]{1,2})", "(?P<a>[0-9]{1,2}", "bad regular expression"),
        ("numeric.yaml", "(?P<a>[0-9]{1,2})", "([0-9]{1,2})", "lacks group(s) a"),
        ("named.yaml", "%MONTH%", "%MONTHS%", "unknown macro %MONTHS%"),
        ("numeric.yaml", "id: dates.numeric.iso.v1", "id: dates.numeric.dmy.v1", "duplicate id"),
        ("numeric.yaml", "role: date", "role: maybe", "unknown role"),
        ("numeric.yaml", 'span: "14/3/24"', 'span: "15/3/24"', "not in its text"),
        ("numeric.yaml", "precision: day}", "precision: fortnight}", "unknown precision"),
        ("context.yaml", "applies_to: [dates.numeric.dmy.v1,",
         "applies_to: [dates.numeric.nonesuch.v1,", "no date rule"),
        ("relative.yaml", "params: {offset: 0}", "params: {offest: 0}", "unknown param"),
    ],
)
def test_dates_strict_loading(rule_dir: Path, file: str, old: str, new: str,
                              message: str) -> None:
    _edit(rule_dir / file, old, new)
    with pytest.raises(LexiconError, match=re.escape(message)) as err:
        load_date_rules(rule_dir)
    assert file in str(err.value)


def test_dates_strict_loading_names_the_entry(rule_dir: Path) -> None:
    _edit(rule_dir / "relative.yaml", "params: {offset: -1}", "params: {offset: -1, x: 1}")
    with pytest.raises(LexiconError, match=r"\[dates\.relative\.yesterday\.v1\]"):
        load_date_rules(rule_dir)


def test_dates_strict_loading_vocabulary(rule_dir: Path) -> None:
    _edit(rule_dir / "vocabulary.yaml", "  cue_window: 60\n", "  cue_window: 60\n  speed: 9\n")
    with pytest.raises(LexiconError, match="vocabulary.yaml"):
        load_date_rules(rule_dir)
