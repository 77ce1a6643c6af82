"""Loading the typology lexicons is strict: bad files fail naming the file and the entry."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from analyser.annotate.tags import load_typology
from analyser.errors import LexiconError
from analyser.lexicon import expand_template
from analyser.resources import lexicon_dir

LABELS = """\
labels:
  - id: avoidance
    name: Avoidance
    family: main
    policy_refs: ["002 §3"]
  - id: hostility
    name: Hostility
    family: main
    policy_refs: ["001 §6.1.2"]
    subtypes: [threat, verbal_abuse]
"""
VOCAB = """\
lists:
  PRO: ["me", "us", "the sw"]
norms:
  "n't": "not"
"""
AVOIDANCE = """\
label: avoidance
entries:
  - id: avoidance.no_answer.v1
    phrases: ["no answer", "no reply"]
    examples:
      match: ["Visited, no answer."]
"""
HOSTILITY = """\
label: hostility
entries:
  - id: hostility.swore.v1
    subtype: verbal_abuse
    phrases: ["swore at {@PRO}"]
"""
NEGATED = """\
category: negated
entries:
  - id: negated.no.v1
    phrases: ["no", "not"]
    direction: forward
    window: 4
"""
ACTORS = """\
roles:
  mother:
    female: ["mum", "mother"]
  professional:
    any: ["i", "sw"]
pronouns:
  female: ["she"]
  male: ["he"]
