"""Loading, validating and compiling rules held as data (YAML under ``lexicons/``).

This is the only module where domain regular expressions are compiled. Loading is
strict: unknown keys, missing keys and bad patterns raise :class:`LexiconError` naming
the file and the entry.
"""

from __future__ import annotations

import dataclasses as _dc
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import LexiconError


def load_yaml(path: Path) -> Any:
    """Read one YAML file; a syntax error becomes a LexiconError naming the file."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise LexiconError(str(path), f"not valid YAML: {exc}") from None
    except OSError as exc:
        raise LexiconError(str(path), f"cannot read: {exc.strerror}") from None


def check_keys(
    obj: Any,
    *,
    file: str,
    entry: str | None,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> Mapping[str, Any]:
    """Fail unless ``obj`` is a mapping with all ``required`` keys and no unknown ones."""
    if not isinstance(obj, Mapping):
        raise LexiconError(file, f"expected a mapping, found {type(obj).__name__}", entry)
    required = tuple(required)
    allowed = set(required) | set(optional)
    missing = [k for k in required if k not in obj]
    if missing:
        raise LexiconError(file, f"missing key(s): {', '.join(missing)}", entry)
    unknown = sorted(str(k) for k in obj if k not in allowed)
    if unknown:
        raise LexiconError(file, f"unknown key(s): {', '.join(unknown)}", entry)
    return obj


def compile_regex(pattern: str, *, file: str, entry: str | None, flags: int = re.I) -> re.Pattern[str]:
    """Compile a pattern from a lexicon file, naming the file and entry when it is bad."""
    if not isinstance(pattern, str) or not pattern:
        raise LexiconError(file, "pattern must be a non-empty string", entry)
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise LexiconError(file, f"bad regular expression {pattern!r}: {exc}", entry) from None


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first (so 'sept' wins over 'sep')."""
    uniq = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in uniq)


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys (PyYAML keeps the last one silently)."""


def _strict_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _strict_mapping)


def load_yaml_strict(path: Path) -> Any:
    """Like ``load_yaml``, and a key given twice in one mapping is an error."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise LexiconError(str(path), f"not valid YAML: {exc}") from None
    except OSError as exc:
        raise LexiconError(str(path), f"cannot read: {exc.strerror}") from None


# ---------------------------------------------------------------------------------------
# Phrase templates, label definitions, typology entries and assertion cues.
#
# Everything below turns YAML under ``lexicons/labels.yaml``, ``lexicons/typology/`` and
# ``lexicons/assertion/`` into plain frozen records. Building spaCy matchers from them is
# the job of ``annotate/tags.py`` and ``annotate/assertion.py``; every check that can fail
# on a file's content happens here, naming the file and the entry.
# ---------------------------------------------------------------------------------------

TEMPLATE_LIMIT = 20000
EXAMPLE_KINDS = ("match", "no_match", "negated", "hypothetical", "reported", "historical")
FAMILIES = ("main", "secondary")
# Token-pattern attributes that a tokeniser alone provides. POS, TAG, LEMMA, DEP, MORPH
# and ENT_* need a trained pipeline, and the tagger must work on spacy.blank("en").
TOKEN_ATTRS = frozenset({
    "ORTH", "TEXT", "LOWER", "NORM", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE",
    "LIKE_NUM", "LIKE_EMAIL", "LIKE_URL", "SHAPE", "PREFIX", "SUFFIX", "OP",
})
TOKEN_PREDICATES = frozenset({"IN", "NOT_IN", "==", ">=", "<=", ">", "<", "!="})
TOKEN_OPS = frozenset({"!", "?", "+", "*"})


def _first_group(text: str) -> tuple[int, int, list[str]] | None:
    """The first top-level ``{...}``: its start, end and its top-level alternatives."""
    start = text.find("{")
    if start < 0:
        return None
    depth = 0
    alts: list[str] = []
    last = start + 1
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                alts.append(text[last:i])
                return start, i + 1, alts
        elif ch == "|" and depth == 1:
            alts.append(text[last:i])
            last = i + 1
    return None


