"""Working-day arithmetic: Monday to Friday, bank holidays from the ``holidays`` library.

Bank holidays are never listed by hand: ``holidays.country_holidays(country, subdiv=...)``
gives them (England by default, including substitute days such as Boxing Day observed on
a Tuesday). Years are computed when first asked for and cached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=256)
def _bank_holidays(country: str, subdiv: str | None, year: int) -> frozenset[dt.date]:
    import holidays  # imported here: nothing happens at import time

    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days for one jurisdiction (``GB``/``ENG`` = English bank holidays)."""

    country: str = "GB"
    subdiv: str | None = "ENG"

    def is_bank_holiday(self, day: dt.date) -> bool:
        return day in _bank_holidays(self.country, self.subdiv, day.year)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a bank holiday."""
        return day.weekday() < 5 and not self.is_bank_holiday(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is day 0; n >= 0)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``: 0 when ``end <= start``."""
        count = 0
        day = start + ONE_DAY
        while day <= end:
            if self.is_working_day(day):
                count += 1
            day += ONE_DAY
        return count

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day
