"""Bytes to text: BOMs, UTF-16 without BOM, UTF-8, cp1252, then a detector; binary refused."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True)
class Decoded:
    text: str | None
    encoding: str | None
    problem: str | None = None  # why text is None, or a note on a lossy decode


def decode_bytes(data: bytes) -> Decoded:
    if not data.strip():
        return Decoded(None, None, "empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _clean(data.decode(enc), enc)
            except UnicodeDecodeError as exc:
                return Decoded(None, enc, f"bad {enc} text at byte {exc.start}")
    if b"\x00" in data:
        sample = data[:4000]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > len(sample) // 4 and even < len(sample) // 50:
            return _try(data, "utf-16-le")
        if even > len(sample) // 4 and odd < len(sample) // 50:
            return _try(data, "utf-16-be")
        return Decoded(None, None, "binary file, not text")
    try:
        return _clean(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return _clean(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported only when needed

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return _clean(str(best), best.encoding)
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252",
                   "encoding not recognised; undecodable bytes replaced")


def _try(data: bytes, enc: str) -> Decoded:
    try:
        return _clean(data.decode(enc), enc)
    except UnicodeDecodeError as exc:
        return Decoded(None, enc, f"bad {enc} text at byte {exc.start}")


def _clean(text: str, enc: str) -> Decoded:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    ctrl = sum(1 for ch in text[:5000] if ord(ch) < 32 and ch not in "\n\t\f")
    if ctrl > max(10, len(text[:5000]) // 20):
        return Decoded(None, enc, "binary file, not text")
    return Decoded(text, enc)
