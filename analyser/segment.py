"""Notes into sentences (passages) with character offsets, on spaCy's tokeniser.

Case notes are not tidy prose: bullet lists, one fact a line without full stops,
abbreviations (S.W., D.O.B., approx.), lines wrapped by a PDF. Boundaries are set by rules
over spaCy tokens, so no statistical model is needed and ``doc.sents`` agrees with the
passages; a pipeline with a parser may run on the same Doc afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .errors import LexiconError
from .lexicon import check_keys, load_yaml
from .model import Passage

_TERMINAL = {".", "!", "?", "...", "\u2026", "!!", "??", "?!", "!?"}
_CLOSERS = {'"', "'", ")", "]", "\u201d", "\u2019", "\u00bb"}
_BULLETS = {"-", "*", "\u2022", "\u00b7", "\u25aa", "\u25cf", "\u2013", "\u2014", "o", ">", "\u27a2"}
_STRIP = " \t\n\r\f\v-*\u2022\u00b7\u25aa\u25cf\u2013\u2014>\u27a2"


@dataclass(frozen=True)
class SegmentRules:
    abbreviations: frozenset[str]
    before_number: frozenset[str] = frozenset()


def load_segment_rules(lexicons: Path) -> SegmentRules:
    path = lexicons / "segment" / "abbreviations.yaml"
    doc = check_keys(load_yaml(path), file=str(path), entry=None,
                     required=("version", "abbreviations"), optional=("examples", "before_number"))
    lists = {}
    for key in ("abbreviations", "before_number"):
        words = doc.get(key, [])
        if not isinstance(words, list) or not all(isinstance(a, str) for a in words):
            raise LexiconError(str(path), f"{key} must be a list of strings", key)
        lists[key] = frozenset(a.lower().rstrip(".") for a in words)
    return SegmentRules(lists["abbreviations"], lists["before_number"])


class Segmenter:
    def __init__(self, nlp: Language, rules: SegmentRules) -> None:
        self.nlp = nlp
        self.rules = rules

    def segment(self, text: str, note_id: str = "") -> tuple[Doc, list[Passage]]:
        doc = self.nlp.make_doc(text)
        self._set_boundaries(doc)
        passages: list[Passage] = []
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            chunk = text[start:end]
            lead = len(chunk) - len(chunk.lstrip(_STRIP))
            # a numbered bullet ("1. ", "2) ") is layout, not sentence text
            rest = chunk[lead:]
            if len(rest) > 3 and rest[0].isdigit() and rest[1] in ".)" and rest[2] == " " and \
                    (lead > 0 or start == 0 or text[start - 1] == "\n"):
                lead += 3
            s, e = start + lead, start + len(chunk.rstrip())
            if e > s:
                passages.append(Passage(note_id, len(passages), s, e, text[s:e]))
        return doc, passages

    def _set_boundaries(self, doc: Doc) -> None:
        n = len(doc)
        if n == 0:
            return
        starts = [False] * n
        starts[0] = True
        for i in range(1, n):
            tok = doc[i]
            if tok.is_space:
                continue
            prev = i - 1
            newline = False
            blank = False
            while prev >= 0 and doc[prev].is_space:
                nl = doc[prev].text.count("\n")
                newline = newline or nl > 0
                blank = blank or nl > 1
                prev -= 1
            if prev < 0:
                starts[i] = True
                continue
            if newline:
                starts[i] = self._line_break(doc, prev, i, blank)
            else:
                starts[i] = self._after_punct(doc, prev, tok)
        for i, tok in enumerate(doc):
            tok.is_sent_start = starts[i]

    def _line_break(self, doc: Doc, prev: int, i: int, blank: bool) -> bool:
        if blank:
            return True
        tok = doc[i]
        if tok.text in _BULLETS or (tok.like_num and i + 1 < len(doc) and doc[i + 1].text in ".)"):
            return True
        last = doc[prev].text
        if last in _TERMINAL or last in {":", ";"} or (last in _CLOSERS and prev > 0
                                                       and doc[prev - 1].text in _TERMINAL):
            return True
        first = tok.text[:1]
        # a wrapped line goes on in lower case; a line that starts afresh is a new unit
        return not (first.islower() or first in ",;)")

    def _after_punct(self, doc: Doc, prev: int, tok) -> bool:
        j = prev
        while j >= 0 and doc[j].text in _CLOSERS:
            j -= 1
        if j < 0:
            return False
        punct = doc[j]
        terminal = punct.text in _TERMINAL or (punct.text.endswith((".", "!", "?")) and
                                                len(punct.text) > 1 and not punct.is_alpha and
                                                punct.text.rstrip(".!?") == "")
        if not terminal:
            # a token that swallowed its full stop ("p.m.", "etc."): terminal unless listed
            word = punct.text.lower()
            if not (word.endswith(".") and len(word) > 2
                    and word.rstrip(".") not in self.rules.abbreviations):
                return False
        if punct.text == "." and j > 0 and not doc[j - 1].whitespace_:
            before = doc[j - 1]
            if before.text.lower() in self.rules.abbreviations:
                return False
            if before.text.lower() in self.rules.before_number and tok.like_num:
                return False
            # list numbering at the start of a line ("1. Mum to ...")
            if before.like_num and (j - 1 == 0 or "\n" in doc[j - 2].text
                                    or doc[j - 2].text in _BULLETS):
                return False
        if tok.text in _CLOSERS and not doc[prev].whitespace_:
            return False
        first = tok.text[:1]
        if first.islower():
            return False
        return first.isupper() or first.isdigit() or first in "\"'\u201c\u2018([" or \
            tok.text in _BULLETS
