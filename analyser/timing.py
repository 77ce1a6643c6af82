"""Per-stage wall-clock accounting for benchmarks (the pipeline takes an optional one)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager


class StageTimer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - t0


class _NullTimer:
    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        yield


NULL_TIMER = _NullTimer()
