"""ConText-style assertion (negated, hypothetical, historical, reported) and actor.

The cues are data (``lexicons/assertion/*.yaml``); this module finds them in a sentence
and decides, for one behaviour matched in that sentence, whether the note says it
happened and who did it.

How a cue applies to a behaviour matched over tokens ``[start, end)``:

* a ``forward`` cue governs what follows it, a ``backward`` cue what precedes it, within
  ``window`` tokens, unless a terminator ("but", "however", ";" ...) lies between;
* a cue that overlaps the behaviour's own match is part of the behaviour: "did not
  attend", "no answer", "would not let me see him" are affirmed behaviours;
* a cue inside another behaviour's match is ignored too ("no answer and no reply"),
  unless the cue says ``inside_matches: true`` ("mum denied drinking" negates drinking);
* a cue overlapped by a pseudo-cue ("no longer", "not only", "could not") is no cue
  (for the labels the pseudo-cue names, when it names any: "said he would" is the
  content of a threat, not a hypothesis);
* ``speaker: other_than_actor`` cues are speech verbs: they make a behaviour reported
  when the speaker (the role word just before the verb) is a lay third party, or a
  family member other than the one whose behaviour it is ("mum said dad shouts");
* ``year_before_note`` cues ("in 2019") count only when the year is before the note's
  year (or when the note's date is unknown);
* a label may be exempt from categories or single cues (``assertion_exempt`` in
  ``labels.yaml``): a child's words are the point of ``child_voice``, not hearsay.

Precedence when several categories apply: ``negated`` > ``hypothetical`` >
``historical`` > ``reported``; none gives ``affirmed``. The order runs from "did not
happen" through "has not happened (yet)" and "happened, but before this period" to
"happened, by someone else's account": the first that applies is the strongest reason
not to count the behaviour as witnessed in the period.

Actor: the subject from a dependency parse when the pipeline's doc has one; otherwise
the nearest family-role word before the match in its sentence (a professional word only
when it is the active subject right before the match: "I was late", not "I was sworn
at"), then a family-role word inside or after the match; "she"/"he" resolve to the
nearest female/male role named earlier in the sentence or the note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import LexiconError
from ..lexicon import (
    ActorLexicon,
    Cue,
    LabelDef,
    PhraseTokenizer,
    Vocabulary,
    load_actor_lexicon,
    load_cue_file,
    load_labels,
    load_vocabulary,
)
from ..model import ACTORS

PRECEDENCE = ("negated", "hypothetical", "historical", "reported")
ASSERTING = frozenset(PRECEDENCE)
# be-verbs and get: "I was sworn at" makes the worker the one acted upon
_PASSIVE_AUX = frozenset({"was", "were", "been", "being", "be", "is", "am", "are", "got",
                          "get", "gets", "getting", "had", "has", "have"})
_PARTICIPLES = frozenset({"hit", "spat", "shut", "put", "sent", "kept", "let", "left", "made",
                          "said", "shown", "told", "sworn", "thrown", "struck", "bitten",
                          "held", "stopped", "asked", "abused", "called", "met", "refused",
                          "denied", "prevented", "blocked", "pushed", "followed", "given"})
_SPEAKER_BREAK = frozenset({",", ";", ":", "(", ")", "!", "?", "—", "–", "\""})
_PUNCT_BREAK = frozenset({",", ";", ":", ".", "-", "(", ")", "!", "?", "—", "–", "/", "\""})


@dataclass(frozen=True)
class CueHit:
    cue: Cue
    start: int
    end: int
    year: int | None = None


@dataclass(frozen=True)
class RoleHit:
    role: str
    start: int
    end: int
    gender: str | None  # "f", "m" or None
    pronoun: bool
    text: str


@dataclass
class RoleMemory:
    """The last female and male family role named so far in a note (for she/he)."""

    female: str | None = None
    male: str | None = None

    def update(self, roles: Iterable[RoleHit]) -> None:
        for r in roles:
            if r.pronoun or r.role in ("professional", "other", "child"):
                continue
            if r.gender == "f":
                self.female = r.role
            elif r.gender == "m":
                self.male = r.role


@dataclass(frozen=True)
class AssertionRules:
    cues: tuple[Cue, ...]
    actors: ActorLexicon
    labels: Mapping[str, LabelDef]
    tokenizer: PhraseTokenizer
    cue_matcher: Any
    cue_matcher_cs: Any
    role_matcher: Any
    role_keys: Mapping[int, tuple[str, str | None, bool]]
    cue_keys: Mapping[int, int]
    files: tuple[str, ...] = ()
    regex_cues: tuple[Cue, ...] = ()


@dataclass
class SentenceContext:
    """Cues, terminators and role words found in one sentence's tokens."""

    doc: Any
    offsets: list[int] | None = None  # doc offset -> offset in the sentence's own text
    quoted: frozenset[int] = frozenset()  # token indices inside quotation marks
    cues: list[CueHit] = field(default_factory=list)
    terminators: list[CueHit] = field(default_factory=list)
    pseudo: list[CueHit] = field(default_factory=list)
    roles: list[RoleHit] = field(default_factory=list)


