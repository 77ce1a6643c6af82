"""ConText-style cues and actors: which assertion and which actor a behaviour gets."""

from __future__ import annotations

import datetime as dt

import pytest

from analyser.annotate.assertion import (
    PRECEDENCE,
    RoleMemory,
    actor_from_words,
    analyse_sentence,
    assertion_for,
)
from analyser.annotate.tags import tag_doc
from analyser.model import Passage


def _span(doc, target: str) -> tuple[int, int]:
    start = doc.text.index(target)
    span = doc.char_span(start, start + len(target), alignment_mode="expand")
    assert span is not None
    return span.start, span.end


def assess(rules, sentence: str, target: str, label: str, *, actor=None, note_year=2024,
           memory=None):
    doc = rules.tokenizer(sentence)
    ctx = analyse_sentence(rules.assertion, doc, note_year=note_year)
    s, e = _span(doc, target)
    memory = memory or RoleMemory()
    return assertion_for(rules.assertion, ctx, s, e, label=label, actor=actor,
                         behaviour_spans=[(s, e)], memory=memory)


@pytest.mark.parametrize(("sentence", "target", "label", "actor", "expected"), [
    # negation: a cue before or after the behaviour, never one inside it
    ("Mum did not shout at me.", "shout at me", "hostility", "mother", "negated"),
    ("Dad was not aggressive towards staff.", "aggressive towards staff", "hostility",
     "father", "negated"),
    ("No concerns about hostility - mum was calm throughout.", "hostility", "hostility",
     None, "negated"),
    ("At no point did dad swear at me.", "swear at me", "hostility", "father", "negated"),
    ("There is no evidence that mum avoided the visit.", "avoided the visit", "avoidance",
     "mother", "negated"),
    ("Hostility was not observed during the visit.", "Hostility", "hostility", None,
     "negated"),
    ("Mum denied drinking.", "drinking", "factor_substance_misuse", "mother", "negated"),
    ("Mum did not attend.", "did not attend", "avoidance", "mother", "affirmed"),
    ("No answer at the door.", "No answer", "avoidance", None, "affirmed"),
    ("Mum would not let me see him.", "would not let me see", "refusal", "mother",
     "affirmed"),
    ("There was no answer but dad shouted at me later.", "shouted at me", "hostility",
     "father", "affirmed"),
    ("Not only did dad swear at me, he threatened me.", "threatened me", "hostility",
     "father", "affirmed"),
    # hypothetical: conditions, plans, warnings, possibilities
    ("If mum misses the next visit we will escalate.", "misses the next visit",
     "avoidance", "mother", "hypothetical"),
    ("I will check whether she moves out of the area.", "moves out of the area",
     "migration", "mother", "hypothetical"),
    ("Mum was advised that if she refuses entry again police will be called.",
     "refuses entry", "refusal", "mother", "hypothetical"),
    ("There is a risk of the family moving to avoid services.", "moving to avoid",
     "migration", None, "hypothetical"),
    ("Plan: mum to attend the Freedom Programme.", "attend the Freedom Programme",
     "non_compliance", "mother", "hypothetical"),
    ("Mum may have moved to Leeds.", "moved to Leeds", "migration", "mother",
     "hypothetical"),
    ("On 3 May mum did not attend.", "did not attend", "avoidance", "mother", "affirmed"),
    ("When told the session would end if he carried on, dad threw a chair at me.",
     "threw a chair", "hostility", "father", "affirmed"),
    ("Dad said he would find out where I live.", "find out where I live", "hostility",
     "father", "affirmed"),
    ("Dad told me that if I came back I would regret it.", "would regret it", "hostility",
     "father", "affirmed"),
    # historical: before the period the note is about
    ("In 2019 father assaulted a worker.", "assaulted a worker", "hostility", "father",
     "historical"),
    ("Dad has a history of assaulting social workers.", "assaulting social workers",
     "hostility", "father", "historical"),
    ("Previously mum refused entry to the previous social worker.", "refused entry",
     "refusal", "mother", "historical"),
    ("Mum has a history of depression.", "depression", "factor_mental_health", "mother",
     "affirmed"),
    # reported: a third party's account
    ("Neighbour said father shouts at the social worker.", "shouts at the social worker",
     "hostility", "father", "reported"),
    ("According to the neighbour, mum has moved to Leeds.", "moved to Leeds", "migration",
     "mother", "reported"),
    ("Dad allegedly threatened the teacher.", "threatened the teacher", "hostility",
     "father", "reported"),
    ("Mum said dad shouts at the workers.", "shouts at the workers", "hostility", "father",
     "reported"),
    ("Mum said she does not need any help.", "does not need any help", "denial", "mother",
     "affirmed"),
    ("Jayden said mummy gets sad a lot.", "said mummy", "child_voice", "child", "affirmed"),
    ("Mum said dad hit her.", "hit her", "factor_domestic_abuse", "father", "affirmed"),
    # precedence: negated > hypothetical > historical > reported
    ("According to the neighbour, if dad shouts at staff again police will be called.",
     "shouts at staff", "hostility", "father", "hypothetical"),
    ("In 2018 the neighbour said dad did not threaten anyone.", "threaten anyone",
     "hostility", "father", "negated"),
])
def test_assertion_cues(rules, sentence, target, label, actor, expected):
    assert assess(rules, sentence, target, label, actor=actor) == expected