def expand_template(
    template: str, vocab: Mapping[str, Iterable[str]], *, file: str, entry: str | None,
    limit: int = TEMPLATE_LIMIT,
) -> list[str]:
    """Expand a phrase template into the literal phrases it stands for.

    ``{a|b|}`` is a choice (an empty branch makes it optional), braces nest, and
    ``{@name}`` stands for every phrase of the vocabulary list ``name`` (itself a list of
    templates). Whitespace is collapsed. Order is kept and duplicates are dropped.
    """
    if not isinstance(template, str) or not template.strip():
        raise LexiconError(file, "phrase must be a non-empty string", entry)
    depth = 0
    for ch in template:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            break
    if depth != 0:
        raise LexiconError(file, f"unbalanced braces in {template!r}", entry)
    todo = [template]
    done: dict[str, None] = {}
    while todo:
        current = todo.pop()
        group = _first_group(current)
        if group is None:
            phrase = " ".join(current.split())
            if phrase:
                done[phrase] = None
            if len(done) > limit:
                raise LexiconError(
                    file, f"template {template!r} expands to more than {limit} phrases", entry)
            continue
        start, end, alts = group
        options: list[str] = []
        for alt in alts:
            alt_s = alt.strip()
            if alt_s.startswith("@") and "{" not in alt_s:
                name = alt_s[1:]
                if name not in vocab:
                    raise LexiconError(file, f"unknown vocabulary list @{name}", entry)
                options.extend(vocab[name])
            else:
                options.append(alt)
        if len(todo) > limit * 50:
            raise LexiconError(file, f"template {template!r} is too large", entry)
        head, tail = current[:start], current[end:]
        # reversed so that popping from the end keeps the written order
        todo.extend(head + " " + opt + " " + tail for opt in reversed(options))
    if not done:
        raise LexiconError(file, f"template {template!r} expands to nothing", entry)
    return list(done)


def expand_all(
    templates: Any, vocab: Mapping[str, Iterable[str]], *, file: str, entry: str | None,
    key: str,
) -> tuple[str, ...]:
    """Expand a list of templates (or one template) found under ``key``."""
    if isinstance(templates, str):
        templates = [templates]
    if not isinstance(templates, list) or not templates:
        raise LexiconError(file, f"{key} must be a non-empty list of strings", entry)
    out: dict[str, None] = {}
    for t in templates:
        for p in expand_template(t, vocab, file=file, entry=entry):
            out[p] = None
    return tuple(out)


# Templates whose expansion is larger than this are not expanded: they are compiled into
# a chain of small phrase groups that the tagger joins at match time (adjacent tokens),
# which keeps loading fast and the phrase matcher small.
FULL_EXPANSION_LIMIT = 400
CHAIN_MERGE_LIMIT = 64


@_dc.dataclass(frozen=True)
class PhraseChain:
    """Phrase groups matched on adjacent tokens, one after another; a group marked
    optional may be absent. Equivalent to the full expansion of its template."""

    items: tuple[tuple[str, ...], ...]
    optional: tuple[bool, ...]

    def size(self) -> int:
        n = 1
        for item, opt in zip(self.items, self.optional, strict=True):
            n *= len(item) + (1 if opt else 0)
        return n


@_dc.dataclass(frozen=True)
class PhraseSet:
    """What a list of templates stands for: literal phrases plus compiled chains."""

    phrases: tuple[str, ...] = ()
    chains: tuple[PhraseChain, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.phrases or self.chains)

    def size(self) -> int:
        return len(self.phrases) + sum(c.size() for c in self.chains)

    def expand(self, limit: int = 10**7) -> list[str]:
        """Every literal phrase (chains expanded): for tests and inspection only."""
        out = list(self.phrases)
        for chain in self.chains:
            combos = [""]
            for item, opt in zip(chain.items, chain.optional, strict=True):
                options = list(item) + ([""] if opt else [])
                combos = [f"{c} {o}".strip() for c in combos for o in options]
                if len(combos) > limit:
                    raise ValueError("expansion too large")
            out.extend(" ".join(c.split()) for c in combos if c.strip())
        return list(dict.fromkeys(out))


def _segments(template: str) -> list[str]:
    """Split a template at the top level into literal runs and ``{...}`` groups."""
    out: list[str] = []
    rest = template
    while rest:
        group = _first_group(rest)
        if group is None:
            out.append(rest)
            break
        start, end, _ = group
        if rest[:start].strip():
            out.append(rest[:start])
        out.append(rest[start:end])
        rest = rest[end:]
    return [seg for seg in out if seg.strip()]