"""


def _write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def lex(tmp_path: Path) -> Path:
    """A minimal valid lexicon tree; each test breaks one file of it."""
    _write(tmp_path, "labels.yaml", LABELS)
    _write(tmp_path, "typology/_vocab.yaml", VOCAB)
    _write(tmp_path, "typology/avoidance.yaml", AVOIDANCE)
    _write(tmp_path, "typology/hostility.yaml", HOSTILITY)
    _write(tmp_path, "assertion/negated.yaml", NEGATED)
    _write(tmp_path, "assertion/actors.yaml", ACTORS)
    return tmp_path


def _fails(root: Path, *needles: str) -> str:
    with pytest.raises(LexiconError) as info:
        load_typology(root)
    message = str(info.value)
    for needle in needles:
        assert needle in message, message
    return message


def test_lexicon_schema_minimal_tree_loads(lex):
    rules = load_typology(lex)
    assert [e.id for e in rules.entries] == ["avoidance.no_answer.v1", "hostility.swore.v1"]


def test_lexicon_schema_accepts_typology_dir_too(lex):
    assert len(load_typology(lex / "typology").entries) == 2


@pytest.mark.parametrize(("rel", "old", "new", "needles"), [
    pytest.param("typology/avoidance.yaml", "    phrases:", "    phrasez: [x]\n    phrases:",
                 ("avoidance.yaml", "avoidance.no_answer.v1", "unknown key", "phrasez"),
                 id="unknown-entry-key"),
    pytest.param("typology/avoidance.yaml", "label: avoidance", "label: avoidance\nversion: 2",
                 ("avoidance.yaml", "unknown key", "version"), id="unknown-file-key"),
    pytest.param("typology/avoidance.yaml", "label: avoidance", "label: evasion",
                 ("avoidance.yaml", "unknown label", "evasion"), id="unknown-label"),
    pytest.param("typology/avoidance.yaml", "id: avoidance.no_answer.v1",
                 "id: avoidance.no_answer", ("avoidance.yaml", "avoidance.no_answer", "<N>"),
                 id="unversioned-id"),
    pytest.param("typology/avoidance.yaml", '["no answer", "no reply"]',
                 '["no answer", "no reply"]\n    patterns: [[{"POS": "VERB"}]]',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "POS"), id="pattern-needs-model"),
    pytest.param("typology/avoidance.yaml", '["no answer", "no reply"]',
                 '["no answer", "no reply"]\n    patterns: [[{"LOWER": "x", "OP": "%"}]]',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "OP"), id="bad-pattern-op"),
    pytest.param("typology/avoidance.yaml", '["no answer", "no reply"]',
                 '["no answer", "no reply"]\n    regex: ["no (answer"]',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "regular expression"),
                 id="bad-regex"),
    pytest.param("typology/avoidance.yaml", '"no reply"', '"no {reply|response"',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "brace"), id="unbalanced-braces"),
    pytest.param("typology/hostility.yaml", "{@PRO}", "{@WORKERS}",
                 ("hostility.yaml", "hostility.swore.v1", "@WORKERS"), id="unknown-vocab-list"),
    pytest.param("typology/hostility.yaml", "    subtype: verbal_abuse\n", "",
                 ("hostility.yaml", "hostility.swore.v1", "subtype"), id="missing-subtype"),
    pytest.param("typology/hostility.yaml", "subtype: verbal_abuse", "subtype: rudeness",
                 ("hostility.yaml", "hostility.swore.v1", "rudeness"), id="unknown-subtype"),
    pytest.param("typology/avoidance.yaml", '["no answer", "no reply"]',
                 '["no answer"]\n    subtype: threat',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "no subtypes"),
                 id="subtype-on-plain-label"),
    pytest.param("typology/avoidance.yaml", '    examples:\n      match: ["Visited, no answer."]',
                 '    examples:\n      maybe: ["Visited."]',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "maybe"), id="unknown-example-kind"),
    pytest.param("typology/avoidance.yaml", '["no answer", "no reply"]',
                 '["no answer"]\n    actor_hint: neighbour',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "actor_hint"), id="bad-actor"),
    pytest.param("typology/avoidance.yaml", '["no answer", "no reply"]',
                 '["no answer"]\n    confidence: 1.5',
                 ("avoidance.yaml", "avoidance.no_answer.v1", "confidence"),
                 id="bad-confidence"),
    pytest.param("typology/avoidance.yaml", '["no answer", "no reply"]',
                 '["no answer"]\n    phrases: ["no reply"]',
                 ("avoidance.yaml", "duplicate key"), id="duplicate-yaml-key"),
    pytest.param("typology/avoidance.yaml", "    phrases: [\"no answer\", \"no reply\"]",
                 "    note: nothing to match",
                 ("avoidance.yaml", "avoidance.no_answer.v1", "phrases"), id="nothing-to-match"),
    pytest.param("assertion/negated.yaml", "direction: forward", "direction: sideways",
                 ("negated.yaml", "negated.no.v1", "direction"), id="bad-cue-direction"),
    pytest.param("assertion/negated.yaml", "category: negated", "category: doubtful",
                 ("negated.yaml", "category"), id="bad-cue-category"),
    pytest.param("assertion/negated.yaml", "    window: 4", "    window: 4\n    scope: 3",
                 ("negated.yaml", "negated.no.v1", "scope"), id="unknown-cue-key"),
    pytest.param("assertion/actors.yaml", "  mother:", "  aunt:",
                 ("actors.yaml", "aunt"), id="unknown-actor"),
])
def test_lexicon_schema_rejects(lex, rel, old, new, needles):
    path = lex / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, "test set-up: the text to replace must exist"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _fails(lex, *needles)


def test_lexicon_schema_duplicate_entry_ids_across_files(lex):
    _write(lex, "typology/hostility.yaml", HOSTILITY + (
        "  - id: hostility.swore.v1\n"
        "    subtype: threat\n"
        '    phrases: ["threatened {@PRO}"]\n'))
    _fails(lex, "hostility.yaml", "hostility.swore.v1", "duplicate")


def test_lexicon_schema_label_file_name_must_match(lex):
    (lex / "typology" / "avoidance.yaml").rename(lex / "typology" / "dodging.yaml")
    _fails(lex, "dodging.yaml", "avoidance.yaml")


def test_lexicon_schema_label_defined_twice(lex):
    _write(lex, "labels.yaml", LABELS + (
        "  - id: avoidance\n    name: Again\n    family: main\n    policy_refs: [x]\n"))
    _fails(lex, "labels.yaml", "avoidance", "duplicate")


def test_lexicon_schema_template_expansion():
    vocab = {"WHO": ["mum", "{the|} father"]}
    got = expand_template("{@WHO} {did not|didn't} {answer|reply}{ the door|}", vocab,
                          file="f", entry="e")
    assert "mum did not answer the door" in got
    assert "father didn't reply" in got
    assert "the father did not answer" in got
    assert len(got) == len(set(got)) == 3 * 2 * 2 * 2


def test_lexicon_schema_real_lexicons_cover_every_label():
    rules = load_typology(lexicon_dir())
    covered = {e.label for e in rules.entries}
    assert covered == set(rules.labels)
    assert len(rules.labels) == 27
    main = [lab for lab, d in rules.labels.items() if d.family == "main"]
    assert len(main) == 14
    for entry in rules.entries:
        assert entry.examples.get("match"), f"{entry.id} has no match example"
