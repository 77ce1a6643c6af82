"""Fixtures shared by the typology tests: the loaded lexicon and a blank English pipeline
with a sentencizer (the path that must work without a statistical model)."""

from __future__ import annotations

import pytest
import spacy

from analyser.annotate.tags import load_typology
from analyser.resources import lexicon_dir


@pytest.fixture(scope="session")
def rules():
    return load_typology(lexicon_dir())


@pytest.fixture(scope="session")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
