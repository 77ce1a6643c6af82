"""Sentence segmentation: cases drawn from lexicons/segment/abbreviations.yaml, plus offsets."""

from __future__ import annotations

import pytest

from analyser.lexicon import load_yaml
from analyser.resources import lexicon_dir

EXAMPLES = load_yaml(lexicon_dir() / "segment" / "abbreviations.yaml")["examples"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:30] for e in EXAMPLES])
def test_segment_examples(resources, example):
    _, passages = resources.segmenter.segment(example["text"], "n1")
    assert [p.text for p in passages] == example["sentences"]


@pytest.mark.parametrize("text", [
    "Planned HV.  No answer.\n\n\nCard left;  next visit 12/3.",
    "\n\n  - bullet one\n  * bullet two\n\u2022 bullet three   \n",
    "Mum said \u201cI\u2019m fine.\u201d Dad disagreed!  Really?  Yes.",
    "",
    "   ",
    "No full stops anywhere just a long line of text about the visit",
])
def test_segment_offsets_are_exact(resources, text):
    doc, passages = resources.segmenter.segment(text, "n1")
    assert doc.text == text
    for i, p in enumerate(passages):
        assert text[p.start:p.end] == p.text
        assert p.text == p.text.strip() and p.text
        assert p.index == i and p.note_id == "n1"
    assert [p.start for p in passages] == sorted(p.start for p in passages)


def test_segment_doc_sents_agree_with_passages(resources):
    text = "Planned HV. Mum answered.\n- Child seen alone\nNo concerns."
    doc, passages = resources.segmenter.segment(text)
    assert len(list(doc.sents)) == len(passages) == 4