def compile_template(
    template: str, vocab: Mapping[str, Iterable[str]], *, file: str, entry: str | None,
) -> tuple[list[str], PhraseChain | None]:
    """Literal phrases for a small template; a chain of phrase groups for a large one."""
    segs = _segments(template)
    sizes = []
    expansions: list[list[str]] = []
    for seg in segs:
        exp = _expand_allow_empty(seg, vocab, file=file, entry=entry)
        expansions.append(exp)
        sizes.append(len(exp))
    total = 1
    for n in sizes:
        total *= n
    if total <= FULL_EXPANSION_LIMIT or len(segs) < 2:
        return expand_template(template, vocab, file=file, entry=entry,
                               limit=max(TEMPLATE_LIMIT, total)), None
    # merge neighbouring segments while their product stays small
    merged: list[str] = []
    cur, cur_n = segs[0], sizes[0]
    for seg, n in zip(segs[1:], sizes[1:], strict=True):
        if cur_n * n <= CHAIN_MERGE_LIMIT:
            cur, cur_n = f"{cur} {seg}", cur_n * n
        else:
            merged.append(cur)
            cur, cur_n = seg, n
    merged.append(cur)
    items: list[tuple[str, ...]] = []
    optional: list[bool] = []
    for seg in merged:
        exp = _expand_allow_empty(seg, vocab, file=file, entry=entry)
        non_empty = tuple(p for p in exp if p)
        if not non_empty:
            continue
        items.append(non_empty)
        optional.append(len(non_empty) < len(exp))
    if not items or all(optional):
        raise LexiconError(file, f"template {template!r} can match nothing", entry)
    return [], PhraseChain(items=tuple(items), optional=tuple(optional))


def _expand_allow_empty(
    template: str, vocab: Mapping[str, Iterable[str]], *, file: str, entry: str | None,
) -> list[str]:
    """Like ``expand_template`` but keeps an empty expansion as ``""``."""
    probe = f"\x00 {template} \x00"
    got = expand_template(probe, vocab, file=file, entry=entry)
    return list(dict.fromkeys(" ".join(p.replace("\x00", "").split()) for p in got))


def compile_phrases(
    templates: Any, vocab: Mapping[str, Iterable[str]], *, file: str, entry: str | None,
    key: str,
) -> PhraseSet:
    """Compile a list of templates (or one template) found under ``key``."""
    if isinstance(templates, str):
        templates = [templates]
    if not isinstance(templates, list) or not templates:
        raise LexiconError(file, f"{key} must be a non-empty list of strings", entry)
    phrases: dict[str, None] = {}
    chains: list[PhraseChain] = []
    for t in templates:
        if not isinstance(t, str):
            raise LexiconError(file, f"{key} must be a list of strings, found {t!r}", entry)
        lits, chain = compile_template(t, vocab, file=file, entry=entry)
        phrases.update(dict.fromkeys(lits))
        if chain is not None:
            chains.append(chain)
    return PhraseSet(phrases=tuple(phrases), chains=tuple(chains))


def check_token_pattern(pattern: Any, *, file: str, entry: str | None) -> list[dict[str, Any]]:
    """Validate one spaCy token pattern: tokeniser-level attributes only, no REGEX."""
    if not isinstance(pattern, list) or not pattern:
        raise LexiconError(file, "a token pattern must be a non-empty list of token specs", entry)
    for spec in pattern:
        if not isinstance(spec, Mapping):
            raise LexiconError(file, f"bad token spec {spec!r}: expected a mapping", entry)
        for attr, value in spec.items():
            if attr not in TOKEN_ATTRS:
                raise LexiconError(
                    file, f"token pattern attribute {attr!r} is not allowed (only "
                    "tokeniser attributes: the tagger must work on spacy.blank('en'))", entry)
            if attr == "OP" and value not in TOKEN_OPS and not (
                    isinstance(value, str) and re.fullmatch(r"\{\d*,?\d*\}", value)):
                raise LexiconError(file, f"bad OP {value!r} in token pattern", entry)
            if isinstance(value, Mapping):
                bad = [k for k in value if k not in TOKEN_PREDICATES]
                if bad:
                    raise LexiconError(
                        file, f"token pattern predicate(s) {bad} not allowed for {attr}", entry)
    return [dict(s) for s in pattern]


def _id_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(prefix)}\.[a-z0-9_]+\.v\d+")


