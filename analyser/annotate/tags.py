"""Lexicon matches → typology ``Tag`` objects, one per (sentence, label).

The rules are data: ``lexicons/labels.yaml`` lists the labels, ``lexicons/typology/
<label>.yaml`` holds each label's entries, ``lexicons/typology/_vocab.yaml`` the word
lists templates share, ``lexicons/assertion/`` the ConText cues. ``load_typology``
validates and compiles them once; ``tag_doc`` applies them to one note.

An entry matches through

* ``phrases`` — templates expanded to literal phrases, matched by one spaCy
  ``PhraseMatcher`` on normalised lower-case tokens (millions of words a second);
* ``sequences`` — phrase groups that must follow each other with at most ``max_gap``
  tokens between ("refused to let" … "see"), joined in Python over the same phrase
  matches: the variable middle a token pattern would give, at phrase-matcher speed;
* ``patterns`` — spaCy token patterns on tokeniser attributes (kept few: slow);
* ``regex`` — where neither can say it.

``requires`` (a phrase that must also occur in the sentence, or within
``requires_window`` sentences of it) narrows an entry, ``exclude_sentence`` (a phrase
anywhere in the sentence) vetoes it, and three kinds of exclusion veto one match:
``exclude`` when it overlaps the match,
``exclude_before`` when it ends at most ``EXCLUDE_GAP`` tokens before the match ("the
interpreter" + "did not attend"), ``exclude_after`` when it starts at most
``EXCLUDE_GAP`` tokens after it ("not in" + "school"), with no punctuation
between. Text is tokenised with the rules' own
tokenizer (see ``PhraseTokenizer``), so tagging works the same whether the pipeline's doc
came from ``spacy.blank("en")`` or a trained model; a doc with a dependency parse only
improves the actor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LexiconError
from ..lexicon import (
    LabelDef,
    PhraseSet,
    PhraseTokenizer,
    TypologyEntry,
    Vocabulary,
    load_labels,
    load_typology_file,
    load_vocabulary,
    strip_quotes,
)
from ..model import ACTORS, Passage, Tag
from .assertion import (
    AssertionRules,
    RoleMemory,
    SentenceContext,
    actor_from_parse,
    actor_from_words,
    analyse_sentence,
    assertion_for,
    load_assertion,
)

# which of several matches of one label in one sentence speaks for the tag
_ASSERTION_RANK = {"affirmed": 0, "reported": 1, "historical": 2, "hypothetical": 3,
                   "negated": 4}
EXCLUDE_GAP = 1
_FIRST_PERSON = frozenset({"i", "we", "me", "us", "myself", "ourselves"})
CONTEXT_WINDOW = 3  # the largest requires_window an entry may ask for
_GAP_PUNCT = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "-", "—", "–"})
_SUBTYPE_RANK = {"physical_violence": 0, "threat": 1, "damage": 2, "intimidation": 3,
                 "harassment": 4, "verbal_abuse": 5, None: 9}


@dataclass(frozen=True)
class TypologyRules:
    """Everything ``tag_doc`` needs, compiled once by ``load_typology``."""

    labels: Mapping[str, LabelDef]
    entries: tuple[TypologyEntry, ...]
    vocab: Vocabulary
    tokenizer: PhraseTokenizer
    phrase_matcher: Any
    token_matcher: Any
    compiled: tuple[Any, ...]
    assertion: AssertionRules
    files: tuple[str, ...]

    def entries_for(self, label: str) -> list[TypologyEntry]:
        return [e for e in self.entries if e.label == label]


def _root(dir: Path | str | None) -> Path:
    if dir is None:
        from ..paths import lexicon_dir  # here: resources imports this module

        dir = lexicon_dir()
    root = Path(dir)
    if not (root / "labels.yaml").exists() and (root.parent / "labels.yaml").exists():
        root = root.parent  # given lexicons/typology
    return root


def load_typology(dir: Path | str | None = None) -> TypologyRules:
    """Load, validate and compile the typology lexicons under ``dir`` (default
    ``lexicons/``). Unknown keys, unknown labels, bad templates, patterns or regexes
    raise ``LexiconError`` naming the file and the entry id."""
    from spacy.matcher import Matcher

    root = _root(dir)
    labels_path = root / "labels.yaml"
    tdir = root / "typology"
    if not labels_path.exists():
        raise LexiconError(str(labels_path), "labels file not found")
    if not tdir.is_dir():
        raise LexiconError(str(tdir), "typology directory not found")
    labels = load_labels(labels_path)
    vocab = load_vocabulary(tdir / "_vocab.yaml")
    tokenizer = PhraseTokenizer(vocab.norms)
    entries: list[TypologyEntry] = []
    files: list[str] = []
    seen_labels: dict[str, str] = {}
    for path in sorted(tdir.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        label, got = load_typology_file(path, labels, vocab, ACTORS)
        if label in seen_labels:
            raise LexiconError(str(path), f"label {label!r} already defined in "
                                          f"{seen_labels[label]}")
        seen_labels[label] = str(path)
        files.append(str(path))
        entries.extend(got)
    ids: dict[str, str] = {}
    for e in entries:
        if e.id in ids:
            raise LexiconError(e.file, f"entry id also used in {ids[e.id]}", e.id)
        ids[e.id] = e.file

    index = _PhraseIndex(tokenizer)
    tm = Matcher(tokenizer.vocab)
    compiled: list[_Entry] = []
    has_patterns = False
    for ei, e in enumerate(entries):
        pattern_key = None
        if e.patterns:
            pattern_key = tokenizer.vocab.strings.add(f"T:{ei}")
            try:
                tm.add(f"T:{ei}", [list(p) for p in e.patterns])
            except Exception as exc:  # spaCy raises several types for bad patterns
                raise LexiconError(e.file, f"bad token pattern: {exc}", e.id) from None
            has_patterns = True
        phrases = index.add(e.phrases)
        sequences = tuple((tuple(index.add(i) for i in seq.items), seq.max_gap)
                          for seq in e.sequences)
        triggers = set(phrases.keys)
        for items, _ in sequences:
            triggers |= items[0].keys
        if pattern_key is not None:
            triggers.add(pattern_key)
        compiled.append(_Entry(
            phrases=phrases,
            sequences=sequences,
            triggers=frozenset(triggers), has_regex=bool(e.regexes),
            exclude=index.add(e.exclude), exclude_before=index.add(e.exclude_before),
            exclude_after=index.add(e.exclude_after),
            exclude_sentence=index.add(e.exclude_sentence), requires=index.add(e.requires),
            pattern_key=pattern_key,
        ))
    assertion = load_assertion(root, vocab=vocab, labels=labels, tokenizer=tokenizer)
    return TypologyRules(
        labels=labels, entries=tuple(entries), vocab=vocab, tokenizer=tokenizer,
        phrase_matcher=index.matcher, token_matcher=tm if has_patterns else None,
        compiled=tuple(compiled), assertion=assertion,
        files=tuple(files) + assertion.files,
    )


@dataclass(frozen=True)
class _Set:
    """A compiled ``PhraseSet``: the matcher key of its literal phrases and its chains
    (each a tuple of group keys with their optional flags)."""

    literal: int | None = None
    chains: tuple[tuple[tuple[int, ...], tuple[bool, ...]], ...] = ()
    keys: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.keys)


@dataclass(frozen=True)
class _Entry:
    phrases: _Set
    sequences: tuple[tuple[tuple[_Set, ...], int], ...]
    exclude: _Set
    exclude_before: _Set
    exclude_after: _Set
    exclude_sentence: _Set
    requires: _Set
    pattern_key: int | None
    triggers: frozenset[int] = frozenset()  # a hit on one of these keys is needed
    has_regex: bool = False


class _PhraseIndex:
    """One PhraseMatcher for every phrase group; identical groups share one key."""

    def __init__(self, tokenizer: PhraseTokenizer) -> None:
        from spacy.matcher import PhraseMatcher

        self.tokenizer = tokenizer
        self.matcher = PhraseMatcher(tokenizer.vocab, attr="NORM")
        self._keys: dict[tuple[str, ...], int] = {}

    def group(self, phrases: Sequence[str]) -> int:
        group = tuple(sorted(set(phrases)))
        key = self._keys.get(group)
        if key is None:
            name = f"G{len(self._keys)}"
            key = self.tokenizer.vocab.strings.add(name)
            self._keys[group] = key
            docs = [d for d in self.tokenizer.pipe(group) if len(d)]
            if docs:
                self.matcher.add(name, docs)
        return key

    def add(self, pset: PhraseSet) -> _Set:
        if not pset:
            return _Set()
        literal = self.group(pset.phrases) if pset.phrases else None
        chains = tuple((tuple(self.group(item) for item in c.items), tuple(c.optional))
                       for c in pset.chains)
        keys = {k for c, _ in chains for k in c}
        if literal is not None:
            keys.add(literal)
        return _Set(literal=literal, chains=chains, keys=frozenset(keys))


# --- matching one sentence --------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    entry: int
    start: int
    end: int


def _join(groups: Sequence[Sequence[tuple[int, int]]], optional: Sequence[bool],
          max_gap: int, doc: Any, breakers: frozenset[str]) -> set[tuple[int, int]]:
    """Spans where the groups' matches follow one another, each starting at most
    ``max_gap`` tokens after the previous one ends (no breaker token in a gap);
    optional groups may be skipped."""
    out: set[tuple[int, int]] = set()
    n = len(groups)

    def dfs(k: int, start: int | None, end: int) -> None:
        if k == n:
            if start is not None:
                out.add((start, end))
            return
        if optional[k]:
            dfs(k + 1, start, end)
        for s, e in groups[k]:
            if start is None:
                dfs(k + 1, s, e)
            elif end <= s <= end + max_gap and not any(
                    doc[j].norm_ in breakers for j in range(end, s)):
                dfs(k + 1, start, e)

    dfs(0, None, 0)
    return out


def _resolve(pset: _Set, hits: Mapping[int, list[tuple[int, int]]], doc: Any
             ) -> set[tuple[int, int]]:
    """The spans a compiled phrase set matches in a sentence."""
    if not pset or hits.keys().isdisjoint(pset.keys):
        return set()
    spans: set[tuple[int, int]] = set()
    if pset.literal is not None:
        spans.update(hits.get(pset.literal, ()))
    for keys, optional in pset.chains:
        groups = [hits.get(k, []) for k in keys]
        if any(not g and not o for g, o in zip(groups, optional, strict=True)):
            continue
        spans |= _join(groups, optional, 0, doc, frozenset())
    return spans


def _excluded(doc: Any, s: int, e: int, excl: Mapping[str, set[tuple[int, int]]]) -> bool:
    """True when an exclusion vetoes the match ``[s, e)``."""
    for kind, spans in excl.items():
        for xs, xe in spans:
            if kind == "X" and xs < e and s < xe:
                return True
            if kind == "B" and xe <= s and s - xe <= EXCLUDE_GAP and not any(
                    doc[j].text in _GAP_PUNCT for j in range(xe, s)):
                return True
            if kind == "A" and xs >= e and xs - e <= EXCLUDE_GAP and not any(
                    doc[j].text in _GAP_PUNCT for j in range(e, xs)):
                return True
    return False


def sentence_hits(rules: TypologyRules, doc: Any) -> dict[int, list[tuple[int, int]]]:
    """Phrase-group and token-pattern matches in one sentence, by key."""
    hits: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for match_id, s, e in rules.phrase_matcher(doc):
        hits[match_id].append((s, e))
    if rules.token_matcher is not None:
        for match_id, s, e in rules.token_matcher(doc):
            hits[match_id].append((s, e))
    return dict(hits)


def match_sentence(
    rules: TypologyRules, doc: Any, hits: Mapping[int, list[tuple[int, int]]] | None = None,
    neighbours: Sequence[tuple[int, Any, Mapping[int, list[tuple[int, int]]]]] = (),
    quoted: frozenset[int] = frozenset(),
) -> list[Match]:
    """All entry matches in one sentence's tokens, after ``requires`` and exclusions.

    ``neighbours`` are (distance, doc, hits) of nearby sentences of the same note: an
    entry with ``requires_window: n`` may find its required phrase up to n sentences
    away ("No answer." … "Curtains drawn, car on the drive.").
    """
    if hits is None:
        hits = sentence_hits(rules, doc)
    breakers = rules.vocab.gap_breakers
    out: list[Match] = []
    hit_keys = hits.keys()
    text: str | None = None
    for ei, (entry, comp) in enumerate(zip(rules.entries, rules.compiled, strict=True)):
        if not comp.has_regex and hit_keys.isdisjoint(comp.triggers):
            continue
        spans = _resolve(comp.phrases, hits, doc)
        if comp.pattern_key is not None:
            spans.update(hits.get(comp.pattern_key, ()))
        for rx in entry.regexes:
            if text is None:
                text = doc.text
            for m in rx.finditer(text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None and len(span):
                    spans.add((span.start, span.end))
        for items, max_gap in comp.sequences:
            groups = []
            for item in items:
                got = _resolve(item, hits, doc)
                if not got:
                    break
                groups.append(sorted(got))
            else:
                spans |= _join(groups, [False] * len(groups), max_gap, doc, breakers)
        if not spans:
            continue
        if comp.exclude_sentence and _resolve(comp.exclude_sentence, hits, doc):
            continue
        if comp.requires and not _resolve(comp.requires, hits, doc) and not any(
                dist <= entry.requires_window and _resolve(comp.requires, nh, nd)
                for dist, nd, nh in neighbours):
            continue
        excl = {kind: _resolve(x, hits, doc) for kind, x in
                (("X", comp.exclude), ("B", comp.exclude_before), ("A", comp.exclude_after))
                if x}
        if quoted and "B" in excl:
            # "I" inside a parent's quoted words is the parent, not the worker
            excl["B"] = {(xs, xe) for xs, xe in excl["B"]
                         if not (all(j in quoted for j in range(xs, xe))
                                 and doc[xs:xe].text.lower() in _FIRST_PERSON)}
        for s, e in sorted(spans):
            if not _excluded(doc, s, e, excl):
                out.append(Match(ei, s, e))
    # a span inside a longer span of the same entry adds nothing
    out.sort(key=lambda m: (m.entry, m.start, -(m.end - m.start)))
    kept: list[Match] = []
    for m in out:
        if kept and kept[-1].entry == m.entry and kept[-1].start <= m.start \
                and m.end <= kept[-1].end:
            continue
        kept.append(m)
    return kept


# --- tagging a note ---------------------------------------------------------------------

def _parsed(doc: Any) -> bool:
    try:
        return bool(doc is not None and doc.has_annotation("DEP"))
    except Exception:  # a doc-like object without spaCy's API
        return False


def tag_doc(
    doc: Any, note_id: str, passages: Sequence[Passage], rules: TypologyRules, *,
    note_date: dt.date | None = None,
) -> list[Tag]:
    """Tag one note: one ``Tag`` per (sentence, label) over the sentence's span.

    ``doc`` is a spaCy Doc of the whole note text (any pipeline; a dependency parse, when
    present, improves the actor) and ``passages`` its sentences with offsets into that
    text. ``note_date``, when given, decides whether "in 2019" is before the period.
    Tags come back in sentence order, then label order; ``tag_id`` is left empty.
    """
    if not passages:
        return []
    parsed = _parsed(doc)
    note_year = note_date.year if note_date else None
    cleaned = [strip_quotes(p.text) for p in passages]
    sdocs = rules.tokenizer.pipe([c for c, _, _ in cleaned])
    all_hits = [sentence_hits(rules, d) for d in sdocs]
    memory = RoleMemory()
    label_order = {lab: i for i, lab in enumerate(rules.labels)}
    tags: list[Tag] = []
    for i, (passage, sdoc) in enumerate(zip(passages, sdocs, strict=True)):
        ctx = analyse_sentence(rules.assertion, sdoc, note_year=note_year)
        ctx.offsets = cleaned[i][1]
        ctx.quoted = _quoted_tokens(sdoc, cleaned[i][2])
        near = [(abs(j - i), sdocs[j], all_hits[j])
                for j in range(max(0, i - CONTEXT_WINDOW), min(len(sdocs), i + CONTEXT_WINDOW + 1))
                if j != i]
        matches = match_sentence(rules, sdoc, all_hits[i], near, quoted=ctx.quoted)
        if matches:
            tags.extend(_tags_for_sentence(rules, doc if parsed else None, note_id, passage,
                                           ctx, matches, memory, label_order))
        memory.update(ctx.roles)
    return tags


def _tags_for_sentence(
    rules: TypologyRules, parsed_doc: Any, note_id: str, passage: Passage,
    ctx: SentenceContext, matches: list[Match], memory: RoleMemory,
    label_order: Mapping[str, int],
) -> list[Tag]:
    # a cue inside a denial ("dad has never hit her") still negates the factor it names
    spans = [(m.start, m.end) for m in matches
             if not rules.labels[rules.entries[m.entry].label].cues_pass_through]
    kept: dict[str, list[tuple[Match, str | None]]] = {}
    for m in matches:
        entry = rules.entries[m.entry]
        ldef = rules.labels[entry.label]
        actor = entry.actor_hint
        if actor is None and parsed_doc is not None:
            actor = _parse_actor(rules, parsed_doc, passage, ctx, m, memory)
        if actor is None:
            actor = actor_from_words(rules.assertion, ctx, m.start, m.end, memory,
                                     worker_as_subject=entry.worker_as_subject)
        if actor == "professional" and ldef.family == "main" and not ldef.professional_actor_ok:
            continue
        if entry.worker_as_subject and _worker_words_quoted(ctx, m):
            continue  # "dad 'hit me'" in a child's quoted words: "me" is not the worker
        kept.setdefault(entry.label, []).append((m, actor))
    best: dict[str, tuple[tuple[Any, ...], TypologyEntry, str, str | None]] = {}
    for label, found in kept.items():
        # overlapping matches of one label describe one behaviour: judge them together
        for cluster in _clusters(found):
            lo = min(m.start for m, _ in cluster)
            hi = max(m.end for m, _ in cluster)
            m, actor = min(cluster, key=lambda ma: (
                -rules.entries[ma[0].entry].confidence,
                _SUBTYPE_RANK.get(rules.entries[ma[0].entry].subtype, 9), ma[0].start))
            entry = rules.entries[m.entry]
            assertion = assertion_for(rules.assertion, ctx, lo, hi, label=label, actor=actor,
                                      behaviour_spans=spans, memory=memory)
            rank = (_ASSERTION_RANK[assertion], -entry.confidence,
                    _SUBTYPE_RANK.get(entry.subtype, 9), lo)
            if label not in best or rank < best[label][0]:
                best[label] = (rank, entry, assertion, actor)
    out = []
    for label in sorted(best, key=lambda lab: label_order.get(lab, 999)):
        _, entry, assertion, actor = best[label]
        out.append(Tag(
            tag_id="", note_id=note_id, label=label, subtype=entry.subtype,
            assertion=assertion, actor=actor, confidence=entry.confidence, method="lexicon",
            start=passage.start, end=passage.end, text=passage.text, explain=entry.id,
        ))
    return out


def _clusters(found: list[tuple[Match, str | None]]) -> list[list[tuple[Match, str | None]]]:
    """Group matches whose token spans overlap."""
    groups: list[list[tuple[Match, str | None]]] = []
    end = -1
    for item in sorted(found, key=lambda ma: (ma[0].start, ma[0].end)):
        if groups and item[0].start < end:
            groups[-1].append(item)
            end = max(end, item[0].end)
        else:
            groups.append([item])
            end = item[0].end
    return groups


def _worker_words_quoted(ctx: SentenceContext, m: Match) -> bool:
    """True when the match names its worker target only by first-person words that sit
    inside quotation marks (the quoted speaker, not the note's writer)."""
    first = [t.i for t in ctx.doc[m.start:m.end] if t.norm_ in ("me", "us", "myself")]
    return bool(first) and all(i in ctx.quoted for i in first) and not any(
        t.norm_ in ("sw", "worker", "social", "staff", "hv") for t in ctx.doc[m.start:m.end])


def _quoted_tokens(doc: Any, spans: Sequence[tuple[int, int]]) -> frozenset[int]:
    """Indices of the tokens that stand inside quotation marks."""
    if not spans:
        return frozenset()
    out = set()
    for tok in doc:
        if any(s <= tok.idx < e for s, e in spans):
            out.add(tok.i)
    return frozenset(out)


def _parse_actor(rules: TypologyRules, doc: Any, passage: Passage, ctx: SentenceContext,
                 m: Match, memory: RoleMemory) -> str | None:
    sdoc = ctx.doc
    offs = ctx.offsets or list(range(len(sdoc.text) + 1))
    last = sdoc[m.end - 1]
    c_start = passage.start + offs[sdoc[m.start].idx]
    c_end = passage.start + offs[last.idx + len(last.text) - 1] + 1
    try:
        span = doc.char_span(c_start, c_end, alignment_mode="expand")
    except Exception:  # offsets outside the doc: fall back to the words
        return None
    if span is None or not len(span):
        return None
    return actor_from_parse(rules.assertion, ctx, span, passage.start, memory,
                            worker_as_subject=rules.entries[m.entry].worker_as_subject)