def _root(dir: Path | None) -> Path:
    if dir is None:
        from ..paths import lexicon_dir  # here: resources imports this module

        dir = lexicon_dir()
    root = Path(dir)
    if not (root / "labels.yaml").exists() and (root.parent / "labels.yaml").exists():
        root = root.parent
    return root


def load_assertion(
    dir: Path | None = None, *, vocab: Vocabulary | None = None,
    labels: Mapping[str, LabelDef] | None = None, tokenizer: PhraseTokenizer | None = None,
) -> AssertionRules:
    """Load and compile the cue files under ``<lexicons>/assertion/`` (strict)."""
    from spacy.matcher import PhraseMatcher

    root = _root(dir)
    if vocab is None:
        vocab = load_vocabulary(root / "typology" / "_vocab.yaml")
    if labels is None:
        labels = load_labels(root / "labels.yaml")
    if tokenizer is None:
        tokenizer = PhraseTokenizer(vocab.norms)
    adir = root / "assertion"
    if not adir.is_dir():
        raise LexiconError(str(adir), "assertion cue directory not found")
    cues: list[Cue] = []
    files: list[str] = []
    for path in sorted(adir.glob("*.yaml")):
        if path.name == "actors.yaml":
            continue
        files.append(str(path))
        cues.extend(load_cue_file(path, vocab, labels))
    ids = [c.id for c in cues]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise LexiconError(str(adir), f"duplicate cue id(s) {dupes}")
    actors = load_actor_lexicon(adir / "actors.yaml", vocab, ACTORS)
    files.append(str(adir / "actors.yaml"))

    cue_matcher = PhraseMatcher(tokenizer.vocab, attr="NORM")
    cue_matcher_cs = PhraseMatcher(tokenizer.vocab, attr="ORTH")
    cue_keys: dict[int, int] = {}
    for i, cue in enumerate(cues):
        if not cue.phrases:
            continue
        key = f"cue:{i}"
        cue_keys[tokenizer.vocab.strings.add(key)] = i
        target = cue_matcher_cs if cue.case_sensitive else cue_matcher
        target.add(key, tokenizer.pipe(cue.phrases))
    role_matcher = PhraseMatcher(tokenizer.vocab, attr="NORM")
    role_keys: dict[int, tuple[str, str | None, bool]] = {}

    def add_role(role: str, gender: str | None, pronoun: bool, words: Iterable[str]) -> None:
        key = f"role:{role}:{gender}:{pronoun}"
        role_keys[tokenizer.vocab.strings.add(key)] = (role, gender, pronoun)
        role_matcher.add(key, tokenizer.pipe(list(words)))

    for role, words in actors.role_phrases.items():
        fem = [w for w in words if w in actors.female]
        male = [w for w in words if w in actors.male]
        rest = [w for w in words if w not in actors.female and w not in actors.male]
        for gender, group in (("f", fem), ("m", male), (None, rest)):
            if group:
                add_role(role, gender, False, group)
    add_role("pronoun", "f", True, actors.pronouns_female)
    add_role("pronoun", "m", True, actors.pronouns_male)
    return AssertionRules(
        cues=tuple(cues), actors=actors, labels=labels, tokenizer=tokenizer,
        cue_matcher=cue_matcher, cue_matcher_cs=cue_matcher_cs, role_matcher=role_matcher,
        role_keys=role_keys, cue_keys=cue_keys, files=tuple(files),
        regex_cues=tuple(c for c in cues if c.regexes),
    )