def _str_list(value: Any, *, file: str, entry: str | None, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(file, f"{key} must be a list of non-empty strings", entry)
    return tuple(value)


def _confidence(value: Any, *, file: str, entry: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise LexiconError(file, f"confidence must be a number in (0, 1], got {value!r}", entry)
    return float(value)


# --- vocabulary -------------------------------------------------------------------------

@_dc.dataclass(frozen=True)
class Vocabulary:
    """Shared word lists for templates (``{@name}``) and the token normalisation table."""

    lists: Mapping[str, tuple[str, ...]]
    norms: Mapping[str, str]
    gap_breakers: frozenset[str]


def load_vocabulary(path: Path) -> Vocabulary:
    """Read ``_vocab.yaml``: ``lists`` (name → templates), ``norms``, ``gap_breakers``."""
    file = str(path)
    data = check_keys(load_yaml_strict(path), file=file, entry=None, required=("lists",),
                      optional=("norms", "gap_breakers", "description"))
    lists_raw = data["lists"]
    if not isinstance(lists_raw, Mapping):
        raise LexiconError(file, "lists must map a name to a list of phrases")
    lists: dict[str, tuple[str, ...]] = {}
    for name, items in lists_raw.items():
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", str(name)):
            raise LexiconError(file, f"bad vocabulary name {name!r}", str(name))
        lists[str(name)] = _str_list(items, file=file, entry=str(name), key="list")
    # expand every list once, so a broken template fails at load time with its name
    for name, items in lists.items():
        expand_all(list(items), lists, file=file, entry=name, key="list")
    norms_raw = data.get("norms") or {}
    if not isinstance(norms_raw, Mapping):
        raise LexiconError(file, "norms must map a token to its normal form")
    norms = {str(k).lower(): str(v).lower() for k, v in norms_raw.items()}
    breakers = frozenset(
        s.lower() for s in _str_list(data.get("gap_breakers") or ["."], file=file,
                                     entry=None, key="gap_breakers"))
    return Vocabulary(lists=lists, norms=norms, gap_breakers=breakers)


# --- labels -----------------------------------------------------------------------------

@_dc.dataclass(frozen=True)
class LabelDef:
    id: str
    name: str
    family: str
    policy_refs: tuple[str, ...]
    subtypes: tuple[str, ...] = ()
    assertion_exempt: frozenset[str] = frozenset()
    professional_actor_ok: bool = False
    cues_pass_through: bool = False
    description: str = ""


_LABEL_KEYS = ("id", "name", "family", "policy_refs")
_LABEL_OPTIONAL = ("subtypes", "assertion_exempt", "professional_actor_ok", "cues_pass_through",
                   "description")


def load_labels(path: Path) -> dict[str, LabelDef]:
    """Read ``labels.yaml``: one row per label (id, display name, family, policy refs)."""
    file = str(path)
    data = check_keys(load_yaml_strict(path), file=file, entry=None, required=("labels",),
                      optional=("description",))
    rows = data["labels"]
    if not isinstance(rows, list) or not rows:
        raise LexiconError(file, "labels must be a non-empty list")
    out: dict[str, LabelDef] = {}
    for row in rows:
        ident = row.get("id") if isinstance(row, Mapping) else None
        check_keys(row, file=file, entry=ident, required=_LABEL_KEYS, optional=_LABEL_OPTIONAL)
        if not isinstance(ident, str) or not re.fullmatch(r"[a-z][a-z_]*", ident):
            raise LexiconError(file, f"bad label id {ident!r}", str(ident))
        if ident in out:
            raise LexiconError(file, "duplicate label id", ident)
        if row["family"] not in FAMILIES:
            raise LexiconError(file, f"family must be one of {FAMILIES}", ident)
        exempt = _str_list(row.get("assertion_exempt") or [], file=file, entry=ident,
                           key="assertion_exempt") if row.get("assertion_exempt") else ()
        subtypes = _str_list(row["subtypes"], file=file, entry=ident,
                             key="subtypes") if row.get("subtypes") else ()
        ok = row.get("professional_actor_ok", False)
        passes = row.get("cues_pass_through", False)
        if not isinstance(ok, bool) or not isinstance(passes, bool):
            raise LexiconError(
                file, "professional_actor_ok and cues_pass_through must be true or false", ident)
        out[ident] = LabelDef(
            id=ident, name=str(row["name"]), family=row["family"],
            policy_refs=_str_list(row["policy_refs"], file=file, entry=ident, key="policy_refs"),
            subtypes=subtypes, assertion_exempt=frozenset(exempt), professional_actor_ok=ok,
            cues_pass_through=passes,
            description=str(row.get("description") or ""),
        )
    return out


# --- typology entries -------------------------------------------------------------------

@_dc.dataclass(frozen=True)
class PhraseSequence:
    """Phrase groups that must follow each other with at most ``max_gap`` tokens between."""

    items: tuple[PhraseSet, ...]
    max_gap: int


@_dc.dataclass(frozen=True)
class TypologyEntry:
    id: str
    label: str
    file: str
    phrases: PhraseSet = PhraseSet()
    sequences: tuple[PhraseSequence, ...] = ()
    patterns: tuple[tuple[dict[str, Any], ...], ...] = ()
    regexes: tuple[re.Pattern[str], ...] = ()
    exclude: PhraseSet = PhraseSet()
    exclude_before: PhraseSet = PhraseSet()
    exclude_after: PhraseSet = PhraseSet()
    exclude_sentence: PhraseSet = PhraseSet()
    requires: PhraseSet = PhraseSet()
    requires_window: int = 0
    policy_ref: str | None = None
    subtype: str | None = None
    actor_hint: str | None = None
    worker_as_subject: bool = False
    confidence: float = 0.8
    examples: Mapping[str, tuple[str, ...]] = _dc.field(default_factory=dict)


_ENTRY_OPTIONAL = ("phrases", "sequences", "patterns", "regex", "exclude", "exclude_before",
                   "exclude_after", "exclude_sentence", "requires", "requires_window", "policy_ref", "subtype",
                   "actor_hint",
                   "worker_as_subject", "confidence", "examples", "note")
_FILE_KEYS = ("label", "entries")
_FILE_OPTIONAL = ("default_confidence", "description")


def load_typology_file(
    path: Path, labels: Mapping[str, LabelDef], vocab: Vocabulary, actors: Iterable[str],
) -> tuple[str, list[TypologyEntry]]:
    """Validate one ``typology/<label>.yaml`` and expand its templates."""
    file = str(path)
    data = check_keys(load_yaml_strict(path), file=file, entry=None, required=_FILE_KEYS,
                      optional=_FILE_OPTIONAL)
    label = data["label"]
    if label not in labels:
        raise LexiconError(file, f"unknown label {label!r} (not in labels.yaml)")
    if path.stem != label:
        raise LexiconError(file, f"file name must be the label id ({label}.yaml)")
    ldef = labels[label]
    default_conf = _confidence(data.get("default_confidence", 0.8), file=file, entry=None)
    rows = data["entries"]
    if not isinstance(rows, list) or not rows:
        raise LexiconError(file, "entries must be a non-empty list")
    id_re = _id_pattern(label)
    actors = set(actors)
    entries: list[TypologyEntry] = []
    seen: set[str] = set()
    for row in rows:
        ident = row.get("id") if isinstance(row, Mapping) else None
        check_keys(row, file=file, entry=ident, required=("id",), optional=_ENTRY_OPTIONAL)
        if not isinstance(ident, str) or not id_re.fullmatch(ident):
            raise LexiconError(
                file, f"entry id must look like {label}.<name>.v<N>, got {ident!r}", str(ident))
        if ident in seen:
            raise LexiconError(file, "duplicate entry id", ident)
        seen.add(ident)
        entries.append(_typology_entry(row, ident, ldef, file, vocab, actors, default_conf))
    return label, entries


def _typology_entry(
    row: Mapping[str, Any], ident: str, ldef: LabelDef, file: str, vocab: Vocabulary,
    actors: set[str], default_conf: float,
) -> TypologyEntry:
    lists = vocab.lists
    if not any(k in row for k in ("phrases", "sequences", "patterns", "regex")):
        raise LexiconError(file, "entry needs phrases, sequences, patterns or regex", ident)
    phrases = compile_phrases(row["phrases"], lists, file=file, entry=ident,
                              key="phrases") if "phrases" in row else PhraseSet()
    sequences: list[PhraseSequence] = []
    for seq in row.get("sequences") or []:
        check_keys(seq, file=file, entry=ident, required=("items",), optional=("max_gap",))
        items = seq["items"]
        if not isinstance(items, list) or len(items) < 2:
            raise LexiconError(file, "a sequence needs at least two items", ident)
        gap = seq.get("max_gap", 3)
        if isinstance(gap, bool) or not isinstance(gap, int) or not 0 <= gap <= 12:
            raise LexiconError(file, f"max_gap must be an integer 0..12, got {gap!r}", ident)
        sequences.append(PhraseSequence(
            items=tuple(compile_phrases(i, lists, file=file, entry=ident, key="sequence item")
                        for i in items),
            max_gap=gap))
    if "sequences" in row and not sequences:
        raise LexiconError(file, "sequences must be a non-empty list", ident)
    patterns = row.get("patterns")
    if patterns is not None and (not isinstance(patterns, list) or not patterns):
        raise LexiconError(file, "patterns must be a non-empty list of token patterns", ident)
    pats = tuple(tuple(check_token_pattern(p, file=file, entry=ident)) for p in patterns or [])
    regexes = tuple(compile_regex(r, file=file, entry=ident) for r in _str_list(
        row["regex"], file=file, entry=ident, key="regex")) if "regex" in row else ()
    exclude, exclude_before, exclude_after, exclude_sentence = (
        compile_phrases(row[k], lists, file=file, entry=ident, key=k) if row.get(k)
        else PhraseSet()
        for k in ("exclude", "exclude_before", "exclude_after", "exclude_sentence"))
    requires = compile_phrases(row["requires"], lists, file=file, entry=ident,
                               key="requires") if row.get("requires") else PhraseSet()
    subtype = row.get("subtype")
    if ldef.subtypes:
        if subtype not in ldef.subtypes:
            raise LexiconError(
                file, f"subtype must be one of {list(ldef.subtypes)}, got {subtype!r}", ident)
    elif subtype is not None:
        raise LexiconError(file, f"label {ldef.id} has no subtypes", ident)
    actor = row.get("actor_hint")
    if actor is not None and actor not in actors:
        raise LexiconError(file, f"actor_hint must be one of {sorted(actors)}", ident)
    window = row.get("requires_window", 0)
    if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 3:
        raise LexiconError(file, f"requires_window must be an integer 0..3, got {window!r}",
                           ident)
    if window and not requires:
        raise LexiconError(file, "requires_window needs requires", ident)
    worker_subject = row.get("worker_as_subject", False)
    if not isinstance(worker_subject, bool):
        raise LexiconError(file, "worker_as_subject must be true or false", ident)
    policy_ref = row.get("policy_ref")
    if policy_ref is not None and not isinstance(policy_ref, str):
        raise LexiconError(file, "policy_ref must be a string", ident)
    conf = _confidence(row["confidence"], file=file,
                       entry=ident) if "confidence" in row else default_conf
    examples: dict[str, tuple[str, ...]] = {}
    ex = row.get("examples")
    if ex is not None:
        check_keys(ex, file=file, entry=ident, optional=EXAMPLE_KINDS)
        for kind, items in ex.items():
            examples[kind] = _str_list(items, file=file, entry=ident, key=f"examples.{kind}")
    return TypologyEntry(
        id=ident, label=ldef.id, file=file, phrases=phrases, sequences=tuple(sequences),
        patterns=pats, regexes=regexes, exclude=exclude, exclude_before=exclude_before,
        exclude_after=exclude_after, exclude_sentence=exclude_sentence, requires=requires,
        requires_window=window,
        policy_ref=policy_ref, subtype=subtype, actor_hint=actor,
        worker_as_subject=worker_subject, confidence=conf,
        examples=examples,
    )


# --- assertion cues ---------------------------------------------------------------------

CUE_CATEGORIES = ("negated", "hypothetical", "historical", "reported", "terminate", "pseudo")
DIRECTIONS = ("forward", "backward", "both")


@_dc.dataclass(frozen=True)
class Cue:
    """A ConText cue: words that change the assertion of a behaviour near them."""

    id: str
    category: str
    file: str
    phrases: tuple[str, ...] = ()
    regexes: tuple[re.Pattern[str], ...] = ()
    direction: str = "forward"
    window: int = 6
    case_sensitive: bool = False
    inside_matches: bool = False
    speaker: str | None = None
    year_before_note: bool = False
    only_labels: frozenset[str] = frozenset()
    except_labels: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()


_CUE_OPTIONAL = ("phrases", "regex", "direction", "window", "case_sensitive", "inside_matches",
                 "speaker", "year_before_note", "only_labels", "except_labels", "categories",
                 "note")


def load_cue_file(path: Path, vocab: Vocabulary, labels: Iterable[str]) -> list[Cue]:
    """Validate one ``assertion/<category>.yaml`` file of cues."""
    file = str(path)
    data = check_keys(load_yaml_strict(path), file=file, entry=None, required=("category", "entries"),
                      optional=("description",))
    category = data["category"]
    if category not in CUE_CATEGORIES:
        raise LexiconError(file, f"category must be one of {CUE_CATEGORIES}, got {category!r}")
    rows = data["entries"]
    if not isinstance(rows, list) or not rows:
        raise LexiconError(file, "entries must be a non-empty list")
    labels = set(labels)
    id_re = _id_pattern(category)
    cues: list[Cue] = []
    for row in rows:
        ident = row.get("id") if isinstance(row, Mapping) else None
        check_keys(row, file=file, entry=ident, required=("id",), optional=_CUE_OPTIONAL)
        if not isinstance(ident, str) or not id_re.fullmatch(ident):
            raise LexiconError(
                file, f"cue id must look like {category}.<name>.v<N>, got {ident!r}", str(ident))
        if "phrases" not in row and "regex" not in row:
            raise LexiconError(file, "cue needs phrases or regex", ident)
        phrases = expand_all(row["phrases"], vocab.lists, file=file, entry=ident,
                             key="phrases") if "phrases" in row else ()
        regexes = tuple(compile_regex(r, file=file, entry=ident) for r in _str_list(
            row["regex"], file=file, entry=ident, key="regex")) if "regex" in row else ()
        direction = row.get("direction", "forward")
        if direction not in DIRECTIONS:
            raise LexiconError(file, f"direction must be one of {DIRECTIONS}", ident)
        window = row.get("window", 6)
        if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= 60:
            raise LexiconError(file, f"window must be an integer 0..60, got {window!r}", ident)
        for flag in ("case_sensitive", "inside_matches", "year_before_note"):
            if not isinstance(row.get(flag, False), bool):
                raise LexiconError(file, f"{flag} must be true or false", ident)
        speaker = row.get("speaker")
        if speaker not in (None, "other_than_actor"):
            raise LexiconError(file, "speaker must be 'other_than_actor' when given", ident)
        if row.get("year_before_note") and not regexes:
            raise LexiconError(file, "year_before_note needs a regex whose group 1 is a year",
                               ident)
        sets: dict[str, frozenset[str]] = {}
        for key in ("only_labels", "except_labels"):
            vals = frozenset(_str_list(row[key], file=file, entry=ident,
                                       key=key)) if row.get(key) else frozenset()
            unknown = sorted(vals - labels)
            if unknown:
                raise LexiconError(file, f"{key} names unknown label(s) {unknown}", ident)
            sets[key] = vals
        cats = frozenset(_str_list(row["categories"], file=file, entry=ident,
                                   key="categories")) if row.get("categories") else frozenset()
        if cats - set(CUE_CATEGORIES):
            raise LexiconError(file, f"categories must be among {CUE_CATEGORIES}", ident)
        cues.append(Cue(
            id=ident, category=category, file=file, phrases=phrases, regexes=regexes,
            direction=direction, window=window,
            case_sensitive=bool(row.get("case_sensitive", False)),
            inside_matches=bool(row.get("inside_matches", False)), speaker=speaker,
            year_before_note=bool(row.get("year_before_note", False)),
            only_labels=sets["only_labels"], except_labels=sets["except_labels"],
            categories=cats,
        ))
    return cues


@_dc.dataclass(frozen=True)
class ActorLexicon:
    """Words naming who does something: role → phrases, gendered words for pronouns."""

    role_phrases: Mapping[str, tuple[str, ...]]
    female: frozenset[str]
    male: frozenset[str]
    pronouns_female: frozenset[str]
    pronouns_male: frozenset[str]
    subject_only: frozenset[str]
    implicit_subject_verbs: frozenset[str] = frozenset()


def load_actor_lexicon(path: Path, vocab: Vocabulary, actors: Iterable[str]) -> ActorLexicon:
    """Read ``assertion/actors.yaml``."""
    file = str(path)
    data = check_keys(load_yaml_strict(path), file=file, entry=None,
                      required=("roles", "pronouns"),
                      optional=("subject_only", "implicit_subject_verbs", "description"))
    actors = tuple(actors)
    roles = data["roles"]
    if not isinstance(roles, Mapping):
        raise LexiconError(file, "roles must map an actor to its words")
    role_phrases: dict[str, tuple[str, ...]] = {}
    female: set[str] = set()
    male: set[str] = set()
    for role, groups in roles.items():
        if role not in actors:
            raise LexiconError(file, f"unknown actor {role!r}; expected one of {actors}", role)
        check_keys(groups, file=file, entry=role, optional=("female", "male", "any"))
        words: list[str] = []
        for gender, items in groups.items():
            expanded = expand_all(items, vocab.lists, file=file, entry=role, key=gender)
            words.extend(expanded)
            if gender == "female":
                female.update(expanded)
            elif gender == "male":
                male.update(expanded)
        role_phrases[role] = tuple(dict.fromkeys(words))
    pron = check_keys(data["pronouns"], file=file, entry="pronouns",
                      required=("female", "male"))
    subject_only = _str_list(data.get("subject_only") or ["i"], file=file,
                             entry="subject_only", key="subject_only")
    return ActorLexicon(
        role_phrases=role_phrases, female=frozenset(female), male=frozenset(male),
        pronouns_female=frozenset(_str_list(pron["female"], file=file, entry="pronouns",
                                            key="female")),
        pronouns_male=frozenset(_str_list(pron["male"], file=file, entry="pronouns",
                                          key="male")),
        subject_only=frozenset(s.lower() for s in subject_only),
        implicit_subject_verbs=frozenset(s.lower() for s in _str_list(
            data.get("implicit_subject_verbs") or ["rang"], file=file,
            entry="implicit_subject_verbs", key="implicit_subject_verbs")),
    )


# --- one tokenisation for phrases and text ----------------------------------------------

# Quotation marks split phrases ('he said he "might" ring'): they are removed before
# matching. Straight and curly single quotes count only at a word's edge, so "mum's",
# "didn't" and "Jack’s" keep their apostrophes.
_QUOTES = re.compile(
    "[\"\u201c\u201d\u201e\u00ab\u00bb]"
    "|(?<![A-Za-z0-9])['\u2018\u2019`]|['\u2018\u2019`](?![A-Za-z])")


_OPENERS = frozenset("\u201c\u201e\u00ab\u2018")
_CLOSERS = frozenset("\u201d\u00bb\u2019")


def strip_quotes(text: str) -> tuple[str, list[int], list[tuple[int, int]]]:
    """``text`` without quotation marks; for each of its offsets (plus the end) the offset
    in ``text`` it came from; and the quoted stretches, as offsets into the new text."""
    out: list[str] = []
    offsets: list[int] = []
    quoted: list[tuple[int, int]] = []
    last = 0
    n = 0
    open_at: int | None = None
    for m in _QUOTES.finditer(text):
        chunk = text[last:m.start()]
        out.append(chunk)
        offsets.extend(range(last, m.start()))
        n += len(chunk)
        q = m.group()
        if q == '"':
            q = "\u201d" if open_at is not None else "\u201c"
        if q in _OPENERS or (q in "'`" and open_at is None):
            open_at = n
        elif open_at is not None and (q in _CLOSERS or q in "'`"):
            quoted.append((open_at, n))
            open_at = None
        last = m.end()
    out.append(text[last:])
    offsets.extend(range(last, len(text)))
    offsets.append(len(text))
    cleaned = "".join(out)
    if open_at is not None:
        quoted.append((open_at, len(cleaned)))
    return cleaned, offsets, quoted


class PhraseTokenizer:
    """Tokenises phrases and passages alike so that phrase matching is exact.

    spaCy's English tokenizer (no model), with every token's NORM set to its lower-case
    form, curly apostrophes folded and contractions normalised through the vocabulary's
    ``norms`` table ("didn't", "didnt", "did n’t" → "did not"). Phrase matchers run on
    NORM; the doc a pipeline hands over is not re-used because its vocabulary (and so its
    norms) depends on which model made it.
    """

    def __init__(self, norms: Mapping[str, str]) -> None:
        import spacy  # imported here: nothing happens at import time

        self.nlp = spacy.blank("en")
        self.vocab = self.nlp.vocab
        self._norms = dict(norms)
        self._by_orth: dict[int, str] = {}

    def norm(self, lower: str) -> str:
        """The form a (lower-cased) token is matched on."""
        folded = lower.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
        return self._norms.get(folded, folded)

    def _normalise(self, doc: Any) -> Any:
        cache = self._by_orth
        for tok in doc:
            want = cache.get(tok.orth)
            if want is None:
                want = cache[tok.orth] = self.norm(tok.lower_)
            tok.norm_ = want
        return doc

    def __call__(self, text: str) -> Any:
        return self._normalise(self.nlp.make_doc(text))

    def pipe(self, texts: Iterable[str]) -> list[Any]:
        return [self._normalise(d) for d in self.nlp.tokenizer.pipe(texts)]
