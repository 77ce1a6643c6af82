"""Every example in lexicons/typology/*.yaml is a test case (test ids are entry ids).

- ``match``: the sentence is tagged with the entry's label, affirmed;
- ``no_match``: the sentence is not tagged with the label at all;
- ``negated``: tagged negated or not at all, never affirmed;
- ``hypothetical`` / ``reported`` / ``historical``: tagged with that assertion or not at
  all, never affirmed.
"""

from __future__ import annotations

import datetime as dt

import pytest

from analyser.annotate.tags import load_typology, tag_doc
from analyser.model import Passage
from analyser.resources import lexicon_dir

NOTE_DATE = dt.date(2024, 3, 1)


def _cases() -> list:
    rules = load_typology(lexicon_dir())
    cases = []
    for entry in rules.entries:
        for kind, sentences in entry.examples.items():
            for i, text in enumerate(sentences):
                cases.append(pytest.param(entry.label, kind, text, id=f"{entry.id}-{kind}-{i}"))
    return cases




def tags_for(text, nlp, rules):
    doc = nlp(text)
    passages = [Passage("n0", i, s.start_char, s.end_char, s.text)
                for i, s in enumerate(doc.sents)]
    return tag_doc(doc, "n0", passages, rules, note_date=NOTE_DATE)


@pytest.mark.parametrize(("label", "kind", "text"), _cases())
def test_lexicon_example(label, kind, text, nlp, rules):
    got = [t for t in tags_for(text, nlp, rules) if t.label == label]
    seen = sorted({(t.assertion, t.explain) for t in got})
    if kind == "match":
        assert any(t.assertion == "affirmed" for t in got), f"not tagged affirmed: {seen}"
    elif kind == "no_match":
        assert not got, f"tagged: {seen}"
    else:
        assert all(t.assertion == kind for t in got), f"expected {kind} or nothing: {seen}"
