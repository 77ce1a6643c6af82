"""Turn YAML mappings into frozen parameter dataclasses, strictly.

A check declares its parameters as a frozen dataclass with type hints; the policy loader
builds it from the YAML with :func:`build`. Supported hints: ``int``, ``bool``, ``str``,
``float``, ``Literal[...]``, ``X | None``, ``tuple[X, ...]`` (from a YAML list),
``Mapping[str, X]``, nested dataclasses, and ``Annotated[..., Vocab(...)]`` to restrict
strings (or mapping keys) to a named vocabulary (event kinds, outcomes, labels ...).
Unknown keys, missing keys, wrong types and unknown vocabulary are errors naming the file
and the entry path.
"""

from __future__ import annotations

import dataclasses as dc
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from ..errors import LexiconError


@dc.dataclass(frozen=True)
class Vocab:
    """Restricts a string (``values``) and/or a mapping's keys (``keys``) to a vocabulary."""

    values: str | None = None
    keys: str | None = None


@dc.dataclass(frozen=True)
class AllowEmpty:
    """Marks a string (or a mapping's string values) that may be empty."""


@dc.dataclass(frozen=True)
class Where:
    """Where a value comes from: a file and a dotted entry path."""

    file: str
    entry: str

    def at(self, key: str | int) -> Where:
        return Where(self.file, f"{self.entry}.{key}" if self.entry else str(key))

    def error(self, message: str) -> LexiconError:
        return LexiconError(self.file, message, self.entry or None)


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _check_vocab(value: str, vocab: str | None, vocabs: Mapping[str, frozenset[str]], where: Where,
                 what: str = "value") -> None:
    if vocab is None:
        return
    allowed = vocabs.get(vocab)
    if allowed is None:
        raise where.error(f"internal: no vocabulary {vocab!r}")
    if value not in allowed:
        raise where.error(f"unknown {vocab} {what} {value!r}; expected one of {sorted(allowed)}")


def convert(hint: Any, value: Any, vocabs: Mapping[str, frozenset[str]], where: Where,
            vocab: Vocab | None = None, empty_ok: bool = False) -> Any:
    """Check ``value`` against ``hint`` and return the frozen form."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *extra = get_args(hint)
        marks = [m for m in extra if isinstance(m, Vocab)]
        empty_ok = empty_ok or any(isinstance(m, AllowEmpty) for m in extra)
        return convert(base, value, vocabs, where, marks[0] if marks else vocab, empty_ok)
    if origin in (Union, types.UnionType):
        args = get_args(hint)
        if value is None and type(None) in args:
            return None
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return convert(rest[0], value, vocabs, where, vocab, empty_ok)
        for a in rest:
            try:
                return convert(a, value, vocabs, where, vocab, empty_ok)
            except LexiconError:
                pass
        raise where.error(f"value {value!r} fits none of the allowed forms")
    if origin is Literal:
        choices = get_args(hint)
        if value not in choices:
            raise where.error(f"must be one of {list(choices)}, got {value!r}")
        return value
    if hint is bool:
        if not isinstance(value, bool):
            raise where.error(f"must be true or false, got {_type_name(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise where.error(f"must be an integer, got {_type_name(value)}")
        if value < 0:
            raise where.error(f"must not be negative, got {value}")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise where.error(f"must be a number, got {_type_name(value)}")
        return float(value)
    if hint is str:
        if not isinstance(value, str) or not (value.strip() or empty_ok):
            what = "empty string" if isinstance(value, str) else _type_name(value)
            raise where.error(f"must be a non-empty string, got {what}")
        _check_vocab(value, vocab.values if vocab else None, vocabs, where)
        return value
    if origin is tuple:
        args = get_args(hint)
        if not (len(args) == 2 and args[1] is Ellipsis):
            raise where.error("internal: only tuple[X, ...] is supported")
        if not isinstance(value, list):
            raise where.error(f"must be a list, got {_type_name(value)}")
        out = tuple(convert(args[0], v, vocabs, where.at(i), vocab) for i, v in enumerate(value))
        if len(set(map(repr, out))) != len(out):
            raise where.error("list has duplicate items")
        return out
    if origin in (Mapping, dict, typing.Mapping):
        key_t, val_t = get_args(hint)
        if not isinstance(value, Mapping):
            raise where.error(f"must be a mapping, got {_type_name(value)}")
        out_map: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise where.error(f"keys must be strings, got {k!r}")
            _check_vocab(k, vocab.keys if vocab else None, vocabs, where, "key")
            inner = Vocab(values=vocab.values) if vocab else None
            out_map[k] = convert(val_t, v, vocabs, where.at(k), inner, empty_ok)
        return types.MappingProxyType(out_map)
    if dc.is_dataclass(hint) and isinstance(hint, type):
        return build(hint, value, vocabs, where)
    raise where.error(f"internal: unsupported parameter type {hint!r}")


def build(cls: type, data: Any, vocabs: Mapping[str, frozenset[str]], where: Where) -> Any:
    """Build the frozen dataclass ``cls`` from the mapping ``data`` (strict)."""
    if not isinstance(data, Mapping):
        raise where.error(f"expected a mapping, found {_type_name(data)}")
    hints = get_type_hints(cls, include_extras=True)
    fields = {f.name: f for f in dc.fields(cls)}
    required = [n for n, f in fields.items()
                if f.default is dc.MISSING and f.default_factory is dc.MISSING]
    missing = [n for n in required if n not in data]
    if missing:
        raise where.error(f"missing key(s): {', '.join(missing)}")
    unknown = sorted(str(k) for k in data if k not in fields)
    if unknown:
        raise where.error(f"unknown key(s): {', '.join(unknown)}; allowed: {', '.join(fields)}")
    kwargs = {name: convert(hints[name], data[name], vocabs, where.at(name))
              for name in fields if name in data}
    obj = cls(**kwargs)
    validate = getattr(obj, "validate", None)
    if callable(validate):
        problem = validate()
        if problem:
            raise where.error(problem)
    return obj


def to_plain(obj: Any) -> Any:
    """A JSON-friendly copy of a parameter object (for reports and debugging)."""
    if dc.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_plain(getattr(obj, f.name)) for f in dc.fields(obj)}
    if isinstance(obj, Mapping):
        return {k: to_plain(v) for k, v in obj.items()}
    if isinstance(obj, tuple):
        return [to_plain(v) for v in obj]
    return obj