@pytest.mark.parametrize(("note_year", "expected"), [(2024, "historical"), (2019, "affirmed"),
                                                     (None, "historical")])
def test_assertion_year_is_compared_with_the_note_date(rules, note_year, expected):
    got = assess(rules, "In 2019 dad threatened the social worker.", "threatened the social",
                 "hostility", actor="father", note_year=note_year)
    assert got == expected


def test_assertion_precedence_order():
    assert PRECEDENCE == ("negated", "hypothetical", "historical", "reported")


@pytest.mark.parametrize(("sentence", "target", "expected"), [
    ("Mum shouted at me.", "shouted at me", "mother"),
    ("Dad refused entry.", "refused entry", "father"),
    ("Mum's partner refused entry.", "refused entry", "partner"),
    ("The stepdad swore at me.", "swore at me", "partner"),
    ("Grandmother would not let me in.", "would not let me in", "carer"),
    ("I was late for the visit.", "late for the visit", "professional"),
    ("The SW cancelled the visit.", "cancelled the visit", "professional"),
    ("I was sworn at on the doorstep.", "sworn at", None),
    ("Planned HV at 10am: no access.", "no access", None),
    ("Neighbour shouted at the children.", "shouted at the children", "other"),
])
def test_assertion_actor_from_words(rules, sentence, target, expected):
    doc = rules.tokenizer(sentence)
    ctx = analyse_sentence(rules.assertion, doc)
    s, e = _span(doc, target)
    assert actor_from_words(rules.assertion, ctx, s, e, RoleMemory()) == expected


def _tags(text, nlp, rules, date=dt.date(2024, 3, 1)):
    doc = nlp(text)
    passages = [Passage("n0", i, s.start_char, s.end_char, s.text)
                for i, s in enumerate(doc.sents)]
    return tag_doc(doc, "n0", passages, rules, note_date=date)


def test_assertion_pronoun_resolves_to_the_last_named_woman(nlp, rules):
    tags = _tags("Mum came to the door. She shouted at me and slammed the door.", nlp, rules)
    hostility = [t for t in tags if t.label == "hostility"]
    assert hostility and hostility[0].actor == "mother"
    assert hostility[0].assertion == "affirmed"


def test_assertion_quoted_first_person_is_the_speaker(nlp, rules):
    tags = _tags('Mum said "I don\'t want any involvement from social services".', nlp, rules)
    refusal = [t for t in tags if t.label == "refusal"]
    assert refusal and refusal[0].actor == "mother" and refusal[0].assertion == "affirmed"


def test_assertion_professional_behaviour_is_dropped(nlp, rules):
    tags = _tags("I cancelled the visit as I was called to court.", nlp, rules)
    assert not [t for t in tags if t.label == "ambivalence"]


def test_assertion_practice_labels_keep_professional_actor(nlp, rules):
    tags = _tags("Telephone call with mum instead of the planned home visit.", nlp, rules)
    remote = [t for t in tags if t.label == "practice_remote_contact"]
    assert remote and remote[0].actor == "professional"


def test_assertion_hostility_carries_subtype(nlp, rules):
    tags = _tags("Dad pushed me against the wall and swore at me.", nlp, rules)
    hostility = [t for t in tags if t.label == "hostility"]
    assert hostility and hostility[0].subtype == "physical_violence"


def test_assertion_tags_one_per_sentence_and_label_with_exact_text(nlp, rules):
    text = "Planned HV. No answer at the door and no reply to calls. Card left."
    tags = _tags(text, nlp, rules)
    avoid = [t for t in tags if t.label == "avoidance"]
    assert len(avoid) == 1
    t = avoid[0]
    assert text[t.start:t.end] == t.text == "No answer at the door and no reply to calls."
    assert t.method == "lexicon" and t.tag_id == "" and t.explain.startswith("avoidance.")
    assert 0 < t.confidence <= 1


def test_assertion_e01_negatives_are_not_affirmed(nlp, rules):
    for sentence in ("No concerns about hostility - mum was calm throughout.",
                     "If we cannot see Jayden we will need to consider a strategy discussion.",
                     'Neighbour said mum and Jayden "went to her sister\'s in Leeds" at the '
                     "weekend."):
        assert not [t for t in _tags(sentence, nlp, rules) if t.assertion == "affirmed"]