# --- finding cues and roles in a sentence -----------------------------------------------

def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def analyse_sentence(rules: AssertionRules, doc: Any, *, note_year: int | None = None
                     ) -> SentenceContext:
    """Find the cues (pseudo-cues removed), terminators and role words in ``doc``."""
    ctx = SentenceContext(doc=doc)
    raw: list[CueHit] = []
    for matcher in (rules.cue_matcher, rules.cue_matcher_cs):
        for match_id, s, e in matcher(doc):
            raw.append(CueHit(rules.cues[rules.cue_keys[match_id]], s, e))
    text = None
    for cue in rules.regex_cues:
        if text is None:
            text = doc.text
        for rx in cue.regexes:
            for m in rx.finditer(text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None:
                    continue
                year = None
                if cue.year_before_note and m.groups():
                    year = int(m.group(1))
                    if note_year is not None and year >= note_year:
                        continue
                raw.append(CueHit(cue, span.start, span.end, year))
    pseudo = [h for h in raw if h.cue.category == "pseudo"]
    ctx.pseudo = [p for p in pseudo if p.cue.only_labels or p.cue.except_labels]
    general = [p for p in pseudo if not (p.cue.only_labels or p.cue.except_labels)]
    for h in raw:
        cat = h.cue.category
        if cat == "pseudo":
            continue
        if cat == "terminate":
            ctx.terminators.append(h)
            continue
        if any(_overlaps(h.start, h.end, p.start, p.end)
               and (not p.cue.categories or cat in p.cue.categories) for p in general):
            continue
        ctx.cues.append(h)
    ctx.cues.sort(key=lambda h: (h.start, -h.end))
    ctx.terminators.sort(key=lambda h: (h.start, -h.end))
    ctx.roles = find_roles(rules, doc)
    return ctx


def find_roles(rules: AssertionRules, doc: Any) -> list[RoleHit]:
    """Role words in ``doc``, longest first where they overlap ("mum's partner")."""
    hits = []
    for match_id, s, e in rules.role_matcher(doc):
        role, gender, pronoun = rules.role_keys[match_id]
        hits.append((s, e, role, gender, pronoun))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: set[int] = set()
    out: list[RoleHit] = []
    for s, e, role, gender, pronoun in hits:
        if any(i in taken for i in range(s, e)):
            continue
        taken.update(range(s, e))
        out.append(RoleHit(role, s, e, gender, pronoun, doc[s:e].text))
    out.sort(key=lambda r: r.start)
    return out


# --- actor ------------------------------------------------------------------------------

def _resolve(hit: RoleHit, earlier: Sequence[RoleHit], memory: RoleMemory) -> str | None:
    """A role for a role word; pronouns take the nearest same-gender role named before."""
    if not hit.pronoun:
        return hit.role
    for r in reversed(earlier):
        if r.start >= hit.start:
            continue
        if not r.pronoun and r.gender == hit.gender and r.role not in ("professional",
                                                                         "child", "other"):
            return r.role
    return memory.female if hit.gender == "f" else memory.male


def _is_passive_after(doc: Any, i: int, end: int) -> bool:
    """True when tokens ``i..`` (before ``end``) read as a passive: "was sworn at"."""
    for j in range(i, min(end, i + 3)):
        w = doc[j].norm_
        if w in _PASSIVE_AUX and j + 1 < len(doc):
            nxt = doc[j + 1].norm_
            if nxt in ("not", "never", "also", "then", "again", "repeatedly"):
                if j + 2 >= len(doc):
                    return False
                nxt = doc[j + 2].norm_
            if nxt.endswith(("ed", "en", "wn")) or nxt in _PARTICIPLES:
                return True
    return False


_FIRST_PERSON = frozenset({"i", "we", "me", "us", "myself", "ourselves"})


def _quote_speaker(rules: AssertionRules, ctx: SentenceContext, at: int,
                   memory: RoleMemory) -> str | None:
    """The family member who speaks the quoted words at token ``at``: the nearest role
    word before the quote that is not itself quoted."""
    for r in reversed(ctx.roles):
        if r.end > at or r.start in ctx.quoted:
            continue
        if r.role == "professional":
            return None
        got = _resolve(r, ctx.roles, memory)
        if got and got not in ("other",):
            return got
    return None


def _professional_subject(rules: AssertionRules, ctx: SentenceContext, hit: RoleHit,
                          start: int) -> bool:
    """A worker word counts as the actor only as the active subject right before."""
    if hit.text.lower() not in rules.actors.subject_only:
        return False
    gap = range(hit.end, start)
    if len(gap) > 3:
        return False
    doc = ctx.doc
    if any(doc[j].text in _PUNCT_BREAK for j in gap):
        return False
    return not _is_passive_after(doc, hit.end, len(doc))


def actor_from_words(rules: AssertionRules, ctx: SentenceContext, start: int, end: int,
                     memory: RoleMemory, *, worker_as_subject: bool = False) -> str | None:
    """The actor of the behaviour at tokens ``[start, end)`` from role words alone.

    ``worker_as_subject``: the entry's phrasing has the worker as grammatical subject
    ("I have not heard from dad", "we could not gain access"), so a worker word never
    names the actor.
    """
    roles = ctx.roles
    before = [r for r in roles if r.end <= start]
    for r in reversed(before):
        if r.role == "professional" and r.start in ctx.quoted and \
                r.text.lower() in _FIRST_PERSON:
            # "I" inside quoted words is whoever is quoted: the speaker before the quote
            speaker = _quote_speaker(rules, ctx, r.start, memory)
            if speaker:
                return speaker
            continue
        if r.role == "professional":
            if not worker_as_subject and _professional_subject(rules, ctx, r, start):
                return "professional"
            continue
        if r.role == "pronoun" and r.text.lower() in ("her", "him", "his"):
            # object or possessive: "I asked her", "his room" - weaker than a subject
            got = _resolve(r, roles, memory)
            if got:
                return got
            continue
        got = _resolve(r, roles, memory)
        if got:
            return got
    if not worker_as_subject and not before:
        first = next((t for t in ctx.doc if not (t.is_punct or t.is_space)), None)
        if first is not None and first.i < start and \
                first.norm_ in rules.actors.implicit_subject_verbs and not any(
                    ctx.doc[j].text in _PUNCT_BREAK for j in range(first.i, start)):
            return "professional"  # "Rang mum to rebook": the writer did it
    inside = [r for r in roles if r.start >= start and r.end <= end
              and r.role not in ("professional", "pronoun")]
    if inside:
        return inside[0].role
    after = [r for r in roles if r.start >= end and r.role not in ("professional",)]
    for r in after:
        if r.role == "pronoun":
            continue
        return r.role
    return None


def actor_from_parse(rules: AssertionRules, ctx: SentenceContext, span: Any,
                     char_offset: int, memory: RoleMemory, *,
                     worker_as_subject: bool = False) -> str | None:
    """The actor from the pipeline's dependency parse, or None when it says nothing.

    ``span`` is the behaviour's span in the pipeline's doc; ``char_offset`` is where the
    sentence starts in that doc's text (role hits are in the sentence's own tokens).
    """
    tok = span.root
    subj = None
    passive = False
    for _ in range(4):
        subs = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subs:
            subj = subs[0]
            passive = subj.dep_ == "nsubjpass"
            break
        if tok.head is tok or tok.dep_ not in ("xcomp", "conj", "ccomp", "advcl", "acomp",
                                               "dobj", "prep", "pobj", "aux", "neg",
                                               "advmod", "attr", "relcl", "amod", "compound"):
            break
        tok = tok.head
    if subj is None:
        return None
    if passive:
        agents = [c for c in tok.children if c.dep_ == "agent"]
        if not agents:
            return None
        objs = [c for c in agents[0].children if c.dep_ == "pobj"]
        if not objs:
            return None
        subj = objs[0]
    s_char = subj.idx - char_offset
    e_char = s_char + len(subj.text)
    offs = ctx.offsets
    for r in ctx.roles:
        r_start = ctx.doc[r.start].idx
        r_end = ctx.doc[r.end - 1].idx + len(ctx.doc[r.end - 1].text)
        if offs is not None:
            r_start, r_end = offs[r_start], offs[r_end - 1] + 1
        if _overlaps(r_start, r_end, s_char, e_char):
            if r.role == "professional":
                if worker_as_subject:
                    return None
                return "professional" if r.text.lower() in rules.actors.subject_only else None
            return _resolve(r, ctx.roles, memory)
    return None


# --- assertion --------------------------------------------------------------------------

def _terminated(ctx: SentenceContext, lo: int, hi: int, category: str,
                behaviour_spans: Sequence[tuple[int, int]]) -> bool:
    doc = ctx.doc
    for t in ctx.terminators:
        if t.start >= lo and t.end <= hi:
            if t.end - t.start == 1 and doc[t.start].text in ("-", "/") and (
                    t.start == 0 or not doc[t.start - 1].whitespace_
                    or not doc[t.start].whitespace_):
                continue  # a hyphen inside a word ("Kerry-Ann") is no clause break
            if t.cue.categories and category not in t.cue.categories:
                continue
            if any(s <= t.start and t.end <= e for s, e in behaviour_spans):
                continue
            return True
    return False


def _speaker(rules: AssertionRules, ctx: SentenceContext, hit: CueHit,
             memory: RoleMemory) -> str | None:
    """The role word right before a speech verb ("mum's neighbour said" → other;
    "the neighbour at no. 12 said" → other)."""
    for r in reversed(ctx.roles):
        if r.end > hit.start:
            continue
        if hit.start - r.end > 6:
            return None
        if any(ctx.doc[j].text in _SPEAKER_BREAK for j in range(r.end, hit.start)):
            return None
        return _resolve(r, ctx.roles, memory)
    return None


def _applies(cue: Cue, label: str) -> bool:
    return label not in cue.except_labels and (not cue.only_labels or label in cue.only_labels)


def assertion_for(
    rules: AssertionRules, ctx: SentenceContext, start: int, end: int, *, label: str,
    actor: str | None, behaviour_spans: Sequence[tuple[int, int]], memory: RoleMemory,
) -> str:
    """The assertion of a behaviour matched over tokens ``[start, end)`` of ``ctx.doc``."""
    ldef = rules.labels.get(label)
    exempt = ldef.assertion_exempt if ldef else frozenset()
    found: set[str] = set()
    for hit in ctx.cues:
        cue = hit.cue
        cat = cue.category
        if cat not in ASSERTING or cat in found:
            continue
        if cat in exempt or cue.id in exempt:
            continue
        if not _applies(cue, label):
            continue
        if _overlaps(hit.start, hit.end, start, end):
            continue
        if any(_overlaps(hit.start, hit.end, p.start, p.end) and _applies(p.cue, label)
               and (not p.cue.categories or cat in p.cue.categories) for p in ctx.pseudo):
            continue
        if not cue.inside_matches and any(
                _overlaps(hit.start, hit.end, s, e) for s, e in behaviour_spans):
            continue
        if hit.end <= start and cue.direction in ("forward", "both"):
            lo, hi = hit.end, start
        elif hit.start >= end and cue.direction in ("backward", "both"):
            lo, hi = end, hit.start
        else:
            continue
        if hi - lo > cue.window:
            continue
        if _terminated(ctx, lo, hi, cat, behaviour_spans):
            continue
        if cue.speaker == "other_than_actor":
            speaker = _speaker(rules, ctx, hit, memory)
            if speaker is None or speaker in ("professional", "pronoun"):
                continue
            if speaker != "other" and (actor in (None, "professional") or speaker == actor):
                continue
        found.add(cat)
    for cat in PRECEDENCE:
        if cat in found:
            return cat
    return "affirmed"
